// `lock`: pip-compile's job on the engine's pieces. A requirements.in (ranges allowed, with its
// -r/-c includes and index lines), or a library manifest (pyproject.toml, setup.cfg, setup.py: its
// dependencies, the extras and dependency groups chosen, pip/manifestRoots.ts) is resolved for each target environment (pip/resolver.ts) and
// written as a complete requirements file: every package pinned, hashed and annotated with who
// needs it (pip/compiledLayout.ts), the index lines carried over, and a header saying how to
// regenerate it. Pins of the existing output are kept while they still satisfy everything
// (a minimal diff); `upgrade` moves them. No IO beyond the injected index and the texts given.
import type { PackageIndex } from '../index/packageIndex';
import { formatCompiledEntry, compareEntryNames, type CompiledEntry } from '../pip/compiledLayout';
import type { MarkerEnvironment, TargetEnvironment } from '../pip/environment';
import { releaseDigests, type FixTargets } from '../pip/fixPlan';
import { compare } from '../pip/versions';
import { manifestRoots, type ManifestSelection } from '../pip/manifestRoots';
import { resolve, type IncompleteReason, type RequirementOrigin, type ResolvedPackage, type RootRequirement } from '../pip/resolver';
import { canonicalizeName } from '../parser/pep508';
import { parseRequirementsFile, type OptionLineEntry, type RequirementsDocument } from '../parser/requirementsFile';
import type { AnalyzedFile } from './engine';

export interface LockInput {
  /** The requirements.in, analyzed with its includes; or a manifest. */
  readonly file: AnalyzedFile;
  /** For a manifest: the extras and dependency groups locked with its dependencies. */
  readonly selection?: ManifestSelection;
  /** How a file is named in `# via -r …` and messages (relative to the output's folder). */
  readonly label: (path: string) => string;
  /** The output file's current text, when there is one: its pins are kept where they still fit. */
  readonly existingOutput?: string;
  /** The command that regenerates the output, for the header. */
  readonly command: string;
  readonly targets: readonly TargetEnvironment[];
  /** Move every pin (`all`) or these projects' pins to the newest releases that fit. */
  readonly upgrade?: 'all' | readonly string[];
}

export interface LockContext {
  readonly index: PackageIndex;
  /** Which wheels are hashed (settings.hashes): every file of the release by default. */
  readonly hashTargets?: FixTargets;
  readonly signal?: AbortSignal;
  /** What is being done, for progress reports. */
  readonly onProgress?: (message: string) => void;
}

export type LockResult =
  | { readonly kind: 'locked'; readonly text: string; readonly packages: number; readonly notes: readonly string[] }
  /** No set of versions satisfies the requirements (for `target`, when there are several). */
  | { readonly kind: 'conflict'; readonly message: string; readonly target?: string }
  /** Something could not be read from the index, or the work was cancelled or bounded. */
  | { readonly kind: 'incomplete'; readonly message: string; readonly reason: IncompleteReason | 'hashes' }
  /** The input cannot be locked as it is (a line pip rejects, a missing include, a URL…). */
  | { readonly kind: 'invalid'; readonly message: string };

/** Options carried over to the output, as pip-compile does, so it installs from the same place. */
const CARRIED_OPTIONS = new Set(['index_url', 'extra_index_urls', 'no_index', 'find_links', 'trusted_hosts']);

/** Marker variables that tell targets apart, most telling first. */
const TARGET_MARKER_VARIABLES: readonly (keyof MarkerEnvironment)[] = ['python_version', 'sys_platform', 'platform_machine', 'implementation_name', 'python_full_version', 'platform_python_implementation', 'os_name'];

interface Collected {
  readonly roots: RootRequirement[];
  readonly constraints: RootRequirement[];
  readonly options: string[];
  /** How `# via` names the file a root comes from: pip-compile's `-r file`, or `project (pyproject.toml)`. */
  readonly rootVia: (origin: RequirementOrigin) => string;
}

