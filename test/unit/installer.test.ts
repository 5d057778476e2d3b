// The installer profile (pip/installer.ts, engine/installer.ts): its format and errors, how the
// default comes from the interpreter's pip, and each rule that differs between installers and
// versions, as the diagnostics state it for the chosen one. The real pips confirm the pip rules in
// test/integration/installer.pip.test.ts; hash mode with constraints has its own cases
// (test/helpers/hashModeCases.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { installerFor, installerNeedsInterpreter } from '../../server/src/engine/installer';
import { chooseInstaller, follows, INSTALLER_RULES, LATEST_RULES, parseInstallerSpec, refusedArchive } from '../../server/src/pip/installer';
import { reportedTarget } from '../../server/src/pip/targets';
import { releaseDigests } from '../../server/src/pip/fixPlan';
import type { Release } from '../../server/src/pip/releases';
import type { IndexedFile, PackageIndex } from '../../server/src/index/packageIndex';
import { normalizeSettings } from '../../server/src/settings';
import { REPO_ROOT } from '../helpers/corpus';
import { actualLines, diagnose, expectedLines, installer, messageText, type DiagnoseOptions, type Expected } from '../helpers/diagnose';

const SHA256 = 'a'.repeat(64);
const MD5 = 'd'.repeat(32);

function check(source: string, expected: readonly Expected[], options?: DiagnoseOptions) {
  const result = diagnose('requirements.txt', source, options);
  assert.deepEqual(actualLines(result.diagnostics), expectedLines(result, expected), `diagnostics of ${JSON.stringify(result.text)}`);
  return result;
}

test('the format: pip, pip@VERSION, uv, uv@VERSION; anything else is a clear error', () => {
  assert.deepEqual(parseInstallerSpec('pip'), { ok: true, spec: { kind: 'pip' } });
  assert.deepEqual(parseInstallerSpec(' PIP@26.1 '), { ok: true, spec: { kind: 'pip', version: '26.1' } });
  assert.deepEqual(parseInstallerSpec('uv@0.12'), { ok: true, spec: { kind: 'uv', version: '0.12' } });
  assert.deepEqual(parseInstallerSpec('pip@23.2.1'), { ok: true, spec: { kind: 'pip', version: '23.2.1' } });
  for (const bad of ['', 'pip 26.1', 'pip>=26.1', 'pip@', 'pip@26.x', 'poetry', 'uv@latest']) {
    const parsed = parseInstallerSpec(bad);
    assert.ok(!parsed.ok, bad);
    assert.equal(parsed.error, `"${bad}" is not an installer: write "pip", "pip@26.1" (a pip version), "uv" or "uv@0.12"`);
  }
  assert.deepEqual(parseInstallerSpec('pip@9.0'), { ok: false, error: 'pip 9.0 is older than reqguard\'s rules go (pip 23.0 to 26.2): upgrade pip, or write "pip@23.0"' });
  // The manifest's pattern accepts what the server reads (and empty, for the default).
  const pattern = new RegExp(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).contributes.configuration.properties['reqguard.installer'].pattern);
  for (const good of ['', 'pip', 'pip@26.1', 'uv', ' uv@0.12 ']) assert.ok(pattern.test(good), good);
  for (const bad of ['pip 26.1', 'poetry', 'pip@x']) assert.ok(!pattern.test(bad), bad);
  assert.equal(normalizeSettings({ installer: ' uv ' }).installer, 'uv');
  assert.equal(normalizeSettings({ installer: '' }).installer, undefined);
});

const asked = (pip: unknown) => {
  const markers = { implementation_name: 'cpython', implementation_version: '3.11.7', os_name: 'posix', platform_machine: 'x86_64', platform_release: '6', platform_system: 'Linux', platform_version: '#1', python_full_version: '3.11.7', platform_python_implementation: 'CPython', python_version: '3.11', sys_platform: 'linux' };
  const result = reportedTarget({ markers, pip }, '/usr/bin/python3', { source: 'default', origin: 'python3 on PATH' });
  assert.ok(result.ok);
  return result.target;
};

test('the default: the pip of the interpreter asked for the targets, else the latest rules; a version or uv set needs no interpreter', () => {
  assert.equal(asked('23.2.1').pipVersion, '23.2.1');
  assert.equal(asked('not a version; rm -rf').pipVersion, undefined);
  assert.equal(asked(undefined).pipVersion, undefined);
  assert.deepEqual(installerFor(undefined, 'reqguard.installer', [asked('23.2.1')]), { profile: { kind: 'pip', version: '23.2.1', origin: "the interpreter's pip (python3 on PATH)" } });
  assert.deepEqual(installerFor('pip', 'reqguard.installer', [asked('26.2.1')]).profile.version, '26.2.1');
  assert.deepEqual(installerFor(undefined, 'reqguard.installer', []), { profile: { kind: 'pip', version: LATEST_RULES.pip, origin: 'the latest rules reqguard knows' } });
  assert.deepEqual(installerFor('pip@25.1', '--installer', [asked('23.2.1')]), { profile: { kind: 'pip', version: '25.1', origin: '--installer' } });
  assert.deepEqual(installerFor('uv', '--installer', [asked('23.2.1')]), { profile: { kind: 'uv', version: LATEST_RULES.uv, origin: 'the latest rules reqguard knows' } });
  assert.deepEqual(installerFor('npm', 'reqguard.installer', [asked('23.2.1')]), {
    profile: { kind: 'pip', version: '23.2.1', origin: "the interpreter's pip (python3 on PATH)" },
    note: 'reqguard.installer: "npm" is not an installer: write "pip", "pip@26.1" (a pip version), "uv" or "uv@0.12"; using the default',
  });
  assert.deepEqual([undefined, 'pip', 'npm', 'pip@26.1', 'uv'].map(installerNeedsInterpreter), [true, true, true, false, false]);
});

