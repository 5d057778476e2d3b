// The index client and one document's view of it, in process: an in-memory HTTP client and file
// system stand in for the network and the disk, so hostile pages cost no sockets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexError } from '../../server/src/index/errors';
import type { HttpClient, HttpRequest } from '../../server/src/index/http';
import type { IndexSelection } from '../../server/src/index/indexSelection';
import { IndexClient, openIndex, type LocalFiles } from '../../server/src/index/packageIndex';
import { MAX_LINKS_PER_PAGE } from '../../server/src/index/simplePage';

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
      return files[path];
    },
    async list(dir) {
      return folders[dir] ?? [];
    },
    async sha256() {
      return undefined;
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
