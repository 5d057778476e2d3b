// Hash mode reaches down into included files: what reqguard reports on the -r line of the file
// checked and in the included files themselves, case by case against the verdicts of pip 23.2.1
// and 26.2.1 (test/helpers/hashModeCases.ts; the real pips run the same cases in
// test/integration/hashMode.pip.test.ts), and the messages that say it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { analyzeFile, includedDiagnostics, offlineDiagnostics, type AnalyzedFile } from '../../server/src/engine/engine';
import { DEFAULT_SETTINGS, normalizeSettings } from '../../server/src/settings';
import { installer, memoryReader, messageText, ROOT } from '../helpers/diagnose';
import { caseFiles, HASH_MODE_CASES, HASH_MODE_FIXTURE } from '../helpers/hashModeCases';
import { installerName, type InstallerProfile } from '../../server/src/pip/installer';
import { buildFixtureFiles } from '../support/testIndex';

const WHEELS = buildFixtureFiles(HASH_MODE_FIXTURE);
const digestOf = (project: string) => WHEELS.find((file) => file.project === project)!.sha256;
const HASH = `--hash=sha256:${'a'.repeat(64)}`;

/** `name` (default requirements.txt) analyzed as the engine does, its includes read from `files`. */
function analyze(files: Readonly<Record<string, string>>, name = 'requirements.txt'): AnalyzedFile {
  const path = `${ROOT}/${name}`;
  const document = TextDocument.create(`file://${path}`, 'pip-requirements', 1, files[name]);
  return analyzeFile(document, path, { reader: memoryReader(files) }, { onDisk: true });
}

const SEVERITY: Record<number, string> = { [DiagnosticSeverity.Error]: 'error', [DiagnosticSeverity.Warning]: 'warning', [DiagnosticSeverity.Information]: 'information', [DiagnosticSeverity.Hint]: 'hint' };
const line = (file: string, d: Diagnostic) => `${file}:${d.range.start.line + 1} ${d.code} ${SEVERITY[d.severity!]}`;

/** Everything reported, in the file checked and in the files it includes, for `installer` (default: the latest pip). */
function report(files: Readonly<Record<string, string>>, settings = DEFAULT_SETTINGS, profile?: InstallerProfile) {
  const file = analyze(files);
  const own = offlineDiagnostics(file, settings, profile).map((d) => ({ file: 'requirements.txt', d }));
  const included = includedDiagnostics(file, settings, undefined, profile).flatMap((item) => item.diagnostics.map((d) => ({ file: item.path.slice(ROOT.length + 1), d })));
  return [...own, ...included];
}

for (const hashCase of HASH_MODE_CASES) {
  test(`hash mode (checked with pip 23.2.1 and 26.2.1): ${hashCase.title}`, () => {
    const files = caseFiles(hashCase.files, digestOf);
    const profiles = [
      { profile: installer('pip', '23.2.1'), pip: hashCase.pip[0], expected: hashCase.reqguardPip23 ?? hashCase.reqguard },
      { profile: installer('pip', '26.2.1'), pip: hashCase.pip[1], expected: hashCase.reqguard },
    ];
    for (const { profile, pip, expected } of profiles) {
      const found = report(files, DEFAULT_SETTINGS, profile);
      assert.deepEqual(found.map(({ file, d }) => line(file, d)).sort(), [...expected].sort(), installerName(profile));
      // The verdict is that pip's: an error (naming it) where it refuses, nothing said about refusing where it installs.
      const errors = found.filter(({ d }) => d.severity === DiagnosticSeverity.Error);
      const refusals = found.filter(({ d }) => /refuses/.test(messageText(d)));
      if (pip === 'refuses') {
        assert.ok(errors.length > 0, `${installerName(profile)} refuses: an error`);
        assert.ok(refusals.every(({ d }) => messageText(d).includes(`${installerName(profile)} refuses`) && messageText(d).includes(`(for ${installerName(profile)}: the test)`)), 'the verdict names its installer');
      } else {
        assert.equal(errors.length, 0, `${installerName(profile)} installs it: no error`);
        assert.deepEqual(refusals, []);
      }
    }
    // The default profile is the latest pip's.
    assert.deepEqual(report(files).map(({ file, d }) => line(file, d)).sort(), [...hashCase.reqguard].sort());
  });
}

