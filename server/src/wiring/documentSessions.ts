// One session per open document: its last parse, its settings, the pending validation and the
// index work in flight. Closing a document is one call that drops all of it.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalyzedDocument } from '../features/document';
import { analyzeDocument } from '../engine/documents';
import type { ReqguardSettings } from '../settings';

type Env = Readonly<Record<string, string | undefined>>;

export class DocumentSession {
  private parsed: { readonly version: number; readonly analysis: AnalyzedDocument } | undefined;
  private settingsPromise: Promise<ReqguardSettings> | undefined;
  private pending: ReturnType<typeof setImmediate> | undefined;
  private indexWork: AbortController | undefined;
  /** The index line last logged (at debug level) for this document: said again only when it changes. */
  loggedIndex: string | undefined;

  constructor(readonly uri: string) {}

  /** The parse of this version; hover, completion, code actions and diagnostics ask for the same version in bursts. */
  analysis(document: TextDocument, path: string, env: Env | undefined): AnalyzedDocument {
    if (this.parsed?.version !== document.version) this.parsed = { version: document.version, analysis: analyzeDocument(document, path, env) };
    return this.parsed.analysis;
  }

  settings(pull: (uri: string) => Promise<ReqguardSettings>): Promise<ReqguardSettings> {
    this.settingsPromise ??= pull(this.uri);
    return this.settingsPromise;
  }

  forgetSettings(): void {
    this.settingsPromise = undefined;
    this.loggedIndex = undefined;
  }

  /** Runs `validate` on the next turn of the event loop, once however many edits arrive meanwhile. */
  schedule(validate: () => void): void {
    if (this.pending) return;
    this.pending = setImmediate(() => {
      this.pending = undefined;
      validate();
    });
  }

  /** Aborts the index work of an older version and returns the signal of the new one. */
  restartIndexWork(): AbortSignal {
    this.indexWork?.abort();
    this.indexWork = new AbortController();
    return this.indexWork.signal;
  }

  close(): void {
    if (this.pending) clearImmediate(this.pending);
    this.pending = undefined;
    this.indexWork?.abort();
    this.indexWork = undefined;
    this.parsed = undefined;
  }
}

export class DocumentSessions {
  private readonly sessions = new Map<string, DocumentSession>();

  get(uri: string): DocumentSession {
    let session = this.sessions.get(uri);
    if (!session) this.sessions.set(uri, (session = new DocumentSession(uri)));
    return session;
  }

  close(uri: string): void {
    this.sessions.get(uri)?.close();
    this.sessions.delete(uri);
  }

  forgetSettings(): void {
    for (const session of this.sessions.values()) session.forgetSettings();
  }
}
