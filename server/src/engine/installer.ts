// Which installer a file's verdicts are for, chosen the same way by the server and the CLI: the
// profile asked for (reqguard.installer, --installer); a pip without a version is the pip of the
// first interpreter asked (its target's pipVersion); else the latest rules reqguard knows.
import { chooseInstaller, parseInstallerSpec, type InstallerProfile, type InstallerSpec } from '../pip/installer';
import type { TargetEnvironment } from '../pip/environment';

export interface InstallerChoice {
  readonly profile: InstallerProfile;
  /** A value that is not a profile, said once (the default is used instead). */
  readonly note?: string;
}

/** `text` as written (undefined: unset), `origin` names it in messages ("reqguard.installer", "--installer"). */
export function installerFor(text: string | undefined, origin: string, targets: readonly TargetEnvironment[] = []): InstallerChoice {
  let spec: InstallerSpec | undefined;
  let note: string | undefined;
  if (text !== undefined) {
    const parsed = parseInstallerSpec(text);
    if (parsed.ok) spec = parsed.spec;
    else note = `${origin}: ${parsed.error}; using the default`;
  }
  const asked = targets.find((target) => target.pipVersion !== undefined);
  const interpreterPip = asked?.pipVersion ? { version: asked.pipVersion, origin: asked.origin ?? asked.label } : undefined;
  const profile = chooseInstaller(spec, origin, interpreterPip);
  return note ? { profile, note } : { profile };
}

/** Whether the profile needs the interpreter's answer: unset, or pip without a version (or a bad value, which falls back to that). */
export function installerNeedsInterpreter(text: string | undefined): boolean {
  if (text === undefined) return true;
  const parsed = parseInstallerSpec(text);
  return !parsed.ok || (parsed.spec.kind === 'pip' && parsed.spec.version === undefined);
}
