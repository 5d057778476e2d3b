// Reading one member of a zip (by random access) or a tar (by streaming), from buffers: honest
// archives, zipfile's quirks (comments, prepended data, zip64, the last of duplicate names), and
// hostile ones, whose declared sizes and offsets must never make reqguard read or inflate more
// than its bounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { bufferAccess, readTarMember, readZipMember, ZIP_TAIL_BYTES, type ArchiveLimits, type MemberChoice, type RandomAccess } from '../../server/src/index/distArchives';
import { tar, tarGz, zip } from '../support/archives';
import { rawZip } from '../helpers/rawZip';

const URL = 'https://files.example/pkg-1.0-py3-none-any.whl';
const LIMITS: ArchiveLimits = { maxMemberBytes: 1024 * 1024, maxDirectoryBytes: 1024 * 1024 };
const named = (name: string): MemberChoice => (names) => (names.includes(name) ? { name } : { message: `there is no ${name}` });

/** A buffer read through random access that counts what is read. */
function counted(body: Buffer): RandomAccess & { readBytes: number; reads: number } {
  const inner = bufferAccess(body);
  const access = {
    size: inner.size,
    readBytes: 0,
    reads: 0,
    async read(start: number, end: number) {
      access.reads++;
      access.readBytes += end - start;
      return inner.read(start, end);
    },
  };
  return access;
}

async function member(body: Buffer, name = 'pkg-1.0.dist-info/METADATA', limits = LIMITS) {
  return readZipMember(bufferAccess(body), URL, 'the wheel', named(name), limits);
}

function failure(result: { ok: boolean; error?: { kind: string; message: string } }): string {
  assert.ok(!result.ok, 'expected a failure');
  return `${result.error!.kind}: ${result.error!.message}`;
}

test('zip: stored and deflated members of an fflate archive', async () => {
  const metadata = 'Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\n\n';
  for (const deflate of [false, true]) {
    const body = zip([{ path: 'pkg/__init__.py', data: '' }, { path: 'pkg-1.0.dist-info/METADATA', data: metadata }], { deflate });
    const read = await member(body);
    assert.ok(read.ok, JSON.stringify(read));
    assert.equal(read.value.data.toString(), metadata);
  }
});

test('zip: a comment, data prepended to the archive, zip64 records, and the last of two entries of one name', async () => {
  const entries = [{ name: 'a.txt', data: 'first' }, { name: 'a.txt', data: 'second', deflate: true }, { name: 'b.txt', data: 'b' }];
  const cases = {
    plain: rawZip(entries),
    comment: rawZip(entries, { comment: 'built by hand' }),
    longest: rawZip(entries, { comment: Buffer.alloc(0xffff, 0x20) }),
    prepended: rawZip(entries, { prepend: Buffer.alloc(5000, 0x41) }),
    zip64: rawZip(entries, { zip64: true }),
    zip64Prepended: rawZip(entries, { zip64: true, prepend: Buffer.from('#!/bin/sh\n') }),
  };
  for (const [label, body] of Object.entries(cases)) {
    const read = await readZipMember(bufferAccess(body), URL, 'the archive', named('a.txt'), LIMITS);
    assert.ok(read.ok, `${label}: ${JSON.stringify(read)}`);
    assert.equal(read.value.data.toString(), 'second', label);
  }
  // zipfile takes the last signature it finds, even one inside the comment, and then fails.
  const fooled = await readZipMember(bufferAccess(rawZip(entries, { comment: 'PK\u0005\u0006 looks like a record inside a comment' })), URL, 'the archive', named('a.txt'), LIMITS);
  assert.match(failure(fooled), /bad offset for the central directory/);
});

test('zip: the choice sees every name; a refusal is a malformed error naming the archive', async () => {
  const seen: string[][] = [];
  const result = await readZipMember(bufferAccess(rawZip([{ name: 'x/1', data: '' }, { name: 'y/2', data: '' }])), URL, 'the wheel w.whl', (names) => (seen.push([...names]), { message: '.dist-info directory not found' }), LIMITS);
  assert.deepEqual(seen, [['x/1', 'y/2']]);
  assert.equal(failure(result), 'malformed: the wheel w.whl: .dist-info directory not found');
});

