// Complete files through the bundled command, judged by the real pips (23.2.1 and 26.2.1): `fix`
// adds the dependencies pip installs that the file does not pin (the seed's Django example, a graph
// with extras and markers, the jupyter-shaped closure), and the result installs with
// --require-hashes and its dependencies; without one added entry pip refuses it and `check`
// reports missing-dependency. Conflicts are reported and change nothing that would mislead.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckRecord } from '../../../server/src/cli/checkOutput';
import { DJANGO_FIXTURE, jupyterFixture } from '../../support/dependencyGraphs';
import { PIP, PIP26, skipWithout } from '../../support/optionalProgram';
import { pipPythonVersion, runPip, type PipVersion } from '../../support/pip';
import { startTestIndex, type IndexFixture, type TestIndex } from '../../support/testIndex';
import { run, workspace } from './runCli';

/** Extras and markers: app[cache] needs redis only through its extra; a marker that is false on Linux adds nothing. */
const EXTRAS_FIXTURE: IndexFixture = {
  projects: {
    app: { versions: { '1.0': { requiresDist: ['click>=8', 'redis>=5; extra == "cache"', 'pywin32; sys_platform == "win32"'], providesExtra: ['cache'] } } },
    click: { versions: { '8.1.7': {}, '8.1.8': {} } },
    redis: { versions: { '5.0.0': { requiresDist: ['async-timeout>=4; python_full_version < "3.11.3"'] }, '5.2.1': { requiresDist: ['async-timeout>=4; python_full_version < "3.11.3"'] } } },
    'async-timeout': { versions: { '4.0.3': {}, '5.0.1': {} } },
    pywin32: { versions: { '306': {} } },
    // A conflict: old pins another version of click than app requires.
    old: { versions: { '1.0': { requiresDist: ['click<8'] } } },
  },
};

const PIPS: { which: PipVersion; program: typeof PIP }[] = [
  { which: 'system', program: PIP },
  { which: 'pip26', program: PIP26 },
];

const read = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');

function installArgs(file: string, index: TestIndex): string[] {
  return ['install', '--dry-run', '--ignore-installed', '--require-hashes', '-r', file, '--index-url', index.simpleUrl];
}

/** Removes the entry of `name` (with its hash and `# via` lines) from a fixed file. */
function withoutEntry(text: string, name: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`${name}==`));
  assert.ok(start >= 0, `${name} in\n${text}`);
  let end = start + 1;
  while (end < lines.length && lines[end].startsWith('    ')) end++;
  return [...lines.slice(0, start), ...lines.slice(end)].join('\n');
}

async function checkRecords(dir: string, index: TestIndex, python: string, file = 'requirements.txt'): Promise<CheckRecord[]> {
  const result = await run(['check', '--format', 'json', '--isolated', '--no-cache', '--index-url', index.simpleUrl, '--python-version', python, file], dir);
  return JSON.parse(result.stdout) as CheckRecord[];
}

async function fixAndProve(index: TestIndex, files: Record<string, string>, removable: string) {
  const python = await pipPythonVersion();
  const dir = workspace(files);
  const fixed = await run(['fix', '--isolated', '--no-cache', '--index-url', index.simpleUrl, '--python-version', python, 'requirements.txt'], dir);
  assert.equal(fixed.status, 0, fixed.stderr);
  const text = read(dir, 'requirements.txt');
  for (const { which, program } of PIPS) {
    if (skipWithout(program)) continue;
    const install = await runPip(which, installArgs(join(dir, 'requirements.txt'), index));
    assert.equal(install.status, 0, `${which}: ${install.stderr}\n${text}`);
  }
  assert.deepEqual(await checkRecords(dir, index, python), [], 'the completed file has nothing to report');
  // One added entry less: pip refuses, and reqguard says why.
  writeFileSync(join(dir, 'requirements.txt'), withoutEntry(text, removable));
  for (const { which, program } of PIPS) {
    if (skipWithout(program)) continue;
    const install = await runPip(which, installArgs(join(dir, 'requirements.txt'), index));
    assert.notEqual(install.status, 0, `${which} must refuse the file without ${removable}`);
    assert.match(install.stderr, new RegExp(`${removable}`, 'i'));
  }
  const records = await checkRecords(dir, index, python);
  const missing = records.filter((record) => record.code === 'missing-dependency');
  // On each pin that requires it (one in a simple graph, several in a diamond-rich one).
  assert.ok(missing.length >= 1, JSON.stringify(records));
  for (const record of missing) {
    assert.equal(record.severity, 'error');
    assert.match(record.message, new RegExp(`requires (.* and )?${removable}\\b`));
  }
  return { dir, text };
}

