// A document's parse, cached per URI and version: hover, completion, code actions and diagnostics
// ask for the same version in bursts, so each version is parsed once.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalyzedDocument } from '../features/document';
import { parseFile } from '../parser/documentKinds';

export type { AnalyzedDocument } from '../features/document';

export function analyzeDocument(document: TextDocument, path: string, env?: Readonly<Record<string, string | undefined>>): AnalyzedDocument {
  return { ...parseFile(document.getText(), path, env), document };
}

/** Keeps the last analysis of each open document; a new version replaces the old one. */
export class AnalysisCache {
  private readonly entries = new Map<string, { version: number; analysis: AnalyzedDocument }>();

  get(document: TextDocument, path: string, env?: Readonly<Record<string, string | undefined>>): AnalyzedDocument {
    const cached = this.entries.get(document.uri);
    if (cached && cached.version === document.version) return cached.analysis;
    const analysis = analyzeDocument(document, path, env);
    this.entries.set(document.uri, { version: document.version, analysis });
    return analysis;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }

  clear(): void {
    this.entries.clear();
  }
}
