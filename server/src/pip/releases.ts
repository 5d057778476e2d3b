// Releases of a project as features need them: grouped files, yanked state (PEP 592: a release is
// yanked when all its files are), requires-python, dates; and pip's choice of version for a
// specifier. Pure, PEP 440 throughout (@renovatebot/pep440; see the README for why not semver).
import { clean, compare, explain, filter, satisfies, valid } from './versions';
import type { ProjectDetails } from '../index/jsonApi';
import type { IndexedFile, ProjectData } from '../index/packageIndex';

export interface Release {
  readonly version: string;
  readonly files: readonly IndexedFile[];
  readonly yanked: boolean;
  readonly yankedReason?: string;
  readonly requiresPython?: string;
  /** Earliest upload time of its files (or the JSON API's release date), ISO 8601. */
  readonly uploadTime?: string;
  readonly prerelease: boolean;
}

export function isPrerelease(version: string): boolean {
  const parsed = explain(version);
  return parsed ? parsed.is_prerelease : false;
}

/** Every release with at least one file (or listed by PEP 700 `versions`), newest first. */
export function releasesOf(project: ProjectData, details?: ProjectDetails): Release[] {
  // Keyed by the normalized version: a file named 2.0.0-RC1 belongs to the release 2.0.0rc1.
  const byVersion = new Map<string, IndexedFile[]>();
  const filesOf = (version: string) => {
    const key = clean(version) ?? version;
    return byVersion.get(key) ?? byVersion.set(key, []).get(key)!;
  };
  for (const version of project.versions) filesOf(version);
  for (const file of project.files) if (file.version) filesOf(file.version).push(file);
  const releases: Release[] = [];
  for (const [version, files] of byVersion) {
    if (!valid(version)) continue;
    const yanked = files.length > 0 && files.every((file) => file.yanked);
    const times = files.map((file) => file.uploadTime).filter((time): time is string => !!time).sort();
    releases.push({
      version,
      files,
      yanked,
      yankedReason: yanked ? files.find((file) => file.yankedReason)?.yankedReason : undefined,
      requiresPython: files.find((file) => file.requiresPython)?.requiresPython,
      uploadTime: times[0] ?? details?.releaseDates[version],
      prerelease: isPrerelease(version),
    });
  }
  return releases.sort((a, b) => compare(b.version, a.version));
}

/** Whether `requiresPython` admits the target Python (no constraint, or an unreadable one, admits). */
export function supportsPython(requiresPython: string | undefined, pythonVersion: string | undefined): boolean {
  if (!requiresPython || !pythonVersion) return true;
  try {
    return satisfies(pythonVersion, requiresPython, { prereleases: true });
  } catch {
    return true;
  }
}

export interface PinOptions {
  /** The specifier as written (`>=1.0,<2`), '' for none. */
  readonly specifier: string;
  /** The target Python (`3.11`), to skip releases whose requires-python refuses it. */
  readonly pythonVersion?: string;
  /** pip --pre. */
  readonly allowPrereleases?: boolean;
  /** A cooldown (ms since the epoch): only releases uploaded before then, as pip's --uploaded-prior-to. */
  readonly uploadedBefore?: number;
}

/**
 * Whether a release was uploaded before `uploadedBefore` (no cooldown: always). pip's
 * --uploaded-prior-to keeps a file only when its upload time is known and earlier; a release's
 * time is its earliest file's, so this is "some file of it is old enough".
 */
export function oldEnough(release: Release, uploadedBefore: number | undefined): boolean {
  return uploadedBefore === undefined || (release.uploadTime !== undefined && Date.parse(release.uploadTime) < uploadedBefore);
}

/**
 * The release pip would pick: the newest non-yanked one satisfying the specifier and the target
 * Python; pre-releases only when allowed, named by the specifier, or when nothing else satisfies
 * (packaging's rule, which pip uses).
 */
export function pickRelease(releases: readonly Release[], options: PinOptions): Release | undefined {
  const candidates = releases.filter((release) => !release.yanked && release.files.length > 0 && supportsPython(release.requiresPython, options.pythonVersion) && oldEnough(release, options.uploadedBefore));
  const versions = candidates.map((release) => release.version);
  let matching: string[];
  try {
    matching = filter(versions, options.specifier, options.allowPrereleases ? { prereleases: true } : {});
  } catch {
    return undefined;
  }
  if (matching.length === 0) return undefined;
  const best = matching.sort((a, b) => compare(b, a))[0];
  return candidates.find((release) => release.version === best);
}

/** Newest final and newest pre-release (when newer than the final), for hovers. */
export function latestReleases(releases: readonly Release[]): { final?: Release; prerelease?: Release } {
  const final = releases.find((release) => !release.prerelease && !release.yanked);
  const prerelease = releases.find((release) => release.prerelease && !release.yanked);
  return { final, prerelease: prerelease && (!final || compare(prerelease.version, final.version) > 0) ? prerelease : undefined };
}

/** The release a pin names (`==1.0` matches `1.0.0` too, as PEP 440 equality does). */
export function releaseFor(releases: readonly Release[], pinned: string): Release | undefined {
  return releases.find((release) => release.version === pinned) ?? releases.find((release) => valid(pinned) && compare(release.version, pinned) === 0);
}

/** The files to hash for a pin: every non-yanked file (all of them when the release itself is yanked). */
export function filesToHash(release: Release): readonly IndexedFile[] {
  const live = release.files.filter((file) => !file.yanked);
  return live.length ? live : release.files;
}

/** `2024-01-31` from an ISO 8601 time. */
export function dayOf(time: string | undefined): string | undefined {
  return time ? /^\d{4}-\d{2}-\d{2}/.exec(time)?.[0] : undefined;
}
