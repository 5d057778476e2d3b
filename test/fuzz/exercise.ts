// One fuzz input through every layer that reads untrusted text: the requirements parser and the
// manifest readers (setup.py, setup.cfg, pyproject.toml), offline diagnostics (as requirements.txt, *.in and setup.py, with includes and
// a fake disk), completion, hover and code actions at random places, the fix planner, the
// Simple-page readers (HTML and JSON) on the same bytes served as an index page and pip.conf's
// reader on them as a configuration file, all against a fault-injecting in-memory index.
// Each step must not throw, must keep its spans inside the text,
// and the whole input must finish within a time budget. Shared by `npm run fuzz` and the short
// seeded run in the unit tests.
import { performance } from 'node:perf_hooks';
import type { Diagnostic } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument } from '../../server/src/engine/documents';
import { codeActions } from '../../server/src/features/codeActions';
import { completion } from '../../server/src/features/completion';
import { computeDiagnostics } from '../../server/src/features/diagnostics';
import type { AnalyzedDocument } from '../../server/src/features/document';
import { hover } from '../../server/src/features/hover';
import { indexDiagnostics } from '../../server/src/features/indexDiagnostics';
import { indexError, type Result } from '../../server/src/index/errors';
import type { IndexedFile, PackageIndex, ProjectData } from '../../server/src/index/packageIndex';
import type { ProjectDetails } from '../../server/src/index/jsonApi';
import { parseIni } from '../../server/src/index/pipConfig';
import { linkedFile, parseSimpleHtml, parseSimpleJson } from '../../server/src/index/simplePage';
import { planFixes } from '../../server/src/pip/fixPlan';
import { resolveIncludes, type TextReader } from '../../server/src/pip/includes';
import type { PathKind, PathProbe } from '../../server/src/pip/localPaths';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { collectSpans, PIECES, Random } from '../helpers/fuzz';
import { pythonTarget } from '../support/targets';

export interface FuzzFailure {
  readonly label: string;
  readonly problem: string;
  readonly text: string;
}

export interface FuzzOutcome {
  /** The whole input, every layer and file kind. */
  readonly ms: number;
  /** The slowest single step (one parse, one hover, one fix plan…) and its name. */
  readonly slowestStep: { readonly name: string; readonly ms: number };
  readonly failures: FuzzFailure[];
}

/** Per step: a step slower than this on one input is a failure (an editor request must feel instant). */
export interface FuzzBudget {
  readonly stepMs: number;
}

const ENV = { X: 'expanded value', PATH: '/usr/bin', EMPTY: '' };

const INCLUDED: Record<string, string> = {
  '/fuzz/base.txt': `six==1.16.0 --hash=sha256:${'a'.repeat(64)}\n-r nested.txt\n`,
  '/fuzz/nested.txt': '-r requirements.txt\nflask>=2\n',
  '/fuzz/constraints.txt': 'six==1.16.0\n',
};

const reader: TextReader = { read: (path) => INCLUDED[path] };

const disk: PathProbe = {
  kind: (path): PathKind => (/\.(whl|tar\.gz|zip)$/.test(path) ? 'file' : /^\.\.?(\/|$)/.test(path) ? 'directory' : 'missing'),
  isInstallableDirectory: (path) => path === '.' || path.endsWith('/pkg'),
};

/** A name's stable pseudo-random seed, so the same project answers the same way within a run. */
function seedOf(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash >>> 0;
}

const NASTY_FILENAMES = ['', '.whl', '-.tar.gz', 'x-1.0-py3-none-any.whl', 'x-1.0.tar.gz', 'x-1.0-py3-none-any.whl.metadata', 'a' + '-'.repeat(300) + '.tar.gz', 'x-1!2.0rc1.post3.dev4+local.tar.gz'];

/**
 * An index that answers from the name's hash: missing projects, outages, huge version lists,
 * strange file names and requires-python, yanked releases, vulnerabilities and failing downloads.
 */
