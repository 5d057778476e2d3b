// The dependency resolver: pip 26.2.1's rules (its resolvelib provider and factory) over the
// backtracking search in resolverSearch.ts, with all IO through ResolverIndex. Given top-level
// requirements, constraints and a target environment, it finds the set of releases pip would
// install, or says which requirements clash, or which page or metadata could not be read.
//
// Rules followed from pip (resolution/resolvelib/{provider,factory,candidates,requirements}.py):
// candidates newest first, one file per version (the best compatible wheel, else the sdist);
// yanked files only when a clause pins exactly (`==`/`===`) and every applicable file is yanked;
// pre-releases with `prereleases`, when a clause names one, or when nothing else matches; a file's
// Requires-Python filters it, a release's metadata Requires-Python is a dependency on the target
// Python; markers per target and extra; `name[extra]` as its own identifier that depends on the
// exact base release; pip's narrowing and preference order so backtracking picks what pip picks.
import type { IndexError, Result } from '../index/errors';
import type { IndexedFile, ProjectData } from '../index/packageIndex';
import { canonicalizeName, parseRequirement, parseSpecifierSet, type MarkerInfo, type Requirement } from '../parser/pep508';
import type { TargetEnvironment } from './environment';
import { dependencyMarkerApplies, evaluateMarker } from './markers';
import type { CoreMetadata, DistributionMetadata } from './metadata';
import { releaseFor, releasesOf, type Release } from './releases';
import { explainConflict, type ConflictCause } from './resolverExplain';
import { BacktrackingSearch, type Information, type SearchProvider, type SearchState } from './resolverSearch';
import { filterVersions, specifiersContain, type VersionSpecifier } from './specifiers';
import { compare } from './versions';

/** Where the resolver reads projects and metadata (PackageIndex satisfies it). */
export interface ResolverIndex {
  project(name: string, signal?: AbortSignal): Promise<Result<ProjectData>>;
  metadata(file: IndexedFile, signal?: AbortSignal): Promise<Result<DistributionMetadata>>;
}

/** Where a top-level requirement or constraint is written. */
export interface RequirementOrigin {
  readonly file: string;
  /** 1-based, as pip numbers lines. */
  readonly line: number;
}

/** A top-level requirement (or constraint) as parsed, with its origin for messages and `# via`. */
export interface RootRequirement {
  readonly requirement: Pick<Requirement, 'name' | 'specifiers' | 'marker' | 'url'> & { readonly extras: readonly { readonly normalized: string }[] };
  readonly origin: RequirementOrigin;
}

export interface ResolveOptions {
  readonly target: TargetEnvironment;
  /** pip --pre: pre-releases of every project are candidates. */
  readonly prereleases?: boolean;
  /** Versions to keep when they still satisfy everything (existing pins: a minimal diff), by project name. */
  readonly preferred?: ReadonlyMap<string, string>;
  /** Projects whose preferred versions are ignored (pip-compile's --upgrade / --upgrade-package). */
  readonly upgrade?: 'all' | readonly string[];
  /** Rounds before giving up (pip's own limit by default). */
  readonly stepLimit?: number;
  readonly signal?: AbortSignal;
}

/** Who asked for a package: a top-level requirement, or another resolved package. */
export type Requester =
  | { readonly kind: 'root'; readonly requirement: string; readonly origin: RequirementOrigin }
  | { readonly kind: 'package'; readonly name: string; readonly version: string; readonly requirement: string };

export interface ResolvedPackage {
  /** PEP 503 normalized. */
  readonly name: string;
  readonly version: string;
  readonly release: Release;
  /** The file pip would install (and whose metadata was read). */
  readonly file: IndexedFile;
  readonly metadata: CoreMetadata;
  /** Extras requested of it (normalized, sorted). */
  readonly extras: readonly string[];
  /** For `# via`: top-level requirements (by file and line), then packages (by name). */
  readonly requiredBy: readonly Requester[];
  /** Constraints that applied to it. */
  readonly constrainedBy: readonly { readonly requirement: string; readonly origin: RequirementOrigin }[];
}

export type IncompleteReason = 'index' | 'metadata' | 'direct-url' | 'invalid-constraint' | 'marker' | 'step-limit' | 'cancelled';

export type Resolution =
  | { readonly kind: 'resolved'; readonly packages: readonly ResolvedPackage[]; readonly notes: readonly string[]; readonly steps: number }
  | { readonly kind: 'conflict'; readonly message: string; readonly causes: readonly ConflictCause[]; readonly notes: readonly string[]; readonly steps: number }
  | {
      readonly kind: 'incomplete';
      readonly reason: IncompleteReason;
      readonly message: string;
      /** The project (or, for metadata, the file's project) that could not be read. */
      readonly project?: string;
      readonly file?: string;
      readonly error?: IndexError;
      readonly notes: readonly string[];
    };

/** pip's own bound (resolver.py: `limit_how_complex_resolution_can_be`). */
export const DEFAULT_STEP_LIMIT = 200_000;

/** pip's identifier for the Requires-Python pseudo-project. */
const PYTHON = '<Python from Requires-Python>';

// ---- requirements and candidates ----------------------------------------------------------------

type ReleaseCandidate = {
  readonly kind: 'release';
  readonly name: string;
  readonly project: string;
  readonly version: string;
  readonly release: Release;
  readonly file: IndexedFile;
};
type ExtrasCandidate = { readonly kind: 'extras'; readonly name: string; readonly project: string; readonly version: string; readonly base: ReleaseCandidate; readonly extras: readonly string[] };
type PythonCandidate = { readonly kind: 'python'; readonly name: typeof PYTHON; readonly project: typeof PYTHON; readonly version: string };
type Candidate = ReleaseCandidate | ExtrasCandidate | PythonCandidate;

