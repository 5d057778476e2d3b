// The language server, wired to whatever connection and IO it is given: main.ts passes real ones,
// tests pass an in-memory connection and fixtures. Handlers here only look things up and call
// the feature modules.
import { TextDocuments, TextDocumentSyncKind, type Connection, type InitializeResult } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { join } from 'node:path';
import { AnalysisCache, type AnalyzedDocument } from './documents';
import type { IncludedFile } from './features/hashMode';
import { computeDiagnostics } from './features/diagnostics';
import type { PathProbe } from './features/localPaths';
import { resolveIncludes, type TextReader } from './includes';
import { documentIndex } from './documentIndex';
import type { IndexNotice, PackageIndex } from './index/packageIndex';
import type { IndexRuntime, IndexRuntimeOptions } from './indexRuntime';
import {
  DEFAULT_SETTINGS,
  INDEX_STATUS_NOTIFICATION,
  normalizeEditorHttpSettings,
  normalizeSettings,
  REFRESH_INDEX_REQUEST,
  type EditorHttpSettings,
  type IndexStatus,
  type InitializationOptions,
  type ReqguardSettings,
} from './protocol';

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

  connection.onInitialize((params): InitializeResult => {
    canPullConfiguration = Boolean(params.capabilities.workspace?.configuration);
    const init = params.initializationOptions as InitializationOptions | undefined;
    if (init?.settings !== undefined) fallbackSettings = normalizeSettings(init.settings);
    fallbackHttpSettings = init?.httpSettings;
    storagePath = init?.storagePath;
    return {
      capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
      serverInfo: { name: 'reqguard' },
    };
  });

  connection.onDidChangeConfiguration((change) => {
    settingsByUri.clear();
    const pushed = (change.settings as Record<string, unknown> | undefined)?.[SETTINGS_SECTION];
    if (pushed !== undefined) fallbackSettings = normalizeSettings(pushed);
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

  function indexRuntime(): Promise<IndexRuntime | undefined> {
    const build = deps.indexRuntime;
    if (!build) return Promise.resolve(undefined);
    runtime ??= (async () => {
      const settings = normalizeSettings(await pullGlobal(SETTINGS_SECTION, fallbackSettings));
      const editorHttp: EditorHttpSettings = normalizeEditorHttpSettings(await pullGlobal('http', fallbackHttpSettings));
      return build({ settings, editorHttp, cacheDir: storagePath && join(storagePath, 'index-cache'), onNotice });
    })();
    return runtime;
  }

  /** An index that starts or stops failing is said once in the log and in every document's status. */
  function onNotice(notice: IndexNotice): void {
    if (notice.kind === 'stale') {
      staleIndexes.set(notice.index, notice);
      connection.console.warn(`${notice.index} is failing (${notice.error.message}); using cached data from ${new Date(notice.cachedAt).toISOString()}`);
    } else {
      staleIndexes.delete(notice.index);
      connection.console.info(`${notice.index} answers again`);
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

  async function validate(uri: string): Promise<void> {
    const document = documents.get(uri);
    if (!document) return;
    const version = document.version;
    const settings = await settingsFor(uri);
    const current = documents.get(uri);
    if (!current || current.version !== version) return;
    const path = deps.uriToPath(uri) ?? new URL(uri).pathname;
    const analysis = analyses.get(current, path, deps.env);
    const includes = analysis.kind !== 'setup-py' && deps.uriToPath(uri)
      ? resolveIncludes(analysis.parsed, path, reader, deps.env)
      : undefined;
    const paths = deps.pathProbe && deps.uriToPath(uri) ? deps.pathProbe(path) : undefined;
    const diagnostics = computeDiagnostics(analysis, settings, { includes, paths });
    await connection.sendDiagnostics({ uri, version, diagnostics });
    const index = await indexFor(analysis, path, includes, settings);
    if (index && documents.get(uri)?.version === version) await connection.sendNotification(INDEX_STATUS_NOTIFICATION, statusOf(uri, index));
  }

  documents.onDidOpen((event) => schedule(event.document.uri));
  documents.onDidChangeContent((event) => schedule(event.document.uri));
  documents.onDidClose((event) => {
    const timer = pending.get(event.document.uri);
    if (timer) clearImmediate(timer);
    pending.delete(event.document.uri);
    analyses.delete(event.document.uri);
    settingsByUri.delete(event.document.uri);
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
