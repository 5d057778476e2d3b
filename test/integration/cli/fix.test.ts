// `reqguard fix` on real files against a real loopback index: byte-for-byte results (BOM, CRLF,
// comments, markers, extras kept), idempotence, --dry-run diffs that patch and git apply turn
// into the same bytes, --pin-only/--hash-only, what is refused and why, and pip itself accepting
// the fixed file in hash-checking mode.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, cpSync, existsSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pipDownload, pipPythonVersion } from '../../support/pip';
import { GIT, PATCH, PIP, skipWithout } from '../../support/optionalProgram';
import { startTestIndex, type IndexFixture, type TestIndex } from '../../support/testIndex';
import { run, workspace } from './runCli';
import { tempDir } from '../../helpers/tempDirs';

const exec = promisify(execFile);

/** Just enough for the CLI's cases: a range with a yanked newer release, requires-python, extras, a wheel-only project, platform wheels. */
const FIXTURE: IndexFixture = {
  projects: {
    webfw: { versions: { '3.2': {}, '4.0': {}, '4.1': { yanked: 'broken release' } } },
    netlib: { versions: { '2.0': {}, '2.5': { requiresPython: '>=3.12' }, '3.0': {} } },
    tzdata: { versions: { '2024.1': {}, '2024.2': {} } },
    six: { versions: { '1.16.0': {} } },
    'Demo-Pkg': { versions: { '1.0': { files: ['wheel'] } } },
    platpkg: {
      versions: {
        '1.0': {
          files: [
            'sdist',
            { kind: 'wheel', pythonTag: 'cp311', abiTag: 'cp311', platformTag: 'musllinux_1_2_x86_64' },
            { kind: 'wheel', pythonTag: 'cp312', abiTag: 'cp312', platformTag: 'musllinux_1_2_x86_64' },
            { kind: 'wheel', pythonTag: 'cp311', abiTag: 'cp311', platformTag: 'macosx_11_0_arm64' },
          ],
        },
      },
    },
  },
};

let index: TestIndex;
before(async () => {
  index = await startTestIndex(FIXTURE);
});
after(() => index.close());

/** This index only, nothing from the machine, nothing kept between runs; a fixed target Python so picks are stable. */
const onIndex = () => ['--isolated', '--no-cache', '--index-url', index.simpleUrl, '--python-version', '3.11'];

/** The `--hash` continuation lines pip-compile writes for the named fixture files (sorted by digest). */
function hashes(eol: string, ...filenames: string[]): string {
  const digests = filenames.map((name) => {
    const file = index.file(name);
    assert.ok(file, name);
    return file.sha256;
  });
  return digests.sort().map((digest) => ` \\${eol}    --hash=sha256:${digest}`).join('');
}

const BOM = '\uFEFF';

/**
 * BOM, CRLF, comments (trailing, `# via`), blank lines, ranges written loosely, extras, a marker,
 * a tab-indented pin with spaces around `==`, a bare name with trailing blanks.
 */
function messy(): string {
  return [
    `${BOM}# Deployed with: pip install --require-hashes -r requirements.txt`,
    '',
    'webfw >= 3.0  # web framework',
    'netlib [socks] >=2 ,<3 ; python_version >= "3.8"   # extras and a marker',
    '    # via webfw',
    '',
    '\ttzdata == 2024.1',
    'Demo_Pkg  ',
    '# the end',
    '',
  ].join('\r\n');
}

function messyFixed(): string {
  const h = (...names: string[]) => hashes('\r\n', ...names);
  return [
    `${BOM}# Deployed with: pip install --require-hashes -r requirements.txt`,
    '',
    `webfw==4.0${h('webfw-4.0-py3-none-any.whl', 'webfw-4.0.tar.gz')}  # web framework`,
    `netlib[socks]==2.0 ; python_version >= "3.8"${h('netlib-2.0-py3-none-any.whl', 'netlib-2.0.tar.gz')}   # extras and a marker`,
    '    # via webfw',
    '',
    `\ttzdata == 2024.1${h('tzdata-2024.1-py3-none-any.whl', 'tzdata-2024.1.tar.gz')}`,
    `Demo_Pkg==1.0${h('demo_pkg-1.0-py3-none-any.whl')}  `,
    '# the end',
    '',
  ].join('\r\n');
}

