// A port of pip's requirements-file reader (pip/_internal/req/req_file.py and the parts of
// req/constructors.py that decide what a requirement line means), keeping exact source spans.
// Ours: npm's parsers (pip-requirements-js) follow pip's docs, not its code, and throw at the first error.
//
// pip reads a file in stages: split lines (str.splitlines), join backslash continuations, strip
// comments, expand ${VARS}, split each logical line into a requirement part and an option part,
// shlex + optparse the options, then interpret the requirement part. Each stage here keeps, for
// every character of the logical line, the document range it came from, so spans survive
// continuations, comments and variable expansion. Nothing here does IO or throws.
import { lastIndexAtOrBefore } from './arrays';
import { countPyLineBreaks, isPyWhitespace, physicalLineStart, physicalLinesFrom, pyStripBounds, splitPyLinesWithin, type LimitedLines, type PhysicalLine } from './pyText';
import { charPosition, shlexSplit, type ShlexToken } from './shlex';
import { DIGEST_LENGTHS, parseOptionTokens, STRONG_HASH_ALGORITHMS, type OptionOccurrence, type OptionSpec } from './pipOptions';
import { describeLink, isArchiveFile, isPipUrl, looksLikePath, parseWheelFilename, urlScheme, VCS_NAMES, VCS_SCHEMES, type LinkInfo } from './links';
import { canonicalizeName, mapMarkerSpans, parseMarker, parseRequirement, type ExtraName, type MarkerInfo, type SpecifierClause } from './pep508';
import type { Problem, Span } from './types';

export interface ParseOptions {
  /** Environment for `${VAR}` expansion; pip substitutes only variables that are set and non-empty. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** True when this file is read as a constraints file (`-c`). */
  readonly constraint?: boolean;
}

/** A `${NAME}` reference as written in the file. */
export interface EnvReference {
  readonly name: string;
  readonly span: Span;
  readonly expanded: boolean;
}

/** An option as written, with document spans. */
export interface OptionNode {
  readonly spec: OptionSpec;
  readonly name: string;
  readonly nameSpan: Span;
  readonly value?: string;
  readonly valueSpan?: Span;
  readonly span: Span;
}

export interface HashNode {
  readonly algorithm: string;
  readonly digest: string;
  /** The whole `--hash=algo:hex` option. */
  readonly span: Span;
  readonly algorithmSpan: Span;
  readonly digestSpan: Span;
}

export interface IgnoredText {
  readonly text: string;
  readonly span: Span;
}

interface EntryBase {
  /** pip's 1-based number of the first physical line of the logical line. */
  readonly line: number;
  /** 1-based number of its last physical line. */
  readonly lineEnd: number;
  /** From the start of the first physical line to the end of the last one (line breaks excluded). */
  readonly span: Span;
  /** The logical line pip works on: joined, comment-free, stripped, variables expanded. */
  readonly text: string;
  readonly options: readonly OptionNode[];
  /** Positional arguments after an option, which pip silently drops. */
  readonly ignoredArgs: readonly IgnoredText[];
  /** True when pip rejects this line (see the document's problems for why). */
  readonly rejected: boolean;
}

/** How the requirement part names what to install. */
export type RequirementForm =
  /** A PEP 508 requirement: `name[extras] specifiers ; marker` or `name @ url ; marker`. */
  | 'named'
  /** A bare URL (archive, wheel or VCS), named by its wheel file name or `#egg=` fragment if at all. */
  | 'url'
  /** A local path: an archive file, or a project directory. */
  | 'path';

export interface RequirementEntry extends EntryBase {
  readonly kind: 'requirement';
  readonly editable: boolean;
  readonly constraint: boolean;
  /** The requirement part of the line (before the first option), as pip passes it on. */
  readonly requirementText: string;
  /** Where the requirement part is written, trailing white space excluded. */
  readonly requirementSpan: Span;
  readonly form: RequirementForm;
  /** The project name as pip knows it (from the requirement, the wheel file name or `#egg=`), if any. */
  readonly name?: string;
  readonly normalizedName?: string;
  /** Where the name is written, when it is written as a name. */
  readonly nameSpan?: Span;
  readonly extras: readonly ExtraName[];
  readonly specifiers: readonly SpecifierClause[];
  readonly specifierSpan?: Span;
  readonly marker?: MarkerInfo;
  /** The URL or path of a direct reference (`name @ url`, a bare URL, a path). */
  readonly url?: { readonly value: string; readonly span: Span };
  readonly link?: LinkInfo;
  readonly hashes: readonly HashNode[];
  /**
   * Set for a local path whose meaning depends on the file system: pip installs it when it is a
   * project directory (or, for an archive, a file) and rejects the line otherwise.
   */
  readonly localPath?: LocalPathCheck;
}

export interface LocalPathCheck {
  readonly path: string;
  readonly span: Span;
  /** What pip needs to find there. */
  readonly expect: 'directory' | 'archive';
  /** pip's error when nothing usable is there. */
  readonly missingMessage: string;
}

export interface IncludeEntry extends EntryBase {
  readonly kind: 'include';
  readonly includeKind: '-r' | '-c';
  readonly target: string;
  readonly targetSpan: Span;
}

export interface OptionLineEntry extends EntryBase {
  readonly kind: 'options';
}

export type Entry = RequirementEntry | IncludeEntry | OptionLineEntry;

/** The values of one option on a line, in the order written (e.g. every `--extra-index-url`). */
export function optionValues(entry: Entry, dest: OptionSpec['dest']): string[] {
  return entry.options.filter((option) => option.spec.dest === dest).map((option) => option.value ?? '');
}

/** The hashes as pip collects them: algorithm → digests in file order. */
export function hashesByAlgorithm(entry: RequirementEntry): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const hash of entry.hashes) (result[hash.algorithm] ??= []).push(hash.digest);
  return result;
}

export interface RequirementsDocument {
  readonly text: string;
  readonly entries: readonly Entry[];
  readonly problems: readonly Problem[];
  readonly envReferences: readonly EnvReference[];
  /** Number of physical lines as pip counts them. */
  readonly lineCount: number;
}

/**
 * A logical line and where its characters came from, as segments: from logical index `at`
 * on, characters are consecutive in the document from `source`; an expanded ${VAR} is one
 * segment whose characters all map to the reference [source, fixedEnd).
 */
interface Segment {
  readonly at: number;
  readonly source: number;
  readonly fixedEnd?: number;
}

interface LogicalLine {
  text: string;
  segments: Segment[];
}

const ENV_VAR_RE = /\$\{([A-Z0-9_]+)\}/g;

// Limits far past any real file, so that a hostile one costs bounded time and memory (a 50 MB file
// took 1.3 GB and 29 s). In the corpus the longest logical line has 13,129 characters (a pin with
// hashes for every wheel), the largest file 2,681 lines and 190,271 characters. What lies beyond
// is reported as one problem and left unread.
export const MAX_LOGICAL_LINE_LENGTH = 1_000_000;
export const MAX_FILE_LINES = 200_000;
export const MAX_FILE_LENGTH = 10_000_000;

// Thousands grouped as toLocaleString('en-US') does for integers, without it: its first call loads
// ICU's locale data (15–20 ms), and LINE_LIMIT below is built when the module loads.
const count = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

// Memory per entry matters in files of 100,000 lines: entries share one frozen empty list for
// what they lack (most have no options, extras or hashes), and a span equal to another they hold.
const NONE: readonly never[] = Object.freeze([]);
const listOrNone = <T>(list: readonly T[]): readonly T[] => (list.length > 0 ? list : NONE);
const NO_TOKENS = { ok: true, tokens: NONE } as const;
const sameSpan = (span: Span, other: Span | undefined): Span => (other && other.start === span.start && other.end === span.end ? other : span);

