// The resolver on an in-memory index: the algorithm's cases (backjumping, extras, markers per
// target, yanked, pre-releases, Requires-Python, wheel tags), what lock needs from a result (who
// required what, extras, the file), existing pins kept or upgraded, constraints, the bounds (step
// limit, cancellation), index and metadata failures, and the explanation of a conflict. Agreement
// with the real pip is test/integration/resolver.pip.test.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRequirement } from '../../server/src/parser/pep508';
import type { MarkerEnvironment, TargetEnvironment } from '../../server/src/pip/environment';
import { resolve, type Resolution, type ResolveOptions, type RootRequirement } from '../../server/src/pip/resolver';
import { memoryResolverIndex, type MemoryIndexOptions } from '../support/memoryResolverIndex';
import { KNOTS_FIXTURE, KNOTS_PICKS } from '../support/resolverGraphs';
import type { IndexFixture, VersionSpec } from '../support/testIndex';
import { LINUX_CPYTHON_311 } from '../support/markerEnvironments';

const LINUX_MARKERS: MarkerEnvironment = LINUX_CPYTHON_311;
const LINUX: TargetEnvironment = {
  name: 'CPython 3.11 on Linux x86_64',
  label: 'CPython 3.11 on Linux x86_64',
  source: 'default',
  markers: LINUX_MARKERS,
  tags: ['cp311-cp311-manylinux_2_17_x86_64', 'cp311-abi3-manylinux_2_17_x86_64', 'cp311-none-manylinux_2_17_x86_64', 'py3-none-manylinux_2_17_x86_64', 'cp311-none-any', 'py3-none-any'],
};
const WINDOWS: TargetEnvironment = {
  name: 'CPython 3.12 on Windows',
  label: 'CPython 3.12 on Windows',
  source: 'setting',
  markers: { ...LINUX_MARKERS, os_name: 'nt', sys_platform: 'win32', platform_system: 'Windows', platform_machine: 'AMD64', python_full_version: '3.12.4', python_version: '3.12' },
  tags: ['cp312-cp312-win_amd64', 'cp312-none-any', 'py3-none-any'],
};

const needs = (...requiresDist: string[]): VersionSpec => ({ requiresDist });

function roots(lines: readonly string[], file = 'requirements.in'): RootRequirement[] {
  return lines.map((text, i) => {
    const parsed = parseRequirement(text);
    assert.ok(parsed.ok, text);
    return { requirement: parsed.value, origin: { file, line: i + 1 } };
  });
}

interface Run {
  readonly requirements: readonly string[];
  readonly constraints?: readonly string[];
  readonly options?: Partial<ResolveOptions>;
  readonly index?: MemoryIndexOptions;
}

async function run(fixture: IndexFixture, { requirements, constraints = [], options = {}, index: indexOptions }: Run) {
  const index = memoryResolverIndex(fixture, indexOptions);
  const resolution = await resolve(index, roots(requirements), roots(constraints, 'constraints.txt'), { target: LINUX, ...options });
  return { resolution, index };
}

/** `name==version` of a resolved result, sorted; the kind and message otherwise. */
function picks(resolution: Resolution): string[] | string {
  return resolution.kind === 'resolved' ? resolution.packages.map((p) => `${p.name}==${p.version}`) : `${resolution.kind}: ${resolution.message}`;
}

