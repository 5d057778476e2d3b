// Diagnostics as VS Code shows them: the offline findings of a requirements file, the library
// rules of setup.py, pyproject.toml and setup.cfg, a lock file left alone, and an index finding (which also proves *.in files are not asked for pins).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, diagnosticsWhere, hasCode, uriOf } from './helpers';

describe('diagnostics', () => {
  it('requirements.txt: unpinned and unhashed entries are warnings on their lines', async () => {
    const uri = uriOf('requirements.txt');
    await vscode.workspace.openTextDocument(uri);
    const diagnostics = await diagnosticsWhere(uri, 'unpinned and unhashed', (d) => Boolean(hasCode(d, 'unpinned', 1) && hasCode(d, 'unhashed', 2)));
    const unpinned = hasCode(diagnostics, 'unpinned', 1)!;
    assert.equal(unpinned.severity, vscode.DiagnosticSeverity.Warning);
    assert.deepEqual([unpinned.range.start.character, unpinned.range.end.character], [0, 'flask>=2.0'.length]);
    assert.match(unpinned.message, /flask/i);
    assert.equal(hasCode(diagnostics, 'unhashed', 2)!.severity, vscode.DiagnosticSeverity.Warning);
  });

  it('requirements-dev.txt: an entry after -r is checked too', async () => {
    const uri = uriOf('requirements-dev.txt');
    await vscode.workspace.openTextDocument(uri);
    await diagnosticsWhere(uri, 'unpinned urllib3', (d) => Boolean(hasCode(d, 'unpinned', 1)));
  });

  it('setup.py: an exact pin in install_requires is exact-pin-in-library (information), a range is fine', async () => {
    const uri = uriOf('setup.py');
    const document = await vscode.workspace.openTextDocument(uri);
    const diagnostics = await diagnosticsWhere(uri, 'exact-pin-in-library', (d) => Boolean(hasCode(d, 'exact-pin-in-library')));
    const pin = hasCode(diagnostics, 'exact-pin-in-library')!;
    assert.equal(pin.severity, vscode.DiagnosticSeverity.Information);
    assert.equal(document.getText(pin.range), '==2.31.0');
    assert.equal(pin.range.start.line, 5);
    assert.equal(diagnostics.filter((d) => d.range.start.line === 5).length, 1, 'nothing about flask>=2');
  });

  for (const file of ['pyproject.toml', 'lib/setup.cfg']) {
    it(`${file}: an exact pin is exact-pin-in-library (information), a range is fine`, async () => {
      const uri = uriOf(file);
      const document = await vscode.workspace.openTextDocument(uri);
      const diagnostics = await diagnosticsWhere(uri, 'exact-pin-in-library', (d) => Boolean(hasCode(d, 'exact-pin-in-library')));
      const pin = hasCode(diagnostics, 'exact-pin-in-library')!;
      assert.equal(pin.severity, vscode.DiagnosticSeverity.Information);
      assert.equal(document.getText(pin.range), '==2.31.0');
      assert.deepEqual(diagnostics.filter((d) => document.lineAt(d.range.start.line).text.includes('flask')), [], 'nothing about flask>=2');
    });
  }

  it('pylock.toml: read as a PEP 751 lock file, never as a requirements file (no bogus syntax errors)', async () => {
    const uri = uriOf('pylock.toml');
    await vscode.workspace.openTextDocument(uri);
    const diagnostics = await diagnosticsWhere(uri, 'pylock-invalid on [[packages]]', (d) => Boolean(hasCode(d, 'pylock-invalid', 3)));
    assert.deepEqual(diagnostics.map((d) => [codeOf(d), d.range.start.line]), [['pylock-invalid', 3]]);
    assert.match(hasCode(diagnostics, 'pylock-invalid')!.message, /no source/);
  });

  it('requirements.in: an unknown project is reported, but pip-compile inputs are not asked for pins', async () => {
    const uri = uriOf('requirements.in');
    await vscode.workspace.openTextDocument(uri);
    const diagnostics = await diagnosticsWhere(uri, 'unknown-project on flaskk', (d) => Boolean(hasCode(d, 'unknown-project', 1)));
    assert.match(hasCode(diagnostics, 'unknown-project', 1)!.message, /did you mean .*flask\b/i);
    assert.equal(hasCode(diagnostics, 'unpinned'), undefined);
  });
});
