// Static extraction of the dependency lists a setup.py declares (install_requires, extras_require,
// setup_requires, tests_require) without running Python.
//
// The source is parsed with a real Python tokenizer and parser (./python/), then a small abstract
// evaluator follows what can be known statically: literals, names bound earlier, later
// .append/.extend/.insert/+=/.update and NAME["key"] = ... changes, '+', list()/tuple()/sorted(),
// "...".split()/.splitlines(), dict(...), NAME["key"], conditional expressions and setup(**NAME).
// Everything else becomes a `dynamic` item carrying the reason. The semantics (statuses, which
// changes count as conditional, which ranges are exact) mirror the reference oracle
// test/tools/setup_oracle.py, so results can be compared item by item.
//
// Pure: no IO, never throws (bad input is reported as data).

import type { Span } from './types';
import type * as A from './python/ast';
import { childNodes } from './python/ast';
import { parseModule } from './python/parser';
import { appendAll } from './arrays';
import { pyStrip } from './pyText';

export type SetupKeyword = 'install_requires' | 'extras_require' | 'setup_requires' | 'tests_require';
export const SETUP_KEYWORDS: readonly SetupKeyword[] = [
  'install_requires',
  'extras_require',
  'setup_requires',
  'tests_require',
];

export type ListStatus = 'resolved' | 'resolved_conditional' | 'partial' | 'unresolved' | 'absent' | 'unknown';

export interface SetupItem {
  /** The requirement string; for a dynamic item, the source text of the expression. */
  value: string;
  /**
   * `literal`: one string literal; `computed`: a string known statically but built (concatenation,
   * split of a literal, a line of a multi-line string); `dynamic`: only known at run time.
   */
  kind: 'literal' | 'computed' | 'dynamic';
  /** The whole literal token(s) including prefix and quotes, or the expression it was computed from. */
  span: Span;
  /** The text between the quotes, present only when that text is exactly `value`. */
  contentSpan?: Span;
  /** Added or changed under if/for/while/try (or in a conditional expression). */
  conditional: boolean;
  /** 1-based lines of the statements/expressions that make the item conditional. */
  conditionLines?: number[];
  /** The extras_require key this item belongs to. */
  extra?: string;
  /** Why a dynamic item cannot be known statically. */
  reason?: string;
  /**
   * Set when no exact range exists for the value (a line of a string whose source text differs
   * from its value, e.g. with escapes or CRLF); `span` is then the whole string expression.
   */
  spanIsApproximate?: true;
}

export interface SetupExtra {
  /** The extras_require key (may carry a `:marker` suffix). */
  name: string;
  status: ListStatus;
  /** Where the key is written, when it is a string literal. */
  keySpan?: Span;
  /** The environment marker after ':' in keys like `':sys_platform == "win32"'`, or null if empty. */
  marker?: string | null;
  items: SetupItem[];
}

export interface SetupKeywordResult {
  keyword: SetupKeyword;
  status: ListStatus;
  /** The expression the keyword's value comes from. */
  expressionSpan?: Span;
  /** All items; for extras_require, every extra's items in order, each with `extra` set. */
  items: SetupItem[];
  /** extras_require only: one entry per key, in dict order. */
  extras?: SetupExtra[];
  /** Why the whole value is unresolved (extras_require that is not a known dict). */
  reason?: string;
  notes?: string[];
}

export interface SetupCall {
  span: Span;
  /** How the call is written: `setup`, `setuptools.setup`, ... */
  callee: string;
  /** The call itself sits under if/for/while/try. */
  conditional: boolean;
  /** 1-based line of the call. */
  line: number;
  /** `<module>` or the name of the function that contains the call. */
  inFunction: string;
  keywords: Record<SetupKeyword, SetupKeywordResult>;
  /** Source text of `**kwargs` that could not be followed (they may supply any keyword). */
  unresolvedKwargs?: string[];
}

export interface SetupPyAnalysis {
  calls: SetupCall[];
  syntaxError?: { message: string; span: Span };
  /** install_requires of the last setup() call, or why there is none. */
  status: ListStatus | 'no_setup_call' | 'syntax_error';
  /** install_requires is fully known without running the file. */
  static: boolean;
  /** Set only if the analysis itself failed unexpectedly (a bug); the result is then empty. */
  internalError?: string;
}

export function analyzeSetupPy(text: string): SetupPyAnalysis {
  try {
    const parsed = parseModule(text);
    if (parsed.error) {
      return {
        calls: [],
        syntaxError: { message: parsed.error.message, span: { start: parsed.error.start, end: parsed.error.end } },
        status: 'syntax_error',
        static: false,
      };
    }
    const evaluator = new Evaluator(text);
    evaluator.run(parsed.body);
    const calls = evaluator.calls;
    const main = calls[calls.length - 1];
    if (!main) return { calls, status: 'no_setup_call', static: false };
    const status = main.keywords.install_requires.status;
    return { calls, status, static: status === 'resolved' || status === 'resolved_conditional' || status === 'absent' };
  } catch (e) {
    return { calls: [], status: 'unknown', static: false, internalError: String(e) };
  }
}

// =================================================================================================
// Abstract values

interface Spanned {
  readonly start: number;
  readonly end: number;
}

/** A value that cannot be known statically. */
interface UnknownV {
  readonly t: 'unknown';
  readonly reason: string;
  readonly node: Spanned;
}

