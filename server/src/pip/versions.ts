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

export const { filter, gt, satisfies, validRange } = pep440;

/** Newest first; versions that are not PEP 440 (legacy names from old uploads) go last, in input order. */
export function sortVersionsDescending(versions: Iterable<string>): string[] {
  const valid440: string[] = [];
  const legacy: string[] = [];
  for (const version of new Set(versions)) (valid(version) ? valid440 : legacy).push(version);
  return [...valid440.sort((a, b) => compare(b, a)), ...legacy];
}
