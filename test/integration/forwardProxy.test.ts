// The test forward proxy (test/support/forwardProxy.ts) with the client the index layer uses:
// undici's ProxyAgent tunnels with CONNECT by default, even to http:// origins, and sends
// absolute-form requests only with proxyTunnel: false. Both must work, with and without credentials.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { ProxyAgent, request } from 'undici';
import { startForwardProxy, type ForwardProxy } from '../support/forwardProxy';
import { closable, listenOnLoopback } from '../support/sockets';
import { makeTestCertificates, startTlsFront, type TlsFront } from '../support/tls';
import { OPENSSL, skipWithout } from '../support/optionalProgram';

interface Echo {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

let origin: { url: string; close(): Promise<void> };
let proxy: ForwardProxy;
let guarded: ForwardProxy;
before(async () => {
  // The origin answers with what reached it, so tests can see what the proxy passed on.
  const server = createServer((req, res) => res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers })));
  const connections = closable(server);
  origin = { url: `http://127.0.0.1:${await listenOnLoopback(server)}`, close: connections.close };
  proxy = await startForwardProxy();
  guarded = await startForwardProxy({ requireAuth: { username: 'pu', password: 'p:w' } });
});
after(async () => {
  await Promise.all([origin.close(), proxy.close(), guarded.close()]);
});

async function fetchVia(agent: ProxyAgent, url: string): Promise<Echo> {
  try {
    const response = await request(url, { dispatcher: agent });
    assert.equal(response.statusCode, 200);
    return (await response.body.json()) as Echo;
  } finally {
    await agent.close();
  }
}

test('undici tunnels to an http:// origin with CONNECT by default', async () => {
  const seen = proxy.requests.length;
  const echo = await fetchVia(new ProxyAgent({ uri: proxy.url }), `${origin.url}/simple/demo/`);
  assert.equal(echo.url, '/simple/demo/');
  const host = origin.url.slice('http://'.length);
  assert.deepEqual(proxy.requests.slice(seen).map((r) => `${r.method} ${r.target}`), [`CONNECT ${host}`]);
});

test('with proxyTunnel: false undici sends absolute-form requests, which the proxy forwards', async () => {
  const seen = proxy.requests.length;
  const echo = await fetchVia(new ProxyAgent({ uri: proxy.url, proxyTunnel: false }), `${origin.url}/simple/demo/?x=1`);
  assert.deepEqual([echo.method, echo.url], ['GET', '/simple/demo/?x=1']);
  assert.deepEqual(proxy.requests.slice(seen).map((r) => `${r.method} ${r.target}`), [`GET ${origin.url}/simple/demo/?x=1`]);
});

test('a proxy that wants credentials answers 407 without them, in both modes', async () => {
  const seen = guarded.requests.length;
  await assert.rejects(fetchVia(new ProxyAgent({ uri: guarded.url }), `${origin.url}/`), /407/);
  await assert.rejects(fetchVia(new ProxyAgent({ uri: guarded.url, proxyTunnel: false }), `${origin.url}/`), /407/);
  const wrong = `Basic ${Buffer.from('pu:nope').toString('base64')}`;
  await assert.rejects(fetchVia(new ProxyAgent({ uri: guarded.url, token: wrong }), `${origin.url}/`), /407/);
  assert.deepEqual(guarded.requests.slice(seen).map((r) => [r.method, r.headers['proxy-authorization']]), [
    ['CONNECT', undefined],
    ['GET', undefined],
    ['CONNECT', wrong],
  ]);
});

test('with credentials (in the proxy URL) both modes get through; the origin never sees them', async () => {
  const uri = guarded.url.replace('http://', 'http://pu:p%3Aw@');
  const tunneled = await fetchVia(new ProxyAgent({ uri }), `${origin.url}/a`);
  const forwarded = await fetchVia(new ProxyAgent({ uri, proxyTunnel: false }), `${origin.url}/b`);
  assert.deepEqual([tunneled.url, forwarded.url], ['/a', '/b']);
  assert.equal(tunneled.headers['proxy-authorization'], undefined);
  assert.equal(forwarded.headers['proxy-authorization'], undefined);
  assert.equal(guarded.requests.at(-1)?.headers['proxy-authorization'], `Basic ${Buffer.from('pu:p:w').toString('base64')}`);
});

test('https goes through the tunnel end to end (TLS between client and origin, not the proxy)', { skip: skipWithout(OPENSSL) }, async () => {
  const certs = await makeTestCertificates();
  const front: TlsFront = await startTlsFront(Number(new URL(origin.url).port), certs);
  try {
    const seen = proxy.requests.length;
    const echo = await fetchVia(new ProxyAgent({ uri: proxy.url, requestTls: { ca: certs.caCert } }), `${front.url}/simple/`);
    assert.equal(echo.url, '/simple/');
    assert.deepEqual(proxy.requests.slice(seen).map((r) => `${r.method} ${r.target}`), [`CONNECT 127.0.0.1:${front.port}`]);
  } finally {
    await front.close();
  }
});