/** The part of the input that says what its roots are (known before the targets are). */
type LockSource = Pick<LockInput, 'file' | 'selection' | 'label'>;

/** The roots of a manifest: what `pip install .[extras] --group …` would ask for. */
function collectManifest(input: LockSource): Collected | { readonly invalid: string } {
  const { file, label } = input;
  const analysis = file.analysis;
  if (analysis.family !== 'manifest') return { invalid: `${label(file.path)} is not a manifest` };
  const name = label(file.path);
  const read = manifestRoots(analysis.kind, analysis.text, analysis.declarations, input.selection ?? { extras: [], groups: [] }, name);
  if (!read.ok) return { invalid: read.message };
  const roots = read.roots.map(({ requirement, line }) => ({ requirement, origin: { file: name, line } }));
  return { roots, constraints: [], options: [], rootVia: (origin) => (read.project === undefined ? origin.file : `${read.project} (${origin.file})`) };
}

/** The requirements, constraints and index lines of the input and the files it includes; or why it cannot be locked. */
function collectInput(input: LockSource): Collected | { readonly invalid: string } {
  const { file, label } = input;
  const analysis = file.analysis;
  if (analysis.family === 'manifest') return collectManifest(input);
  if (analysis.family === 'lock') return { invalid: `${label(file.path)} is a lock file already: export it (reqguard export) rather than lock it` };
  if (input.selection && (input.selection.extras.length || input.selection.groups.length || input.selection.allExtras)) return { invalid: 'extras and dependency groups are chosen from a manifest (pyproject.toml, setup.cfg, setup.py), not a requirements file' };
  const documents: { path: string; document: RequirementsDocument; constraint: boolean }[] = [{ path: file.path, document: analysis.parsed, constraint: false }];
  const seen = new Set([file.path]);
  for (const include of file.includes ?? []) {
    if (include.status !== 'found') {
      const why = include.status === 'missing' ? 'does not exist' : include.status === 'remote' ? 'is a URL (reqguard does not fetch included files)' : include.status === 'cycle' ? 'includes itself' : include.unread?.reason ?? 'cannot be read';
      return { invalid: `the included file ${include.status === 'remote' ? include.path : label(include.path)} ${why}` };
    }
    if (seen.has(`${include.kind} ${include.path}`)) continue;
    seen.add(`${include.kind} ${include.path}`);
    documents.push({ path: include.path, document: include.document!, constraint: include.kind === '-c' });
  }
  const collected: Collected = { roots: [], constraints: [], options: [], rootVia: (origin) => `-r ${origin.file}` };
  for (const { path, document, constraint } of documents) {
    for (const entry of document.entries) {
      const at = `${label(path)}, line ${entry.line}`;
      if (entry.rejected) return { invalid: `pip rejects ${at}: ${entry.text}` };
      if (entry.kind === 'options') {
        collected.options.push(...carriedOptions(entry));
        continue;
      }
      if (entry.kind !== 'requirement') continue;
      if (entry.editable || entry.form !== 'named' || entry.url || !entry.name) return { invalid: `${at}: ${entry.requirementText} is not a named requirement; lock resolves names from the index (URLs, paths and editables cannot be pinned and hashed by name)` };
      const root: RootRequirement = { requirement: { name: entry.name, specifiers: [...entry.specifiers], marker: entry.marker, extras: entry.extras }, origin: { file: label(path), line: entry.line } };
      (constraint || entry.constraint ? collected.constraints : collected.roots).push(root);
    }
  }
  if (collected.roots.length === 0) return { invalid: `${label(file.path)} names no requirement to lock` };
  return collected;
}

/** The option lines carried over: each option as `--name value`, in file order. */
function carriedOptions(entry: OptionLineEntry): string[] {
  const lines: string[] = [];
  for (const option of entry.options) {
    if (!CARRIED_OPTIONS.has(option.spec.dest)) continue;
    const long = option.spec.long[0];
    lines.push(option.spec.takesValue ? `${long} ${option.value ?? ''}` : long);
  }
  return lines;
}

