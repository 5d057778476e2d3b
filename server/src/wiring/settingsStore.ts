// Where the server's settings come from: pulled from the client per document and window-wide
// (workspace/configuration), else pushed with didChangeConfiguration, else the initialization
// options, else the defaults.
import type { Connection, InitializeParams } from 'vscode-languageserver';
import type { InitializationOptions } from '../protocol';
import { DEFAULT_SETTINGS, normalizeEditorHttpSettings, normalizeSettings, type EditorHttpSettings, type ReqguardSettings } from '../settings';

const SECTION = 'reqguard';

export class SettingsStore {
  private fallback: ReqguardSettings = DEFAULT_SETTINGS;
  private fallbackHttp: unknown;
  private canPull = false;
  /** VS Code's workspace trust: files' own index options apply only when trusted. */
  workspaceTrusted = true;
  /** Window-wide settings (index layer, log level), pulled once per configuration change. */
  private windowWide: Promise<ReqguardSettings> | undefined;

  constructor(
    private readonly connection: Connection,
    /** Told each time window-wide settings are read, so the log level applies at once. */
    private readonly onWindowSettings: (settings: ReqguardSettings) => void,
  ) {}

  /** Reads what `initialize` says; returns the client's storage folder. */
  initialize(params: InitializeParams): string | undefined {
    this.canPull = Boolean(params.capabilities.workspace?.configuration);
    const init = params.initializationOptions as InitializationOptions | undefined;
    if (init?.settings !== undefined) this.fallback = normalizeSettings(init.settings);
    this.fallbackHttp = init?.httpSettings;
    this.workspaceTrusted = init?.workspaceTrusted !== false;
    this.onWindowSettings(this.fallback);
    return init?.storagePath;
  }

  /** A configuration change: pushed settings replace the fallback, and everything is pulled again. */
  changed(pushed: unknown): void {
    const section = (pushed as Record<string, unknown> | undefined)?.[SECTION];
    if (section !== undefined) this.fallback = normalizeSettings(section);
    this.windowWide = undefined;
  }

  window(): Promise<ReqguardSettings> {
    this.windowWide ??= this.pullWindow(SECTION, this.fallback).then((raw) => {
      const settings = normalizeSettings(raw);
      this.onWindowSettings(settings);
      return settings;
    });
    return this.windowWide;
  }

  /** VS Code's `http` section (proxy, TLS), which reqguard honours. */
  async editorHttp(): Promise<EditorHttpSettings> {
    return normalizeEditorHttpSettings(await this.pullWindow('http', this.fallbackHttp));
  }

  /** The settings that apply to one document (workspace-folder and language overrides included). */
  forDocument(uri: string): Promise<ReqguardSettings> {
    if (!this.canPull) return Promise.resolve(this.fallback);
    return this.connection.workspace
      .getConfiguration({ scopeUri: uri, section: SECTION })
      .then((raw) => (raw === null || raw === undefined ? this.fallback : normalizeSettings(raw)))
      .catch(() => this.fallback);
  }

  private async pullWindow(section: string, fallback: unknown): Promise<unknown> {
    if (!this.canPull) return fallback;
    try {
      return (await this.connection.workspace.getConfiguration({ section })) ?? fallback;
    } catch {
      return fallback;
    }
  }
}
