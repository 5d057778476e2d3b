// The installer a file is checked for (reqguard.installer, --installer): pip of one version, or
// uv. The rules that differ between installers and versions live in one table here, so every
// verdict that depends on them says which installer it is for. No IO: the interpreter's pip
// version comes from pythonEnvironment.ts through its target (TargetEnvironment.pipVersion).
import { compare, valid } from './versions';

export type InstallerKind = 'pip' | 'uv';

/** What the user asked for: `pip`, `pip@26.1`, `uv`, `uv@0.12`. No version: see chooseInstaller. */
export interface InstallerSpec {
  readonly kind: InstallerKind;
  readonly version?: string;
}

/** The installer the verdicts are for. */
export interface InstallerProfile {
  readonly kind: InstallerKind;
  /** A release number: `26.2`, `23.2.1`, `0.12`. */
  readonly version: string;
  /** Why this one, for messages: "reqguard.installer", "the interpreter's pip (python3 on PATH)", "the latest rules reqguard knows". */
  readonly origin: string;
}

/** The newest versions whose rules reqguard knows: the default when nothing tells the version. */
export const LATEST_RULES: Readonly<Record<InstallerKind, string>> = { pip: '26.2', uv: '0.12' };
/** The oldest pip whose rules reqguard follows (its hash-mode verdicts are checked against pip 23.2.1). */
const OLDEST_PIP = '23.0';

const SPEC_PATTERN = /^(pip|uv)(?:@(\d{1,4}(?:\.\d{1,4}){0,2}))?$/;

/** The profile format in words, for error messages and the setting's description. */
export const INSTALLER_FORMAT = '"pip", "pip@26.1" (a pip version), "uv" or "uv@0.12"';

/** Reads `pip`, `pip@26.1`, `uv`, `uv@0.12` (surrounding spaces and case aside); a clear error for anything else. */
export function parseInstallerSpec(text: string): { ok: true; spec: InstallerSpec } | { ok: false; error: string } {
  const match = SPEC_PATTERN.exec(text.trim().toLowerCase());
  if (!match) return { ok: false, error: `"${text}" is not an installer: write ${INSTALLER_FORMAT}` };
  const kind = match[1] as InstallerKind;
  const version = match[2];
  if (kind === 'pip' && version !== undefined && compare(version, OLDEST_PIP) < 0) {
    return { ok: false, error: `pip ${version} is older than reqguard's rules go (pip ${OLDEST_PIP} to ${LATEST_RULES.pip}): upgrade pip, or write "pip@${OLDEST_PIP}"` };
  }
  return { ok: true, spec: version === undefined ? { kind } : { kind, version } };
}

/**
 * The profile: the version asked for; else, for pip, the version of the interpreter's pip when
 * one was asked (`interpreterPip`); else the latest rules reqguard knows.
 */
export function chooseInstaller(spec: InstallerSpec | undefined, origin: string | undefined, interpreterPip?: { readonly version: string; readonly origin: string }): InstallerProfile {
  const kind = spec?.kind ?? 'pip';
  if (spec?.version) return { kind, version: spec.version, origin: origin ?? 'the setting' };
  if (kind === 'pip' && interpreterPip && valid(interpreterPip.version)) return { kind, version: releaseOf(interpreterPip.version), origin: `the interpreter's pip (${interpreterPip.origin})` };
  return { kind, version: LATEST_RULES[kind], origin: 'the latest rules reqguard knows' };
}

/** `26.2.1rc1` → `26.2.1`: the rules change with releases only. */
function releaseOf(version: string): string {
  return /^\d+(?:\.\d+)*/.exec(version)?.[0] ?? version;
}

/** The profile when nothing is known: the latest pip. */
export const LATEST_PIP: InstallerProfile = chooseInstaller(undefined, undefined);

/** "pip 26.2", "uv 0.12". */
export function installerName(profile: InstallerProfile): string {
  return `${profile.kind} ${profile.version}`;
}

/** What a verdict that depends on the installer appends: "(for pip 26.2: the interpreter's pip (python3 on PATH))". */
export function verdictFor(profile: InstallerProfile): string {
  return `(for ${installerName(profile)}: ${profile.origin})`;
}

/**
 * The rules that differ between installers and versions: from which version of each installer
 * one holds (absent: never). Options pip added later say so in parser/pipOptions.ts (`addedIn`:
 * --no-require-hashes 26.2, --all-releases and --only-final 26.0; see knowsOption). The README's
 * rule table follows these.
 */
export const INSTALLER_RULES = {
  /** pip 26.0 release notes: "Remove support for non-bare project names in egg fragments" (pypa/pip#13157); a deprecation warning before. */
  eggFragmentMustBeName: { pip: '26.0' },
  /** pip 26.1 (pypa/pip#9243): an unpinned requirement in hash mode takes == and --hash from a constraint. */
  constraintLendsHashes: { pip: '26.1' },
  /** pip 25.3 removed --global-option and --build-option (deprecated before). */
  buildOptionsRemoved: { pip: '25.3' },
  /**
   * One --hash puts the whole install in hash-checking mode. uv checks the hashes given but
   * requires them of every entry only with --require-hashes (uv's CLI reference,
   * docs.astral.sh/uv/reference/cli/#uv-pip-install--require-hashes: "By default, uv will verify
   * any available hashes in the requirements file, but will not require that all requirements
   * have an associated hash"; uv-configuration HashCheckingMode: Require vs Verify).
   */
  automaticHashMode: { pip: '0' },
  /** uv refuses an entry whose only hashes are MD5 (issue 14's uv rules; pip refuses MD5 in --hash outright). */
  md5OnlyRefused: { uv: '0' },
  /**
   * uv 0.12.0 "Reject unsupported source distribution and wheel archive formats" (astral-sh/uv#18927):
   * sdists must be .tar.gz (or legacy .zip); .tar.bz2 and .tar.xz are rejected.
   */
  legacySdistsRefused: { uv: '0.12' },
} as const satisfies Record<string, Partial<Record<InstallerKind, string>>>;

export type InstallerRule = keyof typeof INSTALLER_RULES;

/** Whether `profile` follows `rule`. */
export function follows(profile: InstallerProfile, rule: InstallerRule): boolean {
  const since = (INSTALLER_RULES[rule] as Partial<Record<InstallerKind, string>>)[profile.kind];
  return since !== undefined && compare(profile.version, since) >= 0;
}

/** Whether `profile` is a pip that knows an option added in pip `addedIn` (uv: taken as known). */
export function knowsOption(profile: InstallerProfile, addedIn: string | undefined): boolean {
  return profile.kind !== 'pip' || addedIn === undefined || compare(profile.version, addedIn) >= 0;
}

/** Source distribution formats uv 0.12 refuses (PEP 625 wants .tar.gz; legacy .zip stays). */
const LEGACY_SDIST = /\.tar\.(bz2|xz)$/i;

/** The archive format of `filename` the installer refuses (`.tar.bz2`), if it refuses it. */
export function refusedArchive(profile: InstallerProfile, filename: string): string | undefined {
  return follows(profile, 'legacySdistsRefused') ? LEGACY_SDIST.exec(filename)?.[0] : undefined;
}
