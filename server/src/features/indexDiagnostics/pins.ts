// What the index says about a pin or a range: unknown or empty versions, no matching release,
// yanked, requires-python and newer releases.
import type { ProjectData } from '../../index/packageIndex';
import type { RequirementEntry } from '../../parser/requirementsFile';
import { type ProjectInfo, specifierText } from '../../pip/projectInfo';
import { type Release, latestReleases, pickRelease, supportsPython } from '../../pip/releases';
import { compare, validRange } from '../../pip/versions';
import type { ReqguardSettings } from '../../settings';
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

/** An entry with a range (or none): does any release satisfy it, and one for the target Python? */
export function rangeFindings(entry: RangeRequirement, info: ProjectInfo, data: ProjectData, settings: ReqguardSettings, allowPrereleases: boolean): Finding[] {
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
  const python = targetPython(entry, settings);
  if (python && !pickRelease(info.releases, { specifier, pythonVersion: python, allowPrereleases })) {
    return [{
      code: 'requires-python',
      message: `No release satisfying '${label}' supports Python ${python} (reqguard.pythonVersion): ${match.version} requires Python ${match.requiresPython}.`,
      span,
    }];
  }
  return [];
}

/**
 * The Python to check requires-python against: unset, or for an entry whose marker names Python
 * versions (`; python_version < "3.9"`), none: the line says itself which Pythons it is for.
 */
export function targetPython(entry: Pick<RequirementEntry, 'marker'>, settings: ReqguardSettings): string | undefined {
  return entry.marker && /\bpython_(full_)?version\b/.test(entry.marker.normalized) ? undefined : settings.pythonVersion;
}

/** What the pinned release itself says: yanked, requires-python, newer releases. */
export function pinFindings({ entry, release, info, span, label }: PinnedCheck, settings: ReqguardSettings): Finding[] {
  const findings: Finding[] = [];
  if (release.yanked) {
    findings.push({
      code: 'yanked',
      message: `${label} was yanked from the index (${release.yankedReason ? `reason: ${release.yankedReason}` : 'no reason given'}). pip still installs a pinned yanked release, with a warning; pin another version.`,
      span,
    });
  }
  const python = targetPython(entry, settings);
  // What pip could install instead: releases with files, for the target Python when one is set.
  const installable = info.releases.filter((r) => r.files.length > 0 && supportsPython(r.requiresPython, python));
  const newest = latestReleases(installable).final;
  if (python && !supportsPython(release.requiresPython, python)) {
    findings.push({
      code: 'requires-python',
      message: `${label} requires Python ${release.requiresPython}, not ${python} (reqguard.pythonVersion): pip will not install it there. ${newest ? `The newest release for Python ${python} is ${newest.version}.` : `No release supports Python ${python}.`}`,
      span,
    });
  }
  if (newest && compare(newest.version, release.version) > 0) {
    findings.push({ code: 'outdated', message: `${label} is not the newest release: ${newest.version} is available${python ? ` for Python ${python}` : ''}.`, span });
  }
  return findings;
}
