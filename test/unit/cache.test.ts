// The index cache pieces: shared in-flight requests, LRU with TTL, persisted responses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeStoredResponse, encodeStoredResponse, InflightRequests, isFresh, LruCache, type StoredResponse } from '../../server/src/index/cache';
import { fileResponseStore } from '../../server/src/nodeIo';
import { tempDir } from '../helpers/tempDirs';

test('identical concurrent requests share one promise, and a failure does not stick', async () => {
  const inflight = new InflightRequests<string>();
  let calls = 0;
  let release!: (value: string) => void;
  const task = () => {
    calls++;
    return new Promise<string>((resolve) => (release = resolve));
  };
  const a = inflight.run('k', task);
  const b = inflight.run('k', task);
  assert.equal(a, b);
  assert.equal(calls, 1);
  release('done');
  assert.equal(await b, 'done');
  assert.equal(inflight.size, 0);
  await assert.rejects(inflight.run('k', () => Promise.reject(new Error('down'))));
  assert.equal(await inflight.run('k', async () => 'again'), 'again');
});

test('LRU: the least recently used entry goes first; entries expire after the TTL', () => {
  let now = 0;
  const cache = new LruCache<number>(2, 1000, () => now);
  cache.set('a', 1);
  cache.set('b', 2);
  assert.equal(cache.get('a'), 1);
  cache.set('c', 3);
  assert.equal(cache.get('b'), undefined, 'b was least recently used');
  assert.equal(cache.get('a'), 1);
  now = 999;
  assert.equal(cache.get('c'), 3);
  now = 1000;
  assert.equal(cache.get('c'), undefined);
  assert.equal(cache.size, 1);
});

test('persisted responses survive a new store on the same folder; damaged files are misses', async () => {
  const dir = tempDir('cache');
  const response: StoredResponse = { url: 'https://i/simple/x/', status: 200, contentType: 'text/html', etag: '"v1"', fetchedAt: 5, body: '<a>x</a>' };
  await fileResponseStore(dir).write('https://i/simple/\u0000x', response);
  assert.deepEqual(await fileResponseStore(dir).read('https://i/simple/\u0000x'), response);
  assert.equal(await fileResponseStore(dir).read('other'), undefined);
  const [file] = readdirSync(dir);
  assert.match(file, /^[0-9a-f]{64}\.json$/, 'keys never become file names directly');
  const written = readFileSync(join(dir, file), 'utf8');
  writeFileSync(join(dir, file), '{"url": 1');
  assert.equal(await fileResponseStore(dir).read('https://i/simple/\u0000x'), undefined);
  writeFileSync(join(dir, file), written.slice(0, -1));
  assert.equal(await fileResponseStore(dir).read('https://i/simple/\u0000x'), undefined, 'a body cut short is a miss');
  writeFileSync(join(dir, file), `${written}>`);
  assert.equal(await fileResponseStore(dir).read('https://i/simple/\u0000x'), undefined, 'a body grown is a miss');
  writeFileSync(join(dir, file), JSON.stringify(response));
  assert.equal(await fileResponseStore(dir).read('https://i/simple/\u0000x'), undefined, 'an entry of the older format (one JSON object) is a miss');
  await fileResponseStore(dir).write('https://i/simple/\u0000x', response);
  assert.deepEqual(readdirSync(dir), [file], 'and is replaced in place when written again');
  assert.deepEqual(await fileResponseStore(dir).read('https://i/simple/\u0000x'), response);
  assert.equal(isFresh(response, 10, 14), true);
  assert.equal(isFresh(response, 10, 15), false);
});

test('a stored body is kept byte for byte: line breaks, quotes, backslashes, non-ASCII, empty', () => {
  const header = { url: 'https://i/simple/x/', status: 200, contentType: 'application/vnd.pypi.simple.v1+json', etag: 'W/"a\nb"', lastModified: 'Mon', fetchedAt: 7 };
  for (const body of ['', '\n', '{"files": ["a\\"b"]}\r\n\n', 'é€😀\u0000\u2028', 'reqguard-response 2 {}\nx']) {
    const response: StoredResponse = { ...header, body };
    const text = encodeStoredResponse(response);
    assert.deepEqual(decodeStoredResponse(text), response);
    assert.ok(text.endsWith(`\n${body}`), 'the body is written as it is, not escaped');
  }
  assert.equal(decodeStoredResponse('reqguard-response 2 {"url":"u","status":200,"fetchedAt":1,"bodyLength":1}'), undefined, 'no header end');
  assert.equal(decodeStoredResponse('reqguard-response 2 {"url":"u","status":"200","fetchedAt":1,"bodyLength":1}\nx'), undefined, 'fields of the wrong type');
  assert.equal(decodeStoredResponse('reqguard-response 2 [1\nx'), undefined);
  assert.equal(decodeStoredResponse('reqguard-response 2 null\n'), undefined);
});

test('the cache folder is private (0700) and so is each answer in it (0600), however the folder was made before', { skip: process.platform === 'win32' ? 'POSIX modes' : undefined }, async () => {
  const response: StoredResponse = { url: 'https://i/simple/x/', status: 200, fetchedAt: 5, body: '<a>x</a>' };
  const parent = tempDir('cache');
  const fresh = join(parent, 'new', 'reqguard');
  await fileResponseStore(fresh).write('k', response);
  assert.equal(statSync(fresh).mode & 0o777, 0o700);
  assert.equal(statSync(join(fresh, readdirSync(fresh)[0])).mode & 0o777, 0o600);

  const old = join(parent, 'old');
  mkdirSync(old, { mode: 0o755 });
  chmodSync(old, 0o755);
  const store = fileResponseStore(old);
  await store.write('k', response);
  writeFileSync(join(old, readdirSync(old)[0]), JSON.stringify(response), { mode: 0o644 });
  chmodSync(join(old, readdirSync(old)[0]), 0o644);
  await fileResponseStore(old).write('k', response);
  assert.equal(statSync(old).mode & 0o777, 0o700);
  assert.equal(statSync(join(old, readdirSync(old)[0])).mode & 0o777, 0o600, 'a world-readable answer is replaced by a private one');
});

test('a store over a folder that is not there yet answers reads without the disk until its first write makes the folder', async () => {
  const dir = join(tempDir('absent'), 'cache');
  const store = fileResponseStore(dir);
  assert.equal(await store.read('k'), undefined);
  assert.equal(existsSync(dir), false, 'a read makes nothing');
  const response = { url: 'https://index.example/simple/six/', status: 200, fetchedAt: 1, body: 'page' };
  await store.write('k', response);
  assert.deepEqual(await store.read('k'), response);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  // Concurrent first writes make the folder once and all land.
  const fresh = fileResponseStore(join(tempDir('absent'), 'cache'));
  await Promise.all(Array.from({ length: 50 }, (_, i) => fresh.write(`k${i}`, { ...response, body: String(i) })));
  assert.deepEqual((await Promise.all(Array.from({ length: 50 }, (_, i) => fresh.read(`k${i}`)))).map((r) => r?.body), Array.from({ length: 50 }, (_, i) => String(i)));
});
