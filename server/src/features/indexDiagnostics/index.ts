// Diagnostics that need the package index: projects and versions that do not exist, projects the
// index marks (quarantined, archived, deprecated), yanked releases, hashes that match no file,
// known vulnerabilities, releases a target cannot install (requires-python, no compatible file)
// and newer releases. Every project is loaded once, all in parallel; an index that fails yields
// nothing here (the outage is reported once, elsewhere), and only a definite "not found" is said
// to be one. One module per concern: projects, status, pins, hashes, vulnerabilities, suggestions.
import type { Diagnostic } from 'vscode-languageserver-types';
import { type Declarations, declaredSpan } from '../../parser/declared';
import { canonicalizeName } from '../../parser/pep508';
import type { RequirementsDocument } from '../../parser/requirementsFile';
import type { Span } from '../../parser/types';
import { indexedEntries, pinnedVersion } from '../../pip/projectInfo';
import { releaseFor } from '../../pip/releases';
import { type Finding, toDiagnostics } from '../diagnostics';
import type { AnalyzedDocument } from '../document';
import { dependencyFindings } from './dependencies';
import { hashFindings } from './hashes';
import { lockFindings } from './lock';
import { pinFindings, rangeFindings, unknownVersionMessage, type RangeRequirement } from './pins';
import { unknownProjects } from './projects';
import { type IndexDiagnosticsDeps, type PinnedCheck, byPlace, complete, definitelyMissing, loadAll, severalSources, withinLookupLimit } from './shared';
import { quarantinedOnly, statusFindings } from './status';
import { configuredExtraIndexes, confusionFinding } from './confusion';
import { tooNewFindings } from './cooldown';
import { osvVulnerabilities, vulnerabilityFindings } from './vulnerabilities';


export { INDEX_DIAGNOSTIC_CODES } from './shared';

/** Index-backed diagnostics of a document, in document order. Never throws; a cancelled run gives none. */
export async function indexDiagnostics(analysis: AnalyzedDocument, deps: IndexDiagnosticsDeps): Promise<Diagnostic[]> {
  try {
    const findings =
      analysis.family === 'manifest'
        ? await manifestFindings(analysis.declarations, deps)
        : analysis.family === 'lock'
          ? await lockFindings(analysis.lock, deps)
          : await requirementFindings(analysis.parsed.entries, firstLine(analysis.text), deps, analysis.kind === 'requirements' ? analysis.parsed : undefined);
    if (deps.signal?.aborted) return [];
    return toDiagnostics(analysis.document, findings.sort(byPlace), deps.settings);
  } catch {
    return [];
  }
}


/**
 * A library states ranges, so names and ranges are checked (a project the index does not have, a
 * range no release satisfies): pins and hashes are the application's business.
 */
async function manifestFindings(declarations: Declarations, deps: IndexDiagnosticsDeps): Promise<Finding[]> {
  const named: { normalized: string; span: Span; requirement: RangeRequirement }[] = [];
  for (const { string, parsed } of declarations.requirements) {
    if (!parsed.ok || parsed.value.url) continue;
    const { name, nameSpan, specifiers, specifierSpan, marker } = parsed.value;
    const placed = { name, nameSpan: declaredSpan(string, nameSpan), specifiers, specifierSpan: specifierSpan && declaredSpan(string, specifierSpan), marker };
    named.push({ normalized: canonicalizeName(name), span: placed.nameSpan, requirement: placed });
  }
  const { checked, notice } = withinLookupLimit(named, (n) => n);
  const infos = await loadAll(checked.map((n) => n.normalized), deps);
  const missing = checked.filter((n) => definitelyMissing(infos.get(n.normalized)!.data, deps.index));
  const ranges = checked.flatMap(({ normalized, requirement }) => {
    const info = infos.get(normalized)!;
    // A quarantined project offers no files: its status says all there is to say.
    if (!info.data.ok || quarantinedOnly(info.data.value)) return [];
    // A pin of a release the index has is not judged, yanked or not: pip installs a yanked release a pin names.
    const pin = pinnedVersion(requirement);
    if (pin !== undefined && releaseFor(info.releases, pin)?.files.length) return [];
    return rangeFindings(requirement, info, info.data.value, deps.targets ?? [], deps.index.effective.prereleases);
  });
  const statuses = checked.flatMap(({ normalized, span, requirement }) => {
    const { data } = infos.get(normalized)!;
    return data.ok ? statusFindings(data.value, requirement.name!, span, severalSources(deps.index)) : [];
  });
  const unknown = await unknownProjects(missing.map((n) => ({ name: n.requirement.name!, span: n.span })), deps);
  return [...unknown, ...statuses, ...ranges, ...(notice ? [notice] : [])];
}

// ---- requirements files -----------------------------------------------------------------------

/** The first line, where findings about the whole file's index go. */
function firstLine(text: string): Span {
  const end = text.search(/[\r\n]/);
  return { start: 0, end: end < 0 ? text.length : end };
}

/** `completeSet`: the document whose pins' dependencies are checked (a pip-compile input states ranges, not a complete set). */
async function requirementFindings(all: readonly { kind: string }[], fileSpan: Span, deps: IndexDiagnosticsDeps, completeSet?: RequirementsDocument): Promise<Finding[]> {
  const { checked: entries, notice } = withinLookupLimit(indexedEntries(all), (entry) => ({ normalized: entry.normalizedName!, span: entry.nameSpan! }));
  const infos = await loadAll(entries.map((entry) => entry.normalizedName!), deps);
  const findings: Finding[] = [...configuredExtraIndexes(deps.index.effective, fileSpan), ...(notice ? [notice] : [])];
  const missing: { name: string; span: Span }[] = [];
  const pinned: PinnedCheck[] = [];
  for (const entry of entries) {
    const info = infos.get(entry.normalizedName!)!;
    if (!info.data.ok) {
      if (definitelyMissing(info.data, deps.index)) missing.push({ name: entry.name!, span: entry.nameSpan! });
      continue;
    }
    findings.push(...statusFindings(info.data.value, entry.name!, entry.nameSpan!, severalSources(deps.index)));
    if (quarantinedOnly(info.data.value)) continue;
    const confusion = confusionFinding(entry, info.data.value);
    if (confusion) findings.push(confusion);
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
  const now = (deps.now ?? Date.now)();
  const [perPin, unknown, dependencies] = await Promise.all([
    Promise.all(pinned.map(async (check, i) => [
      ...pinFindings(check, deps.targets ?? []),
      ...tooNewFindings(check, deps.settings, deps.targets ?? [], now, deps.index.effective.prereleases),
      ...(await hashFindings(check, deps)),
      ...(await vulnerabilityFindings(check, osv.then((ids) => ids?.[i] ?? []), deps)),
    ])),
    unknownProjects(missing, deps),
    completeSet ? dependencyFindings(completeSet, deps) : [],
  ]);
  return [...findings, ...perPin.flat(), ...unknown, ...dependencies];
}
