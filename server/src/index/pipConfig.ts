// pip's own configuration, as far as it chooses indexes: which pip.conf files it reads, in what
// order, and how PIP_* variables override them (pip/_internal/configuration.py and
// cli/parser.py `_update_defaults`). Pure: the caller reads the files and passes their text.
// Ours: npm's ini parsers do not read as Python's RawConfigParser does (`key: value`, continuation lines).
import { posix } from 'node:path';

export type ConfigKind = 'global' | 'user' | 'site' | 'env-file';

export interface ConfigFileRef {
  readonly kind: ConfigKind;
  readonly path: string;
}

export interface ConfigFileText extends ConfigFileRef {
  /** The file's text, or undefined when it does not exist. */
  readonly text: string | undefined;
}

export interface PipEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly home: string;
  /** pip --isolated: no user configuration, no PIP_* variables (PIP_CONFIG_FILE still counts, as in pip). */
  readonly isolated?: boolean;
  /** Whether the file named by PIP_CONFIG_FILE exists (pip then skips the user files). */
  readonly envFileExists?: boolean;
}

const DEV_NULL = '/dev/null';

/**
 * The configuration files pip reads on Linux and macOS, lowest priority first:
 * site_config_dirs (XDG_CONFIG_DIRS, /etc/xdg) and /etc, then ~/.pip and the XDG user file,
 * then the PIP_CONFIG_FILE file. (The virtualenv's own pip.conf depends on the interpreter and
 * is not known here.)
 */
export function pipConfigFiles(environment: PipEnvironment): ConfigFileRef[] {
  const { env, home } = environment;
  const configFile = env.PIP_CONFIG_FILE;
  if (configFile === DEV_NULL) return [];
  const files: ConfigFileRef[] = [];
  const xdgDirs = (env.XDG_CONFIG_DIRS || '/etc/xdg').split(':').filter(Boolean);
  for (const dir of xdgDirs) files.push({ kind: 'global', path: posix.join(dir, 'pip', 'pip.conf') });
  files.push({ kind: 'global', path: '/etc/pip.conf' });
  const loadUser = !environment.isolated && !(configFile && environment.envFileExists);
  if (loadUser) {
    files.push({ kind: 'user', path: posix.join(home, '.pip', 'pip.conf') });
    files.push({ kind: 'user', path: posix.join(env.XDG_CONFIG_HOME || posix.join(home, '.config'), 'pip', 'pip.conf') });
  }
  if (configFile) files.push({ kind: 'env-file', path: configFile });
  return files;
}

/** RawConfigParser's reading: [sections], `key = value` or `key: value`, indented continuation lines. */
export function parseIni(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  let lastKey: string | undefined;
  for (const rawLine of text.split(/\r\n|\r|\n/)) {
    const trimmed = rawLine.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) {
      if (trimmed === '') lastKey = undefined;
      continue;
    }
    if (/^\s/.test(rawLine) && current && lastKey !== undefined) {
      current.set(lastKey, `${current.get(lastKey)}\n${trimmed}`);
      continue;
    }
    const section = /^\[([^\]]+)\]/.exec(trimmed);
    if (section) {
      current = sections.get(section[1]) ?? new Map();
      sections.set(section[1], current);
      lastKey = undefined;
      continue;
    }
    const option = optionOf(trimmed);
    if (option && current) {
      lastKey = option.key.toLowerCase();
      current.set(lastKey, option.value);
    }
  }
  return sections;
}

/**
 * `key = value` or `key: value` (RawConfigParser's OPTCRE: the key runs to the first delimiter,
 * blanks around it dropped), on a line with no blanks at either end. By hand: the regular
 * expression `^([^=:]+?)\s*[=:]\s*(.*)$` tried every length of the key and scanned the blanks
 * after each, quadratic on a long run of blanks with no delimiter (40,000 took 3.8 s).
 */
function optionOf(line: string): { key: string; value: string } | undefined {
  const delimiter = line.search(/[=:]/);
  if (delimiter <= 0) return undefined;
  return { key: line.slice(0, delimiter).trimEnd(), value: line.slice(delimiter + 1).trimStart() };
}

/** Where a value came from, for the hover and the status bar. */
export interface ValueOrigin {
  readonly kind: ConfigKind | 'env-var';
  /** The file, or the variable name. */
  readonly where: string;
}

export interface PipIndexConfig {
  readonly indexUrl?: { readonly value: string; readonly origin: ValueOrigin };
  readonly extraIndexUrls?: { readonly value: readonly string[]; readonly origin: ValueOrigin };
  readonly findLinks?: { readonly value: readonly string[]; readonly origin: ValueOrigin };
  readonly noIndex?: { readonly value: boolean; readonly origin: ValueOrigin };
  /** pip's `pre`: pre-releases are candidates like final releases. */
  readonly pre?: { readonly value: boolean; readonly origin: ValueOrigin };
  /** pip's `cert`: a CA bundle to trust for index connections. */
  readonly cert?: { readonly value: string; readonly origin: ValueOrigin };
}

const KEYS = ['index-url', 'extra-index-url', 'find-links', 'no-index', 'pre', 'cert'] as const;
type Key = (typeof KEYS)[number];

function normalizeName(name: string): string {
  const lower = name.toLowerCase().replace(/_/g, '-');
  return lower.startsWith('--') ? lower.slice(2) : lower;
}

/**
 * pip's effective index options for `pip install`: files in load order (later wins per key), then
 * within that, section `[global]` < `[install]` < PIP_* variables.
 */
export function resolvePipIndexConfig(files: readonly ConfigFileText[], environment: PipEnvironment): PipIndexConfig {
  // section.key → value and origin, later files overriding earlier ones (pip's OVERRIDE_ORDER).
  const merged = new Map<string, { value: string; origin: ValueOrigin }>();
  for (const file of files) {
    if (file.text === undefined) continue;
    for (const [section, options] of parseIni(file.text)) {
      for (const [key, value] of options) merged.set(`${section}.${normalizeName(key)}`, { value, origin: { kind: file.kind, where: file.path } });
    }
  }
  if (!environment.isolated) {
    for (const [name, value] of Object.entries(environment.env)) {
      if (!name.startsWith('PIP_') || value === undefined) continue;
      merged.set(`:env:.${normalizeName(name.slice(4))}`, { value, origin: { kind: 'env-var', where: name } });
    }
  }
  const pick = (key: Key) => merged.get(`:env:.${key}`) ?? merged.get(`install.${key}`) ?? merged.get(`global.${key}`);
  const result: { -readonly [K in keyof PipIndexConfig]: PipIndexConfig[K] } = {};
  const index = pick('index-url');
  if (index) result.indexUrl = { value: index.value.trim(), origin: index.origin };
  const extra = pick('extra-index-url');
  if (extra) result.extraIndexUrls = { value: extra.value.split(/\s+/).filter(Boolean), origin: extra.origin };
  const links = pick('find-links');
  if (links) result.findLinks = { value: links.value.split(/\s+/).filter(Boolean), origin: links.origin };
  // pip reads a flag's config value with strtobool.
  const flag = (key: Key) => {
    const found = pick(key);
    return found && { value: /^(y|yes|t|true|on|1)$/i.test(found.value.trim()), origin: found.origin };
  };
  const noIndex = flag('no-index');
  if (noIndex) result.noIndex = noIndex;
  const pre = flag('pre');
  if (pre) result.pre = pre;
  const cert = pick('cert');
  if (cert && cert.value.trim()) result.cert = { value: cert.value.trim(), origin: cert.origin };
  return result;
}
