// `reqguard freeze` on a real virtual environment, with pip as the judge: the environment gets
// Django from a loopback index (pip install), an editable install (an in-tree PEP 660 backend), a
// wheel installed from the index's URL with its #sha256, a wheel installed from a local file (pip
// records its sha256 too), a git checkout (when git is here), and a distribution whose version the
// index lacks. The freeze must list exactly what `pip freeze` lists (pip 23.2.1, and pip 26's `--python` when present), pin and hash what the
// index has, say what it left out, and install again with --require-hashes in a fresh venv.
import { execFileSync } from 'node:child_process';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DJANGO_FIXTURE } from '../../support/dependencyGraphs';
import { useFixtureIndex, type FixtureIndex } from '../../support/fixtureIndex';
import { GIT, PIP, PIP26, requireProgram, skipWithout } from '../../support/optionalProgram';
import { python } from '../../support/pip';
import { buildFixtureFiles, type IndexFixture } from '../../support/testIndex';
import { tempDir } from '../../helpers/tempDirs';
import { run } from './runCli';

const FIXTURE: IndexFixture = {
  projects: {
    ...DJANGO_FIXTURE.projects,
    urlpkg: { versions: { '1.0': { files: ['wheel'] } } },
    // On the index, but only as 2.0: the 1.0 installed below is not.
    oldpkg: { versions: { '2.0': { files: ['wheel'] } } },
  },
};
/** Built here, never on the index. */
const LOCAL_ONLY: IndexFixture = { projects: { localonly: { versions: { '1.0': { files: ['wheel'] } } }, oldpkg: { versions: { '1.0': { files: ['wheel'] } } } } };

/** An in-tree PEP 517/660 backend (no build requirements, so pip needs no index to build it). */
const BACKEND = `import base64, hashlib, os, zipfile
NAME, VERSION = "editme", "0.1"
DIST = NAME + "-" + VERSION + ".dist-info"
def _wheel(directory, files):
    filename = NAME + "-" + VERSION + "-py3-none-any.whl"
    files = dict(files)
    files[DIST + "/METADATA"] = "Metadata-Version: 2.1\\nName: " + NAME + "\\nVersion: " + VERSION + "\\n"
    files[DIST + "/WHEEL"] = "Wheel-Version: 1.0\\nGenerator: reqguard-test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"
    records = []
    with zipfile.ZipFile(os.path.join(directory, filename), "w") as archive:
        for name, text in files.items():
            data = text.encode()
            archive.writestr(name, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            records.append(name + ",sha256=" + digest + "," + str(len(data)))
        records.append(DIST + "/RECORD,,")
        archive.writestr(DIST + "/RECORD", "\\n".join(records) + "\\n")
    return filename
def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _wheel(wheel_directory, {"editme/__init__.py": "x = 1\\n"})
def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    return _wheel(wheel_directory, {"editme.pth": os.path.dirname(os.path.abspath(__file__)) + "\\n"})
`;

let running: FixtureIndex;
useFixtureIndex(FIXTURE, (started) => (running = started));

let dir: string;
let venvPython: string;

