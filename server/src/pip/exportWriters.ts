// The two formats `reqguard export` writes from a locked set (pip/lockedPackages.ts):
// - requirements.txt in pip-compile's layout (pip/compiledLayout.ts): `name==v ; marker` with
//   every `--hash`, direct references as `name @ url`, VCS checkouts as pip reads them;
// - pylock.toml as PEP 751 says: lock-version "1.0", created-by, [[packages]] with name,
//   version, marker, index and exactly one source kind (wheels/sdist with name, url, size,
//   upload-time where known, and hashes; or vcs, directory, archive).
// What a format cannot hold is an error naming the entry. Pure: data in, text out.
import { canonicalizeName } from '../parser/pep508';
import { compareEntryNames, formatCompiledEntry } from './compiledLayout';
import { continuedEntry, hashOptions } from './entryEdit';
import type { LockedFile, LockedHash, LockedPackage, LockedSet } from './lockedPackages';
import { compare } from './versions';

export type Written = { readonly ok: true; readonly text: string; readonly notes: readonly string[] } | { readonly ok: false; readonly errors: readonly string[] };

/** Packages by name, then version (pip-compile's order). */
function sortedPackages(packages: readonly LockedPackage[]): LockedPackage[] {
  return [...packages].sort((a, b) => compareEntryNames(a.name, b.name) || (a.version && b.version ? compare(a.version, b.version) : 0));
}

/** `--hash=` options for every hash: sha256 as pip-compile writes them, other algorithms after. */
function hashLines(hashes: readonly LockedHash[]): string[] {
  const others = hashes.filter((hash) => hash.algorithm !== 'sha256').map((hash) => `--hash=${hash.algorithm}:${hash.digest}`);
  return [...hashOptions(hashes.filter((hash) => hash.algorithm === 'sha256').map((hash) => hash.digest)), ...[...new Set(others)].sort()];
}

/** A URL with `#subdirectory=` (and `#egg=` for an editable VCS checkout), as pip reads them. */
function withFragment(url: string, fragment: Record<string, string | undefined>): string {
  const parts = Object.entries(fragment).flatMap(([key, value]) => (value ? [`${key}=${value}`] : []));
  return parts.length ? `${url}#${parts.join('&')}` : url;
}

/** The first line of a requirement that is not `name==version`, or why it cannot be written. */
function directRequirement(item: LockedPackage, extras: string, marker: string): string | { error: string } {
  const source = item.source;
  const name = canonicalizeName(item.name);
  switch (source.kind) {
    case 'vcs': {
      const revision = source.commit ?? source.requestedRevision;
      const url = `${source.vcs}+${source.url}${revision ? `@${revision}` : ''}`;
      // pip reads an editable requirement as a URL with #egg=, never as `name @ url`.
      if (source.editable) return `-e ${withFragment(url, { egg: name + extras, subdirectory: source.subdirectory })}`;
      return `${name}${extras} @ ${withFragment(url, { subdirectory: source.subdirectory })}${marker}`;
    }
    case 'directory':
      return `${source.editable ? '-e ' : ''}${localPath(source.path)}${marker}`;
    case 'archive':
      if (source.url) return `${name}${extras} @ ${withFragment(source.url, { subdirectory: source.subdirectory })}${marker}`;
      return `${localPath(source.path ?? '')}${marker}`;
    case 'index':
      return { error: 'internal: an index package is not a direct reference' };
  }
}

/** A relative path as pip needs it on a requirements line: starting with ./ so it is a path, not a name. */
function localPath(path: string): string {
  return /^([./\\]|[A-Za-z]:[\\/])/.test(path) ? path : `./${path}`;
}

/**
 * requirements.txt: a header, the indexes the input names (when they are not pip's default),
 * then one entry per package with every hash. An index package without hashes is an error;
 * VCS checkouts and local directories are written (pip installs them) with a note that
 * --require-hashes refuses them.
 */
