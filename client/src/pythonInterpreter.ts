// The interpreter the user works with, from the Python extension (ms-python.python) through its
// public API (`environments.getActiveEnvironmentPath`, `resolveEnvironment`,
// `onDidChangeActiveEnvironmentPath`): one per workspace folder, sent to the server, which asks
// it for the target environment. Without the extension nothing is sent, and the server asks
// python3/python on PATH instead.
import * as vscode from 'vscode';
import type { PythonInterpreter } from '../../server/src/protocol';

const PYTHON_EXTENSION = 'ms-python.python';
/** How long the client waits for the Python extension before starting the server without it. */
const ACTIVATION_WAIT_MS = 5000;

/** The part of the Python extension's API reqguard uses (the `@vscode/python-extension` types, narrowed). */
interface EnvironmentPath {
  readonly id: string;
  readonly path: string;
}
interface PythonExtensionApi {
  readonly environments: {
    getActiveEnvironmentPath(resource?: vscode.Uri | vscode.WorkspaceFolder): EnvironmentPath;
    resolveEnvironment(environment: EnvironmentPath | string): Promise<{ readonly executable: { readonly uri?: vscode.Uri } } | undefined>;
    readonly onDidChangeActiveEnvironmentPath: vscode.Event<EnvironmentPath>;
  };
}

function hasEnvironmentsApi(exports: unknown): exports is PythonExtensionApi {
  const environments = (exports as Partial<PythonExtensionApi> | undefined)?.environments;
  return typeof environments?.getActiveEnvironmentPath === 'function' && typeof environments.resolveEnvironment === 'function';
}

/** The Python extension's API once it is active, or undefined when it is absent, too old, or slow to start. */
async function pythonApi(): Promise<PythonExtensionApi | undefined> {
  const extension = vscode.extensions.getExtension(PYTHON_EXTENSION);
  if (!extension) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ACTIVATION_WAIT_MS)));
  try {
    const exports = await Promise.race([extension.isActive ? Promise.resolve(extension.exports) : extension.activate(), timeout]);
    return hasEnvironmentsApi(exports) ? exports : undefined;
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** The executable of the environment active for `folder` (the window's when undefined), if there is one. */
async function activeInterpreter(api: PythonExtensionApi, folder: vscode.WorkspaceFolder | undefined): Promise<PythonInterpreter> {
  const where = folder ? { folderUri: folder.uri.toString() } : {};
  try {
    const active = api.environments.getActiveEnvironmentPath(folder);
    const resolved = await api.environments.resolveEnvironment(active);
    const path = resolved?.executable.uri?.fsPath ?? active.path;
    return path ? { ...where, path } : where;
  } catch {
    return where;
  }
}

export interface InterpreterWatch extends vscode.Disposable {
  /** The interpreters chosen when the watch started, one per folder (or the window's). */
  readonly initial: readonly PythonInterpreter[];
}

/**
 * The interpreters chosen now, and `onChange` for each later choice (another environment
 * selected, a folder added). Nothing at all when the Python extension is not there.
 */
export async function watchInterpreters(onChange: (interpreter: PythonInterpreter) => void): Promise<InterpreterWatch> {
  const api = await pythonApi();
  if (!api) return { initial: [], dispose: () => undefined };
  const folders = (): readonly (vscode.WorkspaceFolder | undefined)[] => vscode.workspace.workspaceFolders ?? [undefined];
  const initial = await Promise.all(folders().map((folder) => activeInterpreter(api, folder)));
  // A change for one folder may be the window's choice, which folders without their own follow: all are read again (the server ignores repeats).
  const sendAll = async () => {
    for (const interpreter of await Promise.all(folders().map((folder) => activeInterpreter(api, folder)))) onChange(interpreter);
  };
  const subscriptions = [api.environments.onDidChangeActiveEnvironmentPath(() => void sendAll()), vscode.workspace.onDidChangeWorkspaceFolders(() => void sendAll())];
  return { initial, dispose: () => subscriptions.forEach((subscription) => subscription.dispose()) };
}
