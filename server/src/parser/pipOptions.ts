// The options pip accepts in a requirements file and Python's optparse rules for reading them
// (long-option abbreviations, `--opt=value`, `-xVALUE`, clustered short options, `--`), so that
// every line is accepted or rejected exactly as pip 26 does.
import { charPosition, type ShlexToken } from './shlex';

export type OptionDest =
  | 'index_url' | 'extra_index_urls' | 'no_index' | 'constraints' | 'requirements' | 'editables'
  | 'find_links' | 'no_binary' | 'only_binary' | 'prefer_binary' | 'require_hashes' | 'no_require_hashes'
  | 'pre' | 'all_releases' | 'only_final' | 'trusted_hosts' | 'features_enabled'
  | 'hashes' | 'config_settings' | 'global_options' | 'build_options';

export interface OptionSpec {
  readonly dest: OptionDest;
  readonly short: readonly string[];
  readonly long: readonly string[];
  readonly takesValue: boolean;
  /** 'file' options act on the whole install; 'requirement' options belong to the line's requirement. */
  readonly scope: 'file' | 'requirement';
  readonly choices?: readonly string[];
  /** Set for options pip no longer accepts: the version that removed them. */
  readonly removedIn?: string;
  /** Set for options older pips do not know: the version that added them (pip/installer.ts judges a file for an older pip). */
  readonly addedIn?: string;
  /** One line saying what the option does (shown on hover). */
  readonly summary: string;
}

export const PIP_OPTIONS: readonly OptionSpec[] = [
  { dest: 'index_url', short: ['-i'], long: ['--index-url', '--pypi-url'], takesValue: true, scope: 'file',
    summary: 'Base URL of the package index (PEP 503 Simple API); replaces the default pypi.org.' },
  { dest: 'extra_index_urls', short: [], long: ['--extra-index-url'], takesValue: true, scope: 'file',
    summary: 'Adds another index searched together with --index-url, with no priority between them.' },
  { dest: 'no_index', short: [], long: ['--no-index'], takesValue: false, scope: 'file',
    summary: 'Ignores every package index; only --find-links locations are used.' },
  { dest: 'constraints', short: ['-c'], long: ['--constraint'], takesValue: true, scope: 'file',
    summary: 'Reads a constraints file: versions it names apply, but nothing is installed because of it.' },
  { dest: 'requirements', short: ['-r'], long: ['--requirement'], takesValue: true, scope: 'file',
    summary: 'Includes another requirements file (a relative path is taken from this file\'s folder).' },
  { dest: 'editables', short: ['-e'], long: ['--editable'], takesValue: true, scope: 'file',
    summary: 'Installs a local project directory or a VCS URL in editable (development) mode.' },
  { dest: 'find_links', short: ['-f'], long: ['--find-links'], takesValue: true, scope: 'file',
    summary: 'Also looks for archives in this directory or on this HTML page of links.' },
  { dest: 'no_binary', short: [], long: ['--no-binary'], takesValue: true, scope: 'file',
    summary: 'Never uses wheels for these projects (comma-separated, :all: or :none:); builds from source.' },
  { dest: 'only_binary', short: [], long: ['--only-binary'], takesValue: true, scope: 'file',
    summary: 'Never uses source distributions for these projects (comma-separated, :all: or :none:).' },
  { dest: 'prefer_binary', short: [], long: ['--prefer-binary'], takesValue: false, scope: 'file',
    summary: 'Prefers an older wheel over a newer source distribution.' },
  { dest: 'require_hashes', short: [], long: ['--require-hashes'], takesValue: false, scope: 'file',
    summary: 'Hash-checking mode: every requirement must be pinned with == and carry --hash.' },
  { dest: 'no_require_hashes', short: [], long: ['--no-require-hashes'], takesValue: false, scope: 'file', addedIn: '26.2',
    summary: 'Turns off the automatic hash-checking mode that one --hash would switch on (pip 26.2+).' },
  { dest: 'pre', short: [], long: ['--pre'], takesValue: false, scope: 'file',
    summary: 'Allows pre-release and development versions to be chosen.' },
  { dest: 'all_releases', short: [], long: ['--all-releases'], takesValue: true, scope: 'file', addedIn: '26.0',
    summary: 'Allows pre-releases for these projects (comma-separated, :all: or :none:; pip 26.0+).' },
  { dest: 'only_final', short: [], long: ['--only-final'], takesValue: true, scope: 'file', addedIn: '26.0',
    summary: 'Allows only final releases for these projects (comma-separated, :all: or :none:; pip 26.0+).' },
  { dest: 'trusted_hosts', short: [], long: ['--trusted-host'], takesValue: true, scope: 'file',
    summary: 'Trusts this host even over plain HTTP or with an invalid certificate.' },
  { dest: 'features_enabled', short: [], long: ['--use-feature'], takesValue: true, scope: 'file',
    choices: ['fast-deps', 'truststore', 'no-binary-enable-wheel-cache', 'inprocess-build-deps'],
    summary: 'Turns on an experimental pip feature.' },
  { dest: 'hashes', short: [], long: ['--hash'], takesValue: true, scope: 'requirement',
    summary: 'Expected hash (algo:hex) of one distribution file; pip refuses any file that matches none.' },
  { dest: 'config_settings', short: ['-C'], long: ['--config-settings'], takesValue: true, scope: 'requirement',
    summary: 'Passes KEY=VALUE to the PEP 517 build backend of this requirement.' },
  { dest: 'global_options', short: [], long: ['--global-option'], takesValue: true, scope: 'requirement',
    removedIn: '25.3', summary: 'Extra arguments to setup.py (removed in pip 25.3; use --config-settings).' },
  { dest: 'build_options', short: [], long: ['--build-option'], takesValue: true, scope: 'requirement',
    removedIn: '25.3', summary: 'Extra arguments to setup.py bdist_wheel (removed in pip 25.3; use --config-settings).' },
];

