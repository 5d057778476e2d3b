// pylock.toml (PEP 751): the lock file pip writes (`pip lock`) and reads (`-r pylock.toml`). Read
// through parser/toml.ts, so every value keeps its exact span; the rules are PEP 751's as
// packaging.pylock (the reference validator) applies them: the same keys, types and refusals,
// each reported as a problem (packaging stops at the first, this reads on). One comparison is left
// to the caller, which has PEP 440 order: whether a file name's version equals the package's
// (`PylockFile.nameVersion`).
import { oversizedManifest } from './declared';
import { parseWheelFilename } from './links';
import { canonicalizeName, parseMarker, parseSpecifierSet } from './pep508';
import { inlineTable, readToml, spanOf, tomlTypeName, type TomlEntry, type TomlTable, type TomlValueNode } from './toml';
import type { Problem, Span } from './types';

/** A value and where it is written (a string's span includes its quotes). */
export interface Located<T> {
  readonly value: T;
  readonly span: Span;
}

export interface PylockHash {
  /** The hash algorithm, as the key spells it (`sha256`). */
  readonly algorithm: string;
  readonly value: string;
  readonly keySpan: Span;
  /** The value string, quotes included. */
  readonly span: Span;
}

/** A file of a package: its sdist, one of its wheels, or its archive. */
export interface PylockFile {
  /** The file's table (inline or with a header). */
  readonly span: Span;
  readonly name?: Located<string>;
  readonly url?: Located<string>;
  readonly path?: Located<string>;
  readonly size?: Located<number>;
  /** As written (an RFC 3339 date and time). */
  readonly uploadTime?: Located<string>;
  readonly hashes: readonly PylockHash[];
  /** The `hashes` table itself, when there is one. */
  readonly hashesSpan?: Span;
  /** An archive's `subdirectory`. */
  readonly subdirectory?: Located<string>;
  /** packaging's file name: `name`, else the last part of `path`, else of `url`'s path. */
  readonly fileName?: string;
  /** The version the file name gives (wheels and sdists), to compare with the package's. */
  readonly nameVersion?: string;
}

export interface PylockVcs {
  readonly span: Span;
  readonly type?: Located<string>;
  readonly url?: Located<string>;
  readonly path?: Located<string>;
  readonly requestedRevision?: Located<string>;
  readonly commitId?: Located<string>;
  readonly subdirectory?: Located<string>;
}

export interface PylockDirectory {
  readonly span: Span;
  readonly path?: Located<string>;
  readonly editable?: Located<boolean>;
  readonly subdirectory?: Located<string>;
}

/** Where a package comes from; sdist and wheels together are one kind, `files` (PEP 751). */
export type PylockSourceKind = 'files' | 'vcs' | 'directory' | 'archive';

/** An entry of `dependencies`: a table that identifies another `[[packages]]` entry. */
export interface PylockDependency {
  readonly span: Span;
  readonly name?: Located<string>;
  readonly version?: Located<string>;
}

export interface PylockPackage {
  /** Its `[[packages]]` table, header and body. */
  readonly span: Span;
  /** Its place in `packages`, from 0. */
  readonly position: number;
  readonly name?: Located<string>;
  readonly version?: Located<string>;
  readonly marker?: Located<string>;
  readonly requiresPython?: Located<string>;
  /** `index`: the index the package came from. */
  readonly index?: Located<string>;
  readonly dependencies: readonly PylockDependency[];
  readonly vcs?: PylockVcs;
  readonly directory?: PylockDirectory;
  readonly archive?: PylockFile;
  readonly sdist?: PylockFile;
  readonly wheels: readonly PylockFile[];
  /** The one kind of source, or undefined when there is none or more than one (a problem). */
  readonly sourceKind?: PylockSourceKind;
}

export interface PylockDocument {
  readonly lockVersion?: Located<string>;
  readonly environments: readonly Located<string>[];
  readonly requiresPython?: Located<string>;
  readonly extras: readonly Located<string>[];
  readonly dependencyGroups: readonly Located<string>[];
  readonly defaultGroups: readonly Located<string>[];
  readonly createdBy?: Located<string>;
  readonly packages: readonly PylockPackage[];
  /** TOML errors (`syntax`), PEP 751 violations (`pylock-invalid`), a newer minor lock-version (`pylock-version`). */
  readonly problems: readonly Problem[];
}

