// Every diagnostic code, through computeDiagnostics/findingsFor on real TextDocuments: code,
// severity and exact range (marked inline with ⟦…⟧, see test/helpers/marked.ts), and for hash
// mode the related location of the line that switched it on. Hash-mode cases follow pip's
// own rules (req_file.handle_line, cli/req_command.py, operations/prepare.py, is_pinned).
import { test, describe as suite } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument } from '../../server/src/engine/documents';
import { findingsFor, severityOf } from '../../server/src/features/diagnostics';
import { escapeControlCharacters } from '../../server/src/features/diagnostics/safeText';
import { INDEX_DIAGNOSTIC_CODES } from '../../server/src/features/indexDiagnostics';
import { DEFAULT_SETTINGS, DIAGNOSTIC_CODES, normalizeSettings } from '../../server/src/settings';
import { actualLines, diagnose, expectedLines, installer, messageText, type DiagnoseOptions, type Diagnosed, type Expected } from '../helpers/diagnose';
import { marked } from '../helpers/marked';

/** Valid digests of each length pip accepts. */
const SHA256 = 'a'.repeat(64);
const SHA384 = 'b'.repeat(96);
const SHA512 = 'c'.repeat(128);

const seenCodes = new Set<string>();

/** Diagnoses `source` as `name` and asserts the diagnostics are exactly `expected`. */
function check(name: string, source: string, expected: readonly Expected[], options?: DiagnoseOptions): Diagnosed {
  const result = diagnose(name, source, options);
  assert.deepEqual(actualLines(result.diagnostics), expectedLines(result, expected), `diagnostics of ${JSON.stringify(result.text)}`);
  for (const diagnostic of result.diagnostics) {
    seenCodes.add(String(diagnostic.code));
    assert.equal(diagnostic.source, 'reqguard');
    assert.ok(messageText(diagnostic).length > 0);
  }
  return result;
}

/** The message of the only diagnostic with `code`. */
function messageOf(result: Diagnosed, code: string): string {
  const found = result.diagnostics.filter((d) => d.code === code);
  assert.equal(found.length, 1, `one ${code} expected`);
  return messageText(found[0]);
}

suite('marks', () => {
  test('marks are stripped, numbered in opening order, and may nest or be empty', () => {
    const m = marked('⟦a ⟦b⟧⟧\n⟦⟧c');
    assert.equal(m.text, 'a b\nc');
    assert.deepEqual(m.spans, [{ start: 0, end: 3 }, { start: 2, end: 3 }, { start: 4, end: 4 }]);
    assert.deepEqual(m.ranges[2], { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } });
    assert.throws(() => marked('⟦a'));
    assert.throws(() => marked('a⟧'));
  });
});

suite('unpinned and unhashed without hash mode', () => {
  test('no hash anywhere: only warnings', () => {
    check('requirements.txt', `⟦Django⟧
⟦requests>=2⟧
⟦pytz==2018.4⟧
⟦requests-oauthlib[signals]==1.3.1⟧ ; python_version >= "3.8"
`, [
      ['unpinned', 'warning', 0],
      ['unpinned', 'warning', 1],
      ['unhashed', 'warning', 2],
      ['unhashed', 'warning', 3],
    ]);
  });

  test('=== is a pin; ==1.* and ==1.0,!=1.1 are not', () => {
    check('requirements.txt', `⟦a===1.0⟧
⟦b==1.*⟧
⟦c==1.0,!=1.1⟧
⟦d ~= 1.0⟧
`, [
      ['unhashed', 'warning', 0],
      ['unpinned', 'warning', 1],
      ['unpinned', 'warning', 2],
      ['unpinned', 'warning', 3],
    ]);
  });

  test('a repeated identical clause is still one pin (pip\'s SpecifierSet is a set)', () => {
    check('requirements.txt', `⟦e==1.0,==1.0⟧
`, [['unhashed', 'warning', 0]]);
  });

  test('the unpinned message names what is allowed', () => {
    const result = check('requirements.txt', '⟦c==1.0,!=1.1⟧\n', [['unpinned', 'warning', 0]]);
    assert.match(messageOf(result, 'unpinned'), /allows more than one version \(==1\.0,!=1\.1\)/);
  });

  test('direct references: a #sha256= on the URL counts as a hash, a URL alone is only unhashed', () => {
    check('requirements.txt', `https://example.com/pkg-1.0.tar.gz#sha256=${SHA256}
⟦https://example.com/other-1.0.tar.gz⟧
pkg3 @ https://example.com/pkg3-1.0.tar.gz#sha256=${SHA256}
⟦pkg4⟧ @ https://example.com/pkg4-1.0.tar.gz
`, [
      ['unhashed', 'warning', 0],
      ['unhashed', 'warning', 1],
    ]);
  });

  test('editable, VCS and local directory requirements are not flagged outside hash mode', () => {
    check('requirements.txt', `-e .
-e git+https://github.com/org/repo.git#egg=repo
git+https://github.com/org/other.git#egg=other
pkg @ git+https://github.com/org/pkg.git@v1
./local/project
file:///srv/project
`, []);
  });
});

