// "reqguard: Check all dependency files": finds every requirements file, library manifest
// (setup.py, setup.cfg, pyproject.toml) and pylock.toml of the workspace (the manifest's own
// patterns, plus reqguard.files.requirementsPatterns) and has the
// server check them in batches, with a cancellable progress notification, so the Problems view
// lists them all. At most MAX_CHECKED_FILES files, and says so when there are more.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CHECK_FILES_REQUEST, dependencyFileGlobs, MAX_CHECKED_FILES, type CheckFilesResult, type ManifestLanguage } from '../../server/src/protocol';

/** Folders that hold other people's files (installed packages, tool caches), never the project's own. */
const EXCLUDED = '**/{node_modules,.git,.hg,.venv,venv,.tox,.nox,site-packages,__pycache__}/**';
/** Files per request: small enough that progress moves and cancelling is quick. */
const BATCH = 8;

/** The dependency files of the workspace (or of `folder`), sorted, at most `limit` + 1 (so "more than the limit" can be told). */
async function findDependencyFiles(languages: readonly ManifestLanguage[], extraPatterns: readonly string[], folder: vscode.Uri | undefined, limit: number, token: vscode.CancellationToken): Promise<vscode.Uri[]> {
  const found = new Map<string, vscode.Uri>();
  for (const glob of dependencyFileGlobs(languages, extraPatterns)) {
    if (token.isCancellationRequested || found.size > limit) break;
    const pattern = folder ? new vscode.RelativePattern(folder, glob) : glob;
    for (const uri of await vscode.workspace.findFiles(pattern, EXCLUDED, limit + 1, token)) if (uri.scheme === 'file') found.set(uri.toString(), uri);
  }
  return [...found.values()].sort((a, b) => a.fsPath.localeCompare(b.fsPath)).slice(0, limit + 1);
}

export interface CheckAllSummary extends CheckFilesResult {
  /** Files found beyond MAX_CHECKED_FILES, not checked. */
  readonly leftOut: boolean;
  readonly cancelled: boolean;
}

/** `folder`: only the files under it (the Explorer's context menu on a folder passes it). */
export async function checkAllDependencyFiles(client: LanguageClient, languages: readonly ManifestLanguage[], extraPatterns: readonly string[], folder?: vscode.Uri): Promise<CheckAllSummary> {
  const summary = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'reqguard: checking dependency files', cancellable: true },
    async (progress, token): Promise<CheckAllSummary> => {
      progress.report({ message: 'finding files…' });
      const found = await findDependencyFiles(languages, extraPatterns, folder, MAX_CHECKED_FILES, token);
      const files = found.slice(0, MAX_CHECKED_FILES);
      const total = { checked: 0, errors: 0, warnings: 0 };
      for (let start = 0; start < files.length && !token.isCancellationRequested; start += BATCH) {
        const batch = files.slice(start, start + BATCH);
        progress.report({ message: `${start} of ${files.length} files`, increment: 0 });
        const result = await client.sendRequest(CHECK_FILES_REQUEST, { uris: batch.map((uri) => uri.toString()) }, token).catch(() => undefined);
        if (!result) break;
        total.checked += result.checked;
        total.errors += result.errors;
        total.warnings += result.warnings;
        progress.report({ increment: (100 * batch.length) / files.length });
      }
      return { ...total, leftOut: found.length > files.length, cancelled: token.isCancellationRequested };
    },
  );
  const more = summary.leftOut ? ` (the first ${MAX_CHECKED_FILES.toLocaleString('en-US')}; there are more)` : '';
  const counts = `${summary.errors} ${summary.errors === 1 ? 'error' : 'errors'}, ${summary.warnings} ${summary.warnings === 1 ? 'warning' : 'warnings'}`;
  const text = summary.cancelled
    ? `reqguard: cancelled after ${summary.checked} files (${counts}).`
    : `reqguard checked ${summary.checked} dependency ${summary.checked === 1 ? 'file' : 'files'}${more}: ${counts}.`;
  void vscode.window.showInformationMessage(text, 'Show Problems').then((choice) => choice && vscode.commands.executeCommand('workbench.actions.view.problems'));
  return summary;
}
