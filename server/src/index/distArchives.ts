// Reading one member of a distribution archive: a zip (wheels, old sdists) through random access,
// so over HTTP only the tail, the central directory and the member's bytes are fetched; a tar
// (sdists: .tar.gz, .tgz, .tar) by streaming, stopping at the member. The zip rules are those of
// Python's zipfile, which pip reads wheels with: the end record found in the last 64 KiB, the
// zip64 record right before its locator, offsets shifted by data prepended to the archive, the
// last entry of a name winning, local and central names agreeing, CRC-32 checked. Every size an
// archive declares is checked against the caller's bound before anything is read or inflated.
import { createGunzip, crc32, inflateRawSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { indexError, type IndexError, type Result } from './errors';

/** Bytes of an archive by offset: a buffer, or HTTP range requests (index/metadata). */
export interface RandomAccess {
  readonly size: number;
  /** Bytes [start, end), or why they could not be had. */
  read(start: number, end: number): Promise<Result<Buffer>>;
}

export function bufferAccess(body: Buffer): RandomAccess {
  return { size: body.length, read: async (start, end) => ({ ok: true, value: body.subarray(start, end) }) };
}

export interface ArchiveLimits {
  /** The member's largest size, compressed and not. */
  readonly maxMemberBytes: number;
  /** The zip central directory's largest size. */
  readonly maxDirectoryBytes: number;
}

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly flags: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  /** Where its local header starts, shifted by any data prepended to the archive. */
  readonly headerOffset: number;
}

/** Picks the member from the archive's names: its name, or why none fits. */
export type MemberChoice = (names: readonly string[]) => { readonly name: string } | { readonly message: string };

const END_SIGNATURE = 0x06054b50;
const END_SIZE = 22;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_LOCATOR_SIZE = 20;
const ZIP64_END_SIGNATURE = 0x06064b50;
const ZIP64_END_SIZE = 56;
const CENTRAL_SIGNATURE = 0x02014b50;
const CENTRAL_SIZE = 46;
const LOCAL_SIGNATURE = 0x04034b50;
const LOCAL_SIZE = 30;
const MAX_COMMENT = 0xffff;
/** zipfile's MAX_EXTRACT_VERSION (6.3). */
const MAX_EXTRACT_VERSION = 63;
/** Enough of the tail for the end record after the longest comment, with the zip64 records before it. */
export const ZIP_TAIL_BYTES = MAX_COMMENT + END_SIZE + ZIP64_LOCATOR_SIZE + ZIP64_END_SIZE;
/** A local header's extra field usually repeats the central one; this much more is read with it in one go. */
const LOCAL_EXTRA_SLACK = 256;

/** The rest of code page 437 (zipfile decodes names without the UTF-8 flag with it). */
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function entryName(bytes: Buffer, flags: number): string | undefined {
  let name: string;
  if (flags & 0x800) {
    try {
      name = strictUtf8.decode(bytes);
    } catch {
      return undefined;
    }
  } else {
    name = '';
    for (const byte of bytes) name += byte < 0x80 ? String.fromCharCode(byte) : CP437_HIGH[byte - 0x80];
  }
  // ZipInfo cuts a name at its first NUL.
  const nul = name.indexOf('\0');
  return nul >= 0 ? name.slice(0, nul) : name;
}

type Step<T> = Result<T>;

class ZipReader {
  constructor(
    private readonly source: RandomAccess,
    private readonly url: string,
    private readonly what: string,
    private readonly limits: ArchiveLimits,
  ) {}

  private bad(message: string): { ok: false; error: IndexError } {
    return { ok: false, error: indexError('malformed', this.url, `${this.what} is not a readable zip archive: ${message}`) };
  }

  private tooLarge(message: string): { ok: false; error: IndexError } {
    return { ok: false, error: indexError('too-large', this.url, `${this.what}: ${message}; not read`) };
  }

  /** Exactly [start, end) or a failure: a short answer is a truncated archive. */
  private async bytes(start: number, end: number, what: string): Promise<Step<Buffer>> {
    if (start < 0) return this.bad(`the ${what} starts before the file does`);
    if (end > this.source.size || start > end) return this.bad(`the ${what} lies outside the file (bytes ${start}-${end} of ${this.source.size})`);
    const read = await this.source.read(start, end);
    if (!read.ok) return read;
    return read.value.length === end - start ? read : this.bad(`the ${what} is truncated`);
  }

