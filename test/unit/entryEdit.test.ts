// Rewriting an entry to a pin and hashes: pip-compile's layout, nothing outside the entry
// touched, idempotent. What pip reads back is checked in test/integration/entryEdit.pip.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyReplacements, type EntryChange, type TextReplacement } from '../../server/src/pip/entryEdit';
import { A, B, rewrite } from '../helpers/rewrite';


const cases: { name: string; before: string; change: EntryChange; after: string }[] = [
  { name: 'bare name', before: 'Django\n', change: { version: '4.2', sha256: [B, A] }, after: `Django==4.2 \\\n    --hash=sha256:${A} \\\n    --hash=sha256:${B}\n` },
  {
    name: 'range, extras, marker, trailing comment',
    before: '# web\nrequests[socks, security] >=2.0,<3 ;python_version>="3.8"  # why\nnext==1\n',
    change: { version: '2.31.0', sha256: [A] },
    after: `# web\nrequests[socks, security]==2.31.0 ; python_version>="3.8" \\\n    --hash=sha256:${A}  # why\nnext==1\n`,
  },
  {
    name: 'CRLF, existing hashes replaced, indentation kept',
    before: `  six==1.15.0 \\\r\n    --hash=sha256:${B}\r\nx==1\r\n`,
    change: { version: '1.16.0', sha256: [A] },
    after: `  six==1.16.0 \\\r\n    --hash=sha256:${A}\r\nx==1\r\n`,
  },
  { name: 'hashes only keep the requirement as written', before: 'Flask == 3.0.0\n', change: { sha256: [A] }, after: `Flask == 3.0.0 \\\n    --hash=sha256:${A}\n` },
  { name: 'pin only keeps existing hashes', before: `pytz>=2018 --hash=sha256:${A}\n`, change: { version: '2024.1' }, after: `pytz==2024.1 \\\n    --hash=sha256:${A}\n` },
  {
    name: 'other per-requirement options are kept on the first line',
    before: 'pkg>=1 --config-settings=k=v\n',
    change: { version: '1.2', sha256: [A] },
    after: `pkg==1.2 --config-settings=k=v \\\n    --hash=sha256:${A}\n`,
  },
  { name: 'no trailing newline', before: 'attrs', change: { version: '23.1.0', sha256: [A] }, after: `attrs==23.1.0 \\\n    --hash=sha256:${A}` },
];

for (const c of cases) {
  test(`rewrite: ${c.name}`, () => {
    const after = rewrite(c.before, c.change);
    assert.equal(after, c.after);
    assert.equal(rewrite(after, c.change), after, 'applying the same change twice changes nothing');
  });
}

test('applyReplacements gives what applying them one by one from the end gives: adjacent spans, insertions at one offset, overlaps', () => {
  const oneByOne = (text: string, replacements: readonly TextReplacement[]) =>
    [...replacements].sort((a, b) => b.span.start - a.span.start).reduce((result, { span, newText }) => result.slice(0, span.start) + newText + result.slice(span.end), text);
  let seed = 11;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  for (let round = 0; round < 500; round++) {
    const text = 'abcdefghij'.slice(0, random(11));
    const replacements = Array.from({ length: random(5) }, (_, i): TextReplacement => {
      const start = random(text.length + 1);
      // Mostly inside the text, now and then an overlap or a span past its end.
      const end = Math.min(start + random(4), text.length + random(2));
      return { span: { start, end }, newText: `<${i}>` };
    });
    assert.equal(applyReplacements(text, replacements), oneByOne(text, replacements), JSON.stringify({ text, replacements }));
  }
  assert.equal(applyReplacements('a\nb\n', [{ span: { start: 2, end: 2 }, newText: 'x\n' }, { span: { start: 2, end: 2 }, newText: 'y\n' }, { span: { start: 0, end: 1 }, newText: 'A' }]), 'A\ny\nx\nb\n');
});
