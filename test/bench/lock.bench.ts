// Benchmark (not a test): `lock` of a jupyter-shaped graph (test/support/dependencyGraphs.ts:
// jupyterFixture, about 100 projects with markers and extras) against the test index in its own
// process with 20 ms of latency on every route, and pip 26's resolver on the same index in the
// same run.
//   cold:            the bundled command in a new process over an empty cache (what a user waits
//                    for); target: at least 5× faster than pip cold.
//   cold (engine):   engine/lock.ts in this process over an empty cache (no process start, no
//                    interpreter probe).
//   warm:            the same lock again on the same runtime (the editor's case: answers in
//                    memory); target < 150 ms.
//   requests:        what the index logged for a cold run; target ≤ 1.2 × (a project page and a
//                    metadata file for each package pinned).
//   pip cold:        `pip install --dry-run --ignore-installed --report` with --no-cache-dir.
// Every lock is checked (the same pins as pip's report), so a failure is never timed. Prints
// figures; a missed target prints MISSED but exits 0.
// REQGUARD_BENCH_BASELINE_CLI=path/to/another/server/out/cli.js adds that build's cold process
// runs, alternating with this build's, to measure a change against it in the same run.
//   npm run bench
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readFile, type CliIo } from '../../server/src/cli/files';
import { defaultTargets } from '../../server/src/engine/targets';
import { createPythonEnvironments } from '../../server/src/pythonEnvironment';
import { fileIndex } from '../../server/src/engine/engine';
import { lockRequirements } from '../../server/src/engine/lock';
import { createIndexRuntime } from '../../server/src/index/runtime';
import type { TargetEnvironment } from '../../server/src/pip/environment';
import { normalizeSettings } from '../../server/src/settings';
import { REPO_ROOT } from '../helpers/corpus';
import { PIP26, skipWithout } from '../support/optionalProgram';
import { pipResolution } from '../support/pip';
import { counted, IndexProcess, type Counted } from './indexProcess';
import { LATENCY_MS } from './indexFixture';
import { best, median } from './stats';
import { tempDir } from '../helpers/tempDirs';

const RUNS = 5;
const PIP_RUNS = 3;
const SPEEDUP_TARGET = 5;
const WARM_TARGET_MS = 150;
const REQUEST_RATIO = 1.2;
const CLI = join(REPO_ROOT, 'server/out/cli.js');
const BASELINE_CLI = process.env.REQGUARD_BENCH_BASELINE_CLI;

const pinsOf = (text: string) => [...text.matchAll(/^([a-z0-9][a-z0-9._-]*)==(\S+)/gm)].map((match) => `${match[1]}==${match[2]}`).sort();

/** The bundled command (`cli`) in a new process, timed from spawn to exit. */
function cliLock(cli: string, dir: string, simpleUrl: string, cacheDir: string): Promise<{ wallMs: number; pins: string[] }> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const env = { PATH: process.env.PATH ?? '', HOME: dir, PIP_CONFIG_FILE: '/dev/null' };
    execFile(process.execPath, [cli, 'lock', '--isolated', '--cache-dir', cacheDir, '--index-url', simpleUrl, 'requirements.in'], { cwd: dir, env, encoding: 'utf8' }, (error, _stdout, stderr) => {
      if (error) return reject(new Error(`lock failed: ${stderr}`));
      resolve({ wallMs: performance.now() - start, pins: pinsOf(readFileSync(join(dir, 'requirements.txt'), 'utf8')) });
    });
  });
}

const io = (dir: string): CliIo => ({
  python: createPythonEnvironments(),
  stdout: () => undefined,
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFileSync(path),
  replaceFile: () => undefined,
  createFile: () => undefined,
  cwd: dir,
  env: { PIP_CONFIG_FILE: '/dev/null' },
  tool: { version: 'bench', codeDescriptions: {} },
});

interface EngineRuns {
  cold: { wallMs: number; pins: string[] } & Counted;
  warm: number[];
}

/** A cold lock on a new runtime, then warm ones on the same runtime. */
async function engineLocks(dir: string, simpleUrl: string, cacheDir: string, target: TargetEnvironment, count: () => Promise<Counted>): Promise<EngineRuns> {
  const settings = normalizeSettings({ index: { url: simpleUrl, isolated: true } });
  const runtime = createIndexRuntime({ settings, env: {}, cacheDir, userAgent: 'reqguard-bench' });
  try {
    const once = async () => {
      const file = readFile('requirements.in', io(dir), { followIncludes: true })!;
      const start = performance.now();
      const result = await lockRequirements({ file, label: () => 'requirements.in', command: 'reqguard lock requirements.in', targets: [target] }, { index: fileIndex(runtime, file, settings), hashTargets: settings.hashes });
      if (result.kind !== 'locked') throw new Error(`lock failed: ${result.message}`);
      return { wallMs: performance.now() - start, pins: pinsOf(result.text) };
    };
    const cold = await counted(count, once);
    const warm: number[] = [];
    for (let run = 0; run < RUNS; run++) warm.push((await once()).wallMs);
    return { cold, warm };
  } finally {
    await runtime.close();
  }
}

