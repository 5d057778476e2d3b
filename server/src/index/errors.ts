// What can go wrong when asking an index, as data the features turn into messages. Every message
// is built from redacted URLs: credentials never reach a hover, a diagnostic or a log.
import { redactUrl } from './urls';

export type IndexErrorKind =
  /** 404/410: the project (or file) is not on this index. */
  | 'not-found'
  /** 401/403/407. */
  | 'unauthorized'
  /** DNS, refused or reset connections, timeouts, redirect loops. */
  | 'unreachable'
  /** 429, 5xx and other unexpected statuses, after retries. */
  | 'server-error'
  /** A body that is not the JSON or HTML it claims to be. */
  | 'malformed'
  /** A body over the size cap. */
  | 'too-large'
  /** Offline mode and nothing cached. */
  | 'offline'
  /** A file (or its PEP 658 metadata) whose bytes do not match the hash its index page gives. */
  | 'hash-mismatch'
  /** An sdist whose dependencies are only known by building it (PEP 643: not static). */
  | 'not-static'
  /** The caller stopped caring (document closed, request cancelled); never shown. */
  | 'cancelled';

export interface IndexError {
  readonly kind: IndexErrorKind;
  /** Redacted. */
  readonly url: string;
  /** One sentence for people, redacted. */
  readonly message: string;
  readonly status?: number;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: IndexError };

export function indexError(kind: IndexErrorKind, url: string, message: string, status?: number): IndexError {
  return { kind, url: redactUrl(url), message, ...(status !== undefined ? { status } : {}) };
}
