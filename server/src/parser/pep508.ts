// PEP 508 requirement and marker parser: a port of packaging 26.2 (`_tokenizer.py`, `_parser.py`,
// the `Specifier` regex, `Marker` formatting) that also records exact source spans.
// Pure and total: every input gives a result, errors are data.
// Ours: npm has no port of packaging's parser (pip-requirements-js has PEP 508's grammar, not packaging's).

import { pyStripBounds } from './pyText';
import type { Span } from './types';

export interface SpecifierClause {
  /** `str(Specifier)`: operator + version with the whitespace between them removed. */
  readonly text: string;
  readonly operator: string;
  readonly version: string;
  readonly span: Span;
  readonly operatorSpan: Span;
  readonly versionSpan: Span;
}

export interface ExtraName {
  /** As written (packaging keeps extras unnormalized). */
  readonly name: string;
  /** PEP 685 / PEP 503 normalized form. */
  readonly normalized: string;
  readonly span: Span;
}

/** A marker variable (with packaging's aliases resolved, e.g. `os.name` → `os_name`) or a string literal. */
export type MarkerOperand =
  | { readonly kind: 'variable'; readonly name: string; readonly span: Span }
  | { readonly kind: 'string'; readonly value: string; readonly span: Span };

export interface MarkerComparison {
  readonly kind: 'comparison';
  readonly left: MarkerOperand;
  /** `not in` is always spelled with one space. */
  readonly operator: string;
  readonly operatorSpan: Span;
  readonly right: MarkerOperand;
  readonly span: Span;
}

export interface MarkerGroup {
  readonly kind: 'group';
  readonly items: MarkerExpression;
  /** Includes the parentheses. */
  readonly span: Span;
}

/** packaging's MarkerList: atoms separated by `and` / `or`, as written (no precedence applied). */
export type MarkerExpression = ReadonlyArray<MarkerComparison | MarkerGroup | 'and' | 'or'>;

export interface MarkerInfo {
  /** The marker source text, from its first to its last token. */
  readonly text: string;
  /** `str(packaging.markers.Marker(text))`. */
  readonly normalized: string;
  readonly span: Span;
  readonly expression: MarkerExpression;
}

export interface Requirement {
  readonly name: string;
  readonly nameSpan: Span;
  readonly extras: ExtraName[];
  /** Covers the brackets. */
  readonly extrasSpan?: Span;
  /** In source order (packaging's SpecifierSet may print them sorted). */
  readonly specifiers: SpecifierClause[];
  /** The whole specifier text, including parentheses if used. */
  readonly specifierSpan?: Span;
  readonly url?: { readonly value: string; readonly span: Span };
  readonly marker?: MarkerInfo;
  readonly semicolonSpan?: Span;
}

/**
 * `syntax`: packaging's ParserSyntaxError (InvalidRequirement / InvalidMarker).
 * `specifier`: InvalidSpecifier raised while building the SpecifierSet (only after `===`).
 * `string-literal`: Python rejected a quoted marker string in `ast.literal_eval` (pip would crash).
 * `internal`: a defect in this parser, reported rather than thrown.
 */
export type ParseErrorKind = 'syntax' | 'specifier' | 'string-literal' | 'internal';

export type ParseResult<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      message: string;
      /** packaging's error span (its `~~~` run); the caret sits at `span.end`. */
      span: Span;
      kind: ParseErrorKind;
    };

/** Parses `text` as a PEP 508 requirement; `offset` is where text[0] sits in the document, so every span is document-absolute. */
export function parseRequirement(text: string, offset = 0): ParseResult<Requirement> {
  return runParser(text, offset, (parser) => parser.parseRequirement());
}

/** Parses a marker expression alone (pip splits "; marker" off some lines and parses it with Marker()). */
export function parseMarker(text: string, offset = 0): ParseResult<MarkerInfo> {
  return runParser(text, offset, (parser) => parser.parseFullMarker());
}

/**
 * The marker with every span in it mapped by `map`: its own, and those of each comparison,
 * operand, operator and group (a parser that ran on part of a line gives spans in that part).
 */
