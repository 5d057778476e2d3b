// The contract between the extension (client) and the language server: diagnostic codes, the
// settings shape with its defaults, and custom messages. Both sides import this one file, so it
// must stay free of `vscode` and Node-only imports.

/** Every diagnostic code reqguard reports, with its default severity. Codes are stable. */
export const DIAGNOSTIC_CODES = {
  unpinned: 'warning',
  unhashed: 'warning',
  'hash-mode-unhashable': 'error',
  'weak-hash': 'error',
  'extra-index-url': 'warning',
  'insecure-index': 'warning',
  'removed-option': 'error',
  duplicate: 'warning',
  syntax: 'error',
  ignored: 'warning',
  deprecated: 'warning',
  'missing-path': 'warning',
  'include-not-found': 'error',
  'exact-pin-in-library': 'information',
  unbounded: 'information',
  'unresolved-install-requires': 'information',
} as const satisfies Record<string, Severity>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
export type Severity = 'error' | 'warning' | 'information' | 'hint';
/** A user's choice for one code: a severity, `off`, or `default` (the built-in one). */
export type SeveritySetting = Severity | 'off' | 'default';

export function isDiagnosticCode(code: string): code is DiagnosticCode {
  return Object.prototype.hasOwnProperty.call(DIAGNOSTIC_CODES, code);
}

/** Settings under the `reqguard.` prefix, as the server uses them (after normalisation). */
export interface ReqguardSettings {
  /** Per-code severity overrides. */
  readonly severity: Readonly<Partial<Record<DiagnosticCode, SeveritySetting>>>;
}

export const DEFAULT_SETTINGS: ReqguardSettings = {
  severity: {},
};

const SEVERITY_SETTINGS: readonly string[] = ['error', 'warning', 'information', 'hint', 'off', 'default'];

/** Turns whatever the client sent into valid settings: unknown keys and bad values are dropped. */
export function normalizeSettings(raw: unknown): ReqguardSettings {
  const severity: Partial<Record<DiagnosticCode, SeveritySetting>> = {};
  const source = isRecord(raw) && isRecord(raw.severity) ? raw.severity : {};
  for (const [code, value] of Object.entries(source)) {
    if (isDiagnosticCode(code) && typeof value === 'string' && SEVERITY_SETTINGS.includes(value)) {
      severity[code] = value as SeveritySetting;
    }
  }
  return { severity };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The language id reqguard (and ms-python) use for requirements files. */
export const REQUIREMENTS_LANGUAGE_ID = 'pip-requirements';

/** Sent by the client in `initializationOptions`. */
export interface InitializationOptions {
  readonly settings?: unknown;
}
