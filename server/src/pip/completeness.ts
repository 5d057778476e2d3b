// Complete files: whether a requirements file (with its -r includes and -c constraints) names
// every package pip will install, and the new entries that complete it. pip installs the
// dependencies of every requirement too; in hash-checking mode it refuses the install unless each
// of them is pinned with == and hashed in the files (pip 26.1+ also takes both from a hashed -c
// constraint, its factory lending the constraint's hash options to any requirement of the project).
// The resolver decides what pip installs; this module compares that with what the files say.
// Pure apart from the index, which comes through ResolverIndex.
import { canonicalizeName } from '../parser/pep508';
import type { RequirementEntry, RequirementsDocument } from '../parser/requirementsFile';
import type { Span } from '../parser/types';
import { compareEntryNames, formatCompiledEntry, type CompiledEntry } from './compiledLayout';
import type { TextReplacement } from './entryEdit';
import { constraintHashesOf, hashModeOf } from './hashMode';
import type { IncludedFile } from './includes';
import { isPinned } from './pinning';
import type { TargetEnvironment } from './environment';
import { resolve, type ResolvedPackage, type Resolution, type ResolverIndex, type RootRequirement } from './resolver';

/** What the resolver is given for a file: its requirements and constraints, and which projects the files name. */
export interface DependencyInputs {
  /** Named requirements of the file and of its -r includes (direct references are not resolved). */
  readonly roots: readonly RootRequirement[];
  /** Named entries of the -c files. */
  readonly constraints: readonly RootRequirement[];
  /** Projects a requirement names (any form, URLs too): pip takes them from the files, not from a dependency. */
  readonly named: ReadonlySet<string>;
  /** Projects a -c file pins (`==`), and those whose hashes pip 26.1+ lends in hash mode. */
  readonly pinnedByConstraint: ReadonlySet<string>;
  readonly hashedByConstraint: ReadonlySet<string>;
}

function usable(entry: RequirementEntry): boolean {
  return !entry.rejected && !!entry.name && !!entry.normalizedName;
}

function rootOf(entry: RequirementEntry, file: string): RootRequirement {
  return { requirement: { name: entry.name!, specifiers: [...entry.specifiers], marker: entry.marker, url: entry.url, extras: entry.extras }, origin: { file, line: entry.line } };
}

/** The named, index-resolvable requirement (not editable, not a URL or path). */
function resolvable(entry: RequirementEntry): boolean {
  return entry.form === 'named' && !entry.url && !entry.editable;
}

/** The set pip reads for `document` (at `path`): the file, every -r file, every -c file. */
export function dependencyInputs(document: RequirementsDocument, path: string, includes: readonly IncludedFile[] = []): DependencyInputs {
  const roots: RootRequirement[] = [];
  const constraints: RootRequirement[] = [];
  const named = new Set<string>();
  const pinnedByConstraint = new Set<string>();
  const files = [{ document, path, kind: '-r' as const }, ...includes.flatMap((include) => (include.document && include.kind ? [{ document: include.document, path: include.path, kind: include.kind }] : []))];
  for (const file of files) {
    for (const entry of file.document.entries) {
      if (entry.kind !== 'requirement' || !usable(entry)) continue;
      if (file.kind === '-c') {
        if (resolvable(entry)) constraints.push(rootOf(entry, file.path));
        if (isPinned(entry)) pinnedByConstraint.add(entry.normalizedName!);
        continue;
      }
      named.add(entry.normalizedName!);
      if (resolvable(entry)) roots.push(rootOf(entry, file.path));
    }
  }
  return { roots, constraints, named, pinnedByConstraint, hashedByConstraint: new Set(constraintHashesOf(includes).keys()) };
}

/**
 * Whether pip takes `project` from the files rather than floating: a requirement names it, or a
 * constraint settles it (in hash mode only one with hashes, which pip 26.1+ lends; pinned otherwise).
 */