export function mapMarkerSpans(marker: MarkerInfo, map: (span: Span) => Span): MarkerInfo {
  return { ...marker, span: map(marker.span), expression: mapExpressionSpans(marker.expression, map) };
}

// Recursive, like the parser that built the expression: nesting it accepted fits the stack here.
function mapExpressionSpans(expression: MarkerExpression, map: (span: Span) => Span): MarkerExpression {
  return expression.map((node) => {
    if (typeof node === 'string') return node;
    if (node.kind === 'group') return { ...node, items: mapExpressionSpans(node.items, map), span: map(node.span) };
    return {
      ...node,
      left: { ...node.left, span: map(node.left.span) },
      operatorSpan: map(node.operatorSpan),
      right: { ...node.right, span: map(node.right.span) },
      span: map(node.span),
    };
  });
}

/** PEP 503 normalization: lowercase, runs of -_. become '-'. */
export function canonicalizeName(name: string): string {
  // Most names are already normal: keep the string instead of building an equal one.
  return NOT_CANONICAL.test(name) ? name.toLowerCase().replace(/[-_.]+/g, '-') : name;
}

const NOT_CANONICAL = /[A-Z_.]|--|[^\x00-\x7f]/;

// ---------------------------------------------------------------------------------------------
// Token rules (packaging/_tokenizer.py DEFAULT_RULES). Python's `re` differs from JS regexes in
// `\s`, `\b` and IGNORECASE, so those are spelled out to match Python exactly.

/** Python's `\s` for str patterns (same set as str.isspace()). */
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
/** Python's `\w` for str patterns: str.isalnum() (letters and numbers) or underscore. */
const PY_WORD = '[\\p{L}\\p{N}_]';
const PY_BOUNDARY = `(?:(?<=${PY_WORD})(?!${PY_WORD})|(?<!${PY_WORD})(?=${PY_WORD}))`;

/**
 * A case-insensitive literal as Python's IGNORECASE matches it. Under the (?a:) ASCII flag only
 * ASCII case pairs match; in Unicode mode `i` also matches U+0130/U+0131 and `s` matches U+017F.
 */
function ignoreCase(word: string, unicode: boolean): string {
  let pattern = '';
  for (const ch of word) {
    let variants = ch.toLowerCase() + ch.toUpperCase();
    if (unicode && ch === 'i') variants += '\u0130\u0131';
    if (unicode && ch === 's') variants += '\u017f';
    pattern += `[${variants}]`;
  }
  return pattern;
}

function alternatives(words: string[], unicode: boolean): string {
  return `(?:${words.map((w) => ignoreCase(w, unicode)).join('|')})`;
}

function versionTail(unicode: boolean, withLocal: boolean): string {
  const pre = `(?:[-_.]?${alternatives(['alpha', 'beta', 'preview', 'pre', 'a', 'b', 'c', 'rc'], unicode)}[-_.]?[0-9]*)?`;
  const post = `(?:(?:-[0-9]+)|(?:[-_.]?${alternatives(['post', 'rev', 'r'], unicode)}[-_.]?[0-9]*))?`;
  const dev = `(?:[-_.]?${ignoreCase('dev', unicode)}[-_.]?[0-9]*)?`;
  const local = withLocal ? '(?:\\+[a-zA-Z0-9]+(?:[-_.][a-zA-Z0-9]+)*)?' : '';
  return pre + post + dev + local;
}

// Specifier._specifier_regex_str, branch by branch. Only the ~= branch lacks the (?a:) groups.
const VERSION_HEAD = `[${PY_SPACE}]*[vV]?(?:[0-9]+!)?[0-9]+`;
const SPECIFIER_SOURCE =
  '(?:' +
  `(?:===[${PY_SPACE}]*[^${PY_SPACE};)]*)` +
  `|(?:(?:==|!=)${VERSION_HEAD}(?:\\.[0-9]+)*(?:\\.\\*|${versionTail(false, true)})?)` +
  `|(?:~=${VERSION_HEAD}(?:\\.[0-9]+)+${versionTail(true, false)})` +
  `|(?:(?:<=|>=|<|>)${VERSION_HEAD}(?:\\.[0-9]+)*${versionTail(false, false)})` +
  ')';

