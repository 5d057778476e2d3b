// The VS Code side of reqguard: starts the language server over IPC and tells it which documents
// and settings to look at. All analysis happens in the server.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type DocumentSelector, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  INDEX_STATUS_NOTIFICATION,
  LOCK_COMMAND,
  type LockChoices,
  LOCK_REQUEST,
  WORKSPACE_TRUSTED_NOTIFICATION,
  PIN_AND_HASH_ALL_REQUEST,
  type PinAndHashAllParams,
  PYTHON_INTERPRETER_NOTIFICATION,
  type PythonInterpreter,
  REFRESH_INDEX_REQUEST,
  REQUIREMENTS_LANGUAGE_ID,
  SERVER_NODE_FLAGS,
  type InitializationOptions,
} from '../../server/src/protocol';
import { watchInterpreters } from './pythonInterpreter';
import { checkAllDependencyFiles } from './checkAll';
import { freezeEnvironment } from './freezeEnvironment';
import { IndexStatusBar } from './statusBar';

let client: LanguageClient | undefined;
let statusBar: IndexStatusBar | undefined;
/** The Python extension's interpreter per folder (key: folder URI, '' for the window), as last sent. */
const interpreters = new Map<string, PythonInterpreter>();

/**
 * Documents the server analyses: requirements files, the library manifests (setup.py,
 * setup.cfg, pyproject.toml), PEP 751 lock files (pylock.toml, pylock.<name>.toml) and globs the user adds. The manifests keep their own languages (the
 * TOML and INI ids depend on the extensions installed), so they are picked by name alone.
 */
export function documentSelector(extraPatterns: readonly string[]): DocumentSelector {
  const schemes = ['file', 'untitled'];
  return [
    ...schemes.map((scheme) => ({ scheme, language: REQUIREMENTS_LANGUAGE_ID })),
    { scheme: 'file', language: 'python', pattern: '**/setup.py' },
    { scheme: 'file', pattern: '**/setup.cfg' },
    { scheme: 'file', pattern: '**/pyproject.toml' },
    { scheme: 'file', pattern: '**/pylock.toml' },
    { scheme: 'file', pattern: '**/pylock.*.toml' },
    ...extraPatterns.map((pattern) => ({ scheme: 'file', pattern })),
  ];
}

function extraPatterns(): string[] {
  const value = vscode.workspace.getConfiguration('reqguard').get<unknown>('files.requirementsPatterns');
  return Array.isArray(value) ? value.filter((p): p is string => typeof p === 'string' && p.length > 0) : [];
}

/** Files matching the user's extra globs are requirements files: give them the language (and grammar). */
async function adoptExtraPatternDocuments(document: vscode.TextDocument): Promise<void> {
  const patterns = extraPatterns();
  if (patterns.length === 0 || document.languageId === REQUIREMENTS_LANGUAGE_ID) return;
  if (document.languageId !== 'plaintext') return;
  if (vscode.languages.match(patterns.map((pattern) => ({ scheme: 'file', pattern })), document) > 0) {
    await vscode.languages.setTextDocumentLanguage(document, REQUIREMENTS_LANGUAGE_ID);
  }
}

async function startClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): Promise<LanguageClient> {
  const serverModule = context.asAbsolutePath('server/out/main.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS] } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6011'] } },
  };
  const initializationOptions: InitializationOptions = {
    settings: vscode.workspace.getConfiguration('reqguard'),
    httpSettings: vscode.workspace.getConfiguration('http'),
    storagePath: context.globalStorageUri.scheme === 'file' ? context.globalStorageUri.fsPath : undefined,
    workspaceTrusted: vscode.workspace.isTrusted,
    pythonInterpreters: [...interpreters.values()],
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(extraPatterns()),
    // `http` too: a proxy or TLS change rebuilds the server's index access.
    synchronize: { configurationSection: ['reqguard', 'http'] },
    initializationOptions,
    outputChannel: output,
  };
  const languageClient = new LanguageClient('reqguard', 'reqguard', serverOptions, clientOptions);
  await languageClient.start();
  languageClient.onNotification(INDEX_STATUS_NOTIFICATION, (status) => statusBar?.update(status));
  return languageClient;
}

export async function activate(context: vscode.ExtensionContext): Promise<{ client: LanguageClient | undefined }> {
  const output = vscode.window.createOutputChannel('reqguard', { log: true });
  statusBar = new IndexStatusBar();
  context.subscriptions.push(output, statusBar);
  // The Python extension's choice is known before the server starts, so the first checks use it.
  const watch = await watchInterpreters((interpreter) => {
    interpreters.set(interpreter.folderUri ?? '', interpreter);
    void client?.sendNotification(PYTHON_INTERPRETER_NOTIFICATION, interpreter);
  });
  for (const interpreter of watch.initial) interpreters.set(interpreter.folderUri ?? '', interpreter);
  context.subscriptions.push(watch);
  client = await startClient(context, output);

  for (const document of vscode.workspace.textDocuments) void adoptExtraPatternDocuments(document);
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument((document) => void adoptExtraPatternDocuments(document)),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      // The document selector is fixed when the client starts: a new glob list needs a restart.
      if (!event.affectsConfiguration('reqguard.files.requirementsPatterns')) return;
      await client?.stop();
      client = await startClient(context, output);
      for (const document of vscode.workspace.textDocuments) void adoptExtraPatternDocuments(document);
    }),
    // Restricted Mode ends: files' own index options apply from now on, and every file is checked again.
    vscode.workspace.onDidGrantWorkspaceTrust(() => void client?.sendNotification(WORKSPACE_TRUSTED_NOTIFICATION)),
    vscode.commands.registerCommand('reqguard.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('reqguard.refreshIndex', () => client?.sendRequest(REFRESH_INDEX_REQUEST)),
    vscode.commands.registerCommand('reqguard.pinAndHashAll', () => fixActiveDocument({ pin: true, hash: true })),
    vscode.commands.registerCommand('reqguard.hashAll', () => fixActiveDocument({ pin: false, hash: true })),
    vscode.commands.registerCommand('reqguard.updateAll', () => fixActiveDocument({ pin: true, hash: true, update: true })),
    vscode.commands.registerCommand('reqguard.checkAll', (folder?: unknown) =>
      client && checkAllDependencyFiles(client, context.extension.packageJSON.contributes?.languages ?? [], extraPatterns(), folder instanceof vscode.Uri ? folder : undefined),
    ),
    vscode.commands.registerCommand(LOCK_COMMAND, (uri?: string, choices?: LockChoices) => lockDocument(uri, choices)),
    vscode.commands.registerCommand('reqguard.freezeEnvironment', () => client && freezeEnvironment(client, (folder) => interpreters.get(folder?.uri.toString() ?? '')?.path ?? interpreters.get('')?.path)),
    // The server filters its log by `reqguard.log.level`; VS Code's level of this channel filters again.
    output.onDidChangeLogLevel(() => explainDebugLevel(output)),
    vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration('reqguard.log.level') && explainDebugLevel(output)),
  );
  explainDebugLevel(output);
  return { client };
}

