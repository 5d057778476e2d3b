// The backtracking search pip's resolver runs (resolvelib 1.2, as vendored by pip 26.2.1): pin one
// identifier per round (the provider chooses which), add the pinned candidate's dependencies to
// the criteria, and when no candidate of an identifier works, backjump to the pin that caused it,
// remember that candidate as incompatible, and go on. Reproducing it step for step (state stack,
// insertion orders, optimistic backjumping and its rollback) is what makes backtracking land where
// pip lands. Generic over requirements and candidates; all knowledge of packages is the provider's.

/** A requirement and the candidate that asked for it (null: a root requirement). */
export interface Information<R, C> {
  readonly requirement: R;
  readonly parent: C | null;
}

export interface Criterion<R, C> {
  /** The candidates still possible, best first (some may turn out unusable when their metadata is read). */
  readonly candidates: readonly C[];
  readonly information: readonly Information<R, C>[];
  readonly incompatibilities: readonly C[];
}

export interface SearchState<R, C> {
  /** Pins in the order they were made (backjumping undoes the last one first). */
  readonly mapping: Map<string, C>;
  readonly criteria: Map<string, Criterion<R, C>>;
  backtrackCauses: Information<R, C>[];
}

/** What the search asks of the package world (resolvelib's AbstractProvider, with pip's answers). */
export interface SearchProvider<R, C> {
  requirementName(requirement: R): string;
  candidateName(candidate: C): string;
  /** The identifiers to choose among this round (pip's narrow_requirement_selection). */
  narrow(identifiers: readonly string[], state: SearchState<R, C>): readonly string[];
  /** Sort key: the smallest is pinned next (pip's get_preference). */
  preference(identifier: string, state: SearchState<R, C>): readonly (boolean | number | string)[];
  /** The candidates satisfying `requirements(identifier)`, minus `incompatibilities(identifier)`, best first. */
  findMatches(identifier: string, requirements: (identifier: string) => readonly R[], incompatibilities: (identifier: string) => readonly C[]): Promise<readonly C[]>;
  /** Pure: the search remembers the answers per criterion and pin. */
  isSatisfiedBy(requirement: R, candidate: C): boolean;
  /** Whether the candidate can be used at all (its metadata read and valid); may fetch. */
  isUsable(candidate: C): Promise<boolean>;
  /** Dependencies of a usable candidate. */
  dependencies(candidate: C): readonly R[];
  /** Called before a candidate's dependencies are added, so their pages can be fetched together. */
  prefetch?(requirements: readonly R[]): Promise<void>;
  /** Called at the start of every round: throws to stop (cancellation). */
  checkpoint?(round: number): void;
}

export type SearchOutcome<R, C> =
  | { readonly kind: 'resolved'; readonly state: SearchState<R, C>; readonly rounds: number }
  | { readonly kind: 'impossible'; readonly causes: readonly Information<R, C>[]; readonly state: SearchState<R, C>; readonly rounds: number }
  | { readonly kind: 'too-deep'; readonly rounds: number };

/** The criteria that could not all be satisfied at once. */
class RequirementsConflicted<R, C> {
  constructor(readonly criterion: Criterion<R, C>) {}
}

class ResolutionImpossible<R, C> {
  constructor(readonly causes: readonly Information<R, C>[]) {}
}

/** resolvelib gives up optimistic backjumping after this share of the remaining rounds. */
const OPTIMISTIC_BACKJUMPING_RATIO = 0.1;

/** Reading and writing criteria by identifier: the state's map, or a view of changes over it. */
interface CriteriaView<R, C> {
  get(identifier: string): Criterion<R, C> | undefined;
  set(identifier: string, criterion: Criterion<R, C>): unknown;
}

function copyState<R, C>(state: SearchState<R, C>): SearchState<R, C> {
  return { mapping: new Map(state.mapping), criteria: new Map(state.criteria), backtrackCauses: [...state.backtrackCauses] };
}

