// Hand-written cases for analyzeSetupPy: string forms, escapes, spans, name following,
// conditions, dynamic values, syntax errors, and a never-throws sweep over mutated input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSetupPy, type SetupItem, type SetupKeyword, type SetupPyAnalysis } from '../../server/src/parser/setupPy';

interface Seen {
  value: string;
  kind: SetupItem['kind'];
  /** Source text under `span`. */
  text: string;
  /** Source text under `contentSpan`, if any. */
  content?: string;
  conditional: boolean;
}

function analyze(text: string): SetupPyAnalysis {
  const result = analyzeSetupPy(text);
  assert.equal(result.internalError, undefined);
  return result;
}

function seen(text: string, item: SetupItem): Seen {
  const s: Seen = { value: item.value, kind: item.kind, text: text.slice(item.span.start, item.span.end), conditional: item.conditional };
  if (item.contentSpan) s.content = text.slice(item.contentSpan.start, item.contentSpan.end);
  return s;
}

function items(text: string, keyword: SetupKeyword = 'install_requires', call = 0): Seen[] {
  const result = analyze(text);
  assert.equal(result.syntaxError, undefined, `unexpected syntax error: ${result.syntaxError?.message}`);
  const c = result.calls[call];
  assert.ok(c, `no setup() call #${call}`);
  return c.keywords[keyword].items.map((i) => seen(text, i));
}

function firstCall(text: string) {
  const result = analyze(text);
  assert.equal(result.syntaxError, undefined, `unexpected syntax error: ${result.syntaxError?.message}`);
  assert.ok(result.calls[0]);
  return result.calls[0];
}

const lit = (value: string, text: string, content?: string): Seen =>
  content === undefined ? { value, kind: 'literal', text, conditional: false } : { value, kind: 'literal', text, content, conditional: false };

// ---------------------------------------------------------------------------------------------
// String literal forms

test('plain, triple-quoted and prefixed string literals keep exact spans', () => {
  const src = [
    'from setuptools import setup',
    `setup(install_requires=['a', "b", '''c''', """d""", r'e\\d', R"f", u'g', U"h", '', """x'y"z"""])`,
  ].join('\n');
  assert.deepEqual(items(src), [
    lit('a', "'a'", 'a'),
    lit('b', '"b"', 'b'),
    lit('c', "'''c'''", 'c'),
    lit('d', '"""d"""', 'd'),
    lit('e\\d', "r'e\\d'", 'e\\d'),
    lit('f', 'R"f"', 'f'),
    lit('g', "u'g'", 'g'),
    lit('h', 'U"h"', 'h'),
    lit('', "''", ''),
    lit('x\'y"z', '"""x\'y"z"""', 'x\'y"z'),
  ]);
});

test('escapes are decoded; the content span is dropped when the text differs from the value', () => {
  const src = String.raw`from setuptools import setup
setup(install_requires=['a\tb', 'c\\d', 'e\'f', "g\"h", 'o\n', "p\x41", 'q\u00e9', 'n\U0001F600', 'k\101', 'z\0',
    'bell\a\b\f\v\r', 'm\N{EM DASH}', 'e\N{latin small letter e with acute}', 'c\N{CJK UNIFIED IDEOGRAPH-4E2D}',
    'y\qz', r'raw\n'])`;
  const got = items(src);
  assert.deepEqual(
    got.map((i) => i.value),
    ['a\tb', 'c\\d', "e'f", 'g"h', 'o\n', 'pA', 'qé', 'n😀', 'kA', 'z\0', 'bell\x07\b\f\v\r', 'm—', 'eé', 'c中', 'y\\qz', 'raw\\n'],
  );
  // Only where the source between the quotes is the value itself.
  assert.deepEqual(
    got.map((i) => i.content),
    [undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, 'y\\qz', 'raw\\n'],
  );
  assert.ok(got.every((i) => i.kind === 'literal'));
  assert.deepEqual(got[5]!.text, '"p\\x41"');
});

test('a \\N{...} name outside the table is reported as dynamic, never guessed', () => {
  // A real name (U+1F00) that reqguard's table does not hold: Python accepts it, we cannot decode it.
  const src = "from setuptools import setup\nsetup(install_requires=['a\\N{GREEK SMALL LETTER ALPHA WITH PSILI}b'])\n";
  const result = analyze(src);
  const [item] = result.calls[0]!.keywords.install_requires.items;
  assert.equal(item?.kind, 'dynamic');
  assert.match(item?.reason ?? '', /cannot look up/);
  assert.equal(result.calls[0]!.keywords.install_requires.status, 'unresolved');
});

test('line continuation inside a string, and raw strings keep backslash-newline', () => {
  const src = "from setuptools import setup\nsetup(install_requires=['s\\\nt', r'u\\\nv', '''w\\\nx'''])\n";
  assert.deepEqual(
    items(src).map((i) => [i.value, i.content]),
    [['st', undefined], ['u\\\nv', 'u\\\nv'], ['wx', undefined]],
  );
});

