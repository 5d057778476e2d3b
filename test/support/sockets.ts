// Socket plumbing shared by the loopback test servers (test index, forward proxy, TLS front).
import type { AddressInfo, Server } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * Tracks a test server's connections (and any opened on their behalf) so close() can end them
 * rather than wait for clients' keep-alive.
 */
export function closable(server: Server): { track(socket: Duplex): void; close(): Promise<void> } {
  const open = new Set<Duplex>();
  const track = (socket: Duplex) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  };
  server.on('connection', track);
  return {
    track,
    close: () =>
      new Promise((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Pipes two connections into each other; when either ends or fails, both go. */
export function splice(a: Duplex, b: Duplex): void {
  a.pipe(b).pipe(a);
  for (const [one, other] of [[a, b], [b, a]]) {
    one.on('error', () => other.destroy());
    one.on('close', () => other.destroy());
  }
}

/** Listens on 127.0.0.1 at a port the system picks; resolves with that port. */
export function listenOnLoopback(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}
