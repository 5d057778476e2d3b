// What the index says about a project as a whole (PEP 792 project status markers): quarantined
// (unsafe, e.g. malware: nothing to install), archived (no more releases) or deprecated.
import type { ProjectData } from '../../index/packageIndex';
import type { Span } from '../../parser/types';
import type { Finding } from '../diagnostics';

/** The index's reason, as a clause; the index's own words are quoted, never trusted as markup. */
function because(reason: string | undefined): string {
  return reason ? ` (the index says: "${reason.replace(/\s+/g, ' ')}")` : '';
}

/** Findings for the statuses the indexes gave `name`, one per index and status. */
export function statusFindings(data: ProjectData, name: string, span: Span, severalSources: boolean): Finding[] {
  return data.statuses.map(({ status, reason, source }): Finding => {
    const where = severalSources ? ` on ${source}` : '';
    if (status === 'quarantined') {
      return {
        code: 'quarantined',
        message: `'${name}' cannot be installed: the index has quarantined this project${where}${because(reason)}. Quarantine is for projects considered unsafe to use, such as malware; the index offers none of its files. Remove it and check whether it was ever installed.`,
        span,
      };
    }
    const what = status === 'archived' ? 'archived: its maintainers expect no further releases, so no fixes either' : 'deprecated: it is considered obsolete and may have been superseded by another project';
    return { code: 'project-status', message: `'${name}' is ${what}${where}${because(reason)}.`, span };
  });
}

/** Quarantined with nothing to install: the version checks would only repeat the news. */
export function quarantinedOnly(data: ProjectData): boolean {
  return data.statuses.some((status) => status.status === 'quarantined') && data.files.length === 0;
}