/** Debug lines reach the channel but VS Code shows them only when the channel's own level is Debug too: say so once per change. */
function explainDebugLevel(output: vscode.LogOutputChannel): void {
  const wanted = vscode.workspace.getConfiguration('reqguard').get<string>('log.level');
  if (wanted === 'debug' && output.logLevel > vscode.LogLevel.Debug) {
    output.warn('reqguard.log.level is debug, but this channel shows only lines from its own level up: run "Developer: Set Log Level…", pick reqguard and choose Debug to see the debug lines.');
  }
}

/** Runs "Pin and hash all" (or "Hash all", "Update all") on the active file with a cancellable progress notification, as one edit. */
async function fixActiveDocument(options: Omit<PinAndHashAllParams, 'uri'>): Promise<boolean> {
  const editor = vscode.window.activeTextEditor;
  const languageClient = client;
  if (!editor || !languageClient) return false;
  const params: PinAndHashAllParams = { uri: editor.document.uri.toString(), ...options };
  const title = options.update
    ? 'reqguard: updating every requirement to its newest release'
    : options.pin
      ? 'reqguard: pinning and hashing every requirement'
      : 'reqguard: hashing every requirement';
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) =>
    languageClient.sendRequest(PIN_AND_HASH_ALL_REQUEST, params, token),
  );
  const edit = result ? await languageClient.protocol2CodeConverter.asWorkspaceEdit(result) : undefined;
  return edit ? vscode.workspace.applyEdit(edit) : false;
}

/**
 * "Lock": the server resolves the requirements.in or manifest (the CodeLens's, else the active
 * one) with its own cancellable progress, and answers an edit that creates or updates
 * requirements.txt, which is then applied, saved and shown. A conflict or a failure is shown as an
 * error, with nothing changed. A manifest's CodeLens offers its extras and dependency groups first
 * (none picked: its dependencies alone; from the command palette, the dependencies alone).
 */
async function lockDocument(uri: string | undefined, choices: LockChoices | undefined): Promise<boolean> {
  const languageClient = client;
  const target = uri ?? vscode.window.activeTextEditor?.document.uri.toString();
  if (!languageClient || !target) return false;
  const picked = choices ? await pickLockChoices(choices) : { extras: [], groups: [] };
  if (!picked) return false;
  const input = vscode.workspace.textDocuments.find((document) => document.uri.toString() === target);
  // The server locks what it has: an unsaved input is saved first, so the file and its lock agree.
  if (input?.isDirty) await input.save();
  const answer = await languageClient.sendRequest(LOCK_REQUEST, { uri: target, ...picked });
  if (answer.outcome === 'cancelled') return false;
  if (answer.outcome === 'conflict' || answer.outcome === 'incomplete' || answer.outcome === 'invalid') {
    void vscode.window.showErrorMessage(`reqguard: nothing locked: ${answer.message}`);
    return false;
  }
  const output = vscode.Uri.parse(answer.outputUri);
  if (answer.edit) {
    const edit = await languageClient.protocol2CodeConverter.asWorkspaceEdit(answer.edit);
    if (!(await vscode.workspace.applyEdit(edit))) return false;
    await vscode.workspace.textDocuments.find((document) => document.uri.toString() === output.toString())?.save();
  }
  await vscode.window.showTextDocument(output, { preview: false, preserveFocus: true });
  void vscode.window.showInformationMessage(`reqguard: ${answer.message}`);
  return true;
}

/** The extras and groups to lock with a manifest's dependencies; undefined when the user dismissed the pick. */
async function pickLockChoices(choices: LockChoices): Promise<LockChoices | undefined> {
  const items = [
    ...choices.extras.map((name) => ({ label: name, description: 'extra (optional dependencies)', list: 'extra' as const })),
    ...choices.groups.map((name) => ({ label: name, description: 'dependency group', list: 'group' as const })),
  ];
  if (items.length === 0) return { extras: [], groups: [] };
  const picks = await vscode.window.showQuickPick(items, { canPickMany: true, title: 'reqguard: Lock', placeHolder: 'Extras and dependency groups to lock with the dependencies (none: the dependencies alone)' });
  if (!picks) return undefined;
  return { extras: picks.filter((item) => item.list === 'extra').map((item) => item.label), groups: picks.filter((item) => item.list === 'group').map((item) => item.label) };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
