// Temporary folders for tests and benchmarks, removed when the process exits: node --test runs
// every test file in a process of its own, so each file cleans up after itself, passed or failed
// (thousands of reqguard-* folders were left in /tmp by earlier runs).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

function removeAll(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
}

/** A new empty folder `reqguard-<name>-XXXXXX` in the system's temp folder, removed when this process exits. */
export function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `reqguard-${name}-`));
  if (made.length === 0) process.once('exit', removeAll);
  made.push(dir);
  return dir;
}