const read = (dir: string, name = 'requirements.txt') => readFileSync(join(dir, name), 'utf8');

test('fix: a messy file, byte for byte (BOM and CRLF kept, comments, markers and extras as written); a second run changes nothing', async () => {
  const dir = workspace({ 'requirements.txt': messy() });
  const result = await run(['fix', ...onIndex(), 'requirements.txt'], dir);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stderr, '');
  assert.equal(result.stdout, 'requirements.txt: rewrote 4 entries\n');
  assert.equal(read(dir), messyFixed());
  assert.ok(readFileSync(join(dir, 'requirements.txt')).subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'one BOM, as UTF-8 bytes');

  const twice = workspace({ 'requirements.txt': messy() });
  const diffOnce = await run(['fix', '--dry-run', ...onIndex(), 'requirements.txt', './requirements.txt'], twice);
  assert.equal(diffOnce.stdout.match(/^--- /gm)?.length, 1, 'a file named twice is diffed once');

  const mtime = statSync(join(dir, 'requirements.txt')).mtimeMs;
  const again = await run(['fix', ...onIndex(), 'requirements.txt'], dir);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(again.stdout, 'requirements.txt: nothing to change\n');
  assert.equal(read(dir), messyFixed());
  assert.equal(statSync(join(dir, 'requirements.txt')).mtimeMs, mtime, 'an unchanged file is not written');
  assert.deepEqual(readdirSync(dir).sort(), ['.machine', 'requirements.txt'], 'no temporary file left behind');
});

/** Spread-out entries: hunks that merge and one on its own, and a last line without a newline. */
function spreadOut(): string {
  const filler = (from: number, count: number) => Array.from({ length: count }, (_, i) => `# note ${from + i}`);
  return [...filler(1, 2), 'webfw>=4', ...filler(3, 3), 'six', ...filler(6, 10), 'tzdata<2025'].join('\n');
}

test('fix --dry-run writes nothing and prints a unified diff that patch and git apply turn into exactly the fixed bytes', { skip: skipWithout(PATCH, GIT) }, async () => {
  for (const [name, content] of [['messy.txt', messy()], ['spread-out.txt', spreadOut()]]) {
    const dir = workspace({ [`reqs/${name}`]: content });
    const file = `reqs/${name}`;
    const dry = await run(['fix', '--dry-run', ...onIndex(), file], dir);
    assert.equal(dry.status, 0, dry.stderr);
    assert.equal(read(dir, file), content, 'dry run: untouched');
    assert.match(dry.stdout, new RegExp(`^--- a/reqs/${name}\\n\\+\\+\\+ b/reqs/${name}\\n@@ `));

    const fixedDir = tempDir('fixed');
    cpSync(dir, fixedDir, { recursive: true });
    assert.equal((await run(['fix', ...onIndex(), file], fixedDir)).status, 0);
    const fixed = readFileSync(join(fixedDir, file));

    for (const apply of [['patch', '--quiet', '--no-backup-if-mismatch', '-p1', '-i'], ['git', 'apply']]) {
      const copy = tempDir('apply');
      cpSync(dir, copy, { recursive: true });
      writeFileSync(join(copy, 'fix.diff'), dry.stdout);
      await exec(apply[0], [...apply.slice(1), 'fix.diff'], { cwd: copy, env: { PATH: process.env.PATH ?? '', HOME: copy, GIT_CONFIG_NOSYSTEM: '1' } });
      assert.ok(readFileSync(join(copy, file)).equals(fixed), `${apply[0]}: ${name}`);
    }
  }
  // The spread-out file: the first two entries share a hunk (context overlaps), the last is separate and has no final newline.
  const dir = workspace({ 'requirements.txt': spreadOut() });
  const diff = (await run(['fix', '--dry-run', ...onIndex(), 'requirements.txt'], dir)).stdout;
  assert.deepEqual(diff.match(/^@@ .* @@$/gm), ['@@ -1,10 +1,14 @@', '@@ -15,4 +19,6 @@']);
  assert.ok(diff.endsWith(`+    --hash=sha256:${[index.file('tzdata-2024.2-py3-none-any.whl')!.sha256, index.file('tzdata-2024.2.tar.gz')!.sha256].sort()[1]}\n\\ No newline at end of file\n`));
  assert.equal((await run(['fix', '--dry-run', ...onIndex(), 'requirements.txt'], workspace({ 'requirements.txt': messyFixed() }))).stdout, '', 'nothing to change: no diff');
});

