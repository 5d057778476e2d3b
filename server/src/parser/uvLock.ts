// uv.lock as uv writes it (TOML): `requires-python`, then `[[package]]` tables with name,
// version, `source` (registry, git, url, path, directory, editable, virtual), `sdist` and
// `wheels` (url or path, hash, size, upload-time), `dependencies`, and
// `[package.optional-dependencies]` / `[package.dev-dependencies]` (each dependency: name,
// version and source when the name is ambiguous, marker, extra).
// Pure and total: what cannot be read is a problem naming the package, never an exception.
import { readTomlData } from './toml';

export interface UvFile {
  readonly url?: string;
  readonly path?: string;
  readonly filename?: string;
  /** `sha256:…`. */
  readonly hash?: string;
  readonly size?: number;
  readonly uploadTime?: string;
}

export interface UvDependency {
  readonly name: string;
  readonly version?: string;
  readonly marker?: string;
  readonly extras: readonly string[];
}

export type UvSource =
  | { readonly kind: 'registry'; readonly url: string }
  /** `git+`-less repository URL with `?rev=`/`?tag=`/`?branch=`/`?subdirectory=` and `#commit`. */
  | { readonly kind: 'git'; readonly url: string }
  | { readonly kind: 'url'; readonly url: string; readonly subdirectory?: string }
  | { readonly kind: 'path' | 'directory' | 'editable' | 'virtual'; readonly path: string };

export interface UvPackage {
  readonly name: string;
  readonly version?: string;
  readonly source: UvSource;
  readonly sdist?: UvFile;
  readonly wheels: readonly UvFile[];
  readonly dependencies: readonly UvDependency[];
  readonly optionalDependencies: ReadonlyMap<string, readonly UvDependency[]>;
  readonly devDependencies: ReadonlyMap<string, readonly UvDependency[]>;
}

export interface UvLock {
  readonly requiresPython?: string;
  readonly packages: readonly UvPackage[];
  /** `[manifest] members`: the workspace's projects, when it has several. */
  readonly members: readonly string[];
  readonly problems: readonly string[];
}

/** Far past any real lock. */
export const MAX_UV_PACKAGES = 20_000;

