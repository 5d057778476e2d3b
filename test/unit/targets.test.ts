// Target environments: described ones (markers and the wheel tags, in packaging.tags' order, as
// packaging 26.2 and pip 26.2.1 list them: test/fixtures/targets/tags.json, made by
// test/tools/tags_oracle.py), interpreters' answers, and how they choose a release.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IndexedFile, ProjectData } from '../../server/src/index/packageIndex';
import { parseWheelFilename } from '../../server/src/parser/links';
import { describeProblem, firstRefusal, fitsTarget, installProblem, pickRelease, releasesOf } from '../../server/src/pip/releases';
import { describedTarget, describeTargets, entryTargets, platformFacts, reportedTarget, requiresPythonVersion } from '../../server/src/pip/targets';
import { REPO_ROOT } from '../helpers/corpus';
import { pythonTarget } from '../support/targets';
import { LINUX_CPYTHON_311 } from '../support/markerEnvironments';

interface OracleCase {
  readonly python: string;
  readonly platform: string;
  readonly platforms: readonly string[];
  readonly tags: readonly string[];
}

const ORACLE = JSON.parse(readFileSync(join(REPO_ROOT, 'test/fixtures/targets/tags.json'), 'utf8')) as { packaging: string; pip: string; cases: OracleCase[] };

test('the oracle was made with packaging 26.2 and checked against pip 26.2.1', () => {
  assert.equal(ORACLE.packaging, '26.2');
  assert.equal(ORACLE.pip, '26.2.1');
  assert.equal(ORACLE.cases.length, 8);
});

for (const { python, platform, platforms, tags } of ORACLE.cases) {
  test(`CPython ${python} on ${platform}: the platforms and the ${tags.length} tags packaging lists, in its order`, () => {
    const facts = platformFacts(platform);
    assert.ok(facts.ok);
    assert.deepEqual(facts.facts.platforms, platforms);
    const described = describedTarget({ pythonVersion: python, platform }, { source: 'flag' });
    assert.ok(described.ok);
    assert.deepEqual(described.target.tags, tags);
  });
}

test('markers of described targets: what Python reports on such a machine (kernel versions are unknown: empty)', () => {
  const target = (pythonVersion: string, platform?: string, implementation?: string) => {
    const described = describedTarget({ pythonVersion, platform, implementation }, { source: 'setting', origin: 'reqguard.targets' });
    assert.ok(described.ok, pythonVersion);
    return described.target;
  };
  assert.deepEqual(target('3.11', 'manylinux_2_28_aarch64').markers, {
    implementation_name: 'cpython',
    implementation_version: '3.11.0',
    os_name: 'posix',
    sys_platform: 'linux',
    platform_system: 'Linux',
    platform_machine: 'aarch64',
    platform_release: '',
    platform_version: '',
    python_full_version: '3.11.0',
    platform_python_implementation: 'CPython',
    python_version: '3.11',
  });
  const windows = target('3.12.4', 'win_amd64');
  assert.deepEqual([windows.markers.os_name, windows.markers.sys_platform, windows.markers.platform_system, windows.markers.platform_machine], ['nt', 'win32', 'Windows', 'AMD64']);
  assert.equal(windows.markers.python_full_version, '3.12.4');
  assert.equal(windows.name, 'CPython 3.12.4 on Windows AMD64');
  assert.equal(windows.label, 'CPython 3.12.4 on Windows AMD64 (win_amd64)');
  assert.equal(windows.origin, 'reqguard.targets');
  assert.equal(target('3.9', 'win32').markers.platform_machine, 'x86');
  assert.equal(target('3.13', 'win_arm64').markers.platform_machine, 'ARM64');
  const mac = target('3.11', 'macosx_14_0_arm64');
  assert.deepEqual([mac.markers.sys_platform, mac.markers.platform_system, mac.markers.platform_machine, mac.name], ['darwin', 'Darwin', 'arm64', 'CPython 3.11 on macOS arm64']);
  const alpine = target('3.12', 'musllinux_1_2_x86_64');
  assert.equal(alpine.tags?.at(-1), 'py30-none-any');
  // No platform: any machine; only the Python is known, so wheel tags are not.
  const anywhere = target('3.10');
  assert.deepEqual([anywhere.name, anywhere.markers.sys_platform, anywhere.tags], ['CPython 3.10', '', undefined]);
  // PyPy's ABI tag names PyPy's own version: not known from the Python version.
  const pypy = target('3.10', 'manylinux2014_x86_64', 'pypy');
  assert.deepEqual([pypy.name, pypy.markers.implementation_name, pypy.markers.implementation_version, pypy.tags], ['PyPy 3.10 on Linux x86_64', 'pypy', '', undefined]);
  assert.equal(requiresPythonVersion(target('3.11')), '3.11.0');
});