/** A change made to the live state, with what undoes it. */
type Undo<R, C> =
  | { readonly kind: 'criterion'; readonly identifier: string; readonly previous: Criterion<R, C> | undefined }
  /** `position`: where the previous pin stood in the mapping (a new pin goes last). */
  | { readonly kind: 'pin'; readonly identifier: string; readonly previous: C | undefined; readonly position: number }
  | { readonly kind: 'causes'; readonly previous: Information<R, C>[] };

function undo<R, C>(state: SearchState<R, C>, change: Undo<R, C>): void {
  if (change.kind === 'causes') state.backtrackCauses = change.previous;
  else if (change.kind === 'criterion') {
    // A criterion added went last, and everything after it is undone already.
    if (change.previous === undefined) state.criteria.delete(change.identifier);
    else state.criteria.set(change.identifier, change.previous);
  } else {
    state.mapping.delete(change.identifier);
    if (change.previous !== undefined) {
      // Back into its place (a pin made again moved last): rare, so the order is rebuilt.
      const entries = [...state.mapping];
      entries.splice(change.position, 0, [change.identifier, change.previous]);
      state.mapping.clear();
      for (const [identifier, candidate] of entries) state.mapping.set(identifier, candidate);
    }
  }
}

function positionOf<K>(map: ReadonlyMap<K, unknown>, key: K): number {
  let position = 0;
  for (const candidate of map.keys()) {
    if (candidate === key) return position;
    position++;
  }
  return -1;
}

export class BacktrackingSearch<R, C> {
  /**
   * resolvelib keeps a stack of states, each a copy of the one below with one more pin; copying
   * every criterion and pin each round was 40% of the search. Only the top state (`live`) is
   * kept whole here; each state below it is the live one with the changes made since undone, in
   * reverse: `undoLogs[i]` turns state i + 1 into state i (the root state has none).
   */
  private live: SearchState<R, C> = { mapping: new Map(), criteria: new Map(), backtrackCauses: [] };
  private undoLogs: Undo<R, C>[][] = [];
  private optimisticRatio = OPTIMISTIC_BACKJUMPING_RATIO;
  /** The stack as it was when optimistic backjumping started, to roll back to. */
  private saved: { readonly live: SearchState<R, C>; readonly undoLogs: Undo<R, C>[][] } | undefined;
  /** The live criteria, every change logged. */
  private readonly liveCriteria: CriteriaView<R, C> = { get: (identifier) => this.live.criteria.get(identifier), set: (identifier, criterion) => this.setCriterion(identifier, criterion) };
  /**
   * Whether a criterion holds for a pin, remembered: every round asks it of every criterion, and
   * criteria and pins never change (a changed criterion is a new object), so each pair is worked
   * out once. Only the last pin asked is kept per criterion.
   */
  private readonly satisfaction = new WeakMap<Criterion<R, C>, { readonly pin: C; readonly satisfied: boolean }>();

  constructor(private readonly provider: SearchProvider<R, C>) {}

  private get state(): SearchState<R, C> {
    return this.live;
  }

  /** States on the stack, the root included. */
  private get depth(): number {
    return this.undoLogs.length + 1;
  }

