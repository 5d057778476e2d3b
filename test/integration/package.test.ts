// Packages the extension with vsce, as `npm run package` does (offline, --no-dependencies), from the
// bundles the build left in the checkout, and checks the .vsix itself: exactly the allow-listed
// files, self-contained bundles, a size bound, and no warning from vsce.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { REPO_ROOT } from '../helpers/corpus';
import { tempDir } from '../helpers/tempDirs';

const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));

/** Every file of the package; vsce renames README, CHANGELOG and LICENSE as the marketplace wants. */
const EXPECTED_FILES = [
  '[Content_Types].xml',
  'extension.vsixmanifest',
  'extension/LICENSE.txt',
  'extension/changelog.md',
  'extension/client/out/extension.js',
  'extension/images/icon.png',
  'extension/package.json',
  'extension/readme.md',
  'extension/server/out/cli.js',
  'extension/server/out/main.js',
  'extension/syntaxes/language-configuration.json',
  'extension/syntaxes/pip-requirements.tmLanguage.json',
];

/**
 * The bundles are about 2.9 MB unminified (about 0.56 MB zipped), 1.4 MB minified (0.43 MB zipped);
 * sources, maps, node_modules or a second copy of the server's dependencies would blow this.
 */
const MAX_VSIX_BYTES = 0.8 * 1024 * 1024;

interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
}

/** Reads the central directory of a zip file (no zip64, no multi-disk: a .vsix is neither). */
function zipEntries(zip: Buffer): ZipEntry[] {
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
  assert.ok(end >= 0, 'not a zip file: no end of central directory record');
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(offset), 0x02014b50, 'central directory header');
    const nameLength = zip.readUInt16LE(offset + 28);
    entries.push({
      method: zip.readUInt16LE(offset + 10),
      compressedSize: zip.readUInt32LE(offset + 20),
      size: zip.readUInt32LE(offset + 24),
      localHeaderOffset: zip.readUInt32LE(offset + 42),
      name: zip.toString('utf8', offset + 46, offset + 46 + nameLength),
    });
    offset += 46 + nameLength + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
  }
  return entries;
}

function zipRead(zip: Buffer, entry: ZipEntry): Buffer {
  const at = entry.localHeaderOffset;
  assert.equal(zip.readUInt32LE(at), 0x04034b50, 'local file header');
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  const contents = entry.method === 0 ? data : inflateRawSync(data);
  assert.equal(contents.length, entry.size, `${entry.name}: size`);
  return contents;
}

const work = tempDir('vsix');
const vsixPath = join(work, `${manifest.name}-${manifest.version}.vsix`);
const vsce = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--out', vsixPath], {
  cwd: REPO_ROOT,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  timeout: 120_000,
});
const output = `${vsce.stdout ?? ''}${vsce.stderr ?? ''}`;
const zip = vsce.status === 0 ? readFileSync(vsixPath) : Buffer.alloc(0);
rmSync(work, { recursive: true, force: true });

