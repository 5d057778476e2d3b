// "Pin and hash all": the edits that make every requirement of a file pinned and hashed, planned
// from the index. Each entry gets the release pip would pick for its specifier and the sha256 of
// every file of that release (wheels for every platform and the sdist, as pip-compile writes
// them), in pip-compile's layout. "Update all" moves existing pins as well, to the release the
// quick fix "Update to Y" picks (updateTarget). Pure apart from the index: text and parse in,
// replacements out.
import { compare, valid } from './versions';
import type { ParsedFile } from '../parser/documentKinds';
import type { IndexedFile, PackageIndex } from '../index/packageIndex';
import type { RequirementEntry } from '../parser/requirementsFile';
import { rewriteEntry, type TextReplacement } from './entryEdit';
import { unhashableReason } from './pinning';
import { loadProjectInfo, partialBecause, pinnedVersion, specifierText, type ProjectInfo } from './projectInfo';
import type { TargetEnvironment } from './environment';
import { describeProblem, filesToHash, firstRefusal, installableOnAll, oldEnough, pickForEntry, pickRelease, releaseFor, type PinOptions, type Release } from './releases';
import { describeTargets } from './targets';
import { installerName, refusedArchive, type InstallerProfile } from './installer';

/** Which installs the hashes are for; files for other Pythons or platforms are left out (sdists always stay). */
export interface FixTargets {
  /** `3.11`, `3`: wheels tagged for another Python are left out. */
  readonly pythonVersions?: readonly string[];
  /**
   * Wheel platform tags or their beginnings: `win_amd64`, `macosx_11_0_arm64`, `manylinux`, `win`.
   * `any` wheels always stay.
   */
  readonly platforms?: readonly string[];
  /** The installer the file is for: files it refuses (uv 0.12: .tar.bz2 and .tar.xz sdists) are not hashed. */
  readonly installer?: InstallerProfile;
}

export interface FixDeps {
  readonly index: PackageIndex;
  /** Where the file is installed: releases a target cannot install are not picked. */
  readonly targets?: readonly TargetEnvironment[];
  /** The cooldown (reqguard.minimumReleaseAge): only releases uploaded before then are picked. */
  readonly uploadedBefore?: number;
  /** Known advisories of a release, for `upgradeVulnerable`. */
  readonly advisories?: AdvisoryLookup;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
}

/** A release's known advisories: their ids, and the versions they say fix them; undefined when they cannot be read. */
export type AdvisoryLookup = (project: string, version: string, signal?: AbortSignal) => Promise<{ readonly ids: readonly string[]; readonly fixedIn: readonly string[] } | undefined>;

/** How pip would pick a release for `specifier` with what the document and the settings say (--pre, target Python, cooldown). */
export function pickOptions(deps: Pick<FixDeps, 'index' | 'targets' | 'uploadedBefore'>, specifier: string): PinOptions {
  return { specifier, targets: deps.targets ?? [], allowPrereleases: deps.index.effective.prereleases, uploadedBefore: deps.uploadedBefore };
}

export interface FixOptions {
  readonly pin: boolean;
  readonly hash: boolean;
  /**
   * "Update all": a pin moves to updateTarget's release (implies pin). A range is no pin: it gets
   * pip's pick within the range, as with pin alone; once pinned the range is gone, so a second
   * update moves that pin on like any other.
   */
  readonly update?: boolean;
  /**
   * `fix --upgrade-vulnerable`, the vulnerability quick fix for every entry: each pin with known
   * advisories moves to safeUpgrade's release (hashes follow the new pin); nothing else changes.
   */
  readonly upgradeVulnerable?: boolean;
  /** Default: every requirement of the file. */
  readonly entries?: readonly RequirementEntry[];
  /** Which files' hashes are written (`reqguard.hashes`); default: every file of the release. */
  readonly hashTargets?: FixTargets;
}

export interface SkippedEntry {
  readonly entry: RequirementEntry;
  readonly reason: string;
}

