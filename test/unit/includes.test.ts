// Includes are followed within bounds (files, depth, text), and a file the reader will not read
// (a directory, a device, a pipe, too large) is said on the -r line that reaches it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument } from '../../server/src/engine/documents';
import { computeDiagnostics } from '../../server/src/features/diagnostics';
import { MAX_INCLUDED_FILES, MAX_INCLUDE_BYTES, MAX_INCLUDE_DEPTH, resolveIncludes, type TextReader } from '../../server/src/pip/includes';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { describe, messageText, ROOT } from '../helpers/diagnose';

/** The include diagnostics of `text` (as ROOT/requirements.txt) through `reader`, and the paths it read. */
function includeDiagnostics(text: string, files: (path: string) => ReturnType<TextReader['read']>) {
  const read: string[] = [];
  const reader: TextReader = {
    read: (path) => {
      read.push(path);
      return files(path);
    },
  };
  const path = `${ROOT}/requirements.txt`;
  const analysis = analyzeDocument(TextDocument.create(`file://${path}`, 'pip-requirements', 1, text), path);
  if (analysis.family !== 'requirements') throw new Error('not a requirements file');
  const includes = resolveIncludes(analysis.parsed, path, reader);
  const diagnostics = computeDiagnostics(analysis, DEFAULT_SETTINGS, { includes }).filter((d) => d.code === 'include-not-found');
  return { diagnostics, read, lines: diagnostics.map((d) => `${describe(d)} ${messageText(d)}`) };
}

const inRoot = (files: Record<string, string>) => (path: string) => (path.startsWith(`${ROOT}/`) ? files[path.slice(ROOT.length + 1)] : undefined);

test(`includes nested deeper than ${MAX_INCLUDE_DEPTH} levels are not followed, and the top -r line says so`, () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 40; i++) files[`d${i}.txt`] = `-r d${i + 1}.txt\n`;
  files['d40.txt'] = 'six==1.16.0\n';
  const { lines, read } = includeDiagnostics('-r d0.txt\nflask==3.0.0\n', inRoot(files));
  assert.equal(read.length, MAX_INCLUDE_DEPTH);
  assert.deepEqual(lines, [
    `include-not-found warning 0:3-0:9 ${ROOT}/d${MAX_INCLUDE_DEPTH}.txt (included through 'd0.txt') is not read: it is nested more than ${MAX_INCLUDE_DEPTH} includes deep, so what it holds is not checked.`,
  ]);
});

test(`at most ${MAX_INCLUDED_FILES} included files are read; every -r line past the bound is told`, () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < MAX_INCLUDED_FILES + 50; i++) files[`f${i}.txt`] = `pkg${i}==1.0\n`;
  const text = Object.keys(files).map((name) => `-r ${name}\n`).join('');
  const { diagnostics, read } = includeDiagnostics(text, inRoot(files));
  assert.equal(read.length, MAX_INCLUDED_FILES);
  assert.deepEqual(diagnostics.map((d) => d.range.start.line), Array.from({ length: 50 }, (_, i) => MAX_INCLUDED_FILES + i));
  assert.match(messageText(diagnostics[0]), new RegExp(`^'f${MAX_INCLUDED_FILES}.txt' is not read: reqguard reads at most ${MAX_INCLUDED_FILES} included files for one file`));
  assert.equal(describe(diagnostics[0]).split(' ')[1], 'warning');

  // Reached inside a nested file: said once, on the line that leads there.
  const { lines: nested, read: nestedRead } = includeDiagnostics('-r all.txt\n-r other.txt\n', inRoot({ ...files, 'all.txt': text, 'other.txt': 'six==1.0\n' }));
  assert.equal(nestedRead.length, MAX_INCLUDED_FILES);
  assert.equal(nested.length, 2);
  assert.match(nested[0], /^include-not-found warning 0:3-0:10 \/work\/project\/f199\.txt \(included through 'all\.txt'\) is not read: reqguard reads at most 200/);
  assert.match(nested[1], /^include-not-found warning 1:3-1:12 'other\.txt' is not read/);
});

