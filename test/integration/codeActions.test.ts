// Index-backed edits against a real loopback index with real wheels and sdists: planFixes and the
// quick fixes, applied to the text and compared byte for byte; then pip itself downloads the fixed
// file in hash-checking mode (and refuses it when one hash is altered).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import { analyzeDocument, type AnalyzedDocument } from '../../server/src/engine/documents';
import { codeActions, FIX_ALL_KIND, type CodeActionDeps, type VulnerableData } from '../../server/src/features/codeActions';
import { applyReplacements } from '../../server/src/pip/entryEdit';
import { planFixes, type FixOptions, type FixPlan, type FixTargets } from '../../server/src/pip/fixPlan';
import { indexDiagnostics } from '../../server/src/features/indexDiagnostics';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { openIndex, type PackageIndex } from '../../server/src/index/packageIndex';
import type { Span } from '../../server/src/parser/types';
import { selection, testClient, type TestClient } from '../support/indexClient';
import { startNginx } from '../support/nginx';
import { pipDownload, pipInstallDryRun, pipPythonVersion } from '../support/pip';
import { writeFindLinksDir, writeStaticMirror } from '../support/staticMirror';
import { VULNERABLE_VERSIONS, type IndexFixture, type TestIndex } from '../support/testIndex';
import { useFixtureIndex, withPartialAnswer } from '../support/fixtureIndex';
import { NGINX, PIP, skipWithout } from '../support/optionalProgram';
import { pythonTarget } from '../support/targets';
import { tempDir } from '../helpers/tempDirs';

const wheel = (pythonTag: string, abiTag: string, platformTag: string) => ({ kind: 'wheel' as const, pythonTag, abiTag, platformTag });

const FIXTURE: IndexFixture = {
  projects: {
    // 4.0 needs tzdata: the messy file is complete only with it, which pip install checks.
    webfw: { versions: { '3.2': {}, '4.0': { requiresDist: ['tzdata>=2024'] }, '4.1': { yanked: 'broken release' }, '4.2rc1': {} } },
    netlib: { versions: { '2.0': {}, '2.5': { requiresPython: '>=3.12' }, '3.0': {} } },
    tzdata: { versions: { '2024.1': {}, '2024.2': {} } },
    six: { versions: { '1.16.0': {} } },
    'Demo-Pkg': { versions: { '0.9': {}, '1.0': { files: ['wheel'] } } },
    platpkg: {
      versions: {
        '1.0': {
          files: [
            wheel('cp311', 'cp311', 'manylinux_2_17_x86_64'),
            wheel('cp311', 'cp311', 'win_amd64'),
            wheel('cp312', 'cp312', 'manylinux_2_17_x86_64'),
            wheel('cp38', 'abi3', 'macosx_11_0_arm64'),
            'sdist',
          ],
        },
      },
    },
    newpy: { versions: { '1.0': { requiresPython: '>=3.13' } } },
    flaky: { versions: { '1.0': {} } },
    vulnpkg: { versions: { ...VULNERABLE_VERSIONS } },
  },
};

let index: TestIndex;
let client: TestClient;
let view: PackageIndex;
useFixtureIndex(FIXTURE, (running) => ({ index, client, view } = running));

function analyze(text: string, name = 'requirements.txt'): AnalyzedDocument {
  const path = `/work/project/${name}`;
  return analyzeDocument(TextDocument.create(`file://${path}`, 'pip-requirements', 1, text), path);
}

/** The sha256 of the named fixture files, as `--hash` lines in pip-compile's layout (sorted). */
function hashLines(eol: string, ...filenames: string[]): string {
  const digests = filenames.map((name) => {
    const file = index.file(name);
    assert.ok(file, `fixture file ${name}`);
    return file.sha256;
  });
  return digests.sort().map((digest) => ` \\${eol}    --hash=sha256:${digest}`).join('');
}

async function fixed(text: string, options: Partial<FixOptions> = {}, deps: { pythonVersion?: string; index?: PackageIndex } = {}): Promise<{ text: string; plan: FixPlan }> {
  const targets = deps.pythonVersion ? [pythonTarget(deps.pythonVersion)] : [];
  const plan = await planFixes(analyze(text), { index: deps.index ?? view, targets }, { pin: true, hash: true, ...options });
  return { text: applyReplacements(text, plan.replacements), plan };
}

const SIX = `six==1.16.0 \\\r\n    --hash=sha256:${'0'.repeat(64)}\r\n`;