test('fix --pin-only and --hash-only; both at once is a usage error', async () => {
  const text = 'webfw>=3\ntzdata==2024.1\n';
  const pinOnly = workspace({ 'requirements.txt': text });
  const pinned = await run(['fix', '--pin-only', ...onIndex(), 'requirements.txt'], pinOnly);
  assert.equal(pinned.status, 0, pinned.stderr);
  assert.equal(read(pinOnly), 'webfw==4.0\ntzdata==2024.1\n');

  const hashOnly = workspace({ 'requirements.txt': text });
  const hashed = await run(['fix', '--hash-only', ...onIndex(), 'requirements.txt'], hashOnly);
  assert.equal(hashed.status, 1, 'webfw is left unpinned');
  assert.equal(hashed.stderr, "requirements.txt:1: not fixed: 'webfw' is not pinned, and hashes belong to one version: pin it as well\n");
  assert.equal(read(hashOnly), `webfw>=3\ntzdata==2024.1${hashes('\n', 'tzdata-2024.1-py3-none-any.whl', 'tzdata-2024.1.tar.gz')}\n`);

  const both = await run(['fix', '--pin-only', '--hash-only', ...onIndex(), 'requirements.txt'], hashOnly);
  assert.equal(both.status, 2);
  assert.match(both.stderr, /--pin-only and --hash-only exclude each other/);
});

test('fix --hash-python / --hash-platform hash only the wheels for those installs (sdists stay)', async () => {
  const dir = workspace({ 'requirements.txt': 'platpkg==1.0\n' });
  // Deployed to musl Linux: the target (--platform) reads the dependencies from the musllinux wheel;
  // for a glibc Linux the only file would be the sdist, whose dependencies need a build.
  const result = await run(['fix', '--hash-python', '3.11', '--hash-platform', 'musllinux', ...onIndex(), '--platform', 'musllinux_1_2_x86_64', 'requirements.txt'], dir);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(read(dir), `platpkg==1.0${hashes('\n', 'platpkg-1.0-cp311-cp311-musllinux_1_2_x86_64.whl', 'platpkg-1.0.tar.gz')}\n`);
});

test('fix: entries that cannot be fixed are listed with file:line and left as written; the rest is fixed; exit 1', async () => {
  const text = ['tzdata==2024.1', 'no-such-project==1.0', 'webfw>=9', 'pkg @ https://example.org/pkg-1.0.tar.gz', ''].join('\n');
  const dir = workspace({ 'requirements.txt': text });
  const result = await run(['fix', ...onIndex(), 'requirements.txt'], dir);
  assert.equal(result.status, 1);
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 4, result.stderr);
  assert.match(lines[0], /^requirements\.txt:2: not fixed: 'no-such-project' is not on the index/);
  assert.match(lines[1], /^requirements\.txt:3: not fixed: no release of 'webfw' satisfies '>=9' \(yanked releases are never picked\)$/);
  assert.match(lines[2], /^requirements\.txt:4: not fixed: a direct reference \(URL or path\)/);
  assert.equal(lines[3], 'requirements.txt: missing dependencies not added: some entries are not pinned (above)');
  assert.equal(read(dir), text.replace('tzdata==2024.1', `tzdata==2024.1${hashes('\n', 'tzdata-2024.1-py3-none-any.whl', 'tzdata-2024.1.tar.gz')}`));
});