suite('hash mode', () => {
  test('one --hash makes unpinned and unhashed errors that point at the --hash', () => {
    const result = check('requirements.txt', `⟦Django⟧
⟦requests>=2⟧
pytz==2018.4 ⟦--hash=sha256:${SHA256}⟧
⟦six==1.16.0⟧
⟦https://example.com/other-1.0.tar.gz⟧
https://example.com/pkg-1.0.tar.gz#sha256=${SHA256}
`, [
      ['unpinned', 'error', 0, 2],
      ['unpinned', 'error', 1, 2],
      ['unhashed', 'error', 3, 2],
      ['unhashed', 'error', 4, 2],
    ]);
    const related = result.diagnostics[0].relatedInformation![0];
    assert.equal(related.location.uri, 'file:///work/project/requirements.txt');
    assert.match(related.message, /this --hash turns on hash-checking mode/);
    // The verdict says which installer it is for: here the default, the latest pip's rules.
    assert.match(messageText(result.diagnostics[0]), /^pip 26\.2 refuses 'Django' in hash-checking mode: .* \(for pip 26\.2: the latest rules reqguard knows\)$/);
  });

  test('an unpinned requirement with its own --hash: pip before 26.1 refuses it (HashUnpinned), pip 26.1+ pins it to the release its hash matches (checked with pip 23.2.1 and 26.2.1)', () => {
    const source = `⟦requests>=2⟧ ⟦--hash=sha256:${SHA256}⟧
`;
    const older = check('requirements.txt', source, [['unpinned', 'error', 0, 1]], { installer: installer('pip', '26.0') });
    assert.match(messageOf(older, 'unpinned'), /^pip 26\.0 refuses 'requests' in hash-checking mode: it allows more than one version \(>=2\); every requirement must be pinned with ==\. .* \(for pip 26\.0: the test\)$/);
    // pip 26.1+ installs it: only reqguard's own warning that the range lets a new release in.
    const latest = check('requirements.txt', source, [['unpinned', 'warning', 0]], { installer: installer('pip', '26.1') });
    assert.match(messageOf(latest, 'unpinned'), /^'requests' allows more than one version \(>=2\): a new release can change what gets deployed/);
  });

  test('a hash on a continuation line, as pip-compile writes it', () => {
    check('requirements.txt', `⟦Django⟧
pytz==2018.4 \\
    ⟦--hash=sha256:${SHA256}⟧ \\
    --hash=sha256:${SHA256}
    # via django
`, [['unpinned', 'error', 0, 1]]);
  });

  test('--require-hashes alone turns hash mode on', () => {
    check('requirements.txt', `⟦--require-hashes⟧
⟦Django⟧
⟦pytz==2018.4⟧
pytz2==2018.4 --hash=sha384:${SHA384} --hash=sha512:${SHA512}
`, [
      ['unpinned', 'error', 1, 0],
      ['unhashed', 'error', 2, 0],
    ]);
  });

  test('--require-hashes wins over an earlier --hash as the reason', () => {
    const result = check('requirements.txt', `pytz==2018.4 --hash=sha256:${SHA256}
⟦--require-hashes⟧
⟦Django⟧
`, [['unpinned', 'error', 1, 0]]);
    assert.match(result.diagnostics[0].relatedInformation![0].message, /--require-hashes turns on hash-checking mode/);
  });

  test('--no-require-hashes keeps a lone --hash from switching hash mode on', () => {
    check('requirements.txt', `--no-require-hashes
⟦Django⟧
pytz==2018.4 --hash=sha256:${SHA256}
⟦six==1.16.0⟧
-e .
`, [
      ['unpinned', 'warning', 0],
      ['unhashed', 'warning', 1],
    ]);
  });

  test('--require-hashes and --no-require-hashes together: pip stops, hash mode stays on', () => {
    check('requirements.txt', `⟦--require-hashes⟧
⟦--no-require-hashes⟧
⟦Django⟧
`, [
      ['syntax', 'error', 1],
      ['unpinned', 'error', 2, 0],
    ]);
  });

  test('pip ignores file-wide options on requirement, -e and -r lines: they switch nothing on', () => {
    check('requirements.txt', `⟦pkg==1⟧ ⟦--require-hashes⟧
-e ./proj ⟦--require-hashes⟧
-r base.txt ⟦--require-hashes⟧
⟦Django⟧
`, [
      ['unhashed', 'warning', 0],
      ['ignored', 'warning', 1],
      ['ignored', 'warning', 2],
      ['ignored', 'warning', 3],
      ['unpinned', 'warning', 4],
    ], { files: { 'base.txt': '' } });
  });

  test('--require-hashes on a requirement line is not in conflict with a --no-require-hashes line (pip 26.2: no error)', () => {
    check('requirements.txt', `⟦pkg==1⟧ ⟦--require-hashes⟧
--no-require-hashes
-r base.txt ⟦--require-hashes⟧
`, [
      ['ignored', 'warning', 1],
      ['ignored', 'warning', 2],
      ['unhashed', 'warning', 0],
    ], { files: { 'base.txt': '' } });
  });

  test('--no-require-hashes on a requirement line does not suppress hash mode', () => {
    check('requirements.txt', `pkg==1 ⟦--hash=sha256:${SHA256}⟧ ⟦--no-require-hashes⟧
⟦Django⟧
`, [
      ['ignored', 'warning', 1],
      ['unpinned', 'error', 2, 0],
    ]);
  });

  test('a --hash on a line without a requirement is ignored and does not switch hash mode on', () => {
    check('requirements.txt', `⟦--hash=sha256:${SHA256}⟧
⟦Django⟧
`, [
      ['ignored', 'warning', 0],
      ['unpinned', 'warning', 1],
    ]);
  });

  test('==1.* is pinned for pip: with a hash it is only a warning, without one pip wants the hash; a hashed range only pip before 26.1 refuses', () => {
    const source = `⟦a==1.*⟧ ⟦--hash=sha256:${SHA256}⟧
⟦b==1.*⟧
⟦c==1.0,!=1.1⟧ --hash=sha256:${SHA256}
`;
    check('requirements.txt', source, [
      ['unpinned', 'warning', 0],
      ['unpinned', 'warning', 2],
      ['unhashed', 'error', 2, 1],
      ['unpinned', 'warning', 3],
    ]);
    check('requirements.txt', source, [
      ['unpinned', 'warning', 0],
      ['unpinned', 'warning', 2],
      ['unhashed', 'error', 2, 1],
      ['unpinned', 'error', 3, 1],
    ], { installer: installer('pip', '23.2.1') });
  });

  test('=== pins count in hash mode', () => {
    check('requirements.txt', `--require-hashes
a===1.0 --hash=sha256:${SHA256}
`, []);
  });

  test('editable, VCS, local directory and file: directory URLs are unhashable in hash mode', () => {
    check('requirements.txt', `pytz==2018.4 ⟦--hash=sha256:${SHA256}⟧
-e ⟦.⟧
⟦git+https://github.com/org/other.git#egg=other⟧
⟦pkg @ git+https://github.com/org/pkg.git@v1⟧
⟦./local/project⟧
⟦file:///srv/project⟧
-e ⟦git+https://github.com/org/repo.git#egg=repo⟧
`, [
      ['hash-mode-unhashable', 'error', 1, 0],
      ['hash-mode-unhashable', 'error', 2, 0],
      ['hash-mode-unhashable', 'error', 3, 0],
      ['hash-mode-unhashable', 'error', 4, 0],
      ['hash-mode-unhashable', 'error', 5, 0],
      ['hash-mode-unhashable', 'error', 6, 0],
    ]);
  });

  test('a local archive and a wheel URL are hashable: only a missing hash is refused', () => {
    check('requirements.txt', `⟦--require-hashes⟧
./dist/pkg-1.0.tar.gz --hash=sha256:${SHA256}
⟦https://example.com/w/wheelpkg-2.0-py3-none-any.whl⟧
file:///srv/dist/other-1.0.tar.gz#sha256=${SHA256}
`, [['unhashed', 'error', 1, 0]]);
  });
});

