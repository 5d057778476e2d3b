// "Check all dependency files" in process: the globs the client searches with (from the manifest),
// and the server's reqguard/checkFiles request over an in-memory connection, with files on an
// injected disk: closed files get their diagnostics published, open ones keep their own, counts
// come back, unreadable files are not counted.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { CHECK_FILES_REQUEST, dependencyFileGlobs } from '../../server/src/protocol';
import { REPO_ROOT } from '../helpers/corpus';
import { startInMemoryServer, type InMemoryServer } from '../support/inMemoryServer';

const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));

test('the globs: every file name, pattern and extension of the manifest\'s requirements language, the library manifests, pylock files and the user\'s own, in any folder', () => {
  const globs = dependencyFileGlobs(manifest.contributes.languages, ['deps/*.txt', '**/pins.txt']);
  assert.deepEqual(globs, [
    '**/requirements.txt',
    '**/requirements.in',
    '**/constraints.txt',
    '**/constraints.in',
    '**/*requirements*.txt',
    '**/*requirements*.in',
    '**/*constraints*.txt',
    '**/*constraints*.in',
    '**/requirements/*.txt',
    '**/requirements/*.in',
    '**/constraints/*.txt',
    '**/*.pip',
    '**/setup.py',
    '**/setup.cfg',
    '**/pyproject.toml',
    '**/pylock.toml',
    '**/pylock.*.toml',
    '**/deps/*.txt',
    '**/pins.txt',
  ]);
  assert.ok(manifest.contributes.commands.some((command: { command: string }) => command.command === 'reqguard.checkAll'));
});

let server: InMemoryServer;
const published: PublishDiagnosticsParams[] = [];

before(async () => {
  server = await startInMemoryServer({
    configuration: () => ({}),
    listen: (client) => client.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => void published.push(params)),
  });
});

after(() => server.stop());

test('reqguard/checkFiles publishes the diagnostics of closed files and counts them; open files keep theirs; unreadable ones are not counted', async () => {
  server.files.set('/work/a/requirements.txt', 'flask\nsix==1.16.0\n');
  server.files.set('/work/b/setup.py', 'from setuptools import setup\nsetup(install_requires=["pytz==2018.4"])\n');
  server.files.set('/work/c/requirements.txt', 'flask=1.0\n');
  const open = 'file:///work/open/requirements.txt';
  await server.client.sendNotification('textDocument/didOpen', { textDocument: { uri: open, languageId: 'pip-requirements', version: 1, text: 'django\n' } });
  const result = await server.client.sendRequest(CHECK_FILES_REQUEST, {
    uris: ['file:///work/a/requirements.txt', 'file:///work/b/setup.py', 'file:///work/c/requirements.txt', 'file:///work/missing/requirements.txt', open, 'file:///work/a/requirements.txt'],
  });
  // a: unpinned and unhashed (warnings); b: exact-pin-in-library (information); c: syntax (error); open: unpinned.
  assert.deepEqual(result, { checked: 4, errors: 1, warnings: 3 });
  const codes = (uri: string) => published.filter((params) => params.uri === uri).map((params) => params.diagnostics.map((d) => `${d.range.start.line}:${d.code}`));
  assert.deepEqual(codes('file:///work/a/requirements.txt'), [['0:unpinned', '1:unhashed']]);
  assert.deepEqual(codes('file:///work/b/setup.py'), [['1:exact-pin-in-library']]);
  assert.deepEqual(codes('file:///work/c/requirements.txt'), [['0:syntax']]);
  assert.deepEqual(codes('file:///work/missing/requirements.txt'), []);
  assert.ok(codes(open).every((list) => list.join() === '0:unpinned'), 'only the open file\'s own validation publishes for it');
});

test('reqguard/checkFiles reads closed library manifests and pylock files by their names too', async () => {
  server.files.set('/work/lib/pyproject.toml', '[project]\nname = "lib"\nversion = "1.0"\ndependencies = ["pytz==2018.4"]\n');
  server.files.set('/work/lib/setup.cfg', '[options]\ninstall_requires =\n    six==1.16.0\n');
  server.files.set('/work/app/pylock.toml', 'lock-version = "9.0"\ncreated-by = "x"\n[[packages]]\nname = "six"\n');
  const uris = ['file:///work/lib/pyproject.toml', 'file:///work/lib/setup.cfg', 'file:///work/app/pylock.toml'];
  const result = await server.client.sendRequest(CHECK_FILES_REQUEST, { uris });
  assert.equal(result.checked, 3);
  const codes = (uri: string) => published.filter((params) => params.uri === uri).flatMap((params) => params.diagnostics.map((d) => d.code));
  assert.deepEqual(codes(uris[0]), ['exact-pin-in-library']);
  assert.deepEqual(codes(uris[1]), ['exact-pin-in-library']);
  // An unsupported lock-version and a package with no source: packaging.pylock refuses both.
  assert.deepEqual(codes(uris[2]), ['pylock-invalid', 'pylock-invalid']);
});
