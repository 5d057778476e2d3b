// "Create requirements.txt from environment" in the bundled server: the freeze request reads the
// environment of a real interpreter (a venv without pip, its site-packages holding metadata folders
// written here), answers an edit creating the output with every distribution pinned and hashed from
// the index and the editable one left out, reports progress on the client's workDoneToken, answers
// "unchanged" once the file holds the same text, and refuses to run an interpreter while the
// workspace is untrusted.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ProtocolConnection } from 'vscode-languageserver-protocol/node';
import type { TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FREEZE_REQUEST } from '../../../server/src/protocol';
import { DJANGO_FIXTURE } from '../../support/dependencyGraphs';
import { PYTHON3, skipWithout } from '../../support/optionalProgram';
import { python } from '../../support/pip';
import { startLspServer, type LspServer } from '../../support/lspServer';
import { startTestIndex, type TestIndex } from '../../support/testIndex';
import { tempDir } from '../../helpers/tempDirs';

let index: TestIndex;
let lsp: LspServer;
let connection: ProtocolConnection;
const progress: string[] = [];
const workspace = tempDir('lsp-freeze');
const venvPython = join(workspace, '.venv', 'bin', 'python');
const outputUri = pathToFileURL(join(workspace, 'requirements.txt')).href;

const distInfo = (site: string, name: string, version: string, directUrl?: string) => {
  const folder = join(site, `${name}-${version}.dist-info`);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'METADATA'), `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n`);
  if (directUrl) writeFileSync(join(folder, 'direct_url.json'), directUrl);
};

before(async () => {
  if (skipWithout(PYTHON3)) return;
  const made = await python(['-m', 'venv', '--without-pip', join(workspace, '.venv')]);
  assert.equal(made.status, 0, made.stderr);
  const lib = join(workspace, '.venv', 'lib');
  const site = join(lib, readdirSync(lib).find((name) => name.startsWith('python'))!, 'site-packages');
  distInfo(site, 'Django', '5.2.17');
  distInfo(site, 'asgiref', '3.8.1');
  distInfo(site, 'mytool', '0.1', JSON.stringify({ url: pathToFileURL(join(workspace, 'mytool')).href, dir_info: { editable: true } }));
  index = await startTestIndex(DJANGO_FIXTURE);
  lsp = await startLspServer({
    workspace,
    configuration: (section) => (section === 'reqguard' ? { index: { url: index.simpleUrl, isolated: true } } : {}),
    listen: (client) => {
      client.onNotification('$/progress', (params: { token: string; value: { kind: string; message?: string } }) => void progress.push(`${params.token} ${params.value.kind}${params.value.message ? `: ${params.value.message}` : ''}`));
    },
  });
  connection = lsp.connection;
});

after(async () => {
  await lsp?.stop();
  await index?.close();
});

test('the freeze request answers an edit creating the file, hashed, with what it left out, and progress', { skip: skipWithout(PYTHON3) }, async () => {
  const answer = await connection.sendRequest(FREEZE_REQUEST, { interpreter: venvPython, outputUri, workDoneToken: 'freeze-1' });
  assert.equal(answer.outcome, 'frozen', answer.message);
  assert.equal(answer.message, 'requirements.txt: 2 packages pinned and hashed, 1 left out (listed at the end of the file)');
  assert.deepEqual(answer.leftOut, [`-e ${pathToFileURL(join(workspace, 'mytool')).href}  (an editable install of a local folder, which has no hash)`]);
  assert.deepEqual(answer.edit!.documentChanges![0], { kind: 'create', uri: outputUri, options: { overwrite: false, ignoreIfExists: false } });
  const change = answer.edit!.documentChanges![1] as TextDocumentEdit;
  const text = TextDocument.applyEdits(TextDocument.create(outputUri, 'x', 0, ''), change.edits as TextEdit[]);
  assert.deepEqual([...text.matchAll(/^([a-z0-9-]+==\S+) \\$/gm)].map((m) => m[1]), ['asgiref==3.8.1', 'django==5.2.17']);
  assert.match(text, /^# {4}reqguard freeze --python \S+\/\.venv\/bin\/python -o requirements\.txt$/m);
  assert.match(text, /^# -e file:\S+\/mytool {2}\(an editable install/m);
  assert.equal(progress[0], 'freeze-1 begin: Reading the environment');
  assert.ok(progress.includes('freeze-1 report: Hashed 3 of 3 distributions'), progress.join('\n'));
  assert.equal(progress.at(-1), 'freeze-1 end');

  // Written: the same request now changes nothing.
  writeFileSync(join(workspace, 'requirements.txt'), text);
  const again = await connection.sendRequest(FREEZE_REQUEST, { interpreter: venvPython, outputUri });
  assert.equal(again.outcome, 'unchanged', again.message);
  assert.equal(again.edit, null);
});

test('the freeze request: an interpreter that is not there, and a file that is not on disk', { skip: skipWithout(PYTHON3) }, async () => {
  const missing = await connection.sendRequest(FREEZE_REQUEST, { interpreter: join(workspace, 'nope', 'python'), outputUri });
  assert.equal(missing.outcome, 'invalid');
  assert.match(missing.message, /^no environment to freeze: .*no such file/);
  const untitled = await connection.sendRequest(FREEZE_REQUEST, { interpreter: venvPython, outputUri: 'untitled:Untitled-1' });
  assert.equal(untitled.outcome, 'invalid');
  assert.equal(untitled.message, 'the requirements file must be a file on disk');
});

test('the freeze request runs no interpreter in an untrusted workspace', { skip: skipWithout(PYTHON3) }, async () => {
  const untrusted = await startLspServer({ workspace, configuration: () => ({}), initializationOptions: { workspaceTrusted: false } });
  try {
    const answer = await untrusted.connection.sendRequest(FREEZE_REQUEST, { interpreter: venvPython, outputUri });
    assert.deepEqual(answer, { outcome: 'invalid', message: 'reading an environment runs its interpreter: trust the workspace first', leftOut: [], edit: null });
  } finally {
    await untrusted.stop();
  }
});