test('fix: an index that cannot be asked leaves the file untouched, says why, exits 1', async () => {
  const dir = workspace({ 'requirements.txt': 'webfw>=3\n' });
  const offline = await run(['fix', '--offline', '--isolated', '--cache-dir', 'cache', '--index-url', index.simpleUrl, 'requirements.txt'], dir);
  assert.equal(offline.status, 1);
  assert.match(offline.stderr, /^requirements\.txt:1: not fixed: the index failed for 'webfw': offline, and .* is not in the cache$/m);
  assert.equal(read(dir), 'webfw>=3\n');
  index.setFault('simple-project', { kind: 'status', status: 503 });
  try {
    const down = await run(['fix', ...onIndex(), '--timeout', '2', 'requirements.txt'], dir);
    assert.equal(down.status, 1);
    assert.match(down.stderr, /not fixed: the index failed for 'webfw'/);
    assert.equal(read(dir), 'webfw>=3\n');
  } finally {
    index.setFault('simple-project', undefined);
  }
});

test('fix: an index that fails while a find-links folder answers is an incomplete answer, never "not on the index" nor a pick from the folder alone', async () => {
  const six = index.file('six-1.16.0-py3-none-any.whl')!;
  const text = '--find-links wheels\nsix==1.16.0\ntzdata\n';
  const folders: Record<string, Record<string, string | Uint8Array>> = {
    // The case: a folder with nothing for these projects.
    empty: { 'wheels/README': 'no wheels yet\n' },
    // Older releases only: "1.16.0 is not on the index" would be a lie, and tzdata pinned to 2023.4 a pick pip would not make.
    older: { 'wheels/six-1.15.0-py3-none-any.whl': six.body, 'wheels/tzdata-2023.4-py2.py3-none-any.whl': six.body },
    // The pinned release's wheel without its sdist: hashes of part of the release would fail other installs.
    partial: { 'wheels/six-1.16.0-py3-none-any.whl': six.body, 'wheels/tzdata-2024.2-py2.py3-none-any.whl': six.body },
  };
  index.setFault('simple-project', { kind: 'status', status: 503 });
  try {
    for (const [name, files] of Object.entries(folders)) {
      const dir = workspace({ 'requirements.txt': text, ...files });
      const result = await run(['fix', ...onIndex(), '--timeout', '2', 'requirements.txt'], dir);
      assert.equal(result.status, 1, `${name}: ${result.stderr}`);
      const lines = result.stderr.trimEnd().split('\n');
      // Two entries not fixed, then why the file was not completed either.
      assert.equal(lines.length, 3, `${name}: ${result.stderr}`);
      assert.equal(lines[2], 'requirements.txt: missing dependencies not added: some entries are not pinned (above)');
      for (const [i, project] of [[0, 'six'], [1, 'tzdata']] as const) {
        assert.match(lines[i], new RegExp(`^requirements\\.txt:${i + 2}: not fixed: (the index failed|index checks incomplete) for '${project}': .*/simple/${project}/ answered 503`), `${name}: ${lines[i]}`);
      }
      if (name !== 'empty') assert.match(result.stderr, /index checks incomplete for 'six'/, name);
      assert.doesNotMatch(result.stderr, /not on the index/, name);
      assert.equal(read(dir), text, `${name}: untouched`);
    }
  } finally {
    index.setFault('simple-project', undefined);
  }
});

