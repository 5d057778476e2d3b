// pyproject.toml as a manifest: which strings are read from where, exact spans (through escapes,
// multi-line strings and CRLF), TOML and type errors, dynamic fields, and PEP 735 dependency groups
// as pip 25.1+ (packaging's dependency_groups) resolves them. Also which files are not read at all.
import { test, describe as suite } from 'node:test';
import assert from 'node:assert/strict';
import { declaredSpan, MAX_MANIFEST_LENGTH, ValuePieces, type DeclaredString } from '../../server/src/parser/declared';
import { dependencyGroupProblems } from '../../server/src/parser/dependencyGroups';
import { documentKindOf, isUnreadFile } from '../../server/src/parser/documentKinds';
import { pyprojectDeclarations, readPyproject } from '../../server/src/parser/pyproject';
import { marked } from '../helpers/marked';

/** The text each string's value covers in the document, value offset by value offset. */
function placed(text: string, string: DeclaredString, from: number, to: number): string {
  const span = declaredSpan(string, { start: from, end: to });
  return text.slice(span.start, span.end);
}

suite('pyproject.toml: where strings are read from', () => {
  test('dependencies, optional-dependencies, dependency groups and build requires; nothing else', () => {
    const m = marked(`[build-system]
requires = [⟦"setuptools>=61"⟧]

[project]
name = "demo"
keywords = ["not-a-requirement"]
dependencies = [⟦'requests>=2'⟧]
[project.optional-dependencies]
socks = [⟦"PySocks>=1.5"⟧]
[project.urls]
Home = "https://example.com"

[dependency-groups]
test = [⟦"pytest>=8"⟧, {include-group = "lint"}]
lint = [⟦"ruff"⟧]

[tool.poetry.dependencies]
django = "^4"
`);
    const reading = readPyproject(m.text);
    assert.deepEqual(reading.problems, []);
    assert.deepEqual(
      reading.strings.map((s) => [s.group, s.extra, s.dependencyGroup, s.value, s.span]),
      [
        ['build-system.requires', undefined, undefined, 'setuptools>=61', m.spans[0]],
        ['project.dependencies', undefined, undefined, 'requests>=2', m.spans[1]],
        ['project.optional-dependencies', 'socks', undefined, 'PySocks>=1.5', m.spans[2]],
        ['dependency-groups', undefined, 'test', 'pytest>=8', m.spans[3]],
        ['dependency-groups', undefined, 'lint', 'ruff', m.spans[4]],
      ],
    );
    // Plain strings: the text between the quotes is the value.
    for (const string of reading.strings) assert.deepEqual(string.contentSpan, { start: string.span.start + 1, end: string.span.end - 1 });
    assert.deepEqual(reading.dependencyGroups.map((g) => [g.name, g.includes.map((i) => i.target)]), [['test', ['lint']], ['lint', []]]);
    assert.equal(reading.dependencies, 'listed');
  });

  test('dotted keys, inline tables and quoted keys name the same tables', () => {
    const reading = readPyproject(`project.dependencies = ["a>=1"]
project.optional-dependencies = { "x-y" = ["b>=1"] }
"dependency-groups".dev = ["c>=1"]
`);
    assert.deepEqual(reading.problems, []);
    assert.deepEqual(reading.strings.map((s) => [s.group, s.extra ?? s.dependencyGroup ?? null, s.value]), [
      ['project.dependencies', null, 'a>=1'],
      ['project.optional-dependencies', 'x-y', 'b>=1'],
      ['dependency-groups', 'dev', 'c>=1'],
    ]);
  });

  test('each string is one PEP 508 requirement: no comment or line rules (those are setuptools\')', () => {
    const declarations = pyprojectDeclarations('[project]\ndependencies = ["a>=1 # note", "b\\nc"]\n');
    assert.deepEqual(declarations.requirements.map((r) => [r.text, r.parsed.ok]), [['a>=1 # note', false], ['b\nc', false]]);
  });
});

