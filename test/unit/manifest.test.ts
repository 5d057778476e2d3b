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
  for (const forbidden of ['server/src', 'client/src', 'test', '.ci', '.vscode', 'node_modules', 'out', 'dist', 'images/icon.svg']) {
    assert.ok(!allowed.some((path) => path.startsWith(forbidden)), `${forbidden} must not ship`);
  }
});

test('the manifest points only at shipped files', () => {
  const referenced = [
    manifest.main,
    manifest.bin.reqguard,
    manifest.icon,
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

test('the icon is a 128×128 PNG, with its SVG source beside it', () => {
  assert.equal(manifest.icon, 'images/icon.png');
  const png = readFileSync(join(REPO_ROOT, manifest.icon));
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.equal(png.toString('ascii', 12, 16), 'IHDR');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  assert.ok(existsSync(join(REPO_ROOT, 'images/icon.svg')), 'images/icon.svg (the source) is missing');
});

test('the marketplace fields are filled in and consistent with the repository', () => {
  for (const field of ['name', 'displayName', 'description', 'version', 'publisher', 'license']) {
    assert.ok(typeof manifest[field] === 'string' && manifest[field].length > 0, `${field} is missing`);
  }
  assert.ok(manifest.categories.length > 0 && manifest.keywords.length > 0);
  assert.ok(manifest.keywords.length <= 30, 'the marketplace accepts at most 30 keywords');
  assert.deepEqual(manifest.repository, { type: 'git', url: 'https://github.com/reqguard/reqguard' });
  assert.ok(manifest.homepage.startsWith(`${manifest.repository.url}#`) || manifest.homepage === manifest.repository.url, manifest.homepage);
  assert.equal(manifest.bugs.url, `${manifest.repository.url}/issues`);
  // The oldest VS Code supported is the one whose API the code is typed against.
  assert.equal(manifest.engines.vscode, manifest.devDependencies['@types/vscode']);
});

test('every setting has a valid scope and a description; severities too', () => {
  const scopes = ['application', 'machine', 'machine-overridable', 'window', 'resource', 'language-overridable'];
  const properties = manifest.contributes.configuration.properties;
  for (const [key, value] of Object.entries<any>(properties)) {
    assert.ok(scopes.includes(value.scope), `${key}: scope ${value.scope}`);
    assert.ok(value.description || value.markdownDescription, `${key} has no description`);
  }
  for (const [code, value] of Object.entries<any>(properties['reqguard.severity'].properties)) {
    assert.ok(value.description || value.markdownDescription, `reqguard.severity.${code} has no description`);
  }
});

test('untrusted workspaces cannot choose where reqguard connects; virtual workspaces are declared', () => {
  const { untrustedWorkspaces, virtualWorkspaces } = manifest.capabilities;
  assert.equal(untrustedWorkspaces.supported, 'limited');
  assert.ok(untrustedWorkspaces.description);
  const properties = manifest.contributes.configuration.properties;
  const restricted: string[] = untrustedWorkspaces.restrictedConfigurations;
  for (const key of restricted) assert.ok(key in properties, `${key} is restricted but not a setting`);
  // Every setting naming a URL, and every switch that decides whether or where reqguard goes online.
  const mustBeRestricted = Object.keys(properties).filter((key) => /url/i.test(key));
  mustBeRestricted.push('reqguard.index.offline', 'reqguard.index.isolated', 'reqguard.vulnerabilities.osv');
  for (const key of mustBeRestricted) assert.ok(restricted.includes(key), `${key} must be in restrictedConfigurations`);
  assert.ok(['limited', false].includes(virtualWorkspaces.supported));
  assert.ok(virtualWorkspaces.description);
});

test('commands have a category, and the README documents source.fixAll.reqguard on save', () => {
  for (const command of manifest.contributes.commands) assert.equal(command.category, 'reqguard', command.command);
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  assert.match(readme, /"editor\.codeActionsOnSave": \{ "source\.fixAll\.reqguard": "explicit" \}/);
  assert.equal(manifest.contributes.configurationDefaults?.['[pip-requirements]']?.['editor.codeActionsOnSave'], undefined, 'fix on save is opt-in');
});

test('the README quick start installs the package that npm run package writes', () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  assert.ok(readme.includes(`code --install-extension dist/${manifest.name}-${manifest.version}.vsix`), 'README names another .vsix');
  assert.match(manifest.scripts.package, /--production/);
  assert.match(manifest.scripts.package, /vsce package --no-dependencies --out dist\//);
});