test('the rule table: from which version each rule holds, for which installer', () => {
  const at = (kind: 'pip' | 'uv', version: string) => chooseInstaller({ kind, version }, 'the test');
  const holding = (kind: 'pip' | 'uv', version: string) => (Object.keys(INSTALLER_RULES) as (keyof typeof INSTALLER_RULES)[]).filter((rule) => follows(at(kind, version), rule));
  assert.deepEqual(holding('pip', '23.2.1'), ['automaticHashMode']);
  assert.deepEqual(holding('pip', '25.3'), ['buildOptionsRemoved', 'automaticHashMode']);
  assert.deepEqual(holding('pip', '26.0'), ['eggFragmentMustBeName', 'buildOptionsRemoved', 'automaticHashMode']);
  assert.deepEqual(holding('pip', '26.2'), ['eggFragmentMustBeName', 'constraintLendsHashes', 'buildOptionsRemoved', 'automaticHashMode']);
  assert.deepEqual(holding('uv', '0.11'), ['md5OnlyRefused']);
  assert.deepEqual(holding('uv', '0.12'), ['md5OnlyRefused', 'legacySdistsRefused']);
  assert.equal(refusedArchive(at('uv', '0.12'), 'pkg-1.0.tar.bz2'), '.tar.bz2');
  assert.equal(refusedArchive(at('uv', '0.12'), 'pkg-1.0.tar.gz'), undefined);
  assert.equal(refusedArchive(at('pip', '26.2'), 'pkg-1.0.tar.xz'), undefined);
});

test('pip 26.2 options: an older pip stops at --no-require-hashes, --all-releases and --only-final (no such option), and its hash mode stays on', () => {
  const source = `⟦--no-require-hashes⟧
⟦Django⟧
pytz==2018.4 ⟦--hash=sha256:${SHA256}⟧
`;
  check(source, [['unpinned', 'warning', 1]]);
  const older = check(source, [
    ['syntax', 'error', 0],
    ['unpinned', 'error', 1, 2],
  ], { installer: installer('pip', '26.1') });
  assert.equal(messageText(older.diagnostics[0]), 'pip 26.1 rejects this line: no such option: --no-require-hashes (pip 26.2 added it). Upgrade pip, or drop the option. (for pip 26.1: the test)');
  const releases = check('⟦--all-releases⟧ :all:\n⟦--only-final⟧ six\n', [['syntax', 'error', 0], ['syntax', 'error', 1]], { installer: installer('pip', '25.3') });
  assert.match(messageText(releases.diagnostics[0]), /^pip 25\.3 rejects this line: no such option: --all-releases \(pip 26\.0 added it\)/);
  check('--all-releases :all:\n--only-final six\n', [], { installer: installer('pip', '26.0') });
});

test('pip 25.3 removed --global-option and --build-option: an error from 25.3, a deprecation before (checked with pip 23.2.1 and 26.2.1)', () => {
  const source = 'six==1.16.0 ⟦--global-option⟧=--x\n';
  const latest = check(source, [['removed-option', 'error', 0]]);
  assert.match(messageText(latest.diagnostics[0]), /^--global-option was removed in pip 25\.3: .* \(for pip 26\.2: the latest rules reqguard knows\)$/);
  const older = check(source, [['deprecated', 'warning', 0]], { installer: installer('pip', '23.2.1') });
  assert.equal(messageText(older.diagnostics[0]), '--global-option is deprecated: pip 23.2.1 still passes it to setup.py, and pip 25.3 removed it (the line then fails). Pass build settings with --config-settings (-C KEY=VALUE) instead. (for pip 23.2.1: the test)');
  check(source, [['removed-option', 'error', 0]], { installer: installer('pip', '25.3') });
});

