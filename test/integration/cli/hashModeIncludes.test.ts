// Hash mode reaches down into included files, through the bundled command: `check` reports on the
// -r line and in the included files themselves (text, JSON, SARIF; exit codes), and `fix` pins and
// hashes the included files too, each in place, so that the real pips (23.2.1 and 26.2.1) install
// what they refused before (the regression of the issue's example: "No problems found" and exit 0
// while pip refused).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckRecord } from '../../../server/src/cli/checkOutput';
import { PIP, PIP26, skipWithout } from '../../support/optionalProgram';
import { pipPythonVersion, runPip, type PipVersion } from '../../support/pip';
import { startTestIndex, type TestIndex } from '../../support/testIndex';
import { run, workspace } from './runCli';

let index: TestIndex;
before(async () => {
  index = await startTestIndex({
    projects: {
      six: { versions: { '1.16.0': {} } },
      itsdangerous: { versions: { '2.2.0': {} } },
      tzdata: { versions: { '2024.1': {}, '2024.2': {} } },
    },
  });
});
after(() => index.close());

/** The `--hash` continuation lines pip-compile writes for a release's wheel and sdist (sorted by digest). */
function hashes(eol: string, project: string, version: string): string {
  const digests = [`${project}-${version}-py3-none-any.whl`, `${project}-${version}.tar.gz`].map((name) => index.file(name)!.sha256);
  return digests.sort().map((digest) => ` \\${eol}    --hash=sha256:${digest}`).join('');
}

/** The issue's example, one level deeper: a hashed requirements.txt includes base.txt (CRLF, comments), which includes sub/deeper.txt. */
function issueExample(): Record<string, string> {
  return {
    'requirements.txt': `# deploy: pip install -r requirements.txt\n-r base.txt\nsix==1.16.0${hashes('\n', 'six', '1.16.0')}\n`,
    'base.txt': '# shared\r\nitsdangerous==2.2.0  # signing\r\n-r sub/deeper.txt\r\n',
    'sub/deeper.txt': 'tzdata<2024.2\n',
  };
}

const read = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');
const offline = ['check', '--no-index-checks'];

test('check: the -r line and the included files say what pip refuses in hash mode, under their own paths; exit 1', async () => {
  const dir = workspace(issueExample());
  const text = await run([...offline, 'requirements.txt'], dir);
  assert.equal(text.status, 1, text.stderr);
  assert.equal(
    text.stdout,
    [
      "requirements.txt:2:4: error [hash-mode-include] 'base.txt' and the files it includes hold 2 entries pip 26.2 refuses in hash-checking mode: itsdangerous==2.2.0 has no --hash (line 2), tzdata<2024.2 is not pinned with == (sub/deeper.txt, line 1). Hash mode covers every file pip reads: pin and hash them there (reqguard fix does it for included files too). (for pip 26.2: the latest rules reqguard knows)",
      "base.txt:2:1: error [unhashed] pip 26.2 refuses 'itsdangerous==2.2.0' in hash-checking mode: it has no --hash. Add a --hash=sha256:… for each file of this release. (requirements.txt includes this file, and its --hash on line 4 turns on hash-checking mode for everything it installs) (for pip 26.2: the latest rules reqguard knows)",
      "sub/deeper.txt:1:1: error [unpinned] pip 26.2 refuses 'tzdata' in hash-checking mode: it allows more than one version (<2024.2); every requirement must be pinned with ==. Pin it to one version and hash it. (../requirements.txt includes this file (through 'base.txt'), and its --hash on line 4 turns on hash-checking mode for everything it installs) (for pip 26.2: the latest rules reqguard knows)",
      '',
      '3 errors',
      '',
    ].join('\n'),
  );

  // From another folder, paths are relative to it; JSON and SARIF carry the same records.
  const parent = join(dir, '..');
  const folder = dir.slice(parent.length + 1);
  const json = await run([...offline, '--format', 'json', join(folder, 'requirements.txt')], parent);
  assert.equal(json.status, 1);
  const records = JSON.parse(json.stdout) as CheckRecord[];
  assert.deepEqual(
    records.map((r) => `${r.file}:${r.line}:${r.column}-${r.endLine}:${r.endColumn} ${r.code} ${r.severity}`),
    [`${folder}/requirements.txt:2:4-2:12 hash-mode-include error`, `${folder}/base.txt:2:1-2:20 unhashed error`, `${folder}/sub/deeper.txt:1:1-1:14 unpinned error`],
  );
  const sarif = await run([...offline, '--format', 'sarif', 'requirements.txt'], dir);
  assert.equal(sarif.status, 1);
  const results = JSON.parse(sarif.stdout).runs[0].results as { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number } } }[] }[];
  assert.deepEqual(
    results.map((r) => `${r.locations[0].physicalLocation.artifactLocation.uriBaseId} ${r.locations[0].physicalLocation.artifactLocation.uri}:${r.locations[0].physicalLocation.region.startLine} ${r.ruleId} ${r.level}`),
    ['%SRCROOT% requirements.txt:2 hash-mode-include error', '%SRCROOT% base.txt:2 unhashed error', '%SRCROOT% sub/deeper.txt:1 unpinned error'],
  );
});