export function writeRequirements(set: LockedSet, header: readonly string[], eol = '\n'): Written {
  const errors: string[] = [];
  const notes: string[] = [];
  const body: string[] = [];
  for (const item of sortedPackages(set.packages)) {
    const extras = item.extras.length ? `[${[...item.extras].sort().join(',')}]` : '';
    const marker = item.marker ? ` ; ${item.marker}` : '';
    if (item.source.kind === 'index') {
      if (item.hashes.length === 0) {
        errors.push(`${item.label}: it has no hashes, and pip's hash-checking mode refuses an entry without them`);
        continue;
      }
      const sha256 = item.hashes.filter((hash) => hash.algorithm === 'sha256').map((hash) => hash.digest);
      const others = hashLines(item.hashes.filter((hash) => hash.algorithm !== 'sha256'));
      const entry = formatCompiledEntry({ name: item.name, extras: item.extras, version: item.version ?? '', ...(item.marker ? { marker: item.marker } : {}), sha256, via: [] }, eol);
      body.push(others.length ? continuedEntry(entry, others, eol) : entry);
      continue;
    }
    const line = directRequirement(item, extras, marker);
    if (typeof line !== 'string') {
      errors.push(`${item.label}: ${line.error}`);
      continue;
    }
    if (item.source.kind === 'archive' && item.hashes.length === 0) {
      errors.push(`${item.label}: it has no hashes, and pip's hash-checking mode refuses an entry without them`);
      continue;
    }
    if (item.source.kind === 'vcs' || item.source.kind === 'directory') {
      notes.push(`${item.label}: written as ${line}; pip --require-hashes refuses it (a ${item.source.kind === 'vcs' ? 'VCS checkout' : 'local directory'} has no single file to hash)`);
    }
    body.push(continuedEntry(line, hashLines(item.hashes), eol));
  }
  if (errors.length > 0) return { ok: false, errors };
  const [primary, ...extra] = set.indexUrls;
  const indexLines = [...(primary && !isPypi(primary) ? [`--index-url ${primary}`] : []), ...extra.map((url) => `--extra-index-url ${url}`)];
  const text = [...header, ...(indexLines.length ? [...indexLines, ''] : []), ...body].join(eol) + eol;
  return { ok: true, text, notes };
}

function isPypi(url: string): boolean {
  return /^https:\/\/pypi\.org\/simple\/?$/.test(url);
}

// ---- pylock.toml --------------------------------------------------------------------------

// TOML's basic strings forbid these raw: they are what must be escaped.
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u0008\u000a-\u001f\u007f]/g;

