// pyproject.toml as a manifest: [project] dependencies and optional-dependencies (PEP 621), PEP 735
// [dependency-groups] with their includes, and [build-system] requires (PEP 518). Each string is
// one PEP 508 requirement, as packaging reads it (no line or comment rules: those are setuptools'
// for setup.py and setup.cfg). Dependencies a backend computes (`dynamic`) are said, not guessed.
import type { AST } from 'toml-eslint-parser' with { 'resolution-mode': 'import' };
import { oversizedManifest, pep508Requirements, type Declarations, type DeclaredString } from './declared';
import { dependencyGroupProblems, type DependencyGroup } from './dependencyGroups';
import { readToml, spanOf, tomlStringLayout, tomlTypeName, type TomlEntry, type TomlTable, type TomlValueNode } from './toml';
import type { Problem, Span } from './types';

const LABEL = 'pyproject.toml';

/** What a list of pyproject.toml holds: written out, computed by the backend (`dynamic`), or nothing. */
export type ListStatus = 'listed' | 'dynamic' | 'absent';

export interface PyprojectGroup extends DependencyGroup {
  /** The `{include-group = …}` tables, as the includes list them. */
  readonly includeTables: readonly Span[];
}

export interface PyprojectReading {
  /** Every requirement string, in document order. */
  readonly strings: readonly DeclaredString[];
  readonly problems: readonly Problem[];
  readonly dependencies: ListStatus;
  readonly optionalDependencies: ListStatus;
  readonly dependencyGroups: readonly PyprojectGroup[];
  /** `[project] dynamic`, its strings. */
  readonly dynamic: readonly string[];
  /** `[project] name`, when it is a string. */
  readonly name?: string;
}

export function pyprojectDeclarations(text: string): Declarations {
  const reading = readPyproject(text);
  return { strings: reading.strings, requirements: pep508Requirements(reading.strings), problems: reading.problems };
}

export function readPyproject(text: string): PyprojectReading {
  const empty = { strings: [], dependencies: 'absent', optionalDependencies: 'absent', dependencyGroups: [], dynamic: [] } as const;
  const oversized = oversizedManifest(text, LABEL);
  if (oversized) return { ...empty, problems: [oversized] };
  const toml = readToml(text, LABEL);
  if (!toml.ok) return { ...empty, problems: [toml.problem] };
  const reading = new Reader(text).read(toml.root);
  return toml.problem ? { ...reading, problems: [toml.problem, ...reading.problems] } : reading;
}

class Reader {
  private readonly strings: DeclaredString[] = [];
  private readonly problems: Problem[] = [];

  constructor(private readonly text: string) {}

  read(root: TomlTable): PyprojectReading {
    const project = this.table(root.entries.get('project'), '[project]');
    const dynamic = this.readDynamic(project);
    const dependencies = this.readDependencies(project, dynamic, root);
    const optionalDependencies = this.readOptionalDependencies(project, dynamic, root);
    const dependencyGroups = this.readDependencyGroups(root.entries.get('dependency-groups'));
    this.readBuildRequires(root.entries.get('build-system'));
    this.strings.sort((a, b) => a.span.start - b.span.start);
    const name = project?.entries.get('name');
    const projectName = name?.kind === 'value' && name.node.type === 'TOMLValue' && name.node.kind === 'string' ? name.node.value : undefined;
    return { strings: this.strings, problems: this.problems, dependencies, optionalDependencies, dependencyGroups, dynamic: dynamic.map((d) => d.value), ...(projectName === undefined ? {} : { name: projectName }) };
  }

  private problem(code: string, message: string, span: Span): void {
    this.problems.push({ code, message, span });
  }

  /** The entry as a table; anything else is a problem (and read as absent). */
  private table(entry: TomlEntry | undefined, where: string): TomlTable | undefined {
    if (!entry || entry.kind === 'table') return entry;
    this.problem('syntax', `${where} must be a table, not ${tomlTypeName(entry)}: pip and the build backend refuse this file.`, entry.kind === 'value' ? spanOf(entry.node) : entry.keySpan);
    return undefined;
  }

