// The trust store of index connections: Node's roots plus the extra CAs, each certificate once, in
// one context built when the first TLS connection needs it and shared by every connection after.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rootCertificates } from 'node:tls';
import { TlsSettings, trustedCertificates } from '../../server/src/index/http';

const rewrapped = (pem: string, width: number) => {
  const body = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  return `-----BEGIN CERTIFICATE-----\n${body.match(new RegExp(`.{1,${width}}`, 'g'))!.join('\n')}\n-----END CERTIFICATE-----\n`;
};

test("a bundle repeating Node's roots adds only the certificates it does not repeat, whatever its line width", () => {
  const extra = '-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----';
  const trusted = '-----BEGIN TRUSTED CERTIFICATE-----\nREVG\n-----END TRUSTED CERTIFICATE-----';
  const bundle = ['# a comment', rewrapped(rootCertificates[0], 76), rewrapped(rootCertificates[1], 64), extra, trusted, extra].join('\n');
  const result = trustedCertificates([bundle, bundle]);
  assert.equal(result.length, rootCertificates.length + 2);
  assert.deepEqual(result.slice(-2), [extra, trusted]);
  assert.deepEqual(trustedCertificates([]), [...rootCertificates]);
});

test('the context with the extra CAs is built once and shared; without extra CAs, Node decides', () => {
  const settings = new TlsSettings(true, [rewrapped(rootCertificates[0], 64)]);
  const first = settings.options();
  assert.ok(first.secureContext);
  assert.equal(settings.options().secureContext, first.secureContext);
  assert.deepEqual(new TlsSettings(false, []).options(), { rejectUnauthorized: false });
});
