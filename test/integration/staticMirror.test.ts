// Static index trees (test/support/staticMirror.ts) served by a real nginx and read as file://:
// the HTML is well-formed and escaped per PEP 503, and the real pip downloads and hash-checks
// from all three forms (http static mirror, file:// index, --find-links folder).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { startNginx, type Nginx } from '../support/nginx';
import { writeFindLinksDir, writeStaticMirror } from '../support/staticMirror';
import type { BuiltFile, IndexFixture } from '../support/testIndex';
import { NGINX, PIP, PYTHON3, skipWithout } from '../support/optionalProgram';
import { openIndex } from '../../server/src/index/packageIndex';
import { selection, testClient } from '../support/indexClient';
import { tempDir } from '../helpers/tempDirs';

const run = promisify(execFile);
const REASON = 'broken <build> & "bad"';

const fixture: IndexFixture = {
  projects: {
    Demo_Pkg: {
      versions: {
        '0.9': { yanked: REASON, files: ['wheel'] },
        '0.8': { yanked: true, files: ['wheel'] },
        '1.0': { requiresPython: '>=3.8', summary: 'A demo project' },
      },
    },
    other: { versions: { '2.0': { files: ['sdist'] } } },
  },
};

let work: string;
let root: string;
let wheelhouse: string;
let files: BuiltFile[];
let nginx: Nginx;
before(async () => {
  work = tempDir('static');
  root = join(work, 'mirror');
  wheelhouse = join(work, 'wheelhouse');
  files = writeStaticMirror(fixture, root).files;
  writeFindLinksDir(fixture, wheelhouse);
  // Without nginx (and CI unset) the tests that need it are skipped; the others still run.
  if (!skipWithout(NGINX)) nginx = await startNginx(root);
});
after(async () => {
  await nginx?.close();
  rmSync(work, { recursive: true, force: true });
});

const sha256 = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');
const file = (name: string) => files.find((f) => f.filename === name)!;
const WHEEL = 'demo_pkg-1.0-py3-none-any.whl';

test('writes the PEP 503 tree: escaped attributes, relative hrefs, metadata siblings', () => {
  assert.deepEqual(readdirSync(join(root, 'simple')).sort(), ['demo-pkg', 'index.html', 'other']);
  const index = readFileSync(join(root, 'simple', 'index.html'), 'utf8');
  assert.match(index, /<a href="demo-pkg\/">Demo_Pkg<\/a>/);
  assert.match(index, /<a href="other\/">other<\/a>/);

  const html = readFileSync(join(root, 'simple', 'demo-pkg', 'index.html'), 'utf8');
  const wheel = file(WHEEL);
  assert.ok(
    html.includes(
      `<a href="../../packages/${WHEEL}#sha256=${wheel.sha256}" data-requires-python="&gt;=3.8" ` +
        `data-dist-info-metadata="sha256=${wheel.metadataSha256}" data-core-metadata="sha256=${wheel.metadataSha256}">${WHEEL}</a>`,
    ),
    html,
  );
  assert.ok(html.includes('data-yanked="broken &lt;build&gt; &amp; &quot;bad&quot;"'), html);
  assert.ok(html.includes('data-yanked=""'), 'yanked without a reason: empty value');
  // The sdist: requires-python, no metadata announcement; versions without a yank: no data-yanked.
  assert.match(html, /<a href="\.\.\/\.\.\/packages\/demo_pkg-1\.0\.tar\.gz#sha256=[0-9a-f]{64}" data-requires-python="&gt;=3\.8">/);
  assert.equal((html.match(/data-yanked=/g) ?? []).length, 2);
  const other = readFileSync(join(root, 'simple', 'other', 'index.html'), 'utf8');
  assert.doesNotMatch(other, /data-requires-python|data-yanked|data-core-metadata/);

  for (const f of files) assert.deepEqual(readFileSync(join(root, 'packages', f.filename)), f.body);
  assert.deepEqual(readFileSync(join(root, 'packages', `${WHEEL}.metadata`)), wheel.metadata);
  assert.deepEqual(readdirSync(wheelhouse).sort(), files.map((f) => f.filename).sort());
});

