// CodeLens: "Lock → requirements.txt" at the top of a pip-compile input (*.in), running the
// client's Lock command on it.
import type { CodeLens } from 'vscode-languageserver-types';
import { compiledOutputPath } from '../pip/compiledLayout';
import { LOCK_COMMAND } from '../protocol';
import type { AnalyzedDocument } from './document';

export function codeLenses(analysis: AnalyzedDocument, uri: string, path: string | undefined): CodeLens[] {
  const output = path === undefined ? undefined : compiledOutputPath(path);
  if (analysis.family !== 'requirements' || analysis.kind !== 'requirements-in' || output === undefined) return [];
  const top = { line: 0, character: 0 };
  return [{ range: { start: top, end: top }, command: { title: `Lock → ${output.split(/[\\/]/).at(-1)}`, command: LOCK_COMMAND, arguments: [uri] } }];
}