/** Specifier._regex, used with fullmatch when SpecifierSet re-splits the text on commas. */
const SPECIFIER_FULL = new RegExp(`^[${PY_SPACE}]*${SPECIFIER_SOURCE}[${PY_SPACE}]*$`, 'u');

const MARKER_VARIABLES =
  'python_version|python_full_version|os[._]name|sys[._]platform|platform_(?:release|system)' +
  '|platform[._](?:version|machine|python_implementation)|python_implementation' +
  '|implementation_(?:name|version)|extras?|dependency_groups';

const RULES = {
  LEFT_PARENTHESIS: /\(/uy,
  RIGHT_PARENTHESIS: /\)/uy,
  LEFT_BRACKET: /\[/uy,
  RIGHT_BRACKET: /\]/uy,
  SEMICOLON: /;/uy,
  COMMA: /,/uy,
  QUOTED_STRING: /'[^']*'|"[^"]*"/uy,
  OP: /===|==|~=|!=|<=|>=|<|>/uy,
  BOOLOP: new RegExp(`${PY_BOUNDARY}(?:or|and)${PY_BOUNDARY}`, 'uy'),
  IN: new RegExp(`${PY_BOUNDARY}in${PY_BOUNDARY}`, 'uy'),
  NOT: new RegExp(`${PY_BOUNDARY}not${PY_BOUNDARY}`, 'uy'),
  VARIABLE: new RegExp(`${PY_BOUNDARY}(?:${MARKER_VARIABLES})${PY_BOUNDARY}`, 'uy'),
  SPECIFIER: new RegExp(SPECIFIER_SOURCE, 'uy'),
  AT: /@/uy,
  URL: /[^ \t]+/uy,
  IDENTIFIER: new RegExp(`${PY_BOUNDARY}[a-zA-Z0-9][a-zA-Z0-9._\\-]*${PY_BOUNDARY}`, 'uy'),
  VERSION_PREFIX_TRAIL: /\.\*/uy,
  VERSION_LOCAL_LABEL_TRAIL: /\+[a-z0-9]+(?:[-_.][a-z0-9]+)*/uy,
  WS: /[ \t]+/uy,
} as const;

type TokenName = keyof typeof RULES | 'END';

interface Token {
  readonly name: TokenName;
  readonly text: string;
  /** Offset within the parsed text (not yet document-absolute). */
  readonly position: number;
}

/** Thrown inside the parser only; `runParser` turns it into a ParseResult. */
class ParseFailure {
  constructor(
    readonly message: string,
    readonly start: number,
    readonly end: number,
    readonly kind: ParseErrorKind,
  ) {}
}

function runParser<T>(text: string, offset: number, parse: (parser: Parser) => T): ParseResult<T> {
  const base = Number.isFinite(offset) ? offset : 0;
  try {
    return { ok: true, value: parse(new Parser(String(text), base)) };
  } catch (error) {
    if (error instanceof ParseFailure) {
      return { ok: false, message: error.message, span: { start: base + error.start, end: base + error.end }, kind: error.kind };
    }
    // Deep nesting can exhaust the stack (Python raises RecursionError there too).
    const detail = error instanceof RangeError ? 'expression nested too deeply' : String(error);
    return { ok: false, message: `Could not parse: ${detail}`, span: { start: base, end: base + String(text).length }, kind: 'internal' };
  }
}

// ---------------------------------------------------------------------------------------------
// Recursive descent, mirroring packaging/_parser.py function by function.

interface ParsedMarker {
  readonly expression: MarkerExpression;
  /** Local offsets of the first and last token, whitespace excluded. */
  readonly start: number;
  readonly end: number;
}

class Parser {
  private position = 0;
  private pending: Token | undefined;

  constructor(
    private readonly source: string,
    private readonly offset: number,
  ) {}

  // --- Tokenizer (packaging/_tokenizer.py) ---

  private check(name: TokenName, peek = false): boolean {
    if (this.pending) throw new Error(`token ${this.pending.name} checked but not read`);
    const text = this.matchAt(name);
    if (text === undefined) return false;
    if (!peek) this.pending = { name, text, position: this.position };
    return true;
  }