test('bytes and f-strings in every prefix spelling are not requirement strings', () => {
  const src = "from setuptools import setup\nx = 1\nsetup(install_requires=[rb'i', b\"j\", Rb'k', bR'l', f'k', F\"l\", fr'm{x}', Rf\"n{x!r:>{x}}\", f'{x=}', 'p' f'{x}'])\n";
  const got = analyze(src).calls[0]!.keywords.install_requires.items;
  assert.deepEqual(
    got.map((i) => [i.kind, i.reason]),
    [
      ...Array(4).fill(['dynamic', 'constant of type bytes']),
      ...Array(6).fill(['dynamic', 'f-string (formatted at run time)']),
    ],
  );
  assert.equal(src.slice(got[9]!.span.start, got[9]!.span.end), "'p' f'{x}'");
});

test('implicit concatenation of adjacent literals, across lines and comments', () => {
  const src = [
    'from setuptools import setup',
    'setup(install_requires=[',
    "    'requests'  # the name",
    '    ">=2.0"',
    "    ',<3'  'x',",
    '])',
  ].join('\n');
  const [item] = items(src);
  assert.equal(item?.value, 'requests>=2.0,<3x');
  assert.equal(item?.kind, 'literal');
  assert.equal(item?.text, "'requests'  # the name\n    \">=2.0\"\n    ',<3'  'x'");
  assert.equal(item?.content, undefined);
});

test('comments and odd layout inside lists', () => {
  const src = [
    'from setuptools import setup',
    'setup(',
    '    install_requires=[  # after the bracket',
    '        "a",  # one',
    '        # a whole comment line',
    '        "b"  # two',
    '        ,  "c",',
    '    ],  # done',
    ')',
  ].join('\n');
  assert.deepEqual(items(src), [lit('a', '"a"', 'a'), lit('b', '"b"', 'b'), lit('c', '"c"', 'c')]);
});

test('backslash line joins outside strings', () => {
  const src = 'from setuptools import setup\nreqs = \\\n  ["a",\n   "b"]\nsetup(install_requires= \\\n reqs)\n';
  const call = firstCall(src);
  assert.deepEqual(call.keywords.install_requires.items.map((i) => i.value), ['a', 'b']);
  const e = call.keywords.install_requires.expressionSpan!;
  assert.equal(src.slice(e.start, e.end), 'reqs');
});

test('CRLF and lone CR line endings: spans stay exact; a multi-line string value has no exact piece ranges', () => {
  const src = 'from setuptools import setup\r\nREQS = """\r\nalpha\r\nbeta>=1\r\n"""\r\nsetup(install_requires=["x",\r\n   \'y\'], tests_require=REQS)\r\n';
  assert.deepEqual(items(src), [lit('x', '"x"', 'x'), lit('y', "'y'", 'y')]);
  // Python reads the literal with \n line ends, so its text is not its value: as the oracle,
  // report each line with the whole literal as an approximate span.
  const tests = firstCall(src).keywords.tests_require.items;
  assert.deepEqual(tests.map((i) => [i.value, i.kind, i.spanIsApproximate]), [['alpha', 'computed', true], ['beta>=1', 'computed', true]]);
  assert.equal(src.slice(tests[0]!.span.start, tests[0]!.span.end), '"""\r\nalpha\r\nbeta>=1\r\n"""');

  const cr = 'from setuptools import setup\rsetup(install_requires=["a",\r "b"])\r';
  assert.deepEqual(items(cr), [lit('a', '"a"', 'a'), lit('b', '"b"', 'b')]);
  assert.equal(firstCall(cr).line, 2);
});

test('a single string value is read one requirement per line, comments dropped', () => {
  const src = [
    'from setuptools import setup',
    'setup(install_requires="""',
    '  # comment',
    '  requests>=2 # trailing',
    "  flask ; python_version<'3'",
    '',
    '  attrs',
    '""")',
  ].join('\n');
  const result = firstCall(src).keywords.install_requires;
  assert.equal(result.status, 'resolved');
  assert.deepEqual(
    result.items.map((i) => seen(src, i)),
    [
      { value: 'requests>=2', kind: 'computed', text: 'requests>=2', content: 'requests>=2', conditional: false },
      { value: "flask ; python_version<'3'", kind: 'computed', text: "flask ; python_version<'3'", content: "flask ; python_version<'3'", conditional: false },
      { value: 'attrs', kind: 'computed', text: 'attrs', content: 'attrs', conditional: false },
    ],
  );
  assert.deepEqual(result.notes, ['a single string: setuptools reads one requirement per line']);
});

test('"...".split() and .splitlines() of a literal point at each piece', () => {
  const src = 'from setuptools import setup\nX = "a  b\\tc"\nsetup(install_requires="p q".split(), tests_require=X.split(), setup_requires="""m\nn""".splitlines())\n';
  const call = firstCall(src);
  assert.deepEqual(
    call.keywords.install_requires.items.map((i) => seen(src, i)),
    [
      { value: 'p', kind: 'computed', text: 'p', content: 'p', conditional: false },
      { value: 'q', kind: 'computed', text: 'q', content: 'q', conditional: false },
    ],
  );
  // The literal holds an escape, so the pieces have no exact place: the whole call is reported.
  assert.deepEqual(call.keywords.tests_require.items.map((i) => [i.value, seen(src, i).text]), [
    ['a', 'X.split()'],
    ['b', 'X.split()'],
    ['c', 'X.split()'],
  ]);
  assert.deepEqual(call.keywords.setup_requires.items.map((i) => seen(src, i).content), ['m', 'n']);
});

