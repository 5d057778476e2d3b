// Proxy choice: VS Code's http.proxy over the environment, and the NO_PROXY rules curl and requests share.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { proxyFor, type ProxySettings } from '../../server/src/index/proxy';

const PROXY = 'http://proxy.example:3128';
const viaProxy = (url: string, settings: Partial<ProxySettings> = {}) => proxyFor(url, { env: { https_proxy: PROXY, http_proxy: PROXY }, ...settings });

test('http.proxy wins over the environment; no proxy anywhere means a direct connection', () => {
  const env = { HTTPS_PROXY: 'http://env.example:8080' };
  assert.equal(proxyFor('https://pypi.org/simple/', { proxy: 'http://editor.example:3128', env }), 'http://editor.example:3128');
  assert.equal(proxyFor('https://pypi.org/simple/', { proxy: '', env }), 'http://env.example:8080');
  assert.equal(proxyFor('https://pypi.org/simple/', { env: {} }), undefined);
});

test('the scheme picks the variable, lower case first, ALL_PROXY last; empty is unset', () => {
  const env = { https_proxy: 'http://lower-s:1', HTTPS_PROXY: 'http://upper-s:1', HTTP_PROXY: 'http://upper:1', ALL_PROXY: 'http://all:1' };
  assert.equal(proxyFor('https://pypi.org/', { env }), 'http://lower-s:1');
  assert.equal(proxyFor('http://pypi.org/', { env }), 'http://upper:1');
  assert.equal(proxyFor('http://pypi.org/', { env: { ...env, HTTP_PROXY: undefined } }), 'http://all:1');
  assert.equal(proxyFor('https://pypi.org/', { env: { https_proxy: '', HTTPS_PROXY: ' ', all_proxy: 'http://all:2' } }), 'http://all:2');
});

test('a proxy without a scheme is http://; other schemes are kept', () => {
  assert.equal(proxyFor('https://pypi.org/', { proxy: 'proxy.example:3128', env: {} }), 'http://proxy.example:3128');
  assert.equal(proxyFor('https://pypi.org/', { env: { https_proxy: 'user:pw@proxy.example:3128' } }), 'http://user:pw@proxy.example:3128');
  assert.equal(proxyFor('https://pypi.org/', { env: { https_proxy: 'https://proxy.example' } }), 'https://proxy.example');
});

test('file: URLs (and anything not http) never use a proxy', () => {
  assert.equal(viaProxy('file:///srv/wheels/'), undefined);
  assert.equal(proxyFor('file:///srv/wheels/', { proxy: PROXY, env: {} }), undefined);
  assert.equal(viaProxy('not a url'), undefined);
});

test('NO_PROXY: * excludes everything; lower case first; http.noProxy adds to it', () => {
  assert.equal(viaProxy('https://pypi.org/', { env: { https_proxy: PROXY, NO_PROXY: '*' } }), undefined);
  assert.equal(viaProxy('https://pypi.org/', { env: { https_proxy: PROXY, no_proxy: 'other.example', NO_PROXY: '*' } }), PROXY);
  assert.equal(viaProxy('https://pypi.org/', { proxy: PROXY, noProxy: ['pypi.org'] }), undefined);
  assert.equal(viaProxy('https://pypi.org/', { env: { https_proxy: PROXY, no_proxy: 'a.example' }, noProxy: ['b.example pypi.org'] }), undefined);
});

test('NO_PROXY: domains match themselves and their subdomains, with or without a leading dot', () => {
  for (const entry of ['example.com', '.example.com', '*.example.com', 'EXAMPLE.com']) {
    const settings = { env: { https_proxy: PROXY, no_proxy: `other.test, ${entry}\tthird.test` } };
    assert.equal(viaProxy('https://example.com/', settings), undefined, entry);
    assert.equal(viaProxy('https://pkgs.Example.com/simple/', settings), undefined, entry);
    assert.equal(viaProxy('https://badexample.com/', settings), PROXY, entry);
    assert.equal(viaProxy('https://example.com.evil.test/', settings), PROXY, entry);
  }
});

test('NO_PROXY: host:port matches that port only (default ports count)', () => {
  const settings = { env: { https_proxy: PROXY, http_proxy: PROXY, no_proxy: 'example.com:8443,plain.example:80' } };
  assert.equal(viaProxy('https://example.com:8443/', settings), undefined);
  assert.equal(viaProxy('https://example.com/', settings), PROXY);
  assert.equal(viaProxy('http://plain.example/', settings), undefined);
  assert.equal(viaProxy('https://plain.example/', settings), PROXY);
});

test('NO_PROXY: IPv4 addresses and subnets compare as addresses', () => {
  const settings = { env: { https_proxy: PROXY, http_proxy: PROXY, no_proxy: '10.0.0.0/8,192.168.1.7,172.16.0.1:8080' } };
  assert.equal(viaProxy('http://10.20.30.40/simple/', settings), undefined);
  assert.equal(viaProxy('http://11.0.0.1/', settings), PROXY);
  assert.equal(viaProxy('https://192.168.1.7/', settings), undefined);
  assert.equal(viaProxy('https://192.168.1.70/', settings), PROXY);
  assert.equal(viaProxy('http://172.16.0.1:8080/', settings), undefined);
  assert.equal(viaProxy('http://172.16.0.1/', settings), PROXY);
  // A domain entry is not a suffix of an address.
  assert.equal(viaProxy('http://10.1.2.3/', { env: { http_proxy: PROXY, no_proxy: '1.2.3' } }), PROXY);
});

test('NO_PROXY: IPv6 in brackets (with or without a port), bare, or as a subnet', () => {
  const settings = (no_proxy: string) => ({ env: { http_proxy: PROXY, no_proxy } });
  assert.equal(viaProxy('http://[::1]:3141/', settings('[::1]')), undefined);
  assert.equal(viaProxy('http://[::1]:3141/', settings('[0:0::1]:3141')), undefined);
  assert.equal(viaProxy('http://[::1]:3141/', settings('[::1]:80')), PROXY);
  assert.equal(viaProxy('http://[::1]/', settings('::1')), undefined);
  assert.equal(viaProxy('http://[fd00::5]/', settings('fd00::/8')), undefined);
  assert.equal(viaProxy('http://[fe80::5]/', settings('fd00::/8')), PROXY);
});

test('no implicit exclusion of loopback (curl and requests add none)', () => {
  assert.equal(viaProxy('http://127.0.0.1:8080/simple/'), PROXY);
  assert.equal(viaProxy('http://localhost/simple/'), PROXY);
});