  async run(roots: readonly R[], maxRounds: number): Promise<SearchOutcome<R, C>> {
    this.live = { mapping: new Map(), criteria: new Map(), backtrackCauses: [] };
    this.undoLogs = [];
    await this.provider.prefetch?.(roots);
    for (const root of roots) {
      try {
        await this.addToCriteria(this.liveCriteria, root, null);
      } catch (error) {
        if (error instanceof RequirementsConflicted) return { kind: 'impossible', causes: (error as RequirementsConflicted<R, C>).criterion.information, state: this.state, rounds: 0 };
        throw error;
      }
    }
    // The root state stays as a sentinel so the first pin has something to backtrack to.
    this.pushNewState();
    let optimisticStart: number | undefined;
    let optimisticCutoff: number | undefined;
    for (let round = 0; round < maxRounds; round++) {
      this.provider.checkpoint?.(round);
      if (this.optimisticRatio && this.saved !== undefined) {
        if (optimisticStart === undefined) {
          optimisticStart = round;
          optimisticCutoff = Math.trunc((maxRounds - round) * this.optimisticRatio);
          if (optimisticCutoff <= 0) {
            this.rollbackStates();
            continue;
          }
        } else if (optimisticCutoff !== undefined && round - optimisticStart >= optimisticCutoff) {
          this.rollbackStates();
          continue;
        }
      }

      const unsatisfied: string[] = [];
      const satisfied = new Set<string>();
      for (const [name, criterion] of this.state.criteria) {
        if (this.isCurrentPinSatisfying(name, criterion)) satisfied.add(name);
        else unsatisfied.push(name);
      }
      if (unsatisfied.length === 0) return { kind: 'resolved', state: this.state, rounds: round };

      const narrowed = unsatisfied.length > 1 ? this.provider.narrow(unsatisfied, this.state) : unsatisfied;
      if (narrowed.length === 0) throw new Error('narrow returned no identifier');
      const name = narrowed.length > 1 ? this.mostPreferred(narrowed) : narrowed[0];

      const attempt = await this.attemptToPin(name);
      // No cause at all (no usable candidate left) counts as a success, as in resolvelib.
      if (attempt.causes.length > 0) {
        const causes = extractCauses(attempt.causes);
        let success = false;
        let failedOptimistic: boolean;
        try {
          success = await this.backjump(causes);
          failedOptimistic = !success && this.optimisticRatio > 0 && this.saved !== undefined;
        } catch (error) {
          if (!(error instanceof ResolutionImpossible)) throw error;
          if (this.optimisticRatio > 0 && this.saved !== undefined) failedOptimistic = true;
          else return { kind: 'impossible', causes: (error as ResolutionImpossible<R, C>).causes, state: this.state, rounds: round + 1 };
        }
        if (failedOptimistic && this.saved !== undefined) {
          this.rollbackStates();
        } else {
          this.setCauses(causes);
          if (!success) return { kind: 'impossible', causes: this.state.backtrackCauses, state: this.state, rounds: round + 1 };
        }
      } else {
        // Requirements of pins that no longer hold stop counting as information. Only a criterion
        // the pin changed can stop holding: the others and their pins are as they were this round.
        const invalidated = new Set<string>();
        for (const key of attempt.changed) if (satisfied.has(key) && !this.isCurrentPinSatisfying(key, this.state.criteria.get(key)!)) invalidated.add(key);
        this.removeInformationFrom(invalidated);
        this.pushNewState();
      }
    }
    return { kind: 'too-deep', rounds: maxRounds };
  }

  private mostPreferred(names: readonly string[]): string {
    let best = names[0];
    let bestKey = this.provider.preference(best, this.state);
    for (const name of names.slice(1)) {
      const key = this.provider.preference(name, this.state);
      if (compareKeys(key, bestKey) < 0) {
        best = name;
        bestKey = key;
      }
    }
    return best;
  }

  /** A new state on the stack, the same as the one below until changed. */
  private pushNewState(): void {
    this.undoLogs.push([]);
  }

  /** Drops the top state: the one below it becomes live. */
  private popState(): void {
    const log = this.undoLogs.pop()!;
    for (let i = log.length - 1; i >= 0; i--) undo(this.live, log[i]);
  }

  private setCriterion(identifier: string, criterion: Criterion<R, C>): void {
    this.undoLogs[this.undoLogs.length - 1]?.push({ kind: 'criterion', identifier, previous: this.live.criteria.get(identifier) });
    this.live.criteria.set(identifier, criterion);
  }

  /** The newest pin goes last: backjumping undoes pins from the end. */
  private pin(identifier: string, candidate: C): void {
    const { mapping } = this.live;
    const previous = mapping.get(identifier);
    this.undoLogs[this.undoLogs.length - 1]?.push({ kind: 'pin', identifier, previous, position: previous === undefined ? -1 : positionOf(mapping, identifier) });
    mapping.delete(identifier);
    mapping.set(identifier, candidate);
  }

