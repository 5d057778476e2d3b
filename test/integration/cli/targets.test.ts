// Target environments in the CLI: `reqguard fix` with no flags pins for the Python on PATH (the
// release pip there can install, not the newest one), and the real pip (23.2.1 and 26.2.1)
// installs what it writes; --python-version, --platform and --python choose other targets.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPip, type PipVersion } from '../../support/pip';
import { PIP, PIP26, skipWithout } from '../../support/optionalProgram';
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
  writeFileSync(join(dir, 'requirements.txt'), 'future-pkg\nwinonly\n');
});