  /** zipfile's _EndRecData and _EndRecData64: central directory size and offset, and where the end record is. */
  async end(): Promise<Step<{ directorySize: number; directoryOffset: number; endAt: number; zip64: boolean }>> {
    const { size } = this.source;
    if (size < END_SIZE) return this.bad('it is too short to be a zip archive');
    const tailStart = Math.max(0, size - ZIP_TAIL_BYTES);
    const tail = await this.bytes(tailStart, size, 'end of the archive');
    if (!tail.ok) return tail;
    const data = tail.value;
    let at = data.length - END_SIZE;
    // Without a comment the record ends the file; otherwise the last signature in the last 64 KiB.
    const plain = data.readUInt32LE(at) === END_SIGNATURE && data.readUInt16LE(at + 20) === 0;
    if (!plain) {
      const searchFrom = Math.max(0, size - (MAX_COMMENT + 1) - END_SIZE) - tailStart;
      at = data.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
      if (at < searchFrom || at < 0) return this.bad('no end of central directory record');
      if (at + END_SIZE > data.length) return this.bad('the end of central directory record is truncated');
    }
    const endAt = tailStart + at;
    let directorySize = data.readUInt32LE(at + 12);
    let directoryOffset = data.readUInt32LE(at + 16);
    let zip64 = false;
    // zip64: a locator right before the end record, and the zip64 end record right before it.
    const locatorAt = at - ZIP64_LOCATOR_SIZE;
    if (locatorAt >= 0 && data.readUInt32LE(locatorAt) === ZIP64_LOCATOR_SIGNATURE) {
      if (data.readUInt32LE(locatorAt + 4) !== 0 || data.readUInt32LE(locatorAt + 16) > 1) return this.bad('it spans several disks');
      const recordAt = locatorAt - ZIP64_END_SIZE;
      if (recordAt >= 0 && data.readUInt32LE(recordAt) === ZIP64_END_SIGNATURE) {
        const dirSize = data.readBigUInt64LE(recordAt + 40);
        const dirOffset = data.readBigUInt64LE(recordAt + 48);
        if (dirSize > BigInt(Number.MAX_SAFE_INTEGER) || dirOffset > BigInt(Number.MAX_SAFE_INTEGER)) return this.bad('its zip64 record declares offsets past any real file');
        directorySize = Number(dirSize);
        directoryOffset = Number(dirOffset);
        zip64 = true;
      }
    }
    return { ok: true, value: { directorySize, directoryOffset, endAt, zip64 } };
  }

  async entries(): Promise<Step<ZipEntry[]>> {
    const end = await this.end();
    if (!end.ok) return end;
    const { directorySize, directoryOffset, endAt, zip64 } = end.value;
    // Data prepended to the archive (a self-extracting stub) shifts every offset by this much.
    const concat = endAt - directorySize - directoryOffset - (zip64 ? ZIP64_END_SIZE + ZIP64_LOCATOR_SIZE : 0);
    const start = directoryOffset + concat;
    if (start < 0) return this.bad('bad offset for the central directory');
    if (directorySize > this.limits.maxDirectoryBytes) return this.tooLarge(`its central directory declares ${directorySize.toLocaleString('en-US')} bytes, more than the ${this.limits.maxDirectoryBytes.toLocaleString('en-US')} read`);
    const directory = await this.bytes(start, start + directorySize, 'central directory');
    if (!directory.ok) return directory;
    const data = directory.value;
    const entries: ZipEntry[] = [];
    for (let at = 0; at < data.length; ) {
      if (at + CENTRAL_SIZE > data.length) return this.bad('truncated central directory');
      if (data.readUInt32LE(at) !== CENTRAL_SIGNATURE) return this.bad('bad magic number for the central directory');
      const flags = data.readUInt16LE(at + 8);
      const nameLength = data.readUInt16LE(at + 28);
      const extraLength = data.readUInt16LE(at + 30);
      const commentLength = data.readUInt16LE(at + 32);
      const nameStart = at + CENTRAL_SIZE;
      const next = nameStart + nameLength + extraLength + commentLength;
      if (next > data.length) return this.bad('truncated central directory');
      if (data.readUInt8(at + 6) > MAX_EXTRACT_VERSION) return this.bad(`an entry needs zip version ${data.readUInt8(at + 6) / 10}`);
      const name = entryName(data.subarray(nameStart, nameStart + nameLength), flags);
      if (name === undefined) return this.bad('an entry name flagged UTF-8 is not UTF-8');
      const sizes = this.zip64Sizes(data.subarray(nameStart + nameLength, nameStart + nameLength + extraLength), {
        size: data.readUInt32LE(at + 24),
        compressedSize: data.readUInt32LE(at + 20),
        headerOffset: data.readUInt32LE(at + 42),
      });
      if (!sizes.ok) return sizes;
      entries.push({ name, method: data.readUInt16LE(at + 10), flags, crc: data.readUInt32LE(at + 16), ...sizes.value, headerOffset: sizes.value.headerOffset + concat });
      at = next;
    }
    return { ok: true, value: entries };
  }

