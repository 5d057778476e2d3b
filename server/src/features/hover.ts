// Hovers: what the index knows about the project under the cursor (summary, where it comes from,
// the pinned or selected release against the latest ones, recent versions, vulnerabilities, who
// published the pinned release's files (PEP 740), fetched only here, when a hover asks), which
// file of the pinned release a --hash is for, and what a pip option does. Pure apart from the
// index; never throws. Text from the index is escaped: a summary cannot inject links or images.
import { validRange } from '../pip/versions';
import { MarkupKind, type Hover } from 'vscode-languageserver-types';
import type { AnalyzedDocument } from './document';
import type { IndexError } from '../index/errors';
import type { ProjectDetails, Vulnerability } from '../index/jsonApi';
import type { Publisher } from '../index/provenance';
import type { EffectiveIndex, IndexedFile, PackageIndex, ProjectData } from '../index/packageIndex';
import { redactUrl } from '../index/urls';
import { canonicalizeName, parseMarker, type MarkerInfo } from '../parser/pep508';
import { packageAt, type PylockDocument } from '../parser/pylock';
import { findOption, type OptionSpec } from '../parser/pipOptions';
import type { Entry, HashNode, OptionNode, RequirementEntry, RequirementsDocument } from '../parser/requirementsFile';
import { declaredSpan, type Declarations } from '../parser/declared';
import type { Span } from '../parser/types';
import { describeIndexSource } from '../protocol';
import { rangeOf } from './diagnostics';
import { DIGEST_LENGTHS } from '../pip/pinning';
import { loadProjectInfo, partialBecause, pinnedVersion, specifierText, type ProjectInfo } from '../pip/projectInfo';
import type { TargetEnvironment } from '../pip/environment';
import { dayOf, installProblem, latestReleases, pickForEntry, releaseFor, type InstallProblem, type Release } from '../pip/releases';
import { describeTargets, entryTargets } from '../pip/targets';

export interface HoverDeps {
  /** The index the document installs from; without it only options and names are described. */
  readonly index?: PackageIndex;
  /** Where the file is installed: pip's pick of a range is a release every target can install. */
  readonly targets?: readonly TargetEnvironment[];
  readonly signal?: AbortSignal;
}

/** How many versions the hover lists (the rest are counted, never iterated). */
const RECENT_VERSIONS = 10;
const MAX_LINKS = 6;

/** The hover at `offset` (UTF-16, as TextDocument.offsetAt gives), or undefined when there is nothing to say. */
export async function hover(analysis: AnalyzedDocument, offset: number, deps: HoverDeps): Promise<Hover | undefined> {
  try {
    const target =
      analysis.family === 'manifest' ? manifestTarget(analysis.declarations, offset) : analysis.family === 'lock' ? lockTarget(analysis.lock, offset) : requirementsTarget(analysis.parsed, offset);
    if (!target) return undefined;
    const value = await render(target, deps);
    if (value === undefined || deps.signal?.aborted) return undefined;
    return { contents: { kind: MarkupKind.Markdown, value }, range: rangeOf(analysis.document, target.span) };
  } catch {
    return undefined;
  }
}

// ---- what is under the cursor -------------------------------------------------------------------

interface ProjectTarget {
  readonly kind: 'project';
  readonly name: string;
  readonly normalized: string;
  /** The clauses as written, joined with `,` ('' for none). */
  readonly specifier: string;
  readonly pinned?: string;
  /** Set for `name @ url`: pip installs that, not a release from the index. */
  readonly url?: string;
  /** The requirement's marker: a line with one is for the environments it names, not the targets. */
  readonly marker?: MarkerInfo;
  readonly span: Span;
}

type Target =
  | ProjectTarget
  | { readonly kind: 'option'; readonly option: OptionNode; readonly span: Span }
  | { readonly kind: 'hash'; readonly entry: RequirementEntry; readonly hash: HashNode; readonly span: Span };

/** Inclusive of the end, so a cursor just after a name still hovers it. */
function within(span: Span, offset: number): boolean {
  return span.start <= offset && offset <= span.end;
}

