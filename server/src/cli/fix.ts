// `reqguard fix`: "Pin and hash all" on files, through the code the editor runs (planFixes, then
// applyReplacements). Only the named files are written, never the files they include; a file is
// written only when it changes, atomically, and byte for byte as it was outside the rewritten
// entries. `--dry-run` writes nothing and prints the change as a unified diff.
import { relative, resolve, sep } from 'node:path';
import { fileIndex, planFileFixes } from '../engine/engine';
import { applyReplacements, type TextReplacement } from '../pip/entryEdit';
import type { IndexRuntime } from '../index/runtime';
import { flag, parseArgs, UsageError } from './args';
import { readFile, type CliFile, type CliIo } from './files';
import { HASH_TARGET_OPTIONS, INDEX_OPTIONS, openIndexRuntime, PYTHON_OPTIONS, readIndexOptions, type IndexOptions } from './indexOptions';
import { FileChangedError } from './replaceFile';
import { unifiedDiff } from './unifiedDiff';


const FIX_OPTIONS = {
  '--dry-run': flag,
  '--pin-only': flag,
  '--hash-only': flag,
  ...PYTHON_OPTIONS,
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
  readonly dryRun: boolean;
  readonly pin: boolean;
  readonly hash: boolean;
}

export async function fix(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, FIX_OPTIONS);
  if (args.has('--pin-only') && args.has('--hash-only')) throw new UsageError('--pin-only and --hash-only exclude each other');
  const options = readIndexOptions(args, io);
  if (args.positionals.length === 0) throw new UsageError('fix needs at least one FILE');
  const runtime = openIndexRuntime(options, io);
  // A file named twice is fixed (or diffed) once: a second diff of the same file would not apply.
  const named = new Map<string, string>();
  for (const file of args.positionals) if (!named.has(resolve(io.cwd, file))) named.set(resolve(io.cwd, file), file);
  const run: FixRun = { io, named, options, runtime, dryRun: args.has('--dry-run'), pin: !args.has('--hash-only'), hash: !args.has('--pin-only') };
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
  const file = readFile(name, io, { followIncludes: true });
  if (!file) return 2;
  const { analysis } = file;
  if (analysis.family === 'manifest') {
    io.stderr(`reqguard: ${name}: nothing written: a setup script states the versions a library supports; pins and hashes belong in the application's requirements file\n`);
    return 1;
  }
  // Checked first: no index work for a file that will not be written.
  const onDisk = utf8TextOnDisk(file);
  if (onDisk === undefined) {
    io.stderr(`reqguard: ${name}: nothing written: reqguard writes UTF-8 files only, and this file is not UTF-8 (${file.decodeError ?? 'it declares another encoding'})\n`);
    return 2;
  }
  const plan = await planFileFixes(file, fileIndex(run.runtime, file, options.settings), options.settings, { pin: run.pin, hash: run.hash });
  if (analysis.kind === 'requirements-in') {
    // Every entry is skipped for the same reason: say it once, for the file.
    if (plan.skipped.length === 0) return 0;
    io.stderr(`reqguard: ${name}: nothing written: ${plan.skipped[0].reason}\n`);
    return 1;
  }
  const document = analysis.document;
  for (const { entry, reason } of plan.skipped) io.stderr(`${name}:${document.positionAt(entry.span.start).line + 1}: not fixed: ${reason}\n`);
  const skipped = plan.skipped.length > 0 ? 1 : 0;
  if (plan.replacements.length === 0) {
    if (!run.dryRun) io.stdout(`${name}: nothing to change\n`);
    return skipped;
  }
  // Spans count from the start of the decoded text, which a BOM precedes on disk.
  const bom = onDisk.length - document.getText().length;
  const replacements = plan.replacements.map(({ span, newText }): TextReplacement => ({ span: { start: span.start + bom, end: span.end + bom }, newText }));
  noteIncludes(file, run);
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
  const count = plan.replacements.length;
  io.stdout(`${name}: rewrote ${count} ${count === 1 ? 'entry' : 'entries'}\n`);
  return skipped;
}

/** pip reads the files a fixed file includes as well: say that they are left as they are, unless named too. */
function noteIncludes(file: CliFile, run: FixRun): void {
  const others = (file.includes ?? []).filter((include) => include.status === 'found' && !run.named.has(include.path));
  if (others.length === 0) return;
  const names = others.map((include) => relative(run.io.cwd, include.path) || include.path).join(', ');
  run.io.stderr(`reqguard: ${file.file}: the files it includes are not written: ${names} (name them too to fix them)\n`);
}
