// A real package index for tests: PEP 503/691 Simple API (with content negotiation), the PyPI
// JSON API, PEP 658 metadata, PEP 700 upload times, PEP 740 provenance (the Integrity API),
// PEP 792 project status, an OSV querybatch route, and real, installable, deterministic wheels
// and sdists, served on 127.0.0.1 from a declarative fixture, with per-route fault injection and
// a request log.
import { compare } from '@renovatebot/pep440';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createSecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { tarGz, zip } from './archives';
import { closable } from './sockets';

// ---------------------------------------------------------------------------------------------
// Fixture

export type FileSpec =
  | 'wheel'
  | 'sdist'
  /** `publisher`: this file's own (null: none), instead of the version's. */
  | {
      kind: 'wheel';
      pythonTag?: string;
      abiTag?: string;
      platformTag?: string;
      /** A stored member of this many incompressible bytes before the .dist-info folder (a large wheel). */
      payloadBytes?: number;
      /** This many more small members before the .dist-info folder (a large central directory). */
      payloadFiles?: number;
      publisher?: PublisherSpec | null;
    }
  | { kind: 'sdist'; publisher?: PublisherSpec | null };

export interface VulnerabilitySpec {
  id: string;
  aliases?: string[];
  summary?: string;
  fixedIn?: string[];
  withdrawn?: string | null;
}

export interface VersionSpec {
  files?: FileSpec[];
  yanked?: boolean | string;
  requiresPython?: string;
  requiresDist?: string[];
  /** Provides-Extra in the metadata and `provides_extra` in the JSON API (null there when absent). */
  providesExtra?: string[];
  /** Metadata-Version of METADATA and PKG-INFO (default 2.1, the bytes every fixture had before). */
  metadataVersion?: string;
  /** `Dynamic:` fields (PEP 643), e.g. ['Requires-Dist'] for an sdist whose dependencies need a build. */
  dynamic?: string[];
  uploadTime?: string;
  summary?: string;
  vulnerabilities?: VulnerabilitySpec[];
  /** PEP 740: every file of the release gets a provenance object with this publisher. */
  publisher?: PublisherSpec;
}

/** A Trusted Publisher as PyPI's provenance objects name it. */
export type PublisherSpec = { kind: 'GitHub'; repository: string; workflow: string; environment?: string } | { kind: 'GitLab'; repository: string; workflow_filepath: string; environment?: string } | { kind: string; [claim: string]: string };

/** PEP 792. A quarantined project's page lists no files, as the spec requires of the index. */
export interface ProjectStatusSpec {
  status: 'active' | 'archived' | 'quarantined' | 'deprecated';
  reason?: string;
}

/**
 * A project whose 1.0 is vulnerable, fixed (its advisory says) in 1.2, which is yanked, and in 1.3,
 * which has an advisory of its own fixed in 1.4; 2.0rc1 is a pre-release. Shared by the
 * vulnerability fix tests (the quick fix, `fix --upgrade-vulnerable`).
 */
export const VULNERABLE_VERSIONS: Readonly<Record<string, VersionSpec>> = {
  '1.0': { vulnerabilities: [{ id: 'PYSEC-2024-1', fixedIn: ['1.2', '1.3'] }] },
  '1.2': { yanked: true },
  '1.3': { vulnerabilities: [{ id: 'PYSEC-2024-2', fixedIn: ['1.4'] }] },
  '1.4': {},
  '2.0rc1': {},
};

export interface IndexFixture {
  projects: { [name: string]: { versions: { [version: string]: VersionSpec }; status?: ProjectStatusSpec } };
}

// ---------------------------------------------------------------------------------------------
// Faults

export type Route = 'simple-project' | 'simple-index' | 'json' | 'files' | 'metadata' | 'provenance' | 'osv';

export type Fault = { latencyMs?: number } & (
  | { kind: 'latency'; ms: number }
  | { kind: 'status'; status: 404 | 401 | 429 | 500 | 503 | number; retryAfter?: string }
  | { kind: 'timeout' }
  | { kind: 'reset' }
  | { kind: 'truncated' }
  | { kind: 'malformed' }
  | { kind: 'wrong-content-type'; contentType?: string }
  | { kind: 'redirect-loop' }
  | { kind: 'redirect-other-host'; location?: string }
  | { kind: 'huge'; bytes: number }
  /** The real answer gzipped (Content-Encoding: gzip); the connection is cut halfway through the body. */
  | { kind: 'gzip-truncated' }
  /** The real answer gzipped, sent one byte every `intervalMs` (default 100 ms). */
  | { kind: 'gzip-drip'; intervalMs?: number }
  /** This body (a hostile page, say) instead of the real answer, with status 200. */
  | { kind: 'body'; body: string | Buffer; contentType?: string }
);