test('check: an included file named too is reported once, with the error its includer makes of its own warning', async () => {
  const dir = workspace(issueExample());
  const both = await run([...offline, '--format', 'json', 'requirements.txt', 'base.txt'], dir);
  const records = JSON.parse(both.stdout) as CheckRecord[];
  // On its own base.txt is not in hash mode (a warning); installed through requirements.txt pip refuses it.
  assert.deepEqual(
    records.map((r) => `${r.file}:${r.line} ${r.code} ${r.severity}`),
    ['requirements.txt:2 hash-mode-include error', 'sub/deeper.txt:1 unpinned error', 'base.txt:2 unhashed error'],
  );
  assert.match(records[2].message, /requirements\.txt includes this file/);
  assert.equal(both.status, 1);
});

test('check --installer: what the -r line and the included file say follows the pip chosen (pip 26.1+ takes the constraint\'s hash); a bad value is a usage error', async () => {
  const dir = workspace({
    'requirements.txt': `-r base.txt\n-c constraints.txt\nsix==1.16.0${hashes('\n', 'six', '1.16.0')}\n`,
    'base.txt': 'itsdangerous\n',
    'constraints.txt': `itsdangerous==2.2.0${hashes('\n', 'itsdangerous', '2.2.0')}\n`,
  });
  const older = await run([...offline, '--installer', 'pip@26.0', 'requirements.txt'], dir);
  assert.equal(older.status, 1, older.stdout);
  assert.match(older.stdout, /^requirements\.txt:1:4: error \[hash-mode-include\] 'base\.txt' holds 1 entry pip 26\.0 refuses in hash-checking mode: itsdangerous is not pinned with == \(line 1\)\. .* \(for pip 26\.0: --installer\)$/m);
  assert.match(older.stdout, /^base\.txt:1:1: error \[unpinned\] pip 26\.0 refuses 'itsdangerous' in hash-checking mode/m);
  const latest = await run([...offline, '--installer', 'pip@26.1', 'requirements.txt'], dir);
  assert.equal(latest.status, 0, latest.stdout);
  assert.doesNotMatch(latest.stdout, /refuses/);
  const bad = await run([...offline, '--installer', 'pip 26', 'requirements.txt'], dir);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--installer: "pip 26" is not an installer: write "pip", "pip@26\.1" \(a pip version\), "uv" or "uv@0\.12"/);
});

/** `pip install --dry-run --ignore-installed --require-hashes -r requirements.txt` from the test index. */
function pipInstall(which: PipVersion, dir: string) {
  return runPip(which, ['install', '--dry-run', '--ignore-installed', '--require-hashes', '-r', join(dir, 'requirements.txt'), '--index-url', index.simpleUrl]);
}