/** The pins of the existing output (`name==version`), which the resolver keeps where they still fit. */
export function existingPins(text: string | undefined): Map<string, string> {
  const pins = new Map<string, string>();
  if (text === undefined) return pins;
  for (const entry of parseRequirementsFile(text).entries) {
    if (entry.kind !== 'requirement' || !entry.normalizedName || entry.specifiers.length !== 1) continue;
    const [clause] = entry.specifiers;
    if (clause.operator === '==' && !clause.version.includes('*')) pins.set(entry.normalizedName, clause.version);
  }
  return pins;
}

/** "CPython 3.11 on Linux x86_64": the target as the header names it (no interpreter path: the file travels). */
function targetName(target: TargetEnvironment): string {
  const { platform_python_implementation, python_version, platform_system, platform_machine } = target.markers;
  return `${platform_python_implementation} ${python_version} on ${platform_system || 'any system'}${platform_machine ? ` ${platform_machine}` : ''}`;
}

/** One target as a marker that tells it from the others (empty for a single target). */
function targetMarkers(targets: readonly TargetEnvironment[]): string[] | undefined {
  if (targets.length === 1) return [''];
  const variables: (keyof MarkerEnvironment)[] = [];
  const key = (target: TargetEnvironment) => variables.map((name) => target.markers[name]).join('\0');
  for (const name of TARGET_MARKER_VARIABLES) {
    if (new Set(targets.map((target) => key(target))).size === targets.length) break;
    if (new Set(targets.map((target) => target.markers[name])).size > 1) variables.push(name);
  }
  if (new Set(targets.map((target) => key(target))).size !== targets.length) return undefined;
  return targets.map((target) => variables.map((name) => `${name} == "${target.markers[name]}"`).join(' and '));
}

/** `# via` parents: the files that name it (`-r`, `-c`), then the packages that need it. */
function viaOf(packages: readonly ResolvedPackage[], rootVia: Collected['rootVia']): string[] {
  const files = new Set<string>();
  const constraints = new Set<string>();
  const parents = new Set<string>();
  for (const { requiredBy, constrainedBy } of packages) {
    for (const requester of requiredBy) {
      if (requester.kind === 'root') files.add(rootVia(requester.origin));
      else parents.add(requester.name);
    }
    for (const { origin } of constrainedBy) constraints.add(`-c ${origin.file}`);
  }
  return [...constraints, ...files, ...[...parents].sort()];
}

/**
 * Resolves and writes the lock. Several targets are resolved each; a package picked alike by all
 * is one entry, otherwise each version is written with a marker naming the targets that pick it.
 */
/**
 * Asks the index for the project page of every root of the input, without waiting: the answers
 * land in the index client's memory, where the resolver finds them. The CLI calls it while it
 * still asks the Python interpreters for their environments (which the pages do not depend on),
 * so the first requests leave without waiting for them. Nothing for an input that cannot be
 * locked (lockRequirements says why).
 */
export function prefetchLockRoots(input: LockSource, index: PackageIndex, signal?: AbortSignal): void {
  const collected = collectInput(input);
  if ('invalid' in collected) return;
  for (const root of collected.roots) void index.project(canonicalizeName(root.requirement.name), signal);
}

