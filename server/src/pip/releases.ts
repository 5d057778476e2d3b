// Releases of a project as features need them: grouped files, yanked state (PEP 592: a release is
// yanked when all its files are), requires-python, dates; and pip's choice of version for a
// specifier and the target environments. Pure, PEP 440 throughout (@renovatebot/pep440; see the
// README for why not semver).
import { clean, compare, explain, filter, satisfies, valid } from './versions';
import type { ProjectDetails } from '../index/jsonApi';
import type { IndexedFile, ProjectData } from '../index/packageIndex';
import type { TargetEnvironment } from './environment';
import { requiresPythonVersion, tagSetOf } from './targets';

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

/**
 * The releases worked out per page: the fixer and the resolver both ask for every project of a
 * file. The index hands out one page's files and versions as the same (never changed) arrays on
 * every call, so those arrays are the key; a merge of several sources makes new ones (a miss).
 */
const releasesByFiles = new WeakMap<ProjectData['files'], { readonly versions: ProjectData['versions']; readonly details: ProjectDetails | undefined; readonly releases: readonly Release[] }>();

/** Every release with at least one file (or listed by PEP 700 `versions`), newest first. */
export function releasesOf(project: Pick<ProjectData, 'files' | 'versions'>, details?: ProjectDetails): Release[] {
  const known = releasesByFiles.get(project.files);
  if (known && known.versions === project.versions && known.details === details) return [...known.releases];
  const releases = groupReleases(project, details);
  releasesByFiles.set(project.files, { versions: project.versions, details, releases });
  return [...releases];
}

