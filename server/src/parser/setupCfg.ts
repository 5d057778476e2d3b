// setup.cfg as a manifest: [options] install_requires and setup_requires, and
// [options.extras_require], read the way setuptools reads them. First Python's configparser
// (`ConfigParser()`, options case-sensitive as setuptools sets them): sections, `key = value` or
// `key: value`, values continued on more-indented lines, whole-line `#`/`;` comments dropped, blank
// lines kept inside a value, and `%` interpolation when the value is read. Then setuptools: a value
// starting with `file:` is read from files (said here, not followed), a value of several lines is one
// requirement per line and a one-line value is split at `;`, and each requirement loses its ` #`
// comment. tests_require is not read: setuptools 72 removed it.
import { oversizedManifest, placeValueRange, setuptoolsRequirements, ValuePieces, type Declarations, type DeclaredString, type ValuePiece } from './declared';
import { parseRequirement } from './pep508';
import { pyStripBounds } from './pyText';
import type { Problem, Span } from './types';

const LABEL = 'setup.cfg';

/** A physical line of a value, stripped, and where that text is. */
export interface IniValueLine {
  readonly text: string;
  readonly span: Span;
}

export interface IniOption {
  /** As written (setuptools keeps configparser from lower-casing it). */
  readonly name: string;
  readonly nameSpan: Span;
  /** The text after the delimiter, then each continuation line ('' for a blank line inside the value). */
  readonly lines: readonly IniValueLine[];
}

export interface IniSection {
  readonly name: string;
  readonly nameSpan: Span;
  readonly options: readonly IniOption[];
}

export interface IniDocument {
  readonly sections: readonly IniSection[];
  /** configparser's errors: any of them and setuptools reads nothing from the file. */
  readonly problems: readonly Problem[];
}

/** Lines as Python's text files give them (universal newlines: LF, CRLF, CR). */
const LINE = /[^\r\n]*(?:\r\n|\r|\n|$)/g;

/** configparser's `_read`, keeping where everything is. Linear in the text. */
export function readIni(text: string, label = LABEL): IniDocument {
  const sections: IniSection[] = [];
  const problems: Problem[] = [];
  const fatal = (message: string, span: Span): IniDocument => ({ sections: [], problems: [...problems, { code: 'syntax', message: `${label} cannot be read: ${message}; setuptools reads nothing from it.`, span }] });
  let section: { name: string; nameSpan: Span; options: IniOption[] } | undefined;
  let option: { name: string; nameSpan: Span; lines: IniValueLine[] } | undefined;
  let indentLevel = 0;
  const seenSections = new Set<string>();
  const seenOptions = new Set<string>();
  let lineNumber = 0;
  for (const match of text.matchAll(LINE)) {
    const lineStart = match.index ?? 0;
    const raw = match[0].replace(/[\r\n]+$/, '');
    if (match[0] === '' && lineStart >= text.length) break;
    lineNumber++;
    const [start, end] = pyStripBounds(text, lineStart, lineStart + raw.length);
    const value = text.slice(start, end);
    if (value.startsWith('#') || value.startsWith(';')) continue;
    if (value === '') {
      if (option) option.lines.push({ text: '', span: { start, end } });
      continue;
    }
    const indent = start - lineStart;
    if (option && indent > indentLevel) {
      option.lines.push({ text: value, span: { start, end } });
      continue;
    }
    indentLevel = indent;
    const close = value.startsWith('[') ? value.lastIndexOf(']') : -1;
    if (close > 1) {
      const name = value.slice(1, close);
      const nameSpan = { start: start + 1, end: start + close };
      // [DEFAULT] may come back: it is configparser's defaults, not a section.
      if (seenSections.has(name) && name !== 'DEFAULT') return fatal(`section '${name}' appears twice (line ${lineNumber})`, nameSpan);
      seenSections.add(name);
      section = { name, nameSpan, options: [] };
      sections.push(section);
      option = undefined;
      continue;
    }
    if (!section) return fatal(`line ${lineNumber} comes before any [section] header`, { start, end });
    const delimiter = value.search(/[=:]/);
    if (delimiter < 0) {
      // configparser reads on and raises at the end, naming every such line.
      problems.push({ code: 'syntax', message: `${label} cannot be read: line ${lineNumber} is neither a [section], an option (name = value) nor indented under one; setuptools reads nothing from it.`, span: { start, end } });
      option = undefined;
      continue;
    }
    const [nameStart, nameEnd] = pyStripBounds(text, start, start + delimiter);
    const name = text.slice(nameStart, nameEnd);
    const key = `${section.name}\u0000${name}`;
    if (seenOptions.has(key)) return fatal(`option '${name}' appears twice in [${section.name}] (line ${lineNumber})`, { start: nameStart, end: nameEnd });
    seenOptions.add(key);
    const [valueStart, valueEnd] = pyStripBounds(text, start + delimiter + 1, end);
    option = { name, nameSpan: { start: nameStart, end: nameEnd }, lines: [{ text: text.slice(valueStart, valueEnd), span: { start: valueStart, end: valueEnd } }] };
    section.options.push(option);
    if (name === '') problems.push({ code: 'syntax', message: `${label} cannot be read: line ${lineNumber} has no option name before '${value[delimiter]}'; setuptools reads nothing from it.`, span: { start, end } });
  }
  return problems.length > 0 ? { sections: [], problems } : { sections, problems };
}

