// "Check all dependency files": every requirements file, library manifest and pylock.toml of the
// workspace checked as if it were open (offline and index diagnostics, through the engine), so the
// Problems view lists them all. The client finds the files and sends them in small batches, for progress and
// cancellation; files that are open keep the diagnostics their validation publishes.
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { offlineDiagnostics, onlineDiagnostics } from '../engine/engine';
import type { IndexSession } from './indexSession';
import { MAX_CHECKED_FILES, type CheckFilesParams, type CheckFilesResult } from '../protocol';
import type { DocumentStates } from './documentStates';

export interface CheckFilesDeps {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  readonly states: DocumentStates;
  readonly indexes: IndexSession;
}

export async function checkFiles(params: CheckFilesParams, signal: AbortSignal, deps: CheckFilesDeps): Promise<CheckFilesResult> {
  const uris = [...new Set(params.uris)].slice(0, MAX_CHECKED_FILES);
  const results = await Promise.all(uris.map((uri) => checkOne(uri, signal, deps)));
  const found = results.filter((diagnostics): diagnostics is Diagnostic[] => diagnostics !== undefined);
  const count = (severity: DiagnosticSeverity) => found.reduce((sum, diagnostics) => sum + diagnostics.filter((d) => d.severity === severity).length, 0);
  return { checked: found.length, errors: count(DiagnosticSeverity.Error), warnings: count(DiagnosticSeverity.Warning) };
}

/** One file's diagnostics, published when it is not open; undefined when it cannot be read or the request was cancelled. */
async function checkOne(uri: string, signal: AbortSignal, deps: CheckFilesDeps): Promise<Diagnostic[] | undefined> {
  const open = deps.documents.get(uri) !== undefined;
  const state = open ? await deps.states.of(uri) : await deps.states.ofClosedFile(uri);
  if (!state || signal.aborted) return undefined;
  const { index, settings } = state;
  const offline = offlineDiagnostics(state, settings, (await state.installer()).profile);
  const online = index ? await onlineDiagnostics(state, { index, settings, targets: await state.targets(), runtime: await deps.indexes.runtime(), signal }) : [];
  if (signal.aborted) return undefined;
  const diagnostics = [...offline, ...online];
  // An open file's validation owns what is shown for it; a closed one's answer is shown until it is opened.
  if (!open && !deps.documents.get(uri)) await deps.connection.sendDiagnostics({ uri, diagnostics });
  return diagnostics;
}
