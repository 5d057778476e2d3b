// Diagnostics that need the package index: projects and versions that do not exist, yanked
// releases, hashes that match no file, known vulnerabilities, requires-python and newer releases.
// Every project is loaded once, all in parallel; an index that fails yields nothing here (the
// outage is reported once, elsewhere), and only a definite "not found" is said to be one.
import { compare, gt, valid, validRange } from '../pip/versions';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { AnalyzedDocument } from './document';
import type { Result } from '../index/errors';
import type { Vulnerability } from '../index/jsonApi';
import { queryOsv, type OsvPost } from '../index/osv';
import type { IndexedFile, PackageIndex, ProjectData } from '../index/packageIndex';
import { canonicalizeName } from '../parser/pep508';
import type { HashNode, RequirementEntry } from '../parser/requirementsFile';
import { declaredSpan, type Declarations } from '../parser/declared';
import type { Span } from '../parser/types';
import type { DiagnosticCode, ReqguardSettings } from '../settings';
import type { VulnerableData } from './codeActions';
import { severityOf, toDiagnostics, type Finding } from './diagnostics';
import { DIGEST_LENGTHS } from '../pip/pinning';
import { indexedEntries, loadProjectInfo, pinnedVersion, specifierText, type ProjectInfo } from '../pip/projectInfo';
import { latestReleases, pickRelease, releaseFor, supportsPython, type Release } from '../pip/releases';

/** The codes only this module reports, in the order findings on one range are listed. */
export const INDEX_DIAGNOSTIC_CODES = [
  'unknown-project',
  'unknown-version',
  'no-matching-version',
  'hash-mismatch',
  'yanked',
  'vulnerable',
  'requires-python',
  'outdated',
] as const satisfies readonly DiagnosticCode[];

export interface IndexDiagnosticsDeps {
  /** The index this document installs from. */
  readonly index: PackageIndex;
  readonly settings: ReqguardSettings;
  readonly signal?: AbortSignal;
  /** How to reach OSV; asked only when `settings.vulnerabilities.osv` is on. */
  readonly osv?: { readonly post: OsvPost };
}

/** Index-backed diagnostics of a document, in document order. Never throws; a cancelled run gives none. */
export async function indexDiagnostics(analysis: AnalyzedDocument, deps: IndexDiagnosticsDeps): Promise<Diagnostic[]> {
  try {
    const findings = analysis.family === 'manifest' ? await manifestFindings(analysis.declarations, deps) : await requirementFindings(indexedEntries(analysis.parsed.entries), deps);
    if (deps.signal?.aborted) return [];
    return toDiagnostics(analysis.document, findings.sort(byPlace), deps.settings);
  } catch {
    return [];
  }
}

// ---- shared ---------------------------------------------------------------------------------

const CODE_ORDER = new Map<string, number>(INDEX_DIAGNOSTIC_CODES.map((code, i) => [code, i]));

/** A stable order, whatever order the index answered in. */
function byPlace(a: Finding, b: Finding): number {
  return a.span.start - b.span.start || a.span.end - b.span.end || CODE_ORDER.get(a.code)! - CODE_ORDER.get(b.code)! || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}

/** Whether the user would see `code` at all: work (downloads, extra requests) for hidden codes is skipped. */
function shown(code: DiagnosticCode, settings: ReqguardSettings): boolean {
  return severityOf({ code, message: '', span: { start: 0, end: 0 } }, settings) !== undefined;
}

async function loadAll(names: Iterable<string>, deps: IndexDiagnosticsDeps): Promise<Map<string, ProjectInfo>> {
  const unique = [...new Set(names)];
  const infos = await Promise.all(unique.map((name) => loadProjectInfo(deps.index, name, deps.signal)));
  return new Map(unique.map((name, i) => [name, infos[i]]));
}

/** Not on any index or find-links location the document uses: an answer, not an outage. */
function definitelyMissing(data: Result<ProjectData>, index: PackageIndex): boolean {
  // --no-index without --find-links has nowhere to look: every project "missing" says nothing.
  const hasSources = index.effective.primary !== undefined || index.effective.findLinks.length > 0;
  return hasSources && !data.ok && data.error.kind === 'not-found';
}

