// What `pip install .[extras] --group NAME` would install from a library manifest, as top-level
// requirements for `lock`: `[project].dependencies` (setup.cfg/setup.py install_requires), the
// extras named (optional-dependencies / extras_require), and PEP 735 dependency groups with their
// includes (packaging's DependencyGroupResolver: names normalized, a missing group or a cycle is
// an error). A reference to the project itself (`all = ["me[a,b]"]`) stands for its own lists, as
// pip's resolver reads it. What cannot be read statically (dynamic dependencies, a computed
// install_requires) is an error: never guessed. Pure: the manifest's text in, requirements out.
import { lastIndexAtOrBefore } from '../parser/arrays';
import { declaredListName, oversizedManifest, type Declarations, type DeclaredRequirement } from '../parser/declared';
import type { ManifestKind } from '../parser/documentKinds';
import { canonicalizeName, type Requirement } from '../parser/pep508';
import { readPyproject, type PyprojectReading } from '../parser/pyproject';
import { readIni } from '../parser/setupCfg';

export interface ManifestSelection {
  /** Extras (optional-dependencies keys) to add, as the user names them. */
  readonly extras: readonly string[];
  /** Every extra the manifest lists. */
  readonly allExtras?: boolean;
  /** PEP 735 dependency groups to add (pyproject.toml only). */
  readonly groups: readonly string[];
  /** The groups alone, without the project's dependencies (uv's --only-group). */
  readonly onlyGroups?: boolean;
}

export interface ManifestRoot {
  readonly requirement: Requirement;
  /** The 1-based line of the string it was read from. */
  readonly line: number;
}

export type ManifestRoots =
  | { readonly ok: true; readonly roots: readonly ManifestRoot[]; /** `[project] name` or setup.cfg's `[metadata] name`. */ readonly project?: string }
  | { readonly ok: false; readonly message: string };

/** Self-references followed at most this deep (each adds one extra, so the extras bound it anyway). */
const MAX_SELF_REFERENCES = 1_000;

export function manifestRoots(kind: ManifestKind, text: string, declarations: Declarations, selection: ManifestSelection, label: string): ManifestRoots {
  const pyproject = kind === 'pyproject-toml' ? readPyproject(text) : undefined;
  const project = pyproject ? pyproject.name : kind === 'setup-cfg' ? setupCfgName(text) : undefined;
  const fail = (message: string): ManifestRoots => ({ ok: false, message });
  const lineOf = lineCounter(text);
  const oversized = oversizedManifest(text, label);
  if (oversized) return fail(oversized.message);
  const blocking = declarations.problems.find((problem) => problem.code === 'syntax' || (kind !== 'pyproject-toml' && problem.code === 'unresolved-install-requires'));
  if (blocking) return fail(`${label}, line ${lineOf(blocking.span.start)}: ${blocking.message}`);
  if (pyproject && !selection.onlyGroups && pyproject.dependencies === 'dynamic') {
    return fail(`${label}: [project] dependencies are dynamic (the build backend computes them when it builds), so lock cannot read them; list them in [project] dependencies, or lock a requirements.in`);
  }
  if (kind !== 'pyproject-toml' && selection.groups.length > 0) return fail(`${label}: dependency groups (--group) are a pyproject.toml table (PEP 735); a ${kind === 'setup-cfg' ? 'setup.cfg' : 'setup.py'} has none`);

  const lists = listsOf(kind, declarations);
  const extraNames = new Map<string, string>();
  for (const requirement of declarations.requirements) if (requirement.string.extra !== undefined) extraNames.set(canonicalizeName(requirement.string.extra), requirement.string.extra);
  const wantedExtras = selection.allExtras ? [...extraNames.keys()] : selection.extras.map(canonicalizeName);
  if (selection.extras.length > 0 || selection.allExtras) {
    if (pyproject?.optionalDependencies === 'dynamic') return fail(`${label}: [project] optional-dependencies are dynamic (the build backend computes them), so lock cannot read the extras`);
    const unknown = selection.extras.filter((extra) => !extraNames.has(canonicalizeName(extra)));
    if (unknown.length > 0) return fail(`${label} has no extra ${unknown.map((extra) => `'${extra}'`).join(', ')}${extraNames.size ? ` (its extras: ${[...extraNames.values()].join(', ')})` : ''}`);
  }
  const grouped = pyproject ? groupRequirements(pyproject, declarations, selection.groups, label, lineOf) : { ok: true as const, requirements: [] };
  if (!grouped.ok) return fail(grouped.message);

  const roots: ManifestRoot[] = [];
  const projectKey = project === undefined ? undefined : canonicalizeName(project);
  const expanded = new Set<string>();
  const pending: DeclaredRequirement[] = [];
  const expand = (extra: string | undefined) => {
    const key = extra ?? '';
    if (expanded.has(key)) return;
    expanded.add(key);
    pending.push(...(lists.get(key) ?? []));
  };
  if (!selection.onlyGroups) {
    expand(undefined);
    for (const extra of wantedExtras) expand(extra);
  }
  pending.push(...grouped.requirements);
  for (let next = 0; next < pending.length; next++) {
    const declared = pending[next];
    if (!declared.parsed.ok) return fail(`${label}, line ${lineOf(declared.string.span.start)}: invalid requirement '${declared.text}' in ${declaredListName(declared.string)}: ${declared.parsed.message}`);
    if (declared.string.conditional) return fail(`${label}, line ${lineOf(declared.string.span.start)}: ${declared.text} is added under a condition that only running setup.py decides, so lock cannot tell whether it applies`);
    const requirement = declared.parsed.value;
    if (projectKey !== undefined && canonicalizeName(requirement.name) === projectKey && !selection.onlyGroups) {
      // pip's resolver reads `me[a]` in me's own lists as me's extra a: the project is already in the install.
      if (requirement.marker) return fail(`${label}, line ${lineOf(declared.string.span.start)}: ${declared.text} names the project itself under a marker; lock follows such a reference only without one`);
      if (expanded.size > MAX_SELF_REFERENCES) return fail(`${label}: more than ${MAX_SELF_REFERENCES} extras reached through references to the project itself`);
      expand(undefined);
      for (const extra of requirement.extras) expand(extra.normalized);
      continue;
    }
    roots.push({ requirement, line: lineOf(declared.string.span.start) });
  }
  if (roots.length === 0) return fail(`${label} names no requirement to lock${selection.onlyGroups ? ' in the groups named' : ''}`);
  return { ok: true, roots, ...(project === undefined ? {} : { project }) };
}

