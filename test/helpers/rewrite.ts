// Rewrites one requirement of a file the way the quick fixes do (rewriteEntry, then applyReplacements).
import { applyReplacements, rewriteEntry, type EntryChange } from '../../server/src/pip/entryEdit';
import { parseRequirementsFile, type RequirementEntry } from '../../server/src/parser/requirementsFile';

export const A = 'a'.repeat(64);
export const B = 'b'.repeat(64);

/** The file with its `which`-th requirement rewritten by `change` (unchanged when nothing is to do). */
export function rewrite(text: string, change: EntryChange, which = 0): string {
  const entries = parseRequirementsFile(text).entries.filter((e): e is RequirementEntry => e.kind === 'requirement');
  const replacement = rewriteEntry(text, entries[which], change);
  return replacement ? applyReplacements(text, [replacement]) : text;
}