test(`no more included files are read once those read hold ${MAX_INCLUDE_BYTES / 1024 / 1024} MB`, () => {
  const huge = `# ${'x'.repeat(MAX_INCLUDE_BYTES)}\n`;
  const { lines, read } = includeDiagnostics('-r a.txt\n-r b.txt\n-r c.txt\n', inRoot({ 'a.txt': huge, 'b.txt': 'six==1.0\n', 'c.txt': 'six==1.0\n' }));
  assert.equal(read.length, 1);
  assert.deepEqual(lines, [
    "include-not-found warning 1:3-1:8 'b.txt' is not read: the files included before it already hold 20 MB, so what it holds is not checked.",
    "include-not-found warning 2:3-2:8 'c.txt' is not read: the files included before it already hold 20 MB, so what it holds is not checked.",
  ]);
});

test('a file the reader will not read is said on its -r line: an error where pip fails too, else a warning', () => {
  const reader = (path: string) =>
    path.endsWith('/dir') ? { reason: 'is a directory: pip cannot open it, and the install stops here', pipFails: true }
    : path.endsWith('/zero') ? { reason: 'is not a regular file (a character device): reqguard does not read it, so what it holds is not checked', pipFails: false }
    : path.endsWith('/base.txt') ? '-r zero\n'
    : undefined;
  const { lines } = includeDiagnostics('-r dir\n-r zero\n-r base.txt\n', reader);
  assert.deepEqual(lines, [
    "include-not-found error 0:3-0:6 'dir' is a directory: pip cannot open it, and the install stops here.",
    "include-not-found warning 1:3-1:7 'zero' is not a regular file (a character device): reqguard does not read it, so what it holds is not checked.",
    `include-not-found warning 2:3-2:11 ${ROOT}/zero (included through 'base.txt') is not a regular file (a character device): reqguard does not read it, so what it holds is not checked.`,
  ]);
});

test('an included file whose stamp has not changed is not read again: its earlier parse is kept', () => {
  const files: Record<string, { text: string; stamp?: string }> = {
    [`${ROOT}/base.txt`]: { text: '-r nested.txt\nsix==1.16.0\n', stamp: 'a' },
    [`${ROOT}/nested.txt`]: { text: 'flask==3.0.0\n', stamp: 'b' },
  };
  const read: string[] = [];
  const reader: TextReader = {
    read: (path) => {
      read.push(path);
      return files[path]?.text;
    },
    stamp: (path) => files[path]?.stamp,
  };
  const path = `${ROOT}/requirements.txt`;
  const analysis = analyzeDocument(TextDocument.create(`file://${path}`, 'pip-requirements', 1, '-r base.txt\n'), path);
  if (analysis.family !== 'requirements') throw new Error('not a requirements file');
  const first = resolveIncludes(analysis.parsed, path, reader);
  assert.deepEqual(read, [`${ROOT}/base.txt`, `${ROOT}/nested.txt`]);
  const again = resolveIncludes(analysis.parsed, path, reader, undefined, first);
  assert.equal(read.length, 2, 'nothing read again');
  assert.equal(again[1].document, first[1].document);
  files[`${ROOT}/nested.txt`] = { text: 'flask==3.0.1\n', stamp: 'c' };
  const changed = resolveIncludes(analysis.parsed, path, reader, undefined, again);
  assert.deepEqual(read.slice(2), [`${ROOT}/nested.txt`], 'only the file whose stamp changed');
  assert.equal(changed[0].document, first[0].document);
  assert.equal(changed[1].document?.entries[0].text, 'flask==3.0.1');
  // Without a stamp, a file is read every time.
  delete files[`${ROOT}/base.txt`].stamp;
  resolveIncludes(analysis.parsed, path, { read: reader.read }, undefined, changed);
  assert.deepEqual(read.slice(3), [`${ROOT}/base.txt`, `${ROOT}/nested.txt`]);
});