type SpecifierRequirement = {
  readonly kind: 'specifier';
  /** The identifier: `name` or `name[extra,…]`. */
  readonly name: string;
  readonly project: string;
  readonly extras: readonly string[];
  readonly specifiers: readonly VersionSpecifier[];
  /** For messages: `name[extras]specifiers`. */
  readonly text: string;
  readonly origin?: RequirementOrigin;
};
/** The exact release an extras candidate stands on. */
type ExplicitRequirement = { readonly kind: 'explicit'; readonly name: string; readonly project: string; readonly candidate: ReleaseCandidate; readonly text: string };
type PythonRequirement = { readonly kind: 'python'; readonly name: typeof PYTHON; readonly project: typeof PYTHON; readonly specifiers: readonly VersionSpecifier[]; readonly text: string; readonly matches: boolean };
type ResolverRequirement = SpecifierRequirement | ExplicitRequirement | PythonRequirement;

/** A distribution file pip would consider for the target. */
interface UsableFile {
  readonly release: Release;
  readonly file: IndexedFile;
  readonly yanked: boolean;
  /** Higher is better: a wheel by its best tag's rank, an sdist last. */
  readonly priority: number;
}

interface ProjectEntry {
  readonly name: string;
  readonly releases: readonly Release[];
  /** Usable files, best first (non-yanked, newest, best tag). */
  readonly files: readonly UsableFile[];
  /** Why other releases were left out, for messages. */
  readonly excluded: readonly { readonly version: string; readonly reason: string }[];
}

interface ReadMetadata {
  readonly metadata: CoreMetadata;
  readonly dependencies: readonly Requirement[];
  readonly providedExtras: ReadonlySet<string>;
  readonly requiresPython: readonly VersionSpecifier[];
}

/** Why the resolution stopped before an answer. */
class ResolutionStopped {
  constructor(readonly result: Extract<Resolution, { kind: 'incomplete' }>) {}
}

/** `name[a,b]` with normalized, sorted extras (pip's format_name). */
function identifierOf(project: string, extras: readonly string[]): string {
  return extras.length ? `${project}[${[...extras].sort().join(',')}]` : project;
}

function requirementText(project: string, extras: readonly string[], specifiers: readonly VersionSpecifier[]): string {
  return `${identifierOf(project, extras)}${specifiers.map((clause) => `${clause.operator}${clause.version}`).join(',')}`;
}

const EMPTY_CONSTRAINT: readonly VersionSpecifier[] = [];

/** The numeric release of a Python version (`3.13.0rc1` → `3.13.0`): pip compares sys.version_info[:3]. */
function pythonRelease(fullVersion: string): string {
  return /^\d+(?:\.\d+)*/.exec(fullVersion)?.[0] ?? fullVersion;
}

/** Whether a clause set pins exactly (pip's is_pinned in _iter_found_candidates: any `===`, or `==` without `.*`). */
function pinsExactly(specifiers: readonly VersionSpecifier[]): boolean {
  return specifiers.some((clause) => clause.operator === '===' || (clause.operator === '==' && !clause.version.endsWith('.*')));
}

// ---- the provider: pip's factory and provider rules -------------------------------------------

class PipRules implements SearchProvider<ResolverRequirement, Candidate> {
  private readonly projects = new Map<string, Promise<ProjectEntry>>();
  private readonly metadata = new Map<ReleaseCandidate, Promise<ReadMetadata | undefined>>();
  private readonly read = new Map<ReleaseCandidate, ReadMetadata>();
  private readonly releaseCandidates = new Map<string, ReleaseCandidate>();
  private readonly extrasCandidates = new Map<string, ExtrasCandidate>();
  private readonly python: PythonCandidate;
  /** The target's Python as pip compares it with Requires-Python (`3.11.7`). */
  readonly pythonVersion: string;
  private readonly tagRanks: ReadonlyMap<string, number> | undefined;
  private readonly conflictCounts = new Map<string, number>();
  private readonly promoted = new Set<string>();
  /** Why pip would skip a candidate (said in the notes once the search meets it). */
  private readonly skipped = new Map<ReleaseCandidate, string>();
  private readonly dependencyCache = new Map<Candidate, readonly ResolverRequirement[]>();
  private readonly satisfaction = new WeakMap<ResolverRequirement, Map<Candidate, boolean>>();
  private readonly pythonAdmissions = new Map<string, boolean>();
  private readonly wheelNames = new Map<string, string>();
  private readonly preferences = new WeakMap<readonly Information<ResolverRequirement, Candidate>[], readonly (boolean | number | string)[]>();
  private readAhead = 0;
  private finished = false;
  private readonly upgradeAll: boolean;
  private readonly upgradeNames: ReadonlySet<string>;
  private readonly preferred: ReadonlyMap<string, string>;
  readonly notes: string[] = [];

