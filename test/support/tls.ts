// HTTPS for tests: a throwaway CA and a server certificate for 127.0.0.1/localhost made with the
// openssl CLI, and a TLS front that puts any plain HTTP test server (nginx, the test index) behind
// https, so clients meet real certificate checks.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:tls';
import { promisify } from 'node:util';
import { OPENSSL, requireProgram } from './optionalProgram';
import { closable, listenOnLoopback, splice } from './sockets';

const run = promisify(execFile);

export interface TestCertificates {
  /** The CA's certificate (PEM): what a client must trust. */
  readonly caCert: string;
  /** The server's private key and certificate (PEM), signed by the CA. */
  readonly key: string;
  readonly cert: string;
}

export interface TlsFront {
  /** `https://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function makeTestCertificates(): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'reqguard-tls-'));
  const binary = requireProgram(OPENSSL);
  const openssl = (...args: string[]) => run(binary, args, { cwd: dir });
  // P-256 keys: generated in milliseconds, where RSA takes a noticeable part of a second.
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    await openssl('req', '-x509', ...newKey, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=reqguard test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    await openssl('req', ...newKey, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
    await writeFile(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
    await openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', `0x${Date.now().toString(16)}`,
      '-days', '2', '-extfile', 'server.ext', '-out', 'server.crt');
    const [caCert, key, cert] = await Promise.all(['ca.crt', 'server.key', 'server.crt'].map((name) => readFile(join(dir, name), 'utf8')));
    return { caCert, key, cert };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Terminates TLS on 127.0.0.1 and passes each connection's bytes on to 127.0.0.1:targetPort. */
export async function startTlsFront(targetPort: number, certs: { key: string; cert: string }): Promise<TlsFront> {
  const server = createServer({ key: certs.key, cert: certs.cert }, (secure) => {
    const plain = connect(targetPort, '127.0.0.1');
    connections.track(plain);
    splice(secure, plain);
  });
  const connections = closable(server);
  const port = await listenOnLoopback(server);
  return { url: `https://127.0.0.1:${port}`, port, close: connections.close };
}
