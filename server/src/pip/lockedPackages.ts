// One model of a locked set of packages, whatever file it came from (a hashed requirements file,
// Pipfile.lock, uv.lock, pylock.toml), for `reqguard export`: each package with its version,
// marker, extras, where it comes from, and every hash, tied to the files they name where the
// input says which. The readers in parser/ give each format's shape; this module turns them into
// the model, and what the model cannot hold is an error naming the entry, never a silent drop.
// Pure: no IO.
import { canonicalizeName, parseMarker } from '../parser/pep508';
import type { PipfileEntry, PipfileLock } from '../parser/pipfileLock';
import { PYLOCK_VERSION, type PylockDocument, type PylockFile, type PylockPackage } from '../parser/pylock';
import type { RequirementEntry } from '../parser/requirementsFile';
import type { UvDependency, UvFile, UvLock, UvPackage } from '../parser/uvLock';
import { isPinned } from './pinning';

export interface LockedHash {
  readonly algorithm: string;
  /** Lower case hex. */
  readonly digest: string;
}

/** A file of a package's release, as far as the input names it. */
export interface LockedFile {
  readonly kind: 'wheel' | 'sdist';
  readonly filename?: string;
  readonly url?: string;
  readonly path?: string;
  readonly size?: number;
  /** ISO 8601, UTC. */
  readonly uploadTime?: string;
  readonly hashes: readonly LockedHash[];
}

export type VcsKind = 'git' | 'hg' | 'svn' | 'bzr';

export type LockedSource =
  /** From an index (the input's own when it names one), by version and hashes. */
  | { readonly kind: 'index'; readonly indexUrl?: string }
  | { readonly kind: 'vcs'; readonly vcs: VcsKind; readonly url: string; readonly commit?: string; readonly requestedRevision?: string; readonly subdirectory?: string; readonly editable: boolean }
  | { readonly kind: 'directory'; readonly path: string; readonly editable: boolean; readonly subdirectory?: string }
  | { readonly kind: 'archive'; readonly url?: string; readonly path?: string; readonly subdirectory?: string };

export interface LockedPackage {
  /** As the input spells it. */
  readonly name: string;
  readonly version?: string;
  /** A PEP 508 marker (without the `;`), as packaging prints it. */
  readonly marker?: string;
  readonly extras: readonly string[];
  readonly source: LockedSource;
  /** Every hash the input gives for the package (each once). */
  readonly hashes: readonly LockedHash[];
  /** The files the input names (uv.lock, pylock.toml); empty when it gives hashes only. */
  readonly files: readonly LockedFile[];
  /** How messages name the entry: `django==4.2.17 (Pipfile.lock "default")`. */
  readonly label: string;
}

export interface LockedSet {
  readonly packages: readonly LockedPackage[];
  readonly requiresPython?: string;
  /** PEP 751 `environments`, when the input has them. */
  readonly environments?: readonly string[];
  /** The indexes the input names, primary first (credentials as written). */
  readonly indexUrls: readonly string[];
  /** Said on stderr: what the input has that no package carries (a project left out on purpose). */
  readonly notes: readonly string[];
}

export type LockedReading = { readonly ok: true; readonly set: LockedSet } | { readonly ok: false; readonly errors: readonly string[] };

const VCS_SCHEME_RE = /^(git|hg|svn|bzr)\+/i;
const COMMIT_RE = /^[0-9a-f]{40}$/i;
const ARCHIVE_RE = /\.(whl|tar\.gz|zip|tar\.bz2|tar\.xz|tgz|tar)$/i;

/** `sha256:HEX` (Pipfile.lock, uv.lock) as a hash; undefined for anything else. */
export function parseHashText(text: string): LockedHash | undefined {
  const match = /^([a-z0-9]+)[:=]([0-9a-f]+)$/i.exec(text.trim());
  return match ? { algorithm: match[1].toLowerCase(), digest: match[2].toLowerCase() } : undefined;
}

