// Unit tests for parseRequirementsFile, the port of pip's req_file.py.
//
// pip is the authority. Every behavioural case below was first run through the real pip
// (`python3 test/tools/pip_oracle.py FILE [--env NAME=VALUE] [--constraint]`, pip 23.2.1, its
// req_file.py/constructors.py) and the test agrees with what pip made of the file: the logical
// line and its first/last physical line, requirement or option line or include, accepted or
// rejected, name, specifiers, marker, extras, hashes, options, dropped arguments. On top of that
// each test pins the exact document spans reqguard reports (name, every specifier clause, marker,
// hash algorithm/digest, option name/value, the requirement part, the whole entry).
//
// Where modern pip (26.x) differs from 23.2.1 the parser follows modern pip on purpose, and so do
// these tests (marked "modern pip" in the table): --global-option/--build-option are rejected
// (removed in 25.3), legacy (non-PEP 440) versions are rejected (packaging 22+), and
// --no-require-hashes is accepted (26.2). Also modern: -C/--config-settings is kept on an
// editable line (23.2.1 dropped it), and the --use-feature / ambiguous-option lists name the
// modern choices.
//
// What pip_oracle.py said (✓ accepted, ✗ rejected; "ignored" = pip drops it silently):
//
//   case                                          pip 23.2.1                                    here
//   ------------------------------------------------------------------------------------------------------------
//   req==2.31.0 \ / --hash \ / --hash             one requirement, lines 1-3, both hashes ✓     same
//   six==2.0 \ / # comment / six                  comment line ends it: lines 1-2, then 3 ✓     same
//   six \ / # c \ / ==1.0                         lines 1-2 'six' ✓; line 3 '==1.0' ✗          same
//   flask==1.0 \  (last line, with/without \n)    line 1-1 'flask==1.0' ✓                       same
//   six / \ / \ / flask                           'flask' is lines 2-4 ✓                        same
//   \\flask==1.0\\  (last line)                   strip("\\") both ends: 'flask==1.0' ✓          same
//   flask\ / \\==1.0                              'flask\\==1.0' ✗ (only continued lines strip) same
//   req\ / uests==2.0                             'requests==2.0' ✓ (name spans the break)      same
//   flask==1.0\\ / ,<2                            'flask==1.0,<2' ✓                             same
//   six \ (space after \) / ==1.0                 no continuation: 'six \' ✗, '==1.0' ✗        same
//   pkg#egg                                       '#' not after whitespace: ✗ invalid           same
//   https://example.com/p.zip#egg=p               URL kept whole, name p ✓                     same
//   https://x.org/p.zip #egg=p                    ' #egg=p' is a comment: unnamed URL ✓         same
//   six==1.0<TAB># c   /  six==1.0<NBSP># c        comment removed ✓                             same
//   six==1.0; python_version>"3"#x                '#' not a comment: bad marker ✗              same
//   --index-url https://x/simple#frag             value keeps '#frag' ✓                         same
//   CRLF, CR, mixed, \f, \v, \x1c, \x85, U+2028/9 str.splitlines numbering                      same
//   no final newline; whitespace-only lines       last line read; nothing for blank lines      same
//   UTF-8 BOM, UTF-16 BOM (decoded bytes)         BOM dropped ✓                                 same
//   two UTF-8 BOMs                                the second U+FEFF is text: ✗                  same (was dropped: bug)
//   ${HOST} set / unset / empty                   expanded / left as written / left            same
//   ${host}, ${Host}                              never expanded (uppercase names only)        same
//   ${NAME}==${VER}, ${VER_1}, ${H}/${H}          expanded ✓                                   same
//   pkg ${OPTS}  (OPTS='--hash=…')                expansion before option split: hash ✓        same
//   six==1.0 # ${VER}                             comment removed before expansion             same
//   pkg==1.0${C}  (C=' #x')                       no comment after expansion: ✗                same
//   --index-url ${INDEX} --trusted-host ${HOST}   INDEX='https://${HOST}/simple' expanded
//                                                 again by the later ${HOST} (str.replace) ✓   same (was a bug)
//   --trusted-host ${HOST} --index-url ${INDEX}   ${HOST} inside INDEX's value stays ✓          same
//   pkg==$VER                                     not expanded; legacy version (modern pip ✗)  ✗
//   six==1.0<TAB>--hash=…                         tab is no split: whole line is the req ✗     same
//   six==1.0<TAB> --hash=…  /  six==1.0  --hash   req 'six==1.0\t' / 'six==1.0 ' ✓              same
//   six==1.0 ; python_version >= "3" --hash=…     marker and hash ✓                             same
//   six; sys_platform == "linux" -x               no such option: -x ✗                          same
//   -i URL, -iURL, --index-url=URL, --index-url URL, --index URL, --i URL, --pypi-url URL  ✓     same
//   --extra-index URL, --extra=URL                extra_index_urls ✓                            same
//   --find ./w, --trust x.org, --use fast-deps, --cons c.txt, six==1.0 --has=sha256:…  ✓        same
//   --req a.txt                                   ambiguous (--require-hashes, --requirement) ✗  same
//   --pr / --no                                   ambiguous option ✗                           same (modern list)
//   --pre -- foo bar / -- --pre / -- / -          after '--' all args dropped ✓ (ignored)      same
//   --index-url / -i / six==1.0 --hash            option requires 1 argument ✗                 same
//   --pre=1 / --prefer=yes                        option does not take a value ✗               same
//   --no-such-option / -x foo                     no such option ✗                             same
//   --hash="sha256:…" / --hash='sha256:…'         shlex unquotes ✓                              same
//   --hash="sha256:…  (unclosed) / --index-url "  Could not split options ✗                   same
//   --index-url https://x/a\ b / "https://x/a b"  value 'https://x/a b' ✓                       same
//   -r "my reqs.txt"                              include 'my reqs.txt' ✓                       same
//   --pre "six==1.0"                              'six==1.0' ignored                            same
//   six==1.0 "--hash=sha256:…"                    quoted: no option, invalid requirement ✗     same
//   --use-feature=fast-deps / truststore ✓; =2020-resolver invalid choice ✗                      same
//   --hash=sha256 / --hash=                       'Arguments to --hash must be…' ✗             same
//   --hash=sha256: (empty digest)                 accepted by the parser ✓                      same
//   --hash=:abc ✗ (algorithm '');  --hash=sha256:abc:def ✓ (digest 'abc:def')                    same
//   --hash=md5:… / --hash=SHA256:…                'Allowed hash algorithms…' ✗                 weak-hash ✗
//   --hash=sha512:… --hash sha384:…               both ✓                                        same
//   -C key=val, -Ckey=val --config-settings=a=b ✓; -C keyval ✗ (also on an option line)        same
//   --no-binary :all: / --no-binary=:none: ✓; --no-binary -x: CommandError, pip stops ✗        same
//   --only-binary=all nuimo==0.1.0                option line, 'nuimo==0.1.0' ignored          same
//   --pre ptvsd                                   option line, 'ptvsd' ignored                 same
//   -r a.txt -r b.txt / -r a -c b / -c a -r b     include of the first -r (else -c), rest dropped   same
//   -rreq.txt / -r=a.txt / --requirement=a.txt    targets 'req.txt' / '=a.txt' / 'a.txt'       same
//   six==1.0 --global-option=… / --global=x       23.2.1 ✓ (global_options) → modern pip ✗     removed-option ✗
//   six==1.0 --build-option --x                   no such option ✗                              removed-option ✗
//   --no-require-hashes                           23.2.1 no such option → modern pip (26.2) ✓  ✓
//   --hash=… alone / --pre --hash=…               option line, hash ignored (warning)          same
//   six==1.0 --index-url URL --pre                requirement; both options ignored            same
//   six -e . / six -r a.txt                       requirement 'six'; -e / -r ignored           same
//   -e git+https://…@2.0.0#egg=flask ✓; without #egg ✗; -e git://…#egg=flask ✓                same
//   -e . / -e .[socks] / -e file:///tmp/pkg#egg=pkg / --editable=URL ✓                          same
//   -e A -e B                                     first -e only ✓                               same
//   -e URL --hash=… / -e . --pre / -e . -r a.txt  editable; the option ignored                 same
//   -e . -C a=b                                   23.2.1 drops -C; modern pip keeps it          kept
//   -e file:///tmp/pkg[x] ✓ (extras x);  -e .  # comment ✓                                      same
//   -e git+…#egg=a[b]                             extras ['b'], deprecation warning ✓          same (extras were lost: bug)
//   -e requests / -e ./src/pkg                    not a dir / VCS URL ✗ (file-system check)    left to localPaths
//   https://…/requests-2.31.0-py3-none-any.whl    name requests ==2.31.0 from the file name ✓  same
//   https://…/Foo_Bar-1.0-py3-none-any.whl --hash name Foo-Bar ==1.0, hash ✓                     same
//   https://…/foo-1.0-1-py3-none-any.whl          build tag: foo ==1.0 ✓                        same
//   https://…/notawheel.whl                       not a valid wheel filename ✗                 same
//   ./dist/foo-1.0-py3-none-any.whl               local wheel: foo ==1.0 ✓ (missing-file warning)  same
//   requests @ https://… ; python_version >= "3.8" / requests@https://…;python_version>="3.8"  ✓  same
//   flask @ git+https://…@2.0.0                   PEP 508 VCS URL ✓                             same
//   https://…/p-1.0.tar.gz#egg=p ; marker / #egg=p; marker    marker split at "; " ✓           same
//   https://…/p-1.0.tar.gz;python_version>="3.8"  no "; ": all of it is the URL, no marker ✓   same
//   https://…/p-1.0.tar.gz#egg=p;python_version>="3.8"  the egg fragment's marker applies ✓    same (was lost: bug)
//   ./dist/pkg-1.0.tar.gz / pkg-1.0.tar.gz / ./dist/pkg-1.0.zip[socks]   local archives ✓      same
//   git+https://…@2.0.0 (no egg)                  unnamed VCS URL ✓                             same
//   git+…#egg=flask[async] / #egg=flask==2.0      deprecation warning; extras / ==2.0 ✓        deprecated ✓
//   git+…#egg=p&subdirectory=sub                  name p, subdirectory sub ✓                    same
//   git+…#egg=p ; python_version<"3"              marker ✓                                      same
//   https://x.org/a;b/p-1.0.tar.gz#egg=p          ';' stays in the URL ✓                         same
//   HTTPS://X.ORG/p-1.0.tar.gz, ftp://…           URLs ✓                                        same
//   flask=1.0 ('= is not a valid operator') / flask>=1.0,=2     ✗                                same
//   six==1.0;python_version>"3.6"and   sys_platform=="linux"    normalized marker ✓             same
//   six==1.0 ; python_version >= '3.6' / six  ==  1.0  ;  python_version  <  "3.9"  ✓          same
//   six; "linux" == sys_platform ✓ / six==1.0 ; (empty marker) ✓ / python_version >> "3" ✗      same
//   requests[socks, security]>=2.0,<3 ; …  /  requests (>=2.0)  /  ==2.*  /  ===2.0-custom  ✓  same
//   requests [socks] ✓;  six==1.0;<TAB>python_version<"3" ✓;  six. ✗                           same
//   requests==2.0[socks]                          'Extras after version' ✗                      same
//   requests==2.0-foo-bar                         23.2.1 LegacyVersion ✓ → modern pip ✗        ✗
//   . / ./src / .[dev]                            directory: decided on the file system        left to localPaths
//   six==1.0 read with --constraint               is_constraint ✓                               same
//   (also checked with pip 26.2.1:)
//   a==1 \ / --bogus, a==1 \ / --hash=x           error filed under line 1, no requirement ✗    same (the problem starts on line 1)
//   pkg @ file://server/share/pkg-1.0.tar.gz      "non-local file URIs are not supported" ✗   same (also bare and -e file://host/…)
//   pkg @ FILE:///tmp/p.tar.gz / FILE:///…        "You can only turn file: urls into filenames" ✗  same
//   -e .[,abcdef] / -e .[abc,] / ./pkg[,abc]      InvalidRequirement from the extras ✗          same
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseRequirementsFile,
  type Entry,
  type IncludeEntry,
  type OptionLineEntry,
  type ParseOptions,
  type RequirementEntry,
  type RequirementsDocument,
} from '../../server/src/parser/requirementsFile';
import { decodeRequirementsBytes } from '../../server/src/parser/pyText';
import type { Problem, Span } from '../../server/src/parser/types';

const A64 = 'a'.repeat(64);
const B64 = 'b'.repeat(64);
const Z64 = '0'.repeat(64);

function parse(text: string, options?: ParseOptions): RequirementsDocument {
  return parseRequirementsFile(text, options);
}

/** The document text a span covers. */
function slice(doc: RequirementsDocument, span: Span | undefined): string {
  assert.ok(span, 'span is missing');
  return doc.text.slice(span.start, span.end);
}

/**
 * Asserts that `span` covers exactly `expected`, at its first occurrence from `from` (so a span
 * that covers an equal string elsewhere in the document does not pass).
 */
