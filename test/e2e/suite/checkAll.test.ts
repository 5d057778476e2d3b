// "reqguard: Check all dependency files" on a folder (as the Explorer's context menu runs it): the
// files there (requirements files and library manifests) that were never opened get their diagnostics, index findings included, in the
// Problems view; node_modules is skipped.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, diagnosticsWhere, hasCode, uriOf } from './helpers';

describe('check all dependency files', () => {
  it('checks every requirements file and manifest under the folder without opening it, index findings included', async () => {
    const api = uriOf('services/api/requirements.txt');
    const summary = (await vscode.commands.executeCommand('reqguard.checkAll', uriOf('services'))) as { checked: number; errors: number; warnings: number; cancelled: boolean };
    await vscode.commands.executeCommand('notifications.clearAll');
    assert.deepEqual({ checked: summary.checked, cancelled: summary.cancelled }, { checked: 3, cancelled: false });
    assert.equal(summary.errors, 1, 'flaskk is not on the index');
    const diagnostics = await diagnosticsWhere(api, 'unknown-project on flaskk', (d) => Boolean(hasCode(d, 'unknown-project', 0)));
    assert.match(hasCode(diagnostics, 'unknown-project', 0)!.message, /did you mean .*flask\b/i);
    assert.ok(!vscode.workspace.textDocuments.some((document) => document.uri.toString() === api.toString()), 'the file was not opened');
    // requests needs urllib3, which the file does not pin.
    assert.deepEqual(vscode.languages.getDiagnostics(uriOf('services/worker/requirements.txt')).map(codeOf), ['unhashed', 'missing-dependency']);
    assert.deepEqual(vscode.languages.getDiagnostics(uriOf('services/node_modules/pkg/requirements.txt')), []);
    // A library's pyproject.toml is found by its name: a pin there is a range's job.
    assert.deepEqual(vscode.languages.getDiagnostics(uriOf('services/lib/pyproject.toml')).map(codeOf), ['exact-pin-in-library']);
  });
});
