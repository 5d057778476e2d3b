// Diagnostic codes and the settings shape with its defaults, shared by the extension (client),
// the language server and the CLI: free of `vscode`, LSP and Node-only imports.

/**
 * Every diagnostic code reqguard reports, with its default severity (`off`: reported only when
 * the user gives the code a severity). Codes are stable.
 */
export const DIAGNOSTIC_CODES = {
  unpinned: 'warning',
  unhashed: 'warning',
  'hash-mode-unhashable': 'error',
  'hash-mode-include': 'error',
  'weak-hash': 'error',
  'extra-index-url': 'warning',
  'insecure-index': 'warning',
  'removed-option': 'error',
  duplicate: 'warning',
  syntax: 'error',
  'binary-file': 'error',
  ignored: 'warning',
  deprecated: 'warning',
  'missing-path': 'warning',
  'include-not-found': 'error',
  'exact-pin-in-library': 'information',
  unbounded: 'information',
  'unresolved-install-requires': 'information',
  'dependency-group': 'error',
  // pylock.toml (PEP 751).
  'pylock-invalid': 'error',
  'pylock-version': 'warning',
  'pylock-file-name': 'warning',
  'pylock-environments': 'warning',
  // From the package index (features/indexDiagnostics/).
  'unknown-project': 'error',
  quarantined: 'error',
  'project-status': 'warning',
  'dependency-confusion': 'warning',
  'unknown-version': 'error',
  'no-matching-version': 'error',
  yanked: 'warning',
  'hash-mismatch': 'error',
  vulnerable: 'warning',
  'requires-python': 'warning',
  // Said only when reqguard.minimumReleaseAge is set.
  'too-new': 'warning',
  // Hash mode makes it an error: pip refuses the file.
  'missing-dependency': 'warning',
  'dependency-conflict': 'error',
  'dependencies-unknown': 'information',
  'no-compatible-file': 'warning',
  'index-checks-limited': 'warning',
  // A newer release is news, not a defect: opt-in.
  outdated: 'off',
} as const satisfies Record<string, DefaultSeverity>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
export type Severity = 'error' | 'warning' | 'information' | 'hint';
/** A code's built-in severity: `off` codes are opt-in. */
export type DefaultSeverity = Severity | 'off';
/** A user's choice for one code: a severity, `off`, or `default` (the built-in one). */
export type SeveritySetting = Severity | 'off' | 'default';

export function isDiagnosticCode(code: string): code is DiagnosticCode {
  return Object.prototype.hasOwnProperty.call(DIAGNOSTIC_CODES, code);
}

/** Where packages come from, as the user set it (`reqguard.index.*`). */
export interface IndexSettings {
  /** Replaces pip's configured index (a requirements file's own --index-url still wins, as in pip). */
  readonly url?: string;
  readonly extraUrls?: readonly string[];
  /** The PyPI JSON API base; by default derived from the index URL (…/simple/ → …/pypi/). */
  readonly jsonApiUrl?: string;
  /** Never touch the network: cached data and local indexes only. */
  readonly offline: boolean;
  /** How long index answers are used before asking again. */
  readonly cacheTtlMinutes: number;
  /** Ignore PIP_* variables and pip's user configuration, as `pip --isolated` does. */
  readonly isolated: boolean;
}

/** Network limits (`reqguard.http.*`). Proxy and TLS settings are VS Code's own `http.*`. */
export interface HttpSettings {
  readonly timeoutSeconds: number;
  readonly concurrency: number;
}

/** Where known vulnerabilities come from besides the index's JSON API (`reqguard.vulnerabilities.*`). */
export interface VulnerabilitySettings {
  /** Ask OSV (osv.dev) too. Off by default: it sends project names and versions to a third party. */
  readonly osv: boolean;
  /** OSV's `querybatch` endpoint (a mirror or proxy may stand in for osv.dev). */
  readonly osvUrl: string;
}

/**
 * Which installs written hashes are for (`reqguard.hashes.*`). Empty lists: every file of a
 * release, as pip-compile writes. Narrowed, wheels for other Pythons or platforms are left out
 * (sdists always stay), which keeps files short but makes pip refuse those installs.
 */
export interface HashTargetSettings {
  /** `3.11`, `3`. */
  readonly pythonVersions: readonly string[];
  /** Wheel platform tags or their beginnings: `manylinux`, `win_amd64`, `macosx_11_0_arm64`. */
  readonly platforms: readonly string[];
}

/**
 * One environment a file is installed into, described (`reqguard.targets` items, the CLI's
 * --python-version/--platform/--implementation).
 */
export interface TargetSetting {
  /** `3.11` or `3.11.4`. */
  readonly pythonVersion: string;
  /**
   * A platform tag as pip's `--platform` takes it (`manylinux_2_28_x86_64`, `win_amd64`,
   * `macosx_11_0_arm64`); absent: this machine's platform, as with pip's --python-version.
   */
  readonly platform?: string;
  /** `cpython`/`cp` (the default) or `pypy`/`pp`. */
  readonly implementation?: string;
}

