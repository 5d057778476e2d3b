// `reqguard check`: what the language server reports for a file, offline findings and index
// findings alike, through the same engine (offline diagnostics, then index diagnostics against
// the index the file itself installs from, for the target environments).
import type { Diagnostic } from 'vscode-languageserver-types';
import { fileIndex, includedDiagnostics, offlineDiagnostics, onlineDiagnostics } from '../engine/engine';
import { withIncludersDiagnostics, type IncludedFileDiagnostics } from '../features/diagnostics';
import { pathBelow } from '../pip/includes';
import type { IndexRuntime } from '../index/runtime';
import type { TargetEnvironment } from '../pip/environment';
import { targetLine } from '../pip/targets';
import type { ReqguardSettings } from '../settings';
import { flag, parseArgs, quoted, UsageError, valued } from './args';
import { formatCheckJson, formatCheckText, toCheckRecords, type CheckRecord } from './checkOutput';
import { readFile, type CliFile, type CliIo } from './files';
import { describeLookups, watchFailures } from './indexFailures';
import { COOLDOWN_OPTIONS, INDEX_OPTIONS, openIndexRuntime, OSV_OPTIONS, readIndexOptions } from './indexOptions';
import { formatCheckSarif } from './sarif';
import { readTargetOptions, TARGET_OPTIONS, targetsOrFail } from './targets';
import { cliInstaller, INSTALLER_OPTIONS, readInstallerOption } from './installer';
import type { InstallerProfile } from '../pip/installer';


const CHECK_OPTIONS = {
  '--format': valued,
  '--fail-on': valued,
  '--no-index-checks': flag,
  ...TARGET_OPTIONS,
  ...INSTALLER_OPTIONS,
  ...OSV_OPTIONS,
  ...COOLDOWN_OPTIONS,
  ...INDEX_OPTIONS,
};

function choice<T extends string>(option: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${option} must be ${allowed.join(' or ')}, not ${quoted(value)}`);
  return value as T;
}

/** A file's diagnostics, and what to tell about its index lookups. */
interface FileCheck {
  readonly diagnostics: readonly Diagnostic[];
  /** What the file puts in the files it includes (hash mode). */
  readonly included: readonly IncludedFileDiagnostics[];
  /** Lines for stderr. */
  readonly notices: readonly string[];
  readonly indexFailed: boolean;
}

/** Document order; findings at the same place keep offline before index ones (the sort is stable). */
function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

/** The findings that need no index, in document order: what `check --no-index-checks` prints and `parse --json` lists. */
export function offlineFindings(file: CliFile, settings: ReqguardSettings, installer?: InstallerProfile): Diagnostic[] {
  return offlineDiagnostics(file, settings, installer).sort(byPosition);
}

async function checkFile(file: CliFile, settings: ReqguardSettings, installer: InstallerProfile, index: { readonly runtime: IndexRuntime; readonly targets: readonly TargetEnvironment[] } | undefined): Promise<FileCheck> {
  const offline = offlineFindings(file, settings, installer);
  const included = includedDiagnostics(file, settings, undefined, installer);
  if (!index) return { diagnostics: offline, included, notices: [], indexFailed: false };
  const { runtime, targets } = index;
  const watched = watchFailures(fileIndex(runtime, file, settings));
  const online = await onlineDiagnostics(file, { index: watched.index, settings, targets, runtime });
  return { diagnostics: [...offline, ...online].sort(byPosition), included, notices: describeLookups(file.file, watched), indexFailed: watched.failures().length > 0 };
}

/**
 * Each file's records, then those it puts in the files it includes (hash mode) under their paths
 * (relative to the working folder when below it): once for a file included twice, and with its
 * own records for a file also named on the command line.
 */
function checkRecords(files: readonly CliFile[], checks: readonly FileCheck[], cwd: string): CheckRecord[] {
  const fromIncluders = new Map<string, Diagnostic[]>();
  for (const { included } of checks) for (const { path, diagnostics } of included) fromIncluders.set(path, [...(fromIncluders.get(path) ?? []), ...diagnostics]);
  // Included files not named on the command line, each after the first file that includes it.
  const listed = new Set(files.map((file) => file.path));
  const firstTime = (path: string): boolean => {
    if (listed.has(path)) return false;
    listed.add(path);
    return true;
  };
  const merged = (own: readonly Diagnostic[], path: string) => withIncludersDiagnostics(own, fromIncluders.get(path) ?? []).sort(byPosition);
  return files.flatMap((file, i) => [
    ...toCheckRecords(file.file, merged(checks[i].diagnostics, file.path)),
    ...checks[i].included.filter(({ path }) => firstTime(path)).flatMap(({ path }) => toCheckRecords(pathBelow(cwd, path), merged([], path))),
  ]);
}

export async function check(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, CHECK_OPTIONS);
  const format = choice('--format', args.last('--format'), ['text', 'json', 'sarif'], 'text');
  const failOn = choice('--fail-on', args.last('--fail-on'), ['error', 'warning'], 'error');
  // Validated even with --no-index-checks, so scripts can rely on them.
  const options = readIndexOptions(args, io);
  const targetOptions = readTargetOptions(args);
  const installerOption = readInstallerOption(args);
  if (args.positionals.length === 0) throw new UsageError('check needs at least one FILE');
  const files = args.positionals.map((file) => readFile(file, io, { followIncludes: true }));
  const readable = files.filter((file): file is CliFile => file !== undefined);
  const indexChecks = !args.has('--no-index-checks') && readable.length > 0;
  // Targets matter to the index checks only: without them no interpreter is asked.
  const targets = indexChecks ? await targetsOrFail(targetOptions, io) : [];
  if (!targets) return 2;
  const runtime = indexChecks ? openIndexRuntime(options, io) : undefined;
  let checks: FileCheck[];
  try {
    // In parallel on one runtime (one cache, one connection pool); output follows the command line's order.
    const installer = cliInstaller(installerOption, targets);
    checks = await Promise.all(readable.map((file) => checkFile(file, options.settings, installer, runtime && { runtime, targets })));
  } finally {
    // The HTTP pool keeps connections alive; closing it lets the process end.
    await runtime?.close();
  }
  for (const result of checks) result.notices.forEach((line) => io.stderr(line));
  const records = checkRecords(readable, checks, io.cwd);
  const header = targets.map((target) => `Target: ${targetLine(target)}\n`).join('');
  io.stdout(format === 'json' ? formatCheckJson(records) : format === 'sarif' ? formatCheckSarif(records, { tool: io.tool, cwd: io.cwd }) : header + formatCheckText(records, { unreadable: files.length - readable.length, indexIncomplete: checks.filter((result) => result.indexFailed).length }));
  if (readable.length < files.length || checks.some((result) => result.indexFailed)) return 2;
  const failing = failOn === 'warning' ? ['error', 'warning'] : ['error'];
  return records.some((record) => failing.includes(record.severity)) ? 1 : 0;
}
