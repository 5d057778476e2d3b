// The dependency metadata of one distribution file, from the cheapest source that has it:
//   a. PEP 658/714 core metadata (`<file URL>.metadata`) when the page says it exists, checked
//      against the page's hash;
//   b. for a wheel, the JSON API's `requires_dist` for its release, when the index has the API and
//      knows the list (null is "unknown", not "none");
//   c. for a wheel, HTTP range requests: the zip's tail, then its central directory and the
//      METADATA member (a server that ignores Range sends the whole wheel, which is then used);
//   d. the whole wheel;
//   e. an sdist's PKG-INFO, used only when it promises static dependencies (PEP 643).
// Every answer is checked against the file it is for (name and version, as pip checks), and every
// size is bounded. Caching lives in IndexClient.metadata; this module only fetches and reads.
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { splitExtension } from '../parser/links';
import { canonicalizeName } from '../parser/pep508';
import { metadataMismatch, readCoreMetadata, sdistDependenciesUnknown, type CoreMetadata, type DistributionMetadata, type MetadataSource } from '../pip/metadata';
import { bufferAccess, readTarMember, readZipMember, ZIP_TAIL_BYTES, type MemberChoice, type RandomAccess } from './distArchives';
import { indexError, type IndexError, type Result } from './errors';
import type { HttpClient } from './http';
import type { ProjectDetails } from './jsonApi';
import { isFileUrl, localReadError, type LocalFiles } from './localFiles';
import type { DistributionFile } from './simplePage';
import { redactUrl } from './urls';

/** Largest metadata file read (real ones are a few kB; a long description makes some a few MB). */
export const MAX_METADATA_BYTES = 16 * 1024 * 1024;
/** Largest wheel or sdist downloaded whole to read its metadata. */
export const MAX_ARCHIVE_BYTES = 256 * 1024 * 1024;
/** Largest zip central directory read (about 100 bytes per member: a million members). */
const MAX_DIRECTORY_BYTES = 64 * 1024 * 1024;
/** Most an sdist's tar is unpacked while looking for PKG-INFO (a gzip bomb stops here). */
const MAX_UNPACKED_BYTES = 1024 * 1024 * 1024;
const ARCHIVE_LIMITS = { maxMemberBytes: MAX_METADATA_BYTES, maxDirectoryBytes: MAX_DIRECTORY_BYTES };
/** Hash algorithms pip checks (models/link.py's _SUPPORTED_HASHES). */
const SUPPORTED_HASHES = ['sha512', 'sha384', 'sha256', 'sha224', 'sha1', 'md5'];

export interface MetadataDeps {
  readonly http: HttpClient;
  readonly files: LocalFiles;
  readonly offline: boolean;
  /** The JSON API's answer for one release, on the index the file came from; absent when it has none. */
  readonly jsonApi?: (project: string, version: string, signal?: AbortSignal) => Promise<Result<ProjectDetails | undefined>>;
}

/** Failures after which another source is not worth asking: the caller left, or the host is gone. */
const FINAL: ReadonlySet<IndexError['kind']> = new Set(['cancelled', 'unreachable', 'unauthorized', 'offline', 'hash-mismatch']);

/** The project name a wheel or sdist file name starts with (`Foo_Bar-1.0.tar.gz` → `Foo_Bar`). */
function projectOf(file: DistributionFile): string | undefined {
  if (file.kind === 'wheel') return file.wheel?.name;
  if (file.kind !== 'sdist' || file.version === undefined) return undefined;
  const [stem] = splitExtension(file.filename);
  return stem.slice(0, stem.length - file.version.length - 1) || undefined;
}

/**
 * pip's rule for hashes it is given: the bytes pass when one supported algorithm matches, and fail
 * when none does; with no supported algorithm there is nothing to check.
 */
function hashProblem(body: Buffer, hashes: Readonly<Record<string, string>>, url: string, what: string): IndexError | undefined {
  const given = SUPPORTED_HASHES.filter((algorithm) => hashes[algorithm]);
  if (given.length === 0) return undefined;
  const digests = given.map((algorithm) => [algorithm, createHash(algorithm).update(body).digest('hex')] as const);
  if (digests.some(([algorithm, digest]) => digest === hashes[algorithm].toLowerCase())) return undefined;
  const [algorithm, digest] = digests[0];
  return indexError('hash-mismatch', url, `${what} from ${redactUrl(url)} has ${algorithm} ${digest}, not the ${hashes[algorithm]} its index page gives; not used`);
}

