// The start tags of an HTML page as Python's html.parser reports them to pip (parse_links feeds
// it the page once and never calls close()), read in one pass. html.parser's rules, kept here:
//   - `<a href=x>` needs no `</a>`; `<a … />` is a start tag too;
//   - comments (`<!--` to the first `--`, optional whitespace, `>`), `<!…>`, `<?…>` and end tags
//     hide what is inside them; inside <script> and <style> nothing is a tag until
//     `</script>`/`</style>`;
//   - markup that does not end (an unterminated comment or quoted attribute value that leaves a
//     tag open, a `<script>` never closed) hides everything after it, because html.parser waits
//     for more input that pip never sends.
// Its regular expressions (locatestarttagend_tolerant, attrfind_tolerant) are followed step by
// step, backtracking included, but without re-scanning: every character is looked at a bounded
// number of times, and a search for a closing quote that failed is remembered, so a page costs
// time linear in its length: about 2 µs per PyPI-style link (with a hash and requires-python) on
// a loaded 2-core machine, 7-8 µs for the whole of parseSimpleHtml (see the README's "Hostile
// input").

export type Attribute = readonly [name: string, value: string | null];

export interface StartTag {
  /** Lower case. */
  readonly name: string;
  /** In order, names in lower case; a bare attribute's value is null, as in html.parser. */
  readonly attributes: readonly Attribute[];
  /** The text after the tag, up to the next markup, unescaped and trimmed (an anchor's text). */
  text(): string;
}

const GT = 0x3e;
const SLASH = 0x2f;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;

/** Python's `\s` in str patterns (str.isspace): JavaScript's `\s` lacks \x1c-\x1f and \x85, and adds \ufeff. */
function isSpace(code: number): boolean {
  if (code <= 0x20) return (code >= 0x09 && code <= 0x0d) || code >= 0x1c;
  if (code < 0x85) return false;
  return code === 0x85 || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000;
}

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/** What ends a tag name: `[^\t\n\r\f />\x00]*` (a vertical tab does not). */
function endsTagName(code: number): boolean {
  return code === 0x09 || code === 0x0a || code === 0x0d || code === 0x0c || code === 0x20 || code === SLASH || code === GT || code === 0;
}

/** What ends an attribute name: `[^\s/=>]*`. */
function endsAttributeName(code: number): boolean {
  return isSpace(code) || code === SLASH || code === EQUALS || code === GT;
}

interface AttributeMatch {
  readonly nameStart: number;
  readonly nameEnd: number;
  /** The value as written (quotes included), when there is a `=`. */
  readonly valueStart?: number;
  readonly valueEnd?: number;
  /** After the attribute and the whitespace and lone slashes that follow it. */
  readonly end: number;
}

class TagReader {
  private readonly length: number;
  /** From this position on there is no `'` (or `"`): a failed search is never repeated. */
  private noApostropheFrom = Infinity;
  private noQuoteFrom = Infinity;

  constructor(private readonly html: string) {
    this.length = html.length;
  }

  private code(at: number): number {
    return at < this.length ? this.html.charCodeAt(at) : NaN;
  }

  private skipSpace(at: number): number {
    while (at < this.length && isSpace(this.html.charCodeAt(at))) at++;
    return at;
  }

  /** `(?:\s|/(?!>))*` */
  private skipSeparators(at: number): number {
    for (;;) {
      const code = this.code(at);
      if (isSpace(code) || (code === SLASH && this.code(at + 1) !== GT)) at++;
      else return at;
    }
  }

  /** `[^>\s]*` */
  private bareValueEnd(at: number): number {
    for (;;) {
      const code = this.code(at);
      if (at >= this.length || code === GT || isSpace(code)) return at;
      at++;
    }
  }

  private closingQuote(quote: number, from: number): number {
    const absentFrom = quote === QUOTE ? this.noQuoteFrom : this.noApostropheFrom;
    if (from >= absentFrom) return -1;
    const at = this.html.indexOf(quote === QUOTE ? '"' : "'", from);
    if (at < 0) {
      if (quote === QUOTE) this.noQuoteFrom = from;
      else this.noApostropheFrom = from;
    }
    return at;
  }

