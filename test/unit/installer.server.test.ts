// The installer profile in the editor (startServer over an in-memory connection): by default the
// verdicts are for the pip of the interpreter the document's targets come from (here python3 on
// PATH answers pip 26.0), reqguard.installer overrides it, and a bad value keeps the default.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import type { PythonEnvironments } from '../../server/src/engine/targets';
import { reportedTarget } from '../../server/src/pip/targets';
import { publishedDiagnostics, startInMemoryServer, type InMemoryServer } from '../support/inMemoryServer';

const MARKERS = { implementation_name: 'cpython', implementation_version: '3.11.7', os_name: 'posix', platform_machine: 'x86_64', platform_release: '6', platform_system: 'Linux', platform_version: '#1', python_full_version: '3.11.7', platform_python_implementation: 'CPython', python_version: '3.11', sys_platform: 'linux' };

/** A machine whose python3 has pip 26.0. */
const python: PythonEnvironments = {
  ask: async (path, from) => reportedTarget({ markers: MARKERS, pip: '26.0' }, path, from),
  defaultInterpreters: () => ['/usr/bin/python3'],
  hostPlatform: () => 'manylinux_2_36_x86_64',
  sysPath: async (path) => ({ ok: false, error: `${path}: not asked for sys.path here` }),
};

let server: InMemoryServer;
let userSettings: Record<string, unknown> = {};
const { published, listen, diagnostics: firstDiagnostics } = publishedDiagnostics();

before(async () => {
  server = await startInMemoryServer({ configuration: (section) => (section === 'reqguard' ? userSettings : {}), listen, deps: { python } });
});

after(() => server.stop());

/** The first diagnostics for `uri` published after the first `from`. */
const diagnostics = (uri: string, from: number) => firstDiagnostics(uri, (params) => published.indexOf(params) >= from);

const lines = (list: readonly Diagnostic[]) => list.map((d) => `${d.range.start.line}:${d.code}:${d.severity}`).sort();

test("the interpreter's pip decides by default; reqguard.installer overrides it; a bad value keeps the default", async () => {
  const uri = 'file:///work/installer/requirements.txt';
  const text = '--no-require-hashes\ngit+https://example.com/repo.git#egg=name[extra]\n';
  let mark = published.length;
  void server.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'pip-requirements', version: 1, text } });
  // pip 26.0: no --no-require-hashes yet (an error), and the non-bare egg name is rejected (an error).
  const byInterpreter = await diagnostics(uri, mark);
  assert.deepEqual(lines(byInterpreter), ['0:syntax:1', '1:syntax:1']);
  assert.match(String(byInterpreter.find((d) => d.range.start.line === 0)?.message), /^pip 26\.0 rejects this line: no such option: --no-require-hashes .* \(for pip 26\.0: the interpreter's pip \(python3 on PATH\)\)$/);

  mark = published.length;
  userSettings = { installer: 'pip@25.3' };
  void server.client.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  const older = await diagnostics(uri, mark);
  assert.deepEqual(lines(older), ['0:syntax:1', '1:deprecated:2']);
  assert.match(String(older.find((d) => d.code === 'deprecated')?.message), /\(for pip 25\.3: reqguard\.installer\)$/);

  mark = published.length;
  userSettings = { installer: 'pip@26.2' };
  void server.client.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  assert.deepEqual(lines(await diagnostics(uri, mark)), ['1:syntax:1']);

  mark = published.length;
  userSettings = { installer: 'pip 26' };
  void server.client.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  assert.deepEqual(lines(await diagnostics(uri, mark)), ['0:syntax:1', '1:syntax:1']);
  userSettings = {};
});