export async function lockRequirements(input: LockInput, context: LockContext): Promise<LockResult> {
  const collected = collectInput(input);
  if ('invalid' in collected) return { kind: 'invalid', message: collected.invalid };
  // The same environment named twice (two interpreters of one Python) is resolved once.
  const targets = [...new Map(input.targets.map((target) => [JSON.stringify([target.markers, target.tags]), target])).values()];
  if (targets.length === 0) return { kind: 'invalid', message: 'there is no target environment to lock for' };
  const markers = targetMarkers(targets);
  if (!markers) return { kind: 'invalid', message: 'two of the targets cannot be told apart by markers' };
  const preferred = existingPins(input.existingOutput);
  const notes: string[] = [];
  /** name → version → the resolved package for each target that picks it. */
  const picks = new Map<string, Map<string, { targets: number[]; packages: ResolvedPackage[] }>>();
  for (const [position, target] of targets.entries()) {
    context.onProgress?.(`Resolving for ${targetName(target)}`);
    const resolution = await resolve(context.index, collected.roots, collected.constraints, { target, preferred, upgrade: input.upgrade, signal: context.signal });
    const where = targets.length > 1 ? targetName(target) : undefined;
    if (resolution.kind === 'conflict') return { kind: 'conflict', message: resolution.message, target: where };
    if (resolution.kind === 'incomplete') return { kind: 'incomplete', reason: resolution.reason, message: where ? `${resolution.message} (for ${where})` : resolution.message };
    notes.push(...resolution.notes);
    for (const pkg of resolution.packages) {
      const versions = picks.get(pkg.name) ?? picks.set(pkg.name, new Map()).get(pkg.name)!;
      const pick = versions.get(pkg.version) ?? versions.set(pkg.version, { targets: [], packages: [] }).get(pkg.version)!;
      pick.targets.push(position);
      pick.packages.push(pkg);
    }
  }
  const wanted = [...picks.values()].flatMap((versions) => [...versions.values()]);
  let hashed = 0;
  context.onProgress?.(`Hashing ${wanted.length} releases`);
  const entries = await Promise.all(
    wanted.map(async ({ targets: picked, packages }): Promise<CompiledEntry | string> => {
      const [first] = packages;
      const digests = await releaseDigests(context.index, first.release, context.hashTargets, context.signal);
      context.onProgress?.(`Hashed ${++hashed} of ${wanted.length} releases`);
      if (!digests.ok) return `${first.name}==${first.version}: ${digests.reason}`;
      const marker = picked.length === targets.length ? undefined : picked.map((position) => (picked.length > 1 ? `(${markers[position]})` : markers[position])).join(' or ');
      return { name: first.name, version: first.version, marker, sha256: digests.sha256, via: viaOf(packages, collected.rootVia) };
    }),
  );
  if (context.signal?.aborted) return { kind: 'incomplete', reason: 'cancelled', message: 'The lock was cancelled.' };
  const failed = entries.filter((entry): entry is string => typeof entry === 'string');
  if (failed.length > 0) return { kind: 'incomplete', reason: 'hashes', message: `Could not hash ${failed.join('; ')}` };
  const eol = input.existingOutput?.includes('\r\n') ? '\r\n' : '\n';
  const text = lockText(input.label(input.file.path), input.command, targets, collected.options, entries as CompiledEntry[], eol);
  return { kind: 'locked', text, packages: picks.size, notes: [...new Set(notes)] };
}

function lockText(inputLabel: string, command: string, targets: readonly TargetEnvironment[], options: readonly string[], entries: readonly CompiledEntry[], eol: string): string {
  const header = [
    '#',
    `# This file is generated by reqguard for ${targets.map(targetName).join(', ')}`,
    `# from ${inputLabel}. To update it, run:`,
    '#',
    `#    ${command}`,
    '#',
  ];
  const carried = [...new Set(options)];
  // A project with several entries (picks that differ by target): oldest version first.
  const sorted = [...entries].sort((a, b) => compareEntryNames(a.name, b.name) || compare(a.version, b.version));
  const body = sorted.map((entry) => formatCompiledEntry(entry, eol));
  return [...header, ...(carried.length ? [...carried, ''] : ['']), ...body].join(eol) + eol;
}

/** The regenerating command as a shell line: each argument quoted when it needs it. */
export function lockCommand(args: readonly string[]): string {
  return reqguardCommand(['lock', ...args]);
}

/** A reqguard command line as a shell line: each argument quoted when it needs it. */
export function reqguardCommand(args: readonly string[]): string {
  return ['reqguard', ...args].map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}
