// Validation of open documents: coalesced per document to the next turn of the event loop (a
// burst of edits costs one pass), offline findings at once, index findings when the data arrives;
// a new version or closing the document aborts the index work of the old one.
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { offlineDiagnostics, onlineDiagnostics } from '../engine/engine';
import type { Logger } from '../log';
import { INDEX_STATUS_NOTIFICATION } from '../protocol';
import type { DocumentSessions } from './documentSessions';
import type { DocumentStates } from './documentStates';
import type { IndexSession } from './indexSession';

export class Validation {
  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly sessions: DocumentSessions,
    private readonly states: DocumentStates,
    private readonly indexes: IndexSession,
    private readonly log: Logger,
  ) {}

  schedule(uri: string): void {
    this.sessions.get(uri).schedule(() => void this.validate(uri));
  }

  scheduleAll(): void {
    for (const document of this.documents.all()) this.schedule(document.uri);
  }

  private async validate(uri: string): Promise<void> {
    const state = await this.states.of(uri);
    if (!state) return;
    const { version, settings, index } = state;
    const offline = offlineDiagnostics(state, settings);
    await this.connection.sendDiagnostics({ uri, version, diagnostics: offline });
    if (!index) return;
    const status = this.indexes.statusOf(uri, index);
    const session = this.sessions.get(uri);
    if (this.log.enabled('debug')) {
      const line = this.indexes.describe(status);
      if (session.loggedIndex !== line) this.log.debug(`${uri}: installs from ${line}`);
      session.loggedIndex = line;
    }
    await this.connection.sendNotification(INDEX_STATUS_NOTIFICATION, status);
    const signal = session.restartIndexWork();
    const started = Date.now();
    const online = await onlineDiagnostics(state, { index, settings, runtime: await this.indexes.runtime(), signal });
    this.log.debug(`${uri} (version ${version}): index data in ${Date.now() - started} ms, ${online.length} index findings${signal.aborted ? ' (superseded)' : ''}`);
    // Dropped when the document changed meanwhile: its next validation is already on its way.
    if (signal.aborted || this.documents.get(uri)?.version !== version || online.length === 0) return;
    await this.connection.sendDiagnostics({ uri, version, diagnostics: [...offline, ...online] });
  }

  /** A closed document loses its session and its diagnostics. */
  close(uri: string): void {
    this.sessions.close(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }
}