describe('finding versions', () => {
  test('a diamond meets in the newest version both sides allow', async () => {
    const { resolution } = await run(
      {
        projects: {
          app: { versions: { '1.0': needs('left', 'right') } },
          left: { versions: { '1.0': needs('shared<3') } },
          right: { versions: { '1.0': needs('shared>=2') } },
          shared: { versions: { '1.0': {}, '2.0': {}, '2.5': {}, '3.0': {} } },
        },
      },
      { requirements: ['app'] },
    );
    assert.deepEqual(picks(resolution), ['app==1.0', 'left==1.0', 'right==1.0', 'shared==2.5']);
  });

  test('backjumping drops newer releases until one fits, and counts its steps', async () => {
    const fixture: IndexFixture = {
      projects: {
        framework: { versions: Object.fromEntries([1, 2, 3, 4, 5].map((n) => [`${n}.0`, needs(`core==${n}.0`)])) },
        plugin: { versions: { '1.0': needs('core<3') } },
        core: { versions: Object.fromEntries([1, 2, 3, 4, 5].map((n) => [`${n}.0`, {}])) },
      },
    };
    const { resolution } = await run(fixture, { requirements: ['framework', 'plugin'] });
    assert.deepEqual(picks(resolution), ['core==2.0', 'framework==2.0', 'plugin==1.0']);
    assert.ok(resolution.kind === 'resolved' && resolution.steps > 5, 'several rounds');
  });

  test('equal versions spelled apart (1.0, 1.0.0) are one candidate: its best file, whichever spelling has it', async () => {
    for (const versions of [{ '1.0': { files: ['sdist' as const] }, '1.0.0': { files: ['wheel' as const] } }, { '1.0.0': { files: ['wheel' as const] }, '1.0': { files: ['sdist' as const] } }]) {
      const { resolution } = await run({ projects: { spelled: { versions } } }, { requirements: ['spelled'] });
      assert.equal(resolution.kind === 'resolved' && resolution.packages[0].file.filename, 'spelled-1.0.0-py3-none-any.whl', JSON.stringify(versions));
    }
  });

  test('a tangled graph lands where pip 26 lands after 138 rounds', async () => {
    const { resolution } = await run(KNOTS_FIXTURE, { requirements: ['knot1', 'knot0'] });
    assert.ok(resolution.kind === 'resolved');
    assert.deepEqual(resolution.packages.map((p) => `${p.name}==${p.version}`).sort(), [...KNOTS_PICKS].sort());
    assert.equal(resolution.kind === 'resolved' && resolution.steps, 138);
  });

  test('a package only an abandoned candidate needed is left out', async () => {
    // alpha 2.0 needs extra-dep and gamma 2; beta needs gamma<2, so alpha goes back to 1.0, which needs neither.
    const { resolution } = await run(
      {
        projects: {
          alpha: { versions: { '1.0': needs('gamma'), '2.0': needs('gamma>=2', 'extra-dep') } },
          beta: { versions: { '1.0': needs('gamma<2') } },
          gamma: { versions: { '1.0': {}, '2.0': {} } },
          'extra-dep': { versions: { '1.0': {} } },
        },
      },
      { requirements: ['alpha', 'beta'] },
    );
    assert.deepEqual(picks(resolution), ['alpha==1.0', 'beta==1.0', 'gamma==1.0']);
  });

  test('cycles resolve', async () => {
    const { resolution } = await run({ projects: { a: { versions: { '1.0': needs('b') } }, b: { versions: { '1.0': needs('a>=1') } } } }, { requirements: ['a'] });
    assert.deepEqual(picks(resolution), ['a==1.0', 'b==1.0']);
  });

  test('markers are evaluated for the target: Windows gets its own dependencies and wheels', async () => {
    const fixture: IndexFixture = {
      projects: {
        app: { versions: { '1.0': needs('colorama; sys_platform == "win32"', 'uvloop; sys_platform != "win32"', 'tomli; python_version < "3.12"') } },
        colorama: { versions: { '1.0': {} } },
        uvloop: { versions: { '1.0': {} } },
        tomli: { versions: { '1.0': {} } },
        native: {
          versions: {
            '1.0': { files: [{ kind: 'wheel', pythonTag: 'cp311', abiTag: 'cp311', platformTag: 'manylinux_2_17_x86_64' }, { kind: 'wheel', pythonTag: 'cp312', abiTag: 'cp312', platformTag: 'win_amd64' }] },
            '2.0': { files: [{ kind: 'wheel', pythonTag: 'cp311', abiTag: 'cp311', platformTag: 'manylinux_2_17_x86_64' }] },
          },
        },
      },
    };
    const linux = await run(fixture, { requirements: ['app', 'native'] });
    assert.deepEqual(picks(linux.resolution), ['app==1.0', 'native==2.0', 'tomli==1.0', 'uvloop==1.0']);
    const windows = await run(fixture, { requirements: ['app', 'native'], options: { target: WINDOWS } });
    assert.deepEqual(picks(windows.resolution), ['app==1.0', 'colorama==1.0', 'native==1.0']);
    assert.ok(windows.resolution.kind === 'resolved');
    assert.equal(windows.resolution.packages.find((p) => p.name === 'native')?.file.filename, 'native-1.0-cp312-cp312-win_amd64.whl');
  });

  test('the best wheel for the target is the file chosen; an sdist only when no wheel fits', async () => {
    const { resolution } = await run(
      {
        projects: {
          fast: { versions: { '1.0': { files: ['sdist', 'wheel', { kind: 'wheel', pythonTag: 'cp311', abiTag: 'cp311', platformTag: 'manylinux_2_17_x86_64' }] } } },
          slow: { versions: { '1.0': { files: ['sdist', { kind: 'wheel', pythonTag: 'cp39', abiTag: 'cp39', platformTag: 'win32' }] } } },
        },
      },
      { requirements: ['fast', 'slow'] },
    );
    assert.ok(resolution.kind === 'resolved');
    assert.deepEqual(resolution.packages.map((p) => p.file.filename), ['fast-1.0-cp311-cp311-manylinux_2_17_x86_64.whl', 'slow-1.0.tar.gz']);
  });

  test('yanked releases only for an exact pin; pre-releases when asked, named, or alone', async () => {
    const fixture: IndexFixture = {
      projects: {
        yanky: { versions: { '1.0': {}, '2.0': { yanked: 'broken' } } },
        mixed: { versions: { '1.0': {}, '2.0b1': {} } },
        onlypre: { versions: { '0.1a1': {}, '0.1b1': {} } },
      },
    };
    assert.deepEqual(picks((await run(fixture, { requirements: ['yanky', 'mixed', 'onlypre'] })).resolution), ['mixed==1.0', 'onlypre==0.1b1', 'yanky==1.0']);
    assert.deepEqual(picks((await run(fixture, { requirements: ['yanky==2.0', 'mixed>=2.0a1'] })).resolution), ['mixed==2.0b1', 'yanky==2.0']);
    assert.deepEqual(picks((await run(fixture, { requirements: ['mixed'], options: { prereleases: true } })).resolution), ['mixed==2.0b1']);
  });

  test("a release whose metadata refuses the target's Python is passed over", async () => {
    const { resolution } = await run(
      { projects: { lib: { versions: { '1.0': {}, '2.0': {} } } } },
      { requirements: ['lib'], index: { metadataOverrides: { 'lib-2.0-py3-none-any.whl': { requiresPython: '>=3.12' } } } },
    );
    assert.deepEqual(picks(resolution), ['lib==1.0']);
  });

  test('metadata that names another version, or a Requires-Dist pip cannot parse, skips that release (as pip 26 does)', async () => {
    const { resolution } = await run(
      { projects: { lib: { versions: { '1.0': {}, '2.0': {}, '3.0': {} } } } },
      {
        requirements: ['lib'],
        index: { metadataOverrides: { 'lib-3.0-py3-none-any.whl': { version: '3.1' }, 'lib-2.0-py3-none-any.whl': { requiresDist: ['foo >= >= 1'] } } },
      },
    );
    assert.deepEqual(picks(resolution), ['lib==1.0']);
    assert.ok(resolution.kind === 'resolved');
    assert.deepEqual(resolution.notes, [
      'lib 3.0 was skipped: the metadata of lib-3.0-py3-none-any.whl says lib 3.1',
      "lib 2.0 was skipped: its Requires-Dist 'foo >= >= 1' is invalid (Expected semicolon (after name with no version specifier) or end)",
    ]);
  });
});

