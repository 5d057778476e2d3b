// Validation of open documents, coalesced per document (see PassScheduler): a burst of
// edits costs one pass over the newest version. Offline findings first; index findings once the
// typing pauses, dropped when a newer version or closing the document aborts them. A document in
// hash-checking mode also finds what pip refuses in the files it includes: an open one shows it
// (validated again whenever that changes), beside its own findings.
import { performance } from 'node:perf_hooks';
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { includedDiagnostics, offlineDiagnostics, onlineDiagnostics } from '../engine/engine';
import { withIncludersDiagnostics, type IncludedFileDiagnostics } from '../features/diagnostics';
import type { Logger } from '../log';
import { INDEX_STATUS_NOTIFICATION } from '../protocol';
import type { DocumentSession, DocumentSessions } from './documentSessions';
import type { DocumentStates } from './documentStates';
import type { IndexSession } from './indexSession';
import { targetStatuses } from './targetSession';

/** Index work waits for this long without an edit: a keystroke would abort it anyway. */
const INDEX_AFTER_PAUSE_MS = 250;

export class Validation {
  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly sessions: DocumentSessions,
    private readonly states: DocumentStates,
    private readonly indexes: IndexSession,
    private readonly log: Logger,
    private readonly uriToPath: (uri: string) => string | undefined,
  ) {}

  schedule(uri: string): void {
    const document = this.documents.get(uri);
    if (document) this.sessions.get(uri).schedule(document.version, () => void this.validate(uri));
  }

  scheduleAll(): void {
    for (const document of this.documents.all()) this.schedule(document.uri);
  }

  /**
   * A document was opened, edited or closed: it is validated again (unless closed), and so are the
   * documents that include it, whose analyses read its old text (or the disk instead of the buffer).
   */
  changed(uri: string): void {
    this.schedule(uri);
    const path = this.uriToPath(uri);
    if (path === undefined) return;
    for (const includer of this.sessions.includersOf(path)) {
      if (includer.uri === uri) continue;
      includer.includeChanged();
      this.schedule(includer.uri);
    }
  }

  private async validate(uri: string): Promise<void> {
    const state = await this.states.of(uri);
    const session = this.sessions.find(uri);
    // Gone, or changed meanwhile: the newer version's pass is already scheduled.
    if (!state || !session || this.documents.get(uri)?.version !== state.version) return;
    const { version, settings, index } = state;
    const installer = await state.installer();
    if (this.documents.get(uri)?.version !== version) return;
    this.noteOnce(installer.note);
    const started = performance.now();
    // Only open files show them: an included file opened later validates this one again (changed()).
    const openPaths = this.openPaths();
    this.keepIncludedFindings(uri, session, includedDiagnostics(state, settings, (path) => openPaths.has(path), installer.profile));
    const offline = withIncludersDiagnostics(offlineDiagnostics(state, settings, installer.profile), this.sessions.fromIncluders(state.path, state.document.getText()));
    session.passes.passed(session.lastAnalysisMs + performance.now() - started);
    await this.connection.sendDiagnostics({ uri, version, diagnostics: offline });
    if (!index) return;
    const targets = await state.targets();
    if (this.documents.get(uri)?.version !== version) return;
    const status = { ...this.indexes.statusOf(uri, index), targets: targetStatuses(targets) };
    if (this.log.enabled('debug')) {
      const line = this.indexes.describe(status);
      if (session.loggedIndex !== line) this.log.debug(`${uri}: installs from ${line}`);
      session.loggedIndex = line;
    }
    await this.connection.sendNotification(INDEX_STATUS_NOTIFICATION, status);
    if (this.documents.get(uri)?.version !== version) return;
    const signal = session.restartIndexWork();
    await session.passes.idle(INDEX_AFTER_PAUSE_MS, signal);
    if (signal.aborted) return;
    const indexStarted = Date.now();
    const online = await onlineDiagnostics(state, { index, settings, targets, runtime: await this.indexes.runtime(), signal });
    this.log.debug(`${uri} (version ${version}): index data in ${Date.now() - indexStarted} ms, ${online.length} index findings${signal.aborted ? ' (superseded)' : ''}`);
    // Dropped when the document changed meanwhile: its next validation is already on its way.
    if (signal.aborted || this.documents.get(uri)?.version !== version || online.length === 0) return;
    await this.connection.sendDiagnostics({ uri, version, diagnostics: [...offline, ...online] });
  }

  /** A bad reqguard.installer is said once in the log, not on every pass. */
  private readonly notes = new Set<string>();

  private noteOnce(note: string | undefined): void {
    if (!note || this.notes.has(note)) return;
    this.notes.add(note);
    this.log.warn(note);
  }

  /**
   * Keeps what a document found in the files it includes (hash mode), and validates again each open
   * one whose findings from it appeared, changed or went away.
   */
  private keepIncludedFindings(uri: string, session: DocumentSession, found: readonly IncludedFileDiagnostics[]): void {
    const previous = session.toIncluded;
    const next = new Map(found.map((item) => [item.path, item]));
    session.toIncluded = next;
    const same = (a: IncludedFileDiagnostics | undefined, b: IncludedFileDiagnostics | undefined) => a?.text === b?.text && JSON.stringify(a?.diagnostics) === JSON.stringify(b?.diagnostics);
    this.scheduleOpen(uri, [...new Set([...previous.keys(), ...next.keys()])].filter((path) => !same(previous.get(path), next.get(path))));
  }

  /** The open documents' URIs, by path. */
  private openPaths(): Map<string | undefined, string> {
    return new Map(this.documents.all().map((document) => [this.uriToPath(document.uri), document.uri]));
  }

  /** Validates the open documents at `paths` (but `except`). */
  private scheduleOpen(except: string, paths: readonly string[]): void {
    if (paths.length === 0) return;
    const open = this.openPaths();
    for (const path of paths) {
      const target = open.get(path);
      if (target && target !== except) this.schedule(target);
    }
  }

  /**
   * A closed document loses its session and its diagnostics; documents that include it read the
   * disk again, and those it included lose what it found in them.
   */
  close(uri: string): void {
    const foundIn = [...(this.sessions.find(uri)?.toIncluded.keys() ?? [])];
    this.sessions.close(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    this.changed(uri);
    this.scheduleOpen(uri, foundIn);
  }
}
