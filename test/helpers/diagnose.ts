// Runs the diagnostics feature the way the server does (analyzeDocument, includes through an
// in-memory reader, a fake file system for local paths) on a text with marked ranges, and states
// each diagnostic in one short line so tests can compare whole lists with readable diffs.
import { chooseInstaller, type InstallerProfile } from '../../server/src/pip/installer';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { analyzeDocument, type AnalyzedDocument } from '../../server/src/engine/documents';
import { computeDiagnostics } from '../../server/src/features/diagnostics';
import type { PathKind, PathProbe } from '../../server/src/pip/localPaths';
import type { IncludedFile } from '../../server/src/pip/includes';
import { resolveIncludes, type TextReader } from '../../server/src/pip/includes';
import { DEFAULT_SETTINGS, type ReqguardSettings } from '../../server/src/settings';
import { formatRange, marked, type Marked } from './marked';

/** Every test document lives in this folder; include paths in `files` are relative to it. */
export const ROOT = '/work/project';

export interface DiagnoseOptions {
  readonly settings?: ReqguardSettings;
  /** Other files, by path relative to ROOT: when given, -r/-c includes are resolved through them. */
  readonly files?: Readonly<Record<string, string>>;
  /** What the fake disk holds at each path as written in the file; anything else is missing. */
  readonly disk?: Readonly<Record<string, PathKind | 'project'>>;
  readonly env?: Readonly<Record<string, string>>;
  /** The installer the verdicts are for (default: the latest pip's rules). */
  readonly installer?: InstallerProfile;
}

export interface Diagnosed extends Marked {
  readonly analysis: AnalyzedDocument;
  readonly diagnostics: Diagnostic[];
  readonly includes?: IncludedFile[];
}

export function memoryReader(files: Readonly<Record<string, string>>): TextReader {
  return { read: (path) => (path.startsWith(`${ROOT}/`) ? files[path.slice(ROOT.length + 1)] : undefined) };
}

/** A disk where `project` is a directory with a pyproject.toml and `directory` an empty one. */
export function fakeDisk(disk: Readonly<Record<string, PathKind | 'project'>>): PathProbe {
  return {
    kind: (path) => {
      const found = disk[path];
      return found === 'project' ? 'directory' : found ?? 'missing';
    },
    isInstallableDirectory: (path) => disk[path] === 'project',
  };
}

/** Diagnoses `source` (with ⟦marks⟧) as the file `name` in ROOT. */
export function diagnose(name: string, source: string, options: DiagnoseOptions = {}): Diagnosed {
  const mark = marked(source);
  const document = TextDocument.create(`file://${ROOT}/${name}`, name.endsWith('.py') ? 'python' : 'pip-requirements', 1, mark.text);
  const analysis = analyzeDocument(document, `${ROOT}/${name}`, options.env);
  const includes = options.files && analysis.family === 'requirements'
    ? resolveIncludes(analysis.parsed, `${ROOT}/${name}`, memoryReader(options.files), options.env)
    : undefined;
  const paths = options.disk ? fakeDisk(options.disk) : undefined;
  const diagnostics = computeDiagnostics(analysis, options.settings ?? DEFAULT_SETTINGS, { includes, paths, filePath: `${ROOT}/${name}`, installer: options.installer });
  return { ...mark, analysis, diagnostics, includes };
}

const SEVERITY_NAMES: Record<number, string> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'information',
  [DiagnosticSeverity.Hint]: 'hint',
};

/** `code severity range`, plus ` -> range` for the related location; e.g. `unpinned error 1:0-1:6 -> 0:7-0:20`. */
export function describe(diagnostic: Diagnostic): string {
  const related = diagnostic.relatedInformation?.map((info) => ` -> ${formatRange(info.location.range)}`).join('') ?? '';
  return `${diagnostic.code} ${SEVERITY_NAMES[diagnostic.severity ?? 0] ?? diagnostic.severity} ${formatRange(diagnostic.range)}${related}`;
}

/** One expected diagnostic: code, severity, the mark of its range, and the mark of its related location. */
export type Expected = readonly [code: string, severity: string, mark: number, related?: number];

export function expectedLines(mark: Marked, expected: readonly Expected[]): string[] {
  return expected.map(([code, severity, at, related]) => {
    if (!mark.ranges[at]) throw new Error(`no mark #${at}`);
    if (related !== undefined && !mark.ranges[related]) throw new Error(`no mark #${related}`);
    const tail = related === undefined ? '' : ` -> ${formatRange(mark.ranges[related])}`;
    return `${code} ${severity} ${formatRange(mark.ranges[at])}${tail}`;
  }).sort();
}

export function actualLines(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map(describe).sort();
}

/** A diagnostic's message as plain text (LSP 3.18 also allows markup). */
export function messageText(diagnostic: Diagnostic): string {
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}

/** An installer profile as reqguard.installer would give it: `installer('pip', '23.2')`, `installer('uv')`. */
export function installer(kind: 'pip' | 'uv', version?: string): InstallerProfile {
  return chooseInstaller(version ? { kind, version } : { kind }, 'the test');
}
