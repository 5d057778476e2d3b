// Follows -r/-c includes the way pip does (paths relative to the including file, URLs not
// fetched, cycles stopped), through an injected reader so open editor buffers and tests can
// stand in for the disk. Bounded whatever the files hold: at most MAX_INCLUDED_FILES files,
// MAX_INCLUDE_DEPTH levels and MAX_INCLUDE_BYTES of text are read for one document; past a
// bound the include line says what was not read.
import { dirname, isAbsolute, join, relative } from 'node:path';
import { parseRequirementsFile, reparseRequirementsFile, type RequirementsDocument } from '../parser/requirementsFile';
import type { Span } from '../parser/types';

export interface IncludedFile {
  /** Path (or URL) as pip would open it. */
  readonly path: string;
  /** `unread`: a file reqguard does not read (see `unread`). */
  readonly status: 'found' | 'missing' | 'remote' | 'cycle' | 'unread';
  readonly document?: RequirementsDocument;
  /** How `document` was read: as requirements (`-r`) or as constraints (`-c`). */
  readonly kind?: '-r' | '-c';
  /** The include line in the document that names this file (the first one, for nested includes). */
  readonly includeSpan: Span;
  /** Why a file was not read, for `unread`. */
  readonly unread?: Unreadable;
  /** The reader's stamp of `document`'s file when it was read (see TextReader.stamp). */
  readonly stamp?: string;
}

/** A file that exists but is not read: a directory, a device, a pipe, too large, or past a bound. */
export interface Unreadable {
  /** Completes a sentence about the file: "is a directory: pip cannot open it". */
  readonly reason: string;
  /** Whether pip fails on it too (a directory); otherwise only reqguard's check is incomplete. */
  readonly pipFails: boolean;
}

export interface TextReader {
  /** The file's text; undefined when it does not exist or cannot be opened; why not, when it is not read. */
  read(path: string): string | Unreadable | undefined;
  /**
   * A token that changes whenever the text `read` gives may have (a regular file's inode, size and
   * modification time; an open buffer's version); undefined when there is none: the file is then
   * read every time. An unchanged stamp spares reading an included file again on every keystroke.
   */
  stamp?(path: string): string | undefined;
}

const REMOTE_RE = /^(http|https|file):/i;
/** Files read for one document's includes (pip has no bound; real projects include a handful). */
export const MAX_INCLUDED_FILES = 200;
/** Nesting of includes (pip stops at Python's recursion limit, some hundreds; real projects nest 2 or 3). */
export const MAX_INCLUDE_DEPTH = 32;
/**
 * Text read for one included file, and the text after which no more included files are read:
 * 20 MB is a hundred times the largest real requirements file we know (warehouse's pip-compile
 * output, 190 kB); `-r /dev/zero` or a stray log file stops here.
 */
export const MAX_INCLUDE_BYTES = 20 * 1024 * 1024;
export const MAX_INCLUDE_LABEL = '20 MB';

/** Which bound stops reading the next include, at `depth` (the including file's own depth plus one). */
function boundReached(filesRead: number, charsRead: number, depth: number): string | undefined {
  if (filesRead >= MAX_INCLUDED_FILES) return `reqguard reads at most ${MAX_INCLUDED_FILES} included files for one file`;
  if (charsRead >= MAX_INCLUDE_BYTES) return `the files included before it already hold ${MAX_INCLUDE_LABEL}`;
  if (depth > MAX_INCLUDE_DEPTH) return `it is nested more than ${MAX_INCLUDE_DEPTH} includes deep`;
  return undefined;
}

/** `path` relative to `folder` when it lies below it (how messages and the CLI name files), else as it is. */
export function pathBelow(folder: string, path: string): string {
  const relativePath = relative(folder, path);
  return relativePath && !relativePath.startsWith('..') && !isAbsolute(relativePath) ? relativePath : path;
}

/** The path pip opens for an include target written in `fromFile`. */
export function includeTargetPath(fromFile: string, target: string): string | undefined {
  if (REMOTE_RE.test(target)) return undefined;
  return isAbsolute(target) ? target : join(dirname(fromFile), target);
}

/**
 * The files `document` reaches through -r/-c. `earlier`: the includes of an earlier version of the
 * same document (with the same `env`): a file whose text has not changed is not parsed again.
 */
export function resolveIncludes(
  document: RequirementsDocument,
  filePath: string,
  reader: TextReader,
  env?: Readonly<Record<string, string | undefined>>,
  earlier?: readonly IncludedFile[],
): IncludedFile[] {
  const parsed = new Map<string, IncludedFile>();
  for (const include of earlier ?? []) if (include.document && include.kind) parsed.set(`${include.kind} ${include.path}`, include);
  const parse = (text: string, kind: '-r' | '-c', path: string): RequirementsDocument => {
    const known = parsed.get(`${kind} ${path}`)?.document;
    const options = { env, constraint: kind === '-c' };
    // An included buffer being edited is parsed again only where it changed; an unchanged text not at all.
    return known ? reparseRequirementsFile(known, text, options) : parseRequirementsFile(text, options);
  };
  /** The file's text, or the earlier parse when its stamp says the file has not changed since. */
  const read = (kind: '-r' | '-c', path: string): { text: string | Unreadable | undefined; stamp?: string; unchanged?: RequirementsDocument } => {
    const stamp = reader.stamp?.(path);
    const known = parsed.get(`${kind} ${path}`);
    if (stamp !== undefined && known?.stamp === stamp) return { text: known.document!.text, stamp, unchanged: known.document };
    return { text: reader.read(path), stamp };
  };
  const found: IncludedFile[] = [];
  let filesRead = 0;
  let charsRead = 0;
  /** Set once the files or the text read reach their bound: nested files stop, each later include line is told. */
  let exhausted = false;
  const visit = (doc: RequirementsDocument, path: string, stack: readonly string[], topSpan: Span | undefined): void => {
    for (const entry of doc.entries) {
      if (entry.kind !== 'include' || entry.rejected) continue;
      if (exhausted && topSpan) return;
      const includeSpan = topSpan ?? entry.targetSpan;
      const target = includeTargetPath(path, entry.target);
      if (target === undefined) {
        found.push({ path: entry.target, status: 'remote', includeSpan });
        continue;
      }
      if (stack.includes(target)) {
        found.push({ path: target, status: 'cycle', includeSpan });
        continue;
      }
      const bound = boundReached(filesRead, charsRead, stack.length);
      if (bound) {
        found.push({ path: target, status: 'unread', includeSpan, unread: { reason: `is not read: ${bound}, so what it holds is not checked`, pipFails: false } });
        exhausted = filesRead >= MAX_INCLUDED_FILES || charsRead >= MAX_INCLUDE_BYTES;
        continue;
      }
      const { text, stamp, unchanged } = read(entry.includeKind, target);
      if (text === undefined) {
        found.push({ path: target, status: 'missing', includeSpan });
        continue;
      }
      if (typeof text !== 'string') {
        found.push({ path: target, status: 'unread', includeSpan, unread: text });
        continue;
      }
      filesRead++;
      charsRead += text.length;
      const child = unchanged ?? parse(text, entry.includeKind, target);
      found.push({ path: target, status: 'found', document: child, kind: entry.includeKind, includeSpan, ...(stamp === undefined ? {} : { stamp }) });
      visit(child, target, [...stack, target], includeSpan);
    }
  };
  visit(document, filePath, [filePath], undefined);
  return found;
}