/** Targets one file is checked for: each makes every pick and check that much dearer. */
export const MAX_TARGETS = 16;

/** How much the server writes to the reqguard output channel (`reqguard.log.level`), most severe first. */
export const LOG_LEVELS = ['error', 'warning', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Settings under the `reqguard.` prefix, as the server uses them (after normalisation). */
export interface ReqguardSettings {
  /** Per-code severity overrides. */
  readonly severity: Readonly<Partial<Record<DiagnosticCode, SeveritySetting>>>;
  /**
   * The Python the files are installed for (`3.11`) when no interpreter is found (neither the
   * Python extension's nor python3/python on PATH), for this machine's platform.
   */
  readonly pythonVersion?: string;
  /**
   * A cooldown (`7 days`): pins to releases uploaded more recently are reported (too-new), and
   * the fixes pick the newest release at least this old, as pip's `--uploaded-prior-to P7D` and
   * uv's `exclude-newer` would. Unset: no cooldown.
   */
  readonly minimumReleaseAge?: ReleaseAge;
  /**
   * The installer the verdicts are for (`reqguard.installer`): `pip`, `pip@26.1`, `uv`, `uv@0.12`,
   * as written (pip/installer.ts reads it; a bad value is reported and the default used). Unset:
   * the pip of the interpreter the files are checked for, else the latest rules reqguard knows.
   */
  readonly installer?: string;
  /** The environments the files are deployed to (`reqguard.targets`); when set, they are the targets. */
  readonly targets: readonly TargetSetting[];
  readonly index: IndexSettings;
  readonly http: HttpSettings;
  readonly vulnerabilities: VulnerabilitySettings;
  readonly hashes: HashTargetSettings;
  /** "Pin and hash all" and `reqguard fix`: add the dependencies pip installs that the file does not pin (`reqguard.fix.addMissingDependencies`). */
  readonly fix: { readonly addMissingDependencies: boolean };
  /** Window-wide: the server's log lines below this level are not sent. */
  readonly log: { readonly level: LogLevel };
}

export interface ReleaseAge {
  /** As the user wrote it, for messages. */
  readonly text: string;
  readonly ms: number;
}

const AGE_UNITS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000 };
const AGE_UNIT_NAMES: Record<string, string> = { m: 'minute', min: 'minute', minute: 'minute', h: 'hour', hour: 'hour', d: 'day', day: 'day', w: 'week', week: 'week' };
/** A year: a longer cooldown is surely a typo, and would hide every release. */
const MAX_RELEASE_AGE_MS = 366 * 86_400_000;

/** `7 days`, `12h`, `2 weeks`, `30 minutes`, or pip's `P7D`; undefined for anything else, zero or over a year. */
export function parseReleaseAge(value: unknown): ReleaseAge | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const iso = /^P(\d{1,4})D$/.exec(text);
  const spelled = /^(\d{1,6}(?:\.\d{1,3})?)\s*([a-z]+?)s?$/i.exec(text);
  const unit = spelled ? AGE_UNIT_NAMES[spelled[2].toLowerCase()] : iso ? 'day' : undefined;
  const amount = Number(iso?.[1] ?? spelled?.[1]);
  if (!unit || !(amount > 0)) return undefined;
  const ms = amount * AGE_UNITS[unit];
  return ms <= MAX_RELEASE_AGE_MS ? { text, ms } : undefined;
}

export const DEFAULT_OSV_URL = 'https://api.osv.dev/v1/querybatch';

export const DEFAULT_SETTINGS: ReqguardSettings = {
  severity: {},
  targets: [],
  index: { offline: false, cacheTtlMinutes: 10, isolated: false },
  http: { timeoutSeconds: 10, concurrency: 16 },
  vulnerabilities: { osv: false, osvUrl: DEFAULT_OSV_URL },
  hashes: { pythonVersions: [], platforms: [] },
  fix: { addMissingDependencies: true },
  log: { level: 'info' },
};

const SEVERITY_SETTINGS: readonly string[] = ['error', 'warning', 'information', 'hint', 'off', 'default'];

/** A release number only (`3`, `3.11`, `3.11.4`): what requires-python and wheel tags compare against. */
const PYTHON_VERSION = /^\d+(\.\d+){0,2}$/;
/** A wheel platform tag or its beginning (`manylinux`, `win_amd64`). */
const PLATFORM_TAG = /^[a-z0-9_]+$/;

const nonEmptyString = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
const numberIn = (value: unknown, min: number, max: number, fallback: number): number =>
  typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max ? value : fallback;