test('fix refuses what it must not write: manifests and *.in (with the reason), files that are not UTF-8, lock files; nothing is touched', async () => {
  const latin1 = Buffer.concat([Buffer.from('webfw>=3  # caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
  const declared = Buffer.concat([Buffer.from('# -*- coding: latin-1 -*-\nwebfw>=3  # caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('webfw>=3\n', 'utf16le')]);
  const files: Record<string, string | Buffer> = {
    'setup.py': 'from setuptools import setup\nsetup(install_requires=["webfw>=3"])\n',
    'setup.cfg': '[options]\ninstall_requires =\n    webfw>=3\n',
    'pyproject.toml': '[project]\nname = "app"\ndependencies = ["webfw>=3"]\n',
    'pylock.toml': 'lock-version = "1.0"\n',
    'Pipfile.lock': '{"_meta": {}, "default": {}}\n',
    'requirements.in': 'webfw>=3\ntzdata\n',
    'invalid-utf8.txt': latin1,
    'latin1.txt': declared,
    'utf16.txt': utf16,
  };
  const dir = workspace(files);
  const expectations: [string, number, RegExp][] = [
    ['setup.py', 1, /^reqguard: setup\.py: nothing written: a library manifest states the versions a library supports/m],
    ['setup.cfg', 1, /^reqguard: setup\.cfg: nothing written: a library manifest states the versions a library supports/m],
    ['pyproject.toml', 1, /^reqguard: pyproject\.toml: nothing written: a library manifest states the versions a library supports/m],
    ['pylock.toml', 1, /^reqguard: pylock\.toml: nothing written: a lock file is regenerated by the tool that wrote it \(pip lock\)/m],
    ['Pipfile.lock', 2, /^reqguard: Pipfile\.lock: not a file reqguard reads/m],
    ['requirements.in', 1, /^reqguard: requirements\.in: nothing written: a pip-compile input \(\*\.in\) keeps ranges on purpose/m],
    ['invalid-utf8.txt', 2, /^reqguard: invalid-utf8\.txt: nothing written: reqguard writes UTF-8 files only, and this file is not UTF-8 \(the file is not valid UTF-8/m],
    ['latin1.txt', 2, /^reqguard: latin1\.txt: nothing written: reqguard writes UTF-8 files only, and this file is not UTF-8 \(it declares another encoding\)$/m],
    ['utf16.txt', 2, /^reqguard: utf16\.txt: nothing written: reqguard writes UTF-8 files only/m],
  ];
  for (const [name, status, message] of expectations) {
    for (const dryRun of [[], ['--dry-run']]) {
      const result = await run(['fix', ...dryRun, ...onIndex(), name], dir);
      assert.equal(result.status, status, `${name}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '', name);
      assert.ok(readFileSync(join(dir, name)).equals(Buffer.from(files[name])), `${name} untouched`);
    }
  }
  assert.equal((await run(['fix', ...onIndex(), 'missing.txt'], dir)).status, 2);
});

test('fix writes atomically and keeps what the file was: its mode, a symlink stays a link; outside hash mode includes are not written', async () => {
  const dir = workspace({ 'real/requirements.txt': '-r base.txt\ntzdata<2024.2\n', 'real/base.txt': 'six\n' });
  chmodSync(join(dir, 'real/requirements.txt'), 0o640);
  symlinkSync('requirements.txt', join(dir, 'real/link.txt'));
  const result = await run(['fix', '--pin-only', ...onIndex(), 'real/link.txt'], dir);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, 'real/link.txt: rewrote 1 entry\n');
  assert.equal(result.stderr, 'reqguard: real/link.txt: the files it includes are not written: real/base.txt (name them too to fix them)\n');
  assert.ok(lstatSync(join(dir, 'real/link.txt')).isSymbolicLink());
  assert.equal(statSync(join(dir, 'real/requirements.txt')).mode & 0o777, 0o640);
  assert.equal(read(dir, 'real/requirements.txt'), '-r base.txt\ntzdata==2024.1\n');
  assert.equal(read(dir, 'real/base.txt'), 'six\n');
  assert.deepEqual(readdirSync(join(dir, 'real')).sort(), ['base.txt', 'link.txt', 'requirements.txt']);

  // Named too, the included file is fixed as well, and nothing is said about it.
  const both = await run(['fix', '--pin-only', ...onIndex(), 'real/requirements.txt', 'real/base.txt'], dir);
  assert.equal(both.status, 0, both.stderr);
  assert.equal(both.stderr, '');
  assert.equal(read(dir, 'real/base.txt'), 'six==1.16.0\n');

  // Hashed, the install is in hash-checking mode: pip would refuse base.txt's unhashed pin, so it is written too.
  const hashed = await run(['fix', ...onIndex(), 'real/link.txt'], dir);
  assert.equal(hashed.status, 0, hashed.stderr);
  assert.equal(hashed.stderr, '');
  assert.equal(hashed.stdout, 'real/link.txt: rewrote 1 entry\nreal/base.txt: rewrote 1 entry\n');
  assert.equal(read(dir, 'real/base.txt'), `six==1.16.0${hashes('\n', 'six-1.16.0-py3-none-any.whl', 'six-1.16.0.tar.gz')}\n`);
  assert.ok(lstatSync(join(dir, 'real/link.txt')).isSymbolicLink());
  assert.deepEqual(readdirSync(join(dir, 'real')).sort(), ['base.txt', 'link.txt', 'requirements.txt']);
});

test('fix: usage errors exit 2 with the usage', async () => {
  const dir = workspace({ 'requirements.txt': 'webfw\n' });
  const cases = [
    ['fix'],
    ['fix', '--bogus', 'requirements.txt'],
    ['fix', '--dry-run=yes', 'requirements.txt'],
    ['fix', '--hash-python', 'abc', 'requirements.txt'],
    ['fix', '--hash-platform', 'linux-x86', 'requirements.txt'],
    ['fix', '--python-version', '3.x', 'requirements.txt'],
    ['fix', '--timeout', '0', 'requirements.txt'],
    ['fix', '--osv', 'requirements.txt'],
  ];
  for (const args of cases) {
    const result = await run(args, dir);
    assert.equal(result.status, 2, args.join(' '));
    assert.match(result.stderr, /Usage:/, args.join(' '));
  }
  assert.match((await run(['fix', '--hash-platform', 'linux-x86', 'requirements.txt'], dir)).stderr, /--hash-platform must be a wheel platform tag or its beginning, such as manylinux or win_amd64, not 'linux-x86'/);
  assert.equal(read(dir), 'webfw\n');
});

test('pip accepts what fix writes: pip download --require-hashes of the fixed messy file', { timeout: 180_000, skip: skipWithout(PIP) }, async () => {
  const dir = workspace({ 'requirements.txt': messy() });
  const python = await pipPythonVersion();
  const result = await run(['fix', '--isolated', '--no-cache', '--index-url', index.simpleUrl, '--python-version', python, 'requirements.txt'], dir);
  assert.equal(result.status, 0, result.stderr);
  const out = join(dir, 'downloaded');
  const pip = await pipDownload(join(dir, 'requirements.txt'), index.simpleUrl, out);
  assert.equal(pip.status, 0, pip.stdout + pip.stderr);
  const netlib = python === '3.11' || Number(python.split('.')[1]) < 12 ? '2.0' : '2.5';
  assert.deepEqual(readdirSync(out).sort(), ['demo_pkg-1.0-py3-none-any.whl', `netlib-${netlib}-py3-none-any.whl`, 'tzdata-2024.1-py3-none-any.whl', 'webfw-4.0-py3-none-any.whl']);
  assert.ok(existsSync(join(dir, 'requirements.txt')));
});