export function parseRequirementsFile(text: string, options: ParseOptions = {}): RequirementsDocument {
  const split = splitPyLinesWithin(text, MAX_FILE_LINES, MAX_FILE_LENGTH);
  const env = options.env ?? {};
  const constraint = options.constraint ?? false;
  const units: Unit[] = [];
  for (const joined of joinLines(text, split.lines, 1)) {
    const unit = parseUnit(joined, env, constraint, false);
    if (unit) units.push(unit);
  }
  if (split.firstUnread) return assemble(text, units, split.count, unreadRest(text, split, split.firstUnread));
  const document = assemble(text, units, split.count);
  keepUnits(document, { units, env: options.env, constraint });
  return document;
}

/**
 * The parse of `text`, an edited version of `previous`'s text: the same result as
 * parseRequirementsFile(text, options), made by parsing again only the logical lines the edit
 * touches (pip reads a file line by line: a logical line means the same wherever it stands) and
 * moving the others by the edit's length and line count. Falls back to a whole parse when the
 * previous parse was not kept (other options, a file past the limits).
 */
export function reparseRequirementsFile(previous: RequirementsDocument, text: string, options: ParseOptions = {}): RequirementsDocument {
  const kept = (previous as { [KEPT]?: KeptUnits })[KEPT];
  const constraint = options.constraint ?? false;
  if (!kept || kept.env !== options.env || kept.constraint !== constraint || text.length > MAX_FILE_LENGTH) return parseRequirementsFile(text, options);
  if (text === previous.text) return previous;
  const old = previous.text;
  // The edit, as one replaced range: the text before `start` and after `oldEnd` (old) / `newEnd` (new) is the same.
  const start = commonPrefixLength(old, text);
  const suffix = commonSuffixLength(old, text, Math.min(old.length, text.length) - start);
  const newEnd = text.length - suffix;
  const delta = text.length - old.length;
  // The logical line holding the character before the edit is parsed again too: the edit may
  // continue it (after a backslash) or turn its `\r` into a `\r\n`. Everything before it stands.
  const from = start === 0 ? 0 : logicalLineStart(old, start - 1);
  const { units } = kept;
  const firstIndex = firstUnitFrom(units, from);
  const result = units.slice(0, firstIndex);
  const firstNumber = lineNumberAt(old, from, units, firstIndex);
  // Past the edit, the first logical line that starts where a kept one started before (moved by
  // the edit) begins the same text in the same state: from there on, the old units hold, moved.
  let resume: { index: number; number: number } | undefined;
  const stopBefore = (lineStart: number, number: number): boolean => {
    if (lineStart < newEnd) return false;
    const index = unitStartingAt(units, lineStart - delta, firstIndex);
    if (index >= 0) resume = { index, number };
    return index >= 0;
  };
  const env = options.env ?? {};
  let lastNumber = firstNumber - 1;
  for (const joined of joinLines(text, physicalLinesFrom(text, from), firstNumber, stopBefore)) {
    const unit = parseUnit(joined, env, constraint, true);
    if (unit) result.push(unit);
    lastNumber = joined.last;
  }
  let lineCount = lastNumber;
  if (resume) {
    const lineDelta = resume.number - firstLineOf(units[resume.index]);
    for (let i = resume.index; i < units.length; i++) result.push(moveUnit(units[i], delta, lineDelta));
    lineCount = previous.lineCount + lineDelta;
  }
  if (lineCount > MAX_FILE_LINES) return parseRequirementsFile(text, options);
  const document = assemble(text, result, lineCount);
  keepUnits(document, { units: result, env: options.env, constraint });
  return document;
}

/**
 * One logical line as parsed, when it adds something to the document (blank and comment lines
 * are not kept): its place and what it adds. A parse keeps its units (KEPT) so that the next
 * version of the text can reuse those an edit did not touch. Most lines are an entry and nothing
 * else: the entry itself is their unit (it knows its lines and where it starts), which spares an
 * object per line; the others (a problem, a ${VAR}) are a LineUnit.
 */
type Unit = Entry | LineUnit;

interface LineUnit {
  readonly kind: 'line';
  /** 1-based numbers of its first and last physical lines. */
  readonly first: number;
  readonly last: number;
  /** From the start of its first physical line to the end of its last (line breaks excluded). */
  readonly span: Span;
  /** Undefined for a line past the length limit. */
  readonly entry: Entry | undefined;
  readonly problems: readonly Problem[];
  readonly envReferences: readonly EnvReference[];
}

const firstLineOf = (unit: Unit): number => (unit.kind === 'line' ? unit.first : unit.line);
const lastLineOf = (unit: Unit): number => (unit.kind === 'line' ? unit.last : unit.lineEnd);

interface KeptUnits {
  readonly units: readonly Unit[];
  /** The options they were parsed with: others make another parse. */
  readonly env: ParseOptions['env'];
  readonly constraint: boolean;
}

/**
 * Where a document keeps its units: a property no one sees (not enumerable, so not compared,
 * copied or serialized), which dies with the document. A WeakMap would do, but its entries
 * outlive their keys until a full collection: every parse's units went to the old generation.
 */
const KEPT = Symbol('units');

function keepUnits(document: RequirementsDocument, kept: KeptUnits): void {
  Object.defineProperty(document, KEPT, { value: kept });
}

const SCRATCH_PROBLEMS: Problem[] = [];
const SCRATCH_REFERENCES: EnvReference[] = [];

/**
 * `detach`: after an edit. Everything the entry holds is cut from the line's text; as a slice of
 * the document it would keep that whole version alive as long as the entry lives, and an entry
 * parsed once is kept (moved) edit after edit: each version would stay (20 KB per keystroke). A
 * whole parse shares its text with the document, and keeps at most that one version alive.
 */
function parseUnit(joined: JoinedLine, env: Readonly<Record<string, string | undefined>>, constraint: boolean, detach: boolean): Unit | undefined {
  const { first, last, start } = joined;
  const logical = stripComment(joined.line);
  if (!logical) return undefined;
  if (detach) logical.text = detachedCopy(logical.text);
  // Collected in two lists shared by every line (most lines have neither), then copied if any.
  const problems = SCRATCH_PROBLEMS;
  const envReferences = SCRATCH_REFERENCES;
  problems.length = 0;
  envReferences.length = 0;
  const span: Span = { start, end: joined.end };
  let entry: Entry | undefined;
  if (logical.text.length > MAX_LOGICAL_LINE_LENGTH) {
    problems.push({ code: 'syntax', message: `This line has ${count(logical.text.length)} characters${LINE_LIMIT}`, span });
  } else {
    const expanded = expandEnvVariables(logical, env, envReferences);
    if ('overflowing' in expanded) {
      problems.push({ code: 'syntax', message: `This line has more than ${count(MAX_LOGICAL_LINE_LENGTH)} characters once \${${expanded.overflowing}} is expanded${LINE_LIMIT}`, span });
    } else {
      entry = parseLogicalLine(expanded, first, last, span, joined.firstLineEnd, constraint, problems);
    }
  }
  if (entry && problems.length === 0 && envReferences.length === 0) return entry;
  return { kind: 'line', first, last, span, entry, problems: problems.length ? problems.slice() : NONE, envReferences: envReferences.length ? envReferences.slice() : NONE };
}

/**
 * A copy of `text` that does not hold on to the string it was sliced from (V8 keeps a slice of 13
 * characters or more as a view of its parent): the concatenation is flattened into a string of
 * its own when sliced.
 */
function detachedCopy(text: string): string {
  return ` ${text}`.slice(1);
}

/** A unit after an edit before it: `delta` characters and `lineDelta` lines further on. */
function moveUnit(unit: Unit, delta: number, lineDelta: number): Unit {
  if (delta === 0 && lineDelta === 0) return unit;
  if (unit.kind !== 'line') return moveEntry(unit, delta, lineDelta);
  return {
    kind: 'line',
    first: unit.first + lineDelta,
    last: unit.last + lineDelta,
    span: moveSpan(unit.span, delta),
    entry: unit.entry && moveEntry(unit.entry, delta, lineDelta),
    problems: unit.problems === NONE ? NONE : unit.problems.map((problem) => ({ ...problem, span: moveSpan(problem.span, delta) })),
    envReferences: unit.envReferences === NONE ? NONE : unit.envReferences.map((reference) => ({ name: reference.name, span: moveSpan(reference.span, delta), expanded: reference.expanded })),
  };
}

