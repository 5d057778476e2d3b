// Benchmark (not a test): metadata for 300 projects from the test index with 20 ms of injected
// latency per project page.
//   cold: an empty cache folder, the real undici client (concurrency 16) and the persisted store,
//         in this process (a fresh IndexClient per run) and in new processes (as a CLI run is);
//         target ≤ 1.3× the lower bound ⌈300/16⌉ × 20 ms.
//   warm: a new process over the cache folder a cold run filled; target ≤ 150 ms, no request.
// The index runs in its own process (indexServer.ts), as a real one would: in this process its
// own work would be charged to the client. Reference rows, without targets: bare undici against
// the same index (what the setup itself costs: timer overshoot, loopback, the index's work) and
// cold with the index in this process. Prints figures; a missed target prints MISSED but exits 0.
//   npm run bench
import { rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { startTestIndex } from '../support/testIndex';
import { benchFixture, CONCURRENCY, LATENCY_MS, PROJECTS } from './indexFixture';
import { bareUndici, coldRun, countRequests, counted, IndexProcess, runScript, type Counted } from './indexProcess';
import type { RunReport } from './indexRun';
import { best, median } from './stats';
import { tempDir } from '../helpers/tempDirs';

const COLD_RUNS = 9;
const PROCESS_RUNS = 5;
const REFERENCE_RUNS = 5;
const LOWER_BOUND_MS = Math.ceil(PROJECTS / CONCURRENCY) * LATENCY_MS;
const COLD_TARGET_RATIO = 1.3;
const WARM_TARGET_MS = 150;

/** One run in a new process (indexRun.ts) over `cacheDir`: cold when it is empty, warm when filled. */
async function newProcess(simpleUrl: string, cacheDir: string): Promise<RunReport> {
  const report = await runScript<RunReport>('indexRun.js', [simpleUrl, cacheDir]);
  if (report.failed.length) throw new Error(`new-process run: ${report.failed.length} projects failed, e.g. ${report.failed[0]}`);
  return report;
}

type Run = { wallMs: number } & Counted;
type ProcessRun = RunReport & Counted;

async function main(): Promise<void> {
  const load = loadavg()[0];
  const { fixture, names } = benchFixture();
  const dirs: string[] = [];
  const cacheDir = () => {
    const dir = tempDir('bench');
    dirs.push(dir);
    return dir;
  };
  const index = await IndexProcess.start();
  const count = () => index.counts();
  try {
    // First, while nothing is compiled yet: the first run shows what JIT warm-up costs.
    const colds: Run[] = [];
    let filled = '';
    for (let run = 0; run < COLD_RUNS; run++) {
      const dir = (filled = cacheDir());
      colds.push(await counted(count, () => coldRun(index.simpleUrl, names, dir)));
    }
    const coldProcesses: ProcessRun[] = [];
    for (let run = 0; run < PROCESS_RUNS; run++) coldProcesses.push(await counted(count, () => newProcess(index.simpleUrl, cacheDir())));
    // The last in-process cold run's cache, seconds old (well within the 10-minute TTL), serves every warm run.
    const warms: ProcessRun[] = [];
    for (let run = 0; run < PROCESS_RUNS; run++) warms.push(await counted(count, () => newProcess(index.simpleUrl, filled)));
    const bare: Run[] = [];
    for (let run = 0; run < REFERENCE_RUNS; run++) bare.push(await counted(count, () => bareUndici(index.simpleUrl, names, CONCURRENCY)));
    await index.close();

    const local = await startTestIndex(fixture);
    const inProcess: Run[] = [];
    try {
      local.setFault('simple-project', { kind: 'latency', ms: LATENCY_MS });
      const localCount = () => countRequests(local.requests);
      for (let run = 0; run < REFERENCE_RUNS; run++) inProcess.push(await counted(localCount, () => coldRun(local.simpleUrl, names, cacheDir())));
    } finally {
      await local.close();
    }

    const files = Object.values(fixture.projects).reduce((n, p) => n + Object.keys(p.versions).length * 2, 0);
    report({ colds, coldProcesses, warms, bare, inProcess, files, load: [load, loadavg()[0]] });
  } finally {
    await index.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

function report(r: { colds: Run[]; coldProcesses: ProcessRun[]; warms: ProcessRun[]; bare: Run[]; inProcess: Run[]; files: number; load: number[] }): void {
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
  const ratio = (n: number) => `${(n / LOWER_BOUND_MS).toFixed(2)}×`;
  const requests = (runs: Counted[]) => {
    const pages = [...new Set(runs.map((x) => x.projectPages))].join('/');
    const all = [...new Set(runs.map((x) => x.all))].join('/');
    return pages === all ? pages : `${pages} (${all} in all)`;
  };
  const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
  const coldTarget = (runs: Run[]) => `≤ ${COLD_TARGET_RATIO}×: ${verdict(median(runs.map((x) => x.wallMs)) <= COLD_TARGET_RATIO * LOWER_BOUND_MS)}`;
  const row = (label: string, runs: Run[], withRatio: boolean, target: string) => {
    const times = runs.map((x) => x.wallMs);
    const cells = [
      label.padEnd(46),
      ms(median(times)).padStart(7),
      ms(best(times)).padStart(7),
      (withRatio ? `${ratio(median(times))} / ${ratio(best(times))}` : '').padEnd(14),
      requests(runs).padEnd(8),
      target,
    ];
    console.log(cells.join('  ').trimEnd());
  };
  const warmMet = median(r.warms.map((x) => x.wallMs)) <= WARM_TARGET_MS && r.warms.every((x) => x.all === 0);
  const medianOf = (runs: ProcessRun[], pick: (x: ProcessRun) => number) => median(runs.map(pick));

  console.log(
    `index benchmark: ${PROJECTS} projects (${r.files} files), ${LATENCY_MS} ms latency per project page, concurrency ${CONCURRENCY}; ` +
      `Node ${process.version}, ${availableParallelism()} CPUs, load average ${r.load.map((l) => l.toFixed(1)).join(' → ')}`,
  );
  console.log(`lower bound ⌈${PROJECTS}/${CONCURRENCY}⌉ × ${LATENCY_MS} ms = ${ms(LOWER_BOUND_MS)}; wall time is first call → last answer`);
  console.log('');
  console.log(['run'.padEnd(46), 'median'.padStart(7), 'best'.padStart(7), 'ratio med/best'.padEnd(14), 'requests', 'target (on the median)'].join('  '));
  row(`cold: empty cache, this process (${r.colds.length} runs)`, r.colds, true, coldTarget(r.colds));
  row(`cold: empty cache, new process (${r.coldProcesses.length} runs)`, r.coldProcesses, true, coldTarget(r.coldProcesses));
  row(`warm: new process, filled cache (${r.warms.length} runs)`, r.warms, false, `≤ ${WARM_TARGET_MS} ms, no request: ${verdict(warmMet)}`);
  console.log(`  cold runs in this process, in order: ${r.colds.map((x) => x.wallMs.toFixed(0)).join(', ')} ms (the first warms up the JIT)`);
  console.log(`  warm runs: ${r.warms.map((x) => x.wallMs.toFixed(0)).join(', ')} ms`);
  console.log(
    `  new processes (medians), cold / warm: start → first call ${ms(medianOf(r.coldProcesses, (x) => x.startToFirstCallMs))} / ${ms(medianOf(r.warms, (x) => x.startToFirstCallMs))}; ` +
      `RSS after the answers ${mb(medianOf(r.coldProcesses, (x) => x.rssBytes))} / ${mb(medianOf(r.warms, (x) => x.rssBytes))} ` +
      `(heap used ${mb(medianOf(r.coldProcesses, (x) => x.heapUsedBytes))} / ${mb(medianOf(r.warms, (x) => x.heapUsedBytes))})`,
  );
  console.log('reference, no target:');
  row(`  bare undici, same index (${r.bare.length} runs)`, r.bare, true, '');
  row(`  cold, index in this process (${r.inProcess.length} runs)`, r.inProcess, true, '');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
