// The index client and one document's view of it, in process: an in-memory HTTP client and file
// system stand in for the network and the disk, so hostile pages cost no sockets.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { indexError } from '../../server/src/index/errors';
import type { HttpClient, HttpRequest } from '../../server/src/index/http';
import type { IndexSelection } from '../../server/src/index/indexSelection';
import type { ResponseStore, StoredResponse } from '../../server/src/index/cache';
import { IndexClient, openIndex, type LocalFiles } from '../../server/src/index/packageIndex';
import { MAX_LINKS_PER_PAGE } from '../../server/src/index/simplePage';
import { nodeLocalFiles } from '../../server/src/nodeIo';
import { tempDir } from '../helpers/tempDirs';

const INDEX = 'https://index.example/simple/';

interface Served {
  readonly status?: number;
  readonly contentType?: string;
  readonly body: string;
}

/** Answers from `pages` by URL (404 for the rest); records every request. */
function memoryHttp(pages: Record<string, Served>): HttpClient & { requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  return {
    requests,
    async fetch(request) {
      requests.push(request);
      const page = pages[request.url];
      if (!page) return { ok: false, error: indexError('not-found', request.url, `${request.url} answered 404: not found`, 404) };
      if (page.status && page.status >= 500) return { ok: false, error: indexError('server-error', request.url, `${request.url} answered ${page.status}`, page.status) };
      return { ok: true, value: { status: page.status ?? 200, url: request.url, headers: { 'content-type': page.contentType ?? 'text/html' }, body: Buffer.from(page.body) } };
    },
    async close() {},
  };
}

/** Folders (path → file names) and files (path → bytes). */
function memoryFiles(folders: Record<string, string[]> = {}, files: Record<string, Buffer> = {}): LocalFiles {
  return {
    async kind(path) {
      return path in folders ? 'directory' : path in files ? 'file' : 'missing';
    },
    async read(path) {
      return path in files ? { ok: true, value: files[path] } : { ok: false, reason: 'missing' };
    },
    async list(dir) {
      return folders[dir] ?? [];
    },
    async sha256() {
      return { ok: false, reason: 'missing' };
    },
  };
}

function view(pages: Record<string, Served>, selection: Partial<IndexSelection> = {}, files = memoryFiles()) {
  const http = memoryHttp(pages);
  const client = new IndexClient({ http, files });
  return { http, index: openIndex(client, { indexUrls: [INDEX], findLinks: [], noIndex: false, source: 'settings', ...selection }) };
}

function linksPage(project: string, count: number): string {
  const links: string[] = [];
  for (let i = 0; i < count; i++) links.push(`<a href="/f/${project}-1.${i}.tar.gz">${project}-1.${i}.tar.gz</a>\n`);
  return links.join('');
}

test('a project page of 130,000 links is read whole (no argument spread of its versions)', async () => {
  const { index } = view({ [`${INDEX}big/`]: { body: linksPage('big', 130_000) } });
  const result = await index.project('big');
  assert.ok(result.ok, JSON.stringify(!result.ok && result.error));
  assert.equal(result.value.files.length, 130_000);
  assert.equal(result.value.versions.length, 130_000);
  assert.equal(result.value.versions[0], '1.129999');
});

test(`a page of more than ${MAX_LINKS_PER_PAGE} links is refused as "too-large", never read as "not found"`, async () => {
  const { index } = view({ [`${INDEX}big/`]: { body: linksPage('big', MAX_LINKS_PER_PAGE + 1) } });
  const result = await index.project('big');
  assert.equal(!result.ok && result.error.kind, 'too-large', JSON.stringify(result.ok || result.error));
  assert.match(!result.ok ? result.error.message : '', /lists more than 200,000 links/);
});

test('a failing index and an empty find-links folder: the failure, not "not found"', async () => {
  const { index } = view({ [`${INDEX}six/`]: { status: 503, body: '' } }, { findLinks: ['/wheels'] }, memoryFiles({ '/wheels': [] }));
  const result = await index.project('six');
  assert.equal(!result.ok && result.error.kind, 'server-error', JSON.stringify(result));
});