export interface FixPlan {
  /** At most one per entry, in file order; none when the file already reads as planned. */
  readonly replacements: TextReplacement[];
  readonly skipped: SkippedEntry[];
  /** The signal aborted: nothing is returned, so a file is never left half fixed. */
  readonly cancelled: boolean;
  /** Entries added to complete the file (their insertions are among the replacements). */
  readonly added?: readonly { readonly name: string; readonly version: string }[];
  /** Why the file was not completed (a conflict, an index failure): nothing was added. */
  readonly notCompleted?: string;
}

export type Digests = { ok: true; sha256: string[] } | { ok: false; reason: string };

/** Whether a wheel's python tags admit one of the target Pythons (`py3`, `cp311`, `cp38-abi3` for 3.11). */
function pythonTagsMatch(tags: readonly string[], abis: readonly string[], versions: readonly string[]): boolean {
  return tags.some((tag) => {
    const match = /^([a-z]+)(\d)(\d*)$/.exec(tag);
    if (!match) return false;
    const [, impl, tagMajor, tagMinor] = match;
    return versions.some((version) => {
      const [major, minor] = version.split('.');
      if (tagMajor !== major) return false;
      if (tagMinor === '' || minor === undefined) return true;
      // A stable-ABI wheel built for CPython 3.K runs on every later 3.x.
      return tagMinor === minor || (impl === 'cp' && abis.includes('abi3') && Number(tagMinor) <= Number(minor));
    });
  });
}

/** Whether a file's hash is written for the hash targets; sdists and files that are not wheels always are (but those the installer refuses). */
function matchesHashTargets(file: IndexedFile, hashTargets: FixTargets | undefined): boolean {
  const wheel = file.wheel;
  if (hashTargets?.installer && refusedArchive(hashTargets.installer, file.filename)) return false;
  if (!wheel || !hashTargets) return true;
  const { pythonVersions, platforms } = hashTargets;
  if (pythonVersions?.length && !pythonTagsMatch(wheel.pythonTags, wheel.abiTags, pythonVersions)) return false;
  if (platforms?.length && !wheel.platformTags.some((tag) => tag === 'any' || platforms.some((platform) => tag.startsWith(platform)))) return false;
  return true;
}

/**
 * The sha256 of every file of a release to hash (filesToHash, narrowed to the hash targets), sorted:
 * from the index's own hashes, else by downloading each file once (index.fileSha256).
 */
export async function releaseDigests(index: PackageIndex, release: Release, hashTargets?: FixTargets, signal?: AbortSignal): Promise<Digests> {
  const files = filesToHash(release).filter((file) => matchesHashTargets(file, hashTargets));
  if (files.length === 0) {
    const installer = hashTargets?.installer;
    const refused = installer && filesToHash(release).every((file) => refusedArchive(installer, file.filename));
    return { ok: false, reason: refused ? `${installerName(installer)} refuses every file of ${release.version} (${filesToHash(release).map((file) => file.filename).join(', ')})` : `no file of ${release.version} is for the target Python versions and platforms` };
  }
  const results = await Promise.all(files.map((file) => index.fileSha256(file, signal)));
  const digests: string[] = [];
  for (const [i, result] of results.entries()) {
    if (!result.ok) return { ok: false, reason: `the hash of ${files[i].filename} could not be read: ${result.error.message}` };
    digests.push(result.value.toLowerCase());
  }
  return { ok: true, sha256: [...new Set(digests)].sort() };
}

/** How the entry's sha256 digests differ from a release's: digests it lacks, and digests of no file of the release. */
export function digestDifference(entry: RequirementEntry, sha256: readonly string[]): { missing: number; extra: number } {
  const written = new Set(entry.hashes.filter((hash) => hash.algorithm === 'sha256').map((hash) => hash.digest.toLowerCase()));
  const missing = sha256.filter((digest) => !written.has(digest)).length;
  return { missing, extra: written.size - (sha256.length - missing) };
}