  /**
   * One attribute as attrfind_tolerant matches it at `at`:
   * `((?<=['"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*('[^']*'|"[^"]*"|(?!['"])[^>\s]*))?(?:\s|/(?!>))*`.
   * When a quoted value does not close, the regex backtracks: it gives back the whitespace after
   * `=` (the value is then empty), else one `=` of several (the value is then bare and starts
   * with that `=`), else it has no value.
   */
  matchAttribute(at: number): AttributeMatch | undefined {
    if (at === 0 || at >= this.length) return undefined;
    const before = this.html.charCodeAt(at - 1);
    if (!(before === APOSTROPHE || before === QUOTE || before === SLASH || isSpace(before))) return undefined;
    const first = this.html.charCodeAt(at);
    if (isSpace(first) || first === SLASH || first === GT) return undefined;
    let nameEnd = at + 1;
    while (nameEnd < this.length && !endsAttributeName(this.html.charCodeAt(nameEnd))) nameEnd++;
    const equals = this.skipSpace(nameEnd);
    if (this.code(equals) !== EQUALS) return { nameStart: at, nameEnd, end: this.skipSeparators(nameEnd) };
    let afterEquals = equals;
    while (this.code(afterEquals) === EQUALS) afterEquals++;
    const valueStart = this.skipSpace(afterEquals);
    const opening = this.code(valueStart);
    let value: [number, number] | undefined;
    if (opening === QUOTE || opening === APOSTROPHE) {
      const closing = this.closingQuote(opening, valueStart + 1);
      if (closing >= 0) value = [valueStart, closing + 1];
      else if (valueStart > afterEquals) value = [valueStart - 1, valueStart - 1];
      else if (afterEquals - equals >= 2) value = [afterEquals - 1, this.bareValueEnd(afterEquals - 1)];
    } else {
      value = [valueStart, this.bareValueEnd(valueStart)];
    }
    if (!value) return { nameStart: at, nameEnd, end: this.skipSeparators(nameEnd) };
    return { nameStart: at, nameEnd, valueStart: value[0], valueEnd: value[1], end: this.skipSeparators(value[1]) };
  }

  /** Where locatestarttagend_tolerant stops for the tag at `at` (`<` and a letter). */
  private startTagExtent(at: number): number {
    let position = at + 2;
    while (position < this.length && !endsTagName(this.html.charCodeAt(position))) position++;
    // `[\s/]*`, then attributes, then `\s*`.
    for (;;) {
      const code = this.code(position);
      if (isSpace(code) || code === SLASH) position++;
      else break;
    }
    for (let attribute = this.matchAttribute(position); attribute; attribute = this.matchAttribute(position)) position = attribute.end;
    return this.skipSpace(position);
  }

  /** check_for_whole_start_tag: where the tag ends, or -1 when html.parser would wait for more input. */
  private startTagEnd(at: number): number {
    const extent = this.startTagExtent(at);
    const next = this.code(extent);
    if (next === GT) return extent + 1;
    if (next === SLASH) return this.code(extent + 1) === GT ? extent + 2 : -1;
    if (extent >= this.length || isAsciiLetter(next) || next === EQUALS) return -1;
    return extent;
  }

  /** html[from, to) after Python's strip(): `>` ends a start tag, `/>` a self-closing one, anything else makes it text. */
  private tagClosing(from: number, to: number): 'open' | 'self-closing' | undefined {
    if (from > to) return undefined;
    from = this.skipSpace(from);
    while (to > from && isSpace(this.html.charCodeAt(to - 1))) to--;
    if (to - from === 1 && this.html.charCodeAt(from) === GT) return 'open';
    if (to - from === 2 && this.html.charCodeAt(from) === SLASH && this.html.charCodeAt(from + 1) === GT) return 'self-closing';
    return undefined;
  }

  /** `-->`-like comment end (`--\s*>`) from `from`: the position after it, or -1. */
  private commentEnd(from: number): number {
    for (let dashes = this.html.indexOf('--', from); dashes >= 0; dashes = this.html.indexOf('--', dashes + 1)) {
      const after = this.skipSpace(dashes + 2);
      if (this.code(after) === GT) return after + 1;
    }
    return -1;
  }

  /** After the next `>` at or after `from`, or -1. */
  private afterGreaterThan(from: number): number {
    const at = this.html.indexOf('>', from);
    return at < 0 ? -1 : at + 1;
  }

