// Target environments described rather than asked: a Python version, a platform tag as pip's
// `--platform` takes it, and an implementation give the PEP 508 marker values and the wheel tags
// that machine installs, in `packaging.tags` order (the interpreter's own ABI, abi3, `none`, older
// abi3, then `pyXY-none-<platform>` and `*-none-any`). A platform tag names a machine: glibc 2.28
// on x86_64 (`manylinux_2_28_x86_64`) also installs manylinux_2_17 wheels, as `sys_tags()` on such
// a machine says. Pure; test/unit/targets.test.ts records what packaging 26.2 and pip 26.2.1 list.
import { isRecord, type TargetSetting } from '../settings';
import type { MarkerEnvironment, TargetEnvironment } from './environment';

export type TargetResult = { readonly ok: true; readonly target: TargetEnvironment } | { readonly ok: false; readonly error: string };

/** A Python version a target is described by: 3.X or 3.X.Y (two digits at most per part keep every tag list short). */
const PYTHON_VERSION = /^3\.(\d{1,2})(?:\.(\d{1,2}))?$/;

const IMPLEMENTATIONS: Readonly<Record<string, { readonly name: string; readonly marker: string; readonly title: string }>> = {
  cp: { name: 'cp', marker: 'cpython', title: 'CPython' },
  cpython: { name: 'cp', marker: 'cpython', title: 'CPython' },
  pp: { name: 'pp', marker: 'pypy', title: 'PyPy' },
  pypy: { name: 'pp', marker: 'pypy', title: 'PyPy' },
};

/** The platform's part of the marker environment, and the platform tags a machine of it installs, best first. */
interface PlatformFacts {
  readonly markers: Pick<MarkerEnvironment, 'os_name' | 'sys_platform' | 'platform_system' | 'platform_machine'>;
  readonly platforms: readonly string[];
}

type PlatformResult = { readonly ok: true; readonly facts: PlatformFacts } | { readonly ok: false; readonly error: string };

/** packaging's `_LEGACY_MANYLINUX_MAP`: the older names of three glibc versions. */
const LEGACY_MANYLINUX: Readonly<Record<number, string>> = { 17: 'manylinux2014', 12: 'manylinux2010', 5: 'manylinux1' };
/** The glibc minor each legacy name stands for. */
const LEGACY_GLIBC: Readonly<Record<string, number>> = { manylinux2014: 17, manylinux2010: 12, manylinux1: 5 };
/** Marker `platform_machine` of Windows platform tags (what `platform.machine()` says there). */
const WINDOWS_MACHINES: Readonly<Record<string, string>> = { win_amd64: 'AMD64', win32: 'x86', win_arm64: 'ARM64' };
/** macOS architectures a machine has; `universal2`, `intel`, `fat*` are wheel formats, not machines. */
const MAC_MACHINES = new Set(['x86_64', 'arm64', 'i386', 'ppc', 'ppc64']);
/** The highest glibc and musl minor versions, and macOS major version, a platform tag may name: enough for decades, and bounds every list. */
const MAX_MINOR = 99;
const MAX_MACOS = 99;

const linux = (arch: string, platforms: string[]): PlatformResult => ({
  ok: true,
  facts: { markers: { os_name: 'posix', sys_platform: 'linux', platform_system: 'Linux', platform_machine: arch }, platforms: [...platforms, `linux_${arch}`] },
});

/** manylinux tags of a glibc 2.`minor` machine, as packaging's `_manylinux.platform_tags`: down to 2.17 (2.5 on x86). */
function manylinux(minor: number, arch: string, given: string): PlatformResult {
  const oldest = arch === 'x86_64' || arch === 'i686' ? 5 : 17;
  if (minor < oldest) return { ok: false, error: `${given}: manylinux for ${arch} starts at glibc 2.${oldest}` };
  if (minor > MAX_MINOR) return { ok: false, error: `${given}: no glibc 2.${minor}` };
  const platforms: string[] = [];
  for (let glibc = minor; glibc >= oldest; glibc--) {
    platforms.push(`manylinux_2_${glibc}_${arch}`);
    if (LEGACY_MANYLINUX[glibc]) platforms.push(`${LEGACY_MANYLINUX[glibc]}_${arch}`);
  }
  return linux(arch, platforms);
}

