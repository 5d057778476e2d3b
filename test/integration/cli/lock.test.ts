// `reqguard lock` against real dependency graphs on loopback indexes, with pip as the judge: the
// lock pins exactly the set pip's own resolver installs for the input (`pip install --dry-run
// --report`), and both pips install the lock with --require-hashes. Then what a lock keeps (pins
// that still fit), what --upgrade / --upgrade-package move, the layout, and the exit codes; and a
// manifest as the input (pyproject.toml with extras and groups, setup.cfg), judged by pip
// installing the project itself.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DJANGO_FIXTURE, JUPYTER_PROJECTS, jupyterFixture } from '../../support/dependencyGraphs';
import { PIP, PIP26, skipWithout } from '../../support/optionalProgram';
import { pipResolution, runPip, type PipVersion } from '../../support/pip';
import { KNOTS_FIXTURE, KNOTS_PICKS } from '../../support/resolverGraphs';
import { startTestIndex, type TestIndex } from '../../support/testIndex';
import { run, workspace } from './runCli';

let graphs: TestIndex;
let jupyter: TestIndex;

before(async () => {
  graphs = await startTestIndex({ projects: { ...DJANGO_FIXTURE.projects, ...KNOTS_FIXTURE.projects } });
  jupyter = await startTestIndex(jupyterFixture());
});
after(async () => {
  await graphs?.close();
  await jupyter?.close();
});

/** The lock command against `index`, isolated from this machine's pip configuration. */
function lock(dir: string, index: TestIndex, ...args: string[]) {
  return run(['lock', '--isolated', '--no-cache', '--index-url', index.simpleUrl, ...args], dir);
}

/** `name==version` of every entry of a lock, sorted. */
function pinsOf(text: string): string[] {
  return [...text.matchAll(/^([a-z0-9][a-z0-9._-]*)==(\S+)/gm)].map((match) => `${match[1]}==${match[2]}`).sort();
}

/** pip installs the lock, with dependencies, in hash-checking mode. */
async function assertInstalls(which: PipVersion, file: string, index: TestIndex): Promise<void> {
  const install = await runPip(which, ['install', '--dry-run', '--ignore-installed', '--require-hashes', '-r', file, '--index-url', index.simpleUrl]);
  assert.equal(install.status, 0, `${which}: ${install.stderr}`);
}

interface OracleCase {
  readonly name: string;
  readonly input: string;
  readonly index: () => TestIndex;
  /** Judges: pip 23.2.1 finds no solution for the knots, so only pip 26 judges there. */
  readonly judges: readonly PipVersion[];
  readonly expect?: readonly string[];
  readonly count?: number;
}

const ORACLE: readonly OracleCase[] = [
  { name: "the seed's example: Django and psycopg2-binary, unpinned", input: 'Django\npsycopg2-binary\n', index: () => graphs, judges: ['system', 'pip26'], expect: ['asgiref==3.8.1', 'django==5.2.17', 'psycopg2-binary==2.9.10', 'sqlparse==0.5.3'] },
  { name: 'ranges and a constraints file', input: 'Django>=3,<5\nsqlparse<0.5\n-c constraints.txt\n', index: () => graphs, judges: ['system', 'pip26'], expect: ['asgiref==3.7.2', 'django==4.2.17', 'sqlparse==0.4.4'] },
  { name: 'jupyter: about 100 projects, extras and markers', input: 'jupyter\n', index: () => jupyter, judges: ['system', 'pip26'], count: JUPYTER_PROJECTS - 6 },
  { name: 'a tangled graph that needs 138 rounds of backtracking', input: 'knot1\nknot0\n', index: () => graphs, judges: ['pip26'], expect: KNOTS_PICKS },
];

describe('lock pins what pip installs, and pip installs the lock', { skip: skipWithout(PIP, PIP26), timeout: 600_000 }, () => {
  for (const item of ORACLE) {
    test(item.name, async () => {
      const dir = workspace({ 'requirements.in': item.input, 'constraints.txt': 'asgiref<3.8\n' });
      const input = join(dir, 'requirements.in');
      const locked = await lock(dir, item.index(), 'requirements.in');
      assert.equal(locked.status, 0, locked.stderr);
      const pins = pinsOf(readFileSync(join(dir, 'requirements.txt'), 'utf8'));
      if (item.expect) assert.deepEqual(pins, [...item.expect].sort());
      for (const which of item.judges) {
        const pip = await pipResolution(which, input, item.index().simpleUrl);
        assert.equal(pip.status, 0, pip.stderr);
        assert.deepEqual(pins, pip.picks, `${which} picks otherwise`);
        await assertInstalls(which, join(dir, 'requirements.txt'), item.index());
      }
      if (item.count !== undefined) assert.ok(pins.length >= item.count, `${pins.length} pins`);
    });
  }
});

