// The resolver against its judge: on one test index of real wheels with real dependency graphs,
// for each requirements file, pip 26.2.1's resolver (`pip install --dry-run --report`) and ours
// must pick exactly the same name==version set, for the python3 that runs pip. pip 23.2.1 is asked
// too; where it differs from pip 26, the case says so and ours follows 26.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRequirement } from '../../server/src/parser/pep508';
import type { TargetEnvironment } from '../../server/src/pip/environment';
import { resolve, type Resolution, type RootRequirement } from '../../server/src/pip/resolver';
import { useFixtureIndex, type FixtureIndex } from '../support/fixtureIndex';
import { KNOTS_FIXTURE, KNOTS_PICKS } from '../support/resolverGraphs';
import { PIP, PIP26, skipWithout } from '../support/optionalProgram';
import { pipResolution, type PipResolution, type PipVersion } from '../support/pip';
import { pipPythonTarget } from '../support/pythonTarget';
import type { IndexFixture, VersionSpec } from '../support/testIndex';
import { tempDir } from '../helpers/tempDirs';

const wheel = (spec: VersionSpec = {}): VersionSpec => ({ files: ['wheel'], ...spec });
const needs = (...requiresDist: string[]): VersionSpec => wheel({ requiresDist });

const FIXTURE: IndexFixture = {
  projects: {
    ...KNOTS_FIXTURE.projects,
    // diamond
    app: { versions: { '1.0': needs('left', 'right') } },
    left: { versions: { '1.0': needs('shared>=1.0,<3') } },
    right: { versions: { '1.0': needs('shared>=2.0') } },
    shared: { versions: { '1.0': wheel(), '2.0': wheel(), '2.5': wheel(), '3.0': wheel() } },
    // one backjump, and several in a row
    alpha: { versions: { '1.0': needs('gamma==1.0'), '2.0': needs('gamma==2.0') } },
    beta: { versions: { '1.0': needs('gamma<2') } },
    gamma: { versions: { '1.0': wheel(), '2.0': wheel() } },
    framework: { versions: Object.fromEntries([1, 2, 3, 4, 5].map((n) => [`${n}.0`, needs(`core==${n}.0`)])) },
    plugin: { versions: { '1.0': needs('core<3') } },
    core: { versions: Object.fromEntries([1, 2, 3, 4, 5].map((n) => [`${n}.0`, wheel()])) },
    // extras, a missing extra, extras that name their own project
    web: {
      versions: {
        '1.0': wheel({ providesExtra: ['socks', 'security'], requiresDist: ['idna>=2', 'pysocks>=1.5; extra == "socks"', 'cryptography-ish; extra == "security"'] }),
      },
    },
    idna: { versions: { '2.0': wheel(), '3.0': wheel() } },
    pysocks: { versions: { '1.4': wheel(), '1.6': wheel(), '1.7': wheel() } },
    'cryptography-ish': { versions: { '1.0': wheel() } },
    toolkit: { versions: { '1.0': wheel({ providesExtra: ['cli', 'docs', 'all'], requiresDist: ['click-ish; extra == "cli"', 'docs-ish; extra == "docs"', 'toolkit[cli,docs]; extra == "all"'] }) } },
    'click-ish': { versions: { '1.0': wheel() } },
    'docs-ish': { versions: { '1.0': wheel() } },
    // markers
    platformed: { versions: { '1.0': needs('winonly; sys_platform == "win32"', 'linuxonly; sys_platform == "linux"', 'oldpy; python_version < "3.8"', 'newpy; python_version >= "3.8"') } },
    winonly: { versions: { '1.0': wheel() } },
    linuxonly: { versions: { '1.0': wheel() } },
    oldpy: { versions: { '1.0': wheel() } },
    newpy: { versions: { '1.0': wheel() } },
    rootwin: { versions: { '1.0': wheel() } },
    // yanked
    yanky: { versions: { '1.0': wheel(), '2.0': wheel({ yanked: 'broken build' }) } },
    // pre-releases
    onlypre: { versions: { '1.0a1': wheel(), '1.0b2': wheel() } },
    mixed: { versions: { '1.0': wheel(), '2.0b1': wheel() } },
    'needs-pre': { versions: { '1.0': needs('mixed>=2.0b1') } },
    // a cycle
    'cyc-a': { versions: { '1.0': needs('cyc-b') } },
    'cyc-b': { versions: { '1.0': needs('cyc-a>=1.0') } },
    // Requires-Python and wheel tags excluding the newest release
    pyrange: { versions: { '1.0': wheel({ requiresPython: '>=3.7' }), '2.0': wheel({ requiresPython: '>=3.99' }) } },
    platwheel: { versions: { '1.0': wheel(), '2.0': { files: [{ kind: 'wheel', pythonTag: 'cp311', abiTag: 'cp311', platformTag: 'win_amd64' }] } } },
  },
};