suite('pyproject.toml: exact spans', () => {
  test('escapes: each value character maps to what spells it', () => {
    const text = '[project]\ndependencies = ["pytz\\u003d=2018.4", "caf\\u0065\\t==1", "x\\U0001F600y"]\n';
    const [pytz, cafe, emoji] = readPyproject(text).strings;
    assert.equal(pytz.value, 'pytz==2018.4');
    assert.equal(pytz.contentSpan, undefined, 'not verbatim');
    assert.equal(placed(text, pytz, 0, 4), 'pytz');
    assert.equal(placed(text, pytz, 4, 6), '\\u003d=');
    assert.equal(placed(text, pytz, 6, 12), '2018.4');
    assert.equal(placed(text, cafe, 3, 4), '\\u0065');
    assert.equal(placed(text, cafe, 0, 6), 'caf\\u0065\\t=');
    // One escape spells a surrogate pair: a span through either half takes the whole escape.
    assert.equal(emoji.value, 'x\u{1F600}y');
    assert.equal(placed(text, emoji, 1, 3), '\\U0001F600');
    assert.equal(placed(text, emoji, 1, 2), '\\U0001F600');
    assert.equal(placed(text, emoji, 3, 4), 'y');
    assert.equal(placed(text, emoji, 4, 4), '');
    assert.equal(declaredSpan(emoji, { start: 4, end: 4 }).start, emoji.span.end - 1);
  });

  test('multi-line strings: the opening line break, a line-ending backslash, CRLF', () => {
    const text = '[project]\r\ndependencies = ["""\r\nrequests\\\r\n    >=2""", \'\'\'\r\nsix\r\n\'\'\']\r\n';
    const [requests, six] = readPyproject(text).strings;
    assert.equal(requests.value, 'requests>=2');
    assert.equal(placed(text, requests, 0, 8), 'requests');
    assert.equal(placed(text, requests, 8, 11), '>=2');
    assert.equal(placed(text, requests, 0, 11), 'requests\\\r\n    >=2');
    assert.equal(six.value, 'six\n');
    assert.equal(placed(text, six, 0, 3), 'six');
    assert.equal(placed(text, six, 3, 4), '\r\n');
  });

  test('literal strings and multi-line strings without escapes are verbatim', () => {
    const text = "[project]\ndependencies = ['a\\b>=1', \"\"\"c>=1\"\"\", '''\nd>=1''']\n";
    const strings = readPyproject(text).strings;
    assert.deepEqual(strings.map((s) => s.value), ['a\\b>=1', 'c>=1', 'd>=1']);
    assert.deepEqual(strings.map((s) => s.contentSpan && text.slice(s.contentSpan.start, s.contentSpan.end)), ['a\\b>=1', 'c>=1', 'd>=1']);
  });

  test('ValuePieces merges touching copies and keeps escapes apart', () => {
    const pieces = new ValuePieces();
    pieces.copy(10, 2);
    pieces.copy(12, 3);
    pieces.spell(15, 6, 1);
    pieces.spell(21, 4, 0);
    pieces.copy(25, 1);
    assert.deepEqual(pieces.done(), [
      { value: 0, document: 10, length: 5, documentLength: 5 },
      { value: 5, document: 15, length: 1, documentLength: 6 },
      { value: 6, document: 25, length: 1, documentLength: 1 },
    ]);
    assert.equal(pieces.length, 7);
    assert.equal(pieces.isVerbatim, false);
  });
});

