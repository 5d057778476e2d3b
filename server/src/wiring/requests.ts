// Requests that need more than a feature call: code actions (LSP ranges to spans and back) and
// "Pin and hash all" (and "Hash all", "Update all"): the engine's fix plan for the document as one
// versioned WorkspaceEdit, or null when cancelled or when the document changed. In hash-checking
// mode the plan reaches the files the document includes too: the edit then spans several documents.
import { pathToFileURL } from 'node:url';
import type { CodeAction, CodeActionParams, TextDocuments, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { planCompletion } from '../engine/completeFile';
import { hashTargetsOf, planFileFixes, planIncludedFixes, type IncludedFixPlan } from '../engine/engine';
import { resolutionTarget } from '../engine/targets';
import { codeActions } from '../features/codeActions';
import { rangeOf } from '../features/diagnostics';
import type { Logger } from '../log';
import type { FixOptions } from '../pip/fixPlan';
import type { Span } from '../parser/types';
import { REQUIREMENTS_LANGUAGE_ID, type PinAndHashAllParams } from '../protocol';
import { featureContext, type DocumentState } from './documentStates';

/** The editor's open documents, to find an included file's buffer by its path. */
export interface OpenDocuments {
  readonly documents: TextDocuments<TextDocument>;
  readonly uriToPath: (uri: string) => string | undefined;
}

/** Edits of one included file: its URI, and the open buffer's version (null when it is not open). */
interface IncludedEdits {
  readonly uri: string;
  readonly version: number | null;
  readonly edits: TextEdit[];
}

/**
 * The included files' plans as edits, over the text they were planned from: the open buffer (which
 * the analysis read) or the file on disk. Undefined when an open one has changed since.
 */
function includedEdits(plans: readonly IncludedFixPlan[], open: OpenDocuments): IncludedEdits[] | undefined {
  const byPath = new Map(open.documents.all().map((document) => [open.uriToPath(document.uri), document]));
  const result: IncludedEdits[] = [];
  for (const { include, plan } of plans) {
    if (plan.replacements.length === 0) continue;
    const text = include.document!.text;
    const buffer = byPath.get(include.path);
    if (buffer && buffer.getText() !== text) return undefined;
    const document = buffer ?? TextDocument.create(pathToFileURL(include.path).href, REQUIREMENTS_LANGUAGE_ID, 0, text);
    result.push({ uri: document.uri, version: buffer ? buffer.version : null, edits: plan.replacements.map(({ span, newText }) => ({ range: rangeOf(document, span), newText })) });
  }
  return result;
}

export async function codeActionsAt(state: DocumentState, params: CodeActionParams, signal: AbortSignal, open: OpenDocuments): Promise<CodeAction[]> {
  const { document, index, settings } = state;
  if (!index) return [];
  const range: Span = { start: document.offsetAt(params.range.start), end: document.offsetAt(params.range.end) };
  const toRange = (span: Span) => rangeOf(document, span);
  const features = await featureContext(state, signal);
  const context = { index, settings, targets: features.targets, installer: (await state.installer()).profile, signal };
  // The fix-all action reaches the included files as "Pin and hash all" does.
  const includedFixes = async () => includedEdits(await planIncludedFixes(state, context, { pin: true, hash: true }), open) ?? [];
  const planAll = () => planFileFixes(state, context, { pin: true, hash: true });
  const missingDependencies = async () => {
    const completion = await planCompletion(state, index, { targets: settings.hashes, target: resolutionTarget(features.targets, settings), signal });
    return completion.kind === 'complete' ? completion : undefined;
  };
  return codeActions(state.analysis, range, params.context, { ...features, index, hashTargets: hashTargetsOf(context), uri: params.textDocument.uri, toRange, includedFixes, planAll, missingDependencies });
}

export async function pinAndHashAll(state: DocumentState, params: PinAndHashAllParams, signal: AbortSignal, open: OpenDocuments, log: Logger): Promise<WorkspaceEdit | null> {
  const { document, index, version } = state;
  if (!index) return null;
  const options: Omit<FixOptions, 'targets'> = { pin: params.pin ?? true, hash: params.hash ?? true, update: params.update ?? false };
  const started = Date.now();
  const context = { index, settings: state.settings, targets: await state.targets(), installer: (await state.installer()).profile, signal };
  const [plan, included] = await Promise.all([planFileFixes(state, context, options), planIncludedFixes(state, context, options)]);
  const cancelled = plan.cancelled || included.some((item) => item.plan.cancelled);
  const what = options.update ? 'update all' : options.pin ? 'pin and hash all' : 'hash all';
  const edits = plan.replacements.length + included.reduce((sum, item) => sum + item.plan.replacements.length, 0);
  const notFixed = plan.skipped.length + included.reduce((sum, item) => sum + item.plan.skipped.length, 0);
  const files = included.length > 0 ? ` in ${1 + included.length} files` : '';
  log.debug(`${params.uri}: ${what} planned in ${Date.now() - started} ms: ${edits} edits${files}, ${notFixed} not fixed${cancelled ? ' (cancelled)' : ''}`);
  for (const skipped of plan.skipped) log.info(`${params.uri}:${document.positionAt(skipped.entry.span.start).line + 1}: not fixed: ${skipped.reason}`);
  for (const { include, plan: includedPlan } of included) for (const skipped of includedPlan.skipped) log.info(`${include.path}:${skipped.entry.line}: not fixed: ${skipped.reason}`);
  if (cancelled || open.documents.get(params.uri)?.version !== version) return null;
  const others = includedEdits(included, open);
  if (!others) return null;
  const ownEdits = plan.replacements.map((r) => ({ range: rangeOf(document, r.span), newText: r.newText }));
  return {
    documentChanges: [{ textDocument: { uri: params.uri, version }, edits: ownEdits }, ...others.map(({ uri, version: otherVersion, edits: otherEdits }) => ({ textDocument: { uri, version: otherVersion }, edits: otherEdits }))],
  };
}
