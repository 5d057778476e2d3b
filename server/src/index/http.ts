// HTTP for the index layer, through undici: keep-alive pools, a concurrency limit per host with a
// queue (larger for PyPI's CDN, smaller while a host answers 429/503), per-request timeouts and
// cancellation, bounded retries with backoff, a body size cap, proxies, extra CAs, HTTP/2 to
// https indexes that choose it, and credentials that only ever go to the origin they belong to.
import { Agent, ProxyAgent, buildConnector, type Connector, type ConnectorOptions, type Dispatcher, request } from './undiciParts';
import { createHash } from 'node:crypto';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { pipeline, type Readable, type Transform } from 'node:stream';
import type { CredentialStore } from './credentials';
import { indexError, type IndexError, type Result } from './errors';
import { proxyFor, type ProxySettings } from './proxy';
import { redactUrl } from './urls';

export interface HttpOptions {
  readonly userAgent: string;
  /**
   * Requests in flight at once to one host; the rest wait in a queue (default 16). Hosts behind a
   * CDN made for it (PyPI's), and hosts answering over HTTP/2, get three times as many (at most
   * 64); a host answering 429 or 503 gets fewer until it recovers (see HostLimits).
   */
  readonly concurrency?: number;
  /** Per attempt: from sending the request to the last byte of the body (default 10 s). */
  readonly timeoutMs?: number;
  /** Retries after the first attempt for 429, 5xx and dropped connections (default 2). */
  readonly retries?: number;
  /** First backoff; doubles each retry (default 250 ms). */
  readonly backoffMs?: number;
  /** Longest Retry-After we are willing to wait; longer ones end the request (default 5 s). */
  readonly maxRetryAfterMs?: number;
  readonly proxy?: Omit<ProxySettings, 'env'>;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Extra trusted CA certificates (PEM), added to Node's bundled roots. */
  readonly extraCaCertificates?: readonly string[];
  /** false only when the user turned TLS verification off at machine scope. */
  readonly strictSsl?: boolean;
  readonly credentials?: CredentialStore;
  /**
   * Offer HTTP/2 to https indexes (default true): one that chooses it in the TLS handshake gets
   * all its requests as streams of one connection. Plain http and proxies stay on HTTP/1.1.
   */
  readonly http2?: boolean;
}

export interface HttpRequest {
  readonly url: string;
  /** GET unless said (OSV's querybatch is a POST; it is idempotent, so retries are safe). */
  readonly method?: 'GET' | 'POST';
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  /** Body size cap in bytes after decompression (default 50 MiB). */
  readonly maxBytes?: number;
  /** 'sha256' streams the body into a digest instead of keeping it (distribution files). */
  readonly consume?: 'buffer' | 'sha256';
}

export interface HttpResponse {
  /**
   * Any 2xx, or 304. A request with a `range` header (and `accept-encoding: identity`, so the range
   * is of the file's own bytes) gets 206 with `content-range` from a server that honours it, or 200
   * and the whole body, within `maxBytes`, from one that does not: the caller tells them apart.
   */
  readonly status: number;
  /** The URL that answered, after redirects. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** With consume: 'sha256'. */
  readonly sha256?: string;
}

export interface HttpClient {
  fetch(request: HttpRequest): Promise<Result<HttpResponse>>;
  close(): Promise<void>;
}

const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
const MAX_REDIRECTS = 10;
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Connection failures where trying again may help (the index dropped or refused us mid-way). */
const RETRY_ERROR_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNREFUSED', 'ETIMEDOUT',
  // HTTP/2: a stream the server reset with an error code, a connection it ended with one (GOAWAY).
  'ERR_HTTP2_STREAM_ERROR', 'ERR_HTTP2_SESSION_ERROR']);
/** undici's code for HTTP/2 stream failures it reports in its own words (a stream reset before the answer was complete). */
const isHttp2StreamFailure = (code: string | undefined, error: unknown) => code === 'UND_ERR_INFO' && /^HTTP\/2:/.test(error instanceof Error ? error.message : '');

