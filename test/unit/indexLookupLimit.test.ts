// Index checks look up at most MAX_PROJECT_LOOKUPS projects of one file and say so once: a
// generated file of 200,000 distinct names once ran for minutes, gigabytes and 28,825 requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument } from '../../server/src/engine/documents';
import { indexDiagnostics } from '../../server/src/features/indexDiagnostics';
import { MAX_PROJECT_LOOKUPS } from '../../server/src/features/indexDiagnostics/shared';
import { indexError } from '../../server/src/index/errors';
import type { PackageIndex } from '../../server/src/index/packageIndex';
import { DEFAULT_SETTINGS } from '../../server/src/settings';

/** An index that has no project at all, counting what it is asked. */
function emptyIndex(): { index: PackageIndex; asked: string[] } {
  const asked: string[] = [];
  const index: PackageIndex = {
    effective: { primary: 'https://index.example/simple/', extra: [], extraOrigins: [], findLinks: [], source: 'default', offline: false, prereleases: false, ignoredFileOptions: [] },
    project: async (name) => {
      asked.push(name);
      return { ok: false, error: indexError('not-found', `https://index.example/simple/${name}/`, 'not found', 404) };
    },
    details: async () => undefined,
    fileSha256: async () => ({ ok: false, error: indexError('not-found', '', 'no file') }),
    metadata: async () => ({ ok: false, error: indexError('not-found', '', 'no file') }),
    projectNames: async () => ({ ok: true, value: [] }),
    provenance: async () => undefined,
  };
  return { index, asked };
}

async function diagnose(text: string, path = '/work/requirements.txt') {
  const { index, asked } = emptyIndex();
  const document = TextDocument.create(`file://${path}`, 'pip-requirements', 1, text);
  const diagnostics = await indexDiagnostics(analyzeDocument(document, path), { index, settings: DEFAULT_SETTINGS });
  return { diagnostics, asked };
}

test(`a file naming more than ${MAX_PROJECT_LOOKUPS} projects: the first ones are looked up, the rest told once`, async () => {
  const extra = 1500;
  // Early projects named again after the bound are still checked: they cost no lookup.
  const lines = [...Array.from({ length: MAX_PROJECT_LOOKUPS + extra }, (_, i) => `project-${i}==1.0`), 'project-0==1.0', 'project-1>=2'];
  const { diagnostics, asked } = await diagnose(lines.join('\n') + '\n');
  assert.equal(new Set(asked).size, MAX_PROJECT_LOOKUPS);
  const limited = diagnostics.filter((d) => d.code === 'index-checks-limited');
  assert.equal(limited.length, 1);
  assert.equal(limited[0].range.start.line, MAX_PROJECT_LOOKUPS, 'on the first entry left out');
  assert.match(String(limited[0].message), /stop after 5,000 projects: this one and 1,499 more/);
  const unknownLines = diagnostics.filter((d) => d.code === 'unknown-project').map((d) => d.range.start.line);
  assert.equal(unknownLines.length, MAX_PROJECT_LOOKUPS + 2);
  assert.ok(unknownLines.every((line) => line < MAX_PROJECT_LOOKUPS || line >= MAX_PROJECT_LOOKUPS + extra), 'a project past the bound was judged');
});

test('at the bound exactly, nothing is left out and nothing is said', async () => {
  const lines = Array.from({ length: MAX_PROJECT_LOOKUPS }, (_, i) => `project-${i}==1.0`);
  const { diagnostics, asked } = await diagnose(lines.join('\n') + '\n');
  assert.equal(asked.length, MAX_PROJECT_LOOKUPS);
  assert.equal(diagnostics.filter((d) => d.code === 'index-checks-limited').length, 0);
});

test('setup.py: the same bound for the names it declares', async () => {
  const names = Array.from({ length: MAX_PROJECT_LOOKUPS + 2 }, (_, i) => `"project-${i}"`);
  const { diagnostics, asked } = await diagnose(`from setuptools import setup\nsetup(install_requires=[${names.join(', ')}])\n`, '/work/setup.py');
  assert.equal(asked.length, MAX_PROJECT_LOOKUPS);
  assert.deepEqual(diagnostics.filter((d) => d.code === 'index-checks-limited').map((d) => String(d.message).match(/this one and (\d+) more/)?.[1]), ['1']);
});
