// "Did you mean": the listed project nearest to a name that is not on the index.
import { canonicalizeName } from '../../parser/pep508';


/** Normalized names per project list (the index layer hands out the same array while it is cached). */
const normalizedLists = new WeakMap<readonly string[], string[]>();

/** Answers per project list and name: the same typo is looked up again on every run. */
const answers = new WeakMap<readonly string[], Map<string, string | undefined>>();

/** The listed name nearest to `name` (normalized, Damerau edit distance up to 1-3 by length), if any. */
export function closestName(name: string, names: readonly string[]): string | undefined {
  const target = canonicalizeName(name);
  let known = answers.get(names);
  if (!known) answers.set(names, (known = new Map()));
  if (known.has(target)) return known.get(target);
  let normalized = normalizedLists.get(names);
  if (!normalized) normalizedLists.set(names, (normalized = names.map(canonicalizeName)));
  // Character counts of the target: a candidate with more than `bound` characters the target
  // lacks is further than `bound` (each edit adds at most one), which is cheaper to see than the distance.
  const counts = new Int32Array(128);
  for (let i = 0; i < target.length; i++) counts[target.charCodeAt(i) & 127]++;
  let best: string | undefined;
  let bestDistance = (target.length <= 4 ? 1 : target.length <= 10 ? 2 : 3) + 1;
  for (let i = 0; i < normalized.length; i++) {
    const candidate = normalized[i];
    if (candidate === target || Math.abs(candidate.length - target.length) >= bestDistance) continue;
    if (extraCharacters(candidate, counts) >= bestDistance) continue;
    const distance = editDistance(target, candidate, bestDistance - 1);
    if (distance < bestDistance) [best, bestDistance] = [names[i], distance];
  }
  if (known.size >= 256) known.clear();
  known.set(target, best);
  return best;
}

/** How many characters of `candidate` the counted string does not have (counts are restored). */
function extraCharacters(candidate: string, counts: Int32Array): number {
  let extra = 0;
  for (let i = 0; i < candidate.length; i++) if (--counts[candidate.charCodeAt(i) & 127] < 0) extra++;
  for (let i = 0; i < candidate.length; i++) counts[candidate.charCodeAt(i) & 127]++;
  return extra;
}

/** editDistance's three rows, reused: it runs once per listed project (PyPI lists over half a million). */
let rows = new Int32Array(3 * 64);

/** Optimal string alignment distance (a swap of neighbours costs 1), or `bound + 1` once it exceeds `bound`. */
function editDistance(a: string, b: string, bound: number): number {
  const width = b.length + 1;
  if (rows.length < 3 * width) rows = new Int32Array(6 * width);
  let before = 0;
  let previous = width;
  let current = 2 * width;
  for (let j = 0; j < width; j++) rows[previous + j] = j;
  for (let i = 1; i <= a.length; i++) {
    rows[current] = i;
    let rowMin = i;
    for (let j = 1; j < width; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let value = Math.min(rows[previous + j] + 1, rows[current + j - 1] + 1, rows[previous + j - 1] + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) value = Math.min(value, rows[before + j - 2] + 1);
      rows[current + j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > bound) return bound + 1;
    [before, previous, current] = [previous, current, before];
  }
  return rows[previous + b.length];
}
