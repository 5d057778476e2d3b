// PackageIndex.metadata against a real index on loopback: each source in its turn (PEP 658, the
// JSON API, HTTP ranges into a wheel, the whole wheel, an sdist's PKG-INFO), what each costs in
// requests and bytes, hashes, static and dynamic sdists, the cache by file hash, offline mode,
// cancellation, local files and hostile archives.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openIndex, type OpenIndexOptions, type PackageIndex } from '../../server/src/index/packageIndex';
import type { IndexSelection } from '../../server/src/index/indexSelection';
import { selection, testClient, type TestClient } from '../support/indexClient';
import { startTestIndex, type IndexFixture, type IndexSwitches, type RecordedRequest, type TestIndex } from '../support/testIndex';
import { rawZip } from '../helpers/rawZip';
import { tempDir } from '../helpers/tempDirs';

const WHEEL = 'demo_pkg-1.0-py3-none-any.whl';
const FIXTURE: IndexFixture = {
  projects: {
    'Demo-Pkg': { versions: { '1.0': { requiresDist: ['dep>=1', 'fancy-dep; extra == "fancy"'], providesExtra: ['fancy'], requiresPython: '>=3.8' } } },
    big: { versions: { '2.0': { files: [{ kind: 'wheel', payloadBytes: 4 * 1024 * 1024 }], requiresDist: ['dep'] } } },
    wide: { versions: { '1.0': { files: [{ kind: 'wheel', payloadFiles: 3000 }], requiresDist: ['dep'] } } },
    dep: { versions: { '1.0': {} } },
    static: { versions: { '1.0': { files: ['sdist'], metadataVersion: '2.2', requiresDist: ['dep>=1'] } } },
    dynamic: { versions: { '1.0': { files: ['sdist'], metadataVersion: '2.2', dynamic: ['Requires-Dist'], requiresDist: ['dep'] } } },
    legacy: { versions: { '1.0': { files: ['sdist'] } } },
  },
};

let index: TestIndex;
before(async () => (index = await startTestIndex(FIXTURE)));
after(() => index.close());

const ALL_ON: IndexSwitches = { ranges: true, coreMetadata: true, jsonRequiresDist: true };

interface Asked {
  readonly client: TestClient;
  readonly view: PackageIndex;
  /** What the metadata lookup asked for (the project page before it is not counted). */
  readonly requests: RecordedRequest[];
  readonly result: Awaited<ReturnType<PackageIndex['metadata']>>;
}

/**
 * The metadata of one file, with the index offering `switches` (the rest on); the client is
 * closed unless `keep`, and the switches are restored.
 */
async function metadataOf(
  filename: string,
  options: { switches?: Partial<IndexSwitches>; client?: TestClient; keep?: boolean; selection?: IndexSelection; open?: OpenIndexOptions; signal?: AbortSignal } = {},
): Promise<Asked> {
  index.configure({ ...ALL_ON, ...options.switches });
  const client = options.client ?? testClient();
  try {
    const view = openIndex(client.client, options.selection ?? selection([index.simpleUrl]), options.open);
    const project = filename.split('-')[0];
    const page = await view.project(project);
    assert.ok(page.ok, JSON.stringify(page));
    const file = page.value.files.find((candidate) => candidate.filename === filename);
    assert.ok(file, `${filename} on the page`);
    const start = index.requests.length;
    const result = await view.metadata(file, options.signal);
    return { client, view, requests: index.requests.slice(start), result };
  } finally {
    index.configure(ALL_ON);
    if (!options.keep && !options.client) await client.close();
  }
}

/** Asks again with a new client on the first one's store: nothing reaches the index, the answer is the same. */
async function askAgainFromStore(first: Asked, filename: string, client: Parameters<typeof testClient>[0] = {}): Promise<void> {
  // Answers are written in the background: the first client's are on disk once flushed.
  await first.client.client.flush();
  const second = testClient({ cacheDir: first.client.cacheDir, ...client });
  try {
    const again = await metadataOf(filename, { client: second });
    assert.deepEqual(again.requests, [], 'from the store, forever: no revalidation');
    assert.deepEqual(again.result, first.result);
  } finally {
    await second.close();
  }
}

