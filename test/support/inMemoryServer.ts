// The language server in this process over an in-memory connection pair (the createConnection(up,
// down) pattern of vscode-languageserver-node's own tests), with injected IO: fast handler tests
// with no child process. The spawned-bundle tests (test/lsp/) still drive the real process.
import { PassThrough } from 'node:stream';
import { createConnection } from 'vscode-languageserver/node';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection } from 'vscode-languageserver-protocol/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import type { PathProbe } from '../../server/src/pip/localPaths';
import { startServer, type ServerDeps } from '../../server/src/server';

export interface InMemoryServer {
  readonly client: ProtocolConnection;
  /** Files the server reads from "disk" (includes), by absolute path. */
  readonly files: Map<string, string>;
  /** Every path the server asked the "disk" for, in order. */
  readonly reads: string[];
  stop(): Promise<void>;
}

export async function startInMemoryServer(options: {
  /** Answers workspace/configuration for one section (`reqguard`, `http`). */
  readonly configuration: (section: string | undefined) => unknown;
  /** Registers notification handlers before the connection starts listening. */
  readonly listen?: (client: ProtocolConnection) => void;
  readonly deps?: Partial<ServerDeps>;
}): Promise<InMemoryServer> {
  const up = new PassThrough();
  const down = new PassThrough();
  const files = new Map<string, string>();
  const reads: string[] = [];
  const noPaths: PathProbe = { kind: () => 'missing', isInstallableDirectory: () => false };
  const server = createConnection(new StreamMessageReader(up), new StreamMessageWriter(down));
  startServer(server, {
    files: {
      read: (path) => {
        reads.push(path);
        return files.get(path);
      },
    },
    uriToPath: (uri) => (uri.startsWith('file://') ? new URL(uri).pathname : undefined),
    pathProbe: () => noPaths,
    env: {},
    ...options.deps,
  });
  const client = createProtocolConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
  options.listen?.(client);
  client.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => params.items.map((item) => options.configuration(item.section)));
  client.listen();
  // No processId: the server's parent-process watchdog (an interval) would keep this process alive.
  await client.sendRequest('initialize', { processId: null, rootUri: 'file:///work', capabilities: { workspace: { configuration: true } } });
  await client.sendNotification('initialized', {});
  return {
    client,
    files,
    reads,
    async stop() {
      await client.sendRequest('shutdown');
      client.dispose();
      server.dispose();
      up.destroy();
      down.destroy();
    },
  };
}

/** The diagnostics a server publishes, kept in order, and a way to wait for them. */
export interface PublishedDiagnostics {
  readonly published: PublishDiagnosticsParams[];
  /** Pass as startInMemoryServer's `listen`. */
  listen(client: ProtocolConnection): void;
  /** The first diagnostics published for `uri` that satisfy `accept`; throws after 5 s. */
  diagnostics(uri: string, accept?: (params: PublishDiagnosticsParams) => boolean): Promise<Diagnostic[]>;
}

export function publishedDiagnostics(): PublishedDiagnostics {
  const published: PublishDiagnosticsParams[] = [];
  const waiters: Array<() => void> = [];
  return {
    published,
    listen(client) {
      client.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
        published.push(params);
        for (const wake of waiters.splice(0)) wake();
      });
    },
    async diagnostics(uri, accept = () => true) {
      const deadline = Date.now() + 5_000;
      for (;;) {
        const hit = published.find((params) => params.uri === uri && accept(params));
        if (hit) return hit.diagnostics;
        if (Date.now() > deadline) throw new Error(`no matching diagnostics for ${uri}`);
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
  };
}
