// The one door features use to reach package indexes. `IndexClient` is shared by the whole server
// (or CLI run): it owns the HTTP client, the in-memory and persisted caches, offline mode and the
// "serving stale data" notice. `openIndex` gives one document its view: the indexes and
// find-links that document installs from, merged as pip merges them.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { posix, win32 } from 'node:path';
import { InflightRequests, isFresh, LruCache, type ResponseStore, type StoredResponse } from './cache';
import { splitUrlCredentials, type CredentialStore } from './credentials';
import { indexError, type IndexError, type Result } from './errors';
import type { HttpClient } from './http';
import type { IndexOrigin, IndexSelection } from './indexSelection';
import { jsonApiBase, projectPageUrl, redactUrl } from './urls';
import { parseProjectDetails, type ProjectDetails } from './jsonApi';
import { parseProvenance, type Provenance } from './provenance';
import { parseJson } from './boundedJson';
import { classifyFilename, linkedFile, withSource, MAX_PROJECTS, parseProjectList, parseSimpleHtml, parseSimpleJson, type DistributionFile, type PageResult, type ProjectPage, type ProjectStatus } from './simplePage';
import { sortVersionsDescending } from '../pip/versions';
import { canonicalizeName } from '../parser/pep508';
import { isFileUrl, localReadError, type LocalFiles } from './localFiles';
import { fetchDistributionMetadata } from './metadata';
import type { CoreMetadata, DistributionMetadata, MetadataSource } from '../pip/metadata';

export type { LocalFiles, LocalRead, LocalReadFailure } from './localFiles';

/** Largest index page read, from the network or the disk (PyPI's largest JSON pages are a few MiB). */
export const MAX_PAGE_BYTES = 50 * 1024 * 1024;
/** Largest distribution file hashed (the largest wheels on PyPI are under 2 GiB). */
const MAX_FILE_BYTES = 4 * 1024 * 1024 * 1024;

/** How an answer was obtained; 'stale' means the index failed and an older copy was served. */
export type Freshness = 'memory' | 'cached' | 'revalidated' | 'fetched' | 'local' | 'stale';

/** Order for merging sources: an answer is as fresh as its least cached part. */
const FRESHNESS_RANK: Record<Freshness, number> = { memory: 0, cached: 1, local: 2, revalidated: 3, fetched: 4, stale: 5 };

export interface Loaded<T> {
  readonly value: T;
  readonly freshness: Freshness;
  /** When the data was last confirmed by the index (ms since the epoch). */
  readonly fetchedAt: number;
}

export type IndexNotice =
  | { readonly kind: 'stale'; readonly index: string; readonly error: IndexError; readonly cachedAt: number }
  | { readonly kind: 'recovered'; readonly index: string };

export interface IndexClientOptions {
  readonly http: HttpClient;
  readonly files: LocalFiles;
  readonly store?: ResponseStore;
  readonly credentials?: CredentialStore;
  /** How long an answer is used without asking the index again (default 10 minutes). */
  readonly ttlMs?: number;
  /** Never touch the network: cached answers (of any age) and local indexes only. */
  readonly offline?: boolean;
  readonly now?: () => number;
  /** Called once when an index starts failing and cached data is served, and once when it recovers. */
  readonly onNotice?: (notice: IndexNotice) => void;
  readonly memoryEntries?: number;
}

const SIMPLE_ACCEPT = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01';
const HTML_ACCEPT = 'text/html';
const JSON_TYPE = 'application/vnd.pypi.simple.v1+json';
/** A failing index is asked again after this long, not on every keystroke. */
const ERROR_TTL_MS = 30_000;
/** The project list changes slowly and is large (PyPI's is tens of MB): keep it a day. */
const PROJECT_LIST_TTL_MS = 24 * 60 * 60 * 1000;
/** Failures that say nothing about the data, so an older copy is still the best answer. */
const STALE_IF: ReadonlySet<IndexError['kind']> = new Set(['unreachable', 'server-error', 'malformed', 'too-large']);

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string; kind?: 'malformed' | 'too-large' };

interface LoadSpec<T> {
  /** Cache key prefix: what kind of answer this is. */
  readonly kind: 'simple' | 'html' | 'json-api' | 'projects' | 'find-links' | 'sha256' | 'provenance';
  readonly url: string;
  readonly accept: string;
  readonly parse: (response: StoredResponse) => Parsed<T>;
  readonly ttlMs?: number;
  readonly maxBytes?: number;
}

