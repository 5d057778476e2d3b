// `reqguard check` asks each file's own index, as the language server does: index findings merged
// with the offline ones in document order, index failures said on stderr with exit status 2, and
// OSV only when asked. Against real loopback indexes started here.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startTestIndex, type IndexFixture, type TestIndex } from '../../support/testIndex';
import { ageCachedAnswers, run, workspace } from './runCli';

const FIXTURE: IndexFixture = {
  projects: {
    requests: { versions: { '2.31.0': {} } },
    vulnpkg: {
      versions: {
        '1.0': { vulnerabilities: [{ id: 'PYSEC-2024-1', aliases: ['CVE-2024-0001'], fixedIn: ['1.1'] }] },
        '1.1': {},
      },
    },
    yankpkg: { versions: { '1.0': {}, '1.5': { yanked: 'broken build' } } },
    newpy: { versions: { '1.0': {}, '2.0': { requiresPython: '>=3.13' } } },
  },
};

let index: TestIndex;
let osv: Server;
let osvUrl: string;
/** Bodies OSV was sent. */
const osvQueries: unknown[] = [];

before(async () => {
  index = await startTestIndex(FIXTURE);
  osv = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const body = JSON.parse(raw) as { queries: { package: { name: string }; version: string }[] };
      osvQueries.push(body);
      const results = body.queries.map((query) => (query.package.name === 'requests' ? { vulns: [{ id: 'GHSA-osv-only' }] } : {}));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ results }));
    });
  });
  await new Promise<void>((resolve) => osv.listen(0, '127.0.0.1', resolve));
  osvUrl = `http://127.0.0.1:${(osv.address() as AddressInfo).port}/v1/querybatch`;
});
after(() => Promise.all([index.close(), new Promise<void>((resolve) => osv.close(() => resolve()))]));

/** Index options every run gets: this index, nothing from the machine, nothing kept between runs. */
const onIndex = () => ['--isolated', '--no-cache', '--index-url', index.simpleUrl];

const sha = (filename: string) => index.file(filename)!.sha256;

/** Hash mode (a --hash) with one finding of each index kind, and offline findings among them. */
function problemFile(): string {
  return [
    `vulnpkg==1.0 --hash=sha256:${sha('vulnpkg-1.1-py3-none-any.whl')}`,
    'reqeusts==2.31.0',
    'yankpkg==1.5',
    'newpy==2.0',
    'requests==9.9',
    '',
  ].join('\n');
}

type Row = [line: number, column: number, code: string, severity: string];

function rows(stdout: string): Row[] {
  return (JSON.parse(stdout) as { line: number; column: number; code: string; severity: string }[]).map((r) => [r.line, r.column, r.code, r.severity]);
}

test('check asks the index: unknown project and version, hash mismatch, yanked, vulnerable, requires-python, merged in document order; exit 1', async () => {
  const dir = workspace({ 'requirements.txt': problemFile() });
  const result = await run(['check', '--format', 'json', '--python-version', '3.11', '--platform', 'manylinux_2_17_x86_64', ...onIndex(), 'requirements.txt'], dir);
  assert.equal(result.status, 1, result.stderr);
  assert.equal(result.stderr, '');
  assert.deepEqual(rows(result.stdout), [
    [1, 10, 'vulnerable', 'warning'],
    [1, 28, 'hash-mismatch', 'error'],
    [2, 1, 'unhashed', 'error'],
    [2, 1, 'unknown-project', 'error'],
    [3, 1, 'unhashed', 'error'],
    [3, 10, 'yanked', 'warning'],
    [4, 1, 'unhashed', 'error'],
    [4, 8, 'requires-python', 'warning'],
    [5, 1, 'unhashed', 'error'],
    [5, 11, 'unknown-version', 'error'],
  ]);
  const messages = (JSON.parse(result.stdout) as { code: string; message: string }[]).map((r) => `${r.code}: ${r.message}`).join('\n');
  assert.match(messages, /^hash-mismatch: .*It is the hash of vulnpkg-1\.1-py3-none-any\.whl \(version 1\.1\)/m);
  assert.match(messages, /^vulnerable: vulnpkg 1\.0 has a known vulnerability: PYSEC-2024-1 \(CVE-2024-0001\)\. Nearest fixed version: 1\.1\./m);
  assert.match(messages, /^unknown-project: 'reqeusts' is not on the index: did you mean requests\?/m);
  assert.match(messages, /^yanked: yankpkg 1\.5 was yanked from the index \(reason: broken build\)/m);
  assert.match(messages, /^requires-python: newpy 2\.0 requires Python >=3\.13, not CPython 3\.11 on Linux x86_64: pip will not install it there\. The newest release for CPython 3\.11 on Linux x86_64 is 1\.0\.$/m);
  assert.match(messages, /^unknown-version: requests has no version 9\.9 on the index/m);

  // A target that admits newpy 2.0; the text format names it first and carries the same findings.
  const text = await run(['check', '--python-version', '3.13', '--platform', 'manylinux_2_17_x86_64', ...onIndex(), 'requirements.txt'], dir);
  assert.equal(text.status, 1);
  assert.match(text.stdout, /^Target: CPython 3\.13 on Linux x86_64 \(manylinux_2_17_x86_64\), --platform\nrequirements\.txt:1:10: /);
  assert.doesNotMatch(text.stdout, /requires-python/);
  assert.match(text.stdout, /^requirements\.txt:2:1: error \[unknown-project\] 'reqeusts' is not on the index/m);
  assert.match(text.stdout, /^7 errors, 2 warnings$/m);
});

