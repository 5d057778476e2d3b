// Which environments a file is checked and pinned for. The server and the CLI choose the same
// way: an interpreter chosen explicitly (the Python extension's, --python) or environments
// described (reqguard.targets, --python-version/--platform), else the Python on PATH (python3,
// then python), else reqguard.pythonVersion, else none (Requires-Python and wheel tags are not
// checked). Interpreters are asked through PythonEnvironments (pythonEnvironment.ts on this
// machine), so this module does no IO of its own.
import { basename } from 'node:path';
import type { TargetEnvironment } from '../pip/environment';
import { describedTarget, type TargetResult } from '../pip/targets';
import type { ReqguardSettings, TargetSetting } from '../settings';

/** How targets are found on a machine: asking interpreters, the default ones on PATH, the platform. */
export interface PythonEnvironments {
  /** Asks the interpreter at `path` (a path, or a command looked up on PATH) what it is; never throws. */
  ask(path: string, from: Pick<TargetEnvironment, 'source' | 'origin'>): Promise<TargetResult>;
  /** The interpreter's sys.path as `python -m pip` sees it (where its installed distributions are); never throws. */
  sysPath(path: string): Promise<SysPathResult>;
  /** `python3`, then `python`, as found on PATH (absolute paths); empty when neither is there. */
  defaultInterpreters(): string[];
  /** This machine's platform tag (`manylinux_2_36_x86_64`, `win_amd64`), or undefined when it cannot be told. */
  hostPlatform(): string | undefined;
}

export type SysPathResult = { readonly ok: true; readonly paths: readonly string[] } | { readonly ok: false; readonly error: string };

export interface TargetChoice {
  readonly targets: readonly TargetEnvironment[];
  /** What was tried on the way and did not work (an interpreter that failed, a bad setting): for the log or stderr. */
  readonly notes: readonly string[];
}

const NONE: TargetChoice = { targets: [], notes: [] };

/** The Python on PATH: python3, else python; none when neither answers. */
export async function defaultTargets(python: PythonEnvironments): Promise<TargetChoice> {
  const notes: string[] = [];
  for (const path of python.defaultInterpreters()) {
    const result = await python.ask(path, { source: 'default', origin: `${basename(path)} on PATH` });
    if (result.ok) return { targets: [result.target], notes };
    notes.push(result.error);
  }
  return { targets: [], notes };
}

/** The targets of interpreters chosen explicitly, each asked once. */
export async function interpreterTargets(paths: readonly string[], from: Pick<TargetEnvironment, 'source' | 'origin'>, python: PythonEnvironments): Promise<TargetChoice> {
  const results = await Promise.all([...new Set(paths)].map((path) => python.ask(path, from)));
  return choice(results, (error) => error);
}

/**
 * Described targets; one without a platform is for this machine's platform, as pip's
 * --python-version is (any platform when this machine's cannot be told).
 */
export function describedTargets(settings: readonly TargetSetting[], from: Pick<TargetEnvironment, 'source' | 'origin'>, python: Pick<PythonEnvironments, 'hostPlatform'> | undefined): TargetChoice {
  const host = settings.some((setting) => setting.platform === undefined) ? python?.hostPlatform() : undefined;
  const results = settings.map((setting) => describedTarget(setting.platform === undefined && host ? { ...setting, platform: host } : setting, from));
  return choice(results, (error) => `${from.origin}: ${error}`);
}

function choice(results: readonly TargetResult[], note: (error: string) => string): TargetChoice {
  const targets: TargetEnvironment[] = [];
  const notes: string[] = [];
  for (const result of results) {
    if (result.ok) targets.push(result.target);
    else notes.push(note(result.error));
  }
  return { targets, notes };
}

/** The first choice with targets (its notes and those of the choices before it), else every note. */
async function firstWithTargets(steps: readonly (() => TargetChoice | Promise<TargetChoice>)[]): Promise<TargetChoice> {
  const notes: string[] = [];
  for (const step of steps) {
    const chosen = await step();
    notes.push(...chosen.notes);
    if (chosen.targets.length) return { targets: chosen.targets, notes };
  }
  return { targets: [], notes };
}

/**
 * The editor's targets for a document: `reqguard.targets` when set, else the interpreter chosen
 * in the Python extension (`interpreter`; only in a trusted workspace, since a workspace's own
 * virtual environment runs code of the workspace), else python3/python on PATH, else
 * `reqguard.pythonVersion`.
 */
export function editorTargets(settings: ReqguardSettings, interpreter: string | undefined, python: PythonEnvironments | undefined): Promise<TargetChoice> {
  return firstWithTargets([
    () => describedTargets(settings.targets, { source: 'setting', origin: 'reqguard.targets' }, python),
    () => (interpreter && python ? interpreterTargets([interpreter], { source: 'interpreter', origin: 'the Python extension' }, python) : NONE),
    () => (python ? defaultTargets(python) : NONE),
    () => (settings.pythonVersion ? describedTargets([{ pythonVersion: settings.pythonVersion }], { source: 'setting', origin: 'reqguard.pythonVersion' }, python) : NONE),
  ]);
}

/** The Python assumed when none is set: a current CPython. */
export const DEFAULT_TARGET_PYTHON = '3.12';

/**
 * The one environment a dependency resolution runs for (missing dependencies, completing a file):
 * the first target; without any, CPython (reqguard.pythonVersion, else DEFAULT_TARGET_PYTHON) on
 * Linux x86_64 with every wheel considered. Several targets: the first decides (see README).
 */
export function resolutionTarget(targets: readonly TargetEnvironment[], settings: Pick<ReqguardSettings, 'pythonVersion'>): TargetEnvironment {
  if (targets[0]) return targets[0];
  const given = settings.pythonVersion;
  const parts = (given ?? DEFAULT_TARGET_PYTHON).split('.');
  const minor = `${parts[0]}.${parts[1] ?? '0'}`;
  const full = `${minor}.${parts[2] ?? '0'}`;
  return {
    name: `CPython ${minor} on Linux x86_64`,
    label: `CPython ${minor} on Linux x86_64${given ? '' : ' (no target found, reqguard.pythonVersion is not set)'}`,
    source: given ? 'setting' : 'default',
    origin: given ? 'reqguard.pythonVersion' : 'assumed',
    markers: {
      implementation_name: 'cpython',
      implementation_version: full,
      os_name: 'posix',
      platform_machine: 'x86_64',
      platform_release: '',
      platform_system: 'Linux',
      platform_version: '',
      python_full_version: full,
      platform_python_implementation: 'CPython',
      python_version: minor,
      sys_platform: 'linux',
    },
  };
}
