// Line replacements between two texts (Myers' shortest edit script), for files rewritten whole
// (the lock output): the CLI's --dry-run diff and the editor's edit then touch only the lines
// that changed. Pure.
import type { TextReplacement } from '../pip/entryEdit';

/** Lines with their '\n' kept, so joining them gives the text back. */
function splitLines(text: string): string[] {
  return text.split(/(?<=\n)/).filter((line) => line !== '');
}

/** Past this many changed lines, a rewrite is diffed as one replacement (Myers' work grows with the square). */
const MAX_EDIT_DISTANCE = 4000;

/**
 * The line replacements that turn `oldText` into `newText` (Myers' shortest edit script), for a
 * file rewritten whole (the lock output): `unifiedDiff(label, oldText, replacements)` then shows
 * only the lines that changed.
 */
export function lineReplacements(oldText: string, newText: string): TextReplacement[] {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  const n = a.length;
  const m = b.length;
  const offset = n + m + 1;
  let v = new Int32Array(2 * offset + 1);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= Math.min(n + m, MAX_EDIT_DISTANCE) && !found; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
    v = next;
  }
  const starts: number[] = [0];
  for (const line of a) starts.push(starts[starts.length - 1] + line.length);
  if (!found) return oldText === newText ? [] : [{ span: { start: 0, end: oldText.length }, newText }];
  // Walk back through the trace: each step is one inserted or deleted line, after a run of equal ones.
  const edits: { oldStart: number; oldEnd: number; newStart: number; newEnd: number }[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const previous = trace[d];
    const k = x - y;
    const down = k === -d || (k !== d && previous[offset + k - 1] < previous[offset + k + 1]);
    const prevK = down ? k + 1 : k - 1;
    const prevX = previous[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
    }
    edits.push(down ? { oldStart: prevX, oldEnd: prevX, newStart: prevY, newEnd: prevY + 1 } : { oldStart: prevX, oldEnd: prevX + 1, newStart: prevY, newEnd: prevY });
    x = prevX;
    y = prevY;
  }
  edits.reverse();
  // Adjacent edits become one replacement of old lines [oldStart, oldEnd) by new lines [newStart, newEnd).
  const merged: typeof edits = [];
  for (const edit of edits) {
    const last = merged[merged.length - 1];
    if (last && last.oldEnd === edit.oldStart && last.newEnd === edit.newStart) merged[merged.length - 1] = { ...last, oldEnd: edit.oldEnd, newEnd: edit.newEnd };
    else merged.push(edit);
  }
  return merged.map((edit) => ({ span: { start: starts[edit.oldStart], end: starts[edit.oldEnd] }, newText: b.slice(edit.newStart, edit.newEnd).join('') }));
}