async function main(): Promise<void> {
  const skip = skipWithout(PIP26);
  if (skip) {
    console.log(`lock benchmark skipped: ${skip}`);
    return;
  }
  const load = loadavg()[0];
  const dir = tempDir('lock-bench');
  const caches: string[] = [];
  const cacheDir = () => {
    const made = tempDir('lock-cache');
    caches.push(made);
    return made;
  };
  writeFileSync(join(dir, 'requirements.in'), 'jupyter\n');
  const chosen = await defaultTargets(createPythonEnvironments());
  if (chosen.targets.length === 0) throw new Error(`no Python on PATH to lock for: ${chosen.notes.join('; ')}`);
  const targets = { targets: chosen.targets };
  const index = await IndexProcess.start('jupyter');
  const count = () => index.counts();
  try {
    const pip = await pipResolution('pip26', join(dir, 'requirements.in'), index.simpleUrl);
    if (pip.status !== 0) throw new Error(`pip failed: ${pip.stderr}`);
    const check = (pins: readonly string[], what: string) => {
      if (JSON.stringify(pins) !== JSON.stringify(pip.picks)) throw new Error(`${what}: the lock differs from pip's picks`);
    };
    const engine: EngineRuns[] = [];
    for (let run = 0; run < RUNS; run++) {
      const runs = await engineLocks(dir, index.simpleUrl, cacheDir(), targets.targets[0], count);
      check(runs.cold.pins, 'engine');
      engine.push(runs);
    }
    const cli: (Counted & { wallMs: number })[] = [];
    const baseline: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const done = await counted(count, () => cliLock(CLI, dir, index.simpleUrl, cacheDir()));
      check(done.pins, 'cli');
      cli.push(done);
      if (!BASELINE_CLI) continue;
      const base = await cliLock(BASELINE_CLI, dir, index.simpleUrl, cacheDir());
      check(base.pins, 'baseline');
      baseline.push(base.wallMs);
    }
    const pipRuns: number[] = [];
    for (let run = 0; run < PIP_RUNS; run++) {
      const start = performance.now();
      const again = await pipResolution('pip26', join(dir, 'requirements.in'), index.simpleUrl);
      if (again.status !== 0) throw new Error(`pip failed: ${again.stderr}`);
      pipRuns.push(performance.now() - start);
    }
    const pipCounts = await counted(count, () => pipResolution('pip26', join(dir, 'requirements.in'), index.simpleUrl));

    const packages = pip.picks.length;
    const needed = 2 * packages;
    const cliCold = median(cli.map((r) => r.wallMs));
    const engineCold = median(engine.map((r) => r.cold.wallMs));
    const warm = median(engine.flatMap((r) => r.warm));
    const pipCold = median(pipRuns);
    const requests = engine[0].cold.all;
    const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
    const ms = (value: number) => `${value.toFixed(0)} ms`;
    console.log(`lock: jupyter-shaped graph, ${packages} packages pinned, ${LATENCY_MS} ms latency per request (load ${load.toFixed(2)})`);
    console.log(`  pip 26 cold (--no-cache-dir)   median ${ms(pipCold)} of ${PIP_RUNS}, ${pipCounts.all} requests ${JSON.stringify(pipCounts.byRoute)}`);
    console.log(`  reqguard lock cold (process)   median ${ms(cliCold)} (best ${ms(best(cli.map((r) => r.wallMs)))}) of ${RUNS}: ${(pipCold / cliCold).toFixed(1)}× faster than pip (target ≥ ${SPEEDUP_TARGET}×) ${verdict(pipCold / cliCold >= SPEEDUP_TARGET)}`);
    if (BASELINE_CLI) console.log(`  baseline ${BASELINE_CLI} cold (process)   median ${ms(median(baseline))} (best ${ms(best(baseline))}) of ${RUNS}, alternating with this build`);
    console.log(`  reqguard lock cold (engine)    median ${ms(engineCold)} (best ${ms(best(engine.map((r) => r.cold.wallMs)))}) of ${RUNS}: ${(pipCold / engineCold).toFixed(1)}× faster than pip`);
    console.log(`  reqguard lock warm (engine)    median ${ms(warm)} of ${RUNS * RUNS} (target < ${WARM_TARGET_MS} ms) ${verdict(warm < WARM_TARGET_MS)}`);
    console.log(`  requests (cold)                ${requests} ${JSON.stringify(engine[0].cold.byRoute)} for ${needed} needed (${packages} pages + ${packages} metadata files): ${(requests / needed).toFixed(2)}× (target ≤ ${REQUEST_RATIO}×) ${verdict(requests <= REQUEST_RATIO * needed)}`);
  } finally {
    await index.close();
    rmSync(dir, { recursive: true, force: true });
    for (const made of caches) rmSync(made, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