  /** The elements of an array value; anything else is a problem. */
  private array(entry: TomlEntry, where: string, rule: string): readonly TomlValueNode[] | undefined {
    if (entry.kind === 'value' && entry.node.type === 'TOMLArray') return entry.node.elements;
    this.problem('syntax', `${where} must be an array ${rule}, not ${tomlTypeName(entry)}.`, entry.kind === 'value' ? spanOf(entry.node) : entry.keySpan);
    return undefined;
  }

  /** Declares each string of an array of requirement strings; other elements are problems. */
  private requirementArray(entry: TomlEntry, where: string, rule: string, string: Pick<DeclaredString, 'group' | 'extra' | 'dependencyGroup'>): void {
    for (const element of this.array(entry, where, `of PEP 508 strings (${rule})`) ?? []) {
      if (element.type === 'TOMLValue' && element.kind === 'string') this.declare(element, string);
      else this.problem('syntax', `${where} must hold only PEP 508 strings (${rule}), not ${tomlTypeName(element)}.`, spanOf(element));
    }
  }

  private declare(node: AST.TOMLStringValue, list: Pick<DeclaredString, 'group' | 'extra' | 'dependencyGroup'>): void {
    this.strings.push({ ...list, value: node.value, span: spanOf(node), ...tomlStringLayout(this.text, node), conditional: false });
  }

  private readDynamic(project: TomlTable | undefined): AST.TOMLStringValue[] {
    const entry = project?.entries.get('dynamic');
    if (!entry) return [];
    const names: AST.TOMLStringValue[] = [];
    for (const element of this.array(entry, '[project] dynamic', 'of field names (PEP 621)') ?? []) {
      if (element.type === 'TOMLValue' && element.kind === 'string') names.push(element);
    }
    return names;
  }

  private readDependencies(project: TomlTable | undefined, dynamic: readonly AST.TOMLStringValue[], root: TomlTable): ListStatus {
    const entry = project?.entries.get('dependencies');
    const listed = this.sayDynamic('dependencies', entry !== undefined, dynamic, root);
    if (entry) this.requirementArray(entry, '[project] dependencies', 'PEP 621', { group: 'project.dependencies' });
    return entry ? 'listed' : listed;
  }

  private readOptionalDependencies(project: TomlTable | undefined, dynamic: readonly AST.TOMLStringValue[], root: TomlTable): ListStatus {
    const entry = project?.entries.get('optional-dependencies');
    const listed = this.sayDynamic('optional-dependencies', entry !== undefined, dynamic, root);
    const extras = entry && this.table(entry, '[project] optional-dependencies');
    for (const [extra, list] of extras?.entries ?? []) {
      this.requirementArray(list, `[project.optional-dependencies] ${extra}`, 'PEP 621', { group: 'project.optional-dependencies', extra });
    }
    return entry ? 'listed' : listed;
  }

  /**
   * A field named in `dynamic` is the backend's to fill in: said once, on its name there. Listed
   * and dynamic at once is an error PEP 621 tells backends to raise.
   */
  private sayDynamic(field: 'dependencies' | 'optional-dependencies', listed: boolean, dynamic: readonly AST.TOMLStringValue[], root: TomlTable): ListStatus {
    const named = dynamic.find((node) => node.value === field);
    if (!named) return 'absent';
    if (listed) {
      this.problem('syntax', `${field} is listed in [project] dynamic but also given in [project]: PEP 621 build backends refuse a field that is both.`, spanOf(named));
      return 'dynamic';
    }
    const files = setuptoolsDynamicFiles(root, field);
    const templates = field === 'dependencies' && tableAt(root, ['tool', 'setuptools_dynamic_dependencies'])?.entries.has('dependencies');
    const source = files.length > 0
      ? ` (setuptools reads them from ${files.join(', ')}, per [tool.setuptools.dynamic])`
      : templates ? ' (the setuptools-dynamic-dependencies plugin fills in the templates of [tool.setuptools_dynamic_dependencies])' : '';
    const advice = files.length > 0 ? ` Open ${files.length === 1 ? 'that file' : 'those files'} to check them.` : '';
    this.problem(
      'unresolved-install-requires',
      `[project] ${field} are dynamic: the build backend fills them in when it builds${source}, so they are not read or checked here.${advice}`,
      spanOf(named),
    );
    return 'dynamic';
  }

