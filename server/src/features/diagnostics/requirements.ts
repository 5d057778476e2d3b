// Offline findings for a requirements file: what pip rejects, what is not pinned or hashed (with
// pip's hash-checking verdicts), and index settings that make installs unsafe.
import type { DiagnosticCode, Severity } from '../../settings';
import { dirname, relative } from 'node:path';
import type { Entry, IncludeEntry, OptionNode, RequirementEntry, RequirementsDocument } from '../../parser/requirementsFile';
import type { Span } from '../../parser/types';
import { follows, installerName, LATEST_PIP, verdictFor, type InstallerProfile } from '../../pip/installer';
import { checkOptionsKnown, checkSdistFormat, installerProblem } from './installerRules';
import { constraintHashesOf, hashModeOf, hashModeVerdict, honoursNoRequireHashes, includedRequirementFiles, type ConstraintHashes, type HashMode } from '../../pip/hashMode';
import { pathBelow, type IncludedFile } from '../../pip/includes';
import { localPathProblem, type PathProbe } from '../../pip/localPaths';
import { hasHash, isDirectReference, isPinned, unhashableReason } from '../../pip/pinning';
import { isDiagnosticCode } from '../../settings';
import { satisfies } from '../../pip/versions';

export interface Finding {
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly span: Span;
  /** Overrides the code's default severity (hash mode makes warnings errors). */
  readonly severity?: Severity;
  /** Another place that explains this one (the line that turned hash mode on, the first duplicate). */
  readonly related?: { readonly span: Span; readonly message: string };
  /** Carried to the diagnostic for code actions (e.g. the fixed versions of a vulnerability). */
  readonly data?: unknown;
}

export interface RequirementsCheckDeps {
  /** Looks at the disk for local path requirements; without it they are not judged. */
  readonly paths?: PathProbe;
  /** Files reached through -r/-c, resolved by the caller. */
  readonly includes?: readonly IncludedFile[];
  /** A pip-compile input (`*.in`): ranges are intended there, so pins and hashes are not asked for. */
  readonly abstract?: boolean;
  /** The file's path: other files are named relative to its folder. */
  readonly filePath?: string;
  /** The installer the verdicts are for (pip/installer.ts); default: the latest pip's rules. */
  readonly installer?: InstallerProfile;
}

export function checkRequirements(document: RequirementsDocument, deps: RequirementsCheckDeps = {}): Finding[] {
  const findings: Finding[] = [];
  const installer = deps.installer ?? LATEST_PIP;
  for (const problem of document.problems) {
    const finding = problem.installerRule ? installerProblem(problem, problem.installerRule, installer, document) : { code: isDiagnosticCode(problem.code) ? problem.code : 'syntax', message: problem.message, span: problem.span };
    findings.push(finding);
  }
  const context = hashContext(document, deps);
  const byLine = deps.includes && includesByLine(deps.includes);
  for (const entry of document.entries) {
    checkOptionsKnown(entry, installer, findings);
    checkOptions(entry, findings);
    if (entry.kind === 'include' && byLine) {
      const reached = byLine.get(entry.targetSpan.start) ?? [];
      checkInclude(entry, reached, findings);
      if (!deps.abstract) checkIncludedHashMode(entry, reached, context, findings);
    }
    if (entry.kind !== 'requirement' || entry.rejected) continue;
    if (deps.paths) {
      const problem = localPathProblem(entry, deps.paths);
      if (problem) findings.push({ code: problem.code as DiagnosticCode, message: problem.message, span: problem.span });
    }
    if (!deps.abstract) checkPinAndHash(entry, context, findings);
    checkSdistFormat(entry, installer, findings);
  }
  checkDuplicates(document, findings);
  return findings;
}

/** What requirements are judged against: the installer's hash mode for the whole install, and the hashes -c files lend (pip 26.1+). */
interface HashContext {
  readonly installer: InstallerProfile;
  readonly mode: HashMode;
  readonly constraints: ConstraintHashes;
  /** The line that switched hash mode on, in the file being checked. */
  readonly related?: { readonly span: Span; readonly message: string };
  /** Names other files relative to the folder of the file being checked. */
  readonly label: (path: string) => string;
  /** For the entries of an included file: the sentence that names the file being checked, which includes it. */
  readonly includedBy?: string;
}