  constructor(
    private readonly index: ResolverIndex,
    private readonly options: ResolveOptions,
    private readonly constraints: ReadonlyMap<string, readonly VersionSpecifier[]>,
    private readonly userRequested: ReadonlyMap<string, number>,
  ) {
    this.pythonVersion = pythonRelease(options.target.markers.python_full_version);
    this.python = { kind: 'python', name: PYTHON, project: PYTHON, version: this.pythonVersion };
    this.tagRanks = options.target.tags ? new Map(options.target.tags.map((tag, rank) => [tag, rank])) : undefined;
    this.upgradeAll = options.upgrade === 'all';
    this.upgradeNames = new Set(options.upgrade === 'all' ? [] : (options.upgrade ?? []).map(canonicalizeName));
    this.preferred = new Map([...(options.preferred ?? [])].map(([name, version]) => [canonicalizeName(name), version]));
  }

  requirementName = (requirement: ResolverRequirement) => requirement.name;
  candidateName = (candidate: Candidate) => candidate.name;

  checkpoint(): void {
    if (this.options.signal?.aborted) throw this.stop('cancelled', 'The resolution was cancelled.');
  }

  stop(reason: IncompleteReason, message: string, extra: { project?: string; file?: string; error?: IndexError } = {}): ResolutionStopped {
    return new ResolutionStopped({ kind: 'incomplete', reason, message, ...extra, notes: [...this.notes] });
  }

  // -- index access

  project(name: string): Promise<ProjectEntry> {
    let entry = this.projects.get(name);
    if (!entry) {
      entry = this.index.project(name, this.options.signal).then((result) => this.projectEntry(name, result));
      // Handled where awaited; a prefetch that nobody awaits must not be an unhandled rejection.
      entry.catch(() => undefined);
      this.projects.set(name, entry);
    }
    return entry;
  }

  private projectEntry(name: string, result: Result<ProjectData>): ProjectEntry {
    if (!result.ok) {
      if (result.error.kind === 'not-found') return { name, releases: [], files: [], excluded: [] };
      if (result.error.kind === 'cancelled') throw this.stop('cancelled', 'The resolution was cancelled.');
      throw this.stop('index', `The index could not be read for ${name}: ${result.error.message}`, { project: name, error: result.error });
    }
    for (const problem of result.value.problems) this.notes.push(`${name}: ${problem.message}`);
    const releases = releasesOf(result.value);
    const files: UsableFile[] = [];
    const excluded: { version: string; reason: string }[] = [];
    for (const release of releases) {
      const reasons = new Set<string>();
      let usable = false;
      for (const file of release.files) {
        const verdict = this.judgeFile(name, file);
        if (typeof verdict === 'string') reasons.add(verdict);
        else {
          usable = true;
          files.push({ release, file, yanked: file.yanked, priority: verdict.priority });
        }
      }
      if (!usable) excluded.push({ version: release.version, reason: reasons.size ? [...reasons].join('; ') : 'no files' });
    }
    // pip's order: non-yanked before yanked, then newest, then the best tag. The releases come
    // newest first, so their places say which is newer (equal versions, 1.0 and 1.0.0, share one).
    const newness = new Map<Release, number>();
    releases.forEach((release, i) => newness.set(release, i > 0 && compare(releases[i - 1].version, release.version) === 0 ? newness.get(releases[i - 1])! : i));
    files.sort((a, b) => Number(a.yanked) - Number(b.yanked) || newness.get(a.release)! - newness.get(b.release)! || b.priority - a.priority);
    return { name, releases, files, excluded };
  }

  /** pip's LinkEvaluator for one file: usable with a priority, or why not. */
  private judgeFile(project: string, file: IndexedFile): { priority: number } | string {
    let priority: number;
    if (file.kind === 'wheel') {
      if (!file.wheel || this.canonicalWheelName(file.wheel.name) !== project) return 'a wheel named for another project';
      if (this.tagRanks) {
        let best = Infinity;
        for (const python of file.wheel.pythonTags) for (const abi of file.wheel.abiTags) for (const platform of file.wheel.platformTags) best = Math.min(best, this.tagRanks.get(`${python}-${abi}-${platform}`) ?? Infinity);
        if (best === Infinity) return `no wheel for ${this.options.target.label}`;
        priority = -best;
      } else priority = 0;
    } else if (file.kind === 'sdist') {
      priority = -(this.tagRanks?.size ?? 1);
    } else return 'no wheel or sdist';
    if (file.requiresPython && !this.admitsPython(file.requiresPython)) return `requires Python ${file.requiresPython}`;
    return { priority };
  }

  /** A wheel's project name, normalized once per spelling (every wheel of a project repeats it). */
  private canonicalWheelName(name: string): string {
    let canonical = this.wheelNames.get(name);
    if (canonical === undefined) this.wheelNames.set(name, (canonical = canonicalizeName(name)));
    return canonical;
  }

  /** Whether a file's Requires-Python admits the target, once per text (a project's files repeat a few). */
  private admitsPython(requiresPython: string): boolean {
    let admits = this.pythonAdmissions.get(requiresPython);
    if (admits === undefined) {
      const clauses = parseSpecifierSet(requiresPython);
      // An unreadable Requires-Python is ignored, as pip does.
      admits = !clauses || specifiersContain(clauses, this.pythonVersion);
      this.pythonAdmissions.set(requiresPython, admits);
    }
    return admits;
  }

  /**
   * The metadata of a release candidate, read once; undefined when pip would skip the candidate.
   * Once read, the pages and metadata its dependencies will likely need are asked for too.
   */
  private readMetadata(candidate: ReleaseCandidate): Promise<ReadMetadata | undefined> {
    let pending = this.metadata.get(candidate);
    if (!pending) {
      pending = this.index.metadata(candidate.file, this.options.signal).then((result) => {
        const read = this.checkMetadata(candidate, result);
        if (read) {
          this.read.set(candidate, read);
          this.warmDependencies(read);
        }
        return read;
      });
      // Handled where awaited; a read ahead that nobody awaits must not be an unhandled rejection.
      pending.catch(() => undefined);
      this.metadata.set(candidate, pending);
    }
    return pending;
  }

