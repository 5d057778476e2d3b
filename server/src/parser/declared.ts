// What a library manifest declares (setup.py, setup.cfg, pyproject.toml): the requirement strings
// it states, each split and parsed the way the build backend reads it, and what cannot be read
// statically. Every feature that looks at a manifest (diagnostics, index diagnostics, hover,
// completion, `parse --json`) reads this one list.
import { lastIndexAtOrBefore } from './arrays';
import { parseRequirement, type Requirement } from './pep508';
import { pyStripBounds, splitPyLines } from './pyText';
import type { Problem, Span } from './types';

/** One string of a dependency list, as written in the manifest. */
export interface DeclaredString {
  /** The list it belongs to: `install_requires`, `extras_require`, … */
  readonly group: string;
  /** The optional-dependency key (extra) it is listed under, if any. */
  readonly extra?: string;
  /**
   * The PEP 735 dependency group it is listed under (pyproject.toml `[dependency-groups]`), as
   * written. Such a group is never part of the built package: library rules do not apply to it.
   */
  readonly dependencyGroup?: string;
  /** The string's value. */
  readonly value: string;
  /** The whole literal (with quotes), or the expression it was computed from. */
  readonly span: Span;
  /** The text between the quotes, present only when that text is exactly `value`. */
  readonly contentSpan?: Span;
  /**
   * Where the value's characters sit when the literal spells them differently (escape sequences,
   * a CRLF a TOML multi-line string reads as LF, configparser's `%%`): spans still map exactly.
   * Absent when `contentSpan` is there, and when the value cannot be mapped (then spans are the
   * whole literal, an approximation).
   */
  readonly pieces?: readonly ValuePiece[];
  /** Added or changed under a condition: not every install sees it. */
  readonly conditional: boolean;
}

/** One requirement of a declared string (a setuptools string may hold several lines). */
export interface DeclaredRequirement {
  readonly string: DeclaredString;
  /** The requirement text, without surrounding whitespace or comment. */
  readonly text: string;
  /** Where `text` starts in `string.value`. */
  readonly offset: number;
  /** The PEP 508 parse; its spans count in `string.value` (see `declaredSpan`). */
  readonly parsed: { readonly ok: true; readonly value: Requirement } | { readonly ok: false; readonly message: string; readonly span: Span };
}

export interface Declarations {
  readonly strings: readonly DeclaredString[];
  readonly requirements: readonly DeclaredRequirement[];
  /** What keeps the lists from being read (a syntax error, values computed at run time). */
  readonly problems: readonly Problem[];
}

/**
 * A stretch of a string's value and the text it comes from: `length` characters of the value from
 * offset `value` are spelled by `documentLength` characters of the document from `document`.
 * Copied text has both lengths equal; an escape sequence is a piece of its own.
 */
export interface ValuePiece {
  readonly value: number;
  readonly document: number;
  readonly length: number;
  readonly documentLength: number;
}

/** Builds the pieces of a value from left to right; copied runs that touch are merged. */
export class ValuePieces {
  private readonly pieces: ValuePiece[] = [];
  private valueLength = 0;

  /** `length` characters copied as they are from `document`. */
  copy(document: number, length: number): void {
    if (length === 0) return;
    const last = this.pieces[this.pieces.length - 1];
    if (last && last.length === last.documentLength && last.document + last.documentLength === document) {
      this.pieces[this.pieces.length - 1] = { ...last, length: last.length + length, documentLength: last.documentLength + length };
    } else {
      this.pieces.push({ value: this.valueLength, document, length, documentLength: length });
    }
    this.valueLength += length;
  }

  /** `documentLength` characters of the document that stand for `length` characters of the value (0: dropped text). */
  spell(document: number, documentLength: number, length: number): void {
    if (length === 0) return;
    this.pieces.push({ value: this.valueLength, document, length, documentLength });
    this.valueLength += length;
  }

  get length(): number {
    return this.valueLength;
  }

  /** Whether every piece is copied text in one run: the value is then the document text itself. */
  get isVerbatim(): boolean {
    return this.pieces.length <= 1 && this.pieces.every((piece) => piece.length === piece.documentLength);
  }

  done(): readonly ValuePiece[] {
    return this.pieces;
  }
}

/** The index of the last piece that starts at or before value offset `at` (pieces are sorted and non-empty). */
function pieceIndexAt(pieces: readonly ValuePiece[], at: number): number {
  return lastIndexAtOrBefore(pieces.length, (i) => pieces[i].value, at);
}

/** Where value offset `at` starts (`edge` 'start') or where the character before it ends ('end'). */
function documentOffset(pieces: readonly ValuePiece[], at: number, edge: 'start' | 'end'): number {
  const piece = pieces[pieceIndexAt(pieces, edge === 'end' && at > 0 ? at - 1 : at)];
  const into = at - piece.value;
  if (into <= 0) return piece.document;
  if (into >= piece.length) return piece.document + piece.documentLength;
  if (piece.length === piece.documentLength) return piece.document + into;
  // Inside an escape that spells several characters (`\U0001F600`): a span takes all of it.
  return edge === 'end' ? piece.document + piece.documentLength : piece.document;
}

