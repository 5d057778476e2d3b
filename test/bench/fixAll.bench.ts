// Benchmark (not a test): "Pin and hash all" through the bundled language server
// (server/out/main.js, driven over stdio as VS Code drives it) on a requirements file of 300
// unpinned projects (3–8 releases each, up to six wheels and an sdist per release), against the
// test index in its own process with 20 ms of latency on every route.
//   cold:             a new server over empty storage; didOpen and the request sent together,
//                     timed to the answer; target ≤ 1.3× the lower bound ⌈300/16⌉ × 20 ms
//                     (16: reqguard.http.concurrency's default).
//   warm (memory):    the same request again in the same server.
//   warm (persisted): a new server over the storage a cold run filled.
//   hover:            hovers on entries of the fixed file with its data in memory; target median < 10 ms.
//   memory:           the server's VmRSS with the file open, after each burst; target ≤ 80 MB, beside
//                     what Node alone and Node with undici cost.
// Every answer is checked (300 entries pinned to the release pip would pick, each with the sha256 of
// every file of it), so a failure is never timed. Reference rows, without targets: bare undici
// reading the same pages, in this process and in a new one (a new server runs unoptimised code
// too). Prints figures; a missed target prints MISSED but exits 0.
//   npm run bench
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import type { Hover, Position, PublishDiagnosticsParams, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { canonicalizeName } from '../../server/src/parser/pep508';
import { parseRequirementsFile, type RequirementEntry } from '../../server/src/parser/requirementsFile';
import { PIN_AND_HASH_ALL_REQUEST, SERVER_NODE_FLAGS, type InitializationOptions } from '../../server/src/protocol';
import { startLspServer, type LspServer } from '../support/lspServer';
import { buildFixtureFiles, type IndexFixture } from '../support/testIndex';
import { benchFixture, CONCURRENCY, LATENCY_MS, PROJECTS, RELEASES_SHAPE } from './indexFixture';
import { bareUndici, counted, IndexProcess, runScript, type Counted } from './indexProcess';
import { memoryOf, type Memory } from './processMemory';
import { best, median, quantile } from './stats';
import { tempDir } from '../helpers/tempDirs';

const COLD_RUNS = 5;
const WARM_RUNS = 5;
const PERSISTED_RUNS = 5;
const EDITOR_SESSIONS = 3;
const REFERENCE_RUNS = 5;
/** Every HOVER_STRIDE-th entry is hovered, HOVER_PASSES times once its data is in memory. */
const HOVER_STRIDE = 5;
const HOVER_PASSES = 5;
const LOWER_BOUND_MS = Math.ceil(PROJECTS / CONCURRENCY) * LATENCY_MS;
const TARGET_RATIO = 1.3;
const HOVER_TARGET_MS = 10;
/** Issue 15: the server's RSS with the 300-package file, after the burst of answers. */
const RSS_TARGET_MB = 80;
const MB = 1024 * 1024;
/** Node options for the server: the client's own, or those given (`node out/test/bench/fixAll.bench.js --optimize-for-size`). */
const SERVER_NODE_OPTIONS = process.argv.length > 2 ? process.argv.slice(2) : SERVER_NODE_FLAGS;

// ---- the file and what fixing it must give -----------------------------------------------------

/** How real files write an unpinned requirement; every form admits the newest final release. */
const FORMS: Array<(name: string, major: string) => string> = [
  (name) => name,
  (name) => `${name}>=1.0`,
  (name) => `${name}[security]`,
  (name) => `${name} ; python_version >= "3.8"`,
  (name) => `${name}  # needed by the API`,
  (name, major) => `${name}~=${major}.0`,
  (name) => `${name}!=0.1`,
];

function requirementsText(names: readonly string[], latest: readonly string[]): string {
  return names.map((name, i) => FORMS[i % FORMS.length](name, latest[i].split('.')[0]) + '\n').join('');
}

/** The sorted sha256 of every file of each release, by `normalized-name==version`. */
function releaseDigests(fixture: IndexFixture): Map<string, string[]> {
  const digests = new Map<string, string[]>();
  for (const file of buildFixtureFiles(fixture)) {
    const key = `${file.project}==${file.version}`;
    digests.set(key, [...(digests.get(key) ?? []), file.sha256].sort());
  }
  return digests;
}

interface Expected {
  readonly names: readonly string[];
  readonly latest: readonly string[];
  readonly digests: ReadonlyMap<string, string[]>;
}

const requirements = (text: string) => parseRequirementsFile(text).entries.filter((entry): entry is RequirementEntry => entry.kind === 'requirement');

/** The edit applied to `text`; throws unless every entry is pinned to its expected release and hashed with all its files. */
function checkedFix(text: string, edit: WorkspaceEdit | null, uri: string, version: number, expected: Expected): string {
  const change = edit?.documentChanges?.[0];
  if (!change || !('edits' in change) || change.textDocument.uri !== uri || change.textDocument.version !== version) {
    throw new Error(`pin and hash all answered no edit for ${uri} version ${version}: ${JSON.stringify(edit)?.slice(0, 300)}`);
  }
  const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'pip-requirements', version, text), change.edits as TextEdit[]);
  const entries = requirements(fixed);
  if (entries.length !== expected.names.length) throw new Error(`the fixed file has ${entries.length} requirements, not ${expected.names.length}`);
  entries.forEach((entry, i) => {
    const name = canonicalizeName(expected.names[i]);
    const pin = entry.specifiers.length === 1 && entry.specifiers[0].operator === '==' ? entry.specifiers[0].version : undefined;
    const hashes = entry.hashes.map((hash) => `${hash.algorithm}:${hash.digest}`).sort();
    const wanted = (expected.digests.get(`${name}==${expected.latest[i]}`) ?? []).map((digest) => `sha256:${digest}`);
    if (entry.normalizedName !== name || pin !== expected.latest[i] || hashes.join() !== wanted.join()) {
      throw new Error(`entry ${i + 1} is not pinned and hashed as expected: ${fixed.slice(entry.span.start, entry.span.end)}`);
    }
  });
  return fixed;
}

