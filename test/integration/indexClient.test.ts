// The index layer against a real HTTP index on loopback: formats, caching, revalidation,
// persisted cache, stale-if-error, faults as typed errors, cancellation, offline mode.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { openIndex } from '../../server/src/index/packageIndex';
import { startTestIndex, type IndexFixture, type TestIndex } from '../support/testIndex';
import { selection, testClient } from '../support/indexClient';

export const FIXTURE: IndexFixture = {
  projects: {
    'Demo-Pkg': {
      versions: {
        '1.0': { uploadTime: '2023-01-01T00:00:00.000000Z' },
        '1.1': { yanked: 'broken <build> & "bad"', uploadTime: '2023-02-01T00:00:00.000000Z' },
        '2.0rc1': { files: ['wheel'] },
        '2.0': { requiresPython: '>=3.8', summary: 'A demo', vulnerabilities: [{ id: 'PYSEC-1', fixedIn: ['2.1'] }, { id: 'PYSEC-OLD', withdrawn: '2024-01-01T00:00:00Z' }] },
      },
    },
    other: { versions: { '0.1': { files: ['sdist'] } } },
  },
};


let index: TestIndex;
before(async () => (index = await startTestIndex(FIXTURE)));
after(() => index.close());

const lastRequest = (path: string) => [...index.requests].reverse().find((r) => r.path === path)!;
const projectRequests = (name: string) => index.requests.filter((r) => r.path.startsWith(`/simple/${name}/`)).length;

