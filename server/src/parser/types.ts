// Shared parser types. The parser layer is pure: no IO, no LSP imports, never throws on input.

/** A half-open range [start, end) of UTF-16 code-unit offsets into the original document text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** Something the parser found wrong, reported as data. `code` is a stable diagnostic code. */
export interface Problem {
  readonly code: string;
  readonly message: string;
  readonly span: Span;
}

export function span(start: number, end: number): Span {
  return { start, end };
}
