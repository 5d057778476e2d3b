// One run of index.bench.ts in a new process, as a CLI run or a freshly started server would be:
// nothing in memory, nothing compiled. With a filled cache folder it is the warm run; with an
// empty one, the new-process cold run. Prints one JSON line (RunReport).
//   node out/test/bench/indexRun.js <simple-url> <cache-dir>
import { performance } from 'node:perf_hooks';
import { openIndex } from '../../server/src/index/packageIndex';
import { testClient } from '../support/indexClient';
import { benchFixture, benchSelection, CONCURRENCY } from './indexFixture';

export interface RunReport {
  /** Process start (performance.timeOrigin) to the first project() call: Node startup and module loading. */
  startToFirstCallMs: number;
  /** First project() call to the last answer. */
  wallMs: number;
  failed: string[];
  /** After the answers are in memory. */
  rssBytes: number;
  heapUsedBytes: number;
}

async function main(): Promise<void> {
  const [simpleUrl, cacheDir] = process.argv.slice(2);
  const { names } = benchFixture();
  const t = testClient({ cacheDir, http: { concurrency: CONCURRENCY } });
  const view = openIndex(t.client, benchSelection(simpleUrl));
  const firstCall = performance.now();
  const results = await Promise.all(names.map((name) => view.project(name)));
  const wallMs = performance.now() - firstCall;
  const memory = process.memoryUsage();
  const report: RunReport = {
    startToFirstCallMs: firstCall,
    wallMs,
    failed: names.filter((_, i) => !results[i].ok),
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
  };
  await t.close();
  process.stdout.write(JSON.stringify(report) + '\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