describe('reading projects', () => {
  test('asks for PEP 691 JSON with the HTML fallback in Accept, and reads every field', async () => {
    const t = testClient();
    try {
      const result = await openIndex(t.client, selection([index.simpleUrl])).project('demo_pkg');
      assert.ok(result.ok, JSON.stringify(result));
      const request = lastRequest('/simple/demo-pkg/');
      assert.equal(request.headers.accept, 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01');
      assert.match(String(request.headers['user-agent']), /reqguard/);
      const { files, versions } = result.value;
      assert.deepEqual(versions, ['2.0', '2.0rc1', '1.1', '1.0'], 'PEP 440 order: 2.0rc1 < 2.0');
      const yanked = files.find((f) => f.version === '1.1')!;
      assert.equal(yanked.yanked, true);
      assert.equal(yanked.yankedReason, 'broken <build> & "bad"');
      const wheel = files.find((f) => f.filename === 'demo_pkg-2.0-py3-none-any.whl')!;
      assert.equal(wheel.requiresPython, '>=3.8');
      assert.equal(wheel.hashes.sha256, index.file(wheel.filename)!.sha256);
      assert.equal(wheel.url, `${index.url}files/demo-pkg/demo_pkg-2.0-py3-none-any.whl`);
      assert.ok(wheel.coreMetadata);
      assert.equal(wheel.source, index.simpleUrl);
    } finally {
      await t.close();
    }
  });

  test('an index that only speaks text/html (406 to the JSON Accept) is asked again for HTML', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(String(req.headers.accept));
      if (req.headers.accept !== 'text/html') {
        res.writeHead(406).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<a href="../../f/pkg-1.0.tar.gz#sha256=AB12" data-requires-python="&gt;=3.7">pkg-1.0.tar.gz</a>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const t = testClient();
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/simple/`;
      const result = await openIndex(t.client, selection([url])).project('pkg');
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(seen.length, 2);
      const [file] = result.value.files;
      assert.equal(file.url, `${url.replace('/simple/', '/')}f/pkg-1.0.tar.gz`, 'relative href resolved against the page URL');
      assert.equal(file.hashes.sha256, 'ab12');
      assert.equal(file.requiresPython, '>=3.7', 'HTML-unescaped');
    } finally {
      await t.close();
      server.close();
    }
  });

  test('the JSON API enriches: summary, vulnerabilities without withdrawn ones; absent API is not an error', async () => {
    const t = testClient();
    try {
      const view = openIndex(t.client, selection([index.simpleUrl]));
      const details = await view.details('Demo.Pkg', '2.0');
      assert.equal(details?.summary, 'A demo');
      assert.deepEqual(details?.vulnerabilities.map((v) => v.id), ['PYSEC-1']);
      assert.deepEqual(details?.vulnerabilities[0].fixedIn, ['2.1']);
      const project = await view.details('demo-pkg');
      assert.ok(project?.releaseDates['1.0']?.startsWith('2023-01-01'));
      // The JSON API base is derived from …/simple/; an index without it gives undefined, quietly.
      assert.equal(await view.details('no-such-project'), undefined);
      assert.equal(await openIndex(t.client, selection([`${index.url}other-layout/`])).details('demo-pkg'), undefined);
    } finally {
      await t.close();
    }
  });

  test('an unknown project is "not-found"; the answer is remembered, not asked again while typing', async () => {
    const t = testClient();
    try {
      const view = openIndex(t.client, selection([index.simpleUrl]));
      const before = projectRequests('nope');
      for (let i = 0; i < 3; i++) {
        const result = await view.project('nope');
        assert.equal(result.ok, false);
        assert.equal(!result.ok && result.error.kind, 'not-found');
      }
      assert.equal(projectRequests('nope') - before, 1);
    } finally {
      await t.close();
    }
  });

  test('the project list comes from the index root', async () => {
    const t = testClient();
    try {
      const names = await openIndex(t.client, selection([index.simpleUrl])).projectNames();
      assert.ok(names.ok);
      assert.deepEqual([...names.value].sort(), ['Demo-Pkg', 'other']);
    } finally {
      await t.close();
    }
  });

  test('files without an index hash are hashed once and the digest is kept', async () => {
    const t = testClient();
    try {
      const file = index.file('demo_pkg-1.0-py3-none-any.whl')!;
      const url = `${index.url}files/demo-pkg/${file.filename}`;
      const first = await t.client.fileSha256({ url, hashes: {} });
      assert.deepEqual(first, { ok: true, value: file.sha256 });
      const before = index.requests.length;
      // Answers are written in the background; another client sees them once they are on disk.
      await t.client.flush();
      const again = testClient({ cacheDir: t.cacheDir });
      assert.deepEqual(await again.client.fileSha256({ url, hashes: {} }), { ok: true, value: file.sha256 });
      assert.equal(index.requests.length, before, 'served from the persisted cache');
      await again.close();
    } finally {
      await t.close();
    }
  });
});

describe('caching', () => {
  test('exactly one request per project however many callers ask at once', async () => {
    const t = testClient();
    index.setFault('/simple/other/', { kind: 'latency', ms: 50 });
    try {
      const before = projectRequests('other');
      const views = [openIndex(t.client, selection([index.simpleUrl])), openIndex(t.client, selection([index.simpleUrl]))];
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => views[i % 2].project(i % 3 ? 'other' : 'Other')));
      assert.ok(results.every((r) => r.ok));
      assert.equal(projectRequests('other') - before, 1);
      await views[0].project('other');
      assert.equal(projectRequests('other') - before, 1, 'the memory cache answers later calls');
    } finally {
      index.setFault('/simple/other/', undefined);
      await t.close();
    }
  });

  test('after the TTL the copy is revalidated with If-None-Match, and a 304 keeps it', async () => {
    const t = testClient();
    try {
      const view = openIndex(t.client, selection([index.simpleUrl]));
      assert.ok((await view.project('other')).ok);
      const first = lastRequest('/simple/other/');
      t.advance(11 * 60 * 1000);
      t.client.clearMemory();
      const result = await t.client.projectPage(index.simpleUrl, 'other');
      assert.ok(result.ok);
      assert.equal(result.value.freshness, 'revalidated');
      const second = lastRequest('/simple/other/');
      assert.notEqual(second, first);
      assert.match(String(second.headers['if-none-match']), /^"[0-9a-f]+"$/);
    } finally {
      await t.close();
    }
  });

  test('the persisted cache survives a restart: a new client within the TTL sends nothing', async () => {
    const first = testClient();
    assert.ok((await first.client.projectPage(index.simpleUrl, 'demo-pkg')).ok);
    await first.close();
    const before = index.requests.length;
    const second = testClient({ cacheDir: first.cacheDir });
    try {
      const result = await second.client.projectPage(index.simpleUrl, 'demo-pkg');
      assert.ok(result.ok);
      assert.equal(result.value.freshness, 'cached');
      assert.equal(result.value.value.files.length, 7);
      assert.equal(index.requests.length, before);
    } finally {
      await second.close();
    }
  });

  test('offline never touches the network: cached copies of any age, else an "offline" error', async () => {
    const online = testClient();
    assert.ok((await online.client.projectPage(index.simpleUrl, 'other')).ok);
    await online.close();
    const offline = testClient({ cacheDir: online.cacheDir, client: { offline: true, now: () => Date.now() + 365 * 24 * 3600 * 1000 } });
    try {
      const before = index.requests.length;
      const cached = await offline.client.projectPage(index.simpleUrl, 'other');
      assert.ok(cached.ok);
      const missing = await offline.client.projectPage(index.simpleUrl, 'demo-pkg');
      assert.equal(!missing.ok && missing.error.kind, 'offline');
      assert.equal(index.requests.length, before);
    } finally {
      await offline.close();
    }
  });
});

describe('faults become typed errors, and stale data is served when there is a copy', () => {
  const cases: { name: string; fault: Parameters<TestIndex['setFault']>[1]; kind: string; http?: object; warm?: 'revalidated' }[] = [
    { name: '404', fault: { kind: 'status', status: 404 }, kind: 'not-found' },
    { name: '401', fault: { kind: 'status', status: 401 }, kind: 'unauthorized' },
    { name: '429 (retried, then given up)', fault: { kind: 'status', status: 429, retryAfter: '0' }, kind: 'server-error' },
    { name: '500', fault: { kind: 'status', status: 500 }, kind: 'server-error' },
    { name: '503 with a Retry-After too long to wait', fault: { kind: 'status', status: 503, retryAfter: '3600' }, kind: 'server-error' },
    { name: 'timeout', fault: { kind: 'timeout' }, kind: 'unreachable', http: { timeoutMs: 200, retries: 0 } },
    { name: 'connection reset', fault: { kind: 'reset' }, kind: 'unreachable' },
    { name: 'truncated body', fault: { kind: 'truncated' }, kind: 'unreachable' },
    { name: 'malformed JSON', fault: { kind: 'malformed' }, kind: 'malformed' },
    // The fault keeps the ETag, so a conditional request gets an honest 304.
    { name: 'wrong content type', fault: { kind: 'wrong-content-type' }, kind: 'malformed', warm: 'revalidated' },
    { name: 'redirect loop', fault: { kind: 'redirect-loop' }, kind: 'unreachable' },
    { name: 'huge body', fault: { kind: 'huge', bytes: 3 * 1024 * 1024 }, kind: 'too-large', http: {} },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      // Warm a cache, then let the TTL pass and break the index.
      const t = testClient({ http: c.http });
      const project = 'demo-pkg';
      const page = `/simple/${project}/`;
      try {
        assert.ok((await t.client.projectPage(index.simpleUrl, project)).ok);
        t.advance(11 * 60 * 1000);
        t.client.clearMemory();
        index.setFault(page, c.fault);
        // Huge bodies: the cap is set per request, so ask through a client with a small cap.
        const fresh = testClient({ http: c.http, noStore: true });
        const cold =
          c.kind === 'too-large'
            ? await fresh.http.fetch({ url: `${index.simpleUrl}${project}/`, maxBytes: 1024 * 1024 }).then((r) => (r.ok ? undefined : r.error))
            : await fresh.client.projectPage(index.simpleUrl, project).then((r) => (r.ok ? undefined : r.error));
        await fresh.close();
        assert.equal(cold?.kind, c.kind, JSON.stringify(cold));
        assert.ok(cold.message.length > 0);
        const warm = await t.client.projectPage(index.simpleUrl, project);
        if (['not-found', 'unauthorized'].includes(c.kind)) {
          assert.equal(!warm.ok && warm.error.kind, c.kind, 'an answer from the index, not an outage: no stale data');
        } else if (c.warm) {
          assert.equal(warm.ok && warm.value.freshness, c.warm);
        } else if (c.kind !== 'too-large') {
          assert.ok(warm.ok, JSON.stringify(warm));
          assert.equal(warm.value.freshness, 'stale');
          assert.equal(t.notices.filter((n) => n.kind === 'stale').length, 1);
        }
      } finally {
        index.setFault(page, undefined);
        await t.close();
      }
    });
  }

  test('429 and 5xx are retried with backoff, and a recovery ends the outage notice', async () => {
    const t = testClient({ http: { retries: 2 } });
    try {
      assert.ok((await t.client.projectPage(index.simpleUrl, 'other')).ok);
      assert.ok((await t.client.projectPage(index.simpleUrl, 'demo-pkg')).ok);
      t.advance(11 * 60 * 1000);
      t.client.clearMemory();
      index.setFault('simple-project', { kind: 'status', status: 503, retryAfter: '0' });
      const before = projectRequests('other');
      assert.equal((await t.client.projectPage(index.simpleUrl, 'other')).ok, true);
      assert.equal(projectRequests('other') - before, 3, 'one attempt and two retries');
      assert.equal((await t.client.projectPage(index.simpleUrl, 'demo-pkg')).ok, true);
      assert.deepEqual(t.notices.map((n) => n.kind), ['stale'], 'one notice for the outage, not one per project');
      index.setFault('simple-project', undefined);
      t.advance(60 * 1000);
      t.client.clearMemory();
      assert.ok((await t.client.projectPage(index.simpleUrl, 'other')).ok);
      assert.deepEqual(t.notices.map((n) => n.kind), ['stale', 'recovered']);
    } finally {
      index.setFault('simple-project', undefined);
      await t.close();
    }
  });
});

describe('compressed answers that fail midway end with an error and free their slot', () => {
  test('a gzip body cut off halfway: "unreachable", retried, never a hang', { timeout: 20_000 }, async () => {
    const t = testClient({ noStore: true, http: { retries: 1 } });
    index.setFault('/simple/demo-pkg/', { kind: 'gzip-truncated' });
    try {
      const before = projectRequests('demo-pkg');
      const result = await t.client.projectPage(index.simpleUrl, 'demo-pkg');
      assert.equal(!result.ok && result.error.kind, 'unreachable', JSON.stringify(result));
      assert.equal(projectRequests('demo-pkg') - before, 2, 'a dropped connection is retried');
    } finally {
      index.setFault('/simple/demo-pkg/', undefined);
      await t.close();
    }
  });

  test('a body that ends cleanly but is not the gzip it claims: "malformed", saying so', { timeout: 20_000 }, async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
      res.end(gzipSync('<a href="/f/pkg-1.0.tar.gz">pkg-1.0.tar.gz</a>').subarray(0, 20));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const t = testClient({ noStore: true, http: { retries: 0 } });
    try {
      const result = await t.client.projectPage(`http://127.0.0.1:${(server.address() as AddressInfo).port}/simple/`, 'pkg');
      assert.equal(!result.ok && result.error.kind, 'malformed', JSON.stringify(result));
      assert.match(!result.ok ? result.error.message : '', /sent a gzip body that is cut off or damaged \(unexpected end of file/);
    } finally {
      await t.close();
      server.close();
    }
  });

  test('gzip bodies dripping past the timeout: 17 of them (one more than the slots), then a good answer still comes', { timeout: 20_000 }, async () => {
    const t = testClient({ noStore: true, http: { timeoutMs: 300, retries: 0, concurrency: 16 } });
    index.setFault('/simple/demo-pkg/', { kind: 'gzip-drip', intervalMs: 200 });
    try {
      const pages = Array.from({ length: 17 }, (_, i) => t.http.fetch({ url: `${index.simpleUrl}demo-pkg/?attempt=${i}`, headers: { accept: 'text/html' } }));
      for (const result of await Promise.all(pages)) {
        assert.equal(!result.ok && result.error.kind, 'unreachable', JSON.stringify(result));
        assert.match(!result.ok ? result.error.message : '', /did not send its whole answer within 0\.3 s/);
      }
      index.setFault('/simple/demo-pkg/', undefined);
      const good = await t.client.projectPage(index.simpleUrl, 'demo-pkg');
      assert.ok(good.ok, JSON.stringify(good));
    } finally {
      index.setFault('/simple/demo-pkg/', undefined);
      await t.close();
    }
  });
});

describe('cancellation', () => {
  test('a cancelled request stops waiting at once, and others asking for the same page still get it', async () => {
    const t = testClient();
    index.setFault('/simple/other/', { kind: 'latency', ms: 300 });
    try {
      const view = openIndex(t.client, selection([index.simpleUrl]));
      const cancelled = new AbortController();
      const a = view.project('other', cancelled.signal);
      let bSettled = false;
      const b = view.project('other').finally(() => (bSettled = true));
      setTimeout(() => cancelled.abort(), 20);
      const resultA = await a;
      assert.equal(!resultA.ok && resultA.error.kind, 'cancelled');
      assert.equal(bSettled, false, 'the cancelled caller did not wait for the slow index');
      assert.ok((await b).ok, 'the other caller was not cancelled');
    } finally {
      index.setFault('/simple/other/', undefined);
      await t.close();
    }
  });

  test('when every caller cancels, the fetch itself is aborted (the connection is closed)', async () => {
    const t = testClient({ noStore: true });
    index.setFault('/simple/demo-pkg/', { kind: 'timeout' });
    try {
      const controller = new AbortController();
      const pending = t.client.projectPage(index.simpleUrl, 'demo-pkg', controller.signal);
      setTimeout(() => controller.abort(), 30);
      const result = await pending;
      assert.equal(!result.ok && result.error.kind, 'cancelled');
      // Nothing is left in flight: the next ask starts a new request.
      index.setFault('/simple/demo-pkg/', undefined);
      const before = projectRequests('demo-pkg');
      assert.ok((await t.client.projectPage(index.simpleUrl, 'demo-pkg')).ok);
      assert.equal(projectRequests('demo-pkg') - before, 1);
    } finally {
      index.setFault('/simple/demo-pkg/', undefined);
      await t.close();
    }
  });

  test('requests beyond the concurrency limit wait in a queue', async () => {
    let open = 0;
    let most = 0;
    const server = createServer((_req, res) => {
      most = Math.max(most, ++open);
      setTimeout(() => {
        open--;
        res.writeHead(404).end();
      }, 30);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const t = testClient({ http: { concurrency: 3 }, noStore: true });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/simple/`;
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => t.client.projectPage(url, `p${i}`)));
      assert.ok(results.every((r) => !r.ok && r.error.kind === 'not-found'));
      assert.equal(most, 3);
    } finally {
      await t.close();
      server.close();
    }
  });
});
