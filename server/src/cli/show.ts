// `reqguard show`: where projects come from and what the index holds for them. The JSON report
// is a public interface (README, "show --json"); the text output is built from the same report.
import { settingsIndex } from '../engine/documentIndex';
import { fileIndex } from '../engine/engine';
import type { IndexError } from '../index/errors';
import type { EffectiveIndex, Freshness, PackageIndex } from '../index/packageIndex';
import { releasesOf } from '../pip/releases';
import { flag, parseArgs, quoted, UsageError, valued } from './args';
import { readFile, type CliIo } from './files';
import { INDEX_OPTIONS, openIndexRuntime, readIndexOptions } from './indexOptions';

export interface ShowReport {
  readonly index: IndexReport;
  readonly projects: readonly ProjectReport[];
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

const SHOW_OPTIONS = { '--json': flag, '--requirement': { ...valued, short: '-r' }, ...INDEX_OPTIONS };
/** Text output lists this many versions, then says how many more there are. */
const TEXT_VERSIONS = 10;
/** PEP 508 names: anything else would end up in a URL path as is. */
const PROJECT_NAME = /^([a-z0-9]|[a-z0-9][a-z0-9._-]*[a-z0-9])$/i;

export async function show(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, SHOW_OPTIONS);
  const options = readIndexOptions(args, io);
  if (args.all('--requirement').length > 1) throw new UsageError('show takes one -r FILE');
  const names = args.positionals;
  if (names.length === 0) throw new UsageError('show needs at least one PROJECT');
  const invalid = names.find((name) => !PROJECT_NAME.test(name));
  if (invalid !== undefined) throw new UsageError(`${quoted(invalid)} is not a project name`);
  const requirementsFile = args.last('--requirement');
  const file = requirementsFile === undefined ? undefined : readFile(requirementsFile, io, { followIncludes: true });
  if (requirementsFile !== undefined && !file) return 2;

  const runtime = openIndexRuntime(options, io);
  try {
    const index = file
      ? fileIndex(runtime, file, options.settings)
      : settingsIndex(runtime, options.settings.index);
    const projects = await Promise.all(names.map((name) => describeProject(index, name)));
    const report: ShowReport = { index: describeIndex(index.effective), projects };
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

async function describeProject(index: PackageIndex, project: string): Promise<ProjectReport> {
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

function formatProject(project: ProjectReport): string {
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
  for (const problem of project.problems) lines.push(`  warning [${problem.kind}] ${problem.message}`);
  const data =
    project.data === 'fetched' ? 'fetched from the index' : project.data === 'cached' ? `cached, fetched ${project.fetchedAt}` : `stale: the index failed, showing data fetched ${project.fetchedAt}`;
  lines.push(`  (${data})`);
  return lines.join('\n') + '\n';
}

export function formatShowText(report: ShowReport): string {
  return [formatIndex(report.index), ...report.projects.map(formatProject)].join('\n');
}
