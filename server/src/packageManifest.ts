// reqguard's own package.json, read at run time (its version, the descriptions of its settings):
// a module of its own, so that server/out/cli.js reads the version without the rest of nodeIo.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** reqguard's package.json, two folders above the bundle (server/out/*.js); undefined when unreadable. */
export function packageManifest(): unknown {
  try {
    return JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

/** reqguard's version, from its package.json. */
export function packageVersion(): string {
  const version = (packageManifest() as { version?: unknown } | undefined)?.version;
  return typeof version === 'string' ? version : 'unknown';
}
