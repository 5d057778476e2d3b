// The index layer against the other kinds of index users have: a static PEP 503 tree behind
// nginx, a file:// tree, find-links folders; and the network around them: credentials, netrc,
// proxies, private CAs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseNetrc } from '../../server/src/index/credentials';
import { openIndex } from '../../server/src/index/packageIndex';
import { selection, testClient } from '../support/indexClient';
import { startForwardProxy } from '../support/forwardProxy';
import { startNginx, type Nginx } from '../support/nginx';
import { writeFindLinksDir, writeStaticMirror } from '../support/staticMirror';
import { makeTestCertificates, startTlsFront } from '../support/tls';
import { NGINX, OPENSSL, skipWithout } from '../support/optionalProgram';
import { startTestIndex, type IndexFixture, type TestIndex } from '../support/testIndex';
import { tempDir } from '../helpers/tempDirs';

const FIXTURE: IndexFixture = {
  projects: {
    Demo_Pkg: {
      versions: {
        '1.0': { requiresPython: '>=3.8' },
        '0.9': { yanked: 'broken <build> & "bad"' },
      },
    },
    other: { versions: { '2.0': { files: ['sdist'] } } },
  },
};


const temp = (prefix: string) => tempDir(`${prefix}`);

describe('a static PEP 503 mirror behind nginx', { skip: skipWithout(NGINX) }, () => {
  let nginx: Nginx;
  let root: string;
  before(async () => {
    root = temp('mirror');
    writeStaticMirror(FIXTURE, root);
    nginx = await startNginx(root);
  });
  after(() => nginx.close());

  test('reads HTML pages with relative links, yanked reasons, escaped requires-python and fragment hashes', async () => {
    const t = testClient();
    try {
      const result = await openIndex(t.client, selection([`${nginx.url}simple/`])).project('demo-pkg');
      assert.ok(result.ok, JSON.stringify(result));
      const { files, versions } = result.value;
      assert.deepEqual(versions, ['1.0', '0.9']);
      const wheel = files.find((f) => f.filename === 'demo_pkg-1.0-py3-none-any.whl')!;
      assert.equal(wheel.url, `${nginx.url}packages/demo_pkg-1.0-py3-none-any.whl`);
      assert.equal(wheel.requiresPython, '>=3.8');
      assert.ok(wheel.coreMetadata);
      const fromDisk = readFileSync(join(root, 'packages', wheel.filename));
      const digest = await t.client.fileSha256({ url: wheel.url, hashes: {} });
      assert.ok(digest.ok);
      assert.equal(wheel.hashes.sha256, digest.value, 'the fragment hash is the sha256 of the bytes nginx serves');
      assert.equal(fromDisk.length > 0, true);
      const yanked = files.filter((f) => f.version === '0.9');
      assert.ok(yanked.length > 0 && yanked.every((f) => f.yanked && f.yankedReason === 'broken <build> & "bad"'));
    } finally {
      await t.close();
    }
  });

  test('revalidates with nginx\'s ETag / Last-Modified and accepts its 304', async () => {
    const t = testClient();
    try {
      assert.ok((await t.client.projectPage(`${nginx.url}simple/`, 'other')).ok);
      t.advance(11 * 60 * 1000);
      t.client.clearMemory();
      const again = await t.client.projectPage(`${nginx.url}simple/`, 'other');
      assert.equal(again.ok && again.value.freshness, 'revalidated');
      const log = (await nginx.settledLog()).trim().split('\n').filter((line) => line.includes('/simple/other/'));
      assert.match(log[log.length - 1], /" 304 /);
    } finally {
      await t.close();
    }
  });

  test('a mirror without hashes in its links: the files are downloaded and hashed', async () => {
    const bare = temp('bare');
    const { files } = writeStaticMirror(FIXTURE, bare, { hashFragments: false });
    const server = await startNginx(bare);
    const t = testClient();
    try {
      const result = await openIndex(t.client, selection([`${server.url}simple/`])).project('other');
      assert.ok(result.ok);
      const [sdist] = result.value.files;
      assert.deepEqual(sdist.hashes, {});
      assert.deepEqual(await t.client.fileSha256(sdist), { ok: true, value: files.find((f) => f.filename === sdist.filename)!.sha256 });
    } finally {
      await t.close();
      await server.close();
    }
  });
});

describe('local indexes', () => {
  test('a file:// tree: folders are read through their index.html, as pip does', async () => {
    const root = temp('file-index');
    const { files } = writeStaticMirror(FIXTURE, root);
    const t = testClient({ client: { offline: true } });
    try {
      const result = await openIndex(t.client, selection([pathToFileURL(join(root, 'simple')).href + '/'])).project('Demo.Pkg');
      assert.ok(result.ok, JSON.stringify(result));
      const wheel = result.value.files.find((f) => f.kind === 'wheel' && f.version === '1.0')!;
      assert.equal(wheel.url, pathToFileURL(join(root, 'packages', wheel.filename)).href);
      assert.equal(wheel.hashes.sha256, files.find((f) => f.filename === wheel.filename)!.sha256);
      assert.ok((await openIndex(t.client, selection([pathToFileURL(root).href + '/nowhere/'])).project('demo-pkg')).ok === false);
    } finally {
      await t.close();
    }
  });

  test('find-links: a folder relative to the requirements file, merged with the index; files hashed from disk', async () => {
    const project = temp('project');
    const built = writeFindLinksDir(FIXTURE, join(project, 'wheelhouse'));
    const index = await startTestIndex({ projects: { other: { versions: { '3.0': { files: ['wheel'] } } } } });
    const t = testClient();
    try {
      const view = openIndex(t.client, selection([index.simpleUrl], { findLinks: ['wheelhouse'] }), { baseDir: project });
      const result = await view.project('other');
      assert.ok(result.ok, JSON.stringify(result));
      assert.deepEqual(result.value.versions, ['3.0', '2.0'], 'candidates from both sources, as pip merges them');
      const local = result.value.files.find((f) => f.version === '2.0')!;
      assert.equal(local.source, join(project, 'wheelhouse'), 'relative to the requirements file, as pip looks first');
      assert.deepEqual(await view.fileSha256(local), { ok: true, value: built.find((f) => f.filename === local.filename)!.sha256 });
      // Files of other projects in the same folder are not candidates.
      assert.ok(result.value.files.every((f) => f.filename.startsWith('other')));
    } finally {
      await t.close();
      await index.close();
    }
  });

  test('find-links: an HTML page of links (here a project page of a static mirror)', async () => {
    const root = temp('links-page');
    writeStaticMirror(FIXTURE, root);
    const t = testClient({ client: { offline: true } });
    try {
      const page = join(root, 'simple', 'demo-pkg', 'index.html');
      const result = await openIndex(t.client, selection([], { noIndex: true, findLinks: [page] })).project('demo-pkg');
      assert.ok(result.ok, JSON.stringify(result));
      assert.deepEqual(result.value.versions, ['1.0', '0.9']);
    } finally {
      await t.close();
    }
  });

  test('--no-index without find-links: a clear error, no request', async () => {
    const t = testClient();
    try {
      const result = await openIndex(t.client, selection([], { noIndex: true })).project('demo-pkg');
      assert.equal(result.ok, false);
      assert.match(!result.ok ? result.error.message : '', /--no-index/);
    } finally {
      await t.close();
    }
  });
});

describe('credentials', () => {
  let index: TestIndex;
  before(async () => (index = await startTestIndex(FIXTURE)));
  after(() => index.close());

  const secretUrl = () => index.simpleUrl.replace('http://', 'http://alice:s3cret%2Ftoken@');
  const basic = `Basic ${Buffer.from('alice:s3cret/token').toString('base64')}`;

  test('credentials in the index URL go to that host, and appear nowhere else', async () => {
    const t = testClient();
    try {
      const view = openIndex(t.client, selection([secretUrl()]));
      const result = await view.project('demo-pkg');
      assert.ok(result.ok);
      const request = index.requests[index.requests.length - 1];
      assert.equal(request.headers.authorization, basic);
      assert.equal(view.effective.primary, index.simpleUrl.replace('http://', 'http://alice:****@'));
      // Errors and notices are redacted too.
      index.setFault('simple-project', { kind: 'status', status: 500 });
      t.advance(11 * 60 * 1000);
      t.client.clearMemory();
      const stale = await view.project('demo-pkg');
      const failed = await view.project('unknown-now');
      const everything = JSON.stringify({ stale, failed, notices: t.notices, effective: view.effective });
      assert.ok(!everything.includes('s3cret'), everything);
      assert.match(everything, /answered 500/);
    } finally {
      index.setFault('simple-project', undefined);
      await t.close();
    }
  });

  test('a password holding @ is sent whole, and shown nowhere', async () => {
    const t = testClient();
    try {
      const view = openIndex(t.client, selection([index.simpleUrl.replace('http://', 'http://alice:s3cr@tPW@')]));
      assert.ok((await view.project('demo-pkg')).ok);
      assert.equal(index.requests[index.requests.length - 1].headers.authorization, `Basic ${Buffer.from('alice:s3cr@tPW').toString('base64')}`);
      index.setFault('simple-project', { kind: 'status', status: 500 });
      t.advance(11 * 60 * 1000);
      t.client.clearMemory();
      const everything = JSON.stringify({ stale: await view.project('demo-pkg'), failed: await view.project('unknown-now'), notices: t.notices, effective: view.effective });
      assert.match(everything, /alice:\*\*\*\*@127\.0\.0\.1/);
      assert.ok(!everything.includes('s3cr') && !everything.includes('tPW'), everything);
    } finally {
      index.setFault('simple-project', undefined);
      await t.close();
    }
  });

  test('a redirect to another host carries no credentials', async () => {
    const t = testClient({ noStore: true });
    index.setFault('/simple/other/', { kind: 'redirect-other-host' });
    try {
      const before = index.requests.length;
      const result = await openIndex(t.client, selection([secretUrl()])).project('other');
      assert.ok(result.ok, JSON.stringify(result));
      const [first, second] = index.requests.slice(before);
      assert.equal(first.headers.authorization, basic);
      assert.match(String(second.headers.host), /^localhost:/);
      assert.equal(second.headers.authorization, undefined);
    } finally {
      index.setFault('/simple/other/', undefined);
      await t.close();
    }
  });

  test('netrc credentials are used for their host', async () => {
    const t = testClient({ netrc: parseNetrc('machine 127.0.0.1 login bob password hunter2\nmachine example.org login eve password x\n'), noStore: true });
    try {
      assert.ok((await openIndex(t.client, selection([index.simpleUrl])).project('other')).ok);
      assert.equal(index.requests[index.requests.length - 1].headers.authorization, `Basic ${Buffer.from('bob:hunter2').toString('base64')}`);
    } finally {
      await t.close();
    }
  });
});

describe('network paths', () => {
  let index: TestIndex;
  before(async () => (index = await startTestIndex(FIXTURE)));
  after(() => index.close());

  test('HTTPS_PROXY / http_proxy from the environment, and NO_PROXY', async () => {
    const proxy = await startForwardProxy();
    try {
      const viaEnv = testClient({ http: { env: { HTTP_PROXY: proxy.url } }, noStore: true });
      assert.ok((await openIndex(viaEnv.client, selection([index.simpleUrl])).project('other')).ok);
      assert.ok(proxy.requests.some((r) => r.target.includes(`127.0.0.1:${new URL(index.url).port}`)));
      await viaEnv.close();

      const seen = proxy.requests.length;
      const bypass = testClient({ http: { env: { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' } }, noStore: true });
      assert.ok((await openIndex(bypass.client, selection([index.simpleUrl])).project('other')).ok);
      assert.equal(proxy.requests.length, seen, 'NO_PROXY host went direct');
      await bypass.close();
    } finally {
      await proxy.close();
    }
  });

  test("VS Code's http.proxy wins, and a proxy refusing our credentials is 'unauthorized'", async () => {
    const proxy = await startForwardProxy({ requireAuth: { username: 'u', password: 'right' } });
    try {
      const good = testClient({ http: { proxy: { proxy: proxy.url.replace('http://', 'http://u:right@') } }, noStore: true });
      assert.ok((await openIndex(good.client, selection([index.simpleUrl])).project('other')).ok);
      await good.close();
      const bad = testClient({ http: { proxy: { proxy: proxy.url.replace('http://', 'http://u:wrong@') }, retries: 0 }, noStore: true });
      const result = await openIndex(bad.client, selection([index.simpleUrl])).project('other');
      assert.equal(!result.ok && result.error.kind, 'unauthorized', JSON.stringify(result));
      assert.ok(!JSON.stringify(result).includes('wrong'));
      await bad.close();
    } finally {
      await proxy.close();
    }
  });

  test('TLS: a private CA is refused until trusted; verification off only when asked', { skip: skipWithout(OPENSSL) }, async () => {
    const certs = await makeTestCertificates();
    const front = await startTlsFront(Number(new URL(index.url).port), certs);
    const url = `${front.url}/simple/`;
    try {
      const untrusted = testClient({ http: { retries: 0 }, noStore: true });
      const refused = await openIndex(untrusted.client, selection([url])).project('other');
      assert.equal(!refused.ok && refused.error.kind, 'unreachable');
      assert.match(!refused.ok ? refused.error.message : '', /certificate/i);
      await untrusted.close();

      const trusted = testClient({ http: { extraCaCertificates: [certs.caCert] }, noStore: true });
      const ok = await openIndex(trusted.client, selection([url])).project('other');
      assert.ok(ok.ok, JSON.stringify(ok));
      assert.ok(ok.value.files[0].url.startsWith(`${front.url}/files/`) || ok.value.files[0].url.startsWith(index.url));
      await trusted.close();

      const insecure = testClient({ http: { strictSsl: false }, noStore: true });
      assert.ok((await openIndex(insecure.client, selection([url])).project('other')).ok);
      await insecure.close();
    } finally {
      await front.close();
    }
  });
});
