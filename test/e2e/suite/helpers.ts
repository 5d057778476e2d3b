// Helpers for the end-to-end suite: the workspace the launcher prepared, waiting on editor events
// (with a deadline, never a fixed sleep), reqguard's diagnostics and the test index's own data.
import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';

export const EXTENSION_ID = 'reqguard.reqguard';

/** Diagnostic codes that come from the index (absent when the index cannot be asked). */
export const INDEX_CODES = ['unknown-project', 'unknown-version', 'no-matching-version', 'yanked', 'hash-mismatch', 'vulnerable', 'requires-python', 'no-compatible-file', 'outdated'];

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the e2e suite needs the prepared workspace folder open');
  return folder.uri;
}

export const uriOf = (relative: string): vscode.Uri => vscode.Uri.joinPath(workspaceRoot(), ...relative.split('/'));
export const readOnDisk = (relative: string): string => readFileSync(uriOf(relative).fsPath, 'utf8');

/** The index URL the launcher wrote into the workspace settings. */
export function indexUrl(): string {
  const url = vscode.workspace.getConfiguration('reqguard').get<string>('index.url');
  if (!url) throw new Error('reqguard.index.url is not set in the workspace settings');
  return url;
}

/**
 * Resolves with the first truthy value of `probe`, evaluated now, on every event of `events` and
 * at least every `pollMs` (a probe may depend on things without an event); rejects at the deadline
 * with `what` and the last state `describe` gives.
 */
export async function until<T>(
  what: string,
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options: { timeoutMs?: number; events?: vscode.Event<unknown>[]; pollMs?: number; describe?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let wake: () => void = () => undefined;
  const subscriptions = (options.events ?? []).map((event) => event(() => wake()));
  try {
    for (;;) {
      const value = await probe();
      if (value) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}${options.describe ? `; last state: ${options.describe()}` : ''}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(options.pollMs ?? 250, left));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    for (const subscription of subscriptions) subscription.dispose();
  }
}

export const codeOf = (diagnostic: vscode.Diagnostic): string =>
  typeof diagnostic.code === 'object' && diagnostic.code !== null ? String(diagnostic.code.value) : String(diagnostic.code);

export const reqguardDiagnostics = (uri: vscode.Uri): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'reqguard');

export function describeDiagnostics(uri: vscode.Uri): string {
  const list = reqguardDiagnostics(uri).map((d) => `${d.range.start.line}:${d.range.start.character} ${vscode.DiagnosticSeverity[d.severity]} ${codeOf(d)}`);
  return `[${list.join(', ')}]`;
}

/** Waits until the document's reqguard diagnostics satisfy `accept` (on diagnostics-changed events). */
export function diagnosticsWhere(uri: vscode.Uri, what: string, accept: (diagnostics: vscode.Diagnostic[]) => boolean, timeoutMs = 30_000): Promise<vscode.Diagnostic[]> {
  return until(
    what,
    () => {
      const diagnostics = reqguardDiagnostics(uri);
      return accept(diagnostics) ? diagnostics : undefined;
    },
    { timeoutMs, events: [vscode.languages.onDidChangeDiagnostics as vscode.Event<unknown>], describe: () => describeDiagnostics(uri) },
  );
}

export const hasCode = (diagnostics: vscode.Diagnostic[], code: string, line?: number): vscode.Diagnostic | undefined =>
  diagnostics.find((d) => codeOf(d) === code && (line === undefined || d.range.start.line === line));

/** Opens a workspace file in an editor (the active one). */
export async function openEditor(relative: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(uriOf(relative));
  return vscode.window.showTextDocument(document, { preview: false });
}

/** Saves and resolves once onDidSaveTextDocument has fired for it (save participants run before). */
export async function saveAndWait(document: vscode.TextDocument, save: () => Thenable<unknown> = () => document.save()): Promise<void> {
  let seen = false;
  const subscription = vscode.workspace.onDidSaveTextDocument((saved) => {
    if (saved.uri.toString() === document.uri.toString()) seen = true;
  });
  try {
    await save();
    await until(`${document.uri.path} saved`, () => seen && !document.isDirty, { events: [vscode.workspace.onDidSaveTextDocument as vscode.Event<unknown>] });
  } finally {
    subscription.dispose();
  }
}

/** Sets a workspace setting (.vscode/settings.json); undefined removes it. */
export async function setWorkspaceSetting(section: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration().update(section, value, vscode.ConfigurationTarget.Workspace);
}

/** The sha256 of every file of one release, sorted, from the index's own PEP 691 page. */
export async function releaseDigests(project: string, version: string): Promise<string[]> {
  const response = await fetch(new URL(`${project}/`, indexUrl()), { headers: { accept: 'application/vnd.pypi.simple.v1+json' } });
  if (!response.ok) throw new Error(`${response.url} answered ${response.status}`);
  const page = (await response.json()) as { files: { filename: string; hashes: { sha256: string } }[] };
  const marker = `-${version}`;
  const digests = page.files
    .filter((f) => f.filename.startsWith(`${project.replace(/-/g, '_')}${marker}-`) || f.filename === `${project.replace(/-/g, '_')}${marker}.tar.gz`)
    .map((f) => f.hashes.sha256)
    .sort();
  if (digests.length === 0) throw new Error(`no files of ${project} ${version} on the index`);
  return digests;
}

/** The pip-compile layout reqguard writes for one pinned, hashed entry (LF line endings). */
export function pinnedEntry(requirement: string, digests: readonly string[], trailing = ''): string {
  return [`${requirement} \\`, ...digests.map((d, i) => `    --hash=sha256:${d}${i < digests.length - 1 ? ' \\' : trailing}`)].join('\n');
}

/** The text of hover results, markdown joined. */
export function hoverText(hovers: readonly vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
}
