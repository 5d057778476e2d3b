// The installer profile against the real pips: each interpreter says which pip it has
// (pythonEnvironment.ts), that pip becomes the default profile, and for each rule where pip 23.2.1
// and 26.2.1 differ, reqguard's verdict for that profile matches what that pip does with the line:
// an error exactly where the pip stops at it. (Hash mode with constraints, pip 26.1's rule, is
// checked case by case in hashMode.pip.test.ts and hashMode.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { analyzeFile, offlineDiagnostics } from '../../server/src/engine/engine';
import { installerFor } from '../../server/src/engine/installer';
import { createPythonEnvironments } from '../../server/src/pythonEnvironment';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { tempDir } from '../helpers/tempDirs';
import { PIP, PIP26, requireProgram, skipWithout } from '../support/optionalProgram';
import { runPip, type PipVersion } from '../support/pip';

/** Lines where pip 23.2.1 and pip 26.2.1 differ: whether each pip stops at the line. */
const CASES: readonly { readonly title: string; readonly line: string; readonly stops: readonly [boolean, boolean] }[] = [
  { title: 'a non-bare #egg= name (pip 26.0 removed it)', line: 'file:///nonexistent/foo-1.0.tar.gz#egg=foo[bar]', stops: [false, true] },
  { title: '#egg= with a version (pip 26.0 removed it)', line: '-e git+https://127.0.0.1:9/x.git#egg=foo==1.0', stops: [false, true] },
  { title: '--no-require-hashes (pip 26.2 added it)', line: '--no-require-hashes', stops: [true, false] },
  { title: '--all-releases (pip 26.0 added it)', line: '--all-releases :all:', stops: [true, false] },
  { title: '--only-final (pip 26.0 added it)', line: '--only-final six', stops: [true, false] },
  { title: '--global-option (pip 25.3 removed it)', line: 'six==1.16.0 --global-option=--x', stops: [false, true] },
];

/** What pip says when it stops at a line of the file (optparse's "no such option", the egg fragment error). */
const STOPPED = /no such option|invalid-egg-fragment/;

async function pipStops(which: PipVersion, file: string): Promise<boolean> {
  const run = await runPip(which, ['install', '--dry-run', '--no-index', '--no-deps', '-r', file]);
  return STOPPED.test(run.stderr);
}

test('each interpreter says its pip version, and that pip is the default profile', { skip: skipWithout(PIP, PIP26), timeout: 60_000 }, async () => {
  const python = createPythonEnvironments();
  for (const [path, version] of [['python3', /^23\.2\.1$/], [requireProgram(PIP26), /^26\.2\.1$/]] as const) {
    const answer = await python.ask(path, { source: 'flag', origin: '--python' });
    assert.ok(answer.ok, answer.ok ? '' : answer.error);
    assert.match(answer.target.pipVersion ?? '', version);
    const { profile } = installerFor(undefined, 'reqguard.installer', [answer.target]);
    assert.deepEqual([profile.kind, profile.version, profile.origin], ['pip', answer.target.pipVersion, "the interpreter's pip (--python)"]);
  }
});

for (const { title, line, stops } of CASES) {
  test(`pip 23.2.1 and 26.2.1, and reqguard for each: ${title}`, { skip: skipWithout(PIP, PIP26), timeout: 120_000 }, async () => {
    const dir = tempDir('reqguard-installer-');
    const path = join(dir, 'requirements.txt');
    writeFileSync(path, `${line}\n`);
    assert.deepEqual([await pipStops('system', path), await pipStops('pip26', path)], stops);
    const python = createPythonEnvironments();
    for (const [i, interpreter] of ['python3', requireProgram(PIP26)].entries()) {
      const answer = await python.ask(interpreter, { source: 'flag', origin: '--python' });
      assert.ok(answer.ok);
      const { profile } = installerFor(undefined, 'reqguard.installer', [answer.target]);
      const document = TextDocument.create(`file://${path}`, 'pip-requirements', 1, `${line}\n`);
      const found = offlineDiagnostics(analyzeFile(document, path, { reader: { read: () => undefined } }, { onDisk: false }), DEFAULT_SETTINGS, profile);
      // reqguard's own warnings (unpinned, unhashed) aside: an error exactly where that pip stops.
      const errors = found.filter((d) => d.severity === DiagnosticSeverity.Error);
      assert.equal(errors.length > 0, stops[i], `pip ${profile.version}: ${JSON.stringify(found.map((d) => d.message))}`);
      for (const error of errors) assert.ok(String(error.message).endsWith(`(for pip ${profile.version}: the interpreter's pip (--python))`), String(error.message));
    }
  });
}
