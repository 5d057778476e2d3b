// A real static file server for tests: Debian's nginx binary as a child process, serving a folder
// on 127.0.0.1 (so index clients meet real ETag/Last-Modified/redirect behaviour, not ours).
// Everything nginx writes (pid, logs, temp files) lives in a fresh temp dir removed on close().
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { NGINX, requireProgram } from './optionalProgram';
import { until } from './until';
import { tempDir } from '../helpers/tempDirs';

export interface Nginx {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  pid: number;
  /**
   * nginx's access log (combined format) once it holds every request answered so far, for tests
   * that check what a client fetched. nginx writes a line only after the response has gone out, so
   * a client can see its answer before the line exists: a marker request is sent and waited for.
   */
  settledLog(): Promise<string>;
  close(): Promise<void>;
}

const START_DEADLINE_MS = 10_000;

/** A port free right now (nginx binds it a moment later; start retries if another process won). */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

const quote = (path: string) => {
  if (/["\\$\n]/.test(path)) throw new Error(`path not usable in nginx.conf: ${path}`);
  return `"${path}"`;
};

function config(dir: string, root: string, port: number): string {
  const temp = (name: string) => quote(join(dir, 'temp', name));
  return `daemon off;
master_process off;
worker_processes 1;
pid ${quote(join(dir, 'nginx.pid'))};
error_log stderr warn;
events { worker_connections 256; }
http {
  # Inline rather than /etc/nginx/mime.types: only what an index tree holds.
  types {
    text/html html;
    application/octet-stream whl gz metadata;
  }
  default_type application/octet-stream;
  access_log ${quote(join(dir, 'logs', 'access.log'))};
  client_body_temp_path ${temp('body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};
  server {
    listen 127.0.0.1:${port};
    root ${quote(root)};
    index index.html;
  }
}
`;
}

function answers(url: string): Promise<boolean> {
  return new Promise((done) => {
    const req = request(url, { method: 'HEAD', timeout: 1000 }, (res) => {
      res.resume();
      done(true);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(false));
    req.end();
  });
}

async function startOnce(binary: string, root: string): Promise<Nginx> {
  const dir = tempDir('nginx');
  for (const sub of ['logs', 'temp']) mkdirSync(join(dir, sub));
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, config(dir, root, port));
  // -e: the compiled-in error log (/var/log/nginx) is opened before the config is read.
  const child = spawn(binary, ['-p', dir + '/', '-c', conf, '-e', 'stderr'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-16_000)));
  let exited: number | string | null | undefined;
  const exit = new Promise<void>((r) =>
    child.once('exit', (code, signal) => {
      exited = code ?? signal;
      r();
    }),
  );
  const spawnError = new Promise<Error>((r) => child.once('error', r));
  // A crashed test run must not leave nginx behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const cleanup = () => {
    process.removeListener('exit', killOnExit);
    rmSync(dir, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + START_DEADLINE_MS;
  for (;;) {
    const failed = await Promise.race([spawnError, sleep(50).then(() => undefined)]);
    if (failed || exited !== undefined) {
      cleanup();
      throw new Error(`nginx exited (${failed?.message ?? exited}) before serving ${url}:\n${stderr}`);
    }
    if (await answers(url)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await exit;
      cleanup();
      throw new Error(`nginx did not answer on ${url} within ${START_DEADLINE_MS} ms:\n${stderr}`);
    }
  }

  const pid = child.pid!;
  const accessLog = join(dir, 'logs', 'access.log');
  let markers = 0;
  return {
    url,
    pid,
    async settledLog() {
      // One worker handles requests in turn, so the marker's line comes after every earlier one.
      const marker = `/.reqguard-log-marker-${++markers}`;
      await answers(new URL(marker, url).href);
      const log = await until(() => {
        const text = readFileSync(accessLog, 'utf8');
        return text.includes(`HEAD ${marker} `) ? text : undefined;
      }, `nginx's access log line for ${marker}`);
      return log.split('\n').filter((line) => !line.includes('/.reqguard-log-marker-')).join('\n');
    },
    async close() {
      if (exited === undefined) {
        process.kill(pid, 'SIGTERM'); // single-process nginx: fast shutdown
        const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exit;
        clearTimeout(killer);
      }
      cleanup();
    },
  };
}

/**
 * Serves `root` (absolute or relative to the cwd) with nginx on a free 127.0.0.1 port. nginx is
 * optional: tests that call this declare `{ skip: skipWithout(NGINX) }` (support/optionalProgram).
 */
export async function startNginx(root: string): Promise<Nginx> {
  const binary = requireProgram(NGINX);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(binary, resolve(root));
    } catch (e) {
      // Another process may take the free port between our probe and nginx's bind.
      if (attempt >= 3 || !/Address already in use/.test(String((e as Error).message))) throw e;
    }
  }
}
