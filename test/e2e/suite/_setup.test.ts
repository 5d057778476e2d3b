// Root hooks: the extension is active before the first test; afterwards no editor is left dirty
// or open and no setting a test changed survives (the UI checks run in the same window next).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, indexUrl, setWorkspaceSetting, workspaceRoot } from './helpers';

before(async function () {
  workspaceRoot();
  indexUrl();
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed in this VS Code`);
  await extension.activate();
  assert.ok(extension.isActive);
});

after(async function () {
  for (const section of ['editor.codeActionsOnSave', 'reqguard.severity']) await setWorkspaceSetting(section, undefined);
  for (const document of vscode.workspace.textDocuments.filter((d) => d.isDirty)) {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
});
