// The cooldown (reqguard.minimumReleaseAge, `check --minimum-release-age`): a pin to a release
// uploaded more recently than that is reported (too-new), with the newest release old enough,
// which the pin fixes then pick. A malicious release is usually found and removed within days;
// waiting that long before deploying one is uv's `exclude-newer` and pip 26.1's
// `--uploaded-prior-to` idea. Upload times come from the index (PEP 700); without one, nothing is said.
import { dayOf, oldEnough, pickRelease } from '../../pip/releases';
import type { ReqguardSettings } from '../../settings';
import type { Finding } from '../diagnostics';
import type { TargetEnvironment } from '../../pip/environment';
import { entryTargets } from '../../pip/targets';
import type { PinnedCheck } from './shared';

/** When releases must have been uploaded before, under the settings' cooldown; undefined without one. */
export function cooldownCutoff(settings: ReqguardSettings, now: number): number | undefined {
  return settings.minimumReleaseAge ? now - settings.minimumReleaseAge.ms : undefined;
}

/** How long ago, in the largest whole unit that fits (`3 hours`, `2 days`). */
function ago(ms: number): string {
  const units: [string, number][] = [['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000]];
  for (const [unit, size] of units) {
    const count = Math.floor(ms / size);
    if (count >= 1) return `${count} ${unit}${count === 1 ? '' : 's'}`;
  }
  return 'less than a minute';
}

export function tooNewFindings({ entry, info, release, span, label }: PinnedCheck, settings: ReqguardSettings, targets: readonly TargetEnvironment[], now: number, allowPrereleases: boolean): Finding[] {
  const cutoff = cooldownCutoff(settings, now);
  if (cutoff === undefined || release.uploadTime === undefined || oldEnough(release, cutoff)) return [];
  const age = settings.minimumReleaseAge!.text;
  const uploaded = Date.parse(release.uploadTime);
  const older = pickRelease(info.releases, { specifier: '', targets: entryTargets(entry, targets), allowPrereleases, uploadedBefore: cutoff });
  return [{
    code: 'too-new',
    message:
      `${label} was uploaded ${ago(Math.max(0, now - uploaded))} ago (${dayOf(release.uploadTime)}), more recently than the minimum release age (${age}): ` +
      `a release that turns out to be malicious is usually found and removed within days. ` +
      (older ? `The newest release at least ${age} old is ${older.version}.` : `No release is ${age} old yet.`),
    span,
  }];
}
