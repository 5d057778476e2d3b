// The reqguard command as users run it: the bundled server/out/cli.js in a child process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/corpus';

const CLI = join(REPO_ROOT, 'server/out/cli.js');

function run(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'reqguard-cli-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const HASH = 'sha256:' + 'd'.repeat(64);

test('check: warnings alone exit 0, --fail-on warning exits 1, text output names file:line:col and code', () => {
  const dir = workspace({ 'requirements.txt': 'Django\npsycopg2-binary==2.7.4\n' });
  const plain = run(['check', 'requirements.txt'], dir);
  assert.equal(plain.status, 0, plain.stderr);
  assert.match(plain.stdout, /^requirements\.txt:1:1: warning \[unpinned\] /m);
  assert.match(plain.stdout, /^requirements\.txt:2:1: warning \[unhashed\] /m);
  assert.match(plain.stdout, /2 warnings/);
  assert.equal(run(['check', '--fail-on', 'warning', 'requirements.txt'], dir).status, 1);
  assert.equal(run(['check', '--fail-on=warning', 'requirements.txt'], dir).status, 1);
});

test('check --format json prints flat records with 1-based positions', () => {
  const dir = workspace({ 'requirements.txt': `flask==3.0.0 --hash=${HASH}\nrequests>=2\n` });
  const result = run(['check', '--format', 'json', '--offline', 'requirements.txt'], dir);
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

test('check: a clean file says so and exits 0', () => {
  const dir = workspace({ 'requirements.txt': `flask==3.0.0 --hash=${HASH}\n` });
  const result = run(['check', 'requirements.txt'], dir);
  assert.equal(result.status, 0);
  assert.equal(result.stdout, 'No problems found.\n');
});

test('check: unreadable paths exit 2 with a clear message and no stack trace; other files are still checked', () => {
  const dir = workspace({ 'requirements.txt': 'flask\n', 'sub/x.txt': '' });
  const result = run(['check', 'missing.txt', 'sub', 'requirements.txt'], dir);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /cannot read missing\.txt: no such file/);
  assert.match(result.stderr, /cannot read sub: is a directory/);
  assert.doesNotMatch(result.stderr, /at .*\.js:\d+/);
  assert.match(result.stdout, /requirements\.txt:1:1: warning \[unpinned\]/);
});

test('usage errors exit 2 and show the usage', () => {
  const dir = workspace({});
  for (const args of [[], ['check'], ['check', '--format', 'xml', 'a'], ['check', '--bogus', 'a'], ['frobnicate'], ['parse', 'a.txt'], ['parse', '--json']]) {
    const result = run(args, dir);
    assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, /Usage:/, args.join(' '));
  }
  assert.equal(run(['--help'], dir).status, 0);
  assert.match(run(['--version'], dir).stdout, /^reqguard \d+\.\d+\.\d+/);
});

test('check reads setup.py with the library rules', () => {
  const dir = workspace({ 'setup.py': 'from setuptools import setup\nsetup(install_requires=["requests==2.0.0"])\n' });
  const result = run(['check', '--format', 'json', 'setup.py'], dir);
  assert.equal(result.status, 0);
  assert.deepEqual(JSON.parse(result.stdout).map((r: { code: string }) => r.code), ['exact-pin-in-library']);
  // Any Python file given to the CLI is read as a setup script, not as a requirements file.
  const renamed = workspace({ 'lib_setup.py': 'from setuptools import setup\nsetup(install_requires=["requests"])\n' });
  assert.deepEqual(JSON.parse(run(['check', '--format', 'json', 'lib_setup.py'], renamed).stdout).map((r: { code: string }) => r.code), ['unbounded']);
});

test('parse --json: flat requirement, option, include and problem records; includes listed, not followed', () => {
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
  const result = run(['parse', '--json', 'requirements.txt'], dir);
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
  assert.equal(report.problems.length, 1);
  assert.equal(report.problems[0].line, 6);
  assert.equal(report.problems[0].code, 'syntax');
});