describe('lock keeps what still fits and moves what it is told to', { skip: skipWithout(PIP, PIP26), timeout: 300_000 }, () => {
  const OLD_LOCK = ['asgiref==3.7.2 \\', '    --hash=sha256:0', 'django==4.2.17', 'sqlparse==0.4.4', 'pytz==2024.2', ''].join('\n');

  test('existing pins that still fit are kept; a pin no requirement needs goes', async () => {
    const dir = workspace({ 'requirements.in': 'Django>=4\n', 'requirements.txt': OLD_LOCK });
    const locked = await lock(dir, graphs, 'requirements.in');
    assert.equal(locked.status, 0, locked.stderr);
    const text = readFileSync(join(dir, 'requirements.txt'), 'utf8');
    assert.deepEqual(pinsOf(text), ['asgiref==3.7.2', 'django==4.2.17', 'sqlparse==0.4.4']);
    for (const which of ['system', 'pip26'] as const) await assertInstalls(which, join(dir, 'requirements.txt'), graphs);
  });

  test('a kept pin that no longer fits moves, and only it', async () => {
    // Django 5.2 needs asgiref>=3.8.1: asgiref moves, sqlparse stays.
    const dir = workspace({ 'requirements.in': 'Django>=5\n', 'requirements.txt': OLD_LOCK });
    assert.equal((await lock(dir, graphs, 'requirements.in')).status, 0);
    assert.deepEqual(pinsOf(readFileSync(join(dir, 'requirements.txt'), 'utf8')), ['asgiref==3.8.1', 'django==5.2.17', 'sqlparse==0.4.4']);
  });

  test('--upgrade-package moves one pin (repeatable), --upgrade all of them', async () => {
    const dir = workspace({ 'requirements.in': 'Django>=4\n', 'requirements.txt': OLD_LOCK });
    assert.equal((await lock(dir, graphs, 'requirements.in', '-P', 'SQLParse')).status, 0);
    assert.deepEqual(pinsOf(readFileSync(join(dir, 'requirements.txt'), 'utf8')), ['asgiref==3.7.2', 'django==4.2.17', 'sqlparse==0.5.3']);
    assert.equal((await lock(dir, graphs, 'requirements.in', '--upgrade-package', 'django', '--upgrade-package', 'asgiref')).status, 0);
    assert.deepEqual(pinsOf(readFileSync(join(dir, 'requirements.txt'), 'utf8')), ['asgiref==3.8.1', 'django==5.2.17', 'sqlparse==0.5.3']);
    writeFileSync(join(dir, 'requirements.txt'), OLD_LOCK);
    assert.equal((await lock(dir, graphs, 'requirements.in', '--upgrade')).status, 0);
    assert.deepEqual(pinsOf(readFileSync(join(dir, 'requirements.txt'), 'utf8')), ['asgiref==3.8.1', 'django==5.2.17', 'sqlparse==0.5.3']);
  });
});

/** A library's pyproject.toml: dependencies, an extra that names the project itself, and groups that include each other. */
const PYPROJECT = `[project]
name = "My_App"
version = "1.0"
dependencies = ["Django>=4"]

[project.optional-dependencies]
pg = ["psycopg2-binary"]
all = ["my-app[pg]", "pytz"]

[dependency-groups]
test = ["sqlparse<0.5", {include-group = "tz"}]
tz = ["pytz<2025"]
`;

/**
 * An in-tree PEP 517 backend that writes the project's metadata from its [project] table as PEP 621
 * says (each extra's requirements with `extra == "…"`), so pip itself can install the project:
 * this machine has no `wheel` package, without which setuptools cannot make metadata. pip then
 * reads the extras, the references to the project itself and the dependency groups on its own.
 */