  private checkMetadata(candidate: ReleaseCandidate, result: Result<DistributionMetadata>): ReadMetadata | undefined {
    const file = candidate.file.filename;
    if (!result.ok) {
      if (result.error.kind === 'cancelled') throw this.stop('cancelled', 'The resolution was cancelled.');
      throw this.stop('metadata', `The dependencies of ${candidate.project} ${candidate.version} could not be read (${file}): ${result.error.message}`, { project: candidate.project, file, error: result.error });
    }
    const metadata = result.value.metadata;
    // pip discards a candidate whose metadata names another project or version (MetadataInconsistent)…
    if (canonicalizeName(metadata.name) !== candidate.project || !sameVersion(metadata.version, candidate.version)) {
      this.skipped.set(candidate, `${candidate.project} ${candidate.version} was skipped: the metadata of ${file} says ${metadata.name} ${metadata.version}`);
      return undefined;
    }
    // …and, since pip 24.1, one with a Requires-Dist it cannot parse (MetadataInvalid).
    const dependencies: Requirement[] = [];
    for (const text of metadata.requiresDist) {
      const parsed = parseRequirement(text.trim());
      if (!parsed.ok) {
        this.skipped.set(candidate, `${candidate.project} ${candidate.version} was skipped: its Requires-Dist '${text}' is invalid (${parsed.message})`);
        return undefined;
      }
      dependencies.push(parsed.value);
    }
    const requiresPython = (metadata.requiresPython !== undefined && parseSpecifierSet(metadata.requiresPython)) || [];
    return { metadata, dependencies, providedExtras: new Set(metadata.providesExtra.map(canonicalizeName)), requiresPython };
  }

  async prefetch(requirements: readonly ResolverRequirement[]): Promise<void> {
    const wanted = requirements.filter((requirement) => requirement.kind === 'specifier');
    for (const requirement of wanted) this.warm(requirement);
    await Promise.allSettled(wanted.map((requirement) => this.project(requirement.project)));
  }

  /**
   * Reads ahead for a requirement: its page, then the metadata of the release it alone would pick
   * (pip reads that as soon as the requirement is added), whose own dependencies are then read
   * ahead in turn. Requests run together instead of one round trip per resolver step; a read
   * ahead that turns out unneeded costs one request, and there are at most READ_AHEAD_LIMIT.
   */
  private warm(requirement: SpecifierRequirement): void {
    if (this.finished || this.readAhead >= READ_AHEAD_LIMIT) return;
    this.readAhead++;
    this.project(requirement.project)
      .then((entry) => {
        const best = this.bestFile(entry, [...(this.constraints.get(requirement.project) ?? []), ...requirement.specifiers]);
        return best && !this.finished ? this.readMetadata(this.releaseCandidate(entry, best)) : undefined;
      })
      .catch(() => undefined);
  }

  private warmDependencies(read: ReadMetadata): void {
    for (const dependency of read.dependencies) {
      if (dependency.url) continue;
      if (dependency.marker) {
        const applies = dependencyMarkerApplies(dependency.marker, this.options.target.markers, []);
        if (!applies.ok || !applies.value) continue;
      }
      for (const requirement of this.requirementsFrom(dependency)) this.warm(requirement);
    }
  }

  /** Stops reading ahead (the resolution has its answer). */
  finish(): void {
    this.finished = true;
  }

  // -- candidates

  private releaseCandidate(entry: ProjectEntry, usable: UsableFile): ReleaseCandidate {
    const key = `${entry.name} ${usable.release.version}`;
    let candidate = this.releaseCandidates.get(key);
    if (!candidate) {
      candidate = { kind: 'release', name: entry.name, project: entry.name, version: usable.release.version, release: usable.release, file: usable.file };
      this.releaseCandidates.set(key, candidate);
    }
    return candidate;
  }

  private extrasCandidate(base: ReleaseCandidate, extras: readonly string[]): ExtrasCandidate {
    const name = identifierOf(base.project, extras);
    const key = `${name} ${base.version}`;
    let candidate = this.extrasCandidates.get(key);
    if (!candidate) {
      candidate = { kind: 'extras', name, project: base.project, version: base.version, base, extras: [...extras].sort() };
      this.extrasCandidates.set(key, candidate);
    }
    return candidate;
  }

  /** The files pip's finder returns for these clauses, best first, one per version (pip's _iter_found_candidates). */
  private orderedFiles(entry: ProjectEntry, specifiers: readonly VersionSpecifier[]): UsableFile[] {
    const applicable = filterVersions(specifiers, entry.files, (usable) => usable.release.version, this.options.prereleases ? true : undefined);
    const allYanked = applicable.every((usable) => usable.yanked);
    const yankedAllowed = allYanked && pinsExactly(specifiers);
    const ordered = yankedAllowed ? [...applicable].sort((a, b) => compare(b.release.version, a.release.version) || b.priority - a.priority) : applicable.filter((usable) => !usable.yanked);
    const chosen: UsableFile[] = [];
    for (const usable of ordered) {
      const previous = chosen[chosen.length - 1];
      // Equal versions (`1.0` and `1.0.0`) are one candidate, as pip's Version equality makes them.
      if (previous && compare(previous.release.version, usable.release.version) === 0) continue;
      chosen.push(usable);
    }
    return chosen;
  }

