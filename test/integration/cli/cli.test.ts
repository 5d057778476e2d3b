// The reqguard command as users run it: the bundled server/out/cli.js in a child process.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestIndex, type IndexFixture, type TestIndex } from '../../support/testIndex';
import { ageCachedAnswers, CLI, run, workspace, type Run } from './runCli';

const HASH = 'sha256:' + 'd'.repeat(64);

test('check: warnings alone exit 0, --fail-on warning exits 1, text output names file:line:col and code', async () => {
  const dir = workspace({ 'requirements.txt': 'Django\npsycopg2-binary==2.7.4\n' });
  const plain = await run(['check', '--no-index-checks', 'requirements.txt'], dir);
  assert.equal(plain.status, 0, plain.stderr);
  assert.match(plain.stdout, /^requirements\.txt:1:1: warning \[unpinned\] /m);
  assert.match(plain.stdout, /^requirements\.txt:2:1: warning \[unhashed\] /m);
  assert.match(plain.stdout, /2 warnings/);
  assert.equal((await run(['check', '--no-index-checks', '--fail-on', 'warning', 'requirements.txt'], dir)).status, 1);
  assert.equal((await run(['check', '--no-index-checks', '--fail-on=warning', 'requirements.txt'], dir)).status, 1);
});

test('check --format json prints flat records with 1-based positions', async () => {
  const dir = workspace({ 'requirements.txt': `flask==3.0.0 --hash=${HASH}\nrequests>=2\n` });
  const result = await run(['check', '--format', 'json', '--no-index-checks', 'requirements.txt'], dir);
  assert.equal(result.status, 1, 'hash mode makes the unpinned entry an error');
  const records = JSON.parse(result.stdout);
  assert.deepEqual(records, [
    {
      file: 'requirements.txt', line: 2, column: 1, endLine: 2, endColumn: 12, code: 'unpinned', severity: 'error',
      message: records[0].message,
    },
  ]);
  assert.match(records[0].message, /hash-checking mode/);
});

test('check: a clean file says so and exits 0', async () => {
  const dir = workspace({ 'requirements.txt': `flask==3.0.0 --hash=${HASH}\n` });
  const result = await run(['check', '--no-index-checks', 'requirements.txt'], dir);
  assert.equal(result.status, 0);
  assert.equal(result.stdout, 'No problems found.\n');
});

test('check: unreadable paths exit 2 with a clear message and no stack trace; other files are still checked', async () => {
  const dir = workspace({ 'requirements.txt': 'flask\n', 'sub/x.txt': '' });
  const result = await run(['check', '--no-index-checks', 'missing.txt', 'sub', 'requirements.txt'], dir);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /cannot read missing\.txt: no such file/);
  assert.match(result.stderr, /cannot read sub: is a directory/);
  assert.doesNotMatch(result.stderr, /at .*\.js:\d+/);
  assert.match(result.stdout, /requirements\.txt:1:1: warning \[unpinned\]/);
});

test('check never says "No problems found" about a file it could not read or a failing index', async () => {
  const dir = workspace({ 'requirements.txt': `flask==3.0.0 --hash=${HASH}\n`, 'sub/x.txt': '' });
  const unreadable = await run(['check', '--no-index-checks', 'missing.txt', 'sub'], dir);
  assert.equal(unreadable.status, 2);
  assert.doesNotMatch(unreadable.stdout, /^No problems found\.$/m);
  assert.match(unreadable.stdout, /2 files could not be read/);
  const mixed = await run(['check', '--no-index-checks', 'missing.txt', 'requirements.txt'], dir);
  assert.equal(mixed.status, 2);
  assert.equal(mixed.stdout, 'No problems found in what could be checked, but 1 file could not be read.\n');
  // An index nobody answers on (a loopback port nothing listens on): the index checks are incomplete.
  const down = await run(['check', '--isolated', '--index-url', 'http://127.0.0.1:9/simple/', '--timeout', '2', '--python-version', '3.12', '--platform', 'win_amd64', 'requirements.txt'], dir);
  assert.equal(down.status, 2, down.stderr);
  assert.equal(down.stdout, 'Target: CPython 3.12 on Windows AMD64 (win_amd64), --platform\nNo problems found in what could be checked, but index checks are incomplete for 1 file.\n');
});

