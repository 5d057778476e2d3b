// pylock.toml (PEP 751): the model parser/pylock.ts reads (every value with its exact span, both
// TOML spellings of arrays of tables) and its verdict, compared with packaging.pylock's on every
// file of test/corpus/pylock (recorded by test/tools/pylock_oracle.py in test/corpus/expected/pylock.json).
import { test, describe as suite } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isValidPylockFileName, PYLOCK_VERSION, readPylock } from '../../server/src/parser/pylock';
import { pylockVersionProblems } from '../../server/src/pip/pylock';
import { marked } from '../helpers/marked';

const CORPUS = join(__dirname, '..', '..', '..', 'test', 'corpus');
const HASH = 'a'.repeat(64);

/** Our verdict: what would packaging say (valid, and warned about a newer lock-version)? */
function verdict(text: string): { valid: boolean; newer: boolean; messages: string[] } {
  const document = readPylock(text);
  const problems = [...document.problems, ...pylockVersionProblems(document)];
  const refusals = problems.filter((problem) => problem.code !== PYLOCK_VERSION);
  return { valid: refusals.length === 0, newer: problems.some((problem) => problem.code === PYLOCK_VERSION), messages: problems.map((problem) => problem.message) };
}

suite('pylock.toml: the same verdicts as packaging.pylock', () => {
  const expected = JSON.parse(readFileSync(join(CORPUS, 'expected', 'pylock.json'), 'utf8')) as Record<string, { valid: boolean; newer: boolean; error: string | null }>;
  const files = readdirSync(join(CORPUS, 'pylock')).filter((name) => name.endsWith('.toml'));

  test('every corpus file has a recorded verdict, and the corpus holds both kinds', () => {
    assert.deepEqual(files.sort(), Object.keys(expected).sort());
    assert.ok(files.filter((name) => expected[name].valid).length >= 4);
    assert.ok(files.filter((name) => !expected[name].valid).length >= 25);
  });

  for (const name of files) {
    test(name, () => {
      const ours = verdict(readFileSync(join(CORPUS, 'pylock', name), 'utf8'));
      const theirs = expected[name];
      assert.equal(ours.valid, theirs.valid, `packaging: ${theirs.error ?? 'valid'}; reqguard: ${ours.messages.join(' | ') || 'valid'}`);
      assert.equal(ours.newer, theirs.newer);
    });
  }
});

