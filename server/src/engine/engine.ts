// The engine: "analyze this file with its includes, settings and index, and give me findings or
// fixes". The language server and the CLI both call it, so a file is checked and fixed the same
// way in the editor and in CI; neither re-implements a step.
import type { Diagnostic } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { computeDiagnostics, includedFileDiagnostics, type IncludedFileDiagnostics } from '../features/diagnostics';
import type { AnalyzedDocument } from '../features/document';
import { indexDiagnostics } from '../features/indexDiagnostics';
import { cooldownCutoff } from '../features/indexDiagnostics/cooldown';
import { advisoryLookup } from '../features/indexDiagnostics/vulnerabilities';
import type { OsvPost } from '../index/osv';
import type { PackageIndex } from '../index/packageIndex';
import { osvPost, type IndexRuntime } from '../index/runtime';
import { applyReplacements } from '../pip/entryEdit';
import type { TargetEnvironment } from '../pip/environment';
import { planFixes, unfixableReason, type FixDeps, type FixOptions, type FixPlan, type FixTargets } from '../pip/fixPlan';
import { hashModeOf, includedRequirementFiles } from '../pip/hashMode';
import { resolveIncludes, type IncludedFile, type TextReader } from '../pip/includes';
import { documentKindOf, type ParsedFile } from '../parser/documentKinds';
import type { PathProbe } from '../pip/localPaths';
import type { ReqguardSettings } from '../settings';
import { analyzeDocument } from './documents';
import { planCompletion } from './completeFile';
import { withInsertions } from '../pip/completeness';
import { documentIndex } from './documentIndex';
import { resolutionTarget } from './targets';
import { installerFor } from './installer';
import type { InstallerProfile } from '../pip/installer';

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

/**
 * Findings that need no network: syntax, pins, hashes, includes, index options, library rules,
 * for `installer` (engine/installer.ts chooses it; default: reqguard.installer, else the latest pip).
 */
export function offlineDiagnostics(file: AnalyzedFile, settings: ReqguardSettings, installer: InstallerProfile = installerFor(settings.installer, 'reqguard.installer').profile): Diagnostic[] {
  return computeDiagnostics(file.analysis, settings, { includes: file.includes, paths: file.paths, filePath: file.path, installer });
}

/**
 * Findings the file puts in the files it includes: in hash-checking mode, what pip refuses there
 * (each diagnostic in its own file, naming this one). The CLI prints them under the included
 * file's path; the server adds them to the included files that are open (`wanted`).
 */
export function includedDiagnostics(file: AnalyzedFile, settings: ReqguardSettings, wanted?: (path: string) => boolean, installer: InstallerProfile = installerFor(settings.installer, 'reqguard.installer').profile): IncludedFileDiagnostics[] {
  return includedFileDiagnostics(file.analysis, settings, { includes: file.includes, filePath: file.path, installer }, wanted);
}

/**
 * The index the file installs from: its own options and includes, then settings, then pip's
 * configuration. A file from an untrusted workspace (`trusted` false) does not choose: its index
 * options are reported, not followed. The CLI trusts the files it is given, as pip does.
 */
export function fileIndex(runtime: Pick<IndexRuntime, 'client' | 'pip' | 'settingsLabels'>, file: AnalyzedFile, settings: ReqguardSettings, trusted = true): PackageIndex {
  return documentIndex(runtime, file.analysis, file.path, file.includes, settings.index, trusted);
}

/** How to reach OSV: never when offline (no network at all), and only through the runtime's HTTP client. */
export function osvAccess(runtime: IndexRuntime | undefined, settings: ReqguardSettings): { readonly post: OsvPost } | undefined {
  return runtime && !settings.index.offline ? { post: osvPost(runtime) } : undefined;
}

export interface OnlineContext {
  readonly index: PackageIndex;
  readonly settings: ReqguardSettings;
  /** Where the file is installed (engine/targets.ts chooses them). */
  readonly targets: readonly TargetEnvironment[];
  readonly runtime?: IndexRuntime;
  readonly signal?: AbortSignal;
}

/** Findings from the index (unknown projects and versions, yanked, hashes, vulnerabilities…). Never throws. */
export function onlineDiagnostics(file: AnalyzedFile, context: OnlineContext): Promise<Diagnostic[]> {
  const dependencies = { path: file.path, includes: file.includes, target: resolutionTarget(context.targets, context.settings) };
  return indexDiagnostics(file.analysis, { index: context.index, settings: context.settings, targets: context.targets, signal: context.signal, osv: osvAccess(context.runtime, context.settings), dependencies });
}

/** What the index-backed features (hover, completion, quick fixes) need about a file. */
export interface FeatureContext {
  readonly index?: PackageIndex;
  readonly targets: readonly TargetEnvironment[];
  /** The cooldown's cutoff (reqguard.minimumReleaseAge), for the releases fixes pick. */
  readonly uploadedBefore?: number;
  readonly signal?: AbortSignal;
}

