// Benchmark (not a test): HTTP/2 against HTTP/1.1 over TLS. The 300 project pages of
// index.bench.ts, 20 ms latency each, from the test index serving https in its own process
// (node:http2, HTTP/1.1 allowed), read cold by the real client in this process:
//   h1, 16 connections (http2: false) · h2, one connection, 16 streams · h2, one connection, 50
//   streams · h1, 50 connections (whether 50 at once helps without h2)
// They alternate run by run; medians of wall time and of this process's CPU time (user+sys),
// the load average before and after. Needs openssl for the certificates.
//   npm run build && npx tsc -b && node out/test/bench/http2.bench.js
import { rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import type { HttpOptions } from '../../server/src/index/http';
import { makeTestCertificates } from '../support/tls';
import { tempDir } from '../helpers/tempDirs';
import { benchFixture, LATENCY_MS, PROJECTS } from './indexFixture';
import { coldRun, counted, IndexProcess } from './indexProcess';
import { best, median } from './stats';

const RUNS = 9;

interface Variant {
  readonly label: string;
  readonly concurrency: number;
  readonly http2: boolean;
}

const VARIANTS: Variant[] = [
  { label: 'TLS HTTP/1.1, 16 connections', concurrency: 16, http2: false },
  { label: 'TLS HTTP/2, 1 connection, 16 streams', concurrency: 16, http2: true },
  { label: 'TLS HTTP/2, 1 connection, 50 streams', concurrency: 50, http2: true },
  { label: 'TLS HTTP/1.1, 50 connections', concurrency: 50, http2: false },
];

async function main(): Promise<void> {
  const loadBefore = loadavg()[0];
  const { names } = benchFixture();
  const certs = await makeTestCertificates();
  const index = await IndexProcess.start('pages', certs);
  const dirs: string[] = [];
  const runs = new Map<Variant, { wallMs: number; cpuMs: number; projectPages: number }[]>(VARIANTS.map((v) => [v, []]));
  try {
    // One run of each first, unrecorded: the JIT warms up on every path alike.
    for (let run = -1; run < RUNS; run++) {
      for (const variant of VARIANTS) {
        const dir = tempDir('bench-h2');
        dirs.push(dir);
        const http: Partial<HttpOptions> = { concurrency: variant.concurrency, http2: variant.http2, extraCaCertificates: [certs.caCert] };
        const result = await counted(() => index.counts(), () => coldRun(index.simpleUrl, names, dir, http));
        if (run >= 0) runs.get(variant)!.push(result);
      }
    }
  } finally {
    await index.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }

  const ms = (n: number) => `${n.toFixed(0)} ms`.padStart(7);
  console.log(
    `HTTP/2 benchmark: ${PROJECTS} project pages over TLS, ${LATENCY_MS} ms latency each, cold, ${RUNS} alternating runs; ` +
      `Node ${process.version}, ${availableParallelism()} CPUs, load average ${loadBefore.toFixed(1)} → ${loadavg()[0].toFixed(1)}`,
  );
  console.log(['run'.padEnd(40), 'wall med', 'best'.padStart(7), 'bound'.padStart(7), 'ratio', 'CPU med', 'pages'].join('  '));
  for (const variant of VARIANTS) {
    const list = runs.get(variant)!;
    const wall = median(list.map((r) => r.wallMs));
    const bound = Math.ceil(PROJECTS / variant.concurrency) * LATENCY_MS;
    const pages = [...new Set(list.map((r) => r.projectPages))].join('/');
    console.log(
      [variant.label.padEnd(40), ms(wall).padStart(8), ms(best(list.map((r) => r.wallMs))), ms(bound), `${(wall / bound).toFixed(2)}×`.padStart(5), ms(median(list.map((r) => r.cpuMs))), pages].join('  '),
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
