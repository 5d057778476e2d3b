// Waits, polling, for something a server sends asynchronously (diagnostics, a status); fails with
// what it waited for after ten seconds.
import { setTimeout as sleep } from 'node:timers/promises';

export async function until<T>(find: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