/** Where and how a file's fixes are planned: its index, settings and targets (and OSV, for `fix --upgrade-vulnerable`). */
export interface FixContext {
  readonly index: PackageIndex;
  readonly settings: ReqguardSettings;
  readonly targets: readonly TargetEnvironment[];
  /** The installer the hashes are for (files it refuses are not hashed); default: the latest pip. */
  readonly installer?: InstallerProfile;
  readonly runtime?: IndexRuntime;
  readonly signal?: AbortSignal;
}

/** What the fix planner needs: the targets and the cooldown, for every file fixed. */
function fixDeps(context: FixContext, advisories?: FixDeps['advisories']): FixDeps {
  return { index: context.index, targets: context.targets, uploadedBefore: cooldownCutoff(context.settings, Date.now()), advisories, signal: context.signal };
}

/** The files hashes are written for: the hash targets of the settings, for the installer. */
export function hashTargetsOf(context: Pick<FixContext, 'settings' | 'installer'>): FixTargets {
  return context.installer ? { ...context.settings.hashes, installer: context.installer } : context.settings.hashes;
}

/** What "Pin and hash all" is asked to do. */
export interface FileFixOptions extends Omit<FixOptions, 'hashTargets'> {
  /** Also add the dependencies the file does not pin (when pinning); default: `settings.fix.addMissingDependencies`. */
  readonly addMissing?: boolean;
}

/**
 * "Pin and hash all" (and its variants) for the file: the replacements to make and what was left.
 * `runtime` lets the vulnerability upgrade (`fix --upgrade-vulnerable`) ask OSV too. When pinning,
 * the file is completed too: the dependencies pip installs that no file of its set
 * names are added (planCompletion), resolved against the pins the plan writes.
 */
export async function planFileFixes(file: AnalyzedFile, context: FixContext, options: FileFixOptions): Promise<FixPlan> {
  const { index, settings, signal } = context;
  const advisories = options.upgradeVulnerable ? advisoryLookup(index, settings, osvAccess(context.runtime, settings)) : undefined;
  const plan = await planFixes(file.analysis, fixDeps(context, advisories), { ...options, hashTargets: hashTargetsOf(context) });
  const complete = (options.addMissing ?? settings.fix.addMissingDependencies) && (options.pin || options.update === true);
  if (!complete || plan.cancelled || file.analysis.family !== 'requirements') return plan;
  // What pip installs is known only once every entry is pinned: the skipped entries say why here.
  if (plan.skipped.length > 0) return { ...plan, notCompleted: 'missing dependencies not added: some entries are not pinned (above)' };
  const completion = await planCompletion(file, index, { fixedText: applyReplacements(file.analysis.text, plan.replacements), hash: options.hash, targets: settings.hashes, target: resolutionTarget(context.targets, settings), signal });
  if (completion.kind === 'cancelled') return { replacements: [], skipped: [], cancelled: true };
  if (completion.kind === 'not-complete') return { ...plan, notCompleted: completion.reason };
  return { ...plan, replacements: withInsertions(plan.replacements, completion.insertions), added: completion.added };
}

/**
 * Asks the index for the project of every entry "Pin and hash all" will look up (what
 * unfixableReason lets through), without waiting: the answers land in the index client's memory,
 * where the planner finds them. The CLI calls it while it still asks the Python on PATH for its
 * environment (which the pages do not depend on), so the first requests leave without waiting
 * for the interpreter.
 */
export function prefetchProjects(file: AnalyzedFile, index: PackageIndex, signal?: AbortSignal): void {
  const { analysis } = file;
  if (analysis.family !== 'requirements') return;
  for (const entry of analysis.parsed.entries) {
    if (entry.kind === 'requirement' && entry.normalizedName && unfixableReason(analysis, entry) === undefined) void index.project(entry.normalizedName, signal);
  }
}

/** The plan for one file the fixed file includes: its replacements are in `include.document.text`. */
export interface IncludedFixPlan {
  readonly include: IncludedFile;
  readonly plan: FixPlan;
}

/**
 * "Pin and hash all" reaches down into the files the file includes with -r (at any depth) when the
 * install is in hash-checking mode, or will be once hashed: pip refuses every entry of theirs left
 * unpinned or unhashed. They are planned against the fixed file's index (pip reads their entries
 * in the same install); their pins stay where they are, even for "Update all". Nothing outside
 * hash mode, nor for a pip-compile input.
 */
export function planIncludedFixes(file: AnalyzedFile, context: FixContext, options: Omit<FixOptions, 'hashTargets'>): Promise<IncludedFixPlan[]> {
  const { analysis } = file;
  if (analysis.family !== 'requirements' || analysis.kind !== 'requirements') return Promise.resolve([]);
  if (!options.hash && !hashModeOf(analysis.parsed, file.includes, context.installer).on) return Promise.resolve([]);
  const pin = options.pin || options.update === true;
  return Promise.all(
    includedRequirementFiles(file.includes).map(async (include): Promise<IncludedFixPlan> => {
      const document = include.document!;
      const parsed: ParsedFile = { family: 'requirements', kind: documentKindOf(include.path) === 'requirements-in' ? 'requirements-in' : 'requirements', text: document.text, parsed: document };
      return { include, plan: await planFixes(parsed, fixDeps(context), { pin, hash: options.hash, hashTargets: hashTargetsOf(context) }) };
    }),
  );
}