test('uv: a --hash is checked but does not turn hash mode on; entries without one are installed unverified (warnings); --require-hashes makes them errors', () => {
  const uv = installer('uv');
  const source = `⟦Django⟧
pytz==2018.4 ⟦--hash=sha256:${SHA256}⟧
⟦six==1.16.0⟧
`;
  const verifying = check(source, [
    ['unpinned', 'warning', 0],
    ['unhashed', 'warning', 2, 1],
  ], { installer: uv });
  assert.equal(
    messageText(verifying.diagnostics[1]),
    "uv 0.12 installs 'six==1.16.0' unverified: it checks the hashes this install gives, but without --require-hashes it installs entries that have none. Add --hash=sha256:… for each file of this release (and --require-hashes, so that every entry needs one). (for uv 0.12: the latest rules reqguard knows)",
  );
  assert.match(verifying.diagnostics[1].relatedInformation![0].message, /^this --hash is checked, but does not turn on hash-checking mode for uv$/);
  // pip (the default profile) puts the whole file in hash mode for the same text.
  check(source, [['unpinned', 'error', 0, 1], ['unhashed', 'error', 2, 1]]);
  const required = check(`⟦--require-hashes⟧\n⟦Django⟧\n⟦six==1.16.0⟧\n`, [['unpinned', 'error', 1, 0], ['unhashed', 'error', 2, 0]], { installer: uv });
  assert.match(messageText(required.diagnostics[1]), /^uv 0\.12 refuses 'six==1\.16\.0' in hash-checking mode: it has no --hash\. .* \(for uv 0\.12: the latest rules reqguard knows\)$/);
  // No hash at all: reqguard's own warning, in uv's words.
  const plain = check('⟦six==1.16.0⟧\n', [['unhashed', 'warning', 0]], { installer: uv });
  assert.match(messageText(plain.diagnostics[0]), /uv checks the hashes given; --require-hashes makes every entry need one\)\.$/);
});

test('uv refuses an entry whose only hashes are MD5, and takes MD5 beside a stronger hash (a warning)', () => {
  const uv = installer('uv', '0.12');
  const only = check(`six==1.16.0 --hash=⟦md5⟧:${MD5}\n`, [['weak-hash', 'error', 0]], { installer: uv });
  assert.match(messageText(only.diagnostics[0]), /^uv 0\.12 refuses this entry: its only hashes are MD5/);
  const beside = check(`six==1.16.0 --hash=⟦md5⟧:${MD5} --hash=sha256:${SHA256}\n`, [['weak-hash', 'warning', 0]], { installer: uv });
  assert.match(messageText(beside.diagnostics[0]), /^MD5 cannot tell a tampered file from the real one: uv 0\.12 checks this entry's stronger hashes too, but pip rejects the line/);
  // pip refuses the algorithm outright, whatever stands beside it.
  check(`six==1.16.0 --hash=⟦md5⟧:${MD5} --hash=sha256:${SHA256}\n`, [['weak-hash', 'error', 0]]);
});

test('uv 0.12 refuses .tar.bz2 and .tar.xz source distributions (astral-sh/uv#18927); uv 0.11 and pip take them', () => {
  const source = `pkg @ ⟦https://example.com/pkg-1.0.tar.bz2⟧
⟦https://example.com/other-2.0.tar.xz#egg=other⟧
fine @ https://example.com/fine-1.0.tar.gz
`;
  const quiet = normalizeSettings({ severity: { unhashed: 'off' } });
  const refused = check(source, [['syntax', 'error', 0], ['syntax', 'error', 1]], { installer: installer('uv', '0.12'), settings: quiet });
  assert.equal(
    messageText(refused.diagnostics[0]),
    'uv 0.12 refuses this source distribution: uv 0.12 accepts only .tar.gz (and legacy .zip) sdists, not .tar.bz2. Point to a wheel or a .tar.gz of the same release. (for uv 0.12: the test)',
  );
  check(source, [], { installer: installer('uv', '0.11'), settings: quiet });
  check(source, [], { settings: quiet });
});

test('fix and lock write no hash for a file the installer refuses: uv 0.12 skips .tar.bz2 and .tar.xz sdists, pip hashes every file', async () => {
  const file = (filename: string) => ({ filename, url: `https://files.example/${filename}`, source: 'https://index.example/simple/', yanked: false, hashes: { sha256: filename.length.toString(16).padStart(64, '0') } }) as unknown as IndexedFile;
  const release: Release = { version: '1.0', files: ['pkg-1.0-py3-none-any.whl', 'pkg-1.0.tar.bz2', 'pkg-1.0.tar.xz'].map(file), yanked: false, prerelease: false };
  const hashed: string[] = [];
  const index = { fileSha256: async (indexed: IndexedFile) => (hashed.push(indexed.filename), { ok: true, value: indexed.filename.length.toString(16).padStart(64, '0') }) } as unknown as PackageIndex;
  const forUv = await releaseDigests(index, release, { installer: installer('uv', '0.12') });
  assert.ok(forUv.ok);
  assert.deepEqual(hashed, ['pkg-1.0-py3-none-any.whl']);
  hashed.length = 0;
  assert.ok((await releaseDigests(index, release, { installer: installer('pip', '26.2') })).ok);
  assert.deepEqual(hashed, ['pkg-1.0-py3-none-any.whl', 'pkg-1.0.tar.bz2', 'pkg-1.0.tar.xz']);
  const sdistOnly: Release = { ...release, files: release.files.slice(1) };
  assert.deepEqual(await releaseDigests(index, sdistOnly, { installer: installer('uv') }), { ok: false, reason: 'uv 0.12 refuses every file of 1.0 (pkg-1.0.tar.bz2, pkg-1.0.tar.xz)' });
});
