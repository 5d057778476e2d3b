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
  /**
   * Set where the verdict depends on the installer's version (pip/installer.ts decides): the
   * message is the latest pip's, and `subject` what it is about (the fragment, the option).
   */
  readonly installerRule?: { readonly rule: 'egg-fragment-name' | 'removed-option' | 'weak-hash-algorithm'; readonly subject: string };
}

export function span(start: number, end: number): Span {
  return { start, end };
}