function pageParser(project: string): (response: StoredResponse) => Parsed<ProjectPage> {
  return (response) => {
    const type = (response.contentType ?? '').split(';')[0].trim().toLowerCase();
    let result: PageResult;
    if (type === JSON_TYPE) result = parseSimpleJson(response.body, response.url, project);
    else if (type === 'text/html' || type === 'application/vnd.pypi.simple.v1+html') result = parseSimpleHtml(response.body, response.url, project);
    else return { ok: false, message: `the index answered with ${type || 'no content type'}, not a Simple API page` };
    return result.ok ? { ok: true, value: result.page } : result;
  };
}

function projectListParser(response: StoredResponse): Parsed<string[]> {
  const type = (response.contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === JSON_TYPE) {
    // A name and a serial per project, with room to spare.
    const parsed = parseJson(response.body, 4 * MAX_PROJECTS);
    if (!parsed.ok) return parsed.kind === 'too-large' ? { ok: false, kind: 'too-large', message: `the project list: ${parsed.message}` } : { ok: false, message: `the project list is not JSON (${parsed.message})` };
    const projects = (parsed.value as { projects?: { name?: unknown }[] } | null)?.projects;
    if (!Array.isArray(projects)) return { ok: false, message: 'the project list has no "projects"' };
    if (projects.length > MAX_PROJECTS) return { ok: false, kind: 'too-large', message: `the project list has more than ${MAX_PROJECTS.toLocaleString('en-US')} names; not read` };
    return { ok: true, value: projects.map((p) => p?.name).filter((n): n is string => typeof n === 'string') };
  }
  if (type !== 'text/html' && type !== 'application/vnd.pypi.simple.v1+html') return { ok: false, message: `the project list came as ${type || 'no content type'}` };
  const parsed = parseProjectList(response.body);
  return parsed.ok ? { ok: true, value: parsed.names } : { ok: false, kind: 'too-large', message: parsed.message };
}

function isWindowsPath(path: string): boolean {
  return /^[a-z]:[\\/]/i.test(path);
}

export class IndexClient {
  private readonly inflight = new InflightRequests<Result<Loaded<unknown>>>();
  private readonly memory: LruCache<Result<Loaded<unknown>>>;
  private readonly metadataInflight = new InflightRequests<Result<DistributionMetadata>>();
  /** Metadata of files never changes: kept until evicted (errors for ERROR_TTL_MS, local files for the TTL). */
  private readonly metadataMemory: LruCache<Result<DistributionMetadata>>;
  private readonly ttlMs: number;
  private readonly now: () => number;
  /** Origins currently served from stale data, so the notice is given once, not per request. */
  private readonly staleOrigins = new Set<string>();

  constructor(private readonly options: IndexClientOptions) {
    this.ttlMs = options.ttlMs ?? 10 * 60 * 1000;
    this.now = options.now ?? Date.now;
    this.memory = new LruCache(options.memoryEntries ?? 4000, this.ttlMs, this.now);
    this.metadataMemory = new LruCache(options.memoryEntries ?? 4000, Infinity, this.now);
  }

  get offline(): boolean {
    return this.options.offline === true;
  }

  /** An index or find-links URL without its credentials (which the credential store keeps for its origin). */
  stripCredentials(url: string): string {
    return this.options.credentials ? this.options.credentials.remember(url) : url;
  }

  /** A project's Simple API page on one index (http(s) or file://). */
  async projectPage(indexUrl: string, project: string, signal?: AbortSignal): Promise<Result<Loaded<ProjectPage>>> {
    const url = projectPageUrl(this.stripCredentials(indexUrl), project);
    if (isFileUrl(url)) return this.localPage(url, project);
    const result = await this.load({ kind: 'simple', url, accept: SIMPLE_ACCEPT, parse: pageParser(project) }, signal);
    // An index that cannot negotiate at all (406) still serves plain PEP 503 HTML.
    if (!result.ok && result.error.status === 406) return this.load({ kind: 'html', url, accept: HTML_ACCEPT, parse: pageParser(project) }, signal);
    return result;
  }

  /** The PyPI JSON API for a project or one release; undefined where the index has no such API (404). */
  async projectDetails(apiBase: string, project: string, version: string | undefined, signal?: AbortSignal): Promise<Result<Loaded<ProjectDetails> | undefined>> {
    const base = this.stripCredentials(apiBase.endsWith('/') ? apiBase : `${apiBase}/`);
    const name = encodeURIComponent(canonicalizeName(project));
    const url = version === undefined ? `${base}${name}/json` : `${base}${name}/${encodeURIComponent(version)}/json`;
    const parse = (response: StoredResponse): Parsed<ProjectDetails> => {
      const parsed = parseProjectDetails(response.body);
      return parsed.ok ? { ok: true, value: parsed.details } : parsed;
    };
    const result = await this.load({ kind: 'json-api', url, accept: 'application/json', parse }, signal);
    if (!result.ok && result.error.kind === 'not-found') return { ok: true, value: undefined };
    return result;
  }

