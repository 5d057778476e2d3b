// An in-memory ResolverIndex for unit tests of the resolver: the same declarative fixture as the
// loopback test index (test/support/testIndex.ts), turned into project data and metadata without
// building archives or opening sockets. Counts requests, can delay or fail them, and honours
// AbortSignal as the real index layer does (a `cancelled` error).
import { setTimeout as sleep } from 'node:timers/promises';
import { indexError, type IndexError, type Result } from '../../server/src/index/errors';
import type { IndexedFile, ProjectData } from '../../server/src/index/packageIndex';
import { classifyFilename } from '../../server/src/index/simplePage';
import type { CoreMetadata, DistributionMetadata } from '../../server/src/pip/metadata';
import type { ResolverIndex } from '../../server/src/pip/resolver';
import { distName, normalizeName, yankedOf, type IndexFixture, type VersionSpec } from './testIndex';

export interface MemoryResolverIndex extends ResolverIndex {
  /** Project names asked for, in order. */
  readonly projectRequests: string[];
  /** File names whose metadata was asked for, in order. */
  readonly metadataRequests: string[];
  /** Most requests in flight at once. */
  readonly maxInFlight: () => number;
}

export interface MemoryIndexOptions {
  /** Each request waits this long (ms) first. */
  readonly latencyMs?: number;
  /** A project (normalized name) or file name that fails with this error. */
  readonly failures?: Readonly<Record<string, IndexError['kind']>>;
  /** Metadata that differs from the fixture (by file name): another name or version, a broken Requires-Dist. */
  readonly metadataOverrides?: Readonly<Record<string, Partial<CoreMetadata>>>;
}

const URL_BASE = 'https://index.test/files/';

/** The core metadata the test index writes into a file built from `spec` (its METADATA / PKG-INFO). */
export function fixtureCoreMetadata(name: string, version: string, spec: VersionSpec): CoreMetadata {
  return {
    metadataVersion: '2.1',
    name,
    version,
    requiresDist: spec.requiresDist ?? [],
    requiresPython: spec.requiresPython,
    providesExtra: spec.providesExtra ?? [],
    dynamic: [],
  };
}

function filesOf(name: string, version: string, spec: VersionSpec): IndexedFile[] {
  return (spec.files ?? ['wheel']).map((file) => {
    const kind = typeof file === 'string' ? file : file.kind;
    const wheel: { pythonTag?: string; abiTag?: string; platformTag?: string } = typeof file === 'object' && file.kind === 'wheel' ? file : {};
    const filename =
      kind === 'wheel' ? `${distName(name)}-${version}-${wheel.pythonTag ?? 'py3'}-${wheel.abiTag ?? 'none'}-${wheel.platformTag ?? 'any'}.whl` : `${distName(name)}-${version}.tar.gz`;
    const yanked = yankedOf(spec);
    return {
      filename,
      url: `${URL_BASE}${filename}`,
      hashes: {},
      requiresPython: spec.requiresPython,
      yanked: yanked !== false,
      yankedReason: yanked || undefined,
      coreMetadata: false,
      source: URL_BASE,
      ...classifyFilename(filename, name),
    };
  });
}

/** A ResolverIndex serving `fixture` from memory. */
export function memoryResolverIndex(fixture: IndexFixture, options: MemoryIndexOptions = {}): MemoryResolverIndex {
  const projects = new Map<string, { name: string; versions: Record<string, VersionSpec> }>();
  for (const [name, { versions }] of Object.entries(fixture.projects)) projects.set(normalizeName(name), { name, versions });
  const byFile = new Map<string, { name: string; version: string; spec: VersionSpec }>();
  for (const { name, versions } of projects.values()) for (const [version, spec] of Object.entries(versions)) for (const file of filesOf(name, version, spec)) byFile.set(file.filename, { name, version, spec });

  const projectRequests: string[] = [];
  const metadataRequests: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  async function request<T>(key: string, url: string, signal: AbortSignal | undefined, answer: () => Result<T>): Promise<Result<T>> {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      if (options.latencyMs) await sleep(options.latencyMs, undefined, { signal }).catch(() => undefined);
      if (signal?.aborted) return { ok: false, error: indexError('cancelled', url, 'cancelled') };
      const failure = options.failures?.[key];
      if (failure) return { ok: false, error: indexError(failure, url, `${url} failed (${failure}, injected)`) };
      return answer();
    } finally {
      inFlight--;
    }
  }

  return {
    projectRequests,
    metadataRequests,
    maxInFlight: () => maxInFlight,
    project(name, signal) {
      projectRequests.push(name);
      const url = `https://index.test/simple/${name}/`;
      return request(name, url, signal, (): Result<ProjectData> => {
        const project = projects.get(normalizeName(name));
        if (!project) return { ok: false, error: indexError('not-found', url, `${name} is not on the index`) };
        const files = Object.entries(project.versions).flatMap(([version, spec]) => filesOf(project.name, version, spec));
        return { ok: true, value: { name, files, versions: [], stale: false, freshness: 'fetched', fetchedAt: 0, problems: [], indexes: [], statuses: [] } };
      });
    },
    metadata(file, signal) {
      metadataRequests.push(file.filename);
      return request(file.filename, file.url, signal, (): Result<DistributionMetadata> => {
        const built = byFile.get(file.filename);
        if (!built) return { ok: false, error: indexError('not-found', file.url, `${file.filename} is not on the index`) };
        const metadata = { ...fixtureCoreMetadata(built.name, built.version, built.spec), ...options.metadataOverrides?.[file.filename] };
        return { ok: true, value: { metadata, source: 'core-metadata' } };
      });
    },
  };
}
