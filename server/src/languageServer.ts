// The language server process: builds the real connection and IO, nothing else. server/src/main.ts
// calls this when Node runs the server bundle itself (VS Code's client forks server/out/main.js).
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { createIndexRuntime } from './index/runtime';
import { diskEnvironmentReader, diskPathProbe, diskReader, fileUriToPath, packageVersion } from './nodeIo';
import { createPythonEnvironments } from './pythonEnvironment';
import { startServer } from './server';

export function startLanguageServer(): void {
  const connection = createConnection(ProposedFeatures.all);
  // stdout may be the LSP channel: anything printed by accident goes to the client's log instead.
  const toClientLog = (write: (message: string) => void) => (...args: unknown[]) => write(args.map(String).join(' '));
  Object.assign(console, {
    log: toClientLog((message) => connection.console.info(message)),
    info: toClientLog((message) => connection.console.info(message)),
    warn: toClientLog((message) => connection.console.warn(message)),
    error: toClientLog((message) => connection.console.error(message)),
  });

  startServer(connection, {
    files: diskReader,
    uriToPath: fileUriToPath,
    pathProbe: diskPathProbe,
    env: process.env,
    python: createPythonEnvironments(),
    environment: diskEnvironmentReader,
    indexRuntime: (options) => createIndexRuntime({ ...options, env: process.env, userAgent: `reqguard/${packageVersion()} (language server; node ${process.version})` }),
    // Until the editor's target choice (the Python extension's interpreter) lands: the Python on PATH.
  });
}