  /** A file's PEP 740 provenance object, from the URL its index page gave (PyPI's Integrity API). */
  provenance(url: string, signal?: AbortSignal): Promise<Result<Loaded<Provenance>>> {
    const parse = (response: StoredResponse): Parsed<Provenance> => {
      const parsed = parseProvenance(response.body);
      return parsed.ok ? { ok: true, value: parsed.provenance } : parsed;
    };
    return this.load({ kind: 'provenance', url: this.stripCredentials(url), accept: 'application/vnd.pypi.integrity.v1+json, application/json;q=0.9', parse }, signal);
  }

  /** Every project name the index lists (its `/simple/` root), for completion. */
  projectNames(indexUrl: string, signal?: AbortSignal): Promise<Result<Loaded<string[]>>> {
    const base = this.stripCredentials(indexUrl);
    const url = base.endsWith('/') ? base : `${base}/`;
    return this.load({ kind: 'projects', url, accept: SIMPLE_ACCEPT, parse: projectListParser, ttlMs: PROJECT_LIST_TTL_MS, maxBytes: 200 * 1024 * 1024 }, signal);
  }

  /**
   * A project's files in a find-links location: a local folder (every file in it), a local or
   * remote HTML page of links, or a single archive; only files named for `project` are kept.
   */
  async findLinks(location: string, project: string, signal?: AbortSignal): Promise<Result<Loaded<ProjectPage>>> {
    const isUrl = /^[a-z][a-z0-9+.-]*:/i.test(location) && !isWindowsPath(location);
    if (isUrl && !isFileUrl(location)) {
      const url = this.stripCredentials(location);
      const result = await this.load({ kind: 'find-links', url, accept: HTML_ACCEPT, parse: pageParser(project) }, signal);
      return result.ok ? { ok: true, value: { ...result.value, value: onlyProject(result.value.value) } } : result;
    }
    const path = isUrl ? fileURLToPath(location) : location;
    const url = isUrl ? location : pathToFileURL(path).href;
    const { files } = this.options;
    const kind = await files.kind(path);
    if (kind === 'missing') return { ok: false, error: indexError('not-found', url, `find-links location ${path} does not exist`) };
    if (kind === 'directory') {
      const base = url.endsWith('/') ? url : `${url}/`;
      const files = (await this.options.files.list(path)).map((name) => linkedFile(name, new URL(encodeURIComponent(name), base).href, project));
      return this.local(onlyProject({ name: project, files, versions: [], format: 'html' }));
    }
    const filename = path.split(/[\\/]/).pop() ?? '';
    if (classifyFilename(filename, project).kind !== 'other') {
      return this.local(onlyProject({ name: project, files: [linkedFile(filename, url, project)], versions: [], format: 'html' }));
    }
    return this.localPage(url, project);
  }

  /**
   * The sha256 of a distribution file: from the index's own hashes when given, else by reading the
   * file once (a file's bytes never change, so the answer is kept for as long as the cache lives).
   */
  async fileSha256(file: Pick<DistributionFile, 'url' | 'hashes'>, signal?: AbortSignal): Promise<Result<string>> {
    if (file.hashes.sha256) return { ok: true, value: file.hashes.sha256 };
    if (isFileUrl(file.url)) {
      const path = fileURLToPath(file.url);
      const digest = await this.options.files.sha256(path, MAX_FILE_BYTES);
      return digest.ok ? digest : { ok: false, error: localReadError(digest.reason, file.url, path, MAX_FILE_BYTES) };
    }
    const key = `sha256\n${file.url}`;
    const known = await this.stored(key);
    if (known) return { ok: true, value: known.body };
    if (this.offline) return { ok: false, error: indexError('offline', file.url, `offline: the hash of ${redactUrl(file.url)} is not cached`) };
    const result = await this.options.http.fetch({ url: file.url, consume: 'sha256', maxBytes: MAX_FILE_BYTES, signal });
    if (!result.ok) return result;
    const digest = result.value.sha256!;
    this.persist(key, { url: file.url, status: 200, fetchedAt: this.now(), body: digest });
    return { ok: true, value: digest };
  }

