// `reqguard check`: what the language server reports for a file, offline findings and index
// findings alike, through the same engine (offline diagnostics, then index diagnostics against
// the index the file itself installs from).
import type { Diagnostic } from 'vscode-languageserver-types';
import { fileIndex, offlineDiagnostics, onlineDiagnostics } from '../engine/engine';
import type { IndexRuntime } from '../index/runtime';
import type { ReqguardSettings } from '../settings';
import { flag, parseArgs, quoted, UsageError, valued } from './args';
import { formatCheckJson, formatCheckText, toCheckRecords, type CheckRecord } from './checkOutput';
import { readFile, type CliFile, type CliIo } from './files';
import { describeLookups, watchFailures } from './indexFailures';
import { INDEX_OPTIONS, openIndexRuntime, OSV_OPTIONS, PYTHON_OPTIONS, readIndexOptions } from './indexOptions';
import { formatCheckSarif } from './sarif';


const CHECK_OPTIONS = {
  '--format': valued,
  '--fail-on': valued,
  '--no-index-checks': flag,
  ...PYTHON_OPTIONS,
  ...OSV_OPTIONS,
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
  /** Lines for stderr. */
  readonly notices: readonly string[];
  readonly indexFailed: boolean;
}

/** Document order; findings at the same place keep offline before index ones (the sort is stable). */
function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

/** The findings that need no index, in document order: what `check --no-index-checks` prints and `parse --json` lists. */
export function offlineFindings(file: CliFile, settings: ReqguardSettings): Diagnostic[] {
  return offlineDiagnostics(file, settings).sort(byPosition);
}

async function checkFile(file: CliFile, settings: ReqguardSettings, runtime: IndexRuntime | undefined): Promise<FileCheck> {
  const offline = offlineFindings(file, settings);
  if (!runtime) return { diagnostics: offline, notices: [], indexFailed: false };
  const watched = watchFailures(fileIndex(runtime, file, settings));
  const online = await onlineDiagnostics(file, { index: watched.index, settings, runtime });
  return { diagnostics: [...offline, ...online].sort(byPosition), notices: describeLookups(file.file, watched), indexFailed: watched.failures().length > 0 };
}

export async function check(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, CHECK_OPTIONS);
  const format = choice('--format', args.last('--format'), ['text', 'json', 'sarif'], 'text');
  const failOn = choice('--fail-on', args.last('--fail-on'), ['error', 'warning'], 'error');
  // Validated even with --no-index-checks, so scripts can rely on them.
  const options = readIndexOptions(args, io);
  if (args.positionals.length === 0) throw new UsageError('check needs at least one FILE');
  const files = args.positionals.map((file) => readFile(file, io, { followIncludes: true }));
  const readable = files.filter((file): file is CliFile => file !== undefined);
  const runtime = args.has('--no-index-checks') || readable.length === 0 ? undefined : openIndexRuntime(options, io);
  let checks: FileCheck[];
  try {
    // In parallel on one runtime (one cache, one connection pool); output follows the command line's order.
    checks = await Promise.all(readable.map((file) => checkFile(file, options.settings, runtime)));
  } finally {
    // The HTTP pool keeps connections alive; closing it lets the process end.
    await runtime?.close();
  }
  for (const result of checks) result.notices.forEach((line) => io.stderr(line));
  const records: CheckRecord[] = readable.flatMap((file, i) => toCheckRecords(file.file, checks[i].diagnostics));
  io.stdout(format === 'json' ? formatCheckJson(records) : format === 'sarif' ? formatCheckSarif(records, { tool: io.tool, cwd: io.cwd }) : formatCheckText(records, { unreadable: files.length - readable.length, indexIncomplete: checks.filter((result) => result.indexFailed).length }));
  if (readable.length < files.length || checks.some((result) => result.indexFailed)) return 2;
  const failing = failOn === 'warning' ? ['error', 'warning'] : ['error'];
  return records.some((record) => failing.includes(record.severity)) ? 1 : 0;
}
