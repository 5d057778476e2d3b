// "Lock" in the bundled server: the CodeLens on a requirements.in, the lock request answered with
// progress (window/workDoneProgress) as an edit that creates requirements.txt, then one that
// changes only the lines that differ; a conflict answered with the reason and no edit.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ProtocolConnection } from 'vscode-languageserver-protocol/node';
import type { CodeLens, TextDocumentEdit, TextEdit, WorkDoneProgressBegin, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LOCK_COMMAND, LOCK_REQUEST } from '../../../server/src/protocol';
import { DJANGO_FIXTURE } from '../../support/dependencyGraphs';
import { PYTHON3, skipWithout } from '../../support/optionalProgram';
import { startLspServer, type LspServer } from '../../support/lspServer';
import { startTestIndex, type TestIndex } from '../../support/testIndex';
import { tempDir } from '../../helpers/tempDirs';

let index: TestIndex;
let lsp: LspServer;
let connection: ProtocolConnection;
const progress: string[] = [];
const workspace = tempDir('lsp-lock');
const input = join(workspace, 'requirements.in');
const inputUri = pathToFileURL(input).href;
let version = 1;

before(async () => {
  index = await startTestIndex(DJANGO_FIXTURE);
  lsp = await startLspServer({
    workspace,
    configuration: (section) => (section === 'reqguard' ? { index: { url: index.simpleUrl, isolated: true } } : {}),
    capabilities: { window: { workDoneProgress: true } },
    listen: (client) => {
      client.onRequest('window/workDoneProgress/create', () => null);
      client.onNotification('$/progress', (params: { value: WorkDoneProgressBegin | { kind: 'report' | 'end'; message?: string } }) => void progress.push(`${params.value.kind}${'message' in params.value && params.value.message ? `: ${params.value.message}` : ''}`));
    },
  });
  connection = lsp.connection;
});

after(async () => {
  await lsp?.stop();
  await index?.close();
});

async function open(text: string): Promise<void> {
  writeFileSync(input, text);
  if (version === 1) await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: inputUri, languageId: 'pip-requirements', version, text } });
  else await connection.sendNotification('textDocument/didChange', { textDocument: { uri: inputUri, version }, contentChanges: [{ text }] });
  version++;
}

/** The output text after applying the answer's edit to `before`. */
function applied(edit: WorkspaceEdit, before: string): string {
  const change = edit.documentChanges!.find((c): c is TextDocumentEdit => 'textDocument' in c)!;
  return TextDocument.applyEdits(TextDocument.create('file:///out', 'x', 0, before), change.edits as TextEdit[]);
}

test('a CodeLens on requirements.in runs Lock for it', { skip: skipWithout(PYTHON3) }, async () => {
  await open('Django\npsycopg2-binary\n');
  const lenses: CodeLens[] = await connection.sendRequest('textDocument/codeLens', { textDocument: { uri: inputUri } });
  assert.deepEqual(lenses.map((lens) => lens.command), [{ title: 'Lock → requirements.txt', command: LOCK_COMMAND, arguments: [inputUri] }]);
});