/** The messy file: CRLF, comments, blank lines, ranges, extras, markers, `# via` blocks, a hashed entry. */
function messyFile(): string {
  const sixHashes = ['six-1.16.0.tar.gz', 'six-1.16.0-py3-none-any.whl'].map((name) => `    --hash=sha256:${index.file(name)!.sha256}`);
  return [
    '# Production dependencies',
    '',
    'webfw >=3          # the framework',
    'netlib[socks] >=2,<3 ;python_version>="3.8"',
    '    # via',
    '    #   webfw',
    '',
    '  tzdata==2024.1',
    // Hashes already complete (in no particular order): left exactly as written.
    `six==1.16.0 \\\r\n${sixHashes.reverse().join(' \\\r\n')}`,
    'Demo_Pkg',
    '',
    '# end',
    '',
  ].join('\r\n');
}

function messyExpected(): string {
  const h = (...names: string[]) => hashLines('\r\n', ...names);
  return [
    '# Production dependencies',
    '',
    `webfw==4.0${h('webfw-4.0-py3-none-any.whl', 'webfw-4.0.tar.gz')}          # the framework`,
    `netlib[socks]==2.0 ; python_version>="3.8"${h('netlib-2.0-py3-none-any.whl', 'netlib-2.0.tar.gz')}`,
    '    # via',
    '    #   webfw',
    '',
    `  tzdata==2024.1${h('tzdata-2024.1-py3-none-any.whl', 'tzdata-2024.1.tar.gz')}`,
    messyFile().split('\r\n').slice(8, 11).join('\r\n'),
    `Demo_Pkg==1.0${h('demo_pkg-1.0-py3-none-any.whl')}`,
    '',
    '# end',
    '',
  ].join('\r\n');
}