  /** ZipInfo._decodeExtra: the zip64 extra field holds, in order, each size that is 0xFFFFFFFF. */
  private zip64Sizes(extra: Buffer, sizes: { size: number; compressedSize: number; headerOffset: number }): Step<typeof sizes> {
    const result = { ...sizes };
    for (let at = 0; at + 4 <= extra.length; ) {
      const id = extra.readUInt16LE(at);
      const length = extra.readUInt16LE(at + 2);
      if (at + 4 + length > extra.length) return this.bad(`corrupt extra field ${id.toString(16).padStart(4, '0')}`);
      if (id === 0x0001) {
        let field = at + 4;
        for (const key of ['size', 'compressedSize', 'headerOffset'] as const) {
          if (result[key] !== 0xffffffff) continue;
          if (field + 8 > at + 4 + length) return this.bad('corrupt zip64 extra field');
          const value = extra.readBigUInt64LE(field);
          if (value > BigInt(Number.MAX_SAFE_INTEGER)) return this.bad('a zip64 size past any real file');
          result[key] = Number(value);
          field += 8;
        }
      }
      at += 4 + length;
    }
    return { ok: true, value: result };
  }

  /** The member's bytes: local header checked, inflated within the bound, CRC-32 checked. */
  async member(entry: ZipEntry): Promise<Step<Buffer>> {
    const { maxMemberBytes } = this.limits;
    if (entry.size > maxMemberBytes || entry.compressedSize > maxMemberBytes) {
      return this.tooLarge(`${entry.name} declares ${Math.max(entry.size, entry.compressedSize).toLocaleString('en-US')} bytes, more than the ${maxMemberBytes.toLocaleString('en-US')} read`);
    }
    if (entry.flags & 0x1) return this.bad(`${entry.name} is encrypted`);
    if (entry.flags & 0x20) return this.bad(`${entry.name} holds compressed patched data`);
    if (entry.flags & 0x40) return this.bad(`${entry.name} uses strong encryption`);
    if (entry.method !== 0 && entry.method !== 8) return this.bad(`${entry.name} uses compression method ${entry.method}, which reqguard does not read (only stored and deflated)`);
    const guess = LOCAL_SIZE + Buffer.byteLength(entry.name) + LOCAL_EXTRA_SLACK + entry.compressedSize;
    const first = await this.bytes(entry.headerOffset, Math.min(this.source.size, entry.headerOffset + guess), `local header of ${entry.name}`);
    if (!first.ok) return first;
    let local = first.value;
    if (local.length < LOCAL_SIZE) return this.bad(`truncated file header of ${entry.name}`);
    if (local.readUInt32LE(0) !== LOCAL_SIGNATURE) return this.bad(`bad magic number for the file header of ${entry.name}`);
    const nameLength = local.readUInt16LE(26);
    const dataStart = LOCAL_SIZE + nameLength + local.readUInt16LE(28);
    const dataEnd = dataStart + entry.compressedSize;
    if (dataEnd > local.length) {
      // A local extra field longer than the slack: the rest of the member in a second read.
      const rest = await this.bytes(entry.headerOffset + local.length, entry.headerOffset + dataEnd, `data of ${entry.name}`);
      if (!rest.ok) return rest;
      local = Buffer.concat([local, rest.value]);
    }
    const localName = entryName(local.subarray(LOCAL_SIZE, LOCAL_SIZE + nameLength), local.readUInt16LE(6));
    if (localName !== entry.name) return this.bad(`the name in the directory (${entry.name}) and in the file header differ`);
    const compressed = local.subarray(dataStart, dataEnd);
    let data: Buffer;
    if (entry.method === 0) data = compressed;
    else {
      try {
        // Never more than the declared size: a deflate bomb stops at the bound.
        data = inflateRawSync(compressed, { maxOutputLength: Math.max(1, entry.size) });
      } catch (error) {
        const code = (error as { code?: string }).code;
        return this.bad(code === 'ERR_BUFFER_TOO_LARGE' ? `${entry.name} inflates to more than its declared ${entry.size} bytes` : `${entry.name} does not inflate (${(error as Error).message})`);
      }
    }
    if (data.length !== entry.size) return this.bad(`${entry.name} holds ${data.length} bytes, not the ${entry.size} declared`);
    if (crc32(data) !== entry.crc) return this.bad(`bad CRC-32 for ${entry.name}`);
    return { ok: true, value: data };
  }
}

