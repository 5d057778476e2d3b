// Completion in process, against a fake index that records what it was asked: which word the
// cursor is in (name, extra, version, option) and the range an item replaces, on ordinary lines
// and on hostile ones (long runs of spaces, backslashes and continued lines), whose lexical scan
// must stay linear. Completion against a real index is in test/integration/completion.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionList, TextEdit } from 'vscode-languageserver-types';
import { analyzeDocument } from '../../server/src/engine/documents';
import { completion } from '../../server/src/features/completion';
import { indexError } from '../../server/src/index/errors';
import type { PackageIndex, ProjectData } from '../../server/src/index/packageIndex';

const VERSIONS = ['1.16.0', '1.15.0'];

/** An index with one project, `six`, that remembers every question. */
function fakeIndex(asked: string[]): PackageIndex {
  const project = (name: string): ProjectData => ({
    name,
    versions: VERSIONS,
    files: VERSIONS.map((version) => ({
      filename: `${name}-${version}-py3-none-any.whl`,
      url: `https://index.example/${name}-${version}-py3-none-any.whl`,
      hashes: {},
      yanked: false,
      coreMetadata: false,
      kind: 'wheel',
      version,
      uploadTime: '2021-05-05T00:00:00Z',
      source: 'https://index.example/simple/',
    })),
    stale: false,
    freshness: 'memory',
    fetchedAt: 0,
    problems: [],
    indexes: [{ source: 'https://index.example/simple/', newest: VERSIONS[0] }],
    statuses: [],
  });
  return {
    effective: { extra: [], extraOrigins: [], findLinks: [], source: 'default', offline: true, prereleases: false, ignoredFileOptions: [] },
    project: async (name) => {
      asked.push(`project ${name}`);
      return { ok: true, value: project(name) };
    },
    details: async (name) => {
      asked.push(`details ${name}`);
      return undefined;
    },
    fileSha256: async () => ({ ok: true, value: '' }),
    metadata: async () => ({ ok: false, error: indexError('not-found', '', 'no metadata') }),
    provenance: async () => undefined,
    projectNames: async () => {
      asked.push('names');
      return { ok: true, value: ['six', 'sixer'] };
    },
  } as PackageIndex;
}

interface Asked {
  readonly asked: string[];
  readonly labels: string[];
  /** The document text the first item's edit replaces. */
  readonly replaces?: string;
}

/** Completion at the end of `text` (or at `offset`). */
async function complete(text: string, offset = text.length): Promise<Asked> {
  const document = TextDocument.create('file:///w/requirements.txt', 'pip-requirements', 1, text);
  const asked: string[] = [];
  const list: CompletionList = await completion(analyzeDocument(document, '/w/requirements.txt'), offset, { index: fakeIndex(asked) });
  const edit = list.items[0]?.textEdit as TextEdit | undefined;
  const replaces = edit && text.slice(document.offsetAt(edit.range.start), document.offsetAt(edit.range.end));
  return { asked, labels: list.items.map((item) => item.label), ...(replaces === undefined ? {} : { replaces }) };
}

const VERSION_ANSWER = { asked: ['project six'], labels: VERSIONS, replaces: '' };

test('versions after an operator; names at the start; options after a dash', async () => {
  assert.deepEqual(await complete('six=='), VERSION_ANSWER);
  assert.deepEqual(await complete('six [socks] (>=1.0, <'), VERSION_ANSWER);
  assert.deepEqual(await complete('Six_Name>=1,<2,!=1.5,~=1.1'), { asked: ['project six-name'], labels: VERSIONS, replaces: '1.1' });
  assert.deepEqual(await complete('si'), { asked: ['names'], labels: ['six', 'sixer'], replaces: 'si' });
  assert.deepEqual(await complete('six[so'), { asked: ['details six'], labels: [] });
  assert.ok((await complete('six==1.0 --ha')).labels.includes('--hash'));
  // Not a version: trailing space after the version, a name ending in a dash, an unclosed quote.
  for (const text of ['six==1.0 ', 'six- ==', 'six== "1', 'six ; python_version ==']) {
    assert.deepEqual(await complete(text), { asked: [], labels: [] }, text);
  }
});

test('a continued line is read as pip joins it; a comment line ends it', async () => {
  assert.deepEqual(await complete('six \\\n  >=1.0,\\\n  <'), VERSION_ANSWER);
  assert.deepEqual(await complete('\\\\six\\\\\\\n=='), VERSION_ANSWER);
  assert.deepEqual(await complete('six \\\n# comment \\\n=='), { asked: [], labels: [] });
});

// Hostile lines: before, one regex with several `\s*` in a row backtracked cubically on these
// (`six` + 4,000 spaces took 56 s; 8,000 continued lines 67 s; each keystroke blocked the server).

test('hostile: 200,000 spaces between the name and the operator', async () => {
  assert.deepEqual(await complete('six' + ' '.repeat(200_000) + '=='), VERSION_ANSWER);
  assert.deepEqual(await complete('six' + ' '.repeat(200_000)), { asked: [], labels: [] });
  assert.deepEqual(await complete('six==1.0,' + ' '.repeat(200_000) + '<'), VERSION_ANSWER);
});

test('hostile: 50,000 continued lines of spaces and backslashes', async () => {
  assert.deepEqual(await complete('six' + ' \\\n'.repeat(50_000) + '=='), VERSION_ANSWER);
  assert.deepEqual(await complete('six' + '\\\n'.repeat(50_000)), { asked: [], labels: [] });
  assert.deepEqual(await complete('six==' + '\\'.repeat(100_000) + '1\\\n'), { asked: [], labels: [] });
});

test('hostile: a 500,000-character word before the option being typed', async () => {
  const list = await complete('six==1.0 --hash=sha256:' + 'a'.repeat(500_000) + ' --ha');
  assert.ok(list.labels.includes('--hash'));
  assert.equal(list.replaces, '--ha');
});
