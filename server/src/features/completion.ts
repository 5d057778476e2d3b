// Completion: versions after a specifier operator, project names at the name position, pip options
// after `-`, extras inside `[`; in requirements files and in setup.py's requirement strings. The
// text around the cursor is read lexically, since a line being typed rarely parses. Pure apart
// from the index; never throws.
import {
  CompletionItemKind,
  CompletionItemTag,
  type CompletionItem,
  type CompletionList,
} from 'vscode-languageserver-types';
import type { AnalyzedDocument } from './document';
import type { PackageIndex } from '../index/packageIndex';
import { canonicalizeName, parseRequirement, type MarkerComparison, type MarkerExpression } from '../parser/pep508';
import { findOption, parseOptionTokens, PIP_OPTIONS, type OptionSpec } from '../parser/pipOptions';
import { commentStart, isCommentLine, type RequirementsDocument } from '../parser/requirementsFile';
import type { Declarations } from '../parser/declared';
import { shlexSplit } from '../parser/shlex';
import type { Span } from '../parser/types';
import { rangeOf } from './diagnostics';
import { loadProjectInfo } from '../pip/projectInfo';
import type { TargetEnvironment } from '../pip/environment';
import { dayOf, describeProblem, installProblem, isPrerelease, releasesOf, type Release } from '../pip/releases';

export interface CompletionDeps {
  /** The index the document installs from; without it only options are offered. */
  readonly index?: PackageIndex;
  /** Where the file is installed: releases a target cannot install are marked. */
  readonly targets?: readonly TargetEnvironment[];
  readonly signal?: AbortSignal;
}

/** Operators ask for versions, `[` and `,` for extras, `-` for options and the rest of a name. */
export const COMPLETION_TRIGGER_CHARACTERS: readonly string[] = ['=', '<', '>', '~', '!', ',', '[', '-'];

/** Project names offered at once; the client asks again as the user types (isIncomplete). */
const NAME_LIMIT = 100;
/** Versions offered at once; past this only those starting with the typed text are kept. */
const VERSION_LIMIT = 1000;

/** An empty list, as either the LSP answer or an internal one. */
const empty = (): { isIncomplete: false; items: never[] } => ({ isIncomplete: false, items: [] });

/** The completion list at `offset` (UTF-16, as TextDocument.offsetAt gives). */
export async function completion(analysis: AnalyzedDocument, offset: number, deps: CompletionDeps): Promise<CompletionList> {
  try {
    const target = completionTarget(analysis, offset);
    if (!target) return empty();
    const list = await complete(target, deps);
    if (deps.signal?.aborted) return empty();
    const range = rangeOf(analysis.document, target.span);
    const items = list.items.map(({ newText, ...item }): CompletionItem => ({ ...item, textEdit: { range, newText } }));
    return { isIncomplete: list.isIncomplete, items };
  } catch {
    return empty();
  }
}

// ---- what is at the cursor ------------------------------------------------------------------------

interface TargetBase {
  /** What the chosen item replaces: the word being written, also past the cursor. */
  readonly span: Span;
  /** The part of that word before the cursor (what the client filters on). */
  readonly typed: string;
}

type Target = TargetBase & (
  | { readonly kind: 'name' }
  | { readonly kind: 'extra'; readonly project: string; readonly written: readonly string[] }
  | {
      readonly kind: 'version';
      readonly project: string;
      readonly operator: string;
      /** The whole version being written, before and after the cursor. */
      readonly word: string;
      /** Versions of the requirement's other clauses. */
      readonly others: readonly string[];
    }
  | {
      readonly kind: 'option';
      readonly specs: readonly OptionSpec[];
      /** A value already follows the name (`--ha‸sh=…`): only the name is replaced. */
      readonly valueWritten: boolean;
    }
);