// ---------------------------------------------------------------------------------------------
// Following names and operations

test('names bound earlier, +, list()/tuple()/sorted(), tuples', () => {
  const src = [
    'from setuptools import setup',
    "base = ['a', 'b']",
    "extra = ('c',)",
    "more = base + list(extra) + ['d'] + sorted(['f', 'e']) + tuple(('g', 'h'))",
    "setup(install_requires=more, tests_require=('t1', 't2'), setup_requires=base + 'x', extras_require={'s': sorted(extra)})",
  ].join('\n');
  const call = firstCall(src);
  assert.equal(call.keywords.install_requires.status, 'resolved');
  assert.deepEqual(call.keywords.install_requires.items.map((i) => i.value), ['a', 'b', 'c', 'd', 'f', 'e', 'g', 'h']);
  assert.equal(call.keywords.install_requires.notes, undefined);
  assert.deepEqual(call.keywords.extras_require.extras?.[0]?.items.map((i) => i.value), ['c']);
  assert.deepEqual(items(src, 'tests_require'), [lit('t1', "'t1'", 't1'), lit('t2', "'t2'", 't2')]);
  assert.deepEqual(call.keywords.setup_requires.items.map((i) => i.value), ['a', 'b', 'x']);
  // An item keeps the span of the literal where it was written, wherever it travels.
  const first = call.keywords.install_requires.items[0]!;
  assert.equal(src.slice(first.span.start, first.span.end), "'a'");
  assert.equal(src.indexOf("'a'"), first.span.start);
});

test('"a" + "b" is a computed string spanning the expression', () => {
  const src = "from setuptools import setup\nV = '1.0'\nsetup(install_requires=['pkg==' + V, ('x' 'y') + \"z\"])\n";
  assert.deepEqual(items(src), [
    { value: 'pkg==1.0', kind: 'computed', text: "'pkg==' + V", conditional: false },
    { value: 'xyz', kind: 'computed', text: "('x' 'y') + \"z\"", conditional: false },
  ]);
});

test('setup() inside a function sees module names bound before and after the def', () => {
  const src = [
    'from setuptools import setup',
    "deps = ['a']",
    'def helper():',
    "    return ['x']",
    'def main():',
    "    local = deps + ['b']",
    '    setup(install_requires=local, tests_require=helper())',
    "deps.append('late')",
    'if __name__ == "__main__":',
    '    main()',
  ].join('\n');
  const result = analyze(src);
  assert.equal(result.calls.length, 1);
  const call = result.calls[0]!;
  assert.equal(call.inFunction, 'main');
  assert.equal(call.conditional, false);
  assert.deepEqual(call.keywords.install_requires.items.map((i) => i.value), ['a', 'late', 'b']);
  const tests = call.keywords.tests_require;
  assert.equal(tests.status, 'unresolved');
  assert.equal(tests.items[0]?.reason, 'call to helper() (defined at line 3) is evaluated only at run time');
});

test('nested functions and setup() in a conditionally defined function', () => {
  const src = [
    'from setuptools import setup',
    "top = ['t']",
    'def outer():',
    "    mid = ['m']",
    '    def inner():',
    '        setup(install_requires=top + mid)',
    '    inner()',
    'if x:',
    '    def cond():',
    '        setup(install_requires=top)',
  ].join('\n');
  const result = analyze(src);
  assert.deepEqual(result.calls.map((c) => [c.inFunction, c.conditional]), [['cond', true], ['inner', false]]);
  // A nested function sees module names only (as the oracle): `mid` is not followed.
  assert.equal(result.calls[1]!.keywords.install_requires.status, 'partial');
});

test('changes under if/for/while/try are conditional; the __main__ guard and with are not', () => {
  const src = [
    'import sys', //                                      1
    'from setuptools import setup', //                    2
    "reqs = ['always']", //                               3
    "if sys.platform == 'win32':", //                     4
    "    reqs.append('win')", //                          5
    'else:', //                                           6
    "    reqs.insert(0, 'first')", //                     7
    'for x in y:', //                                     8
    "    reqs.extend(['loop'])", //                       9
    'while False:', //                                   10
    "    reqs += ['w']", //                              11
    'try:', //                                           12
    "    reqs.append('tried')", //                       13
    'except ImportError:', //                            14
    "    reqs.append('handler')", //                     15
    "with open('f') as fh:", //                          16
    "    reqs.append('in-with')", //                     17
    'if __name__ == "__main__":', //                     18
    "    reqs.append('main')", //                        19
    '    setup(install_requires=reqs)', //               20
  ].join('\n');
  const result = firstCall(src).keywords.install_requires;
  assert.equal(result.status, 'resolved_conditional');
  assert.deepEqual(
    result.items.map((i) => [i.value, i.conditional, i.conditionLines]),
    [
      ['first', true, [4]],
      ['always', false, undefined],
      ['win', true, [4]],
      ['loop', true, [8]],
      ['w', true, [10]],
      ['tried', false, undefined],
      ['handler', true, [14]],
      ['in-with', false, undefined],
      ['main', false, undefined],
    ],
  );
});

