// Entry point of the language server process: builds the real connection and IO, nothing else.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { diskPathProbe, diskReader, fileUriToPath } from './nodeIo';
import { startServer } from './server';

const connection = createConnection(ProposedFeatures.all);
// stdout may be the LSP channel: anything printed by accident goes to the client's log instead.
console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
console.info = console.log;
console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(' '));
console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));

startServer(connection, {
  files: diskReader,
  uriToPath: fileUriToPath,
  pathProbe: diskPathProbe,
  env: process.env,
});