// ---- the server, as the editor drives it ---------------------------------------------------------

/** One language server with its workspace (its HOME, with the requirements file) and extension storage. */
class Editor {
  private constructor(
    private readonly lsp: LspServer,
    private readonly workspace: string,
    private readonly published: readonly PublishDiagnosticsParams[],
    /** Spawn to the answer of `initialize`. */
    readonly startMs: number,
  ) {}

  static async start(simpleUrl: string, storagePath: string, workspace: string): Promise<Editor> {
    const published: PublishDiagnosticsParams[] = [];
    const start = performance.now();
    const initializationOptions: InitializationOptions = { storagePath };
    const lsp = await startLspServer({
      workspace,
      configuration: (section) => (section === 'reqguard' ? { index: { url: simpleUrl } } : {}),
      listen: (connection) => connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => void published.push(params)),
      initializationOptions,
      nodeOptions: SERVER_NODE_OPTIONS,
    });
    return new Editor(lsp, workspace, published, performance.now() - start);
  }

  get memory(): Memory {
    return memoryOf(this.lsp.pid);
  }

  /** Writes the file and opens it, as VS Code does when it is shown. */
  async open(text: string): Promise<string> {
    const path = join(this.workspace, 'requirements.txt');
    writeFileSync(path, text);
    const uri = pathToFileURL(path).href;
    await this.lsp.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'pip-requirements', version: 1, text } });
    return uri;
  }

  pinAndHashAll(uri: string): Promise<WorkspaceEdit | null> {
    return this.lsp.connection.sendRequest(PIN_AND_HASH_ALL_REQUEST, { uri });
  }

  /** The applied edit, as VS Code sends it: the new content of the document. */
  async change(uri: string, version: number, text: string): Promise<void> {
    await this.lsp.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.lsp.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
  }

  /** A round trip: every message sent before it has been handled. */
  roundTrip(uri: string): Promise<unknown> {
    return this.lsp.connection.sendRequest('textDocument/documentLink', { textDocument: { uri } });
  }

  async diagnostics(uri: string, version: number, code: string): Promise<PublishDiagnosticsParams> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const found = this.published.find((p) => p.uri === uri && p.version === version && p.diagnostics.some((d) => d.code === code));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no '${code}' diagnostics for ${uri} version ${version}`);
      await sleep(5);
    }
  }

  stop(): Promise<void> {
    return this.lsp.stop();
  }
}

// ---- runs ----------------------------------------------------------------------------------------

type Run = { wallMs: number } & Counted;

interface EditorSession {
  memory: Record<Stage, Memory>;
  openedRequests: Counted;
  fixRequests: Counted;
  fixedRequests: Counted;
  firstHoverRequests: Counted;
  firstHoverMs: number[];
  warmHoverMs: number[];
}

const STAGES = ['started', 'opened', 'fixed', 'applied', 'hovered'] as const;
type Stage = (typeof STAGES)[number];

async function main(): Promise<void> {
  const load = loadavg()[0];
  const { fixture, names, latest } = benchFixture(RELEASES_SHAPE);
  const expected: Expected = { names, latest, digests: releaseDigests(fixture) };
  const text = requirementsText(names, latest);
  const fixAllDir = (what: string) => tempDir(`fixall-${what}`);
  const index = await IndexProcess.start('releases');
  const count = () => index.counts();
  const editor = (storage: string) => Editor.start(index.simpleUrl, storage, fixAllDir('home'));

  /** The request timed to its answer, which is then checked; without `uri`, didOpen and the request back to back. */
  const timedFix = async (session: Editor, uri?: string): Promise<{ wallMs: number; uri: string }> => {
    const start = performance.now();
    const opened = uri ?? (await session.open(text));
    const edit = await session.pinAndHashAll(opened);
    const wallMs = performance.now() - start;
    checkedFix(text, edit, opened, 1, expected);
    return { wallMs, uri: opened };
  };

  try {
    const starts: number[] = [];
    const colds: Run[] = [];
    const warms: Run[] = [];
    let filled = '';
    for (let run = 0; run < COLD_RUNS; run++) {
      const session = await editor((filled = fixAllDir('storage')));
      starts.push(session.startMs);
      try {
        const cold = await counted(count, () => timedFix(session));
        colds.push(cold);
        for (let again = 0; again < WARM_RUNS; again++) warms.push(await counted(count, () => timedFix(session, cold.uri)));
      } finally {
        await session.stop();
      }
    }

    const persisted: Run[] = [];
    const persistedMemory: Memory[] = [];
    for (let run = 0; run < PERSISTED_RUNS; run++) {
      const session = await editor(filled);
      try {
        persisted.push(await counted(count, () => timedFix(session)));
        persistedMemory.push(session.memory);
      } finally {
        await session.stop();
      }
    }

    const sessions: EditorSession[] = [];
    for (let run = 0; run < EDITOR_SESSIONS; run++) sessions.push(await editorSession(await editor(fixAllDir('storage')), text, expected, count));

    const bare: Run[] = [];
    for (let run = 0; run < REFERENCE_RUNS; run++) bare.push(await counted(count, () => bareUndici(index.simpleUrl, names, CONCURRENCY)));
    const bareProcesses: Run[] = [];
    for (let run = 0; run < REFERENCE_RUNS; run++) bareProcesses.push(await counted(count, () => runScript<{ wallMs: number }>('bareUndiciRun.js', [index.simpleUrl])));

    const files = Object.values(fixture.projects).reduce((n, p) => n + Object.values(p.versions).reduce((m, v) => m + (v.files?.length ?? 2), 0), 0);
    const baselines = { node: await idleMemory(''), undici: await idleMemory(`new (require(${JSON.stringify(require.resolve('undici/lib/dispatcher/agent'))}))();`) };
    report({ starts, colds, warms, persisted, persistedMemory, sessions, bare, bareProcesses, files, lines: text.split('\n').length - 1, load: [load, loadavg()[0]], baselines });
  } finally {
    await index.close();
  }
}

/** The memory of a new, idle Node process (the server's flags) that ran `script`: what the runtime alone costs. */
async function idleMemory(script: string): Promise<Memory> {
  const child = spawn(process.execPath, [...SERVER_NODE_OPTIONS, '-e', `${script} process.stdout.write('ready'); setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.stdout.once('data', () => resolve());
    });
    await sleep(200);
    return memoryOf(child.pid!);
  } finally {
    child.kill();
  }
}

