// The disk reader behind -r/-c includes reads regular files only, and never more than
// MAX_INCLUDE_BYTES: `-r /dev/zero` once took 4–5 GB in under a minute.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, existsSync, openSync, rmSync, truncateSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { diskReader } from '../../server/src/nodeIo';
import { MAX_INCLUDE_BYTES } from '../../server/src/pip/includes';
import { tempDir } from '../helpers/tempDirs';

const dir = tempDir('disk-reader');
after(() => rmSync(dir, { recursive: true, force: true }));

test('a regular file is read and decoded; a missing one is undefined', () => {
  const path = join(dir, 'base.txt');
  writeFileSync(path, '\ufeffsix==1.16.0\n');
  assert.equal(diskReader.read(path), 'six==1.16.0\n');
  assert.equal(diskReader.read(join(dir, 'missing.txt')), undefined);
});

test('a directory is not read, and pip fails on it too', () => {
  assert.deepEqual(diskReader.read(dir), { reason: 'is a directory: pip cannot open it, and the install stops here', pipFails: true });
});

test('a device is not read, however much it would give', { skip: !existsSync('/dev/zero') && 'no /dev/zero on this system' }, () => {
  assert.deepEqual(diskReader.read('/dev/zero'), {
    reason: 'is not a regular file (a character device): reqguard does not read it, so what it holds is not checked',
    pipFails: false,
  });
});

test('a file larger than the bound is not read; one at the bound is', () => {
  const path = join(dir, 'huge.txt');
  writeFileSync(path, '');
  truncateSync(path, MAX_INCLUDE_BYTES + 1);
  assert.deepEqual(diskReader.read(path), { reason: 'is larger than 20 MB: reqguard does not read it, so what it holds is not checked', pipFails: false });
  truncateSync(path, MAX_INCLUDE_BYTES);
  // Line breaks first: decoding looks for a coding line in the first two lines only.
  const fd = openSync(path, 'r+');
  writeSync(fd, '\n\n', 0);
  closeSync(fd);
  assert.equal((diskReader.read(path) as string).length, MAX_INCLUDE_BYTES);
});

test('a regular file whose stated size is 0 is read to its end', { skip: !existsSync('/proc/self/status') && 'no /proc on this system' }, () => {
  assert.match(diskReader.read('/proc/self/status') as string, /^Name:/);
});

test('a regular file has a stamp that changes when it is written; a directory, a device or a missing file has none', () => {
  const path = join(dir, 'stamped.txt');
  writeFileSync(path, 'six==1.16.0\n');
  const stamp = diskReader.stamp!(path);
  assert.ok(stamp);
  assert.equal(diskReader.stamp!(path), stamp);
  // Same size, rewritten: the change time moves even if the clock's resolution hides the write.
  writeFileSync(path, 'six==1.16.1\n');
  utimesSync(path, new Date(0), new Date(0));
  assert.notEqual(diskReader.stamp!(path), stamp);
  assert.equal(diskReader.stamp!(dir), undefined);
  assert.equal(diskReader.stamp!(join(dir, 'missing.txt')), undefined);
  if (existsSync('/dev/zero')) assert.equal(diskReader.stamp!('/dev/zero'), undefined);
});
