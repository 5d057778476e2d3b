// Benchmark (not a test): does the cost per unit stay flat as inputs grow? Requirements files of
// 1k/10k/100k lines (parse, then offline diagnostics), Simple pages of 1k/10k/100k links (HTML and
// JSON), and setup.py lists of 1k/10k/100k items, each timed (median of a few runs) and weighed
// (retained heap after a forced GC). A linear reader shows the same µs and bytes per unit at every
// size; a quadratic one multiplies by ten at each step.
//   node --expose-gc out/test/bench/scaling.bench.js     (npm run bench runs it)
import { performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument } from '../../server/src/engine/documents';
import { computeDiagnostics } from '../../server/src/features/diagnostics';
import { parseSimpleHtml, parseSimpleJson } from '../../server/src/index/simplePage';
import { parseRequirementsFile } from '../../server/src/parser/requirementsFile';
import { analyzeSetupPy } from '../../server/src/parser/setupPy';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { median } from './stats';

const SIZES = [1_000, 10_000, 100_000];
const HASH = 'a'.repeat(64);

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (npm run bench does)');

/** Results being weighed: held here so nothing can collect them before the heap is read. */
const retained: unknown[] = [];

/** Median time of `runs` runs, and the heap the last result keeps alive. */
function measure(run: () => unknown, runs: number): { ms: number; bytes: number } {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    retained.length = 0;
    gc!();
    const before = process.memoryUsage().heapUsed;
    const started = performance.now();
    retained.push(run());
    times.push(performance.now() - started);
    gc!();
    bytes = process.memoryUsage().heapUsed - before;
  }
  retained.length = 0;
  return { ms: median(times), bytes };
}

const requirements = (n: number) => Array.from({ length: n }, (_, i) => `package-${i}[extra]==1.${i % 100} ; python_version >= "3.8" --hash=sha256:${HASH}`).join('\n') + '\n';
const html = (n: number) => `<!DOCTYPE html><html><body>\n${Array.from({ length: n }, (_, i) => `<a href="../../files/pkg-1.${i}.tar.gz#sha256=${HASH}" data-requires-python="&gt;=3.8">pkg-1.${i}.tar.gz</a><br/>`).join('\n')}\n</body></html>\n`;
const json = (n: number) => JSON.stringify({ meta: { 'api-version': '1.1' }, name: 'pkg', files: Array.from({ length: n }, (_, i) => ({ filename: `pkg-1.${i}.tar.gz`, url: `../../files/pkg-1.${i}.tar.gz`, hashes: { sha256: HASH }, 'requires-python': '>=3.8' })) });
const setupPy = (n: number) => `from setuptools import setup\nsetup(install_requires=[\n${Array.from({ length: n }, (_, i) => `    "package-${i}>=1.0",`).join('\n')}\n])\n`;

const cases: { what: string; unit: string; make: (n: number) => string; run: (text: string) => unknown }[] = [
  { what: 'parse requirements', unit: 'line', make: requirements, run: (text) => parseRequirementsFile(text) },
  {
    what: 'offline diagnostics',
    unit: 'line',
    make: requirements,
    run: (text) => computeDiagnostics(analyzeDocument(TextDocument.create('file:///r.txt', 'pip-requirements', 1, text), '/r.txt'), DEFAULT_SETTINGS),
  },
  { what: 'Simple page, HTML', unit: 'link', make: html, run: (text) => parseSimpleHtml(text, 'https://i.example/simple/pkg/', 'pkg') },
  { what: 'Simple page, JSON', unit: 'link', make: json, run: (text) => parseSimpleJson(text, 'https://i.example/simple/pkg/', 'pkg') },
  { what: 'setup.py list', unit: 'item', make: setupPy, run: (text) => analyzeSetupPy(text) },
];

console.log(`node ${process.version}; median of runs; retained heap after GC\n`);
console.log('what                   | units   |     total |  per unit |  bytes/unit');
console.log('-----------------------|---------|-----------|-----------|------------');
for (const c of cases) {
  for (const n of SIZES) {
    const text = c.make(n);
    const { ms, bytes } = measure(() => c.run(text), n >= 100_000 ? 3 : 7);
    const perUnit = (ms * 1000) / n;
    console.log(`${c.what.padEnd(22)} | ${String(n).padStart(7)} | ${ms.toFixed(1).padStart(6)} ms | ${perUnit.toFixed(2).padStart(6)} µs | ${(bytes / n).toFixed(0).padStart(8)} B  (per ${c.unit})`);
  }
}