  async findMatches(identifier: string, requirements: (identifier: string) => readonly ResolverRequirement[], incompatibilities: (identifier: string) => readonly Candidate[]): Promise<readonly Candidate[]> {
    const explicit = new Set<Candidate>();
    const specifierRequirements: SpecifierRequirement[] = [];
    for (const requirement of requirements(identifier)) {
      if (requirement.kind === 'explicit') explicit.add(requirement.candidate);
      else if (requirement.kind === 'python') {
        if (requirement.matches) explicit.add(this.python);
      } else specifierRequirements.push(requirement);
    }
    // `name[extras]` also takes the base project's requirements, and its explicit pins.
    const bracket = identifier.indexOf('[');
    if (bracket > 0 && identifier !== PYTHON) {
      const project = identifier.slice(0, bracket);
      const extras = identifier.slice(bracket + 1, -1).split(',');
      for (const requirement of requirements(project)) {
        if (requirement.kind === 'explicit') explicit.add(this.extrasCandidate(requirement.candidate, extras));
        else if (requirement.kind === 'specifier') specifierRequirements.push(requirement);
      }
    }
    const incompatible = new Set(incompatibilities(identifier));
    if (explicit.size === 0) return this.foundCandidates(specifierRequirements, incompatible);
    const constraint = identifier === PYTHON ? EMPTY_CONSTRAINT : (this.constraints.get(projectOf(identifier)) ?? EMPTY_CONSTRAINT);
    const all = requirements(identifier);
    return [...explicit].filter((candidate) => !incompatible.has(candidate) && specifiersContain(constraint, candidate.version, true) && all.every((requirement) => this.isSatisfiedBy(requirement, candidate)));
  }

  private async foundCandidates(requirements: readonly SpecifierRequirement[], incompatible: ReadonlySet<Candidate>): Promise<Candidate[]> {
    if (requirements.length === 0) return [];
    const project = requirements[0].project;
    const specifiers = [...(this.constraints.get(project) ?? []), ...requirements.flatMap((requirement) => requirement.specifiers)];
    const extras = [...new Set(requirements.flatMap((requirement) => requirement.extras))];
    const entry = await this.project(project);
    const withExtras = (base: ReleaseCandidate): Candidate => (extras.length ? this.extrasCandidate(base, extras) : base);
    const candidates: Candidate[] = [];
    const preferred = this.preferredFile(entry, specifiers);
    if (preferred) candidates.push(withExtras(this.releaseCandidate(entry, preferred)));
    for (const usable of this.orderedFiles(entry, specifiers)) {
      if (preferred && compare(preferred.release.version, usable.release.version) === 0) continue;
      candidates.push(withExtras(this.releaseCandidate(entry, usable)));
    }
    return candidates.filter((candidate) => !incompatible.has(candidate));
  }

  /** The file of the candidate these clauses try first. */
  private bestFile(entry: ProjectEntry, specifiers: readonly VersionSpecifier[]): UsableFile | undefined {
    return this.preferredFile(entry, specifiers) ?? this.orderedFiles(entry, specifiers)[0];
  }

  /**
   * An existing pin to try first, as pip tries an installed version first when not upgrading it:
   * when it satisfies the clauses (pre-release or not) and has a usable, non-yanked file.
   */
  private preferredFile(entry: ProjectEntry, specifiers: readonly VersionSpecifier[]): UsableFile | undefined {
    const version = this.preferred.get(entry.name);
    if (version === undefined || this.upgradeAll || this.upgradeNames.has(entry.name)) return undefined;
    const release = releaseFor(entry.releases, version);
    if (!release || !specifiersContain(specifiers, release.version, true)) return undefined;
    return entry.files.find((usable) => usable.release === release && !usable.yanked);
  }

  /** Remembered per requirement and candidate, as pip does (the search asks again every round). */
  isSatisfiedBy(requirement: ResolverRequirement, candidate: Candidate): boolean {
    if (requirement.kind === 'explicit') return candidate === requirement.candidate;
    let answers = this.satisfaction.get(requirement);
    if (!answers) this.satisfaction.set(requirement, (answers = new Map()));
    let answer = answers.get(candidate);
    if (answer === undefined) answers.set(candidate, (answer = specifiersContain(requirement.specifiers, candidate.version, true)));
    return answer;
  }

  async isUsable(candidate: Candidate): Promise<boolean> {
    if (candidate.kind === 'python') return true;
    const base = candidate.kind === 'extras' ? candidate.base : candidate;
    if ((await this.readMetadata(base)) !== undefined) return true;
    this.note(this.skipped.get(base)!);
    return false;
  }

  /** The dependencies pip derives from a candidate (candidates.py iter_dependencies), worked out once. */
  dependencies(candidate: Candidate): readonly ResolverRequirement[] {
    let dependencies = this.dependencyCache.get(candidate);
    if (!dependencies) {
      dependencies = this.dependenciesOf(candidate);
      this.dependencyCache.set(candidate, dependencies);
    }
    return dependencies;
  }

