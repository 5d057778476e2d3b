// A Python 3.11 tokenizer over the original text, in UTF-16 offsets.
// It follows CPython's tokenizer closely enough that the parser can reject what `ast.parse`
// rejects (indentation, brackets, string and number forms) and locate every token exactly.
// Pure: never throws; a lexical error becomes a final `error` token.
// Ours, like the parser: only CPython's own tokenizer rules reject what ast.parse rejects.

export type TokenType =
  | 'name'
  | 'number'
  | 'string'
  | 'op'
  | 'newline'
  | 'indent'
  | 'dedent'
  | 'endmarker'
  | 'error';

export interface Token {
  readonly type: TokenType;
  /** Offset of the first code unit. */
  readonly start: number;
  /** Offset just past the last code unit. */
  readonly end: number;
  /** Source text; for names the NFKC-normalized identifier; for errors the message. */
  readonly text: string;
  /**
   * Error tokens only: CPython raises this error as soon as the tokenizer meets it, so it wins
   * over a grammar error found earlier (unterminated string, invalid character, stray bracket).
   */
  readonly eager?: boolean;
  /** Error tokens only: the innermost bracket still open where the error happened. */
  readonly openBracket?: { readonly ch: string; readonly at: number };
}

export interface TokenizeOptions {
  /** Where to start and stop in the text (defaults: whole text). */
  readonly start?: number;
  readonly end?: number;
  /**
   * Tokenize an expression as if it sat inside brackets (f-string replacement fields):
   * no NEWLINE/INDENT/DEDENT, line breaks are plain whitespace.
   */
  readonly expression?: boolean;
}

/** CPython refuses deeper bracket nesting (MAXLEVEL) and indentation (MAXINDENT). */
const MAX_BRACKET_DEPTH = 200;
const MAX_INDENT_DEPTH = 100;

const OPERATORS_3 = new Set(['**=', '//=', '>>=', '<<=', '...']);
const OPERATORS_2 = new Set([
  '->', ':=', '==', '!=', '<=', '>=', '**', '//', '<<', '>>', '+=', '-=', '*=', '/=', '%=', '&=', '|=',
  '^=', '@=',
]);
const OPERATORS_1 = new Set([...'+-*/%@&|^~<>()[]{},:;.=']);
const CLOSING: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

const STRING_PREFIXES = new Set(['', 'r', 'u', 'f', 'b', 'br', 'rb', 'fr', 'rf']);
/** A keyword may directly follow a number (`1if x else 2`); anything else is an error. */
const KEYWORDS_AFTER_NUMBER = ['and', 'else', 'for', 'if', 'in', 'is', 'not', 'or'];

const XID_START = /^[\p{XID_Start}_]$/u;
const XID_CONTINUE = /^\p{XID_Continue}$/u;

function isAsciiIdentChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
}

function isPotentialIdentStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c >= 0x80;
}