export function faultyIndex(seed: number): PackageIndex {
  const data = (name: string): Result<ProjectData> => {
    const random = new Random(seed ^ seedOf(name));
    const roll = random.int(10);
    if (roll === 0) return { ok: false, error: indexError('not-found', `https://fuzz.invalid/simple/${name}/`, `${name} is not on the index`) };
    if (roll === 1) return { ok: false, error: indexError('unreachable', `https://fuzz.invalid/simple/${name}/`, 'connection reset') };
    // Now and then a project with thousands of files (numpy has ~10,000): rare, as in real files.
    const count = roll === 2 && random.chance(0.05) ? 2000 + random.int(3000) : 1 + random.int(20);
    const files: IndexedFile[] = [];
    for (let i = 0; i < count; i++) {
      const version = random.chance(0.1) ? random.pick(PIECES) : `${random.int(5)}.${random.int(30)}${random.chance(0.1) ? 'rc1' : ''}`;
      const filename = random.chance(0.05) ? random.pick(NASTY_FILENAMES) : `${name}-${version}${random.chance(0.5) ? '-py3-none-any.whl' : '.tar.gz'}`;
      // Lone surrogates cannot be percent-encoded: the URL keeps the raw name, as a broken index might.
      const file = linkedFile(filename, `https://fuzz.invalid/files/${filename}`, name);
      files.push({
        ...file,
        hashes: random.chance(0.9) ? { sha256: random.int(2 ** 30).toString(16).padStart(64, '0') } : {},
        yanked: random.chance(0.1),
        ...(random.chance(0.2) ? { requiresPython: random.pick(['>=3.8', '>=3.13', '<3', '>=3.6,!=3.7.*', random.pick(PIECES)]) } : {}),
        source: 'https://fuzz.invalid/simple/',
      });
    }
    const versions = [...new Set(files.map((file) => file.version).filter((v): v is string => v !== undefined))];
    return { ok: true, value: { name, files, versions, stale: random.chance(0.05), freshness: 'fetched', fetchedAt: 0, problems: [], indexes: [], statuses: [] } };
  };
  // One answer per project and input, as the index layer's cache gives.
  const answers = new Map<string, Result<ProjectData>>();
  const cached = (name: string): Result<ProjectData> => {
    let answer = answers.get(name);
    if (!answer) answers.set(name, (answer = data(name)));
    return answer;
  };
  return {
    effective: { primary: 'https://fuzz.invalid/simple/', extra: [], extraOrigins: [], findLinks: [], source: 'settings', offline: false, prereleases: false, ignoredFileOptions: [] },
    project: async (name) => cached(name),
    details: async (name, version) => {
      const random = new Random(seed ^ seedOf(`${name}@${version}`));
      if (random.chance(0.5)) return undefined;
      const details: ProjectDetails = {
        name,
        version: version ?? '1.0',
        summary: random.pick(PIECES),
        requiresDist: random.chance(0.5) ? [random.pick(PIECES), 'six>=1 ; extra == "socks"'] : [],
        requiresDistKnown: true,
        ...(random.chance(0.5) ? { providesExtra: [random.pick(PIECES)] } : {}),
        projectUrls: { Homepage: random.pick(['https://x.invalid/', random.pick(PIECES)]) },
        releaseDates: { '1.0': random.pick(['2024-01-01T00:00:00Z', random.pick(PIECES)]) },
        vulnerabilities: random.chance(0.3) ? [{ id: `PYSEC-${random.int(999)}`, aliases: ['CVE-2024-1'], summary: random.pick(PIECES), fixedIn: [random.pick(['1.0', '2.0', random.pick(PIECES)])] }] : [],
      };
      return details;
    },
    fileSha256: async (file) => (seedOf(file.url) % 3 === 0 ? { ok: false, error: indexError('server-error', file.url, 'download failed') } : { ok: true, value: seedOf(file.url).toString(16).padStart(64, '0') }),
    projectNames: async () => ({ ok: true, value: ['six', 'flask', 'requests', 'django', 'pkg', 'foo-bar'] }),
    metadata: async (file) => ({ ok: false, error: indexError('not-static', file.url, 'needs a build') }),
    provenance: async () => undefined,
  };
}

function checkSpans(run: Run, step: string, value: unknown): void {
  const text = run.text;
  for (const span of collectSpans(value)) {
    const ok = Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.start <= span.end && span.end <= text.length;
    if (!ok) {
      run.fail(`${step}: span ${span.path} = [${span.start}, ${span.end}) is outside [0, ${text.length}]`);
      return;
    }
  }
}

function checkRanges(run: Run, step: string, document: TextDocument, value: unknown): void {
  const lines = document.lineCount;
  const json = JSON.stringify(value ?? null);
  for (const match of json.matchAll(/"line":(-?\d+),"character":(-?\d+)/g)) {
    const line = Number(match[1]);
    if (line < 0 || line >= lines || Number(match[2]) < 0) {
      run.fail(`${step}: position ${match[0]} outside the document (${lines} lines)`);
      return;
    }
  }
}

/** The failures and timings of one input's steps. */
class Run {
  readonly failures: FuzzFailure[] = [];
  slowest = { name: '', ms: 0 };

  constructor(
    readonly label: string,
    readonly text: string,
    private readonly budget: FuzzBudget,
  ) {}

  fail(problem: string): void {
    this.failures.push({ label: this.label, problem, text: this.text });
  }

