// The one paragraph that says why no set of versions works, from the requirements the resolver
// could not satisfy together (resolvelib's causes), after pip's own cases (factory.py
// get_installation_error): a Python the releases refuse, one requirement nothing satisfies, or
// requirements that clash, each named with where it comes from.

/** One requirement among those that could not be satisfied together. */
export interface ConflictCause {
  /** PEP 503 name of the project required, or pip's Requires-Python identifier. */
  readonly project: string;
  /** `name[extras]specifiers`, or `Python>=3.12`. */
  readonly requirement: string;
  /** Where a top-level requirement is written. */
  readonly origin?: { readonly file: string; readonly line: number };
  /** The release that requires it (none for a top-level requirement). */
  readonly parent?: {
    readonly name: string;
    readonly version: string;
    readonly extras: readonly string[];
    /** The top-level requirements that led to it. */
    readonly roots: readonly { readonly requirement: string; readonly origin: { readonly file: string; readonly line: number } }[];
  };
  /** For a Requires-Python cause: its clauses, and whether the target Python meets them. */
  readonly pythonSpecifier?: string;
  readonly satisfied?: boolean;
}

export interface Availability {
  /** Usable versions, oldest first. */
  readonly versions: readonly string[];
  /** Releases left out, with why (yanked, another Python, no wheel for the target). */
  readonly excluded: readonly { readonly version: string; readonly reason: string }[];
  /** Usable pre-releases that are candidates only with --pre or a specifier naming one. */
  readonly prereleasesSkipped: readonly string[];
}

type ConstraintOrigins = ReadonlyMap<string, readonly { readonly requirement: string; readonly origin: { readonly file: string; readonly line: number } }[]>;

/** At most this many versions are listed; more are summarized. */
const LISTED_VERSIONS = 12;

const where = (origin: { file: string; line: number }) => `${origin.file}, line ${origin.line}`;

function requester(cause: ConflictCause): string {
  if (!cause.parent) return cause.origin ? where(cause.origin) : 'the top-level requirements';
  const { name, extras, version, roots } = cause.parent;
  const from = roots.length ? ` (from ${joinWords(roots.map((root) => `${root.requirement}, ${where(root.origin)}`))})` : '';
  return `${name}${extras.length ? `[${extras.join(',')}]` : ''} ${version}${from}`;
}

/** The top-level requirements a cause comes from, as `text (file, line N)`. */
function triggersOf(cause: ConflictCause): string[] {
  if (!cause.parent) return [cause.origin ? `${cause.requirement} (${where(cause.origin)})` : cause.requirement];
  return cause.parent.roots.length ? cause.parent.roots.map((root) => `${root.requirement} (${where(root.origin)})`) : [`${cause.parent.name}==${cause.parent.version}`];
}

/** "a, b and c". */
export function joinWords(parts: readonly string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

function listVersions(versions: readonly string[]): string {
  if (versions.length <= LISTED_VERSIONS) return versions.join(', ');
  return `${versions.slice(0, 3).join(', ')}, … ${versions.slice(-(LISTED_VERSIONS - 3)).join(', ')} (${versions.length} versions)`;
}

function describeAvailability(project: string, availability: Availability): string {
  const parts: string[] = [];
  parts.push(availability.versions.length ? `the index offers ${project} ${listVersions(availability.versions)}` : `the index offers no usable release of ${project}`);
  const byReason = new Map<string, string[]>();
  // Reasons in the order of the oldest release each one leaves out.
  for (const { version, reason } of availability.excluded) (byReason.get(reason) ?? byReason.set(reason, []).get(reason)!).push(version);
  for (const [reason, versions] of byReason) parts.push(`${listVersions(versions)} left out (${reason})`);
  if (availability.prereleasesSkipped.length) parts.push(`pre-releases ${listVersions(availability.prereleasesSkipped)} are candidates only with --pre or a specifier that names a pre-release`);
  return parts.join('; ');
}

export async function explainConflict(
  causes: readonly ConflictCause[],
  constraints: ConstraintOrigins,
  pythonVersion: string,
  availabilityOf: (project: string) => Promise<Availability>,
): Promise<string> {
  // A Python the releases refuse is what pip reports first.
  const python = causes.filter((cause) => cause.pythonSpecifier !== undefined && !cause.satisfied);
  if (python.length) {
    const refusals = python.map((cause) => `${requester(cause)} requires Python ${cause.pythonSpecifier}`);
    return `The target Python ${pythonVersion} is refused: ${joinWords([...new Set(refusals)])}. Choose a target Python these releases support, or require older releases that support ${pythonVersion}.`;
  }

  const named = causes.filter((cause) => cause.pythonSpecifier === undefined);
  const projects = [...new Set(named.map((cause) => cause.project))];
  const availability = new Map(await Promise.all(projects.map(async (project) => [project, await availabilityOf(project)] as const)));

  if (named.length === 1 && !constraints.has(named[0].project)) {
    const [cause] = named;
    const from = cause.parent ? `required by ${requester(cause)}` : requester(cause);
    return `No release of ${cause.project} satisfies ${cause.requirement} (${from}): ${describeAvailability(cause.project, availability.get(cause.project)!)}.`;
  }

  const triggers = new Set<string>();
  const clauses: string[] = [];
  for (const cause of named) {
    for (const trigger of triggersOf(cause)) triggers.add(trigger);
    clauses.push(`${requester(cause)} requires ${cause.requirement}`);
  }
  for (const project of projects) {
    for (const constraint of constraints.get(project) ?? []) clauses.push(`the constraint ${constraint.requirement} (${where(constraint.origin)}) restricts it`);
  }
  const offers = projects.map((project) => describeAvailability(project, availability.get(project)!));
  return `Cannot install ${joinWords([...triggers].sort())} together, because these requirements conflict: ${clauses.join('; ')}. For ${joinWords(projects)}, ${offers.join('; ')}. Loosening one of these requirements, or allowing other versions of the packages that ask for them, may let the resolver find a solution.`;
}