test('conditional expressions give conditional items; a conditional assignment marks the whole list', () => {
  const src = [
    'import sys',
    'from setuptools import setup',
    'if sys.version_info < (3,):',
    "    reqs = ['futures']",
    "setup(install_requires=reqs + ['a' if x else 'b'], tests_require='p' if x else ['q', 'r'])",
  ].join('\n');
  const call = firstCall(src);
  assert.deepEqual(
    call.keywords.install_requires.items.map((i) => [i.value, i.conditionLines]),
    [['futures', [3]], ['a', [5]], ['b', [5]]],
  );
  assert.deepEqual(call.keywords.tests_require.items.map((i) => [i.value, i.conditional]), [['p', true], ['q', true], ['r', true]]);
  assert.equal(call.keywords.tests_require.status, 'resolved_conditional');
});

test('extras_require: subscript assignment, update(), dict(), markers in keys and key spans', () => {
  const src = [
    'import sys',
    'from setuptools import setup',
    "extras = {'a': ['x'], ':python_version<\"3\"': ['six']}",
    "extras['c'] = ['z']",
    "extras['a'].append('x2')",
    'if sys.version_info < (3,):',
    "    extras.update({'u': ['u1']}, k=['k1'])",
    "extras['all'] = extras['a'] + extras['c']",
    "setup(extras_require=extras, tests_require=dict(t=['q'])['t'])",
  ].join('\n');
  const call = firstCall(src);
  const extras = call.keywords.extras_require;
  assert.equal(extras.status, 'resolved_conditional');
  assert.deepEqual(
    extras.extras!.map((e) => [e.name, e.status, e.marker, e.items.map((i) => i.value), e.keySpan && src.slice(e.keySpan.start, e.keySpan.end)]),
    [
      ['a', 'resolved', undefined, ['x', 'x2'], "'a'"],
      [':python_version<"3"', 'resolved', 'python_version<"3"', ['six'], "':python_version<\"3\"'"],
      ['c', 'resolved', undefined, ['z'], "'c'"],
      ['u', 'resolved_conditional', undefined, ['u1'], "'u'"],
      ['k', 'resolved_conditional', undefined, ['k1'], undefined],
      ['all', 'resolved', undefined, ['x', 'x2', 'z'], "'all'"],
    ],
  );
  // The flat item list carries every extra's items, tagged with the extra.
  assert.deepEqual(extras.items.map((i) => i.extra), ['a', 'a', ':python_version<"3"', 'c', 'u', 'k', 'all', 'all', 'all']);
  assert.deepEqual(call.keywords.tests_require.items.map((i) => i.value), ['q']);
});

test('setup(**kwargs): known dicts are followed; unknown ones make missing keywords unknown', () => {
  const known = [
    'from setuptools import setup',
    "kw = dict(install_requires=['r1'])",
    "kw['extras_require'] = {'x': ['y']}",
    "kw2 = {'tests_require': ['t1'], 'setup_requires': 'sr'}",
    "setup(name='x', **kw, **kw2)",
  ].join('\n');
  const call = firstCall(known);
  assert.deepEqual(
    Object.values(call.keywords).map((k) => [k.keyword, k.status, k.items.map((i) => i.value)]),
    [
      ['install_requires', 'resolved', ['r1']],
      ['extras_require', 'resolved', ['y']],
      ['setup_requires', 'resolved', ['sr']],
      ['tests_require', 'resolved', ['t1']],
    ],
  );
  const e = call.keywords.install_requires.expressionSpan!;
  assert.equal(known.slice(e.start, e.end), "['r1']");

  const unknownSpread = "from setuptools import setup\nfrom cfg import params\nsetup(install_requires=['a'], **params)\n";
  const u = firstCall(unknownSpread);
  assert.equal(u.keywords.install_requires.status, 'resolved');
  assert.equal(u.keywords.tests_require.status, 'unknown');
  assert.deepEqual(u.unresolvedKwargs, ['params']);

  const absent = firstCall('from setuptools import setup\nsetup(name="x")\n');
  assert.ok(Object.values(absent.keywords).every((k) => k.status === 'absent' && k.items.length === 0));
});

