// Dependency confusion, measured rather than guessed: every project that exists on more than one
// of the indexes a file installs from (pip takes the highest version from any of them), and the
// extra indexes that come from outside the file (the settings or command line, pip.conf,
// PIP_EXTRA_INDEX_URL), which the offline check of the file's own lines cannot see. Only the
// indexes the file already uses are asked: no project name goes anywhere else to find out.
import type { EffectiveIndex, ProjectData } from '../../index/packageIndex';
import type { RequirementEntry } from '../../parser/requirementsFile';
import type { Span } from '../../parser/types';
import { hashedFromOneIndex } from '../../pip/dependencyConfusion';
import type { Finding } from '../diagnostics';

/** One warning per extra index the file does not add itself, on the file's first line. */
export function configuredExtraIndexes(effective: EffectiveIndex, firstLine: Span): Finding[] {
  return effective.extra.flatMap((url, i): Finding[] => {
    const { source, detail } = effective.extraOrigins[i] ?? { source: 'settings' };
    if (source === 'file') return [];
    const who = source === 'pip' ? `pip's configuration${detail ? ` (${detail})` : ''}` : detail ?? 'the settings';
    return [{
      code: 'extra-index-url',
      message:
        `${who} adds the extra index ${url} to this file's install: dependency confusion, as with --extra-index-url in the file. ` +
        `pip searches every index with no priority, so anyone who publishes one of these projects under the same name with a higher version on any of them wins. ` +
        `Use one index (a mirror that serves your private and public packages), or an --index-url line in this file, which replaces the configured list.`,
      span: firstLine,
    }];
  });
}

/** The warning for a project on two or more indexes, unless its pin and hashes already admit one index's files only. */
export function confusionFinding(entry: RequirementEntry, data: ProjectData): Finding | undefined {
  if (data.indexes.length < 2 || hashedFromOneIndex(entry, data)) return undefined;
  const name = entry.name!;
  const where = data.indexes.map((index) => `${index.source} (${index.newest ? `newest ${index.newest}` : 'only yanked files'})`).join(', ');
  return {
    code: 'dependency-confusion',
    message:
      `'${name}' exists on ${data.indexes.length} of the indexes this file installs from: ${where}. ` +
      `pip installs the highest version from any of them, so whoever controls the name on one index decides what is installed. ` +
      `Install from one --index-url (a mirror serving every project you need), or pin ${name} and hash only the files of the index it should come from.`,
    span: entry.nameSpan!,
  };
}