/** The entry whose lines hold `offset`: entries are in document order, so a binary search finds it. */
function entryAt(entries: readonly Entry[], offset: number): Entry | undefined {
  let low = 0;
  let high = entries.length - 1;
  let found: Entry | undefined;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (entries[middle].span.start <= offset) [found, low] = [entries[middle], middle + 1];
    else high = middle - 1;
  }
  return found && within(found.span, offset) ? found : undefined;
}

/** From the name to the end of its extras and specifier: the part a project hover covers. */
function requirementHead(nameSpan: Span, extras: readonly { span: Span }[], specifierSpan: Span | undefined): Span {
  const end = Math.max(nameSpan.end, specifierSpan?.end ?? 0, ...extras.map((extra) => extra.span.end));
  return { start: nameSpan.start, end };
}

function requirementsTarget(parsed: RequirementsDocument, offset: number): Target | undefined {
  const entry = entryAt(parsed.entries, offset);
  if (!entry) return undefined;
  if (entry.kind === 'requirement') {
    for (const hash of entry.hashes) {
      const span = { start: hash.algorithmSpan.start, end: hash.digestSpan.end };
      if (within(span, offset)) return { kind: 'hash', entry, hash, span };
    }
  }
  for (const option of entry.options) if (within(option.nameSpan, offset)) return { kind: 'option', option, span: option.nameSpan };
  if (entry.kind !== 'requirement' || entry.form !== 'named' || !entry.name || !entry.normalizedName || !entry.nameSpan) return undefined;
  const span = requirementHead(entry.nameSpan, entry.extras, entry.specifierSpan);
  if (!within(span, offset)) return undefined;
  return { kind: 'project', name: entry.name, normalized: entry.normalizedName, specifier: specifierText(entry), pinned: pinnedVersion(entry), url: entry.url?.value, marker: entry.marker, span };
}

function manifestTarget(declarations: Declarations, offset: number): Target | undefined {
  for (const { string, parsed } of declarations.requirements) {
    if (!parsed.ok || !within(string.span, offset)) continue;
    const requirement = parsed.value;
    const span = declaredSpan(string, requirementHead(requirement.nameSpan, requirement.extras, requirement.specifierSpan));
    if (!within(span, offset)) continue;
    // The pin and specifier rules read only the clauses, which a declared requirement has too.
    const clauses = { specifiers: requirement.specifiers } as Pick<RequirementEntry, 'specifiers'> as RequirementEntry;
    return {
      kind: 'project',
      name: requirement.name,
      normalized: canonicalizeName(requirement.name),
      specifier: specifierText(clauses),
      pinned: pinnedVersion(clauses),
      url: requirement.url?.value,
      marker: requirement.marker,
      span,
    };
  }
  return undefined;
}

/** pylock.toml: a package's `name` or `version`, described as the pinned requirement it is. */
function lockTarget(lock: PylockDocument, offset: number): Target | undefined {
  const pkg = packageAt(lock, offset);
  const span = [pkg?.name?.span, pkg?.version?.span].find((value) => value && within(value, offset));
  if (!pkg?.name || !span) return undefined;
  const version = pkg.version?.value;
  const marker = pkg.marker && parseMarker(pkg.marker.value);
  // `url`: a package from a VCS, a directory or an archive is installed from there, not from the index.
  const direct = pkg.vcs?.url?.value ?? pkg.archive?.url?.value ?? pkg.directory?.path?.value ?? pkg.archive?.path?.value ?? pkg.vcs?.path?.value;
  return {
    kind: 'project',
    name: pkg.name.value,
    normalized: canonicalizeName(pkg.name.value),
    specifier: version ? `==${version}` : '',
    pinned: version,
    url: direct,
    marker: marker?.ok ? marker.value : undefined,
    span,
  };
}

// ---- rendering ----------------------------------------------------------------------------------

function render(target: Target, deps: HoverDeps): Promise<string | undefined> | string {
  switch (target.kind) {
    case 'option':
      return optionMarkdown(target.option.spec, target.option.name);
    case 'hash':
      return hashMarkdown(target.entry, target.hash, deps);
    case 'project':
      return projectMarkdown(target, deps);
  }
}

