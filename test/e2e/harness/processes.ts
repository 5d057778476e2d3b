// code-server as a child process of the harness: started in a process group of its own (it forks
// its web server, the extension host and, through reqguard, the language server), stopped by that
// group's id, which is the pid the harness got when it started it.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { codeServerEnv, type CodeServerTools } from './extensions';

/** A free loopback port (bound by the system, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface RunningCodeServer {
  readonly url: string;
  readonly pid: number;
  /** Set once the process has exited. */
  readonly exited: () => { code: number | null; signal: NodeJS.Signals | null } | undefined;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  port: number;
  userDataDir: string;
  extensionsDir: string;
  workspace: string;
  /** An empty config file, so code-server neither reads nor creates ~/.config/code-server/config.yaml. */
  configFile: string;
  /** stdout and stderr go here. */
  logFile: string;
  /** Leave VS Code's workspace trust on (the trust checks); off by default, so the suite runs trusted. */
  workspaceTrust?: boolean;
}

export async function startCodeServer(tools: CodeServerTools, options: CodeServerOptions, deadlineMs = 60_000): Promise<RunningCodeServer> {
  writeFileSync(options.configFile, '# generated for one reqguard e2e run (the flags below say the rest)\nauth: none\n');
  const log = openSync(options.logFile, 'a');
  const args = [
    '--config', options.configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${options.port}`,
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--user-data-dir', options.userDataDir,
    '--extensions-dir', options.extensionsDir,
    options.workspace,
  ];
  const child: ChildProcess = spawn(tools.codeServer, args, { env: codeServerEnv(tools), stdio: ['ignore', log, log], detached: true });
  closeSync(log);
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', (code, signal) => ((exit = { code, signal }), resolve())));
  child.once('error', (error) => {
    exit = { code: -1, signal: null };
    writeFileSync(options.logFile, `spawn failed: ${error.message}\n`, { flag: 'a' });
  });
  if (child.pid === undefined) throw new Error(`could not start ${tools.codeServer}`);
  const pid = child.pid;
  const url = `http://127.0.0.1:${options.port}`;

  const stop = async () => {
    if (exit) return;
    // The group id is the pid we started: this reaches code-server and the processes it forked.
    const signal = (sig: NodeJS.Signals) => {
      try {
        process.kill(-pid, sig);
      } catch {
        // already gone
      }
    };
    signal('SIGTERM');
    const killed = await Promise.race([exitedPromise.then(() => true), sleep(10_000).then(() => false)]);
    if (!killed) signal('SIGKILL');
    await exitedPromise;
    // Children that outlived their parent (extension host, language server) go with the group.
    signal('SIGKILL');
  };

  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (exit) throw new Error(`code-server exited (${exit.code ?? exit.signal}) before it answered:\n${tail(options.logFile)}`);
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on ${url} within ${deadlineMs / 1000} s:\n${tail(options.logFile)}`);
    }
    await sleep(200);
  }
  return { url, pid, exited: () => exit, stop };
}

export function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
