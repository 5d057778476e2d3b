// pip's rules for what "pinned" and "hashable" mean in hash-checking mode
// (InstallRequirement.is_pinned, and the unhashable cases in operations/prepare.py).
import type { RequirementEntry } from '../parser/requirementsFile';

/** The clauses as pip's SpecifierSet holds them: a set, so `==1.0,==1.0` is one clause. */
function distinctClauses(entry: Pick<RequirementEntry, 'specifiers'>): readonly RequirementEntry['specifiers'][number][] {
  // Most entries have one clause: no set to build (this runs for every entry on every keystroke).
  if (entry.specifiers.length < 2) return entry.specifiers;
  const seen = new Map<string, RequirementEntry['specifiers'][number]>();
  for (const clause of entry.specifiers) if (!seen.has(clause.text)) seen.set(clause.text, clause);
  return [...seen.values()];
}

/** Exactly one `==` clause without a wildcard, or one `===` clause: pip's `is_pinned`. */
export function isPinned(entry: Pick<RequirementEntry, 'specifiers'>): boolean {
  const clauses = distinctClauses(entry);
  if (clauses.length !== 1) return false;
  const [clause] = clauses;
  return clause.operator === '===' || (clause.operator === '==' && !clause.version.endsWith('.*'));
}

/**
 * pip's `is_pinned` as pip itself computes it: one `==` or `===` clause, a wildcard included
 * (`==1.*` passes). Only hash mode's verdict uses it; reqguard's own rule is `isPinned`.
 */
export function isPinnedForPip(entry: RequirementEntry): boolean {
  const clauses = distinctClauses(entry);
  return clauses.length === 1 && (clauses[0].operator === '==' || clauses[0].operator === '===');
}

/** A requirement that names a file to download directly (a URL or local archive), not a version. */
export function isDirectReference(entry: RequirementEntry): boolean {
  return entry.url !== undefined;
}

/** Why pip cannot hash-check this requirement at all, or undefined when it can. */
export function unhashableReason(entry: RequirementEntry): string | undefined {
  if (entry.editable) return 'an editable requirement has no single file to hash';
  if (entry.link?.isVcs) return 'a VCS checkout has no single file to hash';
  if (entry.localPath?.expect === 'directory') return 'a local directory has no single file to hash';
  if (entry.link?.isFile && !entry.link.isArchive) return 'a file: URL to a directory has no single file to hash';
  return undefined;
}

/** Whether pip has a hash to check this requirement against (a --hash, or a #sha256= on its direct URL). */
export function hasHash(entry: RequirementEntry): boolean {
  if (entry.hashes.length > 0) return true;
  return isDirectReference(entry) && entry.link?.hash !== undefined;
}

export { DIGEST_LENGTHS } from '../parser/pipOptions';
