// Real file-system access for the server and the CLI (the only place they touch the disk).
import { createHash } from 'node:crypto';
import { closeSync, constants, existsSync, fstatSync, openSync, readdirSync, readSync, readFile as readFileCallback, rename as renameCallback, statSync, writeFile as writeFileCallback, type Stats } from 'node:fs';
import { chmod, mkdir, open, readdir, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EnvironmentReader } from './pip/installed';
import type { PathProbe } from './pip/localPaths';
import { decodeStoredResponse, encodeStoredResponse, type ResponseStore } from './index/cache';
import { MAX_INCLUDE_BYTES, MAX_INCLUDE_LABEL, type TextReader, type Unreadable } from './pip/includes';
import type { LocalFiles, LocalRead } from './index/packageIndex';
import { decodeRequirementsBytes } from './parser/pyText';

export { packageManifest, packageVersion } from './packageManifest';

/**
 * Included files from the disk: regular files only, read to at most MAX_INCLUDE_BYTES whatever
 * their stated size (/proc files say 0), so `-r /dev/zero`, a FIFO or a huge file costs nothing.
 */
export const diskReader: TextReader = {
  stamp(path) {
    try {
      const stats = statSync(path, { bigint: true });
      return stats.isFile() ? `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}` : undefined;
    } catch {
      return undefined;
    }
  },
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

/** The most the CLI reads of a file it is named: 3× the 20 MB of includes, far past any real file. */
export const MAX_NAMED_FILE_BYTES = 64 * 1024 * 1024;

/**
 * A file named on the command line: a regular file only, opened without blocking and read to at
 * most `maxBytes`, so `reqguard check /dev/zero` or a FIFO is refused at once. Throws an error
 * whose `code` is Node's (ENOENT, EISDIR…) or ENOTREG / EFBIG, with a message to show.
 */
export function readNamedFile(path: string, maxBytes = MAX_NAMED_FILE_BYTES): Buffer {
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (!stats.isFile()) throw Object.assign(new Error(`is not a regular file (${specialKind(stats)})`), { code: 'ENOTREG' });
    const bytes = readAtMost(fd, maxBytes, stats.size);
    if (!bytes) throw Object.assign(new Error(`is larger than ${Math.round(maxBytes / 2 ** 20)} MB, more than any real requirements file`), { code: 'EFBIG' });
    return bytes;
  } finally {
    closeSync(fd);
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

/**
 * Responses persisted as one file per key (its sha256) under `dir`, written atomically, in
 * encodeStoredResponse's format (the name still ends in .json, as when the file was JSON, so an
 * entry of the older format is replaced in place rather than left behind). They can hold a
 * private index's pages, so only this user may read them: the folder is 0700 (made so, or
 * narrowed once if it exists wider) and every file 0600 (answers written by older versions with
 * 0644 are replaced as they are written again, and are out of others' reach meanwhile, behind
 * the folder).
 */
export function fileResponseStore(dir: string): ResponseStore {
  const pathOf = (key: string) => join(dir, `${createHash('sha256').update(key).digest('hex')}.json`);
  // A folder that is not there yet (the first run with this cache) holds nothing: its reads are
  // answered without asking the disk, hundreds of them in a cold run, until a write makes it.
  let folderAbsent = !existsSync(dir);
  // Made private once, by the first write; the writes that arrive meanwhile wait for the same
  // promise (a cold run starts hundreds at once). A failure lets the next write try again.
  let folderReady: Promise<void> | undefined;
  async function makePrivateFolder(): Promise<void> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    folderAbsent = false;
    try {
      const { mode } = await stat(dir);
      if (mode & 0o077) await chmod(dir, mode & 0o700);
    } catch {
      // Not ours to change (a shared folder given as --cache-dir): the files stay 0600.
    }
  }
  const privateFolder = () => (folderReady ??= makePrivateFolder().catch((error: unknown) => {
    folderReady = undefined;
    throw error;
  }));
  return {
    read(key) {
      if (folderAbsent) return Promise.resolve(undefined);
      // The callback API: a miss costs no FileHandle.
      return new Promise((resolve) =>
        readFileCallback(pathOf(key), 'utf8', (error, text) => resolve(error ? undefined : decodeStoredResponse(text))),
      );
    },
    async write(key, response) {
      await privateFolder();
      const target = pathOf(key);
      const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
      // fs's callback API: about half the CPU of fs/promises' FileHandles, for hundreds of writes a run.
      await new Promise<void>((resolve, reject) =>
        writeFileCallback(temporary, encodeStoredResponse(response), { mode: 0o600 }, (error) => (error ? reject(error) : renameCallback(temporary, target, (renamed) => (renamed ? reject(renamed) : resolve())))),
      );
    },
  };
}

/**
 * Streams a regular file's bytes to `take` (each chunk valid only during the call), refusing anything else: `/dev/zero`, a FIFO or a
 * socket never ends (and opening a FIFO blocks), so they are refused before they are opened, and
 * again after (the path may have changed in between). A file that grows past `maxBytes` while it
 * is read is refused too, whatever its size said.
 */
async function readRegularFile(path: string, maxBytes: number, take: (chunk: Buffer) => void): Promise<LocalRead<void>> {
  try {
    const before = await stat(path);
    if (!before.isFile()) return { ok: false, reason: 'not-a-file' };
    if (before.size > maxBytes) return { ok: false, reason: 'too-large' };
  } catch {
    return { ok: false, reason: 'missing' };
  }
  let handle;
  try {
    // O_NONBLOCK: should the path have become a FIFO since, opening it does not wait for a writer.
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    return { ok: false, reason: 'missing' };
  }
  try {
    if (!(await handle.stat()).isFile()) return { ok: false, reason: 'not-a-file' };
    const buffer = Buffer.alloc(1024 * 1024);
    for (let total = 0; ; ) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return { ok: true, value: undefined };
      total += bytesRead;
      if (total > maxBytes) return { ok: false, reason: 'too-large' };
      take(buffer.subarray(0, bytesRead));
    }
  } catch {
    return { ok: false, reason: 'missing' };
  } finally {
    await handle.close();
  }
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
  async read(path, maxBytes) {
    const chunks: Buffer[] = [];
    // The chunk's bytes are reused for the next read: keep a copy.
    const read = await readRegularFile(path, maxBytes, (chunk) => chunks.push(Buffer.from(chunk)));
    return read.ok ? { ok: true, value: Buffer.concat(chunks) } : read;
  },
  async list(dir) {
    try {
      return (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name).sort();
    } catch {
      return [];
    }
  },
  async sha256(path, maxBytes) {
    const digest = createHash('sha256');
    const read = await readRegularFile(path, maxBytes, (chunk) => digest.update(chunk));
    return read.ok ? { ok: true, value: digest.digest('hex') } : read;
  },
};

/** An environment's folders on disk (for freeze): diskReader's texts, and the entries of a folder. */
export const diskEnvironmentReader: EnvironmentReader = {
  read: (path) => diskReader.read(path),
  list(path) {
    try {
      return readdirSync(path);
    } catch {
      return undefined;
    }
  },
};