function assertSpan(doc: RequirementsDocument, span: Span | undefined, expected: string, from = 0): void {
  assert.equal(slice(doc, span), expected);
  const at = doc.text.indexOf(expected, from);
  assert.ok(at >= 0, `'${expected}' is not in the document`);
  assert.equal(span!.start, at, `'${expected}' should start at ${at}`);
}

function entryAt(doc: RequirementsDocument, line: number): Entry {
  const entry = doc.entries.find((e) => e.line === line);
  assert.ok(entry, `no entry on line ${line}; entries are on ${doc.entries.map((e) => e.line).join(', ')}`);
  return entry;
}

function requirementAt(doc: RequirementsDocument, line = 1): RequirementEntry {
  const entry = entryAt(doc, line);
  assert.equal(entry.kind, 'requirement');
  return entry as RequirementEntry;
}

function optionsAt(doc: RequirementsDocument, line = 1): OptionLineEntry {
  const entry = entryAt(doc, line);
  assert.equal(entry.kind, 'options');
  return entry as OptionLineEntry;
}

function includeAt(doc: RequirementsDocument, line = 1): IncludeEntry {
  const entry = entryAt(doc, line);
  assert.equal(entry.kind, 'include');
  return entry as IncludeEntry;
}

/** The problems reported inside an entry, in order. */
function problemsOf(doc: RequirementsDocument, entry: Entry): Problem[] {
  return doc.problems.filter((p) => p.span.start >= entry.span.start && p.span.end <= entry.span.end);
}

function codesOf(doc: RequirementsDocument, entry: Entry): string[] {
  return problemsOf(doc, entry).map((p) => p.code);
}

function only(doc: RequirementsDocument): Entry {
  assert.equal(doc.entries.length, 1, `expected one entry, got ${doc.entries.map((e) => `${e.line}:${e.text}`).join(' | ')}`);
  return doc.entries[0];
}

function lines(doc: RequirementsDocument): [number, number, string][] {
  return doc.entries.map((e) => [e.line, e.lineEnd, e.text]);
}

function specs(entry: RequirementEntry): string[] {
  return entry.specifiers.map((s) => s.text);
}

// ---------------------------------------------------------------------------------------------
// Backslash continuations (join_lines)

test('continuation: the joined line keeps the first line number and spans every physical line', () => {
  const text = `requests==2.31.0 \\\n    --hash=sha256:${A64} \\\n    --hash=sha256:${B64}\nsix==1.16.0\n`;
  const doc = parse(text);
  assert.deepEqual(lines(doc), [
    [1, 3, `requests==2.31.0     --hash=sha256:${A64}     --hash=sha256:${B64}`],
    [4, 4, 'six==1.16.0'],
  ]);
  const entry = requirementAt(doc, 1);
  assert.equal(entry.rejected, false);
  assert.deepEqual(doc.problems, []);
  assertSpan(doc, entry.span, `requests==2.31.0 \\\n    --hash=sha256:${A64} \\\n    --hash=sha256:${B64}`);
  // pip's requirement part is 'requests==2.31.0    ': the four spaces are line 1's and three of line 2's indent.
  assert.equal(entry.requirementText, 'requests==2.31.0    ');
  assertSpan(doc, entry.requirementSpan, 'requests==2.31.0'); // the range stops at the last visible character
  assertSpan(doc, entry.nameSpan, 'requests');
  assert.deepEqual(specs(entry), ['==2.31.0']);
  assertSpan(doc, entry.specifiers[0].span, '==2.31.0');
  assertSpan(doc, entry.specifiers[0].operatorSpan, '==');
  assertSpan(doc, entry.specifiers[0].versionSpan, '2.31.0');
  assert.deepEqual(entry.hashes.map((h) => [h.algorithm, h.digest]), [['sha256', A64], ['sha256', B64]]);
  assertSpan(doc, entry.hashes[0].span, `--hash=sha256:${A64}`);
  assertSpan(doc, entry.hashes[0].algorithmSpan, 'sha256');
  assertSpan(doc, entry.hashes[0].digestSpan, A64);
  assertSpan(doc, entry.hashes[1].span, `--hash=sha256:${B64}`);
  assertSpan(doc, entry.hashes[1].algorithmSpan, 'sha256', text.indexOf(B64) - 7);
  assertSpan(doc, entry.hashes[1].digestSpan, B64);
  assertSpan(doc, requirementAt(doc, 4).span, 'six==1.16.0');
  assert.equal(doc.lineCount, 4);
});

test('continuation: a comment line ends it (pip: lines 1-2, then line 3)', () => {
  const doc = parse('requests==2.0 \\\n# a comment\nsix==1.0\n');
  assert.deepEqual(lines(doc), [[1, 2, 'requests==2.0'], [3, 3, 'six==1.0']]);
  assertSpan(doc, doc.entries[0].span, 'requests==2.0 \\\n# a comment');
  assert.deepEqual(doc.problems, []);

  const indented = parse('requests \\\n  # indented comment\nsix\n');
  assert.deepEqual(lines(indented), [[1, 2, 'requests'], [3, 3, 'six']]);
});

test('continuation: a comment line ending in a backslash does not continue (pip: "==1.0" is line 3 and invalid)', () => {
  const doc = parse('six \\\n# c \\\n==1.0\n');
  assert.deepEqual(lines(doc), [[1, 2, 'six'], [3, 3, '==1.0']]);
  assert.equal(entryAt(doc, 1).rejected, false);
  const bad = requirementAt(doc, 3);
  assert.equal(bad.rejected, true);
  assert.deepEqual(codesOf(doc, bad), ['syntax']);

  const again = parse('six \\\n   # c\n  ==1.0\n');
  assert.deepEqual(lines(again), [[1, 2, 'six'], [3, 3, '==1.0']]);
  assert.equal(entryAt(again, 3).rejected, true);
});

test('continuation: a trailing backslash on the last line is dropped (pip: line 1-1)', () => {
  for (const text of ['flask==1.0 \\', 'flask==1.0 \\\n']) {
    const doc = parse(text);
    const entry = requirementAt(doc);
    assert.deepEqual(lines(doc), [[1, 1, 'flask==1.0']]);
    assert.equal(entry.rejected, false);
    assertSpan(doc, entry.span, 'flask==1.0 \\');
    assertSpan(doc, entry.nameSpan, 'flask');
    assert.equal(doc.lineCount, 1);
  }
});

test('continuation: lines that are only a backslash join onto the next line (pip: "flask" is lines 2-4)', () => {
  const doc = parse('six\n\\\n\\\nflask\n');
  assert.deepEqual(lines(doc), [[1, 1, 'six'], [2, 4, 'flask']]);
  assertSpan(doc, doc.entries[1].span, '\\\n\\\nflask');
  assertSpan(doc, requirementAt(doc, 2).nameSpan, 'flask');

  const blank = parse('   \\\nsix\n');
  assert.deepEqual(lines(blank), [[1, 2, 'six']]);
});

test('continuation: line.strip("\\\\") removes backslashes at both ends of a continued line', () => {
  const doc = parse('\\\\flask==1.0\\\\\n');
  const entry = requirementAt(doc);
  assert.deepEqual(lines(doc), [[1, 1, 'flask==1.0']]);
  assert.equal(entry.rejected, false);
  assertSpan(doc, entry.nameSpan, 'flask');
  assertSpan(doc, entry.specifiers[0].span, '==1.0');

  // Only continued lines are stripped: the last line keeps its leading backslashes (pip: invalid).
  const kept = parse('flask\\\n\\\\==1.0\n');
  assert.deepEqual(lines(kept), [[1, 2, 'flask\\\\==1.0']]);
  assert.equal(kept.entries[0].rejected, true);
  assert.deepEqual(codesOf(kept, kept.entries[0]), ['syntax']);

  // Doubled backslash at the end: both go, the next line joins.
  const doubled = parse('flask==1.0\\\\\n,<2\n');
  const clauses = requirementAt(doubled);
  assert.deepEqual(lines(doubled), [[1, 2, 'flask==1.0,<2']]);
  assert.deepEqual(specs(clauses), ['==1.0', '<2']);
  assertSpan(doubled, clauses.specifiers[0].span, '==1.0');
  assertSpan(doubled, clauses.specifiers[1].span, '<2');
  assertSpan(doubled, clauses.specifierSpan, '==1.0\\\\\n,<2');
});

test('continuation: a name split across lines maps back to both pieces', () => {
  const doc = parse('req\\\nuests==2.0\n');
  const entry = requirementAt(doc);
  assert.deepEqual(lines(doc), [[1, 2, 'requests==2.0']]);
  assert.equal(entry.name, 'requests');
  assertSpan(doc, entry.nameSpan, 'req\\\nuests');
  assertSpan(doc, entry.specifiers[0].span, '==2.0');
});

test('continuation: a backslash followed by a space does not continue (pip: two invalid lines)', () => {
  const doc = parse('six \\ \n==1.0\n');
  assert.deepEqual(lines(doc), [[1, 1, 'six \\'], [2, 2, '==1.0']]);
  assert.equal(doc.entries[0].rejected, true);
  assert.equal(doc.entries[1].rejected, true);
});

test('continuation: an option and its value on two lines', () => {
  const doc = parse('--index-url \\\nhttps://x/simple\n');
  const entry = optionsAt(doc);
  assert.deepEqual(lines(doc), [[1, 2, '--index-url https://x/simple']]);
  assert.equal(entry.options[0].value, 'https://x/simple');
  assertSpan(doc, entry.options[0].nameSpan, '--index-url');
  assertSpan(doc, entry.options[0].valueSpan, 'https://x/simple');
  assertSpan(doc, entry.options[0].span, '--index-url \\\nhttps://x/simple');
});

test('continuation: a digest split across lines is one digest whose span covers both halves', () => {
  const text = `six==1.0 --hash=sha256:${Z64.slice(0, 32)}\\\n${Z64.slice(32)}\n`;
  const doc = parse(text);
  const entry = requirementAt(doc);
  assert.deepEqual(lines(doc), [[1, 2, `six==1.0 --hash=sha256:${Z64}`]]);
  assert.deepEqual(entry.hashes.map((h) => h.digest), [Z64]);
  assertSpan(doc, entry.hashes[0].digestSpan, `${Z64.slice(0, 32)}\\\n${Z64.slice(32)}`);
});

// ---------------------------------------------------------------------------------------------
// Comments (ignore_comments: COMMENT_RE = (^|\s+)#.*$)

test('comments: "#" only starts a comment at the start of the line or after whitespace', () => {
  const egg = parse('pkg#egg\n');
  assert.equal(requirementAt(egg).text, 'pkg#egg');
  assert.equal(egg.entries[0].rejected, true);
  assert.deepEqual(codesOf(egg, egg.entries[0]), ['syntax']);

  const url = parse('https://example.com/p.zip#egg=p\n');
  const entry = requirementAt(url);
  assert.equal(entry.rejected, false);
  assert.equal(entry.form, 'url');
  assert.equal(entry.name, 'p');
  assert.equal(entry.url?.value, 'https://example.com/p.zip#egg=p');
  assertSpan(url, entry.url?.span, 'https://example.com/p.zip#egg=p');
  assert.equal(entry.link?.eggFragment, 'p');

  const spaced = parse('https://x.org/p.zip #egg=p\n');
  const unnamed = requirementAt(spaced);
  assert.equal(unnamed.text, 'https://x.org/p.zip');
  assert.equal(unnamed.name, undefined);
  assert.equal(unnamed.link?.eggFragment, undefined);
  assertSpan(spaced, unnamed.url?.span, 'https://x.org/p.zip');
});

test('comments: after a space, a tab or a no-break space; comment-only lines make no entry', () => {
  for (const text of ['six==1.0 # comment\n', 'six==1.0\t# tab comment\n', 'six==1.0\u00a0# nbsp\n']) {
    const doc = parse(text);
    const entry = requirementAt(doc);
    assert.equal(entry.text, 'six==1.0');
    assert.equal(entry.rejected, false);
    assertSpan(doc, entry.requirementSpan, 'six==1.0');
    // The entry covers the whole physical line, comment included.
    assert.equal(slice(doc, entry.span), text.slice(0, -1));
  }
  const none = parse('#six==1.0\n   # indented\n\n   \n\t\n');
  assert.deepEqual(none.entries, []);
  assert.deepEqual(none.problems, []);
  assert.equal(none.lineCount, 5);
});

test('comments: "#" right after a quote in a marker is not a comment (pip: invalid marker)', () => {
  const doc = parse('six==1.0; python_version>"3"#x\n');
  const entry = requirementAt(doc);
  assert.equal(entry.text, 'six==1.0; python_version>"3"#x');
  assert.equal(entry.rejected, true);
  assert.deepEqual(codesOf(doc, entry), ['syntax']);
});

test('comments: "#" inside an option value stays; after a space it is a comment', () => {
  const kept = parse('--index-url https://x/simple#frag\n');
  assert.equal(optionsAt(kept).options[0].value, 'https://x/simple#frag');
  assertSpan(kept, kept.entries[0].options[0].valueSpan, 'https://x/simple#frag');
  const cut = parse('--index-url https://x/simple #frag\n');
  assert.equal(optionsAt(cut).options[0].value, 'https://x/simple');
});