/**
 * The editor's way through: open the file and let its index diagnostics in, pin and hash all,
 * apply the edit and let the fixed file's diagnostics in, hover; the server's memory at each step.
 */
async function editorSession(session: Editor, text: string, expected: Expected, count: () => Promise<Counted>): Promise<EditorSession> {
  try {
    const memory = { started: session.memory } as Record<Stage, Memory>;
    const { uri, ...openedRequests } = await counted(count, async () => {
      const before = await count();
      const uri = await session.open(text);
      // Diagnostics of an unpinned file that the index finds nothing wrong with are not published
      // again, so "validation done" is: every project page served, its latency over, and a round trip.
      while ((await count()).projectPages - before.projectPages < PROJECTS) await sleep(10);
      await sleep(5 * LATENCY_MS);
      await session.roundTrip(uri);
      return { uri };
    });
    memory.opened = session.memory;

    const { fixed, ...fixRequests } = await counted(count, async () => ({ fixed: checkedFix(text, await session.pinAndHashAll(uri), uri, 1, expected) }));
    memory.fixed = session.memory;

    // The fixed file's diagnostics ask the JSON API (vulnerabilities of each pin); the fixture's
    // vulnerable releases make sure they are published, so their arrival can be awaited.
    const fixedRequests = await counted(count, async () => {
      await session.change(uri, 2, fixed);
      await session.diagnostics(uri, 2, 'vulnerable');
      return {};
    });
    memory.applied = session.memory;

    const document = TextDocument.create(uri, 'pip-requirements', 2, fixed);
    const targets = requirements(fixed)
      .filter((_, i) => i % HOVER_STRIDE === 0)
      .map((entry) => ({ position: document.positionAt(entry.nameSpan!.start + 1), version: entry.specifiers[0].version }));
    const timedHover = async (target: (typeof targets)[number]) => {
      const start = performance.now();
      const hover = await session.hover(uri, target.position);
      const ms = performance.now() - start;
      const value = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
      if (!value.includes(target.version)) throw new Error(`the hover at ${JSON.stringify(target.position)} does not show ${target.version}: ${value.slice(0, 200)}`);
      return ms;
    };
    const firstHoverMs: number[] = [];
    const firstHoverRequests = await counted(count, async () => {
      for (const target of targets) firstHoverMs.push(await timedHover(target));
      return {};
    });
    const warmHoverMs: number[] = [];
    for (let pass = 0; pass < HOVER_PASSES; pass++) for (const target of targets) warmHoverMs.push(await timedHover(target));
    memory.hovered = session.memory;
    return { memory, openedRequests, fixRequests, fixedRequests, firstHoverRequests, firstHoverMs, warmHoverMs };
  } finally {
    await session.stop();
  }
}

