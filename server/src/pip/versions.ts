// PEP 440 for everything that reads Python versions. semver would order 2.0rc1 after 2.0 and
// reject 1!2.0 or 1.2.3.4, so every comparison goes through @renovatebot/pep440, and only
// through this module: the same few hundred version strings are parsed again and again (every
// file of every project, every sort comparison), so parses are remembered by string.
import * as pep440 from '@renovatebot/pep440';

/** Enough for every version of a few thousand projects; cleared, not evicted, when full. */
const MEMO_LIMIT = 50_000;

/** `parse`, remembering its answer per version string. */
export function remembered<T>(parse: (version: string) => T): (version: string) => T {
  const memo = new Map<string, T>();
  return (version) => {
    if (memo.has(version)) return memo.get(version) as T;
    if (memo.size >= MEMO_LIMIT) memo.clear();
    const value = parse(version);
    memo.set(version, value);
    return value;
  };
}

export const clean = remembered(pep440.clean);
export const valid = remembered(pep440.valid);
export const explain = remembered(pep440.explain);

const comparisons = new Map<string, number>();

/** PEP 440 order: negative when `a` is older than `b`. Throws for strings that are not PEP 440, as the library does. */
export function compare(a: string, b: string): number {
  const key = `${a} ${b}`;
  let order = comparisons.get(key);
  if (order === undefined) {
    if (comparisons.size >= MEMO_LIMIT) comparisons.clear();
    order = pep440.compare(a, b);
    comparisons.set(key, order);
  }
  return order;
}

export const { gt } = pep440;

/**
 * The distinct clauses of a specifier as the library splits it (at commas, trimmed). A specifier
 * is valid, and holds, when each of its clauses is and does, so each clause is judged on its own
 * and the verdict kept: the library parses the whole specifier again for every version it is
 * given, which made a requirement of 5,000 clauses cost seconds per hover.
 */
const clausesOf = remembered((specifier: string): readonly string[] => [...new Set(specifier.split(',').map((clause) => clause.trim()))]);

/** One clause as the library reads it within a specifier (where an empty one, unlike an empty specifier, is invalid). */
const validClause = remembered((clause: string) => clause !== '' && pep440.validRange(clause));

/** Whether a specifier (`>=1.0,<2`) is one PEP 440 reads: blank, or every clause valid. */
export function validRange(specifier: string): boolean {
  return !specifier.trim() || clausesOf(specifier).every(validClause);
}

const clauseVerdicts = new Map<string, boolean>();

/** The library's verdict on one clause and one version; `prereleases` as its options give it. */
function clauseHolds(version: string, clause: string, prereleases: boolean | undefined): boolean {
  const key = `${prereleases}\n${clause}\n${version}`;
  let verdict = clauseVerdicts.get(key);
  if (verdict === undefined) {
    if (clauseVerdicts.size >= MEMO_LIMIT) clauseVerdicts.clear();
    verdict = pep440.satisfies(version, clause, prereleases === undefined ? {} : { prereleases });
    clauseVerdicts.set(key, verdict);
  }
  return verdict;
}

/** The versions that satisfy every clause (the library's `pick`); none for a specifier it cannot read. */
function pick(versions: readonly string[], specifier: string, prereleases: boolean | undefined): string[] {
  const clauses = clausesOf(specifier);
  return versions.filter((version) => clauses.every((clause) => clauseHolds(version, clause, prereleases)));
}

/** @renovatebot/pep440's `filter`, clause by clause: pre-releases only when nothing else matches (unless `prereleases` says). */
export function filter(versions: readonly string[], specifier: string, options: { prereleases?: boolean } = {}): string[] {
  if (!specifier.trim() || !validRange(specifier)) return pep440.filter([...versions], specifier, options);
  const picked = pick(versions, specifier, options.prereleases);
  return picked.length === 0 && options.prereleases === undefined ? pick(versions, specifier, true) : picked;
}

/** @renovatebot/pep440's `satisfies`, clause by clause. */
export function satisfies(version: string, specifier: string, options: { prereleases?: boolean } = {}): boolean {
  if (!specifier.trim() || !validRange(specifier)) return pep440.satisfies(version, specifier, options);
  return pick([version], specifier, options.prereleases).length === 1;
}

/** Newest first; versions that are not PEP 440 (legacy names from old uploads) go last, in input order. */
export function sortVersionsDescending(versions: Iterable<string>): string[] {
  const valid440: string[] = [];
  const legacy: string[] = [];
  for (const version of new Set(versions)) (valid(version) ? valid440 : legacy).push(version);
  return [...valid440.sort((a, b) => compare(b, a)), ...legacy];
}