/** A counting semaphore: at most `limit` holders; the others wait in arrival order. */
export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: { grant: () => void; signal?: AbortSignal; onAbort: () => void }[] = [];

  constructor(private limit: number) {}

  get current(): number {
    return this.limit;
  }

  /** A new limit: holders beyond a lower one finish undisturbed, a higher one admits waiters at once. */
  setLimit(limit: number): void {
    this.limit = Math.max(1, limit);
    while (this.active < this.limit && this.waiting.length > 0) this.grantNext();
  }

  private grantNext(): void {
    const next = this.waiting.shift()!;
    next.signal?.removeEventListener('abort', next.onAbort);
    this.active++;
    next.grant();
  }

  /** Resolves with a release function, or rejects when `signal` aborts while queued. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const release = () => {
      this.active--;
      if (this.active < this.limit && this.waiting.length > 0) this.grantNext();
    };
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(once(release));
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => resolve(once(release)),
        signal,
        onAbort: () => {
          const at = this.waiting.indexOf(waiter);
          if (at >= 0) this.waiting.splice(at, 1);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  get queued(): number {
    return this.waiting.length;
  }
}

/** Hosts behind a CDN built for many parallel requests: PyPI's pages and files (Fastly). */
const CDN_HOSTS = new Set(['pypi.org', 'files.pythonhosted.org', 'test.pypi.org', 'test-files.pythonhosted.org']);
/** How many times the per-host limit a CDN host gets, and the ceiling (uv asks up to 50 at once). */
const CDN_FACTOR = 3;
const MAX_HOST_CONCURRENCY = 64;
const cdnSize = (base: number) => Math.min(MAX_HOST_CONCURRENCY, Math.max(base, base * CDN_FACTOR));

/**
 * One ConcurrencyLimit per host (scheme, host and port), sized for it: `base` for most, CDN_FACTOR
 * times that for a CDN host and, once it has answered over HTTP/2, for a multiplexing host. A 429
 * or 503 halves the host's limit (an index saying it is overloaded is asked less at once, not just
 * later); every success afterwards adds one back, up to the host's size. The retry itself still waits for Retry-After or the backoff.
 */
export class HostLimits {
  private readonly hosts = new Map<string, HostLimit>();

  constructor(private readonly base: number) {}

  /** The host's size: what its limit returns to once it stops refusing. */
  static sizeFor(url: string, base: number): number {
    return CDN_HOSTS.has(new URL(url).hostname) ? cdnSize(base) : base;
  }

  /** The limit of the URL's host (parse the URL once per request and keep this). */
  hostOf(url: string): HostLimit {
    const origin = new URL(url).origin;
    let host = this.hosts.get(origin);
    if (!host) {
      const size = HostLimits.sizeFor(url, this.base);
      host = { limit: new ConcurrencyLimit(size), size };
      this.hosts.set(origin, host);
    }
    return host;
  }

  limitFor(url: string): ConcurrencyLimit {
    return this.hostOf(url).limit;
  }

  /**
   * The origin answers over HTTP/2: its requests are streams of one connection, which cost a server
   * far less than as many connections, so it may grow to a CDN host's size (one more per answer,
   * as after a refusal). 50 streams read the benchmark's 300 pages in 282 ms against 535 ms for
   * 16, for the same CPU.
   */
  multiplexes(origin: string): void {
    const host = this.hosts.get(origin);
    if (host && host.size < cdnSize(this.base)) host.size = cdnSize(this.base);
  }

  /** The host said it is overloaded (429, 503). */
  refused(host: HostLimit): void {
    host.limit.setLimit(Math.floor(host.limit.current / 2));
  }

  /** A request to the host went through. */
  answered(host: HostLimit): void {
    if (host.limit.current < host.size) host.limit.setLimit(host.limit.current + 1);
  }
}

/**
 * Which protocol each https origin chose in ALPN, learnt from the first connection to it. Until an
 * origin's choice is known, one request opens a connection to it and the origin's other requests
 * wait for that handshake (`settle`), so an h2 origin gets them all on one connection and an h1
 * origin its own pool, never several h2 connections or pipelined h1.
 */