const paths = (requests: RecordedRequest[]) => requests.map((request) => `${request.route} ${request.path}`);
const fileBytes = (requests: RecordedRequest[]) => requests.filter((r) => r.route === 'files').reduce((sum, r) => sum + (r.bytes ?? 0), 0);

describe('sources, cheapest first', () => {
  test('PEP 658 core metadata when the page offers it: one request, checked against its hash', async () => {
    const { requests, result } = await metadataOf(WHEEL);
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.value.source, 'core-metadata');
    assert.deepEqual(result.value.metadata, {
      metadataVersion: '2.1',
      name: 'Demo-Pkg',
      version: '1.0',
      requiresDist: ['dep>=1', 'fancy-dep; extra == "fancy"'],
      requiresPython: '>=3.8',
      providesExtra: ['fancy'],
      dynamic: [],
    });
    assert.deepEqual(paths(requests), [`metadata /files/demo-pkg/${WHEEL}.metadata`]);
  });

  test("the JSON API's requires_dist for a wheel when there is no PEP 658 file: one request", async () => {
    const { requests, result } = await metadataOf(WHEEL, { switches: { coreMetadata: false } });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.value.source, 'json-api');
    assert.deepEqual(result.value.metadata.requiresDist, ['dep>=1', 'fancy-dep; extra == "fancy"']);
    assert.deepEqual(result.value.metadata.providesExtra, ['fancy']);
    assert.equal(result.value.metadata.requiresPython, '>=3.8');
    assert.deepEqual(paths(requests), ['json /pypi/demo-pkg/1.0/json']);
  });

  test('requires_dist null is unknown, not "no dependencies": range requests into the wheel follow', async () => {
    const { requests, result } = await metadataOf(WHEEL, { switches: { coreMetadata: false, jsonRequiresDist: false } });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.value.source, 'range-request');
    assert.deepEqual(result.value.metadata.requiresDist, ['dep>=1', 'fancy-dep; extra == "fancy"']);
    assert.deepEqual(paths(requests), ['json /pypi/demo-pkg/1.0/json', `files /files/demo-pkg/${WHEEL}`]);
    const [, tail] = requests;
    assert.match(String(tail.headers.range), /^bytes=-\d+$/);
    assert.equal(tail.headers['accept-encoding'], 'identity');
    assert.equal(tail.status, 206, 'a small wheel comes whole in the one tail request');
  });

  test('an index without the JSON API (or a file from another index) goes straight to ranges', async () => {
    const noApi = await metadataOf(WHEEL, { switches: { coreMetadata: false }, open: { jsonApiUrl: `${index.url}no-json-api/` } });
    assert.ok(noApi.result.ok && noApi.result.value.source === 'range-request', JSON.stringify(noApi.result));
    assert.deepEqual(paths(noApi.requests), [`other /no-json-api/demo-pkg/1.0/json`, `files /files/demo-pkg/${WHEEL}`], 'a 404 from the API: unknown');
    // The file comes from the second index: the primary's JSON API says nothing about it.
    const extra = await metadataOf(WHEEL, { switches: { coreMetadata: false }, selection: selection([`${index.url}nowhere/simple/`, index.simpleUrl]) });
    assert.ok(extra.result.ok && extra.result.value.source === 'range-request', JSON.stringify(extra.result));
    assert.deepEqual(paths(extra.requests), [`files /files/demo-pkg/${WHEEL}`]);
  });

  /** A wheel's metadata with neither PEP 658 nor the JSON API's list: read by ranges. */
  async function byRanges(filename: string) {
    const asked = await metadataOf(filename, { switches: { coreMetadata: false, jsonRequiresDist: false } });
    assert.ok(asked.result.ok, JSON.stringify(asked.result));
    assert.equal(asked.result.value.source, 'range-request');
    const { requests } = asked;
    return { size: index.file(filename)!.body.length, requests, files: requests.filter((r) => r.route === 'files'), metadata: asked.result.value.metadata };
  }

  test('a large wheel over ranges: a few small requests, far fewer bytes than the wheel', async () => {
    const { size, requests, files, metadata } = await byRanges('big-2.0-py3-none-any.whl');
    assert.deepEqual(metadata.requiresDist, ['dep']);
    assert.ok(files.length >= 1 && files.length <= 3, paths(requests).join(', '));
    assert.ok(files.every((r) => r.status === 206 && r.headers.range));
    assert.ok(fileBytes(requests) < size / 20, `${fileBytes(requests)} bytes of a ${size}-byte wheel`);
  });

  test('a central directory larger than the tail: the tail, the rest of the directory, then METADATA', async () => {
    const { size, requests, files } = await byRanges('wide-1.0-py3-none-any.whl');
    assert.equal(files.length, 3, paths(requests).join(', '));
    assert.match(String(files[1].headers.range), /^bytes=\d+-\d+$/);
    assert.ok(fileBytes(requests) < size, 'never the whole wheel');
  });

  test('a server that ignores Range sends the whole wheel: that one answer is used, its hash checked', async () => {
    const filename = 'big-2.0-py3-none-any.whl';
    const size = index.file(filename)!.body.length;
    const { requests, result } = await metadataOf(filename, { switches: { coreMetadata: false, jsonRequiresDist: false, ranges: false } });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.value.source, 'download');
    const files = requests.filter((r) => r.route === 'files');
    assert.deepEqual(files.map((r) => [r.status, r.bytes]), [[200, size]]);
  });

  test('sdists: PKG-INFO with Metadata-Version 2.2 and static dependencies is used; from PEP 658 when offered', async () => {
    const viaPep658 = await metadataOf('static-1.0.tar.gz');
    assert.ok(viaPep658.result.ok && viaPep658.result.value.source === 'core-metadata', JSON.stringify(viaPep658.result));
    const downloaded = await metadataOf('static-1.0.tar.gz', { switches: { coreMetadata: false } });
    assert.ok(downloaded.result.ok, JSON.stringify(downloaded.result));
    assert.equal(downloaded.result.value.source, 'sdist');
    assert.deepEqual(downloaded.result.value.metadata.requiresDist, ['dep>=1']);
    assert.equal(downloaded.result.value.metadata.metadataVersion, '2.2');
    assert.deepEqual(paths(downloaded.requests), ['files /files/static/static-1.0.tar.gz'], 'no JSON API for an sdist: its release data may come from a build');
  });

  test('sdists whose dependencies need a build: a not-static error that says why', async () => {
    for (const switches of [{}, { coreMetadata: false }]) {
      const dynamic = await metadataOf('dynamic-1.0.tar.gz', { switches });
      assert.equal(!dynamic.result.ok && dynamic.result.error.kind, 'not-static', JSON.stringify(dynamic.result));
      assert.equal(!dynamic.result.ok && dynamic.result.error.message, 'The dependencies of dynamic-1.0.tar.gz are only known after building it: its PKG-INFO marks Requires-Dist as Dynamic');
      const legacy = await metadataOf('legacy-1.0.tar.gz', { switches });
      assert.equal(!legacy.result.ok && legacy.result.error.message, 'The dependencies of legacy-1.0.tar.gz are only known after building it: its PKG-INFO has Metadata-Version 2.1, and only 2.x from 2.2 on says which fields are static');
    }
  });
});

