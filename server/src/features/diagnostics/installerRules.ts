// Findings whose verdict depends on the installer (pip/installer.ts): what the parser reports as
// the latest pip sees it (a non-bare #egg= name, a removed option, a weak hash algorithm), judged
// for the chosen installer; options an older pip does not know; sdist formats uv refuses. Each
// message says which installer it is for.
import { lastIndexAtOrBefore } from '../../parser/arrays';
import { STRONG_HASH_ALGORITHMS } from '../../parser/pipOptions';
import type { Entry, RequirementEntry, RequirementsDocument } from '../../parser/requirementsFile';
import type { Problem } from '../../parser/types';
import { follows, installerName, knowsOption, refusedArchive, verdictFor, type InstallerProfile } from '../../pip/installer';
import { isDiagnosticCode } from '../../settings';
import type { Finding } from './requirements';

type InstallerRuleProblem = NonNullable<Problem['installerRule']>;

/** A parser problem that depends on the installer, as a finding for `installer`. */
export function installerProblem(problem: Problem, { rule, subject }: InstallerRuleProblem, installer: InstallerProfile, document: RequirementsDocument): Finding {
  const who = installerName(installer);
  const forWhom = verdictFor(installer);
  const { span } = problem;
  const asParsed: Finding = { code: isDiagnosticCode(problem.code) ? problem.code : 'syntax', message: problem.message, span };
  const pip = installer.kind === 'pip';
  switch (rule) {
    case 'egg-fragment-name':
      if (!pip) return asParsed;
      return follows(installer, 'eggFragmentMustBeName')
        ? { code: 'syntax', message: `${who} rejects the #egg=${subject} fragment: it must be a bare project name (pip's invalid-egg-fragment error, since pip 26.0). Write 'name[extras] @ URL' and drop the egg fragment. ${forWhom}`, span }
        : { code: 'deprecated', message: `The #egg=${subject} fragment is not a bare project name: ${who} installs it with a deprecation warning, and pip 26.0 rejects it. Write 'name @ URL' and drop the egg fragment. ${forWhom}`, span };
    case 'removed-option':
      if (!pip) return asParsed;
      return follows(installer, 'buildOptionsRemoved')
        ? { ...asParsed, message: `${problem.message} ${forWhom}` }
        : { code: 'deprecated', message: `${subject} is deprecated: ${who} still passes it to setup.py, and pip 25.3 removed it (the line then fails). Pass build settings with --config-settings (-C KEY=VALUE) instead. ${forWhom}`, span };
    case 'weak-hash-algorithm':
      return !pip && subject.toLowerCase() === 'md5' && follows(installer, 'md5OnlyRefused') ? md5ForUv(entryAt(document, span.start), asParsed, who, forWhom) : asParsed;
  }
}

/** uv takes an MD5 hash beside a stronger one, and refuses an entry whose only hashes are MD5. */
function md5ForUv(entry: Entry | undefined, asParsed: Finding, who: string, forWhom: string): Finding {
  // The line is rejected for pip, so its hashes are read from its options.
  const strong = entry?.options.some((option) => option.spec.dest === 'hashes' && (STRONG_HASH_ALGORITHMS as readonly string[]).includes((option.value ?? '').split(':')[0]));
  return strong
    ? { ...asParsed, severity: 'warning', message: `MD5 cannot tell a tampered file from the real one: ${who} checks this entry's stronger hashes too, but pip rejects the line. Drop the MD5 hash. ${forWhom}` }
    : { ...asParsed, message: `${who} refuses this entry: its only hashes are MD5, which cannot tell a tampered file from the real one. Replace them with sha256 hashes of the same files. ${forWhom}` };
}

/** The entry whose text holds `offset` (entries are in document order). */
function entryAt(document: RequirementsDocument, offset: number): Entry | undefined {
  const { entries } = document;
  if (entries.length === 0) return undefined;
  const entry = entries[lastIndexAtOrBefore(entries.length, (i) => entries[i].span.start, offset)];
  return entry.span.start <= offset && offset <= entry.span.end ? entry : undefined;
}

/** Options an older pip does not know: it stops at the line ("no such option"), wherever the option stands. */
export function checkOptionsKnown(entry: Entry, installer: InstallerProfile, findings: Finding[]): void {
  for (const option of entry.options) {
    if (knowsOption(installer, option.spec.addedIn)) continue;
    findings.push({
      code: 'syntax',
      message: `${installerName(installer)} rejects this line: no such option: ${option.name} (pip ${option.spec.addedIn} added it). Upgrade pip, or drop the option. ${verdictFor(installer)}`,
      span: option.nameSpan,
    });
  }
}

/** A direct reference to a source distribution the installer refuses (uv 0.12: .tar.bz2, .tar.xz). */
export function checkSdistFormat(entry: RequirementEntry, installer: InstallerProfile, findings: Finding[]): void {
  const file = entry.link?.filename ?? entry.localPath?.path;
  const refused = file && refusedArchive(installer, file);
  if (!refused) return;
  findings.push({
    code: 'syntax',
    message: `${installerName(installer)} refuses this source distribution: uv 0.12 accepts only .tar.gz (and legacy .zip) sdists, not ${refused}. Point to a wheel or a .tar.gz of the same release. ${verdictFor(installer)}`,
    span: entry.url?.span ?? entry.localPath?.span ?? entry.requirementSpan,
  });
}