test("the -r line names what pip refuses in the file it includes, with its line (the issue's example)", () => {
  const [include] = offlineDiagnostics(analyze({ 'requirements.txt': `-r base.txt\nsix==1.16.0 ${HASH}\n`, 'base.txt': '# shared\n\nitsdangerous==2.2.0\n' }), DEFAULT_SETTINGS);
  assert.equal(include.code, 'hash-mode-include');
  assert.deepEqual(include.range, { start: { line: 0, character: 3 }, end: { line: 0, character: 11 } });
  assert.equal(
    messageText(include),
    "'base.txt' holds 1 entry pip 26.2 refuses in hash-checking mode: itsdangerous==2.2.0 has no --hash (line 3). Hash mode covers every file pip reads: pin and hash it there (reqguard fix does it for included files too). (for pip 26.2: the latest rules reqguard knows)",
  );
  assert.match(include.relatedInformation![0].message, /this --hash turns on hash-checking mode/);
  assert.deepEqual(include.relatedInformation![0].location.range.start, { line: 1, character: 12 });
});

test('several refused entries: a count and the first three, in the file named and the files it includes', () => {
  const files = {
    'requirements.txt': `-r base.txt\n--require-hashes\n`,
    'base.txt': '-r sub/deeper.txt\nitsdangerous\n-e ./proj\n',
    'sub/deeper.txt': `a==1\nb ${HASH}\nc>=2\nd==1 ${HASH}\n`,
  };
  const [include] = offlineDiagnostics(analyze(files), DEFAULT_SETTINGS);
  assert.equal(
    messageText(include),
    "'base.txt' and the files it includes hold 4 entries pip 26.2 refuses in hash-checking mode: itsdangerous is not pinned with == (line 2), '-e ./proj' cannot be hash-checked (line 3), a==1 has no --hash (sub/deeper.txt, line 1), and 1 more. Hash mode covers every file pip reads: pin and hash them there (reqguard fix does it for included files too). (for pip 26.2: the latest rules reqguard knows)",
  );
  assert.equal(include.severity, DiagnosticSeverity.Error);
});

test('the -r line lists what the chosen pip refuses: an unpinned entry with its own hash only before pip 26.1', () => {
  const files = { 'requirements.txt': `-r base.txt\nsix==1.16.0 ${HASH}\n`, 'base.txt': `itsdangerous ${HASH}\ntzdata==2024.1\n` };
  const older = offlineDiagnostics(analyze(files), DEFAULT_SETTINGS, installer('pip', '26.0'));
  assert.match(messageText(older[0]), /^'base\.txt' holds 2 entries pip 26\.0 refuses in hash-checking mode: itsdangerous is not pinned with == \(line 1\), tzdata==2024\.1 has no --hash \(line 2\)\. .* \(for pip 26\.0: the test\)$/);
  const latest = offlineDiagnostics(analyze(files), DEFAULT_SETTINGS, installer('pip', '26.1'));
  assert.match(messageText(latest[0]), /^'base\.txt' holds 1 entry pip 26\.1 refuses in hash-checking mode: tzdata==2024\.1 has no --hash \(line 2\)\./);
  assert.equal(latest[0].severity, DiagnosticSeverity.Error);
});