describe('trust and failures', () => {
  test('a .metadata file that does not match the hash on the page is an error and is never used', async () => {
    const path = `/files/demo-pkg/${WHEEL}.metadata`;
    index.setFault(path, { kind: 'body', body: 'Metadata-Version: 2.1\nName: Demo-Pkg\nVersion: 1.0\n\n', contentType: 'text/plain' });
    try {
      const { requests, result } = await metadataOf(WHEEL);
      assert.equal(!result.ok && result.error.kind, 'hash-mismatch', JSON.stringify(result));
      assert.match(!result.ok ? result.error.message : '', /the core metadata of demo_pkg-1\.0-py3-none-any\.whl from http:\/\/127\.0\.0\.1:\d+\/files\/demo-pkg\/demo_pkg-1\.0-py3-none-any\.whl\.metadata has sha256 [0-9a-f]{64}, not the [0-9a-f]{64} its index page gives; not used/);
      assert.equal(requests.length, 1, 'no other source papers over it');
    } finally {
      index.setFault(path, undefined);
    }
  });

  test('a whole download that does not match the hash on the page is an error', async () => {
    const path = `/files/demo-pkg/${WHEEL}`;
    const other = index.file('dep-1.0-py3-none-any.whl')!.body;
    index.setFault(path, { kind: 'body', body: other, contentType: 'application/zip' });
    try {
      const { result } = await metadataOf(WHEEL, { switches: { coreMetadata: false, jsonRequiresDist: false, ranges: false } });
      assert.equal(!result.ok && result.error.kind, 'hash-mismatch', JSON.stringify(result));
    } finally {
      index.setFault(path, undefined);
    }
  });

  test('a .metadata file the page promises but the index does not serve: the next source', async () => {
    index.setFault('metadata', { kind: 'status', status: 404 });
    try {
      const { requests, result } = await metadataOf(WHEEL);
      assert.ok(result.ok && result.value.source === 'json-api', JSON.stringify(result));
      assert.deepEqual(paths(requests), [`metadata /files/demo-pkg/${WHEEL}.metadata`, 'json /pypi/demo-pkg/1.0/json']);
    } finally {
      index.setFault('metadata', undefined);
    }
  });

  test('metadata of another project or version than the file name says is refused, as pip refuses it', async () => {
    const path = '/pypi/demo-pkg/1.0/json';
    index.setFault(path, { kind: 'body', body: JSON.stringify({ info: { name: 'evil', version: '1.0', requires_dist: [], provides_extra: [] } }), contentType: 'application/json' });
    try {
      const { result } = await metadataOf(WHEEL, { switches: { coreMetadata: false } });
      assert.equal(!result.ok && result.error.kind, 'malformed');
      assert.equal(!result.ok && result.error.message, `the JSON API's release data for ${WHEEL} does not belong to ${WHEEL}: it names the project evil, not demo-pkg`);
    } finally {
      index.setFault(path, undefined);
    }
  });

  test('a hostile wheel over ranges (sizes and offsets that lie) fails with a bounded error', async () => {
    const path = `/files/demo-pkg/${WHEEL}`;
    const hostile: [Buffer, string, RegExp][] = [
      [rawZip([{ name: 'demo_pkg-1.0.dist-info/METADATA', data: 'x', declaredSize: 0xfffffff0 }]), 'too-large', /METADATA declares 4,294,967,280 bytes/],
      [rawZip([{ name: 'demo_pkg-1.0.dist-info/METADATA', data: 'x', headerOffset: 0x7ffffff0 }]), 'malformed', /lies outside the file/],
      [rawZip([{ name: 'demo_pkg-1.0.dist-info/METADATA', data: Buffer.alloc(64 * 1024 * 1024), deflate: true, declaredSize: 1000 }]), 'malformed', /inflates to more than its declared 1000 bytes/],
      [Buffer.concat([Buffer.alloc(1024 * 1024, 0x41), rawZip([{ name: 'x', data: 'x' }], { directorySize: 0x7fffffff, directoryOffset: 0 })]), 'malformed', /bad offset for the central directory/],
      [rawZip([{ name: 'other-1.0.dist-info/METADATA', data: 'x' }]), 'malformed', /\.dist-info directory other-1\.0\.dist-info does not start with demo-pkg/],
    ];
    try {
      for (const [body, kind, message] of hostile) {
        index.setFault(path, { kind: 'body', body, contentType: 'application/zip' });
        const { requests, result } = await metadataOf(WHEEL, { switches: { coreMetadata: false, jsonRequiresDist: false } });
        assert.equal(!result.ok && result.error.kind, kind, JSON.stringify(result));
        assert.match(!result.ok ? result.error.message : '', message);
        assert.ok(requests.filter((r) => r.route === 'files').every((r) => r.status === 206), 'read by ranges');
        assert.ok(fileBytes(requests) <= 2 * 1024 * 1024, `${fileBytes(requests)} bytes read`);
      }
    } finally {
      index.setFault(path, undefined);
    }
  });
});