/**
 * One member of a zip archive: the directory is read, `choose` picks a name from it, and that
 * member (zipfile keeps the last entry of a name) is read and checked.
 */
export async function readZipMember(source: RandomAccess, url: string, what: string, choose: MemberChoice, limits: ArchiveLimits): Promise<Result<{ name: string; data: Buffer }>> {
  const reader = new ZipReader(source, url, what, limits);
  const entries = await reader.entries();
  if (!entries.ok) return entries;
  const chosen = choose(entries.value.map((entry) => entry.name));
  if ('message' in chosen) return { ok: false, error: indexError('malformed', url, `${what}: ${chosen.message}`) };
  let at = entries.value.length - 1;
  while (at >= 0 && entries.value[at].name !== chosen.name) at--;
  if (at < 0) return { ok: false, error: indexError('malformed', url, `${what}: there is no ${chosen.name}`) };
  const entry = entries.value[at];
  const data = await reader.member(entry);
  return data.ok ? { ok: true, value: { name: entry.name, data: data.value } } : data;
}

// ---- tar ------------------------------------------------------------------------------------

const BLOCK = 512;

/** tarfile's nts: up to the first NUL, as UTF-8. */
function tarText(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const nul = field.indexOf(0);
  return (nul >= 0 ? field.subarray(0, nul) : field).toString('utf8');
}

/** tarfile's nti: octal digits, or GNU base-256 (first byte 0x80 or 0xff); NaN when unreadable. */
function tarNumber(block: Buffer, start: number, length: number): number {
  const first = block[start];
  if (first === 0x80 || first === 0xff) {
    let value = 0;
    for (let at = start + 1; at < start + length; at++) value = value * 256 + block[at];
    return first === 0xff ? NaN : value;
  }
  const text = tarText(block, start, length).trim();
  return text === '' ? 0 : /^[0-7]+$/.test(text) ? parseInt(text, 8) : NaN;
}