export function presentInFiles(inputs: DependencyInputs, project: string, hashMode: boolean): boolean {
  return inputs.named.has(project) || (hashMode ? inputs.hashedByConstraint : inputs.pinnedByConstraint).has(project);
}

/** A package pip installs that no file names, with who needs it. */
export interface MissingPackage {
  readonly package: ResolvedPackage;
  /** The packages that require it (normalized names), with the requirement as each one states it. */
  readonly requiredBy: readonly { readonly name: string; readonly version: string; readonly requirement: string }[];
}

/** The resolved packages the files do not name, sorted by name. */
export function missingPackages(packages: readonly ResolvedPackage[], inputs: DependencyInputs, hashMode: boolean): MissingPackage[] {
  const missing: MissingPackage[] = [];
  for (const resolved of packages) {
    if (presentInFiles(inputs, resolved.name, hashMode)) continue;
    const requiredBy = resolved.requiredBy.flatMap((requester) => (requester.kind === 'package' ? [{ name: requester.name, version: requester.version, requirement: requester.requirement }] : []));
    missing.push({ package: resolved, requiredBy });
  }
  return missing.sort((a, b) => compareEntryNames(a.package.name, b.package.name));
}

/**
 * The top-level projects each missing package comes from (through other missing packages), so
 * a diagnostic sits on the entry that brings it in: `named` projects, each with the missing packages
 * it needs directly and those further down.
 */
export function missingByRequester(missing: readonly MissingPackage[]): Map<string, { direct: MissingPackage[]; deeper: MissingPackage[] }> {
  const byName = new Map(missing.map((item) => [item.package.name, item]));
  const result = new Map<string, { direct: MissingPackage[]; deeper: MissingPackage[] }>();
  const slot = (name: string) => result.get(name) ?? result.set(name, { direct: [], deeper: [] }).get(name)!;
  for (const item of missing) {
    // Walk up through missing parents to the packages the files name (bounded: each name once).
    const seen = new Set<string>([item.package.name]);
    const queue = [...item.requiredBy.map((requester) => requester.name)];
    for (const parent of item.requiredBy) if (!byName.has(parent.name)) slot(parent.name).direct.push(item);
    while (queue.length) {
      const name = queue.pop()!;
      if (seen.has(name)) continue;
      seen.add(name);
      const parent = byName.get(name);
      if (!parent) {
        if (!item.requiredBy.some((requester) => requester.name === name)) slot(name).deeper.push(item);
        continue;
      }
      queue.push(...parent.requiredBy.map((requester) => requester.name));
    }
  }
  return result;
}

/** What resolving the file's set gave: the packages the files lack, or why there is no answer. */
export type FileResolution =
  | { readonly kind: 'resolved'; readonly missing: readonly MissingPackage[]; readonly inputs: DependencyInputs; readonly hashMode: boolean }
  | { readonly kind: 'unresolved'; readonly resolution: Exclude<Resolution, { kind: 'resolved' }>; readonly inputs: DependencyInputs };

export interface FileSet {
  /** The file's parse, or the text a fix will write. */
  readonly document: RequirementsDocument;
  readonly path: string;
  readonly includes?: readonly IncludedFile[];
}

export interface FileSetOptions {
  readonly target: TargetEnvironment;
  readonly prereleases?: boolean;
  /** Hash-checking mode whatever the files say (a fix that adds hashes). */
  readonly hashMode?: boolean;
  readonly signal?: AbortSignal;
}

/** Resolves the set pip reads for a file (its includes and constraints as pip reads them) and compares it with what the files name. */
export async function resolveFileSet(index: ResolverIndex, set: FileSet, options: FileSetOptions): Promise<FileResolution> {
  const inputs = dependencyInputs(set.document, set.path, set.includes);
  const resolution = await resolve(index, inputs.roots, inputs.constraints, { target: options.target, prereleases: options.prereleases, signal: options.signal });
  if (resolution.kind !== 'resolved') return { kind: 'unresolved', resolution, inputs };
  const hashMode = options.hashMode === true || hashModeOf(set.document, set.includes).on;
  return { kind: 'resolved', missing: missingPackages(resolution.packages, inputs, hashMode), inputs, hashMode };
}

