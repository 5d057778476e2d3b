// PEP 440 specifiers as packaging 26.2 evaluates them (pip/specifiers.ts). The cases are those of
// test/tools/marker_oracle.py; the answers below were recorded from it (packaging 26.2), so a
// change of behaviour here is a departure from pip's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSpecifier, parseSpecifierSet } from '../../server/src/parser/pep508';
import { clauseAllowsPrereleases, clauseContains, filterVersions, specifiersContain } from '../../server/src/pip/specifiers';

const VERSIONS = [
  "1.0", "1.0.0", "1.0a1", "1.0b2", "1.0rc1", "1.0.dev0",
  "1.0.post1", "1.0.post1.dev1", "1.0+local.7", "1.1", "1.1a1", "1.9",
  "2.0", "2.0.dev1", "2.0rc1", "2.0.post2", "0.9", "1!0.5",
  "3.11.7", "3.11", "3.12.0b1", "not-a-version", "1.0-1", "V1.0",
  " 1.0 ",
];

const SET_ITEMS = [
  ["1.0", "1.1a1", "2.0rc1"], ["1.0a1", "1.0b2"],
  ["1.0", "2.0"], ["2.0.dev1", "1.9"],
  ["not-a-version", "1.0"], ["not-a-version", "1.1a1"],
  ["2.0rc1", "2.0.post2"],
];