/** A TOML basic string. */
export function tomlString(value: string): string {
  const escaped = value.replace(/[\\"]/g, (character) => `\\${character}`).replace(CONTROL_RE, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `"${escaped}"`;
}

/** An RFC 3339 time TOML reads as an offset date-time (upload-time is one, not a string). */
const OFFSET_DATE_TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function inlineTableText(fields: readonly (readonly [string, string | undefined])[]): string {
  return `{ ${fields.flatMap(([key, value]) => (value === undefined ? [] : [`${key} = ${value}`])).join(', ')} }`;
}

function hashTable(hashes: readonly LockedHash[]): string {
  return inlineTableText([...hashes].sort((a, b) => (a.algorithm < b.algorithm ? -1 : 1)).map((hash) => [hash.algorithm, tomlString(hash.digest)] as const));
}

function fileTable(file: LockedFile): string {
  return inlineTableText([
    ['name', file.filename === undefined ? undefined : tomlString(file.filename)],
    ['upload-time', file.uploadTime && OFFSET_DATE_TIME_RE.test(file.uploadTime) ? file.uploadTime : undefined],
    ['url', file.url === undefined ? undefined : tomlString(file.url)],
    ['path', file.path === undefined ? undefined : tomlString(file.path)],
    ['size', file.size === undefined ? undefined : String(file.size)],
    ['hashes', hashTable(file.hashes)],
  ]);
}

const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Every string of the package is a Unicode string TOML can hold (no lone surrogates). */
function unwritableString(item: LockedPackage): string | undefined {
  const strings = [item.name, item.version, item.marker, JSON.stringify(item.source), ...item.files.flatMap((file) => [file.filename, file.url, file.path])];
  return strings.find((value) => value !== undefined && LONE_SURROGATE_RE.test(value));
}

/** The lines of one [[packages]] table, or why it cannot be written. */
function pylockPackage(item: LockedPackage): string[] | string {
  if (unwritableString(item) !== undefined) return 'it has text that is not valid Unicode';
  const lines = ['[[packages]]', `name = ${tomlString(canonicalizeName(item.name))}`];
  if (item.version) lines.push(`version = ${tomlString(item.version)}`);
  if (item.marker) lines.push(`marker = ${tomlString(item.marker)}`);
  const source = item.source;
  switch (source.kind) {
    case 'index': {
      if (source.indexUrl && !/\/\/[^/]*@/.test(source.indexUrl)) lines.push(`index = ${tomlString(source.indexUrl)}`);
      if (item.files.length === 0) return 'the index has none of its files (a pylock names each file)';
      const hashed = new Set(item.files.flatMap((file) => file.hashes.map((hash) => `${hash.algorithm}:${hash.digest}`)));
      const lost = item.hashes.find((hash) => !hashed.has(`${hash.algorithm}:${hash.digest}`));
      if (lost) return `its hash ${lost.algorithm}:${lost.digest} names no file of it`;
      const unnamed = item.files.find((file) => file.url === undefined && file.path === undefined);
      if (unnamed) return `${unnamed.filename ?? 'a file'} has no URL or path`;
      const sdists = item.files.filter((file) => file.kind === 'sdist');
      if (sdists.length > 1) return `it has ${sdists.length} sdists (${sdists.map((file) => file.filename).join(', ')}); a pylock holds one`;
      if (sdists.length === 1) lines.push(`sdist = ${fileTable(sdists[0])}`);
      const wheels = item.files.filter((file) => file.kind === 'wheel');
      if (wheels.length > 0) lines.push('wheels = [', ...wheels.map((wheel) => `  ${fileTable(wheel)},`), ']');
      return lines;
    }
    case 'vcs':
      if (!source.commit) return `its ${source.vcs} revision ${source.requestedRevision ?? '(none)'} is not a commit; a pylock needs the commit (commit-id)`;
      lines.push(
        `vcs = ${inlineTableText([
          ['type', tomlString(source.vcs)],
          ['url', tomlString(source.url)],
          ['requested-revision', source.requestedRevision === undefined ? undefined : tomlString(source.requestedRevision)],
          ['commit-id', tomlString(source.commit)],
          ['subdirectory', source.subdirectory === undefined ? undefined : tomlString(source.subdirectory)],
        ])}`,
      );
      return lines;
    case 'directory':
      lines.push(`directory = ${inlineTableText([['path', tomlString(source.path)], ['editable', source.editable ? 'true' : undefined], ['subdirectory', source.subdirectory === undefined ? undefined : tomlString(source.subdirectory)]])}`);
      return lines;
    case 'archive':
      if (item.hashes.length === 0) return 'it has no hashes, and a pylock archive needs them';
      lines.push(
        `archive = ${inlineTableText([
          ['url', source.url === undefined ? undefined : tomlString(source.url)],
          ['path', source.path === undefined ? undefined : tomlString(source.path)],
          ['hashes', hashTable(item.hashes)],
          ['subdirectory', source.subdirectory === undefined ? undefined : tomlString(source.subdirectory)],
        ])}`,
      );
      return lines;
  }
}

/**
 * pylock.toml (PEP 751). Index packages need their files (url, hashes; size and upload-time
 * where known): engine/export.ts finds them on the index first. A package's extras are not a
 * pylock field: the packages they pull in are in the lock, as `pip lock` writes them.
 */
export function writePylock(set: LockedSet): Written {
  const errors: string[] = [];
  const tables: string[] = [];
  for (const item of sortedPackages(set.packages)) {
    const lines = pylockPackage(item);
    if (typeof lines === 'string') errors.push(`${item.label}: ${lines}`);
    else tables.push(lines.join('\n'));
  }
  if (errors.length > 0) return { ok: false, errors };
  const head = [
    'lock-version = "1.0"',
    ...(set.environments?.length ? [`environments = [${set.environments.map(tomlString).join(', ')}]`] : []),
    ...(set.requiresPython ? [`requires-python = ${tomlString(set.requiresPython)}`] : []),
    'created-by = "reqguard"',
  ];
  return { ok: true, text: [head.join('\n'), ...tables].join('\n\n') + '\n', notes: [] };
}
