// The editor's incremental analysis against the whole one: after every edit of random edit
// sequences over the corpus's real files, reparseRequirementsFile (only the touched lines parsed
// again, the rest moved) must give exactly what parseRequirementsFile gives, and the engine's
// offline diagnostics built on the earlier analysis exactly what a fresh analysis gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeFile, offlineDiagnostics, type AnalyzedFile, type FileSources } from '../../server/src/engine/engine';
import { decodeRequirementsBytes } from '../../server/src/parser/pyText';
import { parseRequirementsFile, reparseRequirementsFile, type RequirementsDocument } from '../../server/src/parser/requirementsFile';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { corpusDir } from '../helpers/corpus';
import { mutate, PIECES, Random } from '../helpers/fuzz';

const ENV = { X: 'x', PATH: '/bin', INDEX: 'https://example.org/simple' };

function corpusFiles(): [string, string][] {
  const dir = join(corpusDir(), 'requirements');
  return readdirSync(dir)
    .sort()
    .map((name) => [name, decodeRequirementsBytes(readFileSync(join(dir, name))).text]);
}

/** One small edit, as typing makes them: a character or piece typed, one deleted, a line broken or joined. */
function typingEdit(random: Random, text: string): string {
  const at = random.int(text.length + 1);
  switch (random.int(6)) {
    case 0:
      return text.slice(0, at) + text.slice(at + 1 + random.int(3));
    case 1:
      return text.slice(0, at) + random.pick(['\n', '\\', '\\\n', '\r', '\r\n', '#', ' ', '\u2028']) + text.slice(at);
    case 2:
      return text.slice(0, at) + random.pick(PIECES) + text.slice(at);
    default:
      return text.slice(0, at) + String.fromCharCode(0x20 + random.int(0x5f)) + text.slice(at);
  }
}

/** Asserts the incremental parse equals the whole one, and returns it. */
function reparsed(previous: RequirementsDocument, text: string, context: string): RequirementsDocument {
  const incremental = reparseRequirementsFile(previous, text, { env: ENV });
  assert.deepStrictEqual(incremental, parseRequirementsFile(text, { env: ENV }), context);
  return incremental;
}

test('reparse equals a whole parse after each of random edit sequences over every corpus file', () => {
  const random = new Random(0x1d17);
  let edits = 0;
  for (const [name, original] of corpusFiles()) {
    let text = original;
    let document = parseRequirementsFile(text, { env: ENV });
    // Comparing the largest files takes a tenth of a second a time: fewer edits there.
    const steps = text.length > 50_000 ? 3 : 15;
    for (let step = 0; step < steps; step++) {
      text = step % 5 === 4 ? mutate(random, text, 3) : typingEdit(random, text);
      document = reparsed(document, text, `${name}, edit ${step}`);
      edits++;
    }
  }
  assert.ok(edits >= 750, `${edits} edits`);
});

test('reparse parses only the touched logical lines: entries before the edit are kept, those after moved', () => {
  const lines = Array.from({ length: 50 }, (_, i) => `pkg${i}==1.${i} \\\n    --hash=sha256:${String(i).padStart(64, '0')}`);
  const text = `${lines.join('\n')}\n`;
  const before = parseRequirementsFile(text, { env: ENV });
  const at = text.indexOf('pkg25') + 3;
  const after = reparsed(before, `${text.slice(0, at)}x${text.slice(at)}`, 'typing in entry 25');
  assert.equal(after.entries[24], before.entries[24], 'an entry before the edit is the same object');
  assert.notEqual(after.entries[30], before.entries[30]);
  assert.equal(after.entries[30].span.start, before.entries[30].span.start + 1);
  assert.equal(after.entries[30].text, before.entries[30].text);
  // A line break moves the line numbers after it; removing it moves them back.
  const broken = reparsed(after, `${text.slice(0, at)}\n${text.slice(at)}`, 'a line break');
  assert.equal(broken.entries.at(-1)!.line, before.entries.at(-1)!.line + 1);
  const back = reparsed(broken, text, 'the line break removed');
  assert.equal(reparseRequirementsFile(back, text, { env: ENV }), back, 'the same text: the same parse');
});

