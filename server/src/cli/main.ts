// The `reqguard` command: the language server's engine on files, for CI and terminals.
//   reqguard check [--format text|json|sarif] [--fail-on error|warning] [options] FILE...
//   reqguard fix [--dry-run] [--pin-only|--hash-only] [options] FILE...
//   reqguard lock [--dry-run] [-o OUTPUT] [--upgrade | --upgrade-package NAME...] [options] FILE.in
//   reqguard show [--json] [-r FILE] [index options] PROJECT...
//   reqguard parse --json FILE
import { readNamedFile } from '../nodeIo';
import { createPythonEnvironments } from '../pythonEnvironment';
import { terminalSafeJson } from '../features/diagnostics/safeText';
import { DEFAULT_SETTINGS } from '../settings';
import { flag, parseArgs, quoted, UsageError } from './args';
import { check, CHECK_USAGE, offlineFindings } from './check';
import { readFile, type CliIo } from './files';
import { fix, FIX_USAGE } from './fix';
import { INDEX_USAGE } from './indexOptions';
import { lock, LOCK_USAGE } from './lock';
import { readToolInfo } from './manifest';
import { describeParse } from './parseJson';
import { createFileAtomically, replaceFileAtomically } from './replaceFile';
import { show } from './show';
import { TARGET_USAGE } from './targets';

export type { CliIo } from './files';

const USAGE = `Usage:
  reqguard check [--format text|json|sarif] [--fail-on error|warning] [--osv] [--osv-url URL]
                 [--minimum-release-age AGE] [--no-index-checks] [target options]
                 [index options] FILE...
  reqguard fix [--dry-run] [--no-add-missing] [--pin-only|--hash-only|--upgrade-vulnerable [--osv] [--osv-url URL]]
               [--hash-python X.Y]... [--hash-platform TAG]... [--minimum-release-age AGE]
               [target options] [index options] FILE...
  reqguard lock [--dry-run] [-o OUTPUT] [-U | -P NAME...] [target options] [index options] FILE.in
  reqguard show [--json] [-r FILE] [target options] [index options] PROJECT...
  reqguard parse --json FILE

${CHECK_USAGE}
${FIX_USAGE}
${LOCK_USAGE}
show    prints the index each PROJECT comes from and its versions there, newest first, with
        yanked ones marked. -r FILE takes the index from that requirements file (its options
        and includes win over --index-url, as in pip). Exit status: 0 when every project was
        found, 1 when one was not (or its index failed), 2 for usage or file errors.
parse   prints what pip reads in a requirements file (or a setup.py, setup.cfg or
        pyproject.toml), as JSON.

${TARGET_USAGE}
${INDEX_USAGE}`;

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      (command === undefined ? io.stderr : io.stdout)(USAGE);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version' || command === '-V') {
      io.stdout(`reqguard ${io.tool.version}\n`);
      return 0;
    }
    if (command === 'check') return await check(rest, io);
    if (command === 'fix') return await fix(rest, io);
    if (command === 'lock') return await lock(rest, io);
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

function parse(argv: readonly string[], io: CliIo): number {
  const args = parseArgs(argv, { '--json': flag });
  if (!args.has('--json')) throw new UsageError('parse prints JSON only: add --json');
  if (args.positionals.length !== 1) throw new UsageError('parse takes exactly one FILE');
  // Includes are read (not listed) for the findings that need them: a missing one, a cycle, hash mode.
  const analyzed = readFile(args.positionals[0], io, { followIncludes: true });
  if (!analyzed) return 2;
  io.stdout(terminalSafeJson(describeParse(analyzed.file, analyzed.path, analyzed.analysis, offlineFindings(analyzed, DEFAULT_SETTINGS))));
  return 0;
}

/** The `reqguard` process: this process's arguments, streams and exit status (server/out/cli.js runs it). */
export function runCliProcess(): void {
  void runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readFile: (path) => readNamedFile(path),
    replaceFile: replaceFileAtomically,
    createFile: createFileAtomically,
    cwd: process.cwd(),
    env: process.env,
    tool: readToolInfo(),
    python: createPythonEnvironments({ env: process.env, cwd: process.cwd() }),
  }).then((status) => {
    process.exitCode = status;
  });
}