describe('what the lock needs from a result', () => {
  const fixture: IndexFixture = {
    projects: {
      web: { versions: { '1.0': { providesExtra: ['socks', 'all'], requiresDist: ['idna>=2', 'pysocks>=1.5; extra == "socks"', 'web[socks]; extra == "all"'] } } },
      idna: { versions: { '2.0': {}, '3.0': {} } },
      pysocks: { versions: { '1.5': {}, '1.7': {} } },
      api: { versions: { '1.0': needs('idna<3') } },
    },
  };

  test('each package says who required it, with which requirement, and the extras asked of it', async () => {
    const { resolution } = await run(fixture, { requirements: ['web[all]', 'api'] });
    assert.ok(resolution.kind === 'resolved', picks(resolution).toString());
    const byName = Object.fromEntries(resolution.packages.map((p) => [p.name, p]));
    assert.deepEqual(Object.keys(byName), ['api', 'idna', 'pysocks', 'web']);
    assert.deepEqual(byName.web.extras, ['all', 'socks']);
    assert.deepEqual(byName.web.requiredBy, [{ kind: 'root', requirement: 'web[all]', origin: { file: 'requirements.in', line: 1 } }]);
    assert.deepEqual(byName.idna.version, '2.0');
    assert.deepEqual(byName.idna.requiredBy, [
      { kind: 'package', name: 'api', version: '1.0', requirement: 'idna<3' },
      { kind: 'package', name: 'web', version: '1.0', requirement: 'idna>=2' },
    ]);
    const both = await run(fixture, { requirements: ['idna', 'web', 'idna>1'] });
    assert.ok(both.resolution.kind === 'resolved');
    assert.deepEqual(both.resolution.packages.find((p) => p.name === 'idna')?.requiredBy, [
      { kind: 'root', requirement: 'idna', origin: { file: 'requirements.in', line: 1 } },
      { kind: 'root', requirement: 'idna>1', origin: { file: 'requirements.in', line: 3 } },
      { kind: 'package', name: 'web', version: '1.0', requirement: 'idna>=2' },
    ]);
    assert.deepEqual(byName.pysocks.requiredBy, [{ kind: 'package', name: 'web', version: '1.0', requirement: 'pysocks>=1.5' }]);
    assert.equal(byName.pysocks.release.version, '1.7');
    assert.equal(byName.pysocks.metadata.name, 'pysocks');
  });

  test('an extra the project does not provide is noted and adds nothing', async () => {
    const { resolution } = await run(fixture, { requirements: ['web[gui]'] });
    assert.deepEqual(picks(resolution), ['idna==3.0', 'web==1.0']);
    assert.ok(resolution.kind === 'resolved');
    assert.deepEqual(resolution.notes, ["web 1.0 does not provide the extra 'gui'"]);
  });

  test('existing pins are kept while they fit (minimal diff), moved when they no longer do, and upgraded on request', async () => {
    const preferred = new Map([['idna', '2.0'], ['PySocks', '1.5']]);
    assert.deepEqual(picks((await run(fixture, { requirements: ['web[socks]'], options: { preferred } })).resolution), ['idna==2.0', 'pysocks==1.5', 'web==1.0']);
    assert.deepEqual(picks((await run(fixture, { requirements: ['web[socks]', 'idna>2'], options: { preferred } })).resolution), ['idna==3.0', 'pysocks==1.5', 'web==1.0']);
    assert.deepEqual(picks((await run(fixture, { requirements: ['web[socks]'], options: { preferred, upgrade: ['pysocks'] } })).resolution), ['idna==2.0', 'pysocks==1.7', 'web==1.0']);
    assert.deepEqual(picks((await run(fixture, { requirements: ['web[socks]'], options: { preferred, upgrade: 'all' } })).resolution), ['idna==3.0', 'pysocks==1.7', 'web==1.0']);
  });

  test('constraints restrict the versions and never add a package', async () => {
    const { resolution } = await run(fixture, { requirements: ['web'], constraints: ['idna<3', 'pysocks==1.5'] });
    assert.deepEqual(picks(resolution), ['idna==2.0', 'web==1.0']);
    assert.ok(resolution.kind === 'resolved');
    assert.deepEqual(resolution.packages[0].constrainedBy, [{ requirement: 'idna<3', origin: { file: 'constraints.txt', line: 1 } }]);
  });
});