function checksumMatches(block: Buffer): boolean {
  const stored = tarNumber(block, 148, 8);
  let unsigned = 0;
  let signed = 0;
  for (let at = 0; at < BLOCK; at++) {
    const byte = at >= 148 && at < 156 ? 0x20 : block[at];
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return stored === unsigned || stored === signed;
}

/** PAX records (`LEN key=value\n`): path and size, the two that matter for finding a member. */
function paxRecords(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  for (let at = 0; at < data.length; ) {
    const space = data.indexOf(0x20, at);
    if (space < 0) break;
    const length = Number(data.subarray(at, space).toString('latin1'));
    if (!Number.isInteger(length) || length <= 0 || at + length > data.length) break;
    const record = data.subarray(space + 1, at + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (equals > 0) records.set(record.slice(0, equals), record.slice(equals + 1));
    at += length;
  }
  return records;
}

/** Types whose data is not file content: links, devices, directories, FIFOs (tarfile skips no data for them). */
const NO_DATA_TYPES = new Set(['1', '2', '3', '4', '5', '6']);
/** PAX and GNU long-name headers: their data describes the next member, bounded like one. */
const META_TYPES = new Set(['x', 'X', 'g', 'L', 'K']);

/**
 * Finds one member of a tar stream, fed in chunks: `push` returns the member's bytes once they are
 * complete, or a failure. Data of other members is skipped without being kept.
 */
class TarScanner {
  private pending: Buffer[] = [];
  private pendingLength = 0;
  /** Bytes of the current member's data (and padding) still to skip. */
  private skip = 0;
  /** The data being collected: of the wanted member, or of a PAX / long-name header. */
  private collect?: { length: number; padded: number; kind: 'member' | 'pax' | 'longname'; name: string };
  private nextName?: string;
  private nextSize?: number;
  private first = true;
  done = false;

  constructor(
    private readonly wanted: (path: string) => boolean,
    private readonly maxMemberBytes: number,
  ) {}

  /** Some bytes of the tar; a result once the search is over (found, or the archive failed). */
  push(chunk: Buffer): { ok: true; found?: { name: string; data: Buffer } } | { ok: false; message: string; kind: 'malformed' | 'too-large' } {
    this.pending.push(chunk);
    this.pendingLength += chunk.length;
    for (;;) {
      if (this.skip > 0) {
        const dropped = this.take(Math.min(this.skip, this.pendingLength));
        this.skip -= dropped.length;
        if (this.skip > 0) return { ok: true };
      }
      if (this.collect) {
        if (this.pendingLength < this.collect.padded) return { ok: true };
        const data = this.take(this.collect.padded).subarray(0, this.collect.length);
        const { kind, name } = this.collect;
        this.collect = undefined;
        if (kind === 'member') {
          this.done = true;
          return { ok: true, found: { name, data } };
        }
        if (kind === 'longname') this.nextName = tarText(data, 0, data.length);
        else {
          const records = paxRecords(data);
          if (records.has('path')) this.nextName = records.get('path');
          if (records.has('size') && /^\d+$/.test(records.get('size')!)) this.nextSize = Number(records.get('size'));
        }
        continue;
      }
      if (this.pendingLength < BLOCK) return { ok: true };
      const block = this.take(BLOCK);
      if (block.every((byte) => byte === 0)) {
        this.done = true;
        return { ok: true };
      }
      if (!checksumMatches(block)) {
        this.done = true;
        return this.first ? { ok: false, kind: 'malformed', message: 'it is not a tar archive' } : { ok: true };
      }
      this.first = false;
      const type = String.fromCharCode(block[156] || 0x30);
      let size = tarNumber(block, 124, 12);
      if (Number.isNaN(size)) return { ok: false, kind: 'malformed', message: 'a tar header has an unreadable size' };
      let name = tarText(block, 0, 100);
      const prefix = block.toString('latin1', 257, 263) === 'ustar\0' ? tarText(block, 345, 155) : '';
      if (prefix && !['L', 'K', 'S'].includes(type)) name = `${prefix}/${name}`;
      if (META_TYPES.has(type)) {
        if (size > this.maxMemberBytes) return { ok: false, kind: 'too-large', message: `a tar extended header declares ${size.toLocaleString('en-US')} bytes` };
        if (type === 'g' || type === 'K') this.skip = padded(size);
        else this.collect = { length: size, padded: padded(size), kind: type === 'L' ? 'longname' : 'pax', name: '' };
        continue;
      }
      if (this.nextName !== undefined) name = this.nextName;
      if (this.nextSize !== undefined) size = this.nextSize;
      this.nextName = this.nextSize = undefined;
      const dataSize = NO_DATA_TYPES.has(type) ? 0 : size;
      if ((type === '0' || type === '7') && this.wanted(name)) {
        if (size > this.maxMemberBytes) return { ok: false, kind: 'too-large', message: `${name} declares ${size.toLocaleString('en-US')} bytes, more than the ${this.maxMemberBytes.toLocaleString('en-US')} read` };
        this.collect = { length: size, padded: padded(size), kind: 'member', name };
        continue;
      }
      this.skip = padded(dataSize);
    }
  }

  private take(length: number): Buffer {
    const all = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingLength);
    const taken = all.subarray(0, length);
    const rest = all.subarray(length);
    this.pending = rest.length ? [rest] : [];
    this.pendingLength = rest.length;
    return taken;
  }
}

function padded(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}

/**
 * One member of a tar archive (`gzip`: a .tar.gz), read by streaming: memory stays at the
 * member's size, and at most `maxUnpackedBytes` are unpacked in all (a gzip bomb stops there).
 */
export async function readTarMember(body: Buffer, gzip: boolean, url: string, what: string, wanted: (path: string) => boolean, limits: { maxMemberBytes: number; maxUnpackedBytes: number }): Promise<Result<{ name: string; data: Buffer } | undefined>> {
  const scanner = new TarScanner(wanted, limits.maxMemberBytes);
  const stream = gzip ? Readable.from([body]).pipe(createGunzip()) : Readable.from([body]);
  let unpacked = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      unpacked += chunk.length;
      if (unpacked > limits.maxUnpackedBytes) return { ok: false, error: indexError('too-large', url, `${what} unpacks to more than ${limits.maxUnpackedBytes.toLocaleString('en-US')} bytes; not read further`) };
      const step = scanner.push(chunk);
      if (!step.ok) return { ok: false, error: indexError(step.kind, url, `${what}: ${step.message}`) };
      if (step.found) return { ok: true, value: step.found };
      if (scanner.done) return { ok: true, value: undefined };
    }
  } catch (error) {
    return { ok: false, error: indexError('malformed', url, `${what} is not a readable gzip file (${(error as Error).message})`) };
  } finally {
    stream.destroy();
  }
  return { ok: true, value: undefined };
}
