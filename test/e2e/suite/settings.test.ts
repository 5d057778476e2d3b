// A settings change reaches the running server: reqguard.severity changes a diagnostic's severity
// without a restart, and removing the setting restores the default.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { diagnosticsWhere, hasCode, setWorkspaceSetting, uriOf } from './helpers';

describe('settings', () => {
  afterEach(() => setWorkspaceSetting('reqguard.severity', undefined));

  it('reqguard.severity { unpinned: error } turns the unpinned warning into an error, and back', async () => {
    const uri = uriOf('requirements-severity.txt');
    await vscode.workspace.openTextDocument(uri);
    const severityOf = (d: vscode.Diagnostic[]) => hasCode(d, 'unpinned', 0)?.severity;
    await diagnosticsWhere(uri, 'an unpinned warning', (d) => severityOf(d) === vscode.DiagnosticSeverity.Warning);
    await setWorkspaceSetting('reqguard.severity', { unpinned: 'error' });
    await diagnosticsWhere(uri, 'the unpinned diagnostic as an error', (d) => severityOf(d) === vscode.DiagnosticSeverity.Error);
    await setWorkspaceSetting('reqguard.severity', { unpinned: 'off' });
    const off = await diagnosticsWhere(uri, 'no unpinned diagnostic', (d) => severityOf(d) === undefined);
    assert.equal(hasCode(off, 'unpinned'), undefined);
    await setWorkspaceSetting('reqguard.severity', undefined);
    await diagnosticsWhere(uri, 'the unpinned warning again', (d) => severityOf(d) === vscode.DiagnosticSeverity.Warning);
  });
});
