// The index benchmarks' fixtures and settings, shared by the benches, the process hosting the
// test index, and the warm process.
import type { FileSpec, IndexFixture } from '../support/testIndex';
import type { IndexSelection } from '../../server/src/index/indexSelection';
import { DEFAULT_SETTINGS } from '../../server/src/settings';

export const PROJECTS = 300;
export const LATENCY_MS = 20;
/** The server's and the CLI's default (reqguard.http.concurrency). */
export const CONCURRENCY = DEFAULT_SETTINGS.http.concurrency;

// PyPI-looking names: mixed case, dots, underscores and hyphens, so requests go through name
// normalization as real ones do.
const STEMS = [
  'requests', 'Flask', 'Django', 'numpy', 'pandas', 'boto', 'pytest', 'click', 'Jinja', 'PyYAML', 'attrs', 'six',
  'urllib3', 'cryptography', 'SQLAlchemy', 'pydantic', 'celery', 'redis', 'httpx', 'rich', 'toml', 'markdown',
  'Pillow', 'lxml', 'protobuf', 'grpcio', 'aiohttp', 'websocket', 'dateutil', 'tzdata', 'certifi', 'idna',
  'charset', 'wheel', 'setuptools', 'typing', 'mypy', 'black', 'isort', 'coverage', 'tox', 'sphinx',
];
const SHAPES: Array<(stem: string) => string> = [
  (s) => s,
  (s) => `python-${s}`,
  (s) => `${s}-utils`,
  (s) => `${s}_extensions`,
  (s) => `types-${s}`,
  (s) => `zope.${s}`,
  (s) => `${s}-client`,
  (s) => `Flask-${s[0].toUpperCase()}${s.slice(1)}`,
  (s) => `jaraco.${s}`,
  (s) => `${s}.core`,
];

/** How many versions project `i` has and which files each version has. */
export interface FixtureShape {
  readonly versions: (i: number) => number;
  readonly files: (i: number) => FileSpec[];
  /**
   * Adds what real projects have: newer pre-releases and yanked releases, which pip does not pick,
   * and a known vulnerability (without a fix) in some newest releases.
   */
  readonly mixed?: boolean;
}

/** index.bench.ts: 2–5 versions, each with a wheel and an sdist. */
export const PAGES_SHAPE: FixtureShape = { versions: (i) => 2 + (i % 4), files: () => ['wheel', 'sdist'] };

const BINARY_WHEELS: FileSpec[] = ['cp311', 'cp312'].flatMap((python) =>
  ['manylinux_2_17_x86_64', 'win_amd64', 'macosx_11_0_arm64'].map((platformTag) => ({ kind: 'wheel' as const, pythonTag: python, abiTag: python, platformTag })),
);

/**
 * A real application's dependencies: 3–8 versions; a third pure Python (one wheel and an sdist),
 * the rest with six binary wheels (two Pythons × three platforms) and an sdist; newer
 * pre-releases, yanked releases and vulnerabilities here and there (`mixed`).
 */
export const RELEASES_SHAPE: FixtureShape = {
  versions: (i) => 3 + (i % 6),
  files: (i) => (i % 3 === 0 ? ['wheel', 'sdist'] : [...BINARY_WHEELS, 'sdist']),
  mixed: true,
};

/** The shapes by the name the index process is given. */
export const FIXTURE_SHAPES = { pages: PAGES_SHAPE, releases: RELEASES_SHAPE } as const;
export type FixtureName = keyof typeof FIXTURE_SHAPES;

const uploadTime = (month: number) => `2024-${String(month).padStart(2, '0')}-01T00:00:00.000000Z`;

/**
 * `PROJECTS` projects in `shape`; deterministic. `latest[i]` is the release pip picks for
 * `names[i]` without a specifier: the newest final release that is not yanked.
 */
export function benchFixture(shape: FixtureShape = PAGES_SHAPE): { fixture: IndexFixture; names: string[]; latest: string[] } {
  const projects: IndexFixture['projects'] = {};
  const names: string[] = [];
  const latest: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; names.length < PROJECTS; i++) {
    const name = SHAPES[Math.floor(i / STEMS.length) % SHAPES.length](STEMS[i % STEMS.length]);
    const normalized = name.replace(/[-_.]+/g, '-').toLowerCase();
    if (seen.has(normalized)) continue;
    seen.add(normalized);
    names.push(name);
    const versions: IndexFixture['projects'][string]['versions'] = {};
    const major = 1 + (i % 3);
    const count = shape.versions(i);
    for (let v = 0; v < count; v++) {
      versions[`${major}.${v}.${i % 7}`] = { files: shape.files(i), requiresPython: '>=3.8', uploadTime: uploadTime(1 + v) };
    }
    latest.push(`${major}.${count - 1}.${i % 7}`);
    if (shape.mixed) {
      if (i % 10 === 0) versions[latest[latest.length - 1]].vulnerabilities = [{ id: `PYSEC-2024-${i}`, summary: 'Denial of service in the parser' }];
      if (i % 4 === 0) versions[`${major}.${count}.0rc1`] = { files: shape.files(i), requiresPython: '>=3.8', uploadTime: uploadTime(11) };
      if (i % 5 === 0) versions[`${major}.${count + 1}.0`] = { files: shape.files(i), requiresPython: '>=3.8', uploadTime: uploadTime(12), yanked: 'broken build' };
    }
    projects[name] = { versions };
  }
  return { fixture: { projects }, names, latest };
}

export const benchSelection = (simpleUrl: string): IndexSelection => ({ indexUrls: [simpleUrl], findLinks: [], noIndex: false, source: 'settings' });