// ---------------------------------------------------------------------------------------------
// Line endings and other str.splitlines() breaks

test('line endings: CRLF, with spans of a continued, hashed entry', () => {
  const text = `six==1.0\r\nflask==2.0 \\\r\n  --hash=sha256:${A64}\r\n`;
  const doc = parse(text);
  assert.deepEqual(lines(doc), [[1, 1, 'six==1.0'], [2, 3, `flask==2.0   --hash=sha256:${A64}`]]);
  assert.equal(doc.lineCount, 3);
  assertSpan(doc, doc.entries[0].span, 'six==1.0');
  const entry = requirementAt(doc, 2);
  assert.equal(entry.rejected, false);
  assertSpan(doc, entry.span, `flask==2.0 \\\r\n  --hash=sha256:${A64}`);
  assertSpan(doc, entry.nameSpan, 'flask');
  assertSpan(doc, entry.specifiers[0].span, '==2.0');
  assertSpan(doc, entry.hashes[0].span, `--hash=sha256:${A64}`);
  assertSpan(doc, entry.hashes[0].algorithmSpan, 'sha256');
  assertSpan(doc, entry.hashes[0].digestSpan, A64);
  // pip's requirement part 'flask==2.0  ' ends in the indent of line 3.
  assert.equal(entry.requirementText, 'flask==2.0  ');
  assertSpan(doc, entry.requirementSpan, 'flask==2.0');
});

test('line endings: CRLF continuation with a marker on the second line', () => {
  const doc = parse('flask==2.0 \\\r\n  ; python_version < "3.9"\r\n');
  const entry = requirementAt(doc);
  assert.deepEqual(lines(doc), [[1, 2, 'flask==2.0   ; python_version < "3.9"']]);
  assert.equal(entry.marker?.normalized, 'python_version < "3.9"');
  assertSpan(doc, entry.marker?.span, 'python_version < "3.9"');
  assertSpan(doc, entry.span, 'flask==2.0 \\\r\n  ; python_version < "3.9"');
});

test('line endings: CR only, and mixed CRLF / CR / LF', () => {
  const cr = parse('six==1.0\rflask==2.0\r');
  assert.deepEqual(lines(cr), [[1, 1, 'six==1.0'], [2, 2, 'flask==2.0']]);
  assertSpan(cr, requirementAt(cr, 2).nameSpan, 'flask');
  assert.equal(cr.lineCount, 2);

  const mixed = parse('six==1.0\r\nflask==2.0\rdjango==3.0\nattrs==1\n');
  assert.deepEqual(lines(mixed), [[1, 1, 'six==1.0'], [2, 2, 'flask==2.0'], [3, 3, 'django==3.0'], [4, 4, 'attrs==1']]);
  assertSpan(mixed, requirementAt(mixed, 3).nameSpan, 'django');
  assertSpan(mixed, requirementAt(mixed, 4).span, 'attrs==1');

  const crContinued = parse('six\\\r==1.0\r');
  assert.deepEqual(lines(crContinued), [[1, 2, 'six==1.0']]);
  assertSpan(crContinued, requirementAt(crContinued).specifiers[0].span, '==1.0');

  const crThenCrlf = parse('six \\\r==1.0\r\n');
  assert.deepEqual(lines(crThenCrlf), [[1, 2, 'six ==1.0']]);
});

test('line endings: form feed, vertical tab and the other str.splitlines() breaks start new lines', () => {
  const ff = parse('six==1.0\fflask==2.0\n');
  assert.deepEqual(lines(ff), [[1, 1, 'six==1.0'], [2, 2, 'flask==2.0']]);
  assertSpan(ff, requirementAt(ff, 2).nameSpan, 'flask');

  const vt = parse('six==1.0\vflask==2.0\n');
  assert.deepEqual(lines(vt), [[1, 1, 'six==1.0'], [2, 2, 'flask==2.0']]);

  const text = 'six==1.0\u2028flask==2.0\u2029attrs==1\u0085idna==2\u001cx==1\n';
  const unicode = parse(text);
  assert.deepEqual(lines(unicode), [[1, 1, 'six==1.0'], [2, 2, 'flask==2.0'], [3, 3, 'attrs==1'], [4, 4, 'idna==2'], [5, 5, 'x==1']]);
  assertSpan(unicode, requirementAt(unicode, 4).nameSpan, 'idna');
  assertSpan(unicode, requirementAt(unicode, 5).span, 'x==1', text.indexOf('\u001c'));
  assert.equal(unicode.lineCount, 5);
});

test('line endings: no final newline', () => {
  const doc = parse('six==1.0\nflask==2.0');
  assert.deepEqual(lines(doc), [[1, 1, 'six==1.0'], [2, 2, 'flask==2.0']]);
  assertSpan(doc, requirementAt(doc, 2).span, 'flask==2.0');
  assertSpan(doc, requirementAt(doc, 2).specifiers[0].versionSpan, '2.0');
  assert.equal(doc.lineCount, 2);
});

test('Unicode whitespace around a line is stripped as str.strip() does', () => {
  const doc = parse('\u3000six==1.0\u3000\n');
  const entry = requirementAt(doc);
  assert.equal(entry.text, 'six==1.0');
  assert.equal(entry.rejected, false);
  assertSpan(doc, entry.nameSpan, 'six');
});

// ---------------------------------------------------------------------------------------------
// Byte-order marks: pip's auto_decode drops one BOM; the parser reads the decoded text

test('BOM: a UTF-8 or UTF-16 BOM is dropped by decoding, a second U+FEFF is text (pip: invalid)', () => {
  const utf8 = decodeRequirementsBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('six==1.0\r\nflask==2.0\r\n')]));
  assert.equal(utf8.text, 'six==1.0\r\nflask==2.0\r\n');
  const doc = parse(utf8.text);
  assert.deepEqual(lines(doc), [[1, 1, 'six==1.0'], [2, 2, 'flask==2.0']]);
  assert.ok(doc.entries.every((e) => !e.rejected));
  assertSpan(doc, requirementAt(doc, 1).nameSpan, 'six');

  const utf16 = decodeRequirementsBytes(Buffer.from('\ufeffsix==1.0\nflask==2.0\n', 'utf16le'));
  const doc16 = parse(utf16.text);
  assert.deepEqual(lines(doc16), [[1, 1, 'six==1.0'], [2, 2, 'flask==2.0']]);
  assert.ok(doc16.entries.every((e) => !e.rejected));

  const twice = decodeRequirementsBytes(Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, ...Buffer.from('six==1.0\n')]));
  assert.equal(twice.text, '\ufeffsix==1.0\n');
  const kept = parse(twice.text);
  assert.equal(requirementAt(kept).text, '\ufeffsix==1.0');
  assert.equal(kept.entries[0].rejected, true);
  assert.deepEqual(codesOf(kept, kept.entries[0]), ['syntax']);
});

// ---------------------------------------------------------------------------------------------
// ${VAR} expansion

test('env: a set variable is expanded; spans of expanded text point at the ${VAR} reference', () => {
  const env = { HOST: 'pypi.example.org' };
  const text = 'https://${HOST}/simple/p-1.0.tar.gz#egg=p\n--index-url https://${HOST}/simple\n';
  const doc = parse(text, { env });
  const url = requirementAt(doc, 1);
  assert.equal(url.text, 'https://pypi.example.org/simple/p-1.0.tar.gz#egg=p');
  assert.equal(url.url?.value, 'https://pypi.example.org/simple/p-1.0.tar.gz#egg=p');
  assertSpan(doc, url.url?.span, 'https://${HOST}/simple/p-1.0.tar.gz#egg=p');
  assert.equal(url.name, 'p');
  const option = optionsAt(doc, 2).options[0];
  assert.equal(option.value, 'https://pypi.example.org/simple');
  assertSpan(doc, option.valueSpan, 'https://${HOST}/simple', text.indexOf('--index-url'));
  assert.deepEqual(doc.envReferences.map((r) => [r.name, r.expanded, slice(doc, r.span)]), [
    ['HOST', true, '${HOST}'],
    ['HOST', true, '${HOST}'],
  ]);
  assert.equal(doc.envReferences[1].span.start, text.lastIndexOf('${HOST}'));
});

test('env: name and version from variables', () => {
  const doc = parse('${NAME}==${VER}\n', { env: { NAME: 'requests', VER: '2.31.0' } });
  const entry = requirementAt(doc);
  assert.equal(entry.text, 'requests==2.31.0');
  assert.equal(entry.name, 'requests');
  assertSpan(doc, entry.nameSpan, '${NAME}');
  assert.deepEqual(specs(entry), ['==2.31.0']);
  assertSpan(doc, entry.specifiers[0].span, '==${VER}');
  assertSpan(doc, entry.specifiers[0].operatorSpan, '==');
  assertSpan(doc, entry.specifiers[0].versionSpan, '${VER}');

  const digits = parse('pkg==${VER_1}\n', { env: { VER_1: '2.0' } });
  assert.deepEqual(specs(requirementAt(digits)), ['==2.0']);
  assertSpan(digits, requirementAt(digits).specifiers[0].versionSpan, '${VER_1}');
});

test('env: unset or empty variables stay as written', () => {
  for (const env of [{}, { HOST: '' }]) {
    const doc = parse('--index-url https://${HOST}/simple\n', { env });
    const option = optionsAt(doc).options[0];
    assert.equal(option.value, 'https://${HOST}/simple');
    assertSpan(doc, option.valueSpan, 'https://${HOST}/simple');
    assert.deepEqual(doc.envReferences.map((r) => [r.name, r.expanded, slice(doc, r.span)]), [['HOST', false, '${HOST}']]);
  }
});

test('env: only upper-case names are variables', () => {
  for (const [text, env] of [
    ['--index-url https://${host}/simple\n', { host: 'x.org' }],
    ['--index-url https://${Host}/simple\n', { Host: 'x.org' }],
  ] as const) {
    const doc = parse(text, { env });
    assert.equal(optionsAt(doc).options[0].value, text.slice('--index-url '.length, -1));
    assert.deepEqual(doc.envReferences, []);
  }
});

test('env: $VAR without braces is not expanded (and "==$VER" is not a version modern pip accepts)', () => {
  const doc = parse('pkg==$VER\n', { env: { VER: '1' } });
  const entry = requirementAt(doc);
  assert.equal(entry.text, 'pkg==$VER');
  assert.equal(entry.rejected, true);
  assert.deepEqual(codesOf(doc, entry), ['syntax']);
  assert.deepEqual(doc.envReferences, []);
});

test('env: expansion happens after comments are removed, before options are split', () => {
  const comment = parse('six==1.0 # ${VER}\n', { env: { VER: '1' } });
  assert.equal(requirementAt(comment).text, 'six==1.0');
  assert.deepEqual(comment.envReferences, []);

  const notComment = parse('pkg==1.0${C}\n', { env: { C: ' #x' } });
  assert.equal(requirementAt(notComment).text, 'pkg==1.0 #x');
  assert.equal(notComment.entries[0].rejected, true);

  const opts = parse('pkg ${OPTS}\n', { env: { OPTS: `--hash=sha256:${Z64}` } });
  const entry = requirementAt(opts);
  assert.equal(entry.rejected, false);
  assert.equal(entry.requirementText, 'pkg');
  assert.deepEqual(entry.hashes.map((h) => [h.algorithm, h.digest]), [['sha256', Z64]]);
  assertSpan(opts, entry.hashes[0].span, '${OPTS}');
  assertSpan(opts, entry.hashes[0].digestSpan, '${OPTS}');
});

test('env: a variable used twice, and variables in a hash, a marker and across a continuation', () => {
  const twice = parse('--index-url https://${H}/${H}/simple\n', { env: { H: 'x.org' } });
  assert.equal(optionsAt(twice).options[0].value, 'https://x.org/x.org/simple');
  assert.equal(twice.envReferences.length, 2);

  const hash = parse('six==1.0 --hash=sha256:${D}\n', { env: { D: Z64 } });
  const hashed = requirementAt(hash);
  assert.equal(hashed.hashes[0].digest, Z64);
  assertSpan(hash, hashed.hashes[0].algorithmSpan, 'sha256');
  assertSpan(hash, hashed.hashes[0].digestSpan, '${D}');

  const marker = parse('six==1.0 ; python_version < "${PV}"\n', { env: { PV: '3.9' } });
  assert.equal(requirementAt(marker).marker?.normalized, 'python_version < "3.9"');
  assertSpan(marker, requirementAt(marker).marker?.span, 'python_version < "${PV}"');

  const text = 'six==${V} \\\n  --hash=sha256:${D}\n';
  const continued = parse(text, { env: { V: '1.0', D: Z64 } });
  const entry = requirementAt(continued);
  assert.deepEqual(lines(continued), [[1, 2, `six==1.0   --hash=sha256:${Z64}`]]);
  assertSpan(continued, entry.specifiers[0].versionSpan, '${V}');
  assertSpan(continued, entry.hashes[0].digestSpan, '${D}');
  assertSpan(continued, entry.span, 'six==${V} \\\n  --hash=sha256:${D}');
});