/** pip (this machine's) in the venv at `home`, without this machine's pip configuration. */
async function venvPip(home: string, ...args: string[]): Promise<string> {
  const result = await python(['-m', 'pip', '--isolated', '--no-cache-dir', '--disable-pip-version-check', ...args], join(home, 'bin/python'));
  assert.equal(result.status, 0, `pip ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

async function newVenv(home: string): Promise<void> {
  const made = await python(['-m', 'venv', home]);
  assert.equal(made.status, 0, made.stderr);
}

/** `name==version`-like lines pip freeze printed (comments dropped), sorted. */
const freezeLines = (text: string) => text.split('\n').filter((line) => line && !line.startsWith('#')).sort();
/** A frozen line's canonical project name (an editable's: its folder's, named after it here). */
const nameOf = (line: string) => (line.startsWith('-e ') ? basename(line) : /^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(line)![0]).toLowerCase().replace(/[-_.]+/g, '-');

before(async () => {
  if (skipWithout(PIP)) return;
  dir = tempDir('freeze');
  const home = join(dir, '.venv');
  await newVenv(home);
  venvPython = join(home, 'bin/python');
  const url = running.index.simpleUrl;
  await venvPip(home, 'install', '--index-url', url, 'Django==5.2.17');
  const urlWheel = buildFixtureFiles(FIXTURE).find((file) => file.project === 'urlpkg')!;
  await venvPip(home, 'install', '--index-url', url, `urlpkg @ ${new URL(`files/urlpkg/${urlWheel.filename}`, running.index.url).href}#sha256=${urlWheel.sha256}`);
  for (const file of buildFixtureFiles(LOCAL_ONLY)) {
    writeFileSync(join(dir, file.filename), file.body);
    await venvPip(home, 'install', '--no-index', '--no-deps', join(dir, file.filename));
  }
  // oldpkg 1.0 as if installed by name from an index that has since dropped it: no direct_url.json.
  rmSync(join(home, 'lib', readdirName(join(home, 'lib')), 'site-packages', 'oldpkg-1.0.dist-info', 'direct_url.json'));
  await venvPip(home, 'install', '--no-index', '-e', localProject('editme'));
  if (!skipWithout(GIT)) {
    // A VCS install: pip records the commit in direct_url.json's vcs_info.
    const folder = localProject('gitpkg');
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=test@example.invalid', '-c', 'user.name=test', ...args], { cwd: folder, stdio: 'pipe' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'gitpkg');
    // pip 23.2.1 refuses `gitpkg @ git+file:///…` (the form its own freeze writes), so the URL alone.
    await venvPip(home, 'install', '--no-index', `git+${pathToFileURL(folder).href}`);
  }
});

/** A project folder `name` built by BACKEND; its path. */
function localProject(name: string): string {
  const folder = join(dir, name);
  mkdirSync(join(folder, name), { recursive: true });
  writeFileSync(join(folder, 'pyproject.toml'), '[build-system]\nrequires = []\nbuild-backend = "_backend"\nbackend-path = ["."]\n');
  writeFileSync(join(folder, '_backend.py'), BACKEND.replaceAll('editme', name));
  writeFileSync(join(folder, name, '__init__.py'), 'x = 1\n');
  return folder;
}

/** The one pythonX.Y folder under a venv's lib. */
const readdirName = (lib: string) => readdirSync(lib).find((name) => name.startsWith('python'))!;

