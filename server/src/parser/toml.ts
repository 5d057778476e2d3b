// TOML with source positions, for pyproject.toml: toml-eslint-parser reads the text (as TOML 1.0,
// which Python's tomllib, pip and setuptools read), and this module gives its tree the shape the
// manifest readers need: tables by key path, and where each character of a string's value sits.
// Pure and total: a syntax error, or a failure of the library, is a problem, never an exception.
import type { AST } from 'toml-eslint-parser' with { 'resolution-mode': 'import' };
import { ValuePieces, type ValuePiece } from './declared';
import type { Problem, Span } from './types';

type TomlParser = typeof import('toml-eslint-parser', { with: { 'resolution-mode': 'import' } });
// An ES module: esbuild bundles it into the server, and Node 20.19+ loads it with require() in tests.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tomlParser = require('toml-eslint-parser') as TomlParser;

export type TomlValueNode = AST.TOMLContentNode;
export type TomlStringNode = AST.TOMLStringValue;

/** A table (or an inline table, or a key path that dotted keys open) and what it holds. */
export interface TomlTable {
  readonly kind: 'table';
  /** Where it is first named: the last part of its header or dotted key. */
  readonly keySpan: Span;
  /** The whole table: its header and body, or the inline table; none for one only a longer key opens (set when its header is read). */
  span?: Span;
  readonly entries: Map<string, TomlEntry>;
}

/** A key's value, other than a table. */
export interface TomlLeaf {
  readonly kind: 'value';
  readonly keySpan: Span;
  readonly node: TomlValueNode;
}

/** `[[name]]`: an array of tables (a lock file's `[[packages]]`), its tables in order. */
export interface TomlTableArray {
  readonly kind: 'table-array';
  readonly keySpan: Span;
  readonly tables: TomlTable[];
}

export type TomlEntry = TomlTable | TomlLeaf | TomlTableArray;

/**
 * A document read (`problem`: it needs TOML 1.1, which only some Pythons read), or the reason it
 * could not be read at all.
 */
export type TomlReading = { readonly ok: true; readonly root: TomlTable; readonly problem?: Problem } | { readonly ok: false; readonly problem: Problem };

/**
 * Reads a TOML document as Python's tomllib does on 3.11 to 3.14 (TOML 1.0), which pip and
 * setuptools use there. A document only TOML 1.1 reads (Python 3.15's tomllib, and the tomli pip
 * vendors for older Pythons) is read, with a problem: it fails on the Pythons in between.
 * `label` names the file in messages.
 */
export function readToml(text: string, label: string): TomlReading {
  let program: AST.TOMLProgram;
  let problem: Problem | undefined;
  try {
    program = tomlParser.parseTOML(text, { tomlVersion: '1.0.0' });
  } catch (error) {
    problem = parseFailure(text, label, error);
    try {
      if (problem.code !== 'syntax') throw error;
      program = tomlParser.parseTOML(text, { tomlVersion: '1.1.0' });
    } catch {
      return { ok: false, problem };
    }
    problem = { ...problem, message: `${label} needs TOML 1.1 here (${(error as Error).message}): Python 3.11 to 3.14 read TOML 1.0 only (tomllib), so pip and setuptools there refuse this file.` };
  }
  const root: TomlTable = { kind: 'table', keySpan: { start: 0, end: 0 }, entries: new Map() };
  for (const item of program.body[0].body) {
    if (item.type === 'TOMLKeyValue') {
      addKeyValue(root, item);
      continue;
    }
    const table = item.kind === 'array' ? appendedTable(root, item) : tableAt(root, item.key.keys, item.range[1]);
    if (!table) continue;
    if (item.kind === 'standard') table.span = spanOf(item);
    for (const keyValue of item.body) addKeyValue(table, keyValue);
  }
  return problem ? { ok: true, root, problem } : { ok: true, root };
}

