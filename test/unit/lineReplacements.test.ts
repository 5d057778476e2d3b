// lineReplacements (the lock's --dry-run diff): its replacements turn the old text into the new
// one, and change no more lines than a longest common subsequence says must change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineReplacements } from '../../server/src/engine/lineDiff';
import { applyReplacements } from '../../server/src/pip/entryEdit';

/** Lines of the old text left untouched at best: the length of a longest common subsequence. */
function commonLines(a: readonly string[], b: readonly string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (const line of a) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = line === b[j - 1] ? diagonal + 1 : Math.max(row[j], row[j - 1]);
      diagonal = above;
    }
  }
  return row[b.length];
}

const lines = (text: string) => text.split(/(?<=\n)/).filter((line) => line !== '');

test('random edits: the replacements give the new text, touching only lines that must change', () => {
  let seed = 7;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  for (let round = 0; round < 300; round++) {
    const words = ['a\n', 'b\n', 'c\n', 'd \\\n', '    # via x\n', 'e'];
    const old = Array.from({ length: random(12) }, () => words[random(words.length - 1)]).join('') + (random(3) === 0 ? 'e' : '');
    const next = Array.from({ length: random(12) }, () => words[random(words.length - 1)]).join('') + (random(3) === 0 ? 'e' : '');
    const replacements = lineReplacements(old, next);
    assert.equal(applyReplacements(old, replacements), next, JSON.stringify({ old, next }));
    const removed = replacements.reduce((sum, r) => sum + lines(old.slice(r.span.start, r.span.end)).length, 0);
    assert.equal(removed, lines(old).length - commonLines(lines(old), lines(next)), JSON.stringify({ old, next }));
  }
});

test('equal texts need no replacement; an insertion is an empty span', () => {
  assert.deepEqual(lineReplacements('a\nb\n', 'a\nb\n'), []);
  assert.deepEqual(lineReplacements('a\nc\n', 'a\nb\nc\n'), [{ span: { start: 2, end: 2 }, newText: 'b\n' }]);
});
