// `--installer` of check, fix and lock: the installer the verdicts and hashes are for (pip, a pip
// version, uv), checked before any work so a typo is a usage error (exit 2). Without it: the pip
// of the interpreter asked for the targets, else the latest rules (engine/installer.ts).
import { installerFor } from '../engine/installer';
import type { TargetEnvironment } from '../pip/environment';
import { parseInstallerSpec, type InstallerProfile } from '../pip/installer';
import { UsageError, valued, type OptionSpecs, type ParsedArgs } from './args';

export const INSTALLER_OPTIONS: OptionSpecs = { '--installer': valued };

/** The --installer value, checked; undefined when not given. */
export function readInstallerOption(args: ParsedArgs): string | undefined {
  const text = args.last('--installer');
  if (text === undefined) return undefined;
  const parsed = parseInstallerSpec(text);
  if (!parsed.ok) throw new UsageError(`--installer: ${parsed.error}`);
  return text;
}

/** The profile for the flag's value and the targets chosen. */
export function cliInstaller(text: string | undefined, targets: readonly TargetEnvironment[]): InstallerProfile {
  return installerFor(text, '--installer', targets).profile;
}