const OPERATORS = ['===', '~=', '==', '!=', '<=', '>=', '<', '>'];
/** What a version being typed may contain: anything up to the next separator or operator. */
const VERSION_CHAR = `[^\\s,;()=<>!~'"\\\\]`;
const NAME_WORD = /^[A-Za-z0-9._-]*/;
const VERSION_WORD = new RegExp(`^${VERSION_CHAR}*`);
const IS_VERSION_CHAR = new RegExp(`^${VERSION_CHAR}$`);
const CLAUSE = new RegExp(`(?:${OPERATORS.join('|')})\\s*(${VERSION_CHAR}+)`, 'g');

// The text before the cursor is read by hand, not by one regex: a regex with several `\s*` in a row
// backtracks cubically on a long run of spaces (`six` + 4,000 spaces took 56 s per keystroke).

const isSpace = (ch: string | undefined): boolean => ch !== undefined && /\s/.test(ch);
const isAlphanumeric = (ch: string | undefined): boolean => ch !== undefined && /[A-Za-z0-9]/.test(ch);

function skipSpaces(text: string, at: number): number {
  while (isSpace(text[at])) at++;
  return at;
}

/** The end of a project name starting at `at` (`[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?`), or `at` when there is none. */
function nameEnd(text: string, at: number): number {
  let end = at;
  while (end < text.length && /[A-Za-z0-9._-]/.test(text[end])) end++;
  // A name ends in a letter or digit; what would follow a shorter name here (`.`, `_`, `-`) fits nothing after it.
  return end > at && isAlphanumeric(text[at]) && isAlphanumeric(text[end - 1]) ? end : at;
}

function operatorAt(text: string, at: number): string | undefined {
  return OPERATORS.find((operator) => text.startsWith(operator, at));
}

/** `name[extras] (op version,)* op partial` up to the end of `before`, as pip-style specifiers are written. */
function versionAtEnd(before: string): { project: string; clauses: string; operator: string; typed: string } | undefined {
  const start = skipSpaces(before, 0);
  const end = nameEnd(before, start);
  if (end === start) return undefined;
  let at = skipSpaces(before, end);
  if (before[at] === '[') {
    const close = before.indexOf(']', at);
    if (close < 0) return undefined;
    at = skipSpaces(before, close + 1);
  }
  if (before[at] === '(') at++;
  const clausesStart = at;
  for (;;) {
    const operatorStart = skipSpaces(before, at);
    const operator = operatorAt(before, operatorStart);
    if (!operator) return undefined;
    const versionStart = skipSpaces(before, operatorStart + operator.length);
    let versionEnd = versionStart;
    while (versionEnd < before.length && IS_VERSION_CHAR.test(before[versionEnd])) versionEnd++;
    if (versionEnd === before.length) {
      return { project: before.slice(start, end), clauses: before.slice(clausesStart, at), operator, typed: before.slice(versionStart) };
    }
    const comma = skipSpaces(before, versionEnd);
    if (before[comma] !== ',') return undefined;
    at = comma + 1;
  }
}

/** `name [partial-extras` up to the end of `before`: the project and what is written inside the bracket. */
function extrasAtEnd(before: string): { project: string; inside: string } | undefined {
  const start = skipSpaces(before, 0);
  const end = nameEnd(before, start);
  const open = skipSpaces(before, end);
  if (end === start || before[open] !== '[' || before.includes(']', open)) return undefined;
  return { project: before.slice(start, end), inside: before.slice(open + 1) };
}

/** The word around the cursor: `typed` before it, `rest` (matched by `word`) after it. */
function wordSpan(offset: number, typed: string, after: string, word: RegExp): { span: Span; rest: string } {
  const rest = word.exec(after)?.[0] ?? '';
  return { span: { start: offset - typed.length, end: offset + rest.length }, rest };
}

/**
 * What a requirement written up to the cursor (`before`) asks for: its name, an extra or a
 * version. `after` is the rest of its line.
 */