  /** `]\s*]\s*>` (or `]\s*>` for MS Office's `<![if …]>`) from `from`: the position after it, or -1. */
  private markedSectionEnd(from: number, brackets: 1 | 2): number {
    for (let bracket = this.html.indexOf(']', from); bracket >= 0; bracket = this.html.indexOf(']', bracket + 1)) {
      let at = this.skipSpace(bracket + 1);
      if (brackets === 2) {
        if (this.code(at) !== 0x5d) continue;
        at = this.skipSpace(at + 1);
      }
      if (this.code(at) === GT) return at + 1;
    }
    return -1;
  }

  /**
   * `<!` that is not a comment: a marked section (`<![CDATA[ … ]]>`), a doctype, or a bogus
   * comment up to the next `>`. -1: html.parser waits for more input; 'fails': it raises
   * AssertionError (a marked section without a name, or with one it does not know).
   */
  private declarationEnd(at: number): number | 'fails' {
    if (this.html.startsWith('<![', at)) {
      // _scan_name: `[a-zA-Z][-_.a-zA-Z0-9]*\s*`, which must not run to the end of the page.
      if (at + 3 >= this.length) return -1;
      if (!isAsciiLetter(this.html.charCodeAt(at + 3))) return 'fails';
      let nameEnd = at + 4;
      while (nameEnd < this.length && /[-_.a-zA-Z0-9]/.test(this.html[nameEnd])) nameEnd++;
      if (this.skipSpace(nameEnd) >= this.length) return -1;
      const keyword = this.html.slice(at + 3, nameEnd).toLowerCase();
      if (['temp', 'cdata', 'ignore', 'include', 'rcdata'].includes(keyword)) return this.markedSectionEnd(at + 3, 2);
      if (['if', 'else', 'endif'].includes(keyword)) return this.markedSectionEnd(at + 3, 1);
      return 'fails';
    }
    if (this.html.slice(at, at + 9).toLowerCase() === '<!doctype') return this.afterGreaterThan(at + 9);
    return this.afterGreaterThan(at + 2);
  }

  /** Where `</script>` (or `</style>`) starts at or after `from`, ASCII letters in any case; -1 if never. */
  private rawTextEnd(from: number, element: string): number {
    for (let at = this.html.indexOf('</', from); at >= 0; at = this.html.indexOf('</', at + 2)) {
      const name = this.skipSpace(at + 2);
      if (this.html.slice(name, name + element.length).toLowerCase() !== element) continue;
      if (this.code(this.skipSpace(name + element.length)) === GT) return at;
    }
    return -1;
  }

  /** Attributes kept so far, against the page's budget. */
  private attributeCount = 0;

  private attributesOf(nameEnd: number, end: number, options: ReadOptions): { attributes: Attribute[]; closing: 'open' | 'self-closing' | undefined } | undefined {
    const attributes: Attribute[] = [];
    let position = this.skipSeparators(nameEnd);
    while (position < end) {
      const attribute = this.matchAttribute(position);
      if (!attribute) break;
      position = attribute.end;
      if (options.keepAttributes === false) continue;
      if (++this.attributeCount > (options.maxAttributes ?? Infinity)) return undefined;
      const name = this.html.slice(attribute.nameStart, attribute.nameEnd).toLowerCase();
      attributes.push([name, attribute.valueStart === undefined ? null : attributeValue(this.html.slice(attribute.valueStart, attribute.valueEnd))]);
    }
    return { attributes, closing: this.tagClosing(position, end) };
  }

