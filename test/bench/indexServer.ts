// Hosts an index benchmark's test index in its own process (forked by indexProcess.ts): a real
// index does not share the client's event loop, and the lower bound assumes the index costs
// nothing but its latency. Every route gets the latency, so whatever a client asks costs a round
// trip. Talks over IPC: sends { url } when listening; answers 'count' with the request log's
// totals and { receivedAt: n } with when request n arrived; 'close' stops it.
//   node out/test/bench/indexServer.js [pages|releases|jupyter]   (the fixture, default pages; jupyter: the lock benchmark's graph)
// With REQGUARD_BENCH_INDEX_TLS set (a key and certificate as JSON) it serves https, offering HTTP/2.
import { jupyterFixture } from '../support/dependencyGraphs';
import { startTestIndex, type Route } from '../support/testIndex';
import { benchFixture, FIXTURE_SHAPES, LATENCY_MS, type FixtureName } from './indexFixture';
import { countRequests, INDEX_TLS_ENV } from './indexProcess';

const LATENCY_ROUTES: Route[] = ['simple-project', 'simple-index', 'json', 'files', 'metadata'];

async function main(): Promise<void> {
  const name = process.argv[2] as FixtureName | 'jupyter' | undefined;
  const tls = process.env[INDEX_TLS_ENV];
  const fixture = name === 'jupyter' ? jupyterFixture() : benchFixture(FIXTURE_SHAPES[name ?? 'pages']).fixture;
  const index = await startTestIndex(fixture, tls ? { tls: JSON.parse(tls) as { key: string; cert: string } } : {});
  for (const route of LATENCY_ROUTES) index.setFault(route, { kind: 'latency', ms: LATENCY_MS });
  process.on('message', (message) => {
    if (message === 'count') {
      process.send!(countRequests(index.requests));
    } else if (message === 'close') {
      void index.close().then(() => process.exit(0));
    } else if (typeof message === 'object' && message && 'receivedAt' in message) {
      // When request number n of the log arrived (epoch ms), or null when there is none yet.
      process.send!({ at: index.requests[(message as { receivedAt: number }).receivedAt]?.receivedAt ?? null });
    }
  });
  // Without a parent there is nobody to stop us.
  process.on('disconnect', () => process.exit(0));
  process.send!({ url: index.simpleUrl });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
