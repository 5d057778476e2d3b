// `reqguard export`'s readers and writers in process: Pipfile.lock and uv.lock into the locked
// model (pip/lockedPackages.ts), which packages a default install of a uv project needs and under
// which markers, and the requirements.txt and pylock.toml writers (pip/exportWriters.ts), whose
// pylocks parser/pylock.ts reads back without a problem. The CLI against a real index and pip:
// test/integration/cli/export.test.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writePylock, writeRequirements, tomlString } from '../../server/src/pip/exportWriters';
import { lockedFromPipfileLock, lockedFromPylock, lockedFromUvLock, splitVcsUrl, type LockedPackage, type LockedReading, type LockedSet } from '../../server/src/pip/lockedPackages';
import { readPipfileLock } from '../../server/src/parser/pipfileLock';
import { readPylock } from '../../server/src/parser/pylock';
import { readUvLock } from '../../server/src/parser/uvLock';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

function setOf(reading: LockedReading): LockedSet {
  assert.ok(reading.ok, reading.ok ? '' : reading.errors.join('\n'));
  return reading.set;
}

function errorsOf(reading: LockedReading): readonly string[] {
  assert.equal(reading.ok, false, 'expected errors');
  return reading.ok ? [] : reading.errors;
}

/** A uv.lock: a root project `app` at "." and registry packages, each with one hashed wheel. */
function uvLock(root: string, packages: Record<string, string>): string {
  const tables = Object.entries(packages).map(
    ([name, body]) =>
      `[[package]]\nname = "${name}"\nversion = "1.0"\nsource = { registry = "https://pypi.org/simple" }\nwheels = [{ url = "https://files.example/${name}-1.0-py3-none-any.whl", hash = "sha256:${A}" }]\n${body}\n`,
  );
  return `version = 1\nrequires-python = ">=3.9"\n\n[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { editable = "." }\n${root}\n\n${tables.join('\n')}`;
}

function markersOf(set: LockedSet): Record<string, string | null> {
  return Object.fromEntries(set.packages.map((item) => [item.name, item.marker ?? null]));
}

describe('uv.lock: what a default install of the project needs', () => {
  test('markers: and along a path, or across paths; an unconditional path wins', () => {
    const text = uvLock('dependencies = [{ name = "a" }, { name = "b", marker = "sys_platform == \'win32\'" }]', {
      a: 'dependencies = [{ name = "c", marker = "python_version < \'3.11\'" }, { name = "d" }]',
      b: 'dependencies = [{ name = "c", marker = "os_name == \'nt\'" }, { name = "d", marker = "os_name == \'nt\'" }]',
      c: '',
      d: '',
      unused: '',
    });
    assert.deepEqual(markersOf(setOf(lockedFromUvLock(readUvLock(text), { dev: false }))), {
      a: null,
      b: 'sys_platform == "win32"',
      c: 'python_version < "3.11" or (os_name == "nt" and sys_platform == "win32")',
      d: null,
    });
  });

  test('a cycle ends; extras are followed and kept; dev only with --dev', () => {
    const text = uvLock('dependencies = [{ name = "a", extra = ["fast"] }]\n[package.dev-dependencies]\ndev = [{ name = "tester" }]', {
      a: 'dependencies = [{ name = "b" }]\n[package.optional-dependencies]\nfast = [{ name = "speedup", marker = "platform_machine == \'x86_64\'" }]',
      b: 'dependencies = [{ name = "a" }]',
      speedup: '',
      tester: '',
    });
    const set = setOf(lockedFromUvLock(readUvLock(text), { dev: false }));
    assert.deepEqual(markersOf(set), { a: null, b: null, speedup: 'platform_machine == "x86_64"' });
    assert.deepEqual(set.packages.find((item) => item.name === 'a')?.extras, ['fast']);
    assert.match(set.notes[0], /^app: the project itself is not exported/);
    assert.ok(setOf(lockedFromUvLock(readUvLock(text), { dev: true })).packages.some((item) => item.name === 'tester'));
  });

  test('errors name what is wrong: no project at ".", an extra the package lacks, a dependency the lock lacks', () => {
    assert.match(errorsOf(lockedFromUvLock(readUvLock('version = 1\n'), { dev: false }))[0], /no project at "\."/);
    assert.match(errorsOf(lockedFromUvLock(readUvLock(uvLock('dependencies = [{ name = "a", extra = ["nope"] }]', { a: '' })), { dev: false }))[0], /a has no extra "nope"/);
    assert.match(errorsOf(lockedFromUvLock(readUvLock(uvLock('dependencies = [{ name = "ghost" }]', {})), { dev: false }))[0], /app depends on ghost, which the lock has no package for/);
    assert.match(errorsOf(lockedFromUvLock(readUvLock('version = 1\n[[package]\n'), { dev: false }))[0], /uv\.lock is not valid TOML/);
  });

  test('bounded: a long chain is linear; a package that 100 differently marked paths reach is an error', () => {
    const chain: Record<string, string> = {};
    for (let i = 0; i < 2000; i++) chain[`p${i}`] = i < 1999 ? `dependencies = [{ name = "p${i + 1}" }]` : '';
    const lock = readUvLock(uvLock('dependencies = [{ name = "p0" }]', chain));
    // The walk itself, without the TOML parser's time.
    const started = performance.now();
    assert.equal(setOf(lockedFromUvLock(lock, { dev: false })).packages.length, 2000);
    assert.ok(performance.now() - started < 1000, `${performance.now() - started} ms`);
    const fan: Record<string, string> = { common: '' };
    for (let i = 0; i < 100; i++) fan[`f${i}`] = 'dependencies = [{ name = "common" }]';
    const root = `dependencies = [${Object.keys(fan).filter((name) => name !== 'common').map((name, i) => `{ name = "${name}", marker = "python_version == '3.${i}'" }`).join(', ')}]`;
    assert.match(errorsOf(lockedFromUvLock(readUvLock(uvLock(root, fan)), { dev: false }))[0], /common: more than 64 different paths lead to it/);
  });

  test('git sources: the commit from the fragment, the requested revision from the query', () => {
    const text = `version = 1\n[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { virtual = "." }\ndependencies = [{ name = "tool" }]\n\n[[package]]\nname = "tool"\nversion = "2.0"\nsource = { git = "https://github.com/o/tool?rev=v2&subdirectory=py#${'c'.repeat(40)}" }\n`;
    const [tool] = setOf(lockedFromUvLock(readUvLock(text), { dev: false })).packages;
    assert.deepEqual(tool.source, { kind: 'vcs', vcs: 'git', url: 'https://github.com/o/tool', commit: 'c'.repeat(40), requestedRevision: 'v2', subdirectory: 'py', editable: false });
  });
});

