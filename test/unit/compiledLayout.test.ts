import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCompiledBlock, formatCompiledEntry, viaLines } from '../../server/src/pip/compiledLayout';
import { parseRequirementsFile } from '../../server/src/parser/requirementsFile';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

test("one parent is written on the # via line, several one per line (pip-compile's layout)", () => {
  assert.deepEqual(viaLines([]), []);
  assert.deepEqual(viaLines(['django']), ['    # via django']);
  assert.deepEqual(viaLines(['-r requirements.in', 'django', 'django']), ['    # via', '    #   -r requirements.in', '    #   django']);
});

test('an entry: canonical name, sorted extras, the pin, the marker, sorted lower-case hashes, then # via', () => {
  const text = formatCompiledEntry({ name: 'Typing_Extensions', extras: ['b', 'a'], version: '4.12.2', marker: 'python_version < "3.11"', sha256: [B, A.toUpperCase()], via: ['asgiref'] }, '\n');
  assert.equal(text, `typing-extensions[a,b]==4.12.2 ; python_version < "3.11" \\\n    --hash=sha256:${A} \\\n    --hash=sha256:${B}\n    # via asgiref`);
});

test('a block is sorted by canonical name, keeps CRLF, and pip reads every entry with its hashes', () => {
  const block = formatCompiledBlock(
    [
      { name: 'sqlparse', version: '0.5.3', sha256: [A], via: ['django'] },
      { name: 'asgiref', version: '3.8.1', sha256: [A, B], via: ['django', '-r requirements.in'] },
    ],
    '\r\n',
  );
  assert.ok(block.startsWith('asgiref==3.8.1 \\\r\n'));
  assert.ok(block.endsWith('# via django\r\n'));
  assert.ok(!/[^\r]\n/.test(block), 'every line break is CRLF');
  const parsed = parseRequirementsFile(block);
  assert.deepEqual(parsed.problems, []);
  const entries = parsed.entries.filter((entry) => entry.kind === 'requirement');
  assert.deepEqual(
    entries.map((entry) => [entry.name, entry.hashes.length]),
    [['asgiref', 2], ['sqlparse', 1]],
  );
});
