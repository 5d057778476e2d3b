// The extension manifest and .vscodeignore agree with what the build produces: the allow-list
// ships the bundles and the grammar, and nothing else (sources, tests, CI) can leak in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { REPO_ROOT } from '../helpers/corpus';

const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
const rules = readFileSync(join(REPO_ROOT, '.vscodeignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));
const allowed = rules.filter((rule) => rule.startsWith('!')).map((rule) => normalize(rule.slice(1)));

test('.vscodeignore excludes everything first, then re-includes single files that exist after the build', () => {
  assert.equal(rules[0], '**');
  for (const path of allowed) {
    assert.ok(!path.includes('*'), `${path}: re-include files one by one`);
    assert.ok(existsSync(join(REPO_ROOT, path)), `${path} is allowed in .vscodeignore but does not exist (run npm run build)`);
  }
  for (const forbidden of ['server/src', 'client/src', 'test', '.ci', 'node_modules', 'out']) {
    assert.ok(!allowed.some((path) => path.startsWith(forbidden)), `${forbidden} must not ship`);
  }
});

test('the manifest points only at shipped files', () => {
  const referenced = [
    manifest.main,
    manifest.bin.reqguard,
    ...manifest.contributes.grammars.map((g: { path: string }) => g.path),
    ...manifest.contributes.languages.map((l: { configuration: string }) => l.configuration),
  ].map((path: string) => normalize(path));
  for (const path of referenced) {
    assert.ok(allowed.includes(path), `${path} is referenced by package.json but not shipped`);
    assert.ok(existsSync(join(REPO_ROOT, path)), `${path} does not exist`);
  }
});

test('the bundled server never imports vscode, and the CLI starts with a shebang', () => {
  const server = readFileSync(join(REPO_ROOT, 'server/out/main.js'), 'utf8');
  assert.doesNotMatch(server, /require\(["']vscode["']\)/);
  assert.match(readFileSync(join(REPO_ROOT, 'server/out/cli.js'), 'utf8'), /^#!\/usr\/bin\/env node/);
});
