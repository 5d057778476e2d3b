// HTTP/2 to https indexes that offer it (ALPN): the test index served by node:http2 with HTTP/1.1
// allowed, and small h2 servers for what the test index does not do (gzip answers, GOAWAY).
// Everything the client relies on must work the same over h2; h1-only TLS servers, plain http
// and proxies stay on HTTP/1.1.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { constants as h2, createSecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { readdirSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createHttpClient, type HttpClient, type HttpOptions } from '../../server/src/index/http';
import { openIndex } from '../../server/src/index/packageIndex';
import { CredentialStore } from '../../server/src/index/credentials';
import { selection, testClient } from '../support/indexClient';
import { startForwardProxy } from '../support/forwardProxy';
import { closable, listenOnLoopback } from '../support/sockets';
import { makeTestCertificates, startTlsFront, type TestCertificates } from '../support/tls';
import { OPENSSL, PIP, PIP26, skipWithout } from '../support/optionalProgram';
import { runPip, type PipVersion } from '../support/pip';
import { run, workspace } from './cli/runCli';
import { startTestIndex, type IndexFixture, type RecordedRequest, type TestIndex } from '../support/testIndex';

const FIXTURE: IndexFixture = {
  projects: Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`project-${i}`, { versions: { '1.0': {}, '1.1': {} } }])),
};
const NAMES = Object.keys(FIXTURE.projects);

const skip = skipWithout(OPENSSL);
let certs: TestCertificates;
let index: TestIndex;
before(async () => {
  if (skip) return;
  certs = await makeTestCertificates();
  index = await startTestIndex(FIXTURE, { tls: certs });
});
after(() => index?.close());

function client(options: Partial<HttpOptions> = {}): HttpClient {
  return createHttpClient({ userAgent: 'reqguard-test', env: {}, backoffMs: 10, extraCaCertificates: [certs.caCert], ...options });
}

const since = (from: number): RecordedRequest[] => index.requests.slice(from);
const connectionsOf = (requests: RecordedRequest[]) => new Set(requests.map((r) => r.remotePort)).size;