suite('hash mode from included files', () => {
  test('a --hash in a -r file turns hash mode on here, pointing at the include', () => {
    const result = check('requirements.txt', `⟦Django⟧
-r ⟦base.txt⟧
`, [['unpinned', 'error', 0, 1]], { files: { 'base.txt': `pytz==2018.4 --hash=sha256:${SHA256}\n` } });
    assert.match(result.diagnostics[0].relatedInformation![0].message, /this --hash in base\.txt turns on hash-checking mode/);
  });

  test('--require-hashes two includes deep points at the top-level include line', () => {
    check('requirements.txt', `-r ⟦sub/a.txt⟧
⟦pytz==2018.4⟧
`, [['unhashed', 'error', 1, 0]], { files: { 'sub/a.txt': '-r ../b.txt\n', 'b.txt': '--require-hashes\n' } });
  });

  test('a hashed -c constraints file switches hash mode on too (pip collects constraints first; checked with pip 23.2.1 and 26.2.1)', () => {
    check('requirements.txt', `-c ⟦constraints.txt⟧
⟦six==1.16.0⟧
`, [['unhashed', 'error', 1, 0]], { files: { 'constraints.txt': `tzdata==2024.1 --hash=sha256:${SHA256}\n` } });
  });

  test('hash mode reaches down: the -r line says what pip refuses in the file it includes (more in hashMode.test.ts)', () => {
    const result = check('requirements.txt', `-r ⟦base.txt⟧
six==1.16.0 ⟦--hash=sha256:${SHA256}⟧
`, [['hash-mode-include', 'error', 0, 1]], { files: { 'base.txt': 'itsdangerous==2.2.0\n' } });
    assert.match(messageOf(result, 'hash-mode-include'), /^'base\.txt' holds 1 entry pip 26\.2 refuses in hash-checking mode: itsdangerous==2\.2\.0 has no --hash \(line 1\)/);
  });

  test('--no-require-hashes here keeps a --hash in an include from switching hash mode on', () => {
    check('requirements.txt', `--no-require-hashes
-r base.txt
⟦Django⟧
`, [['unpinned', 'warning', 0]], { files: { 'base.txt': `pytz==2018.4 --hash=sha256:${SHA256}\n` } });
  });

  test('without resolved includes nothing is known about them', () => {
    check('requirements.txt', `-r base.txt
⟦Django⟧
`, [['unpinned', 'warning', 0]]);
  });

  test('a missing or remote include switches nothing on', () => {
    check('requirements.txt', `-r ⟦missing.txt⟧
-r https://example.com/requirements.txt
⟦Django⟧
`, [
      ['include-not-found', 'error', 0],
      ['unpinned', 'warning', 1],
    ], { files: {} });
  });
});

suite('weak-hash', () => {
  test('algorithms pip rejects: the algorithm is marked', () => {
    check('requirements.txt', `a==1 --hash=⟦md5⟧:0123456789abcdef0123456789abcdef
b==1 --hash=⟦sha1⟧:${'0'.repeat(40)}
c==1 --hash=⟦sha224⟧:${'0'.repeat(56)}
`, [
      ['weak-hash', 'error', 0],
      ['weak-hash', 'error', 1],
      ['weak-hash', 'error', 2],
    ]);
  });

  test('digests no file can match: wrong length, not hex, empty', () => {
    const result = check('requirements.txt', `a==1 --hash=sha256:⟦abc⟧
b==1 --hash=sha256:⟦${'g'.repeat(64)}⟧
c==1 --hash=sha512:⟦${SHA256}⟧
d==1 ⟦--hash=sha256:⟧
e==1 --hash=sha384:${SHA384.toUpperCase()}
`, [
      ['weak-hash', 'error', 0],
      ['weak-hash', 'error', 1],
      ['weak-hash', 'error', 2],
      ['weak-hash', 'error', 3],
    ]);
    const messages = result.diagnostics.map((d) => messageText(d));
    assert.ok(messages.some((m) => /has 3 characters instead of 64/.test(m)));
    assert.ok(messages.some((m) => /is not hexadecimal/.test(m)));
    assert.ok(messages.some((m) => /sha512 digest has 64 characters instead of 128/.test(m)));
  });

  test('a weak digest still switches hash mode on', () => {
    check('requirements.txt', `a==1 ⟦--hash=sha256:⟦abc⟧⟧
⟦Django⟧
`, [
      ['weak-hash', 'error', 1],
      ['unpinned', 'error', 2, 0],
    ]);
  });
});

suite('duplicate', () => {
  test('the same pin twice is a warning pointing at the first', () => {
    check('requirements.txt', `⟦six⟧==1.16.0 --hash=sha256:${SHA256}
⟦six⟧==1.16.0 --hash=sha256:${SHA256}
`, [['duplicate', 'warning', 1, 0]]);
  });

  test('different pins are an error; names are compared PEP 503-normalized', () => {
    const result = check('requirements.txt', `⟦Foo_Bar⟧==1.0 --hash=sha256:${SHA256}
⟦foo-bar⟧==2.0 --hash=sha256:${SHA256}
`, [['duplicate', 'error', 1, 0]]);
    assert.match(messageOf(result, 'duplicate'), /pinned twice to different versions \(1\.0 on line 1, 2\.0 here\)/);
  });

  test('pins that name the same PEP 440 version do not conflict', () => {
    check('requirements.txt', `⟦x⟧==1 --hash=sha256:${SHA256}
⟦x⟧==1.0 --hash=sha256:${SHA256}
⟦x⟧===1 --hash=sha256:${SHA256}
⟦y⟧==2.0 --hash=sha256:${SHA256}
⟦y⟧==2.0+cpu --hash=sha256:${SHA256}
`, [
      ['duplicate', 'warning', 1, 0],
      ['duplicate', 'warning', 2, 0],
      ['duplicate', 'warning', 4, 3],
    ]);
  });

  test('a pin and a range of the same project: a warning', () => {
    check('requirements.txt', `⟦⟦six⟧==1.16.0⟧
⟦⟦six⟧>=1⟧
`, [
      ['unhashed', 'warning', 0],
      ['unpinned', 'warning', 2],
      ['duplicate', 'warning', 3, 1],
    ]);
  });

  test('an entry without a marker overlaps every other; the first overlapping entry is named', () => {
    const hash = ` --hash=sha256:${SHA256}`;
    check('requirements.txt', `⟦six⟧==1 ; python_version < "3"${hash}
⟦six⟧==1 ; python_version >= "3"${hash}
⟦six⟧==1${hash}
⟦six⟧==1 ; python_version >= "3"${hash}
⟦six⟧==1 ; os_name == "nt"${hash}
`, [
      ['duplicate', 'warning', 2, 0],
      ['duplicate', 'warning', 3, 1],
      ['duplicate', 'warning', 4, 2],
    ]);
  });

  test('entries with different markers are alternatives, the same marker is a duplicate', () => {
    check('requirements.txt', `⟦numpy⟧==1.24.4 ; python_version < "3.9" --hash=sha256:${SHA256}
numpy==1.26.4 ; python_version >= "3.9" --hash=sha256:${SHA256}
⟦numpy⟧==1.24.4 ; python_version<'3.9' --hash=sha256:${SHA256}
`, [['duplicate', 'warning', 1, 0]]);
  });
});