test('freeze lists what pip freeze lists, hashed, says what it left out, and pip installs it with --require-hashes', { skip: skipWithout(PIP) }, async () => {
  const result = await run(['freeze', '--isolated', '--no-cache', '--index-url', running.index.simpleUrl, '--python', venvPython, '-o', 'requirements.txt'], dir);
  assert.equal(result.status, 1, result.stderr);
  const text = readFileSync(join(dir, 'requirements.txt'), 'utf8');

  // The same set as pip freeze (23.2.1 in the venv; pip 26 asked about the same venv).
  const pipLines = freezeLines(await venvPip(join(dir, '.venv'), 'freeze'));
  const pipNames = pipLines.map(nameOf).sort();
  const written = [...text.matchAll(/^([a-z0-9][a-z0-9._-]*)(?:==| @ )/gm)].map((match) => match[1]);
  const commented = [...text.matchAll(/^# (?:-e |[a-z]\S*(?:==| @ ))\S* {2}\(/gim)].map((match) => match[0]);
  const withGit = !skipWithout(GIT);
  assert.deepEqual(pipNames, ['asgiref', 'django', 'editme', ...(withGit ? ['gitpkg'] : []), 'localonly', 'oldpkg', 'sqlparse', 'urlpkg']);
  assert.deepEqual(written.sort(), ['asgiref', 'django', 'localonly', 'sqlparse', 'urlpkg']);
  assert.equal(commented.length, withGit ? 3 : 2, text);
  if (!skipWithout(PIP26)) {
    const modern = await python(['-m', 'pip', '--isolated', '--disable-pip-version-check', '--python', venvPython, 'freeze'], requireProgram(PIP26));
    assert.equal(modern.status, 0, modern.stderr);
    assert.deepEqual(freezeLines(modern.stdout).map(nameOf).sort(), pipNames);
  }

  // Pinned to the installed versions, every file of the release hashed; the archives installed
  // from a URL and from a file (pip 23.2.1 records the sha256 of both) as pip freeze writes them.
  assert.match(text, /^django==5\.2\.17 \\\n {4}--hash=sha256:[0-9a-f]{64} \\\n {4}--hash=sha256:[0-9a-f]{64}$/m);
  for (const name of ['urlpkg', 'localonly']) {
    const urlLine = pipLines.find((line) => line.startsWith(`${name} @ `) && line.includes('#sha256='))!;
    assert.ok(urlLine && text.includes(`\n${urlLine}\n`), `${urlLine} in\n${text}`);
  }
  // Left out, with what pip freeze writes and why; on stderr too.
  assert.match(text, /^# -e file:\/\/\S+\/editme {2}\(an editable install of a local folder, which has no hash\)$/m);
  assert.match(text, /^# oldpkg==1\.0 {2}\(version 1\.0 is not on the index\)$/m);
  assert.match(result.stderr, /left out oldpkg==1\.0/);
  if (withGit) {
    // pip freeze's own line for the checkout, as a comment: hash-checking mode refuses VCS requirements.
    const vcsLine = pipLines.find((line) => line.startsWith('gitpkg @ git+file:'))!;
    assert.match(vcsLine, /@[0-9a-f]{40}$/);
    assert.ok(text.includes(`\n# ${vcsLine}  (a git checkout: pip's hash-checking mode refuses VCS requirements)\n`), text);
  }
  assert.match(text, /^# {4}reqguard freeze --python \S+ -o requirements\.txt$/m);
  assert.match(text, /RECORD\) are not compared/);

  // A fresh venv installs it in hash-checking mode, and ends with the same versions.
  const fresh = join(dir, 'fresh');
  await newVenv(fresh);
  await venvPip(fresh, 'install', '--require-hashes', '--index-url', running.index.simpleUrl, '-r', join(dir, 'requirements.txt'));
  const again = freezeLines(await venvPip(fresh, 'freeze'));
  assert.deepEqual(again, pipLines.filter((line) => ['asgiref', 'django', 'localonly', 'sqlparse', 'urlpkg'].includes(nameOf(line))));
  if (!skipWithout(PIP26)) {
    const modern = await python(['-m', 'pip', '--isolated', '--no-cache-dir', 'install', '--dry-run', '--ignore-installed', '--require-hashes', '--index-url', running.index.simpleUrl, '-r', join(dir, 'requirements.txt')], requireProgram(PIP26));
    assert.equal(modern.status, 0, modern.stderr);
  }
});

test('freeze --all adds pip (and setuptools before Python 3.12), and stdout without -o', { skip: skipWithout(PIP) }, async () => {
  const plain = await run(['freeze', '--isolated', '--no-cache', '--index-url', running.index.simpleUrl, '--python', venvPython], dir);
  assert.equal(plain.status, 1, plain.stderr);
  assert.doesNotMatch(plain.stdout, /^# pip==/m);
  const all = await run(['freeze', '--all', '--isolated', '--no-cache', '--index-url', running.index.simpleUrl, '--python', venvPython], dir);
  // pip is not on this index: it is named among what was left out.
  assert.match(all.stdout, /^# pip==\S+ {2}\(the project is not on the index\)$/m);
  const pipAll = freezeLines(await venvPip(join(dir, '.venv'), 'freeze', '--all')).map(nameOf);
  for (const name of pipAll) assert.match(all.stdout, new RegExp(`^(# (-e \\S+/)?)?${name}\\b`, 'm'), name);
});

test('freeze: a bad interpreter and an index that fails write nothing (exit 2)', { skip: skipWithout(PIP) }, async () => {
  const missing = await run(['freeze', '--python', join(dir, 'no-such-python'), '-o', 'out.txt'], dir);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no environment to freeze: .*no such file/);
  const failing = await run(['freeze', '--isolated', '--no-cache', '--timeout', '1', '--index-url', 'http://127.0.0.1:9/simple/', '--python', venvPython, '-o', 'out.txt'], dir);
  assert.equal(failing.status, 2, failing.stderr);
  assert.match(failing.stderr, /nothing written: The index could not be read/);
  assert.throws(() => readFileSync(join(dir, 'out.txt')));
});