test('vsce packages the extension offline without a warning', () => {
  assert.equal(vsce.status, 0, `vsce failed (${vsce.error?.message ?? vsce.signal ?? vsce.status}):\n${output}`);
  assert.doesNotMatch(output, /WARNING|ERROR/, output);
  assert.match(output, /DONE\s+Packaged: .*\.vsix \(12 files,/);
});

test('the .vsix holds exactly the allow-listed files, under the size bound', () => {
  const names = zipEntries(zip).map((entry) => entry.name).sort();
  assert.deepEqual(names, [...EXPECTED_FILES].sort());
  assert.ok(zip.length <= MAX_VSIX_BYTES, `${zip.length} bytes > ${MAX_VSIX_BYTES}`);
});

test('the packaged manifest and vsixmanifest carry the icon, licence, repository and engine', () => {
  const entries = new Map(zipEntries(zip).map((entry) => [entry.name, entry]));
  const packaged = JSON.parse(zipRead(zip, entries.get('extension/package.json')!).toString('utf8'));
  assert.equal(packaged.name, manifest.name);
  assert.equal(packaged.version, manifest.version);
  assert.equal(packaged.icon, 'images/icon.png');
  const vsixmanifest = zipRead(zip, entries.get('extension.vsixmanifest')!).toString('utf8');
  assert.match(vsixmanifest, /Microsoft\.VisualStudio\.Services\.Icons\.Default" Path="extension\/images\/icon\.png"/);
  assert.match(vsixmanifest, /Microsoft\.VisualStudio\.Services\.Content\.License" Path="extension\/LICENSE\.txt"/);
  assert.match(vsixmanifest, /Microsoft\.VisualStudio\.Services\.Links\.Source" Value="https:\/\/github\.com\/reqguard\/reqguard/);
  assert.ok(vsixmanifest.includes(`Microsoft.VisualStudio.Code.Engine" Value="${manifest.engines.vscode}"`), 'engine');
  const icon = zipRead(zip, entries.get('extension/images/icon.png')!);
  assert.deepEqual([icon.readUInt32BE(16), icon.readUInt32BE(20)], [128, 128]);
});

test('the packaged bundles are self-contained: they require only Node built-ins (and vscode, in the client; the server bundle, in the CLI)', () => {
  const builtins = new Set(builtinModules.map((name) => name.replace(/^node:/, '')));
  const entries = new Map(zipEntries(zip).map((entry) => [entry.name, entry]));
  for (const [name, allowed] of [
    ['extension/client/out/extension.js', ['vscode']],
    ['extension/server/out/main.js', []],
    ['extension/server/out/cli.js', ['./main.js']],
  ] as const) {
    const code = zipRead(zip, entries.get(name)!).toString('utf8');
    const required = [...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    assert.ok(required.length > 0, `${name}: no require() found`);
    for (const module of new Set(required)) {
      const bare = module.replace(/^node:/, '');
      assert.ok(builtins.has(bare) || module.startsWith('node:') || (allowed as readonly string[]).includes(module), `${name} requires ${module}, which is not in the package`);
    }
  }
});

test('the CLI is a thin entry over the one server bundle, not a second copy of it: its usage, its version, and main.js for the rest', () => {
  const entries = new Map(zipEntries(zip).map((entry) => [entry.name, entry]));
  const cli = zipRead(zip, entries.get('extension/server/out/cli.js')!).toString('utf8');
  // The usage text (seven commands; target, installer and index options) is most of it (13 KB);
  // the loader of the engine through V8's code cache (cli/codeCache.ts) about 3 KB more.
  assert.ok(cli.length < 20 * 1024, `server/out/cli.js is ${cli.length} bytes`);
  assert.match(cli, /reqguard check \[--format text\|json\|sarif\]/);
  assert.match(cli, /^#!\/usr\/bin\/env node\n/);
  assert.match(cli, /require\(["']\.\/main\.js["']\)/);
});

test('npm run package builds first and writes dist/<name>-<version>.vsix', () => {
  const script: string = manifest.scripts.package;
  assert.ok(script.indexOf('npm run build') >= 0 && script.indexOf('npm run build') < script.indexOf('vsce package'), script);
  assert.match(script, /--no-dependencies --out dist\//);
  assert.ok(statSync(join(REPO_ROOT, '.gitignore')).isFile());
  assert.match(readFileSync(join(REPO_ROOT, '.gitignore'), 'utf8'), /^dist\/$/m);
});

test('requiring the server bundle, as the CLI does, starts no language server and prints nothing', () => {
  const main = join(REPO_ROOT, 'server/out/main.js');
  const probe = `const m = require(${JSON.stringify(main)}); if (typeof m.runCliProcess !== 'function') process.exit(3);`;
  const child = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
  assert.deepEqual({ status: child.status, stdout: child.stdout, stderr: child.stderr }, { status: 0, stdout: '', stderr: '' });
});
