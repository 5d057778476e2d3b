// `reqguard fix`: "Pin and hash all" on files, through the code the editor runs (planFixes, then
// applyReplacements). The named files are written, and in hash-checking mode the files they
// include with -r too (pip refuses their unpinned or unhashed entries as well); outside it those
// stay as they are. A file is written only when it changes, atomically, and byte for byte as it
// was outside the rewritten entries. `--dry-run` writes nothing and prints the change as a unified diff.
import { relative, resolve, sep } from 'node:path';
import { fileIndex, planFileFixes, planIncludedFixes, prefetchProjects } from '../engine/engine';
import { applyReplacements, type TextReplacement } from '../pip/entryEdit';
import type { FixPlan } from '../pip/fixPlan';
import { pathBelow, type IncludedFile } from '../pip/includes';
import type { IndexRuntime } from '../index/runtime';
import type { TargetEnvironment } from '../pip/environment';
import { flag, parseArgs, UsageError } from './args';
import { readFile, type CliFile, type CliIo } from './files';
import { COOLDOWN_OPTIONS, HASH_TARGET_OPTIONS, INDEX_OPTIONS, openIndexRuntime, OSV_OPTIONS, readIndexOptions, type IndexOptions } from './indexOptions';
import { FileChangedError } from './replaceFile';
import { readTargetOptions, TARGET_OPTIONS, targetsOrFail } from './targets';
import { cliInstaller, INSTALLER_OPTIONS, readInstallerOption } from './installer';
import { unifiedDiff } from './unifiedDiff';


const FIX_OPTIONS = {
  '--dry-run': flag,
  '--pin-only': flag,
  '--hash-only': flag,
  '--upgrade-vulnerable': flag,
  ...OSV_OPTIONS,
  '--no-add-missing': flag,
  ...COOLDOWN_OPTIONS,
  ...TARGET_OPTIONS,
  ...INSTALLER_OPTIONS,
  ...HASH_TARGET_OPTIONS,
  ...INDEX_OPTIONS,
};

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

interface FixRun {
  readonly io: CliIo;
  /** The files named on the command line: absolute path → the name as given. */
  readonly named: ReadonlyMap<string, string>;
  readonly options: IndexOptions;
  readonly runtime: IndexRuntime;
  /** Still being asked of the interpreters while the first file's pages are fetched; undefined: a named target failed (exit 2). */
  readonly targets: Promise<readonly TargetEnvironment[] | undefined>;
  /** --installer as given (checked); the profile follows from it and the targets (else the interpreter's pip). */
  readonly installerOption: string | undefined;
  readonly dryRun: boolean;
  readonly pin: boolean;
  readonly hash: boolean;
  /** False with --no-add-missing; otherwise the setting's default. */
  readonly addMissing?: false;
  /** Files written (or diffed) so far, named or included: each once. */
  readonly done: Set<string>;
  readonly upgradeVulnerable: boolean;
}

export async function fix(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, FIX_OPTIONS);
  if (args.has('--pin-only') && args.has('--hash-only')) throw new UsageError('--pin-only and --hash-only exclude each other');
  if (args.has('--upgrade-vulnerable') && (args.has('--pin-only') || args.has('--hash-only'))) throw new UsageError('--upgrade-vulnerable changes only vulnerable pins: it excludes --pin-only and --hash-only');
  if (!args.has('--upgrade-vulnerable') && (args.has('--osv') || args.has('--osv-url'))) throw new UsageError('--osv and --osv-url go with --upgrade-vulnerable');
  const options = readIndexOptions(args, io);
  const targetOptions = readTargetOptions(args);
  const installerOption = readInstallerOption(args);
  if (args.positionals.length === 0) throw new UsageError('fix needs at least one FILE');
  // Asking an interpreter for its environment takes a Python start (0.1–0.5 s); the project pages
  // do not depend on it, so they are fetched meanwhile (fixFile).
  const targets = targetsOrFail(targetOptions, io);
  const runtime = openIndexRuntime(options, io);
  // A file named twice is fixed (or diffed) once: a second diff of the same file would not apply.
  const named = new Map<string, string>();
  for (const file of args.positionals) if (!named.has(resolve(io.cwd, file))) named.set(resolve(io.cwd, file), file);
  const upgradeVulnerable = args.has('--upgrade-vulnerable');
  const run: FixRun = { io, named, options, runtime, targets, installerOption, dryRun: args.has('--dry-run'), pin: !upgradeVulnerable && !args.has('--hash-only'), hash: !upgradeVulnerable && !args.has('--pin-only'), upgradeVulnerable, ...(args.has('--no-add-missing') ? { addMissing: false as const } : {}), done: new Set() };
  let status = 0;
  try {
    for (const file of named.values()) status = Math.max(status, await fixFile(file, run));
  } finally {
    await runtime.close();
  }
  return status;
}