function groupReleases(project: Pick<ProjectData, 'files' | 'versions'>, details: ProjectDetails | undefined): Release[] {
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

/**
 * Answers of supportsPython: a project's files repeat a handful of Requires-Python strings, and
 * checking one (parsing the specifier) costs about 0.1 ms, which per file of a large project
 * adds up to seconds. Emptied when full.
 */
const supportsCache = new Map<string, boolean>();
const SUPPORTS_CACHE_SIZE = 10_000;

/** Whether `requiresPython` admits the target Python (no constraint, or an unreadable one, admits). */
export function supportsPython(requiresPython: string | undefined, pythonVersion: string | undefined): boolean {
  if (!requiresPython || !pythonVersion) return true;
  const key = `${requiresPython}\0${pythonVersion}`;
  let admits = supportsCache.get(key);
  if (admits === undefined) {
    try {
      admits = satisfies(pythonVersion, requiresPython, { prereleases: true });
    } catch {
      admits = true;
    }
    if (supportsCache.size >= SUPPORTS_CACHE_SIZE) supportsCache.clear();
    supportsCache.set(key, admits);
  }
  return admits;
}

/** Wheel tags a file name may combine (`py2.py3-none-any` is two): past this the target's tags are searched instead. */
const MAX_TAG_COMBINATIONS = 64;

type WheelName = NonNullable<IndexedFile['wheel']>;

/** A wheel's tags, lower-cased (`cp311-cp311-win_amd64`), made once per wheel; undefined past MAX_TAG_COMBINATIONS. */
const wheelTagLists = new WeakMap<WheelName, readonly string[] | undefined>();

function tagsOfWheel(wheel: WheelName): readonly string[] | undefined {
  if (wheelTagLists.has(wheel)) return wheelTagLists.get(wheel);
  const { pythonTags, abiTags, platformTags } = wheel;
  const tags =
    pythonTags.length * abiTags.length * platformTags.length > MAX_TAG_COMBINATIONS
      ? undefined
      : pythonTags.flatMap((python) => abiTags.flatMap((abi) => platformTags.map((platform) => `${python}-${abi}-${platform}`.toLowerCase())));
  wheelTagLists.set(wheel, tags);
  return tags;
}

/** Whether a wheel carries one of the target's tags. */
function wheelFits(wheel: WheelName, tags: ReadonlySet<string>): boolean {
  const own = tagsOfWheel(wheel);
  if (own) return own.some((tag) => tags.has(tag));
  const [pythons, abis, platforms] = [wheel.pythonTags, wheel.abiTags, wheel.platformTags].map((list) => new Set(list.map((tag) => tag.toLowerCase())));
  for (const tag of tags) {
    const [python, abi, platform] = tag.split('-');
    if (pythons.has(python) && abis.has(abi) && platforms.has(platform)) return true;
  }
  return false;
}

/**
 * Whether pip on `target` would take this file: its Requires-Python admits the target's Python,
 * and it is an sdist, or a wheel with one of the target's tags (any wheel when they are unknown).
 * Other files (eggs, installers) pip passes over.
 */
export function fitsTarget<File extends Pick<IndexedFile, 'kind' | 'wheel' | 'requiresPython'>>(file: File, target: TargetEnvironment): boolean {
  if (!supportsPython(file.requiresPython, requiresPythonVersion(target))) return false;
  if (file.kind === 'sdist') return true;
  if (file.kind !== 'wheel' || !file.wheel) return false;
  const tags = tagSetOf(target);
  return !tags || wheelFits(file.wheel, tags);
}

/** Whether pip on `target` finds a file of the release to install (installProblem without the why). */
function installable(release: Release, target: TargetEnvironment, options: { readonly pinned?: boolean }): boolean {
  return release.files.some((file) => (options.pinned || !file.yanked) && fitsTarget(file, target));
}

/** Whether every target can install the release (firstRefusal without the why). */
export function installableOnAll(release: Release, targets: readonly TargetEnvironment[], options: { readonly pinned?: boolean } = {}): boolean {
  return targets.every((target) => installable(release, target, options));
}

/** Why pip on `target` finds nothing to install in a release: what refuses it, in words. */
export type InstallProblem = { readonly kind: 'requires-python'; readonly requiresPython: string } | { readonly kind: 'no-compatible-file'; readonly wheels: readonly string[] };

/**
 * What keeps `target` from installing the release, or undefined when pip there would find a
 * file. The files pip looks at: every file for a pin (`==` takes yanked files too), the
 * non-yanked ones otherwise.
 */
export function installProblem(release: Release, target: TargetEnvironment, options: { readonly pinned?: boolean } = {}): InstallProblem | undefined {
  if (installable(release, target, options)) return undefined;
  const files = options.pinned ? release.files : release.files.filter((file) => !file.yanked);
  const python = requiresPythonVersion(target);
  const refusing = files.find((file) => file.requiresPython && !supportsPython(file.requiresPython, python));
  // Every file refused by Requires-Python: that is the reason; otherwise no file carries the target's tags.
  if (refusing && files.every((file) => !supportsPython(file.requiresPython, python))) return { kind: 'requires-python', requiresPython: refusing.requiresPython! };
  return { kind: 'no-compatible-file', wheels: [...new Set(files.flatMap((file) => file.wheel?.platformTags ?? []))].sort() };
}

/**
 * The problem in words, after the release's name: "requires Python >=3.12, not CPython 3.11",
 * "has no file CPython 3.11 on Linux x86_64 can install (wheels for win_amd64 only)"; `on` names the targets.
 */
export function describeProblem(problem: InstallProblem, on?: string): string {
  if (problem.kind === 'requires-python') return `requires Python ${problem.requiresPython}${on ? `, not ${on}` : ''}`;
  const wheels = problem.wheels.length > 3 ? `${problem.wheels.slice(0, 3).join(', ')} and ${problem.wheels.length - 3} more` : problem.wheels.join(', ');
  return `has no file ${on ?? 'it'} can install (${wheels ? `wheels for ${wheels} only` : 'no wheel or sdist'})`;
}

/** The first target that cannot install the release, with why; undefined when every one can. */
export function firstRefusal(release: Release, targets: readonly TargetEnvironment[], options: { readonly pinned?: boolean } = {}): { readonly target: TargetEnvironment; readonly problem: InstallProblem } | undefined {
  for (const target of targets) {
    const problem = installProblem(release, target, options);
    if (problem) return { target, problem };
  }
  return undefined;
}

export interface PinOptions {
  /** The specifier as written (`>=1.0,<2`), '' for none. */
  readonly specifier: string;
  /** Where the file is installed: releases some target cannot install are skipped. None: every release with files qualifies. */
  readonly targets?: readonly TargetEnvironment[];
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
 * The release pip would pick: the newest non-yanked one satisfying the specifier that every
 * target can install (Requires-Python, wheel tags); pre-releases only when allowed, named by the
 * specifier, or when nothing else satisfies (packaging's rule, which pip applies to the
 * candidates the target can install).
 */
export function pickRelease(releases: readonly Release[], options: PinOptions): Release | undefined {
  const targets = options.targets ?? [];
  const candidates = releases.filter((release) => !release.yanked && release.files.length > 0 && installableOnAll(release, targets) && oldEnough(release, options.uploadedBefore));
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

/**
 * pip's pick for a line: pickRelease, and for a line with a marker that no release suiting every
 * target satisfies, the pick with no target (the marker may keep the line off them: only
 * evaluating it would tell).
 */
export function pickForEntry(releases: readonly Release[], entry: { readonly marker?: unknown }, options: PinOptions): Release | undefined {
  const pick = pickRelease(releases, options);
  return pick ?? (entry.marker && options.targets?.length ? pickRelease(releases, { ...options, targets: [] }) : undefined);
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