function parseFailure(text: string, label: string, error: unknown): Problem {
  if (error instanceof SyntaxError && 'index' in error && typeof error.index === 'number') {
    const { index, lineNumber, column } = error as SyntaxError & { index: number; lineNumber: number; column: number };
    const start = Math.min(Math.max(index, 0), text.length);
    return {
      code: 'syntax',
      message: `${label} is not valid TOML: ${error.message} (line ${lineNumber}, column ${column + 1}). pip and the build backend cannot read it, so nothing in it is checked.`,
      span: { start, end: Math.min(start + 1, text.length) },
    };
  }
  // Not the file's fault (nesting deeper than the stack, a defect of the library): say so, quietly.
  const reason = error instanceof Error ? error.message : String(error);
  return { code: 'unresolved-install-requires', message: `${label} could not be read (${reason}), so its dependencies are not checked.`, span: { start: 0, end: 0 } };
}

function keyName(key: AST.TOMLBare | AST.TOMLQuoted): string {
  return key.type === 'TOMLBare' ? key.name : key.value;
}

export function spanOf(node: { readonly range: readonly [number, number] }): Span {
  return { start: node.range[0], end: node.range[1] };
}

/**
 * The table at a key path, opened on the way; a part that names an array of tables means its
 * last table, as in TOML (`[packages.vcs]` after `[[packages]]`), whose span then runs on to
 * `end` (the end of the header table read), so that it holds its sub-tables. Undefined when a
 * part is already a value (the parser rejects that).
 */
function tableAt(root: TomlTable, keys: readonly (AST.TOMLBare | AST.TOMLQuoted)[], end?: number): TomlTable | undefined {
  let table = root;
  for (const key of keys) {
    const name = keyName(key);
    let next = table.entries.get(name);
    if (!next) table.entries.set(name, (next = { kind: 'table', keySpan: spanOf(key), entries: new Map() }));
    if (next.kind === 'table-array') {
      next = next.tables[next.tables.length - 1];
      if (next?.span && end !== undefined) next.span = { start: next.span.start, end: Math.max(next.span.end, end) };
    }
    if (next?.kind !== 'table') return undefined;
    table = next;
  }
  return table;
}

/** `[[a.b]]`: a new table appended to the array of tables `b` (opened here) in the table `a`. */
function appendedTable(root: TomlTable, item: AST.TOMLTable): TomlTable | undefined {
  const keys = item.key.keys;
  const parent = tableAt(root, keys.slice(0, -1), item.range[1]);
  if (!parent) return undefined;
  const last = keys[keys.length - 1];
  let array = parent.entries.get(keyName(last));
  if (!array) parent.entries.set(keyName(last), (array = { kind: 'table-array', keySpan: spanOf(last), tables: [] }));
  if (array.kind !== 'table-array') return undefined;
  const table: TomlTable = { kind: 'table', keySpan: spanOf(last), span: spanOf(item), entries: new Map() };
  array.tables.push(table);
  return table;
}

function addKeyValue(table: TomlTable, keyValue: AST.TOMLKeyValue): void {
  const keys = keyValue.key.keys;
  const parent = tableAt(table, keys.slice(0, -1));
  if (!parent) return;
  const last = keys[keys.length - 1];
  const value = keyValue.value;
  if (value.type === 'TOMLInlineTable') {
    parent.entries.set(keyName(last), inlineTable(value, spanOf(last)));
  } else {
    parent.entries.set(keyName(last), { kind: 'value', keySpan: spanOf(last), node: value });
  }
}

/** An inline table (`{ a = 1 }`) as a table; `keySpan`: where it is named (its own span in an array). */
export function inlineTable(node: AST.TOMLInlineTable, keySpan: Span = spanOf(node)): TomlTable {
  const table: TomlTable = { kind: 'table', keySpan, span: spanOf(node), entries: new Map() };
  for (const inner of node.body) addKeyValue(table, inner);
  return table;
}

/** What a TOML value is, as a message names it. */
export function tomlTypeName(entry: TomlEntry | TomlValueNode): string {
  if ('type' in entry) {
    if (entry.type === 'TOMLArray') return 'an array';
    if (entry.type === 'TOMLInlineTable') return 'a table';
    return entry.kind === 'string' ? 'a string' : entry.kind === 'integer' || entry.kind === 'float' ? 'a number' : entry.kind === 'boolean' ? 'a boolean' : 'a date or time';
  }
  if (entry.kind === 'table') return 'a table';
  if (entry.kind === 'table-array') return 'an array of tables';
  return tomlTypeName(entry.node);
}

