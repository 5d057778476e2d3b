// Benchmark (not a test): typing in a 5,000-line requirements file, as VS Code sends it: one
// incremental `didChange` per keystroke to the bundled language server (server/out/main.js over
// stdio, started with the client's Node flags), index checks offline with nothing cached, so every
// figure is the server's own work. For each pace (all at once, then a keystroke every 10 and 30 ms):
//   keystroke → diagnostics: from sending an edit to the first publishDiagnostics of that version
//                            or a later one; target p95 ≤ 20 ms at typing paces;
//   last edit → its diagnostics, and how many diagnostic sets the edits produced;
//   hover and completion meanwhile (one of each every 10 keystrokes): target hover p95 ≤ 50 ms;
//   server CPU time per keystroke (from /proc: what a loaded machine's waits leave out);
//   server memory (VmRSS, sampled every 20 ms): after opening, peak while typing, 1 s after.
// A pace whose last version gets no diagnostics within a minute says so and stops its server.
// Prints figures; a missed target prints MISSED but exits 0.
//   npm run bench
//   node out/test/bench/typing.bench.js [--lines=5000] [--edits=500] [--gap=10]... [server node options, e.g. --cpu-prof]
import { rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import type { Position, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { parseRequirementsFile } from '../../server/src/parser/requirementsFile';
import { SERVER_NODE_FLAGS } from '../../server/src/protocol';
import { startLspServer, type LspServer } from '../support/lspServer';
import { warehouseLines } from './benchFiles';
import { cpuMsOf, memoryOf } from './processMemory';
import { median, quantile } from './stats';
import { tempDir } from '../helpers/tempDirs';

const options = new Map<string, string[]>();
const serverNodeOptions: string[] = [];
for (const arg of process.argv.slice(2)) {
  const ours = /^--(lines|edits|gap)=(\d+)$/.exec(arg);
  if (ours) options.set(ours[1], [...(options.get(ours[1]) ?? []), ours[2]]);
  else serverNodeOptions.push(arg);
}
const LINES = Number(options.get('lines')?.[0] ?? 5000);
const EDITS = Number(options.get('edits')?.[0] ?? 500);
/** Milliseconds between keystrokes; 0 sends every edit at once. */
const GAPS = (options.get('gap') ?? ['0', '10', '30']).map(Number);
const FEATURE_EVERY = 10;
const LATENCY_TARGET_MS = 20;
const HOVER_TARGET_MS = 50;
const FINAL_DEADLINE_MS = 60_000;
const RSS_SAMPLE_MS = 20;
const MB = 1024 * 1024;
/** What is typed, over and over: new requirement lines. */
const TYPED = 'newpackage==1.2.3\n';

interface PaceResult {
  gapMs: number;
  latencies: number[];
  /** Last edit sent → diagnostics of the last version; undefined when they never came. */
  finalMs: number | undefined;
  diagnosticSets: number;
  hoverMs: number[];
  completionMs: number[];
  rss: { start: number; peak: number; end: number };
  /** Server CPU time from the first edit to its last diagnostics and answers, per edit: what the load of the machine does not change. */
  cpuMsPerEdit: number;
}

/** A line where a new requirement can be typed: not inside a continuation. */
function entryBoundary(text: string): number {
  const lines = text.split('\n');
  let line = Math.floor(lines.length / 2);
  while (line > 0 && (/^\s/.test(lines[line]) || lines[line - 1].endsWith('\\'))) line--;
  return line;
}

async function typeAt(gapMs: number, text: string): Promise<PaceResult> {
  const workspace = tempDir('typing');
  const published: Array<{ at: number; params: PublishDiagnosticsParams }> = [];
  const lsp: LspServer = await startLspServer({
    workspace,
    configuration: (section) => (section === 'reqguard' ? { index: { offline: true } } : {}),
    listen: (connection) => connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => void published.push({ at: performance.now(), params })),
    initializationOptions: { storagePath: join(workspace, 'storage') },
    nodeOptions: [...SERVER_NODE_FLAGS, ...serverNodeOptions],
  });
  const { connection } = lsp;
  const path = join(workspace, 'requirements.txt');
  writeFileSync(path, text);
  const uri = pathToFileURL(path).href;
  const waitFor = async (version: number, deadlineMs: number): Promise<number | undefined> => {
    const deadline = performance.now() + deadlineMs;
    for (;;) {
      const hit = published.find((p) => p.params.uri === uri && (p.params.version ?? 0) >= version);
      if (hit) return hit.at;
      if (performance.now() > deadline) return undefined;
      await sleep(2);
    }
  };
  try {
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'pip-requirements', version: 1, text } });
    if ((await waitFor(1, FINAL_DEADLINE_MS)) === undefined) throw new Error('no diagnostics for the opened file');
    await sleep(500);
    const start = memoryOf(lsp.pid).rssBytes;
    let peak = start;
    const sampler = setInterval(() => (peak = Math.max(peak, memoryOf(lsp.pid).rssBytes)), RSS_SAMPLE_MS);
    const firstPublished = published.length;

    const firstEntry = parseRequirementsFile(text).entries.find((entry) => entry.kind === 'requirement')!;
    const hoverAt: Position = { line: text.slice(0, firstEntry.span.start).split('\n').length - 1, character: 2 };
    const hoverMs: number[] = [];
    const completionMs: number[] = [];
    const features: Promise<unknown>[] = [];
    const timed = (into: number[], request: () => Promise<unknown>) => {
      const sent = performance.now();
      features.push(request().then(() => into.push(performance.now() - sent)));
    };

    const sentAt: number[] = [];
    const cpuBefore = cpuMsOf(lsp.pid);
    const cursor = { line: entryBoundary(text), character: 0 };
    const began = performance.now();
    for (let i = 0; i < EDITS; i++) {
      if (gapMs > 0) await sleep(Math.max(0, began + i * gapMs - performance.now()));
      const version = i + 2;
      const typed = TYPED[i % TYPED.length];
      const at = { ...cursor };
      sentAt[version] = performance.now();
      void connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start: at, end: at }, text: typed }] });
      if (typed === '\n') Object.assign(cursor, { line: cursor.line + 1, character: 0 });
      else cursor.character++;
      if (i % FEATURE_EVERY === 0) timed(hoverMs, () => connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: hoverAt }));
      if (i % FEATURE_EVERY === FEATURE_EVERY / 2) timed(completionMs, () => connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { ...cursor } }));
    }
    const lastVersion = EDITS + 1;
    const finalAt = await waitFor(lastVersion, FINAL_DEADLINE_MS);
    await Promise.race([Promise.all(features), sleep(FINAL_DEADLINE_MS, undefined, { ref: false })]);
    const cpuMsPerEdit = (cpuMsOf(lsp.pid) - cpuBefore) / EDITS;
    await sleep(1000);
    clearInterval(sampler);
    const end = memoryOf(lsp.pid).rssBytes;
    peak = Math.max(peak, end);

    const sets = published.slice(firstPublished).filter((p) => p.params.uri === uri);
    const latencies: number[] = [];
    for (let version = 2; version <= lastVersion; version++) {
      const answer = sets.find((p) => (p.params.version ?? 0) >= version && p.at >= sentAt[version]);
      if (answer) latencies.push(answer.at - sentAt[version]);
    }
    return { gapMs, latencies, finalMs: finalAt === undefined ? undefined : finalAt - sentAt[lastVersion], diagnosticSets: sets.length, hoverMs, completionMs, rss: { start, peak, end }, cpuMsPerEdit };
  } finally {
    // A server still busy with old versions may not answer `shutdown`: stop() kills it after a while.
    await lsp.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

function report(results: readonly PaceResult[], lines: number, load: readonly number[]): void {
  const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;
  const mb = (n: number) => `${(n / MB).toFixed(0)} MB`;
  const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
  console.log(
    `typing benchmark: ${EDITS} keystrokes (incremental didChange) in a ${lines}-line file, index checks offline; ` +
      `Node ${process.version}, ${availableParallelism()} CPUs, load average ${load.map((l) => l.toFixed(1)).join(' → ')}` +
      (serverNodeOptions.length ? `; extra server node options ${serverNodeOptions.join(' ')}` : ''),
  );
  console.log('');
  for (const r of results) {
    const pace = r.gapMs === 0 ? 'all at once' : `a keystroke every ${r.gapMs} ms`;
    const answered = r.latencies.length === EDITS ? '' : ` (${EDITS - r.latencies.length} keystrokes never answered)`;
    console.log(`${pace}:`);
    if (r.latencies.length) {
      const p95 = quantile(r.latencies, 0.95);
      const target = r.gapMs === 0 ? '' : `; target p95 ≤ ${LATENCY_TARGET_MS} ms: ${verdict(p95 <= LATENCY_TARGET_MS && !answered)}`;
      console.log(`  keystroke → diagnostics: median ${ms(median(r.latencies))}, p95 ${ms(p95)}, max ${ms(Math.max(...r.latencies))}${answered}${target}`);
    }
    console.log(`  last edit → its diagnostics: ${r.finalMs === undefined ? `not within ${FINAL_DEADLINE_MS / 1000} s: MISSED` : ms(r.finalMs)}; ${r.diagnosticSets} diagnostic sets for ${EDITS} edits`);
    if (r.hoverMs.length) {
      const p95 = quantile(r.hoverMs, 0.95);
      console.log(`  hover meanwhile (${r.hoverMs.length}): median ${ms(median(r.hoverMs))}, p95 ${ms(p95)}; target p95 ≤ ${HOVER_TARGET_MS} ms: ${verdict(p95 <= HOVER_TARGET_MS)}`);
    }
    if (r.completionMs.length) console.log(`  completion meanwhile (${r.completionMs.length}): median ${ms(median(r.completionMs))}, p95 ${ms(quantile(r.completionMs, 0.95))}`);
    console.log(`  server CPU: ${ms(r.cpuMsPerEdit)} per keystroke (hovers and completions included)`);
    console.log(`  server RSS: start ${mb(r.rss.start)}, peak ${mb(r.rss.peak)}, end ${mb(r.rss.end)}`);
  }
}

async function main(): Promise<void> {
  const load = [loadavg()[0]];
  const text = warehouseLines(LINES);
  const results: PaceResult[] = [];
  for (const gap of GAPS) results.push(await typeAt(gap, text));
  load.push(loadavg()[0]);
  report(results, text.split('\n').length - 1, load);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
