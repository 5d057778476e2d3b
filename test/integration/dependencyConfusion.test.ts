// Dependency confusion, measured: two loopback indexes, a private one ("corp") and a public one
// where someone published the private project's name with a higher version (and a foreign copy
// of its release). reqguard names every project on both, stays quiet for a pin whose hashes admit
// one index's files only, warns about extra indexes from outside the file, and its quick fixes
// make pip install the private copy, which the real pip confirms (and that without them, pip
// takes the public one).
import { after, before, describe as suite, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-types';
import { analyzeDocument, type AnalyzedDocument } from '../../server/src/engine/documents';
import { codeActions } from '../../server/src/features/codeActions';
import { indexDiagnostics } from '../../server/src/features/indexDiagnostics';
import { selectIndex } from '../../server/src/index/indexSelection';
import { openIndex, type PackageIndex } from '../../server/src/index/packageIndex';
import { parseRequirementsFile } from '../../server/src/parser/requirementsFile';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { actualLines, expectedLines, messageText } from '../helpers/diagnose';
import { marked } from '../helpers/marked';
import { selection, testClient, type TestClient } from '../support/indexClient';
import { PIP, PIP26, skipWithout } from '../support/optionalProgram';
import { runPip, type PipVersion } from '../support/pip';
import { startTestIndex, type TestIndex } from '../support/testIndex';
import { run, workspace } from './cli/runCli';
import { tempDir } from '../helpers/tempDirs';

let corp: TestIndex;
let pub: TestIndex;
let client: TestClient;

before(async () => {
  corp = await startTestIndex({ projects: { 'internal-lib': { versions: { '1.0': { summary: 'ours' } } }, 'only-corp': { versions: { '1.0': {} } }, tzdata: { versions: { '2024.1': {} } } } });
  // The same name with a higher version, and a foreign file for the private release itself; tzdata is the same bytes on both (a mirror).
  pub = await startTestIndex({ projects: { 'internal-lib': { versions: { '1.0': { summary: 'not ours' }, '99.0': { summary: 'not ours' } } }, tzdata: { versions: { '2024.1': {} } } } });
  client = testClient();
});

after(async () => {
  await client.close();
  await Promise.all([corp.close(), pub.close()]);
});

/** The file installs from corp with pub as an extra index, as its own lines say. */
function bothIndexes(): PackageIndex {
  return openIndex(client.client, selection([corp.simpleUrl, pub.simpleUrl], { source: 'file', extraOrigins: [{ source: 'file', detail: 'requirements.txt' }] }));
}

function analyze(text: string): AnalyzedDocument {
  return analyzeDocument(TextDocument.create('file:///work/project/requirements.txt', 'pip-requirements', 1, text), '/work/project/requirements.txt');
}

async function diagnose(source: string, index = bothIndexes()) {
  const mark = marked(source);
  return { mark, diagnostics: await indexDiagnostics(analyze(mark.text), { index, settings: DEFAULT_SETTINGS }) };
}

const sha = (index: TestIndex, filename: string) => index.file(filename)!.sha256;
const hashed = (...digests: string[]) => digests.map((digest) => ` --hash=sha256:${digest}`).join('');

suite('the diagnostic', () => {
  test('a project on both indexes is a warning naming each index and its newest version; a project on one, or a pin hashed from one, is not', async () => {
    const corpHashes = hashed(sha(corp, 'internal_lib-1.0-py3-none-any.whl'), sha(corp, 'internal_lib-1.0.tar.gz'));
    const { mark, diagnostics } = await diagnose(`⟦internal-lib⟧\nonly-corp==1.0\ninternal-lib==1.0${corpHashes}\ntzdata==2024.1${hashed(sha(corp, 'tzdata-2024.1-py3-none-any.whl'))}\n⟦tzdata⟧\n`);
    assert.deepEqual(actualLines(diagnostics), expectedLines(mark, [['dependency-confusion', 'warning', 0], ['dependency-confusion', 'warning', 1]]));
    assert.equal(
      messageText(diagnostics[0]),
      `'internal-lib' exists on 2 of the indexes this file installs from: ${corp.simpleUrl} (newest 1.0), ${pub.simpleUrl} (newest 99.0). ` +
        'pip installs the highest version from any of them, so whoever controls the name on one index decides what is installed. ' +
        'Install from one --index-url (a mirror serving every project you need), or pin internal-lib and hash only the files of the index it should come from.',
    );
  });

  test('hashes of both copies of the pinned release still let the foreign one in', async () => {
    const both = hashed(sha(corp, 'internal_lib-1.0-py3-none-any.whl'), sha(pub, 'internal_lib-1.0-py3-none-any.whl'));
    const { mark, diagnostics } = await diagnose(`⟦internal-lib⟧==1.0${both}\n`);
    assert.deepEqual(actualLines(diagnostics), expectedLines(mark, [['dependency-confusion', 'warning', 0]]));
  });

  test('one index: nothing to say', async () => {
    const { diagnostics } = await diagnose('internal-lib\n', openIndex(client.client, selection([corp.simpleUrl])));
    assert.deepEqual(diagnostics, []);
  });

  test('extra indexes from pip\'s configuration or the settings are warned about on the first line; the file\'s own are the offline check\'s', async () => {
    const document = parseRequirementsFile('# deps\nonly-corp==1.0\n');
    const pipConfig = { extraIndexUrls: { value: [pub.simpleUrl], origin: { kind: 'env-var' as const, where: 'PIP_EXTRA_INDEX_URL' } } };
    const fromPip = selectIndex({ document, documentLabel: 'requirements.txt', settings: { indexUrl: corp.simpleUrl }, pip: pipConfig });
    assert.deepEqual(fromPip.extraOrigins, [{ source: 'pip', detail: 'PIP_EXTRA_INDEX_URL' }]);
    const { mark, diagnostics } = await diagnose('⟦# deps⟧\nonly-corp==1.0\n', openIndex(client.client, fromPip));
    assert.deepEqual(actualLines(diagnostics), expectedLines(mark, [['extra-index-url', 'warning', 0]]));
    assert.match(messageText(diagnostics[0]), new RegExp(`^pip's configuration \\(PIP_EXTRA_INDEX_URL\\) adds the extra index ${pub.simpleUrl} to this file's install: dependency confusion`));
    // The file's own --index-url replaces pip's whole list, extras included (pip's req_file.handle_option_line).
    const replaced = selectIndex({ document: parseRequirementsFile(`--index-url ${corp.simpleUrl}\nonly-corp\n`), documentLabel: 'requirements.txt', pip: pipConfig });
    assert.deepEqual(replaced.indexUrls, [corp.simpleUrl]);
    assert.equal(replaced.extraOrigins, undefined);
    const fromSettings = selectIndex({ document, documentLabel: 'requirements.txt', settings: { indexUrl: corp.simpleUrl, extraIndexUrls: [pub.simpleUrl] } });
    const settingsRun = await diagnose('⟦# deps⟧\nonly-corp==1.0\n', openIndex(client.client, fromSettings));
    assert.match(messageText(settingsRun.diagnostics[0]), /^reqguard\.index\.extraUrls adds the extra index/);
  });

  test('the CLI: --extra-index-url on the command line and PIP_EXTRA_INDEX_URL are named; the project on both is reported', async () => {
    const dir = workspace({ 'requirements.txt': 'internal-lib\n' });
    const flags = await run(['check', '--no-cache', '--isolated', '--index-url', corp.simpleUrl, '--extra-index-url', pub.simpleUrl, 'requirements.txt'], dir);
    assert.match(flags.stdout, /^requirements\.txt:1:1: warning \[extra-index-url\] --extra-index-url on the command line adds the extra index /m);
    assert.match(flags.stdout, /^requirements\.txt:1:1: warning \[dependency-confusion\] 'internal-lib' exists on 2 of the indexes /m);
    const env = await run(['check', '--no-cache', '--index-url', corp.simpleUrl, 'requirements.txt'], dir, { PIP_EXTRA_INDEX_URL: pub.simpleUrl });
    assert.match(env.stdout, /^requirements\.txt:1:1: warning \[extra-index-url\] pip's configuration \(PIP_EXTRA_INDEX_URL\) adds the extra index /m);
  });
});

/** The code actions offered on the entry at line `line` with its diagnostics. */
async function actionsOn(text: string, line: number): Promise<{ actions: CodeAction[]; diagnostics: Diagnostic[] }> {
  const analysis = analyze(text);
  const index = bothIndexes();
  const diagnostics = await indexDiagnostics(analysis, { index, settings: DEFAULT_SETTINGS });
  const document = analysis.document;
  const start = document.offsetAt({ line, character: 0 });
  const actions = await codeActions(analysis, { start, end: start }, { diagnostics }, {
    index,
    uri: document.uri,
    toRange: (span) => ({ start: document.positionAt(span.start), end: document.positionAt(span.end) }),
  });
  return { actions, diagnostics };
}

function apply(text: string, action: CodeAction): string {
  const document = TextDocument.create('file:///x', 'pip-requirements', 1, text);
  return TextDocument.applyEdits(document, Object.values(action.edit!.changes!)[0] as TextEdit[]);
}

suite('quick fixes', () => {
  test('per index: a pin with that index\'s hashes only; or install from that index alone', async () => {
    const text = `--index-url ${corp.simpleUrl}  # private mirror\n--extra-index-url ${pub.simpleUrl}\r\ninternal-lib  # ours\n`;
    const { actions } = await actionsOn(text, 2);
    const titles = actions.filter((action) => action.diagnostics?.some((d) => d.code === 'dependency-confusion')).map((action) => action.title);
    assert.deepEqual(titles, [
      `Pin to 1.0 and hash only the files from ${corp.simpleUrl}`,
      `Pin to 99.0 and hash only the files from ${pub.simpleUrl}`,
      `Install from one index only: --index-url ${corp.simpleUrl}`,
      `Install from one index only: --index-url ${pub.simpleUrl}`,
    ]);
    const pinned = apply(text, actions.find((action) => action.title.startsWith('Pin to 1.0 and hash only'))!);
    const corpDigests = [sha(corp, 'internal_lib-1.0-py3-none-any.whl'), sha(corp, 'internal_lib-1.0.tar.gz')].sort();
    assert.equal(pinned, `--index-url ${corp.simpleUrl}  # private mirror\n--extra-index-url ${pub.simpleUrl}\r\ninternal-lib==1.0 \\\n${corpDigests.map((d) => `    --hash=sha256:${d}`).join(' \\\n')}  # ours\n`);
    assert.deepEqual((await diagnose(pinned)).diagnostics, [], 'hashed from one index: nothing more to say');
    const oneIndex = apply(text, actions.find((action) => action.title === `Install from one index only: --index-url ${corp.simpleUrl}`)!);
    assert.equal(oneIndex, `--index-url ${corp.simpleUrl}  # private mirror\ninternal-lib  # ours\n`);
    const toPublic = apply(text, actions.find((action) => action.title === `Install from one index only: --index-url ${pub.simpleUrl}`)!);
    assert.equal(toPublic, `--index-url ${pub.simpleUrl}  # private mirror\ninternal-lib  # ours\n`);
  });

  test('a file without index lines gets one --index-url line first (it replaces the configured extra indexes)', async () => {
    const { actions } = await actionsOn('internal-lib==1.0\n', 0);
    const oneIndex = actions.find((action) => action.title === `Install from one index only: --index-url ${corp.simpleUrl}`);
    assert.ok(oneIndex);
    assert.equal(apply('internal-lib==1.0\n', oneIndex), `--index-url ${corp.simpleUrl}\ninternal-lib==1.0\n`);
    const hashOnly = actions.find((action) => action.title === `Hash only the files of 1.0 from ${corp.simpleUrl}`);
    assert.ok(hashOnly, actions.map((action) => action.title).join('\n'));
  });
});

/** sha256 of the one file pip downloaded into `dest`. */
function downloaded(dest: string): { name: string; sha256: string } {
  const [name] = readdirSync(dest);
  return { name, sha256: createHash('sha256').update(readFileSync(join(dest, name))).digest('hex') };
}

suite('pip agrees', () => {
  for (const [which, program] of [['system', PIP], ['pip26', PIP26]] as const) {
    test(`pip (${which}): takes the public 99.0 from two indexes; the fixed files get the private copy`, { skip: skipWithout(program) }, async () => {
      const pip = (args: string[]) => runPip(which as PipVersion, ['--disable-pip-version-check', 'download', '--no-deps', '--only-binary', ':all:', ...args]);
      const dir = tempDir('confusion-pip');
      const open = join(dir, 'open');
      const premise = await pip(['-d', open, '--index-url', corp.simpleUrl, '--extra-index-url', pub.simpleUrl, 'internal-lib']);
      assert.equal(premise.status, 0, premise.stderr);
      assert.equal(downloaded(open).name, 'internal_lib-99.0-py3-none-any.whl');

      // The quick fix's pin and corp's hashes: in hash mode pip refuses the public copy of 1.0.
      const { actions } = await actionsOn('internal-lib\n', 0);
      const file = join(dir, 'requirements.txt');
      writeFileSync(file, apply('internal-lib\n', actions.find((action) => action.title.startsWith('Pin to 1.0 and hash only'))!));
      const hashedDir = join(dir, 'hashed');
      const fixedRun = await pip(['-d', hashedDir, '--index-url', corp.simpleUrl, '--extra-index-url', pub.simpleUrl, '-r', file]);
      assert.equal(fixedRun.status, 0, fixedRun.stderr);
      assert.equal(downloaded(hashedDir).sha256, sha(corp, 'internal_lib-1.0-py3-none-any.whl'));

      // The one-index fix: the file's --index-url replaces the command line's extra index.
      writeFileSync(file, apply('internal-lib\n', actions.find((action) => action.title === `Install from one index only: --index-url ${corp.simpleUrl}`)!));
      const asked = pub.requests.length;
      const oneDir = join(dir, 'one');
      const oneRun = await pip(['-d', oneDir, '--index-url', corp.simpleUrl, '--extra-index-url', pub.simpleUrl, '-r', file]);
      assert.equal(oneRun.status, 0, oneRun.stderr);
      assert.equal(downloaded(oneDir).sha256, sha(corp, 'internal_lib-1.0-py3-none-any.whl'));
      assert.deepEqual(pub.requests.slice(asked).map((request) => request.path), [], 'the public index was not asked');
    });
  }
});