  private dependenciesOf(candidate: Candidate): readonly ResolverRequirement[] {
    if (candidate.kind === 'python') return [];
    const base = candidate.kind === 'extras' ? candidate.base : candidate;
    const read = this.read.get(base);
    if (!read) throw new Error(`dependencies of ${base.project} ${base.version} asked before its metadata was read`);
    const result: ResolverRequirement[] = [];
    let extras: string[] = [];
    if (candidate.kind === 'extras') {
      result.push({ kind: 'explicit', name: base.project, project: base.project, candidate: base, text: `${base.project}==${base.version}` });
      extras = candidate.extras.filter((extra) => read.providedExtras.has(extra));
      for (const extra of candidate.extras) if (!read.providedExtras.has(extra)) this.note(`${base.project} ${base.version} does not provide the extra '${extra}'`);
    } else if (read.requiresPython.length > 0) {
      const text = read.requiresPython.map((clause) => `${clause.operator}${clause.version}`).join(',');
      result.push({ kind: 'python', name: PYTHON, project: PYTHON, specifiers: read.requiresPython, text: `Python${text}`, matches: specifiersContain(read.requiresPython, this.pythonVersion, true) });
    }
    for (const dependency of read.dependencies) {
      if (dependency.marker && !this.markerApplies(dependency.marker, extras, `${base.project} ${base.version}`)) continue;
      if (dependency.url) throw this.stop('direct-url', `Cannot resolve a direct URL requirement: ${base.project} ${base.version} requires ${dependency.name} @ ${dependency.url.value}; reqguard resolves named requirements from the index only.`, { project: base.project });
      result.push(...this.requirementsFrom(dependency));
    }
    return result;
  }

  private markerApplies(marker: MarkerInfo, extras: readonly string[], owner: string): boolean {
    const result = dependencyMarkerApplies(marker, this.options.target.markers, extras);
    if (!result.ok) throw this.stop('marker', `The marker '${marker.text}' of a dependency of ${owner} cannot be evaluated: ${result.message}`);
    return result.value;
  }

  private note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  /**
   * The resolver requirements of one PEP 508 requirement: `name[extras]` with clauses also gives
   * the clauses to the base project (pip's SpecifierWithoutExtrasRequirement), so they narrow it
   * before any extra is pinned.
   */
  requirementsFrom(requirement: Pick<Requirement, 'name' | 'specifiers'> & { readonly extras: readonly { readonly normalized: string }[] }, origin?: RequirementOrigin): SpecifierRequirement[] {
    const project = canonicalizeName(requirement.name);
    const extras = [...new Set(requirement.extras.map((extra) => extra.normalized))].sort();
    const specifiers = requirement.specifiers.map(({ operator, version }) => ({ operator, version }));
    const make = (withExtras: readonly string[]): SpecifierRequirement => ({
      kind: 'specifier',
      name: identifierOf(project, withExtras),
      project,
      extras: withExtras,
      specifiers,
      text: requirementText(project, withExtras, specifiers),
      origin,
    });
    return extras.length && specifiers.length ? [make([]), make(extras)] : [make(extras)];
  }

  // -- choosing what to pin next

  narrow(identifiers: readonly string[], state: SearchState<ResolverRequirement, Candidate>): readonly string[] {
    const causeNames = new Set<string>();
    for (const info of state.backtrackCauses) {
      for (const name of info.parent ? [info.requirement.name, info.parent.name] : [info.requirement.name]) {
        causeNames.add(name);
        if (!state.mapping.has(name)) {
          const count = (this.conflictCounts.get(name) ?? 0) + 1;
          this.conflictCounts.set(name, count);
          if (count >= CONFLICT_PRIORITY_THRESHOLD) this.promoted.add(name);
        }
      }
    }
    const causes: string[] = [];
    const promoted: string[] = [];
    for (const identifier of identifiers) {
      if (identifier === PYTHON) return [identifier];
      if (causeNames.has(identifier)) causes.push(identifier);
      else if (this.promoted.has(identifier)) promoted.push(identifier);
    }
    if (causes.length) return causes;
    if (promoted.length) return promoted;
    return identifiers;
  }

  /**
   * pip's get_preference. Remembered per criterion's information (never changed once made): the
   * search asks for every unpinned identifier every round. A key made before the identifier was
   * promoted is made again.
   */
  preference(identifier: string, state: SearchState<ResolverRequirement, Candidate>): readonly (boolean | number | string)[] {
    const information = state.criteria.get(identifier)?.information;
    const known = information && this.preferences.get(information);
    if (known && known[0] === !this.promoted.has(identifier)) return known;
    const key = this.preferenceOf(identifier, information ?? []);
    if (information) this.preferences.set(information, key);
    return key;
  }

  private preferenceOf(identifier: string, information: readonly Information<ResolverRequirement, Candidate>[]): readonly (boolean | number | string)[] {
    let direct = false;
    let pinned = false;
    let upperBounded = false;
    let unfree = false;
    for (const { requirement } of information) {
      if (requirement.kind === 'explicit') direct = true;
      if (requirement.kind !== 'specifier') continue;
      for (const { operator, version } of requirement.specifiers) {
        unfree = true;
        const wildcard = version.includes('*');
        if (operator.startsWith('==') && !wildcard) pinned = true;
        if (operator === '<' || operator === '<=' || operator === '~=' || (operator === '==' && wildcard)) upperBounded = true;
      }
    }
    return [!this.promoted.has(identifier), !direct, !pinned, !upperBounded, this.userRequested.get(identifier) ?? Infinity, !unfree, identifier];
  }

  // -- results

