// Benchmark (not a test): what parsing costs per line, and what hostile inputs cost: each case runs
// in a new process of its own (with --expose-gc), which reports its time and peak RSS; a case that
// runs past the timeout or crashes is reported as such. Figures for the README's "Hostile input".
//   npm run build && npx tsc -b && node out/test/bench/hostile.bench.js [CASE...]
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument } from '../../server/src/engine/documents';
import { completion } from '../../server/src/features/completion';
import { analyzeSetupPy } from '../../server/src/parser/setupPy';
import { parseRequirementsFile } from '../../server/src/parser/requirementsFile';
import { corpusDir } from '../helpers/corpus';
import { median } from './stats';

const TIMEOUT_MS = 120_000;

const warehouse = (): string => readFileSync(join(corpusDir(), 'requirements', 'pypi__warehouse__requirements__main.txt'), 'utf8');

/** `text` repeated (whole copies, then whole lines) to about `length` characters. */
function repeatedTo(text: string, length: number): string {
  const copies = text.repeat(Math.floor(length / text.length));
  const rest = text.slice(0, text.lastIndexOf('\n', length - copies.length) + 1);
  return copies + rest;
}

const pins = (count: number): string => Array.from({ length: count }, (_, i) => `package-${i}==1.${i % 100}.0\n`).join('');
const HASH = ' --hash=sha256:' + '0123456789abcdef'.repeat(4);