export const STRONG_HASH_ALGORITHMS = ['sha256', 'sha384', 'sha512'] as const;

/** The hex length of each digest pip accepts. */
export const DIGEST_LENGTHS: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };

const BY_SHORT = new Map<string, OptionSpec>();
const BY_LONG = new Map<string, OptionSpec>();
for (const spec of PIP_OPTIONS) {
  for (const name of spec.short) BY_SHORT.set(name, spec);
  for (const name of spec.long) BY_LONG.set(name, spec);
}
const LONG_NAMES = [...BY_LONG.keys()];

export function findOption(name: string): OptionSpec | undefined {
  return BY_SHORT.get(name) ?? BY_LONG.get(name);
}

/** One option as written on a line. Indexes are into the option string that was shlex-split. */
export interface OptionOccurrence {
  readonly spec: OptionSpec;
  /** The option name as pip resolved it (abbreviations expanded), e.g. `--index-url` or `-i`. */
  readonly name: string;
  readonly nameStart: number;
  readonly nameEnd: number;
  readonly value?: string;
  /** The token holding the value, and where in it the value starts (after `--opt=` or `-x`). */
  readonly valueToken?: ShlexToken;
  readonly valueFrom?: number;
  readonly start: number;
  readonly end: number;
}

export interface OptionError {
  /** optparse's message (what pip prints after "pip: error:"). */
  readonly message: string;
  readonly start: number;
  readonly end: number;
  /** A removed option: pip says "no such option", we say why. */
  readonly removed?: OptionSpec;
}

export interface OptionParse {
  readonly occurrences: OptionOccurrence[];
  /** Positional arguments optparse returns and pip throws away. */
  readonly leftovers: ShlexToken[];
  /** The first error; optparse stops there, and pip rejects the whole line. */
  readonly error?: OptionError;
}

type Match = { spec: OptionSpec; name: string } | { error: string };

