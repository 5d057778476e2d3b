// LSP-level tests: the real bundled server (server/out/main.js) in its own process, driven over
// stdio with real protocol messages, as VS Code drives it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import type { ProtocolConnection } from 'vscode-languageserver-protocol/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { startLspServer, type LspServer } from '../../support/lspServer';
import type { IndexStatus } from '../../../server/src/protocol';
import { tempDir } from '../../helpers/tempDirs';

let lsp: LspServer;
let connection: ProtocolConnection;
let userSettings: Record<string, unknown> = {};
const published = new Map<string, PublishDiagnosticsParams[]>();
const statuses: IndexStatus[] = [];
const waiters: Array<() => void> = [];
const workspace = tempDir('lsp');
/** A loopback port nothing listens on: index lookups fail at once and never leave the machine. */
const NO_INDEX_HERE = 'http://127.0.0.1:9/simple/';

before(async () => {
  lsp = await startLspServer({
    workspace,
    configuration: (section) => (section === 'reqguard' ? { index: { url: NO_INDEX_HERE }, ...userSettings } : {}),
    listen(client) {
      client.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
        const list = published.get(params.uri) ?? [];
        list.push(params);
        published.set(params.uri, list);
        for (const wake of waiters.splice(0)) wake();
      });
      client.onNotification('reqguard/indexStatus', (status: IndexStatus) => {
        statuses.push(status);
        for (const wake of waiters.splice(0)) wake();
      });
    },
  });
  connection = lsp.connection;
});

after(() => lsp.stop());

/** Resolves with the first diagnostics published for `uri` at `version` (or later). */
async function diagnosticsFor(uri: string, version: number): Promise<Diagnostic[]> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const hit = (published.get(uri) ?? []).find((p) => (p.version ?? version) >= version);
    if (hit) return hit.diagnostics;
    await new Promise<void>((resolve) => {
      waiters.push(resolve);
      setTimeout(resolve, 200);
    });
  }
  throw new Error(`no diagnostics for ${uri} v${version}`);
}

let counter = 0;
async function open(name: string, text: string, languageId = 'pip-requirements'): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
  const dir = join(workspace, `case${++counter}`);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, text);
  const uri = pathToFileURL(path).href;
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  return { uri, diagnostics: await diagnosticsFor(uri, 1) };
}

