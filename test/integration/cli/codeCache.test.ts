// The command's V8 code cache of the engine bundle (server/src/cli/codeCache.ts, Node 20; Node
// 22.1+ uses its own compile cache instead): kept per user and command in the temp folder, used
// by the next run, and a damaged one only costs a compile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Module from 'node:module';
import { run, workspace } from './runCli';

const hasCompileCache = typeof (Module as { enableCompileCache?: unknown }).enableCompileCache === 'function';

test('the engine is loaded through a code cache kept per command in a private folder; a damaged cache is replaced, never trusted', { skip: hasCompileCache && 'Node has its own compile cache here' }, async () => {
  const dir = workspace({ 'requirements.txt': 'flask==3.0.0\n' });
  const tmp = join(dir, 'tmpdir');
  const env = { TMPDIR: tmp };
  const parse = () => run(['parse', '--json', 'requirements.txt'], dir, env);
  const first = await parse();
  assert.equal(first.status, 0, first.stderr);
  const folder = join(tmp, `reqguard-code-cache-${process.getuid?.() ?? 0}`);
  assert.equal(statSync(folder).mode & 0o777, 0o700, 'only this user reads and writes it');
  const caches = readdirSync(folder);
  assert.equal(caches.length, 1);
  assert.match(caches[0], /^[0-9a-f]{32}-parse\.bin$/);
  const cacheFile = join(folder, caches[0]);
  const written = readFileSync(cacheFile);
  assert.ok(written.length > 100_000, `V8's code of the bundle, not ${written.length} bytes`);

  // Used as it is by the next run: same answer, the file left alone.
  assert.deepEqual(await parse(), first);
  assert.ok(readFileSync(cacheFile).equals(written));

  // Damaged: V8 rejects it, the run compiles and answers the same, and a good cache replaces it.
  writeFileSync(cacheFile, Buffer.alloc(written.length, 0x5a));
  assert.deepEqual(await parse(), first);
  assert.ok(readFileSync(cacheFile).length > 100_000 && readFileSync(cacheFile)[0] !== 0x5a);

  // Another command keeps a cache of its own; REQGUARD_NO_CODE_CACHE=1 writes none.
  assert.equal((await run(['check', '--no-index-checks', 'requirements.txt'], dir, env)).status, 0);
  assert.deepEqual(readdirSync(folder).sort(), [caches[0], caches[0].replace('-parse', '-check')].sort());
  const off = join(dir, 'off');
  assert.deepEqual(await run(['parse', '--json', 'requirements.txt'], dir, { TMPDIR: off, REQGUARD_NO_CODE_CACHE: '1' }), first);
  assert.throws(() => readdirSync(off), /ENOENT/);
});
