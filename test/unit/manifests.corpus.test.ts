// pyproject.toml and setup.cfg readers against the reference oracle (test/tools/setup_oracle.py,
// which reads them with Python's tomllib and configparser) on every corpus file: the same lists,
// statuses, strings, ranges (in LSP form), includes and PEP 508 verdicts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { declaredSpan, type DeclaredRequirement, type DeclaredString } from '../../server/src/parser/declared';
import { canonicalizeName, parseRequirement } from '../../server/src/parser/pep508';
import { readPyproject, type ListStatus } from '../../server/src/parser/pyproject';
import { setupCfgDeclarations } from '../../server/src/parser/setupCfg';
import { corpusPath, Lines, type LspRange } from '../helpers/corpus';

const corpus = corpusPath();
const expectedDir = path.join(corpus, 'expected');

interface OracleItem {
  value: string;
  range: { lsp: LspRange } | null;
  content_range: { lsp: LspRange } | null;
  parsed: { valid: boolean; normalized_name?: string; marker?: string | null };
}
interface OracleList {
  status: string;
  items?: OracleItem[];
  include_groups?: { table: Record<string, unknown>; range: { lsp: LspRange } }[];
  extras?: Record<string, OracleList>;
}

function filesIn(folder: string, suffix: string): string[] {
  const dir = path.join(corpus, folder);
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(suffix)).sort() : [];
}

function read(folder: string, file: string): { text: string; expected: Record<string, any>; lines: Lines } {
  let text = fs.readFileSync(path.join(corpus, folder, file), 'utf8');
  // The oracle drops a byte order mark before computing positions; so do editors.
  if (text.startsWith('\ufeff')) text = text.slice(1);
  return { text, expected: JSON.parse(fs.readFileSync(path.join(expectedDir, `${file}.json`), 'utf8')), lines: new Lines(text) };
}

/** What packaging says of a string, in the oracle's terms (its `specifier` is sorted; the name and marker are compared). */
function verdict(value: string): object {
  const parsed = parseRequirement(value);
  return parsed.ok ? { valid: true, normalized_name: canonicalizeName(parsed.value.name), marker: parsed.value.marker?.normalized ?? null } : { valid: false };
}

function expectedItem(item: OracleItem): object {
  const parsed = item.parsed.valid ? { valid: true, normalized_name: item.parsed.normalized_name, marker: item.parsed.marker } : { valid: false };
  return { value: item.value, range: item.range?.lsp ?? null, contentRange: item.content_range?.lsp ?? null, parsed };
}

// ---- pyproject.toml --------------------------------------------------------------------------------

const pyprojects = filesIn('pyproject', '.toml');

test('the pyproject.toml corpus is present', () => {
  assert.ok(pyprojects.length >= 8, `expected the pyproject.toml corpus in ${path.join(corpus, 'pyproject')}`);
});

function actualString(string: DeclaredString, lines: Lines): object {
  return { value: string.value, range: lines.range(string.span), contentRange: string.contentSpan ? lines.range(string.contentSpan) : null, parsed: verdict(string.value) };
}

const ORACLE_STATUS: Record<ListStatus, string> = { listed: 'resolved', dynamic: 'dynamic', absent: 'absent' };