suite('pyproject.toml: problems', () => {
  test('TOML syntax: one problem at the place, nothing read', () => {
    // tomllib: "Expected newline or end of document after a statement (at line 3, column 12)".
    const m = marked('[project]\ndependencies = ["a>=1"]\nname = "x" ⟦b⟧ = 1\n');
    const reading = readPyproject(m.text);
    assert.deepEqual(reading.strings, []);
    assert.equal(reading.problems.length, 1);
    assert.equal(reading.problems[0].code, 'syntax');
    assert.deepEqual(reading.problems[0].span, m.spans[0]);
    assert.equal(readPyproject('[a]\nb = 1\n[a]\nc = 2\n').problems[0]?.code, 'syntax');
  });

  test('TOML 1.1 (Python 3.15\'s tomllib, the tomli pip vendors) is read, with an error: Python 3.11 to 3.14 refuse it', () => {
    // tomllib on 3.11: "Invalid initial character for a key part", "Unescaped '\\' in a string"; tomli 2.4 reads both.
    for (const text of ['[project]\ndependencies = ["a>=1"]\nurls = {home = "https://x",}\n', '[project]\ndependencies = ["a>=1"]\nurls = {\n  home = "https://x"\n}\n']) {
      const reading = readPyproject(text);
      assert.deepEqual(reading.problems.map((p) => p.code), ['syntax'], text);
      assert.match(reading.problems[0].message, /^pyproject\.toml needs TOML 1\.1 here \(.*\): Python 3\.11 to 3\.14 read TOML 1\.0 only/);
      assert.deepEqual(reading.strings.map((s) => s.value), ['a>=1']);
    }
    const text = '[project]\ndependencies = ["caf\\x65\\e>=1"]\n';
    const [escaped] = readPyproject(text).strings;
    assert.equal(escaped.value, 'cafe\x1b>=1');
    assert.equal(placed(text, escaped, 3, 5), '\\x65\\e');
  });

  test('wrong types are problems on the value', () => {
    const m = marked(`⟦project⟧ = 3
`);
    assert.deepEqual(readPyproject(m.text).problems.map((p) => [p.code, p.span]), [['syntax', { start: 10, end: 11 }]]);
    const types = readPyproject(`[project]
dependencies = "requests"
optional-dependencies = ["x"]
[build-system]
requires = [1]
`);
    assert.deepEqual(types.problems.map((p) => p.message), [
      '[project] dependencies must be an array of PEP 508 strings (PEP 621), not a string.',
      '[project] optional-dependencies must be a table, not an array: pip and the build backend refuse this file.',
      '[build-system] requires must hold only PEP 508 strings (PEP 518), not a number.',
    ]);
  });

  test('dynamic fields are said once, on their name in dynamic', () => {
    const m = marked(`[project]
dynamic = ["version", ⟦"dependencies"⟧, ⟦"optional-dependencies"⟧]
[tool.setuptools.dynamic]
dependencies = { file = ["requirements.in", "more.in"] }
optional-dependencies.test = { file = ["test.in"] }
`);
    const reading = readPyproject(m.text);
    assert.equal(reading.dependencies, 'dynamic');
    assert.equal(reading.optionalDependencies, 'dynamic');
    assert.deepEqual(reading.dynamic, ['version', 'dependencies', 'optional-dependencies']);
    assert.deepEqual(reading.problems.map((p) => [p.code, p.span]), [['unresolved-install-requires', m.spans[0]], ['unresolved-install-requires', m.spans[1]]]);
    assert.match(reading.problems[0].message, /from requirements\.in, more\.in, per \[tool\.setuptools\.dynamic\]\)/);
    assert.match(reading.problems[1].message, /from test\.in,/);
  });

  test('a file too long to read, and a nesting deeper than the parser goes, are said, not thrown', () => {
    const long = readPyproject(`# ${'x'.repeat(MAX_MANIFEST_LENGTH)}\n`);
    assert.deepEqual(long.problems.map((p) => p.code), ['unresolved-install-requires']);
    const deep = readPyproject(`a = ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`);
    assert.equal(deep.problems.length, 1);
    assert.deepEqual(deep.strings, []);
  });
});