/** packaging's `mac_platforms(version, arch)`. */
function macPlatforms(major: number, minor: number, arch: string): string[] {
  const formats = (version: [number, number]): string[] => {
    const [, versionMinor] = version;
    const old = version[0] === 10;
    const list = [arch];
    if (arch === 'x86_64') {
      if (old && versionMinor < 4) return [];
      list.push('intel', 'fat64', 'fat32');
    } else if (arch === 'i386') {
      if (old && versionMinor < 4) return [];
      list.push('intel', 'fat32', 'fat');
    } else if (arch === 'ppc64') {
      if (!old || versionMinor > 5 || versionMinor < 4) return [];
      list.push('fat64');
    } else if (arch === 'ppc') {
      if (!old || versionMinor > 6) return [];
      list.push('fat32', 'fat');
    }
    if (arch === 'arm64' || arch === 'x86_64') list.push('universal2');
    if (arch === 'x86_64' || arch === 'i386' || arch === 'ppc64' || arch === 'ppc') list.push('universal');
    return list;
  };
  const platforms: string[] = [];
  const add = (versionMajor: number, versionMinor: number, only?: string) => {
    for (const format of only ? [only] : formats([versionMajor, versionMinor])) platforms.push(`macosx_${versionMajor}_${versionMinor}_${format}`);
  };
  if (major === 10) {
    for (let m = minor; m >= 0; m--) add(10, m);
  } else {
    // From macOS 11 each yearly release bumps the major version; x86_64 still runs every 10.x binary.
    for (let m = major; m > 10; m--) add(m, 0);
    for (let m = 16; m > 3; m--) add(10, m, arch === 'x86_64' ? undefined : 'universal2');
  }
  return platforms;
}

/** What a platform tag says about the machine, or why it names none reqguard can describe. */
export function platformFacts(tag: string): PlatformResult {
  const platform = tag.trim().toLowerCase();
  let match: RegExpExecArray | null;
  if ((match = /^manylinux_(\d+)_(\d+)_([a-z0-9_]+)$/.exec(platform))) {
    if (match[1] !== '2') return { ok: false, error: `${platform}: glibc versions are 2.x` };
    return manylinux(Number(match[2]), match[3], platform);
  }
  if ((match = /^(manylinux2014|manylinux2010|manylinux1)_([a-z0-9_]+)$/.exec(platform))) return manylinux(LEGACY_GLIBC[match[1]], match[2], platform);
  if ((match = /^musllinux_(\d+)_(\d+)_([a-z0-9_]+)$/.exec(platform))) {
    const minor = Number(match[2]);
    if (match[1] !== '1' || minor > MAX_MINOR) return { ok: false, error: `${platform}: musl versions are 1.x` };
    // packaging's `_musllinux.platform_tags`: every 1.x from the machine's down to 1.0.
    const platforms = Array.from({ length: minor + 1 }, (_, i) => `musllinux_1_${minor - i}_${match![3]}`);
    return linux(match[3], platforms);
  }
  // A Linux machine whose C library is not named installs wheels tagged linux_<arch> only, as with pip's --platform.
  if ((match = /^linux_([a-z0-9_]+)$/.exec(platform))) return linux(match[1], []);
  if (WINDOWS_MACHINES[platform]) {
    return { ok: true, facts: { markers: { os_name: 'nt', sys_platform: 'win32', platform_system: 'Windows', platform_machine: WINDOWS_MACHINES[platform] }, platforms: [platform] } };
  }
  if ((match = /^macosx_(\d+)_(\d+)_([a-z0-9_]+)$/.exec(platform))) {
    const [major, minor, arch] = [Number(match[1]), Number(match[2]), match[3]];
    if (!MAC_MACHINES.has(arch)) return { ok: false, error: `${platform}: ${arch} is a wheel format, not a machine: name the Mac's architecture (arm64 or x86_64)` };
    if (major < 10 || major > MAX_MACOS || (major === 10 && minor > 16)) return { ok: false, error: `${platform}: no macOS ${major}.${minor}` };
    return { ok: true, facts: { markers: { os_name: 'posix', sys_platform: 'darwin', platform_system: 'Darwin', platform_machine: arch }, platforms: macPlatforms(major, minor, arch) } };
  }
  return {
    ok: false,
    error: `${platform}: not a platform reqguard can describe (manylinux_2_28_x86_64, manylinux2014_aarch64, musllinux_1_2_x86_64, linux_x86_64, win_amd64, win32, win_arm64, macosx_11_0_arm64)`,
  };
}

/**
 * packaging's `cpython_tags(python_version=(3, minor))` then `compatible_tags(…, interpreter='cp3<minor>')`
 * for the platforms, as `sys_tags()` lists them on such a machine (and pip's `get_supported`).
 */