/** Why index-backed edits cannot touch this entry, or undefined when they can. */
export function unfixableReason(analysis: ParsedFile, entry: RequirementEntry): string | undefined {
  if (analysis.kind === 'requirements-in') {
    return 'a pip-compile input (*.in) keeps ranges on purpose: pin and hash in the compiled requirements file (reqguard lock writes it)';
  }
  if (entry.rejected) return 'pip rejects this line: fix it first';
  const unhashable = unhashableReason(entry);
  if (unhashable) return `${unhashable}, nor a version to pin`;
  if (entry.form !== 'named' || entry.url) {
    return 'a direct reference (URL or path) names one file, not a version on the index: add its #sha256= by hand';
  }
  if (!entry.normalizedName || !entry.nameSpan) return 'no project name to look up';
  return undefined;
}

/** PEP 440 order of a release against a pin as written; 0 when the pin is no PEP 440 version (`===foo`). */
export function order(version: string, pinned: string): number {
  return valid(pinned) ? compare(version, pinned) : 0;
}

/**
 * Where updating moves a pin: to the release pip would pick with the pin ignored (the newest
 * non-yanked release every target can install, final unless --pre is in effect) when that
 * is newer (`up`); back down to it when the pin is yanked or not on the index and past every
 * usable release (`down`: the way out). Undefined: the pin stays (already the newest, a
 * pre-release pin newer than every final, or no PEP 440 version).
 */
export function updateTarget(
  releases: readonly Release[],
  pinned: string,
  options: Omit<PinOptions, 'specifier'>,
): { readonly release: Release; readonly direction: 'up' | 'down' } | undefined {
  const newest = pickRelease(releases, { ...options, specifier: '' });
  if (!newest) return undefined;
  if (order(newest.version, pinned) > 0) return { release: newest, direction: 'up' };
  const current = releaseFor(releases, pinned);
  return (!current || current.yanked) && order(newest.version, pinned) < 0 ? { release: newest, direction: 'down' } : undefined;
}

/** Rounds of "fixed in" that safeUpgrade follows (each asks about the versions the last round's advisories named). */
const MAX_FIX_ROUNDS = 4;

type Advisories = Awaited<ReturnType<AdvisoryLookup>>;

/**
 * The lowest release past the pin (`current`) that is known to have no vulnerability: the
 * versions the advisories name as fixed (`fixedIn`) and the release pip would pick (`pick`:
 * target Python, --pre, cooldown) are asked about (`advisoriesOf`); a fixed version with
 * advisories of its own leads to the versions those name, a few rounds deep, so the step is the
 * smallest known. A release whose vulnerabilities cannot be read is never chosen: "fixed" must be
 * checked, not assumed.
 */
export async function safeUpgrade(
  releases: readonly Release[],
  fixedIn: readonly string[],
  current: string | undefined,
  pick: PinOptions,
  advisoriesOf: (version: string) => Promise<Advisories>,
): Promise<Release | undefined> {
  const usable = (release: Release | undefined): release is Release =>
    !!release &&
    !release.yanked &&
    release.files.length > 0 &&
    installableOnAll(release, pick.targets ?? []) &&
    oldEnough(release, pick.uploadedBefore) &&
    (current === undefined || order(release.version, current) > 0);
  const clean = new Map<Release, boolean>();
  const newest = pickRelease(releases, { ...pick, specifier: '' });
  let named: readonly string[] = fixedIn;
  for (let round = 0; round < MAX_FIX_ROUNDS; round++) {
    const candidates = [...new Set([...named.map((version) => releaseFor(releases, version)), ...(round === 0 ? [newest] : [])])].filter((release): release is Release => usable(release) && !clean.has(release));
    if (candidates.length === 0) break;
    const answers = await Promise.all(candidates.map((release) => advisoriesOf(release.version)));
    candidates.forEach((release, i) => clean.set(release, answers[i]?.ids.length === 0));
    named = answers.flatMap((answer) => (answer && answer.ids.length > 0 ? answer.fixedIn : []));
  }
  return [...clean].filter(([, isClean]) => isClean).map(([release]) => release).sort((a, b) => compare(a.version, b.version))[0];
}

type EntryOutcome = { replacement?: TextReplacement } | { skipped: string };

/**
 * What the entries of one plan share, each made once however many entries name it: a project's
 * data and releases, pip's pick for a specifier, the release a pin names, a release's digests.
 * Without it a file naming one large project 10,000 times rebuilt its releases 10,000 times.
 */