export class AlpnChoices {
  private readonly chosen = new Map<string, 'h2' | 'http/1.1'>();
  private readonly pending = new Map<string, { settled: Promise<void>; settle: () => void }>();

  /** The origin's protocol; 'open' when the caller is to open its first connection; or a wait. */
  route(origin: string): 'h2' | 'http/1.1' | 'open' | Promise<void> {
    const chosen = this.chosen.get(origin);
    if (chosen) return chosen;
    const pending = this.pending.get(origin);
    if (pending) return pending.settled;
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    this.pending.set(origin, { settled, settle });
    return 'open';
  }

  /**
   * The connection opened (with the protocol it chose) or failed (undefined: the next request to
   * the origin tries again); called again for later connections, and once the opening request ends.
   */
  settle(origin: string, protocol?: 'h2' | 'http/1.1'): void {
    if (protocol) this.chosen.set(origin, protocol);
    const pending = this.pending.get(origin);
    this.pending.delete(origin);
    pending?.settle();
  }
}

/** Each certificate of some PEM text (a bundle), as its own PEM block. */
function pemCertificates(pem: string): string[] {
  return pem.match(/-----BEGIN (?:TRUSTED )?CERTIFICATE-----[\s\S]*?-----END (?:TRUSTED )?CERTIFICATE-----/g) ?? [];
}

/** Node's bundled roots and the certificates of `extraPems`, each once (compared without whitespace). */
export function trustedCertificates(extraPems: readonly string[]): string[] {
  const seen = new Set<string>();
  const unique: string[] = [];
  for (const certificate of [...rootCertificates, ...extraPems.flatMap(pemCertificates)]) {
    const key = certificate.replace(/\s+/g, '');
    if (!seen.has(key)) {
      seen.add(key);
      unique.push(certificate);
    }
  }
  return unique;
}

/**
 * How connections verify servers. With extra CAs (the system bundle, NODE_EXTRA_CA_CERTS, pip's
 * `cert`), Node's bundled roots must be passed along with them (an explicit `ca` replaces them), and
 * the context holding them all is built once, at the first TLS connection: building it parses
 * every certificate (30–90 ms of CPU), which a run against an http:// index, or one that never
 * connects, should not pay, and which every connection would pay again if `ca` were passed instead.
 * Certificates listed twice (the system bundle repeats most of Node's roots; NODE_EXTRA_CA_CERTS
 * often names the system bundle) are added once: 432 → 166 on Debian, 80 → 35 ms.
 */
export class TlsSettings {
  private context: SecureContext | undefined;

  constructor(
    private readonly rejectUnauthorized: boolean,
    private readonly extraCaCertificates: readonly string[],
  ) {}

  /** Options for a TLS connection; builds the shared context on first use. */
  options(): { rejectUnauthorized: boolean; secureContext?: SecureContext } {
    if (this.extraCaCertificates.length === 0) return { rejectUnauthorized: this.rejectUnauthorized };
    this.context ??= createSecureContext({ ca: trustedCertificates(this.extraCaCertificates) });
    return { rejectUnauthorized: this.rejectUnauthorized, secureContext: this.context };
  }

  /** undici's connector, with the TLS options made when the first https connection is. */
  connector(extra: Partial<ConnectorOptions> = {}): Connector {
    let plain: Connector | undefined;
    let secure: Connector | undefined;
    return (connectOptions, callback) => {
      const connect = connectOptions.protocol === 'https:' ? (secure ??= buildConnector({ ...this.options(), ...extra })) : (plain ??= buildConnector({ ...extra }));
      return connect(connectOptions, callback);
    };
  }
}

/**
 * The agent for origins that speak (or may speak) HTTP/2: one connection per origin, carrying as
 * many streams as the largest host may have in flight (HostLimits bounds each host, as over
 * HTTP/1.1). Its connections offer h2 and h1 in ALPN and tell `alpn` what each origin chose; an
 * origin that picks h1 is sent to the HTTP/1.1 pool from then on.
 */
