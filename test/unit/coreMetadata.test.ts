// Core metadata files read as Python's email parser reads them (parser/coreMetadata), and pip's
// rules on top (pip/metadata): decoding, the fields the resolver needs, the file they belong to,
// and whether an sdist's dependencies are static.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldValue, fieldValues, MAX_METADATA_FIELDS, parseCoreMetadata } from '../../server/src/parser/coreMetadata';
import { metadataMismatch, readCoreMetadata, sdistDependenciesUnknown, type CoreMetadata } from '../../server/src/pip/metadata';
import { METADATA_CASES } from '../helpers/coreMetadataCases';

for (const { name, text, fields, problems } of METADATA_CASES) {
  test(`email parser: ${name}`, () => {
    const parsed = parseCoreMetadata(text);
    assert.deepEqual(parsed.fields.map((field) => [field.name, field.value]), fields);
    assert.deepEqual(parsed.problems.map((problem) => problem.code), problems);
    for (const field of parsed.fields) {
      assert.ok(text.startsWith(field.name, field.span.start), 'a field span starts at its name');
      assert.ok(field.span.end <= text.length);
    }
    for (const problem of parsed.problems) assert.ok(problem.span.start >= 0 && problem.span.end <= text.length);
  });
}

test('the body starts after the empty line, or at the first line that is not a field', () => {
  const text = 'Name: foo\n\nDescription\n';
  assert.equal(parseCoreMetadata(text).bodyStart, text.indexOf('Description'));
  const noSeparator = 'Name: foo\nnot a field\n';
  assert.equal(parseCoreMetadata(noSeparator).bodyStart, noSeparator.indexOf('not a field'));
  assert.equal(parseCoreMetadata('Name: foo\n').bodyStart, 'Name: foo\n'.length);
});

test('fieldValues and fieldValue compare names without regard to case, in order', () => {
  const parsed = parseCoreMetadata('requires-dist: a\nRequires-Dist: b\nREQUIRES-DIST: c\nname: x\nName: y\n');
  assert.deepEqual(fieldValues(parsed, 'Requires-Dist'), ['a', 'b', 'c']);
  assert.equal(fieldValue(parsed, 'NAME'), 'x', 'Message.get: the first');
  assert.equal(fieldValue(parsed, 'Summary'), undefined);
});

test('past MAX_METADATA_FIELDS fields the rest is not read, and a problem says so; the read stays linear', () => {
  const text = 'Requires-Dist: x\n'.repeat(MAX_METADATA_FIELDS + 10);
  const started = performance.now();
  const parsed = parseCoreMetadata(text);
  assert.equal(parsed.fields.length, MAX_METADATA_FIELDS);
  assert.deepEqual(parsed.problems.map((problem) => problem.code), ['too-many-fields']);
  // A field continued over a million lines is one field, read in one pass.
  const continued = parseCoreMetadata(`Summary: a\n${' b\n'.repeat(1_000_000)}Name: foo\n`);
  assert.equal(continued.fields.length, 2);
  assert.ok(performance.now() - started < 5000, 'linear in the text');
});

const bytes = (text: string) => Buffer.from(text, 'utf8');

test('readCoreMetadata: the fields the resolver needs, each Requires-Dist stripped as pip strips it', () => {
  const read = readCoreMetadata(
    bytes('Metadata-Version: 2.3\nName: Foo.Bar\nVersion: 1.0\nRequires-Python: >=3.8 \nRequires-Dist: a>=1 \nRequires-Dist: b; extra == "x"\nProvides-Extra: x\nDynamic: Classifier\n\nbody\nRequires-Dist: not-a-dependency\n'),
    'METADATA',
  );
  assert.ok(read.ok, JSON.stringify(read));
  assert.deepEqual(read.metadata, {
    metadataVersion: '2.3',
    name: 'Foo.Bar',
    version: '1.0',
    requiresDist: ['a>=1', 'b; extra == "x"'],
    requiresPython: '>=3.8',
    providesExtra: ['x'],
    dynamic: ['Classifier'],
  });
  const none = readCoreMetadata(bytes('Name: foo\nVersion: 1\nRequires-Python:\n'), 'METADATA');
  assert.ok(none.ok && none.metadata.requiresPython === undefined && none.metadata.requiresDist.length === 0 && none.metadata.metadataVersion === '');
});