export interface RecordedRequest {
  method: string;
  path: string;
  route: Route | 'other';
  headers: IncomingMessage['headers'];
  /** The status and body bytes sent (not set for faults that write by hand: truncated, gzip, huge). */
  status?: number;
  bytes?: number;
  /** When it arrived, in ms since the epoch (performance.timeOrigin + now): other processes can compare it with their own clocks. */
  receivedAt: number;
  /** '1.1', or '2.0' when a client of the https index chose HTTP/2. */
  httpVersion: string;
  /** The client's port: which connection carried the request. */
  remotePort?: number;
}

/** What the index offers, switched per test (`configure`); all on by default. */
export interface IndexSwitches {
  /** Single HTTP ranges on files (206, 416); off: Range is ignored and the whole file sent (200). */
  ranges: boolean;
  /** PEP 658/714 attributes on pages and the `.metadata` files (off: none on pages, 404 for the files). */
  coreMetadata: boolean;
  /** The JSON API's `info.requires_dist` (off: null, as for a release whose metadata the index does not know). */
  jsonRequiresDist: boolean;
}

export interface TestIndex {
  url: string;
  simpleUrl: string;
  /** OSV's querybatch, answered from the fixture's (not withdrawn) vulnerabilities. */
  osvUrl: string;
  requests: RecordedRequest[];
  /** `route` is a route name or a path prefix (starting with `/`); undefined clears the fault. */
  setFault(route: Route | string, fault: Fault | undefined): void;
  /** The generated file, by file name (for tests that want bytes/hashes directly). */
  file(filename: string): BuiltFile | undefined;
  /** Turns offers on or off for what follows (until changed again). */
  configure(switches: Partial<IndexSwitches>): void;
  close(): Promise<void>;
}

export interface TestIndexOptions {
  /** Fixed port (default: random). */
  port?: number;
  /**
   * Serve https with this certificate (test/support/tls.ts), offering HTTP/2 and HTTP/1.1 in ALPN
   * (node:http2's compatibility API runs the same handler for both).
   */
  tls?: { key: string; cert: string };
}

// ---------------------------------------------------------------------------------------------
// Names

/** PEP 503 normalization. */
export const normalizeName = (name: string) => name.replace(/[-_.]+/g, '-').toLowerCase();
/** Wheel/sdist file-name form of a project name (binary distribution format spec). */
export const distName = (name: string) => normalizeName(name).replace(/-/g, '_');

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const recordHash = (data: Buffer) => 'sha256=' + createHash('sha256').update(data).digest('base64url');

// ---------------------------------------------------------------------------------------------
// Building distributions

export interface BuiltFile {
  project: string; // normalized
  version: string;
  filename: string;
  kind: 'wheel' | 'sdist';
  pythonTag: string;
  body: Buffer;
  sha256: string;
  metadata: Buffer;
  metadataSha256: string;
  uploadTime: string;
  spec: VersionSpec;
  /** PEP 740: who published it, when it has a provenance object. */
  publisher?: PublisherSpec;
}

function metadataText(name: string, version: string, spec: VersionSpec): string {
  const lines = [`Metadata-Version: ${spec.metadataVersion ?? '2.1'}`, `Name: ${name}`, `Version: ${version}`];
  for (const field of spec.dynamic ?? []) lines.push(`Dynamic: ${field}`);
  if (spec.summary !== undefined) lines.push(`Summary: ${spec.summary}`);
  if (spec.requiresPython !== undefined) lines.push(`Requires-Python: ${spec.requiresPython}`);
  for (const extra of spec.providesExtra ?? []) lines.push(`Provides-Extra: ${extra}`);
  for (const req of spec.requiresDist ?? []) lines.push(`Requires-Dist: ${req}`);
  return lines.join('\n') + '\n\n';
}

/** Deterministic bytes that do not compress (xorshift32), so a wheel can be made large. */
function incompressible(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length);
  let x = seed | 1;
  for (let at = 0; at < length; at++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[at] = x & 0xff;
  }
  return bytes;
}

type WheelOptions = { payloadBytes?: number; payloadFiles?: number };