test('in the included file, each refusal names the file that includes it and the line that switched hash mode on', () => {
  const files = {
    'requirements.txt': `# app\n-r base.txt\nsix==1.16.0 ${HASH}\n`,
    'base.txt': '-r deeper.txt\nitsdangerous==2.2.0\n',
    'deeper.txt': 'tzdata\n',
  };
  const included = includedDiagnostics(analyze(files), DEFAULT_SETTINGS);
  assert.deepEqual(included.map((item) => [item.path, item.text]), [[`${ROOT}/base.txt`, files['base.txt']], [`${ROOT}/deeper.txt`, files['deeper.txt']]]);
  assert.equal(
    messageText(included[0].diagnostics[0]),
    "pip 26.2 refuses 'itsdangerous==2.2.0' in hash-checking mode: it has no --hash. Add a --hash=sha256:… for each file of this release. (requirements.txt includes this file, and its --hash on line 3 turns on hash-checking mode for everything it installs) (for pip 26.2: the latest rules reqguard knows)",
  );
  assert.deepEqual(included[0].diagnostics[0].range, { start: { line: 1, character: 0 }, end: { line: 1, character: 19 } });
  assert.equal(included[0].diagnostics[0].relatedInformation, undefined);
  assert.match(messageText(included[1].diagnostics[0]), /^pip 26\.2 refuses 'tzdata' in hash-checking mode: it has no version; .* \(requirements\.txt includes this file \(through 'base\.txt'\), and its --hash on line 3 turns/);
});

test('when the included file itself switches hash mode on, its messages say "in this file"; --require-hashes elsewhere is named by path', () => {
  const own = includedDiagnostics(analyze({ 'requirements.txt': '-r base.txt\n', 'base.txt': `six==1.16.0 ${HASH}\ntzdata==2024.1\n` }), DEFAULT_SETTINGS);
  assert.match(messageText(own[0].diagnostics[0]), /\(requirements\.txt includes this file, and the --hash in this file turns on hash-checking mode for everything it installs\) \(for pip 26\.2: the latest rules reqguard knows\)$/);
  const other = includedDiagnostics(analyze({ 'requirements.txt': '-r base.txt\n-c lock/c.txt\n', 'base.txt': 'tzdata==2024.1\n', 'lock/c.txt': '--require-hashes\n' }), DEFAULT_SETTINGS);
  assert.match(messageText(other[0].diagnostics[0]), /and --require-hashes in lock\/c\.txt turns on/);
});

test('a constraint\'s hashes: pip 26.1+ installs with them, pip 26.0 refuses, each verdict naming its pip', () => {
  const files = { 'requirements.txt': `-c constraints.txt\nsix==1.16.0 ${HASH}\nitsdangerous\ntzdata==2024.1\n`, 'constraints.txt': `# pins\nitsdangerous==2.2.0 ${HASH}\ntzdata==2024.1 ${HASH}\n` };
  const [unpinned, unhashed] = offlineDiagnostics(analyze(files), DEFAULT_SETTINGS, installer('pip', '26.0'));
  assert.equal(
    messageText(unpinned),
    "pip 26.0 refuses 'itsdangerous' in hash-checking mode: it has no version; every requirement must be pinned with ==. Pin it to one version and hash it. (for pip 26.0: the test)",
  );
  assert.equal(messageText(unhashed), "pip 26.0 refuses 'tzdata==2024.1' in hash-checking mode: it has no --hash. Add a --hash=sha256:… for each file of this release. (for pip 26.0: the test)");
  // pip 26.1 takes both from the constraints: only reqguard's own warning that 'itsdangerous' has no version here.
  const latest = offlineDiagnostics(analyze(files), DEFAULT_SETTINGS, installer('pip', '26.1'));
  assert.deepEqual(latest.map((d) => `${d.code} ${d.severity}`), [`unpinned ${DiagnosticSeverity.Warning}`]);
});

test('a direct reference borrows no hash from a constraint (pip resolves it without them)', () => {
  const [unhashed] = offlineDiagnostics(analyze({ 'requirements.txt': '-c c.txt\npkg @ https://example.com/pkg-1.0.tar.gz\n', 'c.txt': `pkg==1.0 ${HASH}\n` }), DEFAULT_SETTINGS);
  assert.equal(unhashed.code, 'unhashed');
  assert.equal(unhashed.severity, DiagnosticSeverity.Error);
});

test('no hash mode, a pip-compile input, a code turned off: nothing in the included files, nothing on the -r line', () => {
  const base = 'itsdangerous==2.2.0\n';
  assert.deepEqual(includedDiagnostics(analyze({ 'requirements.txt': '-r base.txt\nsix==1.16.0\n', 'base.txt': base }), DEFAULT_SETTINGS), []);
  const input = analyze({ 'requirements.in': `-r base.txt\nsix==1.16.0 ${HASH}\n`, 'base.txt': base }, 'requirements.in');
  assert.deepEqual(includedDiagnostics(input, DEFAULT_SETTINGS), []);
  assert.deepEqual(offlineDiagnostics(input, DEFAULT_SETTINGS), []);
  const off = normalizeSettings({ severity: { 'hash-mode-include': 'off', unhashed: 'off' } });
  const hashed = analyze({ 'requirements.txt': `-r base.txt\nsix==1.16.0 ${HASH}\n`, 'base.txt': base });
  assert.deepEqual(offlineDiagnostics(hashed, off), []);
  assert.deepEqual(includedDiagnostics(hashed, off).flatMap((item) => item.diagnostics), []);
});

test('a file included twice is reported once in itself, and on each -r line that reaches it', () => {
  const files = { 'requirements.txt': `-r a.txt\n-r b.txt\nsix==1.16.0 ${HASH}\n`, 'a.txt': '-r common.txt\n', 'b.txt': '-r common.txt\n', 'common.txt': 'tzdata==2024.1\n' };
  const file = analyze(files);
  assert.deepEqual(offlineDiagnostics(file, DEFAULT_SETTINGS).map((d) => `${d.range.start.line}:${d.code}`), ['0:hash-mode-include', '1:hash-mode-include']);
  assert.deepEqual(includedDiagnostics(file, DEFAULT_SETTINGS).map((item) => [item.path, item.diagnostics.length]), [[`${ROOT}/common.txt`, 1]]);
});