test('every spelling of the setup() call is found, in source order', () => {
  const src = [
    'import setuptools, distutils.core',
    'if x:',
    "    setuptools.setup(install_requires=['a'])",
    'else:',
    "    distutils.core.setup(install_requires=['b'])",
    "setup(install_requires='c')",
    'class K:',
    '    def m(self):',
    "        setup(install_requires=['in-class-not-found'])",
    "lam = lambda: setup(install_requires=['in-lambda-not-found'])",
    "other.setup(install_requires=['not-setuptools'])",
  ].join('\n');
  const result = analyze(src);
  assert.deepEqual(
    result.calls.map((c) => [c.callee, c.conditional, c.keywords.install_requires.items.map((i) => i.value)]),
    [
      ['setuptools.setup', true, ['a']],
      ['distutils.core.setup', true, ['b']],
      ['setup', false, ['c']],
    ],
  );
  assert.equal(result.status, 'resolved');
  assert.equal(result.static, true);
});

// ---------------------------------------------------------------------------------------------
// Values only known at run time

test('f-strings, % formatting, file reads, comprehensions and calls are dynamic, with reasons', () => {
  const src = [
    'import os',
    'from setuptools import setup',
    "version = '1.0'",
    'def read(f):',
    '    return open(f).read()',
    'setup(install_requires=[',
    "    f'toga=={version}',",
    "    'x==%s' % version,",
    "    read('r.txt'),",
    "    os.environ['X'],",
    '    [a for a in b],',
    '    undefined,',
    '    *stuff,',
    "    'fine',",
    '])',
  ].join('\n');
  const result = firstCall(src).keywords.install_requires;
  assert.equal(result.status, 'partial');
  assert.deepEqual(
    result.items.map((i) => [i.kind, i.value, i.reason]),
    [
      ['dynamic', "f'toga=={version}'", 'f-string (formatted at run time)'],
      ['dynamic', "'x==%s' % version", "'%' string formatting"],
      ['dynamic', "read('r.txt')", 'call to read() (defined at line 4) is evaluated only at run time'],
      ['dynamic', "os.environ['X']", "lookup in os.environ, which is not static (attribute access)"],
      ['dynamic', '[a for a in b]', 'comprehension'],
      ['dynamic', 'undefined', "name 'undefined' is not bound to a value this script can follow"],
      ['dynamic', '*stuff', "name 'stuff' is not bound to a value this script can follow"],
      ['literal', "'fine'", undefined],
    ].map(([kind, text, reason]) => [kind, kind === 'literal' ? 'fine' : text, reason]),
  );
});

test('requirements read from a file: unresolved, and the analysis is not static', () => {
  const src = [
    'from setuptools import setup',
    "with open('requirements.txt') as f:",
    '    reqs = f.read().splitlines()',
    'setup(install_requires=reqs)',
  ].join('\n');
  const result = analyze(src);
  const ir = result.calls[0]!.keywords.install_requires;
  assert.equal(ir.status, 'unresolved');
  assert.equal(ir.items[0]?.reason, 'call to f.read().splitlines() is evaluated only at run time');
  assert.equal(result.status, 'unresolved');
  assert.equal(result.static, false);
});

test('no setup() call, and an empty file', () => {
  assert.deepEqual(analyze('import os\nprint(1)\n'), { calls: [], status: 'no_setup_call', static: false });
  assert.deepEqual(analyze(''), { calls: [], status: 'no_setup_call', static: false });
});

// ---------------------------------------------------------------------------------------------
// Syntax errors

function syntaxError(text: string): { message: string; line: number; column: number } {
  const result = analyze(text);
  assert.ok(result.syntaxError, 'expected a syntax error');
  assert.equal(result.calls.length, 0);
  assert.equal(result.status, 'syntax_error');
  const before = text.slice(0, result.syntaxError.span.start).split(/\r\n|\r|\n/);
  return { message: result.syntaxError.message, line: before.length, column: before[before.length - 1]!.length + 1 };
}

