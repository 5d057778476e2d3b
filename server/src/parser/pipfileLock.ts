// Pipfile.lock as pipenv writes it: JSON with `_meta` (the sources and the Python) and the
// `default` and `develop` sections, each a map of name → { version "==x", hashes ["sha256:…"],
// markers, extras, index, git/hg/svn/bzr + ref, path, file, editable, subdirectory }.
// Pure and total: what cannot be read is a problem naming the entry, never an exception.

export interface PipfileSource {
  readonly name: string;
  readonly url: string;
}

export type PipfileSectionName = 'default' | 'develop';

export interface PipfileEntry {
  /** As written (a key of the section). */
  readonly name: string;
  readonly section: PipfileSectionName;
  /** The version after `==` or `===`; undefined when none is written. */
  readonly version?: string;
  /** `sha256:…` and the like, as written. */
  readonly hashes: readonly string[];
  readonly markers?: string;
  readonly extras: readonly string[];
  /** The name of a `_meta.sources` entry. */
  readonly index?: string;
  readonly vcs?: { readonly kind: 'git' | 'hg' | 'svn' | 'bzr'; readonly url: string; readonly ref?: string };
  readonly path?: string;
  readonly file?: string;
  readonly editable: boolean;
  readonly subdirectory?: string;
}

export interface PipfileLock {
  readonly sources: readonly PipfileSource[];
  /** `_meta.requires`: `python_version` ("3.11") or `python_full_version` ("3.11.4"). */
  readonly pythonVersion?: string;
  readonly pythonFullVersion?: string;
  readonly entries: readonly PipfileEntry[];
  /** What could not be read, each naming its entry; an entry with a problem is left out of `entries`. */
  readonly problems: readonly string[];
}

/** Far past any real lock (the largest in the corpus has a few hundred entries). */
export const MAX_PIPFILE_ENTRIES = 20_000;

const VCS_KEYS = ['git', 'hg', 'svn', 'bzr'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? (value as string[]) : undefined;
}

export function readPipfileLock(text: string): PipfileLock {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { sources: [], entries: [], problems: [`Pipfile.lock is not valid JSON: ${(error as Error).message}`] };
  }
  if (!isRecord(json)) return { sources: [], entries: [], problems: ['Pipfile.lock is not a JSON object'] };
  const problems: string[] = [];
  const meta = isRecord(json._meta) ? json._meta : {};
  const sources = (Array.isArray(meta.sources) ? meta.sources : []).flatMap((source): PipfileSource[] =>
    isRecord(source) && typeof source.name === 'string' && typeof source.url === 'string' ? [{ name: source.name, url: source.url }] : [],
  );
  const requires = isRecord(meta.requires) ? meta.requires : {};
  const entries: PipfileEntry[] = [];
  for (const section of ['default', 'develop'] as const) {
    const packages = json[section];
    if (packages === undefined) continue;
    if (!isRecord(packages)) {
      problems.push(`"${section}" is not an object of packages`);
      continue;
    }
    for (const [name, value] of Object.entries(packages)) {
      if (entries.length >= MAX_PIPFILE_ENTRIES) {
        problems.push(`more than ${MAX_PIPFILE_ENTRIES} entries: the rest were not read`);
        break;
      }
      const entry = readEntry(name, section, value);
      if (typeof entry === 'string') problems.push(`${name} (${section}): ${entry}`);
      else entries.push(entry);
    }
  }
  return {
    sources,
    ...(typeof requires.python_version === 'string' ? { pythonVersion: requires.python_version } : {}),
    ...(typeof requires.python_full_version === 'string' ? { pythonFullVersion: requires.python_full_version } : {}),
    entries,
    problems,
  };
}

/** One entry, or why it cannot be read. */
function readEntry(name: string, section: PipfileSectionName, value: unknown): PipfileEntry | string {
  if (!isRecord(value)) return 'not an object';
  const hashes = value.hashes === undefined ? [] : stringList(value.hashes);
  if (!hashes) return '"hashes" is not a list of strings';
  const extras = value.extras === undefined ? [] : stringList(value.extras);
  if (!extras) return '"extras" is not a list of strings';
  for (const key of ['version', 'markers', 'index', 'ref', 'path', 'file', 'subdirectory']) {
    if (value[key] !== undefined && typeof value[key] !== 'string') return `"${key}" is not a string`;
  }
  let version: string | undefined;
  if (typeof value.version === 'string' && value.version !== '*') {
    const pinned = /^\s*===?\s*(\S+)\s*$/.exec(value.version);
    if (!pinned) return `"version" is ${JSON.stringify(value.version)}, not an exact ==version`;
    version = pinned[1];
  }
  const vcsKey = VCS_KEYS.find((key) => typeof value[key] === 'string');
  const vcs = vcsKey ? { kind: vcsKey, url: value[vcsKey] as string, ...(typeof value.ref === 'string' ? { ref: value.ref } : {}) } : undefined;
  const optional = (key: string) => (typeof value[key] === 'string' ? { [key]: value[key] as string } : {});
  return {
    name,
    section,
    ...(version !== undefined ? { version } : {}),
    hashes,
    ...optional('markers'),
    extras,
    ...optional('index'),
    ...(vcs ? { vcs } : {}),
    ...optional('path'),
    ...optional('file'),
    editable: value.editable === true,
    ...optional('subdirectory'),
  };
}
