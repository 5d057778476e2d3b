// The editor's "Create requirements.txt from environment": engine/freeze.ts on the interpreter the
// client names (the Python extension's), answered as a WorkspaceEdit that creates the output or
// changes only its lines that differ (wiring/lockRequest.ts's outputEdit). Progress goes to the
// client's own notification (the request's workDoneToken), which cancels the request. The index is the one the settings choose for the output.
import { basename } from 'node:path';
import type { WorkDoneProgressReporter } from 'vscode-languageserver';
import { settingsIndex } from '../engine/documentIndex';
import { hashTargetsOf } from '../engine/engine';
import { freezeEnvironment, leftOutComment, readEnvironment } from '../engine/freeze';
import { installerFor } from '../engine/installer';
import { reqguardCommand } from '../engine/lock';
import type { PythonEnvironments } from '../engine/targets';
import type { IndexRuntime } from '../index/runtime';
import type { TextReader } from '../pip/includes';
import type { EnvironmentReader } from '../pip/installed';
import type { FreezeAnswer, FreezeParams } from '../protocol';
import type { ReqguardSettings } from '../settings';
import { outputEdit } from './lockRequest';
import type { OpenDocuments } from './requests';

export interface FreezeDeps {
  readonly open: OpenDocuments;
  /** Reads the output when it is not open. */
  readonly files: TextReader;
  readonly python?: PythonEnvironments;
  readonly environment?: EnvironmentReader;
  readonly runtime: () => Promise<IndexRuntime | undefined>;
  readonly settings: (uri: string) => Promise<ReqguardSettings>;
  /** Running a workspace's interpreter runs the workspace's code: only in a trusted workspace. */
  readonly trusted: () => boolean;
  /** Reports to the client's progress (its withProgress notification, through the request's workDoneToken). */
  readonly progress: (params: FreezeParams) => WorkDoneProgressReporter;
}

export async function freezeRequest(params: FreezeParams, signal: AbortSignal, deps: FreezeDeps): Promise<FreezeAnswer> {
  const answer = (outcome: FreezeAnswer['outcome'], message: string, leftOut: readonly string[] = [], edit: FreezeAnswer['edit'] = null): FreezeAnswer => ({ outcome, message, leftOut, edit });
  const outputPath = deps.open.uriToPath(params.outputUri);
  if (outputPath === undefined) return answer('invalid', 'the requirements file must be a file on disk');
  if (!deps.python || !deps.environment) return answer('invalid', 'this reqguard cannot run Python interpreters');
  if (!deps.trusted()) return answer('invalid', "reading an environment runs its interpreter: trust the workspace first");
  const runtime = await deps.runtime();
  const settings = await deps.settings(params.outputUri);
  if (!runtime) return answer('invalid', 'freezing needs the package index, and index access is off');
  const buffer = deps.open.documents.get(params.outputUri);
  const onDisk = buffer ? undefined : deps.files.read(outputPath);
  if (!buffer && onDisk !== undefined && typeof onDisk !== 'string') return answer('invalid', `${basename(outputPath)} ${onDisk.reason}`);
  const existing = buffer ? buffer.getText() : (onDisk as string | undefined);

  const progress = deps.progress(params);
  progress.begin('reqguard: Create requirements.txt from environment', undefined, 'Reading the environment', true);
  try {
    const read = await readEnvironment(deps.python, deps.environment, params.interpreter);
    if ('error' in read) return answer('invalid', read.error);
    const command = reqguardCommand(['freeze', ...(params.interpreter ? ['--python', params.interpreter] : []), ...(params.all ? ['--all'] : []), '-o', basename(outputPath)]);
    const result = await freezeEnvironment(
      { distributions: read.scan.distributions, target: read.target, all: params.all === true, command, eol: existing?.includes('\r\n') ? '\r\n' : '\n' },
      { index: settingsIndex(runtime, settings.index), hashTargets: hashTargetsOf({ settings, installer: installerFor(settings.installer, 'reqguard.installer', [read.target]).profile }), signal, onProgress: (message) => progress.report(message) },
    );
    if (signal.aborted) return answer('cancelled', 'cancelled');
    if (result.kind !== 'frozen') return answer('incomplete', result.message);
    const leftOut = result.leftOut.map((item) => leftOutComment(item).slice(2));
    const summary = `${result.packages} packages pinned and hashed${leftOut.length ? `, ${leftOut.length} left out (listed at the end of the file)` : ''}`;
    if (result.text === existing) return answer('unchanged', `${basename(outputPath)} is up to date: ${summary}`, leftOut);
    return answer('frozen', `${basename(outputPath)}: ${summary}`, leftOut, outputEdit(params.outputUri, existing, result.text, buffer?.version ?? null));
  } finally {
    progress.done();
  }
}
