// A document's parse: its text as the parser for its kind (by file name) reads it, with the
// document beside it for positions. The server keeps one per open document and version.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalyzedDocument } from '../features/document';
import { parseFile } from '../parser/documentKinds';

export type { AnalyzedDocument } from '../features/document';

/** `earlier`: the analysis of the document's previous version, which the parse builds on (same result, less work). */
export function analyzeDocument(document: TextDocument, path: string, env?: Readonly<Record<string, string | undefined>>, earlier?: AnalyzedDocument): AnalyzedDocument {
  return { ...parseFile(document.getText(), path, env, earlier), document };
}
