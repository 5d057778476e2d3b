// Real file-system access for the server and the CLI (the only place they touch the disk).
import { createHash } from 'node:crypto';
import { closeSync, constants, createReadStream, existsSync, fstatSync, openSync, readFileSync, readSync, statSync, type Stats } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PathProbe } from './pip/localPaths';
import { asStoredResponse, type ResponseStore } from './index/cache';
import { MAX_INCLUDE_BYTES, MAX_INCLUDE_LABEL, type TextReader, type Unreadable } from './pip/includes';
import type { LocalFiles } from './index/packageIndex';
import { decodeRequirementsBytes } from './parser/pyText';

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

/**
 * Included files from the disk: regular files only, read to at most MAX_INCLUDE_BYTES whatever
 * their stated size (/proc files say 0), so `-r /dev/zero`, a FIFO or a huge file costs nothing.
 */
export const diskReader: TextReader = {
  read(path) {
    let fd: number;
    try {
      // Non-blocking: opening a FIFO must not wait for a writer (the flag does nothing to regular files).
      fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EISDIR' ? NOT_READ.directory : undefined;
    }
    try {
      const stats = fstatSync(fd);
      if (stats.isDirectory()) return NOT_READ.directory;
      if (!stats.isFile()) return { reason: `is not a regular file (${specialKind(stats)}): reqguard does not read it, so what it holds is not checked`, pipFails: false };
      const bytes = readAtMost(fd, MAX_INCLUDE_BYTES, stats.size);
      return bytes ? decodeRequirementsBytes(bytes).text : NOT_READ.tooLarge;
    } catch {
      return undefined;
    } finally {
      closeSync(fd);
    }
  },
};

const NOT_READ = {
  directory: { reason: 'is a directory: pip cannot open it, and the install stops here', pipFails: true },
  tooLarge: { reason: `is larger than ${MAX_INCLUDE_LABEL}: reqguard does not read it, so what it holds is not checked`, pipFails: false },
} as const satisfies Record<string, Unreadable>;

function specialKind(stats: Stats): string {
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  return 'not a file';
}

/** The file's bytes, or undefined when it holds more than `limit`; `sizeHint` (fstat's) only sizes the first buffer. */
function readAtMost(fd: number, limit: number, sizeHint: number): Buffer | undefined {
  let buffer = Buffer.allocUnsafe(Math.min(limit + 1, Math.max(sizeHint + 1, 64 * 1024)));
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      if (length > limit) return undefined;
      const bigger = Buffer.allocUnsafe(Math.min(limit + 1, buffer.length * 2));
      buffer.copy(bigger, 0, 0, length);
      buffer = bigger;
    }
    const read = readSync(fd, buffer, length, buffer.length - length, null);
    if (read === 0) return buffer.subarray(0, length);
    length += read;
  }
}

export function fileUriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** Local paths in a requirements file, looked up from the folder of that file. */
export function diskPathProbe(fromFile: string): PathProbe {
  const resolve = (path: string) => (isAbsolute(path) ? path : join(dirname(fromFile), path));
  return {
    kind(path) {
      try {
        const stats = statSync(resolve(path));
        return stats.isDirectory() ? 'directory' : 'file';
      } catch {
        return 'missing';
      }
    },
    isInstallableDirectory(path) {
      const dir = resolve(path);
      return existsSync(join(dir, 'setup.py')) || existsSync(join(dir, 'pyproject.toml'));
    },
  };
}

/** Responses persisted as one JSON file per key (its sha256) under `dir`, written atomically. */
export function fileResponseStore(dir: string): ResponseStore {
  const pathOf = (key: string) => join(dir, `${createHash('sha256').update(key).digest('hex')}.json`);
  return {
    async read(key) {
      try {
        return asStoredResponse(JSON.parse(await readFile(pathOf(key), 'utf8')));
      } catch {
        return undefined;
      }
    },
    async write(key, response) {
      await mkdir(dir, { recursive: true });
      const target = pathOf(key);
      const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(temporary, JSON.stringify(response));
      await rename(temporary, target);
    },
  };
}

/** file:// indexes and find-links folders, read from the disk. */
export const nodeLocalFiles: LocalFiles = {
  async kind(path) {
    try {
      return (await stat(path)).isDirectory() ? 'directory' : 'file';
    } catch {
      return 'missing';
    }
  },
  async read(path) {
    try {
      return await readFile(path);
    } catch {
      return undefined;
    }
  },
  async list(dir) {
    try {
      return (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name).sort();
    } catch {
      return [];
    }
  },
  sha256(path) {
    return new Promise((resolve) => {
      const digest = createHash('sha256');
      createReadStream(path)
        .on('data', (chunk) => digest.update(chunk))
        .on('end', () => resolve(digest.digest('hex')))
        .on('error', () => resolve(undefined));
    });
  },
};