  /**
   * The dependency metadata of a distribution file, from the cheapest source (index/metadata.ts).
   * `jsonApiBase`: the JSON API of the index the file came from, when it has one. A file's
   * metadata never changes, so the answer (and an sdist's "not static") is kept on disk under
   * the file's sha256 (its URL when the index gives no hash), for as long as the cache lives.
   */
  async metadata(file: DistributionFile, jsonApiBase: string | undefined, signal?: AbortSignal): Promise<Result<DistributionMetadata>> {
    const key = `metadata\n${file.hashes.sha256 ? `sha256:${file.hashes.sha256}` : file.url}`;
    const remembered = this.metadataMemory.get(key);
    if (remembered) return remembered;
    try {
      return await this.metadataInflight.run(key, (shared) => this.metadataOnce(key, file, jsonApiBase, shared), signal);
    } catch {
      return { ok: false, error: indexError('cancelled', file.url, 'cancelled') };
    }
  }

  private async metadataOnce(key: string, file: DistributionFile, jsonApiBase: string | undefined, signal: AbortSignal): Promise<Result<DistributionMetadata>> {
    const local = isFileUrl(file.url);
    if (!local) {
      const stored = await this.stored(key);
      const known = stored && storedMetadata(stored.body);
      if (known) {
        this.metadataMemory.set(key, known);
        return known;
      }
    }
    const jsonApi = jsonApiBase
      ? async (project: string, version: string, apiSignal?: AbortSignal) => {
          const details = await this.projectDetails(jsonApiBase, project, version, apiSignal);
          return details.ok ? { ok: true as const, value: details.value?.value } : details;
        }
      : undefined;
    const result = await fetchDistributionMetadata(file, { http: this.options.http, files: this.options.files, offline: this.offline, jsonApi }, signal);
    if (!result.ok && result.error.kind === 'cancelled') return result;
    const lasting = result.ok || result.error.kind === 'not-static';
    if (lasting && !local) this.persist(key, { url: file.url, status: 200, fetchedAt: this.now(), contentType: METADATA_TYPE, body: JSON.stringify(result) });
    this.metadataMemory.set(key, result, !lasting ? ERROR_TTL_MS : local ? this.ttlMs : Infinity);
    return result;
  }

  // ---- caching ---------------------------------------------------------------------------

  private local<T>(value: T): Result<Loaded<T>> {
    return { ok: true, value: { value, freshness: 'local', fetchedAt: this.now() } };
  }

  private async localPage(url: string, project: string): Promise<Result<Loaded<ProjectPage>>> {
    let path = fileURLToPath(url);
    // pip reads index.html for a file:// URL that names a folder.
    if ((await this.options.files.kind(path)) === 'directory') path = (isWindowsPath(path) ? win32 : posix).join(path, 'index.html');
    const body = await this.options.files.read(path, MAX_PAGE_BYTES);
    if (!body.ok) return { ok: false, error: localReadError(body.reason, url, path, MAX_PAGE_BYTES) };
    const parsed = parseSimpleHtml(body.value.toString('utf8'), pathToFileURL(path).href, project);
    return parsed.ok ? this.local(parsed.page) : { ok: false, error: indexError(parsed.kind ?? 'malformed', url, `${path}: ${parsed.message}`) };
  }

  private async load<T>(spec: LoadSpec<T>, signal?: AbortSignal): Promise<Result<Loaded<T>>> {
    const key = `${spec.kind}\n${spec.url}`;
    const remembered = this.memory.get(key) as Result<Loaded<T>> | undefined;
    if (remembered) return remembered.ok ? { ok: true, value: { ...remembered.value, freshness: remembered.value.freshness === 'stale' ? 'stale' : 'memory' } } : remembered;
    try {
      return (await this.inflight.run(key, (shared) => this.loadOnce(key, spec, shared), signal)) as Result<Loaded<T>>;
    } catch {
      return { ok: false, error: indexError('cancelled', spec.url, 'cancelled') };
    }
  }