  private setCauses(causes: Information<R, C>[]): void {
    this.undoLogs[this.undoLogs.length - 1]?.push({ kind: 'causes', previous: this.live.backtrackCauses });
    this.live.backtrackCauses = causes;
  }

  private isCurrentPinSatisfying(name: string, criterion: Criterion<R, C>): boolean {
    const pin = this.state.mapping.get(name);
    if (pin === undefined) return false;
    const known = this.satisfaction.get(criterion);
    if (known?.pin === pin) return known.satisfied;
    const satisfied = criterion.information.every((info) => this.provider.isSatisfiedBy(info.requirement, pin));
    this.satisfaction.set(criterion, { pin, satisfied });
    return satisfied;
  }

  private async firstUsable(candidates: readonly C[]): Promise<boolean> {
    for (const candidate of candidates) if (await this.provider.isUsable(candidate)) return true;
    return false;
  }

  private async addToCriteria(criteria: CriteriaView<R, C>, requirement: R, parent: C | null): Promise<void> {
    const identifier = this.provider.requirementName(requirement);
    const existing = criteria.get(identifier);
    const incompatibilities = existing ? [...existing.incompatibilities] : [];
    const candidates = await this.provider.findMatches(
      identifier,
      (name) => [...(criteria.get(name)?.information.map((info) => info.requirement) ?? []), ...(name === identifier ? [requirement] : [])],
      (name) => [...(criteria.get(name)?.incompatibilities ?? []), ...(name === identifier ? incompatibilities : [])],
    );
    const criterion: Criterion<R, C> = { candidates, information: [...(existing?.information ?? []), { requirement, parent }], incompatibilities };
    if (!(await this.firstUsable(candidates))) throw new RequirementsConflicted(criterion);
    criteria.set(identifier, criterion);
  }

  private removeInformationFrom(parents: ReadonlySet<string>): void {
    if (parents.size === 0) return;
    for (const [key, criterion] of this.live.criteria) {
      const information = criterion.information.filter((info) => info.parent === null || !parents.has(this.provider.candidateName(info.parent)));
      // An unchanged criterion stays the same object, so what is remembered about it still holds.
      if (information.length < criterion.information.length) this.setCriterion(key, { ...criterion, information });
    }
  }

  /** The criteria a candidate's dependencies change or add, in the order first changed (the state's are untouched). */
  private async updatedCriteria(candidate: C): Promise<Map<string, Criterion<R, C>>> {
    const current = this.state.criteria;
    const changed = new Map<string, Criterion<R, C>>();
    // resolvelib works on a copy of all the criteria; only the changed ones are kept here.
    const criteria: CriteriaView<R, C> = { get: (name) => changed.get(name) ?? current.get(name), set: (name, criterion) => changed.set(name, criterion) };
    const dependencies = this.provider.dependencies(candidate);
    await this.provider.prefetch?.(dependencies);
    for (const requirement of dependencies) await this.addToCriteria(criteria, requirement, candidate);
    return changed;
  }

  /**
   * Pins the first candidate whose dependencies fit, saying which criteria that changed; the
   * criteria that refused each candidate otherwise.
   */
  private async attemptToPin(name: string): Promise<{ readonly causes: readonly Criterion<R, C>[]; readonly changed: Iterable<string> }> {
    const criterion = this.state.criteria.get(name)!;
    const causes: Criterion<R, C>[] = [];
    for (const candidate of criterion.candidates) {
      if (!(await this.provider.isUsable(candidate))) continue;
      let criteria: Map<string, Criterion<R, C>>;
      try {
        criteria = await this.updatedCriteria(candidate);
      } catch (error) {
        if (!(error instanceof RequirementsConflicted)) throw error;
        causes.push((error as RequirementsConflicted<R, C>).criterion);
        continue;
      }
      // Keys already there keep their place; new ones follow in the order they were added, as in resolvelib's copy.
      for (const [key, value] of criteria) this.setCriterion(key, value);
      this.pin(name, candidate);
      return { causes: [], changed: criteria.keys() };
    }
    return { causes, changed: [] };
  }

