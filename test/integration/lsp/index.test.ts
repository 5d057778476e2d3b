// The bundled server with a real index: hover text, index diagnostics arriving after the offline
// ones, a quick fix, "Pin and hash all" and "Update all" whose edits, applied, give the expected
// bytes; the log level setting filtering what the server logs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ProtocolConnection } from 'vscode-languageserver-protocol/node';
import type { CodeAction, Diagnostic, Hover, LogMessageParams, PublishDiagnosticsParams, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { startLspServer, type LspServer } from '../../support/lspServer';
import { until } from '../../support/until';
import { startTestIndex, type TestIndex } from '../../support/testIndex';
import { tempDir } from '../../helpers/tempDirs';

let index: TestIndex;
let lsp: LspServer;
let connection: ProtocolConnection;
/** The `reqguard.hashes` setting the client answers with. */
let hashes: unknown = {};
/** The `reqguard.log` setting the client answers with. */
let log: unknown = {};
const published: PublishDiagnosticsParams[] = [];
const logged: LogMessageParams[] = [];
const workspace = tempDir('lsp-index');

before(async () => {
  index = await startTestIndex({
    projects: {
      flask: { versions: { '2.0.0': {}, '3.0.0': { summary: 'A web framework' }, '3.1.0rc1': { files: ['wheel'] } } },
      oldlib: { versions: { '1.0': { vulnerabilities: [{ id: 'PYSEC-9', fixedIn: ['1.1'] }] }, '1.1': {}, '1.2': { yanked: 'broken' } } },
      platpkg: {
        versions: {
          '1.0': {
            files: [
              { kind: 'wheel', pythonTag: 'cp311', abiTag: 'cp311', platformTag: 'manylinux_2_17_x86_64' },
              { kind: 'wheel', pythonTag: 'cp311', abiTag: 'cp311', platformTag: 'win_amd64' },
              'sdist',
            ],
          },
        },
      },
    },
  });
  lsp = await startLspServer({
    workspace,
    configuration: (section) => (section === 'reqguard' ? { index: { url: index.simpleUrl }, hashes, log } : {}),
    listen: (client) => {
      client.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => void published.push(params));
      client.onNotification('window/logMessage', (params: LogMessageParams) => void logged.push(params));
    },
  });
  connection = lsp.connection;
});

after(async () => {
  await lsp.stop();
  await index.close();
});

let counter = 0;
async function open(text: string): Promise<string> {
  const path = join(workspace, `requirements-${++counter}.txt`);
  writeFileSync(path, text);
  const uri = pathToFileURL(path).href;
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'pip-requirements', version: 1, text } });
  return uri;
}

function apply(text: string, edits: readonly TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('x', 'x', 1, text), [...edits]);
}

test('index diagnostics follow the offline ones: vulnerable, unknown project', async () => {
  const uri = await open('oldlib==1.0\nno-such-project\n');
  const codes = (d: Diagnostic[]) => d.map((x) => x.code).sort();
  const withIndex = await until(() => published.find((p) => p.uri === uri && p.diagnostics.some((d) => d.code === 'vulnerable')), 'index diagnostics');
  assert.ok(codes(withIndex.diagnostics).includes('unknown-project'));
  assert.ok(codes(withIndex.diagnostics).includes('unhashed'), 'offline findings are kept');
  // The vulnerable diagnostic carries what its quick fix needs: an upgrade past the advisory, not to the yanked 1.2.
  const vulnerable = withIndex.diagnostics.find((d) => d.code === 'vulnerable')!;
  const actions = (await connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: vulnerable.range, context: { diagnostics: [vulnerable] } })) as CodeAction[];
  const upgrade = actions.find((a) => a.title.startsWith('Upgrade to'));
  assert.match(upgrade?.title ?? actions.map((a) => a.title).join(' | '), /^Upgrade to 1\.1 .*PYSEC-9/);
});