/** Where a string's value sits: the text between the quotes when it is the value, else its pieces. */
export interface TomlStringLayout {
  readonly contentSpan?: Span;
  readonly pieces?: readonly ValuePiece[];
}

// `\e` is TOML 1.1's, read when a document needs 1.1 anyway.
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\x1b', '"': '"', '\\': '\\' };
/** Hex digits after `\x` (TOML 1.1), `\u` and `\U`. */
const HEX_ESCAPES: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

/**
 * Maps a string node's value onto its source: escape sequences (`\u00e9`, `\\`), the line break
 * that opens a multi-line string, a line-ending backslash and the whitespace it eats, and CRLF
 * read as LF. The mapping is checked against the parser's own value; when they differ, no
 * layout is given and spans fall back to the whole literal.
 */
export function tomlStringLayout(text: string, node: TomlStringNode): TomlStringLayout {
  const quote = node.multiline ? 3 : 1;
  let at = node.range[0] + quote;
  const end = node.range[1] - quote;
  if (node.multiline) {
    if (text.startsWith('\r\n', at)) at += 2;
    else if (text[at] === '\n') at += 1;
  }
  const contentStart = at;
  const pieces = new ValuePieces();
  let decoded = '';
  let run = at;
  const flush = (upTo: number) => {
    pieces.copy(run, upTo - run);
    decoded += text.slice(run, upTo);
  };
  while (at < end) {
    const c = text[at];
    if (c === '\r' && text[at + 1] === '\n') {
      flush(at);
      pieces.spell(at, 2, 1);
      decoded += '\n';
      run = at += 2;
    } else if (c === '\\' && node.style === 'basic') {
      flush(at);
      const escape = readEscape(text, at, end, node.multiline);
      if (!escape) return {};
      pieces.spell(at, escape.length, escape.value.length);
      decoded += escape.value;
      run = at += escape.length;
    } else {
      at++;
    }
  }
  flush(end);
  if (decoded !== node.value) return {};
  return pieces.isVerbatim ? { contentSpan: { start: contentStart, end } } : { pieces: pieces.done() };
}

/** The escape at `at` (a backslash) in a basic string: what it spells and how long it is. */
function readEscape(text: string, at: number, end: number, multiline: boolean): { value: string; length: number } | undefined {
  const next = text[at + 1];
  if (next in SIMPLE_ESCAPES) return { value: SIMPLE_ESCAPES[next], length: 2 };
  const digits = HEX_ESCAPES[next];
  if (digits !== undefined) {
    const hex = text.slice(at + 2, at + 2 + digits);
    if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== digits) return undefined;
    const point = parseInt(hex, 16);
    if (point > 0x10ffff || (point >= 0xd800 && point <= 0xdfff)) return undefined;
    return { value: String.fromCodePoint(point), length: 2 + digits };
  }
  if (!multiline) return undefined;
  // A line-ending backslash: it, the rest of the line's blanks and every blank or line break after, spell nothing.
  let after = at + 1;
  while (after < end && (text[after] === ' ' || text[after] === '\t')) after++;
  if (text[after] !== '\n' && !text.startsWith('\r\n', after)) return undefined;
  while (after < end && (text[after] === ' ' || text[after] === '\t' || text[after] === '\n' || text[after] === '\r')) after++;
  return { value: '', length: after - at };
}

/** A TOML document as plain data (tables as objects, arrays, strings, numbers, booleans, dates). */
export type TomlData = { readonly ok: true; readonly data: Readonly<Record<string, unknown>> } | { readonly ok: false; readonly message: string };

/**
 * A whole TOML 1.0 document as plain values, for lock files (uv.lock, pylock.toml), which tools
 * write and read as data: no positions, and a syntax error is a message naming the line.
 */
export function readTomlData(text: string, label: string): TomlData {
  try {
    const program = tomlParser.parseTOML(text, { tomlVersion: '1.0.0' });
    return { ok: true, data: tomlParser.getStaticTOMLValue(program) as Record<string, unknown> };
  } catch (error) {
    const where = error instanceof SyntaxError && 'lineNumber' in error ? ` (line ${String(error.lineNumber)})` : '';
    return { ok: false, message: `${label} is not valid TOML: ${error instanceof Error ? error.message : String(error)}${where}` };
  }
}
