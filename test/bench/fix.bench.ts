// Benchmark (not a test): `reqguard fix` on a requirements file of 300 unpinned projects, as a
// user runs it (the bundled command in a new process, an empty cache folder), against the test
// index in its own process with 20 ms of latency on every route (keep-alive, the `releases`
// fixture: 3–8 releases a project, up to six wheels and an sdist each), and in the same run:
//   hashin:       the peer (the Python CLI Renovate and Dependabot shell out to), pinning and
//                 hashing the same 300 projects from the same index's JSON API. Its path comes from
//                 REQGUARD_HASHIN (a copy of hashin.py; it needs Python's `packaging`); without it
//                 the peer is skipped and the bench says so. Target: reqguard ≥ 5× faster.
//   bare undici:  a new Node process reading the same 300 project pages with reqguard's
//                 concurrency and no reqguard code: the network bound plus process start.
//                 Target: reqguard within 1.3× of ⌈300/C⌉ × 20 ms + process start.
//   process start: `node -e 0`, and spawn → the index receiving reqguard's first request
//                 (target ≤ 100 ms).
// The tools run alternately, RUNS times each; medians. Every reqguard run is checked (all 300
// entries pinned to the release pip picks, with hashes) and every hashin run too (300 pins), so a
// failure is never timed. The load average is printed with the figures. A missed target prints
// MISSED but exits 0.
// REQGUARD_BENCH_BASELINE_CLI=path/to/another/server/out/cli.js adds that build (say, main's) to
// the alternation, to measure a change against it in the same run. With GNU time at
// /usr/bin/time, each tool's CPU time (user + system) is shown too: under load it says more than
// the wall time. REQGUARD_BENCH_WARM=1 times warm runs instead: each build fixes the file once,
// untimed, into a cache folder of its own, and every timed run reads that cache (within its
// freshness, so no request is sent); the peers run as always.
//   node out/test/bench/fix.bench.js [--runs N] [-- extra reqguard fix options…]
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { canonicalizeName } from '../../server/src/parser/pep508';
import { REPO_ROOT } from '../helpers/corpus';
import { tempDir } from '../helpers/tempDirs';
import { benchFixture, CONCURRENCY, LATENCY_MS, PROJECTS, RELEASES_SHAPE } from './indexFixture';
import { counted, IndexProcess, type Counted } from './indexProcess';
import { median } from './stats';

const argv = process.argv.slice(2);
const RUNS = argv[0] === '--runs' ? Number(argv[1]) : 3;
const EXTRA_FIX_OPTIONS = argv.includes('--') ? argv.slice(argv.indexOf('--') + 1) : [];
const CLI = join(REPO_ROOT, 'server/out/cli.js');
const HASHIN = process.env.REQGUARD_HASHIN;
/** Node options for the reqguard runs, to profile them: REQGUARD_BENCH_NODE_OPTIONS='--cpu-prof --cpu-prof-dir=/tmp/prof'. */
const NODE_OPTIONS = (process.env.REQGUARD_BENCH_NODE_OPTIONS ?? '').split(' ').filter(Boolean);
const BASELINE_CLI = process.env.REQGUARD_BENCH_BASELINE_CLI;
const WARM = process.env.REQGUARD_BENCH_WARM === '1';
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const SPEEDUP_TARGET = 5;
const BOUND_RATIO = 1.3;
const START_TARGET_MS = 100;
const LOWER_BOUND_MS = Math.ceil(PROJECTS / CONCURRENCY) * LATENCY_MS;

interface Timed {
  wallMs: number;
  /** User + system CPU time of the process (GNU time), when measured. */
  cpuMs?: number;
  /** Spawn → the index receiving the run's first request. */
  firstRequestMs?: number;
}

/**
 * Runs a program to its end; rejects with its stderr when it fails. Wall time from spawn to exit,
 * and its CPU time when GNU time is there to tell.
 */
function timedRun(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ wallMs: number; cpuMs?: number; spawnedAt: number; stdout: string }> {
  const cpuFile = GNU_TIME ? join(cwd, `.cpu-${process.pid}-${Math.random().toString(36).slice(2)}`) : undefined;
  const [program, programArgs] = cpuFile ? [GNU_TIME!, ['-f', '%U %S', '-o', cpuFile, command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const spawnedAt = performance.timeOrigin + performance.now();
    const start = performance.now();
    const child = spawn(program, programArgs, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - start;
      if (code !== 0) return reject(new Error(`${command} ${args.slice(0, 3).join(' ')}… exited with ${code}: ${stderr.slice(0, 2000)}`));
      const [user, system] = cpuFile ? readFileSync(cpuFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) : [];
      resolve({ wallMs, ...(user !== undefined ? { cpuMs: (user + system) * 1000 } : {}), spawnedAt, stdout });
    });
  });
}

