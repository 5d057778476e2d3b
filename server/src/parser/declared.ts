// What a library manifest declares (setup.py today; pyproject.toml and setup.cfg are further
// formats of the same shape): the requirement strings it states, each split and parsed the way
// the build backend reads it, and what cannot be read statically. Every feature that looks at a
// manifest (diagnostics, index diagnostics, hover, completion, `parse --json`) reads this one list.
import { parseRequirement, type Requirement } from './pep508';
import { pyStripBounds, splitPyLines } from './pyText';
import type { Problem, Span } from './types';

/** One string of a dependency list, as written in the manifest. */
export interface DeclaredString {
  /** The list it belongs to: `install_requires`, `extras_require`, … */
  readonly group: string;
  /** The optional-dependency key (extra) it is listed under, if any. */
  readonly extra?: string;
  /** The string's value. */
  readonly value: string;
  /** The whole literal (with quotes), or the expression it was computed from. */
  readonly span: Span;
  /** The text between the quotes, present only when that text is exactly `value`. */
  readonly contentSpan?: Span;
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

/** A span of a string's value placed in the document: exact where the literal is the value, else the whole literal. */
export function declaredSpan(string: DeclaredString, span: Span): Span {
  return string.contentSpan ? { start: string.contentSpan.start + span.start, end: string.contentSpan.start + span.end } : string.span;
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

/** Every problem of the declarations, in document coordinates: what blocks reading, then requirements pip would reject. */
export function declarationProblems(declarations: Declarations): Problem[] {
  const problems = [...declarations.problems];
  for (const { string, text, parsed } of declarations.requirements) {
    if (!parsed.ok) problems.push({ code: 'syntax', message: `Invalid requirement '${text}' in ${string.group}: ${parsed.message}`, span: declaredSpan(string, parsed.span) });
  }
  return problems;
}