/** The keys of packaging's marker environment: a `;`-split part starting with one is a marker cut off its requirement. */
const MARKER_NAMES = [
  'implementation_name', 'implementation_version', 'os_name', 'platform_machine', 'platform_release', 'platform_system',
  'platform_version', 'python_full_version', 'platform_python_implementation', 'python_version', 'sys_platform',
];

/** The dependency options setuptools reads from [options]. */
const OPTION_KEYS = ['install_requires', 'setup_requires'] as const;

export function setupCfgDeclarations(text: string): Declarations {
  const oversized = oversizedManifest(text, LABEL);
  if (oversized) return { strings: [], requirements: [], problems: [oversized] };
  const ini = readIni(text);
  const strings: DeclaredString[] = [];
  const problems: Problem[] = [...ini.problems];
  const options = ini.sections.find((s) => s.name === 'options');
  for (const key of OPTION_KEYS) {
    // setuptools turns `Install-Requires` into install_requires (with a warning); the last spelling wins.
    const found = options?.options.filter((o) => o.name.toLowerCase().replace(/-/g, '_') === key).pop();
    if (found) readRequirementList(found, { group: key }, key === 'install_requires', strings, problems);
  }
  for (const extra of ini.sections.find((s) => s.name === 'options.extras_require')?.options ?? []) {
    readRequirementList(extra, { group: 'extras_require', extra: extra.name }, true, strings, problems);
  }
  return { strings, requirements: setuptoolsRequirements(strings), problems };
}

/**
 * One requirement option's value to declared strings, with setuptools' list rules. `metadata`:
 * install_requires and extras, which setuptools reads with `_parse_requirements_list` (it follows
 * `file:` and rejects a marker cut off by `;`); setup_requires is a plain `;` list.
 */