test('reparse: edits that change how lines join and split', () => {
  const cases: [string, string][] = [
    ['a==1\nb==2\n', 'a==1 \\\nb==2\n'], // a continuation joins the next line
    ['a==1 \\\nb==2\nc==3\n', 'a==1 \nb==2\nc==3\n'], // and ends
    ['a==1\rb==2\n', 'a==1\r\nb==2\n'], // \r then \n: one line break
    ['a==1\r\nb==2\n', 'a==1\rx\nb==2\n'], // split apart again
    ['# c \\\nb==2\n', 'x # c \\\nb==2\n'], // a comment line stops being one
    ['a==1 \\\n', 'a==1 \\\nb==2'], // a trailing continuation continues
    ['a==1\n', ''],
    ['', '-r x.txt\n--require-hashes\n'],
    ['--require-hashes\nb==2\n', '--require-hashes\n--no-require-hashes\nb==2\n'], // a file-wide conflict appears
    ['a==${X}\n', 'a==${X}${X}\n'],
    ['a==1\n', '\ufeffa==1\n'],
  ];
  for (const [from, to] of cases) reparsed(parseRequirementsFile(from, { env: ENV }), to, JSON.stringify([from, to]));
});

test('reparse with other options, or past the limits, is a whole parse', () => {
  const text = 'a==${X}\n';
  const withEnv = parseRequirementsFile(text, { env: ENV });
  assert.deepStrictEqual(reparseRequirementsFile(withEnv, 'a==${X}1\n', { env: { X: 'y' } }), parseRequirementsFile('a==${X}1\n', { env: { X: 'y' } }));
  assert.deepStrictEqual(reparseRequirementsFile(withEnv, text, { env: ENV, constraint: true }), parseRequirementsFile(text, { env: ENV, constraint: true }));
  // Blank lines: the limit counts lines, and entries would only make the comparison slow.
  const tooMany = '\n'.repeat(200_001);
  const cut = parseRequirementsFile(tooMany, { env: ENV });
  assert.deepStrictEqual(reparseRequirementsFile(cut, `b\n${tooMany}`, { env: ENV }), parseRequirementsFile(`b\n${tooMany}`, { env: ENV }));
  const near = '\n'.repeat(200_000);
  assert.deepStrictEqual(reparseRequirementsFile(parseRequirementsFile(near, { env: ENV }), `b\n${near}`, { env: ENV }), parseRequirementsFile(`b\n${near}`, { env: ENV }));
});

test('offline diagnostics built on the earlier analysis equal those of a fresh analysis after each edit', () => {
  const random = new Random(0xd1a6);
  const sources: FileSources = { reader: { read: (path) => (path.endsWith('base.txt') ? 'six==1.16.0 --hash=sha256:' + 'a'.repeat(64) + '\n' : undefined) }, env: ENV };
  for (const [name, original] of corpusFiles().filter((_, i) => i % 3 === 0)) {
    let text = `-r base.txt\n${original}`;
    let version = 1;
    let earlier: AnalyzedFile | undefined;
    for (let step = 0; step < 12; step++) {
      const document = TextDocument.create('file:///w/requirements.txt', 'pip-requirements', version++, text);
      const incremental = analyzeFile(document, '/w/requirements.txt', sources, { onDisk: true, earlier });
      const fresh = analyzeFile(document, '/w/requirements.txt', sources, { onDisk: true });
      assert.deepStrictEqual(offlineDiagnostics(incremental, DEFAULT_SETTINGS), offlineDiagnostics(fresh, DEFAULT_SETTINGS), `${name}, edit ${step}`);
      earlier = incremental;
      text = typingEdit(random, text);
    }
  }
});

test('entries kept from edit to edit do not keep the versions they were parsed in alive', () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  // 1 MB of comment lines: each version of the text is a megabyte.
  const comment = `# ${'x'.repeat(5000)}\n`;
  let text = comment.repeat(200);
  let document = parseRequirementsFile(text, { env: ENV });
  // Typing in the middle: each typed line is an entry parsed from one version and kept (moved) through every later edit.
  let cursor = comment.length * 100;
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let line = 0; line < 40; line++) {
    for (const typed of `a-long-project-name-${line}==1.0.0\n`) {
      text = text.slice(0, cursor) + typed + text.slice(cursor);
      cursor += typed.length;
      document = reparseRequirementsFile(document, text, { env: ENV });
    }
  }
  gc();
  const grown = process.memoryUsage().heapUsed - before;
  assert.equal(document.entries.length, 40);
  // Kept versions would be 40 MB; the entries themselves are a few kilobytes.
  assert.ok(grown < 8 * 1024 * 1024, `the heap grew by ${(grown / 1024 / 1024).toFixed(1)} MB`);
});
