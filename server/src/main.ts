// server/out/main.js, the one server bundle. Run by Node (VS Code's client forks this file), it is
// the language server; required by server/out/cli.js, it only hands over the `reqguard` command.
export { runCliProcess } from './cli/main';

if (require.main === module) {
  // Required here, not imported, so that the command never evaluates vscode-languageserver.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load on purpose (see above)
  (require('./languageServer') as typeof import('./languageServer')).startLanguageServer();
}
