// The distributions installed in an environment, found as pip's importlib backend finds them
// (pip/_internal/metadata/importlib/_envs.py, pip 23.2.1 and 26.2.1): each sys.path entry in order,
// its `*.dist-info` and `*.egg-info` folders (an `.egg-info` file too), then the folders its
// `*.egg-link` files point to (legacy editable installs); the first distribution of a name wins.
// And `pip freeze`'s rules on them (pip/_internal/operations/freeze.py, commands/freeze.py): which
// are left out (stdlib_pkgs always; pip, and setuptools, distribute and wheel on Pythons before
// 3.12, unless --all) and how each is written (name==version, or its PEP 610 direct URL).
// IO only through the injected EnvironmentReader; bounded by MAX_INSTALLED.
import { parseCoreMetadata, fieldValue } from '../parser/coreMetadata';
import { parseDirectUrl, type DirectUrl } from '../parser/directUrl';
import { canonicalizeName } from '../parser/pep508';
import type { TextReader } from './includes';
import { compare, valid } from './versions';

/** Reading an environment's folders: file texts (as TextReader), and a folder's entry names. */
export interface EnvironmentReader extends Pick<TextReader, 'read'> {
  /** The names in a folder; undefined when it is no folder (a zip on sys.path, a missing entry). */
  list(path: string): readonly string[] | undefined;
}

export interface InstalledDistribution {
  /** As its metadata spells it. */
  readonly name: string;
  readonly canonicalName: string;
  readonly version: string;
  /** The `.dist-info`/`.egg-info` path. */
  readonly infoPath: string;
  /** The direct_url.json, when there is a valid one. */
  readonly directUrl?: DirectUrl;
  /** Found through an `.egg-link` (a legacy `setup.py develop` install): the folder it points to. */
  readonly eggLinkTarget?: string;
}

export interface EnvironmentScan {
  readonly distributions: readonly InstalledDistribution[];
  /** What was skipped and why (a metadata folder without a name, a bad direct_url.json), for stderr or the log. */
  readonly problems: readonly string[];
}

/** More than any real environment holds (large ones have a few thousand); past it the scan stops and says so. */
export const MAX_INSTALLED = 20_000;

/** pip's stdlib_pkgs: never frozen. */
const STDLIB_PACKAGES = new Set(['python', 'wsgiref', 'argparse']);

const join = (folder: string, name: string) => (folder.endsWith('/') || folder.endsWith('\\') ? folder + name : `${folder}/${name}`);

/** The `name` and `version` a metadata folder's own name gives (`name-version.dist-info`, `name-version.egg-info`). */
function folderNameParts(entry: string): { name?: string; version?: string } {
  const dot = entry.lastIndexOf('.');
  const stem = entry.slice(0, dot);
  const dash = stem.indexOf('-');
  return dash < 0 ? { name: stem || undefined } : { name: stem.slice(0, dash) || undefined, version: stem.slice(dash + 1) || undefined };
}

const isMetadataFolder = (entry: string) => /\.(dist-info|egg-info)$/i.test(entry);

type ReadDistribution = { readonly distribution?: InstalledDistribution; readonly problem?: string };

/** One metadata folder (or `.egg-info` file) read as a distribution; `problem` says what was skipped (all of it, without a distribution). */
function readDistribution(folder: string, entry: string, reader: EnvironmentReader): ReadDistribution {
  const infoPath = join(folder, entry);
  const isDistInfo = /\.dist-info$/i.test(entry);
  // An `.egg-info` may be the PKG-INFO file itself (distutils' install_egg_info).
  const candidates = isDistInfo ? [join(infoPath, 'METADATA')] : [join(infoPath, 'PKG-INFO'), infoPath];
  let text: string | undefined;
  for (const path of candidates) {
    const read = reader.read(path);
    if (typeof read === 'string') {
      text = read;
      break;
    }
  }
  if (text === undefined) return { problem: `${infoPath}: no ${isDistInfo ? 'METADATA' : 'PKG-INFO'} to read` };
  const metadata = parseCoreMetadata(text);
  const fromFolder = folderNameParts(entry);
  const name = fieldValue(metadata, 'Name')?.trim() || fromFolder.name;
  const version = fieldValue(metadata, 'Version')?.trim() || fromFolder.version;
  if (!name) return { problem: `${infoPath}: no Name in its metadata` };
  if (!version) return { problem: `${infoPath}: no Version in its metadata` };
  const distribution = { name, canonicalName: canonicalizeName(name), version, infoPath };
  const directText = isDistInfo ? reader.read(join(infoPath, 'direct_url.json')) : undefined;
  if (typeof directText !== 'string') return { distribution };
  const direct = parseDirectUrl(directText);
  // pip warns about a bad direct_url.json and freezes the distribution as name==version.
  if (!direct.ok) return { distribution, problem: `${infoPath}/direct_url.json: ${direct.error} (read as if absent, as pip does)` };
  return { distribution: { ...distribution, directUrl: direct.value } };
}

/**
 * The installed distributions on `sysPath`, in pip's order, one per name. Folders are listed in
 * name order (importlib follows the file system's order, which is not defined).
 */