/**
 * The file's text as it is on disk: the decoded text, after the UTF-8 BOM the decoder dropped.
 * Undefined when the file is not UTF-8 (another encoding, or bytes that do not decode): writing
 * it back as UTF-8 would change bytes outside the edits.
 */
function utf8TextOnDisk(file: CliFile): string | undefined {
  const bom = UTF8_BOM.equals(file.bytes.subarray(0, UTF8_BOM.length)) ? '\uFEFF' : '';
  const text = bom + file.analysis.document.getText();
  return file.decodeError === undefined && Buffer.from(text, 'utf8').equals(file.bytes) ? text : undefined;
}

/** The path in diff headers: relative to the working folder, with '/' (what patch -p1 and git apply expect). */
function diffLabel(file: CliFile, cwd: string): string {
  const path = relative(cwd, file.path);
  return path.startsWith('..') || path === '' ? file.file : path.split(sep).join('/');
}

async function fixFile(name: string, run: FixRun): Promise<number> {
  const { io, options } = run;
  // Already written (or diffed) as a file an earlier one includes.
  if (run.done.has(resolve(io.cwd, name))) return 0;
  const file = readFile(name, io, { followIncludes: true });
  if (!file) return 2;
  const { analysis } = file;
  if (analysis.family === 'manifest') {
    io.stderr(`reqguard: ${name}: nothing written: a library manifest states the versions a library supports; pins and hashes belong in the application's requirements file\n`);
    return 1;
  }
  if (analysis.family === 'lock') {
    io.stderr(`reqguard: ${name}: nothing written: a lock file is regenerated by the tool that wrote it (pip lock), not fixed entry by entry; its stale hashes have a "Refresh hashes" quick fix in the editor\n`);
    return 1;
  }
  // Checked first: no index work for a file that will not be written.
  const onDisk = utf8TextOnDisk(file);
  if (onDisk === undefined) {
    io.stderr(`reqguard: ${name}: nothing written: ${notUtf8(file)}\n`);
    return 2;
  }
  const index = fileIndex(run.runtime, file, options.settings);
  const prefetch = new AbortController();
  // "Pin and hash all" looks every entry up; --pin-only and --hash-only skip some, so nothing is asked ahead.
  if (run.pin && run.hash) prefetchProjects(file, index, prefetch.signal);
  const targets = await run.targets;
  if (!targets) {
    prefetch.abort();
    return 2;
  }
  const context = { index, settings: options.settings, targets, runtime: run.runtime, installer: cliInstaller(run.installerOption, targets) };
  const wanted = { pin: run.pin, hash: run.hash, upgradeVulnerable: run.upgradeVulnerable };
  const [plan, included] = await Promise.all([planFileFixes(file, context, { ...wanted, addMissing: run.addMissing }), planIncludedFixes(file, context, wanted)]);
  run.done.add(file.path);
  let status = writeFixes({ name, file, onDisk }, plan, run, true);
  for (const { include, plan: includePlan } of included) {
    if (run.done.has(include.path)) continue;
    run.done.add(include.path);
    status = Math.max(status, writeIncludedFixes(include, includePlan, run));
  }
  if (included.length === 0 && plan.replacements.length > 0) noteIncludes(file, run);
  return status;
}

/** A file to write: its name as said in messages, as read, and its text as on disk (BOM included). */
interface FixTarget {
  readonly name: string;
  readonly file: CliFile;
  readonly onDisk: string;
}