describe('planFixes', () => {
  test('a messy CRLF file: every entry pinned and hashed in place, nothing else touched', async () => {
    const progress: [number, number][] = [];
    const text = messyFile();
    const plan = await planFixes(analyze(text), { index: view, targets: [pythonTarget('3.11')], onProgress: (done, total) => progress.push([done, total]) }, { pin: true, hash: true });
    assert.deepEqual(plan.skipped, []);
    assert.equal(plan.cancelled, false);
    assert.equal(plan.replacements.length, 4, 'six is complete already: no replacement for it');
    assert.equal(applyReplacements(text, plan.replacements), messyExpected());
    assert.deepEqual(progress[0], [0, 5]);
    assert.deepEqual(progress.at(-1), [5, 5]);
  });

  test('idempotent: planning the fixed file again changes nothing', async () => {
    const once = (await fixed(messyFile(), {}, { pythonVersion: '3.11' })).text;
    const again = await fixed(once, {}, { pythonVersion: '3.11' });
    assert.deepEqual(again.plan.replacements, []);
    assert.deepEqual(again.plan.skipped, []);
  });

  test('yanked and pre-release versions are never picked; a yanked pin is still hashed as written', async () => {
    const { text } = await fixed('webfw>=4\nwebfw==4.1\n');
    assert.equal(
      text,
      `webfw==4.0${hashLines('\n', 'webfw-4.0-py3-none-any.whl', 'webfw-4.0.tar.gz')}\nwebfw==4.1${hashLines('\n', 'webfw-4.1-py3-none-any.whl', 'webfw-4.1.tar.gz')}\n`,
    );
    // Named in the specifier, a pre-release is what pip would pick (packaging's rule).
    assert.match((await fixed('webfw>=4.2rc1\n', { hash: false })).text, /^webfw==4\.2rc1\n$/);
    // With --pre (in the file, an include or pip's config: the index view says), so is the newest one.
    const withPre = openIndex(client.client, selection([index.simpleUrl], { prereleases: true }));
    assert.equal((await fixed('webfw>=4\n', { hash: false }, { index: withPre })).text, 'webfw==4.2rc1\n');
  });

  test('requires-python is honoured when the target Python is known', async () => {
    assert.equal((await fixed('netlib<3\n', { hash: false })).text, 'netlib==2.5\n');
    assert.equal((await fixed('netlib<3\n', { hash: false }, { pythonVersion: '3.11' })).text, 'netlib==2.0\n');
  });

  test('pin only keeps an unhashed entry unhashed, but replaces hashes a new pin makes wrong', async () => {
    assert.equal((await fixed('tzdata\n', { hash: false })).text, 'tzdata==2024.2\n');
    const stale = `tzdata>=2024 --hash=sha256:${'0'.repeat(64)}\n`;
    assert.equal((await fixed(stale, { hash: false })).text, `tzdata==2024.2${hashLines('\n', 'tzdata-2024.2-py3-none-any.whl', 'tzdata-2024.2.tar.gz')}\n`);
    // Hash only: a wrong digest among right ones is dropped, so the entry holds exactly the release's files.
    const wrong = `${SIX.replace(/\r\n$/, '')} \\\r\n    --hash=sha256:${index.file('six-1.16.0.tar.gz')!.sha256}\r\n`;
    assert.equal((await fixed(wrong, { pin: false })).text, `six==1.16.0${hashLines('\r\n', 'six-1.16.0-py3-none-any.whl', 'six-1.16.0.tar.gz')}\r\n`);
  });

  test('update: the messy CRLF file gets its pins moved and rehashed, ranges pip\'s pick within the range, nothing else touched; a pinned file updates once', async () => {
    const text = messyFile();
    const { text: updated, plan } = await fixed(text, { update: true }, { pythonVersion: '3.11' });
    assert.deepEqual(plan.skipped, []);
    // Only tzdata differs from "Pin and hash all": 2024.1 is a pin, and 2024.2 is newer. netlib's
    // range `>=2,<3` is no pin: it stays at pip's pick 2.0 although 3.0 exists.
    const h = (...names: string[]) => hashLines('\r\n', ...names);
    const pinned = `  tzdata==2024.1${h('tzdata-2024.1-py3-none-any.whl', 'tzdata-2024.1.tar.gz')}`;
    assert.ok(messyExpected().includes(pinned));
    assert.equal(updated, messyExpected().replace(pinned, `  tzdata==2024.2${h('tzdata-2024.2-py3-none-any.whl', 'tzdata-2024.2.tar.gz')}`));
    // Twice: the pins written are at the newest, so nothing changes, except that netlib's range is
    // gone once pinned: its pin 2.0 now moves on to 3.0 like any other pin (documented).
    const again = await fixed(updated, { update: true }, { pythonVersion: '3.11' });
    assert.deepEqual(again.plan.skipped, []);
    const netlib = `netlib[socks]==2.0 ; python_version>="3.8"${h('netlib-2.0-py3-none-any.whl', 'netlib-2.0.tar.gz')}`;
    assert.ok(updated.includes(netlib));
    assert.equal(applyReplacements(updated, again.plan.replacements), updated.replace(netlib, `netlib[socks]==3.0 ; python_version>="3.8"${h('netlib-3.0-py3-none-any.whl', 'netlib-3.0.tar.gz')}`));
    const thrice = await fixed(applyReplacements(updated, again.plan.replacements), { update: true }, { pythonVersion: '3.11' });
    assert.deepEqual(thrice.plan, { replacements: [], skipped: [], cancelled: false });
  });

  test('update: each pin moves exactly where the quick fix "Update to Y" moves it, rehashed; yanked, pre-release and --pre cases', async () => {
    const webfw40 = hashLines('\n', 'webfw-4.0-py3-none-any.whl', 'webfw-4.0.tar.gz');
    const tzdata2 = hashLines('\n', 'tzdata-2024.2-py3-none-any.whl', 'tzdata-2024.2.tar.gz');
    const cases: [string, string, string?][] = [
      ['webfw==3.2  # old\n', `webfw==4.0${webfw40}  # old\n`, 'Update to 4.0 and add hashes'],
      [`tzdata==2024.1 ; python_version>"3" --hash=sha256:${'0'.repeat(64)}\n`, `tzdata==2024.2 ; python_version>"3"${tzdata2}\n`, 'Update to 2024.2 and rehash'],
      // Not on the index, older than every release: up to the newest.
      ['tzdata==2019.1\n', `tzdata==2024.2${tzdata2}\n`, 'Update to 2024.2 and add hashes'],
      // Yanked and past every usable release: back down to the newest (the quick fix "Pin to 4.0"), hashed.
      ['webfw==4.1\n', `webfw==4.0${webfw40}\n`],
      // A pre-release pin newer than every final release stays (no --pre): only its hashes are added.
      ['webfw==4.2rc1\n', `webfw==4.2rc1${hashLines('\n', 'webfw-4.2rc1-py3-none-any.whl', 'webfw-4.2rc1.tar.gz')}\n`],
      // At the newest already: hashes completed, the pin kept.
      ['six==1.16.0\n', `six==1.16.0${hashLines('\n', 'six-1.16.0-py3-none-any.whl', 'six-1.16.0.tar.gz')}\n`],
    ];
    for (const [text, expected, quickFix] of cases) {
      const { text: updated, plan } = await fixed(text, { update: true });
      assert.deepEqual(plan.skipped, [], text);
      assert.equal(updated, expected, text);
      assert.deepEqual((await fixed(updated, { update: true })).plan.replacements, [], `twice: ${text}`);
      if (quickFix) {
        const { analysis, byTitle } = await actionsOn(text, 0);
        assert.ok(byTitle(quickFix), `${text}: quick fix ${quickFix}`);
        assert.equal(applied(analysis, byTitle(quickFix)), expected, `${text}: the quick fix writes the same`);
      }
    }
    // With --pre the newest pre-release is pip's pick, for the update as for the quick fix.
    const withPre = openIndex(client.client, selection([index.simpleUrl], { prereleases: true }));
    assert.equal((await fixed('webfw==3.2\n', { update: true, hash: false }, { index: withPre })).text, 'webfw==4.2rc1\n');
    // Without hashing, pins still move (and hashes a new pin makes wrong are replaced, as with pin).
    assert.equal((await fixed('tzdata==2024.1\nsix==1.16.0\n', { update: true, hash: false })).text, 'tzdata==2024.2\nsix==1.16.0\n');
    // Update implies pin.
    assert.equal((await fixed('tzdata>=2024\n', { update: true, pin: false, hash: false })).text, 'tzdata==2024.2\n');
  });

  test('target Pythons and platforms keep matching wheels and the sdist (abi3 wheels run on later Pythons)', async () => {
    const cases: [FixTargets, string[]][] = [
      [{ pythonVersions: ['3.11'], platforms: ['manylinux'] }, ['platpkg-1.0-cp311-cp311-manylinux_2_17_x86_64.whl', 'platpkg-1.0.tar.gz']],
      [{ platforms: ['win'] }, ['platpkg-1.0-cp311-cp311-win_amd64.whl', 'platpkg-1.0.tar.gz']],
      [{ pythonVersions: ['3.12'], platforms: ['macosx_11_0_arm64'] }, ['platpkg-1.0-cp38-abi3-macosx_11_0_arm64.whl', 'platpkg-1.0.tar.gz']],
      [{ pythonVersions: ['3.12', '3.11'] }, ['platpkg-1.0-cp311-cp311-manylinux_2_17_x86_64.whl', 'platpkg-1.0-cp311-cp311-win_amd64.whl', 'platpkg-1.0-cp312-cp312-manylinux_2_17_x86_64.whl', 'platpkg-1.0-cp38-abi3-macosx_11_0_arm64.whl', 'platpkg-1.0.tar.gz']],
      [{ pythonVersions: ['3.10'] }, ['platpkg-1.0-cp38-abi3-macosx_11_0_arm64.whl', 'platpkg-1.0.tar.gz']],
      [{ pythonVersions: ['3.7'] }, ['platpkg-1.0.tar.gz']],
    ];
    for (const [hashTargets, files] of cases) {
      assert.equal((await fixed('platpkg==1.0\n', { hashTargets })).text, `platpkg==1.0${hashLines('\n', ...files)}\n`, JSON.stringify(hashTargets));
    }
    assert.equal((await fixed('platpkg==1.0\n', {})).text.match(/--hash/g)?.length, 5, 'no targets: every file, as pip-compile writes');
    // Pure-Python wheels fit every target.
    assert.equal((await fixed('webfw==4.0\n', { hashTargets: { pythonVersions: ['3.9'], platforms: ['win'] } })).text.match(/--hash/g)?.length, 2);
  });

  test('entries that cannot be fixed are skipped with the reason; the others are still fixed', async () => {
    index.setFault('/simple/flaky/', { kind: 'status', status: 500 });
    try {
      const text = [
        'nope',
        '-e ./local',
        'pkg @ https://example.com/pkg-1.0.tar.gz',
        './dist/pkg-1.0.tar.gz',
        'newpy',
        'webfw>=5',
        'tzdata==2019.1',
        'flaky',
        'webfw==4.0',
        '',
      ].join('\n');
      const { plan } = await fixed(text, {}, { pythonVersion: '3.11' });
      const skipped = plan.skipped.map(({ entry, reason }) => [entry.line, reason]);
      assert.equal(skipped.length, 8, JSON.stringify(skipped, null, 1));
      const reason = (line: number) => skipped.find(([l]) => l === line)?.[1] as string;
      assert.match(reason(1), /^'nope' is not on the index \(.*404/);
      assert.match(reason(2), /^an editable requirement has no single file to hash, nor a version to pin$/);
      assert.match(reason(3), /direct reference \(URL or path\)/);
      assert.match(reason(4), /direct reference \(URL or path\)/);
      assert.equal(reason(5), "no release of 'newpy' satisfies 'any version' that CPython 3.11 can install (1.0 requires Python >=3.13, not CPython 3.11) (yanked releases are never picked)");
      assert.equal(reason(6), "no release of 'webfw' satisfies '>=5' (yanked releases are never picked)");
      assert.equal(reason(7), "'tzdata' 2019.1 is not on the index: there are no files to hash");
      assert.match(reason(8), /^the index failed for 'flaky': .*500/);
      assert.equal(plan.replacements.length, 1, 'webfw==4.0 is still hashed');
      // Hashing an unpinned entry without pinning it would hash an arbitrary release.
      const unpinned = await fixed('webfw>=4\n', { pin: false });
      assert.deepEqual(unpinned.plan.skipped.map((s) => s.reason), ["'webfw' is not pinned, and hashes belong to one version: pin it as well"]);
    } finally {
      index.setFault('/simple/flaky/', undefined);
    }
  });

  test('pip-compile inputs (*.in) are never pinned; setup.py is never touched', async () => {
    const plan = await planFixes(analyze('webfw>=4\n', 'requirements.in'), { index: view }, { pin: true, hash: true });
    assert.deepEqual(plan.replacements, []);
    assert.match(plan.skipped[0].reason, /pip-compile input/);
    const setupPy = await planFixes(analyze('from setuptools import setup\nsetup(install_requires=["webfw"])\n', 'setup.py'), { index: view }, { pin: true, hash: true });
    assert.deepEqual(setupPy, { replacements: [], skipped: [], cancelled: false });
  });

  test('a find-links folder (no hashes on the index): files are hashed from disk', async () => {
    const dir = tempDir('fixlinks');
    writeFindLinksDir(FIXTURE, dir);
    const t = testClient({ client: { offline: true } });
    try {
      const local = openIndex(t.client, selection([], { noIndex: true, findLinks: [dir] }));
      const { text, plan } = await fixed('webfw>=3,<4\n', {}, { index: local });
      assert.deepEqual(plan.skipped, []);
      assert.equal(text, `webfw==3.2${hashLines('\n', 'webfw-3.2-py3-none-any.whl', 'webfw-3.2.tar.gz')}\n`);
    } finally {
      await t.close();
    }
  });

  test('a static mirror behind nginx without hash fragments: files are downloaded once and hashed', { skip: skipWithout(NGINX) }, async () => {
    const root = tempDir('fixmirror');
    writeStaticMirror(FIXTURE, root, { hashFragments: false });
    const nginx = await startNginx(root);
    const t = testClient();
    try {
      const mirror = openIndex(t.client, selection([`${nginx.url}simple/`]));
      const first = await fixed('tzdata<2024.2\n', {}, { index: mirror });
      assert.equal(first.text, `tzdata==2024.1${hashLines('\n', 'tzdata-2024.1-py3-none-any.whl', 'tzdata-2024.1.tar.gz')}\n`);
      // Planning again uses the kept digests: no file is downloaded twice.
      const downloads = async () => (await nginx.settledLog()).split('\n').filter((line) => line.includes('/packages/tzdata')).length;
      const before = await downloads();
      assert.equal(before, 2);
      await fixed('tzdata==2024.1\n', {}, { index: mirror });
      assert.equal(await downloads(), before);
    } finally {
      await t.close();
      await nginx.close();
    }
  });

  test('cancellation returns no edit at all', async () => {
    index.setFault('/simple/tzdata/', { kind: 'latency', ms: 2000 });
    const t = testClient();
    try {
      const controller = new AbortController();
      const started = Date.now();
      const planned = planFixes(analyze('webfw==4.0\ntzdata\n'), { index: openIndex(t.client, selection([index.simpleUrl])), signal: controller.signal }, { pin: true, hash: true });
      setTimeout(() => controller.abort(), 100);
      assert.deepEqual(await planned, { replacements: [], skipped: [], cancelled: true });
      assert.ok(Date.now() - started < 1500, 'stops without waiting for the slow index');
    } finally {
      index.setFault('/simple/tzdata/', undefined);
      await t.close();
    }
  });
});

// ---- quick fixes --------------------------------------------------------------------------------

function deps(analysis: AnalyzedDocument, extra: Partial<CodeActionDeps> = {}): CodeActionDeps {
  const { document } = analysis;
  return { index: view, uri: document.uri, toRange: (span: Span) => ({ start: document.positionAt(span.start), end: document.positionAt(span.end) }), ...extra };
}

function diagnostic(analysis: AnalyzedDocument, line: number, code: string, data?: unknown): Diagnostic {
  const document = analysis.document;
  const text = document.getText().split(/\r?\n/)[line];
  return { range: { start: { line, character: 0 }, end: { line, character: text.length } }, code, source: 'reqguard', message: code, ...(data ? { data } : {}) };
}

/** The text after applying one action's edit. */
function applied(analysis: AnalyzedDocument, action: CodeAction): string {
  const edits = action.edit?.changes?.[analysis.document.uri];
  assert.ok(edits, `${action.title} has edits`);
  return TextDocument.applyEdits(analysis.document, edits);
}

async function actionsOn(
  text: string,
  line: number,
  diagnostics: (analysis: AnalyzedDocument) => Diagnostic[] = () => [],
  extra: { only?: string[]; pythonVersion?: string; hashTargets?: FixTargets; index?: PackageIndex } = {},
) {
  const analysis = analyze(text);
  const start = analysis.document.offsetAt({ line, character: 0 });
  const actions = await codeActions(
    analysis,
    { start, end: start },
    { diagnostics: diagnostics(analysis), only: extra.only },
    deps(analysis, { targets: extra.pythonVersion ? [pythonTarget(extra.pythonVersion)] : [], hashTargets: extra.hashTargets, ...(extra.index ? { index: extra.index } : {}) }),
  );
  return { analysis, actions, byTitle: (title: string) => actions.find((a) => a.title === title)! };
}

describe('codeActions', () => {
  test('unpinned: pin to pip\'s pick, to the latest, or pin and hash (preferred for the diagnostics)', async () => {
    const { analysis, actions, byTitle } = await actionsOn('# web\nwebfw <4  # pinned soon\nsix==1.16.0\n', 1, (a) => [diagnostic(a, 1, 'unpinned')]);
    assert.deepEqual(actions.map((a) => [a.title, a.kind, a.isPreferred ?? false]), [
      ['Pin to 3.2', 'quickfix', false],
      ['Pin to latest 4.0', 'quickfix', false],
      ['Pin to 3.2 and add hashes', 'quickfix', true],
    ]);
    assert.equal(applied(analysis, byTitle('Pin to 3.2')), '# web\nwebfw==3.2  # pinned soon\nsix==1.16.0\n');
    assert.equal(applied(analysis, byTitle('Pin to latest 4.0')), '# web\nwebfw==4.0  # pinned soon\nsix==1.16.0\n');
    assert.equal(
      applied(analysis, byTitle('Pin to 3.2 and add hashes')),
      `# web\nwebfw==3.2${hashLines('\n', 'webfw-3.2-py3-none-any.whl', 'webfw-3.2.tar.gz')}  # pinned soon\nsix==1.16.0\n`,
    );
    assert.deepEqual(byTitle('Pin to 3.2 and add hashes').diagnostics?.map((d) => d.code), ['unpinned']);
  });

  test('a hashed range: every pin rewrites the hashes too', async () => {
    const { analysis, actions } = await actionsOn(`netlib>=2 --hash=sha256:${'0'.repeat(64)}\n`, 0, () => [], { pythonVersion: '3.11' });
    assert.deepEqual(actions.map((a) => a.title), ['Pin to 3.0 and rehash']);
    assert.equal(applied(analysis, actions[0]), `netlib==3.0${hashLines('\n', 'netlib-3.0-py3-none-any.whl', 'netlib-3.0.tar.gz')}\n`);
  });

  test('pinned: add or complete hashes, update to the newest release and rehash', async () => {
    const unhashed = await actionsOn('\r\n  tzdata==2024.1 ; python_version>"3"\r\n', 1, (a) => [diagnostic(a, 1, 'unhashed')]);
    assert.deepEqual(unhashed.actions.map((a) => [a.title, a.isPreferred ?? false]), [
      ['Add hashes for 2024.1 (2 files)', true],
      ['Update to 2024.2 and add hashes', false],
    ]);
    assert.equal(
      applied(unhashed.analysis, unhashed.actions[0]),
      `\r\n  tzdata==2024.1 ; python_version>"3"${hashLines('\r\n', 'tzdata-2024.1-py3-none-any.whl', 'tzdata-2024.1.tar.gz')}\r\n`,
    );
    assert.equal(
      applied(unhashed.analysis, unhashed.actions[1]),
      `\r\n  tzdata==2024.2 ; python_version>"3"${hashLines('\r\n', 'tzdata-2024.2-py3-none-any.whl', 'tzdata-2024.2.tar.gz')}\r\n`,
    );
    const partial = await actionsOn(`six==1.16.0 --hash=sha256:${index.file('six-1.16.0.tar.gz')!.sha256}\n`, 0);
    assert.deepEqual(partial.actions.map((a) => a.title), ['Complete hashes for 1.16.0 (2 files)']);
    const complete = await actionsOn(applied(partial.analysis, partial.actions[0]), 0);
    assert.deepEqual(complete.actions, [], 'pinned to the newest and fully hashed: nothing to offer');
    // Arbitrary equality to something that is no PEP 440 version: no release, nothing to order against.
    assert.deepEqual((await actionsOn('webfw===custom\n', 0)).actions, []);
    // A digest of no file on the index would let a foreign file in: the fix replaces it.
    const wrong = await actionsOn(SIX, 0, (a) => [diagnostic(a, 0, 'hash-mismatch')]);
    assert.deepEqual(wrong.actions.map((a) => [a.title, a.isPreferred]), [['Replace hashes with those of 1.16.0 (2 files)', true]]);
    assert.equal(applied(wrong.analysis, wrong.actions[0]), applied(partial.analysis, partial.actions[0]).replace(/\n/g, '\r\n'));
  });

  test('vulnerable: upgrade to the lowest release with no known vulnerability (never yanked, still vulnerable or pre-release)', async () => {
    const data: VulnerableData = { ids: ['PYSEC-2024-1'], fixedIn: ['1.2', '1.3'] };
    const { analysis, actions, byTitle } = await actionsOn('vulnpkg==1.0\n', 0, (a) => [diagnostic(a, 0, 'vulnerable', data)]);
    assert.deepEqual(actions.map((a) => a.title), ['Add hashes for 1.0 (2 files)', 'Update to 1.4 and add hashes', 'Upgrade to 1.4 (fixes PYSEC-2024-1)']);
    const upgrade = byTitle('Upgrade to 1.4 (fixes PYSEC-2024-1)');
    assert.equal(upgrade.isPreferred, true);
    assert.deepEqual(upgrade.diagnostics?.map((d) => d.code), ['vulnerable']);
    assert.equal(applied(analysis, upgrade), 'vulnpkg==1.4\n');
    // Without a verifiable clean release there is no upgrade to offer.
    const none = await actionsOn('vulnpkg==1.4\n', 0, (a) => [diagnostic(a, 0, 'vulnerable', { ids: ['X'], fixedIn: [] })]);
    assert.ok(none.actions.every((a) => !a.title.startsWith('Upgrade')));
  });

  test('hash targets narrow both the quick fix and "Pin and hash all" to the wheels for them (the sdist always stays)', async () => {
    const hashTargets: FixTargets = { pythonVersions: ['3.11'], platforms: ['manylinux'] };
    const expected = `platpkg==1.0${hashLines('\n', 'platpkg-1.0-cp311-cp311-manylinux_2_17_x86_64.whl', 'platpkg-1.0.tar.gz')}\n`;
    const quick = await actionsOn('platpkg==1.0\n', 0, () => [], { hashTargets });
    assert.deepEqual(quick.actions.map((a) => a.title), ['Add hashes for 1.0 (2 files)']);
    assert.equal(applied(quick.analysis, quick.actions[0]), expected);
    const all = await actionsOn('platpkg==1.0\n', 0, () => [], { hashTargets, only: [FIX_ALL_KIND] });
    assert.equal(applied(all.analysis, all.actions[0]), expected);
    assert.equal((await actionsOn('platpkg==1.0\n', 0)).actions[0].title, 'Add hashes for 1.0 (5 files)', 'no targets: every file');
  });

  test('kinds: quick fixes unless only asks otherwise; "Pin and hash all" only when asked for', async () => {
    const text = 'webfw>=3\ntzdata==2024.1\nnope\n';
    const kinds = async (only?: string[]) => (await actionsOn(text, 0, () => [], { only })).actions.map((a) => a.kind);
    assert.deepEqual(await kinds(), ['quickfix', 'quickfix']);
    assert.deepEqual(await kinds(['quickfix']), ['quickfix', 'quickfix']);
    assert.deepEqual(await kinds(['refactor']), []);
    assert.deepEqual(await kinds(['source']), [FIX_ALL_KIND]);
    assert.deepEqual(await kinds(['source.fixAll']), [FIX_ALL_KIND]);
    const { analysis, actions } = await actionsOn(text, 0, () => [], { only: [FIX_ALL_KIND] });
    assert.equal(actions[0].title, 'Pin and hash all requirements (2 entries)');
    assert.equal(applied(analysis, actions[0]), (await fixed(text)).text);
  });

  test('a partial answer (the index failing beside a find-links folder with part of the project): no quick fix, no "Pin and hash all", planFixes says why', async () => {
    // The folder has tzdata 2024.1's wheel only: the index has its sdist and 2024.2 as well.
    await withPartialAnswer(index, 'tzdata', { projects: { tzdata: { versions: { '2024.1': { files: ['wheel'] } } } } }, async (partial) => {
      for (const text of ['tzdata\n', 'tzdata==2024.1\n', 'tzdata==2024.2\n', `tzdata==2024.1 --hash=sha256:${'0'.repeat(64)}\n`]) {
        const { actions } = await actionsOn(text, 0, (a) => [diagnostic(a, 0, 'unpinned'), diagnostic(a, 0, 'unhashed')], { index: partial, only: ['quickfix', FIX_ALL_KIND] });
        assert.deepEqual(actions.map((a) => a.title), [], text);
        const { plan } = await fixed(text, {}, { index: partial });
        assert.deepEqual(plan.replacements, [], text);
        assert.match(plan.skipped[0]?.reason ?? '', /^index checks incomplete for 'tzdata': .*\/simple\/tzdata\/ answered 503$/, text);
      }
    });
  });

  test('pip-compile inputs and setup.py get no fixes; a cancelled request gives none', async () => {
    const input = analyze('webfw>=3\n', 'requirements.in');
    assert.deepEqual(await codeActions(input, { start: 0, end: 0 }, { diagnostics: [], only: ['quickfix', 'source'] }, deps(input)), []);
    const analysis = analyze('webfw>=3\n');
    const controller = new AbortController();
    controller.abort();
    assert.deepEqual(await codeActions(analysis, { start: 0, end: 0 }, { diagnostics: [], only: ['quickfix', 'source'] }, deps(analysis, { signal: controller.signal })), []);
  });
});

// ---- pip itself ---------------------------------------------------------------------------------

describe('pip installs what planFixes writes (pip download and pip install --dry-run, --require-hashes)', { skip: skipWithout(PIP) }, () => {
  test('the fixed messy file downloads in hash-checking mode; one altered hash makes pip refuse it', async () => {
    // The Python pip runs on, so the picks honour requires-python exactly as pip will.
    const pythonVersion = await pipPythonVersion();
    const { text, plan } = await fixed(messyFile(), {}, { pythonVersion });
    assert.deepEqual(plan.skipped, []);
    const dir = tempDir('pip');
    const download = async (name: string, content: string, ...extra: string[]) => {
      const file = join(dir, name);
      writeFileSync(file, content);
      const out = join(dir, `${name}${extra.length ? '.binary' : ''}.d`);
      return { result: await pipDownload(file, index.simpleUrl, out, ...extra), out };
    };
    // Every entry has a py3-none-any wheel, which pip prefers: no sdist is built, so this needs
    // no --only-binary (and this machine could not build one: no `wheel`, no setuptools on the index).
    const good = await download('fixed.txt', text);
    assert.equal(good.result.status, 0, good.result.stdout + good.result.stderr);
    const wheels = ['demo_pkg-1.0-py3-none-any.whl', 'netlib-2.0-py3-none-any.whl', 'six-1.16.0-py3-none-any.whl', 'tzdata-2024.1-py3-none-any.whl', 'webfw-4.0-py3-none-any.whl'];
    assert.deepEqual(readdirSync(good.out).sort(), wheels);

    // Alter the hash of the file pip downloads (the wheel). pip then drops the wheel as a
    // candidate (its index hash is not allowed) and falls back to the sdist, whose hash still
    // matches: it fails here only because the sdist cannot be built. With --only-binary the wheel
    // is the sole candidate, pip downloads it and its hash check refuses it.
    const digest = index.file('webfw-4.0-py3-none-any.whl')!.sha256;
    const altered = (digest[0] === '0' ? '1' : '0') + digest.slice(1);
    assert.ok(text.includes(digest));
    const control = await download('fixed.txt', text, '--only-binary', ':all:');
    assert.equal(control.result.status, 0, control.result.stdout + control.result.stderr);
    const bad = await download('altered.txt', text.replace(digest, altered), '--only-binary', ':all:');
    assert.notEqual(bad.result.status, 0);
    assert.match(bad.result.stderr, /THESE PACKAGES DO NOT MATCH THE HASHES/);
    assert.match(bad.result.stderr, new RegExp(`Expected sha256 ${altered}[\\s\\S]*Got +${digest}`));
    const fallback = await download('altered.txt', text.replace(digest, altered));
    assert.notEqual(fallback.result.status, 0);
    assert.ok(!readdirSync(fallback.out).includes('webfw-4.0-py3-none-any.whl'), 'the wheel with the altered hash is never saved');

    // reqguard says the same of the altered file before pip is ever run.
    const diagnose = async (content: string) =>
      (await indexDiagnostics(analyze(content), { index: view, settings: DEFAULT_SETTINGS })).filter((d) => d.code === 'hash-mismatch').map((d) => d.range.start.line);
    assert.deepEqual(await diagnose(text), []);
    const alteredLine = text.replace(digest, altered).split('\r\n').findIndex((line) => line.includes(altered));
    assert.deepEqual(await diagnose(text.replace(digest, altered)), [alteredLine]);
  });

  test('the fixed messy file is complete: pip install --dry-run resolves it, dependencies included, in hash-checking mode', async () => {
    const pythonVersion = await pipPythonVersion();
    const { text } = await fixed(messyFile(), {}, { pythonVersion });
    const dir = tempDir('pip-install');
    const install = (name: string, content: string, ...extra: string[]) => {
      writeFileSync(join(dir, name), content);
      return pipInstallDryRun(join(dir, name), index.simpleUrl, ...extra);
    };
    const complete = await install('fixed.txt', text);
    assert.equal(complete.status, 0, complete.stdout + complete.stderr);
    assert.match(complete.stdout, /Would install .*webfw-4\.0/);
    // Without tzdata, webfw's dependency is neither pinned nor hashed: hash-checking mode refuses it.
    const withoutTzdata = text.replace(/ {2}tzdata==2024\.1[^#]*?(?=\r\nsix==)/, '');
    assert.ok(!withoutTzdata.includes('tzdata=='), 'the tzdata entry is gone');
    const incomplete = await install('incomplete.txt', withoutTzdata);
    assert.notEqual(incomplete.status, 0);
    assert.match(incomplete.stderr, /must have their versions pinned with ==[\s\S]*tzdata>=2024/);
    // One altered hash: refused.
    const digest = index.file('webfw-4.0-py3-none-any.whl')!.sha256;
    const bad = await install('altered.txt', text.replace(digest, (digest[0] === '0' ? '1' : '0') + digest.slice(1)), '--only-binary', ':all:');
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /THESE PACKAGES DO NOT MATCH THE HASHES/);
  });
});
