// A short seeded run of `npm run fuzz` (test/fuzz/): generated and mutated inputs through every
// layer that reads untrusted text, against a fault-injecting in-memory index. No exception, no
// span outside its text; the step budget here only guards against hangs (a loaded CI machine),
// the speed budget is `npm run fuzz`'s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exercise, type FuzzFailure } from '../fuzz/exercise';
import { mutate, Random, randomRequirementsFile, randomSetupPy, randomText } from '../helpers/fuzz';

const SEED = Number(process.env.REQGUARD_FUZZ_SEED ?? 20261205);
const INPUTS = 300;

test('fuzz: every layer over generated inputs, with a faulty index', async () => {
  const random = new Random(SEED);
  const failures: FuzzFailure[] = [];
  for (let n = 0; n < INPUTS; n++) {
    const text = n % 3 === 0 ? mutate(random, randomRequirementsFile(random, 10), 3) : n % 3 === 1 ? mutate(random, randomSetupPy(random), 3) : randomText(random, 60);
    const outcome = await exercise(`#${n}`, text, random, { budget: { stepMs: 2000 }, allKinds: n % 10 === 0 });
    failures.push(...outcome.failures);
  }
  assert.deepEqual(failures.map((f) => `${f.label}: ${f.problem}`), [], `seed ${SEED}`);
});