  /** See readStartTags. */
  read(names: ReadonlySet<string>, visit: (tag: StartTag) => boolean | void, options: ReadOptions): ReadOutcome {
    const { html, length } = this;
    let at = 0;
    let rawText: string | undefined;
    while (at < length) {
      if (rawText) {
        const close = this.rawTextEnd(at, rawText);
        if (close < 0) return { kind: 'unfinished', at };
        at = this.afterGreaterThan(close);
        rawText = undefined;
        continue;
      }
      at = html.indexOf('<', at);
      if (at < 0) return { kind: 'read' };
      const next = this.code(at + 1);
      let end: number | 'fails';
      if (isAsciiLetter(next)) {
        end = this.startTagEnd(at);
        let nameEnd = at + 2;
        while (nameEnd < length && !endsTagName(html.charCodeAt(nameEnd))) nameEnd++;
        const name = html.slice(at + 1, nameEnd).toLowerCase();
        const isRawText = name === 'script' || name === 'style';
        // Other tags end at `end` whatever their attributes say; only these need reading.
        if (end >= 0 && (names.has(name) || isRawText)) {
          const read = this.attributesOf(nameEnd, end, options);
          if (!read) return { kind: 'too-many-attributes' };
          const { attributes, closing } = read;
          const textFrom = end;
          if (closing && names.has(name) && visit({ name, attributes, text: () => textAfter(html, textFrom) }) === false) return { kind: 'stopped' };
          if (closing === 'open' && isRawText) rawText = name;
        }
      } else if (next === SLASH) {
        // parse_endtag: whatever it makes of the tag, it goes on after the next `>`.
        end = this.afterGreaterThan(at + 1);
      } else if (html.startsWith('<!--', at)) {
        end = this.commentEnd(at + 4);
      } else if (next === 0x3f) {
        end = this.afterGreaterThan(at + 2);
      } else if (next === 0x21) {
        end = this.declarationEnd(at);
      } else if (at + 1 < length) {
        end = at + 1;
      } else {
        end = -1;
      }
      if (end === 'fails') return { kind: 'fails', at };
      if (end < 0) return { kind: 'unfinished', at };
      at = end;
    }
    return { kind: 'read' };
  }
}

/** html.parser's attribute value: quotes taken off, character references replaced. */
function attributeValue(written: string): string {
  const first = written[0];
  const unquoted = (first === '"' || first === "'") && written.length >= 1 && written[written.length - 1] === first ? written.slice(1, -1) : written;
  return unquoted ? unescapeHtml(unquoted) : unquoted;
}

function textAfter(html: string, from: number): string {
  const end = html.indexOf('<', from);
  return unescapeHtml(html.slice(from, end < 0 ? html.length : end)).trim();
}

/**
 * How reading ended: the whole page was read; `visit` stopped it; the tags of `names` held more
 * than `maxAttributes` attributes; markup that does not end at `at` hid the rest (html.parser
 * waits for input pip never sends); or html.parser raises at `at` (pip then fails on the page).
 */
export type ReadOutcome = { readonly kind: 'read' | 'stopped' | 'too-many-attributes' } | { readonly kind: 'unfinished' | 'fails'; readonly at: number };

export interface ReadOptions {
  /**
   * Attributes kept for the tags of `names` over the whole page, at most (`<a x x x …>` would
   * otherwise cost a hundred bytes of memory per two bytes of page).
   */
  readonly maxAttributes?: number;
  /** false: tags come without their attributes (for their text only), and none are counted. */
  readonly keepAttributes?: boolean;
}

/** Calls `visit` for each start tag named in `names`, in document order; `visit` returning false stops reading. */
export function readStartTags(html: string, names: ReadonlySet<string>, visit: (tag: StartTag) => boolean | void, options: ReadOptions = {}): ReadOutcome {
  return new TagReader(html).read(names, visit, options);
}

// ---- character references (Python's html.unescape) ----------------------------------------

/**
 * The named references that also work without `;` (HTML5's legacy ones), with their code points.
 * Python's table has 2,231 names with `;`; only these and `&apos;` are kept here: the rest do not
 * turn up in index links, and an unknown name is left as written.
 */
