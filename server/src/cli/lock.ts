// `reqguard lock`: pip-compile's job through engine/lock.ts. The input (requirements.in) is read
// with its includes, resolved for the target(s), and the output written atomically, only when it
// changes; bad input, a conflict or an index failure never touch it. `--dry-run` prints the change
// as a unified diff instead.
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { fileIndex, hashTargetsOf } from '../engine/engine';
import { lockCommand, lockRequirements, prefetchLockRoots } from '../engine/lock';
import { escapeControlCharacters } from '../features/diagnostics/safeText';
import { compiledOutputPath } from '../pip/compiledLayout';
import type { ManifestSelection } from '../pip/manifestRoots';
import { flag, parseArgs, UsageError, valued, type ParsedArgs } from './args';
import { readExisting, readFile, writeOutputFile, type CliIo } from './files';
import { HASH_TARGET_OPTIONS, INDEX_OPTIONS, openIndexRuntime, readIndexOptions } from './indexOptions';
import { readTargetOptions, TARGET_OPTIONS, targetsOrFail } from './targets';
import { lineReplacements } from '../engine/lineDiff';
import { unifiedDiff } from './unifiedDiff';
import { cliInstaller, INSTALLER_OPTIONS, readInstallerOption } from './installer';


const LOCK_OPTIONS = {
  '--output-file': { ...valued, short: '-o' },
  '--dry-run': flag,
  '--upgrade': { ...flag, short: '-U' },
  '--upgrade-package': { ...valued, short: '-P' },
  '--extra': valued,
  '--all-extras': flag,
  '--group': valued,
  '--only-group': valued,
  ...TARGET_OPTIONS,
  ...INSTALLER_OPTIONS,
  ...HASH_TARGET_OPTIONS,
  ...INDEX_OPTIONS,
};

/** A path as files name each other: relative to `folder`, with '/'. */
function pathFrom(folder: string, path: string): string {
  const relativePath = relative(folder, path);
  return relativePath === '' ? basename(path) : relativePath.split(sep).join('/');
}

/** The file's bytes, or undefined when there is none (other read errors throw). */
/** The extras and dependency groups asked for (a manifest's; a requirements file takes none). */
function readSelection(args: ParsedArgs): ManifestSelection {
  const onlyGroups = args.all('--only-group');
  if (onlyGroups.length > 0 && args.all('--group').length > 0) throw new UsageError('use --group or --only-group, not both');
  if (onlyGroups.length > 0 && (args.all('--extra').length > 0 || args.has('--all-extras'))) throw new UsageError('--only-group locks groups alone: it takes no --extra');
  if (args.has('--all-extras') && args.all('--extra').length > 0) throw new UsageError('--all-extras already takes every extra: drop --extra');
  return { extras: args.all('--extra'), allExtras: args.has('--all-extras'), groups: onlyGroups.length > 0 ? onlyGroups : args.all('--group'), onlyGroups: onlyGroups.length > 0 };
}

export async function lock(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, LOCK_OPTIONS);
  const options = readIndexOptions(args, io);
  const installerOption = readInstallerOption(args);
  if (args.positionals.length !== 1) throw new UsageError('lock takes exactly one input FILE');
  if (args.all('--output-file').length > 1) throw new UsageError('lock writes one --output-file');
  const [input] = args.positionals;
  const output = args.last('--output-file') ?? compiledOutputPath(input);
  if (output === undefined) throw new UsageError(`name the output with -o: ${escapeControlCharacters(input)} does not end in .in and is not a pyproject.toml, setup.cfg or setup.py`);
  const selection = readSelection(args);
  const inputPath = resolve(io.cwd, input);
  const outputPath = resolve(io.cwd, output);
  if (inputPath === outputPath) throw new UsageError('the output would overwrite the input');
  // The interpreters are asked while the files are read (starting a Python takes a while).
  const asked = targetsOrFail(readTargetOptions(args), io);
  const file = readFile(input, io, { followIncludes: true });
  if (!file) return 2;
  if (file.decodeError) {
    io.stderr(`reqguard: ${escapeControlCharacters(input)}: nothing locked: ${file.decodeError}\n`);
    return 2;
  }
  let existingBytes: Uint8Array | undefined;
  try {
    existingBytes = readExisting(outputPath, io);
  } catch (error) {
    io.stderr(`reqguard: cannot read ${escapeControlCharacters(output)}: ${(error as Error).message}\n`);
    return 2;
  }
  const existing = existingBytes === undefined ? undefined : new TextDecoder('utf-8', { fatal: false }).decode(existingBytes);
  const outputFolder = dirname(outputPath);
  const label = (path: string) => pathFrom(outputFolder, path);
  const runtime = openIndexRuntime(options, io);
  try {
    const index = fileIndex(runtime, file, options.settings);
    // The roots' pages are asked for while the interpreters still answer.
    prefetchLockRoots({ file, selection, label }, index);
    const targets = await asked;
    if (!targets) return 2;
    if (targets.length === 0) {
      io.stderr('reqguard: no target environment to lock for: python3 and python are not on PATH; name one with --python PATH, or describe one with --python-version and --platform\n');
      return 2;
    }
    const regenerate = [pathFrom(io.cwd, inputPath), '-o', pathFrom(io.cwd, outputPath)];
    for (const name of ['--extra', '--group', '--only-group', '--python', '--python-version', '--platform', '--implementation', '--installer', '--hash-python', '--hash-platform']) for (const value of args.all(name)) regenerate.push(name, value);
    if (selection.allExtras) regenerate.push('--all-extras');
    const upgrade = args.has('--upgrade') ? 'all' : args.all('--upgrade-package');
    const result = await lockRequirements(
      { file, selection, label, existingOutput: existing, command: lockCommand(regenerate), targets, upgrade },
      { index, hashTargets: hashTargetsOf({ settings: options.settings, installer: cliInstaller(installerOption, targets) }) },
    );
    if (result.kind !== 'locked') {
      const where = result.kind === 'conflict' && result.target ? ` (for ${result.target})` : '';
      io.stderr(`reqguard: ${escapeControlCharacters(input)}: nothing locked${where}: ${result.message}\n`);
      return result.kind === 'conflict' ? 1 : 2;
    }
    for (const note of result.notes) io.stderr(`reqguard: note: ${note}\n`);
    if (result.text === existing) {
      if (!args.has('--dry-run')) io.stdout(`${output}: up to date (${result.packages} packages)\n`);
      return 0;
    }
    if (args.has('--dry-run')) {
      io.stdout(unifiedDiff(pathFrom(io.cwd, outputPath), existing ?? '', lineReplacements(existing ?? '', result.text)));
      return 0;
    }
    const bytes = Buffer.from(result.text, 'utf8');
    if (!writeOutputFile(io, outputPath, output, bytes, existingBytes, 'lock')) return 2;
    io.stdout(`${output}: locked ${result.packages} packages\n`);
    return 0;
  } finally {
    await runtime.close();
  }
}