interface Case {
  readonly name: string;
  readonly requirements: readonly string[];
  readonly constraints?: readonly string[];
  /** pip --pre. */
  readonly pre?: boolean;
  /** What pip 26 installs (sorted name==version), or that it finds no solution. */
  readonly expect: readonly string[] | 'no solution';
  /** Where pip 23.2.1 differs from pip 26.2.1: what it does instead, and why. */
  readonly pip23?: { readonly expect: readonly string[] | 'no solution'; readonly why: string };
  /** For a conflict: words our explanation must contain. */
  readonly explains?: readonly RegExp[];
}

const CASES: readonly Case[] = [
  {
    name: 'a tangled graph, 138 rounds of backtracking, lands where pip 26 lands',
    requirements: ['knot1', 'knot0'],
    expect: KNOTS_PICKS,
    pip23: { expect: 'no solution', why: "pip 23's resolver (resolvelib 1.0.1, another preference order) gives up with ResolutionImpossible" },
  },
  { name: 'a diamond meets in the newest version both sides allow', requirements: ['app'], expect: ['app==1.0', 'left==1.0', 'right==1.0', 'shared==2.5'] },
  { name: 'a conflict that needs one backjump', requirements: ['alpha', 'beta'], expect: ['alpha==1.0', 'beta==1.0', 'gamma==1.0'] },
  { name: 'three newest releases rejected in a row', requirements: ['framework', 'plugin'], expect: ['core==2.0', 'framework==2.0', 'plugin==1.0'] },
  { name: 'an extra adds its dependencies', requirements: ['web[socks]'], expect: ['idna==3.0', 'pysocks==1.7', 'web==1.0'] },
  { name: 'extras are normalized and combine with a specifier', requirements: ['web[SOCKS,Security]>=1.0', 'pysocks<1.7'], expect: ['cryptography-ish==1.0', 'idna==3.0', 'pysocks==1.6', 'web==1.0'] },
  { name: 'an extra the project does not provide adds nothing', requirements: ['web[nonexistent]'], expect: ['idna==3.0', 'web==1.0'] },
  { name: 'an extra that requires other extras of its own project', requirements: ['toolkit[all]'], expect: ['click-ish==1.0', 'docs-ish==1.0', 'toolkit==1.0'] },
  { name: 'markers per target: platform and Python version, in dependencies and at the top', requirements: ['platformed', 'rootwin; sys_platform == "win32"'], expect: ['linuxonly==1.0', 'newpy==1.0', 'platformed==1.0'] },
  { name: 'a yanked release is skipped', requirements: ['yanky'], expect: ['yanky==1.0'] },
  { name: 'a yanked release is used when pinned exactly', requirements: ['yanky==2.0'], expect: ['yanky==2.0'] },
  { name: 'a range that only a yanked release satisfies has no solution', requirements: ['yanky>=2.0'], expect: 'no solution', explains: [/No release of yanky satisfies yanky>=2\.0 \(requirements\.in, line 1\)/, /2\.0 left out \(yanked\)/] },
  { name: 'a project with only pre-releases gets its newest', requirements: ['onlypre'], expect: ['onlypre==1.0b2'] },
  { name: 'pre-releases are not candidates when a final matches', requirements: ['mixed'], expect: ['mixed==1.0'] },
  { name: '--pre makes pre-releases candidates', requirements: ['mixed'], pre: true, expect: ['mixed==2.0b1'] },
  { name: 'a dependency naming a pre-release allows it for everyone', requirements: ['mixed', 'needs-pre'], expect: ['mixed==2.0b1', 'needs-pre==1.0'] },
  {
    name: 'a range that only a pre-release satisfies',
    requirements: ['mixed>1.0'],
    expect: ['mixed==2.0b1'],
    pip23: { expect: 'no solution', why: 'packaging 21.3 (pip 23) falls back to pre-releases only for an empty specifier; packaging 26 whenever no final release matches' },
  },
  { name: 'a cycle resolves', requirements: ['cyc-a'], expect: ['cyc-a==1.0', 'cyc-b==1.0'] },
  { name: 'Requires-Python excludes the newest release', requirements: ['pyrange'], expect: ['pyrange==1.0'] },
  { name: 'a release without a compatible wheel is skipped', requirements: ['platwheel'], expect: ['platwheel==1.0'] },
  { name: 'constraints restrict, and never add', requirements: ['shared'], constraints: ['shared<2.5', 'pysocks==1.4'], expect: ['shared==2.0'] },
  {
    name: 'requirements that clash have no solution',
    requirements: ['alpha==2.0', 'beta'],
    expect: 'no solution',
    explains: [/^Cannot install alpha==2\.0 \(requirements\.in, line 1\) and beta \(requirements\.in, line 2\) together/, /alpha 2\.0 \(from alpha==2\.0, requirements\.in, line 1\) requires gamma==2\.0/, /beta 1\.0 \(from beta, requirements\.in, line 2\) requires gamma<2/],
  },
];

