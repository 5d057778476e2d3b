// Python's shlex.split (POSIX, no comments) with a source position for every character of every
// token: values as Python gives them, positions through quotes and escapes, and a compact map.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { charPosition, shlexSplit, type ShlexToken } from '../../server/src/parser/shlex';

function tokens(input: string): ShlexToken[] {
  const split = shlexSplit(input);
  assert.ok(split.ok, `${input}: ${JSON.stringify(split)}`);
  return split.tokens;
}

/** The input character each value character came from, as a string of the same length. */
function sources(input: string, token: ShlexToken): string {
  return [...token.value].map((_, k) => input[charPosition(token, k)]).join('');
}

test('values as Python shlex.split gives them; every character maps to where it was written', () => {
  const input = `--hash="sha256:ab\\"c" 'x y'z a\\ b "" plain "q\\\\r\\n"`;
  const split = tokens(input);
  assert.deepEqual(split.map((t) => t.value), ['--hash=sha256:ab"c', 'x yz', 'a b', '', 'plain', 'q\\r\\n']);
  for (const token of split) assert.equal(sources(input, token), token.value, token.value);
  assert.deepEqual(split.map((t) => input.slice(t.start, t.end)), ['--hash="sha256:ab\\"c"', "'x y'z", 'a\\ b', '""', 'plain', '"q\\\\r\\n"']);
});

test('errors: an unclosed quote and a trailing backslash', () => {
  assert.deepEqual(shlexSplit('a "b'), { ok: false, message: 'No closing quotation', at: 2 });
  assert.deepEqual(shlexSplit('a b\\'), { ok: false, message: 'No escaped character', at: 3 });
});

test('a token keeps one map entry per run of copied characters, not one per character', () => {
  // A quoted 100,000-character digest used to carry an array of 100,000 positions.
  const digest = 'a'.repeat(100_000);
  const [quoted, plain] = tokens(`--hash="sha256:${digest}" --pre`);
  assert.equal(quoted.value, `--hash=sha256:${digest}`);
  assert.ok((quoted.runs?.length ?? 0) <= 4, `${quoted.runs?.length} map entries`);
  assert.equal(charPosition(quoted, quoted.value.length - 1), 7 + 'sha256:'.length + digest.length);
  assert.equal(plain.runs, undefined);
});