function isPotentialIdentChar(c: number): boolean {
  return isAsciiIdentChar(c) || c >= 0x80;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Checks a non-ASCII identifier the way CPython does: NFKC first, then XID rules. */
function validIdentifier(normalized: string): boolean {
  let first = true;
  for (const ch of normalized) {
    if (first ? !XID_START.test(ch) : !XID_CONTINUE.test(ch)) return false;
    first = false;
  }
  return !first;
}

function describeChar(text: string, at: number): string {
  const cp = text.codePointAt(at) ?? 0;
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  const printable = /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(String.fromCodePoint(cp));
  return printable
    ? `invalid character '${String.fromCodePoint(cp)}' (U+${hex})`
    : `invalid non-printable character U+${hex}`;
}

const DEC_PART = /[0-9](?:_?[0-9])*/y;

export function tokenize(source: string, options: TokenizeOptions = {}): Token[] {
  const tokens: Token[] = [];
  const limit = Math.min(options.end ?? source.length, source.length);
  // Cut the text at `limit` (offsets stay the same) so that no scanner can look past it.
  const text = limit < source.length ? source.slice(0, limit) : source;
  let i = Math.max(0, options.start ?? 0);
  const exprMode = options.expression === true;
  // Brackets currently open: the character and its offset (for error messages).
  const brackets: { ch: string; at: number }[] = [];
  const indents = [0];
  const altIndents = [0];
  let atLineStart = !exprMode;
  let lineHasTokens = false;

  const push = (type: TokenType, start: number, end: number, value?: string): void => {
    tokens.push({ type, start, end, text: value ?? text.slice(start, end) });
    if (type !== 'newline' && type !== 'indent' && type !== 'dedent') lineHasTokens = true;
  };
  const fail = (message: string, start: number, end: number, eager = true): Token[] => {
    const open = brackets[brackets.length - 1];
    tokens.push({ type: 'error', start, end, text: message, eager, ...(open ? { openBracket: open } : {}) });
    return tokens;
  };
  const newlineLength = (at: number): number => {
    const c = text.charCodeAt(at);
    if (c === 0x0d) return at + 1 < limit && text.charCodeAt(at + 1) === 0x0a ? 2 : 1;
    return c === 0x0a ? 1 : 0;
  };

  if (!exprMode && text.charCodeAt(i) === 0xfeff) i++; // BOM: not part of the code

  while (i <= limit) {
    if (atLineStart) {
      // Measure indentation: tabs to multiples of 8, and separately with tab size 1, so that
      // inconsistent mixing can be refused as CPython does.
      let col = 0;
      let altCol = 0;
      let j = i;
      for (; j < limit; j++) {
        const c = text.charCodeAt(j);
        if (c === 0x20) {
          col++;
          altCol++;
        } else if (c === 0x09) {
          col = (Math.floor(col / 8) + 1) * 8;
          altCol++;
        } else if (c === 0x0c) {
          col = altCol = 0;
        } else break;
      }
      const c = j < limit ? text.charCodeAt(j) : -1;
      if (c === -1 || c === 0x23 || c === 0x0a || c === 0x0d) {
        // Blank or comment-only line: no indentation change. (A line holding only a backslash
        // continuation is not blank for Python 3.11: its indentation counts.)
        i = j;
        atLineStart = false;
      } else {
        const top = indents[indents.length - 1]!;
        const altTop = altIndents[altIndents.length - 1]!;
        if (col === top) {
          if (altCol !== altTop) return fail('inconsistent use of tabs and spaces in indentation', j, j, false);
        } else if (col > top) {
          if (altCol <= altTop) return fail('inconsistent use of tabs and spaces in indentation', j, j, false);
          if (indents.length > MAX_INDENT_DEPTH) return fail('too many levels of indentation', j, j, false);
          indents.push(col);
          altIndents.push(altCol);
          push('indent', j, j);
        } else {
          // Check before emitting any DEDENT, as CPython does.
          const level = indents.lastIndexOf(col);
          if (level < 0) return fail('unindent does not match any outer indentation level', j, j, false);
          if (altCol !== altIndents[level]!) {
            return fail('inconsistent use of tabs and spaces in indentation', j, j, false);
          }
          while (indents.length > level + 1) {
            indents.pop();
            altIndents.pop();
            push('dedent', j, j);
          }
        }
        i = j;
        atLineStart = false;
      }
    }

    if (i >= limit) break;
    const c = text.charCodeAt(i);

    // Whitespace and comments.
    if (c === 0x20 || c === 0x09 || c === 0x0c) {
      i++;
      continue;
    }
    if (c === 0x23) {
      while (i < limit && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i) !== 0x0d) i++;
      continue;
    }
    if (c === 0x00) return fail('source code string cannot contain null bytes', i, i + 1);

    // Line ends: a NEWLINE token only when a logical line ends.
    const nl = newlineLength(i);
    if (nl > 0) {
      if (!exprMode && brackets.length === 0 && lineHasTokens) {
        push('newline', i, i + nl);
        lineHasTokens = false;
      }
      i += nl;
      if (!exprMode && brackets.length === 0) atLineStart = true;
      continue;
    }

    // Explicit line joining.
    if (c === 0x5c) {
      const n = newlineLength(i + 1);
      if (n > 0) {
        i += 1 + n;
        if (i >= limit && !exprMode) return fail('unexpected EOF while parsing', i, i, false);
        continue;
      }
      if (i + 1 >= limit) return fail('unexpected EOF while parsing', i, i + 1, false);
      return fail('unexpected character after line continuation character', i, i + 1, false);
    }

    // Names, keywords and string prefixes.
    if (isPotentialIdentStart(c)) {
      let j = i;
      let ascii = true;
      while (j < limit && isPotentialIdentChar(text.charCodeAt(j))) {
        if (text.charCodeAt(j) >= 0x80) ascii = false;
        j++;
      }
      const raw = text.slice(i, j);
      const q = j < limit ? text.charCodeAt(j) : -1;
      if ((q === 0x22 || q === 0x27) && ascii && STRING_PREFIXES.has(raw.toLowerCase())) {
        const end = scanString(text, j, limit);
        if (typeof end !== 'number') return fail(end.message, i, end.at);
        push('string', i, end);
        i = end;
        continue;
      }
      let name = raw;
      if (!ascii) {
        name = raw.normalize('NFKC');
        if (!validIdentifier(name)) {
          // Point at the first character that cannot be part of an identifier.
          let k = i;
          for (const ch of raw) {
            const n = ch.normalize('NFKC');
            if (!(k === i ? XID_START : XID_CONTINUE).test(n.length > 0 ? [...n][0]! : ch)) break;
            k += ch.length;
          }
          k = Math.min(k, j - 1);
          return fail(describeChar(text, k), k, k + 1);
        }
      }
      push('name', i, j, name);
      i = j;
      continue;
    }

    // Numbers.
    if (isDigit(c) || (c === 0x2e && isDigit(text.charCodeAt(i + 1)))) {
      const r = scanNumber(text, i, limit);
      if (typeof r !== 'number') return fail(r.message, r.at, r.at + 1);
      push('number', i, r);
      i = r;
      continue;
    }

    // Strings without prefix.
    if (c === 0x22 || c === 0x27) {
      const end = scanString(text, i, limit);
      if (typeof end !== 'number') return fail(end.message, i, end.at);
      push('string', i, end);
      i = end;
      continue;
    }

    // Operators and brackets.
    const three = text.slice(i, i + 3);
    const two = text.slice(i, i + 2);
    let op: string | undefined;
    if (i + 3 <= limit && OPERATORS_3.has(three)) op = three;
    else if (i + 2 <= limit && OPERATORS_2.has(two)) op = two;
    else if (OPERATORS_1.has(text[i]!)) op = text[i]!;
    if (op === undefined) {
      // ASCII characters with no meaning ('!', '$', '?', '`') are tokens the grammar then rejects,
      // as in CPython; anything else is an invalid character.
      if (c === 0x21 || c === 0x24 || c === 0x3f || c === 0x60) op = text[i]!;
      else return fail(describeChar(text, i), i, i + 1);
    }
    if (op === '(' || op === '[' || op === '{') {
      if (brackets.length >= MAX_BRACKET_DEPTH) return fail('too many nested parentheses', i, i + 1);
      brackets.push({ ch: op, at: i });
    } else if (op === ')' || op === ']' || op === '}') {
      const open = brackets.pop();
      if (open === undefined) return fail(`unmatched '${op}'`, i, i + 1);
      if (open.ch !== CLOSING[op]) {
        return fail(`closing parenthesis '${op}' does not match opening parenthesis '${open.ch}'`, i, i + 1);
      }
    }
    push('op', i, i + op.length);
    i += op.length;
  }

  if (brackets.length > 0) {
    const open = brackets[brackets.length - 1]!;
    return fail(`'${open.ch}' was never closed`, open.at, open.at + 1, false);
  }
  const eof = limit;
  if (!exprMode) {
    if (lineHasTokens) push('newline', eof, eof, '');
    while (indents.length > 1) {
      indents.pop();
      push('dedent', eof, eof);
    }
  }
  tokens.push({ type: 'endmarker', start: eof, end: eof, text: '' });
  return tokens;
}

