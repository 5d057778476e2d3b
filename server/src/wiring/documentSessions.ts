// One session per open document: the analysis of its current version, its settings, when to
// validate it next, and the index work in flight. Closing a document is one call that drops all of it.
import { performance } from 'node:perf_hooks';
import type { Diagnostic } from 'vscode-languageserver';
import type { AnalyzedFile } from '../engine/engine';
import type { IncludedFileDiagnostics } from '../features/diagnostics';
import type { ReqguardSettings } from '../settings';
import { PassScheduler } from './passScheduler';

export class DocumentSession {
  private file: { readonly version: number; readonly file: AnalyzedFile } | undefined;
  private includesChanged = false;
  private settingsPromise: Promise<ReqguardSettings> | undefined;
  private indexWork: AbortController | undefined;
  private seenVersion: number | undefined;
  /** When the validation passes run. */
  readonly passes = new PassScheduler();
  /** What the last analysis cost (parse and includes), part of a pass's cost. */
  lastAnalysisMs = 0;
  /** The index line last logged (at debug level) for this document: said again only when it changes. */
  loggedIndex: string | undefined;
  /** What the last validation found in the files this document includes (hash mode), by path. */
  toIncluded: ReadonlyMap<string, IncludedFileDiagnostics> = new Map();

  constructor(readonly uri: string) {}

  /**
   * This version's analysis and includes, made once: diagnostics, hover, completion and code
   * actions ask for the same version in bursts, and only the newest version is kept.
   */
  analyzed(version: number, analyze: (earlier: AnalyzedFile | undefined) => AnalyzedFile): AnalyzedFile {
    if (this.file?.version !== version || this.includesChanged) {
      const started = performance.now();
      this.file = { version, file: analyze(this.file?.file) };
      this.includesChanged = false;
      this.lastAnalysisMs = performance.now() - started;
    }
    return this.file.file;
  }

  /** Whether the kept analysis read `path` as an include (its text is then out of date when that file changes). */
  includes(path: string): boolean {
    return this.file?.file.includes?.some((include) => include.path === path) ?? false;
  }

  /** An included file changed: even this version is analyzed again (reusing the includes' parses that still hold). */
  includeChanged(): void {
    this.includesChanged = true;
  }

  settings(pull: (uri: string) => Promise<ReqguardSettings>): Promise<ReqguardSettings> {
    this.settingsPromise ??= pull(this.uri);
    return this.settingsPromise;
  }

  forgetSettings(): void {
    this.settingsPromise = undefined;
    this.loggedIndex = undefined;
  }

  /** Validates on the next pass (see PassScheduler); a new version aborts the index work of the old one at once. */
  schedule(version: number, validate: () => void): void {
    const edit = this.seenVersion !== undefined && this.seenVersion !== version;
    // Once: abort() makes a DOMException with a stack trace every time it is called, even when aborted already.
    if (edit && this.indexWork && !this.indexWork.signal.aborted) this.indexWork.abort();
    this.seenVersion = version;
    this.passes.request(validate, edit);
  }

  /** Aborts the index work of an older version and returns the signal of the new one. */
  restartIndexWork(): AbortSignal {
    this.indexWork?.abort();
    this.indexWork = new AbortController();
    return this.indexWork.signal;
  }

  close(): void {
    this.passes.cancel();
    this.indexWork?.abort();
    this.indexWork = undefined;
    this.file = undefined;
    this.toIncluded = new Map();
  }
}

export class DocumentSessions {
  private readonly sessions = new Map<string, DocumentSession>();

  get(uri: string): DocumentSession {
    let session = this.sessions.get(uri);
    if (!session) this.sessions.set(uri, (session = new DocumentSession(uri)));
    return session;
  }

  /** The session of an open document, without making one. */
  find(uri: string): DocumentSession | undefined {
    return this.sessions.get(uri);
  }

  close(uri: string): void {
    this.sessions.get(uri)?.close();
    this.sessions.delete(uri);
  }

  forgetSettings(): void {
    for (const session of this.sessions.values()) session.forgetSettings();
  }

  /** A request about the document is one more message in a burst: validation waits for the burst's end. */
  noteRequest(uri: string): void {
    this.sessions.get(uri)?.passes.noteMessage();
  }

  /** What the other open documents found in the file at `path`, for this text of it (older texts are left out). */
  fromIncluders(path: string, text: string): Diagnostic[] {
    return [...this.sessions.values()].flatMap((session) => {
      const found = session.toIncluded.get(path);
      return found?.text === text ? found.diagnostics : [];
    });
  }

  /** The sessions whose kept analysis read `path` as an include. */
  includersOf(path: string): DocumentSession[] {
    return [...this.sessions.values()].filter((session) => session.includes(path));
  }
}
