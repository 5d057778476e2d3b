// Offline findings for a requirements file: what pip rejects, what is not pinned or hashed (with
// pip's hash-checking verdicts), and index settings that make installs unsafe.
import type { DiagnosticCode, Severity } from '../../settings';
import type { Entry, OptionNode, RequirementEntry, RequirementsDocument } from '../../parser/requirementsFile';
import type { Span } from '../../parser/types';
import { hashModeOf, type HashMode } from '../../pip/hashMode';
import type { IncludedFile } from '../../pip/includes';
import { localPathProblem, type PathProbe } from '../../pip/localPaths';
import { hasHash, isDirectReference, isPinned, isPinnedForPip, unhashableReason } from '../../pip/pinning';
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
}

export function checkRequirements(document: RequirementsDocument, deps: RequirementsCheckDeps = {}): Finding[] {
  const findings: Finding[] = [];
  for (const problem of document.problems) {
    findings.push({ code: isDiagnosticCode(problem.code) ? problem.code : 'syntax', message: problem.message, span: problem.span });
  }
  const hashMode = hashModeOf(document, deps.includes);
  for (const entry of document.entries) {
    checkOptions(entry, findings);
    if (entry.kind === 'include') checkInclude(entry, deps.includes, findings);
    if (entry.kind !== 'requirement' || entry.rejected) continue;
    if (deps.paths) {
      const problem = localPathProblem(entry, deps.paths);
      if (problem) findings.push({ code: problem.code as DiagnosticCode, message: problem.message, span: problem.span });
    }
    if (!deps.abstract) checkPinAndHash(entry, hashMode, findings);
  }
  checkDuplicates(document, findings);
  return findings;
}

function hashModeNote(mode: HashMode): { span: Span; message: string } | undefined {
  if (!mode.trigger) return undefined;
  const where = mode.trigger.inFile ? ` in ${mode.trigger.inFile}` : '';
  const message = mode.trigger.kind === 'require-hashes'
    ? `--require-hashes${where} turns on hash-checking mode`
    : `this --hash${where} turns on hash-checking mode for every requirement`;
  return { span: mode.trigger.span, message };
}

function checkPinAndHash(entry: RequirementEntry, mode: HashMode, findings: Finding[]): void {
  const related = hashModeNote(mode);
  const unhashable = unhashableReason(entry);
  if (unhashable) {
    if (mode.on) {
      findings.push({
        code: 'hash-mode-unhashable',
        message: `pip refuses this requirement in hash-checking mode: ${unhashable}. Install it separately, replace it with a pinned, hashed release, or add --no-require-hashes (pip 26.2+) if only some entries are hashed.`,
        span: entry.requirementSpan,
        related,
      });
    }
    return;
  }
  const target = entry.nameSpan ?? entry.requirementSpan;
  if (!isDirectReference(entry) && !isPinned(entry)) {
    const label = entry.name ?? entry.requirementText;
    const how = entry.specifiers.length === 0 ? 'has no version' : `allows more than one version (${entry.specifiers.map((s) => s.text).join(',')})`;
    // pip's own is_pinned takes any single == clause, wildcards included: in hash mode it accepts
    // a hashed `pkg==1.*`, so that is only reqguard's warning, and a missing hash is reported below.
    const refused = mode.on && !isPinnedForPip(entry);
    findings.push({
      code: 'unpinned',
      message: refused
        ? `pip refuses '${label}' in hash-checking mode: it ${how}; every requirement must be pinned with ==. Pin it to one version and hash it.`
        : `'${label}' ${how}: a new release can change what gets deployed. Pin it to one version with == (and add --hash for each of its files).`,
      span: entry.specifierSpan ? { start: target.start, end: entry.specifierSpan.end } : target,
      severity: refused ? 'error' : undefined,
      related: refused ? related : undefined,
    });
    if (!mode.on || refused) return;
  }
  if (!hasHash(entry)) {
    const label = entry.name ? `${entry.name}${entry.specifiers.map((s) => s.text).join(',')}` : entry.requirementText;
    findings.push({
      code: 'unhashed',
      message: mode.on
        ? `pip refuses '${label}' in hash-checking mode: it has no --hash. Add a --hash=sha256:… for each file of this release.`
        : `'${label}' has no --hash: pip cannot tell a tampered file from the real one. Add --hash=sha256:… for each file of this release (one hash turns on pip's hash-checking mode for the whole file).`,
      span: entry.specifierSpan ? { start: target.start, end: entry.specifierSpan.end } : target,
      severity: mode.on ? 'error' : undefined,
      related: mode.on ? related : undefined,
    });
  }
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

function checkInclude(entry: Entry & { kind: 'include' }, includes: readonly IncludedFile[] | undefined, findings: Finding[]): void {
  if (!includes) return;
  // Files reached through this line, the file it names first: a nested include that is missing
  // or loops back stops pip as surely as this one, and is only visible here, on the top line.
  const reached = includes.filter((include) => include.includeSpan.start === entry.targetSpan.start && include.includeSpan.end === entry.targetSpan.end);
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