  private readDependencyGroups(entry: TomlEntry | undefined): PyprojectGroup[] {
    const groups: PyprojectGroup[] = [];
    const table = this.table(entry, '[dependency-groups]');
    for (const [name, value] of table?.entries ?? []) {
      const includes: { target: string; span: Span }[] = [];
      const includeTables: Span[] = [];
      groups.push({ name, nameSpan: value.keySpan, includes, includeTables });
      if (value.kind === 'value' && value.node.type === 'TOMLValue' && value.node.kind === 'string') {
        this.problem('dependency-group', `Dependency group '${name}' contained a string rather than a list: pip install --group ${name} fails.`, spanOf(value.node));
        continue;
      }
      for (const element of this.array(value, `Dependency group '${name}'`, 'of PEP 508 strings and {include-group = "…"} tables (PEP 735)') ?? []) {
        if (element.type === 'TOMLValue' && element.kind === 'string') {
          this.declare(element, { group: 'dependency-groups', dependencyGroup: name });
          continue;
        }
        const include = element.type === 'TOMLInlineTable' ? includeOf(element) : undefined;
        if (include) {
          includes.push({ target: include.value, span: spanOf(include) });
          includeTables.push(spanOf(element));
        } else {
          this.problem('dependency-group', `Invalid dependency group item in '${name}': ${this.text.slice(element.range[0], element.range[1])}. A group lists PEP 508 strings and {include-group = "name"} tables only.`, spanOf(element));
        }
      }
    }
    this.problems.push(...dependencyGroupProblems(groups));
    return groups;
  }

  private readBuildRequires(entry: TomlEntry | undefined): void {
    const buildSystem = this.table(entry, '[build-system]');
    if (!buildSystem) return;
    const requires = buildSystem.entries.get('requires');
    if (!requires) {
      this.problem('syntax', '[build-system] has no requires: pip refuses to build this project (PEP 518 makes requires mandatory).', buildSystem.keySpan);
      return;
    }
    this.requirementArray(requires, '[build-system] requires', 'PEP 518', { group: 'build-system.requires' });
  }
}

/** The value of `{include-group = "name"}`, the one shape of table a group may list. */
function includeOf(table: AST.TOMLInlineTable): AST.TOMLStringValue | undefined {
  if (table.body.length !== 1) return undefined;
  const [only] = table.body;
  const keys = only.key.keys;
  const key = keys.length === 1 ? (keys[0].type === 'TOMLBare' ? keys[0].name : keys[0].value) : undefined;
  return key === 'include-group' && only.value.type === 'TOMLValue' && only.value.kind === 'string' ? only.value : undefined;
}

/** The table at a key path, if every part of it is a table. */
function tableAt(root: TomlTable, keys: readonly string[]): TomlTable | undefined {
  let entry: TomlEntry | undefined = root;
  for (const key of keys) entry = entry?.kind === 'table' ? entry.entries.get(key) : undefined;
  return entry?.kind === 'table' ? entry : undefined;
}

/** `[tool.setuptools.dynamic] dependencies = {file = [...]}` (or optional-dependencies.X): the files named. */
function setuptoolsDynamicFiles(root: TomlTable, field: 'dependencies' | 'optional-dependencies'): string[] {
  const entry = tableAt(root, ['tool', 'setuptools', 'dynamic', field]);
  if (!entry) return [];
  const tables = field === 'dependencies' ? [entry] : [...entry.entries.values()].filter((e): e is TomlTable => e.kind === 'table');
  const files: string[] = [];
  for (const table of tables) {
    const file = table.entries.get('file');
    if (file?.kind !== 'value') continue;
    const nodes = file.node.type === 'TOMLArray' ? file.node.elements : [file.node];
    for (const node of nodes) if (node.type === 'TOMLValue' && node.kind === 'string' && !files.includes(node.value)) files.push(node.value);
  }
  return files;
}
