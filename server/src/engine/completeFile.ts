// Completing a file: resolve what pip installs for it (its pins fixed, its includes and
// constraints read as pip reads them) and plan the entries it lacks, pinned (and hashed in hash
// mode) in pip-compile's layout. The quick fix "Add N missing dependencies", "Pin and hash all"
// and `reqguard fix` all plan here.
import type { PackageIndex } from '../index/packageIndex';
import { parseRequirementsFile } from '../parser/requirementsFile';
import type { CompiledEntry } from '../pip/compiledLayout';
import { insertEntries, resolveFileSet, viaOf } from '../pip/completeness';
import type { TextReplacement } from '../pip/entryEdit';
import { releaseDigests, type FixTargets } from '../pip/fixPlan';
import type { AnalyzedFile } from './engine';
import type { TargetEnvironment } from '../pip/environment';

export type CompletionPlan =
  | { readonly kind: 'complete'; readonly added: readonly CompiledEntry[]; readonly insertions: readonly TextReplacement[]; readonly hashed: boolean }
  | { readonly kind: 'not-complete'; readonly reason: string }
  | { readonly kind: 'cancelled' };

export interface CompletionOptions {
  /** The file's text once other fixes are made (its pins), when they are planned together; the insertions still count in the original text. */
  readonly fixedText?: string;
  /** Write hashes even when the file is not (yet) in hash-checking mode. */
  readonly hash?: boolean;
  readonly targets?: FixTargets;
  /** The environment the dependencies are resolved for (engine/targets.ts resolutionTarget). */
  readonly target: TargetEnvironment;
  readonly signal?: AbortSignal;
}

/**
 * The entries that complete a requirements file: every package pip installs for it that no file
 * names, pinned to the resolved version, with the sha256 of every file of the release in hash mode,
 * `# via` the packages that need them; sorted into place or appended (insertEntries).
 */
export async function planCompletion(file: AnalyzedFile, index: PackageIndex, options: CompletionOptions): Promise<CompletionPlan> {
  const { analysis } = file;
  if (analysis.family !== 'requirements' || analysis.kind !== 'requirements') return { kind: 'complete', added: [], insertions: [], hashed: false };
  const fixed = options.fixedText === undefined ? analysis.parsed : parseRequirementsFile(options.fixedText);
  const set = await resolveFileSet(index, { document: fixed, path: file.path, includes: file.includes }, { target: options.target, prereleases: index.effective.prereleases, hashMode: options.hash, signal: options.signal });
  if (options.signal?.aborted) return { kind: 'cancelled' };
  if (set.kind === 'unresolved') {
    if (set.resolution.kind === 'incomplete' && set.resolution.reason === 'cancelled') return { kind: 'cancelled' };
    return { kind: 'not-complete', reason: `missing dependencies not added: ${set.resolution.message}` };
  }
  const digests = await Promise.all(set.missing.map((item) => (set.hashMode ? releaseDigests(index, item.package.release, options.targets, options.signal) : undefined)));
  if (options.signal?.aborted) return { kind: 'cancelled' };
  const added: CompiledEntry[] = [];
  for (const [i, item] of set.missing.entries()) {
    const hashes = digests[i];
    if (hashes && !hashes.ok) return { kind: 'not-complete', reason: `missing dependencies not added: ${item.package.name} ${item.package.version}: ${hashes.reason}` };
    added.push({ name: item.package.name, version: item.package.version, sha256: hashes?.sha256 ?? [], via: viaOf(item) });
  }
  return { kind: 'complete', added, insertions: insertEntries(analysis.text, analysis.parsed, added), hashed: set.hashMode };
}
