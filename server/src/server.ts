// The language server, wired to whatever connection and IO it is given: main.ts passes real ones,
// tests pass an in-memory connection and fixtures. Handlers here only look things up and call
// the feature modules.
import {
  CodeActionKind,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type Connection,
  type InitializeResult,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { join } from 'node:path';
import { AnalysisCache, type AnalyzedDocument } from './engine/documents';
import type { IncludedFile } from './pip/includes';
import { codeActions, FIX_ALL_KIND } from './features/codeActions';
import { completion, COMPLETION_TRIGGER_CHARACTERS } from './features/completion';
import { planFixes } from './pip/fixPlan';
import { documentLinks } from './features/documentLinks';
import { hover } from './features/hover';
import { indexDiagnostics } from './features/indexDiagnostics';
import type { Span } from './parser/types';
import { computeDiagnostics } from './features/diagnostics';
import type { PathProbe } from './pip/localPaths';
import { resolveIncludes, type TextReader } from './pip/includes';
import { documentIndex } from './engine/documentIndex';
import type { IndexNotice, PackageIndex } from './index/packageIndex';
import { osvPost, type IndexRuntime, type IndexRuntimeOptions } from './index/runtime';
import { Logger } from './log';
import { DEFAULT_SETTINGS, normalizeEditorHttpSettings, normalizeSettings, type EditorHttpSettings, type ReqguardSettings } from './settings';
import { describeIndexSource, INDEX_STATUS_NOTIFICATION, PIN_AND_HASH_ALL_REQUEST, REFRESH_INDEX_REQUEST, type PinAndHashAllParams, type IndexStatus, type InitializationOptions } from './protocol';

export interface ServerDeps {
  /** Reads files that are not open in the editor (includes). */
  readonly files: TextReader;
  /** Turns a document URI into a file-system path, or undefined for non-file URIs. */
  readonly uriToPath: (uri: string) => string | undefined;
  /** Looks at local path requirements, relative to the folder of the file that names them. */
  readonly pathProbe?: (fromFile: string) => PathProbe;
  /** The environment for ${VAR} expansion. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Builds the index layer (main.ts: over the real network and disk). Absent: no index access. */
  readonly indexRuntime?: (options: Pick<IndexRuntimeOptions, 'settings' | 'editorHttp' | 'cacheDir' | 'onNotice'>) => IndexRuntime;
}

const SETTINGS_SECTION = 'reqguard';

export function startServer(connection: Connection, deps: ServerDeps): void {
  const documents = new TextDocuments(TextDocument);
  const analyses = new AnalysisCache();
  const settingsByUri = new Map<string, Promise<ReqguardSettings>>();
  let fallbackSettings: ReqguardSettings = DEFAULT_SETTINGS;
  let canPullConfiguration = false;
  const pending = new Map<string, ReturnType<typeof setImmediate>>();
  let storagePath: string | undefined;
  let fallbackHttpSettings: unknown;
  /** The index layer, built from window-wide settings; rebuilt when settings change. */
  let runtime: Promise<IndexRuntime | undefined> | undefined;
  /** Indexes (redacted origins) currently answered from the cache because they fail. */
  const staleIndexes = new Map<string, Extract<IndexNotice, { kind: 'stale' }>>();
  /** The server's log lines, filtered by `reqguard.log.level`. */
  const log = new Logger(connection.console, DEFAULT_SETTINGS.log.level);
  /** Window-wide settings (index layer, log level), pulled once per configuration change. */
  let windowSettings: Promise<ReqguardSettings> | undefined;
  /** The index each document was last said (at debug level) to install from: said again only when it changes. */
  const loggedIndexes = new Map<string, string>();

  connection.onInitialize((params): InitializeResult => {
    canPullConfiguration = Boolean(params.capabilities.workspace?.configuration);
    const init = params.initializationOptions as InitializationOptions | undefined;
    if (init?.settings !== undefined) fallbackSettings = normalizeSettings(init.settings);
    log.level = fallbackSettings.log.level;
    fallbackHttpSettings = init?.httpSettings;
    storagePath = init?.storagePath;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: [...COMPLETION_TRIGGER_CHARACTERS], resolveProvider: false },
        documentLinkProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
      },
      serverInfo: { name: 'reqguard' },
    };
  });

  connection.onInitialized(() => void globalSettings());

  connection.onDidChangeConfiguration((change) => {
    settingsByUri.clear();
    loggedIndexes.clear();
    const pushed = (change.settings as Record<string, unknown> | undefined)?.[SETTINGS_SECTION];
    if (pushed !== undefined) fallbackSettings = normalizeSettings(pushed);
    windowSettings = undefined;
    // The log level applies at once, not when the index layer is next needed.
    void globalSettings();
    const previous = runtime;
    runtime = undefined;
    void previous?.then((built) => built?.close());
    for (const document of documents.all()) schedule(document.uri);
  });

  connection.onRequest(REFRESH_INDEX_REQUEST, async () => {
    (await indexRuntime())?.client.clearMemory();
    for (const document of documents.all()) schedule(document.uri);
  });

  async function pullGlobal(section: string, fallback: unknown): Promise<unknown> {
    if (!canPullConfiguration) return fallback;
    try {
      return (await connection.workspace.getConfiguration({ section })) ?? fallback;
    } catch {
      return fallback;
    }
  }

  function globalSettings(): Promise<ReqguardSettings> {
    windowSettings ??= pullGlobal(SETTINGS_SECTION, fallbackSettings).then((raw) => {
      const settings = normalizeSettings(raw);
      log.level = settings.log.level;
      log.debug(`log level: ${settings.log.level}`);
      return settings;
    });
    return windowSettings;
  }

  function indexRuntime(): Promise<IndexRuntime | undefined> {
    const build = deps.indexRuntime;
    if (!build) return Promise.resolve(undefined);
    runtime ??= (async () => {
      const settings = await globalSettings();
      const editorHttp: EditorHttpSettings = normalizeEditorHttpSettings(await pullGlobal('http', fallbackHttpSettings));
      return build({ settings, editorHttp, cacheDir: storagePath && join(storagePath, 'index-cache'), onNotice });
    })();
    return runtime;
  }

  /** An index that starts or stops failing is said once in the log and in every document's status. */
  function onNotice(notice: IndexNotice): void {
    if (notice.kind === 'stale') {
      staleIndexes.set(notice.index, notice);
      log.warn(`${notice.index} is failing (${notice.error.message}); using cached data from ${new Date(notice.cachedAt).toISOString()}`);
    } else {
      staleIndexes.delete(notice.index);
      log.info(`${notice.index} answers again`);
    }
    for (const document of documents.all()) schedule(document.uri);
  }

  /** The index a document installs from; features ask it for project data. */
  async function indexFor(analysis: AnalyzedDocument, path: string, includes: readonly IncludedFile[] | undefined, settings: ReqguardSettings): Promise<PackageIndex | undefined> {
    const built = await indexRuntime();
    return built && documentIndex(built, analysis, path, includes, settings.index);
  }

  function statusOf(uri: string, index: PackageIndex): IndexStatus {
    const { effective } = index;
    const origin = effective.primary && originOf(effective.primary);
    const stale = origin ? staleIndexes.get(origin) : undefined;
    return {
      uri,
      ...(effective.primary ? { primary: effective.primary } : {}),
      extra: effective.extra,
      findLinks: effective.findLinks,
      source: effective.source,
      ...(effective.sourceDetail ? { sourceDetail: effective.sourceDetail } : {}),
      offline: effective.offline,
      ...(stale ? { stale: { index: stale.index, message: stale.error.message, cachedAt: stale.cachedAt } } : {}),
    };
  }

  function logIndexChoice(status: IndexStatus): void {
    if (!log.enabled('debug')) return;
    // Every URL in a status is redacted already.
    const more = [...status.extra.map((url) => `extra ${url}`), ...status.findLinks.map((url) => `find-links ${url}`), ...(status.offline ? ['offline'] : [])];
    const line = `${status.primary ?? '--no-index'} (${describeIndexSource(status.source, status.sourceDetail)})${more.length ? `; ${more.join(', ')}` : ''}`;
    if (loggedIndexes.get(status.uri) === line) return;
    loggedIndexes.set(status.uri, line);
    log.debug(`${status.uri}: installs from ${line}`);
  }

  function settingsFor(uri: string): Promise<ReqguardSettings> {
    if (!canPullConfiguration) return Promise.resolve(fallbackSettings);
    let settings = settingsByUri.get(uri);
    if (!settings) {
      settings = connection.workspace
        .getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION })
        .then((raw) => (raw === null || raw === undefined ? fallbackSettings : normalizeSettings(raw)))
        .catch(() => fallbackSettings);
      settingsByUri.set(uri, settings);
    }
    return settings;
  }

  /** Reads a file for include following: an open editor buffer wins over the disk. */
  const reader: TextReader = {
    read(path) {
      for (const document of documents.all()) {
        if (deps.uriToPath(document.uri) === path) return document.getText();
      }
      return deps.files.read(path);
    },
  };

  // Validation is coalesced per URI to the next turn of the event loop: a burst of edits costs one pass.
  function schedule(uri: string): void {
    if (pending.has(uri)) return;
    pending.set(
      uri,
      setImmediate(() => {
        pending.delete(uri);
        void validate(uri);
      }),
    );
  }

  /** Everything features need about one open document at its current version. */
  interface DocumentState {
    readonly version: number;
    readonly analysis: AnalyzedDocument;
    readonly settings: ReqguardSettings;
    readonly includes?: readonly IncludedFile[];
    readonly paths?: PathProbe;
    readonly index?: PackageIndex;
  }

  async function stateOf(uri: string): Promise<DocumentState | undefined> {
    const document = documents.get(uri);
    if (!document) return undefined;
    const version = document.version;
    const settings = await settingsFor(uri);
    const current = documents.get(uri);
    if (!current || current.version !== version) return undefined;
    const onDisk = deps.uriToPath(uri);
    const path = onDisk ?? new URL(uri).pathname;
    const analysis = analyses.get(current, path, deps.env);
    const includes = analysis.kind !== 'setup-py' && onDisk ? resolveIncludes(analysis.parsed, path, reader, deps.env) : undefined;
    const paths = deps.pathProbe && onDisk ? deps.pathProbe(path) : undefined;
    const index = await indexFor(analysis, path, includes, settings);
    return { version, analysis, settings, includes, paths, index };
  }

  /** Index work of each document; a new version or closing the document aborts the old one. */
  const indexWork = new Map<string, AbortController>();

  function restartIndexWork(uri: string): AbortSignal {
    indexWork.get(uri)?.abort();
    const controller = new AbortController();
    indexWork.set(uri, controller);
    return controller.signal;
  }

  async function validate(uri: string): Promise<void> {
    const state = await stateOf(uri);
    if (!state) return;
    const { version, analysis, settings, index } = state;
    // Offline findings go out at once; index findings follow when the data arrives.
    const offline = computeDiagnostics(analysis, settings, { includes: state.includes, paths: state.paths });
    await connection.sendDiagnostics({ uri, version, diagnostics: offline });
    if (!index) return;
    const status = statusOf(uri, index);
    logIndexChoice(status);
    await connection.sendNotification(INDEX_STATUS_NOTIFICATION, status);
    const signal = restartIndexWork(uri);
    const built = await indexRuntime();
    const started = Date.now();
    const online = await indexDiagnostics(analysis, { index, settings, signal, osv: built && { post: osvPost(built) } });
    log.debug(`${uri} (version ${version}): index data in ${Date.now() - started} ms, ${online.length} index findings${signal.aborted ? ' (superseded)' : ''}`);
    // Dropped when the document changed meanwhile: its next validation is already on its way.
    if (signal.aborted || documents.get(uri)?.version !== version || online.length === 0) return;
    await connection.sendDiagnostics({ uri, version, diagnostics: [...offline, ...online] });
  }

  function toSignal(token: CancellationToken): AbortSignal {
    const controller = new AbortController();
    if (token.isCancellationRequested) controller.abort();
    else token.onCancellationRequested(() => controller.abort());
    return controller.signal;
  }

  connection.onHover(async (params, token) => {
    const state = await stateOf(params.textDocument.uri);
    const document = documents.get(params.textDocument.uri);
    if (!state || !document) return null;
    const result = await hover(state.analysis, document.offsetAt(params.position), { index: state.index, pythonVersion: state.settings.pythonVersion, signal: toSignal(token) });
    return result ?? null;
  });

  connection.onCompletion(async (params, token) => {
    const state = await stateOf(params.textDocument.uri);
    const document = documents.get(params.textDocument.uri);
    if (!state || !document) return null;
    return completion(state.analysis, document.offsetAt(params.position), { index: state.index, pythonVersion: state.settings.pythonVersion, signal: toSignal(token) });
  });

  connection.onDocumentLinks(async (params) => {
    const state = await stateOf(params.textDocument.uri);
    return state ? documentLinks(state.analysis, deps.uriToPath(params.textDocument.uri)) : [];
  });

  connection.onCodeAction(async (params, token) => {
    const state = await stateOf(params.textDocument.uri);
    const document = documents.get(params.textDocument.uri);
    if (!state?.index || !document) return [];
    const range: Span = { start: document.offsetAt(params.range.start), end: document.offsetAt(params.range.end) };
    const toRange = (span: Span) => ({ start: document.positionAt(span.start), end: document.positionAt(span.end) });
    return codeActions(state.analysis, range, { diagnostics: params.context.diagnostics, only: params.context.only }, {
      index: state.index,
      pythonVersion: state.settings.pythonVersion,
      targets: state.settings.hashes,
      signal: toSignal(token),
      uri: params.textDocument.uri,
      toRange,
    });
  });

  // "Pin and hash all" as a command: the client shows progress and can cancel.
  connection.onRequest(PIN_AND_HASH_ALL_REQUEST, async (params: PinAndHashAllParams, token): Promise<WorkspaceEdit | null> => {
    const state = await stateOf(params.uri);
    const document = documents.get(params.uri);
    if (!state?.index || !document) return null;
    const options = { pin: params.pin ?? true, hash: params.hash ?? true, update: params.update ?? false, targets: state.settings.hashes };
    const started = Date.now();
    const plan = await planFixes(state.analysis, { index: state.index, pythonVersion: state.settings.pythonVersion, signal: toSignal(token) }, options);
    const what = options.update ? 'update all' : options.pin ? 'pin and hash all' : 'hash all';
    log.debug(`${params.uri}: ${what} planned in ${Date.now() - started} ms: ${plan.replacements.length} edits, ${plan.skipped.length} not fixed${plan.cancelled ? ' (cancelled)' : ''}`);
    for (const skipped of plan.skipped) log.info(`${params.uri}:${document.positionAt(skipped.entry.span.start).line + 1}: not fixed: ${skipped.reason}`);
    if (plan.cancelled || documents.get(params.uri)?.version !== state.version) return null;
    const edits = plan.replacements.map((r) => ({ range: { start: document.positionAt(r.span.start), end: document.positionAt(r.span.end) }, newText: r.newText }));
    return { documentChanges: [{ textDocument: { uri: params.uri, version: state.version }, edits }] };
  });

  documents.onDidOpen((event) => schedule(event.document.uri));
  documents.onDidChangeContent((event) => schedule(event.document.uri));
  documents.onDidClose((event) => {
    const timer = pending.get(event.document.uri);
    if (timer) clearImmediate(timer);
    pending.delete(event.document.uri);
    analyses.delete(event.document.uri);
    settingsByUri.delete(event.document.uri);
    loggedIndexes.delete(event.document.uri);
    indexWork.get(event.document.uri)?.abort();
    indexWork.delete(event.document.uri);
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });

  connection.onShutdown(async () => {
    await (await runtime)?.close();
  });

  documents.listen(connection);
  connection.listen();
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
