// An index that cannot be reached (a closed loopback port): no crash, the offline findings stay,
// no index findings are claimed; pointing back at the index brings them back.
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { EXTENSION_ID, INDEX_CODES, codeOf, diagnosticsWhere, hasCode, hoverText, indexUrl, setWorkspaceSetting, uriOf } from './helpers';

/** A loopback port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('unreachable index', () => {
  let workingUrl: string;
  before(() => (workingUrl = indexUrl()));
  after(() => setWorkspaceSetting('reqguard.index.url', workingUrl));

  it('keeps the offline diagnostics, claims nothing from the index, and recovers', async () => {
    const uri = uriOf('requirements-offline.txt');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
    const offlineFindings = (d: vscode.Diagnostic[]) => Boolean(hasCode(d, 'unpinned', 0) && hasCode(d, 'unhashed', 1));
    const noIndexFindings = (d: vscode.Diagnostic[]) => !d.some((x) => INDEX_CODES.includes(codeOf(x)));
    // With the index: the unknown project is reported.
    await diagnosticsWhere(uri, 'unknown-project from the index', (d) => offlineFindings(d) && Boolean(hasCode(d, 'unknown-project', 1)));

    const deadUrl = `http://127.0.0.1:${await closedPort()}/simple/`;
    await setWorkspaceSetting('reqguard.index.url', deadUrl);
    await diagnosticsWhere(uri, 'offline findings only', (d) => offlineFindings(d) && noIndexFindings(d));

    // The server is still up and answering: a hover comes back (without index data), and asking the
    // index again did not bring back an index finding.
    const client = (vscode.extensions.getExtension(EXTENSION_ID)!.exports as { client?: { isRunning(): boolean } }).client;
    assert.ok(client?.isRunning(), 'the language client is still running');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(0, 2));
    assert.ok(!hoverText(hovers ?? []).includes('3.0.3'), 'no index data from a dead index');
    const settled = await diagnosticsWhere(uri, 'offline findings still there', (d) => offlineFindings(d));
    assert.ok(noIndexFindings(settled), `no index findings: ${settled.map(codeOf).join(', ')}`);

    await setWorkspaceSetting('reqguard.index.url', workingUrl);
    await diagnosticsWhere(uri, 'unknown-project again', (d) => offlineFindings(d) && Boolean(hasCode(d, 'unknown-project', 1)));
  });
});
