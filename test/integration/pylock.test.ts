// pylock.toml against a real test index on 127.0.0.1: index diagnostics on [[packages]] (unknown
// project and version, yanked, vulnerable, a hash or size the index does not give for the file),
// the "Refresh hashes" quick fix (only the hash strings change), hover on a package; a pylock.toml
// the real `pip lock` (pip 26) writes gets no problem at all; and packaging.pylock, run live,
// still gives the verdicts recorded for the corpus (test/tools/pylock_oracle.py).
import { describe as suite, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { MarkupContent } from 'vscode-languageserver-types';
import { analyzeDocument, type AnalyzedDocument } from '../../server/src/engine/documents';
import { codeActions } from '../../server/src/features/codeActions';
import { computeDiagnostics } from '../../server/src/features/diagnostics';
import { hover } from '../../server/src/features/hover';
import { indexDiagnostics } from '../../server/src/features/indexDiagnostics';
import type { PackageIndex } from '../../server/src/index/packageIndex';
import type { Span } from '../../server/src/parser/types';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { REPO_ROOT } from '../helpers/corpus';
import { actualLines, expectedLines, messageText } from '../helpers/diagnose';
import { formatRange, marked } from '../helpers/marked';
import { useFixtureIndex } from '../support/fixtureIndex';
import { PIP26, skipWithout } from '../support/optionalProgram';
import { python, runPip } from '../support/pip';
import type { IndexFixture, TestIndex } from '../support/testIndex';
import { tempDir } from '../helpers/tempDirs';

const FIXTURE: IndexFixture = {
  projects: {
    'demo-lib': { versions: { '1.0': { files: ['wheel', 'sdist'], summary: 'A demo library' }, '1.1': { yanked: 'broken' } } },
    'old-lib': { versions: { '2.0': { vulnerabilities: [{ id: 'PYSEC-2099-1', fixedIn: ['2.1'] }] }, '2.1': {} } },
    app: { versions: { '1.0': { files: ['wheel'], requiresDist: ['demo-lib>=1,<1.1'] } } },
  },
};

let index: TestIndex;
let view: PackageIndex;
useFixtureIndex(FIXTURE, (running) => ({ index, view } = running));

const sha = (filename: string) => index.file(filename)?.sha256 ?? assert.fail(`no file ${filename}`);
const url = (filename: string) => `${index.url}files/${filename.split('-')[0].replace(/_/g, '-')}/${filename}`;
const OTHER = 'b'.repeat(64);

function analyze(text: string, name = 'pylock.toml'): AnalyzedDocument {
  return analyzeDocument(TextDocument.create(`file:///work/project/${name}`, 'toml', 1, text), `/work/project/${name}`);
}

function lockWith(packages: string): string {
  return `lock-version = "1.0"\ncreated-by = "test"\n${packages}`;
}

suite('pylock.toml: index diagnostics', () => {
  test('unknown project and version, yanked, vulnerable: where the name and version are', async () => {
    const m = marked(lockWith(`
[[packages]]
name = ⟦"no-such-lib"⟧
version = "1.0"
wheels = [{url = "https://e/no_such_lib-1.0-py3-none-any.whl", hashes = {sha256 = "${OTHER}"}}]

[[packages]]
name = "demo-lib"
version = ⟦"9.9"⟧
wheels = [{url = "https://e/demo_lib-9.9-py3-none-any.whl", hashes = {sha256 = "${OTHER}"}}]

[[packages]]
name = "demo-lib"
version = ⟦"1.1"⟧
wheels = [{name = "demo_lib-1.1-py3-none-any.whl", url = "${url('demo_lib-1.1-py3-none-any.whl')}", hashes = {sha256 = "${sha('demo_lib-1.1-py3-none-any.whl')}"}}]

[[packages]]
name = "old-lib"
version = ⟦"2.0"⟧
wheels = [{url = "${url('old_lib-2.0-py3-none-any.whl')}", hashes = {sha256 = "${sha('old_lib-2.0-py3-none-any.whl')}"}}]

[[packages]]
name = "local"
directory = {path = "."}
`));
    const analysis = analyze(m.text);
    assert.deepEqual(computeDiagnostics(analysis, DEFAULT_SETTINGS).map((d) => d.code), [], 'offline, the file is valid');
    const diagnostics = await indexDiagnostics(analysis, { index: view, settings: DEFAULT_SETTINGS });
    assert.deepEqual(actualLines(diagnostics), expectedLines(m, [
      ['unknown-project', 'error', 0],
      ['unknown-version', 'error', 1],
      ['yanked', 'warning', 2],
      ['vulnerable', 'warning', 3],
    ]));
    assert.match(messageText(diagnostics.find((d) => d.code === 'yanked')!), /^demo-lib 1\.1 was yanked from the index \(reason: broken\)/);
    assert.match(messageText(diagnostics.find((d) => d.code === 'vulnerable')!), /PYSEC-2099-1.*Nearest fixed version: 2\.1/);
  });

  test('hash-mismatch: a hash the index does not give for that file, a size, a hash of no file of the release', async () => {
    const wheel = 'demo_lib-1.0-py3-none-any.whl';
    const sdist = 'demo_lib-1.0.tar.gz';
    const m = marked(lockWith(`
[[packages]]
name = "demo-lib"
version = "1.0"

[packages.sdist]
url = "${url(sdist)}"
size = ⟦1⟧
hashes = {sha256 = "${sha(sdist)}"}

[[packages.wheels]]
url = "${url(wheel)}"
hashes = {sha256 = ⟦"${OTHER}"⟧}

[[packages.wheels]]
url = "https://mirror.example/demo_lib-1.0-py2.py3-none-any.whl"
hashes = {sha256 = ⟦"${OTHER}"⟧}
`));
    const diagnostics = await indexDiagnostics(analyze(m.text), { index: view, settings: DEFAULT_SETTINGS });
    assert.deepEqual(actualLines(diagnostics), expectedLines(m, [['hash-mismatch', 'error', 0], ['hash-mismatch', 'error', 1], ['hash-mismatch', 'error', 2]]));
    const [size, named, unnamed] = diagnostics.map(messageText);
    assert.match(size, /^demo_lib-1\.0\.tar\.gz is \d+ bytes on the index, not 1/);
    assert.match(named, /^This sha256 is not the index's for demo_lib-1\.0-py3-none-any\.whl \(demo-lib 1\.0\)/);
    assert.match(unnamed, /^This sha256 matches no file of demo-lib 1\.0 on the index/);
  });
});

suite('pylock.toml: Refresh hashes', () => {
  test("replaces only the stale hash strings with the index's, and the diagnostics go", async () => {
    const wheel = 'demo_lib-1.0-py3-none-any.whl';
    const sdist = 'demo_lib-1.0.tar.gz';
    const text = lockWith(`
# locked by hand
[[packages]]
name = "demo-lib"
version = "1.0"
sdist = { url = "${url(sdist)}", hashes = { sha256 = '${OTHER}' } }  # a comment stays

[[packages.wheels]]
url = "${url(wheel)}"

[packages.wheels.hashes]
sha256 = "${OTHER.toUpperCase()}"
`).replace(/\n/g, '\r\n');
    const analysis = analyze(text);
    const diagnostics = await indexDiagnostics(analysis, { index: view, settings: DEFAULT_SETTINGS });
    assert.deepEqual(diagnostics.map((d) => d.code), ['hash-mismatch', 'hash-mismatch']);
    const { document } = analysis;
    const actions = await codeActions(analysis, { start: 0, end: text.length }, { diagnostics }, {
      index: view,
      uri: document.uri,
      toRange: (span: Span) => ({ start: document.positionAt(span.start), end: document.positionAt(span.end) }),
    });
    assert.deepEqual(actions.map((a) => [a.title, a.kind, a.isPreferred]), [['Refresh hashes of demo-lib 1.0 from the index', 'quickfix', true]]);
    const edits = actions[0].edit!.changes![document.uri];
    assert.deepEqual(edits.map((edit) => document.getText(edit.range)), [`'${OTHER}'`, `"${OTHER.toUpperCase()}"`], 'only the hash strings');
    const refreshed = TextDocument.applyEdits(document, edits);
    assert.equal(refreshed, text.replace(`'${OTHER}'`, `'${sha(sdist)}'`).replace(`"${OTHER.toUpperCase()}"`, `"${sha(wheel)}"`));
    assert.deepEqual(await indexDiagnostics(analyze(refreshed), { index: view, settings: DEFAULT_SETTINGS }), []);
    // Nothing else in a lock file gets a quick fix.
    assert.deepEqual(await codeActions(analyze(refreshed), { start: 0, end: 0 }, { diagnostics: [] }, { index: view, uri: document.uri, toRange: () => ({ start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }) }), []);
  });
});

suite('pylock.toml: hover', () => {
  test("a package's name describes the project and its pinned release; elsewhere nothing", async () => {
    const m = marked(lockWith(`
[[packages]]
name = ⟦"demo-lib"⟧
version = "1.0"
wheels = [{url = "https://e/demo_lib-1.0-py3-none-any.whl", hashes = {sha256 = "${OTHER}"}}]
`));
    const analysis = analyze(m.text);
    const result = await hover(analysis, m.spans[0].start + 2, { index: view });
    assert.ok(result);
    assert.equal(formatRange(result.range!), formatRange(m.ranges[0]));
    const text = (result.contents as MarkupContent).value;
    assert.match(text, /A demo library/);
    assert.match(text, /1\.0/);
    assert.equal(await hover(analysis, m.text.indexOf('created-by'), { index: view }), undefined);
  });
});

suite('pylock.toml: what pip writes and what packaging says', () => {
  test('a pylock.toml written by the real pip lock (pip 26) has no problem, offline or on the index', { skip: skipWithout(PIP26) }, async () => {
    const dir = tempDir('pylock');
    try {
      const out = join(dir, 'pylock.toml');
      const run = await runPip('pip26', ['lock', '--index-url', index.simpleUrl, '-o', out, 'app']);
      assert.equal(run.status, 0, run.stderr);
      const text = readFileSync(out, 'utf8');
      assert.match(text, /name = "demo-lib"/);
      const analysis = analyze(text);
      assert.deepEqual(computeDiagnostics(analysis, DEFAULT_SETTINGS, { filePath: out }).map((d) => `${d.code}: ${messageText(d)}`), []);
      assert.deepEqual((await indexDiagnostics(analysis, { index: view, settings: DEFAULT_SETTINGS })).map((d) => `${d.code}: ${messageText(d)}`), []);
      assert.deepEqual(analysis.family === 'lock' && analysis.lock.packages.map((p) => [p.name?.value, p.version?.value, p.sourceKind]), [['app', '1.0', 'files'], ['demo-lib', '1.0', 'files']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('packaging.pylock (pip 26\'s copy, run live) gives the verdicts recorded for the corpus', { skip: skipWithout(PIP26) }, async () => {
    const corpus = join(REPO_ROOT, 'test', 'corpus', 'pylock');
    const files = readdirSync(corpus).filter((name) => name.endsWith('.toml')).map((name) => join(corpus, name));
    const run = await python([join(REPO_ROOT, 'test', 'tools', 'pylock_oracle.py'), ...files], PIP26.locate()!);
    assert.equal(run.status, 0, run.stderr);
    const recorded = JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'corpus', 'expected', 'pylock.json'), 'utf8'));
    assert.deepEqual(JSON.parse(run.stdout), recorded);
  });
});
