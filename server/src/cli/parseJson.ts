// The JSON of `reqguard parse --json`: a public, documented interface (README "parse --json").
// Every record is flat; `line` is pip's 1-based line number of the start of the logical line.
import type { Diagnostic } from 'vscode-languageserver-types';
import type { AnalyzedDocument } from '../engine/documents';
import { redactCredentials } from '../features/diagnostics/safeText';
import { includeTargetPath } from '../pip/includes';
import { lastIndexAtOrBefore } from '../parser/arrays';
import { declaredSpan } from '../parser/declared';
import { documentKindLabel } from '../parser/documentKinds';
import { canonicalizeName } from '../parser/pep508';
import { packageFiles, type PylockDocument } from '../parser/pylock';
import { hashesByAlgorithm, type RequirementEntry } from '../parser/requirementsFile';
import { splitPyLines } from '../parser/pyText';
import type { Severity } from '../settings';
import { severityName } from './checkOutput';

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
  /** Manifests add the list (`keyword`), the extra and the PEP 735 dependency group each requirement is in. */
  requirements: Array<ParsedRequirementRecord & { keyword?: string; extra?: string | null; group?: string | null }>;
  options: Array<{ line: number; option: string; value: string | null }>;
  includes: Array<{ line: number; kind: '-r' | '-c'; target: string; path: string | null }>;
  /** The findings `check --no-index-checks` reports, with pip's line numbers. */
  problems: Array<{ line: number; code: string; message: string; severity: Severity }>;
}

function lineAt(lineStarts: readonly number[], offset: number): number {
  return lastIndexAtOrBefore(lineStarts.length, (i) => lineStarts[i], offset) + 1;
}

/** URLs may carry credentials (`https://user:token@host/…`): printed as `user:****`, as everywhere. */
function redactedUrl(url: string | undefined): string | null {
  return url === undefined ? null : redactCredentials(url);
}

function requirementRecord(entry: RequirementEntry): ParsedRequirementRecord {
  return {
    line: entry.line,
    name: entry.normalizedName ?? null,
    extras: entry.extras.map((e) => e.name),
    specifier: entry.specifiers.map((s) => s.text).join(','),
    marker: entry.marker?.normalized ?? null,
    url: redactedUrl(entry.url?.value),
    editable: entry.editable,
    hashes: hashesByAlgorithm(entry),
    constraint: entry.constraint,
  };
}

/**
 * What pip reads in the file, and as its problems the offline `diagnostics` of the engine: the
 * same findings as `check --no-index-checks`, so the two never disagree about a file.
 */
export function describeParse(label: string, absolutePath: string, analysis: AnalyzedDocument, diagnostics: readonly Diagnostic[]): ParseReport {
  const text = analysis.text;
  const lineStarts = splitPyLines(text).map((l) => l.start);
  if (lineStarts.length === 0) lineStarts.push(0);
  const problems = diagnostics.map((d) => ({
    // pip's line numbers, which also count \f, \v and the other breaks of str.splitlines().
    line: lineAt(lineStarts, analysis.document.offsetAt(d.range.start)),
    code: String(d.code ?? ''),
    message: typeof d.message === 'string' ? d.message : d.message.value,
    severity: severityName(d),
  }));
  const report: ParseReport = { file: label, kind: documentKindLabel(analysis.kind), requirements: [], options: [], includes: [], problems };
  if (analysis.family === 'manifest') {
    for (const { string, offset, parsed } of analysis.declarations.requirements) {
      if (!parsed.ok) continue;
      const r = parsed.value;
      report.requirements.push({
        line: lineAt(lineStarts, declaredSpan(string, { start: offset, end: offset }).start),
        keyword: string.group,
        extra: string.extra ?? null,
        group: string.dependencyGroup ?? null,
        name: canonicalizeName(r.name),
        extras: r.extras.map((e) => e.name),
        specifier: r.specifiers.map((s) => s.text).join(','),
        marker: r.marker?.normalized ?? null,
        url: redactedUrl(r.url?.value),
        editable: false,
        hashes: {},
        constraint: false,
      });
    }
    return report;
  }
  if (analysis.family === 'lock') {
    report.requirements.push(...lockRecords(analysis.lock, (offset) => lineAt(lineStarts, offset)));
    return report;
  }
  for (const entry of analysis.parsed.entries) {
    if (entry.kind === 'requirement') {
      report.requirements.push(requirementRecord(entry));
    } else if (entry.kind === 'include') {
      report.includes.push({ line: entry.line, kind: entry.includeKind, target: redactCredentials(entry.target), path: includeTargetPath(absolutePath, entry.target) ?? null });
    } else {
      for (const option of entry.options) report.options.push({ line: entry.line, option: option.name, value: option.value === undefined ? null : redactCredentials(option.value) });
    }
  }
  return report;
}

/** pylock.toml: one record per `[[packages]]` entry, pinned by its version, with the hashes of all its files. */
function lockRecords(lock: PylockDocument, lineOf: (offset: number) => number): ParseReport['requirements'] {
  return lock.packages.map((pkg) => {
    const hashes: Record<string, string[]> = {};
    for (const file of packageFiles(pkg)) for (const hash of file.hashes) (hashes[hash.algorithm] ??= []).push(hash.value);
    return {
      line: lineOf(pkg.span.start),
      keyword: 'packages',
      name: pkg.name ? canonicalizeName(pkg.name.value) : null,
      extras: [],
      specifier: pkg.version ? `==${pkg.version.value}` : '',
      marker: pkg.marker?.value ?? null,
      url: redactedUrl(pkg.vcs?.url?.value ?? pkg.archive?.url?.value),
      editable: pkg.directory?.editable?.value ?? false,
      hashes,
      constraint: false,
    };
  });
}
