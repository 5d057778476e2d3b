// startServer over an in-memory connection: the handlers, sessions and scheduling of the wiring,
// with injected files and no index, in milliseconds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity, type Diagnostic, type Hover } from 'vscode-languageserver-protocol';
import type { ProtocolConnection } from 'vscode-languageserver-protocol/node';
import { PIN_AND_HASH_ALL_REQUEST, REFRESH_INDEX_REQUEST } from '../../server/src/protocol';
import { publishedDiagnostics, startInMemoryServer, type InMemoryServer } from '../support/inMemoryServer';

let server: InMemoryServer;
let client: ProtocolConnection;
let userSettings: Record<string, unknown> = {};
const { published, listen, diagnostics } = publishedDiagnostics();

before(async () => {
  server = await startInMemoryServer({ configuration: (section) => (section === 'reqguard' ? userSettings : {}), listen });
  client = server.client;
});

after(() => server.stop());

const codes = (list: readonly Diagnostic[]) => list.map((d) => `${d.range.start.line}:${d.code}`);

function open(uri: string, text: string, languageId = 'pip-requirements'): void {
  void client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
}

test('an open file gets its offline diagnostics; an include comes from the injected files, an open buffer winning over them', async () => {
  server.files.set('/work/a/base.txt', 'six==1.16.0 --hash=sha256:' + 'a'.repeat(64) + '\n');
  open('file:///work/a/requirements.txt', '-r base.txt\nflask\n');
  // base.txt has a --hash: hash mode is on for the whole install, so pip refuses the unpinned flask (an error).
  const inHashMode = await diagnostics('file:///work/a/requirements.txt');
  assert.deepEqual(codes(inHashMode), ['1:unpinned']);
  assert.equal(inHashMode[0].severity, DiagnosticSeverity.Error);
  open('file:///work/a/base.txt', 'six==1.16.0\n');
  void client.sendNotification('textDocument/didChange', { textDocument: { uri: 'file:///work/a/requirements.txt', version: 2 }, contentChanges: [{ text: '-r base.txt\nflask\n' }] });
  const fromBuffer = await diagnostics('file:///work/a/requirements.txt', (p) => p.version === 2);
  assert.deepEqual(codes(fromBuffer), ['1:unpinned']);
  assert.equal(fromBuffer[0].severity, DiagnosticSeverity.Warning);
});

test('a burst of edits is validated a few times, not once per edit, and ends on the last version, in order', async () => {
  const uri = 'file:///work/burst/requirements.txt';
  open(uri, 'a\n');
  await diagnostics(uri);
  const before = published.length;
  for (let version = 2; version <= 50; version++) {
    void client.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text: `pkg${version}==1.0\nunpinned\n` }] });
  }
  const last = await diagnostics(uri, (p) => p.version === 50);
  assert.deepEqual(codes(last), ['0:unhashed', '1:unpinned']);
  assert.match(String(last[0].message), /pkg50/);
  const versions = published.slice(before).filter((p) => p.uri === uri).map((p) => p.version ?? 0);
  assert.deepEqual(versions, [...versions].sort((a, b) => a - b), 'an older version published after a newer one');
  // A few, not one: under messages that never pause a pass still runs every 50 ms or so.
  assert.ok(versions.length <= 5, `49 edits gave ${versions.length} diagnostic sets (versions ${versions.join(', ')})`);
});

test('typing: each keystroke an incremental edit; hover answers meanwhile, on the text as it is', async () => {
  const uri = 'file:///work/typing/requirements.txt';
  open(uri, 'flask==3.0.0\n\n');
  await diagnostics(uri);
  const before = published.length;
  const typed = '--require-hashes';
  const hovers: Promise<Hover | null>[] = [];
  for (let i = 0; i < typed.length; i++) {
    const at = { line: 1, character: i };
    void client.sendNotification('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [{ range: { start: at, end: at }, text: typed[i] }] });
    hovers.push(client.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 3 } }));
  }
  const answers = await Promise.all(hovers);
  // The last hover was asked after the last keystroke: it reads the whole option, not an older text.
  assert.match(JSON.stringify(answers.at(-1)?.contents), /require-hashes/);
  const last = await diagnostics(uri, (p) => p.version === typed.length + 1);
  // --require-hashes turns hash mode on: the unhashed pin is now an error.
  assert.equal(last.find((d) => d.code === 'unhashed')?.severity, DiagnosticSeverity.Error);
  const sets = published.slice(before).filter((p) => p.uri === uri).length;
  assert.ok(sets <= 5, `${typed.length} keystrokes gave ${sets} diagnostic sets`);
});