/** The extras and dependency groups a manifest lists, as written, for the user to choose from. */
export function manifestChoices(kind: ManifestKind, text: string, declarations: Declarations): { extras: string[]; groups: string[] } {
  const extras = [...new Set(declarations.strings.flatMap((string) => (string.extra === undefined ? [] : [string.extra])))];
  const groups = kind === 'pyproject-toml' ? readPyproject(text).dependencyGroups.map((group) => group.name) : [];
  return { extras, groups };
}

/** The install requirements by extra ('' for the project's own dependencies). */
function listsOf(kind: ManifestKind, declarations: Declarations): Map<string, DeclaredRequirement[]> {
  const dependencies = kind === 'pyproject-toml' ? 'project.dependencies' : 'install_requires';
  const extras = kind === 'pyproject-toml' ? 'project.optional-dependencies' : 'extras_require';
  const lists = new Map<string, DeclaredRequirement[]>();
  for (const requirement of declarations.requirements) {
    const { group, extra } = requirement.string;
    const key = group === dependencies ? '' : group === extras && extra !== undefined ? canonicalizeName(extra) : undefined;
    if (key === undefined) continue;
    const list = lists.get(key) ?? lists.set(key, []).get(key)!;
    list.push(requirement);
  }
  return lists;
}

/**
 * The requirements of the groups named and of the groups they include (PEP 735), or why pip would
 * fail. The parser has already said what is wrong with the table (a missing include, a cycle, two
 * names alike, an item that is not a string): any of that stops the lock, as it stops pip.
 */
function groupRequirements(pyproject: PyprojectReading, declarations: Declarations, names: readonly string[], label: string, lineOf: (offset: number) => number): { ok: true; requirements: DeclaredRequirement[] } | { ok: false; message: string } {
  if (names.length === 0) return { ok: true, requirements: [] };
  if (pyproject.dependencyGroups.length === 0) return { ok: false, message: `${label} has no [dependency-groups] table, so there is no group ${names.map((name) => `'${name}'`).join(', ')}` };
  const problem = pyproject.problems.find((p) => p.code === 'dependency-group');
  if (problem) return { ok: false, message: `${label}, line ${lineOf(problem.span.start)}: ${problem.message}` };
  const byName = new Map(pyproject.dependencyGroups.map((group) => [canonicalizeName(group.name), group]));
  const strings = new Map<string, DeclaredRequirement[]>();
  for (const requirement of declarations.requirements) {
    if (requirement.string.dependencyGroup === undefined) continue;
    const key = canonicalizeName(requirement.string.dependencyGroup);
    (strings.get(key) ?? strings.set(key, []).get(key)!).push(requirement);
  }
  const unknown = names.filter((name) => !byName.has(canonicalizeName(name)));
  if (unknown.length > 0) return { ok: false, message: `${label}: dependency group ${unknown.map((name) => `'${name}'`).join(', ')} not found (its groups: ${pyproject.dependencyGroups.map((group) => group.name).join(', ')})` };
  // packaging's order: depth first, each group's strings and includes as they are written. A
  // group reached again adds nothing new (pip would only repeat its requirements); the parser has
  // ruled out cycles and includes of groups that do not exist.
  type Item = { readonly at: number; readonly requirement?: DeclaredRequirement; readonly include?: string };
  const itemsOf = (key: string): Item[] =>
    [
      ...(strings.get(key) ?? []).map((requirement) => ({ at: requirement.string.span.start, requirement })),
      ...(byName.get(key)?.includes ?? []).map((include) => ({ at: include.span.start, include: canonicalizeName(include.target) })),
    ].sort((a, b) => a.at - b.at);
  const requirements: DeclaredRequirement[] = [];
  const entered = new Set<string>();
  for (const start of names.map(canonicalizeName)) {
    if (entered.has(start)) continue;
    entered.add(start);
    const stack = [{ items: itemsOf(start), next: 0 }];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      const item = frame.items[frame.next++];
      if (!item) stack.pop();
      else if (item.requirement) requirements.push(item.requirement);
      else if (!entered.has(item.include!)) {
        entered.add(item.include!);
        stack.push({ items: itemsOf(item.include!), next: 0 });
      }
    }
  }
  return { ok: true, requirements };
}

/** setup.cfg's `[metadata] name`. */
function setupCfgName(text: string): string | undefined {
  const metadata = readIni(text).sections.find((section) => section.name === 'metadata');
  const name = metadata?.options.find((option) => option.name === 'name')?.lines[0]?.text;
  return name || undefined;
}

/** The 1-based line of an offset (one pass over the text, then a binary search per offset). */
function lineCounter(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => lastIndexAtOrBefore(starts.length, (i) => starts[i], offset) + 1;
}
