// `reqguard export FILE --format requirements.txt|pylock.toml [-o OUT] [--dev]`: a hashed
// requirements file, Pipfile.lock, uv.lock or pylock.toml as either format, losing no package, version,
// marker, extra or hash (pip/lockedPackages.ts reads, pip/exportWriters.ts writes). A pylock
// needs each file's name, URL and size, which only the index knows (engine/export.ts); a
// requirements.txt needs no network at all. What cannot carry over is an error naming the entry
// (exit 1) and nothing is written.
import { basename, resolve } from 'node:path';
import { fileIndex } from '../engine/engine';
import { settingsIndex } from '../engine/documentIndex';
import { withIndexFiles } from '../engine/export';
import { escapeControlCharacters } from '../features/diagnostics/safeText';
import type { PackageIndex } from '../index/packageIndex';
import { writePylock, writeRequirements } from '../pip/exportWriters';
import { lockedFromPipfileLock, lockedFromPylock, lockedFromRequirements, lockedFromUvLock, type LockedReading, type LockedSet } from '../pip/lockedPackages';
import { readPipfileLock } from '../parser/pipfileLock';
import { isValidPylockFileName, readPylock } from '../parser/pylock';
import { decodeRequirementsBytes } from '../parser/pyText';
import { optionValues, type RequirementEntry } from '../parser/requirementsFile';
import { readUvLock } from '../parser/uvLock';
import { flag, parseArgs, quoted, UsageError, valued } from './args';
import { readExisting, readFile, writeOutputFile, type CliFile, type CliIo } from './files';
import { PYPI_SIMPLE_URL } from '../index/indexSelection';
import { INDEX_OPTIONS, openIndexRuntime, readIndexOptions, type IndexOptions } from './indexOptions';

const EXPORT_OPTIONS = {
  '--format': valued,
  '--output-file': { ...valued, short: '-o' },
  '--dev': flag,
  ...INDEX_OPTIONS,
};

const FORMATS = ['requirements.txt', 'pylock.toml'] as const;
type ExportFormat = (typeof FORMATS)[number];

type InputKind = 'pipfile-lock' | 'uv-lock' | 'pylock' | 'requirements';

function inputKind(path: string): InputKind {
  const name = basename(path);
  if (name === 'Pipfile.lock') return 'pipfile-lock';
  if (name === 'uv.lock') return 'uv-lock';
  if (isValidPylockFileName(name)) return 'pylock';
  return 'requirements';
}

/** What was read: the locked set, or the errors that name what cannot be exported. */
type Input = { readonly reading: LockedReading; readonly file?: CliFile };

function readInput(input: string, kind: InputKind, dev: boolean, io: CliIo): Input | undefined {
  if (dev && (kind === 'requirements' || kind === 'pylock')) throw new UsageError('--dev is for Pipfile.lock and uv.lock (the input has no dev section of its own)');
  if (kind === 'requirements') {
    const file = readFile(input, io, { followIncludes: false });
    // A file that is not UTF-8 is read lossily: its hashes and names cannot be trusted to carry over.
    if (!file || file.decodeError) return undefined;
    if (file.analysis.family !== 'requirements') {
      io.stderr(`reqguard: ${escapeControlCharacters(input)}: export reads requirements files, Pipfile.lock, uv.lock and pylock.toml, not ${file.analysis.kind}\n`);
      return undefined;
    }
    const { parsed } = file.analysis;
    const includes = parsed.entries.filter((entry) => entry.kind === 'include');
    if (includes.length > 0) {
      const errors = includes.map((entry) => `line ${entry.line}: ${entry.text}: export reads one file; export the file it includes on its own`);
      return { reading: { ok: false, errors }, file };
    }
    const entries = parsed.entries.filter((entry): entry is RequirementEntry => entry.kind === 'requirement');
    // pip keeps the last --index-url (PyPI when there is none) and every --extra-index-url.
    const indexUrl = parsed.entries.flatMap((entry) => optionValues(entry, 'index_url')).at(-1) ?? PYPI_SIMPLE_URL;
    const indexUrls = [indexUrl, ...parsed.entries.flatMap((entry) => optionValues(entry, 'extra_index_urls'))];
    return { reading: lockedFromRequirements(entries, basename(input), indexUrls), file };
  }
  let bytes: Uint8Array;
  try {
    bytes = io.readFile(resolve(io.cwd, input));
  } catch (error) {
    io.stderr(`reqguard: cannot read ${escapeControlCharacters(input)}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}\n`);
    return undefined;
  }
  const decoded = decodeRequirementsBytes(bytes);
  if (decoded.error) {
    io.stderr(`reqguard: ${escapeControlCharacters(input)}: ${decoded.error}\n`);
    return undefined;
  }
  if (kind === 'pipfile-lock') return { reading: lockedFromPipfileLock(readPipfileLock(decoded.text), { dev }) };
  if (kind === 'pylock') return { reading: lockedFromPylock(readPylock(decoded.text), basename(input)) };
  return { reading: lockedFromUvLock(readUvLock(decoded.text), { dev }) };
}