test('the pages parse as XML and attribute values decode back to the fixture', { skip: skipWithout(PYTHON3) }, async () => {
  // An XML parser is stricter than any HTML one: if it accepts the page, every tag is closed
  // and every attribute quoted; it also decodes the entities, proving the escaping round-trips.
  const script = `
import json, sys, xml.etree.ElementTree as ET
out = {}
for path in sys.argv[1:]:
    out[path] = [dict(a.attrib, text=a.text) for a in ET.parse(path).getroot().iter('a')]
print(json.dumps(out))
`;
  const pages = ['index.html', 'demo-pkg/index.html', 'other/index.html'].map((p) => join(root, 'simple', p));
  const { stdout } = await run('python3', ['-c', script, ...pages]);
  const parsed = JSON.parse(stdout) as Record<string, Record<string, string>[]>;
  assert.deepEqual(
    parsed[pages[0]].map((a) => [a.href, a.text]),
    [['demo-pkg/', 'Demo_Pkg'], ['other/', 'other']],
  );
  const anchors = parsed[pages[1]];
  assert.equal(anchors.length, 4);
  const yanked = anchors.find((a) => a.text === 'demo_pkg-0.9-py3-none-any.whl')!;
  assert.equal(yanked['data-yanked'], REASON);
  assert.equal(anchors.find((a) => a.text === WHEEL)!['data-requires-python'], '>=3.8');
  assert.equal(parsed[pages[2]].length, 1);
});

test('hashFragments: false and packagesPrefix change only the hrefs', () => {
  const alt = join(work, 'alt');
  writeStaticMirror(fixture, alt, { hashFragments: false, packagesPrefix: '/pkgs/' });
  const html = readFileSync(join(alt, 'simple', 'demo-pkg', 'index.html'), 'utf8');
  assert.ok(html.includes(`<a href="/pkgs/${WHEEL}" data-requires-python`), html);
  assert.doesNotMatch(html, /#sha256=/);
  assert.ok(readdirSync(join(alt, 'packages')).includes(WHEEL), 'files still go to packages/');
});

test('nginx serves the tree: directory index as text/html, bytes matching the fragment', { skip: skipWithout(NGINX) }, async () => {
  const pageRes = await fetch(new URL('simple/demo-pkg/', nginx.url));
  assert.equal(pageRes.status, 200);
  assert.match(pageRes.headers.get('content-type')!, /^text\/html\b/);
  assert.ok(pageRes.headers.get('etag'), 'nginx sends an ETag');
  assert.ok(pageRes.headers.get('last-modified'), 'nginx sends Last-Modified');
  const html = await pageRes.text();
  assert.equal(html, readFileSync(join(root, 'simple', 'demo-pkg', 'index.html'), 'utf8'));

  // Resolve every href against the page URL, as a client must.
  const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
  assert.equal(hrefs.length, 4);
  for (const href of hrefs) {
    const url = new URL(href, pageRes.url);
    const res = await fetch(url);
    assert.equal(res.status, 200, url.href);
    assert.equal(res.headers.get('content-type'), 'application/octet-stream');
    assert.equal(sha256(Buffer.from(await res.arrayBuffer())), url.hash.slice('#sha256='.length), url.href);
  }
  const meta = await fetch(new URL(`packages/${WHEEL}.metadata`, nginx.url));
  assert.equal(sha256(Buffer.from(await meta.arrayBuffer())), file(WHEEL).metadataSha256);

  // A conditional request with the ETag: 304, as a caching client expects.
  const etag = pageRes.headers.get('etag')!;
  assert.equal((await fetch(new URL('simple/demo-pkg/', nginx.url), { headers: { 'if-none-match': etag } })).status, 304);
  // Without the trailing slash nginx redirects to the directory (301, absolute Location).
  const bare = await fetch(new URL('simple/demo-pkg', nginx.url), { redirect: 'manual' });
  assert.equal(bare.status, 301);
  assert.equal(bare.headers.get('location'), new URL('simple/demo-pkg/', nginx.url).href);
  assert.equal((await fetch(new URL('simple/nope/', nginx.url))).status, 404);
});

test("reqguard reads a wheel's metadata from nginx: the PEP 658 sibling, else by range requests", { skip: skipWithout(NGINX) }, async () => {
  const sibling = join(root, 'packages', `${WHEEL}.metadata`);
  const client = testClient({ noStore: true });
  try {
    const view = openIndex(client.client, selection([`${nginx.url}simple/`]));
    const page = await view.project('demo-pkg');
    assert.ok(page.ok, JSON.stringify(page));
    const wheel = page.value.files.find((f) => f.filename === WHEEL)!;
    const viaSibling = await view.metadata(wheel);
    assert.ok(viaSibling.ok && viaSibling.value.source === 'core-metadata', JSON.stringify(viaSibling));
    renameSync(sibling, `${sibling}.gone`);
    client.client.clearMemory();
    // No sibling (404), no JSON API (404): nginx answers the range requests into the wheel.
    const viaRanges = await view.metadata(wheel);
    assert.ok(viaRanges.ok && viaRanges.value.source === 'range-request', JSON.stringify(viaRanges));
    assert.deepEqual(viaRanges.value.metadata, viaSibling.value.metadata);
    assert.match(await nginx.settledLog(), new RegExp(`GET /packages/${WHEEL.replace(/\./g, '\\.')} [^"]*" 206 `));
  } finally {
    if (existsSync(`${sibling}.gone`)) renameSync(`${sibling}.gone`, sibling);
    await client.close();
  }
});

// pip must see only what the test passes: no user/site config, no PIP_* variables, no proxy.
function pipEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^PIP_/i.test(k)));
  return { ...env, PIP_CONFIG_FILE: '/dev/null', NO_PROXY: '*', no_proxy: '*' };
}
const pipBase = ['-m', 'pip', '--isolated', '--no-cache-dir', '--disable-pip-version-check', '--no-input'];