describe('when there is no solution', () => {
  const fixture: IndexFixture = {
    projects: {
      alpha: { versions: { '1.0': needs('gamma==1.0'), '2.0': needs('gamma==2.0') } },
      beta: { versions: { '1.0': needs('gamma<2') } },
      gamma: { versions: { '1.0': {}, '2.0': {}, '3.0': { yanked: true }, '4.0': { requiresPython: '>=3.99' }, '5.0b1': {} } },
      modern: { versions: { '1.0': { requiresPython: '>=3.12' } } },
    },
  };

  test('a clash names both sides and where each comes from', async () => {
    const { resolution } = await run(fixture, { requirements: ['alpha==2.0', 'beta'] });
    assert.equal(resolution.kind, 'conflict');
    assert.equal(
      resolution.kind === 'conflict' && resolution.message,
      'Cannot install alpha==2.0 (requirements.in, line 1) and beta (requirements.in, line 2) together, because these requirements conflict: ' +
        'alpha 2.0 (from alpha==2.0, requirements.in, line 1) requires gamma==2.0; beta 1.0 (from beta, requirements.in, line 2) requires gamma<2. ' +
        'For gamma, the index offers gamma 1.0, 2.0, 5.0b1; 3.0 left out (yanked); 4.0 left out (requires Python >=3.99); pre-releases 5.0b1 are candidates only with --pre or a specifier that names a pre-release. ' +
        'Loosening one of these requirements, or allowing other versions of the packages that ask for them, may let the resolver find a solution.',
    );
    assert.deepEqual(
      resolution.kind === 'conflict' && resolution.causes.map((c) => [c.requirement, c.parent?.name, c.parent?.version]),
      [
        ['gamma==2.0', 'alpha', '2.0'],
        ['gamma<2', 'beta', '1.0'],
      ],
    );
  });

  test('one requirement nothing satisfies says what the index has', async () => {
    const { resolution } = await run(fixture, { requirements: ['gamma>=3'] });
    assert.equal(
      resolution.kind === 'conflict' && resolution.message,
      'No release of gamma satisfies gamma>=3 (requirements.in, line 1): the index offers gamma 1.0, 2.0, 5.0b1; 3.0 left out (yanked); 4.0 left out (requires Python >=3.99); pre-releases 5.0b1 are candidates only with --pre or a specifier that names a pre-release.',
    );
    const missing = await run(fixture, { requirements: ['alpha', 'nonexistent>=1'] });
    assert.equal(missing.resolution.kind === 'conflict' && missing.resolution.message, 'No release of nonexistent satisfies nonexistent>=1 (requirements.in, line 2): the index offers no usable release of nonexistent.');
  });

  test('a constraint that excludes every version is named', async () => {
    const { resolution } = await run(fixture, { requirements: ['beta'], constraints: ['gamma>=2'] });
    assert.match(resolution.kind === 'conflict' ? resolution.message : '', /beta 1\.0 \(from beta, requirements\.in, line 1\) requires gamma<2; the constraint gamma>=2 \(constraints\.txt, line 1\) restricts it\./);
  });

  test("a target Python every release refuses is what the message says", async () => {
    const { resolution } = await run(fixture, { requirements: ['modern'], index: { metadataOverrides: {} } });
    // The page's Requires-Python already filters the file: nothing to pick.
    assert.match(resolution.kind === 'conflict' ? resolution.message : '', /^No release of modern satisfies modern \(requirements\.in, line 1\): the index offers no usable release of modern; 1\.0 left out \(requires Python >=3\.12\)\.$/);
    // Only the metadata says it: the release is tried, and its Requires-Python is the conflict.
    const metadataOnly = await run({ projects: { modern: { versions: { '1.0': {} } } } }, { requirements: ['modern'], index: { metadataOverrides: { 'modern-1.0-py3-none-any.whl': { requiresPython: '>=3.12' } } } });
    assert.equal(
      metadataOnly.resolution.kind === 'conflict' && metadataOnly.resolution.message,
      'The target Python 3.11.7 is refused: modern 1.0 (from modern, requirements.in, line 1) requires Python >=3.12. Choose a target Python these releases support, or require older releases that support 3.11.7.',
    );
  });
});

