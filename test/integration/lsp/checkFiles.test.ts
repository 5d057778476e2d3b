// "Check all dependency files" through the bundled server and a loopback index: files that are
// not open are read from disk and get their index diagnostics published too (unknown-project),
// counted in the answer; a cancelled request publishes nothing more.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { CHECK_FILES_REQUEST } from '../../../server/src/protocol';
import { startLspServer, type LspServer } from '../../support/lspServer';
import { startTestIndex, type TestIndex } from '../../support/testIndex';
import { tempDir } from '../../helpers/tempDirs';

let index: TestIndex;
let lsp: LspServer;
const published: PublishDiagnosticsParams[] = [];
const workspace = tempDir('lsp-checkall');

function file(relative: string, text: string): string {
  const path = join(workspace, relative);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return pathToFileURL(path).href;
}

before(async () => {
  index = await startTestIndex({ projects: { flask: { versions: { '3.0.0': {} } } } });
  lsp = await startLspServer({
    workspace,
    configuration: (section) => (section === 'reqguard' ? { index: { url: index.simpleUrl, isolated: true } } : {}),
    listen: (client) => client.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => void published.push(params)),
  });
});

after(async () => {
  await lsp.stop();
  await index.close();
});

test('closed files get offline and index diagnostics, published and counted', async () => {
  const typo = file('a/requirements.txt', 'flsk==1.0\n');
  const fine = file('b/requirements.txt', 'flask==3.0.0\n');
  const result = await lsp.connection.sendRequest(CHECK_FILES_REQUEST, { uris: [typo, fine] });
  assert.deepEqual(result, { checked: 2, errors: 1, warnings: 2 });
  const codes = (uri: string) => published.filter((params) => params.uri === uri).map((params) => params.diagnostics.map((d) => d.code).sort());
  assert.deepEqual(codes(typo), [['unhashed', 'unknown-project']]);
  assert.deepEqual(codes(fine), [['unhashed']]);
});

test('a cancelled check publishes nothing for the files still being checked', async () => {
  index.setFault('simple-project', { kind: 'latency', ms: 1500 });
  try {
    const slow = file('c/requirements.txt', 'zzz-not-there==1.0\n');
    const source = new CancellationTokenSource();
    const answer = lsp.connection.sendRequest(CHECK_FILES_REQUEST, { uris: [slow] }, source.token).catch((error: Error) => error);
    setTimeout(() => source.cancel(), 200);
    await answer;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    assert.deepEqual(published.filter((params) => params.uri === slow), []);
  } finally {
    index.setFault('simple-project', undefined);
  }
});