test('platform tags: errors say what is wrong; legacy manylinux names are glibc versions', () => {
  const error = (platform: string) => {
    const facts = platformFacts(platform);
    assert.ok(!facts.ok, platform);
    return facts.error;
  };
  assert.match(error('macosx_11_0_universal2'), /universal2 is a wheel format, not a machine/);
  assert.match(error('manylinux_2_12_aarch64'), /manylinux for aarch64 starts at glibc 2\.17/);
  assert.match(error('manylinux2010_aarch64'), /starts at glibc 2\.17/);
  assert.match(error('manylinux_3_1_x86_64'), /glibc versions are 2\.x/);
  assert.match(error('musllinux_2_0_x86_64'), /musl versions are 1\.x/);
  assert.match(error('any'), /not a platform reqguard can describe/);
  assert.match(error('linux-x86_64'), /not a platform/);
  assert.match(error('macosx_10_17_x86_64'), /no macOS 10\.17/);
  const legacy = platformFacts('manylinux2014_x86_64');
  const modern = platformFacts('MANYLINUX_2_17_X86_64');
  assert.ok(legacy.ok && modern.ok);
  assert.deepEqual(legacy.facts, modern.facts);
  for (const [version, why] of [['3', /not a Python version/], ['2.7', /not a Python version/], ['3.11.4.1', /not a Python version/], ['3.100', /not a Python version/]] as const) {
    const described = describedTarget({ pythonVersion: version }, { source: 'flag' });
    assert.ok(!described.ok);
    assert.match(described.error, why, version);
  }
  const implementation = describedTarget({ pythonVersion: '3.11', implementation: 'jython' }, { source: 'flag' });
  assert.ok(!implementation.ok && /jython.*cpython, pypy/.test(implementation.error));
});

test('an interpreter\'s answer becomes a target; anything else is a clear error', () => {
  const markers = LINUX_CPYTHON_311;
  const answered = reportedTarget({ markers, executable: '/usr/bin/python3.11', tags: ['cp311-cp311-manylinux_2_36_x86_64', 'py3-none-any'] }, '/usr/bin/python3', { source: 'default', origin: 'python3 on PATH' });
  assert.ok(answered.ok);
  assert.deepEqual(answered.target, {
    name: 'CPython 3.11 on Linux x86_64',
    label: 'CPython 3.11 on Linux x86_64 (/usr/bin/python3)',
    source: 'default',
    origin: 'python3 on PATH',
    markers,
    tags: ['cp311-cp311-manylinux_2_36_x86_64', 'py3-none-any'],
  });
  assert.equal(requiresPythonVersion(answered.target), '3.11.7');
  const withoutTags = reportedTarget({ markers }, 'python', { source: 'default' });
  assert.ok(withoutTags.ok && withoutTags.target.tags === undefined, 'no packaging: tags unknown');
  const rc = reportedTarget({ markers: { ...markers, python_full_version: '3.13.0rc1' } }, 'python', { source: 'default' });
  assert.ok(rc.ok && requiresPythonVersion(rc.target) === '3.13.0', "pip compares sys.version_info[:3]");
  const failures: [unknown, RegExp][] = [
    [[1, 2], /not a JSON object/],
    [{ error: 'Python 2.7.18 is not Python 3' }, /^Python 2\.7\.18 is not Python 3$/],
    [{ executable: 'x' }, /no marker values/],
    [{ markers: { ...markers, sys_platform: 3 } }, /no valid sys_platform/],
    [{ markers: { ...markers, python_version: '3' } }, /python_version "3" is not X\.Y/],
    [{ markers, tags: 'py3-none-any' }, /tags are not a list/],
    [{ markers, tags: ['py3-none-any', 'not a tag'] }, /"not a tag" is not a wheel tag/],
    [{ markers, tags: Array.from({ length: 50_001 }, () => 'py3-none-any') }, /at most 50,000/],
  ];
  for (const [report, why] of failures) {
    const result = reportedTarget(report, 'python', { source: 'default' });
    assert.ok(!result.ok);
    assert.match(result.error, why);
  }
});

