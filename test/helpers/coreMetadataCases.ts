// Metadata files and what Python's email parser (compat32, as importlib.metadata uses it for pip)
// makes of them: the header fields in order and its defects. The unit test holds reqguard's
// parser to these; an integration test holds python3's email package to the same, so the
// expectations cannot drift from Python.
import type { MetadataProblemCode } from '../../server/src/parser/coreMetadata';

export interface MetadataCase {
  readonly name: string;
  readonly text: string;
  /** [field name, value] in order. */
  readonly fields: readonly (readonly [string, string])[];
  readonly problems: readonly MetadataProblemCode[];
}

/** The email package's defect class for each problem code. */
export const DEFECT_CLASSES: Readonly<Record<Exclude<MetadataProblemCode, 'too-many-fields'>, string>> = {
  'continuation-first': 'FirstHeaderLineIsContinuationDefect',
  'misplaced-envelope': 'MisplacedEnvelopeHeaderDefect',
  'missing-field-name': 'InvalidHeaderDefect',
  'missing-separator': 'MissingHeaderBodySeparatorDefect',
};

export const METADATA_CASES: readonly MetadataCase[] = [
  {
    name: 'fields, multiple-use fields, then the body after an empty line (a field there is description)',
    text: "Metadata-Version: 2.1\nName: foo\nVersion: 1.0\nRequires-Dist: bar>=1\nRequires-Dist: baz; extra == 'x'\nProvides-Extra: x\n\nDescription body\nName: not-a-field\n",
    fields: [['Metadata-Version', '2.1'], ['Name', 'foo'], ['Version', '1.0'], ['Requires-Dist', 'bar>=1'], ['Requires-Dist', "baz; extra == 'x'"], ['Provides-Extra', 'x']],
    problems: [],
  },
  { name: 'CRLF: a continuation keeps its CRLF inside the value', text: 'Name: foo\r\nVersion: 1.0\r\nSummary: a\r\n  b\r\n\r\nbody\r\n', fields: [['Name', 'foo'], ['Version', '1.0'], ['Summary', 'a\r\n  b']], problems: [] },
  { name: 'CR line ends', text: 'Name: foo\rVersion: 1.0\r\rbody', fields: [['Name', 'foo'], ['Version', '1.0']], problems: [] },
  { name: 'continuation lines with spaces and tabs', text: 'Name: foo\nSummary: a\n  b\n\tc\nVersion: 1\n', fields: [['Name', 'foo'], ['Summary', 'a\n  b\n\tc'], ['Version', '1']], problems: [] },
  { name: 'an indented first line continues nothing', text: '  indented\nName: foo\n', fields: [['Name', 'foo']], problems: ['continuation-first'] },
  { name: 'two indented first lines', text: '  a\n  b\nName: foo\n', fields: [['Name', 'foo']], problems: ['continuation-first', 'continuation-first'] },
  { name: 'a line that is not a field starts the body', text: 'Name: foo\nthis is body\nVersion: 1\n', fields: [['Name', 'foo']], problems: ['missing-separator'] },
  { name: 'a Unix From line first is no field', text: 'From nobody\nName: foo\n', fields: [['Name', 'foo']], problems: [] },
  { name: 'a From line among fields is ignored', text: 'Name: foo\nFrom x\nVersion: 1\n', fields: [['Name', 'foo'], ['Version', '1']], problems: ['misplaced-envelope'] },
  { name: 'a From line ending the fields is the body', text: 'Name: foo\nFrom x\n\nbody', fields: [['Name', 'foo']], problems: [] },
  { name: 'a From line ending the text is the body', text: 'Name: foo\nFrom x', fields: [['Name', 'foo']], problems: [] },
  { name: 'a line starting with a colon is ignored', text: ':bad\nName: foo\n', fields: [['Name', 'foo']], problems: ['missing-field-name'] },
  { name: 'after a nameless line, a continuation continues nothing', text: 'Name: foo\n:x\n  cont\nVersion: 1\n', fields: [['Name', 'foo'], ['Version', '1']], problems: ['missing-field-name', 'continuation-first'] },
  { name: 'names keep their case; leading blanks of a value go, trailing ones stay', text: 'name:foo\nVERSION:   1.0  \n', fields: [['name', 'foo'], ['VERSION', '1.0  ']], problems: [] },
  { name: 'a line of spaces continues the field before it', text: 'Name: foo\n   \nVersion: 1\n', fields: [['Name', 'foo\n   '], ['Version', '1']], problems: [] },
  { name: 'a field name with a non-ASCII letter is no field: all is body', text: 'N\u00e0me: x\nName: foo\n', fields: [], problems: ['missing-separator'] },
  { name: 'a field name with a space is no field', text: 'Requires Dist: x\nName: foo\n', fields: [], problems: ['missing-separator'] },
  { name: 'no line break at the end', text: 'Name: foo\nVersion: 1.0', fields: [['Name', 'foo'], ['Version', '1.0']], problems: [] },
  { name: 'an empty value', text: 'Name:\nVersion: 1\n', fields: [['Name', ''], ['Version', '1']], problems: [] },
  { name: 'an empty value continued on the next line', text: 'Name:\n  foo\n', fields: [['Name', '\n  foo']], problems: [] },
  { name: 'empty text', text: '', fields: [], problems: [] },
  { name: 'an empty first line: everything is body', text: '\nName: foo', fields: [], problems: [] },
  { name: 'CR then CRLF: an empty line', text: 'Name: x\r\r\nVersion: 1\r\n', fields: [['Name', 'x']], problems: [] },
  { name: 'a tab after the colon', text: 'Name:\tfoo\n', fields: [['Name', 'foo']], problems: [] },
  { name: 'colons in the value', text: "Requires-Dist: foo @ https://x/y.whl ; python_version<'3'\n", fields: [['Requires-Dist', "foo @ https://x/y.whl ; python_version<'3'"]], problems: [] },
  { name: 'a byte-order mark hides every field', text: '\ufeffName: foo\n', fields: [], problems: ['missing-separator'] },
  { name: 'a NUL in a value is kept', text: 'Name: a\u0000b\n', fields: [['Name', 'a\u0000b']], problems: [] },
];
