// Target environments in the CLI: `reqguard fix` with no flags pins for the Python on PATH (the
// release pip there can install, not the newest one), and the real pip (23.2.1 and 26.2.1)
// installs what it writes; --python-version, --platform and --python choose other targets.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPip, type PipVersion } from '../../support/pip';
import { PIP, PIP26, PYTHON3, requireProgram, skipWithout } from '../../support/optionalProgram';
import { startTestIndex, type IndexFixture, type TestIndex } from '../../support/testIndex';
import { run, workspace } from './runCli';

/**
 * The newest release of each project is one pip on this machine cannot install: future-pkg 2.0
 * requires a Python that does not exist, winonly 2.0 has only a Windows wheel. Wheels only, so
 * pip never has to build anything.
 */
const FIXTURE: IndexFixture = {
  projects: {
    'future-pkg': { versions: { '1.0': { files: ['wheel'] }, '2.0': { files: ['wheel'], requiresPython: '>=3.99' } } },
    winonly: { versions: { '1.0': { files: ['wheel'] }, '2.0': { files: [{ kind: 'wheel', pythonTag: 'cp311', abiTag: 'cp311', platformTag: 'win_amd64' }] } } },
  },
};

let index: TestIndex;
before(async () => {
  index = await startTestIndex(FIXTURE);
});
after(() => index.close());

const onIndex = () => ['--isolated', '--no-cache', '--index-url', index.simpleUrl];

function pinned(name: string, version: string, ...filenames: string[]): string {
  const digests = filenames.map((filename) => index.file(filename)!.sha256).sort();
  return `${name}==${version}${digests.map((digest) => ` \\\n    --hash=sha256:${digest}`).join('')}\n`;
}

/** pip resolves and checks the whole file in hash-checking mode, dependencies included, installing nothing. */
function pipInstall(which: PipVersion, file: string) {
  return runPip(which, ['install', '--dry-run', '--ignore-installed', '--require-hashes', '-r', file, '--index-url', index.simpleUrl]);
}

const PIPS: { which: PipVersion; skip: string | false }[] = [
  { which: 'system', skip: skipWithout(PIP) },
  { which: 'pip26', skip: skipWithout(PIP26) },
];

for (const { which, skip } of PIPS) {
  test(`pip (${which}) refuses the newest releases: no matching distribution for a Python it is not, nor for a Windows-only wheel`, { skip, timeout: 120_000 }, async () => {
    for (const [name, file] of [['future-pkg', 'future_pkg-2.0-py3-none-any.whl'], ['winonly', 'winonly-2.0-cp311-cp311-win_amd64.whl']]) {
      const dir = workspace({ 'requirements.txt': pinned(name, '2.0', file) });
      const pip = await pipInstall(which, join(dir, 'requirements.txt'));
      assert.notEqual(pip.status, 0, pip.stdout);
      assert.match(pip.stderr, new RegExp(`No matching distribution found for ${name}==2\\.0`, 'i'));
    }
  });
}

test('fix with no target flags pins what the Python on PATH can install, and both pips install the written file', { skip: skipWithout(PIP), timeout: 180_000 }, async () => {
  const dir = workspace({ 'requirements.txt': 'future-pkg\nwinonly\n' });
  const result = await run(['fix', ...onIndex(), 'requirements.txt'], dir);
  assert.equal(result.status, 0, result.stderr);
  const written = readFileSync(join(dir, 'requirements.txt'), 'utf8');
  assert.equal(written, pinned('future-pkg', '1.0', 'future_pkg-1.0-py3-none-any.whl') + pinned('winonly', '1.0', 'winonly-1.0-py3-none-any.whl'));
  for (const { which, skip } of PIPS) {
    if (skip) continue;
    const pip = await pipInstall(which, join(dir, 'requirements.txt'));
    assert.equal(pip.status, 0, `${which}: ${pip.stdout}${pip.stderr}`);
    assert.match(pip.stdout, /Would install future-pkg-1\.0 winonly-1\.0/i);
  }
});

test('fix --platform win_amd64 --python-version 3.11 pins the Windows wheel; the requires-python bound still holds', async () => {
  const dir = workspace({ 'requirements.txt': 'future-pkg\nwinonly\n' });
  const result = await run(['fix', ...onIndex(), '--python-version', '3.11', '--platform', 'win_amd64', 'requirements.txt'], dir);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(
    readFileSync(join(dir, 'requirements.txt'), 'utf8'),
    pinned('future-pkg', '1.0', 'future_pkg-1.0-py3-none-any.whl') + pinned('winonly', '2.0', 'winonly-2.0-cp311-cp311-win_amd64.whl'),
  );
});

