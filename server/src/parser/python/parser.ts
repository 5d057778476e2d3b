// A recursive-descent parser for Python 3.11 source, producing the `ast.ts` subset with CPython's
// node ranges. It accepts what `ast.parse` accepts (statements, expressions, f-strings, match)
// and reports the first syntax error as data; it never throws.
// Ours: npm's Python parsers recover from errors and build their own trees; setup.py needs ast.parse's.

import type * as A from './ast';
import { decodeBody, stringParts, type StringParts } from './strings';
import { tokenize, type Token } from './tokenizer';
import { appendAll } from '../arrays';

export interface PySyntaxError {
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

export interface ParseResult {
  readonly body: readonly A.Stmt[];
  readonly error?: PySyntaxError;
}

/** Parses a whole module. On a syntax error `body` is empty and `error` says where. */
export function parseModule(text: string): ParseResult {
  // CPython refuses a NUL anywhere before it starts tokenizing.
  const nul = text.indexOf('\0');
  if (nul >= 0) return { body: [], error: { message: 'source code string cannot contain null bytes', start: nul, end: nul + 1 } };
  const tokens = tokenize(text);
  try {
    const parser = new Parser(text, tokens, 0);
    return { body: parser.parseFile() };
  } catch (e) {
    if (e instanceof ParseError) {
      // Errors the grammar (or a string/f-string action) raises give way to later tokenizer errors.
      const error = e.lexical
        ? e
        : (preferLexicalError(text, tokens, e) ?? (e.fatal ? undefined : stringErrorAt(text, tokens, e)) ?? e);
      return { body: [], error: { message: error.message, start: error.start, end: error.end } };
    }
    // Stack exhaustion on absurdly nested input, or a bug: still data, never an exception.
    const message = e instanceof RangeError ? 'too many nested expressions' : `parser failure: ${String(e)}`;
    return { body: [], error: { message, start: 0, end: 0 } };
  }
}

class ParseError extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
    /** Errors that alternative parses must not hide (lexical errors, f-string errors). */
    readonly fatal = false,
    /** Raised by the tokenizer rather than the grammar. */
    readonly lexical = false,
  ) {
    super(message);
  }
}

/**
 * A grammar error at a string literal (`ur"..."`, `x "..."`): CPython has decoded the literal while
 * trying its error rules, so a bad escape in it is what gets reported.
 */
function stringErrorAt(text: string, tokens: readonly Token[], grammar: ParseError): ParseError | undefined {
  const at = tokens.findIndex((t) => t.start === grammar.start && t.type === 'string');
  if (at < 0) return undefined;
  const parser = new Parser(text, tokens.slice(at), 0);
  try {
    parser.parseStringsOnly();
  } catch (e) {
    if (e instanceof ParseError && e.fatal) return e;
  }
  return undefined;
}

/**
 * CPython, after a grammar error, tokenizes the rest of the file: a tokenizer error it raises there
 * (an unterminated string, a stray ')') replaces the grammar error; at a quieter tokenizer error
 * (or the end of the file) a bracket still open since an earlier line is reported as never closed.
 * Our tokenizer already ran up to its first error, which lies after the grammar error.
 */
function preferLexicalError(text: string, tokens: readonly Token[], grammar: ParseError): ParseError | undefined {
  const last = tokens[tokens.length - 1];
  if (last?.type !== 'error' || grammar.message === 'unexpected indent') return undefined;
  if (last.eager) return new ParseError(last.text, last.start, last.end, true, true);
  const open = last.openBracket;
  if (!open) return undefined;
  const lineOf = (offset: number): number => (text.slice(0, offset).match(/\r\n|\r|\n/g) ?? []).length;
  if (lineOf(open.at) >= lineOf(grammar.start)) return undefined;
  return new ParseError(`'${open.ch}' was never closed`, open.at, open.at + 1, true, true);
}

const HARD_KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def',
  'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda',
  'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);
/** Keywords that can start an expression. */
const EXPRESSION_KEYWORDS = new Set(['True', 'False', 'None', 'lambda', 'not', 'await']);

const AUGMENTED: ReadonlyMap<string, A.BinOperator> = new Map([
  ['+=', 'Add'], ['-=', 'Sub'], ['*=', 'Mult'], ['@=', 'MatMult'], ['/=', 'Div'], ['%=', 'Mod'],
  ['&=', 'BitAnd'], ['|=', 'BitOr'], ['^=', 'BitXor'], ['<<=', 'LShift'], ['>>=', 'RShift'],
  ['**=', 'Pow'], ['//=', 'FloorDiv'],
]);
const OR_OPS: ReadonlyMap<string, A.BinOperator> = new Map([['|', 'BitOr']]);
const XOR_OPS: ReadonlyMap<string, A.BinOperator> = new Map([['^', 'BitXor']]);
const AND_OPS: ReadonlyMap<string, A.BinOperator> = new Map([['&', 'BitAnd']]);
const SUM_OPS: ReadonlyMap<string, A.BinOperator> = new Map([['+', 'Add'], ['-', 'Sub']]);
const TERM_OPS: ReadonlyMap<string, A.BinOperator> = new Map([
  ['*', 'Mult'], ['/', 'Div'], ['//', 'FloorDiv'], ['%', 'Mod'], ['@', 'MatMult'],
]);
const SHIFT_OPS: ReadonlyMap<string, A.BinOperator> = new Map([['<<', 'LShift'], ['>>', 'RShift']]);
const COMPARISON_OPS = new Set(['==', '!=', '<', '<=', '>', '>=']);

/** Deep enough for any real file; stops stack exhaustion on adversarial input. */
const MAX_NESTING = 1000;

type TargetContext = 'assign' | 'del' | 'aug' | 'for' | 'with' | 'comprehension';

function describe(e: A.Expr): string {
  switch (e.kind) {
    case 'Call': return 'function call';
    case 'Constant': return e.type === 'bool' || e.type === 'NoneType' ? 'keyword' : e.type === 'ellipsis' ? 'ellipsis' : 'literal';
    case 'BinOp': case 'UnaryOp': case 'BoolOp': return 'expression';
    case 'Compare': return 'comparison';
    case 'Lambda': return 'lambda';
    case 'IfExp': return 'conditional expression';
    case 'NamedExpr': return 'named expression';
    case 'ListComp': return 'list comprehension';
    case 'SetComp': return 'set comprehension';
    case 'DictComp': return 'dict comprehension';
    case 'GeneratorExp': return 'generator expression';
    case 'Dict': return 'dict literal';
    case 'Set': return 'set display';
    case 'JoinedStr': case 'FormattedValue': return 'f-string expression';
    case 'Await': return 'await expression';
    case 'Yield': case 'YieldFrom': return 'yield expression';
    case 'Starred': return 'starred';
    case 'Tuple': return 'tuple';
    case 'List': return 'list';
    case 'Name': return 'name';
    case 'Attribute': return 'attribute';
    case 'Subscript': return 'subscript';
    case 'Slice': return 'slice';
  }
}

