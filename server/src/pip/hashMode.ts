// Whether the installer will run a file in hash-checking mode, and why. pip decides once per
// install: any --require-hashes, or any requirement with a --hash (unless --no-require-hashes,
// pip 26.2+), in the file or in a file it includes with -r/-c, turns it on for every requirement.
// uv turns it on only for --require-hashes, and otherwise checks the hashes it is given.
import { hashesByAlgorithm, type RequirementEntry, type RequirementsDocument } from '../parser/requirementsFile';
import type { Span } from '../parser/types';
import type { IncludedFile } from './includes';
import { follows, knowsOption, LATEST_PIP, type InstallerProfile } from './installer';
import { findOption } from '../parser/pipOptions';
import { hasHash, isDirectReference, isPinnedForPip } from './pinning';

export interface HashMode {
  readonly on: boolean;
  /** What switched it on: a --require-hashes or --hash, here or in an included file. */
  readonly trigger?: { readonly kind: 'require-hashes' | 'hash'; readonly span: Span; readonly inFile?: string };
  /** Set when --no-require-hashes kept one --hash from switching it on. */
  readonly suppressedBy?: Span;
  /** Set when the installer checks the hashes given without hash mode (uv without --require-hashes): the first --hash. */
  readonly verifiesOnly?: { readonly span: Span; readonly inFile?: string };
}

/** Whether the installer obeys --no-require-hashes: a pip before 26.2 stops at it ("no such option") instead. */
export function honoursNoRequireHashes(installer: InstallerProfile): boolean {
  return installer.kind === 'pip' && knowsOption(installer, findOption('--no-require-hashes')?.addedIn);
}

/** What one file says about hash mode: the first of each kind of line that switches it on or off. */
interface FileHashFacts {
  readonly requireHashes?: Span;
  readonly noRequireHashes?: Span;
  readonly firstHash?: Span;
}

/** Per parse: an included file's facts are read once, not on every keystroke in the file that includes it. */
const FACTS = new WeakMap<RequirementsDocument, FileHashFacts>();

function factsOf(document: RequirementsDocument): FileHashFacts {
  const known = FACTS.get(document);
  if (known) return known;
  let requireHashes: Span | undefined;
  let noRequireHashes: Span | undefined;
  let firstHash: Span | undefined;
  for (const entry of document.entries) {
    if (entry.rejected) continue;
    // pip applies file-wide options only from a line of options alone: on a requirement, -e or
    // -r/-c line it drops them (req_file.handle_line, _parse_and_recurse), so
    // `pkg==1 --require-hashes` does not switch hash mode on.
    if (entry.kind === 'options') {
      for (const option of entry.options) {
        if (option.spec.dest === 'require_hashes') requireHashes ??= option.span;
        if (option.spec.dest === 'no_require_hashes') noRequireHashes ??= option.span;
      }
    }
    if (entry.kind === 'requirement' && !entry.editable && entry.hashes.length > 0) firstHash ??= entry.hashes[0].span;
  }
  const facts = { requireHashes, noRequireHashes, firstHash };
  FACTS.set(document, facts);
  return facts;
}

export function hashModeOf(document: RequirementsDocument, includes: readonly IncludedFile[] = [], installer: InstallerProfile = LATEST_PIP): HashMode {
  const files: Array<{ document: RequirementsDocument; inFile?: string; includeSpan?: Span }> = [{ document }];
  for (const include of includes) {
    if (include.document) files.push({ document: include.document, inFile: include.path, includeSpan: include.includeSpan });
  }
  let requireHashes: HashMode['trigger'];
  let firstHash: HashMode['trigger'];
  let suppressedBy: Span | undefined;
  for (const file of files) {
    const facts = factsOf(file.document);
    // What an included file switches on is shown on the line that includes it.
    const here = (span: Span) => (file.inFile ? file.includeSpan! : span);
    if (facts.requireHashes && !requireHashes) requireHashes = { kind: 'require-hashes', span: here(facts.requireHashes), inFile: file.inFile };
    if (facts.noRequireHashes && !suppressedBy) suppressedBy = here(facts.noRequireHashes);
    if (facts.firstHash && !firstHash) firstHash = { kind: 'hash', span: here(facts.firstHash), inFile: file.inFile };
  }
  if (requireHashes) return { on: true, trigger: requireHashes };
  if (firstHash && !follows(installer, 'automaticHashMode')) return { on: false, verifiesOnly: { span: firstHash.span, inFile: firstHash.inFile } };
  // A pip that does not know --no-require-hashes stops at it (reported on its line) rather than obey it.
  const suppressed = suppressedBy && honoursNoRequireHashes(installer) ? suppressedBy : undefined;
  if (firstHash && !suppressed) return { on: true, trigger: firstHash };
  return { on: false, suppressedBy: firstHash ? suppressed : undefined };
}