describe('complete files', { skip: skipWithout(PIP) }, () => {
  let django: TestIndex;
  let extras: TestIndex;
  before(async () => {
    [django, extras] = await Promise.all([startTestIndex(DJANGO_FIXTURE), startTestIndex(EXTRAS_FIXTURE)]);
  });
  after(() => Promise.all([django.close(), extras.close()]));

  test("the seed's example: Django and psycopg2-binary, fixed, install with --require-hashes; without asgiref pip refuses and check says why", async () => {
    const { text } = await fixAndProve(django, { 'requirements.txt': 'Django\npsycopg2-binary\n' }, 'asgiref');
    // Sorted into place (the file was sorted), pip-compile's layout with # via.
    const names = text.split('\n').filter((line) => /^[a-z]/i.test(line)).map((line) => line.split('==')[0].toLowerCase());
    assert.deepEqual(names, ['asgiref', 'django', 'psycopg2-binary', 'sqlparse']);
    assert.match(text, /^asgiref==3\.8\.1 \\\n {4}--hash=sha256:[0-9a-f]{64}/m);
    assert.match(text, /\n {4}# via django\n/);
  });

  test('an unsorted file gets one block at the end; comments and CRLF survive', async () => {
    const python = await pipPythonVersion();
    const dir = workspace({ 'requirements.txt': '# app\r\npsycopg2-binary\r\nDjango  # web\r\n' });
    const fixed = await run(['fix', '--isolated', '--no-cache', '--index-url', django.simpleUrl, '--python-version', python, 'requirements.txt'], dir);
    assert.equal(fixed.status, 0, fixed.stderr);
    assert.match(fixed.stdout, /rewrote 2 entries, added 2 missing dependencies \(asgiref==3\.8\.1, sqlparse==0\.5\.3\)/);
    const text = read(dir, 'requirements.txt');
    assert.ok(text.startsWith('# app\r\npsycopg2-binary==2.9.10 \\\r\n'), text);
    assert.match(text, /django==5\.2\.17 \\\r\n( {4}--hash=sha256:[0-9a-f]{64} \\\r\n)* {4}--hash=sha256:[0-9a-f]{64} {2}# web\r\nasgiref==3\.8\.1 \\\r\n/i);
    assert.ok(!/[^\r]\n/.test(text), 'CRLF everywhere');
  });

  test('--no-add-missing pins and hashes only; check then reports the missing dependencies as errors', async () => {
    const python = await pipPythonVersion();
    const dir = workspace({ 'requirements.txt': 'Django\n' });
    const fixed = await run(['fix', '--no-add-missing', '--isolated', '--no-cache', '--index-url', django.simpleUrl, '--python-version', python, 'requirements.txt'], dir);
    assert.equal(fixed.status, 0, fixed.stderr);
    assert.doesNotMatch(read(dir, 'requirements.txt'), /asgiref/);
    const records = await checkRecords(dir, django, python);
    assert.deepEqual(
      records.map((record) => `${record.line} ${record.code} ${record.severity} ${record.message}`),
      ['1 missing-dependency error django==5.2.17 requires asgiref>=3.8.1 and sqlparse>=0.3.1, which this file does not pin: pip refuses the file in hash-checking mode until every package it installs is pinned with == and hashed.'],
    );
  });

  test('outside hash mode a missing dependency is a warning; a hashed -c constraint counts only in hash mode (pip 26.1)', async () => {
    const python = await pipPythonVersion();
    const dir = workspace({ 'requirements.txt': 'django==5.2.17\nasgiref==3.8.1\n-c constraints.txt\n', 'constraints.txt': 'sqlparse==0.5.3\n' });
    const dependencyRecords = async () => (await checkRecords(dir, django, python)).filter((record) => record.code === 'missing-dependency');
    assert.deepEqual(await dependencyRecords(), [], 'a pinning constraint settles sqlparse outside hash mode');
    writeFileSync(join(dir, 'requirements.txt'), 'django==5.2.17\n');
    const records = await dependencyRecords();
    assert.deepEqual(records.map((record) => `${record.code} ${record.severity}`), ['missing-dependency warning']);
    assert.match(records[0].message, /requires asgiref>=3\.8\.1 and sqlparse>=0\.3\.1, which this file does not pin: they float/);
  });

  test('extras add their dependencies, markers are evaluated for the target; the result installs', async () => {
    await fixAndProve(extras, { 'requirements.txt': 'app[cache]\n' }, 'redis');
    const python = await pipPythonVersion();
    const dir = workspace({ 'requirements.txt': 'app[cache]\n' });
    await run(['fix', '--isolated', '--no-cache', '--index-url', extras.simpleUrl, '--python-version', python, 'requirements.txt'], dir);
    const text = read(dir, 'requirements.txt');
    assert.doesNotMatch(text, /pywin32/, 'a Windows-only dependency is not added for Linux');
    assert.match(text, /^redis==5\.2\.1 \\$/m);
    assert.match(text, /# via app\n/);
  });

  test('a conflict between pins: dependency-conflict names both sides; fix adds nothing and says why', async () => {
    const python = await pipPythonVersion();
    const dir = workspace({ 'requirements.txt': 'app==1.0\nclick==8.1.8\nold==1.0\n' });
    const records = await checkRecords(dir, extras, python);
    const conflicts = records.filter((record) => record.code === 'dependency-conflict');
    assert.equal(conflicts.length, 1, JSON.stringify(records));
    assert.equal(conflicts[0].line, 2);
    assert.match(conflicts[0].message, /click==8\.1\.8 does not satisfy click<8 \(required by old 1\.0\): pip fails with ResolutionImpossible/);
    const fixed = await run(['fix', '--isolated', '--no-cache', '--index-url', extras.simpleUrl, '--python-version', python, 'requirements.txt'], dir);
    assert.equal(fixed.status, 1);
    assert.match(fixed.stderr, /missing dependencies not added: .*click/);
  });

  test('the jupyter-shaped closure: one fix completes about 100 packages and pip installs them', { timeout: 240_000 }, async () => {
    const index = await startTestIndex(jupyterFixture());
    try {
      const { text } = await fixAndProve(index, { 'requirements.txt': 'jupyter\n' }, 'traitlets');
      assert.ok(text.split('\n').filter((line) => /^[a-z]/.test(line)).length > 60, text);
    } finally {
      await index.close();
    }
  });
});
