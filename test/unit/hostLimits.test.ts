// The HTTP client's limits per host (server/src/index/http.ts): sized for the host, halved while it
// answers 429/503, grown back one per answer; a lowered limit lets holders finish, a raised one
// admits waiters at once; and which protocol (h2 or HTTP/1.1) each https origin chose.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AlpnChoices, ConcurrencyLimit, HostLimits } from '../../server/src/index/http';

test('a limit can be lowered and raised while held: holders finish, waiters enter as room appears', async () => {
  const limit = new ConcurrencyLimit(4);
  const held = await Promise.all([1, 2, 3, 4].map(() => limit.acquire()));
  const granted: number[] = [];
  const waiters = [5, 6, 7].map((n) => limit.acquire().then((release) => (granted.push(n), release)));
  limit.setLimit(2);
  held[0]();
  held[1]();
  held[2]();
  await new Promise((resolve) => setImmediate(resolve));
  // One holder left and a limit of 2: one waiter in, in arrival order.
  assert.deepEqual(granted, [5]);
  limit.setLimit(4);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(granted, [5, 6, 7]);
  assert.equal(limit.queued, 0);
  for (const release of await Promise.all(waiters)) release();
  held[3]();
  limit.setLimit(0);
  assert.equal(limit.current, 1, 'never below one');
});

test('hosts are sized apart: PyPI\'s CDN gets three times the base (at most 64), others the base', () => {
  assert.equal(HostLimits.sizeFor('https://pypi.org/simple/requests/', 16), 48);
  assert.equal(HostLimits.sizeFor('https://files.pythonhosted.org/packages/x.whl', 16), 48);
  assert.equal(HostLimits.sizeFor('https://pypi.org/simple/requests/', 40), 64);
  assert.equal(HostLimits.sizeFor('https://mirror.example/simple/requests/', 16), 16);
  assert.equal(HostLimits.sizeFor('https://pypi.org.evil.example/simple/', 16), 16);
  const hosts = new HostLimits(16);
  const pypi = hosts.limitFor('https://pypi.org/simple/a/');
  assert.equal(hosts.limitFor('https://pypi.org/simple/b/'), pypi, 'one limit per origin');
  assert.notEqual(hosts.limitFor('http://pypi.org/simple/a/'), pypi, 'another scheme is another origin');
  assert.equal(hosts.limitFor('https://mirror.example:8443/simple/').current, 16);
});

test('a host answering 429/503 is asked half as many at once, and one more per answer until back to its size', () => {
  const hosts = new HostLimits(16);
  const url = 'https://mirror.example/simple/a/';
  const host = hosts.hostOf(url);
  hosts.refused(host);
  assert.equal(hosts.limitFor(url).current, 8);
  hosts.refused(host);
  hosts.refused(host);
  hosts.refused(host);
  hosts.refused(host);
  assert.equal(hosts.limitFor(url).current, 1);
  for (let n = 0; n < 40; n++) hosts.answered(hosts.hostOf(url));
  assert.equal(hosts.limitFor(url).current, 16, 'never past its size');
  assert.equal(hosts.limitFor('https://other.example/').current, 16, 'other hosts are not affected');
});

test('a host known to speak HTTP/2 grows to a CDN host\'s size, one more per answer, and still halves on refusals', () => {
  const hosts = new HostLimits(16);
  const url = 'https://mirror.example/simple/a/';
  const host = hosts.hostOf(url);
  hosts.multiplexes('https://mirror.example');
  assert.equal(host.limit.current, 16, 'not at once: one more per answer');
  for (let n = 0; n < 10; n++) hosts.answered(host);
  assert.equal(host.limit.current, 26);
  for (let n = 0; n < 40; n++) hosts.answered(host);
  assert.equal(host.limit.current, 48, 'never past three times the base');
  hosts.refused(host);
  assert.equal(host.limit.current, 24);
  hosts.multiplexes('https://other.example');
  assert.equal(hosts.hostOf('https://other.example/x').size, 16, 'a host never asked is not sized ahead');
});

test('ALPN choices: one request opens the first connection, the rest wait for its handshake', async () => {
  const alpn = new AlpnChoices();
  const origin = 'https://index.example';
  assert.equal(alpn.route(origin), 'open');
  const waiting = alpn.route(origin);
  assert.ok(waiting instanceof Promise);
  assert.equal(alpn.route('https://other.example'), 'open', 'each origin has its own');
  alpn.settle(origin, 'h2');
  await waiting;
  assert.equal(alpn.route(origin), 'h2');
});

test('ALPN choices: a failed first connection lets the next request open another', async () => {
  const alpn = new AlpnChoices();
  const origin = 'https://index.example';
  assert.equal(alpn.route(origin), 'open');
  const waiting = alpn.route(origin);
  alpn.settle(origin);
  await waiting;
  assert.equal(alpn.route(origin), 'open');
  alpn.settle(origin, 'http/1.1');
  assert.equal(alpn.route(origin), 'http/1.1');
});
