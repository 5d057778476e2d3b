// Follows -r/-c includes the way pip does (paths relative to the including file, URLs not
// fetched, cycles stopped), through an injected reader so open editor buffers and tests can
// stand in for the disk.
import { dirname, isAbsolute, join } from 'node:path';
import { parseRequirementsFile, type RequirementsDocument } from '../parser/requirementsFile';
import type { Span } from '../parser/types';

export interface IncludedFile {
  /** Path (or URL) as pip would open it. */
  readonly path: string;
  readonly status: 'found' | 'missing' | 'remote' | 'cycle';
  readonly document?: RequirementsDocument;
  /** The include line in the document that names this file (the first one, for nested includes). */
  readonly includeSpan: Span;
}

export interface TextReader {
  /** The file's text, or undefined when it cannot be read. */
  read(path: string): string | undefined;
}

const REMOTE_RE = /^(http|https|file):/i;
const MAX_FILES = 200;

/** The path pip opens for an include target written in `fromFile`. */
export function includeTargetPath(fromFile: string, target: string): string | undefined {
  if (REMOTE_RE.test(target)) return undefined;
  return isAbsolute(target) ? target : join(dirname(fromFile), target);
}

export function resolveIncludes(
  document: RequirementsDocument,
  filePath: string,
  reader: TextReader,
  env?: Readonly<Record<string, string | undefined>>,
): IncludedFile[] {
  const found: IncludedFile[] = [];
  const visit = (doc: RequirementsDocument, path: string, stack: string[], topSpan: Span | undefined): void => {
    for (const entry of doc.entries) {
      if (entry.kind !== 'include' || entry.rejected || found.length >= MAX_FILES) continue;
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
      const text = reader.read(target);
      if (text === undefined) {
        found.push({ path: target, status: 'missing', includeSpan });
        continue;
      }
      const child = parseRequirementsFile(text, { env, constraint: entry.includeKind === '-c' });
      found.push({ path: target, status: 'found', document: child, includeSpan });
      visit(child, target, [...stack, target], includeSpan);
    }
  };
  visit(document, filePath, [filePath], undefined);
  return found;
}
