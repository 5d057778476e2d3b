// What the index says about a pin or a range: unknown or empty versions, no matching release,
// yanked, a target that cannot install it (requires-python, no compatible file) and newer releases.
import type { ProjectData } from '../../index/packageIndex';
import type { RequirementEntry } from '../../parser/requirementsFile';
import type { TargetEnvironment } from '../../pip/environment';
import { type ProjectInfo, specifierText } from '../../pip/projectInfo';
import { type InstallProblem, type Release, describeProblem, firstRefusal, installableOnAll, installProblem, latestReleases, pickRelease } from '../../pip/releases';
import { describeTargets, entryTargets } from '../../pip/targets';
import { compare, validRange } from '../../pip/versions';
import type { Finding } from '../diagnostics';
import { type PinnedCheck, complete } from './shared';

export function newestVersions(releases: readonly Release[]): string {
  const installable = releases.filter((release) => !release.yanked && release.files.length > 0).slice(0, 3);
  return installable.length ? `the newest ${installable.length === 1 ? 'is' : 'are'} ${installable.map((r) => r.version).join(', ')}` : 'it has no installable release';
}

export function unknownVersionMessage(name: string, pin: string, listed: Release | undefined, releases: readonly Release[]): string {
  const what = listed ? `${name} ${pin} is listed on the index but has no files to install` : `${name} has no version ${pin} on the index`;
  return `${what}: ${newestVersions(releases)}. pip will fail to install this file.`;
}

/** What a range check reads of a requirement: a requirements-file entry, or a manifest's requirement placed in its document. */
export type RangeRequirement = Pick<RequirementEntry, 'name' | 'nameSpan' | 'specifiers' | 'specifierSpan' | 'marker'>;

/** An entry with a range (or none): does any release satisfy it, and one every target can install? */
export function rangeFindings(entry: RangeRequirement, info: ProjectInfo, data: ProjectData, targets: readonly TargetEnvironment[], allowPrereleases: boolean): Finding[] {
  const specifier = specifierText(entry);
  // An unreadable specifier matches nothing here but is the syntax check's to report.
  if (specifier && !validRange(specifier)) return [];
  const span = entry.specifierSpan ?? entry.nameSpan!;
  const label = `${entry.name}${specifier}`;
  const match = pickRelease(info.releases, { specifier, allowPrereleases });
  if (!match) {
    if (!complete(data)) return [];
    // pip passes over yanked releases unless a pin names them: say when only those would do.
    const yankedMatch = pickRelease(info.releases.map((release) => ({ ...release, yanked: false })), { specifier, allowPrereleases });
    const why = yankedMatch ? `only yanked releases (such as ${yankedMatch.version}) satisfy it, and pip skips them unless pinned with ==` : newestVersions(info.releases);
    return [{ code: 'no-matching-version', message: `No release of ${entry.name} satisfies '${label}': ${why}. pip will fail to install this file.`, span }];
  }
  const checked = entryTargets(entry, targets);
  if (pickRelease(info.releases, { specifier, targets: checked, allowPrereleases })) return [];
  // The target that no release in the range suits, else (each is suited by another release) all of them.
  const alone = checked.find((target) => !pickRelease(info.releases, { specifier, targets: [target], allowPrereleases }));
  const refusal = firstRefusal(match, alone ? [alone] : checked);
  if (!refusal) return [];
  const where = alone ? describeTargets([alone]) : `all of ${describeTargets(checked)} at once`;
  return [{ code: refusal.problem.kind, message: `No release satisfying '${label}' can be installed on ${where}: ${match.version} ${describeProblem(refusal.problem)}.`, span }];
}

/** What the pinned release itself says: yanked, a target that cannot install it, newer releases. */
export function pinFindings({ entry, release, info, span, label }: Pick<PinnedCheck, 'release' | 'info' | 'span' | 'label'> & { readonly entry: { readonly marker?: unknown } }, targets: readonly TargetEnvironment[]): Finding[] {
  const findings: Finding[] = [];
  if (release.yanked) {
    findings.push({
      code: 'yanked',
      message: `${label} was yanked from the index (${release.yankedReason ? `reason: ${release.yankedReason}` : 'no reason given'}). pip still installs a pinned yanked release, with a warning; pin another version.`,
      span,
    });
  }
  const checked = entryTargets(entry, targets);
  // What pip could install instead: the newest release every target can install.
  const newest = latestReleases(info.releases.filter((r) => r.files.length > 0 && installableOnAll(r, checked))).final;
  // One finding per kind of problem, naming every target it refuses.
  const refused = new Map<string, { problem: InstallProblem; targets: TargetEnvironment[] }>();
  for (const target of checked) {
    const problem = installProblem(release, target, { pinned: true });
    if (!problem) continue;
    const key = JSON.stringify(problem);
    const same = refused.get(key);
    if (same) same.targets.push(target);
    else refused.set(key, { problem, targets: [target] });
  }
  for (const { problem, targets: refusedTargets } of refused.values()) {
    const instead = newest ? `The newest release for ${describeTargets(checked)} is ${newest.version}.` : `No release suits ${describeTargets(checked)}.`;
    findings.push({ code: problem.kind, message: `${label} ${describeProblem(problem, describeTargets(refusedTargets))}: pip will not install it there. ${instead}`, span });
  }
  if (newest && compare(newest.version, release.version) > 0) {
    findings.push({ code: 'outdated', message: `${label} is not the newest release: ${newest.version} is available${checked.length ? ` for ${describeTargets(checked)}` : ''}.`, span });
  }
  return findings;
}