function hashContext(document: RequirementsDocument, deps: Pick<RequirementsCheckDeps, 'includes' | 'filePath' | 'installer'>): HashContext {
  const installer = deps.installer ?? LATEST_PIP;
  const mode = hashModeOf(document, deps.includes, installer);
  const label = (path: string) => labelFrom(deps.filePath, path);
  return { installer, mode, constraints: constraintHashesOf(deps.includes), related: hashModeNote(mode, label), label };
}

/** `path` relative to the folder of the file `from` when it lies below it; else as it is. */
function labelFrom(from: string | undefined, path: string): string {
  return from ? pathBelow(dirname(from), path) : path;
}

function hashModeNote(mode: HashMode, label: (path: string) => string): { span: Span; message: string } | undefined {
  if (!mode.trigger) return undefined;
  const where = mode.trigger.inFile ? ` in ${label(mode.trigger.inFile)}` : '';
  const message = mode.trigger.kind === 'require-hashes'
    ? `--require-hashes${where} turns on hash-checking mode`
    : `this --hash${where} turns on hash-checking mode for every requirement`;
  return { span: mode.trigger.span, message };
}

/** One requirement the installer refuses in hash-checking mode: the finding, and a short line for the -r line that includes it. */
interface Refused {
  readonly finding: Finding;
  readonly summary: string;
}

/** How an unpinned requirement reads: "has no version", "allows more than one version (>=2)". */
function unpinnedHow(entry: RequirementEntry): string {
  return entry.specifiers.length === 0 ? 'has no version' : `allows more than one version (${entry.specifiers.map((s) => s.text).join(',')})`;
}

function pinLabel(entry: RequirementEntry): string {
  return entry.name ? `${entry.name}${entry.specifiers.map((s) => s.text).join(',')}` : entry.requirementText;
}

/** The finding for a requirement the installer refuses in hash-checking mode, or undefined when it installs it. */
function hashModeRefusal(entry: RequirementEntry, context: HashContext): Refused | undefined {
  const { installer } = context;
  const note = context.includedBy ? ` ${context.includedBy}` : '';
  const related = context.includedBy ? undefined : context.related;
  const span = refusedSpan(entry);
  const who = installerName(installer);
  const forWhom = ` ${verdictFor(installer)}`;
  const unhashable = unhashableReason(entry);
  if (unhashable) {
    const partial = honoursNoRequireHashes(installer) ? ', or add --no-require-hashes if only some entries are hashed' : '';
    return {
      finding: {
        code: 'hash-mode-unhashable',
        message: `${who} refuses this requirement in hash-checking mode: ${unhashable}. Install it separately, or replace it with a pinned, hashed release${partial}.${note}${forWhom}`,
        span: entry.requirementSpan,
        related,
      },
      summary: `'${entry.editable ? '-e ' : ''}${entry.requirementText}' cannot be hash-checked`,
    };
  }
  const { refusal } = hashModeVerdict(entry, context.constraints, installer);
  if (!refusal) return undefined;
  if (refusal === 'unpinned') {
    const message = `${who} refuses '${entry.name ?? entry.requirementText}' in hash-checking mode: it ${unpinnedHow(entry)}; every requirement must be pinned with ==. Pin it to one version and hash it.${note}${forWhom}`;
    return { finding: { code: 'unpinned', message, span, severity: 'error', related }, summary: `${pinLabel(entry)} is not pinned with ==` };
  }
  const label = pinLabel(entry);
  const message = `${who} refuses '${label}' in hash-checking mode: it has no --hash. Add a --hash=sha256:… for each file of this release.${note}${forWhom}`;
  return { finding: { code: 'unhashed', message, span, severity: 'error', related }, summary: `${label} has no --hash` };
}

