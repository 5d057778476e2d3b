// Runs every compiled test file under out/test (unit, lsp, grammar, cli) with Node's test runner.
// Browser/e2e suites live elsewhere and are not run here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(dir) {
  const found = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...collect(path));
    else if (entry.endsWith('.test.js')) found.push(path);
  }
  return found;
}

const roots = ['out/test/unit', 'out/test/lsp', 'out/test/grammar', 'out/test/cli'];
const files = roots.flatMap((root) => {
  try { return collect(root); } catch { return []; }
}).sort();
if (files.length === 0) {
  console.error('no compiled tests found under out/test: did `tsc -b` run?');
  process.exit(1);
}
const only = process.argv.slice(2);
const selected = only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files;
// node --test with no files runs everything it finds (benchmark helpers included): refuse instead.
if (selected.length === 0) {
  console.error(`no compiled test matches ${only.join(', ')}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=./.ci/skipped.mjs', '--test-reporter-destination=stdout', ...selected], { stdio: 'inherit' });
process.exit(result.status ?? 1);
