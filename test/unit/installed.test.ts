// Installed distributions as pip's importlib backend finds them (pip/installed.ts), on a fake
// environment tree in memory, and `pip freeze`'s rules on them: what it leaves out and how each is
// written (PEP 610 direct_url.json: archive, VCS, folder, editable). The cases follow pip 23.2.1's
// and 26.2.1's freeze.py; the integration test compares with the real `pip freeze`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDirectUrl } from '../../server/src/parser/directUrl';
import { frozenByPip, frozenForm, MAX_INSTALLED, scanEnvironment, type EnvironmentReader, type InstalledDistribution } from '../../server/src/pip/installed';

/** A tree of folders and files: a path ending in '/' is a folder (made with its parents). */
function fakeTree(files: Record<string, string>): EnvironmentReader & { reads: string[] } {
  const texts = new Map<string, string>();
  const folders = new Map<string, Set<string>>();
  const addFolder = (path: string) => {
    if (!folders.has(path)) folders.set(path, new Set());
  };
  for (const [path, text] of Object.entries(files)) {
    const parts = path.replace(/\/$/, '').split('/');
    for (let depth = 1; depth < parts.length; depth++) {
      const parent = parts.slice(0, depth).join('/') || '/';
      addFolder(parent);
      folders.get(parent)!.add(parts[depth]);
    }
    if (path.endsWith('/')) addFolder(path.slice(0, -1));
    else texts.set(path, text);
  }
  const reads: string[] = [];
  return {
    reads,
    read: (path) => {
      reads.push(path);
      return texts.get(path);
    },
    list: (path) => (folders.has(path) ? [...folders.get(path)!] : undefined),
  };
}

const metadata = (name: string, version: string) => `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n\nDescription\n`;
const SITE = '/venv/lib/python3.11/site-packages';

test('scan: dist-info and egg-info (folder and file), sys.path order, first of a name wins, a Name missing from METADATA taken from the folder (pip 26)', () => {
  const tree = fakeTree({
    [`${SITE}/Django-5.2.17.dist-info/METADATA`]: metadata('Django', '5.2.17'),
    [`${SITE}/old_style-1.0-py3.11.egg-info/PKG-INFO`]: metadata('old-style', '1.0'),
    [`${SITE}/flat-2.0-py3.11.egg-info`]: metadata('flat', '2.0'),
    [`${SITE}/nameless-1.0.dist-info/METADATA`]: 'Metadata-Version: 2.1\nVersion: 1.0\n',
    [`${SITE}/broken-1.0.dist-info/RECORD`]: '',
    [`${SITE}/django/__init__.py`]: '',
    // A later sys.path entry's Django is shadowed, as in pip.
    ['/usr/lib/python3/dist-packages/django-3.2.dist-info/METADATA']: metadata('django', '3.2'),
    ['/usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA']: metadata('six', '1.16.0'),
  });
  const scan = scanEnvironment(['/usr/lib/python311.zip', SITE, '/usr/lib/python3/dist-packages', '/venv/lib/some.whl'], tree);
  assert.deepEqual(
    scan.distributions.map(({ name, version }) => `${name}==${version}`),
    ['Django==5.2.17', 'flat==2.0', 'nameless==1.0', 'old-style==1.0', 'six==1.16.0'],
  );
  // A folder without a Name takes the folder's (pip 26 reads names from folder names first).
  assert.deepEqual(scan.problems, [`${SITE}/broken-1.0.dist-info: no METADATA to read`]);
  assert.ok(!tree.reads.some((path) => path.includes('.whl')), 'a wheel on sys.path is not looked into');
});