/** A string whose value is known. */
interface StrV {
  readonly t: 'str';
  readonly value: string;
  /** The literal it came from, or the expression that built it (`composed`). */
  readonly node: A.Expr;
  readonly composed: boolean;
  /** For a piece of `"...".split()`: where the piece sits (null: no exact place). */
  readonly pieceSpan?: Span | null;
}

interface Entry {
  value: StrV | UnknownV;
  conds: number[];
}

interface ListV {
  readonly t: 'list';
  entries: Entry[];
  complete: boolean;
  notes: string[];
  /** Set when in-place changes grew the list past MAX_ITEMS: its entries are gone, reading it gives this. */
  tooLarge?: UnknownV;
}

type KeyNode = { readonly keyword: A.Keyword } | { readonly expr: A.Expr };

interface DictEntry {
  value: Value;
  conds: number[];
  keyNode?: KeyNode;
  /** The value expression of the dict literal the entry was written in. */
  valueNode?: A.Expr;
}

interface DictV {
  readonly t: 'dict';
  entries: Map<string, DictEntry>;
  complete: boolean;
  notes: string[];
}

type Value = UnknownV | StrV | ListV | DictV;

interface Binding {
  value: Value;
  line: number;
  conds: number[];
  functionLine?: number;
}

type Env = Map<string, Binding>;

const unknown = (reason: string, node: Spanned): UnknownV => ({ t: 'unknown', reason, node });
const listV = (entries: Entry[], complete = true, notes: string[] = []): ListV => ({ t: 'list', entries, complete, notes });

// Limits no real setup.py comes near, so that a hostile one costs linear time and memory (`r = r + r`
// doubles a list on every line: 26 such lines made 67 million items). Real lists hold at most a few
// hundred requirements, real strings a few thousand characters, and the corpus's largest script
// takes 572 steps.
const MAX_ITEMS = 100_000;
const MAX_STRING_LENGTH = 1_000_000;
/**
 * Steps: one per list item, dict or dict entry copied (every read of a name copies its value) and
 * per condition line written. Each expression is evaluated once, so these are the only costs that
 * can outgrow the file.
 */
const MAX_STEPS = 500_000;
const TOO_LARGE = 'too large to evaluate statically';
const LIST_TOO_LARGE = `${TOO_LARGE}: a list of more than 100,000 items`;
const DICT_TOO_LARGE = `${TOO_LARGE}: a dict holding more than 100,000 items`;
const STRING_TOO_LARGE = `${TOO_LARGE}: a string of more than 1,000,000 characters`;
const TOO_MANY_STEPS = `${TOO_LARGE}: more than 500,000 steps`;

/** The items in a value (list items, dicts and their entries, nested ones included), counted up to `limit`. */
function sizeOf(v: Value, limit: number): number {
  if (v.t === 'list') return Math.min(v.entries.length, limit);
  if (v.t !== 'dict') return 1;
  let size = 1;
  const todo: DictV[] = [v];
  while (todo.length > 0) {
    for (const entry of todo.pop()!.entries.values()) {
      const value = entry.value;
      size += value.t === 'list' ? 1 + value.entries.length : value.t === 'dict' ? 2 : 1;
      if (size >= limit) return limit;
      if (value.t === 'dict') todo.push(value);
    }
  }
  return size;
}

/**
 * Lists and dicts are copied (they are mutated in place by later statements); strings are
 * immutable. A loop, not recursion: dicts may nest as deep as the script writes them.
 */
function clone<V extends Value>(v: V): V {
  const copyList = (list: ListV): ListV => ({ ...list, entries: list.entries.map((e) => ({ ...e })), notes: [...list.notes] });
  if (v.t === 'list') return copyList(v) as V;
  if (v.t !== 'dict') return v;
  const root: DictV = { ...v, entries: new Map(), notes: [...v.notes] };
  const todo: Array<[DictV, DictV]> = [[v, root]];
  while (todo.length > 0) {
    const [from, to] = todo.pop()!;
    for (const [key, entry] of from.entries) {
      let value = entry.value;
      if (value.t === 'list') {
        value = copyList(value);
      } else if (value.t === 'dict') {
        const inner: DictV = { ...value, entries: new Map(), notes: [...value.notes] };
        todo.push([value, inner]);
        value = inner;
      }
      to.entries.set(key, { ...entry, value });
    }
  }
  return root as V;
}

function reasonOf(v: Value, fallback: string): string {
  return v.t === 'unknown' ? v.reason : fallback;
}

/** Adds condition lines to each entry of a list or dict; returns how many line numbers it wrote. */
function mark(v: Value, conds: readonly number[]): number {
  let written = 0;
  const entries = v.t === 'list' ? v.entries : v.t === 'dict' ? v.entries.values() : [];
  for (const e of entries) {
    e.conds = [...e.conds, ...conds];
    written += e.conds.length;
  }
  return written;
}

/** A value too large to evaluate: any list, string or dict built from it is too large as well. */
function isTooLarge(v: Value): v is UnknownV {
  return v.t === 'unknown' && v.reason.startsWith(TOO_LARGE);
}

// Python's str.isspace() characters, used by str.split() / str.strip() (JS \s differs).
const PY_SPACE = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_NONSPACE_RUN = new RegExp(`[^${PY_SPACE}]+`, 'g');
/** str.splitlines() boundaries. */
const PY_LINE_BREAK = /\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]/g;

