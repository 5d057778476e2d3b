// The pins' dependencies: packages pip installs for the file that no file of its set names
// (missing-dependency), pins that another pinned release's requirements exclude
// (dependency-conflict), and pins whose dependencies cannot be known (dependencies-unknown). One
// resolution of the whole set (the file, its -r includes, its -c constraints) for the target,
// through the resolver, so markers, extras, Requires-Python and the file pip picks are pip's.
import { parseRequirement } from '../../parser/pep508';
import type { RequirementEntry, RequirementsDocument } from '../../parser/requirementsFile';
import { missingByRequester, resolveFileSet, type MissingPackage } from '../../pip/completeness';
import { pinnedVersion } from '../../pip/projectInfo';
import { specifiersContain } from '../../pip/specifiers';
import { joinWords, type ConflictCause } from '../../pip/resolverExplain';
import type { Finding } from '../diagnostics';
import { type IndexDiagnosticsDeps, MAX_PROJECT_LOOKUPS, shown } from './shared';

/** What a `dependency-conflict` diagnostic carries for its quick fix: the requirements the pinned project must meet. */
export interface ConflictData {
  readonly project: string;
  /** `asgiref>=3.8.1` as the requiring releases state them. */
  readonly requirements: readonly string[];
}

export function isConflictData(data: unknown): data is ConflictData {
  const record = data as Partial<ConflictData> | null;
  return typeof record === 'object' && record !== null && typeof record.project === 'string' && Array.isArray(record.requirements) && record.requirements.every((item) => typeof item === 'string');
}

/** The file's pinned entries, the first one per project. */
function pinnedEntries(document: RequirementsDocument): Map<string, RequirementEntry> {
  const pinned = new Map<string, RequirementEntry>();
  for (const entry of document.entries) {
    if (entry.kind === 'requirement' && !entry.rejected && entry.normalizedName && !entry.url && pinnedVersion(entry) !== undefined && !pinned.has(entry.normalizedName)) pinned.set(entry.normalizedName, entry);
  }
  return pinned;
}

function missingMessage(entry: RequirementEntry, direct: readonly MissingPackage[], deeper: readonly MissingPackage[], hashMode: boolean): string {
  const name = entry.normalizedName!;
  const stated = direct.map((item) => item.requiredBy.find((requester) => requester.name === name)?.requirement ?? item.package.name);
  const more = deeper.length ? `; they need ${joinWords(deeper.map((item) => `${item.package.name} ${item.package.version}`))} in turn` : '';
  const why = hashMode ? 'pip refuses the file in hash-checking mode until every package it installs is pinned with == and hashed' : 'they float to whatever the index offers when pip installs';
  return `${name}==${pinnedVersion(entry)} requires ${joinWords(stated)}, which this file does not pin${more}: ${why}.`;
}

/** Whether `name[extras]specifiers` (a cause's requirement) admits `version`; an unreadable one is taken as failed. */
function requirementAdmits(requirement: string, version: string): boolean {
  const parsed = parseRequirement(requirement);
  return parsed.ok && specifiersContain(parsed.value.specifiers, version, true);
}

function conflictFindings(causes: readonly ConflictCause[], message: string, pinned: ReadonlyMap<string, RequirementEntry>): Finding[] {
  const findings: Finding[] = [];
  const byProject = new Map<string, ConflictCause[]>();
  for (const cause of causes) if (cause.parent) (byProject.get(cause.project) ?? byProject.set(cause.project, []).get(cause.project)!).push(cause);
  for (const [project, required] of byProject) {
    const entry = pinned.get(project);
    const version = entry && pinnedVersion(entry);
    if (!entry || version === undefined) continue;
    // Only the requirements the pin fails: the others are on its side.
    const failed = required.filter((cause) => !requirementAdmits(cause.requirement, version));
    if (failed.length === 0) continue;
    const sides = failed.map((cause) => `${cause.requirement} (required by ${cause.parent!.name} ${cause.parent!.version})`);
    findings.push({
      code: 'dependency-conflict',
      message: `${entry.name}==${pinnedVersion(entry)} does not satisfy ${joinWords(sides)}: pip fails with ResolutionImpossible. ${message}`,
      span: entry.specifiers[0].versionSpan,
      data: { project, requirements: required.map((cause) => cause.requirement) } satisfies ConflictData,
    });
  }
  // The pinned side is elsewhere (an include, a constraint): say it on the pins here that require it.
  if (findings.length === 0) {
    for (const cause of causes) {
      const entry = cause.parent && pinned.get(cause.parent.name);
      if (entry && !findings.some((finding) => finding.span === entry.specifiers[0].versionSpan)) {
        findings.push({ code: 'dependency-conflict', message: `${entry.name}==${pinnedVersion(entry)} requires ${cause.requirement}, which the pins of this file's set exclude: pip fails with ResolutionImpossible. ${message}`, span: entry.specifiers[0].versionSpan });
      }
    }
  }
  return findings;
}

/** Findings on the file's pins about their dependencies; none when the index cannot answer (its outage is reported elsewhere). */
export async function dependencyFindings(document: RequirementsDocument, deps: IndexDiagnosticsDeps): Promise<Finding[]> {
  const set = deps.dependencies;
  const wanted = shown('missing-dependency', deps.settings) || shown('dependency-conflict', deps.settings) || shown('dependencies-unknown', deps.settings);
  if (!set || !wanted) return [];
  const pinned = pinnedEntries(document);
  // The lookup limit's notice already says that a file this large is not checked against the index.
  if (pinned.size === 0 || document.entries.length > MAX_PROJECT_LOOKUPS) return [];
  const result = await resolveFileSet(deps.index, { document, path: set.path, includes: set.includes }, { target: set.target, prereleases: deps.index.effective.prereleases, signal: deps.signal });
  if (result.kind === 'resolved') {
    const findings: Finding[] = [];
    for (const [project, { direct, deeper }] of missingByRequester(result.missing)) {
      const entry = pinned.get(project);
      if (!entry || direct.length === 0) continue;
      findings.push({ code: 'missing-dependency', message: missingMessage(entry, direct, deeper, result.hashMode), span: entry.requirementSpan, ...(result.hashMode ? { severity: 'error' as const } : {}) });
    }
    return findings;
  }
  const { resolution } = result;
  if (resolution.kind === 'conflict') return conflictFindings(resolution.causes, resolution.message, pinned);
  const unknown = resolution.reason === 'step-limit' || (resolution.reason === 'metadata' && resolution.error?.kind === 'not-static');
  if (!unknown) return [];
  const entry = (resolution.project && pinned.get(resolution.project)) || pinned.values().next().value!;
  return [{ code: 'dependencies-unknown', message: `The dependencies of this file's pins are not checked for ${set.target.label}: ${resolution.message}`, span: entry.requirementSpan }];
}
