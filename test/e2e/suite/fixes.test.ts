// The fixes through VS Code's own paths: a quick fix from the code-action provider applied as a
// workspace edit, the "Pin and hash all" command, and source.fixAll.reqguard on save. Every saved
// file is then handed to the real pip in hash-checking mode, against the same index.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { pipInstallDryRun } from '../../support/pip';
import { EXPECTED } from '../fixture';
import { diagnosticsWhere, hasCode, indexUrl, openEditor, pinnedEntry, readOnDisk, releaseDigests, saveAndWait, setWorkspaceSetting, until, uriOf } from './helpers';

/** pip resolves the file from the test index in --require-hashes mode (dry run, nothing installed). */
async function assertPipAccepts(relative: string, ...projects: string[]): Promise<void> {
  const run = await pipInstallDryRun(uriOf(relative).fsPath, indexUrl());
  assert.equal(run.status, 0, `pip refused ${relative}:\n${run.stdout}\n${run.stderr}`);
  for (const project of projects) assert.match(run.stdout, new RegExp(`Would install .*\\b${project}-`), run.stdout);
}

describe('fixes', () => {
  it('"Pin to … and add hashes" from the code-action provider, applied and saved, is accepted by pip', async () => {
    const relative = 'requirements-pin.txt';
    const editor = await openEditor(relative);
    const uri = editor.document.uri;
    const [unpinned] = (await diagnosticsWhere(uri, 'unpinned flask', (d) => Boolean(hasCode(d, 'unpinned', 1)))).filter((d) => d.range.start.line === 1);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, unpinned.range, vscode.CodeActionKind.QuickFix.value);
    const titles = actions.map((a) => a.title);
    const action = actions.find((a) => a.title.startsWith(`Pin to ${EXPECTED.flaskLatest} and add hashes`));
    assert.ok(action?.edit, `no "Pin to ${EXPECTED.flaskLatest} and add hashes" with an edit in ${JSON.stringify(titles)}`);
    assert.ok(action.isPreferred, 'pin and hash is the preferred fix');
    assert.ok(await vscode.workspace.applyEdit(action.edit));
    const digests = await releaseDigests('flask', EXPECTED.flaskLatest);
    const expected = `# app\n${pinnedEntry(`flask==${EXPECTED.flaskLatest}`, digests, '  # web framework')}\n`;
    assert.equal(editor.document.getText(), expected);
    await saveAndWait(editor.document);
    assert.equal(readOnDisk(relative), expected);
    // The fixed entry is clean: its diagnostics go away.
    await diagnosticsWhere(uri, 'no diagnostics left', (d) => d.length === 0);
    await assertPipAccepts(relative, 'flask');
  });

  it('the command "reqguard.pinAndHashAll" fixes the whole file in one edit, accepted by pip', async () => {
    const relative = 'requirements-all.txt';
    const editor = await openEditor(relative);
    const applied = await vscode.commands.executeCommand<boolean>('reqguard.pinAndHashAll');
    assert.equal(applied, true);
    const text = editor.document.getText();
    const [flask, requests, urllib3] = await Promise.all([
      releaseDigests('flask', EXPECTED.flaskLatest),
      releaseDigests('requests', EXPECTED.requestsLatest),
      releaseDigests('urllib3', EXPECTED.urllib3Latest),
    ]);
    assert.equal(
      text,
      [
        '# services',
        pinnedEntry(`flask==${EXPECTED.flaskLatest}`, flask),
        pinnedEntry(`requests==${EXPECTED.requestsLatest}`, requests),
        pinnedEntry(`urllib3==${EXPECTED.urllib3Latest} ; python_version >= "3.8"`, urllib3),
        '',
      ].join('\n'),
    );
    // One edit: a single undo restores the original.
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), '# services\nflask>=2.0\nrequests\nurllib3>=2 ; python_version >= "3.8"\n');
    await vscode.commands.executeCommand('redo');
    assert.equal(editor.document.getText(), text);
    await saveAndWait(editor.document);
    assert.equal(readOnDisk(relative), text);
    await assertPipAccepts(relative, 'flask', 'requests', 'urllib3');
  });

  describe('fix on save (editor.codeActionsOnSave: source.fixAll.reqguard)', () => {
    afterEach(() => setWorkspaceSetting('editor.codeActionsOnSave', undefined));

    const fixOnSave = async () => {
      await setWorkspaceSetting('editor.codeActionsOnSave', { 'source.fixAll.reqguard': 'explicit' });
      await until('the setting in effect', () => {
        const value = vscode.workspace.getConfiguration('editor').get<Record<string, string>>('codeActionsOnSave');
        return value?.['source.fixAll.reqguard'] === 'explicit';
      });
    };

    it('Save (workbench.action.files.save) pins and hashes every entry, accepted by pip', async () => {
      await fixOnSave();
      const relative = 'requirements-save.txt';
      const editor = await openEditor(relative);
      // Save only writes a changed document: add a line, as a user would, then save.
      assert.ok(await editor.edit((builder) => builder.insert(new vscode.Position(1, 0), 'urllib3\n')));
      await saveAndWait(editor.document, () => vscode.commands.executeCommand('workbench.action.files.save'));
      const [flask, urllib3] = await Promise.all([releaseDigests('flask', EXPECTED.flaskLatest), releaseDigests('urllib3', EXPECTED.urllib3Latest)]);
      const expected = `${pinnedEntry(`flask==${EXPECTED.flaskLatest}`, flask)}\n${pinnedEntry(`urllib3==${EXPECTED.urllib3Latest}`, urllib3)}\n`;
      assert.equal(editor.document.getText(), expected);
      assert.equal(readOnDisk(relative), expected);
      await assertPipAccepts(relative, 'flask', 'urllib3');
    });

    it('TextDocument.save() from an extension runs it too', async () => {
      await fixOnSave();
      const relative = 'requirements-save-api.txt';
      const editor = await openEditor(relative);
      assert.ok(await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), '# added\n')));
      await saveAndWait(editor.document, () => editor.document.save());
      const [requests, urllib3] = await Promise.all([releaseDigests('requests', EXPECTED.requestsLatest), releaseDigests('urllib3', EXPECTED.urllib3Latest)]);
      // The file is completed too: requests needs urllib3, added pinned and hashed with its # via.
      assert.equal(editor.document.getText(), `# added\n${pinnedEntry(`requests==${EXPECTED.requestsLatest}`, requests)}\n${pinnedEntry(`urllib3==${EXPECTED.urllib3Latest}`, urllib3)}\n    # via requests\n`);
    });

    it('is off without the setting: a save writes the text as it is', async () => {
      const relative = 'requirements-save-off.txt';
      const editor = await openEditor(relative);
      assert.ok(await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), '# added\n')));
      await saveAndWait(editor.document, () => vscode.commands.executeCommand('workbench.action.files.save'));
      assert.equal(readOnDisk(relative), '# added\nflask>=2\n');
    });
  });
});