interface LexError {
  readonly message: string;
  readonly at: number;
}

/** Scans a string literal whose opening quote is at `quoteAt`; returns the offset past its end. */
function scanString(text: string, quoteAt: number, limit: number): number | LexError {
  const q = text[quoteAt]!;
  const triple = text.startsWith(q + q + q, quoteAt) && quoteAt + 3 <= limit;
  let i = quoteAt + (triple ? 3 : 1);
  const lineOf = (at: number): number => {
    let line = 1;
    for (let k = 0; k < at && k < text.length; k++) {
      const c = text.charCodeAt(k);
      if (c === 0x0a || (c === 0x0d && text.charCodeAt(k + 1) !== 0x0a)) line++;
    }
    return line;
  };
  while (i < limit) {
    const c = text[i]!;
    if (c === '\\') {
      // A backslash always protects the next character from ending the string, even in raw strings.
      i += text.startsWith('\r\n', i + 1) ? 3 : 2;
      continue;
    }
    if (!triple && (c === '\n' || c === '\r')) {
      return { message: `unterminated string literal (detected at line ${lineOf(i)})`, at: i };
    }
    if (c === q && (!triple || (text[i + 1] === q && text[i + 2] === q && i + 3 <= limit))) {
      return i + (triple ? 3 : 1);
    }
    i++;
  }
  // At end of input CPython counts the lines of the file (a final line break starts no new line).
  const last = text.charCodeAt(limit - 1);
  const eofLine = lineOf(limit) - (limit > 0 && (last === 0x0a || last === 0x0d) ? 1 : 0);
  return triple
    ? { message: `unterminated triple-quoted string literal (detected at line ${eofLine})`, at: limit }
    : { message: `unterminated string literal (detected at line ${eofLine})`, at: limit };
}

