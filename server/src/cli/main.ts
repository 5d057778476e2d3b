// The `reqguard` command: the language server's engine on files, for CI and terminals.
//   reqguard check [--format text|json] [--fail-on error|warning] [index options] FILE...
//   reqguard show [--json] [-r FILE] [index options] PROJECT...
//   reqguard parse --json FILE
import { readFileSync } from 'node:fs';
import { computeDiagnostics } from '../features/diagnostics';
import { diskPathProbe, packageVersion } from '../nodeIo';
import { DEFAULT_SETTINGS } from '../protocol';
import { flag, parseArgs, quoted, UsageError, valued } from './args';
import { formatCheckJson, formatCheckText, toCheckRecords, type CheckRecord } from './checkOutput';
import { analyzeFile, type CliIo } from './files';
import { INDEX_OPTIONS, INDEX_USAGE, readIndexOptions } from './indexOptions';
import { describeParse } from './parseJson';
import { show } from './show';

export type { CliIo } from './files';

const USAGE = `Usage:
  reqguard check [--format text|json] [--fail-on error|warning] [index options] FILE...
  reqguard show [--json] [-r FILE] [index options] PROJECT...
  reqguard parse --json FILE

check   reports unpinned and unhashed requirements, pip syntax errors and unsafe index settings
        in requirements files and setup.py. Exit status: 0 when nothing reaches --fail-on
        (default: error), 1 when something does, 2 for usage or file errors.
show    prints the index each PROJECT comes from and its versions there, newest first, with
        yanked ones marked. -r FILE takes the index from that requirements file (its options
        and includes win over --index-url, as in pip). Exit status: 0 when every project was
        found, 1 when one was not (or its index failed), 2 for usage or file errors.
parse   prints what pip reads in a requirements file (or setup.py), as JSON.

${INDEX_USAGE}`;

const CHECK_OPTIONS = { '--format': valued, '--fail-on': valued, ...INDEX_OPTIONS };

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      (command === undefined ? io.stderr : io.stdout)(USAGE);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version' || command === '-V') {
      io.stdout(`reqguard ${io.version}\n`);
      return 0;
    }
    if (command === 'check') return check(rest, io);
    if (command === 'show') return await show(rest, io);
    if (command === 'parse') return parse(rest, io);
    throw new UsageError(`unknown command ${quoted(command)}`);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`reqguard: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    io.stderr(`reqguard: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}

function choice<T extends string>(option: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${option} must be ${allowed.join(' or ')}, not ${quoted(value)}`);
  return value as T;
}

function check(argv: readonly string[], io: CliIo): number {
  const args = parseArgs(argv, CHECK_OPTIONS);
  const format = choice('--format', args.last('--format'), ['text', 'json'], 'text');
  const failOn = choice('--fail-on', args.last('--fail-on'), ['error', 'warning'], 'error');
  // Validated now so scripts can rely on them; check does not ask indexes yet.
  readIndexOptions(args, io);
  if (args.positionals.length === 0) throw new UsageError('check needs at least one FILE');
  const records: CheckRecord[] = [];
  let ioFailed = false;
  for (const file of args.positionals) {
    const analyzed = analyzeFile(file, io, { followIncludes: true });
    if (!analyzed) {
      ioFailed = true;
      continue;
    }
    const diagnostics = computeDiagnostics(analyzed.analysis, DEFAULT_SETTINGS, { includes: analyzed.includes, paths: diskPathProbe(analyzed.absolute) });
    records.push(...toCheckRecords(file, diagnostics));
  }
  io.stdout(format === 'json' ? formatCheckJson(records) : formatCheckText(records));
  if (ioFailed) return 2;
  const failing = failOn === 'warning' ? ['error', 'warning'] : ['error'];
  return records.some((record) => failing.includes(record.severity)) ? 1 : 0;
}

function parse(argv: readonly string[], io: CliIo): number {
  const args = parseArgs(argv, { '--json': flag });
  if (!args.has('--json')) throw new UsageError('parse prints JSON only: add --json');
  if (args.positionals.length !== 1) throw new UsageError('parse takes exactly one FILE');
  const analyzed = analyzeFile(args.positionals[0], io, { followIncludes: false });
  if (!analyzed) return 2;
  io.stdout(JSON.stringify(describeParse(analyzed.file, analyzed.absolute, analyzed.analysis), null, 2) + '\n');
  return 0;
}

if (require.main === module) {
  void runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readFile: (path) => readFileSync(path),
    cwd: process.cwd(),
    env: process.env,
    version: packageVersion(),
  }).then((status) => {
    process.exitCode = status;
  });
}