const METADATA_BACKEND = `import os, tomllib

def _requirement(text, extra):
    name, _, marker = text.partition(";")
    return f"{name.strip()}; ({marker.strip()}) and extra == '{extra}'" if marker.strip() else f"{name.strip()}; extra == '{extra}'"

def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    with open("pyproject.toml", "rb") as handle:
        project = tomllib.load(handle)["project"]
    lines = ["Metadata-Version: 2.1", "Name: " + project["name"], "Version: " + project["version"]]
    lines += ["Requires-Dist: " + requirement for requirement in project.get("dependencies", [])]
    for extra, requirements in project.get("optional-dependencies", {}).items():
        lines.append("Provides-Extra: " + extra)
        lines += ["Requires-Dist: " + _requirement(requirement, extra) for requirement in requirements]
    folder = f"{project['name'].replace('-', '_')}-{project['version']}.dist-info"
    os.makedirs(os.path.join(metadata_directory, folder))
    with open(os.path.join(metadata_directory, folder, "METADATA"), "w") as handle:
        handle.write("\\n".join(lines) + "\\n")
    return folder

def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    raise NotImplementedError("metadata only")
`;

const BUILD_SYSTEM = '\n[build-system]\nrequires = []\nbuild-backend = "metadata_backend"\nbackend-path = ["."]\n';