test('zip: names without the UTF-8 flag are code page 437, as zipfile reads them; a name stops at NUL', async () => {
  const body = rawZip([{ name: 'caf\u00e9', data: 'x' }]); // UTF-8 bytes C3 A9, flag off
  const names: string[] = [];
  await readZipMember(bufferAccess(body), URL, 'the archive', (all) => (names.push(...all), { message: 'stop' }), LIMITS);
  assert.deepEqual(names, ['caf\u251c\u2310']);
  const flagged = rawZip([{ name: 'caf\u00e9', data: 'x', flags: 0x800 }]);
  assert.ok((await readZipMember(bufferAccess(flagged), URL, 'the archive', named('caf\u00e9'), LIMITS)).ok);
  const nul = rawZip([{ name: 'a.txt\u0000junk', data: 'x' }]);
  assert.ok((await readZipMember(bufferAccess(nul), URL, 'the archive', named('a.txt'), LIMITS)).ok);
});

test('zip: damaged members are refused: bad CRC, encryption, an unknown method, names that differ, sizes that lie', async () => {
  const cases: [string, Buffer, RegExp][] = [
    ['crc', rawZip([{ name: 'a', data: 'hello', crc: 1 }]), /bad CRC-32 for a/],
    ['encrypted', rawZip([{ name: 'a', data: 'hello', flags: 1 }]), /a is encrypted/],
    ['bzip2', rawZip([{ name: 'a', data: 'hello', method: 12 }]), /compression method 12/],
    ['names', rawZip([{ name: 'a', data: 'hello', localName: 'b' }]), /the name in the directory \(a\) and in the file header differ/],
    ['short', rawZip([{ name: 'a', data: 'hello', declaredSize: 3 }]), /a holds 5 bytes, not the 3 declared|inflates to more/],
    ['long', rawZip([{ name: 'a', data: 'hello', declaredSize: 9 }]), /a holds 5 bytes, not the 9 declared/],
    ['garbage', rawZip([{ name: 'a', data: 'not deflate data', method: 8 }]), /a does not inflate/],
  ];
  for (const [label, body, expected] of cases) {
    const result = await readZipMember(bufferAccess(body), URL, 'the archive', named('a'), LIMITS);
    assert.match(failure(result), expected, label);
    assert.equal(!result.ok && result.error.kind, 'malformed', label);
  }
});

test('zip: a local extra field longer than the read-ahead costs one more read, and is read right', async () => {
  const body = rawZip([{ name: 'a', data: 'hello world', localExtra: Buffer.alloc(4000, 0) }]);
  const access = counted(body);
  const read = await readZipMember(access, URL, 'the archive', named('a'), LIMITS);
  assert.ok(read.ok && read.value.data.toString() === 'hello world', JSON.stringify(read));
});

test('zip: hostile archives fail with a bounded error, reading no more than the tail and what the bounds allow', async () => {
  const big = 0xfffffff0;
  const cases: [string, Buffer, string, RegExp][] = [
    ['not a zip', Buffer.alloc(100_000, 0x41), 'malformed', /no end of central directory record/],
    ['too short', Buffer.from('PK'), 'malformed', /too short to be a zip/],
    ['directory size', rawZip([{ name: 'a', data: 'x' }], { directorySize: big, directoryOffset: 0 }), 'malformed', /bad offset for the central directory/],
    ['directory over the bound', rawZip([{ name: 'a', data: 'x' }], { prepend: Buffer.alloc(3 * 1024 * 1024), directorySize: 2 * 1024 * 1024 }), 'too-large', /central directory declares 2,097,152 bytes, more than the 1,048,576 read/],
    ['directory offset', rawZip([{ name: 'a', data: 'x' }], { directoryOffset: big }), 'malformed', /the local header of a starts before the file does/],
    ['member size', rawZip([{ name: 'a', data: 'x', declaredSize: big }]), 'too-large', /a declares 4,294,967,280 bytes, more than the 1,048,576 read/],
    ['compressed size', rawZip([{ name: 'a', data: 'x', declaredCompressedSize: big }]), 'too-large', /a declares 4,294,967,280 bytes/],
    ['header offset', rawZip([{ name: 'a', data: 'x', headerOffset: big }]), 'malformed', /lies outside the file/],
    ['zip64 sizes', rawZip([{ name: 'a', data: 'x', declaredSize: Number.MAX_SAFE_INTEGER }], { zip64: true }), 'too-large', /a declares 9,007,199,254,740,991 bytes/],
    ['deflate bomb', rawZip([{ name: 'a', data: Buffer.alloc(50 * 1024 * 1024), deflate: true, declaredSize: 100 }]), 'malformed', /inflates to more than its declared 100 bytes/],
    ['truncated directory', rawZip([{ name: 'a', data: 'x' }], { directorySize: 20 }), 'malformed', /bad offset|truncated central directory/],
  ];
  for (const [label, body, kind, expected] of cases) {
    const access = counted(body);
    const started = performance.now();
    const result = await readZipMember(access, URL, 'the archive', named('a'), LIMITS);
    assert.equal(!result.ok && result.error.kind, kind, `${label}: ${JSON.stringify(result)}`);
    assert.match(failure(result), expected, label);
    assert.ok(access.readBytes <= ZIP_TAIL_BYTES + 2 * LIMITS.maxMemberBytes, `${label}: read ${access.readBytes} bytes`);
    assert.ok(performance.now() - started < 2000, `${label}: bounded time`);
  }
});

