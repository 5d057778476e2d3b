// The bare-undici reference (indexProcess.ts) in a new process, to compare with a new language
// server: both run unoptimised code. Prints one JSON line, { wallMs }.
//   node out/test/bench/bareUndiciRun.js <simple-url>
import { benchFixture, CONCURRENCY } from './indexFixture';
import { bareUndici } from './indexProcess';

bareUndici(process.argv[2], benchFixture().names, CONCURRENCY).then(
  (result) => process.stdout.write(JSON.stringify(result) + '\n'),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
