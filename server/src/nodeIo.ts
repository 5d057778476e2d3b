// Real file-system access for the server and the CLI (the only place they touch the disk).
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PathProbe } from './pip/localPaths';
import { asStoredResponse, type ResponseStore } from './index/cache';
import type { TextReader } from './pip/includes';
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

export const diskReader: TextReader = {
  read(path) {
    try {
      return decodeRequirementsBytes(readFileSync(path)).text;
    } catch {
      return undefined;
    }
  },
};

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