test('usage errors exit 2 and show the usage', async () => {
  const dir = workspace({});
  for (const args of [[], ['check'], ['check', '--format', 'xml', 'a'], ['check', '--bogus', 'a'], ['frobnicate'], ['parse', 'a.txt'], ['parse', '--json']]) {
    const result = await run(args, dir);
    assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, /Usage:/, args.join(' '));
  }
  assert.equal((await run(['--help'], dir)).status, 0);
  assert.match((await run(['--version'], dir)).stdout, /^reqguard \d+\.\d+\.\d+/);
});

test('--help and --version are answered without the engine: cli.js alone, beside no main.js', async () => {
  // The command's entry copied under a package.json of another version, and no server bundle.
  const dir = workspace({ 'package.json': JSON.stringify({ version: '9.8.7' }), 'server/out/cli.js': readFileSync(CLI) });
  const alone = join(dir, 'server/out/cli.js');
  const exec = (args: string[]) => spawnSync(process.execPath, [alone, ...args], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
  assert.deepEqual([exec(['--version']).stdout, exec(['--version']).status], ['reqguard 9.8.7\n', 0]);
  const help = exec(['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^Usage:\n {2}reqguard check /);
  assert.equal(help.stdout, (await run(['--help'], dir)).stdout, 'the same usage as the engine gives');
  assert.match(exec(['check', 'requirements.txt']).stderr, /Cannot find module '\.\/main\.js'/, 'the engine is loaded for a command');
});

test('check reads setup.py with the library rules', async () => {
  const dir = workspace({ 'setup.py': 'from setuptools import setup\nsetup(install_requires=["requests==2.0.0"])\n' });
  const result = await run(['check', '--format', 'json', '--no-index-checks', 'setup.py'], dir);
  assert.equal(result.status, 0);
  assert.deepEqual(JSON.parse(result.stdout).map((r: { code: string }) => r.code), ['exact-pin-in-library']);
  // Any Python file given to the CLI is read as a setup script, not as a requirements file.
  const renamed = workspace({ 'lib_setup.py': 'from setuptools import setup\nsetup(install_requires=["requests"])\n' });
  assert.deepEqual(JSON.parse((await run(['check', '--format', 'json', '--no-index-checks', 'lib_setup.py'], renamed)).stdout).map((r: { code: string }) => r.code), ['unbounded']);
});

test('check and parse read pyproject.toml and setup.cfg as manifests, pylock.toml as a lock file; other lock files are refused, not misread', async () => {
  const pyproject = [
    '[build-system]',
    'requires = ["setuptools>=61"]',
    '[project]',
    'name = "app"',
    'dependencies = [',
    '    "requests==2.31.0",',
    '    "bad==",',
    ']',
    '[project.optional-dependencies]',
    'socks = ["PySocks>=1.5; python_version >= \'3.8\'"]',
    '[dependency-groups]',
    'test = ["pytest", {include-group = "lint"}]',
    '',
  ].join('\n');
  const dir = workspace({
    'pyproject.toml': pyproject,
    'setup.cfg': '[options]\ninstall_requires =\n    flask>=3\n    six\n',
    'pylock.toml': 'lock-version = "1.0"\ncreated-by = "pip"\n',
    'Pipfile.lock': '{"_meta": {}, "default": {}}\n',
  });
  const checked = await run(['check', '--format', 'json', '--no-index-checks', 'pyproject.toml', 'setup.cfg'], dir);
  assert.equal(checked.status, 1, checked.stderr);
  assert.deepEqual(JSON.parse(checked.stdout).map((r: { file: string; line: number; code: string }) => `${r.file}:${r.line} ${r.code}`), [
    'pyproject.toml:6 exact-pin-in-library',
    'pyproject.toml:7 syntax',
    'pyproject.toml:12 dependency-group',
    'setup.cfg:4 unbounded',
  ]);
  const parsed = await run(['parse', '--json', 'pyproject.toml'], dir);
  assert.equal(parsed.status, 0, parsed.stderr);
  const report = JSON.parse(parsed.stdout);
  assert.equal(report.kind, 'pyproject.toml');
  assert.deepEqual(report.requirements.map((r: Record<string, unknown>) => [r.line, r.keyword, r.extra, r.group, r.name, r.specifier, r.marker]), [
    [2, 'build-system.requires', null, null, 'setuptools', '>=61', null],
    [6, 'project.dependencies', null, null, 'requests', '==2.31.0', null],
    [10, 'project.optional-dependencies', 'socks', null, 'pysocks', '>=1.5', 'python_version >= "3.8"'],
    [12, 'dependency-groups', null, 'test', 'pytest', '', null],
  ]);
  assert.match(report.problems.find((p: { code: string }) => p.code === 'dependency-group').message, /^Dependency group 'lint' not found/);
  const pylock = await run(['check', '--format', 'json', '--no-index-checks', 'pylock.toml'], dir);
  assert.equal(pylock.status, 1, pylock.stderr);
  assert.deepEqual(JSON.parse(pylock.stdout).map((r: { line: number; code: string; message: string }) => `${r.line} ${r.code} ${r.message}`), ['1 pylock-invalid packages is required (PEP 751) but missing.']);
  const pylockParse = JSON.parse((await run(['parse', '--json', 'pylock.toml'], dir)).stdout);
  assert.deepEqual([pylockParse.kind, pylockParse.requirements, pylockParse.problems.map((p: { code: string }) => p.code)], ['pylock.toml', [], ['pylock-invalid']]);
  const fixed = await run(['fix', 'pylock.toml'], dir);
  assert.equal(fixed.status, 1);
  assert.match(fixed.stderr, /pylock\.toml: nothing written: a lock file is regenerated by the tool that wrote it/);
  const refused = await run(['check', '--no-index-checks', 'Pipfile.lock'], dir);
  assert.equal(refused.status, 2);
  assert.equal(refused.stderr, 'reqguard: Pipfile.lock: not a file reqguard reads: it reads requirements files, setup.py, setup.cfg, pyproject.toml and pylock.toml\n');
  assert.doesNotMatch(refused.stdout, /syntax/);
});

test('parse --json: flat requirement, option, include and problem records; includes listed, their requirements not', async () => {
  const text = [
    '--index-url https://pypi.example/simple',
    '-r base.txt',
    'requests[socks]>=2,<3 ; python_version >= "3.8" \\',
    `    --hash=${HASH}`,
    '-e git+https://github.com/x/y.git#egg=y',
    'bad==',
    '',
  ].join('\n');
  const dir = workspace({ 'requirements.txt': text, 'base.txt': 'never-read==1\n' });
  const result = await run(['parse', '--json', 'requirements.txt'], dir);
  assert.equal(result.status, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.equal(report.file, 'requirements.txt');
  assert.deepEqual(report.options, [{ line: 1, option: '--index-url', value: 'https://pypi.example/simple' }]);
  assert.deepEqual(report.includes, [{ line: 2, kind: '-r', target: 'base.txt', path: join(dir, 'base.txt') }]);
  assert.deepEqual(report.requirements[0], {
    line: 3, name: 'requests', extras: ['socks'], specifier: '>=2,<3', marker: 'python_version >= "3.8"', url: null,
    editable: false, hashes: { sha256: ['d'.repeat(64)] }, constraint: false,
  });
  assert.deepEqual(report.requirements[1], {
    line: 5, name: 'y', extras: [], specifier: '', marker: null, url: 'git+https://github.com/x/y.git#egg=y',
    editable: true, hashes: {}, constraint: false,
  });
  assert.equal(report.requirements.length, 3, 'the invalid line is still listed');
  // The problems are check's offline findings: the included file's unhashed pin, the hashed range
  // (refused in hash mode before pip 26.1), the editable, the invalid line.
  assert.deepEqual(report.problems.map((p: { line: number; code: string; severity: string }) => [p.line, p.code, p.severity]), [
    [2, 'hash-mode-include', 'error'],
    [3, 'unpinned', 'warning'],
    [5, 'hash-mode-unhashable', 'error'],
    [6, 'syntax', 'error'],
  ]);
  assert.match(report.problems[3].message, /^Invalid requirement 'bad=='/);
});

// ---- show, against real loopback indexes --------------------------------------------------------

const MANY_VERSIONS = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`0.${i + 1}`, { files: ['wheel' as const] }]));
const FIXTURE_A: IndexFixture = {
  projects: {
    demo: {
      versions: {
        '1.0.0': {},
        '1.5.0': { yanked: 'broken build' },
        '2.0rc1': {},
        '2.0.0': { requiresPython: '>=3.8', summary: 'A demo project' },
      },
    },
    many: { versions: MANY_VERSIONS },
  },
};
/** Another index with the same project, told apart by its only version. */
const FIXTURE_B: IndexFixture = { projects: { demo: { versions: { '9.0.0': { files: ['wheel'] } } } } };

let indexA: TestIndex;
let indexB: TestIndex;
before(async () => {
  [indexA, indexB] = await Promise.all([startTestIndex(FIXTURE_A), startTestIndex(FIXTURE_B)]);
});
after(() => Promise.all([indexA.close(), indexB.close()]));

/** What `action` asked of an index. */
async function requestsDuring<T>(index: TestIndex, action: () => Promise<T>): Promise<{ result: T; requests: TestIndex['requests'] }> {
  const seen = index.requests.length;
  const result = await action();
  return { result, requests: index.requests.slice(seen) };
}

test('show: the index and where it was chosen, the targets, versions newest first with yanked ones, the newest file facts and pip\'s pick', async () => {
  const dir = workspace({});
  const result = await run(['show', '--index-url', indexA.simpleUrl, '--python-version', '3.7,3.12', '--platform', 'win_amd64', 'demo', 'many'], dir);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stderr, '');
  const [header, demo, many] = result.stdout.split('\n\n');
  assert.deepEqual(header.split('\n'), [
    `index: ${indexA.simpleUrl} (from --index-url)`,
    'target: CPython 3.7 on Windows AMD64 (win_amd64), --platform',
    'target: CPython 3.12 on Windows AMD64 (win_amd64), --platform',
  ]);
  assert.deepEqual(demo.split('\n'), [
    'demo: A demo project',
    '  2.0.0   requires-python >=3.8, 2 files',
    '  2.0rc1',
    '  1.5.0   yanked: broken build',
    '  1.0.0',
    "  pip's pick for CPython 3.7 on Windows AMD64 and CPython 3.12 on Windows AMD64: 1.0.0",
    '  (fetched from the index)',
  ]);
  const manyLines = many.trimEnd().split('\n');
  assert.equal(manyLines[0], 'many', 'no summary: the name alone');
  assert.equal(manyLines[1], '  0.12  1 file');
  assert.equal(manyLines.filter((line) => /^ {2}0\.\d+/.test(line)).length, 10, 'the newest 10 versions');
  assert.equal(manyLines.at(-3), '  … 2 more');
});