suite('pylock.toml: the model', () => {
  test('top-level keys, packages with files (both TOML spellings), each value with its span', () => {
    const m = marked(`lock-version = ⟦"1.0"⟧
environments = [⟦"sys_platform == 'linux'"⟧]
requires-python = ⟦">=3.9"⟧
created-by = ⟦"pip"⟧

⟦[[packages]]
name = ⟦"attrs"⟧
version = ⟦"23.2.0"⟧
index = ⟦"https://pypi.org/simple"⟧
dependencies = [{name = ⟦"six"⟧}]

[packages.sdist]
name = ⟦"attrs-23.2.0.tar.gz"⟧
url = "https://files.example/attrs-23.2.0.tar.gz"
size = ⟦780820⟧
upload-time = ⟦2023-12-31T06:30:00Z⟧
hashes = ⟦{⟦sha256⟧ = ⟦"${HASH}"⟧}⟧

[[packages.wheels]]
url = ⟦"https://files.example/attrs-23.2.0-py3-none-any.whl"⟧
hashes = {sha256 = "${HASH}"}⟧

[[packages]]
name = "six"
marker = ⟦"python_version < '4'"⟧
wheels = [⟦{url = "https://e/six-1.16.0-py2.py3-none-any.whl", hashes = {sha256 = "${HASH}"}}⟧]
`);
    const [lockVersion, environment, requiresPython, createdBy, attrs, name, version, index, dependency, sdistName, size, uploadTime, hashes, algorithm, hash, wheelUrl, marker, sixWheel] = m.spans;
    const document = readPylock(m.text);
    assert.deepEqual(document.problems, []);
    assert.deepEqual(document.lockVersion, { value: '1.0', span: lockVersion });
    assert.deepEqual(document.environments, [{ value: "sys_platform == 'linux'", span: environment }]);
    assert.deepEqual(document.requiresPython, { value: '>=3.9', span: requiresPython });
    assert.deepEqual(document.createdBy, { value: 'pip', span: createdBy });
    const [first, second] = document.packages;
    assert.equal(document.packages.length, 2);
    assert.deepEqual(first.span, attrs);
    assert.deepEqual(first.name, { value: 'attrs', span: name });
    assert.deepEqual(first.version, { value: '23.2.0', span: version });
    assert.deepEqual(first.index, { value: 'https://pypi.org/simple', span: index });
    assert.deepEqual(first.dependencies.map((d) => d.name), [{ value: 'six', span: dependency }]);
    assert.equal(first.sourceKind, 'files');
    const sdist = first.sdist!;
    assert.deepEqual(sdist.name, { value: 'attrs-23.2.0.tar.gz', span: sdistName });
    assert.deepEqual(sdist.size, { value: 780820, span: size });
    assert.deepEqual(sdist.uploadTime, { value: '2023-12-31T06:30:00Z', span: uploadTime });
    assert.deepEqual(sdist.hashes, [{ algorithm: 'sha256', value: HASH, keySpan: algorithm, span: hash }]);
    assert.deepEqual(sdist.hashesSpan, hashes);
    assert.equal(sdist.fileName, 'attrs-23.2.0.tar.gz');
    assert.equal(sdist.nameVersion, '23.2.0');
    assert.equal(first.wheels.length, 1);
    assert.deepEqual(first.wheels[0].url?.span, wheelUrl);
    assert.equal(first.wheels[0].fileName, 'attrs-23.2.0-py3-none-any.whl');
    assert.deepEqual(second.marker, { value: "python_version < '4'", span: marker });
    assert.deepEqual(second.wheels[0].span, sixWheel);
    assert.equal(second.position, 1);
  });

  test('direct sources: vcs, directory, archive', () => {
    const document = readPylock(readFileSync(join(CORPUS, 'pylock', 'valid-direct.toml'), 'utf8'));
    assert.deepEqual(document.problems, []);
    assert.deepEqual(document.packages.map((p) => p.sourceKind), ['directory', 'vcs', 'archive']);
    assert.equal(document.packages[0].directory?.editable?.value, true);
    assert.equal(document.packages[1].vcs?.commitId?.value, 'abc123');
    assert.deepEqual(document.packages[2].archive?.hashes.map((h) => h.algorithm), ['sha256']);
    assert.equal(document.packages[2].archive?.path?.value, 'dist/lib-2.0.tar.gz');
  });

  test('problems sit on what is wrong, and reading goes on after the first', () => {
    const m = marked(`lock-version = "1.0"
created-by = "x"
[[packages]]
name = ⟦"Foo_Bar"⟧
wheels = [{url = "https://e/foo_bar-1-py3-none-any.whl", hashes = ⟦{}⟧}]
[[packages]]
name = "b"
sdist = {url = "https://e/b-1.tar.gz", size = ⟦"10"⟧, hashes = {sha256 = "${HASH}"}}
`);
    const problems = readPylock(m.text).problems;
    assert.deepEqual(problems.map((p) => p.span), m.spans);
    assert.match(problems[0].message, /^packages\[0\]: Name "Foo_Bar" is not normalized \(PEP 751 wants "foo-bar"\)/);
    assert.match(problems[1].message, /^packages\[0\]\.wheels\[0\]: At least one hash/);
    assert.match(problems[2].message, /^packages\[1\]\.sdist: size must be an integer, not a string/);
  });

  test('a TOML error is one problem, and nothing is read', () => {
    const document = readPylock('lock-version = "1.0\n');
    assert.deepEqual(document.problems.map((p) => p.code), ['syntax']);
    assert.deepEqual(document.packages, []);
  });

  test('the file-name rule: pylock.toml or pylock.<name>.toml', () => {
    assert.ok(isValidPylockFileName('pylock.toml'));
    assert.ok(isValidPylockFileName('pylock.dev.toml'));
    assert.ok(!isValidPylockFileName('pylock.a.b.toml'));
    assert.ok(!isValidPylockFileName('pylock..toml'));
    assert.ok(!isValidPylockFileName('my-pylock.toml'));
  });
});
