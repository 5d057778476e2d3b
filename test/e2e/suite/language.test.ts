// Every file pattern the manifest gives the pip-requirements language, and setup.py staying Python.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, uriOf } from './helpers';

/** A sample file for each `filenames` / `filenamePatterns` / `extensions` entry of package.json. */
const SAMPLES: Record<string, string> = {
  'requirements.txt': 'requirements.txt',
  'requirements.in': 'requirements.in',
  'constraints.txt': 'constraints.txt',
  'constraints.in': 'constraints.in',
  '**/*requirements*.txt': 'requirements-dev.txt',
  '**/*requirements*.in': 'dev-requirements.in',
  '**/*constraints*.txt': 'test-constraints.txt',
  '**/*constraints*.in': 'pip-constraints.in',
  '**/requirements/*.txt': 'requirements/base.txt',
  '**/requirements/*.in': 'requirements/base.in',
  '**/constraints/*.txt': 'constraints/pins.txt',
  '.pip': 'extra.pip',
};

describe('language detection', () => {
  it('covers every pattern the manifest declares', () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { languages: { id: string; filenames?: string[]; filenamePatterns?: string[]; extensions?: string[] }[] };
    };
    const language = manifest.contributes.languages.find((l) => l.id === 'pip-requirements')!;
    const declared = [...(language.filenames ?? []), ...(language.filenamePatterns ?? []), ...(language.extensions ?? [])].sort();
    assert.deepEqual(declared, Object.keys(SAMPLES).sort(), 'a pattern was added or removed: give it a sample file here');
  });

  for (const [pattern, file] of Object.entries(SAMPLES)) {
    it(`${file} (${pattern}) opens as pip-requirements`, async () => {
      const document = await vscode.workspace.openTextDocument(uriOf(file));
      assert.equal(document.languageId, 'pip-requirements');
    });
  }

  it('setup.py stays python', async () => {
    const document = await vscode.workspace.openTextDocument(uriOf('setup.py'));
    assert.equal(document.languageId, 'python');
  });

  for (const file of ['pyproject.toml', 'lib/setup.cfg', 'pylock.toml', 'Pipfile.lock']) {
    it(`${file} keeps its own language (reqguard picks manifests by name, and leaves lock files alone)`, async () => {
      const document = await vscode.workspace.openTextDocument(uriOf(file));
      assert.notEqual(document.languageId, 'pip-requirements');
    });
  }

  it('an unrelated .txt file stays plain text', async () => {
    const document = await vscode.workspace.openTextDocument(uriOf('notes.txt'));
    assert.equal(document.languageId, 'plaintext');
  });
});
