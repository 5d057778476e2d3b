// The status bar item: which index the active requirements file installs from, whether that data
// is live, cached because the index fails, or offline, and the target environments it is checked for.
import * as vscode from 'vscode';
import { describeIndexSource, type IndexStatus } from '../../server/src/protocol';

/** The Workspace Trust editor, where one click trusts the folder. */
const TRUST_COMMAND = 'workbench.trust.manage';
const TRUST_TITLE = "Trust to use this file's index";

function hostOf(url: string | undefined): string {
  if (!url) return 'no index';
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/** " · CPython 3.11" for one target, " · 3 targets" for several, nothing for none. */
function targetsText(status: IndexStatus): string {
  const { targets } = status;
  if (targets.length === 0) return '';
  return ` · ${targets.length === 1 ? targets[0].name.replace(/ on .*/, '') : `${targets.length} targets`}`;
}

/** The targets, in the tooltip: labels are text (paths), never markdown. */
function appendTargets(tooltip: vscode.MarkdownString, status: IndexStatus): void {
  if (status.targets.length === 0) {
    tooltip.appendMarkdown('**Target:** none known (no Python found): Requires-Python and wheel tags are not checked. Choose an interpreter in the Python extension, or set `reqguard.targets`.\n\n');
    return;
  }
  tooltip.appendMarkdown(status.targets.length === 1 ? '**Target:** ' : '**Targets:**\n\n');
  for (const target of status.targets) {
    if (status.targets.length > 1) tooltip.appendMarkdown('- ');
    tooltip.appendText(`${target.label}${target.origin ? ` (${target.origin})` : ''}`);
    tooltip.appendMarkdown('\n\n');
  }
}

export class IndexStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('reqguard.index', vscode.StatusBarAlignment.Right, 100);
  private readonly statuses = new Map<string, IndexStatus>();
  private readonly subscription = vscode.window.onDidChangeActiveTextEditor(() => this.render());

  constructor() {
    this.item.name = 'reqguard index';
    this.item.command = 'reqguard.showOutput';
  }

  update(status: IndexStatus): void {
    this.statuses.set(status.uri, status);
    this.render();
  }

  private render(): void {
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    const status = uri ? this.statuses.get(uri) : undefined;
    if (!status) {
      this.item.hide();
      return;
    }
    const host = hostOf(status.primary);
    const restricted = status.ignoredFileOptions !== undefined;
    const icon = restricted ? '$(shield)' : status.offline ? '$(cloud-offline)' : status.stale ? '$(warning)' : '$(package)';
    const state = restricted ? ' (Restricted Mode)' : status.offline ? ' (offline)' : status.stale ? ' (cached)' : '';
    this.item.text = `${icon} ${host}${state}${targetsText(status)}`;
    // One click to the Workspace Trust editor: trusting the folder lets this file choose its index.
    this.item.command = restricted ? { command: TRUST_COMMAND, title: TRUST_TITLE } : 'reqguard.showOutput';
    this.item.backgroundColor = status.stale ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    // The one command link of the tooltip ("Trust to use this file's index") may run; nothing else.
    const tooltip = new vscode.MarkdownString();
    tooltip.isTrusted = { enabledCommands: [TRUST_COMMAND] };
    tooltip.appendMarkdown(`**Index:** \`${status.primary ?? '--no-index'}\` (${describeIndexSource(status.source, status.sourceDetail)})\n\n`);
    if (status.extra.length) tooltip.appendMarkdown(`**Extra indexes:** ${status.extra.map((u) => `\`${u}\``).join(', ')}\n\n`);
    if (status.findLinks.length) tooltip.appendMarkdown(`**Find links:** ${status.findLinks.map((u) => `\`${u}\``).join(', ')}\n\n`);
    if (status.ignoredFileOptions) {
      tooltip.appendMarkdown(`**Restricted Mode:** this file's ${status.ignoredFileOptions.map((o) => `\`${o}\``).join(', ')} ${status.ignoredFileOptions.length === 1 ? 'is' : 'are'} not followed until you trust the workspace, so an untrusted repository never chooses which hosts reqguard contacts. [${TRUST_TITLE}](command:${TRUST_COMMAND})\n\n`);
    }
    appendTargets(tooltip, status);
    if (status.offline) tooltip.appendMarkdown('Offline: cached data only (`reqguard.index.offline`).\n\n');
    if (status.stale) tooltip.appendText(`${status.stale.message}. Showing data cached ${new Date(status.stale.cachedAt).toLocaleString()}.`);
    this.item.tooltip = tooltip;
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
