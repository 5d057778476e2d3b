// Workspace trust through the bundled server: in Restricted Mode a file's own --index-url is
// recorded, not followed (the "evil" index it names gets no request at all, the status says so),
// and once the client says the workspace is trusted, the file's index is used.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import type { IndexStatus } from '../../../server/src/protocol';
import { WORKSPACE_TRUSTED_NOTIFICATION } from '../../../server/src/protocol';
import { startLspServer, type LspServer } from '../../support/lspServer';
import { until } from '../../support/until';
import { startTestIndex, type TestIndex } from '../../support/testIndex';
import { tempDir } from '../../helpers/tempDirs';

let trustedIndex: TestIndex;
let evil: TestIndex;
let lsp: LspServer;
const published: PublishDiagnosticsParams[] = [];
const statuses: IndexStatus[] = [];
const workspace = tempDir('lsp-trust');

before(async () => {
  trustedIndex = await startTestIndex({ projects: { flask: { versions: { '3.0.0': {} } } } });
  evil = await startTestIndex({ projects: { flask: { versions: { '9.9.9': {} } } } });
  lsp = await startLspServer({
    workspace,
    configuration: (section) => (section === 'reqguard' ? { index: { url: trustedIndex.simpleUrl } } : {}),
    initializationOptions: { workspaceTrusted: false },
    listen: (client) => {
      client.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => void published.push(params));
      client.onNotification('reqguard/indexStatus', (status: IndexStatus) => void statuses.push(status));
    },
  });
});

after(async () => {
  await lsp.stop();
  await Promise.all([trustedIndex.close(), evil.close()]);
});

test('Restricted Mode: the file names an index, reqguard asks the user-level one; trusting the workspace switches at once', async () => {
  const text = `--index-url ${evil.simpleUrl}\nflask==1.0\n`;
  const path = join(workspace, 'requirements.txt');
  writeFileSync(path, text);
  const uri = pathToFileURL(path).href;
  await lsp.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'pip-requirements', version: 1, text } });

  const restricted = await until(() => statuses.find((s) => s.uri === uri), 'the index status');
  assert.equal(restricted.primary, trustedIndex.simpleUrl);
  assert.equal(restricted.source, 'settings');
  assert.deepEqual(restricted.ignoredFileOptions, [`--index-url ${evil.simpleUrl}`]);
  // The user-level index answers: flask 1.0 is not there (3.0.0 is).
  const fromTrusted = await until(() => published.find((p) => p.uri === uri && p.diagnostics.some((d) => d.code === 'unknown-version')), 'index diagnostics');
  assert.match(String(fromTrusted.diagnostics.find((d) => d.code === 'unknown-version')!.message), /3\.0\.0/);
  assert.deepEqual(evil.requests, [], 'the untrusted file chose no host');

  await lsp.connection.sendNotification(WORKSPACE_TRUSTED_NOTIFICATION.method);
  const trusted = await until(() => statuses.find((s) => s.uri === uri && s.primary === evil.simpleUrl), 'the status after trust');
  assert.equal(trusted.source, 'file');
  assert.equal(trusted.ignoredFileOptions, undefined);
  await until(() => published.find((p) => p.uri === uri && p.diagnostics.some((d) => d.code === 'unknown-version' && /9\.9\.9/.test(String(d.message)))), 'diagnostics from the file\'s index');
  assert.ok(evil.requests.length > 0);
});