for (const file of pyprojects) {
  test(`pyproject.toml corpus: ${file}`, () => {
    const { text, expected, lines } = read('pyproject', file);
    const reading = readPyproject(text);
    assert.deepEqual(reading.problems.filter((p) => p.code === 'syntax' || p.code === 'dependency-group'), [], 'no problems in a file pip and setuptools accept');
    const items = (keep: (s: DeclaredString) => boolean) => reading.strings.filter(keep).map((s) => actualString(s, lines));

    assert.equal(ORACLE_STATUS[reading.dependencies], expected.dependencies.status, 'dependencies status');
    if (expected.dependencies.items) {
      assert.deepEqual(items((s) => s.group === 'project.dependencies'), expected.dependencies.items.map(expectedItem), 'dependencies');
    }
    const optionalDynamic = expected.optional_dependencies?.status === 'dynamic';
    const optional = (optionalDynamic ? undefined : expected.optional_dependencies) as Record<string, OracleList> | undefined;
    if (optionalDynamic) {
      assert.equal(reading.optionalDependencies, 'dynamic');
    } else {
      const extras = Object.entries(optional ?? {}).map(([extra, list]) => [extra, list.items!.map(expectedItem)]);
      const names = [...new Set(reading.strings.filter((s) => s.group === 'project.optional-dependencies').map((s) => s.extra!))];
      const actual = names.map((extra) => [extra, items((s) => s.group === 'project.optional-dependencies' && s.extra === extra)]);
      // Extras with no strings have none to compare; the oracle lists them with an empty list.
      assert.deepEqual(actual, extras.filter(([, list]) => list.length > 0), 'optional-dependencies');
    }
    const groups = Object.entries((expected.dependency_groups ?? {}) as Record<string, OracleList>).map(([name, list]) => ({
      name,
      items: list.items!.map(expectedItem),
      includes: (list.include_groups ?? []).map((include) => ({ target: include.table['include-group'], range: include.range.lsp })),
    }));
    assert.deepEqual(
      reading.dependencyGroups.map((group) => ({
        name: group.name,
        items: items((s) => s.dependencyGroup === group.name),
        includes: group.includes.map((include, i) => ({ target: include.target, range: lines.range(group.includeTables[i]) })),
      })),
      groups,
      'dependency-groups',
    );
    if (expected.build_system_requires) {
      assert.deepEqual(items((s) => s.group === 'build-system.requires'), expected.build_system_requires.items.map(expectedItem), 'build-system requires');
    }
    assert.deepEqual(reading.dynamic, expected.dynamic, 'dynamic');
    // Every string is one of the lists above: nothing else in the file is read as a requirement.
    const counted = ['dependencies', 'build_system_requires'].reduce((n, key) => n + (expected[key]?.items?.length ?? 0), 0) +
      Object.values(optional ?? {}).reduce((n, list) => n + list.items!.length, 0) +
      groups.reduce((n, group) => n + group.items.length, 0);
    assert.equal(reading.strings.length, counted, 'strings read');
  });
}

// ---- setup.cfg ---------------------------------------------------------------------------------------

const setupCfgs = filesIn('setup_cfg', '.cfg');

test('the setup.cfg corpus is present', () => {
  assert.ok(setupCfgs.length >= 5, `expected the setup.cfg corpus in ${path.join(corpus, 'setup_cfg')}`);
});

/** A requirement as the oracle prints it: its text cut at ` #` and stripped, exactly where it is. */
function actualRequirement({ string, text, offset }: DeclaredRequirement, lines: Lines): object {
  const value = text.trimEnd();
  const span = declaredSpan(string, { start: offset, end: offset + value.length });
  return { value, range: lines.range(span), contentRange: lines.range(span), parsed: verdict(value) };
}

for (const file of setupCfgs) {
  test(`setup.cfg corpus: ${file}`, () => {
    const { text, expected, lines } = read('setup_cfg', file);
    assert.equal(expected.configparser_agrees, true, 'the oracle read the file as configparser does');
    const declarations = setupCfgDeclarations(text);
    const requirements = (keep: (s: DeclaredString) => boolean) => declarations.requirements.filter((r) => keep(r.string)).map((r) => actualRequirement(r, lines));
    // A `file:` value is said (with the files it names), not read: the only problems a corpus file has.
    const fileLists: string[] = [];
    // tests_require is not compared: setuptools 72 stopped reading it, and so does reqguard.
    for (const key of ['install_requires', 'setup_requires'] as const) {
      const list = expected[key] as OracleList & { files?: string[] };
      if (list.files) fileLists.push(`${key} is read from ${list.files.join(', ')} (file: directive)`);
      assert.deepEqual(requirements((s) => s.group === key), (list.items ?? []).map(expectedItem), key);
    }
    const extras = Object.entries((expected.extras_require as OracleList).extras ?? {}) as [string, OracleList & { files?: string[] }][];
    for (const [extra, list] of extras) if (list.files) fileLists.push(`extras_require[${extra}] is read from ${list.files.join(', ')} (file: directive)`);
    const names = [...new Set(declarations.strings.filter((s) => s.group === 'extras_require').map((s) => s.extra!))];
    assert.deepEqual(
      names.map((extra) => [extra, requirements((s) => s.group === 'extras_require' && s.extra === extra)]),
      extras.map(([extra, list]) => [extra, (list.items ?? []).map(expectedItem)]).filter(([, list]) => list.length > 0),
      'extras_require',
    );
    assert.deepEqual(declarations.problems.map((p) => p.code), fileLists.map(() => 'unresolved-install-requires'));
    declarations.problems.forEach((problem, i) => assert.ok(problem.message.startsWith(fileLists[i]), problem.message));
  });
}
