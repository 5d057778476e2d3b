// The target environments of open documents: the interpreters the client says the Python
// extension chose (per workspace folder), and the choice engine/targets.ts makes from them and a
// document's settings, made once per settings, interpreter and trust state. What failed on the
// way (an interpreter that did not answer, a bad reqguard.targets item) is logged once.
import { editorTargets, type PythonEnvironments, type TargetChoice } from '../engine/targets';
import type { Logger } from '../log';
import type { TargetEnvironment } from '../pip/environment';
import { targetLine } from '../pip/targets';
import type { PythonInterpreter, TargetStatus } from '../protocol';
import type { ReqguardSettings } from '../settings';
import type { SettingsStore } from './settingsStore';

/** The key of the interpreter chosen for documents outside every folder. */
const WINDOW = '';

export class TargetSession {
  /** Folder URI (with a trailing slash; WINDOW for none) → the interpreter chosen there. */
  private readonly interpreters = new Map<string, string>();
  private chosen = new WeakMap<ReqguardSettings, Map<string, Promise<TargetChoice>>>();
  /** Notes already logged: every document with the same settings makes the same choice. */
  private logged = new Set<string>();

  constructor(
    private readonly python: PythonEnvironments | undefined,
    private readonly settings: SettingsStore,
    private readonly log: Logger,
  ) {}

  /** What the client sent at start. */
  initialize(interpreters: readonly PythonInterpreter[] | undefined): void {
    for (const interpreter of interpreters ?? []) this.interpreterChanged(interpreter);
  }

  /** An interpreter was chosen (or unchosen) for a folder; true when that changes anything. */
  interpreterChanged({ folderUri, path }: PythonInterpreter): boolean {
    const key = folderUri === undefined ? WINDOW : folderUri.endsWith('/') ? folderUri : `${folderUri}/`;
    if (this.interpreters.get(key) === path) return false;
    if (path) this.interpreters.set(key, path);
    else this.interpreters.delete(key);
    this.log.info(`Python extension: ${path ?? 'no interpreter'} for ${folderUri ?? 'the window'}`);
    return true;
  }

  /** Interpreters are asked again (one upgraded in place keeps its path) and settings re-read. */
  reset(): void {
    this.chosen = new WeakMap();
    this.logged = new Set();
  }

  /** The document's targets (asking interpreters the first time). */
  async targetsFor(uri: string, settings: ReqguardSettings): Promise<readonly TargetEnvironment[]> {
    // A workspace's own virtual environment would run the workspace's code: only once it is trusted.
    const interpreter = this.settings.workspaceTrusted ? this.interpreterFor(uri) : undefined;
    const key = interpreter ?? WINDOW;
    let bySettings = this.chosen.get(settings);
    if (!bySettings) this.chosen.set(settings, (bySettings = new Map()));
    let choice = bySettings.get(key);
    if (!choice) {
      choice = editorTargets(settings, interpreter, this.python);
      bySettings.set(key, choice);
      void choice.then(({ targets, notes }) => {
        for (const note of notes) {
          if (this.logged.has(note)) continue;
          this.logged.add(note);
          this.log.warn(`target environment: ${note}`);
        }
        this.log.debug(`targets for ${uri}: ${targets.length ? targets.map(targetLine).join('; ') : 'none (Requires-Python and wheel tags are not checked)'}`);
      });
    }
    return (await choice).targets;
  }

  /** The interpreter of the innermost folder holding the document, else the window's. */
  private interpreterFor(uri: string): string | undefined {
    let best: string | undefined;
    for (const folder of this.interpreters.keys()) if (folder !== WINDOW && uri.startsWith(folder) && folder.length > (best?.length ?? 0)) best = folder;
    return this.interpreters.get(best ?? WINDOW);
  }
}

/** The targets as the status bar shows them. */
export function targetStatuses(targets: readonly TargetEnvironment[]): TargetStatus[] {
  return targets.map(({ name, label, origin }) => ({ name, label, ...(origin ? { origin } : {}) }));
}
