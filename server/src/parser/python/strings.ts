// Python string literal decoding (3.11 rules): prefixes, quotes, escapes, newline translation.
// Pure and total: malformed escapes come back as an error message, never as an exception.
// Ours: no npm package decodes Python literals (\N{...}, bytes, raw strings), and JS escapes differ.

import { lookupUnicodeName } from './unicodeNames';

export interface StringParts {
  /** Prefix letters, lower-cased (`''`, `r`, `b`, `rb`, `f`, ...). */
  readonly prefix: string;
  /** `'`, `"`, `'''` or `"""`. */
  readonly quote: string;
  readonly bodyStart: number;
  readonly bodyEnd: number;
  readonly isBytes: boolean;
  readonly isRaw: boolean;
  readonly isFormat: boolean;
}

/** Splits one STRING token (offsets into `text`) into prefix, quotes and body. */
export function stringParts(text: string, start: number, end: number): StringParts {
  let q = start;
  while (q < end && text[q] !== '"' && text[q] !== "'") q++;
  const prefix = text.slice(start, q).toLowerCase();
  const ch = text[q] ?? '"';
  const triple = end - q >= 6 && text.startsWith(ch + ch + ch, q);
  const quote = triple ? ch + ch + ch : ch;
  return {
    prefix,
    quote,
    bodyStart: q + quote.length,
    bodyEnd: Math.max(q + quote.length, end - quote.length),
    isBytes: prefix.includes('b'),
    isRaw: prefix.includes('r'),
    isFormat: prefix.includes('f'),
  };
}

export interface Decoded {
  /** The value; absent when an escape could not be decoded here (see `error` / `unknownName`). */
  readonly value?: string;
  /** An escape Python itself rejects (the file does not compile). */
  readonly error?: string;
  /** A `\N{...}` name that is not in reqguard's table: Python may accept it, we cannot tell its value. */
  readonly unknownName?: string;
}

/** CPython reads source with universal newlines, so a literal never contains CR. */
export function translateNewlines(s: string): string {
  return s.includes('\r') ? s.replace(/\r\n?/g, '\n') : s;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

const HEX = /^[0-9a-fA-F]+$/;

/**
 * Decodes the body of a literal (source text between the quotes). `bytes` switches off the
 * str-only escapes (\u, \U, \N) and refuses non-ASCII text, as Python does.
 */
export function decodeBody(source: string, bytes: boolean, raw: boolean): Decoded {
  const s = translateNewlines(source);
  if (bytes && /[^\x00-\x7f]/.test(s)) return { error: 'bytes can only contain ASCII literal characters' };
  if (raw || !s.includes('\\')) return { value: s };
  let out = '';
  let i = 0;
  let unknownName: string | undefined;
  while (i < s.length) {
    const c = s[i]!;
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = s[i + 1];
    if (e === undefined) {
      return { error: '\\ at end of string' };
    }
    if (e === '\n') {
      i += 2;
      continue;
    }
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      i += 2;
      continue;
    }
    if (e >= '0' && e <= '7') {
      let j = i + 1;
      let n = 0;
      while (j < s.length && j < i + 4 && s[j]! >= '0' && s[j]! <= '7') n = n * 8 + (s.charCodeAt(j++) - 48);
      out += String.fromCharCode(bytes ? n & 0xff : n);
      i = j;
      continue;
    }
    if (e === 'x' || (!bytes && (e === 'u' || e === 'U'))) {
      const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const digits = s.slice(i + 2, i + 2 + len);
      if (digits.length !== len || !HEX.test(digits)) {
        if (bytes) return { error: `(value error) invalid \\x escape at position ${i}` };
        const what = e === 'x' ? '\\xXX' : e === 'u' ? '\\uXXXX' : '\\UXXXXXXXX';
        return { error: `(unicode error) truncated ${what} escape` };
      }
      const cp = parseInt(digits, 16);
      if (cp > 0x10ffff) return { error: '(unicode error) illegal Unicode character' };
      out += String.fromCodePoint(cp);
      i += 2 + len;
      continue;
    }
    if (e === 'N' && !bytes) {
      const close = s.indexOf('}', i + 3);
      if (s[i + 2] !== '{' || close < 0 || close === i + 3) {
        return { error: '(unicode error) malformed \\N character escape' };
      }
      const name = s.slice(i + 3, close);
      // Unicode names only use letters, digits, space and hyphen: anything else cannot exist.
      if (!/^[A-Za-z0-9 -]+$/.test(name)) return { error: '(unicode error) unknown Unicode character name' };
      const cp = lookupUnicodeName(name);
      // Not in our table: Python may know it. Keep scanning for escapes that are certainly wrong.
      if (cp === undefined) unknownName ??= name;
      else out += String.fromCodePoint(cp);
      i = close + 1;
      continue;
    }
    // Unknown escapes keep their backslash (Python only warns).
    out += '\\' + e;
    i += 2;
  }
  return unknownName === undefined ? { value: out } : { unknownName };
}
