// Complete files in the editor, through the bundled server with a real index of real dependency
// graphs: the seed's example (`Django`, `psycopg2-binary`) becomes, with one "Pin and hash all",
// a file the real pips install with --require-hashes; a pinned file without its dependencies gets
// missing-dependency, whose quick fix "Add N missing dependencies (pinned and hashed)" completes it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, PublishDiagnosticsParams, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DJANGO_FIXTURE } from '../../support/dependencyGraphs';
import { PIP, PIP26, skipWithout } from '../../support/optionalProgram';
import { pipPythonVersion, runPip, type PipVersion } from '../../support/pip';
import { startLspServer, type LspServer } from '../../support/lspServer';
import { startTestIndex, type TestIndex } from '../../support/testIndex';
import { until } from '../../support/until';
import { tempDir } from '../../helpers/tempDirs';

let index: TestIndex;
let lsp: LspServer;
const published: PublishDiagnosticsParams[] = [];
const workspace = tempDir('lsp-complete');

before(async () => {
  index = await startTestIndex(DJANGO_FIXTURE);
  const pythonVersion = await pipPythonVersion();
  lsp = await startLspServer({
    workspace,
    configuration: (section) => (section === 'reqguard' ? { index: { url: index.simpleUrl }, pythonVersion } : {}),
    listen: (client) => client.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => void published.push(params)),
  });
});
after(async () => {
  await lsp.stop();
  await index.close();
});

let counter = 0;
async function open(text: string): Promise<{ uri: string; path: string }> {
  const path = join(workspace, `requirements-${++counter}.txt`);
  writeFileSync(path, text);
  const uri = pathToFileURL(path).href;
  await lsp.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'pip-requirements', version: 1, text } });
  return { uri, path };
}

const apply = (text: string, edits: readonly TextEdit[]) => TextDocument.applyEdits(TextDocument.create('x', 'x', 1, text), [...edits]);

async function pipsInstall(path: string, text: string): Promise<void> {
  writeFileSync(path, text);
  for (const [which, program] of [['system', PIP], ['pip26', PIP26]] as [PipVersion, typeof PIP][]) {
    if (skipWithout(program)) continue;
    const install = await runPip(which, ['install', '--dry-run', '--ignore-installed', '--require-hashes', '-r', path, '--index-url', index.simpleUrl]);
    assert.equal(install.status, 0, `${which}: ${install.stderr}\n${text}`);
  }
}

test("the seed's example: one fix-all makes Django and psycopg2-binary a file pip installs with --require-hashes", { skip: skipWithout(PIP) }, async () => {
  const text = 'Django\npsycopg2-binary\n';
  const { uri, path } = await open(text);
  const actions = (await lsp.connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [], only: ['source.fixAll.reqguard'] },
  })) as CodeAction[];
  assert.equal(actions.length, 1, actions.map((a) => a.title).join(' | '));
  const fixed = apply(text, (actions[0].edit as WorkspaceEdit).changes?.[uri] ?? []);
  assert.deepEqual(fixed.split('\n').filter((line) => /^[a-z]/i.test(line)).map((line) => line.split(' ')[0]), ['asgiref==3.8.1', 'Django==5.2.17', 'psycopg2-binary==2.9.10', 'sqlparse==0.5.3']);
  await pipsInstall(path, fixed);
  // The command makes the same edit.
  const command = (await lsp.connection.sendRequest('reqguard/pinAndHashAll', { uri })) as WorkspaceEdit;
  const change = command.documentChanges?.[0];
  assert.ok(change && 'edits' in change);
  assert.equal(apply(text, change.edits as TextEdit[]), fixed);
});

test('missing-dependency on a hashed pin, and its quick fix completes the file', { skip: skipWithout(PIP) }, async () => {
  // Pinned and hashed by the fix-all without completion: take the Django entry from a fixed file.
  const seed = await open('Django\n');
  const all = (await lsp.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: seed.uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll.reqguard'] } })) as CodeAction[];
  const complete = apply('Django\n', (all[0].edit as WorkspaceEdit).changes?.[seed.uri] ?? []);
  const djangoOnly = complete.slice(complete.indexOf('Django=='), complete.indexOf('sqlparse=='));
  const { uri, path } = await open(djangoOnly);
  const withIndex = await until(() => published.find((p) => p.uri === uri && p.diagnostics.some((d) => d.code === 'missing-dependency')), 'missing-dependency');
  const missing = withIndex.diagnostics.find((d) => d.code === 'missing-dependency')!;
  assert.equal(missing.severity, 1, 'an error in hash mode');
  assert.match(String(missing.message), /^django==5\.2\.17 requires asgiref>=3\.8\.1 and sqlparse>=0\.3\.1, which this file does not pin/);
  const actions = (await lsp.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: missing.range, context: { diagnostics: [missing] } })) as CodeAction[];
  const add = actions.find((a) => a.title === 'Add 2 missing dependencies (pinned and hashed)');
  assert.ok(add, actions.map((a) => a.title).join(' | '));
  const fixed = apply(djangoOnly, (add.edit as WorkspaceEdit).changes?.[uri] ?? []);
  assert.ok(fixed.startsWith('asgiref==3.8.1 \\\n'), fixed);
  assert.ok(fixed.includes(djangoOnly), 'the existing entry is untouched');
  await pipsInstall(path, fixed);
});