describe('bounds and failures', () => {
  const fixture: IndexFixture = {
    projects: {
      framework: { versions: Object.fromEntries([1, 2, 3, 4, 5].map((n) => [`${n}.0`, needs(`core==${n}.0`)])) },
      plugin: { versions: { '1.0': needs('core<2') } },
      core: { versions: Object.fromEntries([1, 2, 3, 4, 5].map((n) => [`${n}.0`, {}])) },
      a: { versions: { '1.0': needs('b', 'c', 'd', 'e', 'f') } },
      ...Object.fromEntries(['b', 'c', 'd', 'e', 'f'].map((name) => [name, { versions: { '1.0': {} } }])),
      linked: { versions: { '1.0': needs('other @ https://example.com/other-1.0.tar.gz') } },
    },
  };

  test('the step limit stops a long search with a clear message', async () => {
    const { resolution } = await run(fixture, { requirements: ['framework', 'plugin'], options: { stepLimit: 3 } });
    assert.equal(resolution.kind, 'incomplete');
    assert.ok(resolution.kind === 'incomplete');
    assert.equal(resolution.reason, 'step-limit');
    assert.match(resolution.message, /^The resolver gave up after 3 steps without finding a set of versions that satisfies every requirement/);
    assert.deepEqual(picks((await run(fixture, { requirements: ['framework', 'plugin'] })).resolution), ['core==1.0', 'framework==1.0', 'plugin==1.0']);
  });

  test('cancellation stops the resolution and the requests it has in flight', async () => {
    const controller = new AbortController();
    const pending = run(fixture, { requirements: ['a'], options: { signal: controller.signal }, index: { latencyMs: 50 } });
    setTimeout(() => controller.abort(), 20);
    const started = Date.now();
    const { resolution } = await pending;
    assert.deepEqual([resolution.kind, resolution.kind === 'incomplete' && resolution.reason], ['incomplete', 'cancelled']);
    assert.ok(Date.now() - started < 1000);
  });

  test('independent project pages are fetched together, each once, and only the metadata needed', async () => {
    const { resolution, index } = await run(fixture, { requirements: ['a'], index: { latencyMs: 10 } });
    assert.deepEqual(picks(resolution), ['a==1.0', 'b==1.0', 'c==1.0', 'd==1.0', 'e==1.0', 'f==1.0']);
    assert.ok(index.maxInFlight() >= 5, `in flight at once: ${index.maxInFlight()}`);
    assert.deepEqual([...index.projectRequests].sort(), ['a', 'b', 'c', 'd', 'e', 'f']);
    assert.equal(index.metadataRequests.length, 6);
  });

  test('a page or metadata that cannot be read makes the result incomplete, naming it', async () => {
    const page = await run(fixture, { requirements: ['a'], index: { failures: { d: 'unreachable' } } });
    assert.deepEqual(page.resolution.kind === 'incomplete' && [page.resolution.reason, page.resolution.project, page.resolution.message], [
      'index',
      'd',
      'The index could not be read for d: https://index.test/simple/d/ failed (unreachable, injected)',
    ]);
    const metadata = await run(fixture, { requirements: ['a'], index: { failures: { 'c-1.0-py3-none-any.whl': 'server-error' } } });
    assert.deepEqual(metadata.resolution.kind === 'incomplete' && [metadata.resolution.reason, metadata.resolution.file], ['metadata', 'c-1.0-py3-none-any.whl']);
    assert.match(metadata.resolution.kind === 'incomplete' ? metadata.resolution.message : '', /^The dependencies of c 1\.0 could not be read \(c-1\.0-py3-none-any\.whl\): /);
  });

  test('direct URL requirements are out of scope, said clearly', async () => {
    const root = await run(fixture, { requirements: ['pkg @ https://example.com/pkg-1.0.tar.gz'] });
    assert.deepEqual(root.resolution.kind === 'incomplete' && [root.resolution.reason, root.resolution.message], [
      'direct-url',
      'Cannot resolve a direct URL requirement: pkg @ https://example.com/pkg-1.0.tar.gz (requirements.in, line 1); reqguard resolves named requirements from the index only.',
    ]);
    const dependency = await run(fixture, { requirements: ['linked'] });
    assert.match(dependency.resolution.kind === 'incomplete' ? dependency.resolution.message : '', /^Cannot resolve a direct URL requirement: linked 1\.0 requires other @ https:\/\/example\.com\/other-1\.0\.tar\.gz/);
  });

  test('constraints with extras are refused as pip refuses them; markers that cannot be evaluated are said', async () => {
    const extras = await run(fixture, { requirements: ['a'], constraints: ['b[x]<2'] });
    assert.deepEqual(extras.resolution.kind === 'incomplete' && [extras.resolution.reason, extras.resolution.message], ['invalid-constraint', 'Constraints cannot have extras (pip refuses them): b[x] (constraints.txt, line 1).']);
    const marker = await run(fixture, { requirements: ['a; os_name ~= "posix"'] });
    assert.deepEqual(marker.resolution.kind === 'incomplete' && marker.resolution.reason, 'marker');
  });
});
