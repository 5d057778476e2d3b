// pip/versions.ts judges a specifier clause by clause (each clause's verdict kept) instead of
// handing the whole specifier to @renovatebot/pep440 for every version: the answers must be the
// library's, for valid, invalid, repeated and pre-release clauses alike, and a specifier of
// thousands of clauses must cost about one clause per distinct clause.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import * as pep440 from '@renovatebot/pep440';
import { filter, satisfies, validRange } from '../../server/src/pip/versions';
import { Random } from '../helpers/fuzz';

const CLAUSES = [
  '>=1.0', '<2', '<2.0.0', '==1.5', '==1.*', '!=1.5', '!=1.*', '~=1.4', '~=1', '~=1.4.2', '>1.0', '>=2.0rc1', '<3.0a1', '===1.5', '===foo',
  '==1.0+local', '>=1.0+local', '<=1.9', '== 1.5', '>= 1.0 ', '', ' ', 'bogus', '==1.*.0', '==1!2.0', '>=0.dev0', '<1.0.post1',
];
const VERSIONS = ['0.9', '1.0', '1.0.post1', '1.4', '1.4.2', '1.5', '1.5+cpu', '1.6.dev1', '2.0rc1', '2.0', '2.1', '1!2.0', '3.0a1', 'foo', '1.5.0'];

function randomSpecifier(random: Random): string {
  const count = 1 + random.int(4);
  return Array.from({ length: count }, () => random.pick(CLAUSES)).join(random.chance(0.8) ? ',' : ', ');
}

/** The library's answer, or the error it throws. */
function library<T>(run: () => T): T | string {
  try {
    return run();
  } catch (error) {
    return `throws ${(error as Error).name}`;
  }
}

test('validRange, filter and satisfies give the library\'s answers on random specifiers', () => {
  const random = new Random(440);
  for (let i = 0; i < 500; i++) {
    const specifier = randomSpecifier(random);
    assert.equal(validRange(specifier), pep440.validRange(specifier), `validRange(${JSON.stringify(specifier)})`);
    const versions = VERSIONS.filter(() => random.chance(0.6));
    for (const options of [{}, { prereleases: true }, { prereleases: false }]) {
      const context = `${JSON.stringify(specifier)} ${JSON.stringify(options)} ${versions.join(' ')}`;
      assert.deepEqual(library(() => filter(versions, specifier, options)), library(() => pep440.filter(versions, specifier, options)), `filter ${context}`);
      for (const version of versions) {
        assert.equal(library(() => satisfies(version, specifier, options)), library(() => pep440.satisfies(version, specifier, options)), `satisfies ${version} ${context}`);
      }
    }
  }
});

test('a specifier of 5,000 clauses is read once per distinct clause', () => {
  const specifier = `${'>=1,'.repeat(5000)}<2`;
  const versions = Array.from({ length: 200 }, (_, i) => `1.${i}`);
  const started = performance.now();
  for (let i = 0; i < 20; i++) {
    assert.equal(validRange(specifier), true);
    assert.equal(filter(versions, specifier).length, 200);
  }
  // The library alone takes about a second for this; the bound leaves room for a loaded machine.
  assert.ok(performance.now() - started < 500, `${(performance.now() - started).toFixed(0)} ms`);
});