describe('cache, offline, cancellation', () => {
  test('kept by file hash: the same client asks nothing twice, and a second client on the same store asks nothing', async () => {
    const first = await metadataOf(WHEEL, { switches: { coreMetadata: false, jsonRequiresDist: false }, keep: true });
    try {
      assert.ok(first.result.ok && first.requests.length > 0);
      const again = await metadataOf(WHEEL, { client: first.client });
      assert.deepEqual(again.requests, [], 'from memory');
      assert.deepEqual(again.result, first.result);
      await askAgainFromStore(first, WHEEL);
    } finally {
      await first.client.close();
    }
  });

  test("an sdist's not-static verdict is kept too: it is about the file's bytes", async () => {
    const first = await metadataOf('dynamic-1.0.tar.gz', { switches: { coreMetadata: false }, keep: true });
    try {
      assert.equal(!first.result.ok && first.result.error.kind, 'not-static');
      await askAgainFromStore(first, 'dynamic-1.0.tar.gz');
    } finally {
      await first.client.close();
    }
  });

  test('offline: cached metadata of any age, else a clear offline error without touching the network', async () => {
    const online = await metadataOf(WHEEL, { keep: true });
    try {
      assert.ok(online.result.ok);
      const aYearLater = { offline: true, now: () => Date.now() + 365 * 24 * 3600 * 1000 };
      await askAgainFromStore(online, WHEEL, { client: aYearLater });
      const offline = testClient({ cacheDir: online.client.cacheDir, client: aYearLater });
      try {
        const missing = await metadataOf('big-2.0-py3-none-any.whl', { client: offline }).catch((error: Error) => error);
        // The page of `big` was never fetched by this cache: the page itself is the offline error.
        assert.ok(missing instanceof Error && /offline/.test(missing.message), String(missing));
      } finally {
        await offline.close();
      }
      // The page is cached but the file's metadata is not.
      const pageOnly = testClient();
      const view = openIndex(pageOnly.client, selection([index.simpleUrl]));
      const page = await view.project('dep');
      await pageOnly.close();
      assert.ok(page.ok);
      const offlineAgain = testClient({ cacheDir: pageOnly.cacheDir, client: { offline: true } });
      try {
        const before = index.requests.length;
        const result = await openIndex(offlineAgain.client, selection([index.simpleUrl])).metadata(page.value.files.find((f) => f.kind === 'wheel')!);
        assert.equal(!result.ok && result.error.kind, 'offline', JSON.stringify(result));
        assert.match(!result.ok ? result.error.message : '', /offline, and the metadata of dep-1\.0-py3-none-any\.whl is not in the cache/);
        assert.equal(index.requests.length, before);
      } finally {
        await offlineAgain.close();
      }
    } finally {
      await online.client.close();
    }
  });

  test('a cancelled lookup stops at once; another caller of the same file still gets its answer', async () => {
    index.setFault('metadata', { kind: 'latency', ms: 300 });
    const client = testClient({ noStore: true });
    try {
      const view = openIndex(client.client, selection([index.simpleUrl]));
      const page = await view.project('demo-pkg');
      assert.ok(page.ok);
      const wheel = page.value.files.find((f) => f.filename === WHEEL)!;
      const controller = new AbortController();
      const started = Date.now();
      const cancelled = view.metadata(wheel, controller.signal);
      const other = view.metadata(wheel);
      setTimeout(() => controller.abort(), 20);
      const first = await cancelled;
      assert.equal(!first.ok && first.error.kind, 'cancelled');
      assert.ok(Date.now() - started < 250, 'did not wait for the slow index');
      assert.ok((await other).ok, 'the shared fetch went on for the other caller');
      // Every caller gone: the fetch is aborted, and nothing is remembered for the next ask.
      const alone = new AbortController();
      const fresh = testClient({ noStore: true });
      const freshView = openIndex(fresh.client, selection([index.simpleUrl]));
      const pending = freshView.metadata(wheel, alone.signal);
      setTimeout(() => alone.abort(), 20);
      assert.equal(((await pending) as { error?: { kind: string } }).error?.kind, 'cancelled');
      index.setFault('metadata', undefined);
      assert.ok((await freshView.metadata(wheel)).ok, 'a cancelled lookup is not remembered');
      await fresh.close();
    } finally {
      index.setFault('metadata', undefined);
      await client.close();
    }
  });
});

