// `reqguard show`: where projects come from, the target environments, and what the index holds
// for them (with pip's pick for the targets). The JSON report is a public interface (README,
// "show --json"); the text output is built from the same report.
import { settingsIndex } from '../engine/documentIndex';
import { fileIndex } from '../engine/engine';
import type { IndexError } from '../index/errors';
import type { EffectiveIndex, Freshness, PackageIndex } from '../index/packageIndex';
import type { MarkerEnvironment, TargetEnvironment } from '../pip/environment';
import { pickRelease, releasesOf } from '../pip/releases';
import { describeTargets, targetLine } from '../pip/targets';
import { flag, parseArgs, quoted, UsageError, valued } from './args';
import { readFile, type CliIo } from './files';
import { INDEX_OPTIONS, openIndexRuntime, readIndexOptions } from './indexOptions';
import { readTargetOptions, TARGET_OPTIONS, targetsOrFail } from './targets';

export interface ShowReport {
  readonly index: IndexReport;
  /** Where the projects would be installed; empty when no target is known. */
  readonly targets: readonly TargetReport[];
  readonly projects: readonly ProjectReport[];
}

export interface TargetReport {
  /** "CPython 3.11 on Linux x86_64". */
  readonly name: string;
  /** "CPython 3.11 on Linux x86_64 (/usr/bin/python3)". */
  readonly label: string;
  /** interpreter (the Python extension), flag, setting, default (the Python on PATH). */
  readonly source: TargetEnvironment['source'];
  /** "python3 on PATH", "--python", "--platform". */
  readonly origin: string | null;
  readonly markers: MarkerEnvironment;
  /** How many wheel tags it installs; null when they are unknown (every wheel is taken for installable). */
  readonly tags: number | null;
}

export interface IndexReport {
  /** Redacted; null with --no-index. */
  readonly primary: string | null;
  readonly extra: readonly string[];
  readonly findLinks: readonly string[];
  readonly source: 'file' | 'command-line' | 'pip' | 'default';
  /** The requirements file, `--index-url`, the PIP_* variable or the pip.conf path; null for the default. */
  readonly sourceDetail: string | null;
  readonly offline: boolean;
}

export type ProjectReport = ShownProject | FailedProject;

export interface ShownProject {
  readonly project: string;
  readonly ok: true;
  readonly summary: string | null;
  /** fetched: the index answered during this run; cached: an earlier answer still fresh (or --offline); stale: the index failed, an older answer is shown. */
  readonly data: 'fetched' | 'cached' | 'stale';
  readonly fetchedAt: string;
  readonly newest: { readonly version: string; readonly requiresPython: string | null; readonly files: number } | null;
  /** The release pip would install with no version constraint: the newest every target can install (null: none can, or nothing is on the index). */
  readonly selected: string | null;
  readonly versions: readonly VersionReport[];
  /** Indexes that failed while others answered. */
  readonly problems: readonly ErrorReport[];
}

export interface VersionReport {
  readonly version: string;
  readonly files: number;
  /** A version is yanked when all of its files are (PEP 592). */
  readonly yanked: boolean;
  readonly yankedReason: string | null;
}

export interface FailedProject {
  readonly project: string;
  readonly ok: false;
  readonly error: ErrorReport;
}

export interface ErrorReport {
  readonly kind: IndexError['kind'];
  readonly message: string;
  readonly url: string;
  readonly status: number | null;
}

const SHOW_OPTIONS = { '--json': flag, '--requirement': { ...valued, short: '-r' }, ...TARGET_OPTIONS, ...INDEX_OPTIONS };
/** Text output lists this many versions, then says how many more there are. */
const TEXT_VERSIONS = 10;
/** PEP 508 names: anything else would end up in a URL path as is. */
const PROJECT_NAME = /^([a-z0-9]|[a-z0-9][a-z0-9._-]*[a-z0-9])$/i;

export async function show(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, SHOW_OPTIONS);
  const options = readIndexOptions(args, io);
  const targetOptions = readTargetOptions(args);
  if (args.all('--requirement').length > 1) throw new UsageError('show takes one -r FILE');
  const names = args.positionals;
  if (names.length === 0) throw new UsageError('show needs at least one PROJECT');
  const invalid = names.find((name) => !PROJECT_NAME.test(name));
  if (invalid !== undefined) throw new UsageError(`${quoted(invalid)} is not a project name`);
  const requirementsFile = args.last('--requirement');
  const file = requirementsFile === undefined ? undefined : readFile(requirementsFile, io, { followIncludes: true });
  if (requirementsFile !== undefined && !file) return 2;
  const targets = await targetsOrFail(targetOptions, io);
  if (!targets) return 2;

  const runtime = openIndexRuntime(options, io);
  try {
    const index = file
      ? fileIndex(runtime, file, options.settings)
      : settingsIndex(runtime, options.settings.index);
    const projects = await Promise.all(names.map((name) => describeProject(index, name, targets)));
    const report: ShowReport = { index: describeIndex(index.effective), targets: targets.map(describeTarget), projects };
    io.stdout(args.has('--json') ? JSON.stringify(report, null, 2) + '\n' : formatShowText(report));
    return projects.every((project) => project.ok) ? 0 : 1;
  } finally {
    // The HTTP pool keeps connections alive; closing it lets the process end.
    await runtime.close();
  }
}