describe('Pipfile.lock', () => {
  test('what cannot be read is a problem naming the entry', () => {
    assert.match(readPipfileLock('{').problems[0], /not valid JSON/);
    const lock = readPipfileLock(JSON.stringify({ default: { a: 'x', b: { hashes: 'sha256:x' }, c: { version: '>=1' }, d: { version: '==1', hashes: [`sha256:${A}`] } } }));
    assert.deepEqual(lock.problems, ['a (default): not an object', 'b (default): "hashes" is not a list of strings', 'c (default): "version" is ">=1", not an exact ==version']);
    assert.deepEqual(lock.entries.map((entry) => entry.name), ['d']);
  });

  test('default and develop: one pin twice is one package, two pins a conflict; an unknown index is an error', () => {
    const lock = (develop: string, index = 'pypi') =>
      readPipfileLock(JSON.stringify({ _meta: { sources: [{ name: 'pypi', url: 'https://pypi.org/simple' }] }, default: { six: { version: '==1.16.0', hashes: [`sha256:${A}`], index } }, develop: { six: { version: develop, hashes: [`sha256:${B}`] } } }));
    assert.equal(setOf(lockedFromPipfileLock(lock('==1.16.0'), { dev: true })).packages.length, 1);
    assert.match(errorsOf(lockedFromPipfileLock(lock('==1.17.0'), { dev: true }))[0], /six==1\.17\.0 \(Pipfile\.lock "develop"\): six==1\.16\.0 \(Pipfile\.lock "default"\) pins it otherwise/);
    assert.equal(setOf(lockedFromPipfileLock(lock('==1.17.0'), { dev: false })).packages.length, 1);
    assert.match(errorsOf(lockedFromPipfileLock(lock('==1.16.0', 'private'), { dev: false }))[0], /its index "private" is not among the lock's sources/);
  });
});

test('splitVcsUrl: the revision after the last @ of the path, never the user name', () => {
  assert.deepEqual(splitVcsUrl('git+https://user@host/repo.git@v1.0#egg=x&subdirectory=a%20b'), { vcs: 'git', url: 'https://user@host/repo.git', revision: 'v1.0', subdirectory: 'a b' });
  assert.deepEqual(splitVcsUrl('git+ssh://git@host/repo.git'), { vcs: 'git', url: 'ssh://git@host/repo.git' });
  assert.equal(splitVcsUrl('https://host/x.whl'), undefined);
});

const PACKAGE: LockedPackage = {
  name: 'Django',
  version: '4.2.17',
  marker: 'python_version >= "3.8"',
  extras: ['bcrypt'],
  source: { kind: 'index', indexUrl: 'https://pypi.org/simple' },
  hashes: [
    { algorithm: 'sha256', digest: B },
    { algorithm: 'sha256', digest: A },
  ],
  files: [
    { kind: 'sdist', filename: 'django-4.2.17.tar.gz', url: 'https://files.example/django-4.2.17.tar.gz', size: 10, uploadTime: '2024-12-01T00:00:00.000000Z', hashes: [{ algorithm: 'sha256', digest: A }] },
    { kind: 'wheel', filename: 'django-4.2.17-py3-none-any.whl', url: 'https://files.example/django-4.2.17-py3-none-any.whl', hashes: [{ algorithm: 'sha256', digest: B }] },
  ],
  label: 'django==4.2.17 (test)',
};

describe('writers', () => {
  test('requirements.txt: pip-compile layout, every hash sorted, other algorithms after sha256, a non-PyPI index named', () => {
    const written = writeRequirements({ packages: [{ ...PACKAGE, hashes: [...PACKAGE.hashes, { algorithm: 'sha512', digest: 'c'.repeat(128) }] }], indexUrls: ['https://mirror.example/simple'], notes: [] }, ['# header']);
    assert.ok(written.ok);
    assert.equal(written.text, `# header\n--index-url https://mirror.example/simple\n\ndjango[bcrypt]==4.2.17 ; python_version >= "3.8" \\\n    --hash=sha256:${A} \\\n    --hash=sha256:${B} \\\n    --hash=sha512:${'c'.repeat(128)}\n`);
  });

  test('pylock.toml: PEP 751 tables that parser/pylock reads back with no problem, to the same model', () => {
    const set: LockedSet = { packages: [PACKAGE], requiresPython: '>=3.8', environments: ['sys_platform == "linux"'], indexUrls: [], notes: [] };
    const written = writePylock(set);
    assert.ok(written.ok);
    assert.match(written.text, /^lock-version = "1\.0"\nenvironments = \["sys_platform == \\"linux\\""\]\nrequires-python = ">=3\.8"\ncreated-by = "reqguard"\n/);
    assert.match(written.text, /sdist = \{ name = "django-4\.2\.17\.tar\.gz", upload-time = 2024-12-01T00:00:00\.000000Z, url = "https:\/\/files\.example\/django-4\.2\.17\.tar\.gz", size = 10, hashes = \{ sha256 = "a{64}" \} \}/);
    const document = readPylock(written.text);
    assert.deepEqual(document.problems, []);
    const [again] = setOf(lockedFromPylock(document, 'pylock.toml')).packages;
    // A pylock has no per-package extras (their packages are in the lock) and spells names normalized.
    assert.deepEqual({ ...again, label: PACKAGE.label, extras: PACKAGE.extras, name: PACKAGE.name }, { ...PACKAGE, hashes: [PACKAGE.hashes[1], PACKAGE.hashes[0]] });
  });

  test('pylock.toml: what it cannot hold is an error naming the entry', () => {
    const errors = (item: LockedPackage) => {
      const written = writePylock({ packages: [item], indexUrls: [], notes: [] });
      return written.ok ? [] : written.errors;
    };
    assert.deepEqual(errors({ ...PACKAGE, hashes: [...PACKAGE.hashes, { algorithm: 'sha256', digest: 'd'.repeat(64) }] }), [`django==4.2.17 (test): its hash sha256:${'d'.repeat(64)} names no file of it`]);
    assert.deepEqual(errors({ ...PACKAGE, files: [...PACKAGE.files, { ...PACKAGE.files[0], filename: 'django-4.2.17.zip' }] }), ['django==4.2.17 (test): it has 2 sdists (django-4.2.17.tar.gz, django-4.2.17.zip); a pylock holds one']);
    assert.deepEqual(errors({ ...PACKAGE, files: [] }), ['django==4.2.17 (test): the index has none of its files (a pylock names each file)']);
    assert.deepEqual(errors({ ...PACKAGE, name: 'bad\uD800' }), ['django==4.2.17 (test): it has text that is not valid Unicode']);
  });

  test('tomlString escapes what TOML basic strings forbid', () => {
    assert.equal(tomlString('a"b\\c\nd\u007f\te'), '"a\\"b\\\\c\\u000ad\\u007f\te"');
  });
});