/** Python's str.splitlines(keepends=True). */
function splitLinesKeepEnds(s: string): string[] {
  const out: string[] = [];
  let last = 0;
  for (const m of s.matchAll(PY_LINE_BREAK)) {
    out.push(s.slice(last, m.index! + m[0].length));
    last = m.index! + m[0].length;
  }
  if (last < s.length) out.push(s.slice(last));
  return out;
}

const stripNewlines = (s: string): string => s.replace(/[\r\n]+$/, '');

const SETUP_MODULES = new Set(['setuptools', 'distutils', 'core', '_setuptools']);

function isSetupCall(node: A.Node): node is A.Call {
  if (node.kind !== 'Call') return false;
  const func = node.func;
  if (func.kind === 'Name') return func.id === 'setup';
  if (func.kind !== 'Attribute' || func.attr !== 'setup') return false;
  let base = func.value;
  while (base.kind === 'Attribute') base = base.value;
  return base.kind === 'Name' && SETUP_MODULES.has(base.id);
}

/** `if __name__ == "__main__":` does not make its body conditional. */
function isMainGuard(test: A.Expr): boolean {
  if (test.kind !== 'Compare' || test.left.kind !== 'Name' || test.left.id !== '__name__') return false;
  const [only, ...rest] = test.comparators;
  return rest.length === 0 && only?.kind === 'Constant' && only.type === 'str' && only.str === '__main__';
}

/** Deeper expressions than this are reported as dynamic rather than risking the stack. */
const MAX_EVAL_DEPTH = 400;

// =================================================================================================
// Evaluator

interface RawItem {
  value: string;
  kind: SetupItem['kind'];
  span: Span;
  contentSpan?: Span;
  approximate?: boolean;
  reason?: string;
  conds: number[];
}

