// Core metadata of one distribution file (METADATA / PKG-INFO, or the index's copy of it): what
// the resolver needs to know about a release's dependencies.

export interface CoreMetadata {
  readonly metadataVersion: string;
  readonly name: string;
  readonly version: string;
  /** `Requires-Dist` values as written (PEP 508, markers included). */
  readonly requiresDist: readonly string[];
  readonly requiresPython?: string;
  /** `Provides-Extra`, as written. */
  readonly providesExtra: readonly string[];
  /** `Dynamic` fields (Metadata-Version 2.2+): for an sdist, those are not known until it is built. */
  readonly dynamic: readonly string[];
}

/** How the metadata was obtained, cheapest first. */
export type MetadataSource = 'core-metadata' | 'json-api' | 'range-request' | 'download' | 'sdist';

export interface DistributionMetadata {
  readonly metadata: CoreMetadata;
  readonly source: MetadataSource;
}
