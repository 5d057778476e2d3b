// `npm run fuzz`: a million mutated inputs (windows of real corpus files and whole files, mutated;
// generated files; random texts; the pathological inputs of issue 11) through every layer that
// reads untrusted text (test/fuzz/exercise.ts), on one worker per core. Prints inputs per second,
// the slowest steps and every failure; exits 1 on any exception, span outside its text, or step
// over the budget.
//   node out/test/fuzz/run.js [--inputs N] [--seed S] [--budget-ms MS] [--workers W] [--no-fixed]
// (--no-fixed: only the generated inputs, not the fixed pathological ones)
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { corpusDir } from '../helpers/corpus';
import { mutate, Random, randomRequirementsFile, randomSetupPy, randomText } from '../helpers/fuzz';
import { exercise, type FuzzFailure } from './exercise';
import { pathologicalInputs } from './pathological';

interface Job {
  readonly inputs: number;
  readonly seed: number;
  readonly budgetMs: number;
  readonly fixed: boolean;
}

interface Slow {
  readonly label: string;
  readonly ms: number;
  readonly length: number;
}

interface Report {
  readonly done: number;
  readonly failures: FuzzFailure[];
  readonly slowest: Slow[];
  readonly rssMb: number;
}

function corpusTexts(): { name: string; text: string }[] {
  const dir = corpusDir();
  return ['requirements', 'setup_py', 'setup_cfg', 'pyproject'].flatMap((folder) => {
    try {
      return readdirSync(join(dir, folder)).sort().map((name) => ({ name: `${folder}/${name}`, text: readFileSync(join(dir, folder, name), 'utf8') }));
    } catch {
      return [];
    }
  });
}

/** A window of 1 to 30 lines of a corpus file: the shapes of real files at the size of an edit. */
function slice(random: Random, text: string): string {
  const lines = text.split('\n');
  const start = random.int(lines.length);
  return lines.slice(start, start + 1 + random.int(30)).join('\n');
}

/**
 * A stable mix for a seed, so a failure replays from it. Mostly small inputs (windows of real
 * files, generated lines, random texts), so a million of them run in minutes; whole real files,
 * mutated, now and then.
 */
function* generated(random: Random, corpus: readonly { name: string; text: string }[]): Generator<{ label: string; text: string }> {
  for (let n = 0; ; n++) {
    const roll = random.int(1000);
    const file = corpus[random.int(corpus.length)];
    if (roll < 2) yield { label: `#${n} mutant of ${file.name}`, text: mutate(random, file.text, 1 + random.int(12)) };
    else if (roll < 600) yield { label: `#${n} mutated window of ${file.name}`, text: mutate(random, slice(random, file.text), 1 + random.int(6)) };
    else if (roll < 800) yield { label: `#${n} generated requirements`, text: mutate(random, randomRequirementsFile(random, 10), 3) };
    else if (roll < 900) yield { label: `#${n} generated setup.py`, text: mutate(random, randomSetupPy(random), 3) };
    else yield { label: `#${n} random text`, text: randomText(random, random.chance(0.1) ? 400 : 40) };
  }
}

function keepSlowest(slowest: Slow[], entry: Slow): void {
  if (slowest.length >= 5 && entry.ms <= slowest[slowest.length - 1].ms) return;
  slowest.push(entry);
  slowest.sort((a, b) => b.ms - a.ms).splice(5);
}

async function work(job: Job): Promise<Report> {
  const random = new Random(job.seed);
  const corpus = corpusTexts();
  const failures: FuzzFailure[] = [];
  const slowest: Slow[] = [];
  let done = 0;
  const record = (label: string, text: string, outcome: Awaited<ReturnType<typeof exercise>>) => {
    done++;
    for (const failure of outcome.failures.slice(0, 3)) if (failures.length < 100) failures.push(failure);
    keepSlowest(slowest, { label: `${label}: ${outcome.slowestStep.name}`, ms: outcome.slowestStep.ms, length: text.length });
  };
  if (job.fixed) {
    for (const { label, text } of pathologicalInputs()) record(label, text, await exercise(label, text, random, { budget: { stepMs: job.budgetMs }, allKinds: true }));
  }
  for (const { label, text } of generated(random, corpus)) {
    if (done >= job.inputs) break;
    record(label, text, await exercise(label, text, random, { budget: { stepMs: job.budgetMs } }));
  }
  return { done, failures, slowest, rssMb: process.memoryUsage().rss / 2 ** 20 };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      inputs: { type: 'string', default: '1000000' },
      seed: { type: 'string', default: '20261205' },
      'budget-ms': { type: 'string', default: '100' },
      workers: { type: 'string', default: String(availableParallelism()) },
      'no-fixed': { type: 'boolean', default: false },
    },
  });
  const inputs = Number(values.inputs);
  const seed = Number(values.seed);
  const budgetMs = Number(values['budget-ms']);
  const workers = Math.max(1, Number(values.workers));
  const started = Date.now();
  // Worker w takes seed + w and its share of the inputs; worker 0 also runs the fixed inputs.
  const reports = await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const job: Job = { inputs: Math.ceil(inputs / workers), seed: seed + w, budgetMs, fixed: w === 0 && !values['no-fixed'] };
      return new Promise<Report>((resolve, reject) => {
        const worker = new Worker(__filename, { workerData: job });
        worker.once('message', resolve);
        worker.once('error', reject);
      });
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  const done = reports.reduce((sum, r) => sum + r.done, 0);
  const failures = reports.flatMap((r) => r.failures);
  const slowest: Slow[] = [];
  for (const entry of reports.flatMap((r) => r.slowest)) keepSlowest(slowest, entry);
  const rss = Math.max(...reports.map((r) => r.rssMb));
  console.log(`fuzz: ${done} inputs in ${seconds.toFixed(1)} s (${(done / seconds).toFixed(0)} inputs/s) on ${workers} workers, seed ${seed}, budget ${budgetMs} ms per step, peak worker RSS ${rss.toFixed(0)} MB`);
  console.log('slowest steps:');
  for (const s of slowest) console.log(`  ${s.ms.toFixed(1)} ms  ${s.label} (${s.length} chars)`);
  if (failures.length === 0) {
    console.log('0 failures');
    return;
  }
  const kinds = { exception: 0, span: 0, budget: 0 };
  for (const failure of failures) kinds[/ threw /.test(failure.problem) ? 'exception' : / took \d+ ms/.test(failure.problem) ? 'budget' : 'span']++;
  console.log(`${failures.length} failures (at most 100 kept per worker): ${kinds.exception} exceptions, ${kinds.span} spans or positions outside the text, ${kinds.budget} steps over the budget; the first 20:`);
  for (const failure of failures.slice(0, 20)) {
    const shown = failure.text.length > 300 ? `${JSON.stringify(failure.text.slice(0, 300))}… (${failure.text.length} chars)` : JSON.stringify(failure.text);
    console.log(`- ${failure.label}: ${failure.problem.split('\n').slice(0, 4).join('\n    ')}\n    input: ${shown}`);
  }
  process.exitCode = 1;
}

if (isMainThread) void main();
else void work(workerData as Job).then((report) => parentPort!.postMessage(report));
