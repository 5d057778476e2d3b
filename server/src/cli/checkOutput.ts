// Output of `reqguard check`: compiler-style text lines, or JSON records (a public interface).
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { escapeControlCharacters, terminalSafeJson } from '../features/diagnostics/safeText';
import type { Severity } from '../settings';

/** One diagnostic, flat, with 1-based line and column (columns count UTF-16 code units, as LSP does). */
export interface CheckRecord {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  code: string;
  severity: Severity;
  message: string;
}

const SEVERITY_NAMES: Record<DiagnosticSeverity, Severity> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'information',
  [DiagnosticSeverity.Hint]: 'hint',
};

export function severityName(diagnostic: Diagnostic): Severity {
  return SEVERITY_NAMES[diagnostic.severity ?? DiagnosticSeverity.Error];
}

export function toCheckRecords(file: string, diagnostics: readonly Diagnostic[]): CheckRecord[] {
  return diagnostics.map((d) => ({
    file,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
    code: String(d.code ?? ''),
    severity: severityName(d),
    message: typeof d.message === 'string' ? d.message : d.message.value,
  }));
}

export function formatCheckJson(records: readonly CheckRecord[]): string {
  return terminalSafeJson(records);
}

/** What the check could not cover: files it could not read, files whose index lookups failed. */
export interface CheckGaps {
  readonly unreadable: number;
  readonly indexIncomplete: number;
}

export function formatCheckText(records: readonly CheckRecord[], gaps: CheckGaps = { unreadable: 0, indexIncomplete: 0 }): string {
  if (records.length === 0) return noProblems(gaps);
  // Messages are escaped already (features/diagnostics); a file name can hold escapes too.
  const lines = records.map((r) => `${escapeControlCharacters(r.file)}:${r.line}:${r.column}: ${r.severity} [${r.code}] ${r.message}`);
  const counts = (['error', 'warning', 'information', 'hint'] as const)
    .map((severity) => [severity, records.filter((r) => r.severity === severity).length] as const)
    .filter(([, n]) => n > 0)
    .map(([severity, n]) => `${n} ${severity}${n === 1 ? '' : severity === 'information' ? '' : 's'}`);
  return `${lines.join('\n')}\n\n${counts.join(', ')}\n`;
}

/** "No problems found" only when everything was checked; otherwise what was not (stderr said why). */
function noProblems({ unreadable, indexIncomplete }: CheckGaps): string {
  const notChecked = [
    ...(unreadable ? [`${unreadable} ${unreadable === 1 ? 'file' : 'files'} could not be read`] : []),
    ...(indexIncomplete ? [`index checks are incomplete for ${indexIncomplete} ${indexIncomplete === 1 ? 'file' : 'files'}`] : []),
  ];
  return notChecked.length === 0 ? 'No problems found.\n' : `No problems found in what could be checked, but ${notChecked.join(' and ')}.\n`;
}
