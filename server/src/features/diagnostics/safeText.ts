// Text from a file (or an index) made safe to show: a message quoting a line must not be able to
// drive the terminal that prints it (escape sequences can clear a CI log or rewrite lines), reorder
// what a reader sees (Trojan Source bidi controls), or publish a password written into a URL.
import { redactUrl } from '../../index/urls';

/**
 * C0 controls but tab (newline included: one finding is one line of `check`'s output), DEL, C1
 * (\p{Cc}), the bidi controls (\p{Bidi_Control}: U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069)
 * and the line and paragraph separators. Spelled out: the same set as with those property
 * escapes, which cost four times as much on every message of every keystroke's diagnostics.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_CHARACTERS = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** `\x1b` (two hex digits) or `\u202e` (four): the notation of Python, JSON and JavaScript. */
function hexEscape(character: string, form: 'x' | 'u'): string {
  return `\\${form}${character.charCodeAt(0).toString(16).padStart(form === 'x' ? 2 : 4, '0')}`;
}

/** Each unsafe character as a visible escape, `\x1b` or `\u202e` (as Python prints them); everything else as it is. */
export function escapeControlCharacters(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, (character) => hexEscape(character, character.charCodeAt(0) < 0x100 ? 'x' : 'u'));
}

/** What JSON.stringify leaves as it is but a terminal or viewer acts on (it escapes C0 itself). */
const UNSAFE_IN_JSON = /[\x7f-\x9f\p{Bidi_Control}\u2028\u2029]/gu;

/**
 * JSON (indented, one trailing newline) whose bytes are harmless in a terminal. The characters
 * JSON.stringify leaves raw can only stand inside strings, where their \u escape means the same
 * character: every value reads back exactly.
 */
export function terminalSafeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(UNSAFE_IN_JSON, (character) => hexEscape(character, 'u')) + '\n';
}

const SCHEME_CHARACTER = /[a-z0-9+.-]/i;
const LETTER = /[a-z]/i;

/**
 * Hides the credentials of every URL in a text (`https://user:****@host/…`, by redactUrl). A URL
 * runs from its scheme to the next whitespace. One pass: the scan never goes back past the end of
 * the previous URL, so a long line costs linear time.
 */
export function redactCredentials(text: string): string {
  let result = '';
  let copied = 0;
  for (let separator = text.indexOf('://'); separator >= 0; separator = text.indexOf('://', copied)) {
    let start = separator;
    while (start > copied && SCHEME_CHARACTER.test(text[start - 1])) start--;
    while (start < separator && !LETTER.test(text[start])) start++;
    let end = separator + 3;
    while (end < text.length && !/\s/.test(text[end])) end++;
    result += text.slice(copied, start) + (start < separator ? redactUrl(text.slice(start, end)) : text.slice(start, end));
    copied = end;
  }
  return copied === 0 ? text : result + text.slice(copied);
}

/** A finding's message as every output shows it: credentials redacted, control characters escaped. */
export function safeMessage(message: string): string {
  return escapeControlCharacters(redactCredentials(message));
}