function requirementTarget(before: string, after: string, offset: number): Target | undefined {
  const name = before.trimStart();
  if (NAME_WORD.exec(name)?.[0] === name) return { kind: 'name', typed: name, ...wordSpan(offset, name, after, NAME_WORD) };
  const extras = extrasAtEnd(before);
  if (extras) {
    const parts = extras.inside.split(',');
    const typed = parts.pop()!.trimStart();
    if (NAME_WORD.exec(typed)?.[0] !== typed) return undefined;
    const { span, rest } = wordSpan(offset, typed, after, NAME_WORD);
    const close = after.indexOf(']');
    const later = (close < 0 ? after : after.slice(0, close)).slice(rest.length).split(',').slice(1);
    const written = [...parts, ...later].map((extra) => canonicalizeName(extra.trim())).filter(Boolean);
    return { kind: 'extra', project: canonicalizeName(extras.project), written, typed, span };
  }
  const version = versionAtEnd(before);
  if (!version) return undefined;
  const { typed } = version;
  const { span, rest } = wordSpan(offset, typed, after, VERSION_WORD);
  // Clauses after this one, up to a marker, comment or option.
  const tail = after.slice(rest.length).split(/;|\s#|\s-/)[0];
  const others = [...`${version.clauses}${tail}`.matchAll(CLAUSE)].map((clause) => clause[1]);
  return { kind: 'version', project: canonicalizeName(version.project), operator: version.operator, word: typed + rest, others, typed, span };
}

function lineStartBefore(text: string, offset: number): number {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  return start;
}

function lineEndAfter(text: string, offset: number): number {
  let end = offset;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  return end;
}

const hasComment = (text: string): boolean => commentStart(text) >= 0;

/**
 * The logical line up to `offset` as pip joins backslash continuations (a comment line ends one),
 * with a space at each join so that no word spans lines; undefined inside a comment.
 */
function logicalPrefix(text: string, offset: number): string | undefined {
  let start = lineStartBefore(text, offset);
  let prefix = text.slice(start, offset);
  while (start > 0) {
    const end = text[start - 1] === '\n' && text[start - 2] === '\r' ? start - 2 : start - 1;
    const previousStart = lineStartBefore(text, end);
    const previous = text.slice(previousStart, end);
    if (!previous.endsWith('\\') || isCommentLine(previous)) break;
    prefix = `${stripBackslashes(previous)} ${prefix}`;
    start = previousStart;
  }
  return hasComment(prefix) ? undefined : prefix;
}

/** str.strip("\\"), as pip's join_lines applies it (a loop: `\\+$` in a regex is quadratic on a run of backslashes). */
function stripBackslashes(line: string): string {
  let from = 0;
  let to = line.length;
  while (from < to && line[from] === '\\') from++;
  while (to > from && line[to - 1] === '\\') to--;
  return line.slice(from, to);
}

/** What is being written at `offset` (UTF-16), read from the text around it; undefined where nothing is offered. */
function completionTarget(analysis: AnalyzedDocument, offset: number): Target | undefined {
  // A lock file is written by the lock command, not by hand: nothing is offered there.
  if (analysis.family === 'lock') return undefined;
  return analysis.family === 'manifest' ? manifestTarget(analysis.declarations, offset) : requirementsTarget(analysis.parsed, offset);
}

function requirementsTarget(parsed: RequirementsDocument, offset: number): Target | undefined {
  const before = logicalPrefix(parsed.text, offset)?.trimStart();
  if (before === undefined) return undefined;
  const after = parsed.text.slice(offset, lineEndAfter(parsed.text, offset));
  // pip's break_args_options: options start at the first word that starts with `-`.
  if (before.startsWith('-')) return optionTarget(before, after, offset, 'line');
  const dash = before.indexOf(' -');
  if (dash >= 0) return optionTarget(before.slice(dash + 1), after, offset, 'requirement');
  return requirementTarget(before, after, offset);
}

/** The declared requirement strings (setup()'s install_requires, extras_require, …), read as requirement lines. */
function manifestTarget(declarations: Declarations, offset: number): Target | undefined {
  for (const string of declarations.strings) {
    // Only where the string's text is exactly its value can an offset in it be mapped.
    const content = string.contentSpan;
    if (!content || offset < content.start || offset > content.end) continue;
    const at = offset - content.start;
    const before = string.value.slice(lineStartBefore(string.value, at), at);
    if (hasComment(before)) return undefined;
    return requirementTarget(before, string.value.slice(at, lineEndAfter(string.value, at)), offset);
  }
  return undefined;
}

// ---- options --------------------------------------------------------------------------------------

/** Whether an option word still waits for its value (`-r`, `--index-url`), so the next word is that value. */
function awaitsValue(word: string): boolean {
  const spec = /^-[A-Za-z]$/.test(word) || (word.startsWith('--') && !word.includes('=')) ? findOption(word) : undefined;
  return spec?.takesValue ?? false;
}

const LIVE_OPTIONS = PIP_OPTIONS.filter((spec) => !spec.removedIn);
const LINE_KINDS: ReadonlySet<OptionSpec['dest']> = new Set(['requirements', 'constraints', 'editables']);

/**
 * The options valid where the cursor is. After a requirement: its own options (--hash, -C). On a
 * line of options: file-wide ones; -r/-c/-e only first (pip drops the rest of such a line), and
 * after `-e path` only --config-settings, the one option pip applies to an editable.
 */
function optionsAllowed(where: 'line' | 'requirement', earlier: readonly OptionSpec[]): readonly OptionSpec[] {
  if (where === 'requirement') return LIVE_OPTIONS.filter((spec) => spec.scope === 'requirement');
  if (earlier.length === 0) return LIVE_OPTIONS.filter((spec) => spec.scope === 'file');
  if (earlier.some((spec) => spec.dest === 'requirements' || spec.dest === 'constraints')) return [];
  if (earlier.some((spec) => spec.dest === 'editables')) return LIVE_OPTIONS.filter((spec) => spec.dest === 'config_settings');
  // A flag given twice says nothing more.
  return LIVE_OPTIONS.filter((spec) => spec.scope === 'file' && !LINE_KINDS.has(spec.dest) && (spec.takesValue || !earlier.includes(spec)));
}

/** An option name being written at the end of `optionText` (the option part of the line up to the cursor). */
function optionTarget(optionText: string, after: string, offset: number, where: 'line' | 'requirement'): Target | undefined {
  // The last word, found from the end (`\S*$` is quadratic on a long word before the last space).
  let wordStart = optionText.length;
  while (wordStart > 0 && !isSpace(optionText[wordStart - 1])) wordStart--;
  const typed = optionText.slice(wordStart);
  if (!/^(?:-[A-Za-z]?|--[A-Za-z-]*)$/.test(typed)) return undefined;
  const split = shlexSplit(optionText.slice(0, optionText.length - typed.length));
  if (!split.ok) return undefined;
  const words = split.tokens.map((token) => token.value);
  if (words.length && awaitsValue(words[words.length - 1])) return undefined;
  const specs = optionsAllowed(where, parseOptionTokens(split.tokens).occurrences.map((occurrence) => occurrence.spec));
  if (specs.length === 0) return undefined;
  const { span, rest } = wordSpan(offset, typed, after, /^[^\s=]*/);
  return { kind: 'option', specs, valueWritten: after[rest.length] === '=', typed, span };
}

/** What follows an option name: `--hash=` as pip-compile writes it, `-r file` and `--index-url URL`. */
function optionText(name: string, spec: OptionSpec, valueWritten: boolean): string {
  if (valueWritten || !spec.takesValue) return name;
  return name.startsWith('--') && spec.scope === 'requirement' ? `${name}=` : `${name} `;
}

function optionItems(specs: readonly OptionSpec[], valueWritten: boolean): Item[] {
  // The first long name and the short ones: other long names are aliases pip keeps for old files.
  return specs.flatMap((spec) => [spec.long[0], ...spec.short].map((name) => ({
    label: name,
    kind: CompletionItemKind.Keyword,
    detail: spec.summary,
    newText: optionText(name, spec, valueWritten),
  })));
}

// ---- building the list ----------------------------------------------------------------------------

/** An item whose edit replaces the target's span with `newText`. */
type Item = Omit<CompletionItem, 'textEdit'> & { readonly newText: string };

interface List {
  readonly isIncomplete: boolean;
  readonly items: readonly Item[];
}

/** Keeps the list's order in the client, which otherwise sorts by label. */
function ordered(items: readonly Item[]): Item[] {
  const width = String(items.length).length;
  return items.map((item, i) => ({ ...item, sortText: String(i).padStart(width, '0') }));
}

async function complete(target: Target, deps: CompletionDeps): Promise<List> {
  if (target.kind === 'option') return { isIncomplete: false, items: ordered(optionItems(target.specs, target.valueWritten)) };
  const { index } = deps;
  if (!index) return empty();
  switch (target.kind) {
    case 'name':
      return nameList(target.typed, index, deps.signal);
    case 'extra':
      return extraList(target.project, target.written, index, deps.signal);
    case 'version':
      return versionList(target, index, deps);
  }
}

// ---- versions -------------------------------------------------------------------------------------

/** A version being typed looks like a pre-release once it has a letter outside its local part (`2.0rc`, `3.1.dev`). */
const looksLikePrerelease = (version: string): boolean => /[a-z]/i.test(version.split('+')[0]);

async function versionList(target: Extract<Target, { kind: 'version' }>, index: PackageIndex, deps: CompletionDeps): Promise<List> {
  const info = await loadProjectInfo(index, target.project, deps.signal);
  if (!info.data.ok) return empty();
  let releases = info.releases;
  // Dates come with the files (PEP 700); the JSON API, often large, only when the index gives none.
  if (releases.some((release) => release.files.length > 0 && !release.uploadTime)) {
    const details = await index.details(target.project, undefined, deps.signal);
    if (details) releases = releasesOf(info.data.value, details);
  }
  // A yanked release is worth naming only to exclude it.
  const offerYanked = target.operator === '!=';
  const installable = releases.filter((release) => release.files.length > 0 && (offerYanked || !release.yanked));
  const prereleases =
    index.effective.prereleases ||
    looksLikePrerelease(target.word) ||
    target.others.some(isPrerelease) ||
    !installable.some((release) => !release.prerelease && !release.yanked);
  let shown = prereleases ? installable : installable.filter((release) => !release.prerelease);
  let isIncomplete = false;
  if (shown.length > VERSION_LIMIT) {
    shown = shown.filter((release) => release.version.startsWith(target.typed)).slice(0, VERSION_LIMIT);
    isIncomplete = true;
  }
  return { isIncomplete, items: ordered(shown.map((release) => versionItem(release, deps.targets ?? []))) };
}

function versionItem(release: Release, targets: readonly TargetEnvironment[]): Item {
  const day = dayOf(release.uploadTime);
  const notes: string[] = [];
  if (day) notes.push(`released ${day}`);
  if (release.prerelease) notes.push('pre-release');
  if (release.yanked) notes.push(`yanked${release.yankedReason ? `: ${release.yankedReason}` : ''}`);
  // A version typed after `==` is a pin: pip takes its yanked files too.
  for (const target of targets) {
    const problem = installProblem(release, target, { pinned: true });
    if (problem) notes.push(describeProblem(problem, target.name));
  }
  return {
    label: release.version,
    kind: CompletionItemKind.Value,
    ...(day ? { labelDetails: { description: day } } : {}),
    ...(notes.length ? { detail: notes.join('; ') } : {}),
    ...(release.yanked ? { tags: [CompletionItemTag.Deprecated] } : {}),
    newText: release.version,
  };
}

// ---- project names --------------------------------------------------------------------------------

/** A project list sorted by normalized name, for prefix search. */
interface NameTable {
  readonly keys: readonly string[];
  /** As the index lists them, in the order of `keys`. */
  readonly names: readonly string[];
}

/** Per project list: the index layer hands out the same array while it is cached, so this is built once. */
const nameTables = new WeakMap<readonly string[], NameTable>();

function nameTable(list: readonly string[]): NameTable {
  let table = nameTables.get(list);
  if (table) return table;
  // Sorting `key\tname` strings (no comparator) is several times faster than sorting indexes; tab sorts
  // before every character of a name, so the order is that of the keys.
  const pairs = list.map((name) => `${canonicalizeName(name)}\t${name}`).sort();
  const keys: string[] = [];
  const names: string[] = [];
  for (const pair of pairs) {
    const tab = pair.indexOf('\t');
    const key = pair.slice(0, tab);
    if (key === keys[keys.length - 1]) continue;
    keys.push(key);
    names.push(pair.slice(tab + 1));
  }
  table = { keys, names };
  nameTables.set(list, table);
  return table;
}

function lowerBound(keys: readonly string[], key: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (keys[middle] < key) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Names starting with the typed prefix (normalized), shortest first: the exact name, then its nearest relatives. */
async function nameList(typed: string, index: PackageIndex, signal?: AbortSignal): Promise<List> {
  const list = await index.projectNames(signal);
  if (!list.ok) return empty();
  const { keys, names } = nameTable(list.value);
  const prefix = canonicalizeName(typed);
  const byLength: number[][] = [];
  let matches = 0;
  for (let i = lowerBound(keys, prefix); i < keys.length && keys[i].startsWith(prefix); i++) {
    matches++;
    const bucket = (byLength[keys[i].length] ??= []);
    if (bucket.length < NAME_LIMIT) bucket.push(i);
  }
  const chosen = byLength.flat().slice(0, NAME_LIMIT);
  const items = chosen.map((i): Item => {
    const name = names[i];
    // The client filters on what is typed: `flask_s` must still find Flask-SQLAlchemy.
    const filterText = name.toLowerCase().startsWith(typed.toLowerCase()) ? undefined : typed + keys[i].slice(prefix.length);
    return { label: name, kind: CompletionItemKind.Module, ...(filterText ? { filterText } : {}), newText: name };
  });
  return { isIncomplete: matches > chosen.length, items: ordered(items) };
}

// ---- extras ---------------------------------------------------------------------------------------

/** Extras a marker asks about (`extra == "socks"`, either way round). */
function markerExtras(expression: MarkerExpression): string[] {
  return expression.flatMap((atom) => (atom === 'and' || atom === 'or' ? [] : atom.kind === 'group' ? markerExtras(atom.items) : comparedExtra(atom)));
}

function comparedExtra(comparison: MarkerComparison): string[] {
  const { left, right } = comparison;
  const [variable, literal] = left.kind === 'variable' ? [left, right] : [right, left];
  return comparison.operator === '==' && variable.kind === 'variable' && variable.name === 'extra' && literal.kind === 'string' ? [literal.value] : [];
}

/** Normalized extra → its name as first written and the projects it adds, from requires_dist. */
function requiresDistExtras(requiresDist: readonly string[]): Map<string, { name: string; projects: string[] }> {
  const extras = new Map<string, { name: string; projects: string[] }>();
  for (const line of requiresDist) {
    const parsed = parseRequirement(line);
    if (!parsed.ok || !parsed.value.marker) continue;
    for (const name of markerExtras(parsed.value.marker.expression)) {
      const key = canonicalizeName(name);
      const extra = extras.get(key) ?? extras.set(key, { name, projects: [] }).get(key)!;
      if (!extra.projects.includes(parsed.value.name)) extra.projects.push(parsed.value.name);
    }
  }
  return extras;
}

/** The project's extras from its metadata: provides_extra, else those its requires_dist markers name; not those already written. */
async function extraList(project: string, written: readonly string[], index: PackageIndex, signal?: AbortSignal): Promise<List> {
  const details = await index.details(project, undefined, signal);
  if (!details) return empty();
  const fromMarkers = requiresDistExtras(details.requiresDist);
  const declared = details.providesExtra?.length ? details.providesExtra : [...fromMarkers.values()].map((extra) => extra.name);
  const seen = new Set(written);
  const extras = declared.filter((extra) => !seen.has(canonicalizeName(extra)) && seen.add(canonicalizeName(extra))).sort();
  const items = extras.map((extra): Item => {
    const projects = fromMarkers.get(canonicalizeName(extra))?.projects;
    return { label: extra, kind: CompletionItemKind.EnumMember, ...(projects ? { detail: `adds ${projects.join(', ')}` } : {}), newText: extra };
  });
  return { isIncomplete: false, items: ordered(items) };
}
