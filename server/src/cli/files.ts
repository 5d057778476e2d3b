// What every command needs from the outside world, and reading one requirements file or manifest
// (setup.py, setup.cfg, pyproject.toml) the way the language server reads an open document.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeFile, type AnalyzedFile, type FileSources } from '../engine/engine';
import type { PythonEnvironments } from '../engine/targets';
import { escapeControlCharacters } from '../features/diagnostics/safeText';
import { diskPathProbe, diskReader } from '../nodeIo';
import { isUnreadFile } from '../parser/documentKinds';
import { decodeRequirementsBytes } from '../parser/pyText';
import { REQUIREMENTS_LANGUAGE_ID } from '../protocol';
import type { ToolInfo } from './manifest';
import type { EnvironmentReader } from '../pip/installed';
import { FileChangedError } from './replaceFile';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readFile: (path: string) => Uint8Array;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Replaces the file at `path` with `content` at once (readers see the old or the new bytes,
   * never a mix), provided it still holds `expected`; throws otherwise.
   */
  readonly replaceFile: (path: string, content: Uint8Array, expected: Uint8Array) => void;
  /** Creates the file at `path` at once; throws when one is already there. */
  readonly createFile: (path: string, content: Uint8Array) => void;
  readonly tool: ToolInfo;
  /** Asks interpreters for target environments. */
  readonly python: PythonEnvironments;
  /** Reads an environment's installed distributions (freeze); default: the disk. */
  readonly environment?: EnvironmentReader;
}

/** A file named on the command line, read from disk and analyzed by the engine. */
export interface CliFile extends AnalyzedFile {
  /** As given on the command line. */
  readonly file: string;
  /** The file as read; `analysis` holds its decoded text. */
  readonly bytes: Uint8Array;
  /** Set when the bytes could not be decoded as pip would (the text is then a lossy best effort). */
  readonly decodeError?: string;
}

/** The engine's sources on this machine: the disk, local paths, the process environment. */
export function diskSources(io: Pick<CliIo, 'env'>): FileSources {
  return { reader: diskReader, pathProbe: diskPathProbe, env: io.env };
}

/** Reads and analyzes a file; undefined (with a message on stderr) when it cannot be read. */
export function readFile(file: string, io: CliIo, options: { followIncludes: boolean }): CliFile | undefined {
  const absolute = resolve(io.cwd, file);
  if (isUnreadFile(absolute)) {
    io.stderr(`reqguard: ${escapeControlCharacters(file)}: not a file reqguard reads: it reads requirements files, setup.py, setup.cfg, pyproject.toml and pylock.toml\n`);
    return undefined;
  }
  let bytes: Uint8Array;
  try {
    bytes = io.readFile(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    io.stderr(`reqguard: cannot read ${escapeControlCharacters(file)}: ${reason}\n`);
    return undefined;
  }
  const decoded = decodeRequirementsBytes(bytes);
  if (decoded.error) io.stderr(`reqguard: ${escapeControlCharacters(file)}: ${decoded.error}\n`);
  const document = TextDocument.create(pathToFileURL(absolute).href, REQUIREMENTS_LANGUAGE_ID, 1, decoded.text);
  const analyzed = analyzeFile(document, absolute, diskSources(io), { onDisk: true, followIncludes: options.followIncludes });
  return { ...analyzed, file, bytes, ...(decoded.error ? { decodeError: decoded.error } : {}) };
}

/** The bytes of an output file that is already there; undefined when there is none (other read errors are thrown). */
export function readExisting(path: string, io: CliIo): Uint8Array | undefined {
  try {
    return io.readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Writes a command's output file: created, or replaced atomically only while it still holds
 * `existing`. A failure is said on stderr (naming `shown` and the command to run again) and gives false.
 */
export function writeOutputFile(io: CliIo, path: string, shown: string, bytes: Uint8Array, existing: Uint8Array | undefined, command: string): boolean {
  try {
    if (existing === undefined) io.createFile(path, bytes);
    else io.replaceFile(path, bytes, existing);
    return true;
  } catch (error) {
    const reason = error instanceof FileChangedError ? `${error.message}; run ${command} again` : (error as Error).message;
    io.stderr(`reqguard: ${escapeControlCharacters(shown)}: nothing written: ${reason}\n`);
    return false;
  }
}