function readRequirementList(option: IniOption, list: Pick<DeclaredString, 'group' | 'extra'>, metadata: boolean, strings: DeclaredString[], problems: Problem[]): void {
  const where = list.extra === undefined ? list.group : `${list.group}[${list.extra}]`;
  // configparser joins the lines and drops trailing blank ones.
  let count = option.lines.length;
  while (count > 1 && option.lines[count - 1].text === '') count--;
  const values: LineValue[] = [];
  for (const line of option.lines.slice(0, count)) {
    const read = interpolate(line, where);
    if ('problem' in read) {
      problems.push(read.problem);
      return;
    }
    values.push(read);
  }
  const first = values[0];
  if (metadata && first.text.startsWith('file:')) {
    const files = first.text.slice('file:'.length).split(',').map((f) => f.trim()).filter(Boolean);
    problems.push({
      code: 'unresolved-install-requires',
      message: `${where} is read from ${files.join(', ') || 'files'} (file: directive): setuptools reads it when it builds, reqguard does not follow it here. Open ${files.length === 1 ? 'that file' : 'those files'} to check it.`,
      span: option.lines[0].span,
    });
    return;
  }
  // Several lines: one item per line. One line: items between semicolons.
  const parts = values.length > 1 ? values.map((value) => ({ value, from: 0, to: value.text.length })) : semicolonParts(first);
  // `_parse_list` strips each item and drops empty ones.
  const items = parts.map(({ value, from, to }) => ({ value, bounds: pyStripBounds(value.text, from, to) })).filter(({ bounds: [from, to] }) => from < to);
  for (const [index, { value, bounds: [from, to] }] of items.entries()) {
    const text = value.text.slice(from, to);
    // yield_lines drops comment lines (setuptools drops them from install_requires even before).
    if (text.startsWith('#')) continue;
    const { span, ...layout } = placeValueRange(value.pieces, from, to);
    if (text.startsWith('file:')) {
      const why = metadata ? `setuptools follows file: only at the very start of the value, on the line of '${option.name} ='` : `setuptools does not follow file: in ${option.name}`;
      problems.push({ code: 'syntax', message: `'${text}' is read as a requirement: ${why}.`, span });
      continue;
    }
    if (metadata && values.length === 1 && items.length === 2 && index === 1 && MARKER_NAMES.some((marker) => text.startsWith(marker)) && !parseRequirement(text).ok) {
      problems.push({
        code: 'syntax',
        message: `'${text}' looks like an environment marker, but setuptools splits a one-line ${where} at ';' and reads it as a second requirement, which it rejects. Put the requirement and its marker on an indented line of their own.`,
        span,
      });
      continue;
    }
    strings.push({ ...list, value: text, span, ...layout, conditional: false });
  }
}

/** A value line after interpolation, and where each of its characters sits. */
interface LineValue {
  readonly text: string;
  readonly pieces: readonly ValuePiece[];
}

/**
 * configparser's BasicInterpolation, as `ConfigParser.get()` applies it: `%%` is one `%`; `%(name)s`
 * takes another option's value (not followed here); any other `%` is an error that stops setuptools.
 */
function interpolate(line: IniValueLine, where: string): LineValue | { problem: Problem } {
  const pieces = new ValuePieces();
  let text = '';
  let from = 0;
  for (let at = line.text.indexOf('%'); at >= 0; at = line.text.indexOf('%', from)) {
    pieces.copy(line.span.start + from, at - from);
    text += line.text.slice(from, at);
    const next = line.text[at + 1];
    const span = { start: line.span.start + at, end: Math.min(line.span.start + at + 2, line.span.end) };
    if (next === '(') {
      const reference = /^%\(([^)]+)\)s/.exec(line.text.slice(at, at + 1000));
      if (reference) {
        const whole = { start: span.start, end: span.start + reference[0].length };
        return { problem: { code: 'unresolved-install-requires', message: `${where} takes the value of option '${reference[1]}' through configparser interpolation (${reference[0]}), which reqguard does not follow; those dependencies are not checked.`, span: whole } };
      }
      return { problem: { code: 'syntax', message: `configparser rejects this '%(' in ${where} (a bad interpolation variable reference), and setuptools with it: write %% for a literal %.`, span } };
    }
    if (next !== '%') {
      const found = line.text.slice(at, at + 40);
      return { problem: { code: 'syntax', message: `configparser rejects this '%' in ${where} ("'%' must be followed by '%' or '(', found: '${found}'"), and setuptools with it: write %% for a literal %.`, span } };
    }
    pieces.spell(line.span.start + at, 2, 1);
    text += '%';
    from = at + 2;
  }
  pieces.copy(line.span.start + from, line.text.length - from);
  text += line.text.slice(from);
  return { text, pieces: pieces.done() };
}

/** The parts of a one-line value between semicolons, as setuptools' `_parse_list(value, ';')` splits it. */
function semicolonParts(value: LineValue): { value: LineValue; from: number; to: number }[] {
  const parts: { value: LineValue; from: number; to: number }[] = [];
  for (let from = 0; ; ) {
    const at = value.text.indexOf(';', from);
    parts.push({ value, from, to: at < 0 ? value.text.length : at });
    if (at < 0) return parts;
    from = at + 1;
  }
}