/**
 * What pip refuses (hash mode) and what reqguard asks for on top: a pin (==, no wildcard) and a
 * hash for every requirement, as warnings while hash mode is off.
 */
function checkPinAndHash(entry: RequirementEntry, context: HashContext, findings: Finding[]): void {
  const { mode } = context;
  const refused = mode.on ? hashModeRefusal(entry, context) : undefined;
  if (refused) findings.push(refused.finding);
  if (unhashableReason(entry)) return;
  if (!isDirectReference(entry) && !isPinned(entry)) {
    // pip's own is_pinned takes any single == clause, wildcards included: in hash mode it accepts
    // a hashed `pkg==1.*`, so that is only reqguard's warning, and a missing hash is reported by pip's verdict.
    if (refused?.finding.code !== 'unpinned') {
      findings.push({
        code: 'unpinned',
        message: `'${entry.name ?? entry.requirementText}' ${unpinnedHow(entry)}: a new release can change what gets deployed. Pin it to one version with == (and add --hash for each of its files).`,
        span: refusedSpan(entry),
      });
    }
    if (!mode.on) return;
  }
  if (!mode.on && !hasHash(entry)) findings.push(unhashedOutsideHashMode(entry, context));
}

/** reqguard's own warning for an entry without a hash outside hash mode; with uv beside hashed entries, that uv installs it unverified. */
function unhashedOutsideHashMode(entry: RequirementEntry, context: HashContext): Finding {
  const { installer, mode } = context;
  const label = pinLabel(entry);
  if (mode.verifiesOnly) {
    return {
      code: 'unhashed',
      message: `${installerName(installer)} installs '${label}' unverified: it checks the hashes this install gives, but without --require-hashes it installs entries that have none. Add --hash=sha256:… for each file of this release (and --require-hashes, so that every entry needs one). ${verdictFor(installer)}`,
      span: refusedSpan(entry),
      related: { span: mode.verifiesOnly.span, message: `this --hash${mode.verifiesOnly.inFile ? ` in ${context.label(mode.verifiesOnly.inFile)}` : ''} is checked, but does not turn on hash-checking mode for ${installer.kind}` },
    };
  }
  const why = follows(installer, 'automaticHashMode') ? "one hash turns on pip's hash-checking mode for the whole file" : `${installer.kind} checks the hashes given; --require-hashes makes every entry need one`;
  return {
    code: 'unhashed',
    message: `'${label}' has no --hash: ${installer.kind} cannot tell a tampered file from the real one. Add --hash=sha256:… for each file of this release (${why}).`,
    span: refusedSpan(entry),
  };
}

/** The name and specifier of an entry, where pins and hashes are reported. */
function refusedSpan(entry: RequirementEntry): Span {
  const target = entry.nameSpan ?? entry.requirementSpan;
  return entry.specifierSpan ? { start: target.start, end: entry.specifierSpan.end } : target;
}

/** At most this many refused entries are named on an include line; the rest are counted. */
const LISTED_REFUSALS = 3;

/**
 * In hash mode, the requirements of the files an include line reaches (the file it names and the
 * files that one includes, -r at any depth) must be pinned and hashed too: the include line says
 * how many pip refuses, and names the first few.
 */
