// PEP 740 provenance objects (what the index's `provenance` URL for a file serves): who published
// the file, per attestation bundle, as the index read it from the Trusted Publisher's identity.
// Only the publishers are read; the attestations' signatures are the index's to verify, and
// reqguard says so rather than claim a verification it did not do. Pure; malformed parts are dropped.
import { parseJson } from './boundedJson';

/** A Trusted Publisher: `GitHub` (repository, workflow, environment), `GitLab` (repository, workflow_filepath), `Google` (email), … */
export interface Publisher {
  readonly kind: string;
  readonly repository?: string;
  readonly workflow?: string;
  readonly environment?: string;
  readonly email?: string;
}

export interface Provenance {
  /** One per attestation bundle, in the index's order. */
  readonly publishers: readonly Publisher[];
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

export function parseProvenance(body: string): { ok: true; provenance: Provenance } | { ok: false; message: string; kind?: 'too-large' } {
  const parsed = parseJson(body);
  if (!parsed.ok) return parsed.kind === 'too-large' ? { ok: false, kind: 'too-large', message: `the provenance: ${parsed.message}` } : { ok: false, message: `the provenance is not JSON (${parsed.message})` };
  const bundles = (parsed.value as { attestation_bundles?: unknown } | null)?.attestation_bundles;
  if (!Array.isArray(bundles)) return { ok: false, message: 'the provenance has no "attestation_bundles"' };
  const publishers: Publisher[] = [];
  for (const bundle of bundles) {
    const publisher = (bundle as { publisher?: Record<string, unknown> } | null)?.publisher;
    const kind = text(publisher?.kind);
    if (!publisher || !kind) continue;
    publishers.push({
      kind,
      repository: text(publisher.repository),
      // GitLab names it workflow_filepath.
      workflow: text(publisher.workflow) ?? text(publisher.workflow_filepath),
      environment: text(publisher.environment),
      email: text(publisher.email),
    });
  }
  return { ok: true, provenance: { publishers } };
}
