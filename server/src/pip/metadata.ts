// Core metadata of one distribution file (METADATA / PKG-INFO, or the index's copy of it): what
// the resolver needs to know about a release's dependencies, and pip's rules for reading it.
import { fieldValue, fieldValues, parseCoreMetadata } from '../parser/coreMetadata';
import { canonicalizeName } from '../parser/pep508';
import { pyStrip } from '../parser/pyText';
import { compare, valid } from './versions';

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

/** What a metadata file says, or why it cannot be used. */
export type MetadataReading = { readonly ok: true; readonly metadata: CoreMetadata } | { readonly ok: false; readonly message: string };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A METADATA / PKG-INFO / `.metadata` file as pip reads it: UTF-8 strictly (pip refuses a wheel
 * whose metadata does not decode, and keeps a byte-order mark, which then hides every field), the
 * fields of the email header (parser/coreMetadata), each `Requires-Dist` stripped as pip strips
 * it. `what` names the file in messages ("the METADATA of foo-1.0-py3-none-any.whl").
 */
export function readCoreMetadata(bytes: Uint8Array, what: string): MetadataReading {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, message: `${what} is not UTF-8, so pip cannot read it` };
  }
  const parsed = parseCoreMetadata(text);
  const tooMany = parsed.problems.find((problem) => problem.code === 'too-many-fields');
  if (tooMany) return { ok: false, message: `${what}: ${tooMany.message}` };
  const name = fieldValue(parsed, 'Name');
  const version = fieldValue(parsed, 'Version');
  if (name === undefined || pyStrip(name) === '') return { ok: false, message: `${what} has no Name field` };
  if (version === undefined || pyStrip(version) === '') return { ok: false, message: `${what} has no Version field` };
  const requiresPython = pyStrip(fieldValue(parsed, 'Requires-Python') ?? '');
  return {
    ok: true,
    metadata: {
      metadataVersion: pyStrip(fieldValue(parsed, 'Metadata-Version') ?? ''),
      name: pyStrip(name),
      version: pyStrip(version),
      requiresDist: fieldValues(parsed, 'Requires-Dist').map(pyStrip),
      ...(requiresPython ? { requiresPython } : {}),
      providesExtra: fieldValues(parsed, 'Provides-Extra').map(pyStrip),
      dynamic: fieldValues(parsed, 'Dynamic').map(pyStrip),
    },
  };
}

/**
 * Why metadata does not belong to the file it was read for (pip's MetadataInconsistent: another
 * project's name, or another version, than the file name says), or undefined when it does.
 */
export function metadataMismatch(metadata: CoreMetadata, project: string, version: string | undefined): string | undefined {
  if (canonicalizeName(metadata.name) !== canonicalizeName(project)) return `it names the project ${metadata.name}, not ${project}`;
  if (version !== undefined && !sameVersion(metadata.version, version)) return `it is for version ${metadata.version}, not ${version}`;
  return undefined;
}

function sameVersion(a: string, b: string): boolean {
  return valid(a) && valid(b) ? compare(a, b) === 0 : a === b;
}

/** Fields an sdist's PKG-INFO must not mark Dynamic for its dependencies to be known without a build. */
const DEPENDENCY_FIELDS = ['requires-dist', 'requires-python', 'provides-extra'];

/**
 * Why an sdist's metadata does not tell its dependencies (PEP 643), or undefined when it does:
 * only Metadata-Version 2.2 and later promise that a field not listed in `Dynamic` is what the
 * built wheel will say; before that, and for a field marked Dynamic, only a build tells.
 */
export function sdistDependenciesUnknown(metadata: CoreMetadata): string | undefined {
  const match = /^(\d+)\.(\d+)$/.exec(metadata.metadataVersion);
  const major = match ? Number(match[1]) : 0;
  const minor = match ? Number(match[2]) : 0;
  if (major !== 2 || minor < 2) {
    const stated = metadata.metadataVersion ? `Metadata-Version ${metadata.metadataVersion}` : 'no Metadata-Version';
    return `its PKG-INFO has ${stated}, and only 2.x from 2.2 on says which fields are static`;
  }
  const dynamic = metadata.dynamic.find((field) => DEPENDENCY_FIELDS.includes(field.toLowerCase()));
  return dynamic === undefined ? undefined : `its PKG-INFO marks ${dynamic} as Dynamic`;
}
