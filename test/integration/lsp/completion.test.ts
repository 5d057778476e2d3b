// Completion through the bundled server and a real index: the exact items (labels, order, dates,
// edits) for versions with the yanked and pre-release rules, project names, options and extras in
// a requirements file, and versions and names in setup.py.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CompletionList, Position, TextEdit } from 'vscode-languageserver-protocol';
import { startLspServer, type LspServer } from '../../support/lspServer';
import { startTestIndex, type TestIndex, type VersionSpec } from '../../support/testIndex';
import { tempDir } from '../../helpers/tempDirs';

const requests = (uploadTime: string, extra: VersionSpec = {}): VersionSpec => ({
  files: ['wheel'],
  uploadTime,
  providesExtra: ['socks', 'use-chardet-on-py3'],
  requiresDist: ['PySocks!=1.5.7,>=1.5.6; extra == "socks"', 'chardet<6,>=3.0.2; extra == "use-chardet-on-py3"'],
  ...extra,
});

let index: TestIndex;
let lsp: LspServer;
const workspace = tempDir('lsp-completion');

before(async () => {
  index = await startTestIndex({
    projects: {
      requests: {
        versions: {
          '2.20.0': requests('2018-10-18T15:46:00Z'),
          '2.30.0': requests('2023-05-03T15:00:00Z', { yanked: 'broken build' }),
          '2.31.0': requests('2023-05-22T15:12:00Z', { requiresPython: '>=3.7' }),
          '2.32.0rc1': requests('2024-05-01T10:00:00Z'),
        },
      },
      Flask: { versions: { '3.0.0': { files: ['wheel'] } } },
      flask_login: { versions: { '0.6.3': { files: ['wheel'] } } },
      django: { versions: { '5.0': { files: ['wheel'] } } },
    },
  });
  lsp = await startLspServer({
    workspace,
    configuration: (section) => (section === 'reqguard' ? { index: { url: index.simpleUrl }, targets: [{ pythonVersion: '3.6', platform: 'manylinux2014_x86_64' }] } : {}),
  });
});

after(async () => {
  await lsp.stop();
  await index.close();
});

let counter = 0;
async function open(name: string, text: string): Promise<string> {
  const folder = join(workspace, `${++counter}`);
  mkdirSync(folder);
  const path = join(folder, name);
  writeFileSync(path, text);
  const uri = pathToFileURL(path).href;
  await lsp.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: name.endsWith('.py') ? 'python' : 'pip-requirements', version: 1, text } });
  return uri;
}

async function complete(uri: string, position: Position, triggerCharacter?: string): Promise<CompletionList> {
  const context = triggerCharacter ? { triggerKind: 2, triggerCharacter } : { triggerKind: 1 };
  return (await lsp.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position, context })) as CompletionList;
}

const at = (line: number, character: number): Position => ({ line, character });
const labels = (list: CompletionList) => list.items.map((item) => item.label);
const edits = (list: CompletionList) => list.items.map((item) => item.textEdit as TextEdit);

test('versions: newest first with dates and requires-python notes; yanked and pre-releases only where they belong', async () => {
  const uri = await open('requirements.txt', 'requests==\nrequests>=2.32.0rc1,<2.3\nrequests != 2.3\n');
  const pinned = await complete(uri, at(0, 10), '=');
  assert.deepEqual(pinned, {
    isIncomplete: false,
    items: [
      { label: '2.31.0', kind: 12, labelDetails: { description: '2023-05-22' }, detail: 'released 2023-05-22; requires Python >=3.7, not CPython 3.6 on Linux x86_64', sortText: '0', textEdit: { range: { start: at(0, 10), end: at(0, 10) }, newText: '2.31.0' } },
      { label: '2.20.0', kind: 12, labelDetails: { description: '2018-10-18' }, detail: 'released 2018-10-18', sortText: '1', textEdit: { range: { start: at(0, 10), end: at(0, 10) }, newText: '2.20.0' } },
    ],
  });
  const withPrerelease = await complete(uri, at(1, 24));
  assert.deepEqual(labels(withPrerelease), ['2.32.0rc1', '2.31.0', '2.20.0']);
  assert.deepEqual(edits(withPrerelease)[0], { range: { start: at(1, 21), end: at(1, 24) }, newText: '2.32.0rc1' });
  const excluding = await complete(uri, at(2, 14));
  assert.deepEqual(labels(excluding), ['2.31.0', '2.30.0', '2.20.0']);
  assert.deepEqual(excluding.items[1].tags, [1]);
  assert.equal(excluding.items[1].detail, 'released 2023-05-03; yanked: broken build');
  assert.deepEqual(edits(excluding)[1], { range: { start: at(2, 12), end: at(2, 15) }, newText: '2.30.0' });
});

test('project names from the index list by normalized prefix; options after `-`; extras inside `[`', async () => {
  const uri = await open('requirements.txt', 'flask_\nrequests==2.31.0 --\nrequests[socks,]\n-\n');
  const names = await complete(uri, at(0, 6), '-');
  assert.deepEqual(names, {
    isIncomplete: false,
    items: [{ label: 'flask_login', kind: 9, sortText: '0', textEdit: { range: { start: at(0, 0), end: at(0, 6) }, newText: 'flask_login' } }],
  });
  const flask = await complete(uri, at(0, 5));
  assert.deepEqual(labels(flask), ['Flask', 'flask_login']);
  assert.deepEqual(edits(flask)[0], { range: { start: at(0, 0), end: at(0, 6) }, newText: 'Flask' });

  const options = await complete(uri, at(1, 19), '-');
  assert.deepEqual(labels(options), ['--hash', '--config-settings', '-C']);
  assert.deepEqual(edits(options), [
    { range: { start: at(1, 17), end: at(1, 19) }, newText: '--hash=' },
    { range: { start: at(1, 17), end: at(1, 19) }, newText: '--config-settings=' },
    { range: { start: at(1, 17), end: at(1, 19) }, newText: '-C ' },
  ]);
  assert.equal(options.items[0].detail, 'Expected hash (algo:hex) of one distribution file; pip refuses any file that matches none.');
  const lineOptions = await complete(uri, at(3, 1), '-');
  assert.deepEqual(labels(lineOptions).slice(0, 4), ['--index-url', '-i', '--extra-index-url', '--no-index']);
  assert.equal(lineOptions.items.length, 22);

  const extras = await complete(uri, at(2, 15), ',');
  assert.deepEqual(extras, {
    isIncomplete: false,
    items: [{ label: 'use-chardet-on-py3', kind: 20, detail: 'adds chardet', sortText: '0', textEdit: { range: { start: at(2, 15), end: at(2, 15) }, newText: 'use-chardet-on-py3' } }],
  });
});

test('setup.py: versions and names inside install_requires strings', async () => {
  const uri = await open('setup.py', 'from setuptools import setup\nsetup(\n    name="app",\n    install_requires=["requests>=2.2", "dj"],\n)\n');
  const versions = await complete(uri, at(3, 36));
  assert.deepEqual(labels(versions), ['2.31.0', '2.20.0']);
  assert.deepEqual(edits(versions)[1], { range: { start: at(3, 33), end: at(3, 36) }, newText: '2.20.0' });
  const names = await complete(uri, at(3, 42));
  assert.deepEqual(names.items.map((item) => [item.label, item.textEdit]), [['django', { range: { start: at(3, 40), end: at(3, 42) }, newText: 'django' }]]);
  assert.deepEqual(labels(await complete(uri, at(2, 10))), [], 'not in a requirement string');
});
