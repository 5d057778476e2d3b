// The language server, wired to whatever connection and IO it is given: main.ts passes real ones,
// tests pass an in-memory connection and fixtures. Handlers here only look things up and call
// the feature modules.
import { TextDocuments, TextDocumentSyncKind, type Connection, type InitializeResult } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisCache } from './documents';
import { computeDiagnostics } from './features/diagnostics';
import type { PathProbe } from './features/localPaths';
import { resolveIncludes, type TextReader } from './includes';
import { DEFAULT_SETTINGS, normalizeSettings, type InitializationOptions, type ReqguardSettings } from './protocol';

export interface ServerDeps {
  /** Reads files that are not open in the editor (includes). */
  readonly files: TextReader;
  /** Turns a document URI into a file-system path, or undefined for non-file URIs. */
  readonly uriToPath: (uri: string) => string | undefined;
  /** Looks at local path requirements, relative to the folder of the file that names them. */
  readonly pathProbe?: (fromFile: string) => PathProbe;
  /** The environment for ${VAR} expansion. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

const SETTINGS_SECTION = 'reqguard';

export function startServer(connection: Connection, deps: ServerDeps): void {
  const documents = new TextDocuments(TextDocument);
  const analyses = new AnalysisCache();
  const settingsByUri = new Map<string, Promise<ReqguardSettings>>();
  let fallbackSettings: ReqguardSettings = DEFAULT_SETTINGS;
  let canPullConfiguration = false;
  const pending = new Map<string, ReturnType<typeof setImmediate>>();

  connection.onInitialize((params): InitializeResult => {
    canPullConfiguration = Boolean(params.capabilities.workspace?.configuration);
    const init = params.initializationOptions as InitializationOptions | undefined;
    if (init?.settings !== undefined) fallbackSettings = normalizeSettings(init.settings);
    return {
      capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
      serverInfo: { name: 'reqguard' },
    };
  });

  connection.onDidChangeConfiguration((change) => {
    settingsByUri.clear();
    const pushed = (change.settings as Record<string, unknown> | undefined)?.[SETTINGS_SECTION];
    if (pushed !== undefined) fallbackSettings = normalizeSettings(pushed);
    for (const document of documents.all()) schedule(document.uri);
  });

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

  documents.listen(connection);
  connection.listen();
}
