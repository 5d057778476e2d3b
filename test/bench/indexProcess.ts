// The test index in a process of its own (indexServer.ts), its request log read over IPC, what
// the setup alone costs (bare undici reading the same pages), and runs in new processes. Shared
// by the index benchmarks.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import type { HttpOptions } from '../../server/src/index/http';
import { openIndex } from '../../server/src/index/packageIndex';
import { canonicalizeName } from '../../server/src/parser/pep508';
import { testClient } from '../support/indexClient';
import type { RecordedRequest } from '../support/testIndex';
import { benchSelection, CONCURRENCY, type FixtureName } from './indexFixture';

export interface IndexCounts {
  projectPages: number;
  all: number;
  /** Requests per route (`simple-project`, `json`, `files`, …). */
  byRoute: Record<string, number>;
}

export function countRequests(requests: readonly RecordedRequest[]): IndexCounts {
  const byRoute: Record<string, number> = {};
  for (const r of requests) byRoute[r.route] = (byRoute[r.route] ?? 0) + 1;
  return { projectPages: byRoute['simple-project'] ?? 0, all: requests.length, byRoute };
}

/** How the index process is given its TLS key and certificate (JSON), when it is to serve https. */
export const INDEX_TLS_ENV = 'REQGUARD_BENCH_INDEX_TLS';

export class IndexProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly simpleUrl: string,
  ) {}

  /** `tls`: serve https with this certificate, offering HTTP/2 and HTTP/1.1. */
  static start(fixture: FixtureName | 'jupyter' = 'pages', tls?: { key: string; cert: string }): Promise<IndexProcess> {
    const env = tls ? { ...process.env, [INDEX_TLS_ENV]: JSON.stringify(tls) } : process.env;
    const child = fork(join(__dirname, 'indexServer.js'), [fixture], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the index process exited with ${code}`)));
      child.once('message', (message) => resolve(new IndexProcess(child, (message as { url: string }).url)));
    });
  }

  counts(): Promise<IndexCounts> {
    return new Promise((resolve) => {
      this.child.once('message', (message) => resolve(message as IndexCounts));
      this.child.send('count');
    });
  }

  /** When request number `n` of the index's log (0-based) arrived, in ms since the epoch; undefined when it has not. */
  receivedAt(n: number): Promise<number | undefined> {
    return new Promise((resolve) => {
      this.child.once('message', (message) => resolve((message as { at: number | null }).at ?? undefined));
      this.child.send({ receivedAt: n });
    });
  }

  private closed?: Promise<void>;

  close(): Promise<void> {
    this.closed ??= new Promise((resolve) => {
      this.child.removeAllListeners('exit');
      this.child.once('exit', () => resolve());
      this.child.send('close');
    });
    return this.closed;
  }
}

/** What the index logged during a run. */
export type Counted = IndexCounts;

export type CountFn = () => Promise<IndexCounts> | IndexCounts;

/** Runs `run`, adding the requests the index logged meanwhile. */
export async function counted<T>(count: CountFn, run: () => Promise<T>): Promise<T & Counted> {
  const before = await count();
  const result = await run();
  const after = await count();
  const byRoute: Record<string, number> = {};
  for (const [route, n] of Object.entries(after.byRoute)) if (n - (before.byRoute[route] ?? 0) > 0) byRoute[route] = n - (before.byRoute[route] ?? 0);
  return { ...result, projectPages: after.projectPages - before.projectPages, all: after.all - before.all, byRoute };
}

/**
 * The client as the server and CLI build it (concurrency 16 unless `http` says), over a fresh
 * cache folder: wall time of the answers for `names`, and this process's CPU time meanwhile.
 */
export async function coldRun(simpleUrl: string, names: string[], cacheDir: string, http: Partial<HttpOptions> = {}): Promise<{ wallMs: number; cpuMs: number }> {
  const t = testClient({ cacheDir, http: { concurrency: CONCURRENCY, ...http } });
  try {
    const view = openIndex(t.client, benchSelection(simpleUrl));
    const cpu = process.cpuUsage();
    const start = performance.now();
    const results = await Promise.all(names.map((name) => view.project(name)));
    const wallMs = performance.now() - start;
    const used = process.cpuUsage(cpu);
    const failed = names.findIndex((_, i) => !results[i].ok);
    if (failed >= 0) throw new Error(`cold run: ${names[failed]} failed: ${JSON.stringify(results[failed])}`);
    return { wallMs, cpuMs: (used.user + used.system) / 1000 };
  } finally {
    await t.close();
  }
}

/** No reqguard code: `concurrency` keep-alive connections reading the project pages of `names`. */
export async function bareUndici(simpleUrl: string, names: readonly string[], concurrency: number): Promise<{ wallMs: number }> {
  const agent = new Agent({ connections: concurrency, keepAliveTimeout: 30_000 });
  try {
    const start = performance.now();
    await Promise.all(
      names.map(async (name) => {
        const response = await request(`${simpleUrl}${canonicalizeName(name)}/`, { dispatcher: agent, headers: { accept: 'application/vnd.pypi.simple.v1+json' } });
        await response.body.arrayBuffer();
        if (response.statusCode !== 200) throw new Error(`bare undici: ${name} answered ${response.statusCode}`);
      }),
    );
    return { wallMs: performance.now() - start };
  } finally {
    await agent.close();
  }
}

/** Runs a compiled script of this folder in a new process and reads the one JSON line it prints. */
export function runScript<T>(script: string, args: readonly string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as T) : reject(new Error(`${script} exited with ${code}`))));
  });
}