function buildWheel(name: string, version: string, spec: VersionSpec, py: string, abi: string, plat: string, options: WheelOptions = {}) {
  const dist = distName(name);
  const distInfo = `${dist}-${version}.dist-info`;
  const metadata = Buffer.from(metadataText(name, version, spec));
  const tags: string[] = [];
  for (const p of py.split('.')) for (const a of abi.split('.')) for (const t of plat.split('.')) tags.push(`Tag: ${p}-${a}-${t}`);
  const payload: [string, Buffer][] = [];
  if (options.payloadBytes) payload.push([`${dist}/_payload.bin`, incompressible(options.payloadBytes, options.payloadBytes)]);
  for (let i = 0; i < (options.payloadFiles ?? 0); i++) payload.push([`${dist}/data/file_${i}.txt`, Buffer.from(`${i}\n`)]);
  const files: [string, Buffer][] = [
    [`${dist}/__init__.py`, Buffer.from(`__version__ = ${JSON.stringify(version)}\n`)],
    ...payload,
    [`${distInfo}/METADATA`, metadata],
    [`${distInfo}/WHEEL`, Buffer.from(['Wheel-Version: 1.0', 'Generator: reqguard-test-index', `Root-Is-Purelib: ${plat === 'any'}`, ...tags].join('\n') + '\n')],
  ];
  const record =
    files.map(([path, data]) => `${path},${recordHash(data)},${data.length}`).join('\n') + `\n${distInfo}/RECORD,,\n`;
  const entries = [...files, [`${distInfo}/RECORD`, Buffer.from(record)] as [string, Buffer]].map(([path, data]) => ({ path, data, store: path.endsWith('_payload.bin') }));
  return { filename: `${dist}-${version}-${py}-${abi}-${plat}.whl`, body: zip(entries, { deflate: true }), metadata };
}

function buildSdist(name: string, version: string, spec: VersionSpec) {
  const dist = distName(name);
  const root = `${dist}-${version}`;
  const metadata = Buffer.from(metadataText(name, version, spec));
  const toml = (s: string) => JSON.stringify(s);
  const pyproject = [
    '[build-system]',
    'requires = ["setuptools>=61"]',
    'build-backend = "setuptools.build_meta"',
    '',
    '[project]',
    `name = ${toml(name)}`,
    `version = ${toml(version)}`,
    ...(spec.summary !== undefined ? [`description = ${toml(spec.summary)}`] : []),
    ...(spec.requiresPython !== undefined ? [`requires-python = ${toml(spec.requiresPython)}`] : []),
    `dependencies = [${(spec.requiresDist ?? []).map(toml).join(', ')}]`,
    '',
  ].join('\n');
  const entries = [
    { path: `${root}/`, data: '' },
    { path: `${root}/PKG-INFO`, data: metadata },
    { path: `${root}/pyproject.toml`, data: pyproject },
    { path: `${root}/${dist}/`, data: '' },
    { path: `${root}/${dist}/__init__.py`, data: `__version__ = ${JSON.stringify(version)}\n` },
  ];
  return { filename: `${root}.tar.gz`, body: tarGz(entries), metadata };
}

/** PEP 440 order (2.0rc1 < 2.0 < 2.0.post1), as a real index's "latest" is computed. */
function compareVersions(a: string, b: string): number {
  return compare(a, b);
}

interface Project {
  name: string; // as given
  normalized: string;
  status?: ProjectStatusSpec;
  versions: string[]; // sorted ascending
  specs: Map<string, VersionSpec>;
  files: BuiltFile[];
}

/** Every distribution file the fixture describes, without starting a server (for static trees). */
export function buildFixtureFiles(fixture: IndexFixture): BuiltFile[] {
  return [...buildProjects(fixture).values()].flatMap((p) => p.files);
}

function buildProjects(fixture: IndexFixture): Map<string, Project> {
  const projects = new Map<string, Project>();
  for (const [name, { versions, status }] of Object.entries(fixture.projects)) {
    const normalized = normalizeName(name);
    const project: Project = { name, normalized, status, versions: Object.keys(versions).sort(compareVersions), specs: new Map(), files: [] };
    for (const version of project.versions) {
      const spec = versions[version];
      project.specs.set(version, spec);
      for (const f of spec.files ?? ['wheel', 'sdist']) {
        const kind = typeof f === 'string' ? f : f.kind;
        let built;
        let pythonTag = 'source';
        if (kind === 'wheel') {
          const w = typeof f === 'object' && f.kind === 'wheel' ? f : { kind: 'wheel' as const };
          pythonTag = w.pythonTag ?? 'py3';
          built = buildWheel(name, version, spec, pythonTag, w.abiTag ?? 'none', w.platformTag ?? 'any', w);
        } else {
          built = buildSdist(name, version, spec);
        }
        project.files.push({
          project: normalized,
          version,
          kind,
          pythonTag,
          ...built,
          sha256: sha256(built.body),
          metadataSha256: sha256(built.metadata),
          uploadTime: spec.uploadTime ?? '2024-01-01T00:00:00.000000Z',
          spec,
          publisher: (typeof f === 'object' && f.publisher !== undefined ? f.publisher : spec.publisher) ?? undefined,
        });
      }
    }
    projects.set(normalized, project);
  }
  return projects;
}