test('typing: the index is asked about the last version only, and its findings published once', async () => {
  const uri = await open('oldlib==1.0\n');
  await until(() => published.find((p) => p.uri === uri && p.diagnostics.some((d) => d.code === 'vulnerable')), 'index diagnostics of the opened file');
  const before = published.length;
  const typed = 'no-such-project';
  for (let i = 0; i < typed.length; i++) {
    const at = { line: 1, character: i };
    void connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [{ range: { start: at, end: at }, text: typed[i] }] });
  }
  const last = typed.length + 1;
  const final = await until(() => published.find((p) => p.uri === uri && p.version === last && p.diagnostics.some((d) => d.code === 'unknown-project')), 'index diagnostics of the last version');
  assert.ok(final.diagnostics.some((d) => d.code === 'vulnerable'));
  const withIndexFindings = published.slice(before).filter((p) => p.uri === uri && p.diagnostics.some((d) => d.code === 'vulnerable'));
  assert.deepEqual(withIndexFindings.map((p) => p.version), [last], 'index findings of an older version were published');
});

test('hover shows the index data', async () => {
  const uri = await open('flask==2.0.0\n');
  const result = (await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 2 } })) as Hover;
  const text = typeof result.contents === 'object' && 'value' in result.contents ? result.contents.value : JSON.stringify(result.contents);
  assert.match(text, /3\.0\.0/);
  assert.match(text, /3\.1\.0rc1/);
  assert.ok(text.includes(index.simpleUrl));
});

test('quick fix "pin and hash" and the fix-all source action give the expected bytes', async () => {
  const text = '# app\r\nflask>=2  # web\r\n\r\noldlib==1.0\r\n';
  const uri = await open(text);
  const flask = [index.file('flask-3.0.0-py3-none-any.whl')!, index.file('flask-3.0.0.tar.gz')!].map((f) => f.sha256).sort();
  const actions = (await connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri },
    range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } },
    context: { diagnostics: [] },
  })) as CodeAction[];
  const pinAndHash = actions.find((a) => /^Pin to 3\.0\.0 and add hashes/.test(a.title));
  assert.ok(pinAndHash, actions.map((a) => a.title).join(' | '));
  const edits = (pinAndHash.edit as WorkspaceEdit).changes?.[uri] ?? [];
  assert.equal(apply(text, edits), `# app\r\nflask==3.0.0 \\\r\n    --hash=sha256:${flask[0]} \\\r\n    --hash=sha256:${flask[1]}  # web\r\n\r\noldlib==1.0\r\n`);

  const all = (await connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [], only: ['source.fixAll.reqguard'] },
  })) as CodeAction[];
  assert.equal(all.length, 1);
  const fixed = apply(text, (all[0].edit as WorkspaceEdit).changes?.[uri] ?? []);
  assert.match(fixed, /^# app\r\nflask==3\.0\.0 \\\r\n/);
  assert.match(fixed, /\r\noldlib==1\.0 \\\r\n {4}--hash=sha256:[0-9a-f]{64} \\\r\n {4}--hash=sha256:[0-9a-f]{64}\r\n$/);

  const command = (await connection.sendRequest('reqguard/pinAndHashAll', { uri })) as WorkspaceEdit;
  const change = command.documentChanges?.[0];
  assert.ok(change && 'edits' in change);
  assert.equal(apply(text, change.edits as TextEdit[]), fixed, 'the command and the source action make the same edit');
});