describe('an index offering HTTP/2', { skip }, () => {
  test('pages and files come over h2, all on one connection, however many are asked at once', async () => {
    const from = index.requests.length;
    const t = testClient({ http: { extraCaCertificates: [certs.caCert] }, noStore: true });
    try {
      const view = openIndex(t.client, selection([index.simpleUrl]));
      const results = await Promise.all(NAMES.map((name) => view.project(name)));
      assert.ok(results.every((r) => r.ok), JSON.stringify(results.find((r) => !r.ok)));
      const file = results[0].ok ? results[0].value.files[0] : undefined;
      const digest = await t.client.fileSha256({ url: file!.url, hashes: {} });
      assert.ok(digest.ok, JSON.stringify(digest));
      assert.equal(digest.value, index.file(file!.filename)!.sha256);
    } finally {
      await t.close();
    }
    const requests = since(from);
    assert.ok(requests.length > NAMES.length);
    assert.deepEqual([...new Set(requests.map((r) => r.httpVersion))], ['2.0']);
    assert.equal(connectionsOf(requests), 1);
  });

  test('requests in flight stay within the host limit; an h2 host grows to three times it, one answer at a time', async () => {
    const http = client({ concurrency: 3 });
    index.setFault('simple-project', { kind: 'latency', ms: 100 });
    const from = index.requests.length;
    try {
      const results = await Promise.all(NAMES.map((name) => http.fetch({ url: `${index.simpleUrl}${name}/` })));
      assert.ok(results.every((r) => r.ok));
      const arrivals = since(from).map((r) => r.receivedAt).sort((a, b) => a - b);
      // Each answer takes 100 ms: the requests that arrived within 90 ms of one another were in flight together.
      const inFlight = arrivals.map((at) => arrivals.filter((other) => other >= at && other < at + 90).length);
      assert.ok(arrivals[3] - arrivals[0] >= 90, 'the fourth request waited for a slot: the first wave is the base limit');
      assert.ok(Math.max(...inFlight) > 3, `once the host was known to speak h2 it got more at once (${Math.max(...inFlight)})`);
      assert.ok(Math.max(...inFlight) <= 9, `never more than three times the base (${Math.max(...inFlight)})`);
      assert.equal(connectionsOf(since(from)), 1);
    } finally {
      index.setFault('simple-project', undefined);
      await http.close();
    }
  });

  test('revalidation: If-None-Match gets a 304 over h2', async () => {
    const http = client();
    try {
      const url = `${index.simpleUrl}project-1/`;
      const first = await http.fetch({ url });
      assert.ok(first.ok);
      const etag = first.value.headers.etag;
      assert.ok(etag);
      const again = await http.fetch({ url, headers: { 'if-none-match': etag } });
      assert.ok(again.ok);
      assert.equal(again.value.status, 304);
      assert.equal(index.requests.at(-1)!.httpVersion, '2.0');
    } finally {
      await http.close();
    }
  });

  test('range requests into a file get 206 and exactly those bytes', async () => {
    const http = client();
    try {
      const wheel = index.file('project_2-1.0-py3-none-any.whl')!;
      const url = `${index.url}files/project-2/${wheel.filename}`;
      const result = await http.fetch({ url, headers: { range: 'bytes=-100', 'accept-encoding': 'identity' } });
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.value.status, 206);
      assert.equal(result.value.headers['content-range'], `bytes ${wheel.body.length - 100}-${wheel.body.length - 1}/${wheel.body.length}`);
      assert.deepEqual(result.value.body, wheel.body.subarray(wheel.body.length - 100));
      assert.equal(index.requests.at(-1)!.httpVersion, '2.0');
    } finally {
      await http.close();
    }
  });

  test('redirects are followed; 429 and 503 are retried; a body over the cap is refused', async () => {
    const http = client();
    try {
      index.setFault('/simple/moved/', { kind: 'redirect-other-host', location: `${index.simpleUrl}project-3/` });
      const moved = await http.fetch({ url: `${index.simpleUrl}moved/` });
      assert.ok(moved.ok, JSON.stringify(moved));
      assert.equal(moved.value.url, `${index.simpleUrl}project-3/`);

      for (const status of [429, 503]) {
        index.setFault('/simple/project-4/', { kind: 'status', status, retryAfter: '0' });
        const from = index.requests.length;
        const refused = await http.fetch({ url: `${index.simpleUrl}project-4/` });
        assert.equal(!refused.ok && refused.error.kind, 'server-error');
        assert.equal(since(from).length, 3, `${status}: the first attempt and two retries`);
      }
      index.setFault('/simple/project-4/', undefined);
      assert.ok((await http.fetch({ url: `${index.simpleUrl}project-4/` })).ok);

      const capped = await http.fetch({ url: `${index.simpleUrl}project-5/`, maxBytes: 100 });
      assert.equal(!capped.ok && capped.error.kind, 'too-large');
    } finally {
      index.setFault('/simple/moved/', undefined);
      await http.close();
    }
  });

  test('a reset stream (RST_STREAM) is retried as a dropped connection; the connection serves on', async () => {
    const http = client();
    try {
      assert.ok((await http.fetch({ url: `${index.simpleUrl}project-6/` })).ok);
      index.setFault('/simple/project-7/', { kind: 'reset' });
      const from = index.requests.length;
      const reset = await http.fetch({ url: `${index.simpleUrl}project-7/` });
      assert.equal(!reset.ok && reset.error.kind, 'unreachable', JSON.stringify(reset));
      assert.equal(since(from).length, 3, 'the first attempt and two retries');
      index.setFault('/simple/project-7/', undefined);
      assert.ok((await http.fetch({ url: `${index.simpleUrl}project-7/` })).ok);
      assert.equal(connectionsOf(since(from - 1)), 1);
    } finally {
      index.setFault('/simple/project-7/', undefined);
      await http.close();
    }
  });

  test('a timeout and a cancellation end their own stream only', async () => {
    const http = client({ timeoutMs: 300, retries: 0 });
    try {
      index.setFault('/simple/project-8/', { kind: 'timeout' });
      const from = index.requests.length;
      const cancel = new AbortController();
      const [timedOut, cancelled, fine] = await Promise.all([
        http.fetch({ url: `${index.simpleUrl}project-8/` }),
        http.fetch({ url: `${index.simpleUrl}project-8/`, signal: cancel.signal }),
        http.fetch({ url: `${index.simpleUrl}project-9/` }),
        new Promise((resolve) => setTimeout(resolve, 50)).then(() => cancel.abort()),
      ]);
      assert.equal(!timedOut.ok && timedOut.error.kind, 'unreachable');
      assert.match(!timedOut.ok ? timedOut.error.message : '', /did not answer within 0.3 s/);
      assert.equal(!cancelled.ok && cancelled.error.kind, 'cancelled');
      assert.ok(fine.ok);
      assert.ok((await http.fetch({ url: `${index.simpleUrl}project-10/` })).ok);
      assert.equal(connectionsOf(since(from)), 1);
    } finally {
      index.setFault('/simple/project-8/', undefined);
      await http.close();
    }
  });

  test('http2: false keeps to HTTP/1.1 on the same index', async () => {
    const http = client({ http2: false, concurrency: 4 });
    const from = index.requests.length;
    try {
      const results = await Promise.all(NAMES.slice(0, 8).map((name) => http.fetch({ url: `${index.simpleUrl}${name}/` })));
      assert.ok(results.every((r) => r.ok));
      assert.deepEqual([...new Set(since(from).map((r) => r.httpVersion))], ['1.1']);
    } finally {
      await http.close();
    }
  });

  test('`reqguard fix` reads the index over h2, and pip (HTTP/1.1) downloads what it wrote', { skip: skipWithout(PIP) }, async () => {
    const dir = workspace({ 'requirements.txt': 'project-0\nproject-1==1.0\n' });
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, certs.caCert);
    const from = index.requests.length;
    const fixed = await run(['fix', '--isolated', '--no-cache', '--index-url', index.simpleUrl, '--python-version', '3.11', 'requirements.txt'], dir, { NODE_EXTRA_CA_CERTS: caFile });
    assert.equal(fixed.status, 0, fixed.stderr);
    assert.deepEqual([...new Set(since(from).map((r) => r.httpVersion))], ['2.0']);
    const pips: PipVersion[] = skipWithout(PIP26) ? ['system'] : ['system', 'pip26'];
    for (const pip of pips) {
      const out = join(dir, `downloaded-${pip}`);
      const pipFrom = index.requests.length;
      const downloaded = await runPip(pip, ['download', '--no-deps', '--require-hashes', '-r', join(dir, 'requirements.txt'), '--index-url', index.simpleUrl, '--cert', caFile, '-d', out]);
      assert.equal(downloaded.status, 0, downloaded.stdout + downloaded.stderr);
      assert.deepEqual(readdirSync(out).sort(), ['project_0-1.1-py3-none-any.whl', 'project_1-1.0-py3-none-any.whl']);
      assert.deepEqual([...new Set(since(pipFrom).map((r) => r.httpVersion))], ['1.1'], `${pip} speaks HTTP/1.1`);
    }
  });

  test('through a proxy (CONNECT) the index is reached over HTTP/1.1', async () => {
    const proxy = await startForwardProxy();
    const http = client({ env: { HTTPS_PROXY: proxy.url } });
    const from = index.requests.length;
    try {
      assert.ok((await http.fetch({ url: `${index.simpleUrl}project-11/` })).ok);
      assert.ok(proxy.requests.length > 0);
      assert.deepEqual(since(from).map((r) => r.httpVersion), ['1.1']);
    } finally {
      await http.close();
      await proxy.close();
    }
  });
});

