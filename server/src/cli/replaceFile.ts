// Writing a fixed requirements file without ever leaving a half-written or foreign one: the new
// bytes go to a temporary file in the same folder (same file system, so the rename is atomic),
// with the original's permissions, and replace the original by rename. A symbolic link stays a
// link: its target is what gets replaced.
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, linkSync, openSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export class FileChangedError extends Error {}

export function replaceFileAtomically(path: string, content: Uint8Array, expected: Uint8Array): void {
  const target = realpathSync(path);
  const mode = statSync(target).mode & 0o7777;
  const temporary = join(dirname(target), `.${basename(target)}.reqguard-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  // 'wx': never reuse (or follow) something already there.
  const descriptor = openSync(temporary, 'wx', mode);
  try {
    try {
      for (let written = 0; written < content.length; ) written += writeSync(descriptor, content, written);
      // The creation mode is filtered by the umask; the original's mode is what the file keeps.
      chmodSync(temporary, mode);
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    // Another program (an editor, a second run) may have written the file since it was read.
    if (!readFileSync(target).equals(expected)) {
      throw new FileChangedError('the file changed while reqguard was working on it');
    }
    renameSync(temporary, target);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // Already renamed or never created: nothing to clean up.
    }
    throw error;
  }
}

/** Creates `path` with `content` at once (written aside, then linked in); fails when something is already there. */
export function createFileAtomically(path: string, content: Uint8Array): void {
  const temporary = join(dirname(path), `.${basename(path)}.reqguard-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const descriptor = openSync(temporary, 'wx', 0o666);
  try {
    try {
      for (let written = 0; written < content.length; ) written += writeSync(descriptor, content, written);
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    // link, not rename: it fails with EEXIST instead of replacing a file created meanwhile.
    linkSync(temporary, path);
  } finally {
    try {
      unlinkSync(temporary);
    } catch {
      // Never created.
    }
  }
}