/** Markdown-escapes text from the index or the file, on one line. */
function escape(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/[\\`*_[\]<>!|~]/g, (char) => `\\${char}`);
}

/** A code span that survives backticks in its text. */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return longest ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
}

/** Escaped, ending with exactly one period (index messages may or may not end with one). */
function sentence(text: string): string {
  return `${escape(text).replace(/\.+$/, '')}.`;
}

function shorten(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** A markdown link to an http(s) URL, or undefined for anything else (javascript:, command:, …). */
function link(label: string, url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
    return `[${escape(label)}](${parsed.href.replace(/\(/g, '%28').replace(/\)/g, '%29')})`;
  } catch {
    return undefined;
  }
}

function day(time: string | undefined): string {
  return dayOf(time) ?? '';
}

function dated(version: string, time: string | undefined): string {
  const when = day(time);
  return when ? `**${version}** (${when})` : `**${version}**`;
}

function optionMarkdown(spec: OptionSpec, written: string): string {
  const aliases = [...spec.long, ...spec.short].filter((name) => name !== written);
  const title = `${code(written)}${aliases.length ? ` (also ${aliases.map(code).join(', ')})` : ''}`;
  return `${title}: ${spec.summary}`;
}

function indexLine(index: EffectiveIndex): string {
  const parts = [
    index.primary === undefined
      ? 'Index: none (`--no-index`)'
      : `Index: ${code(index.primary)} (${describeIndexSource(index.source, index.sourceDetail, code)})`,
  ];
  if (index.extra.length) parts.push(`extra ${index.extra.map(code).join(', ')}`);
  if (index.findLinks.length) parts.push(`find-links ${index.findLinks.map(code).join(', ')}`);
  if (index.offline) parts.push('offline: cached data only');
  return parts.join('; ');
}

const FAILURES: Record<Exclude<IndexError['kind'], 'not-found' | 'cancelled'>, string> = {
  unreachable: 'Index unreachable',
  'server-error': 'Index failing',
  unauthorized: 'Index refused access',
  malformed: 'Index sent an unreadable answer',
  'too-large': 'Index answer too large',
  offline: 'Offline',
  'hash-mismatch': 'Index sent a file that does not match its hash',
  'not-static': 'Dependencies known only after a build',
};

/** One line for an index that could not answer; undefined when the request was cancelled. */
function failureLine(error: IndexError, index: EffectiveIndex): string | undefined {
  if (error.kind === 'cancelled') return undefined;
  if (error.kind !== 'not-found') return `${FAILURES[error.kind]}: ${sentence(error.message)}`;
  const places = [...(index.primary === undefined ? [] : [index.primary, ...index.extra]), ...index.findLinks];
  return places.length ? `Not found on ${places.map(code).join(', ')}.` : sentence(error.message);
}

/** Where an absence was seen: a stale copy or a partial answer may lack what the index has. */
function onTheIndex(data: ProjectData): string {
  return data.stale || partialBecause(data) ? 'in the data the index gave' : 'on the index';
}

function freshnessLines(data: ProjectData): string[] {
  const lines: string[] = [];
  if (data.stale) lines.push(`⚠ Cached data from ${new Date(data.fetchedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC: the index is failing.`);
  for (const problem of data.problems) if (problem.kind !== 'cancelled') lines.push(`⚠ ${sentence(problem.message)}`);
  return lines;
}

/** Paragraphs of a hover, the empty ones left out. */
function paragraphs(parts: readonly (string | undefined)[]): string {
  return parts.filter((part): part is string => !!part).join('\n\n');
}

// ---- projects -----------------------------------------------------------------------------------

async function projectMarkdown(target: ProjectTarget, deps: HoverDeps): Promise<string | undefined> {
  const { index } = deps;
  if (target.url) return paragraphs([`**${escape(target.name)}**`, `Installed from ${code(redactUrl(target.url))}, not from the index.`]);
  if (!index) return paragraphs([`**${escape(target.name)}**`, target.specifier ? code(`${target.name}${target.specifier}`) : undefined]);
  // The release's own JSON API page (vulnerabilities) is asked for in parallel with the project.
  const pinnedDetails = target.pinned !== undefined ? index.details(target.normalized, target.pinned, deps.signal) : undefined;
  const info = await loadProjectInfo(index, target.normalized, deps.signal, { details: true });
  const title = titleLine(target.name, info.details);
  if (!info.data.ok) {
    const failure = failureLine(info.data.error, index.effective);
    return failure && paragraphs([title, failure, indexLine(index.effective)]);
  }
  const data = info.data.value;
  const { releases } = info;
  const pinned = target.pinned !== undefined ? releaseFor(releases, target.pinned) : undefined;
  const targets = deps.targets ?? [];
  const chosen = target.pinned !== undefined ? pinned : selectedRelease(target, releases, targets, deps.index?.effective.prereleases);
  let vulnerabilities: Promise<ProjectDetails | undefined> | undefined;
  if (pinned) vulnerabilities = pinned.version === target.pinned ? pinnedDetails : index.details(target.normalized, pinned.version, deps.signal);
  const provenance = pinned ? provenanceMarkdown(pinned, index, deps.signal) : undefined;
  return paragraphs([
    title,
    ...statusLines(data),
    ...freshnessLines(data),
    chosenLine(target, chosen, releases, data, entryTargets(target, targets)),
    latestLine(releases),
    pinned ? vulnerabilityMarkdown(pinned.version, await vulnerabilities) : undefined,
    await provenance,
    recentMarkdown(releases, chosen),
    aboutLine(info.details),
    indexLine(index.effective),
  ]);
}

/** PEP 792: what the index says of the project as a whole, with its reason. */
function statusLines(data: ProjectData): string[] {
  const several = new Set(data.statuses.map((status) => status.source)).size > 1 || data.indexes.length > 1;
  return data.statuses.map(({ status, reason, source }) => {
    const where = several ? ` (${code(source)})` : '';
    if (status === 'quarantined') return `⛔ **Quarantined** by the index${where}${reason ? `, saying: ${sentence(shorten(reason, 300))}` : '.'} It offers none of the project's files, so pip cannot install it.`;
    return `⚠ **${status === 'archived' ? 'Archived' : 'Deprecated'}** on the index${where}${reason ? `: ${sentence(shorten(reason, 300))}` : '.'}`;
  });
}

function titleLine(name: string, details: ProjectDetails | undefined): string {
  const shown = details && canonicalizeName(details.name) === canonicalizeName(name) ? details.name : name;
  return `**${escape(shown)}**${details?.summary ? ` — ${escape(shorten(details.summary, 300))}` : ''}`;
}

function selectedRelease(target: ProjectTarget, releases: readonly Release[], targets: readonly TargetEnvironment[], allowPrereleases?: boolean): Release | undefined {
  if (target.specifier && !validRange(target.specifier)) return undefined;
  return pickForEntry(releases, target, { specifier: target.specifier, targets, allowPrereleases });
}

/** The release's Requires-Python, and the targets that cannot install it (a pin: its yanked files count too). */
function installNote(release: Release, targets: readonly TargetEnvironment[], pinned: boolean): string {
  const refused = (kind: InstallProblem['kind']) => targets.filter((target) => installProblem(release, target, { pinned })?.kind === kind);
  const tooNew = refused('requires-python');
  const noFile = refused('no-compatible-file');
  const python = release.requiresPython ? `; requires Python ${code(release.requiresPython)}${tooNew.length ? ` (**not ${escape(describeTargets(tooNew))}**)` : ''}` : '';
  return `${python}${noFile.length ? `; **no file ${escape(describeTargets(noFile))} can install**` : ''}`;
}

/** The pinned release, or the one pip would pick for the range, with what is wrong with it. */
function chosenLine(target: ProjectTarget, chosen: Release | undefined, releases: readonly Release[], data: ProjectData, targets: readonly TargetEnvironment[]): string | undefined {
  const forPython = targets.length ? ` for ${escape(describeTargets(targets))}` : '';
  if (target.pinned !== undefined) {
    if (!chosen) return `Pinned: **${escape(target.pinned)}**, which is not ${onTheIndex(data)}.`;
    if (chosen.files.length === 0) return `Pinned: **${chosen.version}**, listed on the index without files to install.`;
    const yanked = chosen.yanked ? `; **yanked**${chosen.yankedReason ? `: ${escape(chosen.yankedReason)}` : ''}` : '';
    return `Pinned: ${dated(chosen.version, chosen.uploadTime)}${installNote(chosen, targets, true)}${yanked}`;
  }
  if (target.specifier && !validRange(target.specifier)) return undefined;
  const range = target.specifier ? `for ${code(target.specifier)}` : 'with no version constraint';
  if (!chosen) return releases.length ? `No release ${onTheIndex(data)} satisfies ${target.specifier ? code(target.specifier) : 'the requirement'}${forPython}.` : 'The index lists no release.';
  return `Selected: ${dated(chosen.version, chosen.uploadTime)} (pip's pick ${range}${forPython})${installNote(chosen, targets, false)}`;
}

function latestLine(releases: readonly Release[]): string | undefined {
  const { final, prerelease } = latestReleases(releases);
  const parts: string[] = [];
  if (final) parts.push(`Latest: ${dated(final.version, final.uploadTime)}`);
  if (prerelease) parts.push(`pre-release ${dated(prerelease.version, prerelease.uploadTime)}`);
  return parts.length ? parts.join('; ') : undefined;
}

function recentMarkdown(releases: readonly Release[], chosen: Release | undefined): string | undefined {
  if (releases.length === 0) return undefined;
  const lines = releases.slice(0, RECENT_VERSIONS).map((release) => {
    const notes: string[] = [];
    const when = day(release.uploadTime);
    if (when) notes.push(when);
    if (release.prerelease) notes.push('pre-release');
    if (release.files.length === 0) notes.push('no files');
    if (release.yanked) notes.push(`yanked${release.yankedReason ? `: ${escape(shorten(release.yankedReason, 120))}` : ''}`);
    if (release === chosen) notes.push('**this one**');
    const version = release.yanked ? `~~${release.version}~~` : release.version;
    return `- ${version}${notes.length ? ` · ${notes.join(' · ')}` : ''}`;
  });
  const older = releases.length - RECENT_VERSIONS;
  if (older > 0) lines.push(`- … and ${older.toLocaleString('en-US')} older`);
  return `Recent versions:\n\n${lines.join('\n')}`;
}

function vulnerabilityMarkdown(version: string, details: ProjectDetails | undefined): string | undefined {
  // No JSON API (or no answer from it): nothing is known either way, so nothing is said.
  if (!details) return undefined;
  const known = details.vulnerabilities;
  if (known.length === 0) return `No known vulnerabilities of ${version} (from the index's JSON API).`;
  const heading = `⚠ **${known.length === 1 ? 'A known vulnerability' : `${known.length} known vulnerabilities`} of ${version}:**`;
  return `${heading}\n\n${known.map(vulnerabilityLine).join('\n')}`;
}

function vulnerabilityLine(vuln: Vulnerability): string {
  const id = (vuln.link && link(vuln.id, vuln.link)) ?? escape(vuln.id);
  const aliases = vuln.aliases.filter((alias) => alias !== vuln.id);
  const about = vuln.summary ?? vuln.details;
  return [
    `- ${id}`,
    aliases.length ? ` (${aliases.map(escape).join(', ')})` : '',
    about ? `: ${escape(shorten(about, 200))}` : '',
    vuln.fixedIn.length ? `; fixed in ${vuln.fixedIn.map(escape).join(', ')}` : '; no fixed version known',
  ].join('');
}

/** Files whose provenance a hover reads at most (one request each, the first time). */
const MAX_PROVENANCE_FILES = 12;

/** A publisher in one line: kind, repository (linked for GitHub and GitLab), workflow, environment. */
function publisherText(publisher: Publisher): string {
  const hosts: Record<string, string> = { GitHub: 'https://github.com/', GitLab: 'https://gitlab.com/' };
  const { repository } = publisher;
  const where = repository && hosts[publisher.kind] && /^[\w.-]+(\/[\w.-]+)+$/.test(repository) ? link(repository, `${hosts[publisher.kind]}${repository}`) : repository && code(repository);
  const parts = [escape(publisher.kind), where, publisher.email && code(publisher.email)].filter(Boolean).join(' ');
  const details = [publisher.workflow && `workflow ${code(publisher.workflow)}`, publisher.environment && `environment ${code(publisher.environment)}`].filter(Boolean);
  return details.length ? `${parts} (${details.join(', ')})` : parts;
}

/**
 * Who published the files of the pinned release (PEP 740), from the provenance objects the index
 * links to: read only when a hover asks, at most MAX_PROVENANCE_FILES of them. Nothing is said
 * when the index offers none (most indexes do not implement PEP 740).
 */
async function provenanceMarkdown(release: Release, index: PackageIndex, signal?: AbortSignal): Promise<string | undefined> {
  const files = release.files.filter((file) => file.kind !== 'other');
  const attested = files.filter((file) => file.provenance).slice(0, MAX_PROVENANCE_FILES);
  if (attested.length === 0) return undefined;
  const results = await Promise.all(attested.map((file) => index.provenance(file, signal)));
  const byPublisher = new Map<string, string[]>();
  const failures: string[] = [];
  results.forEach((result, i) => {
    if (!result) return;
    if (!result.ok) {
      if (result.error.kind !== 'cancelled') failures.push(`${attested[i].filename}: ${result.error.message}`);
      return;
    }
    for (const publisher of result.value.publishers.length ? result.value.publishers : [undefined]) {
      const key = publisher ? publisherText(publisher) : 'no publisher named';
      byPublisher.set(key, [...(byPublisher.get(key) ?? []), attested[i].filename]);
    }
  });
  const counted = (names: readonly string[]) => (names.length === files.length ? `all ${files.length === 1 ? 'its file' : `${files.length} files`}` : `${names.length} of ${files.length} files`);
  const lines = [...byPublisher].map(([publisher, names]) => `- ${publisher}: ${counted(names)}`);
  const unattested = files.filter((file) => !file.provenance);
  if (unattested.length) lines.push(`- no attestation: ${unattested.slice(0, 5).map((file) => code(file.filename)).join(', ')}${unattested.length > 5 ? ` and ${unattested.length - 5} more` : ''}`);
  if (files.length > attested.length + unattested.length) lines.push(`- not read: ${files.length - attested.length - unattested.length} more files`);
  if (failures.length) lines.push(`- could not be read: ${sentence(failures.join('; '))}`);
  return `Published by (PEP 740 attestations of ${release.version}, as the index reports them; reqguard does not check the signatures):\n\n${lines.join('\n')}`;
}

function aboutLine(details: ProjectDetails | undefined): string | undefined {
  if (!details) return undefined;
  const parts: string[] = [];
  // Old `license` fields can hold a whole licence text: one short line is enough here.
  if (details.license) parts.push(`License: ${escape(shorten(details.license, 80))}`);
  const links = Object.entries(details.projectUrls).flatMap(([label, url]) => link(label, url) ?? []).slice(0, MAX_LINKS);
  if (links.length) parts.push(links.join(' · '));
  return parts.length ? parts.join(' · ') : undefined;
}

// ---- hashes -------------------------------------------------------------------------------------

const HASH_SPEC = findOption('--hash')!;

function describeFile(file: IndexedFile): string {
  const what = file.wheel
    ? `wheel for Python ${code(file.wheel.pythonTags.join('.'))}, ABI ${code(file.wheel.abiTags.join('.'))}, platform ${code(file.wheel.platformTags.join('.'))}`
    : file.kind === 'sdist' ? 'source distribution' : 'file';
  const yanked = file.yanked ? `; yanked${file.yankedReason ? `: ${escape(file.yankedReason)}` : ''}` : '';
  return `${code(file.filename)}: ${what}${yanked}`;
}

async function hashMarkdown(entry: RequirementEntry, hash: HashNode, deps: HoverDeps): Promise<string | undefined> {
  const digest = hash.digest.toLowerCase();
  const title = `${code('--hash')} ${escape(hash.algorithm)} ${code(shorten(digest, 20))}`;
  const expected = DIGEST_LENGTHS[hash.algorithm];
  if (expected === undefined) return paragraphs([title, `pip rejects ${escape(hash.algorithm)} hashes: only sha256, sha384 and sha512 are accepted.`]);
  if (digest.length !== expected || !/^[0-9a-f]+$/.test(digest)) return paragraphs([title, `Not a ${hash.algorithm} digest (${expected} hex digits): pip rejects it.`]);
  const { index } = deps;
  if (!index || !entry.normalizedName || entry.url) return paragraphs([title, HASH_SPEC.summary]);
  const info = await loadProjectInfo(index, entry.normalizedName, deps.signal);
  if (!info.data.ok) {
    const failure = failureLine(info.data.error, index.effective);
    return failure && paragraphs([title, failure]);
  }
  const pin = pinnedVersion(entry);
  const release = pin !== undefined ? releaseFor(info.releases, pin) : undefined;
  if (!release) {
    const why = pin === undefined
      ? `${escape(entry.name ?? entry.normalizedName)} is not pinned with ${code('==')}, so this hash cannot be checked against one release (hash-checking mode needs a pin).`
      : `${escape(entry.name ?? entry.normalizedName)} ${escape(pin)} is not ${onTheIndex(info.data.value)}, so this hash matches none of its files.`;
    return paragraphs([title, why, otherVersionLine(info, undefined, hash.algorithm, digest)]);
  }
  const label = `${escape(entry.name ?? entry.normalizedName)} ${release.version}`;
  const { matching, unchecked } = await matchFiles(release.files, hash.algorithm, digest, index, deps.signal);
  if (deps.signal?.aborted) return undefined;
  const lines: (string | undefined)[] = [title];
  if (matching.length) {
    lines.push(`Matches ${matching.length === 1 ? 'a file' : `${matching.length} files`} of ${label}:\n\n${matching.map((file) => `- ${describeFile(file)}`).join('\n')}`);
  } else if (unchecked.length < release.files.length) {
    lines.push(`Matches no file of ${label} ${onTheIndex(info.data.value)}${unchecked.length ? ' that could be checked' : ''}: a tampered file, or the hash of another version.`);
    if (!unchecked.length) lines.push(otherVersionLine(info, release, hash.algorithm, digest));
  }
  if (unchecked.length) lines.push(`Not checked (${unchecked.length} of ${release.files.length} files): ${sentence(unchecked.join('; '))}`);
  return paragraphs(lines);
}

/** Which files of `files` have `digest`, and why others could not be checked. */
async function matchFiles(files: readonly IndexedFile[], algorithm: string, digest: string, index: PackageIndex, signal?: AbortSignal): Promise<{ matching: IndexedFile[]; unchecked: string[] }> {
  const matching: IndexedFile[] = [];
  const unchecked: string[] = [];
  // Static mirrors give no hashes: sha256 is computed from the file (once, then cached); others cannot be.
  const digests = await Promise.all(files.map(async (file): Promise<{ ok: true; value: string } | { ok: false; why: string }> => {
    if (file.hashes[algorithm]) return { ok: true, value: file.hashes[algorithm].toLowerCase() };
    if (algorithm !== 'sha256') return { ok: false, why: `the index gives no ${algorithm} for ${file.filename}` };
    const result = await index.fileSha256(file, signal);
    return result.ok ? { ok: true, value: result.value.toLowerCase() } : { ok: false, why: result.error.message };
  }));
  digests.forEach((result, i) => {
    if (!result.ok) unchecked.push(result.why);
    else if (result.value === digest) matching.push(files[i]);
  });
  return { matching, unchecked };
}

/** Whose hash it is when it is not one of the pin's files (only hashes the index lists: nothing is downloaded for this). */
function otherVersionLine(info: ProjectInfo, release: Release | undefined, algorithm: string, digest: string): string | undefined {
  if (!info.data.ok) return undefined;
  const other = info.data.value.files.find((file) => file.version !== release?.version && file.hashes[algorithm]?.toLowerCase() === digest);
  return other ? `It is the hash of ${describeFile(other)} (version ${other.version}).` : undefined;
}
