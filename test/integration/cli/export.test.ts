// `reqguard export` against the test index: Pipfile.lock and uv.lock (test/fixtures/export/, filled
// in with the hashes of the index's real files) become requirements.txt and pylock.toml, and so
// does a hashed requirements file. Judges: every hash of the input is in the output;
// packaging.pylock (test/tools/pylock_packages.py) accepts every pylock written; pip reads and
// installs every requirements.txt with --require-hashes, and pip 26 installs the pylocks.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers/corpus';
import { DJANGO_FIXTURE } from '../../support/dependencyGraphs';
import { optionalProgram, PIP, PIP26, PYTHON3, skipWithout } from '../../support/optionalProgram';
import { python, runPip, type PipVersion } from '../../support/pip';
import { startTestIndex, type TestIndex } from '../../support/testIndex';
import { spawnSync } from 'node:child_process';
import { run, workspace } from './runCli';

/** python3 with packaging 25 or later, whose packaging.pylock is PEP 751's reference reader. */
const PACKAGING_PYLOCK = optionalProgram('packaging.pylock (packaging >= 25 for python3)', 'the checks that packaging accepts every pylock.toml reqguard writes', 'python3 -m pip install "packaging>=25"', () => {
  if (!PYTHON3.locate()) return undefined;
  return spawnSync('python3', ['-c', 'import packaging.pylock'], { encoding: 'utf8', timeout: 60_000 }).status === 0 ? 'python3' : undefined;
});

const ORACLE = join(REPO_ROOT, 'test/tools/pylock_packages.py');
const FIXTURES = join(REPO_ROOT, 'test/fixtures/export');

let index: TestIndex;
before(async () => {
  // Django's `bcrypt` extra needs bcrypt, which the Pipfile.lock locks too.
  index = await startTestIndex({ projects: { ...DJANGO_FIXTURE.projects, bcrypt: { versions: { '4.2.1': {} } } } });
});
after(async () => {
  await index?.close();
});

