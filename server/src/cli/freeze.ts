// `reqguard freeze`: the packages installed for one interpreter (--python, else the Python on PATH)
// written as a pinned and hashed requirements file (engine/freeze.ts), to stdout or to -o FILE
// (written atomically, only when it changes). The interpreter runs once, to print its sys.path; the
// distributions are read from there (pip/installed.ts). What cannot be pinned and hashed from the
// index is listed in the file's comments and on stderr, and makes the exit status 1.
import { relative, resolve, sep } from 'node:path';
import { settingsIndex } from '../engine/documentIndex';
import { hashTargetsOf } from '../engine/engine';
import { freezeEnvironment, leftOutComment, readEnvironment } from '../engine/freeze';
import { reqguardCommand } from '../engine/lock';
import { escapeControlCharacters } from '../features/diagnostics/safeText';
import { diskEnvironmentReader } from '../nodeIo';
import { flag, parseArgs, UsageError, valued } from './args';
import { readExisting, writeOutputFile, type CliIo } from './files';
import { HASH_TARGET_OPTIONS, INDEX_OPTIONS, openIndexRuntime, readIndexOptions } from './indexOptions';
import { cliInstaller, INSTALLER_OPTIONS, readInstallerOption } from './installer';

const FREEZE_OPTIONS = {
  '--python': valued,
  '--all': flag,
  '--output-file': { ...valued, short: '-o' },
  ...INSTALLER_OPTIONS,
  ...HASH_TARGET_OPTIONS,
  ...INDEX_OPTIONS,
};

export async function freeze(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, FREEZE_OPTIONS);
  const options = readIndexOptions(args, io);
  const installerOption = readInstallerOption(args);
  if (args.positionals.length > 0) throw new UsageError('freeze takes no FILE: name the output with -o');
  if (args.all('--python').length > 1) throw new UsageError('freeze reads one environment: give --python once');
  if (args.all('--output-file').length > 1) throw new UsageError('freeze writes one --output-file');
  const given = args.last('--python');
  if (given !== undefined && given.trim() === '') throw new UsageError('--python needs the path of an interpreter');
  const read = await readEnvironment(io.python, io.environment ?? diskEnvironmentReader, given);
  if ('error' in read) {
    io.stderr(`reqguard: ${escapeControlCharacters(read.error)}\n`);
    return 2;
  }
  const { target, scan } = read;
  for (const problem of scan.problems) io.stderr(`reqguard: note: ${escapeControlCharacters(problem)}\n`);

  const output = args.last('--output-file');
  const outputPath = output === undefined ? undefined : resolve(io.cwd, output);
  let existing: Uint8Array | undefined;
  try {
    existing = outputPath === undefined ? undefined : readExisting(outputPath, io);
  } catch (error) {
    io.stderr(`reqguard: cannot read ${escapeControlCharacters(output!)}: ${(error as Error).message}\n`);
    return 2;
  }
  const regenerate = ['freeze', ...(given ? ['--python', given] : []), ...(args.has('--all') ? ['--all'] : [])];
  if (outputPath !== undefined) regenerate.push('-o', relative(io.cwd, outputPath).split(sep).join('/'));
  for (const name of ['--installer', '--hash-python', '--hash-platform']) for (const value of args.all(name)) regenerate.push(name, value);
  const runtime = openIndexRuntime(options, io);
  try {
    const result = await freezeEnvironment(
      { distributions: scan.distributions, target, all: args.has('--all'), command: reqguardCommand(regenerate) },
      { index: settingsIndex(runtime, options.settings.index), hashTargets: hashTargetsOf({ settings: options.settings, installer: cliInstaller(installerOption, [target]) }) },
    );
    if (result.kind !== 'frozen') {
      io.stderr(`reqguard: nothing written: ${escapeControlCharacters(result.message)}\n`);
      return 2;
    }
    for (const item of result.leftOut) io.stderr(`reqguard: left out ${leftOutComment(item).slice(2)}\n`);
    const status = result.leftOut.length > 0 ? 1 : 0;
    if (outputPath === undefined) {
      io.stdout(result.text);
      return status;
    }
    const bytes = Buffer.from(result.text, 'utf8');
    if (existing !== undefined && Buffer.from(existing).equals(bytes)) {
      io.stdout(`${output}: up to date (${result.packages} packages)\n`);
      return status;
    }
    if (!writeOutputFile(io, outputPath, output!, bytes, existing, 'freeze')) return 2;
    io.stdout(`${output}: ${result.packages} packages pinned and hashed${result.leftOut.length ? `, ${result.leftOut.length} left out (listed above)` : ''}\n`);
    return status;
  } finally {
    await runtime.close();
  }
}