class Evaluator {
  readonly calls: SetupCall[] = [];
  private readonly functions: { fn: A.FunctionDef; conds: number[] }[] = [];
  private readonly lineStarts: number[] = [0];
  private depth = 0;
  private steps = 0;

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0a) this.lineStarts.push(i + 1);
      else if (c === 0x0d) {
        if (text.charCodeAt(i + 1) === 0x0a) i++;
        this.lineStarts.push(i + 1);
      }
    }
  }

  /** 1-based line of an offset (lines end at \n, \r\n or \r, as CPython counts them). */
  private line(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  private seg(node: Spanned): string {
    return this.text.slice(node.start, node.end);
  }

  run(body: readonly A.Stmt[]): void {
    const env: Env = new Map();
    this.walk(body, env, [], '<module>');
    // Function bodies run afterwards against the final module state, as the oracle does.
    for (let done = 0; done < this.functions.length; done++) {
      const { fn, conds } = this.functions[done]!;
      const local: Env = new Map();
      // Past the step limit every name reads as too large anyway: copying the module is wasted.
      if (this.charge(env.size)) for (const [k, b] of env) local.set(k, { ...b, value: this.copy(b.value, fn) });
      this.walk(fn.body, local, conds, fn.name);
    }
  }

  // -- expressions --------------------------------------------------------------------------------

  /** Counts `count` steps; false once the script has taken more than MAX_STEPS. */
  private charge(count: number): boolean {
    this.steps += count;
    return this.steps <= MAX_STEPS;
  }

  /** A copy of a value read from a name or a dict, or why it is too large to copy. */
  private copy(v: Value, node: Spanned): Value {
    if (v.t === 'list' && v.tooLarge) return unknown(v.tooLarge.reason, node);
    // A too-large value is shown where it is read, not where it was built.
    if (v.t === 'unknown') return isTooLarge(v) ? unknown(v.reason, node) : v;
    if (v.t === 'str') return v;
    // Counting is work too: it stops at what is left of the budget.
    const size = sizeOf(v, Math.min(MAX_ITEMS, Math.max(0, MAX_STEPS - this.steps)) + 1);
    const withinBudget = this.charge(size);
    if (size > MAX_ITEMS) return unknown(v.t === 'dict' ? DICT_TOO_LARGE : LIST_TOO_LARGE, node);
    if (!withinBudget) return unknown(TOO_MANY_STEPS, node);
    return clone(v);
  }

  /** `entries` (fresh copies) with `conds` added to each, counted: each condition line written is a step. */
  private withConds(entries: Entry[], conds: readonly number[]): Entry[] {
    if (conds.length === 0) return entries;
    let written = 0;
    for (const e of entries) {
      e.conds = [...e.conds, ...conds];
      written += e.conds.length;
    }
    this.charge(written);
    return entries;
  }

  /** mark(), counted: each condition line written is a step. */
  private mark(v: Value, conds: readonly number[]): void {
    if (conds.length > 0) this.charge(mark(v, conds));
  }

  /** A list of `entries`, unless there are too many of them. */
  private list(entries: Entry[], node: Spanned, complete = true, notes: string[] = []): ListV | UnknownV {
    if (entries.length > MAX_ITEMS) return unknown(LIST_TOO_LARGE, node);
    return listV(entries, complete, notes);
  }

  /** Appends to a list in place (append, extend, insert, +=); past MAX_ITEMS the list becomes too large to read. */
  private grow(target: ListV, added: Entry[], node: Spanned, at = target.entries.length): void {
    if (target.tooLarge) return;
    const tooLarge = added.map((entry) => entry.value).find(isTooLarge);
    if (tooLarge || target.entries.length + added.length > MAX_ITEMS) {
      target.entries = [];
      target.complete = false;
      target.tooLarge = unknown(tooLarge ? tooLarge.reason : LIST_TOO_LARGE, node);
      return;
    }
    if (at >= target.entries.length) appendAll(target.entries, added);
    else target.entries = [...target.entries.slice(0, at), ...added, ...target.entries.slice(at)];
  }

  private ev(node: A.Expr, env: Env): Value {
    if (this.depth >= MAX_EVAL_DEPTH) return unknown('expression too deeply nested', node);
    this.depth++;
    try {
      return this.evInner(node, env);
    } finally {
      this.depth--;
    }
  }

  private evInner(node: A.Expr, env: Env): Value {
    switch (node.kind) {
      case 'Constant':
        if (node.type !== 'str') return unknown(`constant of type ${node.type}`, node);
        if (node.str === undefined) return unknown(node.undecodable ?? 'string that cannot be decoded', node);
        return { t: 'str', value: node.str, node, composed: false };
      case 'JoinedStr':
        return unknown('f-string (formatted at run time)', node);
      case 'List':
      case 'Tuple':
      case 'Set': {
        const entries: Entry[] = [];
        let complete = true;
        for (const elt of node.elts) {
          const value = this.ev(elt.kind === 'Starred' ? elt.value : elt, env);
          if (isTooLarge(value)) return unknown(value.reason, node);
          if (elt.kind !== 'Starred') {
            appendAll(entries, this.asEntries(value, elt));
          } else if (value.t === 'list') {
            appendAll(entries, value.entries.map((e) => ({ ...e })));
            complete &&= value.complete;
          } else {
            entries.push({ value: unknown(reasonOf(value, 'starred expression'), elt), conds: [] });
          }
          if (entries.length > MAX_ITEMS) return unknown(LIST_TOO_LARGE, node);
        }
        return listV(entries, complete);
      }
      case 'Dict': {
        const entries = new Map<string, DictEntry>();
        let complete = true;
        for (const [k, key] of node.keys.entries()) {
          const val = node.values[k]!;
          // A `**` value was copied when it was read.
          const value = this.ev(val, env);
          if (isTooLarge(value)) return unknown(value.reason, node);
          if (key === null) {
            if (value.t === 'dict') for (const [name, e] of value.entries) entries.set(name, e);
            else complete = false;
            continue;
          }
          const kv = this.ev(key, env);
          if (kv.t !== 'str') {
            complete = false;
            continue;
          }
          entries.set(kv.value, { value, conds: [], keyNode: { expr: key }, valueNode: val });
        }
        return { t: 'dict', entries, complete, notes: [] };
      }
      case 'Name': {
        const bound = env.get(node.id);
        if (bound) return this.copy(bound.value, node);
        return unknown(`name '${node.id}' is not bound to a value this script can follow`, node);
      }
      case 'BinOp': {
        if (node.op === 'Mod') return unknown("'%' string formatting", node);
        if (node.op !== 'Add') return unknown(`binary operator ${node.op}`, node);
        const left = this.ev(node.left, env);
        const right = this.ev(node.right, env);
        const tooLarge = [left, right].find(isTooLarge);
        if (tooLarge) return unknown(tooLarge.reason, node);
        if (left.t === 'str' && right.t === 'str') {
          if (left.value.length + right.value.length > MAX_STRING_LENGTH) return unknown(STRING_TOO_LARGE, node);
          return { t: 'str', value: left.value + right.value, node, composed: true };
        }
        if (left.t === 'list' || right.t === 'list') {
          const lhs = left.t === 'list' ? left.entries : this.asEntries(left, node.left);
          const rhs = right.t === 'list' ? right.entries : this.asEntries(right, node.right);
          if (lhs.length + rhs.length > MAX_ITEMS) return unknown(LIST_TOO_LARGE, node);
          return listV([...lhs, ...rhs], (left.t !== 'list' || left.complete) && (right.t !== 'list' || right.complete));
        }
        return unknown(
          reasonOf(left.t === 'unknown' ? left : right, "'+' on values that are not known lists or strings"),
          node,
        );
      }
      case 'IfExp': {
        const body = this.ev(node.body, env);
        const orelse = this.ev(node.orelse, env);
        const tooLarge = [body, orelse].find(isTooLarge);
        if (tooLarge) return unknown(tooLarge.reason, node);
        const line = this.line(node.start);
        const entries: Entry[] = [];
        for (const [branch, sub] of [[body, node.body], [orelse, node.orelse]] as const) {
          appendAll(entries, this.withConds(this.asEntries(branch, sub), [line]));
        }
        const complete = [body, orelse].every((b) => b.t !== 'list' || b.complete);
        return this.list(entries, node, complete, ['conditional expression']);
      }
      case 'Subscript': {
        const base = this.ev(node.value, env);
        const key = this.ev(node.slice, env);
        if (base.t === 'dict' && key.t === 'str') {
          // The base was copied when it was read.
          const entry = base.entries.get(key.value);
          if (entry) return entry.value;
          return unknown(`key '${key.value}' not found in the dict`, node);
        }
        if (base.t === 'unknown') {
          return unknown(`lookup in ${this.seg(node.value)}, which is not static (${base.reason})`, node);
        }
        return unknown('subscript of a value this script cannot follow', node);
      }
      case 'Call':
        return this.evCall(node, env);
      case 'ListComp':
      case 'SetComp':
      case 'DictComp':
      case 'GeneratorExp':
        return unknown('comprehension', node);
      case 'Attribute':
        return unknown('attribute access', node);
      default:
        return unknown(`${node.kind} expression`, node);
    }
  }

  private evCall(node: A.Call, env: Env): Value {
    const func = node.func;
    if (func.kind === 'Name') {
      const id = func.id;
      if ((id === 'list' || id === 'tuple' || id === 'sorted' || id === 'set') && node.args.length === 1 && node.keywords.length === 0) {
        const inner = this.ev(node.args[0]!, env);
        if (inner.t === 'list') {
          if (id === 'sorted' || id === 'set') inner.notes.push(`${id}() may reorder the items`);
          return inner;
        }
        if (inner.t === 'dict' && id !== 'set') return unknown('keys of a dict', node);
        return unknown(reasonOf(inner, `${id}() of an unknown value`), node);
      }
      if (id === 'dict' && node.args.length === 0) {
        const entries = new Map<string, DictEntry>();
        for (const kw of node.keywords) {
          if (kw.arg === null) {
            const other = this.ev(kw.value, env);
            if (other.t !== 'dict') return unknown(isTooLarge(other) ? other.reason : 'dict(**unknown)', node);
            for (const [name, e] of other.entries) entries.set(name, e);
          } else {
            entries.set(kw.arg, { value: this.ev(kw.value, env), conds: [], keyNode: { keyword: kw } });
          }
        }
        return { t: 'dict', entries, complete: true, notes: [] };
      }
      const fnLine = env.get(id)?.functionLine;
      const where = fnLine ? ` (defined at line ${fnLine})` : '';
      return unknown(`call to ${id}()${where} is evaluated only at run time`, node);
    }
    if (func.kind === 'Attribute') {
      if ((func.attr === 'split' || func.attr === 'splitlines') && node.keywords.length === 0) {
        const base = this.ev(func.value, env);
        if (base.t === 'str' && (func.attr === 'splitlines' || node.args.length === 0)) {
          return this.splitString(base, func.attr, node);
        }
        if (isTooLarge(base)) return unknown(base.reason, node);
      }
      return unknown(`call to ${this.seg(func) || func.attr}() is evaluated only at run time`, node);
    }
    return unknown('call of a computed function', node);
  }

  /** A value where one list element is expected: lists are spliced in, dicts are not strings. */
  private asEntries(v: Value, node: Spanned): Entry[] {
    if (v.t === 'list') {
      if (!this.charge(v.entries.length)) return [{ value: unknown(TOO_MANY_STEPS, node), conds: [] }];
      return v.entries.map((e) => ({ ...e }));
    }
    if (v.t === 'str' || v.t === 'unknown') return [{ value: v, conds: [] }];
    return [{ value: unknown('a dict where a string was expected', node), conds: [] }];
  }

  /**
   * Range of a single plain literal, and of the text between its quotes when that text is
   * exactly the value (no escapes, no implicit concatenation, no newline translation).
   */
  private literalInfo(node: A.Expr): { span: Span; contentStart?: number } {
    const span = { start: node.start, end: node.end };
    if (node.kind !== 'Constant' || node.str === undefined) return { span };
    const text = this.seg(node);
    const m = /^([rbuf]*)('''|"""|'|")/i.exec(text);
    if (!m) return { span };
    const quote = m[2]!;
    if (!text.endsWith(quote) || text.length < m[0].length + quote.length) return { span };
    const body = text.slice(m[0].length, text.length - quote.length);
    if (body !== node.str) return { span };
    return { span, contentStart: node.start + m[0].length };
  }

  /** `"...".split()` / `.splitlines()` of a known string: one entry per piece. */
  private splitString(sv: StrV, how: 'split' | 'splitlines', node: A.Call): ListV | UnknownV {
    const contentStart = sv.composed ? undefined : this.literalInfo(sv.node).contentStart;
    const pieces: [number, number][] = [];
    if (how === 'split') {
      for (const m of sv.value.matchAll(PY_NONSPACE_RUN)) pieces.push([m.index!, m.index! + m[0].length]);
    } else {
      let offset = 0;
      for (const piece of splitLinesKeepEnds(sv.value)) {
        pieces.push([offset, offset + stripNewlines(piece).length]);
        offset += piece.length;
      }
    }
    if (pieces.length > MAX_ITEMS) return unknown(LIST_TOO_LARGE, node);
    if (!this.charge(pieces.length)) return unknown(TOO_MANY_STEPS, node);
    const entries: Entry[] = pieces.map(([a, b]) => ({
      value: {
        t: 'str',
        value: sv.value.slice(a, b),
        node,
        composed: true,
        pieceSpan: contentStart === undefined ? null : { start: contentStart + a, end: contentStart + b },
      },
      conds: [],
    }));
    return listV(entries, true, [`str.${how}() of a literal`]);
  }

  // -- values to report items ---------------------------------------------------------------------

  private itemsFrom(v: Value, node: Spanned, conds: readonly number[]): { items: RawItem[]; complete: boolean } {
    if (v.t === 'str') return { items: this.itemsFromTextValue(v, conds), complete: true };
    if (v.t === 'list') {
      return { items: v.entries.map((e) => this.itemFor(e.value, [...conds, ...e.conds])), complete: v.complete };
    }
    if (v.t === 'unknown') return { items: [this.itemFor(v, [...conds])], complete: false };
    return { items: [this.itemFor(unknown('dict where a list was expected', node), [...conds])], complete: false };
  }

  private itemFor(v: StrV | UnknownV, conds: number[]): RawItem {
    if (v.t === 'unknown') {
      const span = { start: v.node.start, end: v.node.end };
      return { value: this.seg(v.node), kind: 'dynamic', span, reason: v.reason, conds };
    }
    if (v.pieceSpan) return { value: v.value, kind: 'computed', span: v.pieceSpan, contentSpan: v.pieceSpan, conds };
    if (v.composed) return { value: v.value, kind: 'computed', span: { start: v.node.start, end: v.node.end }, conds };
    const info = this.literalInfo(v.node);
    const contentSpan =
      info.contentStart === undefined ? undefined : { start: info.contentStart, end: info.contentStart + v.value.length };
    return { value: v.value, kind: 'literal', span: info.span, ...(contentSpan ? { contentSpan } : {}), conds };
  }

  /** setuptools accepts a single string: one requirement per line, comments dropped. */
  private itemsFromTextValue(sv: StrV, conds: readonly number[]): RawItem[] {
    const lines = splitLinesKeepEnds(sv.value);
    if (lines.length > MAX_ITEMS) return [this.itemFor(unknown(LIST_TOO_LARGE, sv.node), [...conds])];
    const contentStart = sv.composed ? undefined : this.literalInfo(sv.node).contentStart;
    const items: RawItem[] = [];
    let offset = 0;
    for (const raw of lines) {
      const text = stripNewlines(raw);
      const start = offset;
      offset += raw.length;
      const stripped = pyStrip(text);
      if (!stripped || stripped.startsWith('#')) continue;
      const hash = text.indexOf(' #');
      const cleaned = pyStrip(hash < 0 ? text : text.slice(0, hash));
      const a = start + text.indexOf(cleaned);
      if (contentStart === undefined) {
        const span = { start: sv.node.start, end: sv.node.end };
        items.push({ value: cleaned, kind: 'computed', span, approximate: true, conds: [...conds] });
      } else {
        const span = { start: contentStart + a, end: contentStart + a + cleaned.length };
        items.push({ value: cleaned, kind: 'computed', span, contentSpan: span, conds: [...conds] });
      }
    }
    return items;
  }

  private static status(items: readonly RawItem[], complete: boolean): ListStatus {
    if (!complete || items.some((i) => i.kind === 'dynamic')) {
      return items.some((i) => i.kind !== 'dynamic') ? 'partial' : 'unresolved';
    }
    return items.some((i) => i.conds.length > 0) ? 'resolved_conditional' : 'resolved';
  }

  private static toItem(raw: RawItem, extra?: string): SetupItem {
    const item: SetupItem = { value: raw.value, kind: raw.kind, span: raw.span, conditional: raw.conds.length > 0 };
    if (raw.contentSpan) item.contentSpan = raw.contentSpan;
    if (raw.conds.length > 0) item.conditionLines = [...new Set(raw.conds)].sort((a, b) => a - b);
    if (extra !== undefined) item.extra = extra;
    if (raw.reason !== undefined) item.reason = raw.reason;
    if (raw.approximate) item.spanIsApproximate = true;
    return item;
  }

  private reportKey(keyword: SetupKeyword, v: Value, node: Spanned): SetupKeywordResult {
    const { items, complete } = this.itemsFrom(v, node, []);
    const result: SetupKeywordResult = {
      keyword,
      status: Evaluator.status(items, complete),
      expressionSpan: { start: node.start, end: node.end },
      items: items.map((i) => Evaluator.toItem(i)),
    };
    const notes = v.t === 'list' || v.t === 'dict' ? [...v.notes] : [];
    if (v.t === 'str') notes.push('a single string: setuptools reads one requirement per line');
    if (notes.length > 0) result.notes = notes;
    return result;
  }

  private reportExtras(v: Value, node: Spanned): SetupKeywordResult {
    const expressionSpan = { start: node.start, end: node.end };
    if (v.t !== 'dict') {
      return { keyword: 'extras_require', status: 'unresolved', expressionSpan, items: [], extras: [], reason: reasonOf(v, 'not a dict') };
    }
    const extras: SetupExtra[] = [];
    for (const [name, entry] of v.entries) {
      const value = entry.value;
      const subNode = value.t === 'str' || value.t === 'unknown' ? value.node : node;
      const { items, complete } = this.itemsFrom(value, subNode, entry.conds);
      let status = Evaluator.status(items, complete);
      if (entry.conds.length > 0 && status === 'resolved') status = 'resolved_conditional';
      const extra: SetupExtra = { name, status, items: items.map((i) => Evaluator.toItem(i, name)) };
      const key = entry.keyNode && 'expr' in entry.keyNode ? entry.keyNode.expr : undefined;
      if (key?.kind === 'Constant') extra.keySpan = { start: key.start, end: key.end };
      if (name.includes(':')) extra.marker = name.slice(name.indexOf(':') + 1) || null;
      extras.push(extra);
    }
    let status: ListStatus = 'resolved';
    if (!v.complete || extras.some((e) => e.status === 'partial' || e.status === 'unresolved')) status = 'partial';
    else if (extras.some((e) => e.status === 'resolved_conditional')) status = 'resolved_conditional';
    const result: SetupKeywordResult = {
      keyword: 'extras_require',
      status,
      expressionSpan,
      items: extras.flatMap((e) => e.items),
      extras,
    };
    if (v.notes.length > 0) result.notes = [...v.notes];
    return result;
  }

  // -- statements ---------------------------------------------------------------------------------

  private bind(env: Env, name: string, value: Value, line: number, conds: readonly number[]): void {
    env.set(name, { value, line, conds: [...conds] });
    this.mark(value, conds);
  }

  /** The value a statement changes in place (NAME or NAME["key"]...). */
  private targetValue(node: A.Expr, env: Env): Value | undefined {
    if (node.kind === 'Name') return env.get(node.id)?.value;
    if (node.kind === 'Subscript') {
      const base = this.targetValue(node.value, env);
      const key = this.ev(node.slice, env);
      if (base?.t === 'dict' && key.t === 'str') return base.entries.get(key.value)?.value;
    }
    return undefined;
  }

  private walk(stmts: readonly A.Stmt[], env: Env, conds: readonly number[], where: string): void {
    for (const st of stmts) {
      this.findCalls(st, env, conds, where);
      const line = this.line(st.start);
      switch (st.kind) {
        case 'FunctionDef':
        case 'AsyncFunctionDef':
          this.functions.push({ fn: st, conds: [...conds] });
          env.set(st.name, { value: unknown(`function ${st.name}`, st), functionLine: line, line, conds: [] });
          break;
        case 'ClassDef':
          break;
        case 'Assign': {
          // `a = b = value`: each name gets a copy of its own (lists and dicts change in place).
          const value = this.ev(st.value, env);
          st.targets.forEach((target, i) => this.assign(target, i === 0 ? value : this.copy(value, target), env, st, conds));
          break;
        }
        case 'AnnAssign':
          if (st.value) this.assign(st.target, this.ev(st.value, env), env, st, conds);
          break;
        case 'AugAssign': {
          if (st.op !== 'Add') break;
          const current = this.targetValue(st.target, env);
          const extra = this.ev(st.value, env);
          if (current?.t === 'list') {
            const added = this.withConds(this.asEntries(extra, st.value), conds);
            this.grow(current, added, st);
            if (extra.t === 'list') current.complete &&= extra.complete;
          } else if (st.target.kind === 'Name') {
            this.bind(env, st.target.id, unknown("'+=' on a value this script cannot follow", st), line, conds);
          }
          break;
        }
        case 'Expr':
          if (st.value.kind === 'Call') this.mutatingCall(st.value, env, conds);
          break;
        case 'If': {
          const inner = isMainGuard(st.test) ? conds : [...conds, line];
          this.walk(st.body, env, inner, where);
          this.walk(st.orelse, env, [...conds, line], where);
          break;
        }
        case 'For':
        case 'AsyncFor':
        case 'While':
          this.walk(st.body, env, [...conds, line], where);
          this.walk(st.orelse, env, [...conds, line], where);
          break;
        case 'With':
        case 'AsyncWith':
          for (const item of st.items) {
            const v = item.optionalVars;
            if (v?.kind === 'Name') this.bind(env, v.id, unknown('bound by a with statement', v), line, conds);
          }
          this.walk(st.body, env, conds, where);
          break;
        case 'Try':
        case 'TryStar':
          this.walk(st.body, env, conds, where);
          for (const handler of st.handlers) this.walk(handler.body, env, [...conds, this.line(handler.start)], where);
          this.walk(st.orelse, env, [...conds, line], where);
          this.walk(st.finalbody, env, conds, where);
          break;
        case 'Import':
        case 'ImportFrom':
          for (const alias of st.names) {
            const name = (alias.asname ?? alias.name).split('.')[0]!;
            if (name !== '*') this.bind(env, name, unknown(`imported name '${name}'`, st), line, conds);
          }
          break;
        default:
          break;
      }
    }
  }

  private assign(target: A.Expr, value: Value, env: Env, st: A.Stmt, conds: readonly number[]): void {
    const line = this.line(st.start);
    if (target.kind === 'Name') {
      this.bind(env, target.id, value, line, conds);
    } else if (target.kind === 'Subscript') {
      const base = this.targetValue(target.value, env);
      const key = this.ev(target.slice, env);
      if (base?.t === 'dict' && key.t === 'str') {
        this.mark(value, conds);
        base.entries.set(key.value, { value, conds: [...conds], keyNode: { expr: target.slice } });
      } else if (base?.t === 'dict') {
        base.complete = false;
      }
    } else if (target.kind === 'Tuple' || target.kind === 'List') {
      for (const elt of target.elts) {
        if (elt.kind === 'Name') this.bind(env, elt.id, unknown('bound by tuple unpacking', st), line, conds);
      }
    }
  }

  /** Replays list.append/extend/insert and dict.update; other mutations make the value incomplete. */
  private mutatingCall(call: A.Call, env: Env, conds: readonly number[]): void {
    const func = call.func;
    if (func.kind !== 'Attribute') return;
    const target = this.targetValue(func.value, env);
    const withConds = (entries: Entry[]): Entry[] => this.withConds(entries, conds);
    if (target?.t === 'list') {
      const args = call.args;
      if (func.attr === 'append' && args.length === 1) {
        this.grow(target, withConds(this.asEntries(this.ev(args[0]!, env), args[0]!)), call);
      } else if (func.attr === 'extend' && args.length === 1) {
        const extra = this.ev(args[0]!, env);
        this.grow(target, withConds(this.asEntries(extra, args[0]!)), call);
        if (extra.t === 'list') target.complete &&= extra.complete;
      } else if (func.attr === 'insert' && args.length === 2) {
        const added = withConds(this.asEntries(this.ev(args[1]!, env), args[1]!));
        const index = args[0]!;
        const n = target.entries.length;
        let pos = index.kind === 'Constant' && index.int !== undefined ? index.int : n;
        if (pos < 0) pos = Math.max(0, pos + n);
        this.grow(target, added, call, Math.min(pos, n));
      } else if (['remove', 'pop', 'clear', 'sort', 'reverse'].includes(func.attr)) {
        target.complete = false;
        target.notes.push(`.${func.attr}() at line ${this.line(call.start)} is not replayed`);
      }
    } else if (target?.t === 'dict') {
      if (func.attr === 'update') {
        for (const arg of call.args) {
          const other = this.ev(arg, env);
          if (other.t !== 'dict') {
            target.complete = false;
            continue;
          }
          // The value was copied when it was read.
          for (const [name, e] of other.entries) {
            this.mark(e.value, conds);
            target.entries.set(name, { ...e, conds: [...e.conds, ...conds] });
          }
        }
        for (const kw of call.keywords) {
          if (kw.arg === null) {
            target.complete = false;
            continue;
          }
          const value = this.ev(kw.value, env);
          this.mark(value, conds);
          target.entries.set(kw.arg, { value, conds: [...conds], keyNode: { keyword: kw } });
        }
      } else if (func.attr === 'pop' || func.attr === 'clear' || func.attr === 'setdefault') {
        target.complete = false;
      }
    }
  }

  /** setup() calls in this statement, outside nested functions, classes, lambdas and blocks. */
  private findCalls(st: A.Stmt, env: Env, conds: readonly number[], where: string): void {
    if (st.kind === 'FunctionDef' || st.kind === 'AsyncFunctionDef' || st.kind === 'ClassDef') return;
    const todo: A.Node[] = [st];
    while (todo.length > 0) {
      const node = todo.pop()!;
      if (node !== st && (node.kind === 'FunctionDef' || node.kind === 'AsyncFunctionDef' || node.kind === 'ClassDef' || node.kind === 'Lambda')) {
        continue;
      }
      if (isSetupCall(node)) this.recordCall(node, env, conds, where);
      appendAll(todo, childNodes(node, node === st));
    }
  }

  private recordCall(call: A.Call, env: Env, conds: readonly number[], where: string): void {
    const found = new Map<SetupKeyword, { value: Value; node: Spanned }>();
    const unresolvedKwargs: string[] = [];
    const isKey = (k: string): k is SetupKeyword => (SETUP_KEYWORDS as readonly string[]).includes(k);
    for (const kw of call.keywords) {
      if (kw.arg !== null) {
        if (isKey(kw.arg)) found.set(kw.arg, { value: this.ev(kw.value, env), node: kw.value });
        continue;
      }
      const spread = this.ev(kw.value, env);
      if (spread.t !== 'dict') {
        unresolvedKwargs.push(this.seg(kw.value));
        continue;
      }
      for (const key of SETUP_KEYWORDS) {
        const entry = spread.entries.get(key);
        if (!entry || found.has(key)) continue;
        const value = entry.value;
        let node: Spanned = value.t === 'str' || value.t === 'unknown' ? value.node : kw.value;
        if (value.t === 'list' || value.t === 'dict') {
          // Report the expression the list was written as: the keyword's or dict literal's value.
          const kn = entry.keyNode;
          if (kn && 'keyword' in kn) node = kn.keyword.value;
          else node = entry.valueNode ?? kw.value;
        }
        found.set(key, { value, node });
      }
      if (!spread.complete) unresolvedKwargs.push(this.seg(kw.value));
    }
    const keywords = {} as Record<SetupKeyword, SetupKeywordResult>;
    for (const key of SETUP_KEYWORDS) {
      const f = found.get(key);
      if (!f) keywords[key] = { keyword: key, status: unresolvedKwargs.length > 0 ? 'unknown' : 'absent', items: [] };
      else if (key === 'extras_require') keywords[key] = this.reportExtras(f.value, f.node);
      else keywords[key] = this.reportKey(key, f.value, f.node);
    }
    const result: SetupCall = {
      span: { start: call.start, end: call.end },
      callee: this.seg(call.func),
      conditional: conds.length > 0,
      line: this.line(call.start),
      inFunction: where,
      keywords,
    };
    if (unresolvedKwargs.length > 0) result.unresolvedKwargs = unresolvedKwargs;
    this.calls.push(result);
  }
}
