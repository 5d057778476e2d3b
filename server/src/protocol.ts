// The contract between the extension (client) and the language server beyond LSP itself: how the
// client starts and initializes the server, and the custom requests and notifications, typed as
// rust-analyzer's lsp_ext.ts types its own (both sides import this file: no `vscode`, no Node-only imports).
import { NotificationType, NotificationType0, RequestType, RequestType0, type WorkDoneProgressParams } from 'vscode-languageserver-protocol';
import type { WorkspaceEdit } from 'vscode-languageserver-types';

/**
 * Node flags the client starts the server with (and the benchmark measures): a small young
 * generation, since a burst of index pages otherwise grows it to 32 MB that stays resident;
 * measured by test/bench/fixAll.bench.ts to save about 16 MB of RSS at no cost in time.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];

/** The language id reqguard (and ms-python) use for requirements files. */
export const REQUIREMENTS_LANGUAGE_ID = 'pip-requirements';

/** Sent by the client in `initializationOptions`. */
export interface InitializationOptions {
  readonly settings?: unknown;
  /** VS Code's `http` section, for clients that cannot answer workspace/configuration. */
  readonly httpSettings?: unknown;
  /** The extension's global storage folder: the persisted index cache lives under it. */
  readonly storagePath?: string;
  /**
   * VS Code's workspace trust. False (Restricted Mode): index options in workspace files are not
   * followed. Absent (a client without workspace trust): trusted.
   */
  readonly workspaceTrusted?: boolean;
  /** The interpreters chosen in the Python extension when the client started (later changes: PYTHON_INTERPRETER_NOTIFICATION). */
  readonly pythonInterpreters?: readonly PythonInterpreter[];
}

/** The interpreter chosen in the Python extension for a workspace folder (its public API's active environment). */
export interface PythonInterpreter {
  /** The folder it is chosen for; absent: for documents outside every folder (a window without folders). */
  readonly folderUri?: string;
  /** The interpreter's executable; absent: none is chosen there (the server asks python3/python on PATH). */
  readonly path?: string;
}

/** Client → server: the interpreter chosen for a folder changed; documents are checked again for it. */
export const PYTHON_INTERPRETER_NOTIFICATION = new NotificationType<PythonInterpreter>('reqguard/pythonInterpreter');

/** A target environment as the status bar shows it. */
export interface TargetStatus {
  /** "CPython 3.11 on Linux x86_64". */
  readonly name: string;
  /** "CPython 3.11 on Linux x86_64 (/usr/bin/python3)". */
  readonly label: string;
  /** How it was chosen: "the Python extension", "python3 on PATH", "reqguard.targets". */
  readonly origin?: string;
}

/** Which index a document installs from, and in what state; the status bar shows it. */
export interface IndexStatus {
  readonly uri: string;
  /** Redacted; undefined with --no-index. */
  readonly primary?: string;
  readonly extra: readonly string[];
  readonly findLinks: readonly string[];
  /** 'file' (the requirements file or one it includes), 'settings', 'pip' (pip's config or PIP_*), 'default'. */
  readonly source: 'file' | 'settings' | 'pip' | 'default';
  readonly sourceDetail?: string;
  readonly offline: boolean;
  /** Set while cached data is served because an index failed. */
  readonly stale?: { readonly index: string; readonly message: string; readonly cachedAt: number };
  /** The file's own index options, not followed in an untrusted workspace (redacted). */
  readonly ignoredFileOptions?: readonly string[];
  /** The environments the file is checked and pinned for; empty: none is known (Requires-Python and wheel tags are not checked). */
  readonly targets: readonly TargetStatus[];
}

/** Where an index was chosen, in words ("set in requirements.txt", "from pip's configuration /etc/pip.conf"), for hovers and the status bar. */
export function describeIndexSource(source: IndexStatus['source'], detail: string | undefined, quote: (text: string) => string = (text) => text): string {
  const label = { file: 'set in', settings: 'from the setting', pip: "from pip's configuration", default: "pip's default" }[source];
  return detail ? `${label} ${quote(detail)}` : label;
}

/** Server → client, after each validation of a document. */
export const INDEX_STATUS_NOTIFICATION = new NotificationType<IndexStatus>('reqguard/indexStatus');

export interface PinAndHashAllParams {
  readonly uri: string;
  /** Default true; false with hash true is "hash only" (pins stay as written). */
  readonly pin?: boolean;
  readonly hash?: boolean;
  /**
   * Default false. True ("Update all"): pins move to the newest release pip would pick with the
   * pin ignored, as the quick fix "Update to Y" does; implies pin. Ranges get pip's pick within
   * the range, as with pin.
   */
  readonly update?: boolean;
}

/** Client → server: "Pin and hash all" for one document; answers the WorkspaceEdit to apply (null when cancelled). */
export const PIN_AND_HASH_ALL_REQUEST = new RequestType<PinAndHashAllParams, WorkspaceEdit | null, void>('reqguard/pinAndHashAll');

/** Client → server: the user trusted the workspace; files' own index options now apply. */
export const WORKSPACE_TRUSTED_NOTIFICATION = new NotificationType0('reqguard/workspaceTrusted');

/** What the manifest says of a language: `contributes.languages[i]`. */
export interface ManifestLanguage {
  readonly id: string;
  readonly filenames?: readonly string[];
  readonly filenamePatterns?: readonly string[];
  readonly extensions?: readonly string[];
}