test('scan: direct_url.json read; a bad one is a problem and the distribution is frozen by name, as pip does', () => {
  const tree = fakeTree({
    [`${SITE}/good-1.0.dist-info/METADATA`]: metadata('good', '1.0'),
    [`${SITE}/good-1.0.dist-info/direct_url.json`]: '{"url": "file:///src/good", "dir_info": {"editable": true}}',
    [`${SITE}/bad-1.0.dist-info/METADATA`]: metadata('bad', '1.0'),
    [`${SITE}/bad-1.0.dist-info/direct_url.json`]: '{"url": "https://x.test/bad.whl"}',
  });
  const scan = scanEnvironment([SITE], tree);
  assert.deepEqual(scan.distributions.find((d) => d.name === 'good')?.directUrl, { kind: 'dir', url: 'file:///src/good', editable: true });
  assert.equal(scan.distributions.find((d) => d.name === 'bad')?.directUrl, undefined);
  assert.deepEqual(scan.problems, [`${SITE}/bad-1.0.dist-info/direct_url.json: not exactly one of vcs_info, archive_info and dir_info (read as if absent, as pip does)`]);
});

test('scan: an .egg-link (setup.py develop) leads to its folder, whose distribution is an editable install', () => {
  const tree = fakeTree({
    [`${SITE}/mylib.egg-link`]: '\n/home/me/mylib\n.\n',
    ['/home/me/mylib/mylib.egg-info/PKG-INFO']: metadata('mylib', '0.3'),
  });
  const [mylib] = scanEnvironment([SITE], tree).distributions;
  assert.equal(mylib.eggLinkTarget, '/home/me/mylib');
  assert.deepEqual(frozenForm(mylib), { kind: 'left-out', pipLine: '-e /home/me/mylib', reason: 'an editable install (setup.py develop) of a local folder, which has no hash' });
});

test('scan: bounded: past MAX_INSTALLED distributions the rest are not read, and a problem says so', () => {
  const files: Record<string, string> = {};
  for (let i = 0; i <= MAX_INSTALLED; i++) files[`${SITE}/p${i}-1.dist-info/METADATA`] = metadata(`p${i}`, '1');
  const scan = scanEnvironment([SITE], fakeTree(files));
  assert.equal(scan.distributions.length, MAX_INSTALLED);
  assert.deepEqual(scan.problems, [`more than ${MAX_INSTALLED} distributions: the rest are not read`]);
});

const installed = (directUrl?: InstalledDistribution['directUrl'], version = '1.0'): InstalledDistribution => ({ name: 'Pkg', canonicalName: 'pkg', version, infoPath: `${SITE}/Pkg-1.0.dist-info`, ...(directUrl ? { directUrl } : {}) });

test('frozenForm: pip freeze lines for each kind of direct URL; only archives with a sha256 are written', () => {
  assert.deepEqual(frozenForm(installed()), { kind: 'index' });
  assert.deepEqual(frozenForm(installed(undefined, 'not a version')), { kind: 'left-out', pipLine: 'Pkg===not a version', reason: 'not a version is not a PEP 440 version, so no index serves it' });
  const sha = 'A'.repeat(64);
  assert.deepEqual(frozenForm(installed({ kind: 'archive', url: 'https://x.test/pkg-1.0.tar.gz', hashes: { md5: 'f'.repeat(32), sha256: sha }, subdirectory: 'sub' })), {
    kind: 'direct',
    line: `Pkg @ https://x.test/pkg-1.0.tar.gz#sha256=${sha.toLowerCase()}&subdirectory=sub`,
  });
  assert.deepEqual(frozenForm(installed({ kind: 'archive', url: 'https://x.test/pkg.whl', hashes: { md5: 'f'.repeat(32) } })), {
    kind: 'left-out',
    pipLine: 'Pkg @ https://x.test/pkg.whl',
    reason: 'installed from https://x.test/pkg.whl, whose hash was not recorded (no sha256 in direct_url.json)',
  });
  assert.deepEqual(frozenForm(installed({ kind: 'vcs', url: 'https://git.test/pkg.git', vcs: 'git', commitId: 'abc123' })), {
    kind: 'left-out',
    pipLine: 'Pkg @ git+https://git.test/pkg.git@abc123',
    reason: "a git checkout: pip's hash-checking mode refuses VCS requirements",
  });
  assert.deepEqual(frozenForm(installed({ kind: 'dir', url: 'file:///src/pkg', editable: false })), { kind: 'left-out', pipLine: 'Pkg @ file:///src/pkg', reason: 'installed from a local folder, which has no hash' });
  assert.deepEqual(frozenForm(installed({ kind: 'dir', url: 'file:///src/pkg', editable: true })), { kind: 'left-out', pipLine: '-e file:///src/pkg', reason: 'an editable install of a local folder, which has no hash' });
});

