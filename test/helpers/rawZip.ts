// A zip writer with every field under the test's control, for archives no honest tool writes:
// sizes and offsets that lie, bombs, duplicate names, zip64 records, comments, prepended data.
// Honest archives come from test/support/archives.ts (fflate); this one writes stored or
// deflated members byte by byte as the format lays them out.
import { crc32, deflateRawSync } from 'node:zlib';

export interface RawEntry {
  name: string;
  data: Buffer | string;
  deflate?: boolean;
  /** Replace what the central directory says. */
  declaredSize?: number;
  declaredCompressedSize?: number;
  crc?: number;
  headerOffset?: number;
  flags?: number;
  method?: number;
  /** The local header's name, when it should differ from the central one. */
  localName?: string;
  /** Extra bytes in the local header only (longer than the central extra). */
  localExtra?: Buffer;
}

export interface RawZipOptions {
  comment?: Buffer | string;
  /** Bytes before the archive (a self-extracting stub): every offset is then off by this much. */
  prepend?: Buffer;
  /** Sizes and offsets in zip64 extra fields and the zip64 end records. */
  zip64?: boolean;
  /** Replace the end record's central directory size / offset. */
  directorySize?: number;
  directoryOffset?: number;
}

const u16 = (value: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(value);
  return b;
};
const u32 = (value: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value >>> 0);
  return b;
};
const u64 = (value: number) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(value));
  return b;
};

export function rawZip(entries: RawEntry[], options: RawZipOptions = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = typeof entry.data === 'string' ? Buffer.from(entry.data) : entry.data;
    const stored = entry.deflate ? deflateRawSync(data) : data;
    const name = Buffer.from(entry.name);
    const localName = Buffer.from(entry.localName ?? entry.name);
    const method = entry.method ?? (entry.deflate ? 8 : 0);
    const flags = entry.flags ?? 0;
    const crc = entry.crc ?? crc32(data);
    const size = entry.declaredSize ?? data.length;
    const compressedSize = entry.declaredCompressedSize ?? stored.length;
    const headerOffset = entry.headerOffset ?? offset;
    const localExtra = entry.localExtra ?? Buffer.alloc(0);
    const local = Buffer.concat([u32(0x04034b50), u16(20), u16(flags), u16(method), u16(0), u16(0x21), u32(crc), u32(stored.length), u32(data.length), u16(localName.length), u16(localExtra.length), localName, localExtra, stored]);
    locals.push(local);
    const extra = options.zip64 ? Buffer.concat([u16(1), u16(24), u64(size), u64(compressedSize), u64(headerOffset)]) : Buffer.alloc(0);
    const wide = (value: number) => (options.zip64 ? 0xffffffff : value);
    centrals.push(
      Buffer.concat([
        u32(0x02014b50), u16(0x031e), u16(options.zip64 ? 45 : 20), u16(flags), u16(method), u16(0), u16(0x21), u32(crc),
        u32(wide(compressedSize)), u32(wide(size)), u16(name.length), u16(extra.length), u16(0), u16(0), u16(0), u32(0), u32(wide(headerOffset)), name, extra,
      ]),
    );
    offset += local.length;
  }
  const directory = Buffer.concat(centrals);
  const directorySize = options.directorySize ?? directory.length;
  const directoryOffset = options.directoryOffset ?? offset;
  const comment = typeof options.comment === 'string' ? Buffer.from(options.comment) : (options.comment ?? Buffer.alloc(0));
  const tail: Buffer[] = [];
  if (options.zip64) {
    const recordAt = offset + directory.length;
    tail.push(Buffer.concat([u32(0x06064b50), u64(44), u16(45), u16(45), u32(0), u32(0), u64(entries.length), u64(entries.length), u64(directorySize), u64(directoryOffset)]));
    tail.push(Buffer.concat([u32(0x07064b50), u32(0), u64(recordAt), u32(1)]));
  }
  const count = options.zip64 ? 0xffff : entries.length;
  tail.push(Buffer.concat([u32(0x06054b50), u16(0), u16(0), u16(count), u16(count), u32(options.zip64 ? 0xffffffff : directorySize), u32(options.zip64 ? 0xffffffff : directoryOffset), u16(comment.length), comment]));
  return Buffer.concat([options.prepend ?? Buffer.alloc(0), ...locals, directory, ...tail]);
}