  private matchAt(name: TokenName): string | undefined {
    if (name === 'END') {
      // Python's `$` also matches just before a final newline.
      const rest = this.source.length - this.position;
      return rest === 0 || (rest === 1 && this.source[this.position] === '\n') ? '' : undefined;
    }
    const rule = RULES[name];
    rule.lastIndex = this.position;
    const match = rule.exec(this.source);
    return match ? match[0] : undefined;
  }

  private read(): Token {
    const token = this.pending;
    if (!token) throw new Error('read() without a checked token');
    this.position += token.text.length;
    this.pending = undefined;
    return token;
  }

  private consume(name: TokenName): void {
    if (this.check(name)) this.read();
  }

  private expect(name: TokenName, expected: string): Token {
    if (!this.check(name)) this.fail(`Expected ${expected}`);
    return this.read();
  }

  private fail(message: string, start = this.position, end = this.position, kind: ParseErrorKind = 'syntax'): never {
    throw new ParseFailure(message, start, end, kind);
  }

  private span(start: number, end: number): Span {
    return { start: this.offset + start, end: this.offset + end };
  }

  /** tokenizer.enclosing_tokens: an optional opening token that, once seen, must be closed. */
  private enclosed<T>(open: TokenName, close: TokenName, around: string, body: () => T): { value: T; start?: number } {
    let openPosition: number | undefined;
    if (this.check(open)) {
      openPosition = this.position;
      this.read();
    }
    const value = body();
    if (openPosition === undefined) return { value };
    if (!this.check(close)) {
      this.fail(`Expected matching ${close} for ${open}, after ${around}`, openPosition);
    }
    this.read();
    return { value, start: openPosition };
  }

  // --- Requirement ---

  parseRequirement(): Requirement {
    this.consume('WS');
    const nameToken = this.expect('IDENTIFIER', 'package name at the start of dependency specifier');
    this.consume('WS');
    const { extras, extrasSpan } = this.parseExtras();
    this.consume('WS');
    const details = this.parseRequirementDetails();
    this.expect('END', 'end of dependency specifier');

    // packaging builds the SpecifierSet only after the whole string has parsed.
    const specifiers = this.buildClauses(details.specifierTokens);
    return {
      name: nameToken.text,
      nameSpan: this.span(nameToken.position, nameToken.position + nameToken.text.length),
      extras,
      ...(extrasSpan && { extrasSpan }),
      specifiers,
      ...(details.specifierSpan && { specifierSpan: details.specifierSpan }),
      ...(details.url && { url: details.url }),
      ...(details.marker && { marker: this.markerInfo(details.marker) }),
      ...(details.semicolonSpan && { semicolonSpan: details.semicolonSpan }),
    };
  }

  private parseRequirementDetails(): {
    url?: { value: string; span: Span };
    specifierTokens: Token[];
    specifierSpan?: Span;
    marker?: ParsedMarker;
    semicolonSpan?: Span;
  } {
    if (this.check('AT')) {
      this.read();
      this.consume('WS');
      const urlStart = this.position;
      const urlToken = this.expect('URL', 'URL after @');
      const url = { value: urlToken.text, span: this.span(urlStart, urlStart + urlToken.text.length) };
      if (this.check('END', true)) return { url, specifierTokens: [] };
      this.expect('WS', 'whitespace after URL');
      if (this.check('END', true)) return { url, specifierTokens: [] };
      const marker = this.parseRequirementMarker(urlStart, 'semicolon (after URL and whitespace)');
      return { url, specifierTokens: [], ...marker };
    }

    const specifierStart = this.position;
    const specifier = this.parseSpecifier();
    this.consume('WS');
    const specifierSpan = specifier.start !== undefined ? this.span(specifier.start, specifier.end) : undefined;
    if (this.check('END', true)) return { specifierTokens: specifier.tokens, specifierSpan };
    const marker = this.parseRequirementMarker(
      specifierStart,
      specifier.tokens.length > 0
        ? 'comma (within version specifier), semicolon (after version specifier)'
        : 'semicolon (after name with no version specifier)',
    );
    return { specifierTokens: specifier.tokens, specifierSpan, ...marker };
  }