/** A fixture with the index's URLs, hashes and sizes filled in. */
function fixture(name: string): string {
  const fileOf = (filename: string) => {
    const file = index.file(filename);
    if (!file) throw new Error(`the test index has no ${filename}`);
    return file;
  };
  return readFileSync(join(FIXTURES, name), 'utf8')
    .replaceAll('{index}', index.simpleUrl)
    .replaceAll('{files}', `${index.url}files`)
    .replace(/@([^@\s"]+)@/g, (_, filename: string) => fileOf(filename).sha256)
    .replace(/%([^%\s"]+)%/g, (_, filename: string) => String(fileOf(filename).body.length));
}

/** Every sha256 digest a text names. */
function digestsIn(text: string): string[] {
  return [...new Set(text.match(/[0-9a-f]{64}/g) ?? [])].sort();
}

function exportFile(dir: string, ...args: string[]) {
  return run(['export', '--isolated', '--no-cache', ...args], dir);
}

interface OracleFile {
  readonly valid_name: boolean;
  readonly error: string | null;
  readonly requires_python?: string | null;
  readonly packages: readonly { name: string; version: string | null; marker: string | null; index: string | null; sdist: OracleDist | null; wheels: readonly OracleDist[] }[];
}
interface OracleDist {
  readonly name?: string;
  readonly url?: string;
  readonly size?: number;
  readonly upload_time?: string;
  readonly hashes: Record<string, string>;
}

/** packaging.pylock's verdict on a pylock file (its packages when valid). */
async function pylockOracle(path: string): Promise<OracleFile> {
  const result = await python([ORACLE, path]);
  const [file] = (JSON.parse(result.stdout) as { files: OracleFile[] }).files;
  assert.equal(file.error, null, `packaging.pylock refuses ${path}: ${file.error}\n${readFileSync(path, 'utf8')}`);
  assert.equal(file.valid_name, true);
  assert.equal(result.status, 0);
  return file;
}

/**
 * pip installs a requirements file in hash-checking mode, from the index that served the hashes:
 * every dependency pip finds must be in the file, hashed, too.
 */
async function assertInstalls(which: PipVersion, file: string): Promise<void> {
  const install = await runPip(which, ['install', '--dry-run', '--ignore-installed', '--require-hashes', '-r', file, '--index-url', index.simpleUrl]);
  assert.equal(install.status, 0, `${which}: ${install.stderr}`);
}

/** `name==version` of every entry of a requirements file, sorted. */
function pinsOf(text: string): string[] {
  return [...text.matchAll(/^([a-z0-9][a-z0-9._-]*)(?:\[[^\]]*\])?==(\S+)/gm)].map((match) => `${match[1]}==${match[2]}`).sort();
}

describe('Pipfile.lock to requirements.txt: offline, every hash kept', () => {
  test('default: every package, marker, extra and hash; no request to any index', async () => {
    const lock = fixture('Pipfile.lock');
    const dir = workspace({ 'Pipfile.lock': lock });
    const before = index.requests.length;
    const result = await exportFile(dir, 'Pipfile.lock', '--format', 'requirements.txt', '--offline', '-o', 'requirements.txt');
    assert.equal(result.status, 0, result.stderr);
    assert.equal(index.requests.length, before, 'no index was asked');
    const text = readFileSync(join(dir, 'requirements.txt'), 'utf8');
    assert.deepEqual(pinsOf(text), ['asgiref==3.8.1', 'bcrypt==4.2.1', 'django==4.2.17', 'psycopg2-binary==2.9.10', 'sqlparse==0.5.3', 'tzdata==2025.2']);
    const developOnly = [index.file('pytz-2025.2-py3-none-any.whl')!.sha256, index.file('pytz-2025.2.tar.gz')!.sha256];
    assert.deepEqual(digestsIn(text), digestsIn(lock).filter((digest) => !developOnly.includes(digest) && digestsIn(lock.slice(0, lock.indexOf('"default"'))).indexOf(digest) < 0));
    assert.match(text, /^django\[bcrypt\]==4\.2\.17 ; python_version >= "3\.8" \\$/m);
    assert.match(text, /^tzdata==2025\.2 ; sys_platform == "win32" \\$/m);
    assert.match(text, new RegExp(`^--index-url ${index.simpleUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
  });

  test('--dev adds develop', async () => {
    const dir = workspace({ 'Pipfile.lock': fixture('Pipfile.lock') });
    const result = await exportFile(dir, 'Pipfile.lock', '--format', 'requirements.txt', '--offline', '--dev');
    assert.equal(result.status, 0, result.stderr);
    assert.ok(pinsOf(result.stdout).includes('pytz==2025.2'), result.stdout);
  });

  for (const which of ['system', 'pip26'] as const) {
    test(`${which === 'system' ? 'pip 23' : 'pip 26'} installs it with --require-hashes`, { skip: skipWithout(which === 'system' ? PIP : PIP26) }, async () => {
      const dir = workspace({ 'Pipfile.lock': fixture('Pipfile.lock') });
      const result = await exportFile(dir, 'Pipfile.lock', '--format', 'requirements.txt', '--offline', '--dev', '-o', 'requirements.txt');
      assert.equal(result.status, 0, result.stderr);
      await assertInstalls(which, join(dir, 'requirements.txt'));
      if (which === 'pip26') {
        // A real install too, into a folder of its own.
        const target = join(dir, 'installed');
        const install = await runPip('pip26', ['install', '--require-hashes', '--no-compile', '--target', target, '-r', join(dir, 'requirements.txt'), '--index-url', index.simpleUrl]);
        assert.equal(install.status, 0, install.stderr);
        for (const distInfo of ['django-4.2.17.dist-info', 'bcrypt-4.2.1.dist-info', 'pytz-2025.2.dist-info']) assert.ok(existsSync(join(target, distInfo)), distInfo);
      }
    });
  }
});

describe('uv.lock: what a default install of the project needs', () => {
  test('to requirements.txt: dependencies with the markers of their paths, not the project itself, dev with --dev', async () => {
    const dir = workspace({ 'uv.lock': fixture('uv.lock') });
    const result = await exportFile(dir, 'uv.lock', '--format', 'requirements.txt', '--offline');
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(pinsOf(result.stdout), ['asgiref==3.8.1', 'django==5.2.17', 'psycopg2-binary==2.9.10', 'sqlparse==0.5.3', 'typing-extensions==4.12.2', 'tzdata==2025.2']);
    assert.match(result.stdout, /^typing-extensions==4\.12\.2 ; python_full_version < "3\.11" \\$/m);
    assert.match(result.stdout, /^tzdata==2025\.2 ; sys_platform == "win32" \\$/m);
    assert.match(result.stderr, /app: the project itself is not exported/);
    const psycopg = ['psycopg2_binary-2.9.10.tar.gz', 'psycopg2_binary-2.9.10-cp311-cp311-win_amd64.whl', 'psycopg2_binary-2.9.10-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl'];
    for (const file of psycopg) assert.ok(result.stdout.includes(index.file(file)!.sha256), file);
    const dev = await exportFile(dir, 'uv.lock', '--format', 'requirements.txt', '--offline', '--dev');
    assert.ok(pinsOf(dev.stdout).includes('pytz==2025.2'));
  });

  test('pip installs the export with --require-hashes', { skip: skipWithout(PIP) }, async () => {
    const dir = workspace({ 'uv.lock': fixture('uv.lock') });
    const result = await exportFile(dir, 'uv.lock', '--format', 'requirements.txt', '--offline', '--dev', '-o', 'requirements.txt');
    assert.equal(result.status, 0, result.stderr);
    await assertInstalls('system', join(dir, 'requirements.txt'));
  });

  test('to pylock.toml: the files uv.lock names, offline; packaging.pylock accepts it', { skip: skipWithout(PACKAGING_PYLOCK) }, async () => {
    const lock = fixture('uv.lock');
    const dir = workspace({ 'uv.lock': lock });
    const result = await exportFile(dir, 'uv.lock', '--format', 'pylock.toml', '--offline', '--dev', '-o', 'pylock.toml');
    assert.equal(result.status, 0, result.stderr);
    const file = await pylockOracle(join(dir, 'pylock.toml'));
    assert.equal(file.requires_python, '>=3.10');
    assert.deepEqual(digestsIn(readFileSync(join(dir, 'pylock.toml'), 'utf8')), digestsIn(lock));
    const django = file.packages.find((item) => item.name === 'django')!;
    assert.equal(django.version, '5.2.17');
    assert.equal(django.sdist?.size, index.file('django-5.2.17.tar.gz')!.body.length);
    assert.equal(django.wheels[0].url, `${index.url}files/django/django-5.2.17-py3-none-any.whl`);
    assert.equal(file.packages.find((item) => item.name === 'typing-extensions')?.marker, 'python_full_version < "3.11"');
  });
});

describe('to pylock.toml from the index: files found by their hashes', () => {
  test('Pipfile.lock: names, URLs, sizes and upload times from the index; every hash on its file', { skip: skipWithout(PACKAGING_PYLOCK) }, async () => {
    const lock = fixture('Pipfile.lock');
    const dir = workspace({ 'Pipfile.lock': lock });
    const result = await exportFile(dir, 'Pipfile.lock', '--format', 'pylock.toml', '--dev', '-o', 'pylock.toml');
    assert.equal(result.status, 0, result.stderr);
    const text = readFileSync(join(dir, 'pylock.toml'), 'utf8');
    const file = await pylockOracle(join(dir, 'pylock.toml'));
    assert.deepEqual(digestsIn(text), digestsIn(lock).filter((digest) => digest !== digestsIn(lock.slice(0, lock.indexOf('"default"')))[0]));
    assert.equal(file.requires_python, '==3.11.*');
    const psycopg = file.packages.find((item) => item.name === 'psycopg2-binary')!;
    assert.equal(psycopg.wheels.length, 5);
    const sdist = index.file('psycopg2_binary-2.9.10.tar.gz')!;
    assert.deepEqual(psycopg.sdist, { name: sdist.filename, url: `${index.url}files/psycopg2-binary/${sdist.filename}`, size: sdist.body.length, upload_time: '2024-10-01T00:00:00+00:00', hashes: { sha256: sdist.sha256 } });
    assert.equal(psycopg.index, index.simpleUrl);
    assert.equal(file.packages.find((item) => item.name === 'tzdata')?.marker, 'sys_platform == "win32"');
  });

  test('pip 26 installs the pylock it was given', { skip: skipWithout(PIP26) }, async () => {
    const dir = workspace({ 'Pipfile.lock': fixture('Pipfile.lock') });
    const result = await exportFile(dir, 'Pipfile.lock', '--format', 'pylock.toml', '-o', 'pylock.toml');
    assert.equal(result.status, 0, result.stderr);
    const install = await runPip('pip26', ['install', '--dry-run', '--ignore-installed', '-r', join(dir, 'pylock.toml'), '--index-url', index.simpleUrl]);
    assert.equal(install.status, 0, install.stderr);
    assert.match(install.stdout, /Would install .*Django-4\.2\.17|Would install .*django-4\.2\.17/i);
  });

  test('a hashed requirements file: the same hashes, on their files', { skip: skipWithout(PACKAGING_PYLOCK) }, async () => {
    const dir = workspace({ 'Pipfile.lock': fixture('Pipfile.lock') });
    assert.equal((await exportFile(dir, 'Pipfile.lock', '--format', 'requirements.txt', '--offline', '-o', 'requirements.txt')).status, 0);
    const requirements = readFileSync(join(dir, 'requirements.txt'), 'utf8');
    const result = await exportFile(dir, 'requirements.txt', '--format', 'pylock.toml', '-o', 'pylock.prod.toml');
    assert.equal(result.status, 0, result.stderr);
    const file = await pylockOracle(join(dir, 'pylock.prod.toml'));
    assert.deepEqual(new Set(file.packages.map((item) => item.index)), new Set([index.simpleUrl]), 'the index the files were found on');
    assert.deepEqual(digestsIn(readFileSync(join(dir, 'pylock.prod.toml'), 'utf8')), digestsIn(requirements));
  });
});

describe('pylock.toml in: every package and hash to requirements.txt', () => {
  test("pip 26's own pylock (pip lock) to requirements.txt, offline; pip installs it with --require-hashes", { skip: skipWithout(PIP26) }, async () => {
    const dir = workspace({ 'requirements.in': 'Django==4.2.17\npsycopg2-binary\n' });
    const locked = await runPip('pip26', ['lock', '-r', join(dir, 'requirements.in'), '--index-url', index.simpleUrl, '-o', join(dir, 'pylock.toml')]);
    assert.equal(locked.status, 0, locked.stderr);
    const pylock = readFileSync(join(dir, 'pylock.toml'), 'utf8');
    const result = await exportFile(dir, 'pylock.toml', '--format', 'requirements.txt', '--offline', '-o', 'requirements.txt');
    assert.equal(result.status, 0, result.stderr);
    const text = readFileSync(join(dir, 'requirements.txt'), 'utf8');
    assert.deepEqual(digestsIn(text), digestsIn(pylock));
    assert.deepEqual(pinsOf(text), ['asgiref==3.8.1', 'django==4.2.17', 'psycopg2-binary==2.9.10', 'sqlparse==0.5.3']);
    await assertInstalls('pip26', join(dir, 'requirements.txt'));
    await assertInstalls('system', join(dir, 'requirements.txt'));
  });

  test('a pylock we wrote, back to pylock.toml and requirements.txt, offline: the same packages, files and hashes', { skip: skipWithout(PACKAGING_PYLOCK) }, async () => {
    const dir = workspace({ 'uv.lock': fixture('uv.lock') });
    assert.equal((await exportFile(dir, 'uv.lock', '--format', 'pylock.toml', '--offline', '-o', 'pylock.toml')).status, 0);
    const again = await exportFile(dir, 'pylock.toml', '--format', 'pylock.toml', '--offline', '-o', 'pylock.again.toml');
    assert.equal(again.status, 0, again.stderr);
    assert.equal(readFileSync(join(dir, 'pylock.again.toml'), 'utf8'), readFileSync(join(dir, 'pylock.toml'), 'utf8'));
    const requirements = await exportFile(dir, 'pylock.toml', '--format', 'requirements.txt', '--offline');
    assert.equal(requirements.status, 0, requirements.stderr);
    assert.deepEqual(digestsIn(requirements.stdout), digestsIn(readFileSync(join(dir, 'pylock.toml'), 'utf8')));
    assert.match(requirements.stdout, /^typing-extensions==4\.12\.2 ; python_full_version < "3\.11" \\$/m);
  });
});

describe('entries that are not index releases', () => {
  const COMMIT = '0123456789abcdef0123456789abcdef01234567';
  const A = 'a'.repeat(64);
  const B = 'b'.repeat(64);
  const LOCK = JSON.stringify({
    _meta: { sources: [{ name: 'pypi', url: 'https://pypi.org/simple' }] },
    default: {
      tool: { git: 'git+https://example.invalid/tool.git', ref: COMMIT, editable: true, subdirectory: 'sub' },
      plain: { git: 'https://example.invalid/plain.git', ref: COMMIT, markers: "os_name == 'posix'" },
      local: { path: './libs/local', editable: true },
      wheelfile: { path: 'dist/wheelfile-1.0-py3-none-any.whl', hashes: [`sha256:${A}`] },
      remote: { file: 'https://example.invalid/remote-1.0.tar.gz', hashes: [`sha256:${B}`], extras: ['x'] },
    },
  });

  test("pip's own parser reads each as the lock means it (pip_oracle)", { skip: skipWithout(PIP) }, async () => {
    const dir = workspace({ 'libs/local/pyproject.toml': '[project]\nname = "local"\nversion = "1"\n' });
    // The oracle reads lines from an empty folder of its own: the project is named by its absolute path.
    writeFileSync(join(dir, 'Pipfile.lock'), LOCK.replace('./libs/local', join(dir, 'libs/local')));
    const result = await exportFile(dir, 'Pipfile.lock', '--format', 'requirements.txt', '--offline', '-o', 'requirements.txt');
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr.match(/pip --require-hashes refuses it/g)?.length, 3, result.stderr);
    const seen = await python([join(REPO_ROOT, 'test/tools/pip_oracle.py'), join(dir, 'requirements.txt')]);
    const parsed = JSON.parse(seen.stdout) as { errors: unknown[]; requirements: { name: string | null; editable: boolean; marker: string | null; extras: string[]; hashes: Record<string, string[]>; link: { url: string } | null }[] };
    assert.deepEqual(parsed.errors, []);
    const byName = new Map(parsed.requirements.map((item) => [item.name ?? item.link?.url ?? '', item]));
    assert.equal(byName.get('tool')?.link?.url, `git+https://example.invalid/tool.git@${COMMIT}#egg=tool&subdirectory=sub`);
    assert.equal(byName.get('tool')?.editable, true);
    assert.equal(byName.get('plain')?.marker, 'os_name == "posix"');
    assert.equal(byName.get('plain')?.link?.url, `git+https://example.invalid/plain.git@${COMMIT}`);
    assert.deepEqual(byName.get('remote')?.extras, ['x']);
    assert.deepEqual(byName.get('remote')?.hashes, { sha256: [B] });
    assert.deepEqual(byName.get('wheelfile')?.hashes, { sha256: [A] });
    assert.equal(parsed.requirements.filter((item) => item.editable).length, 2);
  });

  test('a pylock holds each as vcs, directory or archive; packaging.pylock accepts it', { skip: skipWithout(PACKAGING_PYLOCK) }, async () => {
    const dir = workspace({ 'Pipfile.lock': LOCK });
    const result = await exportFile(dir, 'Pipfile.lock', '--format', 'pylock.toml', '--offline', '-o', 'pylock.toml');
    assert.equal(result.status, 0, result.stderr);
    await pylockOracle(join(dir, 'pylock.toml'));
    const text = readFileSync(join(dir, 'pylock.toml'), 'utf8');
    assert.match(text, new RegExp(`vcs = \\{ type = "git", url = "https://example.invalid/tool.git", commit-id = "${COMMIT}", subdirectory = "sub" \\}`));
    assert.match(text, /directory = \{ path = "\.\/libs\/local", editable = true \}/);
    assert.match(text, new RegExp(`archive = \\{ url = "https://example.invalid/remote-1.0.tar.gz", hashes = \\{ sha256 = "${B}" \\} \\}`));
  });
});

describe('what cannot carry over is an error naming the entry, and nothing is written', () => {
  test('a hash that no file of the release on the index has', async () => {
    const bogus = 'f'.repeat(64);
    const lock = fixture('Pipfile.lock').replace(`"sha256:${index.file('sqlparse-0.5.3.tar.gz')!.sha256}"`, `"sha256:${bogus}"`);
    const dir = workspace({ 'Pipfile.lock': lock });
    const result = await exportFile(dir, 'Pipfile.lock', '--format', 'pylock.toml', '-o', 'pylock.toml');
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, new RegExp(`sqlparse==0\\.5\\.3 \\(Pipfile\\.lock "default"\\): no file of version 0\\.5\\.3 on the index has the hash sha256:${bogus}`));
    assert.equal(existsSync(join(dir, 'pylock.toml')), false);
  });

  test('a VCS entry without a commit cannot be a pylock package; a requirements file holds it', async () => {
    const lock = JSON.parse(fixture('Pipfile.lock')) as { default: Record<string, unknown> };
    lock.default.tool = { git: 'https://example.invalid/tool.git', ref: 'main' };
    const dir = workspace({ 'Pipfile.lock': JSON.stringify(lock) });
    const pylock = await exportFile(dir, 'Pipfile.lock', '--format', 'pylock.toml', '--offline', '-o', 'pylock.toml');
    assert.equal(pylock.status, 1);
    assert.match(pylock.stderr, /tool \(Pipfile\.lock "default"\): its git revision main is not a commit/);
    assert.equal(existsSync(join(dir, 'pylock.toml')), false);
    const requirements = await exportFile(dir, 'Pipfile.lock', '--format', 'requirements.txt', '--offline');
    assert.equal(requirements.status, 0, requirements.stderr);
    assert.match(requirements.stdout, /^tool @ git\+https:\/\/example\.invalid\/tool\.git@main$/m);
    assert.match(requirements.stderr, /note: tool .*pip --require-hashes refuses it/);
  });

  test('an entry without hashes, and one that is not pinned', async () => {
    const lock = JSON.parse(fixture('Pipfile.lock')) as { default: Record<string, Record<string, unknown>> };
    lock.default.sqlparse.hashes = [];
    lock.default.asgiref.version = '>=3';
    const dir = workspace({ 'Pipfile.lock': JSON.stringify(lock) });
    const result = await exportFile(dir, 'Pipfile.lock', '--format', 'requirements.txt', '--offline', '-o', 'requirements.txt');
    assert.equal(result.status, 1);
    assert.match(result.stderr, /asgiref \(default\): "version" is ">=3", not an exact ==version/);
    assert.equal(existsSync(join(dir, 'requirements.txt')), false);
    delete lock.default.asgiref.version;
    lock.default.asgiref.version = '==3.8.1';
    writeFileSync(join(dir, 'Pipfile.lock'), JSON.stringify(lock));
    const unhashed = await exportFile(dir, 'Pipfile.lock', '--format', 'requirements.txt', '--offline');
    assert.equal(unhashed.status, 1);
    assert.match(unhashed.stderr, /sqlparse==0\.5\.3 \(Pipfile\.lock "default"\): it has no hashes/);
  });

  test('usage: the format, the pylock file-name rule, --dev for a requirements file', async () => {
    const dir = workspace({ 'Pipfile.lock': fixture('Pipfile.lock'), 'requirements.txt': 'six==1.0 --hash=sha256:' + 'a'.repeat(64) + '\n' });
    assert.equal((await exportFile(dir, 'Pipfile.lock')).status, 2);
    assert.equal((await exportFile(dir, 'Pipfile.lock', '--format', 'poetry.lock')).status, 2);
    const named = await exportFile(dir, 'Pipfile.lock', '--format', 'pylock.toml', '-o', 'lock.toml');
    assert.equal(named.status, 2);
    assert.match(named.stderr, /pylock\.toml or pylock\.NAME\.toml \(PEP 751\)/);
    assert.equal((await exportFile(dir, 'requirements.txt', '--format', 'pylock.toml', '--dev')).status, 2);
  });
});
