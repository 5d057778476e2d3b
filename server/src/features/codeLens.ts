// CodeLens: "Lock → requirements.txt" at the top of a pip-compile input (*.in) or a library
// manifest (pyproject.toml, setup.cfg, setup.py), running the client's Lock command on it; for a
// manifest the command also carries the extras and dependency groups the user may add.
import type { CodeLens } from 'vscode-languageserver-types';
import { compiledOutputPath } from '../pip/compiledLayout';
import { manifestChoices } from '../pip/manifestRoots';
import { LOCK_COMMAND, type LockChoices } from '../protocol';
import type { AnalyzedDocument } from './document';

export function codeLenses(analysis: AnalyzedDocument, uri: string, path: string | undefined): CodeLens[] {
  const output = path === undefined ? undefined : compiledOutputPath(path);
  if (output === undefined || (analysis.family === 'requirements' && analysis.kind !== 'requirements-in')) return [];
  const choices: LockChoices | undefined = analysis.family === 'manifest' ? manifestChoices(analysis.kind, analysis.text, analysis.declarations) : undefined;
  const top = { line: 0, character: 0 };
  return [{ range: { start: top, end: top }, command: { title: `Lock → ${output.split(/[\\/]/).at(-1)}`, command: LOCK_COMMAND, arguments: choices ? [uri, choices] : [uri] } }];
}
