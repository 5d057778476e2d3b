// What every index check shares: the codes, the dependencies, loading projects once, and when
// an answer is an absence rather than an outage.
import type { Result } from '../../index/errors';
import type { OsvPost } from '../../index/osv';
import type { PackageIndex, ProjectData } from '../../index/packageIndex';
import type { RequirementEntry } from '../../parser/requirementsFile';
import type { Span } from '../../parser/types';
import { type ProjectInfo, loadProjectInfo } from '../../pip/projectInfo';
import type { Release } from '../../pip/releases';
import type { DiagnosticCode, ReqguardSettings } from '../../settings';
import { type Finding, severityOf } from '../diagnostics';


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

const CODE_ORDER = new Map<string, number>(INDEX_DIAGNOSTIC_CODES.map((code, i) => [code, i]));

/** A stable order, whatever order the index answered in. */
export function byPlace(a: Finding, b: Finding): number {
  return a.span.start - b.span.start || a.span.end - b.span.end || CODE_ORDER.get(a.code)! - CODE_ORDER.get(b.code)! || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}

/** Whether the user would see `code` at all: work (downloads, extra requests) for hidden codes is skipped. */
export function shown(code: DiagnosticCode, settings: ReqguardSettings): boolean {
  return severityOf({ code, message: '', span: { start: 0, end: 0 } }, settings) !== undefined;
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


/** Absence is only claimed from complete, current data: a stale copy or a failed index may lack what exists. */
export function complete(data: ProjectData): boolean {
  return !data.stale && data.problems.length === 0;
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
