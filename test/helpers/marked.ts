// Test texts with their expected ranges marked inline: `⟦` opens a mark and `⟧` closes it. The
// marks are stripped before the text is used, and each mark becomes a range in the stripped
// text, numbered in the order the marks open (marks may nest: `⟦a ⟦b⟧⟧` is mark 0 around mark 1).
// `⟦⟧` marks an empty range. The brackets are U+27E6/U+27E7, which never occur in what is tested,
// so `[extras]` and `[[` stay plain text.
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from 'vscode-languageserver-types';
import type { Span } from '../../server/src/parser/types';

export const OPEN = '\u27e6';
export const CLOSE = '\u27e7';

export interface Marked {
  /** The text with every mark removed. */
  readonly text: string;
  /** Offsets of each mark in `text`, in the order the marks open. */
  readonly spans: readonly Span[];
  /** The same marks as LSP ranges of `text`. */
  readonly ranges: readonly Range[];
}

export function marked(source: string): Marked {
  let text = '';
  const spans: Array<{ start: number; end: number }> = [];
  const open: number[] = [];
  for (const char of source) {
    if (char === OPEN) {
      open.push(spans.length);
      spans.push({ start: text.length, end: -1 });
    } else if (char === CLOSE) {
      const index = open.pop();
      if (index === undefined) throw new Error(`unbalanced ${CLOSE} at ${text.length} in ${JSON.stringify(source)}`);
      spans[index].end = text.length;
    } else {
      text += char;
    }
  }
  if (open.length > 0) throw new Error(`unclosed ${OPEN} in ${JSON.stringify(source)}`);
  const document = TextDocument.create('file:///marked', 'plaintext', 1, text);
  const ranges = spans.map((span) => ({ start: document.positionAt(span.start), end: document.positionAt(span.end) }));
  return { text, spans, ranges };
}

export const CARET = '\u2038';

/**
 * A document at a cursor: `source` with its `‸` (U+2038) and marks removed, as an analyzed
 * document named `name`, and the cursor's offset in it.
 */
export function atCaret(source: string, name = 'requirements.txt'): { mark: Marked; document: TextDocument; offset: number; path: string } {
  const caret = source.indexOf(CARET);
  if (caret < 0) throw new Error(`the source needs a ${CARET}: ${JSON.stringify(source)}`);
  const mark = marked(source.replace(CARET, ''));
  const offset = source.slice(0, caret).replaceAll(OPEN, '').replaceAll(CLOSE, '').length;
  const path = `/work/project/${name}`;
  const document = TextDocument.create(`file://${path}`, name.endsWith('.py') ? 'python' : 'pip-requirements', 1, mark.text);
  return { mark, document, offset, path };
}

/** `line:character-line:character`, 0-based as in LSP: short, and readable in assertion diffs. */
export function formatRange(range: Range): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}