// ---- writing the missing entries ----------------------------------------------------------------

/** The file's line break: CRLF when its first line break is one. */
export function lineBreakOf(text: string): string {
  const first = text.indexOf('\n');
  return first > 0 && text[first - 1] === '\r' ? '\r\n' : '\n';
}

/** Whether the file's requirements are in pip-compile's order (by canonical name). */
function sortedByName(entries: readonly RequirementEntry[]): boolean {
  for (let i = 1; i < entries.length; i++) if (compareEntryNames(entries[i - 1].name!, entries[i].name!) > 0) return false;
  return entries.length > 0;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/**
 * The insertions that write `entries` into the file: each sorted into place before the first
 * requirement whose name comes after it when the file's named requirements are sorted, otherwise
 * all in one block at the end. Only insertions: no byte of the file changes.
 */
export function insertEntries(text: string, document: RequirementsDocument, entries: readonly CompiledEntry[]): TextReplacement[] {
  if (entries.length === 0) return [];
  const eol = lineBreakOf(text);
  const ordered = [...entries].sort((a, b) => compareEntryNames(a.name, b.name));
  const named = document.entries.filter((entry): entry is RequirementEntry => entry.kind === 'requirement' && !entry.rejected && !!entry.name);
  const end = text.length;
  // The file's end, after a line break of its own.
  const atEnd = (block: string): TextReplacement => ({ span: { start: end, end }, newText: (end > 0 && !text.endsWith('\n') ? eol : '') + block });
  if (!sortedByName(named)) return [atEnd(ordered.map((entry) => formatCompiledEntry(entry, eol) + eol).join(''))];
  const groups = new Map<number, string[]>();
  const trailing: string[] = [];
  for (const entry of ordered) {
    const next = named.find((existing) => compareEntryNames(existing.name!, entry.name) > 0);
    const formatted = formatCompiledEntry(entry, eol) + eol;
    if (!next) trailing.push(formatted);
    else {
      const at = lineStart(text, next.span.start);
      (groups.get(at) ?? groups.set(at, []).get(at)!).push(formatted);
    }
  }
  const insertions: TextReplacement[] = [...groups].map(([at, blocks]): TextReplacement => ({ span: { start: at, end: at } as Span, newText: blocks.join('') }));
  if (trailing.length) insertions.push(atEnd(trailing.join('')));
  return insertions.sort((a, b) => a.span.start - b.span.start);
}

/** `# via` for a missing package: the packages that require it (canonical names, sorted). */
export function viaOf(item: MissingPackage): string[] {
  return [...new Set(item.requiredBy.map((requester) => canonicalizeName(requester.name)))].sort();
}

/**
 * The replacements with the insertions among them, an insertion that touches a replacement (at
 * its start or its end) folded into it: editors refuse edits that share a position, and applying
 * them in turn would depend on their order.
 */
export function withInsertions(replacements: readonly TextReplacement[], insertions: readonly TextReplacement[]): TextReplacement[] {
  const merged = [...replacements].sort((a, b) => a.span.start - b.span.start);
  for (const insertion of insertions) {
    const at = insertion.span.start;
    const before = merged.findIndex((replacement) => replacement.span.start === at);
    const after = merged.findIndex((replacement) => replacement.span.end === at);
    if (before >= 0) merged[before] = { span: merged[before].span, newText: insertion.newText + merged[before].newText };
    else if (after >= 0) merged[after] = { span: merged[after].span, newText: merged[after].newText + insertion.newText };
    else merged.push(insertion);
  }
  return merged.sort((a, b) => a.span.start - b.span.start);
}