  async attempt<T>(step: string, run: () => T | Promise<T>): Promise<T | undefined> {
    const started = performance.now();
    try {
      return await run();
    } catch (error) {
      this.fail(`${step} threw ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return undefined;
    } finally {
      const ms = performance.now() - started;
      if (ms > this.slowest.ms) this.slowest = { name: step, ms };
      if (ms > this.budget.stepMs) this.fail(`${step} took ${ms.toFixed(0)} ms (budget ${this.budget.stepMs} ms)`);
    }
  }
}

const KINDS = [
  { path: '/fuzz/requirements.txt', label: 'requirements.txt' },
  { path: '/fuzz/requirements.in', label: 'requirements.in' },
  { path: '/fuzz/setup.py', label: 'setup.py' },
  { path: '/fuzz/setup.cfg', label: 'setup.cfg' },
  { path: '/fuzz/pyproject.toml', label: 'pyproject.toml' },
  { path: '/fuzz/pylock.toml', label: 'pylock.toml' },
] as const;

/**
 * Every layer over one input; `random` picks the offsets and the index's answers, and, unless
 * `allKinds`, which one kind of file (requirements.txt, *.in, setup.py, setup.cfg, pyproject.toml, pylock.toml) the text is read as.
 */
export async function exercise(label: string, text: string, random: Random, options: { budget?: FuzzBudget; allKinds?: boolean } = {}): Promise<FuzzOutcome> {
  const run = new Run(label, text, options.budget ?? { stepMs: 100 });
  const started = performance.now();
  const index = faultyIndex(random.int(2 ** 30));
  for (const kind of options.allKinds ? KINDS : [random.pick(KINDS)]) {
    const document = TextDocument.create(`file://${kind.path}`, 'pip-requirements', 1, text);
    const step = (name: string) => `${name}(${kind.label})`;
    const analysis = await run.attempt(step('analyze'), () => analyzeDocument(document, kind.path, ENV));
    if (!analysis) continue;
    checkSpans(run, step('analyze'), analysis.family === 'manifest' ? analysis.declarations : analysis.family === 'lock' ? analysis.lock : analysis.parsed);
    const includes = analysis.family === 'requirements' ? await run.attempt(step('resolveIncludes'), () => resolveIncludes(analysis.parsed, kind.path, reader, ENV)) : undefined;
    const diagnostics = await run.attempt(step('computeDiagnostics'), () => computeDiagnostics(analysis, DEFAULT_SETTINGS, { includes, paths: disk }));
    checkRanges(run, step('computeDiagnostics'), document, diagnostics);
    await exerciseFeatures(run, step, analysis, document, index, random, [...(diagnostics ?? [])]);
  }
  // The same bytes as an index page: HTML and JSON readers never throw and stay linear.
  await run.attempt('parseSimpleHtml', () => parseSimpleHtml(text, 'https://fuzz.invalid/simple/pkg/', 'pkg'));
  await run.attempt('parseSimpleJson', () => parseSimpleJson(text, 'https://fuzz.invalid/simple/pkg/', 'pkg'));
  // And as a pip.conf (read with the index options every session starts from).
  await run.attempt('parseIni', () => parseIni(text));
  return { ms: performance.now() - started, slowestStep: run.slowest, failures: run.failures };
}

async function exerciseFeatures(
  run: Run,
  step: (name: string) => string,
  analysis: AnalyzedDocument,
  document: TextDocument,
  index: PackageIndex,
  random: Random,
  diagnostics: Diagnostic[],
): Promise<void> {
  const text = document.getText();
  const offsets = [random.chance(0.5) ? text.length : 0, random.int(text.length + 1)];
  const deps = { index, targets: random.chance(0.5) ? [pythonTarget('3.11', random.chance(0.5) ? 'manylinux_2_28_x86_64' : undefined)] : [] };
  for (const offset of offsets) {
    checkRanges(run, step('hover'), document, await run.attempt(step('hover'), () => hover(analysis, offset, deps)));
    checkRanges(run, step('completion'), document, await run.attempt(step('completion'), () => completion(analysis, offset, deps)));
  }
  const start = random.int(text.length + 1);
  const range = { start, end: Math.min(text.length, start + random.int(200)) };
  const toRange = (span: { start: number; end: number }) => ({ start: document.positionAt(span.start), end: document.positionAt(span.end) });
  const only = random.chance(0.3) ? ['source.fixAll.reqguard'] : undefined;
  checkRanges(run, step('codeActions'), document, await run.attempt(step('codeActions'), () => codeActions(analysis, range, { diagnostics, only }, { ...deps, uri: document.uri, toRange })));
  const plan = await run.attempt(step('planFixes'), () => planFixes(analysis, deps, { pin: true, hash: true, update: random.chance(0.3) }));
  checkSpans(run, step('planFixes'), plan?.replacements);
  checkRanges(run, step('indexDiagnostics'), document, await run.attempt(step('indexDiagnostics'), () => indexDiagnostics(analysis, { index, settings: DEFAULT_SETTINGS, targets: deps.targets })));
}
