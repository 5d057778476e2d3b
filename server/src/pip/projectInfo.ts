// What index-backed features know about one project: the merged index data, its releases, and
// the JSON API's enrichment when the index has it. Loaded once per project per request burst;
// the index layer's caches make repeated loads free.
import type { IndexError, Result } from '../index/errors';
import type { ProjectDetails } from '../index/jsonApi';
import type { PackageIndex, ProjectData } from '../index/packageIndex';
import type { RequirementEntry } from '../parser/requirementsFile';
import { isPinned } from './pinning';
import { releasesOf, type Release } from './releases';

export interface ProjectInfo {
  /** PEP 503 normalized. */
  readonly name: string;
  readonly data: Result<ProjectData>;
  /** Newest first; empty when the index failed. */
  readonly releases: readonly Release[];
  /** Project-level JSON API data (summary, links, licence, release dates), when available. */
  readonly details?: ProjectDetails;
}

export async function loadProjectInfo(index: PackageIndex, name: string, signal?: AbortSignal, options: { details?: boolean } = {}): Promise<ProjectInfo> {
  const [data, details] = await Promise.all([index.project(name, signal), options.details ? index.details(name, undefined, signal) : Promise.resolve(undefined)]);
  return { name, data, releases: data.ok ? releasesOf(data.value, details) : [], details };
}

/**
 * Why a merged answer is partial: the first source that failed while others answered (an index
 * down beside a find-links folder). The failed source may hold releases and files the data
 * lacks, so nothing may be concluded from their absence, and nothing picked or hashed from it.
 */
export function partialBecause(data: ProjectData): IndexError | undefined {
  return data.problems[0];
}

/** The version an entry pins (pip's `is_pinned`: one `==` clause without a wildcard, or `===`), if any. */
export function pinnedVersion(entry: Pick<RequirementEntry, 'specifiers'>): string | undefined {
  return isPinned(entry) ? entry.specifiers[0].version : undefined;
}

/** The specifier text of an entry as pip passes it to packaging (`>=1.0,<2`). */
export function specifierText(entry: Pick<RequirementEntry, 'specifiers'>): string {
  return entry.specifiers.map((clause) => clause.text).join(',');
}

/** Named requirements with a project name, the ones index features work on. */
export function indexedEntries(entries: readonly { kind: string }[]): RequirementEntry[] {
  return (entries as RequirementEntry[]).filter((entry) => entry.kind === 'requirement' && entry.form === 'named' && !entry.url && !!entry.normalizedName && !entry.rejected);
}
