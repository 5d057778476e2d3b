// A ResolverIndex for tests whose METADATA comes straight from the fixture that built the test
// index's files, while project pages go through the real index layer (IndexClient/openIndex).
// It stands in for `PackageIndex.metadata` (PEP 658, JSON API, range requests…), which is being
// built in parallel: once merged, the integrator swaps the real one in and deletes this file.
import { indexError } from '../../server/src/index/errors';
import type { IndexedFile, PackageIndex } from '../../server/src/index/packageIndex';
import type { DistributionMetadata } from '../../server/src/pip/metadata';
import type { ResolverIndex } from '../../server/src/pip/resolver';
import { fixtureCoreMetadata } from './memoryResolverIndex';
import type { TestIndex } from './testIndex';

export interface FixtureMetadataIndex extends ResolverIndex {
  /** File names whose metadata was asked for, in order (repeats included). */
  readonly metadataReads: string[];
}

/** Pages from `view` (the real index layer over `testIndex`), metadata from `testIndex`'s fixture. */
export function resolverIndexWithFixtureMetadata(view: PackageIndex, testIndex: TestIndex): FixtureMetadataIndex {
  const metadataReads: string[] = [];
  return {
    metadataReads,
    project: (name, signal) => view.project(name, signal),
    async metadata(file: IndexedFile, signal?: AbortSignal) {
      metadataReads.push(file.filename);
      if (signal?.aborted) return { ok: false, error: indexError('cancelled', file.url, 'cancelled') };
      const built = testIndex.file(file.filename);
      if (!built) return { ok: false, error: indexError('not-found', file.url, `${file.filename} is not a file of the test index`) };
      const value: DistributionMetadata = { source: 'core-metadata', metadata: fixtureCoreMetadata(built.project, built.version, built.spec) };
      return { ok: true, value };
    },
  };
}
