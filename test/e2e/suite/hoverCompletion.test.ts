// Hover and version completion, both answered from the loopback test index.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXPECTED } from '../fixture';
import { hoverText, indexUrl, until, uriOf } from './helpers';

describe('hover and completion', () => {
  it('hover on a requirement shows the versions the index has', async () => {
    const uri = uriOf('requirements.txt');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
    const text = await until(
      'a hover with versions',
      async () => {
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(1, 2));
        const text = hoverText(hovers ?? []);
        return text.includes(EXPECTED.flaskLatest) ? text : undefined;
      },
      { timeoutMs: 30_000 },
    );
    for (const version of EXPECTED.flaskVersions) assert.ok(text.includes(version), `${version} in ${text}`);
    assert.match(text, /A simple framework for building complex web applications/);
    assert.ok(text.includes(indexUrl()), 'the hover names the index it asked');
  });

  it('completion after == lists the versions newest first, without pre-releases or yanked ones', async () => {
    const uri = uriOf('requirements-complete.txt');
    await vscode.workspace.openTextDocument(uri);
    const labels = async (line: number, character: number) => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(line, character));
      return [...list.items]
        .filter((item) => item.kind !== vscode.CompletionItemKind.Text) // word-based suggestions
        .sort((a, b) => (a.sortText ?? label(a)).localeCompare(b.sortText ?? label(b)))
        .map(label);
    };
    const flask = await until('flask versions', async () => {
      const found = await labels(0, 'flask=='.length);
      return found.includes(EXPECTED.flaskLatest) ? found : undefined;
    });
    assert.deepEqual(flask, ['3.0.3', '2.3.3']);
    const requests = await labels(1, 'requests=='.length);
    assert.deepEqual(requests, ['2.32.3', '2.31.0'], `yanked ${EXPECTED.requestsYanked} is left out`);
  });
});

const label = (item: vscode.CompletionItem): string => (typeof item.label === 'string' ? item.label : item.label.label);
