// `reqguard fix --upgrade-vulnerable`, the CLI twin of the "Upgrade to X (fixes …)" quick fix,
// against a loopback index: each vulnerable pin moves to the nearest release known to fix every
// advisory (never a yanked, pre-release or still-vulnerable one), its hashes follow, nothing else
// changes; OSV (the test index's querybatch route) is asked when named; a pin with no known fix
// is listed and makes the exit status 1; pip accepts the result in hash-checking mode.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PIP, skipWithout } from '../../support/optionalProgram';
import { pipDownload } from '../../support/pip';
import { startTestIndex, VULNERABLE_VERSIONS, type TestIndex } from '../../support/testIndex';
import { run, workspace } from './runCli';
import { tempDir } from '../../helpers/tempDirs';

let index: TestIndex;
/** Another index whose OSV route knows advisories the first index's JSON API does not. */
let advisories: TestIndex;

before(async () => {
  index = await startTestIndex({
    projects: {
      // 1.5 is the newest: the nearest clean release, 1.4, is found through 1.3's advisory.
      vulnpkg: { versions: { ...VULNERABLE_VERSIONS, '1.5': {} } },
      osvonly: { versions: { '1.0': {}, '1.1': {}, '1.2': {} } },
      nofix: { versions: { '1.0': { vulnerabilities: [{ id: 'PYSEC-NOFIX' }] }, '1.1': { vulnerabilities: [{ id: 'PYSEC-NOFIX' }] } } },
      six: { versions: { '1.16.0': {} } },
    },
  });
  advisories = await startTestIndex({ projects: { osvonly: { versions: { '1.0': { vulnerabilities: [{ id: 'GHSA-osv-only' }] }, '1.1': { vulnerabilities: [{ id: 'GHSA-osv-only' }] } } } } });
});

after(async () => {
  await Promise.all([index.close(), advisories.close()]);
});

const onIndex = () => ['--isolated', '--no-cache', '--index-url', index.simpleUrl];
const digest = (filename: string) => index.file(filename)!.sha256;

test('each vulnerable pin moves to the nearest fixed release, rehashed when hashed; clean and unpinned entries stay', async () => {
  const [wheel10, sdist10] = [digest('vulnpkg-1.0-py3-none-any.whl'), digest('vulnpkg-1.0.tar.gz')];
  const text = `# deps\r\nvulnpkg==1.0 \\\r\n    --hash=sha256:${wheel10} \\\r\n    --hash=sha256:${sdist10}  # pinned by hand\r\nsix==1.16.0 --hash=sha256:${digest('six-1.16.0-py3-none-any.whl')} --hash=sha256:${digest('six-1.16.0.tar.gz')}\r\n`;
  const dir = workspace({ 'requirements.txt': text, 'loose.txt': 'vulnpkg\nvulnpkg==1.3\nosvonly==1.0\n' });
  const result = await run(['fix', '--upgrade-vulnerable', ...onIndex(), 'requirements.txt', 'loose.txt'], dir);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, 'requirements.txt: rewrote 1 entry\nloose.txt: rewrote 1 entry\n');
  const new14 = [digest('vulnpkg-1.4-py3-none-any.whl'), digest('vulnpkg-1.4.tar.gz')].sort();
  const expected = text.replace(`vulnpkg==1.0 \\\r\n    --hash=sha256:${wheel10} \\\r\n    --hash=sha256:${sdist10}`, `vulnpkg==1.4 \\\r\n${new14.map((d) => `    --hash=sha256:${d}`).join(' \\\r\n')}`);
  assert.equal(readFileSync(join(dir, 'requirements.txt'), 'utf8'), expected);
  // 1.3 is vulnerable itself (fixed in 1.4); the unpinned line and the JSON-API-clean pin stay.
  assert.equal(readFileSync(join(dir, 'loose.txt'), 'utf8'), 'vulnpkg\nvulnpkg==1.4\nosvonly==1.0\n');

  const again = await run(['fix', '--upgrade-vulnerable', ...onIndex(), 'requirements.txt'], dir);
  assert.equal(again.stdout, 'requirements.txt: nothing to change\n');
});

test('with --osv-url, OSV\'s advisories count too (the test index\'s querybatch route)', async () => {
  const dir = workspace({ 'requirements.txt': 'osvonly==1.0\n' });
  const result = await run(['fix', '--upgrade-vulnerable', '--dry-run', ...onIndex(), '--osv-url', advisories.osvUrl, 'requirements.txt'], dir);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^-osvonly==1\.0$\n^\+osvonly==1\.2$/m);
  assert.ok(advisories.requests.some((request) => request.route === 'osv' && request.method === 'POST'));
});

test('a pin with no release known to fix it is listed on stderr and makes the status 1; usage errors are 2', async () => {
  const dir = workspace({ 'requirements.txt': 'six==1.16.0\nnofix==1.0\n' });
  const result = await run(['fix', '--upgrade-vulnerable', ...onIndex(), 'requirements.txt'], dir);
  assert.equal(result.status, 1);
  assert.equal(result.stderr, `requirements.txt:2: not fixed: 'nofix' 1.0 has known vulnerabilities (PYSEC-NOFIX) and no later release is known to be free of them\n`);
  assert.equal(readFileSync(join(dir, 'requirements.txt'), 'utf8'), 'six==1.16.0\nnofix==1.0\n');
  for (const [args, message] of [
    [['--upgrade-vulnerable', '--pin-only'], /--upgrade-vulnerable changes only vulnerable pins: it excludes --pin-only and --hash-only/],
    [['--osv'], /--osv and --osv-url go with --upgrade-vulnerable/],
  ] as const) {
    const bad = await run(['fix', ...args, ...onIndex(), 'requirements.txt'], dir);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, message);
  }
});

test('pip downloads the upgraded file in hash-checking mode', { skip: skipWithout(PIP) }, async () => {
  const text = `vulnpkg==1.0 --hash=sha256:${digest('vulnpkg-1.0-py3-none-any.whl')} --hash=sha256:${digest('vulnpkg-1.0.tar.gz')}\n`;
  const dir = workspace({ 'requirements.txt': text });
  const result = await run(['fix', '--upgrade-vulnerable', ...onIndex(), 'requirements.txt'], dir);
  assert.equal(result.status, 0, result.stderr);
  const pip = await pipDownload(join(dir, 'requirements.txt'), index.simpleUrl, tempDir('upgrade'));
  assert.equal(pip.status, 0, pip.stderr);
  assert.match(pip.stdout, /vulnpkg-1\.4/);
});