class PlanMemo {
  private readonly infos = new Map<string, Promise<ProjectInfo>>();
  private readonly releases = new Map<string, Release | undefined>();
  private readonly updates = new Map<string, ReturnType<typeof updateTarget>>();
  private readonly digests = new Map<Release, Promise<Digests>>();

  constructor(
    private readonly deps: FixDeps,
    private readonly targets: FixTargets | undefined,
  ) {}

  info(name: string): Promise<ProjectInfo> {
    return remember(this.infos, name, () => loadProjectInfo(this.deps.index, name, this.deps.signal));
  }

  /** pip's pick for an entry's specifier, for the targets (an entry with a marker names its own Pythons) and the cooldown. */
  pick(info: ProjectInfo, entry: { readonly marker?: unknown }, specifier: string): Release | undefined {
    const key = `${info.name}\n${specifier}\n${entry.marker ? 'marker' : ''}`;
    return remember(this.releases, key, () => pickForEntry(info.releases, entry, pickOptions(this.deps, specifier)));
  }

  /** The release a pin names. */
  pinned(info: ProjectInfo, version: string): Release | undefined {
    return remember(this.releases, `${info.name}\n==${version}`, () => releaseFor(info.releases, version));
  }

  update(info: ProjectInfo, pinned: string): ReturnType<typeof updateTarget> {
    return remember(this.updates, `${info.name}\n${pinned}`, () => updateTarget(info.releases, pinned, pickOptions(this.deps, '')));
  }

  releaseDigests(release: Release): Promise<Digests> {
    return remember(this.digests, release, () => releaseDigests(this.deps.index, release, this.targets, this.deps.signal));
  }
}

function remember<K, V>(memo: Map<K, V>, key: K, make: () => V): V {
  if (memo.has(key)) return memo.get(key) as V;
  const value = make();
  memo.set(key, value);
  return value;
}

async function planEntry(analysis: ParsedFile, entry: RequirementEntry, deps: FixDeps, options: FixOptions, memo: PlanMemo): Promise<EntryOutcome> {
  const unfixable = unfixableReason(analysis, entry);
  if (unfixable) return { skipped: unfixable };
  const name = entry.name!;
  const pinned = pinnedVersion(entry);
  if (options.upgradeVulnerable) return pinned === undefined ? {} : upgradeVulnerable(analysis, entry, pinned, deps, options);
  const update = options.update === true;
  const pin = options.pin || update;
  // Nothing asked of this entry: pinned with no hashes wanted and no update, or unpinned with neither pin nor hash wanted.
  if (!options.hash && (pinned !== undefined ? !update : !pin)) return {};
  if (pinned === undefined && !pin) return { skipped: `'${name}' is not pinned, and hashes belong to one version: pin it as well` };

  const info = await memo.info(entry.normalizedName!);
  if (!info.data.ok) {
    const { error } = info.data;
    return { skipped: error.kind === 'not-found' ? `'${name}' is not on the index (${error.message})` : `the index failed for '${name}': ${error.message}` };
  }
  // A pick, a missing pin or a set of hashes from part of the sources would each be wrong once the failed one answers.
  const partial = partialBecause(info.data.value);
  if (partial) return { skipped: `index checks incomplete for '${name}': ${partial.message}` };
  let release: Release | undefined;
  let version: string | undefined;
  let sha256: string[] | undefined;
  const targets = deps.targets ?? [];
  if (pinned === undefined) {
    const specifier = specifierText(entry);
    release = memo.pick(info, entry, specifier);
    if (!release) {
      // Releases satisfy the range, but no target can install them: say which and why.
      const newest = targets.length ? pickRelease(info.releases, { specifier, allowPrereleases: deps.index.effective.prereleases }) : undefined;
      const refusal = newest && firstRefusal(newest, targets);
      const where = refusal ? ` that ${describeTargets(targets)} can install (${newest.version} ${describeProblem(refusal.problem, refusal.target.name)})` : '';
      return { skipped: `no release of '${name}' satisfies '${specifier || 'any version'}'${where} (yanked releases are never picked)` };
    }
    version = release.version;
  } else {
    const target = update ? memo.update(info, pinned) : undefined;
    release = target?.release ?? memo.pinned(info, pinned);
    version = target?.release.version;
    if (!release) return options.hash ? { skipped: `'${name}' ${pinned} is not on the index: there are no files to hash` } : {};
  }
  // A new pin makes hashes already written wrong: they are replaced even when hashing was not asked for.
  if (options.hash || (version !== undefined && entry.hashes.length > 0)) {
    const digests = await memo.releaseDigests(release);
    if (!digests.ok) return { skipped: digests.reason };
    // Exactly the release's files: a digest of no file on the index would let a foreign file in.
    const { missing, extra } = digestDifference(entry, digests.sha256);
    if (missing || extra || version !== undefined) sha256 = digests.sha256;
  }
  if (version === undefined && sha256 === undefined) return {};
  return { replacement: rewriteEntry(analysis.text, entry, { version, sha256 }) };
}