function matchLongOption(typed: string): Match {
  const exact = BY_LONG.get(typed);
  if (exact) return { spec: exact, name: typed };
  const candidates = LONG_NAMES.filter((name) => name.startsWith(typed));
  if (candidates.length === 1) return { spec: BY_LONG.get(candidates[0])!, name: candidates[0] };
  if (candidates.length === 0) return { error: `no such option: ${typed}` };
  return { error: `ambiguous option: ${typed} (${candidates.sort().join(', ')}?)` };
}

/** Runs optparse's `parse_args` over shlex tokens with pip's requirements-file option table. */
export function parseOptionTokens(tokens: readonly ShlexToken[]): OptionParse {
  const occurrences: OptionOccurrence[] = [];
  const leftovers: ShlexToken[] = [];
  const fail = (message: string, start: number, end: number, removed?: OptionSpec): OptionParse => ({
    occurrences,
    leftovers,
    error: { message, start, end, removed },
  });

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const text = token.value;
    if (text === '--') {
      for (let rest = i + 1; rest < tokens.length; rest++) leftovers.push(tokens[rest]);
      break;
    }
    if (text.startsWith('--')) {
      const equals = text.indexOf('=');
      const typed = equals < 0 ? text : text.slice(0, equals);
      const nameEnd = charPosition(token, typed.length - 1) + 1;
      const match = matchLongOption(typed);
      if ('error' in match) return fail(match.error, token.start, nameEnd);
      const { spec, name } = match;
      if (spec.removedIn) return fail(`no such option: ${name}`, token.start, nameEnd, spec);
      if (!spec.takesValue) {
        if (equals >= 0) return fail(`${name} option does not take a value`, token.start, token.end);
        occurrences.push({ spec, name, nameStart: token.start, nameEnd, start: token.start, end: token.end });
        continue;
      }
      let valueToken = token;
      let valueFrom = equals + 1;
      let end = token.end;
      if (equals < 0) {
        if (i + 1 >= tokens.length) return fail(`${name} option requires 1 argument`, token.start, token.end);
        valueToken = tokens[++i];
        valueFrom = 0;
        end = valueToken.end;
      }
      const value = valueToken.value.slice(valueFrom);
      occurrences.push({ spec, name, nameStart: token.start, nameEnd, value, valueToken, valueFrom, start: token.start, end });
      continue;
    }
    if (text.startsWith('-') && text.length > 1) {
      for (let j = 1; j < text.length; j++) {
        const name = '-' + text[j];
        const spec = BY_SHORT.get(name);
        const nameStart = charPosition(token, j - 1);
        const nameEnd = charPosition(token, j) + 1;
        if (!spec) return fail(`no such option: ${name}`, nameStart, nameEnd);
        // Every short option pip accepts in a requirements file takes a value.
        let valueToken = token;
        let valueFrom = j + 1;
        let end = token.end;
        if (j + 1 >= text.length) {
          if (i + 1 >= tokens.length) return fail(`${name} option requires 1 argument`, nameStart, token.end);
          valueToken = tokens[++i];
          valueFrom = 0;
          end = valueToken.end;
        }
        const value = valueToken.value.slice(valueFrom);
        occurrences.push({ spec, name, nameStart, nameEnd, value, valueToken, valueFrom, start: nameStart, end });
        break;
      }
      continue;
    }
    leftovers.push(token);
  }
  return { occurrences, leftovers };
}

export interface FormatControl {
  readonly noBinary: Set<string>;
  readonly onlyBinary: Set<string>;
}

/**
 * pip's FormatControl.handle_mutual_excludes: applies one --no-binary/--only-binary value to
 * `target`, removing the same names from `other`. `:all:` and `:none:` reset the sets.
 */
export function applyFormatControl(value: string, target: Set<string>, other: Set<string>, canonicalize: (name: string) => string): void {
  let names = value.split(',');
  while (names.includes(':all:')) {
    other.clear();
    target.clear();
    target.add(':all:');
    names = names.slice(names.indexOf(':all:') + 1);
    if (!names.includes(':none:')) return;
  }
  for (const name of names) {
    if (name === ':none:') {
      target.clear();
      continue;
    }
    const canonical = canonicalize(name);
    other.delete(canonical);
    target.add(canonical);
  }
}