test('env: a value naming a later ${VAR} of the line is expanded again, as str.replace does in pip', () => {
  const env = { INDEX: 'https://${HOST}/simple', HOST: 'mirror.example.org' };
  const text = '--index-url ${INDEX} --trusted-host ${HOST}\n';
  const doc = parse(text, { env });
  const [index, host] = optionsAt(doc).options;
  assert.equal(doc.entries[0].text, '--index-url https://mirror.example.org/simple --trusted-host mirror.example.org');
  assert.equal(index.value, 'https://mirror.example.org/simple');
  assertSpan(doc, index.valueSpan, '${INDEX}');
  assert.equal(host.value, 'mirror.example.org');
  assertSpan(doc, host.valueSpan, '${HOST}');

  // pip replaces in the order the references appear: a ${HOST} that arrives after HOST's turn stays.
  const late = parse('--trusted-host ${HOST} --index-url ${INDEX}\n', { env });
  assert.equal(late.entries[0].text, '--trusted-host mirror.example.org --index-url https://${HOST}/simple');
  assert.equal(late.entries[0].options[1].value, 'https://${HOST}/simple');
});

// ---------------------------------------------------------------------------------------------
// break_args_options: the requirement part ends at the first space-separated token starting with '-'

test('args/options split: a tab before --hash does not split (pip: the whole line is an invalid requirement)', () => {
  const doc = parse(`six==1.0\t--hash=sha256:${Z64}\n`);
  const entry = requirementAt(doc);
  assert.equal(entry.rejected, true);
  assert.deepEqual(codesOf(doc, entry), ['syntax']);
  assert.equal(entry.requirementText, `six==1.0\t--hash=sha256:${Z64}`);
  assert.deepEqual(entry.options, []);
  assert.deepEqual(entry.hashes, []);
});

test('args/options split: on single spaces; the requirement part keeps what is left before the option', () => {
  const two = parse(`six==1.0  --hash=sha256:${Z64}\n`);
  const entry = requirementAt(two);
  assert.equal(entry.rejected, false);
  assert.equal(entry.requirementText, 'six==1.0 ');
  assertSpan(two, entry.requirementSpan, 'six==1.0');
  assert.equal(entry.hashes.length, 1);
  assertSpan(two, entry.options[0].span, `--hash=sha256:${Z64}`);

  const tab = parse(`six==1.0\t --hash=sha256:${Z64}\n`);
  assert.equal(requirementAt(tab).requirementText, 'six==1.0\t');
  assert.equal(tab.entries[0].rejected, false);
  assert.equal(requirementAt(tab).hashes.length, 1);
});

test('args/options split: a marker before the options', () => {
  const doc = parse(`six==1.0 ; python_version >= "3" --hash=sha256:${Z64}\n`);
  const entry = requirementAt(doc);
  assert.equal(entry.rejected, false);
  assert.equal(entry.requirementText, 'six==1.0 ; python_version >= "3"');
  assert.equal(entry.marker?.normalized, 'python_version >= "3"');
  assertSpan(doc, entry.marker?.span, 'python_version >= "3"');
  assertSpan(doc, entry.hashes[0].digestSpan, Z64);

  // optparse fails before pip reads the requirement: no requirement on this line.
  const bad = parse('six; sys_platform == "linux" -x\n');
  const rejected = optionsAt(bad);
  assert.equal(rejected.rejected, true);
  assert.deepEqual(codesOf(bad, rejected), ['syntax']);
  assertSpan(bad, problemsOf(bad, rejected)[0].span, '-x');
  assert.match(problemsOf(bad, rejected)[0].message, /no such option: -x/);
});

// ---------------------------------------------------------------------------------------------
// Options: optparse forms

test('options: -i URL, -iURL, --index-url=URL, --index-url URL all set the index URL', () => {
  const url = 'https://pypi.example.org/simple';
  for (const [text, name, written] of [
    [`-i ${url}`, '-i', '-i'],
    [`-i${url}`, '-i', '-i'],
    [`--index-url=${url}`, '--index-url', '--index-url'],
    [`--index-url ${url}`, '--index-url', '--index-url'],
    [`--pypi-url ${url}`, '--pypi-url', '--pypi-url'],
  ]) {
    const doc = parse(`${text}\n`);
    const entry = optionsAt(doc);
    assert.equal(entry.rejected, false, text);
    assert.deepEqual(doc.problems, [], text);
    assert.equal(entry.options.length, 1);
    const option = entry.options[0];
    assert.equal(option.spec.dest, 'index_url');
    assert.equal(option.name, name);
    assert.equal(option.value, url);
    assertSpan(doc, option.nameSpan, written);
    assertSpan(doc, option.valueSpan, url);
    assertSpan(doc, option.span, text);
  }
});

test('options: unambiguous abbreviations are expanded (--index, --i, --extra-index, --extra=, --find, …)', () => {
  for (const [text, dest, name, written, value] of [
    ['--index https://pypi.example.org/simple', 'index_url', '--index-url', '--index', 'https://pypi.example.org/simple'],
    ['--i https://x', 'index_url', '--index-url', '--i', 'https://x'],
    ['--extra-index https://x.example.org/simple', 'extra_index_urls', '--extra-index-url', '--extra-index', 'https://x.example.org/simple'],
    ['--extra=https://x.example.org/simple', 'extra_index_urls', '--extra-index-url', '--extra', 'https://x.example.org/simple'],
    ['--find ./w', 'find_links', '--find-links', '--find', './w'],
    ['--trust x.org', 'trusted_hosts', '--trusted-host', '--trust', 'x.org'],
    ['--use fast-deps', 'features_enabled', '--use-feature', '--use', 'fast-deps'],
    ['--cons c.txt', 'constraints', '--constraint', '--cons', 'c.txt'],
  ]) {
    const doc = parse(`${text}\n`);
    const option = doc.entries[0].options[0];
    assert.equal(doc.entries[0].rejected, false, text);
    assert.equal(option.spec.dest, dest);
    assert.equal(option.name, name);
    assertSpan(doc, option.nameSpan, written);
    assert.equal(option.value, value);
    assertSpan(doc, option.valueSpan, value);
  }
});