// ---- report --------------------------------------------------------------------------------------

function report(r: {
  starts: number[];
  colds: Run[];
  warms: Run[];
  persisted: Run[];
  persistedMemory: Memory[];
  sessions: EditorSession[];
  bare: Run[];
  bareProcesses: Run[];
  files: number;
  lines: number;
  load: number[];
  baselines: { node: Memory; undici: Memory };
}): void {
  const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;
  const mb = (n: number) => `${(n / MB).toFixed(0)} MB`;
  const ratio = (n: number) => `${(n / LOWER_BOUND_MS).toFixed(2)}×`;
  const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
  const routes = (runs: Counted[]) =>
    [...new Set(runs.map((run) => Object.entries(run.byRoute).map(([route, n]) => `${n} ${route}`).join(' + ') || 'none'))].join(' / ');
  const row = (label: string, runs: Run[], target: string) => {
    const times = runs.map((x) => x.wallMs);
    const cells = [label.padEnd(44), ms(median(times)).padStart(7), ms(best(times)).padStart(7), `${ratio(median(times))} / ${ratio(best(times))}`.padEnd(14), routes(runs).padEnd(20), target];
    console.log(cells.join('  ').trimEnd());
  };
  const withinBound = (runs: Run[]) => median(runs.map((x) => x.wallMs)) <= TARGET_RATIO * LOWER_BOUND_MS;
  const quiet = (runs: Run[]) => runs.every((x) => x.all === 0);

  console.log(
    `pin and hash all benchmark: ${r.lines}-line file of ${PROJECTS} unpinned projects (${r.files} files on the index), ${LATENCY_MS} ms latency on every route, ` +
      `concurrency ${CONCURRENCY}; Node ${process.version}, ${availableParallelism()} CPUs, load average ${r.load.map((l) => l.toFixed(1)).join(' → ')}` +
      (SERVER_NODE_OPTIONS.length ? `; server node options ${SERVER_NODE_OPTIONS.join(' ')}` : ''),
  );
  console.log(`lower bound ⌈${PROJECTS}/${CONCURRENCY}⌉ × ${LATENCY_MS} ms = ${ms(LOWER_BOUND_MS)}; wall time is didOpen (or, with the file open, the request) → the checked answer`);
  console.log('');
  console.log(['run'.padEnd(44), 'median'.padStart(7), 'best'.padStart(7), 'ratio med/best'.padEnd(14), 'requests'.padEnd(20), 'target (on the median)'].join('  '));
  row(`cold: new server, empty storage (${r.colds.length} runs)`, r.colds, `≤ ${TARGET_RATIO}×: ${verdict(withinBound(r.colds))}`);
  row(`warm: same server, in memory (${r.warms.length} runs)`, r.warms, `no request: ${verdict(quiet(r.warms))}`);
  row(`warm: new server, filled storage (${r.persisted.length} runs)`, r.persisted, `no request: ${verdict(quiet(r.persisted))}`);
  console.log(`  cold runs: ${r.colds.map((x) => x.wallMs.toFixed(0)).join(', ')} ms; new servers: spawn → initialized ${ms(median(r.starts))} (median, not in the wall time)`);
  // "Pin and hash all" also reads the pinned releases' metadata (to complete the file): the bound
  // for every request a cold run made, at the same concurrency.
  const made = median(r.colds.map((x) => x.all));
  const ownBound = Math.ceil(made / CONCURRENCY) * LATENCY_MS;
  console.log(`  bound for the ${made} requests of a cold run: ⌈${made}/${CONCURRENCY}⌉ × ${LATENCY_MS} ms = ${ms(ownBound)}; the cold median at ${(median(r.colds.map((x) => x.wallMs)) / ownBound).toFixed(2)}×`);
  console.log('reference, no target:');
  row(`  bare undici, this process (${r.bare.length} runs)`, r.bare, '');
  row(`  bare undici, new process (${r.bareProcesses.length} runs)`, r.bareProcesses, '');

  const first = r.sessions.flatMap((s) => s.firstHoverMs);
  const warm = r.sessions.flatMap((s) => s.warmHoverMs);
  console.log('');
  console.log(`hover on the fixed file (${r.sessions.length} sessions, every ${HOVER_STRIDE}th entry):`);
  console.log(`  first hover of an entry (asks ${routes(r.sessions.map((s) => s.firstHoverRequests))} for ${first.length / r.sessions.length} entries): median ${ms(median(first))}, p95 ${ms(quantile(first, 0.95))}`);
  console.log(
    `  warm, data in memory (${warm.length} hovers): median ${ms(median(warm))}, p95 ${ms(quantile(warm, 0.95))}, max ${ms(Math.max(...warm))}; ` +
      `target median < ${HOVER_TARGET_MS} ms: ${verdict(median(warm) < HOVER_TARGET_MS)}`,
  );
  console.log(
    `  requests: opening the file ${routes(r.sessions.map((s) => s.openedRequests))}; pin and hash all after that ${routes(r.sessions.map((s) => s.fixRequests))}; ` +
      `the fixed file's diagnostics ${routes(r.sessions.map((s) => s.fixedRequests))}`,
  );

  console.log('');
  console.log(`server memory (median of ${r.sessions.length} sessions; VmRSS, peak VmHWM); target ≤ ${RSS_TARGET_MB} MB RSS with the file open:`);
  const labels: Record<Stage, string> = {
    started: 'initialized, no document',
    opened: 'file open, index diagnostics done',
    fixed: 'after pin and hash all',
    applied: 'fixed file applied, its diagnostics in',
    hovered: `after ${r.sessions[0].firstHoverMs.length * (HOVER_PASSES + 1)} hovers`,
  };
  const memoryRow = (label: string, memories: Memory[], withTarget: boolean) => {
    const rss = median(memories.map((m) => m.rssBytes));
    const target = withTarget ? verdict(rss <= RSS_TARGET_MB * MB) : '';
    console.log(`  ${label.padEnd(56)}  ${mb(rss).padStart(6)}  peak ${mb(median(memories.map((m) => m.peakRssBytes))).padStart(6)}  ${target}`.trimEnd());
  };
  for (const stage of STAGES) memoryRow(labels[stage], r.sessions.map((s) => s.memory[stage]), stage !== 'started');
  memoryRow('new server over filled storage, after pin and hash all', r.persistedMemory, true);
  console.log('  what the runtime alone costs (no reqguard code; a new process, idle):');
  memoryRow('Node, nothing loaded', [r.baselines.node], false);
  memoryRow("Node with undici's Agent loaded and one made", [r.baselines.undici], false);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
