// `reqguard fix` and `reqguard lock` ask for the project pages while the interpreter they pin for
// is still being asked (cli/fix.ts with engine prefetchProjects, cli/lock.ts with
// prefetchLockRoots): a slow interpreter no longer delays the first request.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PYTHON3, skipWithout } from '../../support/optionalProgram';
import { startTestIndex, type TestIndex } from '../../support/testIndex';
import { run, workspace } from './runCli';

let index: TestIndex;
before(async () => {
  index = await startTestIndex({ projects: { six: { versions: { '1.16.0': {} } }, tzdata: { versions: { '2024.1': {}, '2024.2': {} } } } });
});
after(() => index.close());

/** An interpreter that takes two seconds before it answers, and notes when it started answering (in `dir`/answered-at). */
function slowPythonIn(dir: string): string {
  const slowPython = join(dir, 'slow-python');
  writeFileSync(slowPython, `#!/bin/sh\nsleep 2\ndate +%s%3N > "${join(dir, 'answered-at')}"\nexec python3 "$@"\n`);
  chmodSync(slowPython, 0o755);
  return slowPython;
}

/** The project pages asked for since request `from`, each checked to have arrived before the interpreter answered. */
function pagesAskedBeforeTheInterpreter(dir: string, from: number): string[] {
  const answeredAt = Number(readFileSync(join(dir, 'answered-at'), 'utf8'));
  const pages = index.requests.slice(from).filter((request) => request.route === 'simple-project');
  for (const page of pages) assert.ok(page.receivedAt < answeredAt, `${page.path} was asked ${page.receivedAt - answeredAt} ms after the interpreter answered`);
  return pages.map((request) => request.path).sort();
}

test('the project pages are asked for while the interpreter is still being asked, and only for entries fix looks up', { skip: skipWithout(PYTHON3) }, async () => {
  const dir = workspace({ 'requirements.txt': 'six\ntzdata\n./local-dir\n' });
  const slowPython = slowPythonIn(dir);
  const before = index.requests.length;
  const result = await run(['fix', '--isolated', '--no-cache', '--index-url', index.simpleUrl, '--python', slowPython, 'requirements.txt'], dir);
  assert.equal(result.status, 1, result.stderr); // the local path is left as it is
  assert.match(readFileSync(join(dir, 'requirements.txt'), 'utf8'), /^six==1\.16\.0 \\\n( {4}--hash=sha256:[0-9a-f]{64}( \\)?\n){2}tzdata==2024\.2 \\\n( {4}--hash=sha256:[0-9a-f]{64}( \\)?\n){2}\.\/local-dir\n$/);
  assert.deepEqual(pagesAskedBeforeTheInterpreter(dir, before), ['/simple/six/', '/simple/tzdata/']);
});

test('lock asks for the pages of its roots while the interpreter is still being asked', { skip: skipWithout(PYTHON3) }, async () => {
  const dir = workspace({ 'requirements.in': 'Six\ntzdata<2024.2\n' });
  const slowPython = slowPythonIn(dir);
  const before = index.requests.length;
  const result = await run(['lock', '--isolated', '--no-cache', '--index-url', index.simpleUrl, '--python', slowPython, 'requirements.in'], dir);
  assert.equal(result.status, 0, result.stderr);
  assert.match(readFileSync(join(dir, 'requirements.txt'), 'utf8'), /^six==1\.16\.0 \\$[\s\S]*^tzdata==2024\.1 \\$/m);
  assert.deepEqual(pagesAskedBeforeTheInterpreter(dir, before), ['/simple/six/', '/simple/tzdata/']);
});