/** `name==version` of every pinned line, and how many lines carry a hash. */
function pinsOf(text: string): { pins: string[]; hashed: number } {
  const pins = [...text.matchAll(/^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)/gm)].map((m) => `${canonicalizeName(m[1])}==${m[2]}`);
  const hashed = [...text.matchAll(/--hash=sha256:[0-9a-f]{64}/g)].length;
  return { pins, hashed };
}

async function main(): Promise<void> {
  const loads = [loadavg()[0]];
  const { names, latest } = benchFixture(RELEASES_SHAPE);
  const expected = names.map((name, i) => `${canonicalizeName(name)}==${latest[i]}`).sort();
  const index = await IndexProcess.start('releases');
  const count = () => index.counts();
  const root = tempDir('fix-bench');
  const env = { PATH: process.env.PATH ?? '', HOME: root, PIP_CONFIG_FILE: '/dev/null' };
  const indexRoot = index.simpleUrl.replace(/simple\/$/, '');

  const fixArgs = (cli: string, cacheDir: string) => [cli, 'fix', '--isolated', ...(EXTRA_FIX_OPTIONS.includes('--no-cache') ? [] : ['--cache-dir', cacheDir]), '--index-url', index.simpleUrl, ...EXTRA_FIX_OPTIONS, 'requirements.txt'];
  // Warm runs: one cache per build (their formats may differ), filled by an untimed run.
  const warmCaches = new Map<string, string>();
  const warmCache = async (cli: string): Promise<string> => {
    const known = warmCaches.get(cli);
    if (known) return known;
    const dir = tempDir('fix-bench-warm');
    writeFileSync(join(dir, 'requirements.txt'), names.join('\n') + '\n');
    await timedRun(process.execPath, fixArgs(cli, join(dir, 'cache')), dir, env);
    warmCaches.set(cli, join(dir, 'cache'));
    return join(dir, 'cache');
  };

  const reqguard = async (run: number, cli = CLI): Promise<Timed & Counted> => {
    const dir = tempDir('fix-bench-run');
    writeFileSync(join(dir, 'requirements.txt'), names.join('\n') + '\n');
    const cacheDir = WARM ? await warmCache(cli) : join(dir, 'cache');
    let spawnedAt = 0;
    let before = 0;
    const done = await counted(count, async () => {
      before = (await count()).all;
      const result = await timedRun(process.execPath, [...NODE_OPTIONS, ...fixArgs(cli, cacheDir)], dir, env);
      spawnedAt = result.spawnedAt;
      return result;
    });
    const { pins, hashed } = pinsOf(readFileSync(join(dir, 'requirements.txt'), 'utf8'));
    const mine = pins.filter((pin) => expected.includes(pin));
    if (mine.length !== PROJECTS || hashed < PROJECTS) throw new Error(`reqguard run ${run}: ${mine.length} of ${PROJECTS} expected pins, ${hashed} hashes`);
    const first = await index.receivedAt(before);
    return { ...done, firstRequestMs: first === undefined ? undefined : first - spawnedAt };
  };

  const hashin = async (run: number): Promise<Timed & Counted> => {
    const dir = tempDir('fix-bench-hashin');
    writeFileSync(join(dir, 'requirements.txt'), '');
    const done = await counted(count, () => timedRun('python3', [HASHIN!, '--index-url', indexRoot, '-r', 'requirements.txt', ...names], dir, env));
    const { pins } = pinsOf(readFileSync(join(dir, 'requirements.txt'), 'utf8'));
    if (pins.length !== PROJECTS) throw new Error(`hashin run ${run}: ${pins.length} pins, not ${PROJECTS}`);
    return done;
  };

  const bare = async (): Promise<Timed & Counted & { inProcessMs: number }> => {
    const done = await counted(count, () => timedRun(process.execPath, [join(__dirname, 'bareUndiciRun.js'), index.simpleUrl], root, env));
    return { ...done, inProcessMs: (JSON.parse(done.stdout) as { wallMs: number }).wallMs };
  };

  const nodeStart = async (): Promise<number> => (await timedRun(process.execPath, ['-e', '0'], root, env)).wallMs;

  const runs = { reqguard: [] as (Timed & Counted)[], baseline: [] as (Timed & Counted)[], hashin: [] as (Timed & Counted)[], bare: [] as (Timed & Counted & { inProcessMs: number })[], node: [] as number[] };
  try {
    for (let run = 0; run < RUNS; run++) {
      runs.reqguard.push(await reqguard(run));
      if (BASELINE_CLI) runs.baseline.push(await reqguard(run, BASELINE_CLI));
      if (HASHIN) runs.hashin.push(await hashin(run));
      runs.bare.push(await bare());
      runs.node.push(await nodeStart());
      loads.push(loadavg()[0]);
    }
  } finally {
    await index.close();
  }

  const ms = (n: number) => `${n.toFixed(0)} ms`;
  const list = (values: number[]) => values.map((v) => v.toFixed(0)).join(', ');
  const cpu = (timed: Timed[]) => (timed.every((r) => r.cpuMs !== undefined) ? `, CPU median ${ms(median(timed.map((r) => r.cpuMs!)))}` : '');
  const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
  const routes = (r: Counted) => JSON.stringify(r.byRoute);
  const fixMs = median(runs.reqguard.map((r) => r.wallMs));
  const startMs = median(runs.node);
  const bound = LOWER_BOUND_MS + startMs;
  const firstRequest = median(runs.reqguard.map((r) => r.firstRequestMs ?? Number.NaN));
  console.log(`fix benchmark: ${PROJECTS} unpinned projects, ${LATENCY_MS} ms latency per request, concurrency ${CONCURRENCY}, ${WARM ? 'reqguard warm (a cache filled by an earlier run)' : 'cold caches'}; Node ${process.version}, ${availableParallelism()} CPUs`);
  console.log(`load average (1 min) at the start and after each round: ${loads.map((l) => l.toFixed(2)).join(' → ')}; medians of ${RUNS} alternating runs`);
  console.log(`  reqguard fix ${EXTRA_FIX_OPTIONS.join(' ')}`.trimEnd() + `   median ${ms(fixMs)} (${list(runs.reqguard.map((r) => r.wallMs))})${cpu(runs.reqguard)}, requests ${routes(runs.reqguard[0])}`);
  if (BASELINE_CLI) {
    const base = median(runs.baseline.map((r) => r.wallMs));
    console.log(`  baseline ${BASELINE_CLI}   median ${ms(base)} (${list(runs.baseline.map((r) => r.wallMs))})${cpu(runs.baseline)}; spawn → first request ${ms(median(runs.baseline.map((r) => r.firstRequestMs ?? Number.NaN)))}`);
  }
  if (HASHIN) {
    const peer = median(runs.hashin.map((r) => r.wallMs));
    console.log(`  hashin (${HASHIN})   median ${ms(peer)} (${list(runs.hashin.map((r) => r.wallMs))})${cpu(runs.hashin)}, requests ${routes(runs.hashin[0])}`);
    console.log(`  reqguard vs hashin: ${(peer / fixMs).toFixed(2)}× faster (target ≥ ${SPEEDUP_TARGET}×) ${verdict(peer / fixMs >= SPEEDUP_TARGET)}`);
  } else {
    console.log('  hashin: skipped (set REQGUARD_HASHIN to the path of hashin.py to compare with the peer)');
  }
  console.log(`  bare undici, new process (spawn → exit)   median ${ms(median(runs.bare.map((r) => r.wallMs)))} (${list(runs.bare.map((r) => r.wallMs))})${cpu(runs.bare)}; its fetching alone ${ms(median(runs.bare.map((r) => r.inProcessMs)))}`);
  console.log(`  process start (node -e 0)   median ${ms(startMs)} (${list(runs.node)})`);
  console.log(`  bound: ⌈${PROJECTS}/${CONCURRENCY}⌉ × ${LATENCY_MS} ms + start = ${ms(bound)}; reqguard at ${(fixMs / bound).toFixed(2)}× (target ≤ ${BOUND_RATIO}×) ${verdict(fixMs <= BOUND_RATIO * bound)}`);
  // fix asks for more than the pages (the pinned releases' metadata, to complete the file): the
  // bound for the requests it made, at the same concurrency, says how close it comes for its own work.
  const made = runs.reqguard[0].all;
  if (made > PROJECTS) {
    const ownBound = Math.ceil(made / CONCURRENCY) * LATENCY_MS + startMs;
    console.log(`  bound for the ${made} requests reqguard made: ⌈${made}/${CONCURRENCY}⌉ × ${LATENCY_MS} ms + start = ${ms(ownBound)}; reqguard at ${(fixMs / ownBound).toFixed(2)}×`);
  }
  console.log(`  spawn → first request at the index   median ${ms(firstRequest)} (${list(runs.reqguard.map((r) => r.firstRequestMs ?? Number.NaN))}) (target ≤ ${START_TARGET_MS} ms) ${verdict(firstRequest <= START_TARGET_MS)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