/** unknown-project findings, with a "did you mean" from the index's project list when it has one. */
async function unknownProjects(missing: readonly { name: string; span: Span }[], deps: IndexDiagnosticsDeps): Promise<Finding[]> {
  if (missing.length === 0 || !shown('unknown-project', deps.settings)) return [];
  const list = await deps.index.projectNames(deps.signal);
  return missing.map(({ name, span }) => {
    const near = list.ok ? closestName(name, list.value) : undefined;
    return {
      code: 'unknown-project',
      message: `'${name}' is not on the index${near ? `: did you mean ${near}?` : '.'} pip cannot install it, and whoever registers the name later would be installed instead.`,
      span,
    };
  });
}

// ---- did you mean -----------------------------------------------------------------------------

/** Normalized names per project list (the index layer hands out the same array while it is cached). */
const normalizedLists = new WeakMap<readonly string[], string[]>();

/** Answers per project list and name: the same typo is looked up again on every run. */
const answers = new WeakMap<readonly string[], Map<string, string | undefined>>();

/** The listed name nearest to `name` (normalized, Damerau edit distance up to 1-3 by length), if any. */
export function closestName(name: string, names: readonly string[]): string | undefined {
  const target = canonicalizeName(name);
  let known = answers.get(names);
  if (!known) answers.set(names, (known = new Map()));
  if (known.has(target)) return known.get(target);
  let normalized = normalizedLists.get(names);
  if (!normalized) normalizedLists.set(names, (normalized = names.map(canonicalizeName)));
  // Character counts of the target: a candidate with more than `bound` characters the target
  // lacks is further than `bound` (each edit adds at most one), which is cheaper to see than the distance.
  const counts = new Int32Array(128);
  for (let i = 0; i < target.length; i++) counts[target.charCodeAt(i) & 127]++;
  let best: string | undefined;
  let bestDistance = (target.length <= 4 ? 1 : target.length <= 10 ? 2 : 3) + 1;
  for (let i = 0; i < normalized.length; i++) {
    const candidate = normalized[i];
    if (candidate === target || Math.abs(candidate.length - target.length) >= bestDistance) continue;
    if (extraCharacters(candidate, counts) >= bestDistance) continue;
    const distance = editDistance(target, candidate, bestDistance - 1);
    if (distance < bestDistance) [best, bestDistance] = [names[i], distance];
  }
  if (known.size >= 256) known.clear();
  known.set(target, best);
  return best;
}

/** How many characters of `candidate` the counted string does not have (counts are restored). */
function extraCharacters(candidate: string, counts: Int32Array): number {
  let extra = 0;
  for (let i = 0; i < candidate.length; i++) if (--counts[candidate.charCodeAt(i) & 127] < 0) extra++;
  for (let i = 0; i < candidate.length; i++) counts[candidate.charCodeAt(i) & 127]++;
  return extra;
}

/** editDistance's three rows, reused: it runs once per listed project (PyPI lists over half a million). */
let rows = new Int32Array(3 * 64);