export function cpythonTags(minor: number, platforms: readonly string[]): string[] {
  const version = `3${minor}`;
  // Before 3.8 a default build's ABI carries pymalloc's `m` (and before 3.3 the UCS-4 `u`).
  const abi = `cp${version}${minor < 8 ? 'm' : ''}${minor < 3 ? 'u' : ''}`;
  const tags: string[] = [];
  const each = (interpreter: string, tagAbi: string) => {
    for (const platform of platforms) tags.push(`${interpreter}-${tagAbi}-${platform}`);
  };
  each(`cp${version}`, abi);
  // abi3 (PEP 384) from 3.2 on.
  const abi3 = minor >= 2;
  if (abi3) each(`cp${version}`, 'abi3');
  each(`cp${version}`, 'none');
  if (abi3) for (let older = minor - 1; older >= 2; older--) each(`cp3${older}`, 'abi3');
  const pythons = [`py${version}`, 'py3', ...Array.from({ length: minor }, (_, i) => `py3${minor - 1 - i}`)];
  for (const python of pythons) each(python, 'none');
  tags.push(`cp${version}-none-any`);
  for (const python of pythons) tags.push(`${python}-none-any`);
  return tags;
}

const TITLES: Readonly<Record<string, string>> = { Linux: 'Linux', Windows: 'Windows', Darwin: 'macOS' };

/** "CPython 3.11 on Linux x86_64" (the platform left out when unknown). */
export function targetName(markers: MarkerEnvironment, version = markers.python_version): string {
  const implementation = markers.platform_python_implementation || markers.implementation_name;
  const system = TITLES[markers.platform_system] ?? markers.platform_system;
  const platform = [system, markers.platform_machine].filter(Boolean).join(' ');
  return `${implementation} ${version}${platform ? ` on ${platform}` : ''}`;
}

/**
 * The target a spec describes: the marker values (platform_release and platform_version, which
 * only the machine knows, are empty) and, for CPython on a known platform, the wheel tags.
 * `3.11` stands for 3.11.0, as uv reads it: Requires-Python `>=3.11.4` refuses it.
 */
export function describedTarget(spec: TargetSetting, from: Pick<TargetEnvironment, 'source' | 'origin'>): TargetResult {
  const version = spec.pythonVersion.trim();
  const parsed = PYTHON_VERSION.exec(version);
  if (!parsed) return { ok: false, error: `${JSON.stringify(spec.pythonVersion)} is not a Python version such as 3.11 or 3.11.4` };
  const implementation = IMPLEMENTATIONS[(spec.implementation ?? 'cpython').trim().toLowerCase()];
  if (!implementation) return { ok: false, error: `${JSON.stringify(spec.implementation)} is not an implementation reqguard knows (cpython, pypy)` };
  const minor = Number(parsed[1]);
  const platform = spec.platform === undefined ? undefined : platformFacts(spec.platform);
  if (platform && !platform.ok) return platform;
  const fullVersion = `3.${minor}.${parsed[2] === undefined ? 0 : Number(parsed[2])}`;
  const markers: MarkerEnvironment = {
    implementation_name: implementation.marker,
    // PyPy's own version is not the Python version it implements: unknown here.
    implementation_version: implementation.name === 'cp' ? fullVersion : '',
    os_name: '',
    sys_platform: '',
    platform_system: '',
    platform_machine: '',
    ...platform?.facts.markers,
    platform_release: '',
    platform_version: '',
    python_full_version: fullVersion,
    platform_python_implementation: implementation.title,
    python_version: `3.${minor}`,
  };
  const name = targetName(markers, version);
  const tag = spec.platform?.trim().toLowerCase();
  // PyPy's ABI tag names PyPy's own version (pypy310_pp73), which a Python version does not give.
  const tags = platform && implementation.name === 'cp' ? cpythonTags(minor, platform.facts.platforms) : undefined;
  return { ok: true, target: { name, label: tag ? `${name} (${tag})` : name, ...from, markers, ...(tags ? { tags } : {}) } };
}

/** A target and how it was chosen: "CPython 3.11 on Linux x86_64 (/usr/bin/python3), python3 on PATH". */
export function targetLine(target: { readonly label: string; readonly origin?: string | null }): string {
  return target.origin ? `${target.label}, ${target.origin}` : target.label;
}

/** For sentences: "CPython 3.11 on Linux x86_64", "A and B", "A, B and 2 more targets". */
export function describeTargets(targets: readonly Pick<TargetEnvironment, 'name' | 'label'>[]): string {
  const names = distinctNames(targets);
  if (names.length <= 3) return names.length < 3 ? names.join(' and ') : `${names[0]}, ${names[1]} and ${names[2]}`;
  return `${names[0]}, ${names[1]} and ${names.length - 2} more targets`;
}

