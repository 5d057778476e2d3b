// Decoding and line splitting as pip does them (pip/_internal/utils/encoding.py auto_decode,
// Python's str.splitlines).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BINARY_SNIFF_LENGTH, binaryEvidence, decodeRequirementsBytes, splitPyLines, splitPyLinesWithin } from '../../server/src/parser/pyText';

const bytes = (...parts: Array<number[] | string>): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'utf8')] : p)));

test('a UTF-8 BOM is removed', () => {
  assert.deepEqual(decodeRequirementsBytes(bytes([0xef, 0xbb, 0xbf], 'flask==1.0\n')), { text: 'flask==1.0\n' });
});

test('UTF-16 and UTF-32 files with a BOM decode', () => {
  const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('six==1.0\n', 'utf16le')]);
  assert.equal(decodeRequirementsBytes(utf16le).text, 'six==1.0\n');
  const utf16be = Buffer.from(Buffer.from('six==1.0\n', 'utf16le').map((_, i, all) => all[i ^ 1]));
  assert.equal(decodeRequirementsBytes(Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be])).text, 'six==1.0\n');
  const utf32le = Buffer.alloc(4 + 4 * 3);
  utf32le.set([0xff, 0xfe, 0, 0]);
  [...'a=\n'].forEach((ch, i) => utf32le.writeUInt32LE(ch.codePointAt(0)!, 4 + 4 * i));
  assert.equal(decodeRequirementsBytes(utf32le).text, 'a=\n');
});

test('a PEP 263 coding line on line 1 or 2 selects the encoding', () => {
  assert.equal(decodeRequirementsBytes(bytes('# -*- coding: latin-1 -*-\n', [0x23, 0x20, 0xe9, 0x0a])).text, '# -*- coding: latin-1 -*-\n# é\n');
  assert.equal(decodeRequirementsBytes(bytes('\n# coding=latin-1\n', [0xe9])).text, '\n# coding=latin-1\né');
});

test('invalid UTF-8 is reported, not thrown, and decodes with replacement characters', () => {
  const decoded = decodeRequirementsBytes(bytes('flask # ', [0xff, 0xfe, 0x41], '\n'));
  assert.match(decoded.error ?? '', /not valid UTF-8/);
  assert.equal(decoded.text, 'flask # \ufffd\ufffdA\n');
});

test('an unknown declared encoding falls back to UTF-8 with a note', () => {
  const decoded = decodeRequirementsBytes(bytes('# coding: klingon\nsix\n'));
  assert.equal(decoded.text, '# coding: klingon\nsix\n');
  assert.match(decoded.error ?? '', /unknown encoding 'klingon'/);
});

test('lines split like str.splitlines(): CRLF is one break, form feed and U+2028 break too, no trailing empty line', () => {
  const text = 'a\r\nb\rc\fd\u2028e\n';
  assert.deepEqual(splitPyLines(text).map((l) => text.slice(l.start, l.end)), ['a', 'b', 'c', 'd', 'e']);
  assert.deepEqual(splitPyLines('x'), [{ start: 0, end: 1 }]);
  assert.deepEqual(splitPyLines(''), []);
  assert.deepEqual(splitPyLines('\n\n').length, 2);
});

test('binary: a NUL in the first 8 KiB (git\'s and grep\'s rule), at its offset; one later is not looked at', () => {
  assert.deepEqual(binaryEvidence('six==1.0\n\x7fELF\x00\x01'), { kind: 'nul', offset: 13 });
  assert.equal(BINARY_SNIFF_LENGTH, 8192);
  assert.deepEqual(binaryEvidence(`${'#'.repeat(BINARY_SNIFF_LENGTH - 1)}\x00`), { kind: 'nul', offset: BINARY_SNIFF_LENGTH - 1 });
  assert.equal(binaryEvidence(`${'#'.repeat(BINARY_SNIFF_LENGTH)}\x00`), undefined);
  assert.equal(binaryEvidence('six==1.0\n'), undefined);
  assert.equal(binaryEvidence(''), undefined);
});

test('binary: more than 30% undecodable characters (U+FFFD) in the first 8 KiB; 30% is still text', () => {
  assert.deepEqual(binaryEvidence(`ab${'\ufffd'.repeat(31)}${'x'.repeat(67)}`), { kind: 'undecodable', offset: 2, share: 0.31 });
  assert.equal(binaryEvidence(`ab${'\ufffd'.repeat(30)}${'x'.repeat(68)}`), undefined);
  // Past the first 8 KiB nothing counts, so a long text file with a binary tail stays text.
  assert.equal(binaryEvidence(`${'x'.repeat(BINARY_SNIFF_LENGTH)}${'\ufffd'.repeat(BINARY_SNIFF_LENGTH)}`), undefined);
});

test('binary: decoded bytes meet the same rule (an executable; UTF-16 without a byte-order mark), text files do not', () => {
  const executable = bytes([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00], [0xd0, 0xe8, 0xff, 0x9c, 0x1b], '[2J');
  assert.equal(binaryEvidence(decodeRequirementsBytes(executable).text)?.kind, 'nul');
  const undecodable = Uint8Array.from({ length: 600 }, (_, i) => (i % 5 === 0 ? 0x41 : 0xff));
  assert.equal(binaryEvidence(decodeRequirementsBytes(undecodable).text)?.kind, 'undecodable');
  assert.equal(binaryEvidence(decodeRequirementsBytes(Buffer.from('six==1.0\n', 'utf16le')).text)?.kind, 'nul');
  assert.equal(binaryEvidence(decodeRequirementsBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('six==1.0\n', 'utf16le')])).text), undefined);
  assert.equal(binaryEvidence(decodeRequirementsBytes(bytes('flask # ', [0xff, 0xfe, 0x41], '\n')).text), undefined);
});

test('hostile: a 10 MB file without a line break, a 10 MB coding line and an 8 MB UTF-32 file decode in one piece', () => {
  // The coding-line check built the first line one character at a time (50 MB: 8 s and 1.8 GB).
  const long = 'six==1.0' + ' --hash=sha256:0'.repeat(625_000);
  assert.equal(decodeRequirementsBytes(Buffer.from(long)).text, long);
  const commented = `# ${'x'.repeat(10_000_000)} coding: latin-1\n${String.fromCharCode(0xe9)}`;
  assert.equal(decodeRequirementsBytes(Buffer.from(commented, 'latin1')).text, commented);
  const utf32 = Buffer.alloc(4 + 4 * 2_000_000);
  utf32.set([0xff, 0xfe, 0, 0]);
  for (let i = 0; i < 2_000_000; i++) utf32.writeUInt32LE(i % 2 ? 0x1f600 : 0x61, 4 + 4 * i);
  assert.equal(decodeRequirementsBytes(utf32).text, 'a\u{1f600}'.repeat(1_000_000));
});

test('splitPyLinesWithin stops at a line or length limit and still counts every line', () => {
  assert.deepEqual(splitPyLinesWithin('a\nb\r\nc\n', 2, Infinity), { lines: [{ start: 0, end: 1 }, { start: 2, end: 3 }], count: 3, firstUnread: { start: 5, end: 6 } });
  assert.deepEqual(splitPyLinesWithin('a\nbb\nc', 10, 3), { lines: [{ start: 0, end: 1 }], count: 3, firstUnread: { start: 2, end: 4 } });
  assert.deepEqual(splitPyLinesWithin('a\nb', 2, 3), { lines: [{ start: 0, end: 1 }, { start: 2, end: 3 }], count: 2 });
});