suite('index options', () => {
  test('extra-index-url marks the whole option', () => {
    check('requirements.txt', `⟦--extra-index-url https://corp.example/simple⟧
⟦--extra-index-url=https://other.example/simple⟧
`, [
      ['extra-index-url', 'warning', 0],
      ['extra-index-url', 'warning', 1],
    ]);
  });

  test('plain HTTP index and find-links: the URL is marked', () => {
    check('requirements.txt', `-i ⟦http://mirror.example/simple⟧
--index-url=⟦HTTP://mirror.example/simple⟧
-f ⟦http://mirror.example/links/⟧
⟦--extra-index-url ⟦http://corp.example/simple⟧⟧
--index-url https://mirror.example/simple
--find-links ./wheels
`, [
      ['insecure-index', 'warning', 0],
      ['insecure-index', 'warning', 1],
      ['insecure-index', 'warning', 2],
      ['extra-index-url', 'warning', 3],
      ['insecure-index', 'warning', 4],
    ]);
  });

  test('--trusted-host marks the whole option', () => {
    const result = check('requirements.txt', `⟦--trusted-host mirror.example⟧
⟦--trusted-host=mirror.example:8080⟧
`, [
      ['insecure-index', 'warning', 0],
      ['insecure-index', 'warning', 1],
    ]);
    assert.match(messageText(result.diagnostics[0]), /--trusted-host mirror\.example lets pip accept plain HTTP/);
  });

  test('loopback hosts are secure origins for pip: localhost, 127.0.0.1, [::1]', () => {
    check('requirements.txt', `-i http://localhost:8080/simple
--index-url http://127.0.0.1/simple
-f http://[::1]:3141/links/
-f http://user:secret@localhost/links/
--trusted-host localhost
--trusted-host 127.0.0.1:8080
--trusted-host [::1]
--trusted-host [::1]:3141
-i ⟦http://localhost.evil.example/simple⟧
-i ⟦http://127.0.0.1.evil.example/simple⟧
`, [
      ['insecure-index', 'warning', 0],
      ['insecure-index', 'warning', 1],
    ]);
  });

  test('index options on a requirement or include line are ignored by pip and judged only as ignored', () => {
    check('requirements.txt', `⟦pkg==1⟧ ⟦--index-url http://mirror.example/simple⟧ ⟦--extra-index-url https://corp.example/simple⟧ ⟦--trusted-host mirror.example⟧
-r base.txt ⟦--extra-index-url https://corp.example/simple⟧ ⟦--trusted-host mirror.example⟧
`, [
      ['unhashed', 'warning', 0],
      ['ignored', 'warning', 1],
      ['ignored', 'warning', 2],
      ['ignored', 'warning', 3],
      ['ignored', 'warning', 4],
      ['ignored', 'warning', 5],
    ]);
  });
});