test('a file that is not Python is a syntax error with a position, not a crash', () => {
  const ppo = 'from setuptools import setup\n\ninstall_reqs = parse_requirements(<requirements_path>)\nsetup(install_requires=[])\n';
  assert.deepEqual(syntaxError(ppo), { message: 'invalid syntax', line: 3, column: 35 });
  assert.deepEqual(syntaxError('setup(install_requires=[\n'), { message: "'[' was never closed", line: 1, column: 24 });
  assert.deepEqual(syntaxError('x = "unterminated\n'), { message: 'unterminated string literal (detected at line 1)', line: 1, column: 5 });
  assert.deepEqual(syntaxError('x = """never\nclosed\n'), {
    message: 'unterminated triple-quoted string literal (detected at line 2)',
    line: 1,
    column: 5,
  });
  assert.equal(syntaxError('if x:\nsetup()\n').message, "expected an indented block after 'if' statement on line 1");
  assert.equal(syntaxError('x = 1\n  y = 2\n').message, 'unexpected indent');
  assert.equal(syntaxError('if x:\n    a = 1\n  b = 2\n').message, 'unindent does not match any outer indentation level');
  assert.equal(syntaxError('if x:\n\ta = 1\n        b = 2\n').message, 'inconsistent use of tabs and spaces in indentation');
  assert.equal(syntaxError('x = (1, 2]\n').message, "closing parenthesis ']' does not match opening parenthesis '('");
  assert.equal(syntaxError("x = '\\x4'\n").message, '(unicode error) truncated \\xXX escape');
  assert.equal(syntaxError("x = 'a' b'c'\n").message, 'cannot mix bytes and nonbytes literals');
  assert.equal(syntaxError('x = f"{}"\n').message, 'f-string: empty expression not allowed');
  assert.equal(syntaxError('x = f"{a!z}"\n').message, "f-string: invalid conversion character: expected 's', 'r', or 'a'");
  assert.equal(syntaxError('x = 0777\n').message.startsWith('leading zeros'), true);
  assert.equal(syntaxError('f(a=1, b)\n').message, 'positional argument follows keyword argument');
  assert.equal(syntaxError('def f(a=1, b): pass\n').message, 'non-default argument follows default argument');
  assert.equal(syntaxError('f() = 1\n').message, 'cannot assign to function call');
  assert.equal(syntaxError('x = [a b]\n').message, 'invalid syntax. Perhaps you forgot a comma?');
  assert.equal(syntaxError('print "hello"\n').message, "Missing parentheses in call to 'print'. Did you mean print(...)?");
  assert.equal(syntaxError('x = 1 \\ 2\n').message, 'unexpected character after line continuation character');
  assert.equal(syntaxError('x = a ? b\n').message, 'invalid syntax');
  assert.equal(syntaxError('x = ¿\n').message, "invalid character '¿' (U+00BF)");
  assert.equal(syntaxError('try:\n    pass\nx = 1\n').message, "expected 'except' or 'finally' block");
  // A grammar error early, a tokenizer error later: CPython reports the tokenizer's.
  assert.equal(syntaxError('x = = 1\ny = "open\n').message, 'unterminated string literal (detected at line 2)');
});

test('valid modern syntax is accepted', () => {
  const src = [
    'from setuptools import setup',
    'async def f():',
    '    async with a as b, c as (d, e):',
    '        await b',
    '    async for x in y:',
    '        yield x',
    '@decorator(arg)',
    'def g(a, /, b=1, *args, c, d=2, **kw) -> int:',
    '    global q',
    '    return (yield)',
    'class C(Base, metaclass=M):',
    '    x: int = 1',
    'match command.split():',
    '    case ["go", direction] | ["move", direction] if direction:',
    '        pass',
    '    case {"k": 1, **rest}:',
    '        pass',
    '    case Point(x=0, y=-1.5j) as p:',
    "        setup(install_requires=['in-match'])",
    '    case _:',
    '        pass',
    'match = 1',
    'x = [i for i in range(3) if i if not i]',
    'y = {k: v for k, v in z.items()}',
    'w = (q := 10)',
    'with (open(a) as b, open(c) as d):',
    '    pass',
    'try:',
    '    pass',
    'except* ValueError:',
    '    pass',
    'lam = lambda *a, b=1, **k: a[1:2, ::3]',
    'n = 1_000 + 0x_ff + 0o17 + 0b1 + 1.5e-3 + 2j + .5',
    'raise SystemExit from None',
  ].join('\n');
  const result = analyze(src);
  assert.equal(result.syntaxError, undefined, result.syntaxError?.message);
  // setup() inside a match case is found (with the surrounding conditions, as the oracle).
  assert.deepEqual(result.calls.map((c) => c.keywords.install_requires.items.map((i) => i.value)), [['in-match']]);
});

// ---------------------------------------------------------------------------------------------
// Unicode offsets

test('spans are UTF-16 offsets, also after non-BMP characters', () => {
  const src = '# 😀 中文 é\nfrom setuptools import setup\nx = "😀😀"\nsetup(install_requires=[\'a😀b\', "ü", x + \'é\', \'c\\u00e9\'], extras_require={\'😀\': [\'ü\']})\n';
  const call = firstCall(src);
  const got = call.keywords.install_requires.items.map((i) => seen(src, i));
  assert.deepEqual(got, [
    lit('a😀b', "'a😀b'", 'a😀b'),
    lit('ü', '"ü"', 'ü'),
    { value: '😀😀é', kind: 'computed', text: "x + 'é'", conditional: false },
    lit('cé', "'c\\u00e9'"),
  ]);
  const first = call.keywords.install_requires.items[0]!;
  assert.equal(first.span.start, src.indexOf("'a😀b'"));
  assert.equal(first.span.end - first.span.start, 6); // quote, a, surrogate pair, b, quote
  const extra = call.keywords.extras_require.extras![0]!;
  assert.equal(extra.name, '😀');
  assert.equal(src.slice(extra.keySpan!.start, extra.keySpan!.end), "'😀'");
});

test('a byte order mark is skipped', () => {
  const src = '\ufefffrom setuptools import setup\nsetup(install_requires=["a"])\n';
  const [item] = items(src);
  assert.equal(item?.text, '"a"');
});

test('non-ASCII identifiers are NFKC-normalized like Python (ｓetup is setup)', () => {
  const src = 'from setuptools import setup\nｓetup(install_requires=["a"])\n';
  assert.deepEqual(items(src).map((i) => i.value), ['a']);
});

// ---------------------------------------------------------------------------------------------
// Robustness