/** The library manifests and lock files reqguard checks, by name (parser/documentKinds.ts reads each). */
const MANIFEST_AND_LOCK_FILES = ['setup.py', 'setup.cfg', 'pyproject.toml', 'pylock.toml', 'pylock.*.toml'];

/**
 * The globs "Check all dependency files" searches the workspace with: the manifest's file names,
 * patterns and extensions of requirements files, the library manifests and pylock.toml files, and
 * the user's extra patterns (`reqguard.files.requirementsPatterns`), each made to match in any folder.
 */
export function dependencyFileGlobs(languages: readonly ManifestLanguage[], extraPatterns: readonly string[]): string[] {
  const anywhere = (pattern: string) => (pattern.startsWith('**/') || pattern.startsWith('/') ? pattern : `**/${pattern}`);
  const requirements = languages.filter((language) => language.id === REQUIREMENTS_LANGUAGE_ID);
  const globs = [
    ...requirements.flatMap((language) => [...(language.filenames ?? []), ...(language.filenamePatterns ?? []), ...(language.extensions ?? []).map((extension) => `*${extension}`)]),
    ...MANIFEST_AND_LOCK_FILES,
    ...extraPatterns,
  ].map(anywhere);
  return [...new Set(globs)];
}

/** Files "Check all dependency files" looks at, at most: each costs a parse and its index lookups. */
export const MAX_CHECKED_FILES = 1000;

export interface CheckFilesParams {
  /** Files of the workspace (file: URIs); the client sends them in small batches, for progress and cancellation. */
  readonly uris: readonly string[];
}

export interface CheckFilesResult {
  /** Files read and checked (a file that could not be read, or one past MAX_CHECKED_FILES, is not). */
  readonly checked: number;
  readonly errors: number;
  readonly warnings: number;
}

/**
 * Client → server: "Check all dependency files". The server checks each file as if it were open
 * (offline and index diagnostics) and publishes the diagnostics of the files that are not open
 * (open ones keep theirs), so the Problems view lists the whole workspace.
 */
export const CHECK_FILES_REQUEST = new RequestType<CheckFilesParams, CheckFilesResult, void>('reqguard/checkFiles');

/** Client → server: forget in-memory index answers and revalidate (the "Refresh index data" command). */
export const REFRESH_INDEX_REQUEST = new RequestType0<void, void>('reqguard/refreshIndex');

export interface LockParams {
  /** The pip-compile input (requirements.in) or the manifest (pyproject.toml, setup.cfg, setup.py) to lock. */
  readonly uri: string;
  /** Move every pin (`all`) or these projects' pins; default: keep the pins that still fit. */
  readonly upgrade?: 'all' | readonly string[];
  /** A manifest's extras to lock with its dependencies (`--extra`). */
  readonly extras?: readonly string[];
  /** A pyproject.toml's PEP 735 dependency groups to lock with its dependencies (`--group`). */
  readonly groups?: readonly string[];
}

/**
 * What a manifest offers to lock besides its dependencies: the second argument of the Lock
 * CodeLens's command, from which the client lets the user pick (none picked: the dependencies alone).
 */
export interface LockChoices {
  readonly extras: readonly string[];
  readonly groups: readonly string[];
}

export interface LockAnswer {
  readonly outcome: 'locked' | 'unchanged' | 'conflict' | 'incomplete' | 'invalid' | 'cancelled';
  /** The output file (requirements.txt next to the input). */
  readonly outputUri: string;
  /** For the user: what was locked, or why not. */
  readonly message: string;
  /** Creates or updates the output file; null when nothing is to change. */
  readonly edit: WorkspaceEdit | null;
}

/** Client → server: lock a requirements.in into its requirements.txt ("reqguard: Lock"); progress through window/workDoneProgress. */
export const LOCK_REQUEST = new RequestType<LockParams, LockAnswer, void>('reqguard/lock');

/** The client command the "Lock → requirements.txt" CodeLens runs, with the input's URI (and, for a manifest, its LockChoices). */
export const LOCK_COMMAND = 'reqguard.lock';

export interface FreezeParams extends WorkDoneProgressParams {
  /** The environment's interpreter (the Python extension's); absent: python3, else python on PATH. */
  readonly interpreter?: string;
  /** The requirements file to write: created when it does not exist, else its lines that differ are replaced. */
  readonly outputUri: string;
  /** pip freeze --all: pip, setuptools, distribute and wheel too. */
  readonly all?: boolean;
}

export interface FreezeAnswer {
  readonly outcome: 'frozen' | 'unchanged' | 'incomplete' | 'invalid' | 'cancelled';
  /** For the user: how many packages were written, or why nothing was. */
  readonly message: string;
  /** Installed distributions not written as requirements, each as "pip's line (why)"; also comments in the file. */
  readonly leftOut: readonly string[];
  /** Creates or updates the output file; null when nothing is to change. */
  readonly edit: WorkspaceEdit | null;
}

/**
 * Client → server: "Create requirements.txt from environment": the interpreter's installed
 * distributions pinned and hashed from the index (engine/freeze.ts), answered as an edit of the output.
 */
export const FREEZE_REQUEST = new RequestType<FreezeParams, FreezeAnswer, void>('reqguard/freeze');
