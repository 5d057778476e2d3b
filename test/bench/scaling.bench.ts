// Benchmark (not a test): does the cost per unit stay flat as inputs grow? Requirements files of
// 1k/10k/100k lines (parse, a keystroke's reparse, offline diagnostics, "Pin and hash all" for as
// many projects or one project named that often), Simple pages of 1k/10k/100k links (HTML and
// JSON), setup.py lists of 1k/10k/100k items, and a hover over a specifier of that many clauses,
// each timed (median of a few runs) and weighed (retained heap after a forced GC). A linear reader
// shows the same µs and bytes per unit at every size; a quadratic one multiplies by ten at each step.
//   node --expose-gc out/test/bench/scaling.bench.js     (npm run bench runs it)
import { performance } from 'node:perf_hooks';
import { indexError } from '../../server/src/index/errors';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument } from '../../server/src/engine/documents';
import { computeDiagnostics } from '../../server/src/features/diagnostics';
import { hover } from '../../server/src/features/hover';
import type { IndexedFile, PackageIndex } from '../../server/src/index/packageIndex';
import { linkedFile, parseSimpleHtml, parseSimpleJson } from '../../server/src/index/simplePage';
import { parseRequirementsFile, reparseRequirementsFile } from '../../server/src/parser/requirementsFile';
import { planFixes } from '../../server/src/pip/fixPlan';
import { analyzeSetupPy } from '../../server/src/parser/setupPy';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { median } from './stats';

const SIZES = [1_000, 10_000, 100_000];
const HASH = 'a'.repeat(64);

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (npm run bench does)');

/** Results being weighed: held here so nothing can collect them before the heap is read. */
const retained: unknown[] = [];

/**
 * One run: its time and the heap its result keeps alive. A call of its own, so that no earlier
 * result lingers in a suspended frame (an awaited value does) and is counted as freed.
 */
async function runOnce(run: () => unknown): Promise<{ ms: number; bytes: number }> {
  retained.length = 0;
  gc!();
  const before = process.memoryUsage().heapUsed;
  const started = performance.now();
  retained.push(await run());
  const ms = performance.now() - started;
  gc!();
  return { ms, bytes: process.memoryUsage().heapUsed - before };
}

/** Median time of `runs` runs, and the heap the last result keeps alive. */
async function measure(run: () => unknown, runs: number): Promise<{ ms: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const once = await runOnce(run);
    times.push(once.ms);
    bytes = once.bytes;
  }
  retained.length = 0;
  return { ms: median(times), bytes };
}

const requirements = (n: number) => Array.from({ length: n }, (_, i) => `package-${i}[extra]==1.${i % 100} ; python_version >= "3.8" --hash=sha256:${HASH}`).join('\n') + '\n';
const html = (n: number) => `<!DOCTYPE html><html><body>\n${Array.from({ length: n }, (_, i) => `<a href="../../files/pkg-1.${i}.tar.gz#sha256=${HASH}" data-requires-python="&gt;=3.8">pkg-1.${i}.tar.gz</a><br/>`).join('\n')}\n</body></html>\n`;
const json = (n: number) => JSON.stringify({ meta: { 'api-version': '1.1' }, name: 'pkg', files: Array.from({ length: n }, (_, i) => ({ filename: `pkg-1.${i}.tar.gz`, url: `../../files/pkg-1.${i}.tar.gz`, hashes: { sha256: HASH }, 'requires-python': '>=3.8' })) });
const setupPy = (n: number) => `from setuptools import setup\nsetup(install_requires=[\n${Array.from({ length: n }, (_, i) => `    "package-${i}>=1.0",`).join('\n')}\n])\n`;

/** A project's files in memory: `releases` releases of a wheel and an sdist each, with their sha256. */
function projectFiles(name: string, releases: number): IndexedFile[] {
  const files: IndexedFile[] = [];
  for (let v = 0; v < releases; v++) {
    for (const filename of [`${name}-1.${v}-py3-none-any.whl`, `${name}-1.${v}.tar.gz`]) {
      files.push({ ...linkedFile(filename, `https://i.example/files/${filename}`, name), hashes: { sha256: HASH }, source: 'https://i.example/simple/' });
    }
  }
  return files;
}

