// Index-backed diagnostics against a real test index on 127.0.0.1 (and a find-links folder, and a
// local OSV server): every code with its severity and exact range (⟦marks⟧, as in
// diagnostics.test.ts), the wording that matters (did you mean, yank reasons, fixed versions),
// outages that must stay silent, and OSV that must stay silent unless the user opts in.
import { after, before, describe as suite, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { analyzeDocument } from '../../server/src/engine/documents';
import { severityOf } from '../../server/src/features/diagnostics';
import { INDEX_DIAGNOSTIC_CODES, indexDiagnostics } from '../../server/src/features/indexDiagnostics';
import { MAX_PROJECT_LOOKUPS } from '../../server/src/features/indexDiagnostics/shared';
import { closestName } from '../../server/src/features/indexDiagnostics/suggestions';
import { queryOsv, type OsvPost } from '../../server/src/index/osv';
import { openIndex, type PackageIndex } from '../../server/src/index/packageIndex';
import { DEFAULT_SETTINGS, normalizeSettings, type ReqguardSettings } from '../../server/src/settings';
import { actualLines, expectedLines, messageText, type Expected } from '../helpers/diagnose';
import { marked } from '../helpers/marked';
import { REPO_ROOT } from '../helpers/corpus';
import { selection, testClient, type TestClient } from '../support/indexClient';
import { writeFindLinksDir } from '../support/staticMirror';
import type { IndexFixture, TestIndex } from '../support/testIndex';
import { useFixtureIndex } from '../support/fixtureIndex';
import { resolutionTarget } from '../../server/src/engine/targets';
import { pythonTarget } from '../support/targets';
import type { TargetEnvironment } from '../../server/src/pip/environment';
import { tempDir } from '../helpers/tempDirs';

const FIXTURE: IndexFixture = {
  projects: {
    requests: {
      versions: {
        '2.19.0': {
          vulnerabilities: [
            { id: 'PYSEC-2018-28', aliases: ['CVE-2018-18074', 'GHSA-x84v-xcm2-53pg'], fixedIn: ['2.20.0'] },
            { id: 'PYSEC-2023-74', aliases: ['CVE-2023-32681'], fixedIn: ['1.0', '2.31.0'] },
            { id: 'PYSEC-WITHDRAWN', fixedIn: ['2.99'], withdrawn: '2024-01-01T00:00:00Z' },
          ],
        },
        '2.20.0': { vulnerabilities: [{ id: 'PYSEC-NOFIX' }] },
        '2.31.0': { requiresPython: '>=3.7' },
        '2.32.0rc1': {},
      },
    },
    Demo_Pkg: {
      versions: {
        '1.0': {},
        '1.5': { yanked: 'broken build: missing __init__' },
        '1.6': { yanked: true },
        '2.0': { requiresPython: '>=3.12' },
      },
    },
    'sdist-only': { versions: { '0.1': { files: ['sdist'] } } },
    // Dependencies: web-app needs demo-pkg, strict-app excludes demo-pkg 1.0, built-app's sdist needs a build to say.
    'web-app': { versions: { '1.0': { requiresDist: ['demo-pkg>=1', 'requests>=2.20; extra == "http"'], providesExtra: ['http'] } } },
    'strict-app': { versions: { '1.0': { requiresDist: ['demo-pkg<1'] } } },
    'built-app': { versions: { '1.0': { files: ['sdist'], requiresDist: ['requests'], metadataVersion: '2.2', dynamic: ['Requires-Dist'] } } },
    // The newest release has wheels for Windows only; the older one for every platform.
    winwheel: {
      versions: {
        '1.0': { files: ['wheel'] },
        '2.0': { files: [{ kind: 'wheel', pythonTag: 'cp311', abiTag: 'cp311', platformTag: 'win_amd64' }, { kind: 'wheel', pythonTag: 'cp312', abiTag: 'cp312', platformTag: 'win_amd64' }] },
      },
    },
  },
};


const seenCodes = new Set<string>();

let index: TestIndex;
let client: TestClient;
useFixtureIndex(FIXTURE, (running) => ({ index, client } = running));

interface Run {
  readonly text: string;
  readonly diagnostics: Diagnostic[];
}

/** Runs indexDiagnostics on `source` (with ⟦marks⟧) as `name`. */
async function run(name: string, source: string, options: { settings?: ReqguardSettings; targets?: readonly TargetEnvironment[]; index?: PackageIndex; osv?: { post: OsvPost }; signal?: AbortSignal; dependencies?: boolean } = {}) {
  const mark = marked(source);
  const document = TextDocument.create(`file:///work/project/${name}`, name.endsWith('.py') ? 'python' : 'pip-requirements', 1, mark.text);
  const diagnostics = await indexDiagnostics(analyzeDocument(document, `/work/project/${name}`), {
    index: options.index ?? openIndex(client.client, selection([index.simpleUrl])),
    settings: options.settings ?? DEFAULT_SETTINGS,
    targets: options.targets,
    osv: options.osv,
    signal: options.signal,
    ...(options.dependencies ? { dependencies: { path: `/work/project/${name}`, target: resolutionTarget([], { pythonVersion: '3.11' }) } } : {}),
  });
  for (const diagnostic of diagnostics) {
    seenCodes.add(String(diagnostic.code));
    assert.equal(diagnostic.source, 'reqguard');
  }
  return { mark, diagnostics };
}

/** Runs and asserts the diagnostics are exactly `expected` (code, severity, marked range). */
async function check(name: string, source: string, expected: readonly Expected[], options: Parameters<typeof run>[2] = {}): Promise<Run> {
  const { mark, diagnostics } = await run(name, source, options);
  assert.deepEqual(actualLines(diagnostics), expectedLines(mark, expected), `diagnostics of ${JSON.stringify(mark.text)}`);
  return { text: mark.text, diagnostics };
}

function messageOf(result: Run, code: string): string {
  const found = result.diagnostics.filter((d) => d.code === code);
  assert.equal(found.length, 1, `one ${code} expected, got ${found.length}`);
  return messageText(found[0]);
}

/** `index`, logging which of its optional, costly calls are made. */
function spied(real: PackageIndex, calls: string[]): PackageIndex {
  return {
    ...real,
    details: (...args) => (calls.push('details'), real.details(...args)),
    fileSha256: (...args) => (calls.push('fileSha256'), real.fileSha256(...args)),
    projectNames: (...args) => (calls.push('projectNames'), real.projectNames(...args)),
  };
}

const sha = (filename: string) => {
  const file = index.file(filename);
  assert.ok(file, filename);
  return file.sha256;
};

suite('projects and versions', () => {
  test('unknown-project: an error on the name, with "did you mean" from the project list', async () => {
    const result = await check('requirements.txt', `⟦reqeusts⟧==2.20.0\n⟦zzz-nothing-like-it⟧\n⟦demo.pkgg⟧>=1\n`, [
      ['unknown-project', 'error', 0],
      ['unknown-project', 'error', 1],
      ['unknown-project', 'error', 2],
    ]);
    const [typo, nothing, normalized] = result.diagnostics.map(messageText);
    assert.match(typo, /^'reqeusts' is not on the index: did you mean requests\?/);
    assert.doesNotMatch(nothing, /did you mean/);
    assert.match(normalized, /did you mean Demo_Pkg\?/, 'names are compared normalized and shown as the index lists them');
  });

  test('closestName: normalized Damerau distance, bounded by the name\'s length', () => {
    const names = ['requests', 'Demo_Pkg', 'six', 'django'];
    assert.equal(closestName('reqeusts', names), 'requests');
    assert.equal(closestName('requets', names), 'requests');
    assert.equal(closestName('DEMO-PKG-X', names), 'Demo_Pkg');
    assert.equal(closestName('sax', names), 'six');
    assert.equal(closestName('sxy', names), undefined, 'short names allow one edit');
    assert.equal(closestName('flask', names), undefined);
    assert.equal(closestName('requests', names), undefined, 'the name itself is no suggestion');
  });

  test('unknown-version: an error on the version, naming the newest available', async () => {
    const result = await check('requirements.txt', `requests==⟦9.9⟧\nDemo-Pkg===⟦3.0⟧\nrequests==⟦2.20⟧\n`, [
      ['unknown-version', 'error', 0],
      ['unknown-version', 'error', 1],
      ['outdated', 'hint', 2],
      ['vulnerable', 'warning', 2],
    ], { settings: normalizeSettings({ severity: { outdated: 'hint' } }) });
    const [first, second] = result.diagnostics.filter((d) => d.code === 'unknown-version').map(messageText);
    assert.match(first, /requests has no version 9\.9 on the index: the newest are 2\.32\.0rc1, 2\.31\.0, 2\.20\.0\./);
    assert.match(second, /the newest are 2\.0, 1\.0\./, 'yanked releases are not offered');
  });

  test('no-matching-version: no release satisfies the range (yanked ones only when pinned)', async () => {
    const result = await check('requirements.txt', `requests⟦>=3⟧\nDemo-Pkg⟦>1.0,<2⟧\nrequests>=2.20,<3\nsdist-only\nrequests⟦==1.*⟧\n`, [
      ['no-matching-version', 'error', 0],
      ['no-matching-version', 'error', 1],
      ['no-matching-version', 'error', 2],
    ]);
    const [none, yanked] = result.diagnostics.map(messageText);
    assert.match(none, /^No release of requests satisfies 'requests>=3': the newest are/);
    assert.match(yanked, /only yanked releases \(such as 1\.6\) satisfy it/);
  });

  test('yanked: a warning on the pinned version with the index\'s reason', async () => {
    const result = await check('requirements.txt', `Demo-Pkg==⟦1.5⟧\ndemo_pkg==⟦1.6⟧\n`, [
      ['yanked', 'warning', 0],
      ['yanked', 'warning', 1],
    ]);
    const [withReason, without] = result.diagnostics.map(messageText);
    assert.match(withReason, /^Demo-Pkg 1\.5 was yanked from the index \(reason: broken build: missing __init__\)/);
    assert.match(without, /\(no reason given\)/);
  });

  test('requires-python: only with a target, for pins and for ranges', async () => {
    const source = `Demo-Pkg==⟦2.0⟧\nDemo-Pkg⟦>=2⟧\nrequests==2.31.0\n`;
    await check('requirements.txt', source, []);
    const result = await check('requirements.txt', source, [
      ['requires-python', 'warning', 0],
      ['requires-python', 'warning', 1],
    ], { targets: [pythonTarget('3.11')] });
    const [pin, range] = result.diagnostics.map(messageText);
    assert.equal(pin, 'Demo-Pkg 2.0 requires Python >=3.12, not CPython 3.11: pip will not install it there. The newest release for CPython 3.11 is 1.0.');
    assert.equal(range, "No release satisfying 'Demo-Pkg>=2' can be installed on CPython 3.11: 2.0 requires Python >=3.12.");
    await check('requirements.txt', source, [], { targets: [pythonTarget('3.12')] });
    // Two targets: each must install the pin.
    const both = await check('requirements.txt', 'Demo-Pkg==⟦2.0⟧\n', [['requires-python', 'warning', 0]], { targets: [pythonTarget('3.12'), pythonTarget('3.11')] });
    assert.match(messageText(both.diagnostics[0]), /^Demo-Pkg 2\.0 requires Python >=3\.12, not CPython 3\.11: .* The newest release for CPython 3\.12 and CPython 3\.11 is 1\.0\.$/);
    // The marker already says which Pythons the line is for.
    await check('requirements.txt', 'Demo-Pkg==2.0 ; python_version >= "3.12"\n', [], { targets: [pythonTarget('3.11')] });
  });

  test('no-compatible-file: a pin or range whose releases have no file a target can install (its wheels are for another platform)', async () => {
    const source = `winwheel==⟦2.0⟧\nwinwheel⟦>=2⟧\nwinwheel\n`;
    const linux = pythonTarget('3.11', 'manylinux_2_28_x86_64');
    await check('requirements.txt', source, [], { targets: [pythonTarget('3.11', 'win_amd64')] });
    // Tags unknown (no platform): every wheel counts.
    await check('requirements.txt', source, [], { targets: [pythonTarget('3.11')] });
    const result = await check('requirements.txt', source, [
      ['no-compatible-file', 'warning', 0],
      ['no-compatible-file', 'warning', 1],
    ], { targets: [linux] });
    const [pin, range] = result.diagnostics.map(messageText);
    assert.equal(pin, 'winwheel 2.0 has no file CPython 3.11 on Linux x86_64 can install (wheels for win_amd64 only): pip will not install it there. The newest release for CPython 3.11 on Linux x86_64 is 1.0.');
    assert.equal(range, "No release satisfying 'winwheel>=2' can be installed on CPython 3.11 on Linux x86_64: 2.0 has no file it can install (wheels for win_amd64 only).");
    // Windows with Python 3.13: no cp313 wheel, and no sdist to build.
    const py313 = await check('requirements.txt', 'winwheel==⟦2.0⟧\n', [['no-compatible-file', 'warning', 0]], { targets: [pythonTarget('3.13', 'win_amd64')] });
    assert.match(messageText(py313.diagnostics[0]), /^winwheel 2\.0 has no file CPython 3\.13 on Windows AMD64 can install/);
  });

  test('outdated: off by default; a hint once enabled, naming the newest final release', async () => {
    const source = `requests==⟦2.20.0⟧\nrequests==2.31.0\nrequests==2.32.0rc1\nDemo-Pkg==⟦1.0⟧\n`;
    await check('requirements.txt', source, [['vulnerable', 'warning', 0]]);
    const result = await check('requirements.txt', source, [
      ['outdated', 'hint', 0],
      ['vulnerable', 'warning', 0],
      ['outdated', 'hint', 1],
    ], { settings: normalizeSettings({ severity: { outdated: 'hint' } }) });
    const [first] = result.diagnostics.filter((d) => d.code === 'outdated').map(messageText);
    assert.equal(first, 'requests 2.20.0 is not the newest release: 2.31.0 is available.', 'final releases only: 2.32.0rc1 is not offered');
    const forPython = await check('requirements.txt', `Demo-Pkg==⟦1.0⟧\n`, [], { settings: normalizeSettings({ severity: { outdated: 'hint' } }), targets: [pythonTarget('3.8')] });
    assert.equal(forPython.diagnostics.length, 0, 'the newer 2.0 needs Python 3.12: not an upgrade for 3.8');
  });

  test('codes turned off are dropped, and so is their work (no hashing, no JSON API, no project list)', async () => {
    const calls: string[] = [];
    const spy = spied(openIndex(client.client, selection([index.simpleUrl])), calls);
    const source = `requests==2.19.0 --hash=sha256:${'e'.repeat(64)}\nreqeusts\n`;
    await check('requirements.txt', source, [], {
      index: spy,
      settings: normalizeSettings({ severity: { vulnerable: 'off', 'hash-mismatch': 'off', 'unknown-project': 'off' } }),
    });
    assert.deepEqual(calls, []);
    await check('requirements.txt', source.replace('2.19.0', '⟦2.19.0⟧').replace(/e{64}/, '⟦$&⟧').replace('reqeusts', '⟦reqeusts⟧'), [
      ['vulnerable', 'warning', 0],
      ['hash-mismatch', 'error', 1],
      ['unknown-project', 'error', 2],
    ], { index: spy });
    assert.deepEqual(calls.sort(), ['details', 'projectNames'], 'the index gives every file\'s hash: nothing is downloaded');
  });
});

suite('hashes', () => {
  test('a wheel\'s and an sdist\'s hash match; an altered one is an error on its digest', async () => {
    const wheel = sha('demo_pkg-1.0-py3-none-any.whl');
    const sdist = sha('demo_pkg-1.0.tar.gz');
    const altered = (wheel[0] === '0' ? '1' : '0') + wheel.slice(1);
    const result = await check('requirements.txt', `Demo-Pkg==1.0 \\
    --hash=sha256:${wheel} \\
    --hash=sha256:${sdist} \\
    --hash=sha256:⟦${altered}⟧
`, [['hash-mismatch', 'error', 0]]);
    const message = messageOf(result, 'hash-mismatch');
    assert.match(message, /matches no file of Demo-Pkg 1\.0 on the index: a tampered file or the hash of another version\./);
    assert.doesNotMatch(message, /refuse/, 'the other hashes still match, so pip installs');
  });

  test('the hash of another version is named; with no matching hash at all pip refuses', async () => {
    const other = sha('demo_pkg-2.0-py3-none-any.whl');
    const result = await check('requirements.txt', `Demo-Pkg==1.0 --hash=sha256:⟦${other}⟧\n`, [['hash-mismatch', 'error', 0]]);
    assert.match(messageOf(result, 'hash-mismatch'), /It is the hash of demo_pkg-2\.0-py3-none-any\.whl \(version 2\.0\)\. pip will refuse to install it\./);
  });

  test('malformed digests are weak-hash\'s; sha512 without index digests is not judged', async () => {
    await check('requirements.txt', `Demo-Pkg==1.0 --hash=sha256:abc --hash=sha512:${'f'.repeat(128)} --hash=sha256:${sha('demo_pkg-1.0.tar.gz')}\n`, []);
  });

  test('files without an index hash (a find-links folder) are hashed to check', async () => {
    const dir = tempDir('wheelhouse');
    writeFindLinksDir(FIXTURE, dir);
    const calls: string[] = [];
    const local = spied(openIndex(client.client, selection([], { findLinks: [dir], noIndex: true })), calls);
    const data = await local.project('demo-pkg');
    assert.ok(data.ok && data.value.files.every((file) => !file.hashes.sha256), 'the folder gives no hashes');
    const sdist = sha('demo_pkg-1.0.tar.gz');
    await check('requirements.txt', `Demo-Pkg==1.0 --hash=sha256:${sdist}\n`, [], { index: local });
    assert.deepEqual(calls.filter((call) => call === 'fileSha256').length, 2, 'both files of the release are hashed');
    await check('requirements.txt', `Demo-Pkg==1.0 --hash=sha256:⟦${'0'.repeat(64)}⟧\n`, [['hash-mismatch', 'error', 0]], { index: local });
    calls.length = 0;
    await check('requirements.txt', `Demo-Pkg==1.0 --hash=sha256:${'0'.repeat(64)}\n`, [], { index: local, settings: normalizeSettings({ severity: { 'hash-mismatch': 'off' } }) });
    assert.ok(!calls.includes('fileSha256'), 'nothing is hashed for a code that is off');
  });
});

suite('vulnerabilities', () => {
  test('vulnerable: ids, CVE aliases and the nearest fixed version; withdrawn advisories ignored', async () => {
    const result = await check('requirements.txt', `requests==⟦2.19.0⟧\nrequests==⟦2.20.0⟧\nrequests==2.31.0\n`, [
      ['vulnerable', 'warning', 0],
      ['vulnerable', 'warning', 1],
    ]);
    const [both, unfixed] = result.diagnostics.map(messageText);
    assert.equal(both, 'requests 2.19.0 has 2 known vulnerabilities: PYSEC-2018-28 (CVE-2018-18074), PYSEC-2023-74 (CVE-2023-32681). Nearest fixed version: 2.31.0.');
    assert.doesNotMatch(both, /WITHDRAWN/);
    assert.equal(unfixed, 'requests 2.20.0 has a known vulnerability: PYSEC-NOFIX. No fixed version is known for PYSEC-NOFIX.');
  });
});

suite('OSV (opt-in)', () => {
  let osv: Server;
  let osvUrl: string;
  const bodies: unknown[] = [];
  before(async () => {
    osv = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk) => (raw += chunk));
      req.on('end', () => {
        const body = JSON.parse(raw) as { queries: { package: { name: string; ecosystem: string }; version: string; page_token?: string }[] };
        bodies.push(body);
        if (req.method !== 'POST' || req.url !== '/v1/querybatch') return void res.writeHead(404).end();
        const results = body.queries.map((query) => {
          if (query.package.name !== 'requests') return {};
          if (query.version === '2.19.0') return { vulns: [{ id: 'GHSA-x84v-xcm2-53pg', modified: '2024-01-01T00:00:00Z' }] };
          if (query.version === '2.31.0' && !query.page_token) return { vulns: [{ id: 'GHSA-osv-one' }], next_page_token: 'more' };
          if (query.version === '2.31.0') return { vulns: [{ id: 'GHSA-osv-two' }] };
          return {};
        });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ results }));
      });
    });
    await new Promise<void>((resolve) => osv.listen(0, '127.0.0.1', resolve));
    osvUrl = `http://127.0.0.1:${(osv.address() as AddressInfo).port}/v1/querybatch`;
  });
  after(() => new Promise<void>((resolve) => osv.close(() => resolve())));

  const post: OsvPost = async (url, body, signal) => {
    const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' }, signal });
    return { status: response.status, body: await response.text() };
  };
  const source = `requests==⟦2.19.0⟧\nrequests==⟦2.31.0⟧\nDemo-Pkg==1.0\n`;

  test('off by default: nothing is sent, even with a way to send it', async () => {
    bodies.length = 0;
    await check('requirements.txt', source, [['vulnerable', 'warning', 0]], { osv: { post }, settings: normalizeSettings({ vulnerabilities: { osvUrl } }) });
    assert.equal(bodies.length, 0);
  });

  test('enabled: one batch of PyPI queries; ids merged with the JSON API\'s by alias; pages followed', async () => {
    bodies.length = 0;
    const result = await check('requirements.txt', source, [
      ['vulnerable', 'warning', 0],
      ['vulnerable', 'warning', 1],
    ], { osv: { post }, settings: normalizeSettings({ vulnerabilities: { osv: true, osvUrl } }) });
    assert.deepEqual(bodies[0], {
      queries: [
        { package: { name: 'requests', ecosystem: 'PyPI' }, version: '2.19.0' },
        { package: { name: 'requests', ecosystem: 'PyPI' }, version: '2.31.0' },
        { package: { name: 'demo-pkg', ecosystem: 'PyPI' }, version: '1.0' },
      ],
    });
    assert.deepEqual(bodies[1], { queries: [{ package: { name: 'requests', ecosystem: 'PyPI' }, version: '2.31.0', page_token: 'more' }] });
    const [known, fromOsv] = result.diagnostics.map(messageText);
    assert.doesNotMatch(known, /GHSA-x84v/, 'an alias of an advisory the index reported is not repeated');
    assert.equal(fromOsv, 'requests 2.31.0 has 2 known vulnerabilities: GHSA-osv-one, GHSA-osv-two. Details of GHSA-osv-one, GHSA-osv-two are on https://osv.dev.');
  });

  test('queryOsv: a failing or odd answer is no answer', async () => {
    const queries = [{ name: 'requests', version: '2.19.0' }];
    assert.equal(await queryOsv(async () => ({ status: 500, body: '' }), osvUrl, queries), undefined);
    assert.equal(await queryOsv(async () => ({ status: 200, body: '{"results": []}' }), osvUrl, queries), undefined);
    assert.equal(await queryOsv(async () => ({ status: 200, body: 'garbage' }), osvUrl, queries), undefined);
    assert.equal(await queryOsv(async () => { throw new Error('down'); }, osvUrl, queries), undefined);
    assert.deepEqual(await queryOsv(post, osvUrl, queries), [['GHSA-x84v-xcm2-53pg']]);
  });

  test('an OSV outage leaves the index\'s own findings', async () => {
    await check('requirements.txt', source, [['vulnerable', 'warning', 0]], {
      osv: { post: async () => ({ status: 503, body: '' }) },
      settings: normalizeSettings({ vulnerabilities: { osv: true } }),
    });
  });
});

