// "reqguard: Create requirements.txt from environment": the server reads the environment of the
// interpreter chosen in the Python extension (else python3 on PATH) and answers an edit that
// creates or updates a requirements file, every installed package pinned and hashed. The user
// picks the file: the open requirements file, or a new one (default: requirements.txt in the
// workspace folder). Progress and cancel in a notification; what was left out is shown after.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { WorkDoneProgress } from 'vscode-languageclient/node';
import { FREEZE_REQUEST, REQUIREMENTS_LANGUAGE_ID, type FreezeParams } from '../../server/src/protocol';

/** Where to write: the open requirements file, or a file the user names; undefined when dismissed. */
async function chooseOutput(folder: vscode.WorkspaceFolder | undefined): Promise<vscode.Uri | undefined> {
  const open = vscode.window.activeTextEditor?.document;
  const newFile = async () => vscode.window.showSaveDialog({ defaultUri: folder ? vscode.Uri.joinPath(folder.uri, 'requirements.txt') : undefined, filters: { 'Requirements files': ['txt'] }, saveLabel: 'Create' });
  if (!open || open.languageId !== REQUIREMENTS_LANGUAGE_ID || open.uri.scheme !== 'file') return newFile();
  const update = `Update ${vscode.workspace.asRelativePath(open.uri)}`;
  const picked = await vscode.window.showQuickPick([update, 'Create a new file…'], { placeHolder: 'Write the installed packages where?' });
  if (picked === undefined) return undefined;
  return picked === update ? open.uri : newFile();
}

/** Runs the command; `interpreterFor` gives the Python extension's interpreter for a folder (undefined: the server's default). */
export async function freezeEnvironment(client: LanguageClient, interpreterFor: (folder: vscode.WorkspaceFolder | undefined) => string | undefined): Promise<boolean> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showErrorMessage('reqguard: reading an environment runs its Python interpreter: trust the workspace first.');
    return false;
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  const folder = (active && vscode.workspace.getWorkspaceFolder(active)) ?? vscode.workspace.workspaceFolders?.[0];
  const output = await chooseOutput(folder);
  if (!output) return false;
  const interpreter = interpreterFor(folder);
  const workDoneToken = `reqguard-freeze-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const params: FreezeParams = { outputUri: output.toString(), workDoneToken, ...(interpreter ? { interpreter } : {}) };
  const answer = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'reqguard: Create requirements.txt from environment', cancellable: true }, async (progress, token) => {
    const listening = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
      if (value.kind !== 'end' && value.message) progress.report({ message: value.message });
    });
    try {
      return await client.sendRequest(FREEZE_REQUEST, params, token);
    } finally {
      listening.dispose();
    }
  });
  if (answer.outcome === 'cancelled') return false;
  if (answer.outcome === 'incomplete' || answer.outcome === 'invalid') {
    void vscode.window.showErrorMessage(`reqguard: nothing written: ${answer.message}`);
    return false;
  }
  if (answer.edit) {
    const edit = await client.protocol2CodeConverter.asWorkspaceEdit(answer.edit);
    if (!(await vscode.workspace.applyEdit(edit))) return false;
    await vscode.workspace.textDocuments.find((document) => document.uri.toString() === output.toString())?.save();
  }
  await vscode.window.showTextDocument(output, { preview: false });
  if (answer.leftOut.length > 0) void vscode.window.showWarningMessage(`reqguard: ${answer.message}: ${answer.leftOut.join('; ')}`);
  else void vscode.window.showInformationMessage(`reqguard: ${answer.message}`);
  return true;
}