test('a failing index and a find-links folder holding only other projects: the failure', async () => {
  const { index } = view({ [`${INDEX}six/`]: { status: 503, body: '' } }, { findLinks: ['/wheels'] }, memoryFiles({ '/wheels': ['other-1.0.tar.gz'] }));
  const result = await index.project('six');
  assert.equal(!result.ok && result.error.kind, 'server-error', JSON.stringify(result));
});

test('every source says "not found": not found', async () => {
  const { index } = view({}, { findLinks: ['/wheels'] }, memoryFiles({ '/wheels': [] }));
  const result = await index.project('six');
  assert.equal(!result.ok && result.error.kind, 'not-found', JSON.stringify(result));
});

test('a failing index and a find-links folder that has the project: its files, with the failure as a problem', async () => {
  const { index } = view({ [`${INDEX}six/`]: { status: 503, body: '' } }, { findLinks: ['/wheels'] }, memoryFiles({ '/wheels': ['six-1.16.0.tar.gz'] }));
  const result = await index.project('six');
  assert.ok(result.ok, JSON.stringify(result));
  assert.deepEqual(result.value.versions, ['1.16.0']);
  assert.deepEqual(result.value.problems.map((problem) => problem.kind), ['server-error']);
});

describe('a remote index never makes reqguard read a local file', () => {
  const SHA = 'a'.repeat(64);

  test('file: links on an http(s) page are dropped, and said as a problem of that index', async () => {
    const page = `<a href="file:///etc/passwd">six-1.16.0.tar.gz</a><a href="file:///tmp/six-1.16.0.tar.gz">x</a><a href="/f/six-1.15.0.tar.gz#sha256=${SHA}">x</a>`;
    const { index } = view({ [`${INDEX}six/`]: { body: page } });
    const result = await index.project('six');
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(result.value.files.map((file) => file.url), ['https://index.example/f/six-1.15.0.tar.gz']);
    assert.deepEqual(result.value.problems.map((problem) => problem.kind), ['malformed']);
    assert.match(result.value.problems[0].message, /has 2 links that are not http\(s\) URLs, such as file:\/\/\/etc\/passwd; reqguard never reads a local file on a remote index's say-so, so they were ignored/);
  });

  test('the same from PEP 691 JSON; a page of nothing but local links is a failure, never "not found"', async () => {
    const body = JSON.stringify({ files: [{ filename: 'six-1.16.0.tar.gz', url: 'file:///dev/zero', hashes: {} }] });
    const { index } = view({ [`${INDEX}six/`]: { body, contentType: 'application/vnd.pypi.simple.v1+json' } });
    const result = await index.project('six');
    assert.equal(!result.ok && result.error.kind, 'malformed', JSON.stringify(result));
  });

  test('a file:// index the user configured may link to local files', async () => {
    const files = memoryFiles({ '/idx/six/': [] }, { '/idx/six/index.html': Buffer.from('<a href="file:///wheels/six-1.16.0.tar.gz">six</a>') });
    const http = memoryHttp({});
    const index = openIndex(new IndexClient({ http, files }), { indexUrls: ['file:///idx/'], findLinks: [], noIndex: false, source: 'settings' });
    const result = await index.project('six');
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(result.value.files.map((file) => file.url), ['file:///wheels/six-1.16.0.tar.gz']);
    assert.deepEqual(result.value.problems, []);
  });
});

describe('local files: regular files only, and capped', { skip: process.platform === 'win32' ? 'no /dev/zero' : undefined }, () => {
  const folder = tempDir('local');

  test('/dev/zero, as a find-links location, a file:// page or a file to hash: refused at once, never read', async () => {
    const client = new IndexClient({ http: memoryHttp({}), files: nodeLocalFiles });
    const page = await client.findLinks('/dev/zero', 'six');
    assert.equal(!page.ok && page.error.kind, 'malformed', JSON.stringify(page));
    assert.match(!page.ok ? page.error.message : '', /\/dev\/zero is not a regular file/);
    symlinkSync('/dev/zero', join(folder, 'six-1.16.0.tar.gz'));
    const digest = await client.fileSha256({ url: pathToFileURL(join(folder, 'six-1.16.0.tar.gz')).href, hashes: {} });
    assert.equal(!digest.ok && digest.error.kind, 'malformed', JSON.stringify(digest));
  });

  test('a page over 50 MiB (a sparse file) is "too-large" without being read', async () => {
    const huge = join(folder, 'index.html');
    writeFileSync(huge, '');
    truncateSync(huge, 60 * 1024 * 1024);
    const client = new IndexClient({ http: memoryHttp({}), files: nodeLocalFiles });
    const page = await client.findLinks(pathToFileURL(huge).href, 'six');
    assert.equal(!page.ok && page.error.kind, 'too-large', JSON.stringify(page));
    const read = await nodeLocalFiles.read(huge, 1024);
    assert.deepEqual(read, { ok: false, reason: 'too-large' });
  });

  test('regular files are read and hashed whole', async () => {
    const file = join(folder, 'six-1.0.tar.gz');
    writeFileSync(file, 'x'.repeat(3 * 1024 * 1024 + 5));
    const read = await nodeLocalFiles.read(file, 4 * 1024 * 1024);
    assert.equal(read.ok && read.value.length, 3 * 1024 * 1024 + 5);
    assert.deepEqual(await nodeLocalFiles.sha256(file, 3 * 1024 * 1024), { ok: false, reason: 'too-large' });
    const digest = await nodeLocalFiles.sha256(file, 4 * 1024 * 1024);
    assert.equal(digest.ok && digest.value.length, 64);
  });
});

test('credentials in a URL an index answers from (a redirect to user:password@…) are never persisted', async () => {
  const written: StoredResponse[] = [];
  const store: ResponseStore = { read: async () => undefined, write: async (_key, response) => void written.push(response) };
  const http: HttpClient = {
    async fetch(request) {
      const url = request.url.replace('https://', 'https://mallory:hunter2@');
      return { ok: true, value: { status: 200, url, headers: { 'content-type': 'text/html' }, body: Buffer.from('<a href="six-1.0.tar.gz">') } };
    },
    async close() {},
  };
  const index = openIndex(new IndexClient({ http, files: memoryFiles(), store }), { indexUrls: [INDEX], findLinks: [], noIndex: false, source: 'settings' });
  const result = await index.project('six');
  assert.ok(result.ok, JSON.stringify(result));
  assert.deepEqual(written.map((response) => response.url), [`${INDEX}six/`]);
  assert.equal(result.value.files[0].url, `${INDEX}six/six-1.0.tar.gz`, 'links resolve against the URL without them');
});

test('a JSON project list of more than 8,000,000 values is "too-large", never read as an empty list', async () => {
  const http = memoryHttp({ [INDEX]: { body: `{"projects": [${'{},'.repeat(8_000_000)}{}]}`, contentType: 'application/vnd.pypi.simple.v1+json' } });
  const result = await new IndexClient({ http, files: memoryFiles() }).projectNames(INDEX);
  assert.equal(!result.ok && result.error.kind, 'too-large', JSON.stringify(!result.ok && result.error));
});

test('answers do not wait for the disk: writes finish in the background, a read of the same key waits for its write, flush waits for all', async () => {
  const kept = new Map<string, StoredResponse>();
  const started: string[] = [];
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const store: ResponseStore = {
    read: async (key) => kept.get(key),
    write: async (key, response) => {
      started.push(key);
      await gate;
      kept.set(key, response);
    },
  };
  const http = memoryHttp({ [`${INDEX}six/`]: { body: '<a href="six-1.0.tar.gz">' } });
  const client = new IndexClient({ http, files: memoryFiles(), store });
  const first = await client.projectPage(INDEX, 'six');
  assert.ok(first.ok);
  assert.equal(first.value.freshness, 'fetched', 'answered while its write is held');
  assert.equal(started.length, 1);
  assert.equal(kept.size, 0);
  let flushed = false;
  const flushing = client.flush().then(() => (flushed = true));
  client.clearMemory();
  // Not in memory any more: the read waits for this client's own write, then finds it (no second request).
  const again = client.projectPage(INDEX, 'six');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(flushed, false);
  release();
  const second = await again;
  await flushing;
  assert.ok(second.ok && second.value.freshness === 'cached', JSON.stringify(second));
  assert.equal(http.requests.length, 1);
  assert.deepEqual([...kept.keys()], started);
});
