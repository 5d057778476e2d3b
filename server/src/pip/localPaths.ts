// Local path requirements mean what the file system says: pip installs `./pkg` when it is a
// project directory and rejects the line otherwise. The parser marks such entries; this module
// decides, through an injected probe, so the parser stays pure and tests can fake the disk.
import type { RequirementEntry } from '../parser/requirementsFile';
import type { Problem } from '../parser/types';

export type PathKind = 'file' | 'directory' | 'missing';

export interface PathProbe {
  /** What is at `path` (as written in the file; the probe decides what it is relative to). */
  kind(path: string): PathKind;
  /** Whether a directory holds a setup.py or pyproject.toml. */
  isInstallableDirectory(path: string): boolean;
}

/** The problem pip would have with a local path requirement, or undefined when pip accepts it. */
export function localPathProblem(entry: RequirementEntry, probe: PathProbe): Problem | undefined {
  const check = entry.localPath;
  if (!check) return undefined;
  const kind = probe.kind(check.path);
  if (check.expect === 'archive') {
    if (kind === 'file') return undefined;
    return { code: 'missing-path', message: `'${check.path}' looks like a file name, but the file does not exist here.`, span: check.span };
  }
  if (kind !== 'directory') return { code: 'syntax', message: check.missingMessage, span: check.span };
  if (entry.editable || probe.isInstallableDirectory(check.path)) return undefined;
  return {
    code: 'syntax',
    message: `Directory '${check.path}' is not installable: it has neither a setup.py nor a pyproject.toml.`,
    span: check.span,
  };
}
