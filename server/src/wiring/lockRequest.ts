// The editor's "Lock" (command and CodeLens): engine/lock.ts on an open requirements.in or manifest
// (pyproject.toml, setup.cfg, setup.py: with the extras and groups the user picked), answered
// as a WorkspaceEdit that creates the requirements.txt next to it or changes only the lines of it
// that differ (so undo and the diff view stay small), with progress and cancel through
// window/workDoneProgress.
import { basename, dirname, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { WorkDoneProgressServerReporter, WorkspaceEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { hashTargetsOf } from '../engine/engine';
import { lineReplacements } from '../engine/lineDiff';
import { lockCommand, lockRequirements } from '../engine/lock';
import { rangeOf } from '../features/diagnostics';
import { compiledOutputPath } from '../pip/compiledLayout';
import type { TextReader } from '../pip/includes';
import { REQUIREMENTS_LANGUAGE_ID, type LockAnswer, type LockParams } from '../protocol';
import type { DocumentState } from './documentStates';
import type { OpenDocuments } from './requests';

export interface LockDeps {
  readonly open: OpenDocuments;
  /** Reads the output when it is not open. */
  readonly files: TextReader;
  /** The environments to lock for; absent: none known. */
  readonly progress: () => Promise<WorkDoneProgressServerReporter>;
}

/** The answer when the input is not a document the server knows. */
export function lockUnknownDocument(params: LockParams): LockAnswer {
  return { outcome: 'invalid', outputUri: '', message: `reqguard does not know ${params.uri}: open it first`, edit: null };
}

export async function lockDocument(state: DocumentState, params: LockParams, signal: AbortSignal, deps: LockDeps): Promise<LockAnswer> {
  const inputPath = deps.open.uriToPath(params.uri);
  const outputPath = inputPath === undefined ? undefined : compiledOutputPath(inputPath);
  if (inputPath === undefined || outputPath === undefined) return { outcome: 'invalid', outputUri: '', message: 'Lock works on a pip-compile input saved as a file whose name ends in .in, or on a saved pyproject.toml, setup.cfg or setup.py', edit: null };
  const outputUri = pathToFileURL(outputPath).href;
  const answer = (outcome: LockAnswer['outcome'], message: string, edit: WorkspaceEdit | null = null): LockAnswer => ({ outcome, outputUri, message, edit });
  if (!state.index) return answer('invalid', 'Lock needs the package index, and index access is off (reqguard.index.offline or no index layer)');
  const buffer = deps.open.documents.all().find((document) => deps.open.uriToPath(document.uri) === outputPath);
  const onDisk = buffer ? undefined : deps.files.read(outputPath);
  const existing = buffer ? buffer.getText() : typeof onDisk === 'string' ? onDisk : undefined;
  if (!buffer && onDisk !== undefined && typeof onDisk !== 'string') return answer('invalid', `${basename(outputPath)} ${onDisk.reason}`);

  const progress = await deps.progress();
  progress.begin('reqguard: Lock', undefined, `${basename(inputPath)} → ${basename(outputPath)}`, true);
  const controller = new AbortController();
  const stop = () => controller.abort();
  signal.addEventListener('abort', stop, { once: true });
  const cancelled = progress.token.onCancellationRequested(stop);
  try {
    const targets = await state.targets();
    if (targets.length === 0) return answer('invalid', 'no target environment to lock for: choose a Python interpreter, put python3 on PATH, or set reqguard.targets');
    const folder = dirname(outputPath);
    const result = await lockRequirements(
      {
        file: state,
        label: (path) => relative(folder, path).split(sep).join('/') || basename(path),
        existingOutput: existing,
        selection: { extras: params.extras ?? [], groups: params.groups ?? [] },
        command: lockCommand([relative(folder, inputPath).split(sep).join('/'), '-o', basename(outputPath), ...(params.extras ?? []).flatMap((extra) => ['--extra', extra]), ...(params.groups ?? []).flatMap((group) => ['--group', group])]),
        targets,
        upgrade: params.upgrade,
      },
      // The files the chosen installer refuses are not hashed, as `reqguard lock --installer` does.
      { index: state.index, hashTargets: hashTargetsOf({ settings: state.settings, installer: (await state.installer()).profile }), signal: controller.signal, onProgress: (message) => progress.report(message) },
    );
    if (controller.signal.aborted) return answer('cancelled', 'Lock cancelled');
    if (result.kind !== 'locked') return answer(result.kind === 'incomplete' && result.reason === 'cancelled' ? 'cancelled' : result.kind, result.message);
    if (deps.open.documents.get(params.uri)?.version !== state.version) return answer('cancelled', `${basename(inputPath)} changed while it was being locked: run Lock again`);
    if (result.text === existing) return answer('unchanged', `${basename(outputPath)} is up to date (${result.packages} packages)`);
    return answer('locked', `Locked ${result.packages} packages into ${basename(outputPath)}`, outputEdit(outputUri, existing, result.text, buffer?.version ?? null));
  } finally {
    cancelled.dispose();
    signal.removeEventListener('abort', stop);
    progress.done();
  }
}

/** Creates the output with the text, or changes the lines of the existing one that differ. */
export function outputEdit(uri: string, existing: string | undefined, text: string, version: number | null): WorkspaceEdit {
  if (existing === undefined) {
    return { documentChanges: [{ kind: 'create', uri, options: { overwrite: false, ignoreIfExists: false } }, { textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: text }] }] };
  }
  const document = TextDocument.create(uri, REQUIREMENTS_LANGUAGE_ID, 0, existing);
  const edits = lineReplacements(existing, text).map(({ span, newText }) => ({ range: rangeOf(document, span), newText }));
  return { documentChanges: [{ textDocument: { uri, version }, edits }] };
}