  private async loadOnce<T>(key: string, spec: LoadSpec<T>, signal: AbortSignal): Promise<Result<Loaded<T>>> {
    const ttlMs = spec.ttlMs ?? this.ttlMs;
    const stored = await this.stored(key);
    // A kept "not found" is an answer like a page: used while fresh (or offline), and while the index fails.
    const absent = stored && NOT_FOUND.has(stored.status) ? stored : undefined;
    const storedValue = stored && !absent ? spec.parse(stored) : undefined;
    const usable = stored && storedValue?.ok ? { stored, value: storedValue.value } : undefined;
    if (usable && (this.offline || isFresh(usable.stored, ttlMs, this.now()))) {
      return this.remember(key, { ok: true, value: { value: usable.value, freshness: 'cached', fetchedAt: usable.stored.fetchedAt } }, ttlMs - (this.now() - usable.stored.fetchedAt));
    }
    if (absent && (this.offline || isFresh(absent, ttlMs, this.now()))) return this.remember(key, { ok: false, error: keptAbsence(spec.url, absent) }, ttlMs - (this.now() - absent.fetchedAt));
    if (this.offline) return { ok: false, error: indexError('offline', spec.url, `offline, and ${redactUrl(spec.url)} is not in the cache`) };

    const headers: Record<string, string> = { accept: spec.accept };
    if (usable?.stored.etag) headers['if-none-match'] = usable.stored.etag;
    if (usable?.stored.lastModified) headers['if-modified-since'] = usable.stored.lastModified;
    const response = await this.options.http.fetch({ url: spec.url, headers, signal, maxBytes: spec.maxBytes ?? MAX_PAGE_BYTES });
    if (response.ok && response.value.status === 304 && usable) {
      const refreshed = { ...usable.stored, fetchedAt: this.now() };
      this.persist(key, refreshed);
      this.recovered(spec.url);
      return this.remember(key, { ok: true, value: { value: usable.value, freshness: 'revalidated', fetchedAt: refreshed.fetchedAt } }, ttlMs);
    }
    let failure: IndexError;
    if (response.ok && response.value.status === 200) {
      const { headers: h } = response.value;
      const fresh: StoredResponse = {
        // A redirect's Location may carry user:password@: never kept, nor inherited by relative links.
        url: splitUrlCredentials(response.value.url).url,
        status: 200,
        fetchedAt: this.now(),
        body: response.value.body.toString('utf8'),
        ...(h['content-type'] ? { contentType: h['content-type'] } : {}),
        ...(h.etag ? { etag: h.etag } : {}),
        ...(h['last-modified'] ? { lastModified: h['last-modified'] } : {}),
      };
      const parsed = spec.parse(fresh);
      if (parsed.ok) {
        this.persist(key, fresh);
        this.recovered(spec.url);
        return this.remember(key, { ok: true, value: { value: parsed.value, freshness: 'fetched', fetchedAt: fresh.fetchedAt } }, ttlMs);
      }
      failure = indexError(parsed.kind ?? 'malformed', spec.url, `${redactUrl(spec.url)}: ${parsed.message}`);
    } else if (response.ok) {
      failure = indexError('server-error', spec.url, `${redactUrl(spec.url)} answered ${response.value.status} without a cached copy to revalidate`, response.value.status);
    } else {
      failure = response.error;
    }
    if (failure.kind === 'cancelled') return { ok: false, error: failure };
    if (usable && STALE_IF.has(failure.kind)) {
      this.stale(spec.url, failure, usable.stored.fetchedAt);
      return this.remember(key, { ok: true, value: { value: usable.value, freshness: 'stale', fetchedAt: usable.stored.fetchedAt } }, ERROR_TTL_MS);
    }
    if (absent && STALE_IF.has(failure.kind)) {
      this.stale(spec.url, failure, absent.fetchedAt);
      return this.remember(key, { ok: false, error: keptAbsence(spec.url, absent) }, ERROR_TTL_MS);
    }
    // "Not found" is an answer: it lasts as long as any other, and is kept on disk like a page; other failures are retried soon.
    if (failure.kind === 'not-found' && failure.status !== undefined) {
      this.persist(key, { url: spec.url, status: failure.status, fetchedAt: this.now(), body: '' });
      this.recovered(spec.url);
    }
    return this.remember(key, { ok: false, error: failure }, failure.kind === 'not-found' ? ttlMs : ERROR_TTL_MS);
  }

  private remember<T>(key: string, result: Result<Loaded<T>>, ttlMs: number): Result<Loaded<T>> {
    if (ttlMs > 0) this.memory.set(key, result, ttlMs);
    return result;
  }

  /** Cache writes not finished yet, by key (see persist). */
  private readonly pendingWrites = new Map<string, Promise<void>>();

  /**
   * Keeps an answer on disk in the background: the caller has its answer without waiting for the
   * disk (a cold run writes hundreds of files, and under load each write queues behind the others
   * on libuv's thread pool). `flush()` waits for them; the runtime's close does, so a CLI run
   * leaves a complete cache.
   */
  private persist(key: string, response: StoredResponse): void {
    const store = this.options.store;
    if (!store) return;
    // After the key's earlier write, so the newer answer is the one left on disk.
    const write = (this.pendingWrites.get(key) ?? Promise.resolve())
      .then(() => store.write(key, { ...response, url: splitUrlCredentials(response.url).url }))
      .catch(() => {
        // A full disk or a read-only cache folder costs a later request, never this answer.
      })
      .finally(() => {
        if (this.pendingWrites.get(key) === write) this.pendingWrites.delete(key);
      });
    this.pendingWrites.set(key, write);
  }

  /** The kept answer for `key`, once this client's own write of it (if under way) is done. */
  private async stored(key: string): Promise<StoredResponse | undefined> {
    await this.pendingWrites.get(key);
    return this.options.store?.read(key);
  }