/** The yank reason ('' when yanked without one), or false when not yanked. */
export const yankedOf = (spec: VersionSpec): string | false =>
  spec.yanked === undefined || spec.yanked === false ? false : spec.yanked === true ? '' : spec.yanked;

// ---------------------------------------------------------------------------------------------
// Content negotiation

const JSON_TYPE = 'application/vnd.pypi.simple.v1+json';
const HTML_TYPE = 'application/vnd.pypi.simple.v1+html';
const TEXT_HTML = 'text/html';
const OFFERED = [TEXT_HTML, HTML_TYPE, JSON_TYPE]; // server preference on ties between wildcards

/** Picks the served type for an Accept header (undefined: 406). No header → text/html, as PyPI. */
export function negotiate(accept: string | undefined): string | undefined {
  if (accept === undefined || accept.trim() === '') return TEXT_HTML;
  const ranges = accept.split(',').map((part, position) => {
    const [type, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    let q = 1;
    for (const p of params) {
      const m = /^q=([0-9.]+)$/.exec(p);
      if (m) q = Number(m[1]);
    }
    const latest = type.replace('.latest+', '.v1+');
    return { type: latest, q: Number.isFinite(q) ? q : 0, position };
  });
  let best: { type: string; q: number; specificity: number; position: number } | undefined;
  for (const offered of OFFERED) {
    const [major] = offered.split('/');
    let match: { q: number; specificity: number; position: number } | undefined;
    for (const r of ranges) {
      const specificity = r.type === offered ? 2 : r.type === `${major}/*` ? 1 : r.type === '*/*' ? 0 : -1;
      if (specificity < 0) continue;
      if (!match || specificity > match.specificity) match = { q: r.q, specificity, position: r.position };
    }
    if (!match || match.q <= 0) continue;
    const better =
      !best ||
      match.q > best.q ||
      (match.q === best.q && match.specificity > best.specificity) ||
      (match.q === best.q && match.specificity === best.specificity && match.specificity === 2 && match.position < best.position);
    if (better) best = { type: offered, ...match };
  }
  return best?.type;
}

// ---------------------------------------------------------------------------------------------
// Server

/** Escapes text and attribute values for HTML (PEP 503 pages). */
export const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;');

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

function classify(path: string): Route | 'other' {
  if (path === '/simple/' || path === '/simple') return 'simple-index';
  if (path.startsWith('/integrity/')) return 'provenance';
  if (path === '/osv/v1/querybatch') return 'osv';
  if (path.startsWith('/simple/')) return 'simple-project';
  if (path.startsWith('/pypi/')) return 'json';
  if (path.startsWith('/files/')) return path.endsWith('.metadata') ? 'metadata' : 'files';
  return 'other';
}

export async function startTestIndex(fixture: IndexFixture, options: TestIndexOptions = {}): Promise<TestIndex> {
  const projects = buildProjects(fixture);
  const filesByPath = new Map<string, BuiltFile>();
  for (const p of projects.values()) for (const f of p.files) filesByPath.set(`/files/${p.normalized}/${f.filename}`, f);
  const byName = new Map<string, BuiltFile>();
  for (const f of filesByPath.values()) byName.set(f.filename, f);
  const faults = new Map<string, Fault>();
  const requests: RecordedRequest[] = [];
  const switches: IndexSwitches = { ranges: true, coreMetadata: true, jsonRequiresDist: true };
  let port = 0;

  const fileUrl = (f: BuiltFile) => `/files/${f.project}/${f.filename}`;

  function simpleIndex(type: string): Reply {
    const names = [...projects.values()].map((p) => p.name).sort();
    if (type === JSON_TYPE) {
      const body = { meta: { 'api-version': '1.1' }, projects: names.map((name) => ({ name })) };
      return { status: 200, headers: { 'content-type': JSON_TYPE }, body: Buffer.from(JSON.stringify(body)) };
    }
    const html =
      '<!DOCTYPE html>\n<html>\n  <head>\n    <meta name="pypi:repository-version" content="1.1">\n    <title>Simple index</title>\n  </head>\n  <body>\n' +
      names.map((n) => `    <a href="/simple/${normalizeName(n)}/">${escapeHtml(n)}</a>\n`).join('') +
      '  </body>\n</html>\n';
    return { status: 200, headers: { 'content-type': type === TEXT_HTML ? 'text/html; charset=utf-8' : type }, body: Buffer.from(html) };
  }

  /** A quarantined project's distributions are offered nowhere (PEP 792). */
  const quarantined = (normalized: string) => projects.get(normalized)?.status?.status === 'quarantined';
  /** What the project page lists: nothing of a quarantined project. */
  const offered = (project: Project) => (project.status?.status === 'quarantined' ? { versions: [], files: [] } : project);
  const provenanceUrl = (f: BuiltFile) => `/integrity/${f.project}/${f.version}/${f.filename}/provenance`;

  function simpleProject(project: Project, type: string): Reply {
    const { versions, files } = offered(project);
    const status = project.status;
    // Simple API 1.4 carries the project status (PEP 792).
    const apiVersion = status ? '1.4' : '1.1';
    if (type === JSON_TYPE) {
      const body = {
        meta: { 'api-version': apiVersion },
        name: project.normalized,
        versions,
        ...(status ? { 'project-status': { status: status.status, ...(status.reason !== undefined ? { reason: status.reason } : {}) } } : {}),
        files: files.map((f) => {
          const yanked = yankedOf(f.spec);
          return {
            filename: f.filename,
            url: fileUrl(f),
            hashes: { sha256: f.sha256 },
            ...(f.spec.requiresPython !== undefined ? { 'requires-python': f.spec.requiresPython } : {}),
            ...(switches.coreMetadata
              ? { 'core-metadata': { sha256: f.metadataSha256 }, 'dist-info-metadata': { sha256: f.metadataSha256 }, 'data-dist-info-metadata': { sha256: f.metadataSha256 } }
              : {}),
            yanked: yanked === false ? false : yanked === '' ? true : yanked,
            size: f.body.length,
            'upload-time': f.uploadTime,
            ...(f.publisher ? { provenance: `http://127.0.0.1:${port}${provenanceUrl(f)}` } : {}),
          };
        }),
      };
      return { status: 200, headers: { 'content-type': JSON_TYPE }, body: Buffer.from(JSON.stringify(body)) };
    }
    const anchors = files.map((f) => {
      const attrs = [`href="${escapeHtml(`${fileUrl(f)}#sha256=${f.sha256}`)}"`];
      if (f.publisher) attrs.push(`data-provenance="${escapeHtml(provenanceUrl(f))}"`);
      if (f.spec.requiresPython !== undefined) attrs.push(`data-requires-python="${escapeHtml(f.spec.requiresPython)}"`);
      const yanked = yankedOf(f.spec);
      if (yanked !== false) attrs.push(`data-yanked="${escapeHtml(yanked)}"`);
      if (switches.coreMetadata) attrs.push(`data-dist-info-metadata="sha256=${f.metadataSha256}"`, `data-core-metadata="sha256=${f.metadataSha256}"`);
      return `    <a ${attrs.join(' ')}>${escapeHtml(f.filename)}</a><br />\n`;
    });
    const statusMeta = status
      ? `    <meta name="pypi:project-status" content="${escapeHtml(status.status)}">\n` +
        (status.reason !== undefined ? `    <meta name="pypi:project-status-reason" content="${escapeHtml(status.reason)}">\n` : '')
      : '';
    const html =
      `<!DOCTYPE html>\n<html>\n  <head>\n    <meta name="pypi:repository-version" content="${apiVersion}">\n${statusMeta}    <title>Links for ${escapeHtml(project.name)}</title>\n  </head>\n  <body>\n    <h1>Links for ${escapeHtml(project.name)}</h1>\n` +
      anchors.join('') +
      '  </body>\n</html>\n';
    return { status: 200, headers: { 'content-type': type === TEXT_HTML ? 'text/html; charset=utf-8' : type }, body: Buffer.from(html) };
  }

  function jsonUrls(project: Project, version: string) {
    return project.files
      .filter((f) => f.version === version)
      .map((f) => {
        const yanked = yankedOf(f.spec);
        return {
          comment_text: '',
          digests: { sha256: f.sha256, md5: createHash('md5').update(f.body).digest('hex'), blake2b_256: createHash('blake2b512').update(f.body).digest('hex').slice(0, 64) },
          downloads: -1,
          filename: f.filename,
          has_sig: false,
          md5_digest: createHash('md5').update(f.body).digest('hex'),
          packagetype: f.kind === 'wheel' ? 'bdist_wheel' : 'sdist',
          python_version: f.pythonTag,
          requires_python: f.spec.requiresPython ?? null,
          size: f.body.length,
          upload_time: f.uploadTime.replace(/\.\d+Z$|Z$/, ''),
          upload_time_iso_8601: f.uploadTime,
          url: `http://127.0.0.1:${port}${fileUrl(f)}`,
          yanked: yanked !== false,
          yanked_reason: yanked === false || yanked === '' ? null : yanked,
        };
      });
  }

  function jsonApi(project: Project, version: string | undefined): Reply {
    const chosen =
      version ?? [...project.versions].reverse().find((v) => yankedOf(project.specs.get(v)!) === false) ?? project.versions[project.versions.length - 1];
    const spec = project.specs.get(chosen);
    if (!spec) return notFound();
    const yanked = yankedOf(spec);
    const info = {
      name: project.name,
      version: chosen,
      summary: spec.summary ?? null,
      requires_dist: switches.jsonRequiresDist ? (spec.requiresDist ?? null) : null,
      provides_extra: spec.providesExtra ?? null,
      requires_python: spec.requiresPython ?? null,
      yanked: yanked !== false,
      yanked_reason: yanked === false || yanked === '' ? null : yanked,
      package_url: `http://127.0.0.1:${port}/project/${project.normalized}/`,
      project_url: `http://127.0.0.1:${port}/project/${project.normalized}/`,
      release_url: `http://127.0.0.1:${port}/project/${project.normalized}/${chosen}/`,
    };
    const body: Record<string, unknown> = {
      info,
      last_serial: 1,
      urls: jsonUrls(project, chosen),
      vulnerabilities: (spec.vulnerabilities ?? []).map((v) => ({
        id: v.id,
        aliases: v.aliases ?? [],
        summary: v.summary ?? null,
        details: v.summary ?? '',
        fixed_in: v.fixedIn ?? [],
        link: `https://osv.dev/vulnerability/${v.id}`,
        source: 'osv',
        withdrawn: v.withdrawn ?? null,
      })),
    };
    if (version === undefined) body.releases = Object.fromEntries(project.versions.map((v) => [v, jsonUrls(project, v)]));
    return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(body)) };
  }

  const notFound = (): Reply => ({ status: 404, headers: { 'content-type': 'text/plain' }, body: Buffer.from('404 Not Found\n') });
  const redirect = (location: string, status = 301): Reply => ({ status, headers: { location, 'content-type': 'text/plain' }, body: Buffer.from(`Redirecting to ${location}\n`) });

  function withEtag(req: IncomingMessage, reply: Reply): Reply {
    const etag = `"${sha256(Buffer.concat([Buffer.from(reply.headers['content-type'] + '\n'), reply.body])).slice(0, 32)}"`;
    const headers: Record<string, string> = { ...reply.headers, etag };
    const inm = req.headers['if-none-match'];
    if (inm) {
      const tags = inm.split(',').map((t) => t.trim().replace(/^W\//, ''));
      if (tags.includes('*') || tags.includes(etag)) return { status: 304, headers: { etag, vary: headers.vary ?? '' }, body: Buffer.alloc(0) };
    }
    return { ...reply, headers };
  }

  /** PEP 740's provenance object for a file (the Integrity API); the attestations are shaped, not signed. */
  function provenance(path: string): Reply {
    const m = /^\/integrity\/([^/]+)\/([^/]+)\/([^/]+)\/provenance$/.exec(path);
    const f = m ? byName.get(decodeURIComponent(m[3])) : undefined;
    if (!m || !f || f.project !== m[1] || f.version !== decodeURIComponent(m[2]) || !f.publisher) return notFound();
    const attestation = {
      version: 1,
      verification_material: { certificate: Buffer.from(`test certificate for ${f.filename}`).toString('base64'), transparency_entries: [] },
      envelope: { statement: Buffer.from(JSON.stringify({ subject: [{ name: f.filename, digest: { sha256: f.sha256 } }] })).toString('base64'), signature: 'dGVzdA==' },
    };
    const body = { version: 1, attestation_bundles: [{ publisher: f.publisher, attestations: [attestation] }] };
    return { status: 200, headers: { 'content-type': 'application/vnd.pypi.integrity.v1+json' }, body: Buffer.from(JSON.stringify(body)) };
  }

  /** OSV's querybatch over the fixture: the ids of each release's advisories that are not withdrawn. */
  function osv(body: string): Reply {
    let queries: { package?: { name?: string; ecosystem?: string }; version?: string }[];
    try {
      queries = (JSON.parse(body) as { queries: typeof queries }).queries;
      if (!Array.isArray(queries)) throw new Error('no queries');
    } catch {
      return { status: 400, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"code":3,"message":"Invalid query."}') };
    }
    const results = queries.map((query) => {
      const project = query.package?.ecosystem === 'PyPI' && query.package.name ? projects.get(normalizeName(query.package.name)) : undefined;
      const spec = project && query.version !== undefined ? project.specs.get(query.version) : undefined;
      const vulns = (spec?.vulnerabilities ?? []).filter((v) => !v.withdrawn).map((v) => ({ id: v.id, modified: '2024-01-01T00:00:00Z' }));
      return vulns.length ? { vulns } : {};
    });
    return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ results })) };
  }

  function route(req: IncomingMessage, path: string, body: string): Reply {
    const kind = classify(path);
    if (kind === 'provenance') return withEtag(req, provenance(path));
    if (kind === 'osv') return req.method === 'POST' ? osv(body) : { status: 405, headers: { 'content-type': 'text/plain' }, body: Buffer.from('405 Method Not Allowed\n') };
    if (kind === 'simple-index' || kind === 'simple-project') {
      if (kind === 'simple-index' && path === '/simple') return redirect('/simple/');
      let reply: Reply;
      if (kind === 'simple-project') {
        const raw = decodeURIComponent(path.slice('/simple/'.length).replace(/\/$/, ''));
        const project = projects.get(normalizeName(raw));
        if (!project || raw.includes('/')) return notFound();
        if (path !== `/simple/${project.normalized}/`) return redirect(`/simple/${project.normalized}/`);
        const type = negotiate(req.headers.accept);
        if (!type) return { status: 406, headers: { 'content-type': 'text/plain', vary: 'Accept' }, body: Buffer.from('406 Not Acceptable\n') };
        reply = simpleProject(project, type);
      } else {
        const type = negotiate(req.headers.accept);
        if (!type) return { status: 406, headers: { 'content-type': 'text/plain', vary: 'Accept' }, body: Buffer.from('406 Not Acceptable\n') };
        reply = simpleIndex(type);
      }
      reply.headers.vary = 'Accept';
      return withEtag(req, reply);
    }
    if (kind === 'json') {
      const m = /^\/pypi\/([^/]+)\/(?:([^/]+)\/)?json\/?$/.exec(path);
      const project = m && projects.get(normalizeName(decodeURIComponent(m[1])));
      if (!m || !project || quarantined(project.normalized)) return notFound();
      return withEtag(req, jsonApi(project, m[2] === undefined ? undefined : decodeURIComponent(m[2])));
    }
    if (kind === 'metadata') {
      const f = filesByPath.get(path.slice(0, -'.metadata'.length));
      if (!f || !switches.coreMetadata || quarantined(f.project)) return notFound();
      return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: f.metadata };
    }
    if (kind === 'files') {
      const f = filesByPath.get(path);
      if (!f || quarantined(f.project)) return notFound();
      return withEtag(req, { status: 200, headers: { 'content-type': f.kind === 'wheel' ? 'application/zip' : 'application/x-tar' }, body: f.body });
    }
    return notFound();
  }

  function faultFor(path: string, kind: Route | 'other'): Fault | undefined {
    if (kind !== 'other' && faults.has(kind)) return faults.get(kind);
    let best: string | undefined;
    for (const key of faults.keys()) if (key.startsWith('/') && path.startsWith(key) && (!best || key.length > best.length)) best = key;
    return best === undefined ? undefined : faults.get(best);
  }

  function send(res: ServerResponse, reply: Reply, record?: RecordedRequest) {
    res.writeHead(reply.status, { ...reply.headers, 'content-length': String(reply.body.length) });
    res.end(reply.body);
    if (record) Object.assign(record, { status: reply.status, bytes: reply.body.length });
  }

  /**
   * One `Range: bytes=…` on a file (first-last, first-, -suffix): 206 with that slice, 416 past the
   * end; several ranges, or a header that is not one, get the whole file (200), as RFC 9110 allows.
   */
  function applyRange(req: IncomingMessage, reply: Reply): Reply {
    if (!switches.ranges || reply.status !== 200) return reply;
    const headers = { ...reply.headers, 'accept-ranges': 'bytes' };
    const match = /^bytes=(\d*)-(\d*)$/.exec(String(req.headers.range ?? '').trim());
    if (!match || (match[1] === '' && match[2] === '')) return { ...reply, headers };
    const size = reply.body.length;
    let start: number;
    let end: number;
    if (match[1] === '') {
      start = Math.max(0, size - Number(match[2]));
      end = size - 1;
      if (Number(match[2]) === 0) start = size;
    } else {
      start = Number(match[1]);
      end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
      if (match[2] !== '' && Number(match[2]) < start) return { ...reply, headers };
    }
    if (start >= size) return { status: 416, headers: { 'content-type': 'text/plain', 'content-range': `bytes */${size}` }, body: Buffer.from('416 Range Not Satisfiable\n') };
    return { status: 206, headers: { ...headers, 'content-range': `bytes ${start}-${end}/${size}` }, body: reply.body.subarray(start, end + 1) };
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const kind = classify(path);
    const record: RecordedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', route: kind, headers: { ...req.headers }, receivedAt: performance.timeOrigin + performance.now(), httpVersion: req.httpVersion, remotePort: req.socket.remotePort };
    requests.push(record);
    const body = await readBody(req);
    const fault = faultFor(path, kind);
    if (fault?.latencyMs) await sleep(fault.latencyMs);
    if (fault?.kind === 'latency') await sleep(fault.ms);
    const real = () => route(req, path, body);
    const head = req.method === 'HEAD';
    const finish = (whole: Reply) => {
      const reply = kind === 'files' ? applyRange(req, whole) : whole;
      if (head) {
        res.writeHead(reply.status, { ...reply.headers, 'content-length': String(reply.body.length) });
        res.end();
        Object.assign(record, { status: reply.status, bytes: 0 });
      } else send(res, reply, record);
    };
    switch (fault?.kind) {
      case undefined:
      case 'latency':
        return finish(real());
      case 'status': {
        const headers: Record<string, string> = { 'content-type': 'text/plain' };
        if (fault.status === 429 || fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter ?? '1';
        if (fault.status === 401) headers['www-authenticate'] = 'Basic realm="test-index"';
        return finish({ status: fault.status, headers, body: Buffer.from(`${fault.status} injected\n`) });
      }
      case 'timeout':
        return; // never answer; close() destroys the socket
      case 'reset':
        req.socket.destroy();
        return;
      case 'truncated': {
        const reply = real();
        res.writeHead(reply.status, { ...reply.headers, 'content-length': String(reply.body.length) });
        res.write(reply.body.subarray(0, Math.floor(reply.body.length / 2)));
        // Let the half body reach the client, then cut the connection.
        setTimeout(() => req.socket.destroy(), 20);
        return;
      }
      case 'malformed': {
        const reply = real();
        const body = Buffer.concat([reply.body.subarray(0, Math.floor(reply.body.length / 2)), Buffer.from('\u0000<<garbage{"')]);
        return finish({ ...reply, headers: { ...reply.headers, etag: '"malformed"' }, body });
      }
      case 'wrong-content-type': {
        const reply = real();
        return finish({ ...reply, headers: { ...reply.headers, 'content-type': fault.contentType ?? 'text/plain' } });
      }
      case 'redirect-loop':
        return finish(redirect(req.url ?? path, 302));
      case 'redirect-other-host': {
        const host = (req.headers.host ?? '').split(':')[0];
        const location = fault.location ?? `http://localhost:${port}${req.url ?? path}`;
        // The redirected request (to the other host) is served normally, so clients that follow see content.
        if (!fault.location && host === 'localhost') return finish(real());
        return finish(redirect(location, 302));
      }
      case 'gzip-truncated': {
        const reply = real();
        const gzipped = gzipSync(reply.body);
        res.writeHead(reply.status, { ...reply.headers, 'content-encoding': 'gzip', 'content-length': String(gzipped.length) });
        res.write(gzipped.subarray(0, Math.floor(gzipped.length / 2)));
        setTimeout(() => req.socket.destroy(), 20);
        return;
      }
      case 'gzip-drip': {
        const reply = real();
        const gzipped = gzipSync(reply.body);
        res.writeHead(reply.status, { ...reply.headers, 'content-encoding': 'gzip', 'content-length': String(gzipped.length) });
        let sent = 0;
        const timer = setInterval(() => {
          if (sent >= gzipped.length) {
            clearInterval(timer);
            res.end();
          } else res.write(gzipped.subarray(sent, ++sent));
        }, fault.intervalMs ?? 100);
        res.on('close', () => clearInterval(timer));
        return;
      }
      case 'body': {
        const body = typeof fault.body === 'string' ? Buffer.from(fault.body) : fault.body;
        return finish({ status: 200, headers: { 'content-type': fault.contentType ?? 'text/html; charset=utf-8' }, body });
      }
      case 'huge': {
        const reply = real();
        res.writeHead(200, { 'content-type': reply.headers['content-type'] ?? 'application/octet-stream' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let left = fault.bytes;
        const pump = () => {
          while (left > 0) {
            const n = Math.min(left, chunk.length);
            left -= n;
            if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('close', () => (left = 0));
        pump();
        return;
      }
    }
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) send(res, { status: 500, headers: { 'content-type': 'text/plain' }, body: Buffer.from(String(err)) });
      else res.destroy();
    });
  };
  // HTTP/2's compatibility request and response have what the handler uses; over h2, `req.socket.destroy()` resets the stream.
  const server = options.tls
    ? createSecureServer({ ...options.tls, allowHTTP1: true }, onRequest as unknown as Parameters<typeof createSecureServer>[1])
    : createServer(onRequest);
  // Keep-alive connections (the server under test keeps them open) are ended by close(), not waited for.
  const connections = closable(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/`;

  return {
    url,
    simpleUrl: `${url}simple/`,
    osvUrl: `${url}osv/v1/querybatch`,
    requests,
    setFault(key, fault) {
      if (fault === undefined) faults.delete(key);
      else faults.set(key, fault);
    },
    file: (filename) => byName.get(filename),
    configure(changes) {
      Object.assign(switches, changes);
    },
    close: connections.close,
  };
}
