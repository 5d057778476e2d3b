// The bundled server keeps an index's "not found" in its persisted cache (the extension's storage
// folder), so a restarted server still reports unknown-project while the index is down.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { startLspServer, type LspServer } from '../../support/lspServer';
import { startTestIndex, type TestIndex } from '../../support/testIndex';
import { until } from '../../support/until';
import { ageCachedAnswers } from '../cli/runCli';
import { tempDir } from '../../helpers/tempDirs';

let index: TestIndex;
const workspace = tempDir('lsp-absent');
const storagePath = join(workspace, '.storage');

before(async () => {
  index = await startTestIndex({ projects: { requests: { versions: { '2.31.0': {} } } } });
});
after(() => index.close());

/** A server over `storagePath`; the diagnostics it publishes for `uri` land in `published`. */
async function server(published: PublishDiagnosticsParams[]): Promise<LspServer> {
  return startLspServer({
    workspace,
    configuration: (section) => (section === 'reqguard' ? { index: { url: index.simpleUrl, isolated: true }, http: { timeoutSeconds: 5 } } : {}),
    initializationOptions: { storagePath },
    listen: (client) => client.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => void published.push(params)),
  });
}

test('a restarted server reports unknown-project from the kept "not found" while the index fails', async () => {
  const text = 'reqeusts==2.31.0\n';
  const path = join(workspace, 'requirements.txt');
  writeFileSync(path, text);
  const uri = pathToFileURL(path).href;
  const open = (lsp: LspServer) => lsp.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'pip-requirements', version: 1, text } });
  const unknown = (published: PublishDiagnosticsParams[]) => published.find((params) => params.uri === uri && params.diagnostics.some((d) => d.code === 'unknown-project'));

  const firstRun: PublishDiagnosticsParams[] = [];
  const first = await server(firstRun);
  await open(first);
  await until(() => unknown(firstRun), 'unknown-project from the index');
  await first.stop();

  ageCachedAnswers(join(storagePath, 'index-cache'));
  index.setFault('simple-project', { kind: 'status', status: 503 });
  const secondRun: PublishDiagnosticsParams[] = [];
  const second = await server(secondRun);
  try {
    const asked = index.requests.length;
    await open(second);
    await until(() => unknown(secondRun), 'unknown-project while the index is down');
    assert.ok(index.requests.length > asked, 'the index was asked (past the TTL) and failed');
  } finally {
    await second.stop();
    index.setFault('simple-project', undefined);
  }
});
