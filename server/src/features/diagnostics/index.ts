// The diagnostics feature: an analysed document (plus optional disk access) to LSP diagnostics,
// with severities from the user's settings.
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalyzedDocument } from '../document';
import { DIAGNOSTIC_CODES, type ReqguardSettings, type Severity } from '../../settings';
import type { Span } from '../../parser/types';
import { binaryFileFinding } from './binaryFile';
import { checkRequirements, includedFileFindings, type Finding, type RequirementsCheckDeps } from './requirements';
import { checkManifest } from './manifest';
import { checkPylock } from './lock';
import { safeMessage } from './safeText';

export type { Finding } from './requirements';

export const DIAGNOSTIC_SOURCE = 'reqguard';

const LSP_SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function findingsFor(analysis: AnalyzedDocument, deps: Omit<RequirementsCheckDeps, 'abstract'> = {}): Finding[] {
  const binary = binaryFileFinding(analysis.text);
  if (binary) return [binary];
  if (analysis.family === 'manifest') return checkManifest(analysis.declarations);
  if (analysis.family === 'lock') return checkPylock(analysis.lock, deps.filePath);
  return checkRequirements(analysis.parsed, { ...deps, abstract: analysis.kind === 'requirements-in' });
}

/** The severity a finding gets, or undefined when the user turned its code off. */
export function severityOf(finding: Finding, settings: ReqguardSettings): Severity | undefined {
  const chosen = settings.severity[finding.code];
  if (chosen === 'off') return undefined;
  if (chosen && chosen !== 'default') return chosen;
  const builtIn = finding.severity ?? DIAGNOSTIC_CODES[finding.code];
  // An opt-in code (default `off`) shows only once the user gives it a severity.
  return builtIn === 'off' ? undefined : builtIn;
}

export function rangeOf(document: TextDocument, span: Span) {
  return { start: document.positionAt(span.start), end: document.positionAt(span.end) };
}

export function computeDiagnostics(
  analysis: AnalyzedDocument,
  settings: ReqguardSettings,
  deps: Omit<RequirementsCheckDeps, 'abstract'> = {},
): Diagnostic[] {
  return toDiagnostics(analysis.document, findingsFor(analysis, deps), settings);
}

/** Diagnostics located in a file that the checked file includes: its path, the text they are for, and the diagnostics. */
export interface IncludedFileDiagnostics {
  readonly path: string;
  /** The included file's text as read: ranges hold for this text only. */
  readonly text: string;
  readonly diagnostics: Diagnostic[];
}

/**
 * What pip refuses in the files a requirements file includes, when it puts the whole install in
 * hash-checking mode: diagnostics of those files, naming the file that includes them. Nothing for
 * a pip-compile input, whose ranges are meant to stay.
 */
export function includedFileDiagnostics(
  analysis: AnalyzedDocument,
  settings: ReqguardSettings,
  deps: Pick<RequirementsCheckDeps, 'includes' | 'filePath' | 'installer'>,
  wanted?: (path: string) => boolean,
): IncludedFileDiagnostics[] {
  if (analysis.family !== 'requirements' || analysis.kind !== 'requirements') return [];
  return includedFileFindings(analysis.parsed, deps, wanted).map(({ include, findings }) => {
    const text = include.document!.text;
    const document = TextDocument.create(pathToFileURL(include.path).href, analysis.document.languageId, 0, text);
    return { path: include.path, text, diagnostics: toDiagnostics(document, findings, settings) };
  });
}

/**
 * A file's own diagnostics with those the files including it put there (hash mode). At one place
 * with one code only one stays, the more severe (its own on a tie): on its own a file may be
 * outside hash mode, where its unhashed pin is a warning, while the file that includes it makes
 * that an error.
 */
export function withIncludersDiagnostics(own: readonly Diagnostic[], fromIncluders: readonly Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic) => `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;
  const kept = new Map<string, Diagnostic>();
  const rank = (d: Diagnostic) => d.severity ?? DiagnosticSeverity.Error;
  const merged: Diagnostic[] = [];
  for (const diagnostic of [...own, ...fromIncluders]) {
    const at = key(diagnostic);
    const earlier = kept.get(at);
    if (earlier && rank(earlier) <= rank(diagnostic)) continue;
    if (earlier) merged[merged.indexOf(earlier)] = diagnostic;
    else merged.push(diagnostic);
    kept.set(at, diagnostic);
  }
  return merged;
}

/**
 * Findings as LSP diagnostics of `document`, with the user's severities; codes turned off are
 * dropped. Every finding, offline or from the index, leaves through here on its way to the editor
 * and to each of `check`'s formats, so this is where messages, which quote lines of the file and
 * index answers, get their credentials redacted and control characters escaped: once, for all.
 */
export function toDiagnostics(document: TextDocument, findings: Iterable<Finding>, settings: ReqguardSettings): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const finding of findings) {
    const severity = severityOf(finding, settings);
    if (!severity) continue;
    const diagnostic: Diagnostic = {
      range: rangeOf(document, finding.span),
      severity: LSP_SEVERITY[severity],
      code: finding.code,
      source: DIAGNOSTIC_SOURCE,
      message: safeMessage(finding.message),
    };
    if (finding.data !== undefined) diagnostic.data = finding.data;
    if (finding.related) {
      diagnostic.relatedInformation = [
        { location: { uri: document.uri, range: rangeOf(document, finding.related.span) }, message: safeMessage(finding.related.message) },
      ];
    }
    diagnostics.push(diagnostic);
  }
  return diagnostics;
}