/** The document from its units, with what pip checks only after reading every line. */
function assemble(text: string, units: readonly Unit[], lineCount: number, unread?: Problem): RequirementsDocument {
  const entries: Entry[] = [];
  const problems: Problem[] = [];
  const envReferences: EnvReference[] = [];
  // Index loops, and one by one: a spread of a unit's lists would be an argument per item, and
  // iterators are garbage made on every keystroke.
  for (let i = 0; i < units.length; i++) {
    const unit = units[i];
    if (unit.kind !== 'line') {
      entries.push(unit);
      continue;
    }
    if (unit.entry) entries.push(unit.entry);
    for (let j = 0; j < unit.problems.length; j++) problems.push(unit.problems[j]);
    for (let j = 0; j < unit.envReferences.length; j++) envReferences.push(unit.envReferences[j]);
  }
  checkFileOptionConflicts(entries, problems);
  if (unread) problems.push(unread);
  return { text, entries, problems, envReferences, lineCount };
}

/** The index of the first unit that starts at or after `offset` (units are in document order; their length when none does). */
function firstUnitFrom(units: readonly Unit[], offset: number, from = 0): number {
  let low = from;
  let high = units.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (units[mid].span.start < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The index of the unit that starts at `offset`, from `from` on; -1 for none. */
function unitStartingAt(units: readonly Unit[], offset: number, from: number): number {
  const index = firstUnitFrom(units, offset, from);
  return index < units.length && units[index].span.start === offset ? index : -1;
}

/**
 * The 1-based number of the line starting at `offset`, counted from the last kept unit before it
 * (blank and comment lines between units are not kept, so their lines are counted in the text).
 */
function lineNumberAt(text: string, offset: number, units: readonly Unit[], next: number): number {
  if (next < units.length && units[next].span.start === offset) return firstLineOf(units[next]);
  const before = next > 0 ? units[next - 1] : undefined;
  return before ? lastLineOf(before) + countPyLineBreaks(text, before.span.end, offset) : 1 + countPyLineBreaks(text, 0, offset);
}

/** Characters compared at once: a comparison of slices runs in native code, char by char in JavaScript is many times slower. */
const COMPARE_CHUNK = 4096;

function commonPrefixLength(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let i = 0;
  while (i + COMPARE_CHUNK <= limit && a.slice(i, i + COMPARE_CHUNK) === b.slice(i, i + COMPARE_CHUNK)) i += COMPARE_CHUNK;
  while (i < limit && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** How many characters `a` and `b` end with alike, at most `limit`. */
function commonSuffixLength(a: string, b: string, limit: number): number {
  let i = 0;
  while (i + COMPARE_CHUNK <= limit && a.slice(a.length - i - COMPARE_CHUNK, a.length - i) === b.slice(b.length - i - COMPARE_CHUNK, b.length - i)) i += COMPARE_CHUNK;
  while (i < limit && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}

const LINE_LIMIT = `: reqguard reads lines of up to ${count(MAX_LOGICAL_LINE_LENGTH)} characters (the longest real ones have about 13,000), so nothing on it is checked.`;

/** The one problem for the lines past the file limits. */
function unreadRest(text: string, split: LimitedLines, firstUnread: PhysicalLine): Problem {
  const first = split.lines.length + 1;
  const lines = first === split.count ? `line ${count(first)} is not checked.` : `lines ${count(first)} to ${count(split.count)} are not checked.`;
  const message = split.lines.length >= MAX_FILE_LINES
    ? `This file has ${count(split.count)} lines: reqguard reads the first ${count(MAX_FILE_LINES)} lines of a requirements file (the largest real ones have a few thousand), so ${lines}`
    : `This file has ${count(text.length)} characters: reqguard reads the first ${count(MAX_FILE_LENGTH)} characters of a requirements file (the largest real ones have a few hundred thousand), so ${lines}`;
  return { code: 'syntax', message, span: { start: firstUnread.start, end: firstUnread.end } };
}

interface JoinedLine {
  /** 1-based numbers of its first and last physical lines. */
  first: number;
  last: number;
  /** From the start of its first physical line to the end of its last (line breaks excluded). */
  start: number;
  end: number;
  /** Where its first physical line ends. */
  firstLineEnd: number;
  line: LogicalLine;
}

/** pip's COMMENT_RE at the start of a physical line: a comment line, which ends a continuation. */
export function isCommentLine(text: string): boolean {
  if (text.startsWith('#')) return true;
  let i = 0;
  while (i < text.length && isPyWhitespace(text.charCodeAt(i))) i++;
  return i > 0 && text[i] === '#';
}

/** Whether a physical line continues on the next one in pip's join_lines: it ends in `\` and is no comment line. */
function continues(content: string): boolean {
  return content.endsWith('\\') && !isCommentLine(content);
}

/**
 * pip's join_lines: a line ending in `\` continues unless it is a comment line, which ends a
 * continuation. `physical` are the lines from a logical line's start on, the first numbered
 * `firstNumber`; `stopBefore` may end the walk where a logical line would start.
 */
function* joinLines(
  text: string,
  physical: Iterable<PhysicalLine>,
  firstNumber: number,
  stopBefore?: (start: number, number: number) => boolean,
): Generator<JoinedLine> {
  let pending: JoinedLine | undefined;
  let number = firstNumber - 1;
  let previousEnd = 0;
  for (const { start, end } of physical) {
    number++;
    if (!pending && stopBefore?.(start, number)) return;
    const content = text.slice(start, end);
    const comment = isCommentLine(content);
    if (!continues(content)) {
      const piece = newLine();
      // pip prefixes a comment line with a space so that it is always stripped later.
      if (comment) {
        piece.segments.push({ at: 0, source: start, fixedEnd: start });
        piece.text = ' ';
      }
      appendRange(piece, text, start, end);
      if (pending) {
        appendLine(pending.line, piece);
        pending.last = number;
        pending.end = end;
        yield pending;
        pending = undefined;
      } else {
        yield { first: number, last: number, start, end, firstLineEnd: end, line: piece };
      }
    } else {
      pending ??= { first: number, last: number, start, end, firstLineEnd: end, line: newLine() };
      // str.strip("\\") removes backslashes from both ends.
      let from = start;
      let to = end;
      while (from < to && text.charCodeAt(from) === 0x5c) from++;
      while (to > from && text.charCodeAt(to - 1) === 0x5c) to--;
      appendRange(pending.line, text, from, to);
    }
    previousEnd = end;
  }
  if (pending) {
    pending.last = number;
    pending.end = previousEnd;
    yield pending;
  }
}

/** Where the logical line holding the character at `at` starts: back over the lines that continue onto it. */
function logicalLineStart(text: string, at: number): number {
  let start = physicalLineStart(text, at);
  while (start > 0) {
    const previous = physicalLineStart(text, start - 1);
    const contentEnd = text.charCodeAt(start - 1) === 0x0a && text.charCodeAt(start - 2) === 0x0d ? start - 2 : start - 1;
    if (text.charCodeAt(contentEnd - 1) !== 0x5c || !continues(text.slice(previous, contentEnd))) break;
    start = previous;
  }
  return start;
}

function newLine(): LogicalLine {
  return { text: '', segments: [] };
}

function appendRange(line: LogicalLine, text: string, from: number, to: number): LogicalLine {
  if (to > from) {
    line.segments.push({ at: line.text.length, source: from });
    line.text += text.slice(from, to);
  }
  return line;
}

function appendLine(line: LogicalLine, other: LogicalLine): void {
  const shift = line.text.length;
  for (const segment of other.segments) line.segments.push({ ...segment, at: segment.at + shift });
  line.text += other.text;
}

/** Where the segment holding logical index `index` is (binary search: a hashed entry has one per physical line). */
function segmentIndex(line: LogicalLine, index: number): number {
  return lastIndexAtOrBefore(line.segments.length, (i) => line.segments[i].at, index);
}

function segmentAt(line: LogicalLine, index: number): Segment {
  return line.segments[segmentIndex(line, index)];
}

/** Document offset where logical character `index` starts. */
function sourceStart(line: LogicalLine, index: number): number {
  const segment = segmentAt(line, index);
  return segment.fixedEnd === undefined ? segment.source + (index - segment.at) : segment.source;
}

/** Document offset where logical character `index` ends. */
function sourceEnd(line: LogicalLine, index: number): number {
  const segment = segmentAt(line, index);
  return segment.fixedEnd === undefined ? segment.source + (index - segment.at) + 1 : segment.fixedEnd;
}

function sliceLine(line: LogicalLine, from: number, to: number): LogicalLine {
  const result = newLine();
  appendSlice(result, line, from, to, segmentIndex(line, from));
  return result;
}

/**
 * Appends [from, to) of `line` to `out`. The segments are searched from index `first` (at or
 * before the one holding `from`) on; the index returned is where a later slice can start, so
 * slicing a line piece by piece from left to right looks at each segment once.
 */
function appendSlice(out: LogicalLine, line: LogicalLine, from: number, to: number, first: number): number {
  const segments = line.segments;
  let index = first;
  while (index + 1 < segments.length && segments[index + 1].at <= from) index++;
  if (to <= from) return index;
  const shift = out.text.length - from;
  for (let i = index; i < segments.length && segments[i].at < to; i++) {
    const segment = segments[i];
    const clipped = Math.max(segment.at, from);
    const source = segment.fixedEnd === undefined ? segment.source + (clipped - segment.at) : segment.source;
    out.segments.push({ at: clipped + shift, source, fixedEnd: segment.fixedEnd });
    index = i;
  }
  out.text += line.text.slice(from, to);
  return index;
}

/** Where pip's comment starts in a line: the first `#` at the start or after whitespace; -1 for none. */
export function commentStart(text: string): number {
  for (let i = text.indexOf('#'); i >= 0; i = text.indexOf('#', i + 1)) {
    if (i === 0 || isPyWhitespace(text.charCodeAt(i - 1))) return i;
  }
  return -1;
}

/** pip's ignore_comments: drop from the comment's start, then strip. */
function stripComment(line: LogicalLine): LogicalLine | undefined {
  const text = line.text;
  const comment = commentStart(text);
  const [from, to] = pyStripBounds(text, 0, comment < 0 ? text.length : comment);
  return from < to ? sliceLine(line, from, to) : undefined;
}

/**
 * pip's expand_env_variables: for each `${NAME}` of the line in turn, when the variable is set and
 * not empty, `line.replace("${NAME}", value)` on the line as expanded so far. So a value that
 * itself says `${OTHER}` is expanded too when OTHER comes later in the line, as pip does.
 */
function expandEnvVariables(
  line: LogicalLine,
  env: Readonly<Record<string, string | undefined>>,
  references: EnvReference[],
): LogicalLine | { overflowing: string } {
  if (!line.text.includes('${')) return line;
  let result: LogicalLine | undefined = line;
  let overflowing: string | undefined;
  // A pass that finds nothing to replace is skipped, so that a name written 100,000 times costs one
  // pass, not 100,000: `cleanAfter` holds, per name, how many passes had changed the line when
  // that name's last pass left no reference to it. While no pass has changed the line since, the
  // next pass for that name would find nothing.
  let changes = 0;
  const cleanAfter = new Map<string, number>();
  for (const match of line.text.matchAll(ENV_VAR_RE)) {
    const at = match.index ?? 0;
    const name = match[1];
    const value = env[name];
    const refSpan: Span = { start: sourceStart(line, at), end: sourceEnd(line, at + match[0].length - 1) };
    references.push({ name, span: refSpan, expanded: Boolean(value) });
    // Once the line is too long every reference is still listed, and nothing more is expanded.
    if (!value || !result || cleanAfter.get(name) === changes) continue;
    const replaced = replaceAll(result, match[0], value);
    if (!replaced) {
      overflowing = name;
      result = undefined;
      continue;
    }
    if (replaced !== result) changes++;
    result = replaced;
    if (!result.text.includes(match[0])) cleanAfter.set(name, changes);
  }
  return result ?? { overflowing: overflowing ?? '' };
}

/**
 * Python's str.replace on a logical line: each copy of `value` maps to the reference it replaced.
 * Undefined when the line would grow past MAX_LOGICAL_LINE_LENGTH (it stops building there).
 */
function replaceAll(line: LogicalLine, reference: string, value: string): LogicalLine | undefined {
  let at = line.text.indexOf(reference);
  if (at < 0) return line;
  const result = newLine();
  let copied = 0;
  let segment = 0;
  for (; at >= 0; at = line.text.indexOf(reference, copied)) {
    segment = appendSlice(result, line, copied, at, segment);
    result.segments.push({ at: result.text.length, source: sourceStart(line, at), fixedEnd: sourceEnd(line, at + reference.length - 1) });
    result.text += value;
    if (result.text.length > MAX_LOGICAL_LINE_LENGTH) return undefined;
    copied = at + reference.length;
  }
  appendSlice(result, line, copied, line.text.length, segment);
  return result;
}

/** Maps [from, to) of the logical line to the document. */
function spanOf(line: LogicalLine, from: number, to: number): Span {
  const length = line.text.length;
  if (length === 0) return { start: 0, end: 0 };
  if (to <= from) {
    const at = from < length ? sourceStart(line, from) : sourceEnd(line, length - 1);
    return { start: at, end: at };
  }
  return { start: sourceStart(line, from), end: sourceEnd(line, to - 1) };
}

interface LineContext {
  line: LogicalLine;
  problems: Problem[];
  rejected: boolean;
}

function report(context: LineContext, code: string, message: string, span: Span, rejects = true, installerRule?: Problem['installerRule']): void {
  context.problems.push(installerRule ? { code, message, span, installerRule } : { code, message, span });
  if (rejects) context.rejected = true;
}

function parseLogicalLine(
  line: LogicalLine,
  first: number,
  last: number,
  span: Span,
  firstLineEnd: number,
  constraint: boolean,
  problems: Problem[],
): Entry {
  const context: LineContext = { line, problems, rejected: false };
  const optionProblemsFrom = problems.length;
  // break_args_options: tokens split on single spaces up to the first one starting with '-'.
  // Such a token starts the line or follows a space, so the split is at the first " -".
  const text = line.text;
  let argsEnd = text.length;
  let optionsStart = text.length;
  if (text.startsWith('-')) {
    argsEnd = 0;
    optionsStart = 0;
  } else {
    const dash = text.indexOf(' -');
    if (dash >= 0) {
      argsEnd = dash;
      optionsStart = dash + 1;
    }
  }
  const args = text.slice(0, argsEnd);
  const optionText = text.slice(optionsStart);

  const optionNodes: OptionNode[] = [];
  const ignoredArgs: IgnoredText[] = [];
  let occurrences: readonly OptionOccurrence[] = NONE;
  // Most lines have no options: nothing to split.
  const split = optionText ? shlexSplit(optionText) : NO_TOKENS;
  if (!split.ok) {
    report(context, 'syntax', `pip cannot split the options: ${split.message.toLowerCase()}`, spanOf(line, optionsStart + split.at, text.length));
  } else if (split.tokens.length > 0) {
    const parsed = parseOptionTokens(split.tokens);
    occurrences = parsed.occurrences;
    for (const leftover of parsed.leftovers) {
      ignoredArgs.push({ text: leftover.value, span: tokenSpan(line, optionsStart, leftover) });
    }
    if (parsed.error) {
      const errorSpan = spanOf(line, optionsStart + parsed.error.start, optionsStart + parsed.error.end);
      if (parsed.error.removed) {
        report(context, 'removed-option', `${parsed.error.removed.long[0]} was removed in pip ${parsed.error.removed.removedIn}: pip now rejects this line. Pass build settings with --config-settings (-C KEY=VALUE) instead.`, errorSpan, true, { rule: 'removed-option', subject: parsed.error.removed.long[0] });
      } else {
        report(context, 'syntax', `pip rejects this line: ${parsed.error.message}`, errorSpan);
      }
    }
  }
  for (const occurrence of occurrences) optionNodes.push(toOptionNode(line, optionsStart, occurrence));
  const hashes = validateOptionValues(context, optionNodes, occurrences, optionsStart);

  const base: EntryBase = {
    rejected: false,
    line: first,
    lineEnd: last,
    span,
    text,
    options: listOrNone(optionNodes),
    ignoredArgs: listOrNone(ignoredArgs),
  };
  if (context.rejected) {
    // optparse (or one of pip's option callbacks) failed: pip raises before it reads a requirement
    // or an include, and names the error by the logical line's first line.
    for (let i = optionProblemsFrom; i < problems.length; i++) problems[i] = { ...problems[i], span: fromFirstLine(problems[i].span, span.start, firstLineEnd) };
    return { ...base, kind: 'options', rejected: true };
  }

  const editables = optionNodes.filter((o) => o.spec.dest === 'editables');
  if (args) {
    // The text keeps pip's trailing spaces; the range stops at the last visible character, so it
    // never reaches into the indentation of a continuation line.
    let visibleEnd = argsEnd;
    while (visibleEnd > 0 && isPyWhitespace(text.charCodeAt(visibleEnd - 1))) visibleEnd--;
    const entry = interpretRequirement(context, args, spanOf(line, 0, visibleEnd), false, constraint, hashes);
    reportIgnoredOnRequirement(context, optionNodes, false);
    reportIgnoredArgs(context, ignoredArgs);
    if (!context.rejected) reportUnmatchableDigests(context, hashes);
    return requirementEntry(base, entry, context.rejected);
  }
  if (editables.length > 0) {
    const editable = editables[0];
    const value = editable.value ?? '';
    const entry = interpretEditable(context, value, editable.valueSpan ?? editable.span, constraint);
    reportIgnored(context, editables.slice(1),
      () => 'pip installs only the first -e of a line; this one is ignored. Put each editable requirement on its own line.',
      (n) => `pip installs only the first -e of a line; these ${n} others are ignored. Put each editable requirement on its own line.`);
    reportIgnoredOnRequirement(context, optionNodes, true);
    reportIgnoredArgs(context, ignoredArgs);
    return requirementEntry(base, entry, context.rejected);
  }
  reportIgnoredArgs(context, ignoredArgs);
  const include = optionNodes.find((o) => o.spec.dest === 'requirements') ?? optionNodes.find((o) => o.spec.dest === 'constraints');
  reportIgnored(context, hashes,
    () => '--hash applies to the requirement on its own line; pip ignores it on a line without one.',
    (n) => `--hash applies to the requirement on its own line; pip ignores these ${n} on a line without one.`);
  if (include && !context.rejected) {
    // pip recurses into the include and never applies the rest of the line.
    reportIgnored(context, optionNodes.filter((o) => o.spec.dest !== 'requirements' && o.spec.dest !== 'constraints' && o.spec.dest !== 'hashes'),
      (option) => `pip ignores ${option.name} on a line that includes another file. Put it on a line of its own.`,
      (n) => `pip ignores these ${n} options on a line that includes another file. Put each on a line of its own.`);
    // pip reads opts.requirements[0], else opts.constraints[0]: every other -r/-c is dropped.
    const siblings = optionNodes.filter((o) => (o.spec.dest === 'requirements' || o.spec.dest === 'constraints') && o !== include);
    reportIgnored(context, siblings,
      (sibling) => sibling.spec.dest === include.spec.dest
        ? `pip follows only the first ${include.name} of a line; this one is ignored.`
        : `pip follows only the ${include.name} of this line; this ${sibling.name} is ignored. Put it on a line of its own.`,
      (n) => `pip follows only the ${include.name} of this line; these ${n} other includes are ignored. Put each on a line of its own.`);
    return {
      ...base,
      kind: 'include',
      includeKind: include.spec.dest === 'requirements' ? '-r' : '-c',
      target: include.value ?? '',
      targetSpan: include.valueSpan ?? include.span,
      rejected: context.rejected,
    };
  }
  return { ...base, kind: 'options', rejected: context.rejected };
}

/** A span that starts past the first physical line, stretched back to the line's start. */
function fromFirstLine(span: Span, lineStart: number, firstLineEnd: number): Span {
  return span.start > firstLineEnd ? { start: lineStart, end: span.end } : span;
}

function tokenSpan(line: LogicalLine, offset: number, token: ShlexToken): Span {
  return spanOf(line, offset + token.start, offset + token.end);
}

function toOptionNode(line: LogicalLine, offset: number, occurrence: OptionOccurrence): OptionNode {
  let valueSpan: Span | undefined;
  const token = occurrence.valueToken;
  if (token && occurrence.valueFrom !== undefined) {
    const from = occurrence.valueFrom;
    const last = token.value.length - 1;
    valueSpan = last >= from
      ? spanOf(line, offset + charPosition(token, from), offset + charPosition(token, last) + 1)
      : spanOf(line, offset + token.end, offset + token.end);
  }
  return {
    spec: occurrence.spec,
    name: occurrence.name,
    nameSpan: spanOf(line, offset + occurrence.nameStart, offset + occurrence.nameEnd),
    value: occurrence.value,
    valueSpan,
    span: spanOf(line, offset + occurrence.start, offset + occurrence.end),
  };
}

/** The checks pip's option callbacks make (hash, config settings, format control, choices). */
function validateOptionValues(
  context: LineContext,
  options: readonly OptionNode[],
  occurrences: readonly OptionOccurrence[],
  offset: number,
): HashNode[] {
  const hashes: HashNode[] = [];
  for (const [index, option] of options.entries()) {
    const value = option.value ?? '';
    const valueSpan = option.valueSpan ?? option.span;
    switch (option.spec.dest) {
      case 'hashes': {
        const colon = value.indexOf(':');
        if (colon < 0) {
          report(context, 'syntax', `pip rejects this line: arguments to ${option.name} must be a hash name followed by a value, like --hash=sha256:abcde…`, option.span);
          break;
        }
        const algorithm = value.slice(0, colon);
        const digest = value.slice(colon + 1);
        const algorithmSpan = valueSubSpan(context.line, offset, occurrences[index], 0, colon);
        const digestSpan = valueSubSpan(context.line, offset, occurrences[index], colon + 1, value.length);
        if (!(STRONG_HASH_ALGORITHMS as readonly string[]).includes(algorithm)) {
          report(context, 'weak-hash', `pip rejects the hash algorithm '${algorithm}': only ${STRONG_HASH_ALGORITHMS.join(', ')} are allowed in --hash. Replace it with a sha256 hash of the same file.`, algorithmSpan, true, { rule: 'weak-hash-algorithm', subject: algorithm });
        }
        hashes.push({ algorithm, digest, span: option.span, algorithmSpan, digestSpan });
        break;
      }
      case 'config_settings':
        if (!value.includes('=')) {
          report(context, 'syntax', `pip rejects this line: arguments to ${option.name} must be of the form KEY=VAL`, option.span);
        }
        break;
      case 'no_binary':
      case 'only_binary':
        if (value.startsWith('-')) {
          report(context, 'syntax', 'pip stops with an error: --no-binary / --only-binary option requires 1 argument.', option.span);
        }
        break;
      case 'features_enabled': {
        const choices = option.spec.choices ?? [];
        if (!choices.includes(value)) {
          const listed = choices.map((c) => `'${c}'`).join(', ');
          report(context, 'syntax', `pip rejects this line: option ${option.name}: invalid choice: '${value}' (choose from ${listed})`, valueSpan);
        }
        break;
      }
      default:
        break;
    }
  }
  return hashes;
}

/** Digests no file can match (the wrong length, not hexadecimal): pip accepts the line, then refuses every file. */
function reportUnmatchableDigests(context: LineContext, hashes: readonly HashNode[]): void {
  for (const hash of hashes) {
    const expected = DIGEST_LENGTHS[hash.algorithm];
    if (expected === undefined) continue;
    const hex = HEX_DIGITS.test(hash.digest);
    if (hex && hash.digest.length === expected) continue;
    const why = !hex ? 'is not hexadecimal' : `has ${hash.digest.length} characters instead of ${expected}`;
    // An empty digest has an empty span, which an editor barely shows: mark the whole --hash.
    report(context, 'weak-hash', `This ${hash.algorithm} digest ${why}: no file can ever match it, so pip will refuse the install. Copy the digest again (pip hash FILE prints it).`, hash.digest ? hash.digestSpan : hash.span, false);
  }
}

/** A regular expression, not a loop: a digest is often a string of pieces, which character by character is slow to read. */
const HEX_DIGITS = /^[0-9a-fA-F]*$/;

/**
 * Maps [from, to) of an option's value to the document character by character, so the part keeps
 * its own span through quotes, continuations and ${VAR}s (an empty part is a point where it sits).
 */
function valueSubSpan(line: LogicalLine, offset: number, occurrence: OptionOccurrence, from: number, to: number): Span {
  const token = occurrence.valueToken;
  if (!token) return spanOf(line, offset + occurrence.start, offset + occurrence.end);
  const base = occurrence.valueFrom ?? 0;
  if (to > from) return spanOf(line, offset + charPosition(token, base + from), offset + charPosition(token, base + to - 1) + 1);
  const at = to > 0 ? charPosition(token, base + to - 1) + 1 : base < token.value.length ? charPosition(token, base) : token.end;
  return spanOf(line, offset + at, offset + at);
}

function reportIgnoredOnRequirement(context: LineContext, options: readonly OptionNode[], editable: boolean): void {
  const ignored = options.filter((option) =>
    !(option.spec.dest === 'editables' && editable) && !(option.spec.scope === 'requirement' && (!editable || option.spec.dest === 'config_settings')));
  reportIgnored(context, ignored,
    (option) => editable
      ? `pip ignores ${option.name} on an editable requirement line. Put it on a line of its own.`
      : `${option.name} is a file-wide option: pip ignores it on a requirement line. Put it on a line of its own.`,
    (n) => `pip ignores these ${n} options on ${editable ? 'an editable' : 'a'} requirement line. Put each on a line of its own.`);
}

/** Past this many ignored items on a line, one warning covers them all. */
const MAX_IGNORED_LISTED = 20;

/** An 'ignored' warning for each item; for more than MAX_IGNORED_LISTED, one warning (`many(count)`) from the first to the last. */
function reportIgnored<T extends { readonly span: Span }>(context: LineContext, items: readonly T[], each: (item: T) => string, many: (count: string) => string): void {
  if (items.length > MAX_IGNORED_LISTED) {
    report(context, 'ignored', many(count(items.length)), { start: items[0].span.start, end: items[items.length - 1].span.end }, false);
    return;
  }
  for (const item of items) report(context, 'ignored', each(item), item.span, false);
}

function reportIgnoredArgs(context: LineContext, ignored: readonly IgnoredText[]): void {
  const some = ignored.slice(0, 3).map((arg) => `'${arg.text}'`).join(', ');
  reportIgnored(context, ignored,
    (arg) => `pip silently ignores '${arg.text}': text after an option is not read as a requirement. Put it on a line of its own.`,
    (n) => `pip silently ignores these ${n} words (${some}, …): text after an option is not read as a requirement. Put each requirement on a line of its own.`);
}

type RequirementParts = Omit<RequirementEntry, keyof EntryBase>;

/** [whole, path, "[extras]"], as pip's `_strip_extras` regex `^(.+)(\[[^\]]+\])$` splits them. */
type TrailingExtras = readonly [string, string, string] | null;

/** `_strip_extras` without the regex, whose backtracking is quadratic on long bracket runs. */
function splitTrailingExtras(text: string): TrailingExtras {
  if (!text.endsWith(']')) return null;
  const open = text.lastIndexOf('[', text.length - 2);
  if (open < 1 || open > text.length - 3 || text.slice(open + 1, -1).includes(']')) return null;
  return [text, text.slice(0, open), text.slice(open)];
}

/**
 * Builds the entry with every field in one fixed order: entries are read in hot loops, and
 * objects assembled by spreading end up with many shapes (or in dictionary mode), which is slow.
 */
function requirementEntry(base: EntryBase, parts: RequirementParts, rejected: boolean): RequirementEntry {
  const requirementSpan = sameSpan(parts.requirementSpan, base.span);
  const specifiers = listOrNone(parts.specifiers);
  return {
    kind: 'requirement',
    line: base.line,
    lineEnd: base.lineEnd,
    span: base.span,
    text: base.text,
    options: base.options,
    ignoredArgs: base.ignoredArgs,
    rejected,
    editable: parts.editable,
    constraint: parts.constraint,
    requirementText: parts.requirementText,
    requirementSpan,
    form: parts.form,
    name: parts.name,
    normalizedName: parts.normalizedName,
    nameSpan: parts.nameSpan && sameSpan(parts.nameSpan, requirementSpan),
    extras: listOrNone(parts.extras),
    specifiers,
    specifierSpan: parts.specifierSpan && sameSpan(parts.specifierSpan, specifiers[0]?.span),
    marker: parts.marker,
    url: parts.url,
    link: parts.link,
    hashes: listOrNone(parts.hashes),
    localPath: parts.localPath,
  };
}

// ---- moving entries past an edit ---------------------------------------------------------------
// reparseRequirementsFile keeps the entries after an edit with every span moved by the edit's
// length and every line number by its line count. Each field that holds a span is moved here: a
// new one must be too (test/unit/reparse.test.ts compares with a whole parse after random edits).

function moveSpan(span: Span, delta: number): Span {
  return { start: span.start + delta, end: span.end + delta };
}

function moveOption(option: OptionNode, delta: number): OptionNode {
  const span = moveSpan(option.span, delta);
  return {
    spec: option.spec,
    name: option.name,
    nameSpan: moveSpan(option.nameSpan, delta),
    value: option.value,
    valueSpan: option.valueSpan && sameSpan(moveSpan(option.valueSpan, delta), span),
    span,
  };
}

function moveEntry(entry: Entry, delta: number, lineDelta: number): Entry {
  const span = moveSpan(entry.span, delta);
  const options = entry.options === NONE ? NONE : entry.options.map((option) => moveOption(option, delta));
  const base: EntryBase = {
    rejected: entry.rejected,
    line: entry.line + lineDelta,
    lineEnd: entry.lineEnd + lineDelta,
    span,
    text: entry.text,
    options,
    ignoredArgs: entry.ignoredArgs === NONE ? NONE : entry.ignoredArgs.map((ignored) => ({ text: ignored.text, span: moveSpan(ignored.span, delta) })),
  };
  if (entry.kind === 'options') return { ...base, kind: 'options' };
  if (entry.kind === 'include') {
    // The target is the value (or the whole option) of one of the line's options.
    const target = entry.options.findIndex((option) => option.valueSpan === entry.targetSpan || option.span === entry.targetSpan);
    const targetSpan = target >= 0 ? (options[target].valueSpan ?? options[target].span) : moveSpan(entry.targetSpan, delta);
    return { ...base, kind: 'include', includeKind: entry.includeKind, target: entry.target, targetSpan };
  }
  const move = (inner: Span) => moveSpan(inner, delta);
  const url = entry.url && { value: entry.url.value, span: move(entry.url.span) };
  // A hash's span is its option's (the hashes follow the options' order): keep them one object.
  let option = 0;
  const hashSpan = (hash: HashNode): Span => {
    while (option < entry.options.length && entry.options[option].span !== hash.span) option++;
    return option < entry.options.length ? options[option].span : move(hash.span);
  };
  const parts: RequirementParts = {
    kind: 'requirement',
    editable: entry.editable,
    constraint: entry.constraint,
    requirementText: entry.requirementText,
    requirementSpan: move(entry.requirementSpan),
    form: entry.form,
    name: entry.name,
    normalizedName: entry.normalizedName,
    nameSpan: entry.nameSpan && move(entry.nameSpan),
    extras: entry.extras.map((extra) => ({ name: extra.name, normalized: extra.normalized, span: move(extra.span) })),
    specifiers: entry.specifiers.map((clause) => ({ ...clause, span: move(clause.span), operatorSpan: move(clause.operatorSpan), versionSpan: move(clause.versionSpan) })),
    specifierSpan: entry.specifierSpan && move(entry.specifierSpan),
    marker: entry.marker && mapMarkerSpans(entry.marker, move),
    url,
    link: entry.link,
    hashes: entry.hashes.map((hash) => ({
      algorithm: hash.algorithm,
      digest: hash.digest,
      span: hashSpan(hash),
      algorithmSpan: move(hash.algorithmSpan),
      digestSpan: move(hash.digestSpan),
    })),
    localPath: entry.localPath && { ...entry.localPath, span: url && entry.localPath.span === entry.url?.span ? url.span : move(entry.localPath.span) },
  };
  return requirementEntry(base, parts, entry.rejected);
}

function emptyRequirement(text: string, span: Span, editable: boolean, constraint: boolean, hashes: HashNode[]): RequirementParts {
  return {
    kind: 'requirement',
    editable,
    constraint,
    requirementText: text,
    requirementSpan: span,
    form: 'named',
    name: undefined,
    normalizedName: undefined,
    nameSpan: undefined,
    extras: [],
    specifiers: [],
    specifierSpan: undefined,
    marker: undefined,
    url: undefined,
    link: undefined,
    hashes,
    localPath: undefined,
  };
}

/** pip's install_req_from_line / parse_req_from_line, minus the file-system lookups. */
function interpretRequirement(
  context: LineContext,
  args: string,
  argsSpan: Span,
  editable: boolean,
  constraint: boolean,
  hashes: HashNode[],
): RequirementParts {
  const line = context.line;
  const result: { -readonly [K in keyof RequirementParts]: RequirementParts[K] } = emptyRequirement(args, argsSpan, editable, constraint, hashes);
  // Split off "; marker" first: after a URL only "; " separates it, since ';' may appear in URLs.
  const separator = isPipUrl(args) ? '; ' : ';';
  let requirementEnd = args.length;
  const markerAt = args.indexOf(separator);
  if (markerAt >= 0) {
    requirementEnd = markerAt;
    const markerFrom = markerAt + separator.length;
    const markerText = args.slice(markerFrom);
    if (markerText.trim()) {
      const marker = parseMarker(markerText, 0);
      if (marker.ok) {
        result.marker = remapMarker(line, markerFrom, marker.value);
      } else {
        report(context, 'syntax', `pip rejects this marker: ${marker.message}`, remapSpan(line, markerFrom, marker.span));
      }
    }
  }
  // name.strip()
  const [from, to] = pyStripBounds(args, 0, requirementEnd);
  const name = args.slice(from, to);
  const nameSpan = spanOf(line, from, to);

  if (isPipUrl(name)) {
    result.form = 'url';
    result.url = { value: name, span: nameSpan };
    checkFileUrl(context, name, nameSpan);
    applyLink(context, result, describeLink(name), nameSpan);
    return result;
  }

  // A path with [extras] at the end: pip strips them before looking at the path.
  const extrasMatch = splitTrailingExtras(name);
  const pathPart = extrasMatch ? extrasMatch[1] : name;
  if (isArchiveFile(pathPart)) {
    const at = name.indexOf('@');
    const pep508Url = at >= 0 && !looksLikePath(name.slice(0, at));
    if (!pep508Url) {
      // A local archive: pip uses the file if it exists, and otherwise still tries it as a path.
      result.form = 'path';
      result.url = { value: pathPart, span: spanOf(line, from, from + pathPart.length) };
      setPathExtras(context, result, from, extrasMatch);
      const link = describeLink(pathPart);
      applyLink(context, result, link, nameSpan);
      result.localPath = {
        path: pathPart,
        span: result.url.span,
        expect: 'archive',
        missingMessage: `pip cannot find the file '${pathPart}'.`,
      };
      return result;
    }
  }

  const parsed = parseRequirement(name, 0);
  if (parsed.ok) {
    fillFromRequirement(context, result, from, parsed.value);
    return result;
  }
  if (looksLikePath(name)) {
    // Valid only as a project directory, which the parser cannot see: leave it to a file-system check.
    result.form = 'path';
    result.url = { value: pathPart, span: spanOf(line, from, from + pathPart.length) };
    setPathExtras(context, result, from, extrasMatch);
    const hint = name.includes('/') ? ` File '${name}' does not exist.` : '';
    result.localPath = {
      path: pathPart,
      span: result.url.span,
      expect: 'directory',
      missingMessage: `Invalid requirement: '${name}'${name.includes('/') ? `. Hint: It looks like a path.${hint}` : ''}`,
    };
    return result;
  }
  const hint =
    name.includes('=') && !['~=', '==', '!=', '<=', '>=', '<', '>', '==='].some((op) => name.includes(op))
      ? ' (= is not a valid operator. Did you mean == ?)'
      : '';
  // packaging points at a position; an empty range is hard to see, so run it to the end of the text.
  const errorSpan = parsed.span.end > parsed.span.start || name.length === 0 ? parsed.span : { start: Math.min(parsed.span.start, name.length - 1), end: name.length };
  report(context, 'syntax', `Invalid requirement '${name}': ${parsed.message}${hint}`, remapSpan(line, from, errorSpan));
  return result;
}

/**
 * The extras of a `path[extra,…]` as pip reads them: it parses `placeholder[extra,…]` as a
 * requirement. `toSpan` maps a span of the bracket text (from its `[`) to the document.
 */
function trailingExtras(context: LineContext, brackets: string, toSpan: (local: Span) => Span): ExtraName[] {
  const placeholder = 'placeholder';
  const parsed = parseRequirement(placeholder + brackets, 0);
  if (!parsed.ok) {
    report(context, 'syntax', `pip rejects the extras '${brackets}': ${parsed.message}`, toSpan({ start: 0, end: brackets.length }));
    return [];
  }
  const shift = (local: Span): Span => ({ start: local.start - placeholder.length, end: local.end - placeholder.length });
  return parsed.value.extras.map((extra) => ({ ...extra, span: toSpan(shift(extra.span)) }));
}

function setPathExtras(context: LineContext, result: { extras: readonly ExtraName[] }, from: number, extrasMatch: TrailingExtras): void {
  if (!extrasMatch) return;
  const open = from + extrasMatch[1].length;
  result.extras = trailingExtras(context, extrasMatch[2], (local) => remapSpan(context.line, open, local));
}

function fillFromRequirement(
  context: LineContext,
  result: { -readonly [K in keyof RequirementParts]: RequirementParts[K] },
  offset: number,
  requirement: import('./pep508').Requirement,
): void {
  const line = context.line;
  result.form = 'named';
  result.name = requirement.name;
  result.normalizedName = canonicalizeName(requirement.name);
  result.nameSpan = remapSpan(line, offset, requirement.nameSpan);
  result.extras = requirement.extras.map((extra) => ({ ...extra, span: remapSpan(line, offset, extra.span) }));
  result.specifiers = requirement.specifiers.map((clause) => remapClause(line, offset, clause));
  result.specifierSpan = requirement.specifierSpan && remapSpan(line, offset, requirement.specifierSpan);
  if (requirement.marker && !result.marker) result.marker = remapMarker(line, offset, requirement.marker);
  if (requirement.url) {
    result.url = { value: requirement.url.value, span: remapSpan(line, offset, requirement.url.span) };
    result.link = describeLink(requirement.url.value);
    checkFileUrl(context, requirement.url.value, result.url.span);
  }
  for (const clause of result.specifiers) {
    if (clause.text.endsWith(']')) {
      report(context, 'syntax', `pip rejects extras after the version ('${clause.text}'): write name[extra]==version.`, clause.span);
    }
  }
}

/**
 * pip turns a file: URL into a path (InstallRequirement → Link.file_path → url_to_path) and stops
 * with an error where it cannot: a scheme not written `file:` in lower case (an assertion), or a
 * host other than `localhost`, which only Windows reads (as a network path).
 */
function checkFileUrl(context: LineContext, url: string, span: Span): void {
  if (urlScheme(url) !== 'file') return;
  if (!url.startsWith('file:')) {
    report(context, 'syntax', `pip stops with an error on this URL: it turns only URLs that start with 'file:' in lower case into paths ("You can only turn file: urls into filenames"). Write file: in lower case.`, span);
    return;
  }
  const host = /^file:\/\/([^/?#]*)/.exec(url)?.[1];
  if (host && host !== 'localhost') {
    report(context, 'syntax', `pip stops with an error on this URL on Linux and macOS: "non-local file URIs are not supported on this platform". '${host}' is a host: only pip on Windows reads it, as a network path. A local file is file:///path.`, span);
  }
}

/** What a URL or archive path tells pip: wheel name and version, or the `#egg=` name. */
function applyLink(
  context: LineContext,
  result: { -readonly [K in keyof RequirementParts]: RequirementParts[K] },
  link: LinkInfo,
  span: Span,
): void {
  result.link = link;
  if (link.isWheel) {
    const wheel = parseWheelFilename(link.filename);
    if (!wheel) {
      report(context, 'syntax', `pip rejects this requirement: ${link.filename} is not a valid wheel filename.`, span);
      return;
    }
    const parsed = parseRequirement(`${wheel.name}==${wheel.version}`, 0);
    if (!parsed.ok) {
      report(context, 'syntax', `pip rejects this wheel: '${wheel.name}==${wheel.version}' from its file name is not a valid requirement (${parsed.message}).`, span);
      return;
    }
    result.name = parsed.value.name;
    result.normalizedName = canonicalizeName(parsed.value.name);
    result.specifiers = parsed.value.specifiers.map((clause) => ({ ...clause, span, operatorSpan: span, versionSpan: span }));
    return;
  }
  nameFromEgg(context, result, link, span);
}

/** pip's parse_editable, minus the file-system lookups. */
function interpretEditable(context: LineContext, value: string, valueSpan: Span, constraint: boolean): RequirementParts {
  const result: { -readonly [K in keyof RequirementParts]: RequirementParts[K] } = emptyRequirement(value, valueSpan, true, constraint, []);
  const extrasMatch = splitTrailingExtras(value);
  const withoutExtras = extrasMatch ? extrasMatch[1] : value;
  if (withoutExtras.toLowerCase().startsWith('file:')) {
    result.form = 'url';
    result.url = { value: withoutExtras, span: valueSpan };
    checkFileUrl(context, withoutExtras, valueSpan);
    const link = describeLink(withoutExtras);
    result.link = link;
    nameFromEgg(context, result, link, valueSpan);
    setEditableExtras(context, result, extrasMatch, valueSpan);
    return result;
  }
  let url = value;
  for (const vcs of VCS_NAMES) {
    if (url.toLowerCase().startsWith(`${vcs}:`)) {
      url = `${vcs}+${url}`;
      break;
    }
  }
  const link = describeLink(url);
  if (link.isVcs) {
    result.form = 'url';
    result.url = { value, span: valueSpan };
    result.link = link;
    if (!link.eggFragment) {
      report(context, 'syntax', `pip cannot tell which project '${value}' is: add #egg=<project name> to the URL.`, valueSpan);
      return result;
    }
    nameFromEgg(context, result, link, valueSpan);
    return result;
  }
  // Anything else must be a local project directory, which only a file-system check can confirm.
  result.form = 'path';
  result.url = { value: withoutExtras, span: valueSpan };
  setEditableExtras(context, result, extrasMatch, valueSpan);
  result.localPath = {
    path: withoutExtras,
    span: valueSpan,
    expect: 'directory',
    missingMessage: `${value} is not a valid editable requirement. It should either be a path to a local project or a VCS URL (beginning with ${VCS_SCHEMES.join(', ')}).`,
  };
  return result;
}

/** What pip makes of a `#egg=` fragment: it parses the whole fragment as a requirement. */
function nameFromEgg(
  context: LineContext,
  result: { -readonly [K in keyof RequirementParts]: RequirementParts[K] },
  link: LinkInfo,
  span: Span,
): void {
  const egg = link.eggFragment;
  if (egg === undefined) return;
  if (!link.eggFragmentIsName) {
    report(context, 'deprecated', `The #egg=${egg} fragment is not a plain project name: pip has deprecated this and will reject it. Write 'name @ URL' and drop the egg fragment.`, span, false, { rule: 'egg-fragment-name', subject: egg });
  }
  const parsed = parseRequirement(egg, 0);
  if (!parsed.ok) {
    report(context, 'syntax', `pip rejects the #egg= name '${egg}': ${parsed.message}`, span);
    return;
  }
  result.name = parsed.value.name;
  result.normalizedName = canonicalizeName(parsed.value.name);
  // pip installs the extras of `#egg=name[extra]` (the only way to ask for extras of an editable
  // VCS URL); `.[extra]` after a file: URL overrides them (setEditableExtras).
  result.extras = parsed.value.extras.map((extra) => ({ ...extra, span }));
  result.specifiers = parsed.value.specifiers.map((clause) => ({ ...clause, span, operatorSpan: span, versionSpan: span }));
  // `#egg=p;python_version<"3"` (no "; " to split the line at) still carries a marker, and pip applies it.
  if (parsed.value.marker && !result.marker) result.marker = mapMarkerSpans(parsed.value.marker, () => span);
}

/** pip lower-cases an editable's extras (`get_requirement("placeholder" + extras.lower())`). */
function setEditableExtras(context: LineContext, result: { extras: readonly ExtraName[] }, extrasMatch: TrailingExtras, span: Span): void {
  if (extrasMatch) result.extras = trailingExtras(context, extrasMatch[2].toLowerCase(), () => span);
}

function remapSpan(line: LogicalLine, offset: number, local: Span): Span {
  return spanOf(line, offset + local.start, offset + local.end);
}

function remapClause(line: LogicalLine, offset: number, clause: SpecifierClause): SpecifierClause {
  return {
    ...clause,
    span: remapSpan(line, offset, clause.span),
    operatorSpan: remapSpan(line, offset, clause.operatorSpan),
    versionSpan: remapSpan(line, offset, clause.versionSpan),
  };
}

function remapMarker(line: LogicalLine, offset: number, marker: MarkerInfo): MarkerInfo {
  return mapMarkerSpans(marker, (local) => remapSpan(line, offset, local));
}

/**
 * Errors pip raises only after reading the whole file. Only lines of options alone set file-wide
 * options (req_file.handle_option_line): on a requirement or -r/-c line they are dropped.
 */
function checkFileOptionConflicts(entries: readonly Entry[], problems: Problem[]): void {
  let requireHashes = false;
  const noRequire: OptionNode[] = [];
  for (const entry of entries) {
    if (entry.kind !== 'options' || entry.rejected) continue;
    for (const option of entry.options) {
      if (option.spec.dest === 'require_hashes') requireHashes = true;
      else if (option.spec.dest === 'no_require_hashes') noRequire.push(option);
    }
  }
  if (requireHashes && noRequire.length > 0) {
    for (const option of noRequire) {
      problems.push({
        code: 'syntax',
        message: 'pip stops with an error: --require-hashes and --no-require-hashes are mutually exclusive.',
        span: option.span,
      });
    }
  }
}