test('options: ambiguous abbreviations are rejected (pip: "ambiguous option")', () => {
  const doc = parse('--pr\n');
  const entry = optionsAt(doc);
  assert.equal(entry.rejected, true);
  assert.deepEqual(codesOf(doc, entry), ['syntax']);
  assert.match(doc.problems[0].message, /ambiguous option: --pr \(--pre, --prefer-binary\?\)/);
  assertSpan(doc, doc.problems[0].span, '--pr');

  const req = parse('--req a.txt\n');
  assert.equal(req.entries[0].rejected, true);
  assert.match(req.problems[0].message, /ambiguous option: --req \(--require-hashes, --requirement\?\)/);
  assertSpan(req, req.problems[0].span, '--req');

  const no = parse('--no\n');
  assert.equal(no.entries[0].rejected, true);
  assert.match(no.problems[0].message, /ambiguous option: --no \(--no-binary, --no-index/);
});

test('options: "--" ends the options; everything after it is dropped by pip', () => {
  const doc = parse('--pre -- foo bar\n');
  const entry = optionsAt(doc);
  assert.equal(entry.rejected, false);
  assert.deepEqual(entry.options.map((o) => o.name), ['--pre']);
  assert.deepEqual(entry.ignoredArgs.map((a) => a.text), ['foo', 'bar']);
  assertSpan(doc, entry.ignoredArgs[0].span, 'foo');
  assertSpan(doc, entry.ignoredArgs[1].span, 'bar');
  assert.deepEqual(codesOf(doc, entry), ['ignored', 'ignored']);

  const first = parse('-- --pre\n');
  assert.deepEqual(optionsAt(first).options, []);
  assert.deepEqual(first.entries[0].ignoredArgs.map((a) => a.text), ['--pre']);
  assertSpan(first, first.entries[0].ignoredArgs[0].span, '--pre');

  const alone = parse('--\n');
  assert.equal(optionsAt(alone).rejected, false);
  assert.deepEqual(alone.problems, []);

  const dash = parse('-\n');
  assert.deepEqual(optionsAt(dash).ignoredArgs.map((a) => a.text), ['-']);

  const onRequirement = parse('six==1.0 -- extra\n');
  const requirement = requirementAt(onRequirement);
  assert.equal(requirement.rejected, false);
  assert.deepEqual(requirement.ignoredArgs.map((a) => a.text), ['extra']);
  assertSpan(onRequirement, requirement.ignoredArgs[0].span, 'extra');

  const trailingDash = parse('six==1.0 -\n');
  assert.deepEqual(requirementAt(trailingDash).ignoredArgs.map((a) => a.text), ['-']);
  assert.deepEqual(codesOf(trailingDash, trailingDash.entries[0]), ['ignored']);
});

test('options: a missing value is an error (pip: "option requires 1 argument")', () => {
  for (const [text, message, span] of [
    ['--index-url', '--index-url option requires 1 argument', '--index-url'],
    ['-i', '-i option requires 1 argument', '-i'],
    ['six==1.0 --hash', '--hash option requires 1 argument', '--hash'],
  ]) {
    const doc = parse(`${text}\n`);
    const entry = only(doc);
    assert.equal(entry.rejected, true, text);
    assert.deepEqual(codesOf(doc, entry), ['syntax']);
    assert.match(doc.problems[0].message, new RegExp(message));
    assertSpan(doc, doc.problems[0].span, span);
  }
});

test('options: a flag given a value is an error (pip: "option does not take a value")', () => {
  const doc = parse('--pre=1\n');
  assert.equal(optionsAt(doc).rejected, true);
  assert.match(doc.problems[0].message, /--pre option does not take a value/);
  assertSpan(doc, doc.problems[0].span, '--pre=1');

  const abbreviated = parse('--prefer=yes\n');
  assert.equal(abbreviated.entries[0].rejected, true);
  assert.match(abbreviated.problems[0].message, /--prefer-binary option does not take a value/);
});

test('options: unknown long and short options are errors; optparse stops at the first', () => {
  const long = parse('--no-such-option\n');
  assert.equal(optionsAt(long).rejected, true);
  assert.deepEqual(codesOf(long, long.entries[0]), ['syntax']);
  assert.match(long.problems[0].message, /no such option: --no-such-option/);
  assertSpan(long, long.problems[0].span, '--no-such-option');

  const short = parse('-x foo\n');
  assert.equal(short.entries[0].rejected, true);
  assert.match(short.problems[0].message, /no such option: -x/);
  assertSpan(short, short.problems[0].span, '-x');

  const middle = parse('--pre --nope --index-url x\n');
  assert.equal(middle.entries[0].rejected, true);
  assert.deepEqual(codesOf(middle, middle.entries[0]), ['syntax']);
  assertSpan(middle, middle.problems[0].span, '--nope');
});

// ---------------------------------------------------------------------------------------------
// Options: shlex quoting

test('options: an abbreviated --hash on a requirement line is a hash', () => {
  const doc = parse(`six==1.0 --has=sha256:${Z64}\n`);
  const entry = requirementAt(doc);
  assert.equal(entry.rejected, false);
  assert.equal(entry.options[0].name, '--hash');
  assertSpan(doc, entry.options[0].nameSpan, '--has');
  assert.deepEqual(entry.hashes.map((h) => h.digest), [Z64]);
  assertSpan(doc, entry.hashes[0].algorithmSpan, 'sha256');
});

test('shlex: a quoted --hash value is unquoted; spans point inside the quotes', () => {
  for (const quote of ['"', "'"]) {
    const text = `six==1.0 --hash=${quote}sha256:${Z64}${quote}\n`;
    const doc = parse(text);
    const entry = requirementAt(doc);
    assert.equal(entry.rejected, false);
    assert.deepEqual(entry.hashes.map((h) => [h.algorithm, h.digest]), [['sha256', Z64]]);
    assertSpan(doc, entry.hashes[0].span, `--hash=${quote}sha256:${Z64}${quote}`);
    assertSpan(doc, entry.hashes[0].algorithmSpan, 'sha256');
    assertSpan(doc, entry.hashes[0].digestSpan, Z64);
    assertSpan(doc, entry.options[0].valueSpan, `sha256:${Z64}`);
  }
});

test('shlex: an unclosed quote is an error (pip: "Could not split options")', () => {
  const doc = parse(`six==1.0 --hash="sha256:${Z64}\n`);
  const entry = optionsAt(doc);
  assert.equal(entry.rejected, true);
  assert.deepEqual(codesOf(doc, entry), ['syntax']);
  assert.match(doc.problems[0].message, /no closing quotation/);
  assertSpan(doc, doc.problems[0].span, `--hash="sha256:${Z64}`);
  assert.deepEqual(entry.options, []);

  const option = parse('--index-url "https://x/simple\n');
  assert.equal(option.entries[0].rejected, true);
  assertSpan(option, option.problems[0].span, '"https://x/simple');
});

test('shlex: a backslash-escaped space or quotes make one value with a space', () => {
  const doc = parse('--index-url https://x/a\\ b\n');
  const option = optionsAt(doc).options[0];
  assert.equal(option.value, 'https://x/a b');
  assertSpan(doc, option.valueSpan, 'https://x/a\\ b');

  const quoted = parse('--index-url "https://x/a b"\n');
  assert.equal(optionsAt(quoted).options[0].value, 'https://x/a b');
  assertSpan(quoted, quoted.entries[0].options[0].valueSpan, 'https://x/a b');

  const include = parse('-r "my reqs.txt"\n');
  assert.equal(includeAt(include).target, 'my reqs.txt');
  assertSpan(include, includeAt(include).targetSpan, 'my reqs.txt');
});

test('shlex: a dropped argument is reported unquoted, its span keeps the quotes', () => {
  const doc = parse('--pre "six==1.0"\n');
  const entry = optionsAt(doc);
  assert.deepEqual(entry.ignoredArgs.map((a) => a.text), ['six==1.0']);
  assertSpan(doc, entry.ignoredArgs[0].span, '"six==1.0"');
});

test('args/options split: a quoted option on a requirement line is not an option (pip: invalid requirement)', () => {
  const doc = parse(`six==1.0 "--hash=sha256:${Z64}"\n`);
  const entry = requirementAt(doc);
  assert.equal(entry.rejected, true);
  assert.deepEqual(codesOf(doc, entry), ['syntax']);
  assert.deepEqual(entry.options, []);
});

// ---------------------------------------------------------------------------------------------
// Options: values pip checks

test('--use-feature: a known feature is accepted, anything else rejected', () => {
  for (const text of ['--use-feature=fast-deps', '--use-feature truststore']) {
    const doc = parse(`${text}\n`);
    assert.equal(optionsAt(doc).rejected, false, text);
    assert.deepEqual(doc.problems, []);
  }
  const doc = parse('--use-feature=2020-resolver\n');
  assert.equal(optionsAt(doc).rejected, true);
  assert.deepEqual(codesOf(doc, doc.entries[0]), ['syntax']);
  assert.match(doc.problems[0].message, /invalid choice: '2020-resolver' \(choose from 'fast-deps', 'truststore'/);
  assertSpan(doc, doc.problems[0].span, '2020-resolver');
});

test('--hash: without ":" is an error; an empty digest passes the parser (as in pip)', () => {
  for (const [text, span] of [['six==1.0 --hash=sha256', '--hash=sha256'], ['six==1.0 --hash=', '--hash=']]) {
    const doc = parse(`${text}\n`);
    const entry = optionsAt(doc);
    assert.equal(entry.rejected, true, text);
    assert.deepEqual(codesOf(doc, entry), ['syntax']);
    assert.match(doc.problems[0].message, /must be a hash name followed by a value/);
    assertSpan(doc, doc.problems[0].span, span);
  }
  const empty = parse('six==1.0 --hash=sha256:\n');
  const entry = requirementAt(empty);
  assert.equal(entry.rejected, false);
  assert.deepEqual(entry.hashes.map((h) => [h.algorithm, h.digest]), [['sha256', '']]);
});

test('--hash: md5 (and an upper-case algorithm name) is a weak-hash error', () => {
  const md5 = '0'.repeat(32);
  const doc = parse(`six==1.0 --hash=md5:${md5}\n`);
  // pip's --hash callback fails ("Allowed hash algorithms for --hash are …"): no requirement.
  const entry = optionsAt(doc);
  assert.equal(entry.rejected, true);
  assert.deepEqual(codesOf(doc, entry), ['weak-hash']);
  assertSpan(doc, doc.problems[0].span, 'md5');
  assertSpan(doc, entry.options[0].valueSpan, `md5:${md5}`);

  const upper = parse(`six==1.0 --hash=SHA256:${Z64}\n`);
  assert.equal(upper.entries[0].rejected, true);
  assert.deepEqual(codesOf(upper, upper.entries[0]), ['weak-hash']);
  assertSpan(upper, upper.problems[0].span, 'SHA256');
});

test('--hash: an empty algorithm is rejected at the ":"; a digest may contain ":"', () => {
  const doc = parse('six==1.0 --hash=:abc\n');
  const entry = optionsAt(doc);
  assert.equal(entry.rejected, true);
  assert.deepEqual(codesOf(doc, entry), ['weak-hash']);
  assert.deepEqual(doc.problems[0].span, { start: doc.text.indexOf(':abc'), end: doc.text.indexOf(':abc') });

  const colons = parse('six==1.0 --hash=sha256:abc:def\n');
  const hashed = requirementAt(colons);
  assert.equal(hashed.rejected, false);
  assert.deepEqual(hashed.hashes.map((h) => [h.algorithm, h.digest]), [['sha256', 'abc:def']]);
  assertSpan(colons, hashed.hashes[0].digestSpan, 'abc:def');
});

test('--hash: sha512 and sha384, with = and with a space', () => {
  const sha512 = '0'.repeat(128);
  const sha384 = '1'.repeat(96);
  const doc = parse(`six==1.0 --hash=sha512:${sha512} --hash sha384:${sha384}\n`);
  const entry = requirementAt(doc);
  assert.equal(entry.rejected, false);
  assert.deepEqual(entry.hashes.map((h) => [h.algorithm, h.digest]), [['sha512', sha512], ['sha384', sha384]]);
  assertSpan(doc, entry.hashes[1].span, `--hash sha384:${sha384}`);
  assertSpan(doc, entry.hashes[1].algorithmSpan, 'sha384');
  assertSpan(doc, entry.hashes[1].digestSpan, sha384);
});

test('-C / --config-settings: KEY=VAL is accepted, anything else rejected', () => {
  const doc = parse('six==1.0 -C key=val\n');
  const entry = requirementAt(doc);
  assert.equal(entry.rejected, false);
  assert.deepEqual(doc.problems, []);
  assert.equal(entry.options[0].name, '-C');
  assert.equal(entry.options[0].value, 'key=val');
  assertSpan(doc, entry.options[0].nameSpan, '-C');
  assertSpan(doc, entry.options[0].valueSpan, 'key=val');

  const glued = parse('six==1.0 -Ckey=val --config-settings=a=b\n');
  assert.equal(glued.entries[0].rejected, false);
  assert.deepEqual(glued.entries[0].options.map((o) => [o.name, o.value]), [['-C', 'key=val'], ['--config-settings', 'a=b']]);
  assertSpan(glued, glued.entries[0].options[0].valueSpan, 'key=val');

  for (const text of ['six==1.0 -C keyval', '-C keyval']) {
    const bad = parse(`${text}\n`);
    assert.equal(bad.entries[0].rejected, true, text);
    assert.deepEqual(codesOf(bad, bad.entries[0]), ['syntax']);
    assert.match(bad.problems[0].message, /must be of the form KEY=VAL/);
    assertSpan(bad, bad.problems[0].span, '-C keyval');
  }
});

test('--no-binary / --only-binary: :all: and :none: are values; a value starting with "-" stops pip', () => {
  const all = parse('--no-binary :all:\n');
  assert.equal(optionsAt(all).rejected, false);
  assert.equal(all.entries[0].options[0].value, ':all:');
  assertSpan(all, all.entries[0].options[0].valueSpan, ':all:');

  const none = parse('--no-binary=:none:\n');
  assert.equal(optionsAt(none).rejected, false);
  assert.equal(none.entries[0].options[0].value, ':none:');

  for (const text of ['--no-binary -x', '--only-binary=-x']) {
    const doc = parse(`${text}\n`);
    assert.equal(doc.entries[0].rejected, true, text);
    assert.deepEqual(codesOf(doc, doc.entries[0]), ['syntax']);
  }
});

test('text after an option is not a requirement: --only-binary=all nuimo==0.1.0, --pre ptvsd', () => {
  const doc = parse('--only-binary=all nuimo==0.1.0\n');
  const entry = optionsAt(doc);
  assert.equal(entry.rejected, false);
  assert.deepEqual(entry.options.map((o) => [o.name, o.value]), [['--only-binary', 'all']]);
  assert.deepEqual(entry.ignoredArgs.map((a) => a.text), ['nuimo==0.1.0']);
  assert.deepEqual(codesOf(doc, entry), ['ignored']);
  assertSpan(doc, doc.problems[0].span, 'nuimo==0.1.0');

  const pre = parse('--pre ptvsd\n');
  const preEntry = optionsAt(pre);
  assert.equal(preEntry.rejected, false);
  assert.deepEqual(preEntry.options.map((o) => o.name), ['--pre']);
  assert.deepEqual(preEntry.ignoredArgs.map((a) => a.text), ['ptvsd']);
  assert.deepEqual(codesOf(pre, preEntry), ['ignored']);
  assertSpan(pre, pre.problems[0].span, 'ptvsd');
});

test('other file options: --trusted-host, -f/--find-links, --no-index, --prefer-binary, --require-hashes', () => {
  const doc = parse('--trusted-host example.org\n-f ./wheels\n--find-links=https://x/links\n--no-index\n--prefer-binary\n--require-hashes\n');
  assert.deepEqual(doc.entries.map((e) => [e.kind, e.rejected, e.options.map((o) => o.spec.dest).join()]), [
    ['options', false, 'trusted_hosts'],
    ['options', false, 'find_links'],
    ['options', false, 'find_links'],
    ['options', false, 'no_index'],
    ['options', false, 'prefer_binary'],
    ['options', false, 'require_hashes'],
  ]);
  assertSpan(doc, doc.entries[1].options[0].valueSpan, './wheels');
  assertSpan(doc, doc.entries[2].options[0].valueSpan, 'https://x/links');
  assert.deepEqual(doc.problems, []);
});

test('--no-require-hashes is accepted (pip 26.2; pip 23.2.1 did not know it)', () => {
  const doc = parse('--no-require-hashes\n');
  const entry = optionsAt(doc);
  assert.equal(entry.rejected, false);
  assert.equal(entry.options[0].spec.dest, 'no_require_hashes');
  assert.deepEqual(doc.problems, []);
});

test('--global-option / --build-option are rejected as removed (pip 25.3), abbreviated or not', () => {
  for (const [text, written] of [
    ['six==1.0 --global-option=--no-user-cfg', '--global-option'],
    ['six==1.0 --build-option --x', '--build-option'],
    ['six==1.0 --global=x', '--global'],
  ]) {
    const doc = parse(`${text}\n`);
    // pip 25.3+ has no such option: optparse fails, and there is no requirement on the line.
    const entry = optionsAt(doc);
    assert.equal(entry.rejected, true, text);
    assert.deepEqual(codesOf(doc, entry), ['removed-option']);
    assertSpan(doc, doc.problems[0].span, written);
  }
});

// ---------------------------------------------------------------------------------------------
// Includes

test('includes: -r / -c / --requirement= forms, with the target span', () => {
  for (const [text, kind, target] of [
    ['-r a.txt', '-r', 'a.txt'],
    ['-rreq.txt', '-r', 'req.txt'],
    ['-r=a.txt', '-r', '=a.txt'],
    ['--requirement=a.txt', '-r', 'a.txt'],
    ['--requirement a.txt --constraint=b.txt', '-r', 'a.txt'],
    ['-c cons.txt', '-c', 'cons.txt'],
  ] as const) {
    const doc = parse(`${text}\n`);
    const entry = includeAt(doc);
    assert.equal(entry.rejected, false, text);
    assert.equal(entry.includeKind, kind);
    assert.equal(entry.target, target);
    assertSpan(doc, entry.targetSpan, target);
  }
});

test('includes: pip follows only the first -r of a line (else the first -c); the others are ignored', () => {
  const doc = parse('-r a.txt -r b.txt\n');
  const entry = includeAt(doc);
  assert.equal(entry.target, 'a.txt');
  assert.deepEqual(codesOf(doc, entry), ['ignored']);
  assertSpan(doc, doc.problems[0].span, '-r b.txt');

  // A -r wins over an earlier -c (pip: opts.requirements[0], else opts.constraints[0]).
  const mixed = parse('-c a.txt -r b.txt\n');
  const winner = includeAt(mixed);
  assert.equal(winner.includeKind, '-r');
  assert.equal(winner.target, 'b.txt');
  assert.deepEqual(codesOf(mixed, winner), ['ignored']);
  assertSpan(mixed, mixed.problems[0].span, '-c a.txt');

  const three = parse('-r a.txt -c b.txt -r c.txt\n');
  assert.equal(includeAt(three).target, 'a.txt');
  assert.deepEqual(three.problems.map((p) => [p.code, slice(three, p.span)]), [['ignored', '-c b.txt'], ['ignored', '-r c.txt']]);
});

// ---------------------------------------------------------------------------------------------
// Options that do not belong where they are written

test('--hash on a line without a requirement is ignored (pip warns and drops it)', () => {
  const doc = parse(`--hash=sha256:${Z64}\n`);
  const entry = optionsAt(doc);
  assert.equal(entry.rejected, false);
  assert.deepEqual(codesOf(doc, entry), ['ignored']);
  assertSpan(doc, doc.problems[0].span, `--hash=sha256:${Z64}`);

  const pre = parse(`--pre --hash=sha256:${Z64}\n`);
  assert.equal(optionsAt(pre).rejected, false);
  assert.deepEqual(pre.entries[0].options.map((o) => o.name), ['--pre', '--hash']);
  assert.deepEqual(codesOf(pre, pre.entries[0]), ['ignored']);
  assertSpan(pre, pre.problems[0].span, `--hash=sha256:${Z64}`);
});

test('file-wide options on a requirement line are ignored by pip', () => {
  const doc = parse('six==1.0 --index-url https://x/simple --pre\n');
  const entry = requirementAt(doc);
  assert.equal(entry.rejected, false);
  assert.equal(entry.name, 'six');
  assert.deepEqual(doc.problems.map((p) => [p.code, slice(doc, p.span)]), [
    ['ignored', '--index-url https://x/simple'],
    ['ignored', '--pre'],
  ]);

  for (const [text, ignored] of [['six -e .', '-e .'], ['six -r a.txt', '-r a.txt'], ['zope.interface -e .', '-e .']]) {
    const other = parse(`${text}\n`);
    const requirement = requirementAt(other);
    assert.equal(requirement.rejected, false, text);
    assert.equal(requirement.editable, false);
    assert.deepEqual(other.problems.map((p) => [p.code, slice(other, p.span)]), [['ignored', ignored]]);
  }
  assert.equal(requirementAt(parse('zope.interface -e .\n')).normalizedName, 'zope-interface');
});

// ---------------------------------------------------------------------------------------------
// Editables (-e)

test('-e: a VCS URL with #egg', () => {
  const url = 'git+https://github.com/pallets/flask.git@2.0.0#egg=flask';
  const doc = parse(`-e ${url}\n`);
  const entry = requirementAt(doc);
  assert.equal(entry.rejected, false);
  assert.equal(entry.editable, true);
  assert.equal(entry.form, 'url');
  assert.equal(entry.name, 'flask');
  assert.equal(entry.url?.value, url);
  assertSpan(doc, entry.url?.span, url);
  assert.equal(entry.requirementText, url);
  assertSpan(doc, entry.requirementSpan, url);
  assert.equal(entry.link?.isVcs, true);
  assert.equal(entry.link?.eggFragment, 'flask');
  assert.deepEqual(doc.problems, []);

  const long = parse('--editable=git+https://x.org/a.git#egg=a\n');
  assert.equal(requirementAt(long).editable, true);
  assert.equal(long.entries[0].rejected, false);
  assertSpan(long, requirementAt(long).url?.span, 'git+https://x.org/a.git#egg=a');

  // git:// gets the git+ prefix from pip.
  const bare = parse('-e git://github.com/pallets/flask.git#egg=flask\n');
  assert.equal(requirementAt(bare).rejected, false);
  assert.equal(requirementAt(bare).name, 'flask');
  assert.equal(requirementAt(bare).link?.isVcs, true);

  const svn = parse('-e svn+https://svn.example.org/proj/trunk#egg=proj\n');
  assert.equal(requirementAt(svn).name, 'proj');
});

test('-e: a VCS URL without #egg is rejected (pip: "Could not detect requirement name")', () => {
  const url = 'git+https://github.com/pallets/flask.git@2.0.0';
  const doc = parse(`-e ${url}\n`);
  const entry = requirementAt(doc);
  assert.equal(entry.rejected, true);
  assert.deepEqual(codesOf(doc, entry), ['syntax']);
  assertSpan(doc, doc.problems[0].span, url);
});

test('-e: local paths, extras and file: URLs', () => {
  const dot = parse('-e .\n');
  const local = requirementAt(dot);
  assert.equal(local.rejected, false);
  assert.equal(local.editable, true);
  assert.equal(local.form, 'path');
  assert.equal(local.url?.value, '.');
  assertSpan(dot, local.url?.span, '.');
  assert.equal(local.localPath?.expect, 'directory');

  const glued = parse('-e.\n');
  assert.equal(requirementAt(glued).url?.value, '.');
  assertSpan(glued, requirementAt(glued).url?.span, '.');

  const extras = parse('-e .[socks]\n');
  const withExtras = requirementAt(extras);
  assert.equal(withExtras.url?.value, '.');
  assert.deepEqual(withExtras.extras.map((e) => e.name), ['socks']);
  assertSpan(extras, withExtras.requirementSpan, '.[socks]');

  const file = parse('-e file:///tmp/pkg#egg=pkg\n');
  const fileEntry = requirementAt(file);
  assert.equal(fileEntry.rejected, false);
  assert.equal(fileEntry.form, 'url');
  assert.equal(fileEntry.name, 'pkg');
  assert.equal(fileEntry.url?.value, 'file:///tmp/pkg#egg=pkg');

  // pip strips "[x]" off the file: URL and installs the extras (extras_override).
  const fileExtras = parse('-e file:///tmp/pkg[x]\n');
  assert.equal(requirementAt(fileExtras).url?.value, 'file:///tmp/pkg');
  assert.deepEqual(requirementAt(fileExtras).extras.map((e) => e.name), ['x']);

  const commented = parse('-e .  # comment\n');
  assert.equal(requirementAt(commented).text, '-e .');
  assertSpan(commented, requirementAt(commented).url?.span, '.');

  const unnamed = parse('-e file:///tmp/pkg\n');
  assert.equal(requirementAt(unnamed).rejected, false);
  assert.equal(requirementAt(unnamed).name, undefined);

  // Not a VCS URL and not a directory: only the file system can tell (pip: "not a valid editable requirement").
  for (const value of ['requests', './src/pkg']) {
    const doc = parse(`-e ${value}\n`);
    const entry = requirementAt(doc);
    assert.equal(entry.form, 'path');
    assert.equal(entry.localPath?.expect, 'directory');
    assert.match(entry.localPath?.missingMessage ?? '', /is not a valid editable requirement/);
    assertSpan(doc, entry.localPath?.span, value);
  }
});

test('-e: only the first -e of a line counts', () => {
  const text = '-e git+https://x.org/a.git#egg=a -e git+https://x.org/b.git#egg=b\n';
  const doc = parse(text);
  const entry = requirementAt(doc);
  assert.equal(entry.rejected, false);
  assert.equal(entry.name, 'a');
  assert.deepEqual(codesOf(doc, entry), ['ignored']);
  assertSpan(doc, doc.problems[0].span, '-e git+https://x.org/b.git#egg=b');
});

test('-e: --hash and file options on an editable line are ignored; -C is kept (modern pip)', () => {
  const doc = parse(`-e git+https://x.org/a.git#egg=a --hash=sha256:${Z64}\n`);
  const entry = requirementAt(doc);
  assert.equal(entry.rejected, false);
  assert.deepEqual(entry.hashes, []);
  assert.deepEqual(codesOf(doc, entry), ['ignored']);
  assertSpan(doc, doc.problems[0].span, `--hash=sha256:${Z64}`);

  for (const [text, ignored] of [['-e . --pre', '--pre'], ['-e . -r a.txt', '-r a.txt'], ['-r a.txt -e .', '-r a.txt']]) {
    const other = parse(`${text}\n`);
    assert.equal(requirementAt(other).editable, true, text);
    assert.deepEqual(other.problems.map((p) => [p.code, slice(other, p.span)]), [['ignored', ignored]]);
  }

  const config = parse('-e . -C a=b\n');
  assert.equal(requirementAt(config).rejected, false);
  assert.deepEqual(config.problems, []);
});

test('-e: #egg=name[extra] gives the extras (pip 23.2.1 installs them) and is deprecated', () => {
  const url = 'git+https://x.org/a.git#egg=a[b]';
  const doc = parse(`-e ${url}\n`);
  const entry = requirementAt(doc);
  assert.equal(entry.rejected, false);
  assert.equal(entry.name, 'a');
  assert.deepEqual(entry.extras.map((e) => e.name), ['b']);
  assert.deepEqual(codesOf(doc, entry), ['deprecated']);
  assertSpan(doc, doc.problems[0].span, url);
});

test('a requirement read from a constraints file is marked as a constraint', () => {
  const doc = parse('six==1.0\n-e git+https://x.org/a.git#egg=a\n', { constraint: true });
  assert.equal(requirementAt(doc, 1).constraint, true);
  assert.equal(requirementAt(doc, 2).constraint, true);
  assert.equal(requirementAt(parse('six==1.0\n'), 1).constraint, false);
});

// ---------------------------------------------------------------------------------------------
// URLs, wheels, archives and paths

test('wheel URL: name and version come from the file name', () => {
  const url = 'https://files.example.org/p/requests-2.31.0-py3-none-any.whl';
  const doc = parse(`${url}\n`);
  const entry = requirementAt(doc);
  assert.equal(entry.rejected, false);
  assert.equal(entry.form, 'url');
  assert.equal(entry.name, 'requests');
  assert.deepEqual(specs(entry), ['==2.31.0']);
  assert.equal(entry.link?.isWheel, true);
  assertSpan(doc, entry.url?.span, url);
  assertSpan(doc, entry.specifiers[0].span, url);

  const hashed = parse(`https://files.example.org/p/Foo_Bar-1.0-py3-none-any.whl --hash=sha256:${Z64}\n`);
  const named = requirementAt(hashed);
  assert.equal(named.name, 'Foo-Bar');
  assert.equal(named.normalizedName, 'foo-bar');
  assert.deepEqual(specs(named), ['==1.0']);
  assert.equal(named.hashes.length, 1);
  assertSpan(hashed, named.url?.span, 'https://files.example.org/p/Foo_Bar-1.0-py3-none-any.whl');

  const build = parse('https://x.org/foo-1.0-1-py3-none-any.whl\n');
  assert.equal(requirementAt(build).name, 'foo');
  assert.deepEqual(specs(requirementAt(build)), ['==1.0']);

  const file = parse('file:///tmp/foo-2.0-py3-none-any.whl\n');
  assert.equal(requirementAt(file).form, 'url');
  assert.deepEqual(specs(requirementAt(file)), ['==2.0']);
});

test('wheel URL: an invalid wheel file name is rejected', () => {
  const url = 'https://files.example.org/p/notawheel.whl';
  const doc = parse(`${url}\n`);
  const entry = requirementAt(doc);
  assert.equal(entry.rejected, true);
  assert.deepEqual(codesOf(doc, entry), ['syntax']);
  assert.match(doc.problems[0].message, /notawheel\.whl is not a valid wheel filename/);
  assertSpan(doc, doc.problems[0].span, url);
});

test('local wheel and archives: paths checked on the file system, wheel named by its file name', () => {
  const wheel = parse('./dist/foo-1.0-py3-none-any.whl\n');
  const entry = requirementAt(wheel);
  assert.equal(entry.rejected, false);
  assert.equal(entry.form, 'path');
  assert.equal(entry.name, 'foo');
  assert.deepEqual(specs(entry), ['==1.0']);
  assert.equal(entry.localPath?.expect, 'archive');
  assertSpan(wheel, entry.url?.span, './dist/foo-1.0-py3-none-any.whl');

  for (const path of ['./dist/pkg-1.0.tar.gz', 'pkg-1.0.tar.gz', '/tmp/nonexistent/pkg-1.0.tar.gz']) {
    const doc = parse(`${path}\n`);
    const archive = requirementAt(doc);
    assert.equal(archive.rejected, false, path);
    assert.equal(archive.form, 'path');
    assert.equal(archive.name, undefined);
    assert.equal(archive.url?.value, path);
    assertSpan(doc, archive.url?.span, path);
    assert.equal(archive.localPath?.expect, 'archive');
    assert.equal(archive.localPath?.path, path);
  }

  const extras = parse('./dist/pkg-1.0.zip[socks]\n');
  const zipped = requirementAt(extras);
  assert.equal(zipped.url?.value, './dist/pkg-1.0.zip');
  assertSpan(extras, zipped.url?.span, './dist/pkg-1.0.zip');
  assert.deepEqual(zipped.extras.map((e) => e.name), ['socks']);
  assertSpan(extras, zipped.extras[0].span, 'socks');
});

test('directories: ".", "./src", ".[dev]" are paths for the file-system check', () => {
  for (const [text, path] of [['.', '.'], ['./src', './src'], ['.[dev]', '.']]) {
    const doc = parse(`${text}\n`);
    const entry = requirementAt(doc);
    assert.equal(entry.form, 'path', text);
    assert.equal(entry.localPath?.expect, 'directory');
    assert.equal(entry.url?.value, path);
  }
});

test('name @ url ; marker', () => {
  const text = 'requests @ https://x.org/requests-2.31.0.tar.gz ; python_version >= "3.8"\n';
  const doc = parse(text);
  const entry = requirementAt(doc);
  assert.equal(entry.rejected, false);
  assert.equal(entry.form, 'named');
  assert.equal(entry.name, 'requests');
  assertSpan(doc, entry.nameSpan, 'requests');
  assert.equal(entry.url?.value, 'https://x.org/requests-2.31.0.tar.gz');
  assertSpan(doc, entry.url?.span, 'https://x.org/requests-2.31.0.tar.gz');
  assert.equal(entry.marker?.normalized, 'python_version >= "3.8"');
  assertSpan(doc, entry.marker?.span, 'python_version >= "3.8"');
  assertSpan(doc, entry.requirementSpan, text.slice(0, -1));

  // Not a URL at the start, so ';' alone separates the marker.
  const tight = parse('requests@https://x.org/requests-2.31.0.tar.gz;python_version>="3.8"\n');
  const tightEntry = requirementAt(tight);
  assert.equal(tightEntry.url?.value, 'https://x.org/requests-2.31.0.tar.gz');
  assert.equal(tightEntry.marker?.normalized, 'python_version >= "3.8"');
  assertSpan(tight, tightEntry.marker?.span, 'python_version>="3.8"');

  const vcs = parse('flask @ git+https://github.com/pallets/flask.git@2.0.0\n');
  assert.equal(requirementAt(vcs).name, 'flask');
  assert.equal(requirementAt(vcs).link?.isVcs, true);
  assertSpan(vcs, requirementAt(vcs).url?.span, 'git+https://github.com/pallets/flask.git@2.0.0');
});

test('bare URL ; marker: only "; " separates a marker after a URL', () => {
  for (const text of ['https://x.org/p-1.0.tar.gz#egg=p ; python_version >= "3.8"', 'https://x.org/p-1.0.tar.gz#egg=p; python_version >= "3.8"']) {
    const doc = parse(`${text}\n`);
    const entry = requirementAt(doc);
    assert.equal(entry.rejected, false, text);
    assert.equal(entry.form, 'url');
    assert.equal(entry.name, 'p');
    assert.equal(entry.url?.value, 'https://x.org/p-1.0.tar.gz#egg=p');
    assertSpan(doc, entry.url?.span, 'https://x.org/p-1.0.tar.gz#egg=p');
    assert.equal(entry.marker?.normalized, 'python_version >= "3.8"');
    assertSpan(doc, entry.marker?.span, 'python_version >= "3.8"');
  }

  // Without "; " everything is the URL.
  const url = 'https://x.org/p-1.0.tar.gz;python_version>="3.8"';
  const doc = parse(`${url}\n`);
  const entry = requirementAt(doc);
  assert.equal(entry.rejected, false);
  assert.equal(entry.url?.value, url);
  assert.equal(entry.name, undefined);
  assert.equal(entry.marker, undefined);

  const bare = parse('https://x.org/p-1.0.tar.gz\n');
  assert.equal(requirementAt(bare).rejected, false);
  assert.equal(requirementAt(bare).name, undefined);
});

test('bare URL whose #egg= fragment carries a marker: pip applies it (and warns)', () => {
  const url = 'https://x.org/p-1.0.tar.gz#egg=p;python_version>="3.8"';
  const doc = parse(`${url}\n`);
  const entry = requirementAt(doc);
  assert.equal(entry.rejected, false);
  assert.equal(entry.url?.value, url);
  assert.equal(entry.name, 'p');
  assert.equal(entry.marker?.normalized, 'python_version >= "3.8"');
  assertSpan(doc, entry.marker?.span, url);
  assert.deepEqual(codesOf(doc, entry), ['deprecated']);
});

test('VCS URLs: without #egg (unnamed), with extras or a version in #egg (deprecated), subdirectory', () => {
  const plain = parse('git+https://github.com/pallets/flask.git@2.0.0\n');
  const unnamed = requirementAt(plain);
  assert.equal(unnamed.rejected, false);
  assert.equal(unnamed.form, 'url');
  assert.equal(unnamed.name, undefined);
  assert.equal(unnamed.link?.isVcs, true);
  assert.deepEqual(plain.problems, []);

  const named = parse('git+https://github.com/pallets/flask.git@2.0.0#egg=flask\n');
  assert.equal(requirementAt(named).name, 'flask');
  assert.deepEqual(named.problems, []);

  const extrasUrl = 'git+https://github.com/pallets/flask.git#egg=flask[async]';
  const extras = parse(`${extrasUrl}\n`);
  const withExtras = requirementAt(extras);
  assert.equal(withExtras.rejected, false);
  assert.equal(withExtras.name, 'flask');
  assert.deepEqual(withExtras.extras.map((e) => e.name), ['async']);
  assert.deepEqual(codesOf(extras, withExtras), ['deprecated']);
  assertSpan(extras, extras.problems[0].span, extrasUrl);

  const version = parse('git+https://github.com/pallets/flask.git#egg=flask==2.0\n');
  const versioned = requirementAt(version);
  assert.equal(versioned.rejected, false);
  assert.deepEqual(specs(versioned), ['==2.0']);
  assert.deepEqual(codesOf(version, versioned), ['deprecated']);

  const subdirectory = parse('git+https://x.org/r.git#egg=p&subdirectory=sub\n');
  assert.equal(requirementAt(subdirectory).name, 'p');
  assert.equal(requirementAt(subdirectory).link?.subdirectoryFragment, 'sub');
  assert.deepEqual(subdirectory.problems, []);
});

test('URLs: ";" inside a URL, a VCS URL with a marker, upper-case and ftp schemes', () => {
  const semicolon = parse('https://x.org/a;b/p-1.0.tar.gz#egg=p\n');
  assert.equal(requirementAt(semicolon).url?.value, 'https://x.org/a;b/p-1.0.tar.gz#egg=p');
  assert.equal(requirementAt(semicolon).marker, undefined);
  assert.equal(requirementAt(semicolon).name, 'p');

  const vcs = parse('git+https://x.org/r.git#egg=p ; python_version<"3"\n');
  const entry = requirementAt(vcs);
  assert.equal(entry.rejected, false);
  assert.equal(entry.name, 'p');
  assert.equal(entry.marker?.normalized, 'python_version < "3"');
  assertSpan(vcs, entry.marker?.span, 'python_version<"3"');
  assertSpan(vcs, entry.url?.span, 'git+https://x.org/r.git#egg=p');

  for (const url of ['HTTPS://X.ORG/p-1.0.tar.gz', 'ftp://x.org/p-1.0.tar.gz']) {
    const doc = parse(`${url}\n`);
    assert.equal(requirementAt(doc).form, 'url', url);
    assert.equal(requirementAt(doc).rejected, false);
  }
});

test('a hash on a URL requirement belongs to it', () => {
  const doc = parse(`https://x.org/p-1.0.tar.gz#egg=p --hash=sha256:${Z64}\n`);
  const entry = requirementAt(doc);
  assert.equal(entry.rejected, false);
  assert.equal(entry.requirementText, 'https://x.org/p-1.0.tar.gz#egg=p');
  assert.deepEqual(entry.hashes.map((h) => h.digest), [Z64]);
  assertSpan(doc, entry.hashes[0].digestSpan, Z64);
});

// ---------------------------------------------------------------------------------------------
// PEP 508 requirements

test('"=" instead of "==" is rejected with pip\'s hint', () => {
  const doc = parse('flask=1.0\n');
  const entry = requirementAt(doc);
  assert.equal(entry.rejected, true);
  assert.deepEqual(codesOf(doc, entry), ['syntax']);
  assert.match(doc.problems[0].message, /= is not a valid operator\. Did you mean == \?/);

  const mixed = parse('flask>=1.0,=2\n');
  assert.equal(mixed.entries[0].rejected, true);
  assert.deepEqual(codesOf(mixed, mixed.entries[0]), ['syntax']);
  assert.doesNotMatch(mixed.problems[0].message, /Did you mean/);
});

test('markers with odd spacing and quotes are normalized as packaging prints them', () => {
  const tight = parse('six==1.0;python_version>"3.6"and   sys_platform=="linux"\n');
  const entry = requirementAt(tight);
  assert.equal(entry.rejected, false);
  assert.equal(entry.marker?.normalized, 'python_version > "3.6" and sys_platform == "linux"');
  assertSpan(tight, entry.marker?.span, 'python_version>"3.6"and   sys_platform=="linux"');
  assertSpan(tight, entry.specifiers[0].span, '==1.0');

  const single = parse("six==1.0 ; python_version >= '3.6'\n");
  assert.equal(requirementAt(single).marker?.normalized, 'python_version >= "3.6"');
  assertSpan(single, requirementAt(single).marker?.span, "python_version >= '3.6'");

  const spaced = parse('six  ==  1.0  ;  python_version  <  "3.9"  \n');
  const wide = requirementAt(spaced);
  assert.equal(wide.text, 'six  ==  1.0  ;  python_version  <  "3.9"');
  assertSpan(spaced, wide.nameSpan, 'six');
  assert.deepEqual(specs(wide), ['==1.0']);
  assertSpan(spaced, wide.specifiers[0].span, '==  1.0');
  assertSpan(spaced, wide.specifiers[0].versionSpan, '1.0');
  assert.equal(wide.marker?.normalized, 'python_version < "3.9"');
  assertSpan(spaced, wide.marker?.span, 'python_version  <  "3.9"');

  const reversed = parse('six; "linux" == sys_platform\n');
  assert.equal(requirementAt(reversed).marker?.normalized, '"linux" == sys_platform');

  const empty = parse('six==1.0 ;\n');
  assert.equal(requirementAt(empty).rejected, false);
  assert.equal(requirementAt(empty).marker, undefined);
});

test('an invalid marker is rejected', () => {
  const doc = parse('six==1.0 ; python_version >> "3"\n');
  const entry = requirementAt(doc);
  assert.equal(entry.rejected, true);
  assert.deepEqual(codesOf(doc, entry), ['syntax']);
  assert.match(doc.problems[0].message, /pip rejects this marker/);
});

test('names, extras, several clauses, parentheses, wildcards and ===', () => {
  const text = 'requests[socks, security]>=2.0,<3 ; python_version>="3.8"\n';
  const doc = parse(text);
  const entry = requirementAt(doc);
  assert.equal(entry.rejected, false);
  assertSpan(doc, entry.nameSpan, 'requests');
  assert.deepEqual(entry.extras.map((e) => [e.name, slice(doc, e.span)]), [['socks', 'socks'], ['security', 'security']]);
  assert.deepEqual(specs(entry), ['>=2.0', '<3']);
  assertSpan(doc, entry.specifiers[0].span, '>=2.0');
  assertSpan(doc, entry.specifiers[1].span, '<3');
  assertSpan(doc, entry.specifierSpan, '>=2.0,<3');
  assertSpan(doc, entry.marker?.span, 'python_version>="3.8"');

  const paren = parse('requests (>=2.0)\n');
  assert.deepEqual(specs(requirementAt(paren)), ['>=2.0']);
  assertSpan(paren, requirementAt(paren).specifiers[0].span, '>=2.0');

  assert.deepEqual(specs(requirementAt(parse('requests==2.*\n'))), ['==2.*']);
  assert.deepEqual(specs(requirementAt(parse('requests===2.0-custom\n'))), ['===2.0-custom']);
  assert.equal(requirementAt(parse('zope-interface\n')).normalizedName, 'zope-interface');

  const spaced = parse('requests [socks]\n');
  assert.equal(requirementAt(spaced).rejected, false);
  assert.deepEqual(requirementAt(spaced).extras.map((e) => [e.name, slice(spaced, e.span)]), [['socks', 'socks']]);

  const tab = parse('six==1.0;\tpython_version<"3"\n');
  assert.equal(requirementAt(tab).marker?.normalized, 'python_version < "3"');
  assertSpan(tab, requirementAt(tab).marker?.span, 'python_version<"3"');

  assert.equal(parse('six.\n').entries[0].rejected, true);
});

test('extras after the version and legacy versions are rejected (the latter by modern pip)', () => {
  for (const text of ['requests==2.0[socks]', 'requests==2.0-foo-bar']) {
    const doc = parse(`${text}\n`);
    assert.equal(doc.entries[0].rejected, true, text);
    assert.deepEqual(codesOf(doc, doc.entries[0]), ['syntax']);
  }
});

// ---------------------------------------------------------------------------------------------
// Hostile input: sizes no real file has must give answers (or one clear problem), never a throw.

test('hostile: 200,000 arguments after -- are all dropped, none passed as function arguments', () => {
  // `push(...tokens)` overflowed the stack here (RangeError), which stopped the CLI and the server.
  const doc = parse('-- ' + 'a '.repeat(200_000));
  const entry = optionsAt(doc);
  assert.equal(entry.ignoredArgs.length, 200_000);
  assert.equal(entry.rejected, false);
  // One warning for them all, not 200,000.
  assert.equal(doc.problems.length, 1);
  assert.equal(doc.problems[0].code, 'ignored');
  assert.match(doc.problems[0].message, /^pip silently ignores these 200,000 words \('a', 'a', 'a', …\): text after an option is not read as a requirement\./);
  assert.deepEqual(doc.problems[0].span, { start: 3, end: 3 + 2 * 200_000 - 1 });
});

test('hostile: one warning for many ignored options on a line, not one each', () => {
  const doc = parse('six==1.0 ' + '--pre '.repeat(100) + '\n');
  assert.equal(requirementAt(doc).options.length, 100);
  assert.deepEqual(doc.problems.map((p) => [p.code, p.message]), [['ignored', 'pip ignores these 100 options on a requirement line. Put each on a line of its own.']]);
  assertSpan(doc, doc.problems[0].span, '--pre '.repeat(100).trimEnd());
  const few = parse('six==1.0 --pre --pre\n');
  assert.deepEqual(codesOf(few, few.entries[0]), ['ignored', 'ignored']);
});

test('hostile: 160,000 options on one line are all kept', () => {
  const doc = parse('--pre '.repeat(160_000) + '\n');
  const entry = optionsAt(doc);
  assert.equal(entry.options.length, 160_000);
  assert.equal(entry.rejected, false);
});

test('marker spans: every comparison, operand and group points at its own text', () => {
  const text = 'six==1.0\nflask ; (os_name == "nt" or extra == "x") and python_version < "3.9"\n';
  const doc = parse(text);
  const marker = requirementAt(doc, 2).marker!;
  assertSpan(doc, marker.span, '(os_name == "nt" or extra == "x") and python_version < "3.9"');
  const [group, , comparison] = marker.expression;
  assert.ok(typeof group !== 'string' && group.kind === 'group' && typeof comparison !== 'string' && comparison.kind === 'comparison');
  assertSpan(doc, group.span, '(os_name == "nt" or extra == "x")');
  const first = group.items[0];
  assert.ok(typeof first !== 'string' && first.kind === 'comparison');
  assertSpan(doc, first.span, 'os_name == "nt"');
  assertSpan(doc, first.left.span, 'os_name');
  assertSpan(doc, first.operatorSpan, '==', text.indexOf('os_name'));
  assertSpan(doc, first.right.span, '"nt"');
  assertSpan(doc, comparison.left.span, 'python_version');
  assertSpan(doc, comparison.right.span, '"3.9"');
});

test('marker spans: a ${VAR} expanded inside a marker maps to the reference, inside the text', () => {
  const text = 'x; os_name == "${X}" and python_version < "3"\n';
  const doc = parse(text, { env: { X: 'a value much longer than the reference' } });
  const marker = requirementAt(doc).marker!;
  assert.equal(marker.normalized, 'os_name == "a value much longer than the reference" and python_version < "3"');
  const [expanded, , after] = marker.expression;
  assert.ok(typeof expanded !== 'string' && expanded.kind === 'comparison' && typeof after !== 'string' && after.kind === 'comparison');
  assertSpan(doc, expanded.left.span, 'os_name');
  assertSpan(doc, expanded.right.span, '"${X}"');
  assertSpan(doc, after.left.span, 'python_version');
  assertSpan(doc, after.right.span, '"3"');
});

test('marker spans: the marker of an #egg= fragment lies on the URL', () => {
  const text = 'six\nhttps://x.org/p-1.0.tar.gz#egg=p;python_version<"3"\n';
  const doc = parse(text);
  const entry = requirementAt(doc, 2);
  assert.equal(entry.marker?.normalized, 'python_version < "3"');
  const comparison = entry.marker!.expression[0];
  assert.ok(typeof comparison !== 'string' && comparison.kind === 'comparison');
  for (const span of [entry.marker!.span, comparison.span, comparison.left.span, comparison.right.span]) assertSpan(doc, span, 'https://x.org/p-1.0.tar.gz#egg=p;python_version<"3"');
});

test('hostile: 100,000 ${X} references on continued lines are expanded and mapped in linear time', () => {
  // Each reference used to re-slice the whole line (quadratic: minutes for this file).
  const text = '${X} \\\n'.repeat(100_000) + 'x\n';
  const doc = parse(text, { env: { X: 'a' } });
  const entry = only(doc);
  assert.equal(entry.text, 'a '.repeat(100_000) + 'x');
  assert.equal(doc.envReferences.length, 100_000);
  assert.ok(doc.envReferences.every((reference) => reference.expanded && text.slice(reference.span.start, reference.span.end) === '${X}'));
  assert.equal(doc.envReferences[99_999].span.start, text.length - 9);
  assert.ok(doc.problems.every((problem) => problem.span.end <= text.length));
});

test('${VAR}: a later reference to a name already expanded replaces what earlier values brought in, as str.replace does', () => {
  // pip runs line.replace("${NAME}", value) once per reference, in order, on the line as expanded so far.
  const doc = parse('--index-url ${A}/${B}/${A}\n', { env: { A: '${B}', B: 'b' } });
  assert.equal(optionsAt(doc).options[0].value, 'b/b/b');
  const twice = parse('--index-url ${A}${A}\n', { env: { A: 'x${A}' } });
  assert.equal(optionsAt(twice).options[0].value, 'xx${A}xx${A}');
});

// Limits: the longest logical line in the corpus has 13,129 characters (yt-dlp's, hashes for every
// wheel), the largest file 2,681 lines and 190,271 characters. What is far past that is reported
// once, as a problem, and left unread, instead of costing gigabytes.

test('hostile: a logical line over 1,000,000 characters is one problem, not read; the lines around it are', () => {
  const long = 'six==1.16.0' + ` --hash=sha256:${A64}`.repeat(13_000);
  const text = `a==1\n${long}\nb==2\n`;
  const doc = parse(text);
  assert.deepEqual(lines(doc).map(([line]) => line), [1, 3]);
  assert.equal(doc.problems.length, 1);
  const problem = doc.problems[0];
  assert.equal(problem.code, 'syntax');
  assert.equal(problem.message, `This line has ${long.length.toLocaleString('en-US')} characters: reqguard reads lines of up to 1,000,000 characters (the longest real ones have about 13,000), so nothing on it is checked.`);
  assertSpan(doc, problem.span, long);
});

test('hostile: a continued line, or one that ${VAR} expansion makes longer than 1,000,000 characters, is one problem', () => {
  const continued = parse('six==1.16.0 \\\n' + `    --hash=sha256:${A64} \\\n`.repeat(13_000) + 'b==2\n');
  assert.deepEqual(continued.entries, []);
  assert.equal(continued.problems.length, 1);
  const joined = ('six==1.16.0 ' + `    --hash=sha256:${A64} `.repeat(13_000) + 'b==2').length;
  assert.ok(continued.problems[0].message.startsWith(`This line has ${joined.toLocaleString('en-US')} characters: reqguard reads lines of up to 1,000,000 characters`));
  assert.deepEqual([continued.problems[0].span.start, continued.problems[0].span.end], [0, continued.text.length - 1]);

  const expanded = parse('a==1\nsix==1.16.0 ' + '${HASH}'.repeat(20_000) + '\n', { env: { HASH: ` --hash=sha256:${A64}` } });
  assert.deepEqual(lines(expanded).map(([line]) => line), [1]);
  assert.equal(expanded.problems.length, 1);
  assert.match(expanded.problems[0].message, /^This line has more than 1,000,000 characters once \$\{HASH\} is expanded: reqguard reads lines of up to 1,000,000 characters/);
  assert.equal(expanded.envReferences.length, 20_000);
});

test('hostile: a file over 200,000 lines is read up to there, with one problem where reading stopped', () => {
  const text = 'six==1.16.0\n'.repeat(250_000);
  const doc = parse(text);
  assert.equal(doc.entries.length, 200_000);
  assert.equal(doc.lineCount, 250_000);
  assert.equal(doc.problems.length, 1);
  assert.equal(doc.problems[0].message, 'This file has 250,000 lines: reqguard reads the first 200,000 lines of a requirements file (the largest real ones have a few thousand), so lines 200,001 to 250,000 are not checked.');
  assert.deepEqual(doc.problems[0].span, { start: 200_000 * 12, end: 200_000 * 12 + 11 });
});

test('hostile: a file over 10,000,000 characters is read up to the line where that is reached', () => {
  const line = `six==1.16.0 --hash=sha256:${A64}\n`;
  const text = line.repeat(120_000);
  const doc = parse(text);
  const readLines = Math.floor(10_000_000 / line.length);
  assert.equal(doc.entries.length, readLines);
  assert.equal(doc.problems.length, 1);
  assert.equal(doc.problems[0].message, `This file has ${text.length.toLocaleString('en-US')} characters: reqguard reads the first 10,000,000 characters of a requirements file (the largest real ones have a few hundred thousand), so lines ${(readLines + 1).toLocaleString('en-US')} to 120,000 are not checked.`);
  assert.equal(doc.problems[0].span.start, readLines * line.length);

  const oneLine = parse('x'.repeat(10_000_001));
  assert.deepEqual(oneLine.entries, []);
  assert.match(oneLine.problems[0].message, /so line 1 is not checked\.$/);
});

// ---------------------------------------------------------------------------------------------
// Checked with pip 23.2.1 and pip 26.2.1 (`pip install --dry-run --no-index -r FILE`).

test('an option error on a continued line: reported from the first line, and the line is no requirement', () => {
  // pip: "Invalid requirement: a==1     --bogus / no such option: --bogus"; the oracle files the
  // error under line 1 and lists no requirement (optparse fails before the requirement is read).
  for (const [text, message, culprit] of [
    ['a==1 \\\n    --bogus\n', /^pip rejects this line: no such option: --bogus$/, '--bogus'],
    ['a==1 \\\n    --hash=x\n', /^pip rejects this line: arguments to --hash must be a hash name/, '--hash=x'],
    ['a==1 \\\n  \\\n    --hash=md5:abc\n', /^pip rejects the hash algorithm 'md5'/, 'md5'],
    ['a==1 \\\n    --hash="x\n', /^pip cannot split the options: no closing quotation$/, '--hash="x'],
  ] as const) {
    const doc = parse(text);
    const entry = only(doc);
    assert.equal(entry.kind, 'options', text);
    assert.equal(entry.rejected, true, text);
    assert.equal(entry.line, 1);
    assert.equal(doc.problems.length, 1, text);
    const problem = doc.problems[0];
    assert.match(problem.message, message);
    assert.equal(problem.span.start, 0, `${text}: the problem starts on line 1`);
    assert.equal(problem.span.end, text.indexOf(culprit) + culprit.length, `${text}: and runs to the option pip rejects`);
  }
  // On one line the option alone is marked, as before; still no requirement.
  const single = parse('a==1 --bogus\n');
  assert.equal(only(single).kind, 'options');
  assertSpan(single, single.problems[0].span, '--bogus');
});

/** The requirement on the only line of `text`, asserted rejected with one problem of `code`. */
function rejectedRequirement(text: string, code = 'syntax'): { doc: RequirementsDocument; entry: RequirementEntry } {
  const doc = parse(`${text}\n`);
  const entry = requirementAt(doc);
  assert.equal(entry.rejected, true, text);
  assert.deepEqual(codesOf(doc, entry), [code], text);
  return { doc, entry };
}

test('file: URLs with a host are rejected (pip: "non-local file URIs are not supported on this platform")', () => {
  for (const [text, url] of [
    ['pkg @ file://server/share/pkg-1.0.tar.gz', 'file://server/share/pkg-1.0.tar.gz'],
    ['file://server/share/pkg-1.0.tar.gz', 'file://server/share/pkg-1.0.tar.gz'],
    ['file://server/pkg-1.0-py3-none-any.whl', 'file://server/pkg-1.0-py3-none-any.whl'],
    ['pkg @ file://LOCALHOST/tmp/pkg-1.0.tar.gz', 'file://LOCALHOST/tmp/pkg-1.0.tar.gz'],
    ['pkg @ file://u@localhost/tmp/pkg-1.0.tar.gz', 'file://u@localhost/tmp/pkg-1.0.tar.gz'],
    ['-e file://server/share/pkg#egg=pkg', 'file://server/share/pkg#egg=pkg'],
  ]) {
    const { doc } = rejectedRequirement(text);
    assert.match(doc.problems[0].message, /non-local file URIs are not supported on this platform/, text);
    assertSpan(doc, doc.problems[0].span, url);
  }
  for (const text of ['pkg @ file:///srv/pkg-1.0.tar.gz', 'pkg @ file://localhost/srv/pkg-1.0.tar.gz', 'pkg @ file:///C:/Users/dev/pkg']) {
    assert.equal(requirementAt(parse(`${text}\n`)).rejected, false, text);
  }
});

test('FILE: in upper case is rejected (pip: "You can only turn file: urls into filenames")', () => {
  for (const text of ['pkg @ FILE:///tmp/pkg-1.0.tar.gz', 'FILE:///tmp/pkg-1.0.tar.gz']) {
    const { doc } = rejectedRequirement(text);
    assert.match(doc.problems[0].message, /only turn file: urls into filenames/, text);
  }
});

test('extras after a path that packaging cannot read are rejected, editable or not', () => {
  // pip 26: "Expected matching RIGHT_BRACKET for LEFT_BRACKET, after extras"; 23.2.1: "Parse error at ...".
  for (const [text, extras, message] of [
    ['-e .[,abcdef]', '.[,abcdef]', 'Expected matching RIGHT_BRACKET for LEFT_BRACKET, after extras'],
    ['-e .[abc,]', '.[abc,]', 'Expected extra name after comma'],
    ['./pkg[,abc]', '[,abc]', 'Expected matching RIGHT_BRACKET for LEFT_BRACKET, after extras'],
  ]) {
    const { doc } = rejectedRequirement(text);
    assert.equal(doc.problems[0].message, `pip rejects the extras '${extras.slice(extras.indexOf('['))}': ${message}`);
    assertSpan(doc, doc.problems[0].span, extras);
  }
  assert.deepEqual(requirementAt(parse('-e .[socks]\n')).extras.map((e) => e.name), ['socks']);
});