class Parser {
  private pos = 0;
  /** End of the last significant token consumed: the end of whatever rule just finished. */
  private lastEnd = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: readonly Token[],
    private depth: number,
  ) {}

  // -- token helpers ----------------------------------------------------------------------------

  private peek(k = 0): Token {
    const t = this.tokens[Math.min(this.pos + k, this.tokens.length - 1)]!;
    if (t.type === 'error') throw new ParseError(t.text, t.start, t.end, true, true);
    return t;
  }

  private next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    if (t.type !== 'newline' && t.type !== 'indent' && t.type !== 'dedent' && t.type !== 'endmarker') {
      this.lastEnd = t.end;
    }
    return t;
  }

  private isOp(s: string, k = 0): boolean {
    const t = this.peek(k);
    return t.type === 'op' && t.text === s;
  }

  private isKw(s: string, k = 0): boolean {
    const t = this.peek(k);
    return t.type === 'name' && t.text === s;
  }

  private eatOp(s: string): boolean {
    if (!this.isOp(s)) return false;
    this.next();
    return true;
  }

  private eatKw(s: string): boolean {
    if (!this.isKw(s)) return false;
    this.next();
    return true;
  }

  /** CPython names the missing token only for ':' and '(' (after `def NAME`); else "invalid syntax". */
  private expectOp(s: string): Token {
    if (!this.isOp(s)) throw s === ':' || s === '(' ? this.error(`expected '${s}'`) : this.invalid();
    return this.next();
  }

  private expectKw(s: string): Token {
    if (!this.isKw(s)) throw this.invalid();
    return this.next();
  }

  private expectName(): Token {
    const t = this.peek();
    if (t.type !== 'name' || HARD_KEYWORDS.has(t.text)) throw this.invalid();
    return this.next();
  }

  private error(message: string, at: { start: number; end: number } = this.peek()): ParseError {
    return new ParseError(message, at.start, at.end);
  }

  private invalid(at: { start: number; end: number } = this.peek()): ParseError {
    const t = this.peek();
    if (t.type === 'endmarker' && at === t) return this.error('unexpected EOF while parsing', at);
    if (t.type === 'indent' && at === t) return this.error('unexpected indent', at);
    return this.error('invalid syntax', at);
  }

  private startsExpression(allowStar: boolean): boolean {
    const t = this.peek();
    if (t.type === 'number' || t.type === 'string') return true;
    if (t.type === 'name') return !HARD_KEYWORDS.has(t.text) || EXPRESSION_KEYWORDS.has(t.text);
    if (t.type !== 'op') return false;
    return ['(', '[', '{', '-', '+', '~', '...'].includes(t.text) || (allowStar && t.text === '*');
  }

  private startsComprehension(): boolean {
    return this.isKw('for') || (this.isKw('async') && this.isKw('for', 1));
  }

  private enter(): void {
    if (++this.depth > MAX_NESTING) {
      const t = this.peek();
      throw new ParseError('too many nested expressions', t.start, t.end, true);
    }
  }

  /**
   * Inside brackets, an element followed directly by another expression: CPython's
   * "Perhaps you forgot a comma?" (not after NAME STRING, as in `print "x"`).
   */
  private checkMissingComma(previous: A.Expr): void {
    if (!this.startsExpression(false)) return;
    if (previous.kind === 'Name' && this.peek().type === 'string') return;
    throw this.error('invalid syntax. Perhaps you forgot a comma?', { start: previous.start, end: this.peek().end });
  }

  /** Tries `parse`; on an ordinary syntax error rewinds and returns undefined. */
  private attempt<T>(parse: () => T): T | undefined {
    const pos = this.pos;
    const lastEnd = this.lastEnd;
    const depth = this.depth;
    try {
      return parse();
    } catch (e) {
      if (!(e instanceof ParseError) || e.fatal) throw e;
      this.pos = pos;
      this.lastEnd = lastEnd;
      this.depth = depth;
      return undefined;
    }
  }

  // -- statements -------------------------------------------------------------------------------

  parseFile(): A.Stmt[] {
    const body: A.Stmt[] = [];
    while (this.peek().type !== 'endmarker') appendAll(body, this.parseStatement());
    return body;
  }

  private parseStatement(): A.Stmt[] {
    const t = this.peek();
    if (t.type === 'indent') throw this.error('unexpected indent');
    if (t.type === 'op' && t.text === '@') return [this.parseDecorated()];
    if (t.type === 'name') {
      switch (t.text) {
        case 'def':
          return [this.parseFunctionDef(t.start, false)];
        case 'class':
          return [this.parseClassDef(t.start)];
        case 'if':
          return [this.parseIf()];
        case 'while':
          return [this.parseWhile()];
        case 'for':
          return [this.parseFor(t.start, false)];
        case 'try':
          return [this.parseTry()];
        case 'with':
          return [this.parseWith(t.start, false)];
        case 'async': {
          this.next();
          if (this.isKw('def')) return [this.parseFunctionDef(t.start, true)];
          if (this.isKw('for')) return [this.parseFor(t.start, true)];
          if (this.isKw('with')) return [this.parseWith(t.start, true)];
          throw this.invalid();
        }
        case 'match': {
          const m = this.attempt(() => this.parseMatchHeader());
          if (m) return [this.parseMatchBody(t.start, m)];
          break;
        }
        default:
          break;
      }
    }
    return this.parseSimpleStatements();
  }

  private parseSimpleStatements(): A.Stmt[] {
    const out = [this.parseSimpleStatement()];
    while (this.eatOp(';')) {
      if (this.peek().type === 'newline') break;
      out.push(this.parseSimpleStatement());
    }
    if (this.peek().type !== 'newline') throw this.invalid();
    this.next();
    return out;
  }

  /** A block after ':' — an indented suite or simple statements on the same line. */
  private parseBlock(what: string, at: number): A.Stmt[] {
    if (this.peek().type !== 'newline') return this.parseSimpleStatements();
    this.next();
    if (this.peek().type !== 'indent') {
      throw this.error(`expected an indented block after ${what} on line ${this.line(at)}`);
    }
    this.next();
    const body: A.Stmt[] = [];
    while (this.peek().type !== 'dedent' && this.peek().type !== 'endmarker') appendAll(body, this.parseStatement());
    if (this.peek().type === 'dedent') this.next();
    return body;
  }

  private line(offset: number): number {
    let line = 1;
    for (let i = 0; i < offset; i++) {
      const c = this.text.charCodeAt(i);
      if (c === 0x0a || (c === 0x0d && this.text.charCodeAt(i + 1) !== 0x0a)) line++;
    }
    return line;
  }

  private parseSimpleStatement(): A.Stmt {
    const t = this.peek();
    const start = t.start;
    const other = (kind: A.OtherStmt['kind'], exprs: A.Expr[]): A.OtherStmt => ({ kind, exprs, start, end: this.lastEnd });
    if (t.type === 'name') {
      switch (t.text) {
        case 'pass':
          this.next();
          return other('Pass', []);
        case 'break':
          this.next();
          return other('Break', []);
        case 'continue':
          this.next();
          return other('Continue', []);
        case 'return': {
          this.next();
          return other('Return', this.startsExpression(true) ? [this.parseStarExpressions()] : []);
        }
        case 'raise': {
          this.next();
          const exprs: A.Expr[] = [];
          if (this.startsExpression(false)) {
            exprs.push(this.parseExpression());
            if (this.eatKw('from')) exprs.push(this.parseExpression());
          }
          return other('Raise', exprs);
        }
        case 'global':
        case 'nonlocal': {
          this.next();
          this.expectName();
          while (this.eatOp(',')) this.expectName();
          return other(t.text === 'global' ? 'Global' : 'Nonlocal', []);
        }
        case 'del': {
          this.next();
          const targets: A.Expr[] = [];
          do {
            if (this.peek().type === 'newline' || this.isOp(';')) break;
            const e = this.parseBitwiseOr();
            this.checkTarget(e, 'del');
            targets.push(e);
          } while (this.eatOp(','));
          if (targets.length === 0) throw this.invalid();
          return other('Delete', targets);
        }
        case 'assert': {
          this.next();
          const exprs = [this.parseExpression()];
          if (this.eatOp(',')) exprs.push(this.parseExpression());
          return other('Assert', exprs);
        }
        case 'import':
          return this.parseImport();
        case 'from':
          return this.parseFromImport();
        default:
          break;
      }
    }

    const first = this.parseStarExpressionsOrYield();
    if (first.kind === 'Name' && (first.id === 'print' || first.id === 'exec') && this.startsExpression(true)) {
      throw this.error(`Missing parentheses in call to '${first.id}'. Did you mean ${first.id}(...)?`, first);
    }
    if (this.isOp(':')) {
      // Annotated assignment: a single target.
      if (first.kind === 'Tuple' || first.kind === 'List') {
        throw this.error(`only single target (not ${first.kind.toLowerCase()}) can be annotated`, first);
      }
      if (first.kind !== 'Name' && first.kind !== 'Attribute' && first.kind !== 'Subscript') {
        throw this.error('illegal target for annotation', first);
      }
      this.next();
      const annotation = this.parseExpression();
      const value = this.eatOp('=') ? this.parseStarExpressionsOrYield() : undefined;
      return { kind: 'AnnAssign', target: first, annotation, ...(value ? { value } : {}), start, end: this.lastEnd };
    }
    const aug = this.peek().type === 'op' ? AUGMENTED.get(this.peek().text) : undefined;
    if (aug !== undefined) {
      this.checkTarget(first, 'aug');
      this.next();
      const value = this.parseStarExpressionsOrYield();
      return { kind: 'AugAssign', target: first, op: aug, value, start, end: this.lastEnd };
    }
    if (this.isOp('=')) {
      const targets = [first];
      let value = first;
      while (this.eatOp('=')) {
        value = this.parseStarExpressionsOrYield();
        if (this.isOp('=')) targets.push(value);
      }
      for (const target of targets) this.checkTarget(target, 'assign');
      return { kind: 'Assign', targets, value, start, end: this.lastEnd };
    }
    // A bare `*x` statement is a compiler error, not a parser one: ast.parse accepts it.
    return { kind: 'Expr', value: first, start, end: this.lastEnd };
  }

  private checkTarget(e: A.Expr, ctx: TargetContext): void {
    switch (e.kind) {
      case 'Name':
      case 'Attribute':
      case 'Subscript':
        return;
      case 'Starred':
        if (ctx === 'del') throw this.error('cannot delete starred', e);
        if (ctx === 'aug') break;
        if (e.value.kind === 'Starred') throw this.error('cannot assign to starred', e);
        this.checkTarget(e.value, ctx);
        return;
      case 'Tuple':
      case 'List':
        if (ctx === 'aug') break;
        for (const elt of e.elts) this.checkTarget(elt, ctx);
        return;
      default:
        break;
    }
    if (ctx === 'aug') throw this.error(`'${describe(e)}' is an illegal expression for augmented assignment`, e);
    throw this.error(`cannot ${ctx === 'del' ? 'delete' : 'assign to'} ${describe(e)}`, e);
  }

  private parseImport(): A.Import {
    const start = this.next().start;
    const names: A.Alias[] = [];
    do {
      const name = this.parseDottedName();
      const asname = this.eatKw('as') ? this.expectName().text : undefined;
      names.push(asname === undefined ? { name } : { name, asname });
    } while (this.eatOp(','));
    return { kind: 'Import', names, start, end: this.lastEnd };
  }

  private parseDottedName(): string {
    let name = this.expectName().text;
    while (this.eatOp('.')) name += '.' + this.expectName().text;
    return name;
  }

  private parseFromImport(): A.Import {
    const start = this.next().start;
    let level = 0;
    while (this.isOp('.') || this.isOp('...')) level += this.next().text.length;
    if (!this.isKw('import')) this.parseDottedName();
    else if (level === 0) throw this.invalid();
    this.expectKw('import');
    const names: A.Alias[] = [];
    const one = (): void => {
      const name = this.expectName().text;
      const asname = this.eatKw('as') ? this.expectName().text : undefined;
      names.push(asname === undefined ? { name } : { name, asname });
    };
    if (this.eatOp('*')) {
      names.push({ name: '*' });
    } else if (this.eatOp('(')) {
      one();
      while (this.eatOp(',')) {
        if (this.isOp(')')) break;
        one();
      }
      this.expectOp(')');
    } else {
      one();
      while (this.eatOp(',')) {
        if (this.peek().type === 'newline' || this.isOp(';')) {
          throw this.error('trailing comma not allowed without surrounding parentheses');
        }
        one();
      }
    }
    return { kind: 'ImportFrom', names, start, end: this.lastEnd };
  }

  private parseDecorated(): A.Stmt {
    while (this.eatOp('@')) {
      this.parseNamedExpression();
      if (this.peek().type !== 'newline') throw this.invalid();
      this.next();
    }
    const t = this.peek();
    if (this.isKw('def')) return this.parseFunctionDef(t.start, false);
    if (this.isKw('class')) return this.parseClassDef(t.start);
    if (this.isKw('async') && this.isKw('def', 1)) {
      this.next();
      return this.parseFunctionDef(t.start, true);
    }
    throw this.invalid();
  }

  private parseFunctionDef(start: number, isAsync: boolean): A.FunctionDef {
    this.expectKw('def');
    const name = this.expectName().text;
    this.expectOp('(');
    this.parseParameters(')', true);
    this.expectOp(')');
    if (this.eatOp('->')) this.parseExpression();
    this.expectOp(':');
    const body = this.parseBlock('function definition', start);
    return { kind: isAsync ? 'AsyncFunctionDef' : 'FunctionDef', name, body, start, end: this.lastEnd };
  }

  private parseParameters(close: string, annotations: boolean): void {
    let sawDefault = false;
    let sawStar = false;
    let sawSlash = false;
    let sawDoubleStar = false;
    let positional = 0;
    let bareStar: Token | undefined;
    const annotation = (starAllowed: boolean): void => {
      if (annotations && this.eatOp(':')) {
        if (starAllowed && this.eatOp('*')) this.parseBitwiseOr();
        else this.parseExpression();
      }
    };
    while (!this.isOp(close)) {
      const t = this.peek();
      if (sawDoubleStar) throw this.error('arguments cannot follow var-keyword argument');
      if (this.isOp('/')) {
        if (sawSlash || sawStar || positional === 0) throw this.invalid();
        this.next();
        sawSlash = true;
      } else if (this.isOp('*')) {
        if (sawStar) throw this.error('* argument may appear only once');
        this.next();
        sawStar = true;
        if (this.isOp(',') || this.isOp(close)) {
          bareStar = t;
        } else {
          this.expectName();
          annotation(true);
        }
      } else if (this.isOp('**')) {
        if (bareStar) throw this.error('named arguments must follow bare *', bareStar);
        this.next();
        this.expectName();
        annotation(false);
        sawDoubleStar = true;
      } else {
        this.expectName();
        annotation(false);
        if (this.eatOp('=')) {
          this.parseExpression();
          if (!sawStar) sawDefault = true;
        } else if (sawDefault && !sawStar) {
          throw this.error('non-default argument follows default argument', t);
        }
        if (!sawStar) positional++;
        bareStar = undefined;
      }
      if (!this.eatOp(',')) break;
    }
    if (bareStar) throw this.error('named arguments must follow bare *', bareStar);
  }

  private parseClassDef(start: number): A.ClassDef {
    this.expectKw('class');
    const name = this.expectName().text;
    if (this.isOp('(')) {
      const open = this.next();
      this.parseCallArguments(open);
      this.expectOp(')');
    }
    this.expectOp(':');
    const body = this.parseBlock('class definition', start);
    return { kind: 'ClassDef', name, body, start, end: this.lastEnd };
  }

  private parseIf(): A.If {
    const t = this.next(); // 'if' or 'elif'
    const test = this.parseNamedExpression();
    this.expectOp(':');
    const body = this.parseBlock(`'${t.text}' statement`, t.start);
    let orelse: A.Stmt[] = [];
    if (this.isKw('elif')) {
      orelse = [this.parseIf()];
    } else if (this.isKw('else')) {
      const e = this.next();
      this.expectOp(':');
      orelse = this.parseBlock(`'else' statement`, e.start);
    }
    return { kind: 'If', test, body, orelse, start: t.start, end: this.lastEnd };
  }

  private parseElse(): A.Stmt[] {
    if (!this.isKw('else')) return [];
    const e = this.next();
    this.expectOp(':');
    return this.parseBlock(`'else' statement`, e.start);
  }

  private parseWhile(): A.If {
    const t = this.next();
    const test = this.parseNamedExpression();
    this.expectOp(':');
    const body = this.parseBlock(`'while' statement`, t.start);
    const orelse = this.parseElse();
    return { kind: 'While', test, body, orelse, start: t.start, end: this.lastEnd };
  }

  private parseFor(start: number, isAsync: boolean): A.For {
    const t = this.expectKw('for');
    const target = this.parseTargetList();
    this.checkTarget(target, 'for');
    this.expectKw('in');
    const iter = this.parseStarExpressions();
    this.expectOp(':');
    const body = this.parseBlock(`'for' statement`, t.start);
    const orelse = this.parseElse();
    return { kind: isAsync ? 'AsyncFor' : 'For', target, iter, body, orelse, start, end: this.lastEnd };
  }

  /** `a, *b` before `in` (for loops, comprehensions): items below the comparison level. */
  private parseTargetList(): A.Expr {
    const start = this.peek().start;
    const item = (): A.Expr => {
      if (!this.isOp('*')) return this.parseBitwiseOr();
      const s = this.next();
      const value = this.parseBitwiseOr();
      return { kind: 'Starred', value, start: s.start, end: this.lastEnd };
    };
    const first = item();
    if (!this.isOp(',')) return first;
    const elts = [first];
    while (this.eatOp(',')) {
      if (this.isKw('in')) break;
      elts.push(item());
    }
    return { kind: 'Tuple', elts, start, end: this.lastEnd };
  }

  private parseTry(): A.Try {
    const t = this.next();
    this.expectOp(':');
    const body = this.parseBlock(`'try' statement`, t.start);
    const handlers: A.ExceptHandler[] = [];
    let star: boolean | undefined;
    while (this.isKw('except')) {
      const h = this.next();
      const isStar = this.eatOp('*');
      if (star !== undefined && star !== isStar) {
        throw this.error("cannot have both 'except' and 'except*' on the same 'try'", h);
      }
      star = isStar;
      let type: A.Expr | undefined;
      let name: string | undefined;
      if (!this.isOp(':')) {
        type = this.parseExpression();
        if (this.isOp(',')) throw this.error('multiple exception types must be parenthesized', type);
        if (this.eatKw('as')) name = this.expectName().text;
      } else if (isStar) {
        throw this.error('expected one or more exception types');
      }
      this.expectOp(':');
      const hbody = this.parseBlock(`'except' statement`, h.start);
      handlers.push({
        ...(type ? { type } : {}),
        ...(name !== undefined ? { name } : {}),
        body: hbody,
        start: h.start,
        end: this.lastEnd,
      });
    }
    const orelse = handlers.length > 0 ? this.parseElse() : [];
    let finalbody: A.Stmt[] = [];
    let sawFinally = false;
    if (this.isKw('finally')) {
      const f = this.next();
      this.expectOp(':');
      finalbody = this.parseBlock(`'finally' statement`, f.start);
      sawFinally = true;
    }
    if (handlers.length === 0 && !sawFinally) throw this.error("expected 'except' or 'finally' block");
    return { kind: star ? 'TryStar' : 'Try', body, handlers, orelse, finalbody, start: t.start, end: this.lastEnd };
  }

  private parseWith(start: number, isAsync: boolean): A.With {
    const t = this.expectKw('with');
    // `with (a as b, c as d):` first; if that does not fit, the parenthesis belongs to an expression.
    let items = this.isOp('(')
      ? this.attempt(() => {
          this.next();
          const list = [this.parseWithItem()];
          while (this.eatOp(',')) {
            if (this.isOp(')')) break;
            list.push(this.parseWithItem());
          }
          this.expectOp(')');
          if (!this.isOp(':')) throw this.invalid();
          return list;
        })
      : undefined;
    if (!items) {
      items = [this.parseWithItem()];
      while (this.eatOp(',')) items.push(this.parseWithItem());
    }
    this.expectOp(':');
    const body = this.parseBlock(`'with' statement`, t.start);
    return { kind: isAsync ? 'AsyncWith' : 'With', items, body, start, end: this.lastEnd };
  }

  private parseWithItem(): A.WithItem {
    const contextExpr = this.parseExpression();
    if (!this.eatKw('as')) return { contextExpr };
    let optionalVars: A.Expr;
    if (this.isOp('*')) {
      const s = this.next();
      const value = this.parseBitwiseOr();
      optionalVars = { kind: 'Starred', value, start: s.start, end: this.lastEnd };
    } else {
      optionalVars = this.parseBitwiseOr();
    }
    this.checkTarget(optionalVars, 'with');
    if (!this.isOp(',') && !this.isOp(')') && !this.isOp(':')) throw this.invalid();
    return { contextExpr, optionalVars };
  }

  // -- match statements (soft keyword) ------------------------------------------------------------

  /** `match SUBJECT:` NEWLINE INDENT, up to the first `case`; fails softly if this is no match statement. */
  private parseMatchHeader(): A.Expr {
    this.next();
    const start = this.peek().start;
    const first = this.parseStarNamedExpression();
    let subject = first;
    if (this.isOp(',')) {
      const elts = [first];
      while (this.eatOp(',')) {
        if (this.isOp(':')) break;
        elts.push(this.parseStarNamedExpression());
      }
      subject = { kind: 'Tuple', elts, start, end: this.lastEnd };
    }
    this.expectOp(':');
    if (this.peek().type !== 'newline') throw this.invalid();
    this.next();
    if (this.peek().type !== 'indent') throw this.invalid();
    this.next();
    if (!this.isKw('case')) throw this.invalid();
    return subject;
  }

  private parseMatchBody(start: number, subject: A.Expr): A.Match {
    const cases: A.MatchCase[] = [];
    while (this.isKw('case')) {
      const c = this.next();
      this.parsePatterns();
      const guard = this.eatKw('if') ? this.parseNamedExpression() : undefined;
      this.expectOp(':');
      const body = this.parseBlock(`'case' statement`, c.start);
      cases.push(guard ? { guard, body } : { body });
    }
    if (this.peek().type !== 'dedent') throw this.invalid();
    this.next();
    return { kind: 'Match', subject, cases, start, end: this.lastEnd };
  }

  private parsePatterns(): void {
    this.parseMaybeStarPattern();
    while (this.eatOp(',')) {
      if (this.isOp(':') || this.isKw('if')) break;
      this.parseMaybeStarPattern();
    }
  }

  private parseMaybeStarPattern(): void {
    if (this.eatOp('*')) this.expectName();
    else this.parsePattern();
  }

  private parsePattern(): void {
    this.parseClosedPattern();
    while (this.eatOp('|')) this.parseClosedPattern();
    if (this.eatKw('as')) {
      const n = this.expectName();
      if (n.text === '_') throw this.error("cannot use '_' as a target", n);
    }
  }

  private parseSequencePatterns(close: string): void {
    while (!this.isOp(close)) {
      this.parseMaybeStarPattern();
      if (!this.eatOp(',')) break;
    }
    this.expectOp(close);
  }

  private parseLiteralPattern(): boolean {
    const t = this.peek();
    if (t.type === 'number' || this.isOp('-')) {
      this.eatOp('-');
      if (this.peek().type !== 'number') throw this.invalid();
      this.next();
      if ((this.isOp('+') || this.isOp('-')) && this.peek(1).type === 'number') {
        this.next();
        this.next();
      }
      return true;
    }
    if (t.type === 'string') {
      const s = this.parseStrings();
      if (s.kind === 'JoinedStr') throw this.error('patterns may only match literals and attribute lookups', s);
      return true;
    }
    if (t.type === 'name' && (t.text === 'None' || t.text === 'True' || t.text === 'False')) {
      this.next();
      return true;
    }
    return false;
  }

  private parseClosedPattern(): void {
    if (this.parseLiteralPattern()) return;
    const t = this.peek();
    if (t.type === 'name') {
      this.expectName();
      while (this.eatOp('.')) this.expectName();
      if (this.eatOp('(')) {
        let sawKeyword = false;
        while (!this.isOp(')')) {
          if (this.peek().type === 'name' && this.isOp('=', 1)) {
            this.next();
            this.next();
            this.parsePattern();
            sawKeyword = true;
          } else {
            if (sawKeyword) throw this.error('positional patterns follow keyword patterns');
            this.parsePattern();
          }
          if (!this.eatOp(',')) break;
        }
        this.expectOp(')');
      }
      return;
    }
    if (this.eatOp('(')) return this.parseSequencePatterns(')');
    if (this.eatOp('[')) return this.parseSequencePatterns(']');
    if (this.eatOp('{')) {
      while (!this.isOp('}')) {
        if (this.eatOp('**')) {
          this.expectName();
        } else {
          if (!this.parseLiteralPattern()) {
            this.expectName();
            while (this.eatOp('.')) this.expectName();
          }
          this.expectOp(':');
          this.parsePattern();
        }
        if (!this.eatOp(',')) break;
      }
      this.expectOp('}');
      return;
    }
    throw this.invalid();
  }

  // -- expressions ------------------------------------------------------------------------------

  private parseStarExpressionsOrYield(): A.Expr {
    return this.isKw('yield') ? this.parseYield() : this.parseStarExpressions();
  }

  private parseYield(): A.Expr {
    const start = this.next().start;
    if (this.eatKw('from')) {
      const value = this.parseExpression();
      return { kind: 'YieldFrom', value, start, end: this.lastEnd };
    }
    if (!this.startsExpression(true)) return { kind: 'Yield', start, end: this.lastEnd };
    const value = this.parseStarExpressions();
    return { kind: 'Yield', value, start, end: this.lastEnd };
  }

  private parseStarExpressions(): A.Expr {
    const start = this.peek().start;
    const first = this.parseStarExpression();
    if (!this.isOp(',')) return first;
    const elts = [first];
    while (this.eatOp(',')) {
      if (!this.startsExpression(true)) break;
      elts.push(this.parseStarExpression());
    }
    return { kind: 'Tuple', elts, start, end: this.lastEnd };
  }

  private parseStarExpression(): A.Expr {
    if (!this.isOp('*')) return this.parseExpression();
    const s = this.next();
    const value = this.parseBitwiseOr();
    return { kind: 'Starred', value, start: s.start, end: this.lastEnd };
  }

  private parseStarNamedExpression(): A.Expr {
    if (!this.isOp('*')) return this.parseNamedExpression();
    const s = this.next();
    const value = this.parseBitwiseOr();
    return { kind: 'Starred', value, start: s.start, end: this.lastEnd };
  }

  private parseNamedExpression(): A.Expr {
    const t = this.peek();
    if (t.type === 'name' && !HARD_KEYWORDS.has(t.text) && this.isOp(':=', 1)) {
      this.next();
      this.next();
      const value = this.parseExpression();
      const target: A.Name = { kind: 'Name', id: t.text, start: t.start, end: t.end };
      return { kind: 'NamedExpr', target, value, start: t.start, end: this.lastEnd };
    }
    const e = this.parseExpression();
    if (this.isOp(':=')) throw this.error(`cannot use assignment expressions with ${describe(e)}`, e);
    return e;
  }

  private parseExpression(): A.Expr {
    this.enter();
    try {
      const start = this.peek().start;
      if (this.isKw('lambda')) {
        this.next();
        this.parseParameters(':', false);
        this.expectOp(':');
        const body = this.parseExpression();
        return { kind: 'Lambda', body, start, end: this.lastEnd };
      }
      const body = this.parseDisjunction();
      if (!this.isKw('if')) return body;
      this.next();
      const test = this.parseDisjunction();
      if (!this.isKw('else')) throw this.error("expected 'else' after 'if' expression", { start, end: this.lastEnd });
      this.next();
      const orelse = this.parseExpression();
      return { kind: 'IfExp', test, body, orelse, start, end: this.lastEnd };
    } finally {
      this.depth--;
    }
  }

  private parseBoolChain(keyword: string, operand: () => A.Expr): A.Expr {
    const start = this.peek().start;
    const first = operand();
    if (!this.isKw(keyword)) return first;
    const values = [first];
    while (this.eatKw(keyword)) values.push(operand());
    return { kind: 'BoolOp', values, start, end: this.lastEnd };
  }

  private parseDisjunction(): A.Expr {
    return this.parseBoolChain('or', () => this.parseConjunction());
  }

  private parseConjunction(): A.Expr {
    return this.parseBoolChain('and', () => this.parseInversion());
  }

  private parseInversion(): A.Expr {
    if (!this.isKw('not')) return this.parseComparison();
    this.enter();
    try {
      const start = this.next().start;
      const operand = this.parseInversion();
      return { kind: 'UnaryOp', operand, start, end: this.lastEnd };
    } finally {
      this.depth--;
    }
  }

  private parseComparison(): A.Expr {
    const start = this.peek().start;
    const left = this.parseBitwiseOr();
    const comparators: A.Expr[] = [];
    for (;;) {
      const t = this.peek();
      if (t.type === 'op' && COMPARISON_OPS.has(t.text)) this.next();
      else if (this.isKw('in')) this.next();
      else if (this.isKw('not') && this.isKw('in', 1)) {
        this.next();
        this.next();
      } else if (this.isKw('is')) {
        this.next();
        this.eatKw('not');
      } else break;
      comparators.push(this.parseBitwiseOr());
    }
    if (comparators.length === 0) return left;
    return { kind: 'Compare', left, comparators, start, end: this.lastEnd };
  }

  private parseBinary(operand: () => A.Expr, ops: ReadonlyMap<string, A.BinOperator>): A.Expr {
    const start = this.peek().start;
    let left = operand();
    for (;;) {
      const t = this.peek();
      const op = t.type === 'op' ? ops.get(t.text) : undefined;
      if (op === undefined) return left;
      this.next();
      const right = operand();
      left = { kind: 'BinOp', left, op, right, start, end: this.lastEnd };
    }
  }

  private parseBitwiseOr(): A.Expr {
    return this.parseBinary(() => this.parseBitwiseXor(), OR_OPS);
  }

  private parseBitwiseXor(): A.Expr {
    return this.parseBinary(() => this.parseBitwiseAnd(), XOR_OPS);
  }

  private parseBitwiseAnd(): A.Expr {
    return this.parseBinary(() => this.parseShift(), AND_OPS);
  }

  private parseShift(): A.Expr {
    return this.parseBinary(() => this.parseSum(), SHIFT_OPS);
  }

  private parseSum(): A.Expr {
    return this.parseBinary(() => this.parseTerm(), SUM_OPS);
  }

  private parseTerm(): A.Expr {
    return this.parseBinary(() => this.parseFactor(), TERM_OPS);
  }

  private parseFactor(): A.Expr {
    if (!this.isOp('+') && !this.isOp('-') && !this.isOp('~')) return this.parsePower();
    this.enter();
    try {
      const start = this.next().start;
      const operand = this.parseFactor();
      return { kind: 'UnaryOp', operand, start, end: this.lastEnd };
    } finally {
      this.depth--;
    }
  }

  private parsePower(): A.Expr {
    const start = this.peek().start;
    let left: A.Expr;
    if (this.isKw('await')) {
      this.next();
      const value = this.parsePrimary();
      left = { kind: 'Await', value, start, end: this.lastEnd };
    } else {
      left = this.parsePrimary();
    }
    if (!this.eatOp('**')) return left;
    const right = this.parseFactor();
    return { kind: 'BinOp', left, op: 'Pow', right, start, end: this.lastEnd };
  }

  private parsePrimary(): A.Expr {
    const start = this.peek().start;
    let e = this.parseAtom();
    for (;;) {
      if (this.eatOp('.')) {
        const name = this.expectName();
        e = { kind: 'Attribute', value: e, attr: name.text, start, end: this.lastEnd };
      } else if (this.isOp('(')) {
        const open = this.next();
        const { args, keywords } = this.parseCallArguments(open);
        this.expectOp(')');
        e = { kind: 'Call', func: e, args, keywords, start, end: this.lastEnd };
      } else if (this.eatOp('[')) {
        const slice = this.parseSlices();
        this.expectOp(']');
        e = { kind: 'Subscript', value: e, slice, start, end: this.lastEnd };
      } else {
        return e;
      }
    }
  }

  /** Arguments after '(' up to (not including) ')'. */
  private parseCallArguments(open: Token): { args: A.Expr[]; keywords: A.Keyword[] } {
    const args: A.Expr[] = [];
    const keywords: A.Keyword[] = [];
    let sawKeyword = false;
    let sawDoubleStar = false;
    while (!this.isOp(')')) {
      const t = this.peek();
      if (this.isOp('*')) {
        this.next();
        const value = this.parseExpression();
        if (sawDoubleStar) {
          throw this.error('iterable argument unpacking follows keyword argument unpacking', { start: t.start, end: this.lastEnd });
        }
        args.push({ kind: 'Starred', value, start: t.start, end: this.lastEnd });
      } else if (this.isOp('**')) {
        this.next();
        const value = this.parseExpression();
        keywords.push({ kind: 'keyword', arg: null, value, start: t.start, end: this.lastEnd });
        sawDoubleStar = true;
      } else if (t.type === 'name' && !HARD_KEYWORDS.has(t.text) && this.isOp('=', 1)) {
        this.next();
        this.next();
        const value = this.parseExpression();
        keywords.push({ kind: 'keyword', arg: t.text, value, start: t.start, end: this.lastEnd });
        sawKeyword = true;
      } else {
        let e = this.parseNamedExpression();
        if (this.startsComprehension()) {
          const generators = this.parseComprehensions();
          // A bare generator expression must be the only argument; it takes the call's parentheses.
          if (args.length > 0 || keywords.length > 0 || !this.isOp(')')) {
            throw this.error('Generator expression must be parenthesized', { start: e.start, end: this.lastEnd });
          }
          e = { kind: 'GeneratorExp', elt: e, generators, start: open.start, end: this.peek().end };
        }
        if (this.isOp('=')) throw this.error('expression cannot contain assignment, perhaps you meant "=="?', e);
        if (sawDoubleStar) throw this.error('positional argument follows keyword argument unpacking', e);
        if (sawKeyword) throw this.error('positional argument follows keyword argument', e);
        args.push(e);
      }
      if (!this.eatOp(',')) {
        const lastArg = [...args, ...keywords].sort((x, y) => x.start - y.start).pop();
        if (lastArg) this.checkMissingComma(lastArg.kind === 'keyword' ? lastArg.value : lastArg);
        break;
      }
    }
    return { args, keywords };
  }

  private parseComprehensions(): A.Comprehension[] {
    const generators: A.Comprehension[] = [];
    while (this.startsComprehension()) {
      this.eatKw('async');
      this.next(); // 'for'
      const target = this.parseTargetList();
      this.checkTarget(target, 'comprehension');
      this.expectKw('in');
      const iter = this.parseDisjunction();
      const ifs: A.Expr[] = [];
      while (this.eatKw('if')) ifs.push(this.parseDisjunction());
      generators.push({ target, iter, ifs });
    }
    return generators;
  }

  private parseSlices(): A.Expr {
    const start = this.peek().start;
    const first = this.parseSlice();
    if (!this.isOp(',')) {
      this.checkMissingComma(first);
      return first;
    }
    const elts = [first];
    while (this.eatOp(',')) {
      if (this.isOp(']')) break;
      elts.push(this.parseSlice());
    }
    this.checkMissingComma(elts[elts.length - 1]!);
    return { kind: 'Tuple', elts, start, end: this.lastEnd };
  }

  private parseSlice(): A.Expr {
    const start = this.peek().start;
    let lower: A.Expr | undefined;
    if (!this.isOp(':')) {
      lower = this.parseStarNamedExpression();
      if (!this.isOp(':')) return lower;
      if (lower.kind === 'Starred' || lower.kind === 'NamedExpr') throw this.invalid();
    }
    this.next();
    const upper = this.startsExpression(false) ? this.parseExpression() : undefined;
    let step: A.Expr | undefined;
    if (this.eatOp(':') && this.startsExpression(false)) step = this.parseExpression();
    return {
      kind: 'Slice',
      ...(lower ? { lower } : {}),
      ...(upper ? { upper } : {}),
      ...(step ? { step } : {}),
      start,
      end: this.lastEnd,
    };
  }

  private parseAtom(): A.Expr {
    const t = this.peek();
    if (t.type === 'name') {
      if (t.text === 'True' || t.text === 'False') {
        this.next();
        return { kind: 'Constant', type: 'bool', int: t.text === 'True' ? 1 : 0, start: t.start, end: t.end };
      }
      if (t.text === 'None') {
        this.next();
        return { kind: 'Constant', type: 'NoneType', start: t.start, end: t.end };
      }
      if (HARD_KEYWORDS.has(t.text)) throw this.invalid();
      this.next();
      return { kind: 'Name', id: t.text, start: t.start, end: t.end };
    }
    if (t.type === 'number') {
      this.next();
      return numberConstant(t);
    }
    if (t.type === 'string') return this.parseStrings();
    if (t.type === 'op') {
      switch (t.text) {
        case '(':
          return this.parseParenthesized();
        case '[':
          return this.parseListDisplay();
        case '{':
          return this.parseBraceDisplay();
        case '...':
          this.next();
          return { kind: 'Constant', type: 'ellipsis', start: t.start, end: t.end };
        default:
          break;
      }
    }
    throw this.invalid();
  }

  private parseParenthesized(): A.Expr {
    const open = this.next();
    if (this.eatOp(')')) return { kind: 'Tuple', elts: [], start: open.start, end: this.lastEnd };
    if (this.isKw('yield')) {
      const y = this.parseYield();
      this.expectOp(')');
      return y;
    }
    const first = this.parseStarNamedExpression();
    if (this.startsComprehension()) {
      if (first.kind === 'Starred') throw this.error('iterable unpacking cannot be used in comprehension', first);
      const generators = this.parseComprehensions();
      this.expectOp(')');
      return { kind: 'GeneratorExp', elt: first, generators, start: open.start, end: this.lastEnd };
    }
    if (this.isOp(',')) {
      const elts = [first];
      while (this.eatOp(',')) {
        if (this.isOp(')')) break;
        elts.push(this.parseStarNamedExpression());
      }
      this.checkMissingComma(elts[elts.length - 1]!);
      this.expectOp(')');
      return { kind: 'Tuple', elts, start: open.start, end: this.lastEnd };
    }
    this.checkMissingComma(first);
    this.expectOp(')');
    if (first.kind === 'Starred') throw this.error('cannot use starred expression here', first);
    return first;
  }

  private parseListDisplay(): A.Expr {
    const open = this.next();
    if (this.eatOp(']')) return { kind: 'List', elts: [], start: open.start, end: this.lastEnd };
    const first = this.parseStarNamedExpression();
    if (this.startsComprehension()) {
      if (first.kind === 'Starred') throw this.error('iterable unpacking cannot be used in comprehension', first);
      const generators = this.parseComprehensions();
      this.expectOp(']');
      return { kind: 'ListComp', elt: first, generators, start: open.start, end: this.lastEnd };
    }
    const elts = [first];
    while (this.eatOp(',')) {
      if (this.isOp(']')) break;
      elts.push(this.parseStarNamedExpression());
    }
    this.checkMissingComma(elts[elts.length - 1]!);
    this.expectOp(']');
    return { kind: 'List', elts, start: open.start, end: this.lastEnd };
  }

  private parseBraceDisplay(): A.Expr {
    const open = this.next();
    if (this.eatOp('}')) return { kind: 'Dict', keys: [], values: [], start: open.start, end: this.lastEnd };
    const keys: (A.Expr | null)[] = [];
    const values: A.Expr[] = [];
    const dictItem = (): void => {
      if (this.eatOp('**')) {
        keys.push(null);
        values.push(this.parseBitwiseOr());
        return;
      }
      keys.push(this.parseExpression());
      this.expectOp(':');
      values.push(this.parseExpression());
    };
    if (this.isOp('**')) {
      dictItem();
    } else {
      const first = this.parseStarNamedExpression();
      if (this.isOp(':')) {
        if (first.kind === 'Starred' || first.kind === 'NamedExpr') throw this.invalid();
        this.next();
        const value = this.parseExpression();
        if (this.startsComprehension()) {
          const generators = this.parseComprehensions();
          this.expectOp('}');
          return { kind: 'DictComp', key: first, value, generators, start: open.start, end: this.lastEnd };
        }
        keys.push(first);
        values.push(value);
      } else {
        // A set display or set comprehension.
        if (this.startsComprehension()) {
          if (first.kind === 'Starred') throw this.error('iterable unpacking cannot be used in comprehension', first);
          const generators = this.parseComprehensions();
          this.expectOp('}');
          return { kind: 'SetComp', elt: first, generators, start: open.start, end: this.lastEnd };
        }
        const elts = [first];
        while (this.eatOp(',')) {
          if (this.isOp('}')) break;
          elts.push(this.parseStarNamedExpression());
        }
        this.checkMissingComma(elts[elts.length - 1]!);
        this.expectOp('}');
        return { kind: 'Set', elts, start: open.start, end: this.lastEnd };
      }
    }
    while (this.eatOp(',')) {
      if (this.isOp('}')) break;
      dictItem();
    }
    this.checkMissingComma(values[values.length - 1]!);
    this.expectOp('}');
    return { kind: 'Dict', keys, values, start: open.start, end: this.lastEnd };
  }

  // -- string literals and f-strings ---------------------------------------------------------------

  /** Entry point for error reporting: decode the string tokens at the start. */
  parseStringsOnly(): void {
    this.parseStrings();
  }

  /** Adjacent string tokens, concatenated as Python does (a JoinedStr when any is an f-string). */
  private parseStrings(): A.Constant | A.JoinedStr {
    const tokens: Token[] = [];
    while (this.peek().type === 'string') tokens.push(this.next());
    const parts = tokens.map((t) => stringParts(this.text, t.start, t.end));
    const start = tokens[0]!.start;
    const end = tokens[tokens.length - 1]!.end;
    // Token by token, in CPython's order: decode, refuse bytes/str mixing, then parse f-string fields.
    const fields: A.Expr[] = [];
    let value = '';
    let unknown: string | undefined;
    parts.forEach((p, k) => {
      const t = tokens[k]!;
      if (!p.isFormat) {
        const d = this.decodeOrFail(p, t);
        if (d.unknownName !== undefined) unknown ??= d.unknownName;
        else value += d.value ?? '';
      }
      if (k > 0 && p.isBytes !== parts[0]!.isBytes) {
        throw new ParseError('cannot mix bytes and nonbytes literals', t.start, t.end, true);
      }
      if (p.isFormat) appendAll(fields, this.fstringSegment(p, t, p.bodyStart, 0).values);
    });
    if (parts.some((p) => p.isFormat)) return { kind: 'JoinedStr', values: fields, start, end };
    if (parts[0]!.isBytes) return { kind: 'Constant', type: 'bytes', pieces: parts, start, end };
    if (unknown !== undefined) {
      const undecodable = `the string uses \\N{${unknown}}, a character name reqguard cannot look up`;
      return { kind: 'Constant', type: 'str', undecodable, pieces: parts, start, end };
    }
    return { kind: 'Constant', type: 'str', str: value, pieces: parts, start, end };
  }

  private decodeOrFail(p: StringParts, t: Token, from = p.bodyStart, to = p.bodyEnd): { value?: string; unknownName?: string } {
    const d = decodeBody(this.text.slice(from, to), p.isBytes, p.isRaw);
    if (d.error !== undefined) throw new ParseError(d.error, t.start, t.end, true);
    return d;
  }

  /**
   * The literal text and replacement fields of an f-string body from `from`: at level 0 up to the
   * closing quote, inside a format spec (level > 0) up to the '}' that ends the field.
   */
  private fstringSegment(p: StringParts, t: Token, from: number, level: number): { values: A.Expr[]; end: number } {
    const text = this.text;
    const to = p.bodyEnd;
    const values: A.Expr[] = [];
    let literalStart = from;
    let i = from;
    const fail = (message: string, at: number): ParseError => new ParseError(message, at, at + 1, true);
    while (i < to) {
      const c = text[i];
      if (c === '\\' && !p.isRaw) {
        if (text[i + 1] === 'N' && text[i + 2] === '{') {
          // \N{NAME} is an escape, not a replacement field.
          const close = text.indexOf('}', i + 3);
          i = close < 0 || close >= to ? to : close + 1;
        } else {
          i += 2;
        }
        continue;
      }
      if (c === '{') {
        if (level === 0 && text[i + 1] === '{') {
          i += 2;
          continue;
        }
        this.decodeOrFail(p, t, literalStart, i);
        const field = this.fstringField(p, t, i, level);
        values.push(field);
        i = field.end;
        literalStart = i;
        continue;
      }
      if (c === '}') {
        if (level > 0) {
          this.decodeOrFail(p, t, literalStart, i);
          return { values, end: i };
        }
        if (text[i + 1] === '}') {
          i += 2;
          continue;
        }
        throw fail("f-string: single '}' is not allowed", i);
      }
      i++;
    }
    if (level > 0) throw fail("f-string: expecting '}'", to);
    this.decodeOrFail(p, t, literalStart, to);
    return { values, end: to };
  }

  /** One `{expression[=][!conversion][:format_spec]}` field starting at `open` (3.11 rules). */
  private fstringField(p: StringParts, t: Token, open: number, level: number): A.FormattedValue {
    const text = this.text;
    const to = p.bodyEnd;
    const fail = (message: string, at: number): ParseError => new ParseError(message, at, at + 1, true);
    if (level >= 2) throw fail('f-string: expressions nested too deeply', open);
    const stack: string[] = [];
    let quote: string | undefined;
    let j = open + 1;
    for (; j < to; j++) {
      const ch = text[j]!;
      if (ch === '\\') throw fail('f-string expression part cannot include a backslash', j);
      if (quote !== undefined) {
        if (text.startsWith(quote, j)) {
          j += quote.length - 1;
          quote = undefined;
        }
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = text.startsWith(ch + ch + ch, j) ? ch + ch + ch : ch;
        j += quote.length - 1;
        continue;
      }
      if (ch === '(' || ch === '[' || ch === '{') {
        if (stack.length >= 200) throw fail('f-string: too many nested parenthesis', j);
        stack.push(ch);
        continue;
      }
      if (ch === ')' || ch === ']' || ch === '}') {
        const o = stack.pop();
        if (o === undefined) {
          if (ch === '}') break;
          throw fail(`f-string: unmatched '${ch}'`, j);
        }
        if ({ ')': '(', ']': '[', '}': '{' }[ch] !== o) {
          throw fail(`f-string: closing parenthesis '${ch}' does not match opening parenthesis '${o}'`, j);
        }
        continue;
      }
      if (ch === '#') throw fail("f-string expression part cannot include '#'", j);
      if (stack.length > 0) continue;
      if (ch === '!' && text[j + 1] !== '=') break;
      if (ch === ':') break;
      if (ch === '=' && text[j + 1] !== '=' && !'=!<>'.includes(text[j - 1]!)) break;
    }
    if (quote !== undefined) throw fail('f-string: unterminated string', j);
    if (j >= to) throw fail("f-string: expecting '}'", to);
    if (/^\s*$/.test(text.slice(open + 1, j))) throw fail('f-string: empty expression not allowed', j);
    const value = this.parseFStringExpression(open + 1, j);
    if (text[j] === '=') j++;
    if (text[j] === '!') {
      const conv = text[j + 1];
      if (conv !== 's' && conv !== 'r' && conv !== 'a') {
        throw fail("f-string: invalid conversion character: expected 's', 'r', or 'a'", j + 1);
      }
      j += 2;
    }
    let formatSpec: A.JoinedStr | undefined;
    if (text[j] === ':') {
      const spec = this.fstringSegment(p, t, j + 1, level + 1);
      formatSpec = { kind: 'JoinedStr', values: spec.values, start: j + 1, end: spec.end };
      j = spec.end;
    }
    if (j >= to || text[j] !== '}') throw fail("f-string: expecting '}'", j);
    return { kind: 'FormattedValue', value, ...(formatSpec ? { formatSpec } : {}), start: open, end: j + 1 };
  }

  /** The expression of a replacement field, parsed as if parenthesized (3.11 does the same). */
  private parseFStringExpression(start: number, end: number): A.Expr {
    const sub = new Parser(this.text, tokenize(this.text, { start, end, expression: true }), this.depth);
    try {
      const e = sub.parseStarExpressionsOrYield();
      if (sub.peek().type !== 'endmarker') throw sub.invalid();
      if (e.kind === 'Starred') throw sub.error('cannot use starred expression here', e);
      return e;
    } catch (err) {
      if (err instanceof ParseError && !err.message.startsWith('f-string')) {
        throw new ParseError(`f-string: ${err.message}`, err.start, err.end, true);
      }
      throw err;
    }
  }
}

function numberConstant(t: Token): A.Constant {
  const s = t.text.replace(/_/g, '').toLowerCase();
  const base = { kind: 'Constant' as const, start: t.start, end: t.end };
  if (s.endsWith('j')) return { ...base, type: 'complex' };
  const prefixed = /^0[xob]/.test(s);
  if (!prefixed && /[.e]/.test(s)) return { ...base, type: 'float' };
  let n: bigint;
  try {
    n = BigInt(s);
  } catch {
    n = 0n;
  }
  const int = n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
  return { ...base, type: 'int', int };
}