test("fix reaches the included files: pip 23.2.1 and 26.2.1 refuse the issue's example before, install it after", { timeout: 180_000, skip: skipWithout(PIP, PIP26) }, async () => {
  const dir = workspace(issueExample());
  for (const which of ['system', 'pip26'] as const) {
    const before = await pipInstall(which, dir);
    assert.notEqual(before.status, 0, `${which} installed the unfixed files`);
    assert.match(before.stderr, /Hashes are required in --require-hashes mode|must have their versions pinned with ==/);
  }

  const onIndex = ['--isolated', '--no-cache', '--index-url', index.simpleUrl, '--python-version', await pipPythonVersion()];
  const dry = await run(['fix', '--dry-run', ...onIndex, 'requirements.txt'], dir);
  assert.equal(dry.status, 0, dry.stderr);
  assert.deepEqual(dry.stdout.match(/^--- .*$/gm), ['--- a/base.txt', '--- a/sub/deeper.txt']);
  assert.deepEqual(issueExample(), Object.fromEntries(Object.keys(issueExample()).map((name) => [name, read(dir, name)])), 'a dry run writes nothing');

  const fixed = await run(['fix', ...onIndex, 'requirements.txt'], dir);
  assert.equal(fixed.status, 0, fixed.stderr);
  assert.equal(fixed.stderr, '');
  assert.equal(fixed.stdout, 'requirements.txt: nothing to change\nbase.txt: rewrote 1 entry\nsub/deeper.txt: rewrote 1 entry\n');
  // Each file edited in place: only the entries change; CRLF, comments and the -r line stay.
  assert.equal(read(dir, 'requirements.txt'), issueExample()['requirements.txt']);
  assert.equal(read(dir, 'base.txt'), `# shared\r\nitsdangerous==2.2.0${hashes('\r\n', 'itsdangerous', '2.2.0')}  # signing\r\n-r sub/deeper.txt\r\n`);
  assert.equal(read(dir, 'sub/deeper.txt'), `tzdata==2024.1${hashes('\n', 'tzdata', '2024.1')}\n`);

  const check = await run(['check', ...onIndex, 'requirements.txt'], dir);
  assert.equal(check.status, 0, check.stdout + check.stderr);
  assert.match(check.stdout, /^Target: CPython 3\.\d+ [^\n]*, --python-version\nNo problems found\.\n$/);
  for (const which of ['system', 'pip26'] as const) {
    const after = await pipInstall(which, dir);
    assert.equal(after.status, 0, `${which}: ${after.stderr}`);
    assert.match(after.stdout, /Would install itsdangerous-2\.2\.0 six-1\.16\.0 tzdata-2024\.1/);
  }

  const again = await run(['fix', ...onIndex, 'requirements.txt', 'base.txt'], dir);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(again.stdout, 'requirements.txt: nothing to change\n', 'an included file with nothing to change is not listed, nor fixed twice when named too');
});

test('fix: an included file that cannot be fixed is said with its path and line; the others are still written', async () => {
  const dir = workspace({
    'requirements.txt': `-r base.txt\nsix==1.16.0${hashes('\n', 'six', '1.16.0')}\n`,
    'base.txt': 'no-such-project==1.0\ntzdata==2024.1\n',
  });
  const result = await run(['fix', '--isolated', '--no-cache', '--index-url', index.simpleUrl, '--python-version', '3.11', 'requirements.txt'], dir);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /^base\.txt:1: not fixed: 'no-such-project' is not on the index/m);
  assert.equal(result.stdout, 'requirements.txt: nothing to change\nbase.txt: rewrote 1 entry\n');
  assert.equal(read(dir, 'base.txt'), `no-such-project==1.0\ntzdata==2024.1${hashes('\n', 'tzdata', '2024.1')}\n`);
});
