// The language server, wired to whatever connection and IO it is given: main.ts passes real ones,
// tests pass an in-memory connection and fixtures. This file is the table of contents: the
// pieces it builds (wiring/) and one line per handler, each calling a feature through the engine.
import { CodeActionKind, TextDocuments, TextDocumentSyncKind, type Connection, type InitializeResult } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { PythonEnvironments } from './engine/targets';
import type { EnvironmentReader } from './pip/installed';
import { FIX_ALL_KIND } from './features/codeActions';
import { codeLenses } from './features/codeLens';
import { completion, COMPLETION_TRIGGER_CHARACTERS } from './features/completion';
import { documentLinks } from './features/documentLinks';
import { hover } from './features/hover';
import { Logger } from './log';
import { CHECK_FILES_REQUEST, FREEZE_REQUEST, LOCK_REQUEST, PIN_AND_HASH_ALL_REQUEST, type FreezeParams, type LockParams, PYTHON_INTERPRETER_NOTIFICATION, REFRESH_INDEX_REQUEST, WORKSPACE_TRUSTED_NOTIFICATION, type InitializationOptions } from './protocol';
import { DEFAULT_SETTINGS } from './settings';
import { DocumentSessions } from './wiring/documentSessions';
import { DocumentStates, featureContext, toSignal, type DocumentIo } from './wiring/documentStates';
import { IndexSession, type RuntimeFactory } from './wiring/indexSession';
import { checkFiles } from './wiring/checkFiles';
import { freezeRequest } from './wiring/freezeRequest';
import { lockDocument, lockUnknownDocument } from './wiring/lockRequest';
import { codeActionsAt, pinAndHashAll } from './wiring/requests';
import { SettingsStore } from './wiring/settingsStore';
import { TargetSession } from './wiring/targetSession';
import { Validation } from './wiring/validation';

export interface ServerDeps extends DocumentIo {
  /** Builds the index layer (main.ts: over the real network and disk). Absent: no index access. */
  readonly indexRuntime?: RuntimeFactory;
  /** Asks interpreters for target environments (main.ts: this machine's). Absent: only the settings describe targets. */
  readonly python?: PythonEnvironments;
  /** Reads an environment's installed distributions ("Create requirements.txt from environment"). */
  readonly environment?: EnvironmentReader;
}

const CAPABILITIES: InitializeResult['capabilities'] = {
  textDocumentSync: TextDocumentSyncKind.Incremental,
  hoverProvider: true,
  completionProvider: { triggerCharacters: [...COMPLETION_TRIGGER_CHARACTERS], resolveProvider: false },
  documentLinkProvider: { resolveProvider: false },
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
  codeLensProvider: { resolveProvider: false },
};

export function startServer(connection: Connection, deps: ServerDeps): void {
  const documents = new TextDocuments(TextDocument);
  const log = new Logger(connection.console, DEFAULT_SETTINGS.log.level);
  const settings = new SettingsStore(connection, (window) => {
    log.level = window.log.level;
    log.debug(`log level: ${window.log.level}`);
  });
  const sessions = new DocumentSessions();
  const indexes = new IndexSession(deps.indexRuntime, settings, log, () => validation.scheduleAll());
  const targets = new TargetSession(deps.python, settings, log);
  const states = new DocumentStates(documents, sessions, settings, indexes, targets, deps);
  const validation = new Validation(connection, documents, sessions, states, indexes, log, deps.uriToPath);

  connection.onInitialize((params): InitializeResult => {
    indexes.storagePath = settings.initialize(params);
    targets.initialize((params.initializationOptions as InitializationOptions | undefined)?.pythonInterpreters);
    return { capabilities: CAPABILITIES, serverInfo: { name: 'reqguard' } };
  });
  connection.onInitialized(() => void settings.window());
  connection.onDidChangeConfiguration((change) => {
    settings.changed(change.settings);
    sessions.forgetSettings();
    // The log level applies at once, not when the index layer is next needed.
    void settings.window();
    indexes.reset();
    validation.scheduleAll();
  });
  connection.onShutdown(() => indexes.close());

  connection.onHover(states.handler(null, async (state, params, signal) => (await hover(state.analysis, state.document.offsetAt(params.position), await featureContext(state, signal))) ?? null));
  connection.onCompletion(states.handler(null, async (state, params, signal) => completion(state.analysis, state.document.offsetAt(params.position), await featureContext(state, signal))));
  connection.onDocumentLinks(states.handler([], (state) => documentLinks(state.analysis, deps.uriToPath(state.document.uri))));
  const open = { documents, uriToPath: deps.uriToPath };
  connection.onCodeAction(states.handler([], (state, params, signal) => codeActionsAt(state, params, signal, open)));
  // "Pin and hash all" as a command: the client shows progress and can cancel.
  connection.onRequest(PIN_AND_HASH_ALL_REQUEST, states.handlerFor((params) => params.uri, null, (state, params, signal) => pinAndHashAll(state, params, signal, open, log)));
  // "Check all dependency files": the client sends the workspace's files in batches.
  connection.onRequest(CHECK_FILES_REQUEST, (params, token) => checkFiles(params, toSignal(token), { connection, documents, states, indexes }));
  connection.onNotification(PYTHON_INTERPRETER_NOTIFICATION, (interpreter) => {
    if (targets.interpreterChanged(interpreter)) validation.scheduleAll();
  });
  connection.onCodeLens(states.handler([], (state) => codeLenses(state.analysis, state.document.uri, deps.uriToPath(state.document.uri))));
  // "Lock" (command and CodeLens): progress and cancel through window/workDoneProgress.
  const lockDeps = { open, files: deps.files, progress: () => connection.window.createWorkDoneProgress() };
  const lock = states.handlerFor((params: LockParams) => params.uri, null, (state, params, signal) => lockDocument(state, params, signal, lockDeps));
  connection.onRequest(LOCK_REQUEST, async (params, token) => (await lock(params, token)) ?? lockUnknownDocument(params));
  // "Create requirements.txt from environment": progress to the client's notification, which cancels the request.
  const freezeDeps = { ...deps, open, runtime: () => indexes.runtime(), settings: (uri: string) => settings.forDocument(uri), trusted: () => settings.workspaceTrusted, progress: (params: FreezeParams) => connection.window.attachWorkDoneProgress(params.workDoneToken) };
  connection.onRequest(FREEZE_REQUEST, (params, token) => freezeRequest(params, toSignal(token), freezeDeps));
  connection.onNotification(WORKSPACE_TRUSTED_NOTIFICATION, () => {
    settings.workspaceTrusted = true;
    validation.scheduleAll();
  });
  connection.onRequest(REFRESH_INDEX_REQUEST, async () => {
    await indexes.clearMemory();
    targets.reset();
    validation.scheduleAll();
  });

  // Opening a document fires onDidChangeContent too.
  documents.onDidChangeContent((event) => validation.changed(event.document.uri));
  documents.onDidClose((event) => validation.close(event.document.uri));
  documents.listen(connection);
  connection.listen();
}
