// Python string semantics that pip's requirements parser relies on, ported so offsets stay exact:
// str.splitlines() boundaries, str.isspace()/`\s`, and pip's byte decoding (BOM, PEP 263, UTF-8).

/** Characters Python treats as whitespace (`str.isspace()`, and `\s` in `re` for str patterns). */
export function isPyWhitespace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x1f);
  if (code < 0x85) return false;
  return (
    code === 0x85 || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000
  );
}

/** Bounds of `text.slice(from, to).strip()` (Python whitespace). */
export function pyStripBounds(text: string, from: number, to: number): [number, number] {
  while (from < to && isPyWhitespace(text.charCodeAt(from))) from++;
  while (to > from && isPyWhitespace(text.charCodeAt(to - 1))) to--;
  return [from, to];
}

/** Python's `str.strip()` (a loop: a regex's `\s+$` is quadratic on a long run of inner spaces). */
export function pyStrip(text: string): string {
  const [from, to] = pyStripBounds(text, 0, text.length);
  return text.slice(from, to);
}

/** Line breaks recognised by Python's `str.splitlines()` (pip numbers lines with it). */
const PY_LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;

/** Whether a character is one of PY_LINE_BREAK's (`\r\n` is two of them). */
function isPyLineBreak(code: number): boolean {
  return (code >= 0x0a && code <= 0x0d) || (code >= 0x1c && code <= 0x1e) || code === 0x85 || code === 0x2028 || code === 0x2029;
}

export interface PhysicalLine {
  /** Offset of the first character of the line. */
  readonly start: number;
  /** Offset just past the last character, before the line break. */
  readonly end: number;
}

/** Splits like `str.splitlines()`: `\r\n` is one break, a trailing break adds no empty line. */
export function splitPyLines(text: string): PhysicalLine[] {
  return splitPyLinesWithin(text, Infinity, Infinity).lines;
}

export interface LimitedLines {
  /** The lines read: at most `maxLines`, each ending at or before `maxEnd`. */
  readonly lines: PhysicalLine[];
  /** How many lines the whole text has. */
  readonly count: number;
  /** The first line left unread, when the limits cut the text. */
  readonly firstUnread?: PhysicalLine;
}

/** splitPyLines up to a limit: the lines past it are counted, not kept. */
export function splitPyLinesWithin(text: string, maxLines: number, maxEnd: number): LimitedLines {
  const lines: PhysicalLine[] = [];
  let count = 0;
  let firstUnread: PhysicalLine | undefined;
  const add = (start: number, end: number): void => {
    count++;
    if (firstUnread) return;
    if (lines.length < maxLines && end <= maxEnd) lines.push({ start, end });
    else firstUnread = { start, end };
  };
  let start = 0;
  for (const match of text.matchAll(PY_LINE_BREAK)) {
    const at = match.index ?? 0;
    add(start, at);
    start = at + match[0].length;
  }
  if (start < text.length) add(start, text.length);
  return firstUnread ? { lines, count, firstUnread } : { lines, count };
}

/** The lines of `text` from `from` (where a line starts) on, as splitPyLines gives them, one at a time. */
export function* physicalLinesFrom(text: string, from: number): Generator<PhysicalLine> {
  const breaks = new RegExp(PY_LINE_BREAK);
  breaks.lastIndex = from;
  let start = from;
  for (let match = breaks.exec(text); match; match = breaks.exec(text)) {
    yield { start, end: match.index };
    start = match.index + match[0].length;
  }
  if (start < text.length) yield { start, end: text.length };
}

/** How many line breaks (`\r\n` one) lie in [from, to) of `text`; neither end inside a `\r\n`. */
export function countPyLineBreaks(text: string, from: number, to: number): number {
  const breaks = new RegExp(PY_LINE_BREAK);
  breaks.lastIndex = from;
  let count = 0;
  for (let match = breaks.exec(text); match && match.index < to; match = breaks.exec(text)) count++;
  return count;
}