/** An index in memory: every project has five releases, or `sizes` says how many, made before the timing starts. */
function memoryIndex(sizes: ReadonlyMap<string, number> = new Map()): PackageIndex {
  const made = new Map([...sizes].map(([name, releases]) => [name, projectFiles(name, releases)]));
  return {
    effective: { primary: 'https://i.example/simple/', extra: [], findLinks: [], source: 'settings', offline: false, prereleases: false, ignoredFileOptions: [], extraOrigins: [] },
    async project(name) {
      const files = made.get(name) ?? projectFiles(name, 5);
      const versions = Array.from({ length: files.length / 2 }, (_, v) => `1.${files.length / 2 - 1 - v}`);
      return { ok: true, value: { name, files, versions, stale: false, freshness: 'memory', fetchedAt: 0, problems: [], indexes: [], statuses: [] } };
    },
    details: async () => undefined,
    fileSha256: async () => ({ ok: true, value: HASH }),
    projectNames: async () => ({ ok: true, value: [] }),
    metadata: async (file) => ({ ok: false, error: indexError('not-static', file.url, 'not read in this benchmark') }),
    provenance: async () => undefined,
  };
}
const fiveReleases = memoryIndex();

const analyzed = (text: string) => analyzeDocument(TextDocument.create('file:///r.txt', 'pip-requirements', 1, text), '/r.txt');
/** Hashed pins, short enough that 100k lines stay within the parser's 10,000,000 characters (reparsing a cut file parses it whole). */
const hashedPins = (n: number) => Array.from({ length: n }, (_, i) => `package-${i}==1.${i % 100} --hash=sha256:${HASH}`).join('\n') + '\n';
/** A keystroke in the middle of the file: everything after it moves. */
const keystroke = (text: string) => {
  const previous = parseRequirementsFile(text);
  const middle = text.indexOf('\n', text.length >> 1) + 1;
  const typed = `${text.slice(0, middle)}x${text.slice(middle)}`;
  return () => reparseRequirementsFile(previous, typed);
};

/** `work`: given the input, what is timed (set up outside the timing where it needs to). */
const cases: { what: string; unit: string; make: (n: number) => string; work: (text: string) => () => unknown }[] = [
  { what: 'parse requirements', unit: 'line', make: requirements, work: (text) => () => parseRequirementsFile(text) },
  {
    what: 'offline diagnostics',
    unit: 'line',
    make: requirements,
    work: (text) => () => computeDiagnostics(analyzeDocument(TextDocument.create('file:///r.txt', 'pip-requirements', 1, text), '/r.txt'), DEFAULT_SETTINGS),
  },
  { what: 'keystroke, reparse', unit: 'line', make: hashedPins, work: keystroke },
  { what: 'Pin and hash all', unit: 'project', make: (n) => Array.from({ length: n }, (_, i) => `package-${i}>=1.1\n`).join(''), work: (text) => () => planFixes(analyzed(text), { index: fiveReleases }, { pin: true, hash: true }) },
  { what: 'Pin and hash all, one project', unit: 'line', make: (n) => 'package>=1.1\n'.repeat(n), work: (text) => () => planFixes(analyzed(text), { index: fiveReleases }, { pin: true, hash: true }) },
  {
    what: 'Pin and hash all, large project',
    unit: 'file',
    // The text says how many files: the project has half as many releases.
    make: (n) => `package>=1.1 # ${n}\n`,
    work: (text) => {
      const index = memoryIndex(new Map([['package', Number(/# (\d+)/.exec(text)![1]) / 2]]));
      return () => planFixes(analyzed(text), { index }, { pin: true, hash: true });
    },
  },
  { what: 'hover, specifier', unit: 'clause', make: (n) => `package${'>=1.0,'.repeat(n)}<2\n`, work: (text) => () => hover(analyzed(text), 0, { index: fiveReleases }) },
  { what: 'Simple page, HTML', unit: 'link', make: html, work: (text) => () => parseSimpleHtml(text, 'https://i.example/simple/pkg/', 'pkg') },
  { what: 'Simple page, JSON', unit: 'link', make: json, work: (text) => () => parseSimpleJson(text, 'https://i.example/simple/pkg/', 'pkg') },
  { what: 'setup.py list', unit: 'item', make: setupPy, work: (text) => () => analyzeSetupPy(text) },
];

console.log(`node ${process.version}; median of runs; retained heap after GC\n`);
console.log('what                          | units   |     total |  per unit |  bytes/unit');
console.log('------------------------------|---------|-----------|-----------|------------');
async function main(): Promise<void> {
  for (const c of cases) {
    for (const n of SIZES) {
      const text = c.make(n);
      const { ms, bytes } = await measure(c.work(text), n >= 100_000 ? 3 : 7);
      const perUnit = (ms * 1000) / n;
      console.log(`${c.what.padEnd(29)} | ${String(n).padStart(7)} | ${ms.toFixed(1).padStart(6)} ms | ${perUnit.toFixed(2).padStart(6)} µs | ${(bytes / n).toFixed(0).padStart(8)} B  (per ${c.unit})`);
    }
  }
}

void main();
