// Asking real interpreters (pythonEnvironment.ts): python3's answer is what packaging says of it
// (markers, sys_tags()), a target described for this machine lists the same tags, virtual
// environments without packaging answer through pip's vendored copy or without tags, answers are
// kept per path and modification time, and every way an interpreter can fail is said clearly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, symlinkSync, utimesSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describedTarget } from '../../server/src/pip/targets';
import { createPythonEnvironments, findOnPath, hostPlatformTag } from '../../server/src/pythonEnvironment';
import { PYTHON3, requireProgram, skipWithout } from '../support/optionalProgram';
import { python } from '../support/pip';
import { tempDir } from '../helpers/tempDirs';

const from = { source: 'flag', origin: '--python' } as const;

/** `packaging`'s own view of an interpreter: default_environment() and sys_tags(), from `module`. */
async function packagingSays(interpreter: string, module = 'packaging'): Promise<{ markers: Record<string, string>; tags: string[] }> {
  const script = `import json; from ${module} import markers, tags; print(json.dumps({"markers": markers.default_environment(), "tags": [str(t) for t in tags.sys_tags()]}))`;
  const run = await python(['-I', '-c', script], interpreter);
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

/** An executable shell script in a fresh folder. */
function script(body: string): string {
  const path = join(tempDir('python'), 'python');
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

test('python3: the markers and tags packaging gives, labelled with the path asked', { skip: skipWithout(PYTHON3) }, async () => {
  const python3 = findOnPath('python3', process.env);
  assert.ok(python3);
  const environments = createPythonEnvironments();
  const answer = await environments.ask('python3', from);
  assert.ok(answer.ok, answer.ok ? '' : answer.error);
  const { target } = answer;
  const version = (await python(['-c', 'import platform; print(".".join(platform.python_version_tuple()[:2]))'])).stdout.trim();
  assert.equal(target.markers.python_version, version);
  assert.equal(target.label, `${target.name} (${python3})`);
  assert.deepEqual([target.source, target.origin], ['flag', '--python']);
  const hasPackaging = (await python(['-I', '-c', 'import packaging.tags'])).status === 0;
  if (!hasPackaging) return;
  const expected = await packagingSays('python3');
  assert.deepEqual(target.markers, expected.markers);
  assert.deepEqual(target.tags, expected.tags);
});

test('a target described for this machine (its Python version, glibc and architecture) lists the tags python3 itself lists', { skip: skipWithout(PYTHON3) }, async (t) => {
  const host = hostPlatformTag();
  const packaging = await python(['-I', '-c', 'import packaging.tags, platform; print(platform.python_version())']);
  if (!host?.startsWith('manylinux_') || packaging.status !== 0) return t.skip('needs glibc Linux and python3 with packaging');
  const described = describedTarget({ pythonVersion: packaging.stdout.trim(), platform: host }, { source: 'flag' });
  assert.ok(described.ok);
  assert.deepEqual(described.target.tags, (await packagingSays('python3')).tags);
});

test('virtual environments: without packaging the tags come from pip\'s vendored copy; without pip either, there are none', { skip: skipWithout(PYTHON3), timeout: 180_000 }, async () => {
  const dir = tempDir('venvs');
  const bare = join(dir, 'bare');
  const withPip = join(dir, 'with-pip');
  for (const [venv, args] of [[bare, ['--without-pip']], [withPip, []]] as const) {
    const made = await python(['-m', 'venv', ...args, venv]);
    assert.equal(made.status, 0, made.stderr);
  }
  const environments = createPythonEnvironments();
  const noPip = await environments.ask(join(bare, 'bin', 'python'), from);
  assert.ok(noPip.ok, noPip.ok ? '' : noPip.error);
  assert.equal(noPip.target.tags, undefined, 'tags unknown: every wheel is considered');
  const vendored = await environments.ask(join(withPip, 'bin', 'python'), from);
  assert.ok(vendored.ok, vendored.ok ? '' : vendored.error);
  const venvHasPackaging = (await python(['-I', '-c', 'import packaging'], join(withPip, 'bin', 'python'))).status === 0;
  assert.equal(venvHasPackaging, false, 'a new venv has pip, not packaging');
  assert.deepEqual(vendored.target.tags, (await packagingSays(join(withPip, 'bin', 'python'), 'pip._vendor.packaging')).tags);
});

test('answers are kept per path, size and modification time; a changed interpreter is asked again', { skip: skipWithout(PYTHON3) }, async () => {
  const python3 = requireProgram(PYTHON3);
  const log = join(tempDir('asked'), 'log');
  writeFileSync(log, '');
  const counting = script(`echo asked >> '${log}'\nexec '${python3}' "$@"`);
  const environments = createPythonEnvironments();
  const [first, second] = await Promise.all([environments.ask(counting, from), environments.ask(counting, from)]);
  assert.ok(first.ok && second.ok);
  assert.equal(first.target, second.target, 'one run for both');
  assert.equal(readFileSync(log, 'utf8'), 'asked\n');
  await environments.ask(counting, from);
  assert.equal(readFileSync(log, 'utf8'), 'asked\n');
  const later = new Date(Date.now() + 60_000);
  utimesSync(counting, later, later);
  await environments.ask(counting, from);
  assert.equal(readFileSync(log, 'utf8'), 'asked\nasked\n');
  // Another name for the same file (a venv's link) is its own path: its own label.
  const link = join(tempDir('link'), 'python3');
  symlinkSync(counting, link);
  const linked = await environments.ask(link, from);
  assert.ok(linked.ok && linked.target.label.endsWith(`(${link})`));
});

test('every failure is one clear sentence: missing, not executable, not Python, failing, hanging, talking too much', async () => {
  const dir = tempDir('broken');
  const notExecutable = join(dir, 'python');
  writeFileSync(notExecutable, '#!/bin/sh\n');
  const environments = createPythonEnvironments({ timeoutMs: 1000, maxOutputBytes: 64 * 1024 });
  const cases: [string, RegExp][] = [
    [join(dir, 'missing'), /missing: no such file$/],
    ['no-such-python-anywhere', /^no-such-python-anywhere: not found on PATH$/],
    [notExecutable, /python: permission denied \(not an executable\)$/],
    [script('echo hello'), /did not answer as a Python interpreter does: "hello\\n"$/],
    [script('echo "pyenv: python2: command not found" >&2\nexit 127'), /failed \(exit status 127\): pyenv: python2: command not found$/],
    [script('echo \'{"error": "Python 2.7.18 is not Python 3"}\''), /python: Python 2\.7\.18 is not Python 3$/],
    [script('echo \'{"markers": {}}\''), /the answer has no valid implementation_name$/],
    [script('exec sleep 5'), /did not answer within 1 s$/],
    [script('yes'), /answered more than 64 KB: not the answer of a Python interpreter$/],
  ];
  for (const [path, why] of cases) {
    const result = await environments.ask(path, from);
    assert.ok(!result.ok, path);
    assert.match(result.error, why);
  }
});

test('a timeout is not kept: the interpreter is asked again next time', async () => {
  const log = join(tempDir('slow'), 'log');
  writeFileSync(log, '');
  const slow = script(`echo asked >> '${log}'\nexec sleep 5`);
  const environments = createPythonEnvironments({ timeoutMs: 300 });
  for (let i = 0; i < 2; i++) {
    const result = await environments.ask(slow, from);
    assert.ok(!result.ok && / did not answer within 0\.3 s$/.test(result.error));
  }
  assert.equal(readFileSync(log, 'utf8'), 'asked\nasked\n');
});
