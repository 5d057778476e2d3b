// Known vulnerabilities of pinned releases: the JSON API's advisories, and OSV when the user opted in.
import type { Vulnerability } from '../../index/jsonApi';
import type { PackageIndex } from '../../index/packageIndex';
import type { AdvisoryLookup } from '../../pip/fixPlan';
import type { ReqguardSettings } from '../../settings';
import { queryOsv } from '../../index/osv';
import { compare, gt, valid } from '../../pip/versions';
import type { VulnerableData } from '../codeActions';
import type { Finding } from '../diagnostics';
import { type IndexDiagnosticsDeps, type PinnedCheck, shown } from './shared';

/** OSV's ids per pinned check, when the user opted in; project names go nowhere otherwise. */
export async function osvVulnerabilities(pinned: readonly Pick<PinnedCheck, 'data' | 'release'>[], deps: IndexDiagnosticsDeps): Promise<string[][] | undefined> {
  const { osv, osvUrl } = deps.settings.vulnerabilities;
  if (!osv || !deps.osv || pinned.length === 0 || !shown('vulnerable', deps.settings)) return undefined;
  return queryOsv(deps.osv.post, osvUrl, pinned.map((check) => ({ name: check.data.name, version: check.release.version })), deps.signal);
}

export async function vulnerabilityFindings(check: Pick<PinnedCheck, 'data' | 'release' | 'label' | 'span'>, osvIds: Promise<readonly string[]>, deps: IndexDiagnosticsDeps): Promise<Finding[]> {
  if (!shown('vulnerable', deps.settings)) return [];
  const [details, fromOsv] = await Promise.all([deps.index.details(check.data.name, check.release.version, deps.signal), osvIds]);
  // Withdrawn advisories were already dropped by the JSON API reader.
  const known = details?.vulnerabilities ?? [];
  const { ids, fixedIn, osvOnly } = mergeAdvisories(known, fromOsv);
  if (ids.length === 0) return [];
  // The quick fix reads what to upgrade to from here (codeActions.ts VulnerableData).
  const data: VulnerableData = { ids, fixedIn };
  return [{ code: 'vulnerable', message: vulnerabilityMessage(check.label, check.release.version, known, osvOnly), span: check.span, data }];
}

/** The JSON API's advisories and OSV's ids as one list (an OSV id that is an advisory's id or alias counts once), with the versions the advisories say fix them. */
export function mergeAdvisories(known: readonly Vulnerability[], fromOsv: readonly string[]): VulnerableData & { readonly osvOnly: readonly string[] } {
  const seen = new Set(known.flatMap((vuln) => [vuln.id, ...vuln.aliases]));
  const osvOnly = fromOsv.filter((id) => !seen.has(id) && seen.add(id));
  return { ids: [...known.map((vuln) => vuln.id), ...osvOnly], fixedIn: [...new Set(known.flatMap((vuln) => vuln.fixedIn))], osvOnly };
}

/**
 * A release's advisories for `reqguard fix --upgrade-vulnerable`: the index's JSON API, and OSV
 * when the user opted in. Unknown (undefined) when a source that was to be asked could not answer
 * (with OSV on, the JSON API alone does not make a release clean), or when there is none.
 */
export function advisoryLookup(index: PackageIndex, settings: ReqguardSettings, osv: IndexDiagnosticsDeps['osv']): AdvisoryLookup {
  const { osvUrl } = settings.vulnerabilities;
  const useOsv = settings.vulnerabilities.osv && osv !== undefined;
  return async (project, version, signal) => {
    const [details, fromOsv] = await Promise.all([index.details(project, version, signal), useOsv ? queryOsv(osv.post, osvUrl, [{ name: project, version }], signal) : undefined]);
    if (useOsv ? fromOsv === undefined : details === undefined) return undefined;
    return mergeAdvisories(details?.vulnerabilities ?? [], fromOsv?.[0] ?? []);
  };
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