  private parseRequirementMarker(spanStart: number, expected: string): { marker: ParsedMarker; semicolonSpan: Span } {
    if (!this.check('SEMICOLON')) this.fail(`Expected ${expected} or end`, spanStart);
    const semicolon = this.read();
    const marker = this.parseMarker();
    this.consume('WS');
    return { marker, semicolonSpan: this.span(semicolon.position, semicolon.position + 1) };
  }

  private parseExtras(): { extras: ExtraName[]; extrasSpan?: Span } {
    if (!this.check('LEFT_BRACKET', true)) return { extras: [] };
    const { value: extras, start } = this.enclosed('LEFT_BRACKET', 'RIGHT_BRACKET', 'extras', () => {
      this.consume('WS');
      const list = this.parseExtrasList();
      this.consume('WS');
      return list;
    });
    return { extras, extrasSpan: this.span(start ?? 0, this.position) };
  }

  private parseExtrasList(): ExtraName[] {
    const extras: ExtraName[] = [];
    if (!this.check('IDENTIFIER')) return extras;
    extras.push(this.extraName(this.read()));
    for (;;) {
      this.consume('WS');
      if (this.check('IDENTIFIER', true)) {
        this.fail('Expected comma between extra names');
      } else if (!this.check('COMMA')) {
        break;
      }
      this.read();
      this.consume('WS');
      extras.push(this.extraName(this.expect('IDENTIFIER', 'extra name after comma')));
    }
    return extras;
  }

  private extraName(token: Token): ExtraName {
    return {
      name: token.text,
      normalized: canonicalizeName(token.text),
      span: this.span(token.position, token.position + token.text.length),
    };
  }

  /** Returns the SPECIFIER tokens and the local extent of the specifier (parentheses included). */
  private parseSpecifier(): { tokens: Token[]; start?: number; end: number } {
    const { value: tokens, start } = this.enclosed('LEFT_PARENTHESIS', 'RIGHT_PARENTHESIS', 'version specifier', () => {
      this.consume('WS');
      const found = this.parseVersionMany();
      this.consume('WS');
      return found;
    });
    if (start !== undefined) return { tokens, start, end: this.position };
    if (tokens.length === 0) return { tokens, end: this.position };
    const last = tokens[tokens.length - 1];
    return { tokens, start: tokens[0].position, end: last.position + trimmedEnd(last.text) };
  }

  private parseVersionMany(): Token[] {
    const tokens: Token[] = [];
    while (this.check('SPECIFIER')) {
      const spanStart = this.position;
      tokens.push(this.read());
      if (this.check('VERSION_PREFIX_TRAIL', true)) {
        this.fail('.* suffix can only be used with `==` or `!=` operators', spanStart, this.position + 1);
      }
      if (this.check('VERSION_LOCAL_LABEL_TRAIL', true)) {
        this.fail('Local version label can only be used with `==` or `!=` operators', spanStart, this.position);
      }
      this.consume('WS');
      if (!this.check('COMMA')) break;
      this.read();
      this.consume('WS');
    }
    return tokens;
  }

  /**
   * SpecifierSet splits the joined specifier text on commas and parses each piece with Specifier().
   * Only an `===` token can contain a comma (its version runs up to whitespace, `;` or `)`), so a
   * token is split the same way here; a piece that is not a specifier is InvalidSpecifier.
   */
  private buildClauses(tokens: Token[]): SpecifierClause[] {
    const clauses: SpecifierClause[] = [];
    for (const token of tokens) {
      let pieceStart = 0;
      for (const piece of token.text.split(',')) {
        const clause = this.buildClause(piece, token.position + pieceStart);
        if (clause) clauses.push(clause);
        pieceStart += piece.length + 1;
      }
    }
    return clauses;
  }

  private buildClause(piece: string, position: number): SpecifierClause | undefined {
    const clause = specifierClause(piece, position + this.offset);
    if (clause === 'invalid') {
      const [from, to] = pyStripBounds(piece, 0, piece.length);
      return this.fail(`Invalid specifier: ${pyRepr(piece.slice(from, to))}`, position + from, position + to, 'specifier');
    }
    return clause;
  }

  // --- Marker ---