describe('local files', () => {
  test('a find-links folder: the wheel and the sdist read from the disk, bounded to regular files', async () => {
    const folder = tempDir('metadata');
    for (const name of [WHEEL, 'static-1.0.tar.gz', 'dynamic-1.0.tar.gz']) writeFileSync(join(folder, name), index.file(name)!.body);
    const client = testClient();
    try {
      const view = openIndex(client.client, selection([], { findLinks: [folder], noIndex: true }));
      const before = index.requests.length;
      const lookup = async (project: string, filename: string) => {
        const page = await view.project(project);
        assert.ok(page.ok, JSON.stringify(page));
        return view.metadata(page.value.files.find((f) => f.filename === filename)!);
      };
      const wheel = await lookup('demo-pkg', WHEEL);
      assert.ok(wheel.ok && wheel.value.source === 'download' && wheel.value.metadata.requiresDist.length === 2, JSON.stringify(wheel));
      const sdist = await lookup('static', 'static-1.0.tar.gz');
      assert.ok(sdist.ok && sdist.value.source === 'sdist', JSON.stringify(sdist));
      const dynamic = await lookup('dynamic', 'dynamic-1.0.tar.gz');
      assert.equal(!dynamic.ok && dynamic.error.kind, 'not-static');
      assert.equal(index.requests.length, before, 'no network');
      // A file:// index page with PEP 658 attributes reads the .metadata beside the file.
      const metadataFolder = tempDir('metadata');
      const built = index.file(WHEEL)!;
      writeFileSync(join(metadataFolder, WHEEL), built.body);
      writeFileSync(join(metadataFolder, `${WHEEL}.metadata`), built.metadata);
      const pageUrl = pathToFileURL(join(metadataFolder, 'index.html')).href;
      writeFileSync(join(metadataFolder, 'index.html'), `<a href="${WHEEL}#sha256=${built.sha256}" data-core-metadata="sha256=${built.metadataSha256}">${WHEEL}</a>`);
      const local = openIndex(client.client, selection([], { findLinks: [pageUrl], noIndex: true }));
      const page = await local.project('demo-pkg');
      assert.ok(page.ok && page.value.files[0].coreMetadata, JSON.stringify(page));
      const viaMetadata = await local.metadata(page.value.files[0]);
      assert.ok(viaMetadata.ok && viaMetadata.value.source === 'core-metadata', JSON.stringify(viaMetadata));
      // A page linking to /dev/zero: refused before reading.
      symlinkSync('/dev/zero', join(metadataFolder, 'dep-1.0-py3-none-any.whl'));
      writeFileSync(join(metadataFolder, 'dep.html'), '<a href="dep-1.0-py3-none-any.whl">dep-1.0-py3-none-any.whl</a>');
      const zeroPage = await openIndex(client.client, selection([], { findLinks: [pathToFileURL(join(metadataFolder, 'dep.html')).href], noIndex: true })).project('dep');
      assert.ok(zeroPage.ok && zeroPage.value.files.length === 1, JSON.stringify(zeroPage));
      const zero = await local.metadata(zeroPage.value.files[0]);
      assert.equal(!zero.ok && zero.error.kind, 'malformed', JSON.stringify(zero));
      assert.match(!zero.ok ? zero.error.message : '', /\/dev\/zero|dep-1\.0-py3-none-any\.whl is not a regular file; not read/);
    } finally {
      await client.close();
    }
  });
});