/** The targets' names, or their labels when two share a name (two manylinux versions of one Python). */
function distinctNames(targets: readonly Pick<TargetEnvironment, 'name' | 'label'>[]): string[] {
  const names = targets.map((target) => target.name);
  return new Set(names).size === names.length ? names : targets.map((target) => target.label);
}

/**
 * The targets an entry's pin is checked against: a line with a marker says itself where it
 * applies (`; sys_platform == "win32"`), so it is checked against none (picks still prefer a
 * release every target can install: pickForEntry).
 */
export function entryTargets(entry: { readonly marker?: unknown }, targets: readonly TargetEnvironment[]): readonly TargetEnvironment[] {
  return entry.marker ? [] : targets;
}

const tagSets = new WeakMap<TargetEnvironment, ReadonlySet<string>>();

/** The target's tags as a set (made once per target), or undefined when they are unknown. */
export function tagSetOf(target: TargetEnvironment): ReadonlySet<string> | undefined {
  if (!target.tags) return undefined;
  let set = tagSets.get(target);
  if (!set) tagSets.set(target, (set = new Set(target.tags)));
  return set;
}

/** The version Requires-Python is checked against: X.Y.Z of python_full_version (pip uses `sys.version_info[:3]`). */
export function requiresPythonVersion(target: TargetEnvironment): string {
  return /^\d+\.\d+\.\d+/.exec(target.markers.python_full_version)?.[0] ?? target.markers.python_version;
}

/** The marker variables an interpreter reports, in `default_environment()`'s order. */
const MARKER_NAMES = [
  'implementation_name',
  'implementation_version',
  'os_name',
  'platform_machine',
  'platform_release',
  'platform_system',
  'platform_version',
  'python_full_version',
  'platform_python_implementation',
  'python_version',
  'sys_platform',
] as const satisfies readonly (keyof MarkerEnvironment)[];

/** Bounds on what an interpreter may answer: `sys_tags()` lists about 900 tags on Linux, 1,400 on an older macOS. */
const MAX_REPORTED_TAGS = 50_000;
const MAX_REPORTED_TEXT = 1000;
/** A wheel tag: three parts of letters, digits, `_` and `.`. */
const WHEEL_TAG = /^[a-z0-9_.]+-[a-z0-9_.]+-[a-z0-9_.]+$/;

/**
 * The target an interpreter described (the JSON that pythonEnvironment.ts's script prints:
 * `{markers, executable, tags?}`, or `{error}`), or what is wrong with the answer.
 */
export function reportedTarget(report: unknown, interpreter: string, from: Pick<TargetEnvironment, 'source' | 'origin'>): TargetResult {
  if (!isRecord(report)) return { ok: false, error: 'the answer is not a JSON object' };
  if (typeof report.error === 'string') return { ok: false, error: report.error.slice(0, MAX_REPORTED_TEXT) };
  const given = report.markers;
  if (!isRecord(given)) return { ok: false, error: 'the answer has no marker values' };
  const markers = {} as Record<keyof MarkerEnvironment, string>;
  for (const name of MARKER_NAMES) {
    const value = given[name];
    if (typeof value !== 'string' || value.length > MAX_REPORTED_TEXT) return { ok: false, error: `the answer has no valid ${name}` };
    markers[name] = value;
  }
  if (!/^\d+\.\d+$/.test(markers.python_version)) return { ok: false, error: `python_version ${JSON.stringify(markers.python_version)} is not X.Y` };
  let tags: string[] | undefined;
  if (report.tags !== undefined) {
    if (!Array.isArray(report.tags) || report.tags.length > MAX_REPORTED_TAGS) return { ok: false, error: `the answer's tags are not a list of at most ${MAX_REPORTED_TAGS.toLocaleString('en-US')}` };
    const invalid = report.tags.find((tag) => typeof tag !== 'string' || !WHEEL_TAG.test(tag));
    if (invalid !== undefined) return { ok: false, error: `${JSON.stringify(invalid).slice(0, 100)} is not a wheel tag` };
    tags = report.tags as string[];
  }
  const name = targetName(markers);
  // The interpreter's pip, for the installer profile: left out when absent or not a version.
  const pipVersion = typeof report.pip === 'string' && /^\d{1,4}(\.\d{1,4}){0,3}([a-z]+\d{0,4})?$/i.test(report.pip) ? report.pip : undefined;
  return { ok: true, target: { name, label: `${name} (${interpreter})`, ...from, markers, ...(tags ? { tags } : {}), ...(pipVersion ? { pipVersion } : {}) } };
}