/** An h2 server (HTTP/1.1 allowed) answering with `respond`; counts its TLS connections. */
async function startH2Server(respond: (req: Http2ServerRequest, res: Http2ServerResponse) => void) {
  const versions: string[] = [];
  let connectionCount = 0;
  const server = createSecureServer({ key: certs.key, cert: certs.cert, allowHTTP1: true }, (req, res) => {
    versions.push(req.httpVersion);
    respond(req, res);
  });
  server.on('secureConnection', () => connectionCount++);
  const { close } = closable(server);
  const port = await listenOnLoopback(server);
  return { url: `https://127.0.0.1:${port}/`, versions, connections: () => connectionCount, close };
}

describe('h2 servers', { skip }, () => {
  test('gzip answers are decoded, and Basic credentials reach their origin', async () => {
    const page = Buffer.from('<a href="x-1.0.tar.gz">x-1.0.tar.gz</a>\n'.repeat(50));
    const server = await startH2Server((req, res) => {
      if (req.headers.authorization !== `Basic ${Buffer.from('user:secret').toString('base64')}`) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="x"' }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(gzipSync(page));
    });
    const credentials = new CredentialStore();
    credentials.remember(server.url.replace('https://', 'https://user:secret@'));
    const http = client({ credentials });
    try {
      const result = await http.fetch({ url: `${server.url}simple/x/` });
      assert.ok(result.ok, JSON.stringify(result));
      assert.deepEqual(result.value.body, page);
      assert.deepEqual(server.versions, ['2.0']);
    } finally {
      await http.close();
      await server.close();
    }
  });

  test('GOAWAY: requests the server will not answer are retried on a new connection', async () => {
    let goneAway = false;
    const server = await startH2Server((req, res) => {
      if (!goneAway && server.versions.length === 3) {
        // Three streams are open: refuse them all (last stream id 0) and close the connection.
        goneAway = true;
        req.stream.session?.goaway(h2.NGHTTP2_INTERNAL_ERROR, 0);
        req.stream.session?.destroy();
        return;
      }
      if (server.versions.length <= 3 && !goneAway) return; // held until the third arrives
      res.end('ok');
    });
    const http = client();
    try {
      const results = await Promise.all([1, 2, 3].map((n) => http.fetch({ url: `${server.url}simple/p${n}/` })));
      assert.ok(results.every((r) => r.ok), JSON.stringify(results));
      assert.equal(server.connections(), 2);
      assert.ok(server.versions.every((v) => v === '2.0'));
    } finally {
      await http.close();
      await server.close();
    }
  });

  test('a stream refused or reset with an error code (RST_STREAM) is retried', async () => {
    const codes = [h2.NGHTTP2_REFUSED_STREAM, h2.NGHTTP2_INTERNAL_ERROR];
    const server = await startH2Server((req, res) => {
      const code = codes.shift();
      if (code === undefined) res.end('ok');
      else req.stream.close(code);
    });
    const http = client();
    try {
      const result = await http.fetch({ url: `${server.url}simple/p/` });
      assert.ok(result.ok, JSON.stringify(result));
      assert.deepEqual(server.versions, ['2.0', '2.0', '2.0']);
    } finally {
      await http.close();
      await server.close();
    }
  });

  test('a request waiting for another one\'s handshake stops waiting when cancelled', async () => {
    // Accepts connections and never answers the TLS handshake.
    const silent = createNetServer(() => undefined);
    const { close } = closable(silent);
    const port = await listenOnLoopback(silent);
    const http = client({ timeoutMs: 3_000, retries: 0 });
    try {
      const opening = http.fetch({ url: `https://127.0.0.1:${port}/simple/a/` });
      const cancel = new AbortController();
      const started = performance.now();
      setTimeout(() => cancel.abort(), 100);
      const waiting = await http.fetch({ url: `https://127.0.0.1:${port}/simple/b/`, signal: cancel.signal });
      assert.equal(!waiting.ok && waiting.error.kind, 'cancelled');
      assert.ok(performance.now() - started < 1_500, `cancelled after ${performance.now() - started} ms`);
      const opened = await opening;
      assert.equal(!opened.ok && opened.error.kind, 'unreachable');
    } finally {
      await http.close();
      await close();
    }
  });

  test('an h1-only TLS server gets its own pool of HTTP/1.1 connections', async () => {
    const plain = await startTestIndex(FIXTURE);
    const front = await startTlsFront(Number(new URL(plain.url).port), certs);
    const http = client({ concurrency: 4 });
    plain.setFault('simple-project', { kind: 'latency', ms: 50 });
    try {
      const results = await Promise.all(NAMES.slice(0, 8).map((name) => http.fetch({ url: `${front.url}/simple/${name}/` })));
      assert.ok(results.every((r) => r.ok), JSON.stringify(results.find((r) => !r.ok)));
      assert.deepEqual([...new Set(plain.requests.map((r) => r.httpVersion))], ['1.1']);
      // The TLS front opens one plain connection per TLS connection: several, not one.
      assert.ok(connectionsOf(plain.requests) >= 3, `${connectionsOf(plain.requests)} connections`);
    } finally {
      await http.close();
      await front.close();
      await plain.close();
    }
  });
});