/** Where the line holding the character at `at` (its line break included) starts. */
export function physicalLineStart(text: string, at: number): number {
  let i = text.charCodeAt(at) === 0x0a && text.charCodeAt(at - 1) === 0x0d ? at - 2 : at - 1;
  while (i >= 0 && !isPyLineBreak(text.charCodeAt(i))) i--;
  return i + 1;
}

export interface DecodedText {
  readonly text: string;
  /** Set when the bytes could not be decoded as pip would; the text is then a lossy best effort. */
  readonly error?: string;
}

const CODING_RE = /^#.*coding[:=]\s*([-\w.]+)/;

/**
 * Decodes a requirements file the way pip's `auto_decode` does: a byte-order mark wins, then a
 * PEP 263 `coding:` comment on one of the first two lines, then UTF-8. Never throws.
 */
export function decodeRequirementsBytes(bytes: Uint8Array): DecodedText {
  const boms: Array<[number[], string]> = [
    [[0xef, 0xbb, 0xbf], 'utf-8'],
    [[0xff, 0xfe, 0x00, 0x00], 'utf-32le'],
    [[0x00, 0x00, 0xfe, 0xff], 'utf-32be'],
    [[0xff, 0xfe], 'utf-16le'],
    [[0xfe, 0xff], 'utf-16be'],
  ];
  for (const [bom, encoding] of boms) {
    if (bom.every((byte, i) => bytes[i] === byte)) return decodeAs(bytes.subarray(bom.length), encoding);
  }
  const head = latin1Lines(bytes, 2);
  for (const line of head) {
    const match = CODING_RE.exec(line);
    if (match) return decodeAs(bytes, match[1].toLowerCase());
  }
  return decodeAs(bytes, 'utf-8');
}

/**
 * The first `count` lines (split at LF, CRs dropped) that can hold a coding comment: those starting
 * with `#`, as pip looks only there. Decoded in one piece each (only ASCII matters to CODING_RE).
 */
function latin1Lines(bytes: Uint8Array, count: number): string[] {
  const lines: string[] = [];
  const decoder = new TextDecoder('latin1');
  for (let start = 0, seen = 0; start < bytes.length && seen < count; seen++) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline < 0 ? bytes.length : newline;
    if (bytes[start] === 0x23) lines.push(decoder.decode(bytes.subarray(start, end)).replace(/\r/g, ''));
    start = end + 1;
  }
  return lines;
}

/** Collects UTF-16 code units (little-endian, for TextDecoder) for code points given one at a time. */
class Utf16Builder {
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  private length = 0;

  constructor(maxUnits: number) {
    this.bytes = new Uint8Array(2 * maxUnits);
    this.view = new DataView(this.bytes.buffer);
  }

  add(point: number): void {
    if (point > 0xffff) {
      this.unit(0xd800 + ((point - 0x10000) >> 10));
      this.unit(0xdc00 + ((point - 0x10000) & 0x3ff));
    } else {
      this.unit(point);
    }
  }

  private unit(code: number): void {
    this.view.setUint16(2 * this.length++, code, true);
  }

  text(): string {
    return new TextDecoder('utf-16le').decode(this.bytes.subarray(0, 2 * this.length));
  }
}

const LATIN_1_NAMES = new Set(['latin-1', 'latin1', 'iso-8859-1', 'iso8859-1', 'l1', 'cp819', '8859', 'iso-ir-100']);
const ASCII_NAMES = new Set(['ascii', 'us-ascii', '646']);

/** Python's latin-1 maps every byte to the same code point (WHATWG's "latin1" is windows-1252). */
function decodeSingleByte(bytes: Uint8Array, limit: number, name: string): DecodedText {
  let bad = false;
  const out = new Utf16Builder(bytes.length);
  for (const byte of bytes) {
    bad ||= byte >= limit;
    out.add(byte < limit ? byte : 0xfffd);
  }
  const text = out.text();
  return bad ? { text, error: `the file is not valid ${name}; undecodable bytes were replaced` } : { text };
}