suite('outages, setup.py, ranges and order', () => {
  test('an index that is down gives no diagnostics at all (the outage is said elsewhere)', async () => {
    const down = testClient({ http: { retries: 0 } });
    try {
      const source = 'reqeusts==1.0\nrequests==9.9\nDemo-Pkg==1.5\n';
      // 401 is an answer, not an outage, but it says nothing about the project either.
      for (const fault of [{ kind: 'status', status: 500 }, { kind: 'status', status: 401 }, { kind: 'reset' }] as const) {
        index.setFault('simple-project', fault);
        await check('requirements.txt', source, [], { index: openIndex(down.client, selection([index.simpleUrl])) });
        down.client.clearMemory();
      }
    } finally {
      index.setFault('simple-project', undefined);
      await down.close();
    }
  });

  test('stale data: what it shows is reported, absence is not claimed', async () => {
    const stale = testClient({ http: { retries: 0 } });
    try {
      const open = () => openIndex(stale.client, selection([index.simpleUrl]));
      const source = `requests==9.9\nDemo-Pkg==⟦1.5⟧\n`;
      await check('requirements.txt', source.replace('9.9', '⟦9.9⟧'), [['unknown-version', 'error', 0], ['yanked', 'warning', 1]], { index: open() });
      stale.advance(60 * 60 * 1000);
      stale.client.clearMemory();
      index.setFault('simple-project', { kind: 'status', status: 503 });
      await check('requirements.txt', source, [['yanked', 'warning', 0]], { index: open() });
    } finally {
      index.setFault('simple-project', undefined);
      await stale.close();
    }
  });

  test('--no-index without --find-links: nowhere to look, nothing said', async () => {
    await check('requirements.txt', 'reqeusts==1.0\n', [], { index: openIndex(client.client, selection([], { noIndex: true })) });
  });

  test('a cancelled run gives nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    await check('requirements.txt', 'reqeusts==1.0\nrequests==9.9\n', [], { signal: controller.signal });
  });

  test('manifests: unknown projects and ranges no release satisfies; pins are not judged (a library states ranges)', async () => {
    const result = await check('setup.py', `from setuptools import setup
setup(
    install_requires=["⟦reqeusts⟧>=2", "requests⟦==9.9⟧", "Demo-Pkg==1.5", "Demo-Pkg⟦>=3⟧", "requests<3"],
    extras_require={"x": ["⟦nope-nope-nope⟧"]},
)
`, [
      ['unknown-project', 'error', 0],
      ['no-matching-version', 'error', 1],
      ['no-matching-version', 'error', 2],
      ['unknown-project', 'error', 3],
    ], { settings: normalizeSettings({ severity: { outdated: 'hint' } }), targets: [pythonTarget('3.8')] });
    assert.match(messageText(result.diagnostics[0]), /did you mean requests\?/);
    assert.match(messageText(result.diagnostics[2]), /^No release of Demo-Pkg satisfies 'Demo-Pkg>=3'/);
    // pyproject.toml and setup.cfg alike, with exact ranges (through an escape) and requires-python for the target Python.
    await check('pyproject.toml', `[project]
dependencies = ["⟦reqeusts⟧", "Demo-Pkg⟦\\u003e=2⟧"]
[dependency-groups]
dev = ["Demo-Pkg⟦>=3⟧"]
`, [
      ['unknown-project', 'error', 0],
      ['requires-python', 'warning', 1],
      ['no-matching-version', 'error', 2],
    ], { targets: [pythonTarget('3.8')] });
    await check('setup.cfg', `[options]
install_requires =
    ⟦reqeusts⟧
    Demo-Pkg⟦>=3⟧  # too new
`, [
      ['unknown-project', 'error', 0],
      ['no-matching-version', 'error', 1],
    ]);
  });

  test('CRLF and continuation lines: ranges are exact', async () => {
    const altered = '0'.repeat(64);
    await check('requirements.txt', `Demo-Pkg==⟦1.5⟧ \\\r\n    --hash=sha256:⟦${altered}⟧\r\n⟦reqeusts⟧==2.20.0\r\nrequests==⟦9.9⟧\r\n`, [
      ['yanked', 'warning', 0],
      ['hash-mismatch', 'error', 1],
      ['unknown-project', 'error', 2],
      ['unknown-version', 'error', 3],
    ]);
  });

  test('diagnostics come in document order, the same on every run', async () => {
    const source = 'requests==9.9\nreqeusts\nDemo-Pkg==1.5 --hash=sha256:' + '0'.repeat(64) + '\nrequests==2.19.0\nrequests>=3\n';
    const settings = normalizeSettings({ severity: { outdated: 'hint' } });
    const first = await run('requirements.txt', source, { settings });
    // Slow down one project so answers arrive in another order.
    index.setFault('/simple/requests/', { kind: 'latency', ms: 50 });
    client.client.clearMemory();
    const second = await run('requirements.txt', source, { settings });
    index.setFault('/simple/requests/', undefined);
    assert.deepEqual(second.diagnostics, first.diagnostics);
    const order = first.diagnostics.map((d) => `${d.range.start.line}:${d.code}`);
    assert.deepEqual(order, ['0:unknown-version', '1:unknown-project', '2:yanked', '2:outdated', '2:hash-mismatch', '3:vulnerable', '3:outdated', '4:no-matching-version']);
  });
});

