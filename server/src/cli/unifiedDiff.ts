// A unified diff (the `diff -u` / git layout, 3 lines of context) of a text and the replacements
// planned for it. Only the lines the replacements touch differ, so the diff is built from their
// spans; no general diff algorithm is needed. Lines are split after '\n' as diff and patch split
// them (a CR stays part of its line), and a last line without one is marked as diff marks it.
import { applyReplacements, type TextReplacement } from '../pip/entryEdit';

export const DIFF_CONTEXT = 3;

const NO_NEWLINE = '\\ No newline at end of file\n';

/** Lines with their '\n' kept, so joining them gives the text back. */
function splitLines(text: string): string[] {
  return text.split(/(?<=\n)/).filter((line) => line !== '');
}

/** Lines `start` to `end` (exclusive) of the old text are replaced by `lines`. */
interface LineChange {
  readonly start: number;
  readonly end: number;
  readonly lines: readonly string[];
}

/**
 * The replacements as whole-line changes, in order. Replacements sharing a line become one
 * change, and a change whose new text no longer ends its last line takes in the next line too.
 */
function lineChanges(text: string, oldLines: readonly string[], replacements: readonly TextReplacement[]): LineChange[] {
  const starts: number[] = [];
  for (let offset = 0, i = 0; i < oldLines.length; offset += oldLines[i++].length) starts.push(offset);
  const count = oldLines.length;
  const offsetOf = (line: number) => (line < count ? starts[line] : text.length);
  const lineOf = (offset: number) => {
    let low = 0;
    let high = count;
    // The first line starting after `offset`, minus one (`count` for the end of a text ending in '\n').
    while (low < high) {
      const middle = (low + high) >> 1;
      if (starts[middle] <= offset) low = middle + 1;
      else high = middle;
    }
    return offset >= text.length && (count === 0 || text.endsWith('\n')) ? count : low - 1;
  };
  const sorted = [...replacements].sort((a, b) => a.span.start - b.span.start);
  const changes: LineChange[] = [];
  for (let i = 0; i < sorted.length; ) {
    const start = lineOf(sorted[i].span.start);
    let end = start;
    const group: TextReplacement[] = [];
    let lines: string[];
    for (;;) {
      for (; i < sorted.length && (group.length === 0 || lineOf(sorted[i].span.start) < end); i++) {
        const { span } = sorted[i];
        group.push(sorted[i]);
        // Lines inserted before a line (an empty span at its start) leave that line alone.
        const insertion = span.start === span.end && offsetOf(lineOf(span.start)) === span.start && newTextEndsLine(sorted[i].newText);
        end = insertion ? Math.max(end, start) : Math.min(count, Math.max(end, lineOf(Math.max(span.start, span.end - 1)) + 1));
      }
      const from = offsetOf(start);
      const block = text.slice(from, offsetOf(end));
      const changed = applyReplacements(block, group.map((r) => ({ span: { start: r.span.start - from, end: r.span.end - from }, newText: r.newText })));
      lines = splitLines(changed);
      if (changed.endsWith('\n') || changed === '' || end >= count) break;
      end++;
    }
    const old = oldLines.slice(start, end);
    if (old.length !== lines.length || old.some((line, k) => line !== lines[k])) changes.push({ start, end, lines });
  }
  return changes;
}

function newTextEndsLine(text: string): boolean {
  return text === '' || text.endsWith('\n');
}

function hunkRange(from: number, count: number): string {
  // diff's convention: an empty range is numbered by the line before it, a single line by itself.
  const start = count === 0 ? from : from + 1;
  return count === 1 ? `${start}` : `${start},${count}`;
}

function diffLine(prefix: ' ' | '-' | '+', line: string): string {
  return line.endsWith('\n') ? prefix + line : `${prefix}${line}\n${NO_NEWLINE}`;
}

/**
 * The unified diff that turns `text` into `applyReplacements(text, replacements)`, with
 * `--- a/LABEL` / `+++ b/LABEL` headers (for `patch -p1` and `git apply`); empty when nothing
 * changes. Changes closer than twice the context share a hunk, as diff and git print them.
 */
export function unifiedDiff(label: string, text: string, replacements: readonly TextReplacement[], context = DIFF_CONTEXT): string {
  const oldLines = splitLines(text);
  const changes = lineChanges(text, oldLines, replacements);
  if (changes.length === 0) return '';
  const out = [`--- a/${label}\n`, `+++ b/${label}\n`];
  /** How many lines the new text has more than the old, before the current hunk. */
  let shift = 0;
  for (let first = 0; first < changes.length; ) {
    let last = first;
    while (last + 1 < changes.length && changes[last + 1].start - changes[last].end <= 2 * context) last++;
    const from = Math.max(0, changes[first].start - context);
    const to = Math.min(oldLines.length, changes[last].end + context);
    const body: string[] = [];
    let line = from;
    let added = 0;
    for (const change of changes.slice(first, last + 1)) {
      for (; line < change.start; line++) body.push(diffLine(' ', oldLines[line]));
      for (; line < change.end; line++) body.push(diffLine('-', oldLines[line]));
      for (const newLine of change.lines) body.push(diffLine('+', newLine));
      added += change.lines.length - (change.end - change.start);
    }
    for (; line < to; line++) body.push(diffLine(' ', oldLines[line]));
    const oldCount = to - from;
    out.push(`@@ -${hunkRange(from, oldCount)} +${hunkRange(from + shift, oldCount + added)} @@\n`, ...body);
    shift += added;
    first = last + 1;
  }
  return out.join('');
}