/** The vulnerability quick fix for one pin: the nearest release known to be clean, rehashed when the entry is hashed. */
async function upgradeVulnerable(analysis: ParsedFile, entry: RequirementEntry, pinned: string, deps: FixDeps, options: FixOptions): Promise<EntryOutcome> {
  const name = entry.name!;
  const lookup = deps.advisories;
  if (!lookup) return { skipped: 'no vulnerability data source' };
  const known = await lookup(entry.normalizedName!, pinned, deps.signal);
  if (!known || known.ids.length === 0) return {};
  const info = await loadProjectInfo(deps.index, entry.normalizedName!, deps.signal);
  if (!info.data.ok) return { skipped: `the index failed for '${name}': ${info.data.error.message}` };
  const target = await safeUpgrade(info.releases, known.fixedIn, pinned, pickOptions(deps, ''), (version) => lookup(entry.normalizedName!, version, deps.signal));
  const ids = known.ids.join(', ');
  if (!target) return { skipped: `'${name}' ${pinned} has known vulnerabilities (${ids}) and no later release is known to be free of them` };
  let sha256: string[] | undefined;
  if (entry.hashes.length > 0) {
    const digests = await releaseDigests(deps.index, target, options.hashTargets, deps.signal);
    if (!digests.ok) return { skipped: digests.reason };
    sha256 = digests.sha256;
  }
  return { replacement: rewriteEntry(analysis.text, entry, { version: target.version, sha256 }) };
}

/**
 * Plans pins and hashes for the entries of a requirements file, all of them in parallel. Entries
 * that cannot be fixed are listed with the reason; a cancelled plan returns nothing at all.
 */
export async function planFixes(analysis: ParsedFile, deps: FixDeps, options: FixOptions): Promise<FixPlan> {
  const nothing = (cancelled: boolean): FixPlan => ({ replacements: [], skipped: [], cancelled });
  // setup.py declares a library's ranges: pins and hashes never belong there; a lock file is regenerated, not fixed.
  if (analysis.family !== 'requirements') return nothing(false);
  const entries = options.entries ?? analysis.parsed.entries.filter((entry): entry is RequirementEntry => entry.kind === 'requirement');
  let done = 0;
  deps.onProgress?.(0, entries.length);
  const memo = new PlanMemo(deps, options.hashTargets);
  const outcomes = await Promise.all(
    entries.map(async (entry): Promise<EntryOutcome> => {
      try {
        return deps.signal?.aborted ? {} : await planEntry(analysis, entry, deps, options, memo);
      } catch (error) {
        return { skipped: `unexpected failure: ${(error as Error)?.message ?? String(error)}` };
      } finally {
        deps.onProgress?.(++done, entries.length);
      }
    }),
  );
  if (deps.signal?.aborted) return nothing(true);
  const plan: FixPlan = nothing(false);
  for (const [i, outcome] of outcomes.entries()) {
    if ('skipped' in outcome) plan.skipped.push({ entry: entries[i], reason: outcome.skipped });
    else if (outcome.replacement) plan.replacements.push(outcome.replacement);
  }
  return plan;
}