test('includes are read once per version, not again for every hover, completion or code action', async () => {
  server.files.set('/work/reads/base.txt', 'six==1.16.0\n');
  const uri = 'file:///work/reads/requirements.txt';
  open(uri, '-r base.txt\nflask\n');
  await diagnostics(uri);
  const reads = () => server.reads.filter((path) => path === '/work/reads/base.txt').length;
  const afterOpen = reads();
  assert.equal(afterOpen, 1);
  const position = { line: 1, character: 2 };
  for (let i = 0; i < 5; i++) {
    await client.sendRequest('textDocument/hover', { textDocument: { uri }, position });
    await client.sendRequest('textDocument/completion', { textDocument: { uri }, position });
    await client.sendRequest('textDocument/documentLink', { textDocument: { uri } });
  }
  assert.equal(reads(), afterOpen);
  void client.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: '-r base.txt\nflask==3.0.0\n' }] });
  await diagnostics(uri, (p) => p.version === 2);
  assert.equal(reads(), afterOpen + 1, 'a new version reads its includes again');
});

test('editing an open included file validates the files that include it again', async () => {
  server.files.set('/work/includer/base.txt', 'six==1.16.0\n');
  const uri = 'file:///work/includer/requirements.txt';
  open(uri, '-r base.txt\nflask\n');
  assert.equal((await diagnostics(uri)).find((d) => d.code === 'unpinned')?.severity, DiagnosticSeverity.Warning);
  const baseUri = 'file:///work/includer/base.txt';
  open(baseUri, 'six==1.16.0\n');
  await diagnostics(baseUri);
  const before = published.length;
  // A --hash in the included file turns hash mode on for the whole install: flask becomes an error there.
  void client.sendNotification('textDocument/didChange', { textDocument: { uri: baseUri, version: 2 }, contentChanges: [{ text: `six==1.16.0 --hash=sha256:${'a'.repeat(64)}\n` }] });
  const again = await diagnostics(uri, (p) => published.indexOf(p) >= before);
  assert.equal(again.find((d) => d.code === 'unpinned')?.severity, DiagnosticSeverity.Error);
  // Closed, the buffer no longer counts: the disk's base.txt (no hash) does again.
  const closing = published.length;
  void client.sendNotification('textDocument/didClose', { textDocument: { uri: baseUri } });
  const fromDisk = await diagnostics(uri, (p) => published.indexOf(p) >= closing);
  assert.equal(fromDisk.find((d) => d.code === 'unpinned')?.severity, DiagnosticSeverity.Warning);
});

test('hash mode reaches down: an open included file gets what pip refuses there, naming the file that includes it, kept up to date as either changes', async () => {
  const hash = `--hash=sha256:${'a'.repeat(64)}`;
  const baseUri = 'file:///work/down/base.txt';
  const uri = 'file:///work/down/requirements.txt';
  // Opened first, on its own: not in hash mode, its unhashed pin is reqguard's warning.
  open(baseUri, '# shared\nitsdangerous==2.2.0\n');
  const alone = await diagnostics(baseUri);
  assert.deepEqual(alone.map((d) => `${d.range.start.line}:${d.code}:${d.severity}`), [`1:unhashed:${DiagnosticSeverity.Warning}`]);

  // Opened beside it, a hashed file that includes it makes that pip's refusal: an error, which names it.
  let mark = published.length;
  open(uri, `-r base.txt\nsix==1.16.0 ${hash}\n`);
  const including = await diagnostics(uri);
  assert.deepEqual(codes(including), ['0:hash-mode-include']);
  const refused = await diagnostics(baseUri, (p) => published.indexOf(p) >= mark && p.diagnostics.some((d) => d.severity === DiagnosticSeverity.Error));
  assert.deepEqual(refused.map((d) => `${d.range.start.line}:${d.code}:${d.severity}`), [`1:unhashed:${DiagnosticSeverity.Error}`]);
  assert.match(String(refused[0].message), /^pip 26\.2 refuses 'itsdangerous==2\.2\.0' in hash-checking mode: .* \(requirements\.txt includes this file, and its --hash on line 2 turns on hash-checking mode for everything it installs\) \(for pip 26\.2: the latest rules reqguard knows\)$/);

  // The including file drops its hash: no hash mode, the included file is back to its own warning.
  mark = published.length;
  void client.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: '-r base.txt\nsix==1.16.0\n' }] });
  const back = await diagnostics(baseUri, (p) => published.indexOf(p) >= mark);
  assert.deepEqual(back.map((d) => `${d.range.start.line}:${d.code}:${d.severity}`), [`1:unhashed:${DiagnosticSeverity.Warning}`]);

  // Hashed again, then the included file is edited: the finding follows its new text (a line down).
  void client.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: `-r base.txt\nsix==1.16.0 ${hash}\n` }] });
  await diagnostics(baseUri, (p) => p.diagnostics.some((d) => d.severity === DiagnosticSeverity.Error && published.indexOf(p) >= mark));
  mark = published.length;
  void client.sendNotification('textDocument/didChange', { textDocument: { uri: baseUri, version: 2 }, contentChanges: [{ text: '# shared\n\ntzdata\n' }] });
  const moved = await diagnostics(baseUri, (p) => published.indexOf(p) >= mark && p.version === 2 && p.diagnostics.some((d) => d.severity === DiagnosticSeverity.Error));
  assert.deepEqual(moved.map((d) => `${d.range.start.line}:${d.code}:${d.severity}`), [`2:unpinned:${DiagnosticSeverity.Error}`]);
  assert.match(String((await diagnostics(uri, (p) => published.indexOf(p) >= mark)).find((d) => d.code === 'hash-mode-include')?.message), /tzdata is not pinned with == \(line 3\)/);

  // Closing the including file takes its findings away from the included one.
  mark = published.length;
  void client.sendNotification('textDocument/didClose', { textDocument: { uri } });
  const closed = await diagnostics(baseUri, (p) => published.indexOf(p) >= mark);
  assert.deepEqual(closed.map((d) => `${d.range.start.line}:${d.code}:${d.severity}`), [`2:unpinned:${DiagnosticSeverity.Warning}`]);
  void client.sendNotification('textDocument/didClose', { textDocument: { uri: baseUri } });
});