test('tar: PKG-INFO found by streaming a .tar.gz or a .tar, after members that are skipped', async () => {
  const entries = [
    { path: 'pkg-1.0/', data: '' },
    { path: 'pkg-1.0/big.bin', data: Buffer.alloc(3 * 1024 * 1024, 7) },
    { path: 'pkg-1.0/sub/PKG-INFO', data: 'not this one' },
    { path: 'pkg-1.0/PKG-INFO', data: 'Name: pkg\n' },
    { path: 'pkg-1.0/after.txt', data: 'x' },
  ];
  const wanted = (path: string) => path === 'pkg-1.0/PKG-INFO';
  const limits = { maxMemberBytes: 1024, maxUnpackedBytes: 64 * 1024 * 1024 };
  for (const [gzip, body] of [[true, tarGz(entries)], [false, tar(entries)]] as const) {
    const found = await readTarMember(body, gzip, URL, 'the sdist', wanted, limits);
    assert.ok(found.ok && found.value, JSON.stringify(found));
    assert.equal(found.value.name, 'pkg-1.0/PKG-INFO');
    assert.equal(found.value.data.toString(), 'Name: pkg\n');
  }
  const longPath = `pkg-1.0/${'d'.repeat(120)}/PKG-INFO`;
  const prefixed = await readTarMember(tarGz([{ path: longPath, data: 'deep' }]), true, URL, 'the sdist', (path) => path === longPath, limits);
  assert.ok(prefixed.ok && prefixed.value?.data.toString() === 'deep', 'ustar prefix joined to the name');
  const missing = await readTarMember(tarGz([{ path: 'pkg-1.0/setup.py', data: '' }]), true, URL, 'the sdist', wanted, limits);
  assert.deepEqual(missing, { ok: true, value: undefined });
});

test('tar: a gzip bomb, an oversized member, a file that is not gzip or not tar fail with a bounded error', async () => {
  const wanted = (path: string) => path.endsWith('/PKG-INFO');
  const limits = { maxMemberBytes: 1024, maxUnpackedBytes: 8 * 1024 * 1024 };
  const bomb = gzipSync(Buffer.alloc(32 * 1024 * 1024)); // 32 MiB of zeros, 32 kB compressed
  const bombResult = await readTarMember(bomb, true, URL, 'the sdist x.tar.gz', wanted, limits);
  // Zeros are an end-of-archive block for tar: no PKG-INFO, found after the first block.
  assert.deepEqual(bombResult, { ok: true, value: undefined });
  const filler = tar([{ path: 'pkg-1.0/filler.bin', data: Buffer.alloc(12 * 1024 * 1024, 1) }, { path: 'pkg-1.0/PKG-INFO', data: 'x' }]);
  const overUnpacked = await readTarMember(gzipSync(filler), true, URL, 'the sdist x.tar.gz', wanted, limits);
  assert.match(failure(overUnpacked), /^too-large: the sdist x.tar.gz unpacks to more than 8,388,608 bytes/);
  const big = await readTarMember(tarGz([{ path: 'pkg-1.0/PKG-INFO', data: Buffer.alloc(4096, 0x41) }]), true, URL, 'the sdist', wanted, limits);
  assert.match(failure(big), /^too-large: the sdist: pkg-1.0\/PKG-INFO declares 4,096 bytes/);
  assert.match(failure(await readTarMember(Buffer.from('not gzip at all'), true, URL, 'the sdist', wanted, limits)), /^malformed: the sdist is not a readable gzip file/);
  assert.match(failure(await readTarMember(gzipSync(Buffer.alloc(2048, 0x41)), true, URL, 'the sdist', wanted, limits)), /^malformed: the sdist: it is not a tar archive/);
});