function checkIncludedHashMode(entry: IncludeEntry, throughLine: readonly IncludedFile[], context: HashContext, findings: Finding[]): void {
  if (!context.mode.on) return;
  const reached = includedRequirementFiles(throughLine);
  const refused: { include: IncludedFile; entry: RequirementEntry; refused: Refused }[] = [];
  for (const include of reached) {
    for (const included of include.document!.entries) {
      if (included.kind !== 'requirement' || included.rejected) continue;
      const verdict = hashModeRefusal(included, context);
      if (verdict) refused.push({ include, entry: included, refused: verdict });
    }
  }
  if (refused.length === 0) return;
  // The file the line names is the first one reached through it.
  const named = throughLine[0]?.path;
  const listed = refused.slice(0, LISTED_REFUSALS).map((item) => {
    const where = `${item.include.path === named ? '' : `${context.label(item.include.path)}, `}line ${item.entry.line}`;
    return `${item.refused.summary} (${where})`;
  });
  const more = refused.length > LISTED_REFUSALS ? `, and ${refused.length - LISTED_REFUSALS} more` : '';
  const count = `${refused.length} ${refused.length === 1 ? 'entry' : 'entries'}`;
  const holder = reached.some((include) => include.path !== named) ? `'${entry.target}' and the files it includes hold` : `'${entry.target}' holds`;
  findings.push({
    code: 'hash-mode-include',
    message: `${holder} ${count} ${installerName(context.installer)} refuses in hash-checking mode: ${listed.join(', ')}${more}. Hash mode covers every file ${context.installer.kind} reads: pin and hash ${refused.length === 1 ? 'it' : 'them'} there (reqguard fix does it for included files too). ${verdictFor(context.installer)}`,
    span: entry.targetSpan,
    related: context.related,
  });
}

/** The findings of one included file that the file being checked puts in hash-checking mode. */
export interface IncludedFileFindings {
  readonly include: IncludedFile;
  /** Spans in `include.document`. */
  readonly findings: readonly Finding[];
}

/**
 * What pip refuses in the files `document` includes with -r (at any depth), when the whole
 * install is in hash-checking mode: each finding in its own file, its message naming the file
 * being checked. Files with nothing refused, and those `wanted` turns down, are left out.
 */
export function includedFileFindings(document: RequirementsDocument, deps: Pick<RequirementsCheckDeps, 'includes' | 'filePath' | 'installer'>, wanted: (path: string) => boolean = () => true): IncludedFileFindings[] {
  const context = hashContext(document, deps);
  if (!context.mode.on || !deps.includes) return [];
  const byLine = includesByLine(deps.includes);
  const lines = new Map(document.entries.filter((entry): entry is IncludeEntry => entry.kind === 'include').map((entry) => [entry.targetSpan.start, entry]));
  const trigger = context.mode.trigger!;
  const triggerLine = trigger.inFile ? 0 : lineOf(document.text, trigger.span.start);
  const result: IncludedFileFindings[] = [];
  for (const include of includedRequirementFiles(deps.includes)) {
    if (!wanted(include.path)) continue;
    const line = lines.get(include.includeSpan.start);
    const through = line && byLine.get(line.targetSpan.start)?.[0]?.path !== include.path ? line.target : undefined;
    const includedBy = `(${includerSentence(include, through, trigger, triggerLine, deps.filePath)})`;
    const findings: Finding[] = [];
    for (const entry of include.document!.entries) {
      if (entry.kind !== 'requirement' || entry.rejected) continue;
      const refused = hashModeRefusal(entry, { ...context, label: (path) => labelFrom(include.path, path), includedBy });
      if (refused) findings.push(refused.finding);
    }
    if (findings.length > 0) result.push({ include, findings });
  }
  return result;
}

/**
 * "requirements.txt includes this file (through 'base.txt'), and its --hash on line 4 turns on
 * hash-checking mode for everything it installs". `through`: the target of the include line that
 * leads to a file it does not name; `triggerLine`: the line of a trigger in the file being checked.
 */
function includerSentence(include: IncludedFile, through: string | undefined, trigger: NonNullable<HashMode['trigger']>, triggerLine: number, filePath: string | undefined): string {
  // Named from the included file's folder, as its own -r lines would name it.
  const includer = filePath ? relative(dirname(include.path), filePath) : 'the file that includes it';
  const option = trigger.kind === 'require-hashes' ? '--require-hashes' : 'the --hash';
  const where = trigger.inFile
    ? trigger.inFile === include.path ? `${option} in this file` : `${option} in ${labelFrom(include.path, trigger.inFile)}`
    : `${trigger.kind === 'require-hashes' ? 'its --require-hashes' : 'its --hash'} on line ${triggerLine}`;
  return `${includer} includes this file${through === undefined ? '' : ` (through '${through}')`}, and ${where} turns on hash-checking mode for everything it installs`;
}