/** The index the files are looked up on: --index-url, else the input's own, else pip's configuration. */
function exportIndex(runtime: ReturnType<typeof openIndexRuntime>, options: IndexOptions, input: Input, indexUrls: readonly string[]): PackageIndex {
  if (input.file) return fileIndex(runtime, input.file, options.settings);
  const [primary, ...extra] = indexUrls;
  const settings = options.settings.index.url !== undefined || primary === undefined ? options.settings.index : { ...options.settings.index, url: primary, extraUrls: [...extra, ...(options.settings.index.extraUrls ?? [])] };
  return settingsIndex(runtime, settings);
}

export async function exportCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, EXPORT_OPTIONS);
  const options = readIndexOptions(args, io);
  if (args.positionals.length !== 1) throw new UsageError('export takes exactly one FILE');
  const format = args.last('--format');
  if (format === undefined) throw new UsageError(`export needs --format ${FORMATS.join('|')}`);
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be ${FORMATS.join(' or ')}, not ${quoted(format)}`);
  if (args.all('--output-file').length > 1) throw new UsageError('export writes one --output-file');
  const [input] = args.positionals;
  const output = args.last('--output-file');
  if (output !== undefined && format === 'pylock.toml' && !isValidPylockFileName(basename(output))) {
    throw new UsageError(`a pylock file is named pylock.toml or pylock.NAME.toml (PEP 751), not ${quoted(basename(output))}`);
  }
  if (output !== undefined && resolve(io.cwd, output) === resolve(io.cwd, input)) throw new UsageError('the output would overwrite the input');
  const read = readInput(input, inputKind(input), args.has('--dev'), io);
  if (!read) return 2;
  if (!read.reading.ok) return failed(input, read.reading.errors, io);
  let set = read.reading.set;
  if (format === 'pylock.toml' && set.packages.some((item) => item.source.kind === 'index' && item.files.length === 0)) {
    // What a pylock cannot hold whatever the index says is said before asking it.
    const direct = writePylock({ ...set, packages: set.packages.filter((item) => item.source.kind !== 'index') });
    if (!direct.ok) return failed(input, direct.errors, io);
    const runtime = openIndexRuntime(options, io);
    try {
      const found = await withIndexFiles(set, exportIndex(runtime, options, read, set.indexUrls));
      if (!found.ok) return failed(input, found.errors, io);
      set = found.set;
    } finally {
      await runtime.close();
    }
  }
  const written = writeOutput(set, format as ExportFormat, input, output);
  if (!written.ok) return failed(input, written.errors, io);
  for (const note of [...set.notes, ...written.notes]) io.stderr(`reqguard: note: ${escapeControlCharacters(note)}\n`);
  if (output === undefined) {
    io.stdout(written.text);
    return 0;
  }
  return save(output, written.text, set.packages.length, io);
}

function writeOutput(set: LockedSet, format: ExportFormat, input: string, output: string | undefined) {
  if (format === 'pylock.toml') return writePylock(set);
  // The names as given, on comment lines: a line break in one would end the comment.
  const oneLine = (text: string) => text.replace(/[\r\n]/g, '?');
  return writeRequirements(set, ['#', `# This file is generated by reqguard export from ${oneLine(basename(input))}. To update it, run:`, '#', `#    reqguard export ${oneLine(input)} --format requirements.txt${output ? ` -o ${oneLine(output)}` : ''}`, '#']);
}

function failed(input: string, errors: readonly string[], io: CliIo): number {
  io.stderr(`reqguard: ${escapeControlCharacters(input)}: nothing exported:\n${errors.map((error) => `  ${escapeControlCharacters(error)}\n`).join('')}`);
  return 1;
}

function save(output: string, text: string, count: number, io: CliIo): number {
  const path = resolve(io.cwd, output);
  const bytes = Buffer.from(text, 'utf8');
  let existing: Uint8Array | undefined;
  try {
    existing = readExisting(path, io);
  } catch (error) {
    io.stderr(`reqguard: ${escapeControlCharacters(output)}: nothing written: ${(error as Error).message}\n`);
    return 2;
  }
  if (!writeOutputFile(io, path, output, bytes, existing, 'export')) return 2;
  io.stdout(`${output}: exported ${count} packages\n`);
  return 0;
}