const NO_SOLUTION = 'no solution';

/** The requirements text pip reads (and the constraints file it names). */
function writeCase(dir: string, item: Case): string {
  const lines = [...item.requirements];
  if (item.constraints) {
    writeFileSync(join(dir, 'constraints.txt'), item.constraints.join('\n') + '\n');
    lines.push('-c constraints.txt');
  }
  const file = join(dir, 'requirements.in');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

function roots(lines: readonly string[], file: string): RootRequirement[] {
  return lines.map((text, i) => {
    const parsed = parseRequirement(text);
    assert.ok(parsed.ok, text);
    return { requirement: parsed.value, origin: { file, line: i + 1 } };
  });
}

const picksOf = (resolution: Resolution) => (resolution.kind === 'resolved' ? resolution.packages.map((p) => `${p.name}==${p.version}`).sort() : NO_SOLUTION);
const pipPicks = (run: PipResolution) => (run.status === 0 ? run.picks : NO_SOLUTION);

describe('the resolver picks what pip picks', { skip: skipWithout(PIP, PIP26), timeout: 600_000 }, () => {
  let running: FixtureIndex;
  let target: TargetEnvironment;
  const pips = new Map<string, { system: PipResolution; pip26: PipResolution }>();
  useFixtureIndex(FIXTURE, (started) => (running = started));

  before(async () => {
    target = await pipPythonTarget();
    assert.equal(target.markers.sys_platform, 'linux', 'the marker and wheel-tag cases assume a Linux python3');
    // Two pips per case; a few at a time, as the machine allows.
    const queue = [...CASES];
    const worker = async () => {
      for (let item = queue.shift(); item; item = queue.shift()) {
        const dir = tempDir('resolver');
        const file = writeCase(dir, item);
        const run = (which: PipVersion) => pipResolution(which, file, running.index.simpleUrl, ...(item.pre ? ['--pre'] : []));
        pips.set(item.name, { system: await run('system'), pip26: await run('pip26') });
      }
    };
    await Promise.all([worker(), worker()]);
  });

  for (const item of CASES) {
    test(item.name, async () => {
      const { system, pip26 } = pips.get(item.name)!;
      assert.deepEqual(pipPicks(pip26), item.expect, `pip 26: ${pip26.stderr}`);
      assert.deepEqual(pipPicks(system), item.pip23?.expect ?? item.expect, `pip 23: ${system.stderr}`);
      // The real index layer: pages and PEP 658 metadata over HTTP from the test index.
      const resolution = await resolve(running.view, roots(item.requirements, 'requirements.in'), roots(item.constraints ?? [], 'constraints.txt'), { target, prereleases: item.pre });
      assert.deepEqual(picksOf(resolution), item.expect, JSON.stringify(resolution, (key, value) => (key === 'release' || key === 'file' || key === 'metadata' ? undefined : value), 1));
      if (resolution.kind === 'conflict') for (const pattern of item.explains ?? []) assert.match(resolution.message, pattern);
      else assert.equal(item.explains, undefined, 'an explanation was expected');
    });
  }
});
