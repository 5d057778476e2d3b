// Local files of the index layer: file:// indexes and find-links folders, read through an
// injected LocalFiles (nodeIo has the real one), and what a refused read says.
import { indexError, type IndexError } from './errors';

/** Why a local file was not read: it is not there, it is not a regular file (`/dev/zero`, a FIFO), or it is over the cap. */
export type LocalReadFailure = 'missing' | 'not-a-file' | 'too-large';

export type LocalRead<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: LocalReadFailure };

/** File-system access for file:// indexes and find-links folders (injected: nodeIo has the real one). */
export interface LocalFiles {
  kind(path: string): Promise<'file' | 'directory' | 'missing'>;
  /** A regular file's bytes; one of more than `maxBytes` is refused. */
  read(path: string, maxBytes: number): Promise<LocalRead<Buffer>>;
  list(dir: string): Promise<readonly string[]>;
  /** A regular file's sha256; one of more than `maxBytes` is refused. */
  sha256(path: string, maxBytes: number): Promise<LocalRead<string>>;
}

export function localReadError(reason: LocalReadFailure, url: string, path: string, maxBytes: number): IndexError {
  if (reason === 'missing') return indexError('not-found', url, `${path} cannot be read`);
  if (reason === 'not-a-file') return indexError('malformed', url, `${path} is not a regular file; not read`);
  return indexError('too-large', url, `${path} is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB; not read`);
}

export function isFileUrl(location: string): boolean {
  return /^file:/i.test(location);
}
