// Python's `shlex.split(s)` (POSIX mode, no comments), which pip applies to the option part of a
// line, extended to remember where every character of every token came from.
// Ours: npm's shlex returns bare strings and shell-quote follows sh, not Python; spans need each position.

export interface ShlexToken {
  readonly value: string;
  /**
   * Index in the input of each character of `value`, when quotes or escapes were removed;
   * undefined when `value` is the input from `start` verbatim (the common case, kept cheap).
   */
  readonly charIndex?: readonly number[];
  /** Input range the token was read from, quotes included. */
  readonly start: number;
  readonly end: number;
}

export type ShlexResult = { ok: true; tokens: ShlexToken[] } | { ok: false; message: string; at: number };

const WHITESPACE = ' \t\r\n';
const QUOTES = `'"`;
const PLAIN_TOKENS = /[^ \t\r\n]+/g;

/** Where the k-th character of a token's value sits in the input. */
export function charPosition(token: ShlexToken, k: number): number {
  return token.charIndex ? token.charIndex[k] : token.start + k;
}

export function shlexSplit(input: string): ShlexResult {
  if (!/['"\\]/.test(input)) {
    // Nothing to unquote: tokens are the whitespace-separated runs, verbatim.
    const tokens: ShlexToken[] = [];
    for (const match of input.matchAll(PLAIN_TOKENS)) {
      const start = match.index ?? 0;
      tokens.push({ value: match[0], start, end: start + match[0].length });
    }
    return { ok: true, tokens };
  }
  const tokens: ShlexToken[] = [];
  let i = 0;
  const n = input.length;
  while (i < n) {
    while (i < n && WHITESPACE.includes(input[i])) i++;
    if (i >= n) break;
    const start = i;
    let value = '';
    const charIndex: number[] = [];
    let quoted = false;
    while (i < n && !WHITESPACE.includes(input[i])) {
      const ch = input[i];
      if (QUOTES.includes(ch)) {
        quoted = true;
        const quote = ch;
        i++;
        while (true) {
          if (i >= n) return { ok: false, message: 'No closing quotation', at: start };
          const inner = input[i];
          if (inner === quote) {
            i++;
            break;
          }
          // Inside double quotes a backslash escapes only `"` and `\`; elsewhere it is literal.
          if (inner === '\\' && quote === '"') {
            if (i + 1 >= n) return { ok: false, message: 'No escaped character', at: i };
            const escaped = input[i + 1];
            if (escaped !== quote && escaped !== '\\') {
              value += inner;
              charIndex.push(i);
            }
            value += escaped;
            charIndex.push(i + 1);
            i += 2;
            continue;
          }
          value += inner;
          charIndex.push(i);
          i++;
        }
      } else if (ch === '\\') {
        if (i + 1 >= n) return { ok: false, message: 'No escaped character', at: i };
        value += input[i + 1];
        charIndex.push(i + 1);
        i += 2;
      } else {
        value += ch;
        charIndex.push(i);
        i++;
      }
    }
    if (value !== '' || quoted) tokens.push({ value, charIndex, start, end: i });
  }
  return { ok: true, tokens };
}