describe('lock from a manifest pins what pip installs for the project, and pip installs the lock', { skip: skipWithout(PIP, PIP26), timeout: 300_000 }, () => {
  test('pyproject.toml with an extra naming the project itself and a group including another: pip 26 installing the project picks the same set, and installs the lock with --require-hashes', async () => {
    const dir = workspace({ 'pyproject.toml': PYPROJECT + BUILD_SYSTEM, 'metadata_backend.py': METADATA_BACKEND, 'empty.txt': '' });
    const locked = await lock(dir, graphs, 'pyproject.toml', '--extra', 'all', '--group', 'test');
    assert.equal(locked.status, 0, locked.stderr);
    assert.equal(locked.stdout, 'requirements.txt: locked 5 packages\n');
    const text = readFileSync(join(dir, 'requirements.txt'), 'utf8');
    assert.deepEqual(pinsOf(text), ['asgiref==3.8.1', 'django==5.2.17', 'psycopg2-binary==2.9.10', 'pytz==2024.2', 'sqlparse==0.4.4']);
    const pip = await pipResolution('pip26', join(dir, 'empty.txt'), graphs.simpleUrl, `${dir}[all]`, '--group', `${join(dir, 'pyproject.toml')}:test`);
    assert.equal(pip.status, 0, pip.stderr);
    assert.deepEqual(pinsOf(text), pip.picks.filter((pick) => pick !== 'my-app==1.0'));
    assert.ok(pip.picks.includes('my-app==1.0'), 'pip installed the project itself');
    for (const which of ['system', 'pip26'] as const) await assertInstalls(which, join(dir, 'requirements.txt'), graphs);
    assert.match(text, /^# from pyproject\.toml\. To update it, run:\n#\n# {4}reqguard lock pyproject\.toml -o requirements\.txt --extra all --group test\n/m);
    assert.match(text, /\n {4}# via My_App \(pyproject\.toml\)\npsycopg2-binary==2\.9\.10 \\\n/);
    assert.match(text, /\n {4}# via My_App \(pyproject\.toml\)\nsqlparse==0\.4\.4 \\\n/);
  });

  test('setup.cfg: install_requires and an extra; both pips install the lock', async () => {
    const cfg = '[metadata]\nname = cfgapp\n\n[options]\ninstall_requires =\n    Django<5\n\n[options.extras_require]\npg = psycopg2-binary\n';
    const dir = workspace({ 'setup.cfg': cfg, 'roots.txt': 'Django<5\npsycopg2-binary\n' });
    const locked = await lock(dir, graphs, 'setup.cfg', '--extra', 'PG');
    assert.equal(locked.status, 0, locked.stderr);
    const text = readFileSync(join(dir, 'requirements.txt'), 'utf8');
    assert.match(text, /# via cfgapp \(setup\.cfg\)\n/);
    const pip = await pipResolution('pip26', join(dir, 'roots.txt'), graphs.simpleUrl);
    assert.equal(pip.status, 0, pip.stderr);
    assert.deepEqual(pinsOf(text), pip.picks);
    for (const which of ['system', 'pip26'] as const) await assertInstalls(which, join(dir, 'requirements.txt'), graphs);
  });
});

describe('lock from a manifest: what it refuses', () => {
  test('dynamic dependencies, an unknown extra or group, a cycle of groups: exit 2 with the reason, nothing written', async () => {
    const cases: [string, string[], RegExp][] = [
      ['[project]\nname = "x"\ndynamic = ["dependencies"]\n', [], /\[project\] dependencies are dynamic/],
      [PYPROJECT, ['--extra', 'nope'], /has no extra 'nope' \(its extras: pg, all\)/],
      [PYPROJECT, ['--group', 'nope'], /dependency group 'nope' not found/],
      [PYPROJECT.replace('tz = ["pytz<2025"]', 'tz = [{include-group = "test"}]'), ['--group', 'tz'], /line 12: Cyclic dependency group include: test → tz → test/],
    ];
    for (const [input, args, message] of cases) {
      const dir = workspace({ 'pyproject.toml': input });
      const locked = await lock(dir, graphs, 'pyproject.toml', ...args);
      assert.equal(locked.status, 2, `${args.join(' ')}: ${locked.stderr}`);
      assert.match(locked.stderr, message);
      assert.ok(!existsSync(join(dir, 'requirements.txt')));
    }
  });

  test('--only-group locks the groups alone, --all-extras every extra; usage errors: --group with --only-group, --extra on a requirements file', async () => {
    const dir = workspace({ 'pyproject.toml': PYPROJECT, 'requirements.in': 'Django\n' });
    assert.match((await lock(dir, graphs, 'pyproject.toml', '--group', 'test', '--only-group', 'tz')).stderr, /--group or --only-group, not both/);
    const only = await lock(dir, graphs, 'pyproject.toml', '--only-group', 'tz', '-o', 'tz.txt');
    assert.equal(only.status, 0, only.stderr);
    assert.deepEqual(pinsOf(readFileSync(join(dir, 'tz.txt'), 'utf8')), ['pytz==2024.2']);
    assert.match(readFileSync(join(dir, 'tz.txt'), 'utf8'), /# {4}reqguard lock pyproject\.toml -o tz\.txt --only-group tz\n/);
    const every = await lock(dir, graphs, 'pyproject.toml', '--all-extras', '-o', 'all.txt');
    assert.equal(every.status, 0, every.stderr);
    assert.deepEqual(pinsOf(readFileSync(join(dir, 'all.txt'), 'utf8')), ['asgiref==3.8.1', 'django==5.2.17', 'psycopg2-binary==2.9.10', 'pytz==2025.2', 'sqlparse==0.5.3']);
    const onRequirements = await lock(dir, graphs, 'requirements.in', '--extra', 'pg');
    assert.equal(onRequirements.status, 2);
    assert.match(onRequirements.stderr, /chosen from a manifest/);
  });
});

describe('the lock file and the command', () => {
  test("pip-compile's layout: header with the command, index lines carried over, hashes, # via, sorted", async () => {
    const dir = workspace({ 'deps/requirements.in': `--index-url ${graphs.simpleUrl}\n-r base.in\nDjango\n`, 'deps/base.in': 'psycopg2-binary\nsqlparse\n', 'deps/locked/README': 'locks\n' });
    const locked = await run(['lock', '--isolated', '--no-cache', 'deps/requirements.in', '-o', 'deps/locked/requirements.txt'], dir);
    assert.equal(locked.status, 0, locked.stderr);
    assert.equal(locked.stdout, 'deps/locked/requirements.txt: locked 4 packages\n');
    const text = readFileSync(join(dir, 'deps/locked/requirements.txt'), 'utf8');
    const lines = text.split('\n');
    assert.match(lines[1], /^# This file is generated by reqguard for CPython \d+\.\d+ on \w+ \w+$/);
    assert.deepEqual([lines[0], ...lines.slice(2, 7)], [
      '#',
      '# from ../requirements.in. To update it, run:',
      '#',
      '#    reqguard lock deps/requirements.in -o deps/locked/requirements.txt',
      '#',
      `--index-url ${graphs.simpleUrl}`,
    ]);
    assert.match(text, /\nasgiref==3\.8\.1 \\\n {4}--hash=sha256:[0-9a-f]{64} \\\n {4}--hash=sha256:[0-9a-f]{64}\n {4}# via django\ndjango==5\.2\.17 \\\n/);
    assert.match(text, /\n {4}# via -r \.\.\/requirements\.in\npsycopg2-binary==2\.9\.10 \\\n/);
    assert.match(text, /\n {4}--hash=sha256:[0-9a-f]{64}\n {4}# via -r \.\.\/base\.in\nsqlparse==0\.5\.3 \\\n(?: {4}--hash=sha256:[0-9a-f]{64}(?: \\)?\n)+ {4}# via\n {4}# {3}-r \.\.\/base\.in\n {4}# {3}django\n$/);
    // psycopg2-binary: every file of the release (4 Linux wheels, a Windows one, the sdist).
    assert.equal(text.split('psycopg2-binary==')[1].split('# via')[0].match(/--hash=/g)?.length, 6);
    // A second run changes nothing.
    const again = await run(['lock', '--isolated', '--no-cache', 'deps/requirements.in', '-o', 'deps/locked/requirements.txt'], dir);
    assert.equal(again.stdout, 'deps/locked/requirements.txt: up to date (4 packages)\n');
  });

  test('--dry-run prints the change as a diff of the lines that change, and writes nothing', async () => {
    const dir = workspace({ 'requirements.in': 'Django<5\n' });
    assert.equal((await lock(dir, graphs, 'requirements.in')).status, 0);
    const before = readFileSync(join(dir, 'requirements.txt'), 'utf8');
    writeFileSync(join(dir, 'requirements.in'), 'Django<5\npsycopg2-binary\n');
    const dry = await lock(dir, graphs, 'requirements.in', '--dry-run');
    assert.equal(dry.status, 0, dry.stderr);
    assert.equal(readFileSync(join(dir, 'requirements.txt'), 'utf8'), before);
    assert.match(dry.stdout, /^--- a\/requirements\.txt\n\+\+\+ b\/requirements\.txt\n@@ /);
    const changed = dry.stdout.split('\n').filter((line) => /^[-+][^-+]/.test(line));
    assert.ok(changed.every((line) => line.startsWith('+')), dry.stdout);
    assert.ok(changed.some((line) => line === '+psycopg2-binary==2.9.10 \\'), dry.stdout);
  });

  test('exit 1 on a conflict, with the reason; the output is not touched', async () => {
    const dir = workspace({ 'requirements.in': 'Django>=5\nasgiref<3.8\n', 'requirements.txt': 'keep me\n' });
    const locked = await lock(dir, graphs, 'requirements.in');
    assert.equal(locked.status, 1);
    assert.match(locked.stderr, /nothing locked: Cannot install .*django>=5 \(requirements\.in, line 1\)/);
    assert.equal(readFileSync(join(dir, 'requirements.txt'), 'utf8'), 'keep me\n');
  });

  test('exit 2 on bad input and on an index that cannot be read; the output is not touched', async () => {
    const cases: [string, RegExp][] = [
      ['Django\n-e ./local\n', /line 2: \.\/local is not a named requirement/],
      ['Django\n-r missing.in\n', /the included file missing\.in does not exist/],
      ['Django==\n', /pip rejects requirements\.in, line 1/],
    ];
    for (const [input, message] of cases) {
      const dir = workspace({ 'requirements.in': input, 'requirements.txt': 'keep me\n' });
      const locked = await lock(dir, graphs, 'requirements.in');
      assert.equal(locked.status, 2, input);
      assert.match(locked.stderr, message);
      assert.equal(readFileSync(join(dir, 'requirements.txt'), 'utf8'), 'keep me\n');
    }
    const dir = workspace({ 'requirements.in': 'Django\n' });
    const down = await run(['lock', '--isolated', '--no-cache', '--index-url', 'http://127.0.0.1:9/simple/', 'requirements.in'], dir);
    assert.equal(down.status, 2, down.stderr);
    assert.ok(!existsSync(join(dir, 'requirements.txt')));
  });

  test('usage errors: no .in without -o, the output over the input', async () => {
    const dir = workspace({ 'reqs.txt': 'Django\n' });
    assert.match((await lock(dir, graphs, 'reqs.txt')).stderr, /name the output with -o/);
    assert.equal((await lock(dir, graphs, 'reqs.txt', '-o', 'reqs.txt')).status, 2);
  });
});