  packages(state: SearchState<ResolverRequirement, Candidate>, constraintOrigins: ReadonlyMap<string, { requirement: string; origin: RequirementOrigin }[]>): ResolvedPackage[] {
    const connected = connectedIdentifiers(state);
    const byProject = new Map<string, { base?: ReleaseCandidate; extras: Set<string>; requiredBy: Requester[]; seen: Set<string> }>();
    const slot = (project: string) => byProject.get(project) ?? byProject.set(project, { extras: new Set(), requiredBy: [], seen: new Set() }).get(project)!;
    for (const [identifier, candidate] of state.mapping) {
      if (!connected.has(identifier) || candidate.kind === 'python') continue;
      const entry = slot(candidate.project);
      if (candidate.kind === 'release') entry.base = candidate;
      else for (const extra of candidate.extras) entry.extras.add(extra);
      for (const info of state.criteria.get(identifier)?.information ?? []) {
        const parent = info.parent;
        if (info.requirement.kind === 'python') continue;
        if (parent === null) {
          const requirement = info.requirement as SpecifierRequirement;
          if (!requirement.origin) continue;
          // `name[extra]>=1` is two requirements (with and without the extras): one line, said once, in full.
          const same = entry.requiredBy.findIndex((r) => r.kind === 'root' && r.origin.file === requirement.origin!.file && r.origin.line === requirement.origin!.line);
          const requester: Requester = { kind: 'root', requirement: requirement.text, origin: requirement.origin };
          if (same < 0) entry.requiredBy.push(requester);
          else if (entry.requiredBy[same].requirement.length < requirement.text.length) entry.requiredBy[same] = requester;
        } else if (parent.project !== candidate.project && state.mapping.get(parent.name) === parent && connected.has(parent.name)) {
          const key = `package ${parent.project} ${info.requirement.text}`;
          if (!entry.seen.has(key)) {
            entry.seen.add(key);
            entry.requiredBy.push({ kind: 'package', name: parent.project, version: parent.version, requirement: info.requirement.text });
          }
        }
      }
    }
    const packages: ResolvedPackage[] = [];
    for (const [project, entry] of byProject) {
      if (!entry.base) continue;
      packages.push({
        name: project,
        version: entry.base.version,
        release: entry.base.release,
        file: entry.base.file,
        metadata: this.read.get(entry.base)!.metadata,
        extras: [...entry.extras].sort(),
        requiredBy: [...entry.requiredBy].sort(compareRequesters),
        constrainedBy: constraintOrigins.get(project) ?? [],
      });
    }
    return packages.sort((a, b) => byText(a.name, b.name));
  }

  /** What messages say about a project's versions. */
  async availability(project: string): Promise<{ versions: string[]; excluded: { version: string; reason: string }[]; prereleasesSkipped: string[] }> {
    const entry = await this.project(project).catch(() => undefined);
    if (!entry) return { versions: [], excluded: [], prereleasesSkipped: [] };
    const usable = [...new Set(entry.files.filter((f) => !f.yanked).map((f) => f.release.version))];
    const yanked = [...new Set(entry.files.filter((f) => f.yanked).map((f) => f.release.version))].filter((v) => !usable.includes(v));
    return {
      versions: usable.sort(compare),
      excluded: [...entry.excluded, ...yanked.map((version) => ({ version, reason: 'yanked' }))].sort((a, b) => compare(a.version, b.version)),
      prereleasesSkipped: this.options.prereleases ? [] : usable.filter((version) => entry.releases.find((r) => r.version === version)?.prerelease),
    };
  }
}

const CONFLICT_PRIORITY_THRESHOLD = 5;
/** Requirements read ahead at most in one resolution (each costs a page and a metadata request at most). */
const READ_AHEAD_LIMIT = 2_000;

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function compareRequesters(a: Requester, b: Requester): number {
  if (a.kind === 'root' && b.kind === 'root') return byText(a.origin.file, b.origin.file) || a.origin.line - b.origin.line;
  if (a.kind === 'package' && b.kind === 'package') return byText(a.name, b.name) || byText(a.requirement, b.requirement);
  return a.kind === 'root' ? -1 : 1;
}

function projectOf(identifier: string): string {
  const bracket = identifier.indexOf('[');
  return bracket > 0 ? identifier.slice(0, bracket) : identifier;
}

function sameVersion(a: string, b: string): boolean {
  try {
    return compare(a, b) === 0;
  } catch {
    return a === b;
  }
}

/** Identifiers with a path of requirements from the roots through current pins (resolvelib's _build_result). */
function connectedIdentifiers(state: SearchState<ResolverRequirement, Candidate>): Set<string> {
  const children = new Map<string, string[]>();
  const connected = new Set<string>();
  const queue: string[] = [];
  for (const [key, criterion] of state.criteria) {
    for (const info of criterion.information) {
      if (info.parent === null) {
        if (!connected.has(key)) queue.push(key);
        connected.add(key);
      } else if (state.mapping.get(info.parent.name) === info.parent) {
        (children.get(info.parent.name) ?? children.set(info.parent.name, []).get(info.parent.name)!).push(key);
      }
    }
  }
  while (queue.length) {
    for (const child of children.get(queue.pop()!) ?? []) {
      if (!connected.has(child)) {
        connected.add(child);
        queue.push(child);
      }
    }
  }
  return connected;
}

// ---- entry point -------------------------------------------------------------------------------

/**
 * Resolves `requirements` (with `constraints`, which restrict but never add) for `options.target`:
 * what pip 26 would install, a conflict explained, or what could not be read.
 */
