// The document every feature works on: its parse (parser/documentKinds.ts) and the text document
// that turns the parse's offsets into LSP positions.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ParsedFile } from '../parser/documentKinds';

export type AnalyzedDocument = ParsedFile & { readonly document: TextDocument };