test('--no-index-checks: the offline findings only, and no request at all', async () => {
  const dir = workspace({ 'requirements.txt': problemFile() });
  const seen = index.requests.length;
  const result = await run(['check', '--format', 'json', '--no-index-checks', ...onIndex(), 'requirements.txt'], dir);
  assert.equal(result.status, 1);
  assert.deepEqual(rows(result.stdout).map(([line, , code]) => `${line} ${code}`), ['2 unhashed', '3 unhashed', '4 unhashed', '5 unhashed']);
  assert.equal(index.requests.length, seen);
});

test('a file\'s own --index-url (here through an include) wins over --index-url, as in pip', async () => {
  const dir = workspace({ 'requirements.txt': '-r base.txt\nreqeusts==2.31.0\n', 'base.txt': `--index-url ${index.simpleUrl}\n` });
  // Nothing answers on the flag's index: had it been asked, the run would report a failure.
  const result = await run(['check', '--format', 'json', '--isolated', '--no-cache', '--index-url', 'http://127.0.0.1:9/simple/', 'requirements.txt'], dir);
  assert.equal(result.status, 1, result.stderr);
  assert.equal(result.stderr, '');
  assert.deepEqual(rows(result.stdout), [
    [2, 1, 'unhashed', 'warning'],
    [2, 1, 'unknown-project', 'error'],
  ]);
});

test('--offline with nothing cached: the offline findings, a clear note on stderr, exit 2, no request; a warm cache answers offline', async () => {
  const dir = workspace({ 'requirements.txt': problemFile() });
  // A target that admits every release: the findings do not depend on this machine's Python.
  const cached = ['--isolated', '--cache-dir', 'cache', '--index-url', index.simpleUrl, '--python-version', '3.13'];
  const seen = index.requests.length;
  const cold = await run(['check', '--format', 'json', '--offline', ...cached, 'requirements.txt'], dir);
  assert.equal(cold.status, 2);
  assert.equal(index.requests.length, seen);
  assert.deepEqual(rows(cold.stdout).map(([line, , code]) => `${line} ${code}`), ['2 unhashed', '3 unhashed', '4 unhashed', '5 unhashed']);
  assert.match(cold.stderr, /^reqguard: requirements\.txt: index checks incomplete: offline, and .* is not in the cache \(and \d+ more failed lookups\)$/m);
  assert.doesNotMatch(cold.stderr, /at .*\.js:\d+/);

  assert.equal((await run(['check', ...cached, 'requirements.txt'], dir)).status, 1);
  const warmFrom = index.requests.length;
  const warm = await run(['check', '--format', 'json', '--offline', ...cached, 'requirements.txt'], dir);
  assert.equal(index.requests.length, warmFrom);
  // The index's "not found" is kept like its pages: offline, the misspelt project is still reported.
  assert.deepEqual(rows(warm.stdout).map(([line, , code]) => `${line} ${code}`), [
    '1 vulnerable', '1 hash-mismatch', '2 unhashed', '2 unknown-project', '3 unhashed', '3 yanked', '4 unhashed', '5 unhashed', '5 unknown-version',
  ]);
  assert.equal(warm.status, 1);
  assert.equal(warm.stderr, '');
});