/** 1-based line of an offset. */
function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) line++;
  return line;
}


const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/i;

/** Host of a URL or `host[:port]`, lower-cased, without credentials. */
function hostOf(value: string): string | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(value);
  const authority = match ? match[1] : value;
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  const bracketed = /^\[[^\]]*\]/.exec(host);
  if (bracketed) return bracketed[0].toLowerCase();
  return host.replace(/:\d*$/, '').toLowerCase() || undefined;
}

function isLoopback(value: string): boolean {
  const host = hostOf(value);
  return host !== undefined && LOOPBACK_HOST.test(host);
}

function checkOptions(entry: Entry, findings: Finding[]): void {
  // pip applies index options only from a line of options alone; on a requirement, -e or -r/-c
  // line it drops them (req_file.handle_line, _parse_and_recurse), so they change nothing there.
  if (entry.kind !== 'options') return;
  for (const option of entry.options) {
    switch (option.spec.dest) {
      case 'extra_index_urls':
        findings.push({
          code: 'extra-index-url',
          message: '--extra-index-url invites dependency confusion: pip searches every index with no priority, so anyone who publishes the same name with a higher version elsewhere wins. Use one --index-url pointing at a mirror that serves both your private and public packages.',
          span: option.span,
        });
        checkInsecureUrl(option, findings);
        break;
      case 'index_url':
      case 'find_links':
        checkInsecureUrl(option, findings);
        break;
      case 'trusted_hosts':
        if (!isLoopback(option.value ?? '')) {
          findings.push({
            code: 'insecure-index',
            message: `--trusted-host ${option.value ?? ''} lets pip accept plain HTTP and invalid certificates from this host, so anyone on the network path can swap packages. Serve the index over HTTPS with a valid certificate and drop this option.`,
            span: option.span,
          });
        }
        break;
      default:
        break;
    }
  }
}