interface Measured {
  readonly ms: number;
  readonly lines?: number;
  /** Heap still held by the result after a full GC. */
  readonly retainedBytes?: number;
  readonly rssGrowthBytes?: number;
  readonly note?: string;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Runs `run` once, timed, with the heap (result kept) and RSS it leaves behind. */
function measureOnce<T>(run: () => T, lines?: number, describe?: (result: T) => string): Measured {
  gc();
  const heap = process.memoryUsage().heapUsed;
  const rss = process.memoryUsage().rss;
  const started = performance.now();
  const result = run();
  const ms = performance.now() - started;
  const rssGrowthBytes = process.memoryUsage().rss - rss;
  gc();
  const retainedBytes = process.memoryUsage().heapUsed - heap;
  return { ms, lines, retainedBytes, rssGrowthBytes, ...(describe ? { note: describe(result) } : {}) };
}

const parseCase = (text: () => string) => (): Measured => {
  const source = text();
  // Warm the JIT on the first 100 KB, so the figure is the parser's, not the compiler's.
  for (let i = 0; i < 5; i++) parseRequirementsFile(source.slice(0, source.indexOf('\n', 100_000) + 1 || source.length));
  const lines = source.split('\n').length - 1 || 1;
  return measureOnce(() => parseRequirementsFile(source), lines, (doc) => `${doc.entries.length} entries, ${doc.problems.length} problems`);
};

const completionCase = (text: string) => async (): Promise<Measured> => {
  const document = TextDocument.create('file:///bench/requirements.txt', 'pip-requirements', 1, text);
  const analysis = analyzeDocument(document, '/bench/requirements.txt');
  const started = performance.now();
  await completion(analysis, text.length, {});
  return { ms: performance.now() - started };
};

const setupCase = (text: string) => (): Measured =>
  measureOnce(() => analyzeSetupPy(text), undefined, (result) => {
    const keyword = result.calls[0]?.keywords.install_requires;
    return `${keyword?.status}: ${keyword?.items.length} items ${keyword?.items[0]?.reason ?? ''}`;
  });

const CASES: Record<string, () => Measured | Promise<Measured>> = {
  // Per-line cost, on files within the limits.
  'warehouse main.txt (2,681 lines), median of 50 warm parses': () => {
    const text = warehouse();
    for (let i = 0; i < 20; i++) parseRequirementsFile(text);
    const times: number[] = [];
    for (let i = 0; i < 50; i++) {
      const started = performance.now();
      parseRequirementsFile(text);
      times.push(performance.now() - started);
    }
    const once = parseCase(() => text)();
    return { ...once, ms: median(times) };
  },
  'warehouse main.txt repeated to 9.9 MB': parseCase(() => repeatedTo(warehouse(), 9_900_000)),
  '199,000 pins (4.4 MB)': parseCase(() => pins(199_000)),
  'one 990 KB line of hashes': parseCase(() => 'six==1.16.0' + HASH.repeat(Math.floor(990_000 / HASH.length)) + '\n'),
  // Past the limits.
  '50 MB: warehouse main.txt repeated': parseCase(() => repeatedTo(warehouse(), 50_000_000)),
  '50 MB: 2.1 million pins': parseCase(() => pins(2_140_000)),
  '50 MB: one line of hashes': parseCase(() => 'six==1.16.0' + HASH.repeat(Math.floor(50_000_000 / HASH.length)) + '\n'),
  "'-- ' + 'a ' x 200,000": parseCase(() => '-- ' + 'a '.repeat(200_000)),
  '100,000 ${X} on continued lines': () => {
    const text = '${X} \\\n'.repeat(100_000) + 'x\n';
    return measureOnce(() => parseRequirementsFile(text, { env: { X: 'value' } }), 100_001);
  },
  // Completion's scan of the line being typed (no index: only the scan is timed).
  // The cursor at the end, where nothing matches: a backtracking regex tries every split first.
  "completion: 'six' + 4,000 spaces": completionCase('six' + ' '.repeat(4_000)),
  "completion: 'six' + 8,000 continued lines": completionCase('six' + ' \\\n'.repeat(8_000)),
  'completion: a 156 KB continued line': completionCase('six' + ' \\\n'.repeat(52_000)),
  // setup.py.
  "setup.py: 'r = r + r' x 20 (335 bytes at 26)": setupCase('r = ["a"]\n' + 'r = r + r\n'.repeat(20) + 'setup(install_requires=r)\n'),
  "setup.py: 'r = r + r' x 26": setupCase('r = ["a"]\n' + 'r = r + r\n'.repeat(26) + 'setup(install_requires=r)\n'),
};

function format(bytes: number | undefined, per: number | undefined): string {
  return bytes === undefined || !per ? '' : `${Math.round(bytes / per)}`;
}

async function runCase(name: string): Promise<void> {
  const measured = await CASES[name]();
  process.stdout.write(JSON.stringify({ ...measured, maxRssKb: process.resourceUsage().maxRSS }));
}

function main(): void {
  const chosen = process.argv.slice(2);
  const names = Object.keys(CASES).filter((name) => chosen.length === 0 || chosen.some((c) => name.includes(c)));
  console.log(['case', 'time', 'µs/line', 'retained B/line', 'RSS growth B/line', 'peak RSS', 'result'].join(' | '));
  for (const name of names) {
    const child = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', __filename, '--case', name], {
      encoding: 'utf8',
      timeout: TIMEOUT_MS,
      maxBuffer: 1 << 20,
    });
    if (child.error || child.status !== 0) {
      const crash = /heap out of memory/.test(child.stderr) ? 'out of memory' : (child.stderr.match(/\w*Error: [^\n]*/) ?? [`exit ${child.status ?? child.signal}`])[0];
      const why = child.error?.message.includes('ETIMEDOUT') ? `over ${TIMEOUT_MS / 1000} s` : `crashed: ${crash}`;
      console.log([name, why, '', '', '', '', ''].join(' | '));
      continue;
    }
    const m = JSON.parse(child.stdout) as Measured & { maxRssKb: number };
    const time = m.ms >= 1000 ? `${(m.ms / 1000).toFixed(1)} s` : `${m.ms.toFixed(m.ms < 10 ? 2 : 0)} ms`;
    const perLine = m.lines ? ((m.ms * 1000) / m.lines).toFixed(2) : '';
    console.log([name, time, perLine, format(m.retainedBytes, m.lines), format(m.rssGrowthBytes, m.lines), `${Math.round(m.maxRssKb / 1024)} MB`, m.note ?? ''].join(' | '));
  }
}

if (process.argv[2] === '--case') {
  runCase(process.argv[3]).catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main();
}
