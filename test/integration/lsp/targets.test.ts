// Target environments through the bundled server: the interpreter the client says the Python
// extension chose (a real python3, under another path) is asked once the workspace is trusted,
// python3 on PATH before that and once the choice is withdrawn, reqguard.targets over both; the
// status, hover and "Pin and hash all" follow each change.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hover, MarkupContent, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { PIN_AND_HASH_ALL_REQUEST, PYTHON_INTERPRETER_NOTIFICATION, WORKSPACE_TRUSTED_NOTIFICATION, type IndexStatus } from '../../../server/src/protocol';
import { startLspServer, type LspServer } from '../../support/lspServer';
import { PYTHON3, requireProgram, skipWithout } from '../../support/optionalProgram';
import { python } from '../../support/pip';
import { startTestIndex, type TestIndex } from '../../support/testIndex';
import { until } from '../../support/until';
import { tempDir } from '../../helpers/tempDirs';

const skip = skipWithout(PYTHON3);
let index: TestIndex;
let lsp: LspServer;
/** The `reqguard` settings the client answers with. */
let settings: Record<string, unknown> = {};
const statuses: IndexStatus[] = [];
const workspace = tempDir('lsp-targets');
/** "The Python extension's interpreter": python3's executable under the name a virtual environment gives it. */
const venvPython = join(workspace, '.venv', 'bin', 'python3');
/** python3's X.Y, and the next minor version, which the newest release of `newpy` requires. */
let version = '';
let next = '';

before(async () => {
  if (skip) return;
  requireProgram(PYTHON3);
  // The executable itself: python3 on PATH may be a launcher (pyenv's shim) that goes by its own name.
  const [executable, xy] = (await python(['-c', 'import sys; print(sys.executable); print("%d.%d" % sys.version_info[:2])'])).stdout.trim().split('\n');
  mkdirSync(join(workspace, '.venv', 'bin'), { recursive: true });
  symlinkSync(executable, venvPython);
  version = xy;
  next = `3.${Number(version.split('.')[1]) + 1}`;
  index = await startTestIndex({ projects: { newpy: { versions: { '1.0': { files: ['wheel'] }, '2.0': { files: ['wheel'], requiresPython: `>=${next}` } } } } });
  settings = { index: { url: index.simpleUrl } };
  lsp = await startLspServer({
    workspace,
    configuration: (section) => (section === 'reqguard' ? settings : {}),
    initializationOptions: { workspaceTrusted: false, pythonInterpreters: [{ folderUri: pathToFileURL(workspace).href, path: venvPython }] },
    listen: (client) => client.onNotification('reqguard/indexStatus', (status: IndexStatus) => void statuses.push(status)),
  });
});

after(async () => {
  await lsp?.stop();
  await index?.close();
});

async function hoverText(uri: string): Promise<string> {
  const result = (await lsp.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 2 } })) as Hover;
  return (result.contents as MarkupContent).value;
}

/** The first status of `uri` since the `since`-th whose targets `match`. */
function statusWith(uri: string, since: number, match: (targets: IndexStatus['targets']) => boolean, what: string): Promise<IndexStatus> {
  return until(() => statuses.slice(since).find((status) => status.uri === uri && match(status.targets)), what);
}

test('the Python extension\'s interpreter (once trusted), python3 on PATH, reqguard.targets: status, hover and pins follow', { skip, timeout: 60_000 }, async () => {
  const text = 'newpy\n';
  const path = join(workspace, 'requirements.txt');
  writeFileSync(path, text);
  const uri = pathToFileURL(path).href;
  await lsp.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'pip-requirements', version: 1, text } });

  // Restricted Mode: the workspace's own interpreter is not run; python3 on PATH is.
  const restricted = await statusWith(uri, 0, (targets) => targets.length === 1, 'a status with a target');
  assert.equal(restricted.targets[0].origin, 'python3 on PATH');
  assert.match(restricted.targets[0].name, new RegExp(`^CPython ${version.replace('.', '\\.')}( on |$)`));

  let since = statuses.length;
  await lsp.connection.sendNotification(WORKSPACE_TRUSTED_NOTIFICATION.method);
  const trusted = await statusWith(uri, since, (targets) => targets[0]?.origin === 'the Python extension', 'the extension\'s interpreter');
  assert.equal(trusted.targets[0].label, `${trusted.targets[0].name} (${venvPython})`);
  const name = trusted.targets[0].name;
  const escaped = name.replace(/_/g, '\\_');
  assert.match(await hoverText(uri), new RegExp(`^Selected: \\*\\*1\\.0\\*\\* \\(\\d{4}-\\d{2}-\\d{2}\\) \\(pip's pick with no version constraint for ${escaped.replace(/[.\\]/g, '\\$&')}\\)$`, 'm'));
  const edit = (await lsp.connection.sendRequest(PIN_AND_HASH_ALL_REQUEST.method, { uri })) as WorkspaceEdit;
  const edits = (edit.documentChanges?.[0] as { edits: { newText: string }[] }).edits;
  assert.match(edits[0].newText, /^newpy==1\.0 \\/, `${next} is needed for 2.0`);

  // The choice withdrawn: python3 on PATH again.
  since = statuses.length;
  await lsp.connection.sendNotification(PYTHON_INTERPRETER_NOTIFICATION.method, { folderUri: pathToFileURL(workspace).href });
  await statusWith(uri, since, (targets) => targets[0]?.origin === 'python3 on PATH', 'python3 on PATH after the choice is withdrawn');

  // reqguard.targets describes the deployment: a newer Python on Windows.
  settings = { ...settings, targets: [{ pythonVersion: next, platform: 'win_amd64' }] };
  since = statuses.length;
  await lsp.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  const described = await statusWith(uri, since, (targets) => targets[0]?.origin === 'reqguard.targets', 'the described target');
  assert.deepEqual(described.targets, [{ name: `CPython ${next} on Windows AMD64`, label: `CPython ${next} on Windows AMD64 (win_amd64)`, origin: 'reqguard.targets' }]);
  assert.match(await hoverText(uri), new RegExp(`^Selected: \\*\\*2\\.0\\*\\* .*for CPython ${next.replace('.', '\\.')} on Windows AMD64\\); requires Python \`>=${next.replace('.', '\\.')}\`$`, 'm'));
});
