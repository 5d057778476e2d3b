// The index benchmark's fixture and settings, shared by the bench, the process hosting the test
// index, and the warm process.
import type { IndexFixture } from '../support/testIndex';
import type { IndexSelection } from '../../server/src/index/indexSelection';

export const PROJECTS = 300;
export const LATENCY_MS = 20;
export const CONCURRENCY = 16;

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

/** `PROJECTS` projects of 2–5 versions, each with a wheel and an sdist; deterministic. */
export function benchFixture(): { fixture: IndexFixture; names: string[] } {
  const projects: IndexFixture['projects'] = {};
  const names: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; names.length < PROJECTS; i++) {
    const name = SHAPES[Math.floor(i / STEMS.length) % SHAPES.length](STEMS[i % STEMS.length]);
    const normalized = name.replace(/[-_.]+/g, '-').toLowerCase();
    if (seen.has(normalized)) continue;
    seen.add(normalized);
    names.push(name);
    const versions: IndexFixture['projects'][string]['versions'] = {};
    for (let v = 0; v < 2 + (i % 4); v++) {
      versions[`${1 + (i % 3)}.${v}.${i % 7}`] = { files: ['wheel', 'sdist'], requiresPython: '>=3.8', uploadTime: `2024-0${1 + v}-01T00:00:00.000000Z` };
    }
    projects[name] = { versions };
  }
  return { fixture: { projects }, names };
}

export const benchSelection = (simpleUrl: string): IndexSelection => ({ indexUrls: [simpleUrl], findLinks: [], noIndex: false, source: 'settings' });
