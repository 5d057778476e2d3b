// What lock takes from a manifest (pip/manifestRoots.ts): the dependencies, the extras and PEP 735
// groups chosen (includes followed, names normalized as packaging does), the project's references
// to itself, and the errors for what cannot be read statically.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFile } from '../../server/src/parser/documentKinds';
import { manifestRoots, type ManifestSelection } from '../../server/src/pip/manifestRoots';

function roots(path: string, text: string, selection: Partial<ManifestSelection> = {}) {
  const parsed = parseFile(text, path);
  assert.equal(parsed.family, 'manifest');
  if (parsed.family !== 'manifest') throw new Error('not a manifest');
  const read = manifestRoots(parsed.kind, text, parsed.declarations, { extras: [], groups: [], ...selection }, path);
  return read.ok ? { names: read.roots.map((root) => `${root.requirement.name}@${root.line}`), project: read.project } : { error: read.message };
}

const PYPROJECT = `[project]
name = "My.App"
dependencies = ["a>=1", "b; python_version < '3.9'"]

[project.optional-dependencies]
Extra_One = ["c"]
all = ["my-app[extra-one,two]", "d"]
two = ["e"]

[dependency-groups]
Dev = ["f", {include-group = "lint"}, {include-group = "LINT"}]
lint = ["g"]
empty = [{include-group = "lint"}]
`;

describe('manifestRoots: pyproject.toml', () => {
  test('the dependencies alone, with the line of each and the project name', () => {
    assert.deepEqual(roots('pyproject.toml', PYPROJECT), { names: ['a@3', 'b@3'], project: 'My.App' });
  });

  test('extras by any spelling; a reference to the project itself stands for its lists, each once', () => {
    assert.deepEqual(roots('pyproject.toml', PYPROJECT, { extras: ['extra.one'] }).names, ['a@3', 'b@3', 'c@6']);
    assert.deepEqual(roots('pyproject.toml', PYPROJECT, { extras: ['all'] }).names, ['a@3', 'b@3', 'd@7', 'c@6', 'e@8']);
    assert.deepEqual(roots('pyproject.toml', PYPROJECT, { allExtras: true }).names, ['a@3', 'b@3', 'c@6', 'd@7', 'e@8']);
  });

  test('groups with their includes, each group once; --only-group leaves the dependencies out', () => {
    assert.deepEqual(roots('pyproject.toml', PYPROJECT, { groups: ['dev'] }).names, ['a@3', 'b@3', 'f@11', 'g@12']);
    assert.deepEqual(roots('pyproject.toml', PYPROJECT, { groups: ['empty', 'Dev'], onlyGroups: true }).names, ['g@12', 'f@11']);
  });

  test('what pip would refuse, or what cannot be read, is an error naming it', () => {
    assert.match(roots('pyproject.toml', PYPROJECT, { extras: ['three'] }).error!, /has no extra 'three' \(its extras: Extra_One, all, two\)/);
    assert.match(roots('pyproject.toml', PYPROJECT, { groups: ['docs'] }).error!, /dependency group 'docs' not found \(its groups: Dev, lint, empty\)/);
    assert.match(roots('pyproject.toml', '[project]\nname = "x"\n', { groups: ['dev'] }).error!, /has no \[dependency-groups\] table/);
    assert.match(roots('pyproject.toml', '[project]\nname = "x"\ndynamic = ["dependencies"]\n').error!, /dependencies are dynamic/);
    // --only-group does not need the dynamic dependencies.
    assert.deepEqual(roots('pyproject.toml', '[project]\nname = "x"\ndynamic = ["dependencies"]\n[dependency-groups]\nt = ["h"]\n', { groups: ['t'], onlyGroups: true }).names, ['h@5']);
    assert.match(roots('pyproject.toml', '[project]\nname = "x"\ndynamic = ["optional-dependencies"]\ndependencies = ["a"]\n', { extras: ['x'] }).error!, /optional-dependencies are dynamic/);
    assert.match(roots('pyproject.toml', '[dependency-groups]\na = [{include-group = "b"}]\nb = [{include-group = "a"}]\n', { groups: ['a'] }).error!, /line 3: Cyclic dependency group include: a → b → a/);
    assert.match(roots('pyproject.toml', '[project]\nname = "x"\ndependencies = ["a", "b=="]\n').error!, /line 3: invalid requirement 'b==' in project\.dependencies/);
    assert.match(roots('pyproject.toml', '[project]\nname = "x"\ndependencies = ["x[y]; os_name == \'nt\'"]\n').error!, /names the project itself under a marker/);
    assert.match(roots('pyproject.toml', '[project]\nname = "x"\n').error!, /names no requirement to lock/);
    assert.match(roots('pyproject.toml', '[project\n').error!, /^pyproject\.toml, line 2: pyproject\.toml is not valid TOML/);
  });
});

describe('manifestRoots: setup.cfg and setup.py', () => {
  test('setup.cfg: install_requires, an extra, the [metadata] name; no groups', () => {
    const cfg = '[metadata]\nname = cfgapp\n\n[options]\ninstall_requires =\n    a\n    b>=2\nsetup_requires = s\n\n[options.extras_require]\ntest = c\n';
    assert.deepEqual(roots('setup.cfg', cfg, { extras: ['test'] }), { names: ['a@6', 'b@7', 'c@11'], project: 'cfgapp' });
    assert.match(roots('setup.cfg', cfg, { groups: ['dev'] }).error!, /dependency groups \(--group\) are a pyproject\.toml table/);
    assert.match(roots('setup.cfg', '[options]\ninstall_requires = file: requirements.txt\n').error!, /^setup\.cfg, line 2: /);
  });

  test('setup.py: the static lists; a computed or conditional one is an error', () => {
    assert.deepEqual(roots('setup.py', 'from setuptools import setup\nsetup(install_requires=["a"], extras_require={"x": ["b"]}, tests_require=["t"])\n', { extras: ['x'] }).names, ['a@2', 'b@2']);
    assert.match(roots('setup.py', 'from setuptools import setup\nsetup(install_requires=open("r.txt").read().split())\n').error!, /^setup\.py, line 2: install_requires cannot be read without running setup\.py/);
    assert.match(roots('setup.py', 'import sys\nfrom setuptools import setup\nreqs = ["a"]\nif sys.platform == "win32":\n    reqs.append("pywin32")\nsetup(install_requires=reqs)\n').error!, /pywin32 is added under a condition/);
  });
});