test('an index that fails does not crash check: offline findings still printed, the failure on stderr, exit 2', async () => {
  const dir = workspace({ 'requirements.txt': 'requests==2.31.0\nyankpkg\n' });
  index.setFault('simple-project', { kind: 'status', status: 500 });
  try {
    const result = await run(['check', '--format', 'json', ...onIndex(), '--timeout', '2', 'requirements.txt'], dir);
    assert.equal(result.status, 2);
    assert.deepEqual(rows(result.stdout).map(([line, , code]) => `${line} ${code}`), ['1 unhashed', '2 unpinned']);
    assert.match(result.stderr, /^reqguard: requirements\.txt: index checks incomplete: .*500.*\(and 1 more failed lookup\)$/m);
  } finally {
    index.setFault('simple-project', undefined);
  }
});

test('an index failing after the cache expired: checked against the cached answers, said on stderr, exit status from the findings', async () => {
  const dir = workspace({ 'requirements.txt': 'yankpkg==1.5\n' });
  const cached = ['check', '--format', 'json', '--isolated', '--cache-dir', 'cache', '--index-url', index.simpleUrl, 'requirements.txt'];
  assert.equal((await run(cached, dir)).status, 0);
  const dayAgo = ageCachedAnswers(join(dir, 'cache'));
  index.setFault('simple-project', { kind: 'status', status: 503 });
  try {
    const stale = await run([...cached.slice(0, -1), '--timeout', '2', 'requirements.txt'], dir);
    assert.equal(stale.status, 0, stale.stderr);
    assert.deepEqual(rows(stale.stdout).map(([line, , code]) => `${line} ${code}`), ['1 unhashed', '1 yanked']);
    assert.equal(stale.stderr, `reqguard: requirements.txt: an index is failing; checked against its cached answers from ${new Date(dayAgo).toISOString()}\n`);
  } finally {
    index.setFault('simple-project', undefined);
  }
});

test('OSV is asked only with --osv/--osv-url, never offline', async () => {
  const dir = workspace({ 'requirements.txt': 'requests==2.31.0\n' });
  osvQueries.length = 0;
  const plain = await run(['check', '--format', 'json', ...onIndex(), 'requirements.txt'], dir);
  assert.equal(plain.status, 0, plain.stderr);
  assert.deepEqual(rows(plain.stdout).map(([, , code]) => code), ['unhashed']);
  assert.equal(osvQueries.length, 0, 'off by default');

  const withOsv = await run(['check', '--format', 'json', '--osv-url', osvUrl, ...onIndex(), 'requirements.txt'], dir);
  assert.equal(withOsv.status, 0, withOsv.stderr);
  assert.deepEqual(osvQueries, [{ queries: [{ package: { name: 'requests', ecosystem: 'PyPI' }, version: '2.31.0' }] }]);
  const vulnerable = (JSON.parse(withOsv.stdout) as { code: string; message: string }[]).find((r) => r.code === 'vulnerable');
  assert.match(vulnerable?.message ?? '', /GHSA-osv-only/);

  osvQueries.length = 0;
  await run(['check', '--osv', '--osv-url', osvUrl, '--offline', '--isolated', '--cache-dir', 'cache', '--index-url', index.simpleUrl, 'requirements.txt'], dir);
  assert.equal(osvQueries.length, 0, '--offline touches no network, OSV included');
});

test('check: --python-version and --osv-url are validated; bad values are usage errors', async () => {
  const dir = workspace({ 'requirements.txt': 'requests==2.31.0\n' });
  for (const options of [['--python-version', 'three'], ['--python-version', '3.11-dev'], ['--python-version='], ['--osv-url', 'ftp://osv.example/v1/querybatch'], ['--osv-url', 'not a url'], ['--osv=yes']]) {
    const result = await run(['check', ...options, ...onIndex(), 'requirements.txt'], dir);
    assert.equal(result.status, 2, options.join(' '));
    assert.match(result.stderr, /Usage:/);
  }
  assert.match((await run(['check', '--python-version', 'three', 'requirements.txt'], dir)).stderr, /--python-version must be a Python version such as 3\.11, not 'three'/);
  assert.equal((await run(['check', '--python-version', '3.12', ...onIndex(), 'requirements.txt'], dir)).status, 0);
});
