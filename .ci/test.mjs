// Runs the compiled tests under out/test with Node's test runner, one group after the other:
//   unit         out/test/unit: in-process only (no child processes, servers or sockets, no pip,
//                nginx or spawned server); under a minute.
//   integration  out/test/integration: loopback test indexes, nginx, the real pip, the spawned
//                language server and CLI.
// Usage: node .ci/test.mjs [unit] [integration] [FILTER...]
//   No group: both. A FILTER keeps the files whose path contains it; a filter that matches nothing
//   at all is refused. Every group prints node's own summary; the exit code is 1 when any failed.
// Browser/e2e suites live elsewhere and are not run here.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO = dirname(dirname(fileURLToPath(import.meta.url)));
const OUT = join(REPO, 'out', 'test');
const GROUPS = ['unit', 'integration'];

function collect(dir) {
  const found = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...collect(path));
    else if (entry.endsWith('.test.js')) found.push(path);
  }
  return found;
}

/**
 * Deletes compiled files whose TypeScript source is gone: tsc -b never does, and a stale
 * `features/x.js` beside a new `features/x/index.js` would be the one Node loads.
 */
function removeStaleOutput(dir = join(REPO, 'out')) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      removeStaleOutput(path);
      continue;
    }
    const stem = /^(.*)\.(js|js\.map|d\.ts|d\.ts\.map)$/.exec(relative(join(REPO, 'out'), path))?.[1];
    if (stem !== undefined && !existsSync(join(REPO, `${stem}.ts`))) rmSync(path);
  }
}

function testsOf(group) {
  const root = join(OUT, group);
  return existsSync(root) ? collect(root).sort() : [];
}

removeStaleOutput();
const args = process.argv.slice(2);
const groups = GROUPS.filter((group) => args.includes(group));
const filters = args.filter((arg) => !GROUPS.includes(arg));
const chosen = groups.length ? groups : GROUPS;

const runs = [];
for (const group of chosen) {
  const files = testsOf(group);
  if (files.length === 0) {
    console.error(`no compiled ${group} tests found under ${relative(REPO, join(OUT, group))}: did \`tsc -b\` run?`);
    process.exit(1);
  }
  const selected = filters.length ? files.filter((f) => filters.some((o) => relative(REPO, f).includes(o))) : files;
  runs.push({ group, selected });
}
// node --test with no files runs everything it finds (benchmark helpers included): refuse instead.
if (runs.every((run) => run.selected.length === 0)) {
  console.error(`no compiled test matches ${filters.join(', ')}`);
  process.exit(1);
}

const reporters = ['--test-reporter=spec', '--test-reporter-destination=stdout', `--test-reporter=${join(REPO, '.ci', 'skipped.mjs')}`, '--test-reporter-destination=stdout'];
let failed = false;
for (const { group, selected } of runs) {
  if (selected.length === 0) {
    console.log(`\n== ${group}: no test matches ${filters.join(', ')}`);
    continue;
  }
  console.log(`\n== ${group}: ${selected.length} test file${selected.length === 1 ? '' : 's'}\n`);
  const started = Date.now();
  // The unit group may not start processes or open sockets (.ci/unit-guard.cjs says where one did).
  const guard = group === 'unit' ? ['--require', join(REPO, '.ci', 'unit-guard.cjs')] : [];
  const result = spawnSync(process.execPath, ['--test', ...guard, ...reporters, ...selected], { stdio: 'inherit', cwd: REPO });
  const ok = result.status === 0;
  failed ||= !ok;
  console.log(`\n== ${group}: ${ok ? 'passed' : `FAILED (exit ${result.status ?? result.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
process.exit(failed ? 1 : 0);