test('describeTargets: names, or labels when two share a name; a long list is shortened', () => {
  const linux = pythonTarget('3.11', 'manylinux_2_28_x86_64');
  const oldLinux = pythonTarget('3.11', 'manylinux2014_x86_64');
  const windows = pythonTarget('3.12', 'win_amd64');
  assert.equal(describeTargets([linux]), 'CPython 3.11 on Linux x86_64');
  assert.equal(describeTargets([linux, windows]), 'CPython 3.11 on Linux x86_64 and CPython 3.12 on Windows AMD64');
  assert.equal(describeTargets([linux, oldLinux]), 'CPython 3.11 on Linux x86_64 (manylinux_2_28_x86_64) and CPython 3.11 on Linux x86_64 (manylinux2014_x86_64)');
  assert.equal(describeTargets([linux, windows, pythonTarget('3.9')]), 'CPython 3.11 on Linux x86_64, CPython 3.12 on Windows AMD64 and CPython 3.9');
  assert.equal(describeTargets([linux, windows, pythonTarget('3.9'), pythonTarget('3.8')]), 'CPython 3.11 on Linux x86_64, CPython 3.12 on Windows AMD64 and 2 more targets');
  assert.deepEqual(entryTargets({ marker: undefined }, [linux]), [linux]);
  assert.deepEqual(entryTargets({ marker: {} }, [linux]), [], 'a marker says itself where the line applies');
});

// ---- which files and releases a target can install ------------------------------------------------

function wheel(filename: string, extra: Partial<IndexedFile> = {}): IndexedFile {
  const parsed = parseWheelFilename(filename)!;
  return { filename, url: `https://x/${filename}`, hashes: {}, yanked: false, coreMetadata: false, kind: 'wheel', version: parsed.version, wheel: parsed, source: 'x', ...extra };
}

function sdist(version: string, extra: Partial<IndexedFile> = {}): IndexedFile {
  return { filename: `p-${version}.tar.gz`, url: `https://x/p-${version}.tar.gz`, hashes: {}, yanked: false, coreMetadata: false, kind: 'sdist', version, source: 'x', ...extra };
}

/** The releases of a project with these files, newest first. */
function releasesWith(files: IndexedFile[]) {
  const project: ProjectData = { name: 'p', versions: [], files, stale: false, freshness: 'fetched', fetchedAt: 0, problems: [], indexes: [], statuses: [] };
  return releasesOf(project);
}

test('fitsTarget: an sdist always, a wheel when one of its tags is the target\'s (abi3 for later Pythons, pure wheels everywhere)', () => {
  const linux311 = pythonTarget('3.11', 'manylinux_2_28_x86_64');
  const linux312 = pythonTarget('3.12', 'manylinux_2_28_x86_64');
  const anywhere = pythonTarget('3.11');
  assert.equal(fitsTarget(sdist('1.0'), linux311), true);
  assert.equal(fitsTarget(sdist('1.0', { requiresPython: '>=3.12' }), linux311), false, 'Requires-Python per file');
  assert.equal(fitsTarget(wheel('p-1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl'), linux311), true);
  assert.equal(fitsTarget(wheel('p-1.0-cp311-cp311-manylinux_2_17_x86_64.whl'), linux312), false);
  assert.equal(fitsTarget(wheel('p-1.0-cp38-abi3-manylinux_2_17_x86_64.whl'), linux312), true);
  assert.equal(fitsTarget(wheel('p-1.0-cp311-cp311-manylinux_2_34_x86_64.whl'), linux311), false, 'glibc 2.34 is newer than 2.28');
  assert.equal(fitsTarget(wheel('p-1.0-cp311-cp311-musllinux_1_2_x86_64.whl'), linux311), false);
  assert.equal(fitsTarget(wheel('p-1.0-py2.py3-none-any.whl'), linux311), true);
  assert.equal(fitsTarget(wheel('P-1.0-CP311-CP311-WIN_AMD64.whl'), pythonTarget('3.11', 'win_amd64')), true, 'tags compare lower-cased');
  assert.equal(fitsTarget(wheel('p-1.0-cp311-cp311-win_amd64.whl'), anywhere), true, 'tags unknown: every wheel');
  assert.equal(fitsTarget({ ...sdist('1.0'), kind: 'other', filename: 'p-1.0.egg' }, anywhere), false, 'pip passes over eggs');
  // A name with very many tags is searched through the target's tags instead: the same answer.
  const many = Array.from({ length: 40 }, (_, i) => `cp3${i}`).join('.');
  assert.equal(fitsTarget(wheel(`p-1.0-${many}-abi3.none-manylinux_2_17_x86_64.win32.linux_armv7l.whl`), linux312), true);
  assert.equal(fitsTarget(wheel(`p-1.0-${many}-cp399-manylinux_2_17_x86_64.win32.linux_armv7l.whl`), linux312), false);
});

