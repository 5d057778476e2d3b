// Core metadata files (a wheel's METADATA, an sdist's PKG-INFO, a PEP 658 `.metadata` file) read
// as pip reads them: importlib.metadata hands the text to Python's email parser with the compat32
// policy (email.feedparser). Header fields run until the first line that is neither a field
// (`Name:`, any printable ASCII but `:` and space before the colon) nor a continuation (a line
// starting with a space or tab); an empty line there is the separator and is dropped, any other
// line starts the body. The body (the description) is not read. Pure, linear, never throws.
import { span, type Problem, type Span } from './types';

export interface MetadataField {
  /** As written (field names compare without regard to case). */
  readonly name: string;
  /**
   * compat32's value: the first line after the colon without its leading spaces and tabs, then
   * every continuation line as written (line breaks included), trailing CR and LF removed.
   */
  readonly value: string;
  /** From the field's name to the end of its last continuation line, line break excluded. */
  readonly span: Span;
}

export interface ParsedMetadata {
  readonly fields: readonly MetadataField[];
  /** Offset where the body starts (the text's length when there is none). */
  readonly bodyStart: number;
  /** What the email parser records as defects, and fields past MAX_METADATA_FIELDS. */
  readonly problems: readonly Problem[];
}

/**
 * Fields read from one file. Real files have a few dozen to a few hundred (one per dependency,
 * classifier and extra); past this the rest of the header is not read, and a problem says so.
 */
export const MAX_METADATA_FIELDS = 100_000;

/** Problem codes, one per email.errors defect the parser can record, plus the field limit. */
export type MetadataProblemCode =
  | 'continuation-first'
  | 'misplaced-envelope'
  | 'missing-field-name'
  | 'missing-separator'
  | 'too-many-fields';

/** Lines split as Python's universal newlines do (`\r\n`, `\r`, `\n`): [start, contentEnd, end). */
function* lines(text: string): Generator<[number, number, number]> {
  let start = 0;
  while (start < text.length) {
    let at = start;
    while (at < text.length && text.charCodeAt(at) !== 0x0a && text.charCodeAt(at) !== 0x0d) at++;
    let end = at;
    if (text.charCodeAt(end) === 0x0d) end++;
    if (text.charCodeAt(end) === 0x0a) end++;
    yield [start, at, end];
    start = end;
  }
}

/** headerRE's field form: `[\041-\071\073-\176]*:` at the line start; the colon's offset, or -1. */
function fieldColon(text: string, start: number, end: number): number {
  for (let at = start; at < end; at++) {
    const code = text.charCodeAt(at);
    if (code === 0x3a) return at;
    if (code < 0x21 || code > 0x7e) return -1;
  }
  return -1;
}

const isBlank = (code: number) => code === 0x20 || code === 0x09;

export function parseCoreMetadata(text: string): ParsedMetadata {
  const problems: Problem[] = [];
  const problem = (code: MetadataProblemCode, message: string, at: Span) => problems.push({ code, message, span: at });
  const fields: MetadataField[] = [];
  // The field being read: its name, where its value starts, and where its last line ends.
  let current: { name: string; start: number; valueStart: number; contentEnd: number } | undefined;
  const finish = () => {
    if (!current) return;
    fields.push({ name: current.name, value: text.slice(current.valueStart, current.contentEnd), span: span(current.start, current.contentEnd) });
    current = undefined;
  };
  let bodyStart = text.length;
  let lineNumber = 0;
  for (const [start, contentEnd, end] of lines(text)) {
    const first = text.charCodeAt(start);
    const colon = fieldColon(text, start, contentEnd);
    const envelope = text.startsWith('From ', start);
    if (!isBlank(first) && colon < 0 && !envelope) {
      // Not a field: an empty line separates the body and is dropped; anything else is the body.
      if (start === contentEnd) bodyStart = end;
      else {
        bodyStart = start;
        problem('missing-separator', 'A line that is not a field ends the header fields without an empty line before it: it and the rest are the description.', span(start, contentEnd));
      }
      break;
    }
    const index = lineNumber++;
    if (isBlank(first)) {
      if (current) current.contentEnd = contentEnd;
      else problem('continuation-first', 'An indented line that continues no field is ignored.', span(start, contentEnd));
      continue;
    }
    finish();
    if (envelope) {
      if (index === 0) continue; // a Unix mbox "From " line: not a field
      if (isLastHeaderLine(text, end)) {
        // Python takes it for the first line of the body.
        bodyStart = start;
        break;
      }
      problem('misplaced-envelope', 'A line starting with "From " among the fields is not a field: it is ignored.', span(start, contentEnd));
      continue;
    }
    if (colon === start) {
      problem('missing-field-name', 'A line starting with ":" has no field name: it is ignored.', span(start, contentEnd));
      continue;
    }
    if (fields.length >= MAX_METADATA_FIELDS) {
      problem('too-many-fields', `More than ${MAX_METADATA_FIELDS.toLocaleString('en-US')} fields, more than any real metadata file: the rest are not read.`, span(start, text.length));
      break;
    }
    let valueStart = colon + 1;
    while (valueStart < contentEnd && isBlank(text.charCodeAt(valueStart))) valueStart++;
    current = { name: text.slice(start, colon), start, valueStart, contentEnd };
  }
  finish();
  return { fields, bodyStart, problems };
}

/**
 * Whether the header line ending at `end` is the last of the header block: the email parser
 * gathers the block first, and a "From " line that ends it goes to the body.
 */
function isLastHeaderLine(text: string, end: number): boolean {
  if (end >= text.length) return true;
  const first = text.charCodeAt(end);
  let contentEnd = end;
  while (contentEnd < text.length && text.charCodeAt(contentEnd) !== 0x0a && text.charCodeAt(contentEnd) !== 0x0d) contentEnd++;
  return !isBlank(first) && fieldColon(text, end, contentEnd) < 0 && !text.startsWith('From ', end);
}

/** Every value of a field, in order (email.message.Message.get_all). */
export function fieldValues(parsed: ParsedMetadata, name: string): string[] {
  const wanted = name.toLowerCase();
  return parsed.fields.filter((field) => field.name.toLowerCase() === wanted).map((field) => field.value);
}

/** The first value of a field (Message.get), or undefined. */
export function fieldValue(parsed: ParsedMetadata, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return parsed.fields.find((field) => field.name.toLowerCase() === wanted)?.value;
}