/** Content-Range of a 206: `bytes START-END/TOTAL`. */
function contentRange(value: string | undefined): { start: number; end: number; total: number } | undefined {
  const match = /^\s*bytes\s+(\d+)-(\d+)\/(\d+)\s*$/i.exec(value ?? '');
  if (!match) return undefined;
  const [start, end, total] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return start <= end && end < total ? { start, end, total } : undefined;
}

/**
 * A remote file read by HTTP range requests. The tail comes with the first answer; any other
 * bytes are asked for exactly, and an answer that is not exactly them is refused.
 */
class HttpRangeAccess implements RandomAccess {
  constructor(
    private readonly http: HttpClient,
    private readonly url: string,
    readonly size: number,
    private readonly tailStart: number,
    private readonly tail: Buffer,
    private readonly signal: AbortSignal | undefined,
  ) {}

  async read(start: number, end: number): Promise<Result<Buffer>> {
    if (start >= this.tailStart) return { ok: true, value: this.tail.subarray(start - this.tailStart, end - this.tailStart) };
    const stop = Math.min(end, this.tailStart);
    const response = await this.http.fetch({ url: this.url, headers: { range: `bytes=${start}-${stop - 1}`, 'accept-encoding': 'identity' }, maxBytes: stop - start, signal: this.signal });
    if (!response.ok) {
      if (response.error.kind !== 'too-large') return response;
      return { ok: false, error: indexError('malformed', this.url, `${redactUrl(this.url)} sent more than the ${stop - start} bytes asked for by a range request`) };
    }
    const range = contentRange(response.value.headers['content-range']);
    if (response.value.status !== 206 || !range || range.start !== start || range.total !== this.size || response.value.body.length !== stop - start) {
      return { ok: false, error: indexError('malformed', this.url, `${redactUrl(this.url)} answered a range request for bytes ${start}-${stop - 1} with something else (${response.value.status} ${response.value.headers['content-range'] ?? 'without Content-Range'})`) };
    }
    return { ok: true, value: end > this.tailStart ? Buffer.concat([response.value.body, this.tail.subarray(0, end - this.tailStart)]) : response.value.body };
  }
}

/** pip's wheel_dist_info_dir: the one top-level `*.dist-info` folder, named for the project; its METADATA. */
function wheelMetadataMember(project: string): MemberChoice {
  return (names) => {
    const folders = new Set(names.map((name) => name.split('/', 1)[0]));
    const infoDirs = [...folders].filter((folder) => folder.endsWith('.dist-info'));
    if (infoDirs.length === 0) return { message: '.dist-info directory not found' };
    if (infoDirs.length > 1) return { message: `multiple .dist-info directories found: ${infoDirs.join(', ')}` };
    const [infoDir] = infoDirs;
    if (!canonicalizeName(infoDir).startsWith(canonicalizeName(project))) return { message: `.dist-info directory ${infoDir} does not start with ${canonicalizeName(project)}` };
    const name = `${infoDir}/METADATA`;
    return names.includes(name) ? { name } : { message: `there is no ${name}` };
  };
}