test('installProblem: Requires-Python when every file refuses the Python, else no compatible file (named by the wheels\' platforms)', () => {
  const linux = pythonTarget('3.11', 'manylinux_2_28_x86_64');
  const [v3, v2, v15, v1] = releasesWith([
    wheel('p-3.0-py3-none-any.whl', { requiresPython: '>=3.12' }),
    sdist('3.0', { requiresPython: '>=3.12' }),
    wheel('p-2.0-cp311-cp311-win_amd64.whl'),
    wheel('p-2.0-cp311-cp311-macosx_11_0_arm64.whl'),
    wheel('p-1.5-py3-none-any.whl', { yanked: true }),
    wheel('p-1.0-py3-none-any.whl'),
  ]);
  assert.deepEqual(installProblem(v3, linux), { kind: 'requires-python', requiresPython: '>=3.12' });
  assert.equal(describeProblem(installProblem(v3, linux)!, linux.name), 'requires Python >=3.12, not CPython 3.11 on Linux x86_64');
  assert.deepEqual(installProblem(v2, linux), { kind: 'no-compatible-file', wheels: ['macosx_11_0_arm64', 'win_amd64'] });
  assert.equal(describeProblem(installProblem(v2, linux)!), 'has no file it can install (wheels for macosx_11_0_arm64, win_amd64 only)');
  assert.equal(installProblem(v15, linux, { pinned: true }), undefined, 'a pin takes yanked files');
  assert.equal(installProblem(v1, linux), undefined);
  assert.equal(pickRelease([v3, v2, v15, v1], { specifier: '', targets: [linux] })?.version, '1.0');
  assert.equal(pickRelease([v3, v2, v15, v1], { specifier: '', targets: [pythonTarget('3.11', 'win_amd64')] })?.version, '2.0');
  assert.equal(pickRelease([v3, v2, v15, v1], { specifier: '', targets: [pythonTarget('3.12', 'win_amd64')] })?.version, '3.0');
  assert.equal(pickRelease([v3, v2, v15, v1], { specifier: '' })?.version, '3.0', 'no target: the newest');
});

test('several targets: the pick is a release every one of them can install; the first refusal says which and why', () => {
  const linux311 = pythonTarget('3.11', 'manylinux_2_28_x86_64');
  const linux312 = pythonTarget('3.12', 'manylinux_2_28_x86_64');
  const windows312 = pythonTarget('3.12', 'win_amd64');
  const releases = releasesWith([
    // 4.0: 3.12 only. 3.0: Linux wheels only. 2.0: Linux and Windows, 3.12 by abi3. 1.0: pure.
    wheel('p-4.0-py3-none-any.whl', { requiresPython: '>=3.12' }),
    wheel('p-3.0-cp311-cp311-manylinux_2_17_x86_64.whl'),
    wheel('p-3.0-cp312-cp312-manylinux_2_17_x86_64.whl'),
    wheel('p-2.0-cp311-abi3-manylinux_2_17_x86_64.whl'),
    wheel('p-2.0-cp311-abi3-win_amd64.whl'),
    wheel('p-1.0-py3-none-any.whl'),
  ]);
  const pick = (...targets: typeof linux311[]) => pickRelease(releases, { specifier: '', targets })?.version;
  assert.equal(pick(linux312), '4.0');
  assert.equal(pick(linux311), '3.0');
  assert.equal(pick(linux311, linux312), '3.0');
  assert.equal(pick(linux312, windows312), '4.0');
  assert.equal(pick(linux311, windows312), '2.0');
  assert.equal(pickRelease(releases, { specifier: '<2', targets: [linux311, windows312] })?.version, '1.0');
  const refusal = firstRefusal(releases[1], [linux311, windows312]);
  assert.deepEqual([refusal?.target.name, refusal?.problem.kind], ['CPython 3.12 on Windows AMD64', 'no-compatible-file']);
  assert.equal(firstRefusal(releases[2], [linux311, windows312]), undefined);
});