export function scanEnvironment(sysPath: readonly string[], reader: EnvironmentReader): EnvironmentScan {
  const found = new Map<string, InstalledDistribution>();
  const problems: string[] = [];
  let stopped = false;
  const add = (folder: string, entries: readonly string[], eggLinkTarget?: string) => {
    for (const entry of [...entries].filter(isMetadataFolder).sort()) {
      if (found.size >= MAX_INSTALLED) {
        if (!stopped) problems.push(`more than ${MAX_INSTALLED} distributions: the rest are not read`);
        stopped = true;
        return;
      }
      const { distribution, problem } = readDistribution(folder, entry, reader);
      if (problem) problems.push(problem);
      if (!distribution || found.has(distribution.canonicalName)) continue;
      found.set(distribution.canonicalName, eggLinkTarget ? { ...distribution, eggLinkTarget } : distribution);
    }
  };
  for (const location of sysPath) {
    if (stopped) break;
    if (/\.whl$/i.test(location)) continue; // pip does not look inside a wheel on sys.path
    const entries = reader.list(location);
    if (!entries) continue;
    add(location, entries);
    for (const link of [...entries].filter((entry) => entry.endsWith('.egg-link')).sort()) {
      const text = reader.read(join(location, link));
      const target = typeof text === 'string' ? text.split(/\r?\n/).map((line) => line.trim()).find((line) => line !== '') : undefined;
      if (!target) continue;
      const folder = /^([a-zA-Z]:)?[\\/]/.test(target) ? target : join(location, target);
      const linked = reader.list(folder);
      if (linked) add(folder, linked, folder);
    }
  }
  return { distributions: [...found.values()], problems };
}

/** How `pip freeze` would write a distribution, and whether the index can pin and hash it. */
export type FrozenForm =
  /** `name==version`, to be looked up on the index. */
  | { readonly kind: 'index' }
  /** A requirement line pip installs with its hash (an archive URL with a recorded sha256…). */
  | { readonly kind: 'direct'; readonly line: string }
  /** Not written as a requirement: what pip freeze writes, and why it cannot be hashed. */
  | { readonly kind: 'left-out'; readonly pipLine: string; readonly reason: string };

/** Digests pip's hash-checking mode takes (`--hash` algorithms), strongest last. */
const HASH_ALGORITHMS = ['sha256', 'sha384', 'sha512'];

/** What pip freeze writes for a direct URL (direct_url_as_pep440_direct_reference). */
function directReference(name: string, direct: DirectUrl, hash?: [string, string]): string {
  const fragments: string[] = [];
  let url = direct.url;
  if (direct.kind === 'vcs') url = `${direct.vcs}+${direct.url}@${direct.commitId}`;
  if (hash) fragments.push(`${hash[0]}=${hash[1]}`);
  if (direct.subdirectory) fragments.push(`subdirectory=${direct.subdirectory}`);
  return `${name} @ ${url}${fragments.length ? `#${fragments.join('&')}` : ''}`;
}

/** PEP 508's project name. */
const PROJECT_NAME = /^([a-z0-9]|[a-z0-9][a-z0-9._-]*[a-z0-9])$/i;
/** What a URL on a requirement line may not hold: a space or control character would end it (or the line). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_IN_URL = /[\u0000-\u0020\u007f-\u009f]/;

export function frozenForm(distribution: InstalledDistribution): FrozenForm {
  const { name, version, directUrl, eggLinkTarget } = distribution;
  // The metadata is the environment's, not ours: nothing from it may write a line of its own.
  if (!PROJECT_NAME.test(name)) return { kind: 'left-out', pipLine: `${name}==${version}`, reason: `${JSON.stringify(name)} is not a valid project name` };
  if (eggLinkTarget && !directUrl) return { kind: 'left-out', pipLine: `-e ${eggLinkTarget}`, reason: 'an editable install (setup.py develop) of a local folder, which has no hash' };
  if (!directUrl) {
    if (!valid(version)) return { kind: 'left-out', pipLine: `${name}===${version}`, reason: `${version} is not a PEP 440 version, so no index serves it` };
    return { kind: 'index' };
  }
  if (directUrl.kind === 'dir') {
    const what = directUrl.editable ? 'an editable install of a local folder' : 'installed from a local folder';
    return { kind: 'left-out', pipLine: directUrl.editable ? `-e ${directUrl.url}` : directReference(name, directUrl), reason: `${what}, which has no hash` };
  }
  if (directUrl.kind === 'vcs') return { kind: 'left-out', pipLine: directReference(name, directUrl), reason: `a ${directUrl.vcs} checkout: pip's hash-checking mode refuses VCS requirements` };
  if (UNSAFE_IN_URL.test(directUrl.url) || (directUrl.subdirectory !== undefined && /[\s#&]/.test(directUrl.subdirectory))) {
    return { kind: 'left-out', pipLine: directReference(name, directUrl), reason: 'its URL holds spaces or control characters, which a requirement line cannot' };
  }
  const algorithm = HASH_ALGORITHMS.filter((candidate) => directUrl.hashes[candidate] !== undefined).at(0);
  if (!algorithm) return { kind: 'left-out', pipLine: directReference(name, directUrl), reason: `installed from ${directUrl.url}, whose hash was not recorded (no sha256 in direct_url.json)` };
  const digest = directUrl.hashes[algorithm].toLowerCase();
  if (!/^[0-9a-f]+$/.test(digest)) return { kind: 'left-out', pipLine: directReference(name, directUrl), reason: `its recorded ${algorithm} is not a hex digest` };
  return { kind: 'direct', line: directReference(name, directUrl, [algorithm, digest]) };
}

/**
 * Whether `pip freeze` lists the distribution: stdlib_pkgs never; pip, and on Pythons before
 * 3.12 setuptools, distribute and wheel, only with --all.
 */
export function frozenByPip(canonicalName: string, pythonVersion: string | undefined, all: boolean): boolean {
  if (STDLIB_PACKAGES.has(canonicalName)) return false;
  if (all) return true;
  if (canonicalName === 'pip') return false;
  const beforeBuildBackendsShown = pythonVersion === undefined || compare(pythonVersion, '3.12') < 0;
  return !(beforeBuildBackendsShown && ['setuptools', 'distribute', 'wheel'].includes(canonicalName));
}