/** An sdist's PKG-INFO: in its one top-level folder (`name-1.0/PKG-INFO`, also written `./name-1.0/PKG-INFO`). */
function isSdistPkgInfo(path: string): boolean {
  const parts = path.replace(/^\.\//, '').split('/');
  return parts.length === 2 && parts[1] === 'PKG-INFO' && parts[0] !== '' && parts[0] !== '.';
}

const sdistPkgInfoMember: MemberChoice = (names) => {
  const name = names.find(isSdistPkgInfo);
  return name === undefined ? { message: 'there is no PKG-INFO in its top-level folder' } : { name };
};

type Source = Exclude<MetadataSource, 'json-api'>;

class MetadataReader {
  private readonly local: boolean;

  constructor(
    private readonly file: DistributionFile,
    private readonly project: string,
    private readonly deps: MetadataDeps,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.local = isFileUrl(file.url);
  }

  /** An sdist whose dependencies only a build tells. */
  private notStatic(reason: string): { ok: false; error: IndexError } {
    return this.fail('not-static', `The dependencies of ${this.file.filename} are only known after building it: ${reason}`);
  }

  private fail(kind: IndexError['kind'], message: string, url = this.file.url): { ok: false; error: IndexError } {
    return { ok: false, error: indexError(kind, url, message) };
  }

  /** Checks metadata against the file: its project and version, and for an sdist, that it is static. */
  private accept(metadata: CoreMetadata, source: MetadataSource, what: string): Result<DistributionMetadata> {
    const mismatch = metadataMismatch(metadata, this.project, this.file.version);
    if (mismatch) return this.fail('malformed', `${what} does not belong to ${this.file.filename}: ${mismatch}`);
    if (this.file.kind === 'sdist') {
      const unknown = sdistDependenciesUnknown(metadata);
      if (unknown) return this.notStatic(unknown);
    }
    return { ok: true, value: { metadata, source } };
  }

  private read(bytes: Buffer, source: MetadataSource, what: string, url = this.file.url): Result<DistributionMetadata> {
    const reading = readCoreMetadata(bytes, what);
    return reading.ok ? this.accept(reading.metadata, source, what) : this.fail('malformed', reading.message, url);
  }

  /** The bytes at a URL: from the disk for file:// (bounded), else one GET. */
  private async get(url: string, maxBytes: number): Promise<Result<Buffer>> {
    if (this.local) {
      const path = fileURLToPath(url);
      const read = await this.deps.files.read(path, maxBytes);
      return read.ok ? read : { ok: false, error: localReadError(read.reason, url, path, maxBytes) };
    }
    const response = await this.deps.http.fetch({ url, maxBytes, signal: this.signal });
    return response.ok ? { ok: true, value: response.value.body } : response;
  }

  async run(): Promise<Result<DistributionMetadata>> {
    if (this.file.coreMetadata && !(this.deps.offline && !this.local)) {
      const result = await this.coreMetadataFile(this.file.coreMetadata.hashes);
      if (result) return result;
    }
    if (this.file.kind === 'wheel' && this.deps.jsonApi && this.file.version !== undefined) {
      const result = await this.jsonApi(this.file.version);
      if (result) return result;
    }
    if (this.deps.offline && !this.local) return this.fail('offline', `offline, and the metadata of ${this.file.filename} is not in the cache`);
    return this.file.kind === 'wheel' ? this.wheel() : this.whole('sdist');
  }

  /**
   * The PEP 658 file: what it says (checked against its hash and the file), or undefined when the
   * index does not serve the file it promised (404, a failing route), to go on to the next source.
   * What a served file says is final: PEP 658 makes it identical to the archive's own metadata.
   */
  private async coreMetadataFile(hashes: Readonly<Record<string, string>>): Promise<Result<DistributionMetadata> | undefined> {
    const url = `${this.file.url}.metadata`;
    const body = await this.get(url, MAX_METADATA_BYTES);
    if (!body.ok) return FINAL.has(body.error.kind) ? body : undefined;
    const what = `the core metadata of ${this.file.filename}`;
    const mismatch = hashProblem(body.value, hashes, url, what);
    return mismatch ? { ok: false, error: mismatch } : this.read(body.value, 'core-metadata', what, url);
  }

  /** The JSON API's release data, when it knows the dependencies; undefined to go on to the next source. */
  private async jsonApi(version: string): Promise<Result<DistributionMetadata> | undefined> {
    const answer = await this.deps.jsonApi!(this.project, version, this.signal);
    if (!answer.ok) return answer.error.kind === 'cancelled' ? answer : undefined;
    const details = answer.value;
    // Without provides_extra, extras named in markers would be dropped as pip drops unknown extras.
    if (!details?.requiresDistKnown || (details.providesExtra === undefined && details.requiresDist.some((requirement) => /;.*\bextra\b/.test(requirement)))) return undefined;
    const metadata: CoreMetadata = {
      metadataVersion: '',
      name: details.name,
      version: details.version,
      requiresDist: details.requiresDist,
      ...(details.requiresPython !== undefined ? { requiresPython: details.requiresPython } : {}),
      providesExtra: details.providesExtra ?? [],
      dynamic: [],
    };
    return this.accept(metadata, 'json-api', `the JSON API's release data for ${this.file.filename}`);
  }

  private async wheel(): Promise<Result<DistributionMetadata>> {
    if (this.local) return this.whole('download');
    const tail = await this.deps.http.fetch({ url: this.file.url, headers: { range: `bytes=-${ZIP_TAIL_BYTES}`, 'accept-encoding': 'identity' }, maxBytes: MAX_ARCHIVE_BYTES, signal: this.signal });
    if (!tail.ok) {
      if (tail.error.kind === 'too-large') return this.fail('too-large', `${redactUrl(this.file.url)} does not answer range requests, and the whole wheel is larger than ${MAX_ARCHIVE_BYTES / 1024 / 1024} MiB; not read`);
      // A server that refuses the range itself (416, 501) may still send the whole file.
      return FINAL.has(tail.error.kind) || tail.error.kind === 'not-found' ? tail : this.whole('download');
    }
    const { status, body, headers } = tail.value;
    // A server that ignores Range sends the whole file: that is the download.
    if (status === 200) return this.fromArchive(body, 'download');
    const range = contentRange(headers['content-range']);
    if (status !== 206 || !range || range.end !== range.total - 1 || body.length !== range.end - range.start + 1) return this.whole('download');
    const access = new HttpRangeAccess(this.deps.http, this.file.url, range.total, range.start, body, this.signal);
    return this.fromZip(access, 'range-request');
  }

  private async whole(source: Source): Promise<Result<DistributionMetadata>> {
    const body = await this.get(this.file.url, MAX_ARCHIVE_BYTES);
    return body.ok ? this.fromArchive(body.value, source) : body;
  }

  /** A whole wheel or sdist: its hash checked, then its metadata member read. */
  private async fromArchive(body: Buffer, source: Source): Promise<Result<DistributionMetadata>> {
    const mismatch = hashProblem(body, this.file.hashes, this.file.url, this.file.filename);
    if (mismatch) return { ok: false, error: mismatch };
    if (this.file.kind === 'wheel') return this.fromZip(bufferAccess(body), source);
    const [, extension] = splitExtension(this.file.filename);
    const ext = extension.toLowerCase();
    const what = `the sdist ${this.file.filename}`;
    if (ext === '.zip') return this.fromZip(bufferAccess(body), source);
    if (ext !== '.tar.gz' && ext !== '.tgz' && ext !== '.tar') {
      return this.notStatic(`reqguard does not open ${ext} archives to read PKG-INFO`);
    }
    const member = await readTarMember(body, ext !== '.tar', this.file.url, what, isSdistPkgInfo, { maxMemberBytes: MAX_METADATA_BYTES, maxUnpackedBytes: MAX_UNPACKED_BYTES });
    if (!member.ok) return member;
    if (!member.value) return this.fail('malformed', `${what} has no PKG-INFO in its top-level folder`);
    return this.read(member.value.data, source, `the PKG-INFO of ${this.file.filename}`);
  }

  private async fromZip(access: RandomAccess, source: Source): Promise<Result<DistributionMetadata>> {
    const wheel = this.file.kind === 'wheel';
    const what = wheel ? `the wheel ${this.file.filename}` : `the sdist ${this.file.filename}`;
    const member = await readZipMember(access, this.file.url, what, wheel ? wheelMetadataMember(this.project) : sdistPkgInfoMember, ARCHIVE_LIMITS);
    if (!member.ok) return member;
    return this.read(member.value.data, source, `${member.value.name} in ${this.file.filename}`);
  }
}

/** The file's metadata from the cheapest source that has it (see the top of this file). */
export async function fetchDistributionMetadata(file: DistributionFile, deps: MetadataDeps, signal?: AbortSignal): Promise<Result<DistributionMetadata>> {
  const project = projectOf(file);
  if (project === undefined) return { ok: false, error: indexError('malformed', file.url, `${file.filename} is not a wheel or an sdist, so it has no metadata to read`) };
  return new MetadataReader(file, project, deps, signal).run();
}