async function pipDownload(source: string[], requirement: string, extra: string[] = []) {
  const dir = mkdtempSync(join(work, 'pip-'));
  const reqs = join(dir, 'requirements.txt');
  writeFileSync(reqs, requirement + '\n');
  const out = join(dir, 'out');
  try {
    const { stderr } = await run('python3', [...pipBase, 'download', '--no-deps', ...extra, '-r', reqs, ...source, '-d', out], { env: pipEnv() });
    return { files: readdirSync(out), stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const pinned = (hash: string) => `demo-pkg==1.0 --hash=sha256:${hash}`;

test('real pip downloads hash-checked from the nginx mirror, and refuses a wrong hash', { timeout: 120_000, skip: skipWithout(NGINX, PIP) }, async () => {
  const source = ['--index-url', `${nginx.url}simple/`];
  const ok = await pipDownload(source, pinned(file(WHEEL).sha256), ['--require-hashes']);
  assert.deepEqual(ok.files, [WHEEL]);
  await assert.rejects(pipDownload(source, pinned('0'.repeat(64)), ['--require-hashes']), (e: any) => /HASHES|hash/i.test(String(e.stderr)));
  // pip read the PEP 658 announcement and fetched the metadata sibling first.
  assert.match(await nginx.settledLog(), new RegExp(`GET /packages/${WHEEL.replace(/\./g, '\\.')}\\.metadata `));
});

test('real pip decodes the escaped attributes: yank reason and requires-python', { timeout: 120_000, skip: skipWithout(NGINX, PIP) }, async () => {
  const source = ['--index-url', `${nginx.url}simple/`];
  const yanked = await pipDownload(source, 'demo-pkg==0.9');
  assert.deepEqual(yanked.files, ['demo_pkg-0.9-py3-none-any.whl']);
  assert.ok(yanked.stderr.includes(`Reason for being yanked: ${REASON}`), yanked.stderr);
  await assert.rejects(
    pipDownload(source, 'demo-pkg==1.0', ['--only-binary', ':all:', '--python-version', '3.7']),
    (e: any) => /Requires-Python >=3\.8/.test(String(e.stderr)),
  );
});

test('real pip downloads hash-checked from a file:// index and a --find-links folder', { timeout: 120_000, skip: skipWithout(PIP) }, async () => {
  const fileIndex = pathToFileURL(join(root, 'simple')).href + '/';
  for (const source of [['--index-url', fileIndex], ['--no-index', '--find-links', wheelhouse]]) {
    const ok = await pipDownload(source, pinned(file(WHEEL).sha256), ['--require-hashes']);
    assert.deepEqual(ok.files, [WHEEL], source.join(' '));
    await assert.rejects(pipDownload(source, pinned('0'.repeat(64)), ['--require-hashes']), (e: any) => /HASHES|hash/i.test(String(e.stderr)));
  }
});