function notUtf8(file: CliFile): string {
  return `reqguard writes UTF-8 files only, and this file is not UTF-8 (${file.decodeError ?? 'it declares another encoding'})`;
}

/**
 * A file the fixed one includes, planned from the text read with the includes: read again for its
 * bytes, and written only when that text has not changed meanwhile.
 */
function writeIncludedFixes(include: IncludedFile, plan: FixPlan, run: FixRun): number {
  const name = pathBelow(run.io.cwd, include.path);
  if (plan.replacements.length === 0 && plan.skipped.length === 0) return 0;
  const file = readFile(include.path, run.io, { followIncludes: false });
  if (!file) return 2;
  const onDisk = utf8TextOnDisk(file);
  if (onDisk === undefined) {
    run.io.stderr(`reqguard: ${name}: nothing written: ${notUtf8(file)}\n`);
    return 2;
  }
  if (file.analysis.document.getText() !== include.document!.text) {
    run.io.stderr(`reqguard: ${name}: nothing written: the file changed while reqguard was working on it; run fix again\n`);
    return 2;
  }
  return writeFixes({ name, file, onDisk }, plan, run, false);
}

/**
 * Reports what could not be fixed and writes (or diffs) the rest. `named`: the file is on the
 * command line, where "nothing to change" is said too; an included file is listed only when written.
 */
function writeFixes(target: FixTarget, plan: FixPlan, run: FixRun, named: boolean): number {
  const { io } = run;
  const { name, file, onDisk } = target;
  const { analysis } = file;
  if (analysis.kind === 'requirements-in') {
    // Every entry is skipped for the same reason: say it once, for the file.
    if (plan.skipped.length === 0) return 0;
    io.stderr(`reqguard: ${name}: nothing written: ${plan.skipped[0].reason}\n`);
    return 1;
  }
  const document = analysis.document;
  for (const { entry, reason } of plan.skipped) io.stderr(`${name}:${document.positionAt(entry.span.start).line + 1}: not fixed: ${reason}\n`);
  if (plan.notCompleted) io.stderr(`${name}: ${plan.notCompleted}\n`);
  const skipped = plan.skipped.length > 0 || plan.notCompleted ? 1 : 0;
  if (plan.replacements.length === 0) {
    if (!run.dryRun && named) io.stdout(`${name}: nothing to change\n`);
    return skipped;
  }
  // Spans count from the start of the decoded text, which a BOM precedes on disk.
  const bom = onDisk.length - document.getText().length;
  const replacements = plan.replacements.map(({ span, newText }): TextReplacement => ({ span: { start: span.start + bom, end: span.end + bom }, newText }));
  if (run.dryRun) {
    io.stdout(unifiedDiff(diffLabel(file, io.cwd), onDisk, replacements));
    return skipped;
  }
  try {
    io.replaceFile(file.path, Buffer.from(applyReplacements(onDisk, replacements), 'utf8'), file.bytes);
  } catch (error) {
    const reason = error instanceof FileChangedError ? `${error.message}; run fix again` : (error as Error).message;
    io.stderr(`reqguard: ${name}: nothing written: ${reason}\n`);
    return 2;
  }
  // A pure insertion adds an entry; every other replacement rewrites one (perhaps with added entries before it).
  const count = plan.replacements.filter(({ span }) => span.end > span.start).length;
  const added = plan.added?.length ? `, added ${plan.added.length} missing ${plan.added.length === 1 ? 'dependency' : 'dependencies'} (${plan.added.map((entry) => `${entry.name}==${entry.version}`).join(', ')})` : '';
  io.stdout(`${name}: rewrote ${count} ${count === 1 ? 'entry' : 'entries'}${added}\n`);
  return skipped;
}

/** Outside hash mode the files a fixed file includes stay as they are: say so, unless they are named too. */
function noteIncludes(file: CliFile, run: FixRun): void {
  const others = (file.includes ?? []).filter((include) => include.status === 'found' && !run.named.has(include.path));
  if (others.length === 0) return;
  const names = others.map((include) => pathBelow(run.io.cwd, include.path)).join(', ');
  run.io.stderr(`reqguard: ${file.file}: the files it includes are not written: ${names} (name them too to fix them)\n`);
}