/**
 * Where `value[from, to)` (not empty) sits, for a part of a value whose pieces are known: exactly
 * its text when that is copied, else its own pieces.
 */
export function placeValueRange(pieces: readonly ValuePiece[], from: number, to: number): { span: Span; contentSpan?: Span; pieces?: readonly ValuePiece[] } {
  const span = { start: documentOffset(pieces, from, 'start'), end: documentOffset(pieces, to, 'end') };
  const own: ValuePiece[] = [];
  for (let i = pieceIndexAt(pieces, from); i < pieces.length && pieces[i].value < to; i++) {
    const piece = pieces[i];
    const start = Math.max(piece.value, from);
    const end = Math.min(piece.value + piece.length, to);
    if (end <= start) continue;
    if (piece.length === piece.documentLength) {
      own.push({ value: start - from, document: piece.document + (start - piece.value), length: end - start, documentLength: end - start });
    } else {
      own.push({ ...piece, value: piece.value - from });
    }
  }
  const copied = own.length <= 1 && own.every((piece) => piece.length === piece.documentLength);
  return copied ? { span, contentSpan: span } : { span, pieces: own };
}

/** A span of a string's value placed in the document: exact where the literal is the value or its pieces are known, else the whole literal. */
export function declaredSpan(string: DeclaredString, span: Span): Span {
  if (string.contentSpan) return { start: string.contentSpan.start + span.start, end: string.contentSpan.start + span.end };
  const pieces = string.pieces;
  if (!pieces || pieces.length === 0) return string.span;
  const start = documentOffset(pieces, span.start, 'start');
  return { start, end: span.end <= span.start ? start : documentOffset(pieces, span.end, 'end') };
}

/** How a message names the list a string is in: `extras_require[test]`, `dependency-groups[dev]`. */
export function declaredListName(string: DeclaredString): string {
  const key = string.extra ?? string.dependencyGroup;
  return key === undefined ? string.group : `${string.group}[${key}]`;
}

/**
 * The requirement lines of a string as setuptools reads them (pkg_resources' yield_lines and
 * drop_comment): lines are stripped, blank lines and '#' lines are skipped, and ' #' starts a
 * comment. So '' or '# note' in a list is not an invalid requirement, and 'a\nb' is two.
 * `offset` is where the text starts in `value`.
 */
export function setuptoolsLines(value: string): { text: string; offset: number }[] {
  const lines: { text: string; offset: number }[] = [];
  for (const line of splitPyLines(value)) {
    const [start, end] = pyStripBounds(value, line.start, line.end);
    if (start === end || value[start] === '#') continue;
    // Looked for in the line only: searching the rest of the value from every line is quadratic.
    const text = value.slice(start, end);
    const comment = text.indexOf(' #');
    lines.push({ text: comment < 0 ? text : text.slice(0, comment), offset: start });
  }
  return lines;
}

/** Declared requirements of strings whose lines follow setuptools' rules. */
export function setuptoolsRequirements(strings: readonly DeclaredString[]): DeclaredRequirement[] {
  return strings.flatMap((string) =>
    setuptoolsLines(string.value).map(({ text, offset }) => ({ string, text, offset, parsed: parseRequirement(text, offset) })),
  );
}

/** Declared requirements of strings that are one PEP 508 requirement each, as packaging reads them (pyproject.toml). */
export function pep508Requirements(strings: readonly DeclaredString[]): DeclaredRequirement[] {
  return strings.map((string) => ({ string, text: string.value, offset: 0, parsed: parseRequirement(string.value) }));
}

/** The longest manifest read: real ones have a few thousand characters, and a TOML file this long takes the parser about a second. */
export const MAX_MANIFEST_LENGTH = 500_000;

/** A manifest too long to read, as a problem: nothing in it is then checked. */
export function oversizedManifest(text: string, label: string): Problem | undefined {
  if (text.length <= MAX_MANIFEST_LENGTH) return undefined;
  return {
    code: 'unresolved-install-requires',
    message: `This ${label} has ${text.length.toLocaleString('en-US')} characters: reqguard reads manifests of up to ${MAX_MANIFEST_LENGTH.toLocaleString('en-US')}, so its dependencies are not checked.`,
    span: { start: 0, end: 0 },
  };
}

/** Every problem of the declarations, in document coordinates: what blocks reading, then requirements pip would reject. */
export function declarationProblems(declarations: Declarations): Problem[] {
  const problems = [...declarations.problems];
  for (const { string, text, parsed } of declarations.requirements) {
    if (!parsed.ok) problems.push({ code: 'syntax', message: `Invalid requirement '${text}' in ${declaredListName(string)}: ${parsed.message}`, span: declaredSpan(string, parsed.span) });
  }
  return problems;
}