  /** Resolves once every answer so far is on disk (or failed to be written). */
  async flush(): Promise<void> {
    while (this.pendingWrites.size > 0) await Promise.all([...this.pendingWrites.values()]);
  }


  private stale(url: string, error: IndexError, cachedAt: number): void {
    const index = redactUrl(new URL(url).origin);
    if (this.staleOrigins.has(index)) return;
    this.staleOrigins.add(index);
    this.options.onNotice?.({ kind: 'stale', index, error, cachedAt });
  }

  private recovered(url: string): void {
    const index = redactUrl(new URL(url).origin);
    if (this.staleOrigins.delete(index)) this.options.onNotice?.({ kind: 'recovered', index });
  }

  /** Forgets what is in memory (the "Refresh index data" command); the disk copy is revalidated next time. */
  clearMemory(): void {
    this.memory.clear();
    this.metadataMemory.clear();
  }
}

/** How a metadata answer is kept on disk. */
const METADATA_TYPE = 'application/vnd.reqguard.metadata+json';
const METADATA_SOURCES: ReadonlySet<string> = new Set<MetadataSource>(['core-metadata', 'json-api', 'range-request', 'download', 'sdist']);

/** A kept metadata answer read back: a damaged or foreign file is a miss, never a crash. */
function storedMetadata(body: string): Result<DistributionMetadata> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  const record = (v: unknown) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined);
  const strings = (v: unknown) => Array.isArray(v) && v.every((item) => typeof item === 'string');
  const stored = record(value);
  if (stored?.ok === false) {
    const error = record(stored.error);
    return error?.kind === 'not-static' && typeof error.message === 'string' && typeof error.url === 'string' ? { ok: false, error: indexError('not-static', error.url, error.message) } : undefined;
  }
  const answer = record(stored?.value);
  const metadata = record(answer?.metadata);
  if (stored?.ok !== true || !metadata || typeof answer?.source !== 'string' || !METADATA_SOURCES.has(answer.source)) return undefined;
  const { metadataVersion, name, version, requiresDist, requiresPython, providesExtra, dynamic } = metadata;
  if (typeof metadataVersion !== 'string' || typeof name !== 'string' || typeof version !== 'string' || !strings(requiresDist) || !strings(providesExtra) || !strings(dynamic)) return undefined;
  if (requiresPython !== undefined && typeof requiresPython !== 'string') return undefined;
  const read: CoreMetadata = {
    metadataVersion,
    name,
    version,
    requiresDist: requiresDist as string[],
    ...(requiresPython !== undefined ? { requiresPython: requiresPython as string } : {}),
    providesExtra: providesExtra as string[],
    dynamic: dynamic as string[],
  };
  return { ok: true, value: { metadata: read, source: answer.source as MetadataSource } };
}

/** The newest version a page's installable files offer (yanked ones aside), if any. */
/** A page as one source of a project: its files labelled with the source, its versions sorted, its newest release. */
interface PagePart {
  readonly files: readonly IndexedFile[];
  readonly sortedVersions: readonly string[];
  readonly offersFiles: boolean;
  readonly newest?: string;
}

/**
 * Made once per page and source: a planner asks for a project several times (to pin, to hash, to
 * complete the file), and a page's 10,000 files were copied and its versions sorted each time.
 */
const PAGE_PARTS = new WeakMap<ProjectPage, Map<string, PagePart>>();

function pagePart(page: ProjectPage, source: string): PagePart {
  let bySource = PAGE_PARTS.get(page);
  if (!bySource) PAGE_PARTS.set(page, (bySource = new Map()));
  let part = bySource.get(source);
  if (!part) {
    const files: IndexedFile[] = [];
    for (const file of page.files) files.push(withSource(file, source));
    const offersFiles = page.files.some((file) => file.kind !== 'other');
    part = { files, sortedVersions: sortVersionsDescending(page.versions), offersFiles, newest: offersFiles ? newestOffered(page.files) : undefined };
    bySource.set(source, part);
  }
  return part;
}


function newestOffered(files: readonly DistributionFile[]): string | undefined {
  const offered = files.flatMap((file) => (file.version && !file.yanked && file.kind !== 'other' ? [file.version] : []));
  return sortVersionsDescending([...new Set(offered)])[0];
}

/** Statuses that say "not on this index", kept like pages. */
const NOT_FOUND: ReadonlySet<number> = new Set([404, 410]);

/** The "not found" an index gave earlier, as its answer now (offline, within the TTL, or while it fails). */
function keptAbsence(url: string, stored: StoredResponse): IndexError {
  return indexError('not-found', url, `${redactUrl(url)} answered ${stored.status} (not found) at ${new Date(stored.fetchedAt).toISOString()}`, stored.status);
}