const LEGACY_ENTITIES =
  'Aacute:c1 aacute:e1 Acirc:c2 acirc:e2 acute:b4 AElig:c6 aelig:e6 Agrave:c0 agrave:e0 AMP:26 amp:26 Aring:c5 aring:e5 Atilde:c3 atilde:e3 Auml:c4 auml:e4 brvbar:a6 Ccedil:c7 ccedil:e7 cedil:b8 cent:a2 COPY:a9 copy:a9 curren:a4 deg:b0 divide:f7 Eacute:c9 eacute:e9 Ecirc:ca ecirc:ea Egrave:c8 egrave:e8 ETH:d0 eth:f0 Euml:cb euml:eb frac12:bd frac14:bc frac34:be GT:3e gt:3e Iacute:cd iacute:ed Icirc:ce icirc:ee iexcl:a1 Igrave:cc igrave:ec iquest:bf Iuml:cf iuml:ef laquo:ab LT:3c lt:3c macr:af micro:b5 middot:b7 nbsp:a0 not:ac Ntilde:d1 ntilde:f1 Oacute:d3 oacute:f3 Ocirc:d4 ocirc:f4 Ograve:d2 ograve:f2 ordf:aa ordm:ba Oslash:d8 oslash:f8 Otilde:d5 otilde:f5 Ouml:d6 ouml:f6 para:b6 plusmn:b1 pound:a3 QUOT:22 quot:22 raquo:bb REG:ae reg:ae sect:a7 shy:ad sup1:b9 sup2:b2 sup3:b3 szlig:df THORN:de thorn:fe times:d7 Uacute:da uacute:fa Ucirc:db ucirc:fb Ugrave:d9 ugrave:f9 uml:a8 Uuml:dc uuml:fc Yacute:dd yacute:fd yen:a5 yuml:ff';

const LEGACY = new Map(LEGACY_ENTITIES.split(' ').map((entry) => [entry.slice(0, entry.indexOf(':')), String.fromCodePoint(parseInt(entry.slice(entry.indexOf(':') + 1), 16))]));
const NAMED = new Map([...[...LEGACY].map(([name, text]) => [`${name};`, text] as const), ['apos;', "'"]]);
for (const [name, text] of LEGACY) NAMED.set(name, text);

/** Numeric references HTML5 maps elsewhere (Windows-1252 for 0x80-0x9f). */
const REMAPPED: ReadonlyMap<number, string> = new Map([
  [0x00, '\ufffd'], [0x0d, '\r'], [0x80, '\u20ac'], [0x81, '\x81'], [0x82, '\u201a'], [0x83, '\u0192'], [0x84, '\u201e'], [0x85, '\u2026'],
  [0x86, '\u2020'], [0x87, '\u2021'], [0x88, '\u02c6'], [0x89, '\u2030'], [0x8a, '\u0160'], [0x8b, '\u2039'], [0x8c, '\u0152'], [0x8d, '\x8d'],
  [0x8e, '\u017d'], [0x8f, '\x8f'], [0x90, '\x90'], [0x91, '\u2018'], [0x92, '\u2019'], [0x93, '\u201c'], [0x94, '\u201d'], [0x95, '\u2022'],
  [0x96, '\u2013'], [0x97, '\u2014'], [0x98, '\u02dc'], [0x99, '\u2122'], [0x9a, '\u0161'], [0x9b, '\u203a'], [0x9c, '\u0153'], [0x9d, '\x9d'],
  [0x9e, '\u017e'], [0x9f, '\u0178'],
]);

/** Code points a numeric reference may not produce: they become nothing. */
function isDroppedCodePoint(code: number): boolean {
  return (code >= 0x01 && code <= 0x08) || code === 0x0b || (code >= 0x0e && code <= 0x1f) || (code >= 0x7f && code <= 0x9f) || (code >= 0xfdd0 && code <= 0xfdef) || (code & 0xfffe) === 0xfffe;
}

function replaceReference(whole: string, reference: string): string {
  if (reference[0] === '#') {
    const hex = reference[1] === 'x' || reference[1] === 'X';
    const code = parseInt(reference.slice(hex ? 2 : 1), hex ? 16 : 10);
    const remapped = REMAPPED.get(code);
    if (remapped !== undefined) return remapped;
    if ((code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) return '\ufffd';
    return isDroppedCodePoint(code) ? '' : String.fromCodePoint(code);
  }
  const named = NAMED.get(reference);
  if (named !== undefined) return named;
  // The longest legacy name the reference starts with (`&copy=1` is `©=1`).
  for (let length = reference.length - 1; length > 1; length--) {
    const legacy = LEGACY.get(reference.slice(0, length));
    if (legacy !== undefined) return legacy + reference.slice(length);
  }
  return whole;
}

/** Python's html.unescape (which html.parser applies to attribute values and pip to nothing else). */
export function unescapeHtml(text: string): string {
  return text.includes('&') ? text.replace(/&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)/gu, replaceReference) : text;
}