function scanDigits(text: string, i: number, limit: number, digit: RegExp, kind: string): number | LexError {
  // Digits with single underscores between them; at least one digit.
  let j = i;
  let sawDigit = false;
  for (;;) {
    if (j < limit && text[j] === '_') j++;
    if (j < limit && digit.test(text[j]!)) {
      sawDigit = true;
      j++;
      while (j < limit && digit.test(text[j]!)) j++;
      continue;
    }
    // CPython points at the last character it read: the prefix letter when no digit follows (`0x`).
    if (!sawDigit || text[j - 1] === '_') return { message: `invalid ${kind} literal`, at: j - 1 };
    return j;
  }
}

function scanNumber(text: string, i: number, limit: number): number | LexError {
  const c1 = text[i + 1]?.toLowerCase();
  let j: number;
  if (text[i] === '0' && (c1 === 'x' || c1 === 'o' || c1 === 'b')) {
    const kind = c1 === 'x' ? 'hexadecimal' : c1 === 'o' ? 'octal' : 'binary';
    const digit = c1 === 'x' ? /[0-9a-fA-F]/ : c1 === 'o' ? /[0-7]/ : /[01]/;
    const r = scanDigits(text, i + 2, limit, digit, kind);
    if (typeof r !== 'number') return r;
    j = r;
    const next = j < limit ? text.charCodeAt(j) : -1;
    if (next >= 0 && isDigit(next)) return { message: `invalid digit '${text[j]}' in ${kind} literal`, at: j };
    return endOfNumber(text, j, limit, kind);
  }
  let isInteger = true;
  j = i;
  DEC_PART.lastIndex = j;
  if (DEC_PART.test(text) && DEC_PART.lastIndex <= limit) j = DEC_PART.lastIndex;
  if (j < limit && text[j] === '_') return { message: 'invalid decimal literal', at: j };
  if (text[j] === '.' && j < limit) {
    isInteger = false;
    j++;
    DEC_PART.lastIndex = j;
    if (DEC_PART.test(text) && DEC_PART.lastIndex <= limit) j = DEC_PART.lastIndex;
  }
  const e = text[j];
  if ((e === 'e' || e === 'E') && j < limit) {
    let k = j + 1;
    if (text[k] === '+' || text[k] === '-') k++;
    DEC_PART.lastIndex = k;
    if (DEC_PART.test(text) && DEC_PART.lastIndex <= limit) {
      j = DEC_PART.lastIndex;
      isInteger = false;
    } else if (!KEYWORDS_AFTER_NUMBER.some((kw) => text.startsWith(kw, j))) {
      return { message: 'invalid decimal literal', at: j };
    }
  }
  if ((text[j] === 'j' || text[j] === 'J') && j < limit) {
    j++;
    isInteger = false;
  }
  if (isInteger && text[i] === '0' && /[1-9]/.test(text.slice(i, j))) {
    return {
      message: 'leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers',
      at: i,
    };
  }
  return endOfNumber(text, j, limit, 'decimal');
}

/** A number must not run straight into a name, except for the few keywords CPython tolerates. */
function endOfNumber(text: string, j: number, limit: number, kind: string): number | LexError {
  if (j >= limit) return j;
  const c = text.charCodeAt(j);
  if (isPotentialIdentChar(c)) {
    if (KEYWORDS_AFTER_NUMBER.some((kw) => text.startsWith(kw, j))) return j;
    return { message: `invalid ${kind} literal`, at: j };
  }
  return j;
}