test('several targets (comma lists): every pick suits all of them; check names each target first and reports the pins one cannot install', async () => {
  const dir = workspace({ 'requirements.txt': 'future-pkg\nwinonly\n' });
  const targets = ['--python-version', '3.11,3.12', '--platform', 'win_amd64', '--platform', 'manylinux_2_28_x86_64'];
  const fixed = await run(['fix', ...onIndex(), ...targets, 'requirements.txt'], dir);
  assert.equal(fixed.status, 0, fixed.stderr);
  assert.equal(readFileSync(join(dir, 'requirements.txt'), 'utf8'), pinned('future-pkg', '1.0', 'future_pkg-1.0-py3-none-any.whl') + pinned('winonly', '1.0', 'winonly-1.0-py3-none-any.whl'));

  writeFileSync(join(dir, 'requirements.txt'), 'winonly==2.0\n');
  const checked = await run(['check', ...onIndex(), ...targets, 'requirements.txt'], dir);
  assert.equal(checked.status, 0, checked.stderr);
  const lines = checked.stdout.split('\n');
  assert.deepEqual(lines.slice(0, 4), [
    'Target: CPython 3.11 on Windows AMD64 (win_amd64), --platform',
    'Target: CPython 3.11 on Linux x86_64 (manylinux_2_28_x86_64), --platform',
    'Target: CPython 3.12 on Windows AMD64 (win_amd64), --platform',
    'Target: CPython 3.12 on Linux x86_64 (manylinux_2_28_x86_64), --platform',
  ]);
  assert.match(
    checked.stdout,
    /^requirements\.txt:1:10: warning \[no-compatible-file\] winonly 2\.0 has no file CPython 3\.11 on Linux x86_64, CPython 3\.12 on Windows AMD64 and CPython 3\.12 on Linux x86_64 can install \(wheels for win_amd64 only\): pip will not install it there\. The newest release for CPython 3\.11 on Windows AMD64, CPython 3\.11 on Linux x86_64 and 2 more targets is 1\.0\.$/m,
  );
});

test('--python asks that interpreter: its target is the one checked, named with its path', { skip: skipWithout(PYTHON3) }, async () => {
  const python3 = requireProgram(PYTHON3);
  const dir = workspace({ 'requirements.txt': 'future-pkg==2.0\n' });
  const checked = await run(['check', ...onIndex(), '--python', python3, 'requirements.txt'], dir);
  assert.equal(checked.status, 0, checked.stderr);
  assert.match(checked.stdout, new RegExp(`^Target: CPython 3\\.\\d+( on [^\\n]+)? \\(${python3.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\), --python\n`));
  assert.match(checked.stdout, /\[requires-python\] future-pkg 2\.0 requires Python >=3\.99, not CPython 3\.\d+/);
  // A platform without a version: the version of the interpreter asked.
  const windows = await run(['check', ...onIndex(), '--python', python3, '--platform', 'win_amd64', 'requirements.txt'], dir);
  assert.match(windows.stdout, /^Target: CPython 3\.\d+ on Windows AMD64 \(win_amd64\), --platform$/m);
});

test('target options: bad values are usage errors (exit 2); an interpreter that cannot be asked stops the command with why', async () => {
  const dir = workspace({ 'requirements.txt': 'future-pkg\n' });
  const usage: [string[], RegExp][] = [
    [['--python-version', '2.7'], /--python-version must be a Python version such as 3\.11, not '2\.7'/],
    [['--python-version', '3.11,three'], /--python-version must be a Python version such as 3\.11, not 'three'/],
    [['--platform', 'macosx_11_0_universal2'], /--platform macosx_11_0_universal2: universal2 is a wheel format, not a machine/],
    [['--platform', 'linux-x86_64'], /--platform linux-x86_64: not a platform reqguard can describe/],
    [['--implementation', 'pypy'], /--implementation describes a target: give --python-version or --platform too/],
    [['--python-version', '3.11', '--implementation', 'jython'], /--implementation must be cpython or pypy, not 'jython'/],
    [['--python='], /--python needs the path of an interpreter/],
    [['--python-version', Array.from({ length: 9 }, (_, i) => `3.${i + 5}`).join(','), '--platform', 'win32,win_amd64'], /at most 16 targets \(these options make 18\)/],
  ];
  for (const [options, why] of usage) {
    for (const command of ['check', 'fix', 'show']) {
      const result = await run([command, ...onIndex(), ...options, command === 'show' ? 'future-pkg' : 'requirements.txt'], dir);
      assert.equal(result.status, 2, `${command} ${options.join(' ')}`);
      assert.match(result.stderr, why);
      assert.match(result.stderr, /Usage:/);
    }
  }
  const missing = await run(['fix', ...onIndex(), '--python', join(dir, 'no-python'), 'requirements.txt'], dir);
  assert.equal(missing.status, 2);
  assert.equal(missing.stderr, `reqguard: ${join(dir, 'no-python')}: no such file\n`);
  assert.equal(readFileSync(join(dir, 'requirements.txt'), 'utf8'), 'future-pkg\n', 'nothing written');
});