function describeIndex(effective: EffectiveIndex): IndexReport {
  const fromFlag = effective.source === 'settings';
  return {
    primary: effective.primary ?? null,
    extra: effective.extra,
    findLinks: effective.findLinks,
    source: fromFlag ? 'command-line' : effective.source,
    sourceDetail: fromFlag ? '--index-url' : (effective.sourceDetail ?? null),
    offline: effective.offline,
  };
}

function describeError(error: IndexError): ErrorReport {
  return { kind: error.kind, message: error.message, url: error.url, status: error.status ?? null };
}

function describeTarget(target: TargetEnvironment): TargetReport {
  return { name: target.name, label: target.label, source: target.source, origin: target.origin ?? null, markers: target.markers, tags: target.tags?.length ?? null };
}

async function describeProject(index: PackageIndex, project: string, targets: readonly TargetEnvironment[]): Promise<ProjectReport> {
  const result = await index.project(project);
  if (!result.ok) return { project, ok: false, error: describeError(result.error) };
  const data = result.value;
  const details = await index.details(project);
  const releases = releasesOf(data, details);
  const newest = releases[0];
  return {
    project,
    ok: true,
    summary: details?.summary ?? null,
    data: DATA_STATE[data.freshness],
    fetchedAt: new Date(data.fetchedAt).toISOString(),
    newest: newest ? { version: newest.version, requiresPython: newest.requiresPython ?? null, files: newest.files.length } : null,
    selected: pickRelease(releases, { specifier: '', targets, allowPrereleases: index.effective.prereleases })?.version ?? null,
    versions: releases.map((release) => ({ version: release.version, files: release.files.length, yanked: release.yanked, yankedReason: release.yankedReason ?? null })),
    problems: data.problems.map(describeError),
  };
}

/** What the report calls each way of answering: asked during this run, an earlier answer, or an older one because the index failed. */
const DATA_STATE: Record<Freshness, ShownProject['data']> = {
  fetched: 'fetched',
  revalidated: 'fetched',
  local: 'fetched',
  cached: 'cached',
  memory: 'cached',
  stale: 'stale',
};

// ---- text ---------------------------------------------------------------------------------------

function formatIndex(index: IndexReport): string {
  const where = index.source === 'default' ? "pip's default" : `from ${index.sourceDetail}`;
  const lines = [index.primary === null ? 'index: none (--no-index)' : `index: ${index.primary} (${where})`];
  for (const extra of index.extra) lines.push(`extra index: ${extra}`);
  for (const links of index.findLinks) lines.push(`find-links: ${links}`);
  if (index.offline) lines.push('offline: cached answers and local indexes only');
  return lines.join('\n') + '\n';
}

function formatProject(project: ProjectReport, targets: string): string {
  // Same shape as check's lines: the code in brackets, then one sentence.
  if (!project.ok) return `${project.project}: error [${project.error.kind}] ${project.error.message}\n`;
  const lines = [project.summary ? `${project.project}: ${project.summary}` : project.project];
  const shown = project.versions.slice(0, TEXT_VERSIONS);
  const width = Math.max(0, ...shown.map((v) => v.version.length));
  for (const [position, version] of shown.entries()) {
    const notes: string[] = [];
    if (position === 0 && project.newest) {
      if (project.newest.requiresPython) notes.push(`requires-python ${project.newest.requiresPython}`);
      notes.push(`${project.newest.files} ${project.newest.files === 1 ? 'file' : 'files'}`);
    }
    if (version.yanked) notes.push(version.yankedReason ? `yanked: ${version.yankedReason}` : 'yanked');
    lines.push(`  ${version.version.padEnd(width)}${notes.length ? `  ${notes.join(', ')}` : ''}`.trimEnd());
  }
  if (project.versions.length === 0) lines.push('  no versions');
  if (project.versions.length > shown.length) lines.push(`  … ${project.versions.length - shown.length} more`);
  if (targets) lines.push(`  pip's pick for ${targets}: ${project.selected ?? 'none (no release installs there)'}`);
  for (const problem of project.problems) lines.push(`  warning [${problem.kind}] ${problem.message}`);
  const data =
    project.data === 'fetched' ? 'fetched from the index' : project.data === 'cached' ? `cached, fetched ${project.fetchedAt}` : `stale: the index failed, showing data fetched ${project.fetchedAt}`;
  lines.push(`  (${data})`);
  return lines.join('\n') + '\n';
}

export function formatShowText(report: ShowReport): string {
  const header = formatIndex(report.index) + report.targets.map((target) => `target: ${targetLine(target)}\n`).join('');
  const targets = report.targets.length ? describeTargets(report.targets) : '';
  return [header, ...report.projects.map((project) => formatProject(project, targets))].join('\n');
}