test('hash targets from the settings narrow "Pin and hash all"; a settings change takes effect without a restart', async () => {
  const text = 'platpkg==1.0\n';
  const uri = await open(text);
  const hashedFiles = async () => {
    const edit = (await connection.sendRequest('reqguard/pinAndHashAll', { uri })) as WorkspaceEdit;
    const change = edit.documentChanges?.[0];
    assert.ok(change && 'edits' in change);
    const digests: string[] = apply(text, change.edits as TextEdit[]).match(/[0-9a-f]{64}/g) ?? [];
    return ['platpkg-1.0-cp311-cp311-manylinux_2_17_x86_64.whl', 'platpkg-1.0-cp311-cp311-win_amd64.whl', 'platpkg-1.0.tar.gz'].filter((name) => digests.includes(index.file(name)!.sha256));
  };
  assert.deepEqual(await hashedFiles(), ['platpkg-1.0-cp311-cp311-manylinux_2_17_x86_64.whl', 'platpkg-1.0-cp311-cp311-win_amd64.whl', 'platpkg-1.0.tar.gz']);
  hashes = { platforms: ['manylinux'] };
  try {
    await connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    assert.deepEqual(await hashedFiles(), ['platpkg-1.0-cp311-cp311-manylinux_2_17_x86_64.whl', 'platpkg-1.0.tar.gz']);
  } finally {
    hashes = {};
    await connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  }
});

test('--pre in the file: pip would pick the pre-release, and so does the quick fix (no "latest" older than it)', async () => {
  const uri = await open('--pre\nflask>=2\n');
  const actions = (await connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri },
    range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } },
    context: { diagnostics: [] },
  })) as CodeAction[];
  assert.deepEqual(actions.map((a) => a.title).filter((title) => title.startsWith('Pin to')), ['Pin to 3.1.0rc1', 'Pin to 3.1.0rc1 and add hashes']);
});

/** The edits of a `reqguard/pinAndHashAll` answer, applied to the text. */
async function fixAll(uri: string, text: string, params: Record<string, unknown> = {}): Promise<string> {
  const edit = (await connection.sendRequest('reqguard/pinAndHashAll', { uri, ...params })) as WorkspaceEdit;
  const change = edit.documentChanges?.[0];
  assert.ok(change && 'edits' in change);
  return apply(text, change.edits as TextEdit[]);
}

