// Bundles the shipped artefacts with esbuild: the extension (client), the one server bundle, which
// is both the language server and the CLI's engine, and server/out/cli.js, the command's entry.
// Type checking is separate (`tsc -b`); this only produces the bundles.
import { build } from 'esbuild';
import { chmod, mkdir } from 'node:fs/promises';

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

await mkdir('server/out', { recursive: true });
await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/main.ts'], outfile: 'server/out/main.js' }),
  // The `reqguard` command: --help and --version alone, in a bundle of its own that loads main.js for the rest.
  build({ ...common, entryPoints: ['server/src/cli/entry.ts'], outfile: 'server/out/cli.js', external: ['./main.js'], banner: { js: '#!/usr/bin/env node' } }).then(() => chmod('server/out/cli.js', 0o755)),
]);