  private async patchCriteria(fromBroken: readonly (readonly [string, C[]])[]): Promise<boolean> {
    for (const [key, incompatibilities] of fromBroken) {
      if (incompatibilities.length === 0) continue;
      const criterion = this.state.criteria.get(key);
      if (!criterion) continue;
      const criteria = this.state.criteria;
      const candidates = await this.provider.findMatches(
        key,
        (name) => criteria.get(name)?.information.map((info) => info.requirement) ?? [],
        (name) => [...(criteria.get(name)?.incompatibilities ?? []), ...(name === key ? incompatibilities : [])],
      );
      if (!(await this.firstUsable(candidates))) return false;
      incompatibilities.push(...criterion.incompatibilities);
      this.setCriterion(key, { candidates, information: [...criterion.information], incompatibilities });
    }
    return true;
  }

  private saveStates(): void {
    this.saved ??= { live: copyState(this.live), undoLogs: this.undoLogs.map((log) => [...log]) };
  }

  private rollbackStates(): void {
    this.optimisticRatio = 0;
    if (this.saved !== undefined) {
      this.live = this.saved.live;
      this.undoLogs = this.saved.undoLogs;
      this.saved = undefined;
    }
  }

  /**
   * Undoes pins until one whose removal lets the search go on: the state before it gets the
   * incompatibilities learnt since, plus that pin itself. False when no state is left to try.
   */
  private async backjump(causes: readonly Information<R, C>[]): Promise<boolean> {
    const incompatibleDeps = new Set<string>();
    for (const cause of causes) if (cause.parent !== null) incompatibleDeps.add(this.provider.candidateName(cause.parent));
    for (const cause of causes) incompatibleDeps.add(this.provider.requirementName(cause.requirement));
    while (this.depth >= 3) {
      // Drop the state that triggered backtracking.
      this.popState();
      let name: string;
      let candidate: C;
      let fromBroken: (readonly [string, C[]])[];
      for (;;) {
        // The live state is the broken one: its last pin is undone, and the state below goes on.
        if (this.undoLogs.length === 0) throw new ResolutionImpossible(causes);
        let last: readonly [string, C] | undefined;
        for (const entry of this.live.mapping) last = entry;
        if (!last) {
          this.popState();
          throw new ResolutionImpossible(causes);
        }
        [name, candidate] = last;
        const pinsLeft = this.live.mapping.size - 1;
        const unrelated = !incompatibleDeps.has(name);
        let found = !this.optimisticRatio && unrelated;
        const save = !found && this.optimisticRatio && this.saved === undefined && unrelated;
        found ||= this.provider.dependencies(candidate).some((requirement) => incompatibleDeps.has(this.provider.requirementName(requirement))) || pinsLeft === 0;
        // What the broken state had learnt is read before it goes.
        if (found) fromBroken = [...this.live.criteria].map(([key, criterion]) => [key, [...criterion.incompatibilities]] as const);
        this.popState();
        if (save) this.saveStates();
        if (found) break;
        if (this.depth <= 1) throw new ResolutionImpossible(causes);
      }
      fromBroken!.push([name, [candidate]]);
      this.pushNewState();
      if (await this.patchCriteria(fromBroken!)) return true;
    }
    return false;
  }
}

/** resolvelib's `_extract_causes`: every information of the failed criteria, each once, in order. */
function extractCauses<R, C>(criteria: readonly Criterion<R, C>[]): Information<R, C>[] {
  const seen = new Set<Information<R, C>>();
  for (const criterion of criteria) for (const info of criterion.information) seen.add(info);
  return [...seen];
}

/** Python tuple order: element by element, false < true, numbers and strings as Python orders them. */
export function compareKeys(a: readonly (boolean | number | string)[], b: readonly (boolean | number | string)[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = typeof a[i] === 'boolean' ? Number(a[i]) : a[i];
    const y = typeof b[i] === 'boolean' ? Number(b[i]) : b[i];
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return a.length - b.length;
}