function decodeAs(bytes: Uint8Array, declared: string): DecodedText {
  // Python codec names are case-insensitive and treat '_' like '-'.
  const encoding = declared.toLowerCase().replace(/_/g, '-');
  if (LATIN_1_NAMES.has(encoding)) return decodeSingleByte(bytes, 0x100, 'latin-1');
  if (ASCII_NAMES.has(encoding)) return decodeSingleByte(bytes, 0x80, 'ASCII');
  if (encoding.startsWith('utf-32')) return decodeUtf32(bytes, encoding === 'utf-32be');
  let decoder: { decode(input: Uint8Array): string };
  try {
    // ignoreBOM keeps a U+FEFF at the start: Python's codecs do not drop one (auto_decode already
    // removed the BOM it detected), so in a file with two BOMs pip reads the second as text.
    decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  } catch {
    const text = new TextDecoder('utf-8').decode(bytes);
    return { text, error: `unknown encoding '${encoding}' declared in the file; read as UTF-8` };
  }
  try {
    return { text: decoder.decode(bytes) };
  } catch {
    const text = new TextDecoder(encoding, { ignoreBOM: true }).decode(bytes);
    return { text, error: `the file is not valid ${encoding.toUpperCase()}; undecodable bytes were replaced` };
  }
}

function decodeUtf32(bytes: Uint8Array, bigEndian: boolean): DecodedText {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = Math.floor(bytes.length / 4);
  const out = new Utf16Builder(2 * count);
  let error: string | undefined;
  for (let i = 0; i < count; i++) {
    const point = view.getUint32(4 * i, !bigEndian);
    if (point > 0x10ffff || (point >= 0xd800 && point <= 0xdfff)) {
      error = 'the file is not valid UTF-32; undecodable code points were replaced';
      out.add(0xfffd);
    } else {
      out.add(point);
    }
  }
  const text = out.text();
  if (bytes.length % 4 !== 0) error = 'the file is not valid UTF-32; it ends in the middle of a character';
  return error ? { text, error } : { text };
}

/**
 * How much of a decoded file the binary test reads: the first 8 KiB, like git (8000 bytes) and
 * grep, so the cost does not grow with the file and a text file with an odd tail stays text.
 */
export const BINARY_SNIFF_LENGTH = 8192;
/** Perl's -B test says "more than a third" odd characters; undecodable ones are odder still (pip stops at the first). */
const UNDECODABLE_SHARE = 0.3;

export type BinaryEvidence =
  | { readonly kind: 'nul'; readonly offset: number }
  | { readonly kind: 'undecodable'; readonly offset: number; readonly share: number };

/**
 * Why a decoded file is not text at all, judged on its first 8 KiB: a NUL character (executables,
 * archives and UTF-16 without a byte-order mark have them, requirements files do not: git and
 * grep use the same sign), or more than 30% replacement characters (U+FFFD, what bytes that did
 * not decode became). `offset` is the first such character. Works on text so that the editor's
 * buffers and the files the CLI decodes meet the same rule.
 */
export function binaryEvidence(text: string): BinaryEvidence | undefined {
  const examined = Math.min(text.length, BINARY_SNIFF_LENGTH);
  let undecodable = 0;
  let firstUndecodable = -1;
  for (let i = 0; i < examined; i++) {
    const code = text.charCodeAt(i);
    if (code === 0) return { kind: 'nul', offset: i };
    if (code === 0xfffd) {
      if (undecodable++ === 0) firstUndecodable = i;
    }
  }
  const share = examined === 0 ? 0 : undecodable / examined;
  return share > UNDECODABLE_SHARE ? { kind: 'undecodable', offset: firstUndecodable, share } : undefined;
}
