// Diagnostics that need the package index: projects and versions that do not exist, yanked
// releases, hashes that match no file, known vulnerabilities, releases a target cannot install
// (requires-python, no compatible file) and newer releases.
// Every project is loaded once, all in parallel; an index that fails yields nothing here (the
// outage is reported once, elsewhere), and only a definite "not found" is said to be one. One
// module per concern: projects, pins, hashes, vulnerabilities, suggestions.
import type { Diagnostic } from 'vscode-languageserver-types';
import { type Declarations, declaredSpan } from '../../parser/declared';
import { canonicalizeName } from '../../parser/pep508';
import type { Span } from '../../parser/types';
import { indexedEntries, pinnedVersion } from '../../pip/projectInfo';
import { releaseFor } from '../../pip/releases';
import { type Finding, toDiagnostics } from '../diagnostics';
import type { AnalyzedDocument } from '../document';
import { hashFindings } from './hashes';
import { pinFindings, rangeFindings, unknownVersionMessage } from './pins';
import { unknownProjects } from './projects';
import { type IndexDiagnosticsDeps, type PinnedCheck, byPlace, complete, definitelyMissing, loadAll, withinLookupLimit } from './shared';
import { osvVulnerabilities, vulnerabilityFindings } from './vulnerabilities';


export { INDEX_DIAGNOSTIC_CODES } from './shared';

/** Index-backed diagnostics of a document, in document order. Never throws; a cancelled run gives none. */
export async function indexDiagnostics(analysis: AnalyzedDocument, deps: IndexDiagnosticsDeps): Promise<Diagnostic[]> {
  try {
    const findings = analysis.family === 'manifest' ? await manifestFindings(analysis.declarations, deps) : await requirementFindings(analysis.parsed.entries, deps);
    if (deps.signal?.aborted) return [];
    return toDiagnostics(analysis.document, findings.sort(byPlace), deps.settings);
  } catch {
    return [];
  }
}


/** A library states ranges, so only names are checked: pins are the application's business. */
async function manifestFindings(declarations: Declarations, deps: IndexDiagnosticsDeps): Promise<Finding[]> {
  const named: { name: string; normalized: string; span: Span }[] = [];
  for (const { string, parsed } of declarations.requirements) {
    if (parsed.ok && !parsed.value.url) named.push({ name: parsed.value.name, normalized: canonicalizeName(parsed.value.name), span: declaredSpan(string, parsed.value.nameSpan) });
  }
  const { checked, notice } = withinLookupLimit(named, (n) => n);
  const infos = await loadAll(checked.map((n) => n.normalized), deps);
  const unknown = await unknownProjects(checked.filter((n) => definitelyMissing(infos.get(n.normalized)!.data, deps.index)), deps);
  return notice ? [...unknown, notice] : unknown;
}

// ---- requirements files -----------------------------------------------------------------------

async function requirementFindings(all: readonly { kind: string }[], deps: IndexDiagnosticsDeps): Promise<Finding[]> {
  const { checked: entries, notice } = withinLookupLimit(indexedEntries(all), (entry) => ({ normalized: entry.normalizedName!, span: entry.nameSpan! }));
  const infos = await loadAll(entries.map((entry) => entry.normalizedName!), deps);
  const findings: Finding[] = notice ? [notice] : [];
  const missing: { name: string; span: Span }[] = [];
  const pinned: PinnedCheck[] = [];
  for (const entry of entries) {
    const info = infos.get(entry.normalizedName!)!;
    if (!info.data.ok) {
      if (definitelyMissing(info.data, deps.index)) missing.push({ name: entry.name!, span: entry.nameSpan! });
      continue;
    }
    const pin = pinnedVersion(entry);
    if (pin === undefined) {
      findings.push(...rangeFindings(entry, info, info.data.value, deps.targets ?? [], deps.index.effective.prereleases));
      continue;
    }
    const span = entry.specifiers[0].versionSpan;
    const release = releaseFor(info.releases, pin);
    if (!release || release.files.length === 0) {
      if (complete(info.data.value)) findings.push({ code: 'unknown-version', message: unknownVersionMessage(entry.name!, pin, release, info.releases), span });
      continue;
    }
    pinned.push({ entry, info, data: info.data.value, release, span, label: `${entry.name} ${release.version}` });
  }
  const osv = osvVulnerabilities(pinned, deps);
  const [perPin, unknown] = await Promise.all([
    Promise.all(pinned.map(async (check, i) => [
      ...pinFindings(check, deps.targets ?? []),
      ...(await hashFindings(check, deps)),
      ...(await vulnerabilityFindings(check, osv.then((ids) => ids?.[i] ?? []), deps)),
    ])),
    unknownProjects(missing, deps),
  ]);
  return [...findings, ...perPin.flat(), ...unknown];
}