export async function resolve(index: ResolverIndex, requirements: readonly RootRequirement[], constraints: readonly RootRequirement[], options: ResolveOptions): Promise<Resolution> {
  const constraintSpecifiers = new Map<string, VersionSpecifier[]>();
  const constraintOrigins = new Map<string, { requirement: string; origin: RequirementOrigin }[]>();
  const userRequested = new Map<string, number>();
  const roots: SpecifierRequirement[] = [];
  const rules = new PipRules(index, options, constraintSpecifiers, userRequested);
  const environment = options.target.markers;
  try {
    for (const { requirement, origin } of constraints) {
      const at = `${origin.file}, line ${origin.line}`;
      if (requirement.url) throw rules.stop('direct-url', `Cannot resolve a direct URL requirement: the constraint ${requirement.name} @ ${requirement.url.value} (${at}); reqguard resolves named requirements from the index only.`, { project: canonicalizeName(requirement.name) });
      if (requirement.extras.length) throw rules.stop('invalid-constraint', `Constraints cannot have extras (pip refuses them): ${requirement.name}[${requirement.extras.map((e) => e.normalized).join(',')}] (${at}).`);
      if (!rootMarkerApplies(rules, requirement.marker, environment, at)) continue;
      const project = canonicalizeName(requirement.name);
      const specifiers = requirement.specifiers.map(({ operator, version }) => ({ operator, version }));
      constraintSpecifiers.set(project, [...(constraintSpecifiers.get(project) ?? []), ...specifiers]);
      const list = constraintOrigins.get(project) ?? constraintOrigins.set(project, []).get(project)!;
      list.push({ requirement: requirementText(project, [], specifiers), origin });
    }
    requirements.forEach(({ requirement, origin }, position) => {
      const at = `${origin.file}, line ${origin.line}`;
      if (requirement.url) throw rules.stop('direct-url', `Cannot resolve a direct URL requirement: ${requirement.name} @ ${requirement.url.value} (${at}); reqguard resolves named requirements from the index only.`, { project: canonicalizeName(requirement.name) });
      if (!rootMarkerApplies(rules, requirement.marker, environment, at)) return;
      const made = rules.requirementsFrom(requirement, origin);
      if (!userRequested.has(made[0].name)) userRequested.set(made[0].name, position);
      roots.push(...made);
    });
    // pip puts requirements with extras last (stable), so the base's clauses are known first.
    roots.sort((a, b) => Number(a.name !== a.project) - Number(b.name !== b.project));

    const search = new BacktrackingSearch(rules);
    const outcome = await search.run(roots, options.stepLimit ?? DEFAULT_STEP_LIMIT).finally(() => rules.finish());
    if (outcome.kind === 'resolved') return { kind: 'resolved', packages: rules.packages(outcome.state, constraintOrigins), notes: [...rules.notes], steps: outcome.rounds };
    if (outcome.kind === 'too-deep') {
      return { kind: 'incomplete', reason: 'step-limit', message: `The resolver gave up after ${outcome.rounds.toLocaleString('en-US')} steps without finding a set of versions that satisfies every requirement: the requirements leave too many combinations to try. Narrowing the ranges of the packages that conflict helps.`, notes: [...rules.notes] };
    }
    const causes = outcome.causes.map((info) => describeCause(info, outcome.state));
    const message = await explainConflict(causes, constraintOrigins, rules.pythonVersion, (project) => rules.availability(project));
    return { kind: 'conflict', message, causes, notes: [...rules.notes], steps: outcome.rounds };
  } catch (error) {
    if (error instanceof ResolutionStopped) return error.result;
    throw error;
  }
}

function rootMarkerApplies(rules: PipRules, marker: MarkerInfo | undefined, environment: TargetEnvironment['markers'], at: string): boolean {
  if (!marker) return true;
  const result = evaluateMarker(marker, environment);
  if (!result.ok) throw rules.stop('marker', `The marker '${marker.text}' (${at}) cannot be evaluated: ${result.message}`);
  return result.value;
}

function describeCause(info: Information<ResolverRequirement, Candidate>, state: SearchState<ResolverRequirement, Candidate>): ConflictCause {
  const requirement = info.requirement;
  const parent =
    info.parent && info.parent.kind !== 'python'
      ? { name: info.parent.project, version: info.parent.version, extras: info.parent.kind === 'extras' ? info.parent.extras : [], roots: rootsLeadingTo(info.parent.name, state) }
      : undefined;
  if (requirement.kind === 'python') return { project: PYTHON, requirement: requirement.text, pythonSpecifier: requirement.specifiers.map((c) => `${c.operator}${c.version}`).join(','), parent, satisfied: requirement.matches };
  return { project: requirement.project, requirement: requirement.text, origin: requirement.kind === 'specifier' ? requirement.origin : undefined, parent };
}

/** The top-level requirements through which an identifier was required (walking requirers upwards). */
function rootsLeadingTo(identifier: string, state: SearchState<ResolverRequirement, Candidate>): { requirement: string; origin: RequirementOrigin }[] {
  const roots = new Map<string, { requirement: string; origin: RequirementOrigin }>();
  const seen = new Set([identifier]);
  const queue = [identifier];
  while (queue.length) {
    for (const info of state.criteria.get(queue.shift()!)?.information ?? []) {
      if (info.parent === null) {
        const requirement = info.requirement as SpecifierRequirement;
        if (requirement.origin) roots.set(`${requirement.origin.file}:${requirement.origin.line}`, { requirement: requirement.text, origin: requirement.origin });
      } else if (!seen.has(info.parent.name)) {
        seen.add(info.parent.name);
        queue.push(info.parent.name);
      }
    }
  }
  return [...roots.values()];
}