function onlyProject(page: ProjectPage): ProjectPage {
  const files = page.files.filter((file) => file.kind !== 'other');
  return { ...page, files, versions: sortVersionsDescending(files.flatMap((file) => (file.version ? [file.version] : []))) };
}

/** Said when a remote page links to local files: the check ignored them, so it is incomplete. */
function ignoredLinksProblem(source: string, project: string, ignored: NonNullable<ProjectPage['ignoredLinks']>): IndexError {
  const links = ignored.count === 1 ? `a link to ${redactUrl(ignored.first)}, not an http(s) URL` : `${ignored.count} links that are not http(s) URLs, such as ${redactUrl(ignored.first)}`;
  return indexError('malformed', source, `${source}: the page of ${project} has ${links}; reqguard never reads a local file on a remote index's say-so, so ${ignored.count === 1 ? 'it was' : 'they were'} ignored`);
}

// ---- one document's view --------------------------------------------------------------------

export interface IndexedFile extends DistributionFile {
  /** The index or find-links location it came from, redacted. */
  readonly source: string;
}

export interface ProjectData {
  readonly name: string;
  readonly files: readonly IndexedFile[];
  /** PEP 440, newest first. */
  readonly versions: readonly string[];
  /** Served from the cache because an index failed. */
  readonly stale: boolean;
  /** The least cached way any source answered (stale over fetched over revalidated over cached…). */
  readonly freshness: Freshness;
  /** Oldest confirmation among the sources that answered. */
  readonly fetchedAt: number;
  /** Sources that failed while others answered. */
  readonly problems: readonly IndexError[];
  /**
   * Every index (find-links aside) with files of the project, in pip's order, with the newest
   * version each offers (yanked files aside): two or more is a dependency-confusion risk.
   */
  readonly indexes: readonly ProjectOnIndex[];
  /** PEP 792 statuses other than `active`, with the index that gave each. */
  readonly statuses: readonly (ProjectStatus & { readonly source: string })[];
}

export interface ProjectOnIndex {
  /** Redacted, as the files' `source`. */
  readonly source: string;
  readonly newest?: string;
}

/** What the hover and the status bar say about where packages come from. */
export interface EffectiveIndex {
  /** Redacted; undefined with --no-index. */
  readonly primary?: string;
  readonly extra: readonly string[];
  /** Where each of `extra` was added (the file, settings, pip's configuration), in the same order. */
  readonly extraOrigins: readonly IndexOrigin[];
  readonly findLinks: readonly string[];
  readonly source: IndexSelection['source'];
  readonly sourceDetail?: string;
  readonly offline: boolean;
  /** pip considers pre-releases (`--pre`, pip's `pre`): picks and completion include them. */
  readonly prereleases: boolean;
  /** The file's own index options, not followed because the file is not trusted (redacted). */
  readonly ignoredFileOptions: readonly string[];
}

export interface PackageIndex {
  readonly effective: EffectiveIndex;
  /** The project on every index and find-links location of the document, merged as pip merges candidates. */
  project(name: string, signal?: AbortSignal): Promise<Result<ProjectData>>;
  /** JSON API enrichment from the primary index; undefined where there is none. */
  details(name: string, version?: string, signal?: AbortSignal): Promise<ProjectDetails | undefined>;
  fileSha256(file: Pick<DistributionFile, 'url' | 'hashes'>, signal?: AbortSignal): Promise<Result<string>>;
  projectNames(signal?: AbortSignal): Promise<Result<readonly string[]>>;
  /**
   * A file's dependency metadata (Requires-Dist, Provides-Extra, Requires-Python), from the
   * cheapest source that has it; an sdist whose dependencies need a build is a 'not-static' error.
   */
  metadata(file: IndexedFile, signal?: AbortSignal): Promise<Result<DistributionMetadata>>;
  /** Who published a file (PEP 740), where its index offers a provenance object; undefined where it offers none. */
  provenance(file: Pick<DistributionFile, 'provenance'>, signal?: AbortSignal): Promise<Result<Provenance> | undefined>;
}

export interface OpenIndexOptions {
  /** The folder of the requirements file: pip looks for relative find-links there first. */
  readonly baseDir?: string;
  /** Overrides the JSON API base derived from the primary index (`…/simple/` → `…/pypi/`). */
  readonly jsonApiUrl?: string;
}

