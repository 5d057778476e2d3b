// pylock.toml rules that need pip's knowledge, which the parser does not have: PEP 440 order (the
// version a wheel or sdist file name gives must equal the package's `version`; packaging.pylock
// refuses the file otherwise: with parser/pylock.ts's problems, this makes packaging's verdict),
// and markers and wheel tags (which `environments` a package's wheels cover).
import { parseWheelFilename } from '../parser/links';
import { parseMarker, type MarkerInfo } from '../parser/pep508';
import { PYLOCK_INVALID, type Located, type PylockDocument, type PylockPackage } from '../parser/pylock';
import type { Problem } from '../parser/types';
import type { TargetEnvironment } from './environment';
import { evaluateMarker } from './markers';
import { fitsTarget } from './releases';
import { describedTarget } from './targets';
import { compare, valid } from './versions';

/** `Version in 'a-1.0-py3-none-any.whl' is not consistent with package version '1.1'`, once per file. */
export function pylockVersionProblems(document: PylockDocument): Problem[] {
  const problems: Problem[] = [];
  for (const pkg of document.packages) {
    const version = pkg.version?.value;
    if (version === undefined || !valid(version)) continue;
    const files = [...pkg.wheels.map((wheel, i) => ({ file: wheel, where: `wheels[${i}]` })), ...(pkg.sdist ? [{ file: pkg.sdist, where: 'sdist' }] : [])];
    for (const { file, where } of files) {
      if (file.nameVersion === undefined || !valid(file.nameVersion) || compare(file.nameVersion, version) === 0) continue;
      problems.push({
        code: PYLOCK_INVALID,
        message: `packages[${pkg.position}].${where}: Version in ${JSON.stringify(file.fileName)} is not consistent with package version ${JSON.stringify(version)}.`,
        span: file.name?.span ?? file.path?.span ?? file.url?.span ?? file.span,
      });
    }
  }
  return problems;
}

/**
 * Machines standing for the platforms an `environments` marker may name: each is asked whether
 * the marker holds there and whether a wheel of the package installs there.
 */
const SAMPLE_PLATFORMS = ['manylinux_2_28_x86_64', 'manylinux_2_28_aarch64', 'musllinux_1_2_x86_64', 'win_amd64', 'win32', 'win_arm64', 'macosx_14_0_arm64', 'macosx_14_0_x86_64'];
const SAMPLE_MINORS = [9, 10, 11, 12, 13, 14];

let samples: readonly TargetEnvironment[] | undefined;

/** CPython 3.9 to 3.14 on each sample platform (made once). */
function sampleTargets(): readonly TargetEnvironment[] {
  samples ??= SAMPLE_PLATFORMS.flatMap((platform) =>
    SAMPLE_MINORS.flatMap((minor) => {
      const described = describedTarget({ pythonVersion: `3.${minor}`, platform }, { source: 'default' });
      return described.ok ? [described.target] : [];
    }),
  );
  return samples;
}

/** An environment of the lock file where a package has no file to install. */
export interface UncoveredEnvironment {
  readonly environment: Located<string>;
  /** A machine of that environment no wheel of the package suits. */
  readonly example: TargetEnvironment;
}

/**
 * The lock's `environments` in which a package (all wheels, no sdist) has no wheel to install,
 * when its wheels do suit another of them: `pip lock` writes a lock for the one environment it
 * runs in, so a file claiming more is short of wheels there. An environment no sample machine
 * satisfies, or a package whose marker cannot be evaluated, is not judged.
 */
export function uncoveredEnvironments(lock: PylockDocument, pkg: PylockPackage): UncoveredEnvironment[] {
  if (lock.environments.length < 2 || pkg.sourceKind !== 'files' || pkg.sdist || pkg.wheels.length === 0) return [];
  const wheels = pkg.wheels.flatMap((file) => {
    const wheel = file.fileName === undefined ? undefined : parseWheelFilename(file.fileName);
    return wheel ? [{ kind: 'wheel' as const, wheel, requiresPython: pkg.requiresPython?.value }] : [];
  });
  const marker = pkg.marker ? parseMarker(pkg.marker.value) : undefined;
  if (marker && !marker.ok) return [];
  /** Whether a marker holds on a machine; one that cannot be evaluated there does not hold. */
  const holds = (expression: MarkerInfo, target: TargetEnvironment) => {
    const result = evaluateMarker(expression, target.markers);
    return result.ok && result.value;
  };
  const judged = lock.environments.flatMap((environment) => {
    const parsed = parseMarker(environment.value);
    if (!parsed.ok) return [];
    const machines = sampleTargets().filter((target) => (!marker || holds(marker.value, target)) && holds(parsed.value, target));
    if (machines.length === 0) return [];
    const unsuited = machines.filter((target) => !wheels.some((file) => fitsTarget(file, target)));
    return [{ environment, covered: unsuited.length < machines.length, unsuited }];
  });
  if (!judged.some((entry) => entry.covered)) return [];
  // The example: a machine with a Python the wheels do suit elsewhere, as the one that fails for want of a platform.
  const suitedPythons = new Set(sampleTargets().filter((target) => wheels.some((file) => fitsTarget(file, target))).map((target) => target.markers.python_version));
  return judged
    .filter((entry) => !entry.covered)
    .map(({ environment, unsuited }) => ({ environment, example: unsuited.find((target) => suitedPythons.has(target.markers.python_version)) ?? unsuited[0] }));
}
