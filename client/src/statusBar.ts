// The status bar item: which index the active requirements file installs from, and whether that
// data is live, cached because the index fails, or offline.
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
    this.item.text = `${icon} ${host}${state}`;
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