test('frozenForm: metadata and direct_url.json cannot write lines of their own', () => {
  const hostile = { ...installed(), name: 'pkg\n--index-url https://evil.test/' };
  assert.deepEqual(frozenForm(hostile), { kind: 'left-out', pipLine: 'pkg\n--index-url https://evil.test/==1.0', reason: '"pkg\\n--index-url https://evil.test/" is not a valid project name' });
  const sha = 'a'.repeat(64);
  for (const url of ['https://x.test/a.whl\n--index-url https://evil.test/', 'https://x.test/a b.whl']) {
    assert.equal(frozenForm(installed({ kind: 'archive', url, hashes: { sha256: sha } })).kind, 'left-out', url);
  }
  assert.equal(frozenForm(installed({ kind: 'archive', url: 'https://x.test/a.whl', hashes: { sha256: sha }, subdirectory: 'a b' })).kind, 'left-out');
  assert.equal(frozenForm(installed({ kind: 'archive', url: 'https://x.test/a.whl', hashes: { sha256: 'zz\n--pre' } })).kind, 'left-out');
});

test("frozenByPip: stdlib_pkgs never; pip unless --all; setuptools, distribute and wheel only before Python 3.12 (pip's _should_suppress_build_backends)", () => {
  for (const name of ['python', 'wsgiref', 'argparse']) assert.equal(frozenByPip(name, '3.11', true), false, name);
  assert.equal(frozenByPip('pip', '3.13', false), false);
  assert.equal(frozenByPip('pip', '3.13', true), true);
  for (const name of ['setuptools', 'distribute', 'wheel']) {
    assert.equal(frozenByPip(name, '3.11', false), false, name);
    assert.equal(frozenByPip(name, '3.11', true), true, name);
    assert.equal(frozenByPip(name, '3.12', false), true, name);
  }
  assert.equal(frozenByPip('django', '3.11', false), true);
});

test('parseDirectUrl: PEP 610 forms, the legacy "hash" field, and what pip rejects', () => {
  assert.deepEqual(parseDirectUrl('{"url": "https://x.test/a.whl", "archive_info": {"hash": "sha256=ab"}}'), { ok: true, value: { kind: 'archive', url: 'https://x.test/a.whl', hashes: { sha256: 'ab' } } });
  assert.deepEqual(parseDirectUrl('{"url": "https://g.test/r", "vcs_info": {"vcs": "git", "commit_id": "c0ffee", "requested_revision": "main"}, "subdirectory": "lib"}'), {
    ok: true,
    value: { kind: 'vcs', url: 'https://g.test/r', vcs: 'git', commitId: 'c0ffee', subdirectory: 'lib' },
  });
  assert.deepEqual(parseDirectUrl('{"url": "file:///src", "dir_info": {}}'), { ok: true, value: { kind: 'dir', url: 'file:///src', editable: false } });
  for (const bad of ['', 'null', '[]', '{"dir_info": {}}', '{"url": "u", "dir_info": {}, "archive_info": {}}', '{"url": "u", "vcs_info": {"vcs": "git"}}', '{"url": "u", "archive_info": {"hash": "nohash"}}', '{"url": "u", "dir_info": {"editable": "yes"}}']) {
    assert.equal(parseDirectUrl(bad).ok, false, bad);
  }
});
