// The backtracking search with a small provider of its own (no packages, no index): what it
// remembers between rounds (whether a criterion holds for a pin) is asked once per criterion and
// pin, and asked again when a pin's dependencies replace a criterion.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BacktrackingSearch, type SearchProvider, type SearchState } from '../../server/src/pip/resolverSearch';

/** A requirement: a project and the versions it allows. */
interface Wanted {
  readonly name: string;
  readonly versions: readonly number[];
}

/** A release: its version and what it requires. */
interface Release {
  readonly name: string;
  readonly version: number;
  readonly requires: readonly Wanted[];
}

/** Projects by name, releases newest first; counts what the search asks. */
function toyProvider(projects: Readonly<Record<string, readonly Release[]>>) {
  const asked = { satisfaction: 0, pairs: new Map<string, number>() };
  const provider: SearchProvider<Wanted, Release> = {
    requirementName: (requirement) => requirement.name,
    candidateName: (candidate) => candidate.name,
    narrow: (identifiers) => identifiers,
    // Alphabetical: the search pins `a` before `b`.
    preference: (identifier) => [identifier],
    async findMatches(identifier, requirements, incompatibilities) {
      const wanted = requirements(identifier);
      const excluded = new Set(incompatibilities(identifier));
      return (projects[identifier] ?? []).filter((release) => !excluded.has(release) && wanted.every((requirement) => requirement.versions.includes(release.version)));
    },
    isSatisfiedBy(requirement, candidate) {
      asked.satisfaction++;
      const pair = `${requirement.name}${requirement.versions.join('|')} ${candidate.version}`;
      asked.pairs.set(pair, (asked.pairs.get(pair) ?? 0) + 1);
      return requirement.versions.includes(candidate.version);
    },
    isUsable: async () => true,
    dependencies: (candidate) => candidate.requires,
  };
  return { provider, asked };
}

const release = (name: string, version: number, ...requires: Wanted[]): Release => ({ name, version, requires });
const any = (name: string): Wanted => ({ name, versions: [1, 2, 3] });

function pins(state: SearchState<Wanted, Release>): Record<string, number> {
  return Object.fromEntries([...state.mapping].map(([name, candidate]) => [name, candidate.version]));
}

describe('resolver search', () => {
  test('whether a criterion holds for its pin is worked out once, not every round', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `p${String(i).padStart(2, '0')}`);
    const { provider, asked } = toyProvider(Object.fromEntries(names.map((name) => [name, [release(name, 2), release(name, 1)]])));
    const outcome = await new BacktrackingSearch(provider).run(names.map(any), 1000);
    assert.equal(outcome.kind, 'resolved');
    assert.equal(outcome.kind === 'resolved' && Object.values(pins(outcome.state)).every((version) => version === 2), true);
    // One question per root once pinned (every later round finds the answer remembered); asking
    // every criterion every round would be 40 × 41 / 2 questions and more.
    assert.equal(asked.satisfaction, names.length);
  });

  test('a criterion a later pin replaces is asked again: the earlier pin stops holding and is redone', async () => {
    // `a` is pinned first (2, the newest); `b` 2 then requires `a` 1: the criterion of `a` is
    // replaced, its pin no longer holds, and the next round pins `a` 1.
    const { provider, asked } = toyProvider({
      a: [release('a', 2), release('a', 1)],
      b: [release('b', 2, { name: 'a', versions: [1] }), release('b', 1)],
    });
    const outcome = await new BacktrackingSearch(provider).run([any('a'), any('b')], 100);
    assert.equal(outcome.kind, 'resolved');
    assert.deepEqual(outcome.kind === 'resolved' && pins(outcome.state), { a: 1, b: 2 });
    // The replaced criterion was asked about the old pin (a 2 against `a` 1: no) before `a` was pinned again.
    assert.equal(asked.pairs.get('a1 2'), 1);
    assert.equal(asked.pairs.get('a1 1'), 1);
  });

  test('the criteria a refused candidate added are dropped with it', async () => {
    // `b` 2 requires `d` (new) and then `c` 1, which `a` 2 refuses (it requires `c` 2): `b` 2 is
    // refused, and the criterion of `d` it added goes with it; `b` 1 is pinned.
    const { provider } = toyProvider({
      a: [release('a', 2, { name: 'c', versions: [2] })],
      b: [release('b', 2, any('d'), { name: 'c', versions: [1] }), release('b', 1)],
      c: [release('c', 2), release('c', 1)],
      d: [release('d', 1)],
    });
    const outcome = await new BacktrackingSearch(provider).run([any('a'), any('b')], 100);
    assert.equal(outcome.kind, 'resolved');
    assert.deepEqual(outcome.kind === 'resolved' && pins(outcome.state), { a: 2, b: 1, c: 2 });
    assert.deepEqual(outcome.kind === 'resolved' && [...outcome.state.criteria.keys()], ['a', 'b', 'c']);
  });
});
