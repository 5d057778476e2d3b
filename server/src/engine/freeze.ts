// `freeze`: the installed distributions of one environment (pip/installed.ts: the set and versions
// `pip freeze` lists) written as a requirements file that installs them again with
// --require-hashes: each `name==version` hashed with every file of that release on the index
// (pip/fixPlan.ts releaseDigests, as `fix` and `lock` hash), in pip-compile's layout
// (pip/compiledLayout.ts). Archive URLs with a recorded sha256 are written as pip freeze writes
// them; what the index cannot pin and hash (editables, folders, VCS checkouts, versions the index
// lacks) is listed in comments with the reason, never dropped. No IO beyond the injected index.
import { escapeControlCharacters } from '../features/diagnostics/safeText';
import type { PackageIndex } from '../index/packageIndex';
import { compareEntryNames, formatCompiledEntry } from '../pip/compiledLayout';
import type { TargetEnvironment } from '../pip/environment';
import { releaseDigests, type FixTargets } from '../pip/fixPlan';
import { frozenByPip, frozenForm, scanEnvironment, type EnvironmentReader, type EnvironmentScan, type InstalledDistribution } from '../pip/installed';
import { loadProjectInfo, partialBecause } from '../pip/projectInfo';
import { releaseFor } from '../pip/releases';
import type { PythonEnvironments } from './targets';

export interface FreezeInput {
  readonly distributions: readonly InstalledDistribution[];
  /** The environment's interpreter, as asked: its Python version decides pip's build-backend rule. */
  readonly target: TargetEnvironment;
  /** pip freeze --all: pip, setuptools, distribute and wheel too. */
  readonly all: boolean;
  /** The command that regenerates the file, for the header. */
  readonly command: string;
  /** The line break to write (an existing output's, so updating it changes only what differs). */
  readonly eol?: '\n' | '\r\n';
}

/** An environment read: its interpreter, what that interpreter is, and what is installed for it. */
export interface ReadEnvironment {
  readonly interpreter: string;
  readonly target: TargetEnvironment;
  readonly scan: EnvironmentScan;
}

/**
 * The environment of `given` (a path or command), else of python3, else python on PATH (the first
 * that answers, as the other commands choose): the interpreter is asked what it is and its
 * sys.path, and the distributions there are read through `reader`. An error in words otherwise.
 */
export async function readEnvironment(python: PythonEnvironments, reader: EnvironmentReader, given: string | undefined): Promise<ReadEnvironment | { readonly error: string }> {
  const notes: string[] = [];
  for (const interpreter of given !== undefined ? [given] : python.defaultInterpreters()) {
    const asked = await python.ask(interpreter, given !== undefined ? { source: 'interpreter', origin: 'chosen' } : { source: 'default', origin: 'on PATH' });
    if (!asked.ok) {
      notes.push(asked.error);
      continue;
    }
    const sysPath = await python.sysPath(interpreter);
    if (!sysPath.ok) return { error: `cannot read the environment: ${sysPath.error}` };
    return { interpreter, target: asked.target, scan: scanEnvironment(sysPath.paths, reader) };
  }
  return { error: `no environment to freeze: ${notes.length ? notes.join('; ') : 'python3 and python are not on PATH; name an interpreter (--python PATH)'}` };
}

export interface FreezeContext {
  readonly index: PackageIndex;
  readonly hashTargets?: FixTargets;
  readonly signal?: AbortSignal;
  readonly onProgress?: (message: string) => void;
}

/** A distribution of the environment not written as a requirement, and why. */
export interface LeftOut {
  readonly name: string;
  readonly version: string;
  /** What pip freeze writes for it. */
  readonly pipLine: string;
  readonly reason: string;
}

export type FreezeResult =
  | { readonly kind: 'frozen'; readonly text: string; readonly packages: number; readonly leftOut: readonly LeftOut[] }
  /** The index failed, or the work was cancelled: nothing written. */
  | { readonly kind: 'incomplete'; readonly message: string };

