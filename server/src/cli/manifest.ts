// What the command reads from its own package.json at run time: its version, where to learn more
// about it, and a one-line description of each diagnostic code. The descriptions are those of
// the `reqguard.severity` settings, which the editor shows: one text serves both.
import { packageManifest } from '../nodeIo';
import { DIAGNOSTIC_CODES, isRecord, type DiagnosticCode } from '../settings';

export interface ToolInfo {
  readonly version: string;
  /** The manifest's homepage or repository, when it names one. */
  readonly informationUri?: string;
  /** Markdown, as in the settings UI; codes the manifest does not describe are absent. */
  readonly codeDescriptions: Readonly<Partial<Record<DiagnosticCode, string>>>;
}

function httpUrl(value: unknown): string | undefined {
  const written = isRecord(value) ? value.url : value;
  // npm's repository form `git+https://host/x.git` names the same page as `https://host/x`.
  const url = typeof written === 'string' ? written.replace(/^git\+/, '').replace(/\.git$/, '') : undefined;
  return url !== undefined && /^https?:\/\//.test(url) ? url : undefined;
}

/** Reads the tool's facts out of a parsed package.json; anything missing or malformed is left out. */
export function toolInfoOf(manifest: unknown): ToolInfo {
  const root = isRecord(manifest) ? manifest : {};
  const contributes = isRecord(root.contributes) ? root.contributes : {};
  const configuration = isRecord(contributes.configuration) ? contributes.configuration : {};
  const properties = isRecord(configuration.properties) ? configuration.properties : {};
  const severity = isRecord(properties['reqguard.severity']) ? properties['reqguard.severity'] : {};
  const perCode = isRecord(severity.properties) ? severity.properties : {};
  const codeDescriptions: Partial<Record<DiagnosticCode, string>> = {};
  for (const code of Object.keys(DIAGNOSTIC_CODES) as DiagnosticCode[]) {
    const setting = perCode[code];
    const text = isRecord(setting) ? setting.markdownDescription : undefined;
    // "`unpinned`: A requirement that …": the code itself is said elsewhere in every use.
    if (typeof text === 'string') codeDescriptions[code] = text.replace(/^`[^`]+`:\s*/, '');
  }
  const informationUri = httpUrl(root.homepage) ?? httpUrl(root.repository);
  return {
    version: typeof root.version === 'string' ? root.version : 'unknown',
    ...(informationUri ? { informationUri } : {}),
    codeDescriptions,
  };
}

/** From the package.json the bundle ships with. */
export function readToolInfo(): ToolInfo {
  return toolInfoOf(packageManifest());
}