const SOURCE_KINDS = ['registry', 'git', 'url', 'path', 'directory', 'editable', 'virtual'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const optionalString = (table: Record<string, unknown>, key: string): string | undefined => (typeof table[key] === 'string' ? table[key] : undefined);

/** The longest uv.lock read: the TOML parser takes about 2 s a megabyte (a large project's lock has one or two). */
export const MAX_UV_LOCK_LENGTH = 10_000_000;

export function readUvLock(text: string): UvLock {
  if (text.length > MAX_UV_LOCK_LENGTH) return { packages: [], members: [], problems: [`uv.lock has ${text.length.toLocaleString('en-US')} characters: reqguard reads locks of up to ${MAX_UV_LOCK_LENGTH.toLocaleString('en-US')}`] };
  const read = readTomlData(text, 'uv.lock');
  if (!read.ok) return { packages: [], members: [], problems: [read.message] };
  const problems: string[] = [];
  const packages: UvPackage[] = [];
  const tables = read.data.package;
  if (tables !== undefined && !Array.isArray(tables)) problems.push('"package" is not an array of tables');
  for (const [position, table] of (Array.isArray(tables) ? tables : []).entries()) {
    if (packages.length >= MAX_UV_PACKAGES) {
      problems.push(`more than ${MAX_UV_PACKAGES} packages: the rest were not read`);
      break;
    }
    const name = isRecord(table) ? optionalString(table, 'name') : undefined;
    const label = name ?? `package ${position + 1}`;
    const item = isRecord(table) && name ? readPackage(name, table) : 'has no name';
    if (typeof item === 'string') problems.push(`${label}: ${item}`);
    else packages.push(item);
  }
  const manifest = isRecord(read.data.manifest) ? read.data.manifest : {};
  const members = Array.isArray(manifest.members) ? manifest.members.filter((member): member is string => typeof member === 'string') : [];
  const requiresPython = optionalString(read.data, 'requires-python');
  return { ...(requiresPython !== undefined ? { requiresPython } : {}), packages, members, problems };
}

function readPackage(name: string, table: Record<string, unknown>): UvPackage | string {
  const source = readSource(table.source);
  if (typeof source === 'string') return source;
  const sdist = table.sdist === undefined ? undefined : readDistFile(table.sdist);
  if (typeof sdist === 'string') return `sdist: ${sdist}`;
  const wheels: UvFile[] = [];
  if (table.wheels !== undefined && !Array.isArray(table.wheels)) return '"wheels" is not an array';
  for (const wheel of (table.wheels as unknown[] | undefined) ?? []) {
    const file = readDistFile(wheel);
    if (typeof file === 'string') return `wheels: ${file}`;
    wheels.push(file);
  }
  const dependencies = readDependencies(table.dependencies);
  if (typeof dependencies === 'string') return `dependencies: ${dependencies}`;
  const optionalDependencies = readGroups(table['optional-dependencies']);
  if (typeof optionalDependencies === 'string') return `optional-dependencies: ${optionalDependencies}`;
  const devDependencies = readGroups(table['dev-dependencies']);
  if (typeof devDependencies === 'string') return `dev-dependencies: ${devDependencies}`;
  const version = optionalString(table, 'version');
  return { name, ...(version !== undefined ? { version } : {}), source, ...(sdist ? { sdist } : {}), wheels, dependencies, optionalDependencies, devDependencies };
}

function readSource(value: unknown): UvSource | string {
  if (!isRecord(value)) return 'has no source table';
  const kind = SOURCE_KINDS.find((key) => typeof value[key] === 'string');
  if (!kind) return `its source ${JSON.stringify(Object.keys(value))} is none of ${SOURCE_KINDS.join(', ')}`;
  const where = value[kind] as string;
  if (kind === 'registry' || kind === 'git') return { kind, url: where };
  if (kind === 'url') {
    const subdirectory = optionalString(value, 'subdirectory');
    return { kind, url: where, ...(subdirectory !== undefined ? { subdirectory } : {}) };
  }
  return { kind, path: where };
}

function readDistFile(value: unknown): UvFile | string {
  if (!isRecord(value)) return 'an entry is not a table';
  const size = value.size;
  if (size !== undefined && (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)) return '"size" is not a whole number';
  const file: Record<string, unknown> = {};
  for (const [key, property] of [['url', 'url'], ['path', 'path'], ['filename', 'filename'], ['hash', 'hash'], ['upload-time', 'uploadTime']] as const) {
    const field = value[key];
    if (field instanceof Date) file[property] = field.toISOString();
    else if (field !== undefined && typeof field !== 'string') return `"${key}" is not a string`;
    else if (field !== undefined) file[property] = field;
  }
  if (typeof size === 'number') file.size = size;
  return file as UvFile;
}

function readDependencies(value: unknown): UvDependency[] | string {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return 'not an array';
  const dependencies: UvDependency[] = [];
  for (const item of value as unknown[]) {
    if (!isRecord(item) || typeof item.name !== 'string') return 'an entry has no name';
    const extras = item.extra === undefined ? [] : item.extra;
    if (!Array.isArray(extras) || !extras.every((extra) => typeof extra === 'string')) return `${item.name}: "extra" is not a list of strings`;
    const version = optionalString(item, 'version');
    const marker = optionalString(item, 'marker');
    dependencies.push({ name: item.name, ...(version !== undefined ? { version } : {}), ...(marker !== undefined ? { marker } : {}), extras: extras as string[] });
  }
  return dependencies;
}

function readGroups(value: unknown): Map<string, UvDependency[]> | string {
  const groups = new Map<string, UvDependency[]>();
  if (value === undefined) return groups;
  if (!isRecord(value)) return 'not a table';
  for (const [group, list] of Object.entries(value)) {
    const dependencies = readDependencies(list);
    if (typeof dependencies === 'string') return `${group}: ${dependencies}`;
    groups.set(group, dependencies);
  }
  return groups;
}