test(`index-checks-limited: past ${MAX_PROJECT_LOOKUPS} projects nothing more is asked of the index, and that is said once`, async () => {
  const before = index.requests.length;
  const names = Array.from({ length: MAX_PROJECT_LOOKUPS + 1 }, (_, i) => `no-such-${i}==1.0`);
  const { diagnostics } = await run('huge.txt', `${names.join('\n')}\nrequests==2.31.0\n`);
  const asked = index.requests.slice(before).filter((request) => request.route === 'simple-project');
  assert.equal(asked.length, MAX_PROJECT_LOOKUPS);
  assert.match(messageOf({ text: '', diagnostics }, 'index-checks-limited'), /^Index checks stop after 5,000 projects: this one and 1 more projects after it are not looked up/);
});

test('a code whose default is off is hidden until the user gives it a severity', () => {
  const finding = { code: 'outdated', message: 'm', span: { start: 0, end: 1 } } as const;
  assert.equal(severityOf(finding, DEFAULT_SETTINGS), undefined);
  assert.equal(severityOf(finding, normalizeSettings({ severity: { outdated: 'default' } })), undefined);
  assert.equal(severityOf(finding, normalizeSettings({ severity: { outdated: 'information' } })), 'information');
});

test("pins' dependencies: missing (extras add theirs), a conflict naming both sides, an sdist that needs a build (a note, never 'missing')", async () => {
  const missing = await check('requirements.txt', '⟦web-app[http]==1.0⟧\n', [['missing-dependency', 'warning', 0]], { dependencies: true });
  assert.equal(messageOf(missing, 'missing-dependency'), 'web-app==1.0 requires demo-pkg>=1 and requests>=2.20, which this file does not pin: they float to whatever the index offers when pip installs.');
  // Present anywhere in the file, in any form: nothing to say.
  await check('requirements.txt', 'web-app[http]==1.0\nDemo_Pkg\nrequests\n', [], { dependencies: true });
  const conflict = await run('requirements.txt', 'strict-app==1.0\ndemo-pkg==1.0\n', { dependencies: true });
  assert.match(messageOf({ text: '', diagnostics: conflict.diagnostics }, 'dependency-conflict'), /^demo-pkg==1\.0 does not satisfy demo-pkg<1 \(required by strict-app 1\.0\): pip fails with ResolutionImpossible\./);
  const unknown = await run('requirements.txt', 'built-app==1.0\n', { dependencies: true });
  assert.deepEqual(unknown.diagnostics.map((d) => `${d.code} ${d.severity}`), ['dependencies-unknown 3']);
  assert.match(messageText(unknown.diagnostics[0]), /only known after building it/);
});

/** Codes whose tests need an index of their own (project statuses, two indexes, upload times relative to now), and the file that checks each. */
const EXERCISED_ELSEWHERE: Readonly<Record<string, string>> = {
  quarantined: 'projectStatus.test.ts',
  'project-status': 'projectStatus.test.ts',
  'dependency-confusion': 'dependencyConfusion.test.ts',
  'too-new': 'cooldown.test.ts',
};

test('every index diagnostic code is exercised above, or expected with its severity in its own test file', () => {
  assert.deepEqual(INDEX_DIAGNOSTIC_CODES.filter((code) => !seenCodes.has(code) && !(code in EXERCISED_ELSEWHERE)), []);
  for (const [code, file] of Object.entries(EXERCISED_ELSEWHERE)) {
    assert.match(readFileSync(join(REPO_ROOT, 'test', 'integration', file), 'utf8'), new RegExp(`\\['${code}', '(error|warning)', \\d+\\]`), `${file} expects ${code}`);
  }
  assert.deepEqual([...seenCodes].filter((code) => !(INDEX_DIAGNOSTIC_CODES as readonly string[]).includes(code)), []);
});
