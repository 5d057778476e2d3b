// Deterministic archive writers for the test package index: zip (wheels) with fflate, and
// tar.gz (sdists): tar written here (fflate has no tar), gzip by node:zlib. Fixed timestamps and
// caller-given entry order, so the same input always yields the same bytes (and so the same sha256).
import { zipSync, type Zippable } from 'fflate';
import { crc32 as zlibCrc32, gzipSync } from 'node:zlib';

export interface ArchiveEntry {
  path: string;
  data: Buffer | string;
  /** zip: stored even when the archive deflates (for data that does not compress). */
  store?: boolean;
}

const toBuffer = (data: Buffer | string) => (typeof data === 'string' ? Buffer.from(data, 'utf8') : data);

/** The standard CRC-32 (zip's, gzip's), from node:zlib. */
export const crc32 = (data: Buffer): number => zlibCrc32(data);

/**
 * fflate writes a Date's local fields as the DOS time: a local 1980-01-01 00:00 (DOS time's
 * epoch) gives the same bytes in every time zone.
 */
const ZIP_MTIME = new Date(1980, 0, 1);
/** Made on Unix, -rw-r--r--. */
const ZIP_ATTRIBUTES = { os: 3, attrs: (0o100644 << 16) >>> 0 };

/** A zip archive (fflate); `deflate` compresses entries (method 8), otherwise they are stored (method 0). */
export function zip(entries: ArchiveEntry[], options: { deflate?: boolean } = {}): Buffer {
  const files: Zippable = Object.create(null);
  for (const entry of entries) {
    // fflate takes an object: its keys keep the caller's order unless they look like array indexes.
    if (Object.hasOwn(files, entry.path) || /^\d+$/.test(entry.path)) throw new Error(`zip: cannot keep the order of ${entry.path}`);
    files[entry.path] = entry.store ? [toBuffer(entry.data), { level: 0 }] : toBuffer(entry.data);
  }
  return Buffer.from(zipSync(files, { level: options.deflate ? 9 : 0, mtime: ZIP_MTIME, ...ZIP_ATTRIBUTES }));
}

/** An uncompressed POSIX ustar archive; paths ending in `/` become directories. */
export function tar(entries: ArchiveEntry[], mtime = 0): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const isDir = entry.path.endsWith('/');
    const data = isDir ? Buffer.alloc(0) : toBuffer(entry.data);
    const header = Buffer.alloc(512);
    let name = entry.path;
    let prefix = '';
    if (Buffer.byteLength(name) > 100) {
      const cut = name.lastIndexOf('/', name.length - 2);
      prefix = name.slice(0, cut);
      name = name.slice(cut + 1);
      if (Buffer.byteLength(name) > 100 || Buffer.byteLength(prefix) > 155) throw new Error(`tar: path too long: ${entry.path}`);
    }
    const put = (text: string, at: number, len: number) => header.write(text, at, len, 'utf8');
    const octal = (n: number, len: number) => n.toString(8).padStart(len - 1, '0') + '\0';
    put(name, 0, 100);
    put(octal(isDir ? 0o755 : 0o644, 8), 100, 8);
    put(octal(0, 8), 108, 8);
    put(octal(0, 8), 116, 8);
    put(octal(data.length, 12), 124, 12);
    put(octal(mtime, 12), 136, 12);
    put('        ', 148, 8);
    put(isDir ? '5' : '0', 156, 1);
    put('ustar\0', 257, 6);
    put('00', 263, 2);
    put('root', 265, 32);
    put('root', 297, 32);
    put(prefix, 345, 155);
    let sum = 0;
    for (const byte of header) sum += byte;
    put(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
    blocks.push(header, data);
    const pad = (512 - (data.length % 512)) % 512;
    if (pad) blocks.push(Buffer.alloc(pad));
  }
  blocks.push(Buffer.alloc(1024));
  let out = Buffer.concat(blocks);
  const RECORD = 20 * 512;
  if (out.length % RECORD) out = Buffer.concat([out, Buffer.alloc(RECORD - (out.length % RECORD))]);
  return out;
}

/** tar + gzip; node's gzip header has mtime 0 and a fixed OS byte, so the result is stable. */
export function tarGz(entries: ArchiveEntry[], mtime = 0): Buffer {
  return gzipSync(tar(entries, mtime), { level: 9 });
}
