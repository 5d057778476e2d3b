// The `reqguard` command: the language server's engine on files, for CI and terminals.
//   reqguard check [--format text|json|sarif] [--fail-on error|warning] [options] FILE...
//   reqguard fix [--dry-run] [--pin-only|--hash-only] [options] FILE...
//   reqguard lock [--dry-run] [-o OUTPUT] [--upgrade | --upgrade-package NAME...] [options] FILE.in
//   reqguard freeze [--python PATH] [--all] [-o OUTPUT] [index options]
//   reqguard export --format requirements.txt|pylock.toml [-o OUT] [--dev] [index options] FILE
//   reqguard show [--json] [-r FILE] [index options] PROJECT...
//   reqguard parse --json FILE
import { readNamedFile } from '../nodeIo';
import { createPythonEnvironments } from '../pythonEnvironment';
import { terminalSafeJson } from '../features/diagnostics/safeText';
import { DEFAULT_SETTINGS } from '../settings';
import { flag, parseArgs, quoted, UsageError } from './args';
import { check, offlineFindings } from './check';
import { readFile, type CliIo } from './files';
import { exportCommand } from './export';
import { fix } from './fix';
import { freeze } from './freeze';
import { lock } from './lock';
import { readToolInfo } from './manifest';
import { describeParse } from './parseJson';
import { createFileAtomically, replaceFileAtomically } from './replaceFile';
import { show } from './show';
import { answerWithoutEngine, USAGE } from './usage';

export type { CliIo } from './files';

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const quick = answerWithoutEngine(argv, () => io.tool.version);
    if (quick) {
      io[quick.stream](quick.text);
      return quick.status;
    }
    const [command, ...rest] = argv;
    if (command === 'check') return await check(rest, io);
    if (command === 'fix') return await fix(rest, io);
    if (command === 'lock') return await lock(rest, io);
    if (command === 'freeze') return await freeze(rest, io);
    if (command === 'export') return await exportCommand(rest, io);
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