/**
 * A -c constraint whose hashes pip 26.1+ lends to a requirement of the same project that has no
 * --hash of its own (resolvelib factory: the constraint's hash options become the requirement's,
 * and the requirement is pinned to the version found; pypa/pip#13887). pip before 26.1 never does
 * (INSTALLER_RULES.constraintLendsHashes).
 */
export interface LentHashes {
  /** The constraint file (the first one naming the project with hashes). */
  readonly path: string;
  readonly entry: RequirementEntry;
}

/** By normalized project name. */
export type ConstraintHashes = ReadonlyMap<string, LentHashes>;

/**
 * The hashes the -c files among `includes` lend, by project. As pip combines several constraints
 * on one project: one without hashes changes nothing, two with hashes keep only the digests both
 * list (per algorithm), and none left lends nothing. Markers do not matter: pip 26.2.1 lends the
 * hashes of a constraint whose marker is false too.
 */
export function constraintHashesOf(includes: readonly IncludedFile[] = []): ConstraintHashes {
  const combined = new Map<string, { source: LentHashes; digests: Map<string, Set<string>> }>();
  for (const include of includes) {
    if (include.kind !== '-c' || !include.document) continue;
    for (const entry of include.document.entries) {
      if (entry.kind !== 'requirement' || entry.rejected || !entry.normalizedName || entry.hashes.length === 0) continue;
      const own = new Map(Object.entries(hashesByAlgorithm(entry)).map(([algorithm, digests]) => [algorithm, new Set(digests)]));
      const known = combined.get(entry.normalizedName);
      if (!known) {
        combined.set(entry.normalizedName, { source: { path: include.path, entry }, digests: own });
        continue;
      }
      const common = new Map<string, Set<string>>();
      for (const [algorithm, digests] of known.digests) {
        const theirs = own.get(algorithm);
        if (theirs) common.set(algorithm, new Set([...digests].filter((digest) => theirs.has(digest))));
      }
      known.digests = common;
    }
  }
  const lent = new Map<string, LentHashes>();
  for (const [name, { source, digests }] of combined) if ([...digests.values()].some((set) => set.size > 0)) lent.set(name, source);
  return lent;
}

/** Why pip refuses a requirement in hash-checking mode: not pinned with ==, or no hash to check. */
export type Refusal = 'unpinned' | 'unhashed';

/**
 * The installer's verdict on one hashable requirement in hash-checking mode (pip's
 * operations/prepare.py `_get_linked_req_hashes`), two behaviours checked with pip 23.2.1 and
 * 26.2.1. Before pip 26.1 (and for uv) the requirement itself must be pinned (a direct reference
 * need not be) and carry a hash. From 26.1 a requirement with hash options, its own or lent by a
 * constraint, is pinned to the version pip finds, so only a requirement with no hash at all is refused.
 */
export interface HashModeVerdict {
  /** Why the installer refuses it, if it does. */
  readonly refusal?: Refusal;
  /** The constraint whose hashes the installer uses for it (pip 26.1+). */
  readonly lent?: LentHashes;
}

export function hashModeVerdict(entry: RequirementEntry, constraints: ConstraintHashes, installer: InstallerProfile = LATEST_PIP): HashModeVerdict {
  const direct = isDirectReference(entry);
  const ownOptions = entry.hashes.length > 0;
  const pinned = direct || isPinnedForPip(entry);
  const hashed = hasHash(entry);
  if (!follows(installer, 'constraintLendsHashes')) return { refusal: !pinned ? 'unpinned' : !hashed ? 'unhashed' : undefined };
  // Only requirements found on an index borrow: pip resolves a direct reference without constraints' hashes.
  const lent = !ownOptions && !direct && entry.normalizedName ? constraints.get(entry.normalizedName) : undefined;
  const refusal = !(pinned || ownOptions || lent) ? 'unpinned' : !(hashed || lent) ? 'unhashed' : undefined;
  return lent ? { refusal, lent } : { refusal };
}

/** The files whose requirements pip installs from `includes`: each file read with -r, at any depth (a -r inside a -c file too), once. */
export function includedRequirementFiles(includes: readonly IncludedFile[] = []): IncludedFile[] {
  const byPath = new Map<string, IncludedFile>();
  for (const include of includes) if (include.kind === '-r' && include.document && !byPath.has(include.path)) byPath.set(include.path, include);
  return [...byPath.values()];
}
