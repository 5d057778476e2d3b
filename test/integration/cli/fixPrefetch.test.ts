// `reqguard fix` asks for the project pages while the interpreter it pins for is still being asked
// (cli/fix.ts, engine prefetchProjects): a slow interpreter no longer delays the first request.
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

test('the project pages are asked for while the interpreter is still being asked, and only for entries fix looks up', { skip: skipWithout(PYTHON3) }, async () => {
  const dir = workspace({ 'requirements.txt': 'six\ntzdata\n./local-dir\n' });
  // An interpreter that takes two seconds before it answers, and notes when it started answering.
  const slowPython = join(dir, 'slow-python');
  writeFileSync(slowPython, `#!/bin/sh\nsleep 2\ndate +%s%3N > "${join(dir, 'answered-at')}"\nexec python3 "$@"\n`);
  chmodSync(slowPython, 0o755);
  const before = index.requests.length;
  const result = await run(['fix', '--isolated', '--no-cache', '--index-url', index.simpleUrl, '--python', slowPython, 'requirements.txt'], dir);
  assert.equal(result.status, 1, result.stderr); // the local path is left as it is
  assert.match(readFileSync(join(dir, 'requirements.txt'), 'utf8'), /^six==1\.16\.0 \\\n( {4}--hash=sha256:[0-9a-f]{64}( \\)?\n){2}tzdata==2024\.2 \\\n( {4}--hash=sha256:[0-9a-f]{64}( \\)?\n){2}\.\/local-dir\n$/);
  const answeredAt = Number(readFileSync(join(dir, 'answered-at'), 'utf8'));
  const pages = index.requests.slice(before).filter((request) => request.route === 'simple-project');
  assert.deepEqual(pages.map((request) => request.path).sort(), ['/simple/six/', '/simple/tzdata/']);
  for (const page of pages) assert.ok(page.receivedAt < answeredAt, `${page.path} was asked ${page.receivedAt - answeredAt} ms after the interpreter answered`);
});