/** The hashes once each, in their first order. */
export function distinctHashes(hashes: readonly LockedHash[]): LockedHash[] {
  const seen = new Map<string, LockedHash>();
  for (const hash of hashes) seen.set(`${hash.algorithm}:${hash.digest}`, hash);
  return [...seen.values()];
}

/** A marker as packaging prints it, or why pip would refuse it. */
function normalizedMarker(text: string): { marker: string } | { error: string } {
  const parsed = parseMarker(text);
  return parsed.ok ? { marker: parsed.value.normalized } : { error: `its marker ${JSON.stringify(text)} is not valid: ${parsed.message}` };
}

/**
 * A VCS requirement URL as pip reads it (`git+https://host/repo@rev#subdirectory=x`): the
 * repository URL, the revision after the last `@` of the path, and the subdirectory.
 */
export function splitVcsUrl(url: string): { vcs: VcsKind; url: string; revision?: string; subdirectory?: string } | undefined {
  const scheme = VCS_SCHEME_RE.exec(url);
  if (!scheme) return undefined;
  const hashAt = url.indexOf('#');
  const fragment = hashAt >= 0 ? url.slice(hashAt + 1) : '';
  let rest = (hashAt >= 0 ? url.slice(0, hashAt) : url).slice(scheme[0].length);
  const subdirectory = /(?:^|&)subdirectory=([^&]*)/.exec(fragment)?.[1];
  // The revision follows the last '@' of the path (an '@' before the host is a user name).
  const pathStart = rest.indexOf('/', rest.indexOf('://') + 3);
  const at = rest.lastIndexOf('@');
  let revision: string | undefined;
  if (pathStart >= 0 && at > pathStart) {
    revision = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  return { vcs: scheme[1].toLowerCase() as VcsKind, url: rest, ...(revision ? { revision } : {}), ...(subdirectory ? { subdirectory: decodeURIComponent(subdirectory) } : {}) };
}

function vcsSource(vcs: VcsKind, url: string, revision: string | undefined, subdirectory: string | undefined, editable: boolean): LockedSource {
  const commit = revision && COMMIT_RE.test(revision) ? revision.toLowerCase() : undefined;
  return {
    kind: 'vcs',
    vcs,
    url,
    ...(commit ? { commit } : {}),
    ...(revision && !commit ? { requestedRevision: revision } : {}),
    ...(subdirectory ? { subdirectory } : {}),
    editable,
  };
}

/** `name==version` and where it came from, for messages. */
function labelOf(name: string, version: string | undefined, where: string): string {
  return `${name}${version ? `==${version}` : ''} (${where})`;
}

// ---- Pipfile.lock --------------------------------------------------------------------------

/** `default`, and `develop` with `dev`, as `pipenv requirements [--dev]` takes them. */
export function lockedFromPipfileLock(lock: PipfileLock, options: { readonly dev: boolean }): LockedReading {
  const errors = [...lock.problems];
  const byName = new Map<string, LockedPackage>();
  const indexUrl = (name: string | undefined) => (name === undefined ? lock.sources[0]?.url : lock.sources.find((source) => source.name === name)?.url);
  for (const entry of lock.entries) {
    if (entry.section === 'develop' && !options.dev) continue;
    const label = labelOf(entry.name, entry.version, `Pipfile.lock "${entry.section}"`);
    if (entry.index !== undefined && indexUrl(entry.index) === undefined) {
      errors.push(`${label}: its index "${entry.index}" is not among the lock's sources`);
      continue;
    }
    const made = pipfilePackage(entry, label, indexUrl(entry.index));
    if (typeof made === 'string') {
      errors.push(`${label}: ${made}`);
      continue;
    }
    const key = canonicalizeName(entry.name);
    const earlier = byName.get(key);
    if (!earlier) byName.set(key, made);
    // pipenv locks `develop` against `default`: the same pin twice is one package, two pins a conflict.
    else if (earlier.version !== made.version || earlier.source.kind !== made.source.kind) errors.push(`${label}: ${earlier.label} pins it otherwise`);
  }
  if (errors.length > 0) return { ok: false, errors };
  const requiresPython = lock.pythonFullVersion ? `==${lock.pythonFullVersion}` : lock.pythonVersion ? `==${lock.pythonVersion}.*` : undefined;
  return {
    ok: true,
    set: { packages: [...byName.values()], ...(requiresPython ? { requiresPython } : {}), indexUrls: lock.sources.map((source) => source.url), notes: [] },
  };
}

function pipfilePackage(entry: PipfileEntry, label: string, indexUrl: string | undefined): LockedPackage | string {
  const hashes: LockedHash[] = [];
  for (const text of entry.hashes) {
    const hash = parseHashText(text);
    if (!hash) return `the hash ${JSON.stringify(text)} is not algorithm:hex`;
    hashes.push(hash);
  }
  let marker: string | undefined;
  if (entry.markers !== undefined) {
    const normalized = normalizedMarker(entry.markers);
    if ('error' in normalized) return normalized.error;
    marker = normalized.marker;
  }
  let source: LockedSource;
  if (entry.vcs) {
    const written = splitVcsUrl(entry.vcs.url) ?? { url: entry.vcs.url };
    source = vcsSource(entry.vcs.kind, written.url, entry.vcs.ref ?? ('revision' in written ? written.revision : undefined), entry.subdirectory, entry.editable);
  } else if (entry.file !== undefined) {
    const vcs = splitVcsUrl(entry.file);
    source = vcs ? vcsSource(vcs.vcs, vcs.url, vcs.revision, entry.subdirectory ?? vcs.subdirectory, entry.editable) : { kind: 'archive', url: entry.file, ...(entry.subdirectory ? { subdirectory: entry.subdirectory } : {}) };
  } else if (entry.path !== undefined) {
    source = ARCHIVE_RE.test(entry.path)
      ? { kind: 'archive', path: entry.path, ...(entry.subdirectory ? { subdirectory: entry.subdirectory } : {}) }
      : { kind: 'directory', path: entry.path, editable: entry.editable, ...(entry.subdirectory ? { subdirectory: entry.subdirectory } : {}) };
  } else {
    if (entry.version === undefined) return 'it has no version';
    source = { kind: 'index', ...(indexUrl ? { indexUrl } : {}) };
  }
  return { name: entry.name, ...(entry.version ? { version: entry.version } : {}), ...(marker ? { marker } : {}), extras: entry.extras, source, hashes: distinctHashes(hashes), files: [], label };
}

// ---- uv.lock --------------------------------------------------------------------------------

/** At most this many alternatives in one package's marker (paths through the graph that differ). */
export const MAX_MARKER_TERMS = 64;

/** A package's marker as alternatives (or) of conditions (and); an empty condition is "always". */
type MarkerTerms = string[][];

/**
 * What a default install of the project needs (`uv export --no-dev`, `--dev` adds the `dev`
 * group, as `uv sync` installs it): the root project's dependencies and theirs, with extras
 * followed, each package with the marker under which some path reaches it. The project itself
 * is not exported (it has no hashes: install it apart, with --no-deps).
 */
export function lockedFromUvLock(lock: UvLock, options: { readonly dev: boolean }): LockedReading {
  if (lock.problems.length > 0) return { ok: false, errors: lock.problems };
  const roots = lock.packages.filter((item) => (item.source.kind === 'editable' || item.source.kind === 'virtual') && item.source.path === '.');
  if (roots.length !== 1) return { ok: false, errors: [`uv.lock: ${roots.length === 0 ? 'no project' : 'several projects'} at "." (source editable or virtual): export reads the lock of one project`] };
  const [root] = roots;
  const byName = new Map<string, UvPackage[]>();
  const positions = new Map(lock.packages.map((item, position) => [item, position]));
  for (const item of lock.packages) {
    const key = canonicalizeName(item.name);
    byName.set(key, [...(byName.get(key) ?? []), item]);
  }
  const errors: string[] = [];
  const find = (dependency: UvDependency, from: UvPackage): UvPackage | undefined => {
    const candidates = (byName.get(canonicalizeName(dependency.name)) ?? []).filter((item) => dependency.version === undefined || item.version === dependency.version);
    if (candidates.length === 1) return candidates[0];
    errors.push(`uv.lock: ${from.name} depends on ${dependency.name}${dependency.version ? ` ${dependency.version}` : ''}, which the lock has ${candidates.length === 0 ? 'no package for' : 'several packages for'}`);
    return undefined;
  };
  // A worklist over (package, extra) nodes; a node is visited again only when its marker grows.
  const markers = new Map<UvPackage, MarkerTerms>();
  const extras = new Map<UvPackage, Set<string>>();
  const nodeTerms = new Map<string, MarkerTerms>();
  const queue: { item: UvPackage; extra?: string; terms: MarkerTerms }[] = [];
  const rootDependencies = [...root.dependencies, ...(options.dev ? (root.devDependencies.get('dev') ?? []) : [])];
  const follow = (dependencies: readonly UvDependency[], from: UvPackage, terms: MarkerTerms) => {
    for (const dependency of dependencies) {
      const target = find(dependency, from);
      if (!target || target === root) continue;
      const edge = dependency.marker ? conjoin(terms, dependency.marker) : terms;
      for (const extra of ['', ...dependency.extras]) {
        const key = `${positions.get(target)}[${extra}]`;
        const merged = disjoin(nodeTerms.get(key) ?? [], edge);
        if (merged === undefined) {
          errors.push(`uv.lock: ${target.name}: more than ${MAX_MARKER_TERMS} different paths lead to it; its marker would be too long`);
          continue;
        }
        if (merged === nodeTerms.get(key)) continue;
        nodeTerms.set(key, merged);
        queue.push({ item: target, ...(extra ? { extra } : {}), terms: merged });
      }
    }
  };
  follow(rootDependencies, root, [[]]);
  // A node is queued again only when its marker gets weaker, which can happen only so often; the
  // limit makes a pathological graph an error rather than a long wait.
  const maxVisits = (lock.packages.length + 1) * MAX_MARKER_TERMS;
  for (let next = 0; next < queue.length && errors.length === 0; next++) {
    if (next >= maxVisits) {
      errors.push(`uv.lock: the markers of its dependency graph did not settle after ${maxVisits} steps`);
      break;
    }
    const { item, extra, terms } = queue[next];
    if (extra !== undefined) {
      const optional = item.optionalDependencies.get(extra);
      if (!optional) {
        errors.push(`uv.lock: ${item.name} has no extra "${extra}" that a dependency asks for`);
        continue;
      }
      extras.set(item, (extras.get(item) ?? new Set()).add(extra));
      follow(optional, item, terms);
    } else {
      markers.set(item, terms);
      follow(item.dependencies, item, terms);
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const packages: LockedPackage[] = [];
  for (const [item, terms] of markers) {
    const made = uvPackage(item, markerText(terms), [...(extras.get(item) ?? [])].sort());
    if (typeof made === 'string') errors.push(`${labelOf(item.name, item.version, 'uv.lock')}: ${made}`);
    else packages.push(made);
  }
  if (errors.length > 0) return { ok: false, errors };
  const registries = [...new Set(packages.flatMap((item) => (item.source.kind === 'index' && item.source.indexUrl ? [item.source.indexUrl] : [])))];
  return {
    ok: true,
    set: {
      packages,
      ...(lock.requiresPython ? { requiresPython: lock.requiresPython } : {}),
      indexUrls: registries,
      notes: [`${root.name}: the project itself is not exported (a local project has no hashes); install it with pip install --no-deps`],
    },
  };
}

/** `terms` (or) each with `marker` added (and). */
function conjoin(terms: MarkerTerms, marker: string): MarkerTerms {
  return terms.map((term) => (term.includes(marker) ? term : [...term, marker].sort()));
}

/**
 * `known` or `added`, each condition once, conditions that a weaker one covers left out: `known`
 * itself when nothing is new, undefined past MAX_MARKER_TERMS.
 */
function disjoin(known: MarkerTerms, added: MarkerTerms): MarkerTerms | undefined {
  let result = known;
  for (const term of added) {
    // A condition that holds whenever a known one does adds nothing.
    if (result.some((other) => other.every((atom) => term.includes(atom)))) continue;
    result = [...result.filter((other) => !term.every((atom) => other.includes(atom))), term];
    if (result.length > MAX_MARKER_TERMS) return undefined;
  }
  return result;
}

function markerText(terms: MarkerTerms): string | undefined {
  if (terms.some((term) => term.length === 0)) return undefined;
  const conditions = terms.map((term) => (term.length === 1 ? term[0] : term.map((atom) => `(${atom})`).join(' and ')));
  return conditions.length === 1 ? conditions[0] : conditions.map((condition) => `(${condition})`).join(' or ');
}

function uvFile(file: UvFile, kind: LockedFile['kind']): LockedFile | string {
  const hash = file.hash === undefined ? undefined : parseHashText(file.hash);
  if (file.hash !== undefined && !hash) return `the hash ${JSON.stringify(file.hash)} is not algorithm:hex`;
  const filename = file.filename ?? (file.url ?? file.path)?.split(/[/\\]/).at(-1)?.split(/[?#]/)[0];
  return {
    kind,
    ...(filename ? { filename: decodeURIComponent(filename) } : {}),
    ...(file.url ? { url: file.url } : {}),
    ...(file.path ? { path: file.path } : {}),
    ...(file.size !== undefined ? { size: file.size } : {}),
    ...(file.uploadTime ? { uploadTime: file.uploadTime } : {}),
    hashes: hash ? [hash] : [],
  };
}

function uvPackage(item: UvPackage, markerSource: string | undefined, extras: readonly string[]): LockedPackage | string {
  let marker: string | undefined;
  if (markerSource !== undefined) {
    const normalized = normalizedMarker(markerSource);
    if ('error' in normalized) return normalized.error;
    marker = normalized.marker;
  }
  const files: LockedFile[] = [];
  for (const [file, kind] of [...(item.sdist ? [[item.sdist, 'sdist'] as const] : []), ...item.wheels.map((wheel) => [wheel, 'wheel'] as const)]) {
    const made = uvFile(file, kind);
    if (typeof made === 'string') return made;
    files.push(made);
  }
  let source: LockedSource;
  const from = item.source;
  if (from.kind === 'registry') source = { kind: 'index', indexUrl: from.url };
  else if (from.kind === 'git') {
    // uv writes `https://host/repo?rev=v1&subdirectory=x#<commit>`.
    const hashAt = from.url.indexOf('#');
    const base = hashAt >= 0 ? from.url.slice(0, hashAt) : from.url;
    const queryAt = base.indexOf('?');
    const query = new URLSearchParams(queryAt >= 0 ? base.slice(queryAt + 1) : '');
    const requested = query.get('rev') ?? query.get('tag') ?? query.get('branch') ?? undefined;
    const commit = hashAt >= 0 ? from.url.slice(hashAt + 1) : undefined;
    source = vcsSource('git', queryAt >= 0 ? base.slice(0, queryAt) : base, commit ?? requested, query.get('subdirectory') ?? undefined, false);
    if (commit && requested && source.kind === 'vcs') source = { ...source, requestedRevision: requested };
  } else if (from.kind === 'url') source = { kind: 'archive', url: from.url, ...(from.subdirectory ? { subdirectory: from.subdirectory } : {}) };
  else if (from.kind === 'path') source = ARCHIVE_RE.test(from.path) ? { kind: 'archive', path: from.path } : { kind: 'directory', path: from.path, editable: false };
  else source = { kind: 'directory', path: from.path, editable: from.kind === 'editable' };
  if (source.kind === 'index' && item.version === undefined) return 'it has no version';
  const hashes = distinctHashes(files.flatMap((file) => file.hashes));
  if (source.kind === 'index' || source.kind === 'archive') {
    const unhashed = files.find((file) => file.hashes.length === 0);
    if (unhashed) return `${unhashed.filename ?? 'a file'} has no hash`;
  }
  return { name: item.name, ...(item.version ? { version: item.version } : {}), ...(marker ? { marker } : {}), extras, source, hashes, files: source.kind === 'index' ? files : [], label: labelOf(item.name, item.version, 'uv.lock') };
}

// ---- requirements files -----------------------------------------------------------------------

/** A hashed requirements file's entries (the file alone: its includes are exported on their own), and its indexes as pip takes them. */
export function lockedFromRequirements(entries: readonly RequirementEntry[], label: string, indexUrls: readonly string[]): LockedReading {
  const errors: string[] = [];
  const packages: LockedPackage[] = [];
  for (const entry of entries) {
    const where = `${label} line ${entry.line}`;
    const name = entry.name ?? entry.requirementText;
    if (entry.rejected) {
      errors.push(`${name} (${where}): pip rejects this line`);
      continue;
    }
    if (entry.constraint) continue;
    if (!entry.name) {
      errors.push(`${entry.requirementText} (${where}): it has no project name (add #egg=NAME or write NAME @ URL)`);
      continue;
    }
    const version = entry.url === undefined && isPinned(entry) ? entry.specifiers[0].version : undefined;
    const hashes = distinctHashes([...entry.hashes.map((hash) => ({ algorithm: hash.algorithm.toLowerCase(), digest: hash.digest.toLowerCase() })), ...(entry.link?.hash && entry.link.hashName ? [{ algorithm: entry.link.hashName, digest: entry.link.hash.toLowerCase() }] : [])]);
    const common = { name: entry.name, ...(entry.marker ? { marker: entry.marker.normalized } : {}), extras: entry.extras.map((extra) => extra.name), hashes, files: [], label: labelOf(entry.name, version, where) };
    const vcs = entry.link?.isVcs ? splitVcsUrl(entry.link.url) : undefined;
    if (vcs) packages.push({ ...common, source: vcsSource(vcs.vcs, vcs.url, vcs.revision, vcs.subdirectory, entry.editable) });
    else if (entry.localPath?.expect === 'directory') packages.push({ ...common, source: { kind: 'directory', path: entry.localPath.path, editable: entry.editable } });
    else if (entry.localPath) packages.push({ ...common, source: { kind: 'archive', path: entry.localPath.path } });
    else if (entry.url) packages.push({ ...common, source: { kind: 'archive', url: entry.url.value } });
    else if (version === undefined) errors.push(`${common.label}: it is not pinned to one version (==)`);
    // Which index a package's files are on is learnt when they are looked up (engine/export.ts).
    else packages.push({ ...common, version, source: { kind: 'index' } });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, set: { packages, indexUrls, notes: [] } };
}

// ---- pylock.toml ------------------------------------------------------------------------------

/** A valid pylock (parser/pylock.ts): every package as it is written there, with its files. */
export function lockedFromPylock(lock: PylockDocument, label: string): LockedReading {
  const refusals = lock.problems.filter((problem) => problem.code !== PYLOCK_VERSION).map((problem) => `${label}: ${problem.message}`);
  if (refusals.length > 0) return { ok: false, errors: refusals };
  const errors: string[] = [];
  const packages: LockedPackage[] = [];
  for (const item of lock.packages) {
    const made = pylockPackage(item, label);
    if (typeof made === 'string') errors.push(`${labelOf(item.name?.value ?? `package ${item.position + 1}`, item.version?.value, label)}: ${made}`);
    else packages.push(made);
  }
  if (errors.length > 0) return { ok: false, errors };
  const indexUrls = [...new Set(lock.packages.flatMap((item) => (item.index ? [item.index.value] : [])))];
  return {
    ok: true,
    set: {
      packages,
      ...(lock.requiresPython ? { requiresPython: lock.requiresPython.value } : {}),
      ...(lock.environments.length ? { environments: lock.environments.map((environment) => environment.value) } : {}),
      indexUrls,
      notes: [],
    },
  };
}

function pylockFile(file: PylockFile, kind: LockedFile['kind']): LockedFile {
  return {
    kind,
    ...(file.fileName ? { filename: file.fileName } : {}),
    ...(file.url ? { url: file.url.value } : {}),
    ...(file.path ? { path: file.path.value } : {}),
    ...(file.size ? { size: file.size.value } : {}),
    ...(file.uploadTime ? { uploadTime: file.uploadTime.value } : {}),
    hashes: file.hashes.map((hash) => ({ algorithm: hash.algorithm.toLowerCase(), digest: hash.value.toLowerCase() })),
  };
}

function pylockPackage(item: PylockPackage, label: string): LockedPackage | string {
  const name = item.name?.value;
  if (name === undefined) return 'it has no name';
  let marker: string | undefined;
  if (item.marker) {
    const normalized = normalizedMarker(item.marker.value);
    if ('error' in normalized) return normalized.error;
    marker = normalized.marker;
  }
  const version = item.version?.value;
  const common = { name, ...(version ? { version } : {}), ...(marker ? { marker } : {}), extras: [], label: labelOf(name, version, label) };
  if (item.vcs) {
    const vcs = item.vcs;
    const where = vcs.url?.value ?? vcs.path?.value;
    const kind = vcs.type?.value.toLowerCase();
    if (!where || (kind !== 'git' && kind !== 'hg' && kind !== 'svn' && kind !== 'bzr')) return `its vcs ${kind ?? '(no type)'} is not one pip installs from`;
    const source = vcsSource(kind, where, vcs.commitId?.value, vcs.subdirectory?.value, false);
    return { ...common, source: source.kind === 'vcs' && vcs.requestedRevision ? { ...source, requestedRevision: vcs.requestedRevision.value } : source, hashes: [], files: [] };
  }
  if (item.directory) {
    const directory = item.directory;
    if (!directory.path) return 'its directory has no path';
    return { ...common, source: { kind: 'directory', path: directory.path.value, editable: directory.editable?.value ?? false, ...(directory.subdirectory ? { subdirectory: directory.subdirectory.value } : {}) }, hashes: [], files: [] };
  }
  if (item.archive) {
    const archive = pylockFile(item.archive, 'sdist');
    return { ...common, source: { kind: 'archive', ...(archive.url ? { url: archive.url } : {}), ...(archive.path ? { path: archive.path } : {}), ...(item.archive.subdirectory ? { subdirectory: item.archive.subdirectory.value } : {}) }, hashes: archive.hashes, files: [] };
  }
  const files = [...(item.sdist ? [pylockFile(item.sdist, 'sdist')] : []), ...item.wheels.map((wheel) => pylockFile(wheel, 'wheel'))];
  if (files.length === 0) return 'it has no source (sdist, wheels, vcs, directory or archive)';
  if (!version) return 'it has no version';
  return { ...common, source: { kind: 'index', ...(item.index ? { indexUrl: item.index.value } : {}) }, hashes: distinctHashes(files.flatMap((file) => file.hashes)), files };
}