/** Written at the top of every frozen file: what the hashes prove and what they do not. */
export const FREEZE_CHECKED_NOTE = [
  'Versions are those installed; the hashes are those of every file of each release on the index.',
  "The installed files (each distribution's RECORD) are not compared with them.",
];

type Outcome = { readonly entry: string } | { readonly leftOut: LeftOut } | { readonly failed: string };

async function freezeOne(distribution: InstalledDistribution, context: FreezeContext, eol: string): Promise<Outcome> {
  const { name, version } = distribution;
  const form = frozenForm(distribution);
  if (form.kind === 'left-out') return { leftOut: { name, version, pipLine: form.pipLine, reason: form.reason } };
  if (form.kind === 'direct') return { entry: form.line };
  const info = await loadProjectInfo(context.index, distribution.canonicalName, context.signal);
  if (!info.data.ok) {
    if (info.data.error.kind === 'not-found') return { leftOut: { name, version, pipLine: `${name}==${version}`, reason: 'the project is not on the index' } };
    return { failed: `${name}: ${info.data.error.message}` };
  }
  const partial = partialBecause(info.data.value);
  if (partial) return { failed: `${name}: ${partial.message}` };
  const release = releaseFor(info.releases, version);
  if (!release || release.files.length === 0) return { leftOut: { name, version, pipLine: `${name}==${version}`, reason: `version ${version} is not on the index` } };
  const digests = await releaseDigests(context.index, release, context.hashTargets, context.signal);
  if (!digests.ok) return { failed: `${name}==${version}: ${digests.reason}` };
  return { entry: formatCompiledEntry({ name, version, sha256: digests.sha256, via: [] }, eol) };
}

export async function freezeEnvironment(input: FreezeInput, context: FreezeContext): Promise<FreezeResult> {
  const wanted = input.distributions.filter((distribution) => frozenByPip(distribution.canonicalName, input.target.markers.python_version, input.all));
  let done = 0;
  context.onProgress?.(`Hashing ${wanted.length} distributions`);
  const outcomes = await Promise.all(
    wanted.map(async (distribution) => {
      const outcome = await freezeOne(distribution, context, input.eol ?? '\n');
      context.onProgress?.(`Hashed ${++done} of ${wanted.length} distributions`);
      return { distribution, outcome };
    }),
  );
  if (context.signal?.aborted) return { kind: 'incomplete', message: 'The freeze was cancelled.' };
  const failed = outcomes.flatMap(({ outcome }) => ('failed' in outcome ? [outcome.failed] : []));
  if (failed.length > 0) return { kind: 'incomplete', message: `The index could not be read for ${failed.join('; ')}` };
  const byName = (a: { distribution: InstalledDistribution }, b: { distribution: InstalledDistribution }) => compareEntryNames(a.distribution.name, b.distribution.name);
  const entries = outcomes.filter(({ outcome }) => 'entry' in outcome).sort(byName);
  const leftOut = outcomes.flatMap(({ outcome }) => ('leftOut' in outcome ? [outcome.leftOut] : [])).sort((a, b) => compareEntryNames(a.name, b.name));
  const header = [
    '#',
    `# This file is generated by reqguard from the packages installed for ${input.target.name}.`,
    '# To update it, run:',
    '#',
    `#    ${escapeControlCharacters(input.command)}`,
    '#',
    ...FREEZE_CHECKED_NOTE.map((line) => `# ${line}`),
    '#',
    '',
  ];
  const body = entries.map(({ outcome }) => (outcome as { entry: string }).entry);
  const footer = leftOut.length === 0 ? [] : [...(body.length ? [''] : []), '# Installed, but not written as requirements (the index cannot pin and hash them):', ...leftOut.map(leftOutComment)];
  return { kind: 'frozen', text: [...header, ...body, ...footer].join(input.eol ?? '\n') + (input.eol ?? '\n'), packages: entries.length, leftOut };
}

/** One comment line: what pip freeze would write, and why it is not a requirement here. */
export function leftOutComment(item: LeftOut): string {
  return `# ${escapeControlCharacters(item.pipLine)}  (${escapeControlCharacters(item.reason)})`;
}
