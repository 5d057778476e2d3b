// Hosts the index benchmark's test index in its own process (forked by index.bench.ts): a real
// index does not share the client's event loop, and the lower bound assumes the index costs
// nothing but its latency. Talks over IPC: sends { url } when listening; answers 'count' with the
// request log's totals; 'close' stops it.
import { startTestIndex } from '../support/testIndex';
import { benchFixture, LATENCY_MS } from './indexFixture';

export interface IndexCounts {
  projectPages: number;
  all: number;
}

async function main(): Promise<void> {
  const index = await startTestIndex(benchFixture().fixture);
  index.setFault('simple-project', { kind: 'latency', ms: LATENCY_MS });
  process.on('message', (message) => {
    if (message === 'count') {
      const counts: IndexCounts = { projectPages: index.requests.filter((r) => r.route === 'simple-project').length, all: index.requests.length };
      process.send!(counts);
    } else if (message === 'close') {
      void index.close().then(() => process.exit(0));
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
