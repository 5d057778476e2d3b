// The diff `reqguard fix --dry-run` prints, built from replacement spans: for changes whose lines
// differ throughout, it must be exactly what GNU `diff -u` prints, and `patch` must apply it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { unifiedDiff } from '../../../server/src/cli/unifiedDiff';
import { applyReplacements, type TextReplacement } from '../../../server/src/pip/entryEdit';
import { PATCH, skipWithout } from '../../support/optionalProgram';
import { tempDir } from '../../helpers/tempDirs';

const exec = promisify(execFile);

/** Replaces the first occurrence of each `[find, newText]` (each `find` occurs once in the text). */
function replacements(text: string, ...edits: [find: string, newText: string][]): TextReplacement[] {
  return edits.map(([find, newText]) => {
    const start = text.indexOf(find);
    assert.ok(start >= 0 && text.indexOf(find, start + 1) < 0, find);
    return { span: { start, end: start + find.length }, newText };
  });
}

const lines = (count: number, eol = '\n') => Array.from({ length: count }, (_, i) => `line ${i + 1}${eol}`).join('');

const CASES: { name: string; text: string; edits: [string, string][] }[] = [
  { name: 'one change in the middle', text: lines(20), edits: [['line 10', 'changed 10']] },
  { name: 'changes six lines apart share a hunk', text: lines(30), edits: [['line 5\n', 'five a\nfive b\n'], ['line 12', 'twelve']] },
  { name: 'changes seven lines apart get their own hunks', text: lines(30), edits: [['line 5', 'five'], ['line 13', 'thirteen']] },
  { name: 'first and last lines, no newline at the end', text: lines(8).slice(0, -1), edits: [['line 1', 'first'], ['line 8', 'last \\\n    --hash=x']] },
  { name: 'the last line unchanged without a newline, inside the context', text: lines(5).slice(0, -1), edits: [['line 3', 'three']] },
  { name: 'a continuation of three lines becomes one', text: `a\nreq \\\n    --hash=1 \\\n    --hash=2\nz\n`, edits: [['req \\\n    --hash=1 \\\n    --hash=2', 'req==1.0']] },
  { name: 'two replacements on one line', text: 'a\nalpha beta\nc\n', edits: [['alpha', 'ALPHA'], ['beta', 'BETA \\\n    x']] },
  { name: 'CRLF lines keep their CR', text: lines(10, '\r\n'), edits: [['line 4', 'four \\\r\n    --hash=sha256:abc']] },
  { name: 'a replacement that joins two lines', text: lines(6), edits: [['line 2\nline 3', 'line 2+3']] },
  { name: 'a newline added at the very end', text: 'x\ny', edits: [['y', 'y\n']] },
  { name: 'the final newline removed', text: 'x\ny\n', edits: [['y\n', 'y']] },
];

for (const { name, text, edits } of CASES) {
  test(`unifiedDiff = diff -u, and patch applies it: ${name}`, { skip: skipWithout(PATCH) }, async () => {
    const dir = tempDir('diff');
    const planned = replacements(text, ...edits);
    const fixed = applyReplacements(text, planned);
    writeFileSync(join(dir, 'old'), text);
    writeFileSync(join(dir, 'new'), fixed);
    const expected = await exec('diff', ['-u', '--label', 'a/F', '--label', 'b/F', 'old', 'new'], { cwd: dir, encoding: 'utf8' }).then(
      () => '',
      (error: { code: number; stdout: string }) => (error.code === 1 ? error.stdout : Promise.reject(error)),
    );
    const diff = unifiedDiff('F', text, planned);
    assert.equal(diff, expected);
    writeFileSync(join(dir, 'F'), text);
    writeFileSync(join(dir, 'diff'), diff);
    await exec('patch', ['--quiet', '--no-backup-if-mismatch', '-p1', '-i', 'diff'], { cwd: dir });
    assert.equal(readFileSync(join(dir, 'F'), 'utf8'), fixed);
  });
}

test('unifiedDiff: no replacements, or ones that change nothing, give no diff', () => {
  assert.equal(unifiedDiff('F', lines(3), []), '');
  assert.equal(unifiedDiff('F', lines(3), replacements(lines(3), ['line 2', 'line 2'])), '');
});