export function openIndex(client: IndexClient, selection: IndexSelection, options: OpenIndexOptions = {}): PackageIndex {
  const indexUrls = selection.indexUrls.map((url) => client.stripCredentials(url));
  const primary = indexUrls[0];
  const apiBase = options.jsonApiUrl ?? (primary ? jsonApiBase(primary) : undefined);
  const findLinks = selection.findLinks.map((location) => {
    if (!options.baseDir || /^[a-z][a-z0-9+.-]*:/i.test(location) || posix.isAbsolute(location) || isWindowsPath(location)) return location;
    return (isWindowsPath(options.baseDir) ? win32 : posix).join(options.baseDir, location);
  });

  return {
    effective: {
      // Redacted from the URLs as written, so `user:****@` still shows that credentials are in use.
      primary: selection.indexUrls[0] && redactUrl(selection.indexUrls[0]),
      extra: selection.indexUrls.slice(1).map(redactUrl),
      extraOrigins: selection.extraOrigins ?? selection.indexUrls.slice(1).map(() => ({ source: selection.source })),
      findLinks: selection.findLinks.map(redactUrl),
      source: selection.source,
      sourceDetail: selection.sourceDetail,
      offline: client.offline,
      prereleases: selection.prereleases ?? false,
      ignoredFileOptions: selection.ignoredFileOptions ?? [],
    },

    async project(name, signal) {
      const lookups = [
        ...indexUrls.map((url) => ({ source: redactUrl(url), isIndex: true, result: client.projectPage(url, name, signal) })),
        ...findLinks.map((location) => ({ source: redactUrl(location), isIndex: false, result: client.findLinks(location, name, signal) })),
      ];
      if (lookups.length === 0) return { ok: false, error: indexError('not-found', '', `--no-index without --find-links: there is nowhere to look for ${name}`) };
      const files: IndexedFile[] = [];
      const versions: string[] = [];
      const problems: IndexError[] = [];
      const onIndexes: ProjectOnIndex[] = [];
      const statuses: ProjectData['statuses'][number][] = [];
      let freshness: Freshness = 'memory';
      let fetchedAt = Infinity;
      const parts: PagePart[] = [];
      for (const lookup of lookups) {
        const result = await lookup.result;
        if (!result.ok) {
          problems.push(result.error);
          continue;
        }
        const page = result.value.value;
        const part = pagePart(page, lookup.source);
        parts.push(part);
        if (page.ignoredLinks) problems.push(ignoredLinksProblem(lookup.source, name, page.ignoredLinks));
        // One by one: a spread of a page's hundred thousand versions overflows the call stack.
        for (const file of part.files) files.push(file);
        for (const version of page.versions) versions.push(version);
        if (page.status) statuses.push({ ...page.status, source: lookup.source });
        if (lookup.isIndex && part.offersFiles) onIndexes.push({ source: lookup.source, newest: part.newest });
        if (FRESHNESS_RANK[result.value.freshness] > FRESHNESS_RANK[freshness]) freshness = result.value.freshness;
        fetchedAt = Math.min(fetchedAt, result.value.fetchedAt);
      }
      // Absent only when every source said so. A source that answered without the project (an
      // empty find-links folder) says no more than "not found": it never hides a failure.
      if (files.length === 0 && versions.length === 0 && statuses.length === 0 && problems.length > 0) {
        return { ok: false, error: problems.find((problem) => problem.kind !== 'not-found') ?? problems[0] };
      }
      return {
        ok: true,
        value: {
          name,
          // One page (the usual case): its part as it is, made once per page, not once per call.
          files: parts.length === 1 && lookups.length === 1 ? parts[0].files : files,
          versions: parts.length === 1 && lookups.length === 1 ? parts[0].sortedVersions : sortVersionsDescending(versions),
          stale: freshness === 'stale',
          freshness,
          fetchedAt,
          problems: problems.filter((p) => p.kind !== 'not-found'),
          indexes: onIndexes,
          statuses,
        },
      };
    },

    async details(name, version, signal) {
      if (!apiBase) return undefined;
      const result = await client.projectDetails(apiBase, name, version, signal);
      return result.ok ? result.value?.value : undefined;
    },

    fileSha256: (file, signal) => client.fileSha256(file, signal),

    // The JSON API describes the primary index's releases only: a file from elsewhere never uses it.
    metadata: (file, signal) => client.metadata(file, primary !== undefined && file.source === redactUrl(primary) ? apiBase : undefined, signal),
    async provenance(file, signal) {
      if (!file.provenance) return undefined;
      const result = await client.provenance(file.provenance, signal);
      return result.ok ? { ok: true, value: result.value.value } : result;
    },

    async projectNames(signal) {
      if (!primary) return { ok: true, value: [] };
      if (isFileUrl(primary)) return { ok: true, value: [] };
      const result = await client.projectNames(primary, signal);
      return result.ok ? { ok: true, value: result.value.value } : result;
    },
  };
}
