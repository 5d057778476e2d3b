// The options that configure the engine (index, OSV, hash targets), validated up
// front so a typo is a usage error (exit 2) rather than a silent fallback to a default, and the
// index runtime they configure. Each command accepts the groups it uses; the settings are built
// from whichever were given, through the same normalizeSettings the editor's settings go through.
import { resolve } from 'node:path';
import { createIndexRuntime, defaultCacheDir, type IndexRuntime } from '../index/runtime';
import { normalizeSettings, type ReqguardSettings } from '../settings';
import { flag, quoted, UsageError, valued, type OptionSpecs, type ParsedArgs } from './args';
import type { CliIo } from './files';

export const INDEX_OPTIONS: OptionSpecs = {
  '--index-url': valued,
  '--extra-index-url': valued,
  '--isolated': flag,
  '--offline': flag,
  '--cache-dir': valued,
  '--no-cache': flag,
  '--timeout': valued,
};


export const OSV_OPTIONS: OptionSpecs = { '--osv': flag, '--osv-url': valued };
/** The cooldown (check: too-new; fix: the newest release at least this old). */
export const COOLDOWN_OPTIONS: OptionSpecs = { '--minimum-release-age': valued };
export const HASH_TARGET_OPTIONS: OptionSpecs = { '--hash-python': valued, '--hash-platform': valued };

export interface IndexOptions {
  readonly settings: ReqguardSettings;
  /** Undefined with --no-cache. */
  readonly cacheDir?: string;
}

const TIMEOUT_RANGE = { min: 1, max: 600 };

function indexUrl(option: string, value: string): string {
  // The value itself is not echoed: it may carry a password.
  const protocol = URL.canParse(value) ? new URL(value).protocol : undefined;
  if (protocol !== 'http:' && protocol !== 'https:' && protocol !== 'file:') throw new UsageError(`${option} needs an http(s) or file: URL`);
  return value;
}

function timeoutSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(seconds) || seconds < TIMEOUT_RANGE.min || seconds > TIMEOUT_RANGE.max) {
    throw new UsageError(`--timeout must be a number of seconds from ${TIMEOUT_RANGE.min} to ${TIMEOUT_RANGE.max}, not ${quoted(value)}`);
  }
  return seconds;
}

/**
 * Values normalizeSettings would drop are usage errors here: `kept` says whether one value
 * survives normalisation on its own, so the rule for a valid value lives in protocol.ts only.
 */
function requireValid(option: string, values: readonly string[], kept: (value: string) => boolean, expected: string): void {
  const invalid = values.find((value) => !kept(value));
  if (invalid !== undefined) throw new UsageError(`${option} must be ${expected}, not ${quoted(invalid)}`);
}

export function readIndexOptions(args: ParsedArgs, io: Pick<CliIo, 'cwd' | 'env'>): IndexOptions {
  const url = args.last('--index-url');
  const cacheDir = args.last('--cache-dir');
  if (cacheDir !== undefined && args.has('--no-cache')) throw new UsageError('--cache-dir and --no-cache exclude each other');
  if (cacheDir === '') throw new UsageError('--cache-dir needs a folder');
  const minimumReleaseAge = args.last('--minimum-release-age');
  const osvUrl = args.last('--osv-url');
  const hashPythons = args.all('--hash-python');
  const hashPlatforms = args.all('--hash-platform');
  requireValid('--minimum-release-age', minimumReleaseAge === undefined ? [] : [minimumReleaseAge], (value) => normalizeSettings({ minimumReleaseAge: value }).minimumReleaseAge !== undefined, 'an age such as "7 days", "12 hours" or P7D (at most a year)');
  requireValid('--osv-url', osvUrl === undefined ? [] : [osvUrl], (value) => normalizeSettings({ vulnerabilities: { osvUrl: value } }).vulnerabilities.osvUrl === value.trim(), 'an http(s) URL');
  requireValid('--hash-python', hashPythons, (value) => normalizeSettings({ hashes: { pythonVersions: [value] } }).hashes.pythonVersions.length === 1, 'a Python version such as 3.11');
  requireValid('--hash-platform', hashPlatforms, (value) => normalizeSettings({ hashes: { platforms: [value] } }).hashes.platforms.length === 1, 'a wheel platform tag or its beginning, such as manylinux or win_amd64');
  // The flags play the editor settings' part: pip's configuration is below them, the file's own options above.
  const settings = normalizeSettings({
    minimumReleaseAge,
    index: {
      url: url === undefined ? undefined : indexUrl('--index-url', url),
      extraUrls: args.all('--extra-index-url').map((extra) => indexUrl('--extra-index-url', extra)),
      offline: args.has('--offline'),
      isolated: args.has('--isolated'),
    },
    http: { timeoutSeconds: timeoutSeconds(args.last('--timeout')) },
    // Naming an OSV endpoint is opting in to OSV.
    vulnerabilities: { osv: args.has('--osv') || osvUrl !== undefined, osvUrl },
    hashes: { pythonVersions: hashPythons, platforms: hashPlatforms },
  });
  if (args.has('--no-cache')) return { settings };
  return { settings, cacheDir: cacheDir === undefined ? defaultCacheDir(io.env) : resolve(io.cwd, cacheDir) };
}

export function openIndexRuntime(options: IndexOptions, io: Pick<CliIo, 'env' | 'tool'>): IndexRuntime {
  // No editor proxy settings: HTTPS_PROXY/NO_PROXY from the environment apply, as for pip.
  return createIndexRuntime({
    settings: options.settings,
    env: io.env,
    cacheDir: options.cacheDir,
    userAgent: `reqguard/${io.tool.version} (cli; node ${process.version})`,
    settingsLabels: { indexUrl: '--index-url on the command line', extraIndexUrls: '--extra-index-url on the command line' },
  });
}