/** Small deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEEDS = [
  "from setuptools import setup\nreqs = ['a', \"b\" 'c', r'''d\\e''', f'{x}']\nif x:\n    reqs.append('e')\nsetup(install_requires=reqs, extras_require={'x': ['y'], **other}, **kw)\n",
  'def main():\n    setup(install_requires="""\nfoo\nbar # c\n""".splitlines(), tests_require=dict(a=1)["a"])\nif __name__ == "__main__":\n    main()\n',
  'match x:\n case [1, *r] | {"a": 1, **k} if r:\n  setup(install_requires=[*a, b"x", 1 if 2 else 3, lambda: (yield)])\n',
  "async def f(a, /, b=1, *c, d, **e) -> int:\n\tasync with a as (b, c):\n\t\tawait x ** -y @ z // w\nx = f'{a!r:>{w}}' '\\N{EM DASH}' \\\n + 1_000j\n",
  'try:\n  import x\nexcept* (A, B) as e:\n  pass\nelse:\n  pass\nfinally:\n  del a[1:2, ::3], b.c\n',
];
const SNIPPETS = [
  '(', ')', '[', ']', '{', '}', ',', ':', '\n', '\r\n', '\r', '\\\n', '\\', '"', "'", '"""', "'''", '#', ' ', '\t', '    ',
  'if x:\n', 'else:\n', '=', '+=', '*', '**', 'lambda', 'f"{', 'rb"', '.', ';', 'é', '😀', '\ud800', '\u0000', '\ufeff',
  'setup(', 'install_requires=', '**kw', '0x', '1_', '.5', 'j', '!', '$', '`', 'match ', 'case ', 'async ', 'await ',
  'yield ', 'def f():\n', 'class C:\n', '@d\n', 'try:\n', 'except:\n', '\\N{', '}', '{x!r}', ':=', '->', '...',
];

test('never throws, and every span stays inside the text, on mutated and random input', () => {
  const rand = prng(0x5e7a9);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const inputs: string[] = [];
  for (let n = 0; n < 1500; n++) {
    let s = pick(SEEDS);
    const edits = 1 + Math.floor(rand() * 4);
    for (let e = 0; e < edits; e++) {
      const i = Math.floor(rand() * (s.length + 1));
      const r = rand();
      if (r < 0.35) s = s.slice(0, i) + s.slice(Math.min(s.length, i + 1 + Math.floor(rand() * 6)));
      else if (r < 0.8) s = s.slice(0, i) + pick(SNIPPETS) + s.slice(i);
      else {
        const j = Math.floor(rand() * (s.length + 1));
        s = s.slice(0, Math.min(i, j)) + s.slice(Math.min(i, j), Math.max(i, j)).split('').reverse().join('') + s.slice(Math.max(i, j));
      }
    }
    inputs.push(s);
  }
  for (let n = 0; n < 300; n++) {
    let s = '';
    const len = Math.floor(rand() * 80);
    for (let k = 0; k < len; k++) s += rand() < 0.7 ? pick(SNIPPETS) : String.fromCharCode(Math.floor(rand() * 0x3000));
    inputs.push(s);
  }
  // Deep nesting must not exhaust the stack.
  inputs.push('x = ' + '('.repeat(500) + ')'.repeat(500));
  inputs.push('x = ' + '-'.repeat(5000) + '1');
  inputs.push('x = ' + 'not '.repeat(3000) + 'y');
  inputs.push('from setuptools import setup\nsetup(install_requires=' + Array(5000).fill("'a'").join(' + ') + ')\n');
  inputs.push('x = ' + 'lambda: '.repeat(2000) + '1');
  inputs.push('if 1:\n' + Array.from({ length: 120 }, (_, k) => ' '.repeat(k + 1) + 'if 1:\n').join(''));

  for (const input of inputs) {
    let result: SetupPyAnalysis;
    try {
      result = analyzeSetupPy(input);
    } catch (e) {
      assert.fail(`analyzeSetupPy threw ${String(e)} on ${JSON.stringify(input)}`);
    }
    assert.equal(result.internalError, undefined, `internal error on ${JSON.stringify(input)}`);
    const spans = [
      ...(result.syntaxError ? [result.syntaxError.span] : []),
      ...result.calls.flatMap((c) => [
        c.span,
        ...Object.values(c.keywords).flatMap((k) => [
          ...(k.expressionSpan ? [k.expressionSpan] : []),
          ...k.items.flatMap((i) => [i.span, ...(i.contentSpan ? [i.contentSpan] : [])]),
        ]),
      ]),
    ];
    for (const sp of spans) {
      assert.ok(0 <= sp.start && sp.start <= sp.end && sp.end <= input.length, `span ${JSON.stringify(sp)} outside ${JSON.stringify(input)}`);
    }
  }
  // The deep `+` chain is still understood up to the evaluator's depth limit, then reported as dynamic.
  const deep = analyzeSetupPy(inputs[inputs.length - 3]!);
  assert.equal(deep.calls.length, 1);
});

// ---------------------------------------------------------------------------------------------
// Hostile input: sizes no real setup.py has must give answers, never a throw.

test('hostile: 150,000 statements on one line and 150,000 f-string fields parse', () => {
  // `body.push(...statements)` overflowed the stack and came back as a bogus syntax error.
  const statements = analyze('x = 1; '.repeat(150_000) + 'setup(install_requires=["a"])\n');
  assert.equal(statements.syntaxError, undefined);
  assert.equal(statements.status, 'resolved');
  const fstring = analyze('x = f"' + '{a}'.repeat(150_000) + '"\nsetup(install_requires=["a"])\n');
  assert.equal(fstring.syntaxError, undefined);
  assert.equal(fstring.status, 'resolved');
});

test('hostile: splicing a 150,000-item list is not a crash', () => {
  // `entries.push(...items)` threw RangeError: the analysis came back empty, as an internal error.
  const big = '[' + '"b",'.repeat(150_000) + ']';
  for (const text of [`r = ${big}\nsetup(install_requires=[*r])\n`, `r = []\nr.extend(${big})\nsetup(install_requires=r)\n`]) {
    const result = analyze(text);
    assert.equal(result.calls.length, 1);
  }
});

test('a number prefix at the end of the file is an error inside the text, where CPython puts it', () => {
  for (const [text, message] of [['x = 0x', 'invalid hexadecimal literal'], ['x = 0b', 'invalid binary literal'], ['x = 0o', 'invalid octal literal']]) {
    const result = analyze(text);
    assert.ok(result.syntaxError && result.syntaxError.span.end <= text.length, `${text}: ${JSON.stringify(result.syntaxError)}`);
    // CPython: offset 6, the prefix letter.
    assert.deepEqual(syntaxError(text), { message, line: 1, column: 6 });
  }
  assert.deepEqual(syntaxError('x = 0x\ny = 1\n'), { message: 'invalid hexadecimal literal', line: 1, column: 6 });
  assert.deepEqual(syntaxError('x = 0x__1\n'), { message: 'invalid hexadecimal literal', line: 1, column: 7 });
  assert.deepEqual(syntaxError('x = 0b1_\n'), { message: 'invalid binary literal', line: 1, column: 8 });
});

/** The install_requires of the only setup() call: its status and its single dynamic item's reason. */
function tooLarge(text: string): { status: string; reasons: string[] } {
  const keyword = firstCall(text).keywords.install_requires;
  return { status: keyword.status, reasons: keyword.items.map((item) => `${item.kind}: ${item.reason ?? ''}`) };
}