test('show --json: the documented report, with every version', async () => {
  const dir = workspace({});
  const result = await run(['show', '--json', '--index-url', indexA.simpleUrl, '--python-version', '3.7', '--platform', 'manylinux2014_x86_64', 'demo', 'many'], dir);
  assert.equal(result.status, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.deepEqual(report.index, { primary: indexA.simpleUrl, extra: [], findLinks: [], source: 'command-line', sourceDetail: '--index-url', offline: false });
  assert.deepEqual(report.targets, [
    {
      name: 'CPython 3.7 on Linux x86_64',
      label: 'CPython 3.7 on Linux x86_64 (manylinux2014_x86_64)',
      source: 'flag',
      origin: '--platform',
      markers: {
        implementation_name: 'cpython',
        implementation_version: '3.7.0',
        os_name: 'posix',
        sys_platform: 'linux',
        platform_system: 'Linux',
        platform_machine: 'x86_64',
        platform_release: '',
        platform_version: '',
        python_full_version: '3.7.0',
        platform_python_implementation: 'CPython',
        python_version: '3.7',
      },
      tags: 299,
    },
  ]);
  const [demo, many] = report.projects;
  assert.ok(Date.parse(demo.fetchedAt) > 0);
  assert.deepEqual(demo, {
    project: 'demo',
    ok: true,
    summary: 'A demo project',
    data: 'fetched',
    fetchedAt: demo.fetchedAt,
    newest: { version: '2.0.0', requiresPython: '>=3.8', files: 2 },
    selected: '1.0.0',
    versions: [
      { version: '2.0.0', files: 2, yanked: false, yankedReason: null },
      { version: '2.0rc1', files: 2, yanked: false, yankedReason: null },
      { version: '1.5.0', files: 2, yanked: true, yankedReason: 'broken build' },
      { version: '1.0.0', files: 2, yanked: false, yankedReason: null },
    ],
    problems: [],
  });
  assert.equal(many.versions.length, 12);
  assert.deepEqual(many.newest, { version: '0.12', requiresPython: null, files: 1 });
  assert.equal(many.summary, null);
});

test('show: an unknown project exits 1 with "not found"; the others are still shown', async () => {
  const dir = workspace({});
  const text = await run(['show', '--index-url', indexA.simpleUrl, 'demo', 'no-such-project'], dir);
  assert.equal(text.status, 1);
  assert.match(text.stdout, /^demo: A demo project$/m);
  assert.match(text.stdout, /^no-such-project: error \[not-found\] .*not found$/m);
  const json = JSON.parse((await run(['show', '--json', '--no-cache', '--index-url', indexA.simpleUrl, 'no-such-project'], dir)).stdout);
  assert.deepEqual(json.projects, [
    { project: 'no-such-project', ok: false, error: { kind: 'not-found', message: json.projects[0].error.message, url: `${indexA.simpleUrl}no-such-project/`, status: 404 } },
  ]);
});

test('show: credentials in --index-url reach the index and never the output, answers and errors alike', async () => {
  const dir = workspace({});
  const withCredentials = indexA.simpleUrl.replace('http://', 'http://user:s3cret@');
  const expected = `Basic ${Buffer.from('user:s3cret').toString('base64')}`;
  const noSecret = (result: Run) => {
    assert.doesNotMatch(result.stdout, /s3cret/);
    assert.doesNotMatch(result.stderr, /s3cret/);
  };
  const ok = await requestsDuring(indexA, () => run(['show', '--no-cache', '--index-url', withCredentials, 'demo'], dir));
  assert.equal(ok.result.status, 0, ok.result.stderr);
  assert.ok(ok.requests.length > 0);
  for (const request of ok.requests) assert.equal(request.headers.authorization, expected, request.path);
  assert.match(ok.result.stdout, /^index: http:\/\/user:\*\*\*\*@127\.0\.0\.1:\d+\/simple\/ \(from --index-url\)$/m);
  noSecret(ok.result);
  noSecret(await run(['show', '--json', '--no-cache', '--index-url', withCredentials, 'demo', 'no-such-project'], dir));

  indexA.setFault('simple-project', { kind: 'status', status: 500 });
  try {
    for (const format of [[], ['--json']]) {
      const failed = await run(['show', ...format, '--no-cache', '--index-url', withCredentials, 'demo'], dir);
      assert.equal(failed.status, 1);
      assert.match(failed.stdout, /server-error/);
      noSecret(failed);
    }
  } finally {
    indexA.setFault('simple-project', undefined);
  }
  // Usage errors do not echo a password either.
  const typo = await run(['show', `--index-uri=${withCredentials}`, 'demo'], dir);
  assert.equal(typo.status, 2);
  noSecret(typo);
  noSecret(await run(['show', '--index-url', 'user:s3cret@127.0.0.1/simple', 'demo'], dir));
  noSecret(await run(['show', '--no-cache', 'user:s3cret@127.0.0.1'], dir));

  // The same from a requirements file's own --index-url.
  writeFileSync(join(dir, 'requirements.txt'), `--index-url ${withCredentials}\ndemo\n`);
  const fromFile = await requestsDuring(indexA, () => run(['show', '--no-cache', '-r', 'requirements.txt', 'demo'], dir));
  assert.equal(fromFile.result.status, 0, fromFile.result.stderr);
  assert.ok(fromFile.requests.every((request) => request.headers.authorization === expected));
  assert.match(fromFile.result.stdout, /\(from requirements\.txt\)$/m);
  noSecret(fromFile.result);
});

test('show: index discovery end to end: pip.conf < PIP_INDEX_URL < --index-url < the -r file, and --isolated as pip has it', async () => {
  const dir = workspace({ 'requirements.txt': `--index-url ${indexA.simpleUrl}\ndemo\n` });
  const pipConf = join(dir, 'pip.conf');
  writeFileSync(pipConf, `[global]\nindex-url = ${indexA.simpleUrl}\n`);
  const show = async (args: string[], env: Record<string, string>) => {
    const result = await run(['show', '--json', '--no-cache', ...args, 'demo'], dir, env);
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    return { ...report.index, versions: report.projects[0].versions.map((v: { version: string }) => v.version) };
  };
  const onA = { primary: indexA.simpleUrl, versions: ['2.0.0', '2.0rc1', '1.5.0', '1.0.0'] };
  const onB = { primary: indexB.simpleUrl, versions: ['9.0.0'] };

  assert.deepEqual(await show([], { PIP_CONFIG_FILE: pipConf }), { ...onA, extra: [], findLinks: [], source: 'pip', sourceDetail: pipConf, offline: false });
  assert.deepEqual(await show([], { PIP_CONFIG_FILE: pipConf, PIP_INDEX_URL: indexB.simpleUrl }), {
    ...onB, extra: [], findLinks: [], source: 'pip', sourceDetail: 'PIP_INDEX_URL', offline: false,
  });
  // pip --isolated drops PIP_* variables and the user's files, but still reads the PIP_CONFIG_FILE
  // file (pip's Configuration: the env file is loaded even when isolated; checked with pip 23.2
  // `pip --isolated config list`).
  assert.deepEqual(await show(['--isolated'], { PIP_CONFIG_FILE: pipConf, PIP_INDEX_URL: indexB.simpleUrl }), {
    ...onA, extra: [], findLinks: [], source: 'pip', sourceDetail: pipConf, offline: false,
  });
  assert.deepEqual(await show(['--index-url', indexB.simpleUrl], { PIP_CONFIG_FILE: pipConf, PIP_INDEX_URL: indexA.simpleUrl }), {
    ...onB, extra: [], findLinks: [], source: 'command-line', sourceDetail: '--index-url', offline: false,
  });
  assert.deepEqual(await show(['-r', 'requirements.txt', '--index-url', indexB.simpleUrl], { PIP_INDEX_URL: indexB.simpleUrl }), {
    ...onA, extra: [], findLinks: [], source: 'file', sourceDetail: 'requirements.txt', offline: false,
  });
});

test('show: --extra-index-url adds an index whose versions are merged in', async () => {
  const dir = workspace({});
  const result = await run(['show', '--json', '--no-cache', '--index-url', indexA.simpleUrl, '--extra-index-url', indexB.simpleUrl, 'demo'], dir);
  assert.equal(result.status, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.deepEqual(report.index.extra, [indexB.simpleUrl]);
  assert.deepEqual(report.projects[0].versions.map((v: { version: string }) => v.version), ['9.0.0', '2.0.0', '2.0rc1', '1.5.0', '1.0.0']);
});

test('show: answers persist in the cache folder; a second run asks the index nothing', async () => {
  const dir = workspace({});
  const args = ['show', '--json', '--cache-dir', 'cache', '--index-url', indexA.simpleUrl, 'demo'];
  const first = await requestsDuring(indexA, () => run(args, dir));
  assert.equal(first.result.status, 0, first.result.stderr);
  assert.ok(first.requests.some((request) => request.route === 'simple-project'));
  assert.ok(readdirSync(join(dir, 'cache')).length > 0);
  const second = await requestsDuring(indexA, () => run(args, dir));
  assert.equal(second.result.status, 0, second.result.stderr);
  assert.deepEqual(second.requests, []);
  const report = JSON.parse(second.result.stdout).projects[0];
  assert.equal(report.data, 'cached');
  assert.equal(report.summary, 'A demo project', 'the JSON API answer is cached too');
  assert.equal((await run([...args.slice(0, -1), '--no-cache', 'demo'], dir)).status, 2, '--cache-dir and --no-cache exclude each other');
});

test('show: the default cache is $XDG_CACHE_HOME/reqguard; --no-cache writes nothing and asks again', async () => {
  const dir = workspace({});
  const cache = join(dir, 'xdg-cache');
  const args = ['show', '--index-url', indexA.simpleUrl, 'demo'];
  assert.equal((await run(args, dir, { XDG_CACHE_HOME: cache })).status, 0);
  assert.ok(readdirSync(join(cache, 'reqguard')).length > 0);
  const fresh = join(dir, 'unused-cache');
  for (let i = 0; i < 2; i++) {
    const uncached = await requestsDuring(indexA, () => run(['show', '--no-cache', ...args.slice(1)], dir, { XDG_CACHE_HOME: fresh }));
    assert.equal(uncached.result.status, 0);
    assert.ok(uncached.requests.length > 0);
  }
  assert.equal(existsSync(fresh), false);
});

test('show: an index failing after the cache expired is answered from the cache, marked stale', async () => {
  const dir = workspace({});
  const args = ['show', '--cache-dir', 'cache', '--index-url', indexA.simpleUrl, 'demo'];
  assert.equal((await run(args, dir)).status, 0);
  const dayAgo = ageCachedAnswers(join(dir, 'cache'));
  indexA.setFault('simple-project', { kind: 'status', status: 503 });
  try {
    const stale = await run([...args.slice(0, 1), '--json', ...args.slice(1)], dir);
    assert.equal(stale.status, 0, stale.stderr);
    const report = JSON.parse(stale.stdout).projects[0];
    assert.equal(report.data, 'stale');
    assert.equal(report.fetchedAt, new Date(dayAgo).toISOString());
    assert.match((await run(args, dir)).stdout, /^ {2}\(stale: the index failed, showing data fetched /m);
  } finally {
    indexA.setFault('simple-project', undefined);
  }
});

test('show --offline: an empty cache is an "offline" error without a request; a warm cache answers without one', async () => {
  const dir = workspace({});
  const args = ['show', '--cache-dir', 'cache', '--index-url', indexA.simpleUrl, 'demo'];
  const cold = await requestsDuring(indexA, () => run(['show', '--offline', ...args.slice(1)], dir));
  assert.equal(cold.result.status, 1);
  assert.match(cold.result.stdout, /^offline: cached answers and local indexes only$/m);
  assert.match(cold.result.stdout, /^demo: error \[offline\] offline, and .* is not in the cache$/m);
  assert.deepEqual(cold.requests, []);

  assert.equal((await run(args, dir)).status, 0);
  const warm = await requestsDuring(indexA, () => run(['show', '--offline', '--json', ...args.slice(1)], dir));
  assert.equal(warm.result.status, 0, warm.result.stderr);
  assert.deepEqual(warm.requests, []);
  const report = JSON.parse(warm.result.stdout);
  assert.equal(report.index.offline, true);
  assert.equal(report.projects[0].data, 'cached');
  assert.equal(report.projects[0].newest.version, '2.0.0');
});

test('index options are validated by check and show alike: bad values are usage errors', async () => {
  const dir = workspace({ 'requirements.txt': `flask==3.0.0 --hash=${HASH}\n` });
  const good = ['--index-url', indexA.simpleUrl, '--extra-index-url', indexB.simpleUrl, '--isolated', '--offline', '--cache-dir', 'c', '--timeout', '2.5'];
  // Validated even when no index is asked.
  assert.equal((await run(['check', '--no-index-checks', ...good, 'requirements.txt'], dir)).status, 0);
  const bad = [
    ['--timeout', 'abc'], ['--timeout=0'], ['--timeout', '-1'], ['--timeout', ''], ['--timeout', '601'], ['--timeout'],
    ['--index-url', 'not a url'], ['--extra-index-url', 'ftp://example.org/simple'], ['--cache-dir', 'c', '--no-cache'], ['--offline=yes'],
  ];
  for (const options of bad) {
    for (const command of [['check', ...options, 'requirements.txt'], ['show', ...options, 'demo']]) {
      const result = await run(command, dir);
      assert.equal(result.status, 2, `${command.join(' ')}: ${result.stdout}`);
      assert.match(result.stderr, /Usage:/);
    }
  }
  assert.match((await run(['show', '--timeout', 'abc', 'demo'], dir)).stderr, /--timeout must be a number of seconds from 1 to 600, not 'abc'/);
  for (const args of [['show'], ['show', '../etc/passwd'], ['show', '-r', 'a.txt', '-r', 'b.txt', 'demo']]) assert.equal((await run(args, dir)).status, 2, args.join(' '));
  const missing = await run(['show', '-r', 'missing.txt', 'demo'], dir);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /cannot read missing\.txt: no such file/);
});
