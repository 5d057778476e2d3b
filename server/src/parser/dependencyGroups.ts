// PEP 735 dependency groups (pyproject.toml `[dependency-groups]`): which groups a group includes,
// and what `pip install --group` (pip 25.1+, packaging's dependency_groups) rejects: two names that
// normalize alike, an include of a group that does not exist, and includes that form a cycle.
// Every problem sits on the key or include that causes it. Linear in the number of includes.
import { canonicalizeName } from './pep508';
import type { Problem, Span } from './types';

export interface GroupInclude {
  /** The group named by `{include-group = "…"}`, as written. */
  readonly target: string;
  /** The include-group value. */
  readonly span: Span;
}

export interface DependencyGroup {
  readonly name: string;
  readonly nameSpan: Span;
  readonly includes: readonly GroupInclude[];
}

/** Names in a cycle shown in a message; a longer cycle is cut in the middle. */
const MAX_CYCLE_NAMES = 12;

export function dependencyGroupProblems(groups: readonly DependencyGroup[]): Problem[] {
  const problems: Problem[] = [];
  // packaging keeps the last of two groups with the same normalized name (and pip then refuses them all).
  const byName = new Map<string, DependencyGroup>();
  for (const group of groups) {
    const normalized = canonicalizeName(group.name);
    const earlier = byName.get(normalized);
    if (earlier) {
      problems.push({
        code: 'dependency-group',
        message: `Dependency group names '${earlier.name}' and '${group.name}' are the same once normalized (${normalized}): pip rejects the whole [dependency-groups] table ("Duplicate dependency group names").`,
        span: group.nameSpan,
      });
    }
    byName.set(normalized, group);
  }
  for (const group of groups) {
    for (const include of group.includes) {
      if (byName.has(canonicalizeName(include.target))) continue;
      problems.push({
        code: 'dependency-group',
        message: `Dependency group '${include.target}' not found: '${group.name}' includes it, so pip install --group ${group.name} fails.`,
        span: include.span,
      });
    }
  }
  problems.push(...cycleProblems([...byName.values()], byName));
  return problems;
}

/**
 * One problem per include that closes a cycle (a back edge of a depth-first walk), naming the
 * cycle. Iterative, so a long chain of includes cannot overflow the stack.
 */
function cycleProblems(groups: readonly DependencyGroup[], byName: ReadonlyMap<string, DependencyGroup>): Problem[] {
  const problems: Problem[] = [];
  const done = new Set<DependencyGroup>();
  // The groups on the current path, and where each sits on it.
  const path: { group: DependencyGroup; next: number }[] = [];
  const onPath = new Map<DependencyGroup, number>();
  for (const start of groups) {
    if (done.has(start)) continue;
    path.push({ group: start, next: 0 });
    onPath.set(start, 0);
    while (path.length > 0) {
      const frame = path[path.length - 1];
      const include = frame.group.includes[frame.next++];
      if (!include) {
        done.add(frame.group);
        onPath.delete(frame.group);
        path.pop();
        continue;
      }
      const target = byName.get(canonicalizeName(include.target));
      if (!target || done.has(target)) continue;
      const at = onPath.get(target);
      if (at !== undefined) {
        problems.push({
          code: 'dependency-group',
          message: `Cyclic dependency group include: ${cycleText(path, at)}. pip install --group fails for '${target.name}' and every group that includes it.`,
          span: include.span,
        });
        continue;
      }
      onPath.set(target, path.length);
      path.push({ group: target, next: 0 });
    }
  }
  return problems;
}

/** The cycle from path[from] to the path's end and back, cut in the middle when long (only the names shown are read). */
function cycleText(path: readonly { group: DependencyGroup }[], from: number): string {
  const length = path.length - from;
  const name = (i: number) => path[from + i].group.name;
  const back = path[from].group.name;
  if (length < MAX_CYCLE_NAMES) return [...Array.from({ length }, (_, i) => name(i)), back].join(' → ');
  const half = MAX_CYCLE_NAMES / 2;
  return [...Array.from({ length: half }, (_, i) => name(i)), '…', ...Array.from({ length: half - 1 }, (_, i) => name(length - half + 1 + i)), back].join(' → ');
}