test('readCoreMetadata: not UTF-8, a byte-order mark, no Name or Version, too many fields are refused with a reason', () => {
  const latin1 = readCoreMetadata(Buffer.from('Name: caf\xe9\nVersion: 1\n', 'latin1'), 'the METADATA of x.whl');
  assert.deepEqual(latin1, { ok: false, message: 'the METADATA of x.whl is not UTF-8, so pip cannot read it' });
  // Python keeps a BOM when decoding, and the email parser then sees no field at all.
  const bom = readCoreMetadata(bytes('\ufeffName: foo\nVersion: 1\n'), 'METADATA');
  assert.deepEqual(bom, { ok: false, message: 'METADATA has no Name field' });
  assert.deepEqual(readCoreMetadata(bytes('Name: foo\n'), 'METADATA'), { ok: false, message: 'METADATA has no Version field' });
  const many = readCoreMetadata(bytes(`Name: foo\nVersion: 1\n${'Requires-Dist: x\n'.repeat(MAX_METADATA_FIELDS)}`), 'METADATA');
  assert.ok(!many.ok && /More than 100,000 fields/.test(many.message));
});

const metadata = (fields: Partial<CoreMetadata>): CoreMetadata => ({ metadataVersion: '2.2', name: 'foo', version: '1.0', requiresDist: [], providesExtra: [], dynamic: [], ...fields });

test('metadataMismatch: the project by canonical name, the version by PEP 440', () => {
  assert.equal(metadataMismatch(metadata({ name: 'Foo_Bar', version: '1.0.0' }), 'foo.bar', '1.0'), undefined);
  assert.equal(metadataMismatch(metadata({ name: 'other' }), 'foo', '1.0'), 'it names the project other, not foo');
  assert.equal(metadataMismatch(metadata({ version: '1.1' }), 'foo', '1.0'), 'it is for version 1.1, not 1.0');
  assert.equal(metadataMismatch(metadata({ version: 'weird' }), 'foo', 'weird'), undefined, 'versions that are not PEP 440 compare as text');
  assert.equal(metadataMismatch(metadata({}), 'foo', undefined), undefined);
});

test('sdistDependenciesUnknown: static only from Metadata-Version 2.2, and not when a dependency field is Dynamic', () => {
  assert.equal(sdistDependenciesUnknown(metadata({ metadataVersion: '2.2' })), undefined);
  assert.equal(sdistDependenciesUnknown(metadata({ metadataVersion: '2.4', dynamic: ['Classifier', 'License'] })), undefined);
  assert.match(sdistDependenciesUnknown(metadata({ metadataVersion: '2.1' }))!, /Metadata-Version 2\.1/);
  assert.match(sdistDependenciesUnknown(metadata({ metadataVersion: '' }))!, /no Metadata-Version/);
  assert.match(sdistDependenciesUnknown(metadata({ metadataVersion: '3.0' }))!, /Metadata-Version 3\.0/);
  assert.match(sdistDependenciesUnknown(metadata({ metadataVersion: '2.10' })) ?? 'static', /static/, '2.10 is after 2.2');
  assert.equal(sdistDependenciesUnknown(metadata({ dynamic: ['requires-dist'] })), 'its PKG-INFO marks requires-dist as Dynamic');
  assert.equal(sdistDependenciesUnknown(metadata({ dynamic: ['Requires-Python'] })), 'its PKG-INFO marks Requires-Python as Dynamic');
  assert.equal(sdistDependenciesUnknown(metadata({ dynamic: ['Provides-Extra'] })), 'its PKG-INFO marks Provides-Extra as Dynamic');
});
