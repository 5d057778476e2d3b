// setup.cfg as setuptools reads it: Python's configparser (as `ConfigParser()` with case-sensitive
// options, over a file opened with universal newlines), then setuptools' list rules. The expected
// values were checked with Python 3.11's configparser and setuptools (65.5 and the current source).
import { test, describe as suite } from 'node:test';
import assert from 'node:assert/strict';
import { declaredSpan } from '../../server/src/parser/declared';
import { readIni, setupCfgDeclarations } from '../../server/src/parser/setupCfg';
import { marked } from '../helpers/marked';

/** configparser's values of a section, joined as it joins them ('\n', trailing blank lines dropped). */
function values(text: string, section: string): Record<string, string> {
  const ini = readIni(text);
  assert.deepEqual(ini.problems, []);
  const found = ini.sections.find((s) => s.name === section);
  return Object.fromEntries((found?.options ?? []).map((o) => [o.name, o.lines.map((l) => l.text).join('\n').trimEnd()]));
}

/** Each declared requirement's text, and the document text its span covers. */
function requirements(text: string): [string, string][] {
  return setupCfgDeclarations(text).requirements.map((r) => {
    const span = declaredSpan(r.string, { start: r.offset, end: r.offset + r.text.length });
    return [r.text, text.slice(span.start, span.end)];
  });
}

suite('configparser', () => {
  test('continuation lines, comment lines (# and ;), blank lines inside a value, inline ; kept', () => {
    // configparser: '\na\n\nb  ; not a comment', and x = '1'.
    assert.deepEqual(values('[options]\ninstall_requires =\n\ta\n  ; comment\n\n    b  ; not a comment\n  #c\nx = 1\n', 'options'), {
      install_requires: '\na\n\nb  ; not a comment',
      x: '1',
    });
    assert.deepEqual(values('[options]\ninstall_requires = a\n  b\n    c\n', 'options'), { install_requires: 'a\nb\nc' });
    // An indented option line sets the indentation a continuation must pass.
    assert.deepEqual(values('[options]\n  install_requires = a\nb = 1\n', 'options'), { install_requires: 'a', b: '1' });
    assert.deepEqual(values('[options]\ninstall_requires: a ; b\n', 'options'), { install_requires: 'a ; b' });
  });

  test('LF, CRLF and CR line ends (setuptools opens the file with universal newlines)', () => {
    for (const text of ['[options]\ninstall_requires =\n  a\n  b\n', '[options]\r\ninstall_requires =\r\n  a\r\n  b\r\n', '[options]\rinstall_requires =\r  a\r  b\r']) {
      assert.deepEqual(values(text, 'options'), { install_requires: '\na\nb' }, JSON.stringify(text));
    }
  });

  test('option names keep their case; section headers take everything up to the last ]', () => {
    assert.deepEqual(values('[options]\nInstall_Requires = a\ninstall_requires = b\n', 'options'), { Install_Requires: 'a', install_requires: 'b' });
    assert.deepEqual(readIni('[a] x ]  # c\nk=v\n[ b ]\ny=2\n').sections.map((s) => s.name), ['a] x ', ' b ']);
  });

  test('errors: duplicate section or option, no section header, a line that is nothing', () => {
    const cases: [string, RegExp][] = [
      ['[options]\ninstall_requires = a\n[⟦options⟧]\n', /section 'options' appears twice \(line 3\)/],
      ['[options]\n⟦x⟧ = 1\n⟦x⟧ = 2\n', /option 'x' appears twice in \[options\] \(line 3\)/],
      ['⟦install_requires = a⟧\n', /line 1 comes before any \[section\] header/],
      ['# c\n\n[options]\ninstall_requires = a\n⟦bad line⟧\n', /line 5 is neither a \[section\], an option/],
      ['[options]\n⟦[]⟧\n', /line 2 is neither/],
    ];
    for (const [source, message] of cases) {
      const m = marked(source);
      const ini = readIni(m.text);
      assert.deepEqual(ini.sections, [], 'nothing is read');
      assert.equal(ini.problems.length, 1, source);
      assert.match(ini.problems[0].message, message);
      assert.deepEqual(ini.problems[0].span, m.spans[m.spans.length - 1], source);
    }
    // [DEFAULT] is configparser's defaults, not a section: it may come back.
    assert.deepEqual(readIni('[DEFAULT]\nx=1\n[DEFAULT]\ny=2\n').problems, []);
  });
});