test('hash mode reaches down: an included file opened after the file that includes it gets its findings too', async () => {
  const uri = 'file:///work/later/requirements.txt';
  const baseUri = 'file:///work/later/base.txt';
  server.files.set('/work/later/base.txt', 'six==1.16.0\n');
  open(uri, `-r base.txt\ntzdata==2024.1 --hash=sha256:${'b'.repeat(64)}\n`);
  assert.deepEqual(codes(await diagnostics(uri)), ['0:hash-mode-include']);
  open(baseUri, 'six==1.16.0\n');
  const found = await diagnostics(baseUri, (p) => p.diagnostics.some((d) => d.severity === DiagnosticSeverity.Error));
  assert.deepEqual(found.map((d) => `${d.range.start.line}:${d.code}`), ['0:unhashed']);
  assert.match(String(found[0].message), /\(requirements\.txt includes this file, and its --hash on line 2 turns on/);
  void client.sendNotification('textDocument/didClose', { textDocument: { uri } });
  void client.sendNotification('textDocument/didClose', { textDocument: { uri: baseUri } });
});

test('a settings change takes effect without a restart; closing a document clears its diagnostics', async () => {
  const uri = 'file:///work/settings/requirements.txt';
  open(uri, 'flask\n');
  assert.deepEqual(codes(await diagnostics(uri)), ['0:unpinned']);
  const before = published.length;
  userSettings = { severity: { unpinned: 'off' } };
  void client.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  assert.deepEqual(codes(await diagnostics(uri, (p) => published.indexOf(p) >= before)), []);
  userSettings = {};
  const closing = published.length;
  void client.sendNotification('textDocument/didClose', { textDocument: { uri } });
  const cleared = await diagnostics(uri, (p) => published.indexOf(p) >= closing);
  assert.deepEqual(cleared, []);
});

test('handlers: hover on an option, no links or code actions for a closed document, typed custom requests without an index', async () => {
  const uri = 'file:///work/hover/requirements.txt';
  open(uri, '--require-hashes\n');
  await diagnostics(uri);
  const hover = (await client.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 4 } })) as Hover | null;
  assert.match(JSON.stringify(hover?.contents), /require-hashes/);
  assert.deepEqual(await client.sendRequest('textDocument/documentLink', { textDocument: { uri: 'file:///work/closed.txt' } }), []);
  assert.deepEqual(await client.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } }), []);
  assert.equal(await client.sendRequest(PIN_AND_HASH_ALL_REQUEST, { uri }), null);
  assert.equal(await client.sendRequest(REFRESH_INDEX_REQUEST), null);
});

test('pyproject.toml and setup.cfg get the library rules whatever their language id; pylock.toml PEP 751\'s; another lock file a glob sends is left alone', async () => {
  const pylock = 'file:///work/manifests/pylock.toml';
  open(pylock, 'lock-version = "1.0"\n[[packages]]\nname = "x"\n', 'toml');
  assert.deepEqual(codes(await diagnostics(pylock)), ['0:pylock-invalid', '1:pylock-invalid'], 'no created-by; a package without a source');
  const lock = 'file:///work/manifests/Pipfile.lock';
  open(lock, '{\n  "_meta": {},\n  "default": {"x": {"version": "==1.0"}}\n}\n', 'json');
  const pyproject = 'file:///work/manifests/pyproject.toml';
  open(pyproject, '[project]\nname = "app"\ndependencies = [\n  "requests==2.31.0",\n  "flask",\n]\n[dependency-groups]\ndev = [{include-group = "test"}]\n', 'toml');
  assert.deepEqual(codes(await diagnostics(pyproject)).sort(), ['3:exact-pin-in-library', '4:unbounded', '7:dependency-group']);
  const setupCfg = 'file:///work/manifests/setup.cfg';
  open(setupCfg, '[options]\ninstall_requires =\n    requests==2.31.0\n    flask>=3\n', 'ini');
  assert.deepEqual(codes(await diagnostics(setupCfg)), ['2:exact-pin-in-library']);
  const hover = (await client.sendRequest('textDocument/hover', { textDocument: { uri: lock }, position: { line: 2, character: 8 } })) as Hover | null;
  assert.equal(hover, null);
  assert.equal(published.some((params) => params.uri === lock), false, 'nothing is published for the lock file');
});
