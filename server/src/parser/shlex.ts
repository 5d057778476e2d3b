// Python's `shlex.split(s)` (POSIX mode, no comments), which pip applies to the option part of a
// line, extended to remember where every character of every token came from.
// Ours: npm's shlex returns bare strings and shell-quote follows sh, not Python; spans need each position.

import { lastIndexAtOrBefore } from './arrays';

export interface ShlexToken {
  readonly value: string;
  /**
   * Where the characters of `value` came from, when quotes or escapes were removed: pairs
   * [valueIndex, inputIndex], one per run of characters copied from consecutive input positions.
   * Undefined when `value` is the input from `start` verbatim (the common case, kept cheap).
   */
  readonly runs?: readonly number[];
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
  const runs = token.runs;
  if (!runs) return token.start + k;
  const run = lastIndexAtOrBefore(runs.length / 2, (i) => runs[2 * i], k);
  return runs[2 * run + 1] + (k - runs[2 * run]);
}

/** A token's value, built from the input positions it copies; consecutive positions make one run. */
class TokenBuilder {
  private readonly parts: string[] = [];
  private readonly runs: number[] = [];
  private length = 0;
  private runStart = -1;
  private runEnd = -1;

  constructor(private readonly input: string) {}

  get empty(): boolean {
    return this.length === 0;
  }

  /** Copies the input character at `at` to the value. */
  take(at: number): void {
    if (at !== this.runEnd) {
      this.flush();
      this.runs.push(this.length, at);
      this.runStart = at;
    }
    this.runEnd = at + 1;
    this.length++;
  }

  finish(start: number, end: number): ShlexToken {
    this.flush();
    const value = this.parts.join('');
    const verbatim = this.runs.length === 2 && this.runs[1] === start && value.length === end - start;
    return verbatim || this.runs.length === 0 ? { value, start, end } : { value, runs: this.runs, start, end };
  }

  private flush(): void {
    if (this.runStart >= 0) this.parts.push(this.input.slice(this.runStart, this.runEnd));
    this.runStart = -1;
  }
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
    const token = new TokenBuilder(input);
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
            if (escaped !== quote && escaped !== '\\') token.take(i);
            token.take(i + 1);
            i += 2;
            continue;
          }
          token.take(i);
          i++;
        }
      } else if (ch === '\\') {
        if (i + 1 >= n) return { ok: false, message: 'No escaped character', at: i };
        token.take(i + 1);
        i += 2;
      } else {
        token.take(i);
        i++;
      }
    }
    if (!token.empty || quoted) tokens.push(token.finish(start, i));
  }
  return { ok: true, tokens };
}
