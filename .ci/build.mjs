// Bundles the shipped artefacts with esbuild: the extension (client) and the one server bundle, which
// is both the language server and the CLI's engine; server/out/cli.js is a few lines over it.
// Type checking is separate (`tsc -b`); this only produces the bundles.
import { build } from 'esbuild';
import { chmod, mkdir, writeFile } from 'node:fs/promises';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

// The `reqguard` command (package.json `bin`): a few lines over the server bundle, which holds its
// code. main.js starts the language server only when Node runs it as the main module, so requiring
// it here runs nothing but the command. Node 22.1+ keeps V8's compiled code of main.js between
// runs (in the OS temp folder; NODE_DISABLE_COMPILE_CACHE=1 turns it off); Node 20 has no such cache.
const CLI = `#!/usr/bin/env node
'use strict';
require('node:module').enableCompileCache?.();
require('./main.js').runCliProcess();
`;

await mkdir('server/out', { recursive: true });
await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/main.ts'], outfile: 'server/out/main.js' }),
  writeFile('server/out/cli.js', CLI).then(() => chmod('server/out/cli.js', 0o755)),
]);
