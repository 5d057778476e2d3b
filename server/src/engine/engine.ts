// The engine: "analyze this file with its includes, settings and index, and give me findings or
// fixes". The language server and the CLI both call it, so a file is checked and fixed the same
// way in the editor and in CI; neither re-implements a step.
import type { Diagnostic } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { computeDiagnostics } from '../features/diagnostics';
import type { AnalyzedDocument } from '../features/document';
import { indexDiagnostics } from '../features/indexDiagnostics';
import type { OsvPost } from '../index/osv';
import type { PackageIndex } from '../index/packageIndex';
import { osvPost, type IndexRuntime } from '../index/runtime';
import { planFixes, type FixOptions, type FixPlan } from '../pip/fixPlan';
import { resolveIncludes, type IncludedFile, type TextReader } from '../pip/includes';
import type { PathProbe } from '../pip/localPaths';
import type { ReqguardSettings } from '../settings';
import { analyzeDocument } from './documents';
import { documentIndex } from './documentIndex';

type Env = Readonly<Record<string, string | undefined>>;

/** What the engine reads from outside: the server passes open buffers first, the CLI the disk. */
export interface FileSources {
  /** Reads included files. */
  readonly reader: TextReader;
  /** Looks at local path requirements, relative to the folder of the file that names them. */
  readonly pathProbe?: (fromFile: string) => PathProbe;
  /** The environment for ${VAR} expansion. */
  readonly env?: Env;
}

/** One file as every step sees it: its parse, the files it includes, and the disk around it. */
export interface AnalyzedFile {
  /** Absolute path (for a file not on disk, the URI's path: includes are then not followed). */
  readonly path: string;
  readonly analysis: AnalyzedDocument;
  /** Files reached through -r/-c; undefined for manifests and files not on disk. */
  readonly includes?: readonly IncludedFile[];
  readonly paths?: PathProbe;
}

export interface AnalyzeOptions {
  /** Whether the file is on disk: only then are includes and local paths looked at. */
  readonly onDisk: boolean;
  /** `parse` reads one file alone. Default true. */
  readonly followIncludes?: boolean;
  /**
   * The analysis of an earlier version (the server's previous one): only the lines an edit touched
   * are parsed again, and included files that did not change are not parsed again.
   */
  readonly earlier?: AnalyzedFile;
}

export function analyzeFile(document: TextDocument, path: string, sources: FileSources, options: AnalyzeOptions): AnalyzedFile {
  const analysis = analyzeDocument(document, path, sources.env, options.earlier?.analysis);
  const includes =
    analysis.family === 'requirements' && options.onDisk && options.followIncludes !== false ? resolveIncludes(analysis.parsed, path, sources.reader, sources.env, options.earlier?.includes) : undefined;
  const paths = options.onDisk && sources.pathProbe ? sources.pathProbe(path) : undefined;
  return { path, analysis, includes, paths };
}

/** Findings that need no network: syntax, pins, hashes, includes, index options, library rules. */
export function offlineDiagnostics(file: AnalyzedFile, settings: ReqguardSettings): Diagnostic[] {
  return computeDiagnostics(file.analysis, settings, { includes: file.includes, paths: file.paths });
}

/**
 * The index the file installs from: its own options and includes, then settings, then pip's
 * configuration. A file from an untrusted workspace (`trusted` false) does not choose: its index
 * options are reported, not followed. The CLI trusts the files it is given, as pip does.
 */
export function fileIndex(runtime: Pick<IndexRuntime, 'client' | 'pip'>, file: AnalyzedFile, settings: ReqguardSettings, trusted = true): PackageIndex {
  return documentIndex(runtime, file.analysis, file.path, file.includes, settings.index, trusted);
}

/** How to reach OSV: never when offline (no network at all), and only through the runtime's HTTP client. */
export function osvAccess(runtime: IndexRuntime | undefined, settings: ReqguardSettings): { readonly post: OsvPost } | undefined {
  return runtime && !settings.index.offline ? { post: osvPost(runtime) } : undefined;
}

export interface OnlineContext {
  readonly index: PackageIndex;
  readonly settings: ReqguardSettings;
  readonly runtime?: IndexRuntime;
  readonly signal?: AbortSignal;
}

/** Findings from the index (unknown projects and versions, yanked, hashes, vulnerabilities…). Never throws. */
export function onlineDiagnostics(file: AnalyzedFile, context: OnlineContext): Promise<Diagnostic[]> {
  return indexDiagnostics(file.analysis, { index: context.index, settings: context.settings, signal: context.signal, osv: osvAccess(context.runtime, context.settings) });
}

/** What the index-backed features (hover, completion, quick fixes) need about a file. */
export interface FeatureContext {
  readonly index?: PackageIndex;
  readonly pythonVersion?: string;
  readonly signal?: AbortSignal;
}

export function featureContext(settings: ReqguardSettings, index: PackageIndex | undefined, signal?: AbortSignal): FeatureContext {
  return { index, pythonVersion: settings.pythonVersion, signal };
}

/** "Pin and hash all" (and its variants) for the file: the replacements to make and what was left. */
export function planFileFixes(file: AnalyzedFile, index: PackageIndex, settings: ReqguardSettings, options: Omit<FixOptions, 'targets'>, signal?: AbortSignal): Promise<FixPlan> {
  return planFixes(file.analysis, { index, pythonVersion: settings.pythonVersion, signal }, { ...options, targets: settings.hashes });
}