suite('pip rejects or ignores', () => {
  test('removed-option: --global-option and --build-option, marked at the option name', () => {
    check('requirements.txt', `pkg==1 ⟦--global-option⟧=--no-user-cfg
pkg2==1 ⟦--build-option⟧ --x
`, [
      ['removed-option', 'error', 0],
      ['removed-option', 'error', 1],
    ]);
  });

  test('syntax: an invalid requirement, an unknown option, a missing value, a bad --hash', () => {
    const result = check('requirements.txt', `flask⟦=1.0⟧
⟦--no-such-option⟧
pkg==1 ⟦--hash=sha256⟧
⟦--index-url⟧
`, [
      ['syntax', 'error', 0],
      ['syntax', 'error', 1],
      ['syntax', 'error', 2],
      ['syntax', 'error', 3],
    ]);
    const messages = result.diagnostics.map((d) => messageText(d)).join('\n');
    assert.match(messages, /= is not a valid operator\. Did you mean == \?/);
    assert.match(messages, /no such option: --no-such-option/);
    assert.match(messages, /must be a hash name followed by a value/);
  });

  test('ignored: arguments after an option, file-wide options on a requirement line, a second -e', () => {
    check('requirements.txt', `--pre ⟦ptvsd⟧
⟦pkg==1⟧ ⟦--pre⟧
-e ./a ⟦-e ./b⟧
`, [
      ['ignored', 'warning', 0],
      ['unhashed', 'warning', 1],
      ['ignored', 'warning', 2],
      ['ignored', 'warning', 3],
    ]);
  });

  test('an #egg= fragment that is not a bare name: pip 26.0+ rejects it, older pips deprecate it (checked with pip 23.2.1 and 26.2.1)', () => {
    const source = `⟦git+https://github.com/org/repo.git#egg=name[extra]⟧
-e ⟦git+https://github.com/org/repo2.git#egg=repo2==1.0⟧
-e git+https://github.com/org/repo4.git#egg=repo4-1.0
git+https://github.com/org/repo3.git#egg=repo3
`;
    const latest = check('requirements.txt', source, [
      ['syntax', 'error', 0],
      ['syntax', 'error', 1],
    ]);
    assert.match(messageText(latest.diagnostics[0]), /^pip 26\.2 rejects the #egg=name\[extra\] fragment: it must be a bare project name .* \(for pip 26\.2: the latest rules reqguard knows\)$/);
    const older = check('requirements.txt', source, [
      ['deprecated', 'warning', 0],
      ['deprecated', 'warning', 1],
    ], { installer: installer('pip', '25.3') });
    assert.match(messageText(older.diagnostics[0]), /: pip 25\.3 installs it with a deprecation warning, and pip 26\.0 rejects it\. .* \(for pip 25\.3: the test\)$/);
    check('requirements.txt', source, [
      ['syntax', 'error', 0],
      ['syntax', 'error', 1],
    ], { installer: installer('pip', '26.0') });
  });
});

suite('local paths', () => {
  const disk = { './dist/there-1.0.tar.gz': 'file', './proj': 'project', './empty': 'directory', 'sub/proj': 'project' } as const;

  test('missing-path: a local archive that is not there; without a disk nothing is judged', () => {
    const text = `⟦./dist/pkg-1.0.tar.gz⟧
⟦./dist/there-1.0.tar.gz⟧
`;
    check('requirements.txt', text, [['missing-path', 'warning', 0], ['unhashed', 'warning', 0], ['unhashed', 'warning', 1]], { disk });
    check('requirements.txt', text, [['unhashed', 'warning', 0], ['unhashed', 'warning', 1]]);
  });

  test('directories: a project is accepted, an empty or missing one is what pip rejects', () => {
    const result = check('requirements.txt', `./proj
⟦./empty⟧
⟦./nothing⟧
-e ./proj
-e ⟦./nothing⟧
-e sub/proj
`, [
      ['syntax', 'error', 0],
      ['syntax', 'error', 1],
      ['syntax', 'error', 2],
    ], { disk });
    assert.match(messageText(result.diagnostics[0]), /Directory '\.\/empty' is not installable/);
  });

  test('an existing local project is still unhashable in hash mode', () => {
    check('requirements.txt', `⟦--require-hashes⟧
⟦./proj⟧
`, [['hash-mode-unhashable', 'error', 1, 0]], { disk });
  });
});

suite('include-not-found', () => {
  test('a missing -r or -c target, relative to the including file', () => {
    const result = check('requirements/prod.txt', `-r ⟦base.txt⟧
-c ⟦../constraints.txt⟧
--requirement ⟦missing.txt⟧
-r https://example.com/remote.txt
`, [
      ['include-not-found', 'error', 2],
    ], { files: { 'requirements/base.txt': 'six==1.16.0\n', 'constraints.txt': '' } });
    assert.match(messageText(result.diagnostics[0]), /looked for \/work\/project\/requirements\/missing\.txt/);
  });

  test('a file that includes itself', () => {
    check('requirements.txt', `-r ⟦requirements.txt⟧
`, [['include-not-found', 'error', 0]], { files: { 'requirements.txt': '-r requirements.txt\n' } });
  });

  test('a cycle through another file is reported on the include that starts it', () => {
    const result = check('requirements.txt', `-r ⟦loop.txt⟧
-c ⟦self.txt⟧
`, [
      ['include-not-found', 'error', 0],
      ['include-not-found', 'error', 1],
    ], { files: { 'loop.txt': '-r requirements.txt\n', 'self.txt': '-c ./self.txt\n' } });
    assert.match(messageText(result.diagnostics[0]), /recurse without end/);
  });

  test('a missing file deeper down is reported on the top-level include', () => {
    const result = check('requirements.txt', `-r ⟦base.txt⟧
`, [['include-not-found', 'error', 0]], { files: { 'base.txt': '-r nested/missing.txt\n' } });
    assert.match(messageText(result.diagnostics[0]), /\/work\/project\/nested\/missing\.txt \(included through 'base\.txt'\)/);
  });

  test('the same file included twice is not a cycle', () => {
    check('requirements.txt', `-r base.txt
-r common.txt
`, [], { files: { 'base.txt': '-r common.txt\n', 'common.txt': '' } });
  });
});

suite('pip-compile inputs (*.in)', () => {
  test('ranges are the point: no unpinned or unhashed, even in hash mode', () => {
    check('requirements.in', `Django
requests>=2
pytz==2018.4
six==1.16.0 --hash=sha256:${SHA256}
-e .
`, []);
  });

  test('everything else is still checked', () => {
    check('requirements/main.in', `⟦--extra-index-url https://corp.example/simple⟧
⟦celery⟧[redis]>=5
⟦celery⟧<6
pkg --hash=⟦md5⟧:0123456789abcdef0123456789abcdef
flask⟦=1.0⟧
`, [
      ['extra-index-url', 'warning', 0],
      ['duplicate', 'warning', 2, 1],
      ['weak-hash', 'error', 3],
      ['syntax', 'error', 4],
    ]);
  });
});

suite('line breaks and ranges', () => {
  test('CRLF documents: ranges count UTF-16 units per line, continuations keep their lines', () => {
    const result = check('requirements.txt', '⟦Django⟧\r\n⟦requests>=2⟧ \\\r\n    ⟦--hash=sha256:⟦abc⟧⟧\r\n⟦pytz==2018.4⟧\r\n# comment \\\r\n⟦six⟧\r\n', [
      ['unpinned', 'error', 0, 2],
      ['unpinned', 'warning', 1],
      ['weak-hash', 'error', 3],
      ['unhashed', 'error', 4, 2],
      ['unpinned', 'error', 5, 2],
    ]);
    assert.deepEqual(result.ranges[2], { start: { line: 2, character: 4 }, end: { line: 2, character: 21 } });
  });

  test('a lone CR ends a line, and a continuation crosses it', () => {
    check('requirements.txt', '# déjà vu 𝔘\r⟦Django⟧\r⟦--extra-index-url \\\rptvsd⟧\n', [
      ['unpinned', 'warning', 0],
      ['extra-index-url', 'warning', 1],
    ]);
  });

  test('columns count UTF-16 code units (a surrogate pair is two)', () => {
    const result = check('requirements.txt', 'x==1 --hash=sha256:⟦𝔘é⟧\n', [['weak-hash', 'error', 0]]);
    assert.deepEqual(result.ranges[0], { start: { line: 0, character: 19 }, end: { line: 0, character: 22 } });
  });

  test('a ${VAR} pip expands: ranges point at the reference as written', () => {
    check('requirements.txt', `--index-url \${INDEX}
-i ⟦\${PLAIN}/simple⟧
`, [
      ['insecure-index', 'warning', 0],
    ], { env: { INDEX: 'https://mirror.example/simple', PLAIN: 'http://mirror.example' } });
  });
});

suite('setup.py', () => {
  test('exact-pin-in-library marks the pin, unbounded marks the name; ranges are left alone', () => {
    check('setup.py', `from setuptools import setup

setup(
    name="example",
    install_requires=[
        "pytz⟦==2018.4⟧",
        "⟦requests⟧",
        "six>=1.10",
        "foo⟦===1.0⟧",
        "bar==1.*",
        "baz @ https://example.com/baz-1.0.tar.gz",
        "⟦ok⟧; python_version < '3.8'",
    ],
    extras_require={"dev": ["pytest⟦==7.0⟧", "⟦black⟧"]},
    tests_require=["⟦mock⟧"],
    setup_requires=["wheel>=0.30"],
)
`, [
      ['exact-pin-in-library', 'information', 0],
      ['unbounded', 'information', 1],
      ['exact-pin-in-library', 'information', 2],
      ['unbounded', 'information', 3],
      ['exact-pin-in-library', 'information', 4],
      ['unbounded', 'information', 5],
      ['unbounded', 'information', 6],
    ]);
  });

  test('a string whose source differs from its value is marked whole', () => {
    check('setup.py', `setup(install_requires=[⟦"a\\x3d=1"⟧, ⟦'b' '==2'⟧])
`, [
      ['exact-pin-in-library', 'information', 0],
      ['exact-pin-in-library', 'information', 1],
    ]);
  });

  test('invalid requirement strings in install_requires and extras_require are syntax errors', () => {
    const result = check('setup.py', `setup(
    install_requires=["bad⟦⟧==", "flask⟦⟧=1.0"],
    extras_require={"dev": ["pytest⟦[⟧"]},
)
`, [
      ['syntax', 'error', 0],
      ['syntax', 'error', 1],
      ['syntax', 'error', 2],
    ]);
    assert.ok(result.diagnostics.some((d) => /Invalid requirement 'pytest\[' in extras_require/.test(messageText(d))));
  });

  test('setuptools skips blank and comment lines and reads one requirement per line', () => {
    check('setup.py', `setup(install_requires=[
    "",
    "# pinned below",
    "  ⟦requests⟧  ",
    "six>=1 # why",
    """
⟦click⟧
    attrs>=20  # note
""",
])
`, [
      ['unbounded', 'information', 0],
      ['unbounded', 'information', 1],
    ]);
  });

  test('unresolved-install-requires: a computed list, partly computed, **kwargs', () => {
    const result = check('setup.py', `from setuptools import setup
extra = read()
reqs = ["a>=1"] + extra
setup(install_requires=⟦read_requirements()⟧, extras_require=⟦get_extras()⟧)
setup(install_requires=⟦reqs⟧)
`, [
      ['unresolved-install-requires', 'information', 0],
      ['unresolved-install-requires', 'information', 1],
      ['unresolved-install-requires', 'information', 2],
    ]);
    assert.ok(result.diagnostics.some((d) => /part of it is computed/.test(messageText(d))));
  });

  test('unresolved-install-requires: a setup.py that is not valid Python', () => {
    const result = check('setup.py', `from setuptools import setup
setup(install_requires=⟦[⟧"a>=1"
`, [['unresolved-install-requires', 'information', 0]]);
    assert.match(messageText(result.diagnostics[0]), /not valid Python/);
  });

  test('a setup.py with no setup() call, or only ranges, says nothing', () => {
    check('setup.py', 'print("hello")\n', []);
    check('setup.py', 'setup(install_requires=["a>=1,<2"], extras_require={"x": ["b~=1.0"]})\n', []);
  });
});

suite('pyproject.toml', () => {
  test('library rules on [project] dependencies, optional-dependencies and [build-system] requires; none on dependency groups', () => {
    check('pyproject.toml', `[build-system]
requires = ["⟦setuptools⟧", "wheel>=0.40"]

[project]
name = "example"
dependencies = [
    "pytz⟦==2018.4⟧",
    '⟦requests⟧',
    "six>=1.10",
    "foo⟦===1.0⟧",
    "bar==1.*",
    "baz @ https://example.com/baz-1.0.tar.gz",
    """⟦ok⟧; python_version < '3.8'""",
]

[project.optional-dependencies]
dev = ["pytest⟦==7.0⟧", "⟦black⟧"]

[dependency-groups]
lint = ["ruff==0.5.0", "mypy"]
`, [
      ['unbounded', 'information', 0],
      ['exact-pin-in-library', 'information', 1],
      ['unbounded', 'information', 2],
      ['exact-pin-in-library', 'information', 3],
      ['unbounded', 'information', 4],
      ['exact-pin-in-library', 'information', 5],
      ['unbounded', 'information', 6],
    ]);
  });

  test('escapes map exactly: the range covers the escape that spells a character', () => {
    check('pyproject.toml', `[project]
dependencies = ["pytz⟦\\u003d=2018.4⟧", "caf\\u0065⟦==1⟧", """
  ⟦a\\
     b⟧"""]
`, [
      ['exact-pin-in-library', 'information', 0],
      ['exact-pin-in-library', 'information', 1],
      ['unbounded', 'information', 2],
    ]);
  });

  test('invalid requirements, wrong types and TOML syntax are errors where they are', () => {
    const result = check('pyproject.toml', `[project]
dependencies = ["bad⟦⟧==", ⟦3⟧]
optional-dependencies.test = ⟦"pytest"⟧
`, [
      ['syntax', 'error', 0],
      ['syntax', 'error', 1],
      ['syntax', 'error', 2],
    ]);
    assert.ok(result.diagnostics.some((d) => /^Invalid requirement 'bad==' in project\.dependencies: /.test(messageText(d))));
    // Where tomllib also stops: "Unclosed array (at end of document)", "Illegal character '\n' (at line 2, column 7)".
    const unclosed = check('pyproject.toml', '[project]\ndependencies = ["a"\n\n⟦⟧', [['syntax', 'error', 0]]);
    assert.match(messageText(unclosed.diagnostics[0]), /^pyproject\.toml is not valid TOML: Unterminated array \(line 4, column 1\)/);
    check('pyproject.toml', '[project]\na = "x⟦\n⟧', [['syntax', 'error', 0]]);
  });

  test('dynamic dependencies are said, with setuptools\' files; both dynamic and listed is an error', () => {
    const result = check('pyproject.toml', `[project]
dynamic = ["version", ⟦"dependencies"⟧]

[tool.setuptools.dynamic]
dependencies = {file = ["requirements.txt"]}
`, [['unresolved-install-requires', 'information', 0]]);
    assert.match(messageText(result.diagnostics[0]), /dynamic: .*requirements\.txt, per \[tool\.setuptools\.dynamic\]/);
    check('pyproject.toml', `[project]
dynamic = [⟦"dependencies"⟧]
dependencies = ["a>=1"]
`, [['syntax', 'error', 0]]);
  });

  test('[build-system] without requires: pip refuses to build', () => {
    check('pyproject.toml', '[⟦build-system⟧]\nbuild-backend = "setuptools.build_meta"\n', [['syntax', 'error', 0]]);
  });

  test('dependency-group: unknown include, cycle, malformed item, duplicate names, a string for a list', () => {
    const result = check('pyproject.toml', `[dependency-groups]
test = ["pytest>=8", {include-group = ⟦"typing"⟧}]
dev = [{include-group = "test"}, {include-group = "lint"}]
lint = ["ruff>=0.5", {include-group = ⟦"Dev"⟧}]
docs = [⟦{include-group = "test", extra = 1}⟧]
single = ⟦"pytest"⟧
`, [
      ['dependency-group', 'error', 0],
      ['dependency-group', 'error', 1],
      ['dependency-group', 'error', 2],
      ['dependency-group', 'error', 3],
    ]);
    const messages = result.diagnostics.map(messageText);
    assert.ok(messages.some((m) => /^Dependency group 'typing' not found: 'test' includes it/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => /^Cyclic dependency group include: dev → lint → dev\./.test(m)), messages.join('\n'));
    const duplicate = check('pyproject.toml', '[dependency-groups]\nlint = ["ruff>=0.5"]\n⟦Lint⟧ = []\n', [['dependency-group', 'error', 0]]);
    assert.match(messageText(duplicate.diagnostics[0]), /'lint' and 'Lint' are the same once normalized \(lint\): pip rejects the whole \[dependency-groups\] table/);
  });
});

suite('setup.cfg', () => {
  test('library rules on install_requires, extras_require and setup_requires, with configparser\'s and setuptools\' line rules', () => {
    check('setup.cfg', `[metadata]
name = example

[options]
setup_requires = ⟦setuptools_scm⟧
install_requires =
    # pinned below
    pytz⟦==2018.4⟧
\t⟦requests⟧  # why
    six>=1.10

    ⟦ok⟧; python_version < "3.8"
tests_require = mock

[options.extras_require]
dev = pytest⟦==7.0⟧; ⟦black⟧
`, [
      ['unbounded', 'information', 0],
      ['exact-pin-in-library', 'information', 1],
      ['unbounded', 'information', 2],
      ['unbounded', 'information', 3],
      ['exact-pin-in-library', 'information', 4],
      ['unbounded', 'information', 5],
    ]);
  });

  test('a marker cut off by ";" on one line, file: where setuptools does not follow it, a lone %: errors', () => {
    check('setup.cfg', `[options]
install_requires = foo>=1; ⟦python_version < "3.8"⟧
setup_requires = ⟦file: build.txt⟧

[options.extras_require]
dev =
    ⟦file: dev.txt⟧
url = pkg @ https://example.com/a⟦%2⟧0b.whl
`, [
      ['syntax', 'error', 0],
      ['syntax', 'error', 1],
      ['syntax', 'error', 2],
      ['syntax', 'error', 3],
    ]);
  });

  test('file: directives and interpolation are said, not followed; %% is one %', () => {
    check('setup.cfg', `[options]
install_requires = ⟦file: requirements.txt, extra.txt⟧

[options.extras_require]
a = ⟦%(base)s⟧
b = pkg@https://example.com/a%%20b.whl
`, [
      ['unresolved-install-requires', 'information', 0],
      ['unresolved-install-requires', 'information', 1],
    ]);
  });

  test('what configparser rejects stops setuptools: one syntax error, nothing else read', () => {
    check('setup.cfg', `⟦name = x⟧
[options]
install_requires = requests
`, [['syntax', 'error', 0]]);
    check('setup.cfg', `[options]
install_requires = requests
[⟦options⟧]
`, [['syntax', 'error', 0]]);
  });
});

suite('pylock.toml (PEP 751; the full rules in pylock.test.ts)', () => {
  const HASH = 'a'.repeat(64);
  test('pylock-invalid, pylock-version and pylock-environments where they are; pylock-file-name at the top', () => {
    check('pylock.toml', `lock-version = ⟦"1.2"⟧
environments = ["sys_platform == 'linux'", ⟦"sys_platform == 'darwin'"⟧]
created-by = "x"
[[packages]]
name = ⟦"Bad_Name"⟧
directory = {path = "."}
[[packages]]
name = ⟦"native"⟧
wheels = [{url = "https://e/native-1.0-cp311-cp311-manylinux_2_17_x86_64.whl", hashes = {sha256 = "${HASH}"}}]
`, [['pylock-version', 'warning', 0], ['pylock-invalid', 'error', 2], ['pylock-environments', 'warning', 3, 1]]);
    check('pylock.x.y.toml', '⟦⟧lock-version = "1.0"\ncreated-by = "x"\npackages = []\n', [['pylock-file-name', 'warning', 0]]);
  });
});

suite('hostile input', () => {
  /** What a terminal would act on, or a bidi viewer reorder (Trojan Source): C0 but tab, DEL, C1, bidi controls. */
  const UNSAFE = /(?!\t)[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;
  const lines = Array.from({ length: 300 }, (_, i) => `\x1b[2Jgarbage ${i} = = =`).join('\n');

  test('binary-file: a NUL in the first 8 KiB is one error at the NUL, not a syntax error per line', () => {
    const result = check('requirements.txt', `\x7fELF\x02⟦\x00⟧\x01\x1b[2J\n${lines}\n`, [['binary-file', 'error', 0]]);
    assert.match(messageOf(result, 'binary-file'), /NUL/);
    assert.deepEqual(result.analysis.family === 'requirements' && result.analysis.parsed.entries, [], 'a binary file is not parsed');
  });

  test('binary-file: more than 30% undecodable characters (U+FFFD) in the first 8 KiB; a few are text', () => {
    const result = check('requirements.txt', `⟦\ufffd⟧${'\ufffd\ufffdab\ufffd\n'.repeat(2000)}`, [['binary-file', 'error', 0]]);
    assert.match(messageOf(result, 'binary-file'), /could not be decoded/);
    check('requirements.txt', `⟦flask==1.0⟧ # caf\ufffd \ufffd\n`, [['unhashed', 'warning', 0]]);
  });

  test('binary-file: only the first 8 KiB is looked at, as git does', () => {
    const result = diagnose('requirements.txt', `# ${'x'.repeat(8200)}\nsix==1.0\x00\n`);
    assert.deepEqual(result.diagnostics.map((d) => d.code), ['syntax']);
  });

  test('binary-file: setup.py too', () => {
    check('setup.py', `setup(install_requires=["pytz==2018.4"])\n⟦\x00⟧\n`, [['binary-file', 'error', 0]]);
  });

  test('messages escape control characters, DEL, C1 and bidi controls (tabs stay)', () => {
    const result = check('requirements.txt', 'flask⟦=1.0\x1b[2J\u202e\x9b\x7f\u2066\tx⟧\n', [['syntax', 'error', 0]]);
    const message = messageOf(result, 'syntax');
    assert.doesNotMatch(message, UNSAFE);
    assert.ok(message.includes(String.raw`flask=1.0\x1b[2J\u202e\x9b\x7f\u2066` + '\tx'), message);
  });

  test('exactly the characters of \\p{Cc} (but tab), \\p{Bidi_Control}, U+2028 and U+2029 are escaped, in the whole BMP', () => {
    const unsafe = /(?!\t)[\p{Cc}\p{Bidi_Control}\u2028\u2029]/u;
    for (let code = 0; code < 0x10000; code++) {
      const character = String.fromCharCode(code);
      if (code >= 0xd800 && code < 0xe000) continue;
      assert.equal(escapeControlCharacters(character) !== character, unsafe.test(character), `U+${code.toString(16)}`);
    }
  });

  test('messages from setup.py strings are escaped too', () => {
    const result = diagnose('setup.py', 'setup(install_requires=["bad\\x1b]0;owned\\x07 name"])\n');
    assert.ok(result.diagnostics.length > 0);
    for (const diagnostic of result.diagnostics) assert.doesNotMatch(messageText(diagnostic), UNSAFE);
  });

  test('credentials in URLs are redacted in every message', () => {
    const bare = check('requirements.txt', '⟦https://user:secret@host/pkg-1.0.tar.gz⟧\n', [['unhashed', 'warning', 0]]);
    assert.match(messageOf(bare, 'unhashed'), /'https:\/\/user:\*\*\*\*@host\/pkg-1\.0\.tar\.gz'/);
    const results = [
      bare,
      diagnose('requirements.txt', 'name @ https://user:secret@host/x y.whl\n', { disk: {} }),
      diagnose('requirements.txt', '-e https://user:secret@host/pkg.tar.gz\n', { disk: {} }),
      diagnose('requirements.txt', '-e git+https://token-secret@host/r.git@v1\n'),
      diagnose('requirements.txt', 'x==1 @ git+https://user:secret@host/r.git\n', { disk: {} }),
      diagnose('requirements.txt', '--hash=sha256:abc https://u:secret@host/p.tar.gz\n'),
    ];
    for (const result of results) {
      assert.ok(result.diagnostics.length > 0, result.text);
      for (const diagnostic of result.diagnostics) assert.doesNotMatch(messageText(diagnostic), /secret/, messageText(diagnostic));
    }
  });
});

suite('severity settings', () => {
  const text = `⟦Django⟧
⟦pytz==2018.4⟧
⟦--extra-index-url https://corp.example/simple⟧
`;

  test('off hides a code, an explicit severity replaces it, default keeps it', () => {
    check('requirements.txt', text, [
      ['unhashed', 'error', 1],
      ['extra-index-url', 'warning', 2],
    ], { settings: normalizeSettings({ severity: { unpinned: 'off', unhashed: 'error', 'extra-index-url': 'default' } }) });
    check('requirements.txt', text, [
      ['unpinned', 'hint', 0],
      ['unhashed', 'information', 1],
      ['extra-index-url', 'error', 2],
    ], { settings: normalizeSettings({ severity: { unpinned: 'hint', unhashed: 'information', 'extra-index-url': 'error' } }) });
  });

  test('invalid settings values are dropped and the defaults apply', () => {
    check('requirements.txt', text, [
      ['unpinned', 'warning', 0],
      ['unhashed', 'warning', 1],
      ['extra-index-url', 'warning', 2],
    ], { settings: normalizeSettings({ severity: { unpinned: 'loud', unhashed: 3, nonsense: 'off' } }) });
  });

  test('in hash mode, default keeps the hash-mode error and an explicit severity overrides it', () => {
    const hashed = `⟦Django⟧\n⟦pytz==2018.4⟧\nsix==1.16.0 ⟦--hash=sha256:${SHA256}⟧\n`;
    check('requirements.txt', hashed, [
      ['unpinned', 'error', 0, 2],
      ['unhashed', 'warning', 1, 2],
    ], { settings: normalizeSettings({ severity: { unpinned: 'default', unhashed: 'warning' } }) });
  });

  test('setup.py codes follow the settings too', () => {
    check('setup.py', 'setup(install_requires=["pytz⟦==2018.4⟧", "requests"])\n', [
      ['exact-pin-in-library', 'warning', 0],
    ], { settings: normalizeSettings({ severity: { 'exact-pin-in-library': 'warning', unbounded: 'off' } }) });
  });

  test('findingsFor gives the raw findings; severityOf resolves them', () => {
    const m = marked('Django\nsix==1 --hash=sha256:' + SHA256 + '\n');
    const analysis = analyzeDocument(TextDocument.create('file:///work/project/requirements.txt', 'pip-requirements', 1, m.text), '/work/project/requirements.txt');
    const [finding, ...rest] = findingsFor(analysis);
    assert.equal(rest.length, 0);
    assert.equal(finding.code, 'unpinned');
    assert.deepEqual(finding.span, { start: 0, end: 6 });
    assert.equal(finding.severity, 'error');
    assert.equal(severityOf(finding, DEFAULT_SETTINGS), 'error');
    assert.equal(severityOf(finding, normalizeSettings({ severity: { unpinned: 'off' } })), undefined);
    assert.equal(severityOf({ ...finding, severity: undefined }, DEFAULT_SETTINGS), DIAGNOSTIC_CODES.unpinned);
  });
});

test('every diagnostic code is exercised above (the index\'s own in indexDiagnostics.test.ts)', () => {
  const fromIndex: readonly string[] = INDEX_DIAGNOSTIC_CODES;
  const missing = Object.keys(DIAGNOSTIC_CODES).filter((code) => !seenCodes.has(code) && !fromIndex.includes(code));
  assert.deepEqual(missing, []);
  const unknown = [...seenCodes].filter((code) => !(code in DIAGNOSTIC_CODES));
  assert.deepEqual(unknown, []);
});
