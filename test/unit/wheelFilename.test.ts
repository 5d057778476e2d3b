// parseWheelFilename reads a wheel's name part by part; pip's own pattern (pip/_internal/models/wheel.py,
// as JavaScript reads it) is the judge, over names built from the parts that make it hesitate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWheelFilename } from '../../server/src/parser/links';

const PIP_WHEEL_FILE_RE = /^(?<namever>(?<name>[^\s-]+?)-(?<ver>[^\s-]*?))((-(?<build>\d[^-]*?))?-(?<pyver>[^\s-]+?)-(?<abi>[^\s-]+?)-(?<plat>[^\s-]+?)\.whl|\.dist-info)$/;

function byPipPattern(filename: string) {
  const groups = PIP_WHEEL_FILE_RE.exec(filename)?.groups;
  if (!groups || groups.pyver === undefined) return undefined;
  return { name: groups.name.replace(/_/g, '-'), version: groups.ver.replace(/_/g, '-'), build: groups.build, pythonTags: groups.pyver.split('.'), abiTags: groups.abi.split('.'), platformTags: groups.plat.split('.') };
}

test('wheel file names are read as pip reads them, the odd ones included', () => {
  const pieces = ['', 'six', 'Foo_Bar.baz', '1.0', '1_0', '2', '2x', '3 a', 'py3', 'py2.py3', 'none', 'any', 'manylinux1_x86_64.linux_x86_64', ' ', 'a\tb', '\u00a0', 'any.whl', '.whl'];
  const names = new Set<string>(['six-1.16.0-py2.py3-none-any.whl', 'a-1-1-py3-none-any.whl', 'a-1.dist-info', 'a-1-py3-none-any.WHL', 'a-1-py3-none-any.whl\n', '-1-py3-none-any.whl', 'a--py3-none-any.whl', 'a-1-py3-none-.whl', '.whl', '']);
  // Every name of 3 to 7 parts over a few pieces, cycled so that each piece lands in each place.
  let count = 0;
  for (let parts = 3; parts <= 7; parts++) {
    for (let offset = 0; offset < pieces.length; offset++) {
      for (let stride = 1; stride < pieces.length; stride += 2) {
        names.add(`${Array.from({ length: parts }, (_, i) => pieces[(offset + i * stride) % pieces.length]).join('-')}.whl`);
        count++;
      }
    }
  }
  let valid = 0;
  for (const name of names) {
    const expected = byPipPattern(name);
    if (expected) valid++;
    assert.deepEqual(parseWheelFilename(name), expected, JSON.stringify(name));
  }
  assert.ok(count > 400 && valid > 30 && valid < names.size - 30, `${valid} of ${names.size} names valid: both kinds are tried`);
});
