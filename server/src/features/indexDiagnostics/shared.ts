// What every index check shares: the codes, the dependencies, loading projects once, and when
// an answer is an absence rather than an outage.
import type { Result } from '../../index/errors';
import type { OsvPost } from '../../index/osv';
import type { PackageIndex, ProjectData } from '../../index/packageIndex';
import type { RequirementEntry } from '../../parser/requirementsFile';
import type { IncludedFile } from '../../pip/includes';
import type { Span } from '../../parser/types';
import { type ProjectInfo, loadProjectInfo, partialBecause } from '../../pip/projectInfo';
import type { TargetEnvironment } from '../../pip/environment';
import type { Release } from '../../pip/releases';
import type { DiagnosticCode, ReqguardSettings } from '../../settings';
import { type Finding, severityOf } from '../diagnostics';


/** The codes only this module reports, in the order findings on one range are listed. */
export const INDEX_DIAGNOSTIC_CODES = [
  'unknown-project',
  'quarantined',
  'project-status',
  'dependency-confusion',
  'unknown-version',
  'no-matching-version',
  'hash-mismatch',
  'yanked',
  'vulnerable',
  'requires-python',
  'too-new',
  'missing-dependency',
  'dependency-conflict',
  'dependencies-unknown',
  'no-compatible-file',
  'outdated',
  'index-checks-limited',
] as const satisfies readonly DiagnosticCode[];

/**
 * Projects looked up for one file. Each costs at least one request and its answer in memory; the
 * corpus's largest file (home-assistant's requirements_all.txt) names 714, while 200,000 lines of
 * distinct names once ran for minutes and gigabytes without an end.
 */
export const MAX_PROJECT_LOOKUPS = 5000;

export interface IndexDiagnosticsDeps {
  /** The index this document installs from. */
  readonly index: PackageIndex;
  readonly settings: ReqguardSettings;
  /** Where the document is installed: releases are checked against each. None: Requires-Python and wheel tags are not checked. */
  readonly targets?: readonly TargetEnvironment[];
  readonly signal?: AbortSignal;
  /** How to reach OSV; asked only when `settings.vulnerabilities.osv` is on. */
  readonly osv?: { readonly post: OsvPost };
  /** The clock release ages are measured with (default: Date.now). */
  readonly now?: () => number;
  /** Where the document lives and what it includes, and the target: given, the pins' dependencies are checked. */
  readonly dependencies?: { readonly path: string; readonly includes?: readonly IncludedFile[]; readonly target: TargetEnvironment };
}

const CODE_ORDER = new Map<string, number>(INDEX_DIAGNOSTIC_CODES.map((code, i) => [code, i]));

/** A stable order, whatever order the index answered in. */
export function byPlace(a: Finding, b: Finding): number {
  return a.span.start - b.span.start || a.span.end - b.span.end || CODE_ORDER.get(a.code)! - CODE_ORDER.get(b.code)! || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}

/** Whether the user would see `code` at all: work (downloads, extra requests) for hidden codes is skipped. */
export function shown(code: DiagnosticCode, settings: ReqguardSettings): boolean {
  return severityOf({ code, message: '', span: { start: 0, end: 0 } }, settings) !== undefined;
}

/**
 * The items whose project is among the first MAX_PROJECT_LOOKUPS of the file (later mentions of
 * those projects included), and one finding on the first item past the bound, saying how many
 * projects were left out.
 */
export function withinLookupLimit<T>(items: readonly T[], project: (item: T) => { readonly normalized: string; readonly span: Span }): { checked: T[]; notice?: Finding } {
  const looked = new Set<string>();
  const skipped = new Set<string>();
  const checked: T[] = [];
  let first: Span | undefined;
  for (const item of items) {
    const { normalized, span } = project(item);
    if (looked.has(normalized) || looked.size < MAX_PROJECT_LOOKUPS) {
      looked.add(normalized);
      checked.push(item);
    } else {
      first ??= span;
      skipped.add(normalized);
    }
  }
  if (!first) return { checked };
  const message =
    `Index checks stop after ${MAX_PROJECT_LOOKUPS.toLocaleString('en-US')} projects: this one and ${(skipped.size - 1).toLocaleString('en-US')} more ` +
    `projects after it are not looked up, so they are not checked against the index (the offline checks still cover them).`;
  return { checked, notice: { code: 'index-checks-limited', message, span: first } };
}

export async function loadAll(names: Iterable<string>, deps: IndexDiagnosticsDeps): Promise<Map<string, ProjectInfo>> {
  const unique = [...new Set(names)];
  const infos = await Promise.all(unique.map((name) => loadProjectInfo(deps.index, name, deps.signal)));
  return new Map(unique.map((name, i) => [name, infos[i]]));
}

/** Not on any index or find-links location the document uses: an answer, not an outage. */
export function definitelyMissing(data: Result<ProjectData>, index: PackageIndex): boolean {
  // --no-index without --find-links has nowhere to look: every project "missing" says nothing.
  const hasSources = index.effective.primary !== undefined || index.effective.findLinks.length > 0;
  return hasSources && !data.ok && data.error.kind === 'not-found';
}


/** Whether the document looks in more than one place, so a finding should say which one answered. */
export function severalSources(index: PackageIndex): boolean {
  const { primary, extra, findLinks } = index.effective;
  return (primary === undefined ? 0 : 1) + extra.length + findLinks.length > 1;
}

/** Absence is only claimed from complete, current data: a stale copy or a failed index may lack what exists. */
export function complete(data: ProjectData): boolean {
  return !data.stale && !partialBecause(data);
}


/** A pinned entry whose release is on the index: what the pin, hash and vulnerability checks read. */
export interface PinnedCheck {
  readonly entry: RequirementEntry;
  readonly info: ProjectInfo;
  readonly data: ProjectData;
  readonly release: Release;
  /** The pin's version, where version findings point. */
  readonly span: Span;
  readonly label: string;
}