// Recorded from test/tools/marker_oracle.py (packaging 26.2).
const SPECIFIER_ANSWERS: Record<string, { prereleases: boolean | null; contains: string; pre: string; final: string }> = {
  "==1.0": { prereleases: false, contains: 'TTFFFFFFTFFFFFFFFFFFFFFTT', pre: 'TTFFFFFFTFFFFFFFFFFFFFFTT', final: 'TTFFFFFFTFFFFFFFFFFFFFFTT' },
  "==1": { prereleases: false, contains: 'TTFFFFFFTFFFFFFFFFFFFFFTT', pre: 'TTFFFFFFTFFFFFFFFFFFFFFTT', final: 'TTFFFFFFTFFFFFFFFFFFFFFTT' },
  "==1.0.*": { prereleases: false, contains: 'TTTTTTTTTFFFFFFFFFFFFFTTT', pre: 'TTTTTTTTTFFFFFFFFFFFFFTTT', final: 'TTFFFFTFTFFFFFFFFFFFFFTTT' },
  "==1.*": { prereleases: false, contains: 'TTTTTTTTTTTTFFFFFFFFFFTTT', pre: 'TTTTTTTTTTTTFFFFFFFFFFTTT', final: 'TTFFFFTFTTFTFFFFFFFFFFTTT' },
  "==1.0a1": { prereleases: true, contains: 'FFTFFFFFFFFFFFFFFFFFFFFFF', pre: 'FFTFFFFFFFFFFFFFFFFFFFFFF', final: 'FFFFFFFFFFFFFFFFFFFFFFFFF' },
  "==1.0+local.7": { prereleases: false, contains: 'FFFFFFFFTFFFFFFFFFFFFFFFF', pre: 'FFFFFFFFTFFFFFFFFFFFFFFFF', final: 'FFFFFFFFTFFFFFFFFFFFFFFFF' },
  "!=1.0": { prereleases: false, contains: 'FFTTTTTTFTTTTTTTTTTTTFTFF', pre: 'FFTTTTTTFTTTTTTTTTTTTFTFF', final: 'FFFFFFTFFTFTTFFTTTTTFFTFF' },
  "!=1.0.*": { prereleases: false, contains: 'FFFFFFFFFTTTTTTTTTTTTFFFF', pre: 'FFFFFFFFFTTTTTTTTTTTTFFFF', final: 'FFFFFFFFFTFTTFFTTTTTFFFFF' },
  "<2.0": { prereleases: false, contains: 'TTTTTTTTTTTTFFFFTFFFFFTTT', pre: 'TTTTTTTTTTTTFFFFTFFFFFTTT', final: 'TTFFFFTFTTFTFFFFTFFFFFTTT' },
  "<2.0rc1": { prereleases: true, contains: 'TTTTTTTTTTTTFTFFTFFFFFTTT', pre: 'TTTTTTTTTTTTFTFFTFFFFFTTT', final: 'TTFFFFTFTTFTFFFFTFFFFFTTT' },
  "<=1.0": { prereleases: false, contains: 'TTTTTTFFTFFFFFFFTFFFFFFTT', pre: 'TTTTTTFFTFFFFFFFTFFFFFFTT', final: 'TTFFFFFFTFFFFFFFTFFFFFFTT' },
  ">1.0": { prereleases: false, contains: 'FFFFFFFFFTTTTTTTFTTTTFFFF', pre: 'FFFFFFFFFTTTTTTTFTTTTFFFF', final: 'FFFFFFFFFTFTTFFTFTTTFFFFF' },
  ">1.0.post1": { prereleases: false, contains: 'FFFFFFFFFTTTTTTTFTTTTFFFF', pre: 'FFFFFFFFFTTTTTTTFTTTTFFFF', final: 'FFFFFFFFFTFTTFFTFTTTFFFFF' },
  ">1.0a1": { prereleases: true, contains: 'TTFTTFTTTTTTTTTTFTTTTFTTT', pre: 'TTFTTFTTTTTTTTTTFTTTTFTTT', final: 'TTFFFFTFTTFTTFFTFTTTFFTTT' },
  ">=1.0": { prereleases: false, contains: 'TTFFFFTTTTTTTTTTFTTTTFTTT', pre: 'TTFFFFTTTTTTTTTTFTTTTFTTT', final: 'TTFFFFTFTTFTTFFTFTTTFFTTT' },
  ">=1.0a1": { prereleases: true, contains: 'TTTTTFTTTTTTTTTTFTTTTFTTT', pre: 'TTTTTFTTTTTTTTTTFTTTTFTTT', final: 'TTFFFFTFTTFTTFFTFTTTFFTTT' },
  "~=1.0": { prereleases: false, contains: 'TTFFFFTTTTTTFFFFFFFFFFTTT', pre: 'TTFFFFTTTTTTFFFFFFFFFFTTT', final: 'TTFFFFTFTTFTFFFFFFFFFFTTT' },
  "~=1.0.0": { prereleases: false, contains: 'TTFFFFTTTFFFFFFFFFFFFFTTT', pre: 'TTFFFFTTTFFFFFFFFFFFFFTTT', final: 'TTFFFFTFTFFFFFFFFFFFFFTTT' },
  "~=1.0a1": { prereleases: true, contains: 'TTTTTFTTTTTTFFFFFFFFFFTTT', pre: 'TTTTTFTTTTTTFFFFFFFFFFTTT', final: 'TTFFFFTFTTFTFFFFFFFFFFTTT' },
  "~=1!0.5": { prereleases: false, contains: 'FFFFFFFFFFFFFFFFFTFFFFFFF', pre: 'FFFFFFFFFFFFFFFFFTFFFFFFF', final: 'FFFFFFFFFFFFFFFFFTFFFFFFF' },
  "===1.0": { prereleases: false, contains: 'TFFFFFFFFFFFFFFFFFFFFFFFF', pre: 'TFFFFFFFFFFFFFFFFFFFFFFFF', final: 'TFFFFFFFFFFFFFFFFFFFFFFFF' },
  "===not-a-version": { prereleases: null, contains: 'FFFFFFFFFFFFFFFFFFFFFTFFF', pre: 'FFFFFFFFFFFFFFFFFFFFFTFFF', final: 'FFFFFFFFFFFFFFFFFFFFFTFFF' },
  "===1.0.0": { prereleases: false, contains: 'FTFFFFFFFFFFFFFFFFFFFFFFF', pre: 'FTFFFFFFFFFFFFFFFFFFFFFFF', final: 'FTFFFFFFFFFFFFFFFFFFFFFFF' },
  "==1!0.*": { prereleases: false, contains: 'FFFFFFFFFFFFFFFFFTFFFFFFF', pre: 'FFFFFFFFFFFFFFFFFTFFFFFFF', final: 'FFFFFFFFFFFFFFFFFTFFFFFFF' },
  "<3.12": { prereleases: false, contains: 'TTTTTTTTTTTTTTTTTFTTFFTTT', pre: 'TTTTTTTTTTTTTTTTTFTTFFTTT', final: 'TTFFFFTFTTFTTFFTTFTTFFTTT' },
  ">=3.11": { prereleases: false, contains: 'FFFFFFFFFFFFFFFFFTTTTFFFF', pre: 'FFFFFFFFFFFFFFFFFTTTTFFFF', final: 'FFFFFFFFFFFFFFFFFTTTFFFFF' },
  "==3.11.*": { prereleases: false, contains: 'FFFFFFFFFFFFFFFFFFTTFFFFF', pre: 'FFFFFFFFFFFFFFFFFFTTFFFFF', final: 'FFFFFFFFFFFFFFFFFFTTFFFFF' },
};
/** Per set, per item list: the indexes kept by filter() with prereleases None / True / False. */
const SET_ANSWERS: Record<string, string[]> = {
  "": ["0/012/0", "01/01/", "01/01/01", "1/01/1", "01/01/01", "01/01/0", "1/01/1"],
  ">=1.0": ["0/012/0", "//", "01/01/01", "1/01/1", "1/1/1", "1/1/", "1/01/1"],
  ">=1.0,<2.0": ["0/01/0", "//", "0/0/0", "1/1/1", "1/1/1", "1/1/", "//"],
  ">=1.0a1": ["012/012/0", "01/01/", "01/01/01", "01/01/1", "1/1/1", "1/1/", "01/01/1"],
  "!=1.0": ["12/12/", "01/01/", "1/1/1", "1/01/1", "//", "1/1/", "1/01/1"],
  "<2.0rc1": ["01/01/0", "01/01/", "0/0/0", "01/01/1", "1/1/1", "1/1/", "//"],
  "==1.0a1": ["//", "0/0/", "//", "//", "//", "//", "//"],
  "~=1.0": ["0/01/0", "//", "0/0/0", "1/1/1", "1/1/1", "1/1/", "//"],
  ">=1.0,!=2.0.post2": ["0/012/0", "//", "01/01/01", "1/01/1", "1/1/1", "1/1/", "0/0/"],
  "===1.0": ["0/0/0", "//", "0/0/0", "//", "1/1/1", "//", "//"],
  ">=2.0": ["//", "//", "1/1/1", "//", "//", "//", "1/1/1"],
  ">=5": ["//", "//", "//", "//", "//", "//", "//"],
};

