// What the index could not answer while a command used it. Features treat a failing index as
// "nothing to say" (indexDiagnostics reports no outage), which is right in the editor, where the
// status bar says it once; a command must say that its answer is incomplete.
import type { IndexError } from '../index/errors';
import type { PackageIndex } from '../index/packageIndex';

export interface WatchedIndex {
  /** Use this in place of the index: it records what fails. */
  readonly index: PackageIndex;
  /** Lookups that failed (an index down, offline with nothing cached…); "not found" is an answer, not a failure. */
  readonly failures: () => readonly IndexError[];
  /** When some answer came from the cache because its index failed: the oldest such answer's time. */
  readonly staleSince: () => number | undefined;
}

/**
 * Failures worth reporting: a caller that stopped caring, a definite "not found", or an sdist whose
 * dependencies need a build (an answer about that file) is none.
 */
function isFailure(error: IndexError): boolean {
  return error.kind !== 'not-found' && error.kind !== 'cancelled' && error.kind !== 'not-static';
}

export function watchFailures(index: PackageIndex): WatchedIndex {
  const failures = new Map<string, IndexError>();
  let staleSince: number | undefined;
  const record = (error: IndexError) => {
    if (isFailure(error)) failures.set(`${error.url}\n${error.message}`, error);
  };
  return {
    failures: () => [...failures.values()],
    staleSince: () => staleSince,
    index: {
      effective: index.effective,
      async project(name, signal) {
        const result = await index.project(name, signal);
        if (!result.ok) record(result.error);
        else {
          result.value.problems.forEach(record);
          if (result.value.stale) staleSince = Math.min(staleSince ?? Infinity, result.value.fetchedAt);
        }
        return result;
      },
      details: (name, version, signal) => index.details(name, version, signal),
      async fileSha256(file, signal) {
        const result = await index.fileSha256(file, signal);
        if (!result.ok) record(result.error);
        return result;
      },
      projectNames: (signal) => index.projectNames(signal),
      async metadata(file, signal) {
        const result = await index.metadata(file, signal);
        if (!result.ok) record(result.error);
        return result;
      },
      provenance: (file, signal) => index.provenance(file, signal),
    },
  };
}

/**
 * What to say on stderr about a file's lookups: failed ones in one line (the first in full, then
 * how many more), and answers served from an older cached copy because an index failed.
 */
export function describeLookups(file: string, watched: WatchedIndex): string[] {
  const lines: string[] = [];
  const [first, ...more] = watched.failures();
  if (first) {
    const others = more.length ? ` (and ${more.length} more failed ${more.length === 1 ? 'lookup' : 'lookups'})` : '';
    lines.push(`reqguard: ${file}: index checks incomplete: ${first.message}${others}\n`);
  }
  const stale = watched.staleSince();
  if (stale !== undefined) lines.push(`reqguard: ${file}: an index is failing; checked against its cached answers from ${new Date(stale).toISOString()}\n`);
  return lines;
}
