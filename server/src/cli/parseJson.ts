// The JSON of `reqguard parse --json`: a public, documented interface (README "parse --json").
// Every record is flat; `line` is pip's 1-based line number of the start of the logical line.
import type { AnalyzedDocument } from '../engine/documents';
import { includeTargetPath } from '../pip/includes';
import { declarationProblems, declaredSpan } from '../parser/declared';
import { documentKindLabel } from '../parser/documentKinds';
import { canonicalizeName } from '../parser/pep508';
import { hashesByAlgorithm, type RequirementEntry } from '../parser/requirementsFile';
import { splitPyLines } from '../parser/pyText';

export interface ParsedRequirementRecord {
  line: number;
  name: string | null;
  extras: string[];
  specifier: string;
  marker: string | null;
  url: string | null;
  editable: boolean;
  hashes: Record<string, string[]>;
  constraint: boolean;
}

export interface ParseReport {
  file: string;
  kind: string;
  requirements: Array<ParsedRequirementRecord & { keyword?: string; extra?: string | null }>;
  options: Array<{ line: number; option: string; value: string | null }>;
  includes: Array<{ line: number; kind: '-r' | '-c'; target: string; path: string | null }>;
  problems: Array<{ line: number; code: string; message: string }>;
}

function lineAt(lineStarts: readonly number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (lineStarts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return low + 1;
}

function requirementRecord(entry: RequirementEntry): ParsedRequirementRecord {
  return {
    line: entry.line,
    name: entry.normalizedName ?? null,
    extras: entry.extras.map((e) => e.name),
    specifier: entry.specifiers.map((s) => s.text).join(','),
    marker: entry.marker?.normalized ?? null,
    url: entry.url?.value ?? null,
    editable: entry.editable,
    hashes: hashesByAlgorithm(entry),
    constraint: entry.constraint,
  };
}

export function describeParse(label: string, absolutePath: string, analysis: AnalyzedDocument): ParseReport {
  const text = analysis.text;
  const lineStarts = splitPyLines(text).map((l) => l.start);
  if (lineStarts.length === 0) lineStarts.push(0);
  const report: ParseReport = { file: label, kind: documentKindLabel(analysis.kind), requirements: [], options: [], includes: [], problems: [] };
  if (analysis.family === 'manifest') {
    const { declarations } = analysis;
    for (const problem of declarationProblems(declarations)) report.problems.push({ line: lineAt(lineStarts, problem.span.start), code: problem.code, message: problem.message });
    for (const { string, offset, parsed } of declarations.requirements) {
      if (!parsed.ok) continue;
      const r = parsed.value;
      report.requirements.push({
        line: lineAt(lineStarts, declaredSpan(string, { start: offset, end: offset }).start),
        keyword: string.group,
        extra: string.extra ?? null,
        name: canonicalizeName(r.name),
        extras: r.extras.map((e) => e.name),
        specifier: r.specifiers.map((s) => s.text).join(','),
        marker: r.marker?.normalized ?? null,
        url: r.url?.value ?? null,
        editable: false,
        hashes: {},
        constraint: false,
      });
    }
    return report;
  }
  const { parsed } = analysis;
  for (const problem of parsed.problems) {
    report.problems.push({ line: lineAt(lineStarts, problem.span.start), code: problem.code, message: problem.message });
  }
  for (const entry of parsed.entries) {
    if (entry.kind === 'requirement') {
      report.requirements.push(requirementRecord(entry));
    } else if (entry.kind === 'include') {
      report.includes.push({ line: entry.line, kind: entry.includeKind, target: entry.target, path: includeTargetPath(absolutePath, entry.target) ?? null });
    } else {
      for (const option of entry.options) report.options.push({ line: entry.line, option: option.name, value: option.value ?? null });
    }
  }
  return report;
}