const verdict = (value: boolean) => (value ? 'T' : 'F');

test('each clause contains what packaging says it contains, with prereleases None, True and False', () => {
  for (const [text, expected] of Object.entries(SPECIFIER_ANSWERS)) {
    const clause = parseSpecifier(text);
    assert.ok(clause, text);
    assert.equal(clauseAllowsPrereleases(clause) ?? null, expected.prereleases, `${text}: prereleases`);
    assert.equal(VERSIONS.map((v) => verdict(clauseContains(clause, v))).join(''), expected.contains, `${text}: contains`);
    assert.equal(VERSIONS.map((v) => verdict(clauseContains(clause, v, true))).join(''), expected.pre, `${text}: contains(prereleases=True)`);
    assert.equal(VERSIONS.map((v) => verdict(clauseContains(clause, v, false))).join(''), expected.final, `${text}: contains(prereleases=False)`);
  }
});

test('a set filters as packaging does: pre-releases when asked, when a clause names one, or when no final matches', () => {
  for (const [text, expected] of Object.entries(SET_ANSWERS)) {
    const clauses = parseSpecifierSet(text);
    assert.ok(clauses, text);
    const actual = SET_ITEMS.map((items) =>
      [undefined, true, false].map((prereleases) => filterVersions(clauses, items, (v) => v, prereleases).map((v) => items.indexOf(v)).join('')).join('/'),
    );
    assert.deepEqual(actual, expected, text);
  }
});

test('a set contains a single pre-release unless pre-releases are refused', () => {
  const clauses = parseSpecifierSet('>=1.0')!;
  assert.equal(specifiersContain(clauses, '2.0b1'), true);
  assert.equal(specifiersContain(clauses, '2.0b1', false), false);
  assert.equal(specifiersContain(clauses, '0.9'), false);
  assert.equal(specifiersContain([], 'anything'), true);
});

test('parseSpecifierSet refuses what packaging refuses', () => {
  assert.deepEqual(parseSpecifierSet(' >= 1.0 , , <2 ')?.map((c) => c.text), ['>=1.0', '<2']);
  assert.equal(parseSpecifierSet('>=1.0;'), undefined);
  assert.equal(parseSpecifierSet('~=1'), undefined);
  assert.equal(parseSpecifierSet('>=1.0+local'), undefined);
  assert.deepEqual(parseSpecifierSet(''), []);
});