suite('setuptools: requirement lists', () => {
  test('several lines: one requirement per line, comments and blank lines dropped, " #" cut', () => {
    assert.deepEqual(requirements('[options]\ninstall_requires =\n    # direct\n    click >= 8\n\n    setuptools  # needed\n\tsix;python_version<"3"\n'), [
      ['click >= 8', 'click >= 8'],
      ['setuptools ', 'setuptools '],
      ['six;python_version<"3"', 'six;python_version<"3"'],
    ]);
  });

  test('one line: split at every ";" (setuptools: a ; b>=1 # hi;c gives a, b>=1, c)', () => {
    assert.deepEqual(requirements('[options]\ninstall_requires = a ; b>=1 # hi;c\n  # x\n'), [
      ['a', 'a'],
      ['b>=1', 'b>=1'],
      ['c', 'c'],
    ]);
  });

  test('[options] names as setuptools normalizes them: the last spelling wins; extras keep theirs', () => {
    const declarations = setupCfgDeclarations('[options]\nInstall-Requires = a\ninstall_requires = b\n[options.extras_require]\nTest-All = c\n');
    assert.deepEqual(declarations.strings.map((s) => [s.group, s.extra, s.value]), [['install_requires', undefined, 'b'], ['extras_require', 'Test-All', 'c']]);
  });

  test('tests_require is not read (setuptools 72 removed it), nor other sections', () => {
    assert.deepEqual(setupCfgDeclarations('[options]\ntests_require = pytest\n[tool:pytest]\ninstall_requires = x\n').strings, []);
  });

  test('%% is one %, mapped exactly; %(name)s is not followed; a lone % stops setuptools', () => {
    const text = '[options]\ninstall_requires = pkg @ https://example.com/a%%20b.whl\n';
    assert.deepEqual(requirements(text), [['pkg @ https://example.com/a%20b.whl', 'pkg @ https://example.com/a%%20b.whl']]);
    const reference = setupCfgDeclarations('[options]\ninstall_requires =\n  a\n  %(base)s\n');
    assert.deepEqual([reference.strings, reference.problems.map((p) => p.code)], [[], ['unresolved-install-requires']]);
    assert.match(reference.problems[0].message, /takes the value of option 'base'/);
    const lone = setupCfgDeclarations('[options]\ninstall_requires = a%20b\n');
    assert.deepEqual(lone.problems.map((p) => p.code), ['syntax']);
    assert.match(lone.problems[0].message, /'%' must be followed by '%' or '\(', found: '%20b'/);
  });

  test('file: at the start of the value is said and not followed; elsewhere it is a requirement setuptools rejects', () => {
    const m = marked('[options]\ninstall_requires = ⟦file: requirements.txt⟧\nsetup_requires = ⟦file: build.txt⟧\n[options.extras_require]\ndev =\n  ⟦file: dev.txt⟧\n');
    const declarations = setupCfgDeclarations(m.text);
    assert.deepEqual(declarations.strings, []);
    assert.deepEqual(declarations.problems.map((p) => [p.code, p.span]), [
      ['unresolved-install-requires', m.spans[0]],
      ['syntax', m.spans[1]],
      ['syntax', m.spans[2]],
    ]);
    assert.match(declarations.problems[0].message, /is read from requirements\.txt \(file: directive\)/);
    assert.match(declarations.problems[1].message, /setuptools does not follow file: in setup_requires/);
    assert.match(declarations.problems[2].message, /only at the very start of the value/);
  });

  test('a marker cut off by ";" on one line is an error setuptools raises; on its own line it is fine', () => {
    const m = marked('[options.extras_require]\nold = foo; ⟦python_version<"3.8"⟧\nok =\n    foo; python_version<"3.8"\n');
    const declarations = setupCfgDeclarations(m.text);
    assert.deepEqual(declarations.problems.map((p) => [p.code, p.span]), [['syntax', m.spans[0]]]);
    assert.deepEqual(declarations.strings.map((s) => [s.extra, s.value]), [['old', 'foo'], ['ok', 'foo; python_version<"3.8"']]);
  });
});