/** A violation of PEP 751: packaging.pylock refuses the file, and so does pip. */
export const PYLOCK_INVALID = 'pylock-invalid';
/** A lock-version newer than 1.0 but below 2: read, with a warning (packaging logs one). */
export const PYLOCK_VERSION = 'pylock-version';

const LABEL = 'pylock.toml';
const PYLOCK_NAME_RE = /^pylock\.[^.]+\.toml$/;

/** PEP 751's file-name rule: `pylock.toml`, or `pylock.<name>.toml` with no dot in the name (packaging's `is_valid_pylock_path`). */
export function isValidPylockFileName(name: string): boolean {
  return name === 'pylock.toml' || PYLOCK_NAME_RE.test(name);
}

/** packaging's `is_normalized_name`: what `canonicalize_name` leaves unchanged. */
const NORMALIZED_NAME_RE = /^(?:[a-z0-9]|[a-z0-9](?:[a-z0-9-](?!--))*[a-z0-9])$/;

/** packaging's Version(): PEP 440's pattern, surrounding white space allowed. */
const VERSION_RE =
  /^\s*v?(?:(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\.[0-9]+)*)(?<pre>[-_.]?(?<preL>alpha|a|beta|b|preview|pre|c|rc)[-_.]?[0-9]*)?(?<post>-[0-9]+|[-_.]?(?:post|rev|r)[-_.]?[0-9]*)?(?<dev>[-_.]?dev[-_.]?[0-9]*)?)(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?\s*$/i;

/** packaging's Version() accepts it. */
export function isPep440Version(text: string): boolean {
  return VERSION_RE.test(text);
}

/**
 * Where `lock-version` stands against what packaging reads (`1 <= version < 2`, a warning above
 * 1.0): `supported`, `newer` (1.x, x > 0) or `unsupported`.
 */
function lockVersionSupport(text: string): 'supported' | 'newer' | 'unsupported' {
  const groups = VERSION_RE.exec(text)?.groups;
  if (!groups || (groups.epoch !== undefined && Number(groups.epoch) !== 0)) return 'unsupported';
  const release = groups.release.split('.').map(Number);
  const restZero = release.slice(1).every((part) => part === 0);
  // A pre-release, or a development release that is no post-release, sorts before its release.
  const beforeRelease = groups.pre !== undefined || (groups.dev !== undefined && groups.post === undefined);
  const isExactly = (major: number) => release[0] === major && restZero;
  if (release[0] === 1) {
    if (isExactly(1) && beforeRelease) return 'unsupported';
    return isExactly(1) && groups.post === undefined && !text.includes('+') ? 'supported' : 'newer';
  }
  return isExactly(2) && beforeRelease ? 'newer' : 'unsupported';
}

/** Python's `urlparse(url).path`: the URL without scheme, authority, query and fragment. */
function urlPath(url: string): string {
  let rest = url;
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length);
  if (rest.startsWith('//')) {
    const end = rest.slice(2).search(/[/?#]/);
    rest = end < 0 ? '' : rest.slice(2 + end);
  }
  return rest.split('#')[0].split('?')[0];
}

/** packaging's file name of a wheel or sdist entry: `name`, else the last part of `path`, else of the URL's path. */
function fileNameOf(name: string | undefined, path: string | undefined, url: string | undefined): string | undefined {
  const fromPath = path ? path.split(path.includes('/') ? '/' : '\\').pop() : undefined;
  const fromUrl = url ? urlPath(url).split('/').pop() : undefined;
  // Python's `or`: an empty name or last part gives way to the next.
  return name || fromPath || fromUrl || (name ?? fromPath ?? fromUrl);
}

/** packaging's `parse_sdist_filename`: name (normalized) and version, or undefined where it raises. */
function parseSdistFileName(fileName: string): { name: string; version: string } | undefined {
  const stem = fileName.endsWith('.tar.gz') ? fileName.slice(0, -7) : fileName.endsWith('.zip') ? fileName.slice(0, -4) : undefined;
  const dash = stem?.lastIndexOf('-') ?? -1;
  if (stem === undefined || dash < 0) return undefined;
  const version = stem.slice(dash + 1);
  return isPep440Version(version) ? { name: canonicalizeName(stem.slice(0, dash)), version } : undefined;
}

/** packaging's `parse_wheel_filename` (name and version): stricter than pip's on the name and the version. */
function parseWheelFileName(fileName: string): { name: string; version: string } | undefined {
  if (!fileName.endsWith('.whl')) return undefined;
  const dashes = fileName.slice(0, -4).split('-').length - 1;
  const wheel = dashes === 4 || dashes === 5 ? parseWheelFilename(fileName) : undefined;
  const namePart = fileName.split('-')[0];
  if (!wheel || namePart.includes('__') || !/^[\p{L}\p{N}_.]*$/u.test(namePart) || !isPep440Version(wheel.version)) return undefined;
  if (wheel.build !== undefined && !/^\d/.test(wheel.build)) return undefined;
  return { name: canonicalizeName(namePart), version: wheel.version };
}

/** Reads a pylock.toml: its model and its problems. Never throws. */
export function readPylock(text: string): PylockDocument {
  const empty: PylockDocument = { environments: [], extras: [], dependencyGroups: [], defaultGroups: [], packages: [], problems: [] };
  const oversized = oversizedManifest(text, LABEL);
  if (oversized) return { ...empty, problems: [oversized] };
  const toml = readToml(text, LABEL);
  if (!toml.ok) return { ...empty, problems: [toml.problem] };
  const reading = new Reader().read(toml.root);
  return toml.problem ? { ...reading, problems: [toml.problem, ...reading.problems] } : reading;
}

type Scalar = 'string' | 'integer' | 'boolean' | 'datetime';

class Reader {
  private readonly problems: Problem[] = [];

  read(root: TomlTable): PylockDocument {
    const where = { context: '', span: { start: 0, end: 0 } };
    const lockVersion = this.scalar(root, 'lock-version', 'string', where, true);
    if (lockVersion) this.checkLockVersion(lockVersion);
    const environments = this.strings(root, 'environments', where);
    for (const environment of environments) this.checkMarker(environment, 'environments');
    const extras = this.strings(root, 'extras', where);
    for (const extra of extras) this.checkNormalized(extra, 'extras');
    const dependencyGroups = this.strings(root, 'dependency-groups', where);
    const defaultGroups = this.strings(root, 'default-groups', where);
    const createdBy = this.scalar(root, 'created-by', 'string', where, true);
    const requiresPython = this.scalar(root, 'requires-python', 'string', where);
    if (requiresPython) this.checkSpecifiers(requiresPython, 'requires-python');
    const packageTables = this.tables(root, 'packages', where, true);
    const packages = packageTables.map((table, position) => this.readPackage(table, position));
    this.table(root, 'tool', where);
    return { lockVersion, environments, requiresPython, extras, dependencyGroups, defaultGroups, createdBy, packages, problems: this.problems };
  }

  private problem(message: string, span: Span, context: string, code = PYLOCK_INVALID): void {
    this.problems.push({ code, message: `${context ? `${context}: ` : ''}${message}`, span });
  }

  private checkLockVersion(lockVersion: Located<string>): void {
    const support = lockVersionSupport(lockVersion.value);
    if (support === 'unsupported') {
      const reason = isPep440Version(lockVersion.value) ? 'pylock.toml readers support lock-version 1.x only' : 'not a PEP 440 version';
      this.problem(`lock-version ${JSON.stringify(lockVersion.value)} is not supported (${reason}): pip and packaging refuse this file.`, lockVersion.span, '');
    } else if (support === 'newer') {
      this.problem(`lock-version ${lockVersion.value} is newer than 1.0, the version this file's readers know: they read it, with a warning, and may miss what it adds.`, lockVersion.span, '', PYLOCK_VERSION);
    }
  }

  private checkMarker(marker: Located<string>, context: string): void {
    const parsed = parseMarker(marker.value);
    if (!parsed.ok) this.problem(`${JSON.stringify(marker.value)} is not a valid marker (${parsed.message}).`, marker.span, context);
  }

  private checkSpecifiers(specifiers: Located<string>, context: string): void {
    if (!parseSpecifierSet(specifiers.value)) this.problem(`${JSON.stringify(specifiers.value)} is not a valid version specifier set.`, specifiers.span, context);
  }

  private checkNormalized(name: Located<string>, context: string): void {
    if (!NORMALIZED_NAME_RE.test(name.value)) {
      this.problem(`Name ${JSON.stringify(name.value)} is not normalized (PEP 751 wants ${JSON.stringify(canonicalizeName(name.value))}).`, name.span, context);
    }
  }

  /** A key's value of a scalar type; a value of another type, or a missing required one, is a problem. */
  private scalar(table: TomlTable, key: string, type: 'string', where: Where, required?: boolean): Located<string> | undefined;
  private scalar(table: TomlTable, key: string, type: 'integer', where: Where): Located<number> | undefined;
  private scalar(table: TomlTable, key: string, type: 'boolean', where: Where): Located<boolean> | undefined;
  private scalar(table: TomlTable, key: string, type: 'datetime', where: Where): Located<string> | undefined;
  private scalar(table: TomlTable, key: string, type: Scalar, where: Where, required = false): Located<string | number | boolean> | undefined {
    const entry = table.entries.get(key);
    if (!entry) {
      if (required) this.problem(`${key} is required (PEP 751) but missing.`, where.span, where.context);
      return undefined;
    }
    const node = entry.kind === 'value' ? entry.node : undefined;
    const value = node && scalarValue(node, type);
    if (value === undefined) {
      this.problem(`${key} must be ${SCALAR_NAMES[type]}, not ${tomlTypeName(entry)}.`, entrySpan(entry), where.context);
      return undefined;
    }
    return { value, span: spanOf(node!) };
  }

  /** An array of strings. */
  private strings(table: TomlTable, key: string, where: Where): Located<string>[] {
    const entry = table.entries.get(key);
    if (!entry) return [];
    if (entry.kind !== 'value' || entry.node.type !== 'TOMLArray') {
      this.problem(`${key} must be an array of strings, not ${tomlTypeName(entry)}.`, entrySpan(entry), where.context);
      return [];
    }
    const strings: Located<string>[] = [];
    entry.node.elements.forEach((element, i) => {
      if (element.type === 'TOMLValue' && element.kind === 'string') strings.push({ value: element.value, span: spanOf(element) });
      else this.problem(`${key}[${i}] must be a string, not ${tomlTypeName(element)}.`, spanOf(element), where.context);
    });
    return strings;
  }

  /** A table (inline or with a header). */
  private table(table: TomlTable, key: string, where: Where): TomlTable | undefined {
    const entry = table.entries.get(key);
    if (!entry || entry.kind === 'table') return entry;
    if (entry.kind === 'value' && entry.node.type === 'TOMLInlineTable') return inlineTable(entry.node, entry.keySpan);
    this.problem(`${key} must be a table, not ${tomlTypeName(entry)}.`, entrySpan(entry), where.context);
    return undefined;
  }

  /** An array of tables: `[[key]]` tables, or an array of inline tables. */
  private tables(table: TomlTable, key: string, where: Where, required = false): TomlTable[] {
    const entry = table.entries.get(key);
    if (!entry) {
      if (required) this.problem(`${key} is required (PEP 751) but missing.`, where.span, where.context);
      return [];
    }
    if (entry.kind === 'table-array') return entry.tables;
    if (entry.kind !== 'value' || entry.node.type !== 'TOMLArray') {
      this.problem(`${key} must be an array of tables, not ${tomlTypeName(entry)}.`, entrySpan(entry), where.context);
      return [];
    }
    const tables: TomlTable[] = [];
    entry.node.elements.forEach((element, i) => {
      if (element.type === 'TOMLInlineTable') tables.push(inlineTable(element));
      else this.problem(`${key}[${i}] must be a table, not ${tomlTypeName(element)}.`, spanOf(element), where.context);
    });
    return tables;
  }

  private readPackage(table: TomlTable, position: number): PylockPackage {
    const span = table.span ?? table.keySpan;
    const where: Where = { context: `packages[${position}]`, span: table.keySpan };
    const name = this.scalar(table, 'name', 'string', where, true);
    if (name) this.checkNormalized(name, where.context);
    const version = this.scalar(table, 'version', 'string', where);
    if (version && !isPep440Version(version.value)) this.problem(`version ${JSON.stringify(version.value)} is not a PEP 440 version.`, version.span, where.context);
    const requiresPython = this.scalar(table, 'requires-python', 'string', where);
    if (requiresPython) this.checkSpecifiers(requiresPython, `${where.context}.requires-python`);
    const dependencies = this.tables(table, 'dependencies', where).map((dependency) => ({
      span: dependency.span ?? dependency.keySpan,
      name: locatedString(dependency, 'name'),
      version: locatedString(dependency, 'version'),
    }));
    const marker = this.scalar(table, 'marker', 'string', where);
    if (marker) this.checkMarker(marker, `${where.context}.marker`);
    const vcs = this.readVcs(this.table(table, 'vcs', where), `${where.context}.vcs`);
    const directory = this.readDirectory(this.table(table, 'directory', where), `${where.context}.directory`);
    const archive = this.readFile(this.table(table, 'archive', where), `${where.context}.archive`, 'archive');
    const index = this.scalar(table, 'index', 'string', where);
    const sdist = this.readFile(this.table(table, 'sdist', where), `${where.context}.sdist`, 'sdist');
    const wheels = this.tables(table, 'wheels', where).map((wheel, i) => this.readFile(wheel, `${where.context}.wheels[${i}]`, 'wheel')!);
    this.tables(table, 'attestation-identities', where).forEach((identity, i) => {
      this.scalar(identity, 'kind', 'string', { context: `${where.context}.attestation-identities[${i}]`, span: identity.span ?? identity.keySpan }, true);
    });
    this.table(table, 'tool', where);
    const sourceKind = this.sourceKind({ vcs, directory, archive, sdist, wheels }, where);
    if (name) this.checkFileNames(canonicalizeName(name.value), sdist, wheels, where.context);
    return { span, position, name, version, marker, requiresPython, index, dependencies, vcs, directory, archive, sdist, wheels, sourceKind };
  }

  /** PEP 751: a package comes from its files (an sdist and/or wheels), or from exactly one of vcs, directory, archive. */
  private sourceKind(sources: Pick<PylockPackage, 'vcs' | 'directory' | 'archive' | 'sdist' | 'wheels'>, where: Where): PylockSourceKind | undefined {
    const direct = (['vcs', 'directory', 'archive'] as const).filter((kind) => sources[kind]);
    const files = sources.sdist !== undefined || sources.wheels.length > 0;
    if (files && direct.length > 0) {
      this.problem(`${direct.join(', ')} must not be set when sdist or wheels are set: a package has one kind of source (PEP 751).`, sources[direct[0]]!.span, where.context);
      return undefined;
    }
    if (files) return 'files';
    if (direct.length === 1) return direct[0];
    if (direct.length === 0) this.problem('the package has no source: exactly one of vcs, directory, archive must be set if sdist and wheels are not (PEP 751).', where.span, where.context);
    else this.problem(`only one of ${direct.join(', ')} may be set: a package has one kind of source (PEP 751).`, sources[direct[1]]!.span, where.context);
    return undefined;
  }

  /** The names in wheel and sdist file names must be the package's name (their versions are compared by the caller). */
  private checkFileNames(packageName: string, sdist: PylockFile | undefined, wheels: readonly PylockFile[], context: string): void {
    const files = [...wheels.map((wheel, i) => ({ file: wheel, where: `${context}.wheels[${i}]`, parse: parseWheelFileName })), ...(sdist ? [{ file: sdist, where: `${context}.sdist`, parse: parseSdistFileName }] : [])];
    for (const { file, where, parse } of files) {
      const kind = parse === parseWheelFileName ? 'wheel' : 'sdist';
      const span = file.name?.span ?? file.path?.span ?? file.url?.span ?? file.span;
      if (file.fileName === undefined) {
        // Only reached when path and url are both missing, a problem already said.
        continue;
      }
      const parsed = parse(file.fileName);
      if (!parsed) this.problem(`Invalid ${kind} filename ${JSON.stringify(file.fileName)}.`, span, where);
      else if (parsed.name !== packageName) this.problem(`Name in ${JSON.stringify(file.fileName)} is not consistent with package name ${JSON.stringify(packageName)}.`, span, where);
    }
  }

  private readVcs(table: TomlTable | undefined, context: string): PylockVcs | undefined {
    if (!table) return undefined;
    const where: Where = { context, span: table.span ?? table.keySpan };
    const vcs: PylockVcs = {
      span: where.span,
      type: this.scalar(table, 'type', 'string', where, true),
      url: this.scalar(table, 'url', 'string', where),
      path: this.scalar(table, 'path', 'string', where),
      requestedRevision: this.scalar(table, 'requested-revision', 'string', where),
      commitId: this.scalar(table, 'commit-id', 'string', where, true),
      subdirectory: this.scalar(table, 'subdirectory', 'string', where),
    };
    this.checkPathOrUrl(vcs, where);
    return vcs;
  }

  private readDirectory(table: TomlTable | undefined, context: string): PylockDirectory | undefined {
    if (!table) return undefined;
    const where: Where = { context, span: table.span ?? table.keySpan };
    return {
      span: where.span,
      path: this.scalar(table, 'path', 'string', where, true),
      editable: this.scalar(table, 'editable', 'boolean', where),
      subdirectory: this.scalar(table, 'subdirectory', 'string', where),
    };
  }

  private readFile(table: TomlTable | undefined, context: string, kind: 'archive' | 'sdist' | 'wheel'): PylockFile | undefined {
    if (!table) return undefined;
    const where: Where = { context, span: table.span ?? table.keySpan };
    const name = kind === 'archive' ? undefined : this.scalar(table, 'name', 'string', where);
    const url = this.scalar(table, 'url', 'string', where);
    const path = this.scalar(table, 'path', 'string', where);
    const size = this.scalar(table, 'size', 'integer', where);
    const uploadTime = this.scalar(table, 'upload-time', 'datetime', where);
    const hashesTable = this.table(table, 'hashes', where);
    const hashes: PylockHash[] = [];
    for (const [algorithm, entry] of hashesTable?.entries ?? []) {
      if (entry.kind === 'value' && entry.node.type === 'TOMLValue' && entry.node.kind === 'string') {
        hashes.push({ algorithm, value: entry.node.value, keySpan: entry.keySpan, span: spanOf(entry.node) });
      } else {
        this.problem(`hashes.${algorithm} must be a string, not ${tomlTypeName(entry)}.`, entrySpan(entry), context);
      }
    }
    if (!hashesTable && !table.entries.has('hashes')) this.problem('hashes is required (PEP 751) but missing.', where.span, context);
    else if (hashesTable && hashesTable.entries.size === 0) this.problem('At least one hash must be provided (PEP 751).', hashesTable.span ?? hashesTable.keySpan, context);
    const subdirectory = kind === 'archive' ? this.scalar(table, 'subdirectory', 'string', where) : undefined;
    this.checkPathOrUrl({ url, path }, where);
    const fileName = kind === 'archive' ? undefined : fileNameOf(name?.value, path?.value, url?.value);
    if (kind !== 'archive' && fileName === '') this.problem(`Cannot determine the ${kind} file name.`, where.span, context);
    const parsedName = fileName ? (kind === 'wheel' ? parseWheelFileName(fileName) : parseSdistFileName(fileName)) : undefined;
    return { span: where.span, name, url, path, size, uploadTime, hashes, hashesSpan: hashesTable?.span, subdirectory, fileName: fileName || undefined, nameVersion: parsedName?.version };
  }

  private checkPathOrUrl(source: { readonly url?: Located<string>; readonly path?: Located<string> }, where: Where): void {
    if (!source.url?.value && !source.path?.value) this.problem('path or url must be provided (PEP 751).', where.span, where.context);
  }
}

interface Where {
  /** packaging's context for a message (`packages[0].wheels[1]`). */
  readonly context: string;
  /** Where a missing key is reported: the table's span or key. */
  readonly span: Span;
}

const SCALAR_NAMES: Readonly<Record<Scalar, string>> = { string: 'a string', integer: 'an integer', boolean: 'a boolean', datetime: 'a date and time' };

function scalarValue(node: TomlValueNode, type: Scalar): string | number | boolean | undefined {
  if (node.type !== 'TOMLValue') return undefined;
  if (type === 'string') return node.kind === 'string' ? node.value : undefined;
  if (type === 'integer') return node.kind === 'integer' ? Number(node.value) : undefined;
  if (type === 'boolean') return node.kind === 'boolean' ? node.value : undefined;
  // Python's tomllib gives a datetime for these two only (a bare date or time is no datetime).
  return node.kind === 'offset-date-time' || node.kind === 'local-date-time' ? node.datetime : undefined;
}

function entrySpan(entry: TomlEntry): Span {
  return entry.kind === 'value' ? spanOf(entry.node) : entry.kind === 'table' ? (entry.span ?? entry.keySpan) : entry.keySpan;
}

/** A string value without checks (a dependency's keys are for finding a package, not validated by packaging). */
function locatedString(table: TomlTable, key: string): Located<string> | undefined {
  const entry = table.entries.get(key);
  return entry?.kind === 'value' && entry.node.type === 'TOMLValue' && entry.node.kind === 'string' ? { value: entry.node.value, span: spanOf(entry.node) } : undefined;
}