function multiplexingAgent(tls: TlsSettings, keepAliveTimeout: number, alpn: AlpnChoices): Agent {
  const connectOfferingH2 = tls.connector({ allowH2: true });
  return new Agent({
    keepAliveTimeout,
    connections: 1,
    pipelining: MAX_HOST_CONCURRENCY,
    connect: (connectOptions, callback) =>
      connectOfferingH2(connectOptions, (error, socket) => {
        const origin = `${connectOptions.protocol}//${connectOptions.host ?? connectOptions.hostname}`;
        alpn.settle(origin, error ? undefined : (socket as { alpnProtocol?: string | false }).alpnProtocol === 'h2' ? 'h2' : 'http/1.1');
        // undici's connector callback is typed as a pair of overloads; pass both arguments on as they came.
        (callback as (error: Error | null, socket: unknown) => void)(error, socket);
      }),
  });
}

/** Resolves when `settled` does; rejects as soon as `signal` aborts. */
function untilSettledOrAborted(settled: Promise<void>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    void settled.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

export interface HostLimit {
  readonly limit: ConcurrencyLimit;
  /** Its limit while it does not refuse (raised once it is known to multiplex). */
  size: number;
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (!done) {
      done = true;
      fn();
    }
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Retry-After as seconds or an HTTP date, in milliseconds from now. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function headerRecord(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}

function decoderFor(encoding: string | undefined): Transform | undefined {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      return undefined;
  }
}

class BodyTooLarge extends Error {}
/** The body arrived, but is not the compressed stream its Content-Encoding says (cut short or damaged). */
class BodyNotDecodable extends Error {}

/** Drops a body we will not read; undici reports the abort as an error event, which is expected here. */
function discard(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}

/**
 * Reads a body (decompressing it), stopping as soon as it passes `maxBytes`. The body and the
 * decoder are joined by `pipeline`, not `pipe`: with `pipe` a body that fails (a cut connection,
 * the timeout) leaves the decoder waiting for more forever, so the read never ends and the
 * request never frees its slot. `signal` (the attempt's timeout and the caller's cancellation)
 * destroys the body itself, so the read ends however the transport behaves.
 */
async function readBody(body: Readable, encoding: string | undefined, maxBytes: number, consume: 'buffer' | 'sha256', signal: AbortSignal): Promise<{ body: Buffer; sha256?: string }> {
  const decoder = decoderFor(encoding);
  const source: AsyncIterable<Buffer> = decoder ? pipeline(body, decoder, () => undefined) : body;
  const onAbort = () => body.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  let bodyFailed = false;
  body.once('error', () => (bodyFailed = true));
  const chunks: Buffer[] = [];
  const digest = consume === 'sha256' ? createHash('sha256') : undefined;
  let total = 0;
  try {
    for await (const chunk of source) {
      total += chunk.length;
      if (total > maxBytes) throw new BodyTooLarge();
      if (digest) digest.update(chunk);
      else chunks.push(chunk);
    }
  } catch (error) {
    if (decoder && !bodyFailed && !(error instanceof BodyTooLarge)) throw new BodyNotDecodable(describeNetworkError(error));
    throw error;
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (!body.readableEnded) discard(body);
    decoder?.destroy();
  }
  return digest ? { body: Buffer.alloc(0), sha256: digest.digest('hex') } : { body: Buffer.concat(chunks) };
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function describeNetworkError(error: unknown): string {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

function statusError(status: number, url: string): IndexError {
  if (status === 404 || status === 410) return indexError('not-found', url, `${redactUrl(url)} answered ${status}: not found`, status);
  if (status === 401 || status === 403 || status === 407) {
    const what = status === 407 ? 'the proxy asks for credentials' : status === 401 ? 'credentials are missing or wrong' : 'access is forbidden';
    return indexError('unauthorized', url, `${redactUrl(url)} answered ${status}: ${what}`, status);
  }
  return indexError('server-error', url, `${redactUrl(url)} answered ${status}`, status);
}

export function createHttpClient(options: HttpOptions): HttpClient {
  const concurrency = options.concurrency ?? 16;
  const hosts = new HostLimits(concurrency);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retries = options.retries ?? 2;
  const backoffMs = options.backoffMs ?? 250;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 5_000;
  const env = options.env ?? {};
  const tls = new TlsSettings(options.strictSsl !== false, options.extraCaCertificates ?? []);
  // Per origin, as many as the largest host may use; HostLimits keeps each host within its own size.
  const pool = { keepAliveTimeout: 30_000, connections: cdnSize(concurrency) };
  const direct = new Agent({ ...pool, connect: tls.connector() });
  const proxies = new Map<string, ProxyAgent>();
  const alpn = new AlpnChoices();
  // https origins go here until their first connection shows they chose HTTP/1.1.
  const multiplexed = options.http2 === false ? undefined : multiplexingAgent(tls, pool.keepAliveTimeout, alpn);

  /**
   * The dispatcher for `url`, and whether this request opens the first connection to its origin.
   * Rejects when `signal` aborts while it waits for another request's handshake.
   */
  async function dispatcherFor(url: string, signal: AbortSignal): Promise<{ dispatcher: Dispatcher; opens?: string }> {
    const proxy = proxyFor(url, { ...options.proxy, env });
    if (proxy) {
      let agent = proxies.get(proxy);
      if (!agent) {
        agent = new ProxyAgent({ uri: proxy, ...pool, requestTls: tls.options(), proxyTls: tls.options() });
        proxies.set(proxy, agent);
      }
      return { dispatcher: agent };
    }
    if (!multiplexed || !url.startsWith('https:')) return { dispatcher: direct };
    const origin = new URL(url).origin;
    for (;;) {
      const route = alpn.route(origin);
      if (route === 'open') return { dispatcher: multiplexed, opens: origin };
      if (route === 'h2') {
        hosts.multiplexes(origin);
        return { dispatcher: multiplexed };
      }
      if (route === 'http/1.1') return { dispatcher: direct };
      // Bounded: the opening request settles it at the latest when it ends (its timeout).
      await untilSettledOrAborted(route, signal);
    }
  }

  type Attempt =
    | { kind: 'response'; response: HttpResponse }
    | { kind: 'redirect'; location: string }
    | { kind: 'retry'; error: IndexError; waitMs?: number; overloaded?: boolean }
    | { kind: 'error'; error: IndexError };

  async function attempt(url: string, req: HttpRequest): Promise<Attempt> {
    const headers: Record<string, string> = { 'user-agent': options.userAgent, 'accept-encoding': 'gzip, deflate, br', ...req.headers };
    // Credentials are looked up for this exact URL's origin on every hop, so a redirect to
    // another host, port or scheme carries none.
    const authorization = options.credentials?.authorizationFor(url);
    if (authorization) headers.authorization = authorization;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    let response: Dispatcher.ResponseData;
    let opens: string | undefined;
    try {
      const route = await dispatcherFor(url, signal);
      opens = route.opens;
      response = await request(url, { method: req.method ?? 'GET', body: req.body, headers, signal, dispatcher: route.dispatcher });
    } catch (error) {
      return networkFailure(error, url, req, timeout);
    } finally {
      // Whatever became of its connection, the requests waiting for it go on (and one opens the next).
      if (opens) alpn.settle(opens);
    }
    const responseHeaders = headerRecord(response.headers);
    const status = response.statusCode;
    if (REDIRECT_STATUSES.has(status) && responseHeaders.location) {
      discard(response.body);
      return { kind: 'redirect', location: new URL(responseHeaders.location, url).href };
    }
    if (status < 200 || (status > 299 && status !== 304)) {
      discard(response.body);
      const error = statusError(status, url);
      if (RETRY_STATUSES.has(status)) return { kind: 'retry', error, waitMs: retryAfterMs(responseHeaders['retry-after']), overloaded: status === 429 || status === 503 };
      return { kind: 'error', error };
    }
    const maxBytes = req.maxBytes ?? DEFAULT_MAX_BYTES;
    const declared = Number(responseHeaders['content-length']);
    if (!responseHeaders['content-encoding'] && Number.isFinite(declared) && declared > maxBytes) {
      discard(response.body);
      return { kind: 'error', error: tooLarge(url, maxBytes) };
    }
    try {
      const read = await readBody(response.body, responseHeaders['content-encoding'], maxBytes, req.consume ?? 'buffer', signal);
      return { kind: 'response', response: { status, url, headers: responseHeaders, ...read } };
    } catch (error) {
      if (error instanceof BodyTooLarge) return { kind: 'error', error: tooLarge(url, maxBytes) };
      if (error instanceof BodyNotDecodable) {
        const encoding = responseHeaders['content-encoding'];
        return { kind: 'retry', error: indexError('malformed', url, `${redactUrl(url)} sent a ${encoding} body that is cut off or damaged (${error.message})`) };
      }
      return networkFailure(error, url, req, timeout, 'body');
    }
  }

  function tooLarge(url: string, maxBytes: number): IndexError {
    return indexError('too-large', url, `${redactUrl(url)} sent more than ${Math.round(maxBytes / 1024 / 1024)} MiB; stopped reading`);
  }

  /** `during`: whether the headers had arrived (the body was being read) when it failed. */
  function networkFailure(error: unknown, url: string, req: HttpRequest, timeout: AbortSignal, during: 'request' | 'body' = 'request'): Attempt {
    if (req.signal?.aborted) return { kind: 'error', error: indexError('cancelled', url, 'cancelled') };
    if (timeout.aborted) {
      const what = during === 'body' ? 'send its whole answer' : 'answer';
      return { kind: 'retry', error: indexError('unreachable', url, `${redactUrl(url)} did not ${what} within ${timeoutMs / 1000} s`) };
    }
    const code = errorCode(error);
    // undici reports a proxy's refusal as an error whose message carries the status, not as a response.
    if (/\b407\b/.test(describeNetworkError(error))) return { kind: 'error', error: statusError(407, url) };
    const detail = indexError('unreachable', url, `${redactUrl(url)} is unreachable: ${describeNetworkError(error)}`);
    const retryable = code && (RETRY_ERROR_CODES.has(code) || isHttp2StreamFailure(code, error));
    return retryable ? { kind: 'retry', error: detail } : { kind: 'error', error: detail };
  }

  async function fetchWithRetries(url: string, req: HttpRequest): Promise<Result<HttpResponse> | { redirect: string }> {
    const host = hosts.hostOf(url);
    for (let attemptNumber = 0; ; attemptNumber++) {
      const release = await host.limit.acquire(req.signal);
      let outcome: Attempt;
      try {
        outcome = await attempt(url, req);
      } finally {
        release();
      }
      if (outcome.kind === 'retry' && outcome.overloaded) hosts.refused(host);
      else if (outcome.kind !== 'retry') hosts.answered(host);
      if (outcome.kind === 'response') return { ok: true, value: outcome.response };
      if (outcome.kind === 'redirect') return { redirect: outcome.location };
      if (outcome.kind === 'error' || attemptNumber >= retries) return { ok: false, error: outcome.error };
      const wait = outcome.waitMs ?? backoffMs * 2 ** attemptNumber * (0.75 + Math.random() * 0.5);
      if (wait > maxRetryAfterMs) return { ok: false, error: outcome.error };
      // The slot is released while waiting, so a backing-off request does not hold up others.
      try {
        await sleep(wait, req.signal);
      } catch {
        return { ok: false, error: indexError('cancelled', url, 'cancelled') };
      }
    }
  }

  return {
    async fetch(req) {
      const visited = new Set<string>();
      let url = req.url;
      for (;;) {
        if (visited.has(url) || visited.size > MAX_REDIRECTS) {
          return { ok: false, error: indexError('unreachable', req.url, `${redactUrl(req.url)} redirects in a loop`) };
        }
        visited.add(url);
        let result;
        try {
          result = await fetchWithRetries(url, req);
        } catch {
          // Only a cancelled wait for a slot rejects.
          return { ok: false, error: indexError('cancelled', url, 'cancelled') };
        }
        if (!('redirect' in result)) return result;
        url = result.redirect;
      }
    },
    async close() {
      await Promise.all([direct.close(), multiplexed?.close(), ...[...proxies.values()].map((agent) => agent.close())]);
    },
  };
}
