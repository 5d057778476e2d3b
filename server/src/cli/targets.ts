// The target options of check, fix and show: interpreters to ask (--python) and environments
// described (--python-version × --platform, with --implementation), else the Python on PATH
// (engine/targets.ts). Values are checked before any work, so a typo is a usage error (exit 2).
import { defaultTargets, describedTargets, interpreterTargets, type TargetChoice } from '../engine/targets';
import type { TargetEnvironment } from '../pip/environment';
import { describedTarget, platformFacts } from '../pip/targets';
import { MAX_TARGETS, type TargetSetting } from '../settings';
import { quoted, UsageError, valued, type OptionSpecs, type ParsedArgs } from './args';
import type { CliIo } from './files';

export const TARGET_OPTIONS: OptionSpecs = { '--python': valued, '--python-version': valued, '--platform': valued, '--implementation': valued };


export interface TargetOptions {
  readonly interpreters: readonly string[];
  readonly versions: readonly string[];
  readonly platforms: readonly string[];
  readonly implementation?: string;
}

/** A repeatable option whose values may also be comma-separated lists. */
function listed(args: ParsedArgs, name: string): string[] {
  return [...new Set(args.all(name).flatMap((value) => value.split(',')).map((value) => value.trim()))];
}

/** The target options, each value checked (a usage error otherwise); no interpreter is asked yet. */
export function readTargetOptions(args: ParsedArgs): TargetOptions {
  const interpreters = args.all('--python');
  const versions = listed(args, '--python-version');
  const platforms = listed(args, '--platform');
  const implementation = args.last('--implementation');
  if (interpreters.some((path) => path.trim() === '')) throw new UsageError('--python needs the path of an interpreter');
  for (const version of versions) {
    const described = describedTarget({ pythonVersion: version }, { source: 'flag' });
    if (!described.ok) throw new UsageError(`--python-version must be a Python version such as 3.11, not ${quoted(version)}`);
  }
  for (const platform of platforms) {
    const facts = platformFacts(platform);
    if (!facts.ok) throw new UsageError(`--platform ${facts.error}`);
  }
  if (implementation !== undefined) {
    if (versions.length === 0 && platforms.length === 0) throw new UsageError('--implementation describes a target: give --python-version or --platform too');
    const described = describedTarget({ pythonVersion: '3.0', implementation }, { source: 'flag' });
    if (!described.ok) throw new UsageError(`--implementation must be cpython or pypy, not ${quoted(implementation)}`);
  }
  const count = interpreters.length + Math.max(versions.length, 1) * Math.max(platforms.length, 1);
  if (count > MAX_TARGETS) throw new UsageError(`at most ${MAX_TARGETS} targets (these options make ${count})`);
  return { interpreters, versions, platforms, ...(implementation !== undefined ? { implementation } : {}) };
}

/** The targets: what the flags name (interpreters asked, environments described), else the Python on PATH. */
export async function chooseTargets(options: TargetOptions, io: Pick<CliIo, 'python'>): Promise<TargetChoice & { readonly failed: boolean }> {
  const { interpreters, versions, platforms, implementation } = options;
  if (interpreters.length === 0 && versions.length === 0 && platforms.length === 0) return { ...(await defaultTargets(io.python)), failed: false };
  const asked = await interpreterTargets(interpreters, { source: 'flag', origin: '--python' }, io.python);
  // A platform without a version: the version of the interpreters asked, else of the one on PATH.
  let pythons: readonly string[] = versions;
  const notes = [...asked.notes];
  if (platforms.length > 0 && versions.length === 0) {
    const from = asked.targets.length ? asked : await defaultTargets(io.python);
    pythons = [...new Set(from.targets.map((target: TargetEnvironment) => target.markers.python_version))];
    if (pythons.length === 0) notes.push(...from.notes, '--platform needs --python-version: there is no python3 or python on PATH to take the version from');
  }
  const settings: TargetSetting[] = pythons.flatMap((pythonVersion) =>
    (platforms.length ? platforms : [undefined]).map((platform) => ({ pythonVersion, ...(platform ? { platform } : {}), ...(implementation ? { implementation } : {}) })),
  );
  const described = describedTargets(settings, { source: 'flag', origin: platforms.length ? '--platform' : '--python-version' }, io.python);
  notes.push(...described.notes);
  // Every target named must be there: checking for fewer than were asked for would say too little.
  return { targets: [...asked.targets, ...described.targets], notes, failed: notes.length > 0 };
}

/**
 * The targets for a command that needs them, notes on stderr; undefined (exit 2) when a target
 * that was named could not be made.
 */
export async function targetsOrFail(options: TargetOptions, io: Pick<CliIo, 'python' | 'stderr'>): Promise<readonly TargetEnvironment[] | undefined> {
  const chosen = await chooseTargets(options, io);
  for (const note of chosen.notes) io.stderr(`reqguard: ${chosen.failed ? '' : 'no target from the Python on PATH: '}${note}\n`);
  return chosen.failed ? undefined : chosen.targets;
}
