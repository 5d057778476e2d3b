// The caching pieces of the index layer: identical concurrent requests share one promise, an
// in-memory LRU with a time-to-live, and a persisted store of responses with their validators
// (ETag / Last-Modified) for revalidation and for serving stale data when the index is down.

/**
 * Runs one task per key at a time: callers asking for a key already in flight join it. Each caller
 * may bring its own AbortSignal; the task's own signal aborts only when every caller has left, so
 * closing one document never cancels a fetch another document still waits for.
 */
export class InflightRequests<V> {
  private readonly running = new Map<string, { promise: Promise<V>; controller: AbortController; waiting: number }>();

  run(key: string, task: (signal: AbortSignal) => Promise<V>, signal?: AbortSignal): Promise<V> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    let shared = this.running.get(key);
    if (!shared) {
      const controller = new AbortController();
      const promise = task(controller.signal).finally(() => {
        if (this.running.get(key)?.promise === promise) this.running.delete(key);
      });
      shared = { promise, controller, waiting: 0 };
      this.running.set(key, shared);
    }
    const joined = shared;
    joined.waiting++;
    if (!signal) return joined.promise;
    return new Promise<V>((resolve, reject) => {
      const leave = () => {
        joined.waiting--;
        if (joined.waiting === 0) {
          joined.controller.abort(signal.reason);
          if (this.running.get(key) === joined) this.running.delete(key);
        }
        reject(signal.reason);
      };
      signal.addEventListener('abort', leave, { once: true });
      joined.promise.then(
        (value) => (signal.removeEventListener('abort', leave), resolve(value)),
        (error: unknown) => (signal.removeEventListener('abort', leave), reject(error)),
      );
    });
  }

  get size(): number {
    return this.running.size;
  }
}

/** A least-recently-used map with a capacity; entries older than `ttlMs` are misses. */
export class LruCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(
    private readonly capacity: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() >= entry.expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    // Map keeps insertion order: re-inserting marks the entry as most recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** `ttlMs` shortens (or lengthens) the life of this one entry, e.g. for a stale answer. */
  set(key: string, value: V, ttlMs = this.ttlMs): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/** A response kept on disk, with what is needed to revalidate it. */
export interface StoredResponse {
  readonly url: string;
  readonly status: number;
  readonly contentType?: string;
  readonly etag?: string;
  readonly lastModified?: string;
  /** When the response was fetched or last revalidated (ms since the epoch). */
  readonly fetchedAt: number;
  readonly body: string;
}

/** Where responses persist between runs (the extension's global storage, or ~/.cache/reqguard for the CLI). */
export interface ResponseStore {
  read(key: string): Promise<StoredResponse | undefined>;
  write(key: string, response: StoredResponse): Promise<void>;
}

/** Whether a stored response is fresh enough to use without asking the index. */
export function isFresh(response: StoredResponse, ttlMs: number, now: number): boolean {
  return now - response.fetchedAt < ttlMs;
}

/** Shape check for what comes back from disk: a damaged or foreign file is a miss, never a crash. */
function asStoredResponse(value: unknown): StoredResponse | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.url !== 'string' || typeof v.status !== 'number' || typeof v.fetchedAt !== 'number' || typeof v.body !== 'string') return undefined;
  const response: { -readonly [K in keyof StoredResponse]: StoredResponse[K] } = { url: v.url, status: v.status, fetchedAt: v.fetchedAt, body: v.body };
  for (const key of ['contentType', 'etag', 'lastModified'] as const) if (typeof v[key] === 'string') response[key] = v[key] as string;
  return response;
}

/**
 * How a stored response is written: one line naming the format, the response's fields as JSON
 * and the body's length, then the body as it came. The body is not a JSON string inside JSON
 * (escaping it and parsing it twice cost about a tenth of a cold run's CPU). JSON escapes every
 * line break inside its strings, so the first one ends the header. Entries of the older format
 * (one JSON object) do not start with this line and are misses, replaced when written again.
 */
const STORED_FORMAT = 'reqguard-response 2 ';

export function encodeStoredResponse(response: StoredResponse): string {
  const { body, ...fields } = response;
  return `${STORED_FORMAT}${JSON.stringify({ ...fields, bodyLength: body.length })}\n${body}`;
}

/** The response a stored text holds; a foreign, older or damaged (cut short, grown) text is a miss. */
export function decodeStoredResponse(text: string): StoredResponse | undefined {
  if (!text.startsWith(STORED_FORMAT)) return undefined;
  const headerEnd = text.indexOf('\n', STORED_FORMAT.length);
  if (headerEnd < 0) return undefined;
  let fields: unknown;
  try {
    fields = JSON.parse(text.slice(STORED_FORMAT.length, headerEnd));
  } catch {
    return undefined;
  }
  if (typeof fields !== 'object' || fields === null) return undefined;
  const body = text.slice(headerEnd + 1);
  if ((fields as { bodyLength?: unknown }).bodyLength !== body.length) return undefined;
  return asStoredResponse({ ...fields, body });
}