function summary(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}/${d.severity}`).sort();
}

test('unpinned and unhashed entries are reported with exact ranges', async () => {
  const { diagnostics } = await open('requirements.txt', 'Django\npsycopg2-binary==2.7.4\n');
  assert.deepEqual(summary(diagnostics), ['unhashed@1:0-1:22/2', 'unpinned@0:0-0:6/2']);
});

test('one --hash turns on hash mode: the other entries become errors, ranges across CRLF continuations', async () => {
  const text = 'Django==2.0.4 \\\r\n    --hash=sha256:2d8b9eed8815f172a8e898678ae4289a5e9176bc08295676eff4228dd638ea61\r\nrequests>=2\r\npytz==2018.4\r\n';
  const { diagnostics } = await open('requirements.txt', text);
  assert.deepEqual(summary(diagnostics), ['unhashed@3:0-3:12/1', 'unpinned@2:0-2:11/1']);
  const unpinned = diagnostics.find((d) => d.code === 'unpinned')!;
  assert.match(String(unpinned.message), /hash-checking mode/);
  assert.equal(unpinned.relatedInformation?.[0].location.range.start.line, 1, 'points at the --hash that switched hash mode on');
});

test('diagnostics follow edits', async () => {
  const { uri } = await open('requirements.txt', 'flask\n');
  await connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start: { line: 0, character: 5 }, end: { line: 0, character: 5 } }, text: '==3.0.0 --hash=sha256:' + 'a'.repeat(64) }],
  });
  assert.deepEqual(summary(await diagnosticsFor(uri, 2)), []);
});

test('severity settings apply and a configuration change revalidates', async () => {
  const { uri } = await open('requirements.txt', '--extra-index-url http://127.0.0.1:9/simple/\nflask==3.0.0 --hash=sha256:' + 'b'.repeat(64) + '\n');
  assert.deepEqual(summary((published.get(uri) ?? [])[0].diagnostics), ['extra-index-url@0:0-0:44/2']);
  userSettings = { severity: { 'extra-index-url': 'off' } };
  const before = published.get(uri)!.length;
  await connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  const deadline = Date.now() + 10_000;
  while (published.get(uri)!.length === before && Date.now() < deadline) await sleep(20);
  assert.deepEqual(summary(published.get(uri)!.at(-1)!.diagnostics), []);
  userSettings = {};
});

test('setup.py gets the library rules, not pins', async () => {
  const text = 'from setuptools import setup\nsetup(\n    name="x",\n    install_requires=["Django>=1.11", "requests", "pytz==2018.4"],\n)\n';
  const { diagnostics } = await open('setup.py', text, 'python');
  assert.deepEqual(summary(diagnostics), ['exact-pin-in-library@3:55-3:63/3', 'unbounded@3:39-3:47/3']);
});

test('closing a document clears its diagnostics', async () => {
  const { uri } = await open('requirements.txt', 'flask\n');
  await connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && published.get(uri)!.at(-1)!.diagnostics.length !== 0) await sleep(20);
  assert.deepEqual(published.get(uri)!.at(-1)!.diagnostics, []);
});

test('an include that does not exist is an error; hashes in an included file switch on hash mode', async () => {
  const dir = join(workspace, 'includes');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'base.txt'), 'six==1.16.0 --hash=sha256:' + 'c'.repeat(64) + '\n');
  const text = '-r base.txt\n-r missing.txt\nflask==3.0.0\n';
  writeFileSync(join(dir, 'requirements.txt'), text);
  const uri = pathToFileURL(join(dir, 'requirements.txt')).href;
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'pip-requirements', version: 1, text } });
  assert.deepEqual(summary(await diagnosticsFor(uri, 1)), ['include-not-found@1:3-1:14/1', 'unhashed@2:0-2:12/1']);
});

test('includes that are not regular files (a device, a named pipe, a directory) are said on their line; the server keeps answering', async () => {
  const dir = join(workspace, 'special-includes');
  mkdirSync(join(dir, 'folder'), { recursive: true });
  // Reading a FIFO with no writer used to block the server for good, and /dev/zero to eat gigabytes.
  const fifo = spawnSync('mkfifo', [join(dir, 'pipe')]).status === 0;
  const text = `-r /dev/zero\n-r folder\n${fifo ? '-r pipe\n' : ''}flask==3.0.0\n`;
  writeFileSync(join(dir, 'requirements.txt'), text);
  const uri = pathToFileURL(join(dir, 'requirements.txt')).href;
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'pip-requirements', version: 1, text } });
  const diagnostics = await diagnosticsFor(uri, 1);
  const messages = diagnostics.filter((d) => d.code === 'include-not-found').map((d) => `${d.range.start.line}/${d.severity} ${String(d.message)}`);
  assert.deepEqual(messages, [
    "0/2 '/dev/zero' is not a regular file (a character device): reqguard does not read it, so what it holds is not checked.",
    "1/1 'folder' is a directory: pip cannot open it, and the install stops here.",
    ...(fifo ? ["2/2 'pipe' is not a regular file (a named pipe): reqguard does not read it, so what it holds is not checked."] : []),
  ]);
  const hover = await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 1 } });
  assert.ok(hover, 'the server still answers');
});

/** The latest index status the server sent for `uri` that satisfies `accept`. */
async function statusFor(uri: string, accept: (status: IndexStatus) => boolean = () => true): Promise<IndexStatus> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const hit = [...statuses].reverse().find((s) => s.uri === uri && accept(s));
    if (hit) return hit;
    await new Promise<void>((resolve) => {
      waiters.push(resolve);
      setTimeout(resolve, 200);
    });
  }
  throw new Error(`no index status for ${uri}`);
}

test("each document's effective index is sent for the status bar: the file's own --index-url, redacted", async () => {
  const { uri } = await open('requirements.txt', '--index-url http://deploy:t0ken@127.0.0.1:9/simple/\nflask\n');
  const status = await statusFor(uri);
  assert.equal(status.primary, 'http://deploy:****@127.0.0.1:9/simple/');
  assert.equal(status.source, 'file');
  assert.equal(status.sourceDetail, 'requirements.txt');
  assert.equal(status.offline, false);
  assert.ok(!JSON.stringify(statuses).includes('t0ken'));
});

test('the reqguard.index.url setting is the index when the file names none; offline shows', async () => {
  userSettings = { index: { url: 'https://settings.example/simple/', offline: true } };
  await connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  const { uri } = await open('requirements.txt', 'flask\n');
  const status = await statusFor(uri, (s) => s.source === 'settings');
  assert.equal(status.primary, 'https://settings.example/simple/');
  assert.equal(status.offline, true);
  userSettings = {};
  await connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
});