test('Lock answers an edit creating requirements.txt, with progress; then only the changed lines', { skip: skipWithout(PYTHON3) }, async () => {
  await open('Django\npsycopg2-binary\n');
  const answer = await connection.sendRequest(LOCK_REQUEST, { uri: inputUri });
  assert.equal(answer.outcome, 'locked', answer.message);
  assert.equal(answer.outputUri, pathToFileURL(join(workspace, 'requirements.txt')).href);
  assert.deepEqual(answer.edit!.documentChanges![0], { kind: 'create', uri: answer.outputUri, options: { overwrite: false, ignoreIfExists: false } });
  const text = applied(answer.edit!, '');
  assert.deepEqual([...text.matchAll(/^([a-z0-9-]+==\S+)/gm)].map((m) => m[1]), ['asgiref==3.8.1', 'django==5.2.17', 'psycopg2-binary==2.9.10', 'sqlparse==0.5.3']);
  assert.match(text, /# {4}reqguard lock requirements\.in -o requirements\.txt\n/);
  assert.equal(progress[0], 'begin: requirements.in → requirements.txt');
  assert.ok(progress.includes('end'));
  assert.ok(progress.some((p) => /^report: Hashed 4 of 4 releases$/.test(p)), progress.join('\n'));

  // On disk now: a narrower range moves django only, as a small edit.
  writeFileSync(join(workspace, 'requirements.txt'), text);
  await open('Django<5\npsycopg2-binary\n');
  const again = await connection.sendRequest(LOCK_REQUEST, { uri: inputUri });
  assert.equal(again.outcome, 'locked', again.message);
  const change = again.edit!.documentChanges![0] as TextDocumentEdit;
  assert.equal(change.edits.length, 1);
  assert.match(applied(again.edit!, text), /\ndjango==4\.2\.17 \\\n/);
  assert.match(applied(again.edit!, text), /\nasgiref==3\.8\.1 \\\n/, 'asgiref keeps its pin');
  writeFileSync(join(workspace, 'requirements.txt'), applied(again.edit!, text));
  const same = await connection.sendRequest(LOCK_REQUEST, { uri: inputUri });
  assert.equal(same.outcome, 'unchanged');
  assert.equal(same.edit, null);
});

test('a conflict is answered with the reason, and no edit', { skip: skipWithout(PYTHON3) }, async () => {
  await open('Django>=5\nasgiref<3.8\n');
  const answer = await connection.sendRequest(LOCK_REQUEST, { uri: inputUri });
  assert.equal(answer.outcome, 'conflict');
  assert.match(answer.message, /^Cannot install /);
  assert.match(answer.message, /django>=5 \(requirements\.in, line 1\)/);
  assert.match(answer.message, /asgiref<3\.8 \(requirements\.in, line 2\)/);
  assert.equal(answer.edit, null);
});

test('a pyproject.toml: the CodeLens offers its extras and groups, and Lock takes the ones picked', { skip: skipWithout(PYTHON3) }, async () => {
  const folder = join(workspace, 'lib');
  mkdirSync(folder);
  const manifest = join(folder, 'pyproject.toml');
  const uri = pathToFileURL(manifest).href;
  const text = '[project]\nname = "lib"\ndependencies = ["Django<5"]\n\n[project.optional-dependencies]\npg = ["psycopg2-binary"]\n\n[dependency-groups]\ndev = [{include-group = "tz"}]\ntz = ["pytz"]\n';
  writeFileSync(manifest, text);
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'toml', version: 1, text } });
  const lenses: CodeLens[] = await connection.sendRequest('textDocument/codeLens', { textDocument: { uri } });
  assert.deepEqual(lenses.map((lens) => lens.command), [{ title: 'Lock → requirements.txt', command: LOCK_COMMAND, arguments: [uri, { extras: ['pg'], groups: ['dev', 'tz'] }] }]);
  const answer = await connection.sendRequest(LOCK_REQUEST, { uri, extras: ['pg'], groups: ['dev'] });
  assert.equal(answer.outcome, 'locked', answer.message);
  assert.equal(answer.outputUri, pathToFileURL(join(folder, 'requirements.txt')).href);
  const locked = applied(answer.edit!, '');
  assert.deepEqual([...locked.matchAll(/^([a-z0-9-]+==\S+)/gm)].map((m) => m[1]), ['asgiref==3.8.1', 'django==4.2.17', 'psycopg2-binary==2.9.10', 'pytz==2025.2', 'sqlparse==0.5.3']);
  assert.match(locked, /# {4}reqguard lock pyproject\.toml -o requirements\.txt --extra pg --group dev\n/);
  assert.match(locked, /\n {4}# via lib \(pyproject\.toml\)\npsycopg2-binary==/);
  const bad = await connection.sendRequest(LOCK_REQUEST, { uri, groups: ['docs'] });
  assert.equal(bad.outcome, 'invalid');
  assert.match(bad.message, /dependency group 'docs' not found/);
});