/** Turns whatever the client sent into valid settings: unknown keys and bad values are dropped. */
export function normalizeSettings(raw: unknown): ReqguardSettings {
  const root = isRecord(raw) ? raw : {};
  const severity: Partial<Record<DiagnosticCode, SeveritySetting>> = {};
  for (const [code, value] of Object.entries(isRecord(root.severity) ? root.severity : {})) {
    if (isDiagnosticCode(code) && typeof value === 'string' && SEVERITY_SETTINGS.includes(value)) {
      severity[code] = value as SeveritySetting;
    }
  }
  const index = isRecord(root.index) ? root.index : {};
  const http = isRecord(root.http) ? root.http : {};
  const vulnerabilities = isRecord(root.vulnerabilities) ? root.vulnerabilities : {};
  const defaults = DEFAULT_SETTINGS;
  const osvUrl = nonEmptyString(vulnerabilities.osvUrl);
  const hashes = isRecord(root.hashes) ? root.hashes : {};
  const log = isRecord(root.log) ? root.log : {};
  const fix = isRecord(root.fix) ? root.fix : {};
  const pythonVersion = typeof root.pythonVersion === 'string' && PYTHON_VERSION.test(root.pythonVersion.trim()) ? root.pythonVersion.trim() : undefined;
  const minimumReleaseAge = parseReleaseAge(root.minimumReleaseAge);
  const installer = nonEmptyString(root.installer);
  const url = nonEmptyString(index.url);
  const jsonApiUrl = nonEmptyString(index.jsonApiUrl);
  const extraUrls = Array.isArray(index.extraUrls) ? index.extraUrls.map(nonEmptyString).filter((u): u is string => u !== undefined) : [];
  return {
    severity,
    ...(pythonVersion ? { pythonVersion } : {}),
    ...(minimumReleaseAge ? { minimumReleaseAge } : {}),
    ...(installer ? { installer } : {}),
    targets: targetSettings(root.targets),
    index: {
      ...(url ? { url } : {}),
      ...(extraUrls.length ? { extraUrls } : {}),
      ...(jsonApiUrl ? { jsonApiUrl } : {}),
      offline: index.offline === true,
      cacheTtlMinutes: numberIn(index.cacheTtlMinutes, 0, 7 * 24 * 60, defaults.index.cacheTtlMinutes),
      isolated: index.isolated === true,
    },
    http: {
      timeoutSeconds: numberIn(http.timeoutSeconds, 1, 600, defaults.http.timeoutSeconds),
      concurrency: Math.round(numberIn(http.concurrency, 1, 64, defaults.http.concurrency)),
    },
    vulnerabilities: {
      osv: vulnerabilities.osv === true,
      osvUrl: osvUrl && /^https?:\/\//i.test(osvUrl) ? osvUrl : defaults.vulnerabilities.osvUrl,
    },
    hashes: {
      pythonVersions: matchingStrings(hashes.pythonVersions, PYTHON_VERSION),
      platforms: matchingStrings(hashes.platforms, PLATFORM_TAG, (tag) => tag.toLowerCase()),
    },
    fix: { addMissingDependencies: fix.addMissingDependencies !== false },
    log: { level: (LOG_LEVELS as readonly unknown[]).includes(log.level) ? (log.level as LogLevel) : defaults.log.level },
  };
}

/** VS Code's own network settings (`http.proxy`, `http.noProxy`, `http.proxyStrictSSL`), which reqguard honours. */
export interface EditorHttpSettings {
  readonly proxy?: string;
  readonly noProxy: readonly string[];
  /** Application scope in VS Code: a workspace cannot turn TLS verification off. */
  readonly strictSSL: boolean;
}

export function normalizeEditorHttpSettings(raw: unknown): EditorHttpSettings {
  const root = isRecord(raw) ? raw : {};
  const proxy = nonEmptyString(root.proxy);
  const noProxy = Array.isArray(root.noProxy) ? root.noProxy.filter((h): h is string => typeof h === 'string' && h.trim() !== '') : [];
  return { ...(proxy ? { proxy } : {}), noProxy, strictSSL: root.proxyStrictSSL !== false };
}

/**
 * `reqguard.targets` items with a version (whether it names a Python, and the platform a
 * machine, pip/targets.ts says when the target is described); at most MAX_TARGETS.
 */
function targetSettings(value: unknown): TargetSetting[] {
  if (!Array.isArray(value)) return [];
  const targets: TargetSetting[] = [];
  for (const item of value.slice(0, MAX_TARGETS)) {
    if (!isRecord(item)) continue;
    const pythonVersion = nonEmptyString(item.pythonVersion);
    const platform = nonEmptyString(item.platform)?.toLowerCase();
    const implementation = nonEmptyString(item.implementation)?.toLowerCase();
    if (pythonVersion) targets.push({ pythonVersion, ...(platform ? { platform } : {}), ...(implementation ? { implementation } : {}) });
  }
  return targets;
}

/** The distinct strings of a list that match `pattern` (trimmed, then mapped); anything else is dropped. */
function matchingStrings(value: unknown, pattern: RegExp, map: (text: string) => string = (text) => text): string[] {
  if (!Array.isArray(value)) return [];
  const kept = value.flatMap((item) => (typeof item === 'string' && pattern.test(map(item.trim())) ? [map(item.trim())] : []));
  return [...new Set(kept)];
}

/** A plain JSON object (settings, manifests): not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