  parseFullMarker(): MarkerInfo {
    const marker = this.parseMarker();
    this.expect('END', 'end of marker expression');
    return this.markerInfo(marker);
  }

  private markerInfo(marker: ParsedMarker): MarkerInfo {
    return {
      text: this.source.slice(marker.start, marker.end),
      normalized: formatMarker(marker.expression),
      span: this.span(marker.start, marker.end),
      expression: marker.expression,
    };
  }

  private parseMarker(): ParsedMarker {
    const first = this.parseMarkerAtom();
    const expression: Array<MarkerComparison | MarkerGroup | 'and' | 'or'> = [first.atom];
    let end = first.end;
    while (this.check('BOOLOP')) {
      const operator = this.read().text as 'and' | 'or';
      const next = this.parseMarkerAtom();
      expression.push(operator, next.atom);
      end = next.end;
    }
    return { expression, start: first.start, end };
  }

  private parseMarkerAtom(): { atom: MarkerComparison | MarkerGroup; start: number; end: number } {
    this.consume('WS');
    let result: { atom: MarkerComparison | MarkerGroup; start: number; end: number };
    if (this.check('LEFT_PARENTHESIS', true)) {
      const { value: inner, start } = this.enclosed('LEFT_PARENTHESIS', 'RIGHT_PARENTHESIS', 'marker expression', () => {
        this.consume('WS');
        const parsed = this.parseMarker();
        this.consume('WS');
        return parsed;
      });
      const groupStart = start ?? inner.start;
      result = {
        atom: { kind: 'group', items: inner.expression, span: this.span(groupStart, this.position) },
        start: groupStart,
        end: this.position,
      };
    } else {
      result = this.parseMarkerItem();
    }
    this.consume('WS');
    return result;
  }

  private parseMarkerItem(): { atom: MarkerComparison; start: number; end: number } {
    this.consume('WS');
    const start = this.position;
    const left = this.parseMarkerVar();
    this.consume('WS');
    const operatorStart = this.position;
    const operator = this.parseMarkerOp();
    const operatorSpan = this.span(operatorStart, this.position);
    this.consume('WS');
    const right = this.parseMarkerVar();
    const end = this.position;
    this.consume('WS');
    return { atom: { kind: 'comparison', left, operator, operatorSpan, right, span: this.span(start, end) }, start, end };
  }

  private parseMarkerVar(): MarkerOperand {
    if (this.check('VARIABLE')) {
      const token = this.read();
      const name = token.text.replace('.', '_');
      return {
        kind: 'variable',
        name: name === 'python_implementation' ? 'platform_python_implementation' : name,
        span: this.span(token.position, this.position),
      };
    }
    if (this.check('QUOTED_STRING')) {
      const token = this.read();
      const literal = evalPythonString(token.text);
      if (!literal.ok) this.fail(literal.message, token.position, this.position, 'string-literal');
      return { kind: 'string', value: literal.value, span: this.span(token.position, this.position) };
    }
    return this.fail('Expected a marker variable or quoted string');
  }

  private parseMarkerOp(): string {
    if (this.check('IN')) {
      this.read();
      return 'in';
    }
    if (this.check('NOT')) {
      this.read();
      this.expect('WS', "whitespace after 'not'");
      this.expect('IN', "'in' after 'not'");
      return 'not in';
    }
    if (this.check('OP')) return this.read().text;
    return this.fail('Expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in');
  }
}

// ---------------------------------------------------------------------------------------------
// Specifiers outside a requirement: packaging's Specifier(text) and SpecifierSet(text).

/**
 * One clause as `packaging.specifiers.Specifier(piece)` reads it (surrounding whitespace allowed),
 * with spans from `offset`; undefined for a blank piece, 'invalid' where packaging raises InvalidSpecifier.
 */
