// The bundled language server (server/out/main.js) in its own process, driven over stdio as VS Code
// drives it. Its environment is clean: this machine's pip configuration and PIP_* variables, which
// point at local mirrors, must not leak into what the server reads.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection } from 'vscode-languageserver-protocol/node';
import { REPO_ROOT } from '../helpers/corpus';

export interface LspServer {
  readonly connection: ProtocolConnection;
  /** The server process, for reading its memory from /proc. */
  readonly pid: number;
  /** The last 16,000 characters the server wrote to stderr. */
  readonly stderr: string;
  /** Shuts the server down, killing it if it does not exit within a few seconds; every pipe to it is closed. */
  stop(): Promise<void>;
}

const STOP_WAIT_MS = 3000;

export async function startLspServer(options: {
  /** The workspace folder; also the server's HOME. */
  readonly workspace: string;
  /** Answers workspace/configuration for one section (`reqguard`, `http`). */
  readonly configuration: (section: string | undefined) => unknown;
  /** Registers notification handlers before the connection starts listening. */
  readonly listen?: (connection: ProtocolConnection) => void;
  /** Sent with `initialize`, as the extension sends its storage path and settings. */
  readonly initializationOptions?: unknown;
  /** Client capabilities beyond workspace configuration (`window.workDoneProgress`, as VS Code has). */
  readonly capabilities?: Record<string, unknown>;
  /** Node options for the server process (`--max-semi-space-size=1`, `--heap-prof`). */
  readonly nodeOptions?: readonly string[];
}): Promise<LspServer> {
  const env = { PATH: process.env.PATH ?? '', HOME: options.workspace, PIP_CONFIG_FILE: '/dev/null' };
  const server = spawn(process.execPath, [...(options.nodeOptions ?? []), join(REPO_ROOT, 'server/out/main.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env });
  // Read, or the pipe is never drained: its end goes unseen and keeps this process alive after the
  // server has exited (the occasional hang after the last test).
  let stderr = '';
  server.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-16_000)));
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const connection = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  options.listen?.(connection);
  connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => params.items.map((item) => options.configuration(item.section)));
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(options.workspace).href,
    capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false } }, ...options.capabilities },
    initializationOptions: options.initializationOptions,
  });
  await connection.sendNotification('initialized', {});
  return {
    connection,
    pid: server.pid!,
    get stderr() {
      return stderr;
    },
    async stop() {
      // A server that does not answer (busy, or gone) is not waited for beyond a few seconds.
      const answered = connection.sendRequest('shutdown').then(() => connection.sendNotification('exit'));
      await Promise.race([answered.catch(() => undefined), sleep(STOP_WAIT_MS, undefined, { ref: false })]);
      // Let it exit on its own (profiles from --cpu-prof are written then), but not for ever.
      const timer = setTimeout(() => server.kill('SIGKILL'), STOP_WAIT_MS);
      await exited;
      clearTimeout(timer);
      connection.dispose();
      for (const stream of [server.stdin, server.stdout, server.stderr]) stream?.destroy();
    },
  };
}
