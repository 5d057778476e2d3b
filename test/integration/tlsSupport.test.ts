// The test TLS support (test/support/tls.ts): a CA made with openssl, and a TLS front that puts a
// plain HTTP server behind https. Clients must trust the test CA explicitly, and then only it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { createServer } from 'node:http';
import { Agent, request } from 'undici';
import { closable, listenOnLoopback } from '../support/sockets';
import { makeTestCertificates, startTlsFront, type TestCertificates, type TlsFront } from '../support/tls';
import { OPENSSL, skipWithout } from '../support/optionalProgram';

let certs: TestCertificates;
let front: TlsFront;
let closeOrigin: () => Promise<void>;
before(async () => {
  if (skipWithout(OPENSSL)) return; // every test here is skipped
  const server = createServer((req, res) => res.end(`plain ${req.method} ${req.url}`));
  closeOrigin = closable(server).close;
  certs = await makeTestCertificates();
  front = await startTlsFront(await listenOnLoopback(server), certs);
});
after(async () => {
  await Promise.all([front?.close(), closeOrigin?.()]);
});

test('the server certificate is for 127.0.0.1 and localhost, signed by the test CA', { skip: skipWithout(OPENSSL) }, () => {
  const ca = new X509Certificate(certs.caCert);
  const server = new X509Certificate(certs.cert);
  assert.ok(ca.ca);
  assert.ok(server.checkIssued(ca) && server.verify(ca.publicKey));
  assert.equal(server.checkIP('127.0.0.1'), '127.0.0.1');
  assert.equal(server.checkHost('localhost'), 'localhost');
  assert.match(certs.key, /-----BEGIN PRIVATE KEY-----/);
});

test('with default trust the front is refused: its CA is nobody else\'s', { skip: skipWithout(OPENSSL) }, async () => {
  await assert.rejects(request(`${front.url}/x`), (error: NodeJS.ErrnoException) => {
    assert.match(String(error.code), /SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/);
    return true;
  });
});

test('trusting the test CA reaches the plain server behind the front', { skip: skipWithout(OPENSSL) }, async () => {
  const agent = new Agent({ connect: { ca: certs.caCert } });
  try {
    for (const host of ['127.0.0.1', 'localhost']) {
      const response = await request(`https://${host}:${front.port}/simple/?q=1`, { dispatcher: agent });
      assert.equal(response.statusCode, 200);
      assert.equal(await response.body.text(), 'plain GET /simple/?q=1');
    }
  } finally {
    await agent.close();
  }
});
