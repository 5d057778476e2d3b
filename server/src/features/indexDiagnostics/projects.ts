// Projects the index does not have: unknown-project, with a "did you mean" from its project list.
import type { Span } from '../../parser/types';
import type { Finding } from '../diagnostics';
import { type IndexDiagnosticsDeps, shown } from './shared';
import { closestName } from './suggestions';


/** unknown-project findings, with a "did you mean" from the index's project list when it has one. */
export async function unknownProjects(missing: readonly { name: string; span: Span }[], deps: IndexDiagnosticsDeps): Promise<Finding[]> {
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