function specifierClause(piece: string, offset: number): SpecifierClause | 'invalid' | undefined {
  const [from, to] = pyStripBounds(piece, 0, piece.length);
  if (from === to) return undefined;
  const spec = piece.slice(from, to);
  if (!SPECIFIER_FULL.test(spec)) return 'invalid';
  const operatorLength = spec.startsWith('===') ? 3 : /^(?:~=|==|!=|<=|>=)/.test(spec) ? 2 : 1;
  const [versionFrom, versionTo] = pyStripBounds(spec, operatorLength, spec.length);
  const operator = spec.slice(0, operatorLength);
  const version = spec.slice(versionFrom, versionTo);
  const start = offset + from;
  return {
    // Written without spaces (nearly always), the clause is its own text: no new string.
    text: versionFrom === operatorLength && versionTo === spec.length ? spec : operator + version,
    operator,
    version,
    span: { start, end: start + spec.length },
    operatorSpan: { start, end: start + operatorLength },
    versionSpan: { start: start + versionFrom, end: start + versionTo },
  };
}

/** `packaging.specifiers.Specifier(text)`: undefined where packaging raises InvalidSpecifier (a blank text included). */
export function parseSpecifier(text: string): SpecifierClause | undefined {
  const clause = specifierClause(text, 0);
  return clause === 'invalid' ? undefined : clause;
}

/** `packaging.specifiers.SpecifierSet(text)`: its clauses (none for ''), or undefined where packaging raises InvalidSpecifier. */
export function parseSpecifierSet(text: string): SpecifierClause[] | undefined {
  const clauses: SpecifierClause[] = [];
  let start = 0;
  for (const piece of text.split(',')) {
    const clause = specifierClause(piece, start);
    if (clause === 'invalid') return undefined;
    if (clause) clauses.push(clause);
    start += piece.length + 1;
  }
  return clauses;
}

// ---------------------------------------------------------------------------------------------
// Marker formatting (markers.py `_format_marker`, `_normalize_extra_values`).

function formatMarker(expression: MarkerExpression): string {
  // packaging normalizes `extra` values only in the top-level list, not inside parentheses.
  return formatList(expression, true, true);
}

function formatList(list: MarkerExpression, first: boolean, normalizeExtras: boolean): string {
  // A one-element list prints as its element, with no parentheses (even when nested).
  if (list.length === 1 && typeof list[0] !== 'string') return formatNode(list[0], true, normalizeExtras);
  const inner = list.map((node) => formatNode(node, false, normalizeExtras)).join(' ');
  return first ? inner : `(${inner})`;
}

function formatNode(node: MarkerExpression[number], first: boolean, normalizeExtras: boolean): string {
  if (typeof node === 'string') return node;
  if (node.kind === 'group') return formatList(node.items, first, false);
  const { left, right } = normalizeExtras ? withNormalizedExtra(node) : node;
  return `${serializeOperand(left)} ${node.operator} ${serializeOperand(right)}`;
}

/**
 * The operands of a top-level comparison as packaging's Marker holds them: the other side of an
 * `extra` comparison is canonicalized (`_normalize_extra_values`; only the top-level list, not
 * inside parentheses, which evaluation must follow too).
 */
export function withNormalizedExtra(node: MarkerComparison): { left: MarkerOperand; right: MarkerOperand } {
  if (node.left.kind === 'variable' && node.left.name === 'extra') return { left: node.left, right: asNormalizedExtra(node.right) };
  if (node.right.kind === 'variable' && node.right.name === 'extra') return { left: asNormalizedExtra(node.left), right: node.right };
  return node;
}

/** packaging replaces the other side of `extra ==` with Value(canonicalize_name(node.value)), even a variable. */
function asNormalizedExtra(operand: MarkerOperand): MarkerOperand {
  const value = operand.kind === 'variable' ? operand.name : operand.value;
  return { kind: 'string', value: canonicalizeName(value), span: operand.span };
}

function serializeOperand(operand: MarkerOperand): string {
  return operand.kind === 'variable' ? operand.name : `"${operand.value}"`;
}

// ---------------------------------------------------------------------------------------------
// Python helpers.

function trimmedEnd(text: string): number {
  return pyStripBounds(text, 0, text.length)[1];
}

const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** Python's repr() of a str, as used in packaging's "Invalid specifier: '...'" message. */
function pyRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + hex(code, 2);
    else if (code < 0x7f || ch === ' ') out += ch;
    else if (!NOT_PRINTABLE.test(ch)) out += ch;
    else if (code <= 0xff) out += '\\x' + hex(code, 2);
    else if (code <= 0xffff) out += '\\u' + hex(code, 4);
    else out += '\\U' + hex(code, 8);
  }
  return out + quote;
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}