suite('dependency groups (PEP 735, as pip --group resolves them)', () => {
  const group = (name: string, ...includes: string[]) => ({
    name,
    nameSpan: { start: 0, end: name.length },
    includes: includes.map((target, i) => ({ target, span: { start: 100 + i, end: 101 + i } })),
  });
  const messages = (...groups: ReturnType<typeof group>[]) => dependencyGroupProblems(groups).map((p) => p.message);

  test('names compare normalized; an include of a missing group is named', () => {
    assert.deepEqual(messages(group('Test_Tools'), group('dev', 'test.tools', 'TEST-TOOLS')), []);
    assert.deepEqual(messages(group('dev', 'nope')), ["Dependency group 'nope' not found: 'dev' includes it, so pip install --group dev fails."]);
  });

  test('cycles: a group including itself, a long loop, one report per closing include', () => {
    assert.deepEqual(messages(group('a', 'A')), ["Cyclic dependency group include: a → a. pip install --group fails for 'a' and every group that includes it."]);
    assert.deepEqual(messages(group('a', 'b'), group('b', 'c'), group('c', 'a'), group('d', 'a')), [
      "Cyclic dependency group include: a → b → c → a. pip install --group fails for 'a' and every group that includes it.",
    ]);
    // A diamond is not a cycle.
    assert.deepEqual(messages(group('a', 'b', 'c'), group('b', 'd'), group('c', 'd'), group('d')), []);
  });

  test('a chain of 30,000 includes closing on itself: found without recursion, the message cut short', () => {
    const chain = Array.from({ length: 30_000 }, (_, i) => group(`g${i}`, `g${(i + 1) % 30_000}`));
    const [message, ...rest] = messages(...chain);
    assert.equal(rest.length, 0);
    assert.equal(message, "Cyclic dependency group include: g0 → g1 → g2 → g3 → g4 → g5 → … → g29995 → g29996 → g29997 → g29998 → g29999 → g0. pip install --group fails for 'g0' and every group that includes it.");
  });

  test('two spellings of one name: pip refuses the whole table', () => {
    const problems = dependencyGroupProblems([group('test'), group('Test')]);
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /^Dependency group names 'test' and 'Test' are the same once normalized \(test\)/);
  });

  test('in a file: the include values carry the problems; invalid items and a string group too', () => {
    const m = marked(`[dependency-groups]
a = [{include-group = ⟦"missing"⟧}, ⟦{include-group = 1}⟧, ⟦3⟧]
b = ⟦"pytest"⟧
`);
    const problems = readPyproject(m.text).problems;
    assert.deepEqual(problems.map((p) => [p.code, p.span]).sort((x, y) => (x[1] as { start: number }).start - (y[1] as { start: number }).start), [
      ['dependency-group', m.spans[0]],
      ['dependency-group', m.spans[1]],
      ['dependency-group', m.spans[2]],
      ['dependency-group', m.spans[3]],
    ]);
  });
});

suite('document kinds', () => {
  test('manifests by name; pylock.toml is a lock file; other lock files and TOML files are not read', () => {
    assert.equal(documentKindOf('/p/pyproject.toml'), 'pyproject-toml');
    assert.equal(documentKindOf('C:\\p\\setup.cfg'), 'setup-cfg');
    assert.equal(documentKindOf('/p/psf__black__pyproject.toml'), 'pyproject-toml');
    assert.equal(documentKindOf('/p/requirements.txt'), 'requirements');
    assert.equal(documentKindOf('/p/pylock.toml'), 'pylock-toml');
    assert.equal(documentKindOf('/p/pylock.dev.toml'), 'pylock-toml');
    for (const name of ['Pipfile.lock', 'Pipfile', 'uv.lock', 'poetry.lock', 'ruff.toml']) {
      assert.equal(isUnreadFile(`/p/${name}`), true, name);
    }
    for (const name of ['pyproject.toml', 'setup.cfg', 'setup.py', 'requirements.txt', 'requirements.in', 'deps.pip', 'pylock.toml', 'pylock.dev.toml', 'PYLOCK.TOML']) {
      assert.equal(isUnreadFile(`/p/${name}`), false, name);
    }
  });
});