test('hostile: a list doubled 26 times is too large to evaluate statically, not 67 million items', () => {
  // 335 bytes: exponential before (2 GB at 22 lines, out of memory at 26).
  const text = 'r = ["a"]\n' + 'r = r + r\n'.repeat(26) + 'setup(install_requires=r)\n';
  assert.deepEqual(tooLarge(text), { status: 'unresolved', reasons: ['dynamic: too large to evaluate statically: a list of more than 100,000 items'] });
  // Every way of growing a list in place or by copying stops at the same size.
  for (const grow of ['r.extend(r)', 'r += r', 'r = [*r, *r]', 'r = r if x else r', 'r.append(r)\nr.extend(r)', 'r.insert(0, r)\nr = r + r']) {
    const result = tooLarge('r = ["a"]\n' + `${grow}\n`.repeat(26) + 'setup(install_requires=r)\n');
    assert.ok(result.reasons.some((reason) => reason.startsWith('dynamic: too large to evaluate statically')), `${grow}: ${JSON.stringify(result)}`);
  }
});

test('hostile: a string doubled 30 times is too large to evaluate statically', () => {
  for (const use of ['s', 's.split()', '[s]']) {
    const text = 's = "a\\n"\n' + 's = s + s\n'.repeat(30) + `setup(install_requires=${use})\n`;
    assert.deepEqual(tooLarge(text), { status: 'unresolved', reasons: ['dynamic: too large to evaluate statically: a string of more than 1,000,000 characters'] }, use);
  }
});

test('hostile: copying a 50,000-item list again and again stops at the step limit', () => {
  const text = 'r = [' + '"a",'.repeat(50_000) + ']\n' + 'x = r\n'.repeat(200) + 'setup(install_requires=r)\n';
  assert.deepEqual(tooLarge(text), { status: 'unresolved', reasons: ['dynamic: too large to evaluate statically: more than 500,000 steps'] });
});

test('hostile: dicts nested 20,000 deep and dicts doubled 30 times are evaluated to a limit, not a crash', () => {
  const nested = analyze('d = {}\n' + 'd = {"a": d}\n'.repeat(20_000) + 'setup(install_requires=["x"], **d)\n');
  assert.equal(nested.status, 'resolved');
  const doubled = firstCall('d = {"all": ["a"]}\n' + 'd = {"x": d, "y": d}\n'.repeat(30) + 'setup(extras_require=d)\n');
  assert.equal(doubled.keywords.extras_require.status, 'unresolved');
  assert.match(doubled.keywords.extras_require.reason ?? '', /^too large to evaluate statically/);
});