type LiteralResult = { ok: true; value: string } | { ok: false; message: string };

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};

/**
 * `ast.literal_eval` of one QUOTED_STRING token, with CPython 3.11's errors. The messages' byte
 * positions index CPython's intermediate buffer, where each non-ASCII character is written as a
 * 10-byte `\UXXXXXXXX` escape and a backslash before one as the 6-byte `\u005c`.
 * `\N{name}` escapes are kept verbatim: resolving Unicode names needs a database we do not ship.
 */
function evalPythonString(token: string): LiteralResult {
  let codePointIndex = 0;
  for (const ch of token) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0xd800 && code <= 0xdfff) {
      return { ok: false, message: `'utf-8' codec can't encode character '\\u${hex(code, 4)}' in position ${codePointIndex}: surrogates not allowed` };
    }
    codePointIndex++;
  }
  if (token.includes('\0')) return { ok: false, message: 'source code string cannot contain null bytes' };

  // Python's tokenizer reads "\r\n" and "\r" as "\n"; a string may only span lines via "\" + newline.
  const body = token.slice(1, -1).replace(/\r\n?/g, '\n');
  let line = 1;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '\n') return { ok: false, message: `unterminated string literal (detected at line ${line})` };
    if (ch !== '\\') continue;
    // A final backslash escapes the closing quote.
    if (i + 1 >= body.length) return { ok: false, message: `unterminated string literal (detected at line ${line})` };
    if (body[i + 1] === '\n') line++;
    i++;
  }

  const chars = Array.from(body);
  let value = '';
  let bufferPosition = 0;
  const unicodeError = (start: number, consumed: number, reason: string): LiteralResult => ({
    ok: false,
    message: `(unicode error) 'unicodeescape' codec can't decode bytes in position ${start}-${start + consumed - 1}: ${reason}`,
  });
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch !== '\\') {
      value += ch;
      bufferPosition += isAscii(ch) ? 1 : 10;
      continue;
    }
    const start = bufferPosition;
    const next = chars[++i];
    if (!isAscii(next)) {
      value += '\\' + next;
      bufferPosition += 6 + 10;
      continue;
    }
    if (next === '\n') {
      bufferPosition += 2;
    } else if (Object.hasOwn(SIMPLE_ESCAPES, next)) {
      value += SIMPLE_ESCAPES[next];
      bufferPosition += 2;
    } else if (next >= '0' && next <= '7') {
      let digits = next;
      while (digits.length < 3 && i + 1 < chars.length && chars[i + 1] >= '0' && chars[i + 1] <= '7') digits += chars[++i];
      value += String.fromCodePoint(parseInt(digits, 8));
      bufferPosition += 1 + digits.length;
    } else if (next === 'x' || next === 'u' || next === 'U') {
      const width = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      let digits = '';
      while (digits.length < width && i + 1 < chars.length && /^[0-9a-fA-F]$/.test(chars[i + 1])) digits += chars[++i];
      if (digits.length < width) {
        const escapeName = next === 'x' ? '\\xXX' : next === 'u' ? '\\uXXXX' : '\\UXXXXXXXX';
        return unicodeError(start, 2 + digits.length, `truncated ${escapeName} escape`);
      }
      const code = parseInt(digits, 16);
      if (code > 0x10ffff) return unicodeError(start, 2 + width, 'illegal Unicode character');
      value += String.fromCodePoint(code);
      bufferPosition += 2 + width;
    } else if (next === 'N') {
      const close = chars.indexOf('}', i + 1);
      if (chars[i + 1] !== '{' || close <= i + 2) return unicodeError(start, 2, 'malformed \\N character escape');
      const raw = chars.slice(i - 1, close + 1).join('');
      value += raw;
      bufferPosition += raw.length;
      i = close;
    } else {
      // Unknown escapes keep their backslash (a DeprecationWarning in Python, not an error).
      value += '\\' + next;
      bufferPosition += 2;
    }
  }
  return { ok: true, value };
}

function isAscii(ch: string): boolean {
  return ch.charCodeAt(0) < 0x80;
}
