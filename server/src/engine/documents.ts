// Which kind of file a document is, and its parse, cached per URI and version: hover, completion,
// code actions and diagnostics ask for the same version in bursts, so each version is parsed once.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { parseRequirementsFile, type RequirementsDocument } from '../parser/requirementsFile';
import { analyzeSetupPy, type SetupPyAnalysis } from '../parser/setupPy';

/**
 * `requirements`: a file pip installs from; `requirements-in`: a pip-compile input (`*.in`), where
 * ranges are the point; `setup-py`: a library's declared dependencies.
 */
export type DocumentKind = 'requirements' | 'requirements-in' | 'setup-py';

export function documentKindOf(path: string): DocumentKind {
  const base = path.replace(/\\/g, '/').split('/').pop() ?? path;
  // Python source is only ever a setup script here (the editor sends only setup.py; the CLI may be given any name).
  if (base.toLowerCase().endsWith('.py')) return 'setup-py';
  if (base.toLowerCase().endsWith('.in')) return 'requirements-in';
  return 'requirements';
}

export type AnalyzedDocument =
  | { readonly kind: 'requirements' | 'requirements-in'; readonly document: TextDocument; readonly parsed: RequirementsDocument }
  | { readonly kind: 'setup-py'; readonly document: TextDocument; readonly analysis: SetupPyAnalysis };

export function analyzeDocument(document: TextDocument, path: string, env?: Readonly<Record<string, string | undefined>>): AnalyzedDocument {
  const kind = documentKindOf(path);
  const text = document.getText();
  if (kind === 'setup-py') return { kind, document, analysis: analyzeSetupPy(text) };
  return { kind, document, parsed: parseRequirementsFile(text, { env }) };
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