function checkInsecureUrl(option: OptionNode, findings: Finding[]): void {
  const value = option.value ?? '';
  if (!/^http:\/\//i.test(value) || isLoopback(value)) return;
  findings.push({
    code: 'insecure-index',
    message: `${option.name} uses plain HTTP: packages and hashes can be altered in transit. Use https://.`,
    span: option.valueSpan ?? option.span,
  });
}

/**
 * The files reached through each include line of the file being checked, by where the line's
 * target starts, the file it names first: grouped once, so a file of many include lines costs no
 * more than it holds.
 */
function includesByLine(includes: readonly IncludedFile[]): Map<number, IncludedFile[]> {
  const byLine = new Map<number, IncludedFile[]>();
  for (const include of includes) {
    const reached = byLine.get(include.includeSpan.start);
    if (reached) reached.push(include);
    else byLine.set(include.includeSpan.start, [include]);
  }
  return byLine;
}

function checkInclude(entry: IncludeEntry, reached: readonly IncludedFile[], findings: Finding[]): void {
  // Files reached through this line, the file it names first: a nested include that is missing
  // or loops back stops pip as surely as this one, and is only visible here, on the top line.
  const direct = reached[0];
  const resolved = direct?.status === 'found' ? reached.find((include) => include.status === 'missing' || include.status === 'cycle' || include.status === 'unread') : direct;
  const via = resolved === direct ? '' : ` (included through '${entry.target}')`;
  if (resolved?.status === 'missing') {
    findings.push({
      code: 'include-not-found',
      message: resolved === direct
        ? `pip cannot open '${entry.target}' (looked for ${resolved.path}): the install stops here.`
        : `pip cannot open ${resolved.path}${via}: the install stops here.`,
      span: entry.targetSpan,
    });
  } else if (resolved?.status === 'cycle') {
    findings.push({
      code: 'include-not-found',
      message: resolved === direct
        ? `'${entry.target}' includes this file again: pip would recurse without end.`
        : `${resolved.path} is included again from inside itself${via}: pip would recurse without end.`,
      span: entry.targetSpan,
    });
  } else if (resolved?.status === 'unread' && resolved.unread) {
    // A file reqguard will not read (a directory, a device, too large, past a bound): an error only where pip fails too.
    findings.push({
      code: 'include-not-found',
      message: `${resolved === direct ? `'${entry.target}'` : `${resolved.path}${via}`} ${resolved.unread.reason}.`,
      span: entry.targetSpan,
      ...(resolved.unread.pipFails ? {} : { severity: 'warning' as const }),
    });
  }
}

function checkDuplicates(document: RequirementsDocument, findings: Finding[]): void {
  const seen = new Map<string, RequirementEntry[]>();
  for (const entry of document.entries) {
    if (entry.kind !== 'requirement' || entry.rejected || !entry.normalizedName) continue;
    const list = seen.get(entry.normalizedName) ?? [];
    list.push(entry);
    seen.set(entry.normalizedName, list);
  }
  for (const [name, list] of seen) {
    if (list.length < 2) continue;
    // The first earlier entry whose markers may overlap, found by index rather than by scanning
    // every earlier entry (which made thousands of repeats of a name quadratic).
    let firstUnmarked: RequirementEntry | undefined;
    const firstByMarker = new Map<string, RequirementEntry>();
    for (let i = 0; i < list.length; i++) {
      const entry = list[i];
      const earlier = i === 0 ? undefined : firstOverlapping(list[0], firstUnmarked, firstByMarker, entry);
      if (!entry.marker) firstUnmarked ??= entry;
      else if (!firstByMarker.has(entry.marker.normalized)) firstByMarker.set(entry.marker.normalized, entry);
      if (!earlier) continue;
      const pinA = pinnedVersion(earlier);
      const pinB = pinnedVersion(entry);
      const conflict = pinA !== undefined && pinB !== undefined && !pinsAgree(earlier, entry);
      findings.push({
        code: 'duplicate',
        message: conflict
          ? `'${name}' is pinned twice to different versions (${pinA} on line ${earlier.line}, ${pinB} here): pip cannot satisfy both and the install fails.`
          : `'${name}' is listed again (first on line ${earlier.line}); keep one entry so its pin and hashes live in one place.`,
        span: entry.nameSpan ?? entry.requirementSpan,
        severity: conflict ? 'error' : undefined,
        related: { span: earlier.nameSpan ?? earlier.requirementSpan, message: `first '${name}' entry` },
      });
    }
  }
}

/**
 * The first earlier entry `entry` may overlap with. Two entries for one project are alternatives
 * only when both have markers and they differ; an entry without a marker overlaps everything.
 */
function firstOverlapping(
  first: RequirementEntry,
  firstUnmarked: RequirementEntry | undefined,
  firstByMarker: ReadonlyMap<string, RequirementEntry>,
  entry: RequirementEntry,
): RequirementEntry | undefined {
  if (!entry.marker) return first;
  const sameMarker = firstByMarker.get(entry.marker.normalized);
  if (!firstUnmarked || !sameMarker) return firstUnmarked ?? sameMarker;
  return firstUnmarked.line <= sameMarker.line ? firstUnmarked : sameMarker;
}

function pinnedVersion(entry: RequirementEntry): string | undefined {
  return isPinned(entry) ? entry.specifiers[0].version : undefined;
}

/**
 * Whether one version satisfies both pins. Texts can differ and still agree: `==1` and `==1.0`
 * are one PEP 440 version, and `==1.0` accepts `1.0+cpu`. Both entries must be pinned.
 */
function pinsAgree(a: RequirementEntry, b: RequirementEntry): boolean {
  const [clauseA] = a.specifiers;
  const [clauseB] = b.specifiers;
  if (clauseA.version === clauseB.version) return true;
  const fits = (version: string) => {
    try {
      return satisfies(version, clauseA.text) && satisfies(version, clauseB.text);
    } catch {
      return false; // not a PEP 440 version: only the same text matches
    }
  };
  return fits(clauseA.version) || fits(clauseB.version);
}
