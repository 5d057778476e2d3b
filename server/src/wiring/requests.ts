// Requests that need more than a feature call: code actions (LSP ranges to spans and back) and
// "Pin and hash all" (and "Hash all", "Update all"): the engine's fix plan for the document as one
// versioned WorkspaceEdit, or null when cancelled or when the document changed.
import type { CodeAction, CodeActionParams, TextDocuments, WorkspaceEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { planFileFixes } from '../engine/engine';
import { codeActions } from '../features/codeActions';
import type { Logger } from '../log';
import type { Span } from '../parser/types';
import type { PinAndHashAllParams } from '../protocol';
import type { DocumentState } from './documentStates';

export async function codeActionsAt(state: DocumentState, params: CodeActionParams, signal: AbortSignal): Promise<CodeAction[]> {
  const { document, index, settings } = state;
  if (!index) return [];
  const range: Span = { start: document.offsetAt(params.range.start), end: document.offsetAt(params.range.end) };
  const toRange = (span: Span) => ({ start: document.positionAt(span.start), end: document.positionAt(span.end) });
  return codeActions(state.analysis, range, params.context, { index, targets: await state.targets(), hashTargets: settings.hashes, signal, uri: params.textDocument.uri, toRange });
}

export async function pinAndHashAll(state: DocumentState, params: PinAndHashAllParams, signal: AbortSignal, documents: TextDocuments<TextDocument>, log: Logger): Promise<WorkspaceEdit | null> {
  const { document, index, version } = state;
  if (!index) return null;
  const options = { pin: params.pin ?? true, hash: params.hash ?? true, update: params.update ?? false };
  const started = Date.now();
  const plan = await planFileFixes(state, { index, settings: state.settings, targets: await state.targets(), signal }, options);
  const what = options.update ? 'update all' : options.pin ? 'pin and hash all' : 'hash all';
  log.debug(`${params.uri}: ${what} planned in ${Date.now() - started} ms: ${plan.replacements.length} edits, ${plan.skipped.length} not fixed${plan.cancelled ? ' (cancelled)' : ''}`);
  for (const skipped of plan.skipped) log.info(`${params.uri}:${document.positionAt(skipped.entry.span.start).line + 1}: not fixed: ${skipped.reason}`);
  if (plan.cancelled || documents.get(params.uri)?.version !== version) return null;
  const edits = plan.replacements.map((r) => ({ range: { start: document.positionAt(r.span.start), end: document.positionAt(r.span.end) }, newText: r.newText }));
  return { documentChanges: [{ textDocument: { uri: params.uri, version }, edits }] };
}