test('"Update all" (pinAndHashAll with update): pins move to the newest final release, rehashed; CRLF and comments stay; twice changes nothing', async () => {
  const text = '# app\r\nflask==2.0.0  # web\r\n\r\noldlib==1.0 \\\r\n    --hash=sha256:' + '0'.repeat(64) + '\r\n';
  const uri = await open(text);
  const hashes = (...names: string[]) =>
    names
      .map((name) => index.file(name)!.sha256)
      .sort()
      .map((digest) => ` \\\r\n    --hash=sha256:${digest}`)
      .join('');
  // flask: 3.1.0rc1 is a pre-release (no --pre); oldlib: 1.2 is yanked, so 1.1 is the newest.
  const expected = `# app\r\nflask==3.0.0${hashes('flask-3.0.0-py3-none-any.whl', 'flask-3.0.0.tar.gz')}  # web\r\n\r\noldlib==1.1${hashes('oldlib-1.1-py3-none-any.whl', 'oldlib-1.1.tar.gz')}\r\n`;
  const updated = await fixAll(uri, text, { update: true });
  assert.equal(updated, expected);
  assert.equal(await fixAll(await open(updated), updated, { update: true }), updated);
  // Without update the pins stay: only hashes are added or replaced.
  assert.match(await fixAll(uri, text), /^# app\r\nflask==2\.0\.0 \\\r\n[\s\S]*\r\noldlib==1\.0 \\\r\n/);
});

test('hash mode reaches down: "Pin and hash all" and the fix-all action edit the included files too, one open (its buffer, its version), one only on disk', async () => {
  const dir = join(workspace, 'down');
  mkdirSync(dir, { recursive: true });
  const flask = [index.file('flask-3.0.0-py3-none-any.whl')!, index.file('flask-3.0.0.tar.gz')!].map((f) => f.sha256).sort();
  const oldlib = [index.file('oldlib-1.1-py3-none-any.whl')!, index.file('oldlib-1.1.tar.gz')!].map((f) => f.sha256).sort();
  const text = `-r base.txt\n-r extra.txt\nflask==3.0.0 \\\n    --hash=sha256:${flask[0]} \\\n    --hash=sha256:${flask[1]}\n`;
  const base = '# shared\r\noldlib==1.1  # pinned\r\n';
  writeFileSync(join(dir, 'requirements.txt'), text);
  writeFileSync(join(dir, 'base.txt'), base);
  writeFileSync(join(dir, 'extra.txt'), 'on disk, not read\n');
  const uri = pathToFileURL(join(dir, 'requirements.txt')).href;
  const extraUri = pathToFileURL(join(dir, 'extra.txt')).href;
  const baseUri = pathToFileURL(join(dir, 'base.txt')).href;
  // extra.txt is open with unsaved text: that buffer is what gets planned and edited.
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: extraUri, languageId: 'pip-requirements', version: 7, text: 'flask>=2\n' } });
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'pip-requirements', version: 1, text } });

  const edit = (await connection.sendRequest('reqguard/pinAndHashAll', { uri })) as WorkspaceEdit;
  const changes = (edit.documentChanges ?? []).map((change) => {
    assert.ok('edits' in change);
    return change;
  });
  assert.deepEqual(changes.map((change) => [change.textDocument.uri, change.textDocument.version]), [[uri, 1], [baseUri, null], [extraUri, 7]]);
  assert.equal(changes[0].edits.length, 0, 'the file itself is pinned and hashed already');
  const hashLines = (eol: string, digests: string[]) => digests.map((digest) => ` \\${eol}    --hash=sha256:${digest}`).join('');
  assert.equal(apply(base, changes[1].edits as TextEdit[]), `# shared\r\noldlib==1.1${hashLines('\r\n', oldlib)}  # pinned\r\n`);
  assert.equal(apply('flask>=2\n', changes[2].edits as TextEdit[]), `flask==3.0.0${hashLines('\n', flask)}\n`);

  const actions = (await connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll.reqguard'] } })) as CodeAction[];
  assert.equal(actions.length, 1);
  assert.equal(actions[0].title, 'Pin and hash all requirements (2 entries in 2 files)');
  const fixAll = actions[0].edit!.changes!;
  assert.deepEqual(Object.keys(fixAll).sort(), [uri, baseUri, extraUri].sort());
  assert.deepEqual(fixAll[baseUri], changes[1].edits);
  assert.deepEqual(fixAll[extraUri], changes[2].edits);
  await connection.sendNotification('textDocument/didClose', { textDocument: { uri: extraUri } });
});

test('reqguard.log.level filters the server\'s log lines; a settings change takes effect without a restart', async () => {
  const text = 'no-such-project\n';
  const uri = await open(text);
  const linesFor = async (level: string | undefined) => {
    log = level === undefined ? {} : { level };
    await connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const from = logged.length;
    await fixAll(uri, text);
    // The "not fixed" line is written before the answer is sent: everything is in by now.
    return logged.slice(from).filter((line) => line.message.includes(uri));
  };
  try {
    const notFixed = (lines: LogMessageParams[]) => lines.filter((line) => line.message.includes(': not fixed: '));
    const byDefault = await linesFor(undefined);
    assert.deepEqual(notFixed(byDefault).map((line) => line.type), [3], 'info by default');
    assert.ok(byDefault.every((line) => line.type <= 3), 'no debug lines at info');
    assert.deepEqual(await linesFor('warning'), []);
    const debug = await linesFor('debug');
    assert.deepEqual(notFixed(debug).map((line) => line.type), [3]);
    const debugLines = debug.filter((line) => line.type === 5).map((line) => line.message);
    assert.ok(debugLines.some((line) => /: pin and hash all planned in \d+ ms: 0 edits, 1 not fixed$/.test(line)), debugLines.join('\n'));
    // The index each document installs from, said at debug level once the document is validated again.
    const chosen = await until(() => logged.find((line) => line.type === 5 && line.message.startsWith(`${uri}: installs from `)), 'the index choice at debug level');
    assert.equal(chosen.message, `${uri}: installs from ${index.simpleUrl} (from the setting reqguard.index.url)`);
  } finally {
    log = {};
    await connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  }
});