/** Optimal string alignment distance (a swap of neighbours costs 1), or `bound + 1` once it exceeds `bound`. */
function editDistance(a: string, b: string, bound: number): number {
  const width = b.length + 1;
  if (rows.length < 3 * width) rows = new Int32Array(6 * width);
  let before = 0;
  let previous = width;
  let current = 2 * width;
  for (let j = 0; j < width; j++) rows[previous + j] = j;
  for (let i = 1; i <= a.length; i++) {
    rows[current] = i;
    let rowMin = i;
    for (let j = 1; j < width; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let value = Math.min(rows[previous + j] + 1, rows[current + j - 1] + 1, rows[previous + j - 1] + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) value = Math.min(value, rows[before + j - 2] + 1);
      rows[current + j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > bound) return bound + 1;
    [before, previous, current] = [previous, current, before];
  }
  return rows[previous + b.length];
}

// ---- manifests (setup.py) ---------------------------------------------------------------------

/** A library states ranges, so only names are checked: pins are the application's business. */
async function manifestFindings(declarations: Declarations, deps: IndexDiagnosticsDeps): Promise<Finding[]> {
  const named: { name: string; normalized: string; span: Span }[] = [];
  for (const { string, parsed } of declarations.requirements) {
    if (parsed.ok && !parsed.value.url) named.push({ name: parsed.value.name, normalized: canonicalizeName(parsed.value.name), span: declaredSpan(string, parsed.value.nameSpan) });
  }
  const infos = await loadAll(named.map((n) => n.normalized), deps);
  return unknownProjects(named.filter((n) => definitelyMissing(infos.get(n.normalized)!.data, deps.index)), deps);
}

// ---- requirements files -----------------------------------------------------------------------

interface PinnedCheck {
  readonly entry: RequirementEntry;
  readonly info: ProjectInfo;
  readonly data: ProjectData;
  readonly release: Release;
  /** The pin's version, where version findings point. */
  readonly span: Span;
  readonly label: string;
}

async function requirementFindings(entries: readonly RequirementEntry[], deps: IndexDiagnosticsDeps): Promise<Finding[]> {
  const infos = await loadAll(entries.map((entry) => entry.normalizedName!), deps);
  const findings: Finding[] = [];
  const missing: { name: string; span: Span }[] = [];
  const pinned: PinnedCheck[] = [];
  for (const entry of entries) {
    const info = infos.get(entry.normalizedName!)!;
    if (!info.data.ok) {
      if (definitelyMissing(info.data, deps.index)) missing.push({ name: entry.name!, span: entry.nameSpan! });
      continue;
    }
    const pin = pinnedVersion(entry);
    if (pin === undefined) {
      findings.push(...rangeFindings(entry, info, info.data.value, deps.settings, deps.index.effective.prereleases));
      continue;
    }
    const span = entry.specifiers[0].versionSpan;
    const release = releaseFor(info.releases, pin);
    if (!release || release.files.length === 0) {
      if (complete(info.data.value)) findings.push({ code: 'unknown-version', message: unknownVersionMessage(entry.name!, pin, release, info.releases), span });
      continue;
    }
    pinned.push({ entry, info, data: info.data.value, release, span, label: `${entry.name} ${release.version}` });
  }
  const osv = osvVulnerabilities(pinned, deps);
  const [perPin, unknown] = await Promise.all([
    Promise.all(pinned.map(async (check, i) => [
      ...pinFindings(check, deps.settings),
      ...(await hashFindings(check, deps)),
      ...(await vulnerabilityFindings(check, osv.then((ids) => ids?.[i] ?? []), deps)),
    ])),
    unknownProjects(missing, deps),
  ]);
  return [...findings, ...perPin.flat(), ...unknown];
}

/** Absence is only claimed from complete, current data: a stale copy or a failed index may lack what exists. */
function complete(data: ProjectData): boolean {
  return !data.stale && data.problems.length === 0;
}

function newestVersions(releases: readonly Release[]): string {
  const installable = releases.filter((release) => !release.yanked && release.files.length > 0).slice(0, 3);
  return installable.length ? `the newest ${installable.length === 1 ? 'is' : 'are'} ${installable.map((r) => r.version).join(', ')}` : 'it has no installable release';
}

function unknownVersionMessage(name: string, pin: string, listed: Release | undefined, releases: readonly Release[]): string {
  const what = listed ? `${name} ${pin} is listed on the index but has no files to install` : `${name} has no version ${pin} on the index`;
  return `${what}: ${newestVersions(releases)}. pip will fail to install this file.`;
}

/** An entry with a range (or none): does any release satisfy it, and one for the target Python? */
function rangeFindings(entry: RequirementEntry, info: ProjectInfo, data: ProjectData, settings: ReqguardSettings, allowPrereleases: boolean): Finding[] {
  const specifier = specifierText(entry);
  // An unreadable specifier matches nothing here but is the syntax check's to report.
  if (specifier && !validRange(specifier)) return [];
  const span = entry.specifierSpan ?? entry.nameSpan!;
  const label = `${entry.name}${specifier}`;
  const match = pickRelease(info.releases, { specifier, allowPrereleases });
  if (!match) {
    if (!complete(data)) return [];
    // pip passes over yanked releases unless a pin names them: say when only those would do.
    const yankedMatch = pickRelease(info.releases.map((release) => ({ ...release, yanked: false })), { specifier, allowPrereleases });
    const why = yankedMatch ? `only yanked releases (such as ${yankedMatch.version}) satisfy it, and pip skips them unless pinned with ==` : newestVersions(info.releases);
    return [{ code: 'no-matching-version', message: `No release of ${entry.name} satisfies '${label}': ${why}. pip will fail to install this file.`, span }];
  }
  const python = targetPython(entry, settings);
  if (python && !pickRelease(info.releases, { specifier, pythonVersion: python, allowPrereleases })) {
    return [{
      code: 'requires-python',
      message: `No release satisfying '${label}' supports Python ${python} (reqguard.pythonVersion): ${match.version} requires Python ${match.requiresPython}.`,
      span,
    }];
  }
  return [];
}

/**
 * The Python to check requires-python against: unset, or for an entry whose marker names Python
 * versions (`; python_version < "3.9"`), none: the line says itself which Pythons it is for.
 */
function targetPython(entry: RequirementEntry, settings: ReqguardSettings): string | undefined {
  return entry.marker && /\bpython_(full_)?version\b/.test(entry.marker.normalized) ? undefined : settings.pythonVersion;
}

/** What the pinned release itself says: yanked, requires-python, newer releases. */
function pinFindings({ entry, release, info, span, label }: PinnedCheck, settings: ReqguardSettings): Finding[] {
  const findings: Finding[] = [];
  if (release.yanked) {
    findings.push({
      code: 'yanked',
      message: `${label} was yanked from the index (${release.yankedReason ? `reason: ${release.yankedReason}` : 'no reason given'}). pip still installs a pinned yanked release, with a warning; pin another version.`,
      span,
    });
  }
  const python = targetPython(entry, settings);
  // What pip could install instead: releases with files, for the target Python when one is set.
  const installable = info.releases.filter((r) => r.files.length > 0 && supportsPython(r.requiresPython, python));
  const newest = latestReleases(installable).final;
  if (python && !supportsPython(release.requiresPython, python)) {
    findings.push({
      code: 'requires-python',
      message: `${label} requires Python ${release.requiresPython}, not ${python} (reqguard.pythonVersion): pip will not install it there. ${newest ? `The newest release for Python ${python} is ${newest.version}.` : `No release supports Python ${python}.`}`,
      span,
    });
  }
  if (newest && compare(newest.version, release.version) > 0) {
    findings.push({ code: 'outdated', message: `${label} is not the newest release: ${newest.version} is available${python ? ` for Python ${python}` : ''}.`, span });
  }
  return findings;
}

// ---- hashes ---------------------------------------------------------------------------------

/** A --hash pip could ever match (weak-hash reports the others). */
function wellFormed(hash: HashNode): boolean {
  return DIGEST_LENGTHS[hash.algorithm] === hash.digest.length && /^[0-9a-f]+$/i.test(hash.digest);
}

/**
 * Hashes that match no file of the pinned release. sha256 is always checked (a file whose index
 * gives no hash is hashed once through the index layer); sha384/sha512 only where the index
 * gives them for every file. Any file that cannot be hashed leaves the entry unjudged.
 */
async function hashFindings({ entry, data, release, label }: PinnedCheck, deps: IndexDiagnosticsDeps): Promise<Finding[]> {
  const hashes = entry.hashes.filter(wellFormed);
  if (hashes.length === 0 || !complete(data) || !shown('hash-mismatch', deps.settings)) return [];
  const digests = new Map<string, Set<string>>();
  for (const algorithm of new Set(hashes.map((hash) => hash.algorithm))) {
    const wanted = hashes.filter((hash) => hash.algorithm === algorithm).map((hash) => hash.digest.toLowerCase());
    const known = await releaseDigests(release.files, algorithm, wanted, deps);
    if (known) digests.set(algorithm, known);
  }
  const wrong = hashes.filter((hash) => digests.get(hash.algorithm)?.has(hash.digest.toLowerCase()) === false);
  // All judged and none matching: pip refuses every file of the release, not just one hash.
  const refused = wrong.length === hashes.length && hashes.every((hash) => digests.has(hash.algorithm));
  return wrong.map((hash) => {
    const other = data.files.find((file) => file.version !== release.version && file.hashes[hash.algorithm]?.toLowerCase() === hash.digest.toLowerCase());
    const whose = other ? ` It is the hash of ${other.filename} (version ${other.version}).` : '';
    return {
      code: 'hash-mismatch',
      message: `This --hash matches no file of ${label} on the index: a tampered file or the hash of another version.${whose}${refused ? ' pip will refuse to install it.' : ''}`,
      span: hash.digestSpan,
    };
  });
}

/** The release's digests with `algorithm`, or undefined when some file's cannot be known. */
async function releaseDigests(files: readonly IndexedFile[], algorithm: string, wanted: readonly string[], deps: IndexDiagnosticsDeps): Promise<Set<string> | undefined> {
  const given = new Set(files.flatMap((file) => (file.hashes[algorithm] ? [file.hashes[algorithm].toLowerCase()] : [])));
  // Downloading to hash is only worth it when the index's own digests leave a --hash unmatched.
  if (wanted.every((digest) => given.has(digest)) || files.every((file) => file.hashes[algorithm])) return given;
  if (algorithm !== 'sha256') return undefined;
  const results = await Promise.all(files.map((file) => deps.index.fileSha256(file, deps.signal)));
  return results.every((result) => result.ok) ? new Set(results.map((result) => (result.ok ? result.value.toLowerCase() : ''))) : undefined;
}

// ---- vulnerabilities ----------------------------------------------------------------------------

/** OSV's ids per pinned check, when the user opted in; project names go nowhere otherwise. */
async function osvVulnerabilities(pinned: readonly PinnedCheck[], deps: IndexDiagnosticsDeps): Promise<string[][] | undefined> {
  const { osv, osvUrl } = deps.settings.vulnerabilities;
  if (!osv || !deps.osv || pinned.length === 0 || !shown('vulnerable', deps.settings)) return undefined;
  return queryOsv(deps.osv.post, osvUrl, pinned.map((check) => ({ name: check.data.name, version: check.release.version })), deps.signal);
}

async function vulnerabilityFindings(check: PinnedCheck, osvIds: Promise<readonly string[]>, deps: IndexDiagnosticsDeps): Promise<Finding[]> {
  if (!shown('vulnerable', deps.settings)) return [];
  const [details, fromOsv] = await Promise.all([deps.index.details(check.data.name, check.release.version, deps.signal), osvIds]);
  // Withdrawn advisories were already dropped by the JSON API reader.
  const known = details?.vulnerabilities ?? [];
  const seen = new Set(known.flatMap((vuln) => [vuln.id, ...vuln.aliases]));
  const osvOnly = fromOsv.filter((id) => !seen.has(id) && seen.add(id));
  if (known.length + osvOnly.length === 0) return [];
  // The quick fix reads what to upgrade to from here (codeActions.ts VulnerableData).
  const data: VulnerableData = { ids: [...known.map((vuln) => vuln.id), ...osvOnly], fixedIn: [...new Set(known.flatMap((vuln) => vuln.fixedIn))] };
  return [{ code: 'vulnerable', message: vulnerabilityMessage(check.label, check.release.version, known, osvOnly), span: check.span, data }];
}

function vulnerabilityMessage(label: string, version: string, known: readonly Vulnerability[], osvOnly: readonly string[]): string {
  const withCve = (vuln: Vulnerability) => {
    const cve = vuln.aliases.find((alias) => alias.startsWith('CVE-'));
    return cve && cve !== vuln.id ? `${vuln.id} (${cve})` : vuln.id;
  };
  const named = [...known.map(withCve), ...osvOnly];
  const parts = [`${label} has ${named.length === 1 ? 'a known vulnerability' : `${named.length} known vulnerabilities`}: ${named.join(', ')}.`];
  const fixes = known.map((vuln) => nearestFix(vuln, version));
  const fixed = known.filter((_, i) => fixes[i] !== undefined).map((vuln) => vuln.id);
  const unfixed = known.filter((_, i) => fixes[i] === undefined).map((vuln) => vuln.id);
  // The nearest version that fixes every advisory with a fix: the latest of their first fixes.
  const fixedBy = fixes.filter((fix): fix is string => fix !== undefined).sort(compare).pop();
  const partial = fixed.length < named.length;
  if (fixedBy) parts.push(`Nearest fixed version: ${fixedBy}${partial ? ` (for ${fixed.join(', ')})` : ''}.`);
  if (unfixed.length) parts.push(`No fixed version is known for ${unfixed.join(', ')}.`);
  // OSV's batch answer carries ids only: its details (and fixes) are on osv.dev.
  if (osvOnly.length) parts.push(`Details of ${osvOnly.join(', ')} are on https://osv.dev.`);
  return parts.join(' ');
}

/** The oldest version after `version` that fixes `vuln`, if the advisory names one. */
function nearestFix(vuln: Vulnerability, version: string): string | undefined {
  return vuln.fixedIn.filter((fixed) => valid(fixed) && gt(fixed, version)).sort(compare)[0];
}
