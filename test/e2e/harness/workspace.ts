// The temporary workspace both launchers open: the fixture files and the workspace settings that
// point reqguard at the loopback test index (isolated from this machine's pip configuration).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { WORKSPACE_FILES } from '../fixture';

export function createWorkspace(folder: string, indexSimpleUrl: string): string {
  for (const [relative, text] of Object.entries(WORKSPACE_FILES)) {
    const path = join(folder, ...relative.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  mkdirSync(join(folder, '.vscode'), { recursive: true });
  writeFileSync(
    join(folder, '.vscode', 'settings.json'),
    JSON.stringify({ 'reqguard.index.url': indexSimpleUrl, 'reqguard.index.isolated': true }, null, 2) + '\n',
  );
  return folder;
}

/**
 * User settings for a quiet, deterministic window: no startup editor, tips, AI panels or update
 * checks, no auto-save (the suite saves explicitly), and short hover delays for the UI checks.
 */
export const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'files.autoSave': 'off',
  'editor.minimap.enabled': false,
  'editor.hover.delay': 200,
  'editor.fontSize': 14,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
};

export function writeUserSettings(userDataDir: string, extra: Record<string, unknown> = {}): void {
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...extra }, null, 2) + '\n');
}
