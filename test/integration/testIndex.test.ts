// The test package index (test/support/testIndex.ts): Simple API negotiation, JSON API, files,
// faults, and the proof that real pip downloads and hash-checks from it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { crc32 } from '../support/archives';
import { negotiate, startTestIndex, type IndexFixture, type TestIndex } from '../support/testIndex';
import { PIP, PYTHON3, skipWithout } from '../support/optionalProgram';
import { tempDir } from '../helpers/tempDirs';

const run = promisify(execFile);
const JSON_TYPE = 'application/vnd.pypi.simple.v1+json';
const PIP_ACCEPT = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01';

const fixture: IndexFixture = {
  projects: {
    demo: {
      versions: {
        '0.9': { yanked: 'broken <build> & "bad"', vulnerabilities: [{ id: 'PYSEC-2024-1', aliases: ['CVE-2024-0001'], summary: 'bad', fixedIn: ['1.0'] }] },
        '1.0': { requiresPython: '>=3.8', summary: 'A demo project', requiresDist: ['requests>=2; python_version < "4"'] },
      },
    },
    'Other_Project.Name': {
      versions: {
        '2.0': {
          requiresPython: '<4,>=3.7',
          files: ['sdist', { kind: 'wheel', pythonTag: 'cp311', abiTag: 'cp311', platformTag: 'manylinux_2_17_x86_64.manylinux2014_x86_64' }],
        },
      },
    },
  },
};

let index: TestIndex;
before(async () => {
  index = await startTestIndex(fixture);
});
after(async () => {
  await index.close();
});

const get = (path: string, headers: Record<string, string> = {}, init: RequestInit = {}) =>
  fetch(new URL(path, index.url), { headers, ...init });
const sha256 = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');

test('crc32 matches the standard check value', () => {
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
});

test('negotiate: q-values, wildcards, PyPI defaults', () => {
  assert.equal(negotiate(undefined), 'text/html');
  assert.equal(negotiate(PIP_ACCEPT), JSON_TYPE);
  assert.equal(negotiate('text/html;q=0.5, application/vnd.pypi.simple.v1+json;q=0.9'), JSON_TYPE);
  assert.equal(negotiate('application/vnd.pypi.simple.v1+json;q=0.2, application/vnd.pypi.simple.v1+html'), 'application/vnd.pypi.simple.v1+html');
  assert.equal(negotiate('application/vnd.pypi.simple.latest+json'), JSON_TYPE);
  assert.equal(negotiate('*/*'), 'text/html');
  assert.equal(negotiate('application/*'), 'application/vnd.pypi.simple.v1+html');
  assert.equal(negotiate('application/json'), undefined);
  assert.equal(negotiate('text/html;q=0'), undefined);
});

test('Simple API: content negotiation both ways, 406, Vary', async () => {
  const html = await get('simple/demo/');
  assert.equal(html.status, 200);
  assert.match(html.headers.get('content-type')!, /^text\/html/);
  assert.equal(html.headers.get('vary'), 'Accept');
  assert.match(await html.text(), /<a href="\/files\/demo\/demo-1\.0-py3-none-any\.whl#sha256=[0-9a-f]{64}"/);

  const json = await get('simple/demo/', { accept: PIP_ACCEPT });
  assert.equal(json.headers.get('content-type'), JSON_TYPE);
  const page = (await json.json()) as any;
  assert.equal(page.meta['api-version'], '1.1');
  assert.equal(page.name, 'demo');
  assert.deepEqual(page.versions, ['0.9', '1.0']);
  const wheel = page.files.find((f: any) => f.filename === 'demo-1.0-py3-none-any.whl');
  assert.equal(wheel['requires-python'], '>=3.8');
  assert.equal(wheel.yanked, false);
  assert.match(wheel.hashes.sha256, /^[0-9a-f]{64}$/);
  assert.equal(typeof wheel.size, 'number');
  assert.equal(wheel['upload-time'], '2024-01-01T00:00:00.000000Z');
  assert.equal(page.files.find((f: any) => f.filename === 'demo-0.9.tar.gz').yanked, 'broken <build> & "bad"');

  const vhtml = await get('simple/demo/', { accept: 'application/vnd.pypi.simple.v1+html' });
  assert.equal(vhtml.headers.get('content-type'), 'application/vnd.pypi.simple.v1+html');

  const refused = await get('simple/demo/', { accept: 'application/json' });
  assert.equal(refused.status, 406);
  assert.equal((await get('simple/', { accept: 'image/png' })).status, 406);

  const list = (await (await get('simple/', { accept: JSON_TYPE })).json()) as any;
  assert.deepEqual(list.projects.map((p: any) => p.name).sort(), ['Other_Project.Name', 'demo']);
  assert.match(await (await get('simple/')).text(), /<a href="\/simple\/other-project-name\/">Other_Project\.Name<\/a>/);
});

test('Simple API: HTML escaping of requires-python and yank reasons; core metadata attributes', async () => {
  const other = await (await get('simple/other-project-name/')).text();
  assert.ok(other.includes('data-requires-python="&lt;4,&gt;=3.7"'), other);
  assert.ok(other.includes('other_project_name-2.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl'));
  const demo = await (await get('simple/demo/')).text();
  assert.ok(demo.includes('data-yanked="broken &lt;build&gt; &amp; &quot;bad&quot;"'), demo);
  assert.match(demo, /data-core-metadata="sha256=[0-9a-f]{64}"/);
});

test('Simple API: non-normalized names redirect (301); unknown projects are 404', async () => {
  for (const path of ['simple/Other_Project.Name/', 'simple/other-project-name', 'simple/OTHER--project__name/']) {
    const res = await get(path, {}, { redirect: 'manual' });
    assert.equal(res.status, 301, path);
    assert.equal(res.headers.get('location'), '/simple/other-project-name/');
  }
  assert.equal((await get('simple/Other_Project.Name/')).status, 200); // followed
  assert.equal((await get('simple/nope/')).status, 404);
});

test('Simple API: ETag and 304 on If-None-Match, per representation', async () => {
  const first = await get('simple/demo/', { accept: JSON_TYPE });
  const etag = first.headers.get('etag')!;
  assert.match(etag, /^".+"$/);
  const again = await get('simple/demo/', { accept: JSON_TYPE, 'if-none-match': etag });
  assert.equal(again.status, 304);
  assert.equal(again.headers.get('etag'), etag);
  assert.equal((await again.arrayBuffer()).byteLength, 0);
  const otherType = await get('simple/demo/', { 'if-none-match': etag });
  assert.equal(otherType.status, 200);
  assert.notEqual(otherType.headers.get('etag'), etag);
  assert.equal((await get('simple/demo/', { accept: JSON_TYPE, 'if-none-match': `W/${etag}, "x"` })).status, 304);
});

test('PyPI JSON API: project and version routes', async () => {
  const project = (await (await get('pypi/demo/json')).json()) as any;
  assert.equal(project.info.name, 'demo');
  assert.equal(project.info.version, '1.0');
  assert.equal(project.info.summary, 'A demo project');
  assert.deepEqual(project.info.requires_dist, ['requests>=2; python_version < "4"']);
  assert.equal(project.info.requires_python, '>=3.8');
  assert.equal(project.info.yanked, false);
  assert.deepEqual(Object.keys(project.releases), ['0.9', '1.0']);
  assert.deepEqual(project.urls.map((u: any) => u.packagetype).sort(), ['bdist_wheel', 'sdist']);
  const wheel = project.urls.find((u: any) => u.packagetype === 'bdist_wheel');
  assert.equal(wheel.python_version, 'py3');
  assert.equal(wheel.upload_time_iso_8601, '2024-01-01T00:00:00.000000Z');
  assert.equal(wheel.yanked, false);
  const served = Buffer.from(await (await fetch(wheel.url)).arrayBuffer());
  assert.equal(wheel.digests.sha256, sha256(served));
  assert.equal(wheel.size, served.length);

  const old = (await (await get('pypi/demo/0.9/json')).json()) as any;
  assert.equal(old.info.version, '0.9');
  assert.equal(old.info.yanked, true);
  assert.equal(old.info.yanked_reason, 'broken <build> & "bad"');
  assert.equal(old.releases, undefined);
  assert.equal(old.urls[0].yanked, true);
  assert.deepEqual(old.vulnerabilities[0].aliases, ['CVE-2024-0001']);
  assert.deepEqual(old.vulnerabilities[0].fixed_in, ['1.0']);
  assert.equal(old.vulnerabilities[0].withdrawn, null);

  assert.equal((await get('pypi/Other_Project.Name/json')).status, 200);
  assert.equal((await get('pypi/demo/3.0/json')).status, 404);
  assert.equal((await get('pypi/nope/json')).status, 404);
});

test('files: hashes are the sha256 of the served bytes and match both Simple API forms; metadata too', async () => {
  for (const name of ['demo', 'other-project-name']) {
    const page = (await (await get(`simple/${name}/`, { accept: JSON_TYPE })).json()) as any;
    const html = await (await get(`simple/${name}/`)).text();
    for (const f of page.files) {
      const res = await get(f.url);
      assert.equal(res.status, 200);
      const body = Buffer.from(await res.arrayBuffer());
      assert.equal(sha256(body), f.hashes.sha256, f.filename);
      assert.equal(body.length, f.size);
      assert.ok(html.includes(`${f.url}#sha256=${f.hashes.sha256}`), f.filename);
      const meta = Buffer.from(await (await get(f.url + '.metadata')).arrayBuffer());
      assert.equal(sha256(meta), f['core-metadata'].sha256);
      assert.match(meta.toString(), /^Metadata-Version: 2\.1\nName: /);
      // Deterministic: a second index serves the same bytes.
      assert.equal(index.file(f.filename)!.sha256, f.hashes.sha256);
    }
  }
  const second = await startTestIndex(fixture);
  try {
    assert.equal(second.file('demo-1.0-py3-none-any.whl')!.sha256, index.file('demo-1.0-py3-none-any.whl')!.sha256);
    assert.equal(second.file('demo-1.0.tar.gz')!.sha256, index.file('demo-1.0.tar.gz')!.sha256);
  } finally {
    await second.close();
  }
});

test('archives are valid for Python: zip with a correct RECORD, tar.gz with PKG-INFO', { skip: skipWithout(PYTHON3) }, async () => {
  const dir = tempDir('idx');
  try {
    const whl = join(dir, 'demo-1.0-py3-none-any.whl');
    const sdist = join(dir, 'demo-1.0.tar.gz');
    writeFileSync(whl, index.file('demo-1.0-py3-none-any.whl')!.body);
    writeFileSync(sdist, index.file('demo-1.0.tar.gz')!.body);
    const script = `
import base64, hashlib, sys, tarfile, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
rec = z.read('demo-1.0.dist-info/RECORD').decode()
for line in rec.splitlines():
    path, h, size = line.rsplit(',', 2)
    if not h: continue
    data = z.read(path)
    assert h == 'sha256=' + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode(), path
    assert int(size) == len(data), path
t = tarfile.open(sys.argv[2])
names = t.getnames()
assert 'demo-1.0/PKG-INFO' in names and 'demo-1.0/pyproject.toml' in names, names
print(t.extractfile('demo-1.0/PKG-INFO').read().decode().splitlines()[1])
`;
    const { stdout } = await run('python3', ['-c', script, whl, sdist]);
    assert.equal(stdout.trim(), 'Name: demo');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function rawGet(path: string, headers: Record<string, string> = {}): Promise<{ status?: number; error?: string; body: Buffer }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const req = request(new URL(path, index.url), { headers }, (res) => {
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
      res.on('error', (e) => resolve({ status: res.statusCode, error: e.message, body: Buffer.concat(chunks) }));
      res.on('aborted', () => resolve({ status: res.statusCode, error: 'aborted', body: Buffer.concat(chunks) }));
    });
    req.on('error', (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message, body: Buffer.concat(chunks) }));
    req.end();
  });
}

test('files: single HTTP ranges (206, 416, suffix, open-ended), the whole file for others, and the switch that ignores Range', async () => {
  const name = 'demo-1.0-py3-none-any.whl';
  const body = index.file(name)!.body;
  const path = `files/demo/${name}`;
  const range = async (value: string) => {
    const res = await get(path, { range: value });
    return { status: res.status, contentRange: res.headers.get('content-range'), body: Buffer.from(await res.arrayBuffer()) };
  };
  const size = body.length;
  assert.deepEqual(await range('bytes=0-9'), { status: 206, contentRange: `bytes 0-9/${size}`, body: body.subarray(0, 10) });
  assert.deepEqual(await range('bytes=-100'), { status: 206, contentRange: `bytes ${size - 100}-${size - 1}/${size}`, body: body.subarray(size - 100) });
  assert.deepEqual(await range(`bytes=${size - 5}-`), { status: 206, contentRange: `bytes ${size - 5}-${size - 1}/${size}`, body: body.subarray(size - 5) });
  assert.deepEqual(await range(`bytes=-${size * 2}`), { status: 206, contentRange: `bytes 0-${size - 1}/${size}`, body }, 'a suffix longer than the file: all of it');
  assert.equal((await range(`bytes=${size}-`)).status, 416);
  assert.equal((await range(`bytes=${size}-`)).contentRange, `bytes */${size}`);
  assert.deepEqual(await range('bytes=0-1,5-6'), { status: 200, contentRange: null, body }, 'several ranges: the whole file');
  assert.equal((await get(path)).headers.get('accept-ranges'), 'bytes');
  assert.equal(index.requests.at(-1)?.bytes, size, 'the log records the bytes sent');
  index.configure({ ranges: false });
  try {
    assert.deepEqual(await range('bytes=0-9'), { status: 200, contentRange: null, body });
    assert.equal((await get(path)).headers.get('accept-ranges'), null);
  } finally {
    index.configure({ ranges: true });
  }
});

test('switches: no PEP 658 attributes or files, and requires_dist null in the JSON API', async () => {
  index.configure({ coreMetadata: false, jsonRequiresDist: false });
  try {
    const html = await (await get('simple/demo/', { accept: 'text/html' })).text();
    assert.doesNotMatch(html, /data-core-metadata|data-dist-info-metadata/);
    const json = (await (await get('simple/demo/', { accept: JSON_TYPE })).json()) as { files: Record<string, unknown>[] };
    assert.ok(json.files.every((f) => !('core-metadata' in f) && !('dist-info-metadata' in f)));
    assert.equal((await get('files/demo/demo-1.0-py3-none-any.whl.metadata')).status, 404);
    const api = (await (await get('pypi/demo/1.0/json')).json()) as { info: { requires_dist: unknown } };
    assert.equal(api.info.requires_dist, null);
  } finally {
    index.configure({ coreMetadata: true, jsonRequiresDist: true });
  }
  const api = (await (await get('pypi/demo/1.0/json')).json()) as { info: { requires_dist: unknown } };
  assert.deepEqual(api.info.requires_dist, ['requests>=2; python_version < "4"']);
});

test('metadataVersion and dynamic: Metadata-Version and Dynamic lines in METADATA and PKG-INFO; by default the bytes of before', async () => {
  const fixed = await startTestIndex({ projects: { p: { versions: { '1.0': { metadataVersion: '2.2', dynamic: ['Requires-Dist'], requiresDist: ['x'] }, '2.0': {} } } } });
  try {
    const [wheel, sdist] = ['p-1.0-py3-none-any.whl', 'p-1.0.tar.gz'].map((n) => fixed.file(n)!);
    assert.equal(wheel.metadata.toString(), 'Metadata-Version: 2.2\nName: p\nVersion: 1.0\nDynamic: Requires-Dist\nRequires-Dist: x\n\n');
    assert.deepEqual(sdist.metadata, wheel.metadata);
    assert.equal(fixed.file('p-2.0-py3-none-any.whl')!.metadata.toString(), 'Metadata-Version: 2.1\nName: p\nVersion: 2.0\n\n');
  } finally {
    await fixed.close();
  }
});

test('faults: status codes, Retry-After, latency, and the request log', async () => {
  for (const status of [404, 401, 429, 500, 503]) {
    index.setFault('simple-project', { kind: 'status', status });
    const res = await get('simple/demo/');
    assert.equal(res.status, status);
    if (status === 429) assert.equal(res.headers.get('retry-after'), '1');
  }
  index.setFault('simple-project', { kind: 'status', status: 429, retryAfter: '7' });
  assert.equal((await get('simple/demo/')).headers.get('retry-after'), '7');
  index.setFault('simple-project', undefined);
  assert.equal((await get('simple/demo/')).status, 200);

  index.setFault('json', { kind: 'latency', ms: 150 });
  const start = Date.now();
  assert.equal((await get('pypi/demo/json')).status, 200);
  assert.ok(Date.now() - start >= 140);
  index.setFault('json', undefined);

  const before = index.requests.filter((r) => r.route === 'simple-index').length;
  await get('simple/', { 'x-probe': 'yes' });
  const recorded = index.requests.filter((r) => r.route === 'simple-index');
  assert.equal(recorded.length, before + 1);
  assert.equal(recorded[recorded.length - 1].headers['x-probe'], 'yes');
  assert.equal(recorded[recorded.length - 1].method, 'GET');
});

test('faults: timeout, reset, truncated body', async () => {
  index.setFault('simple-index', { kind: 'timeout' });
  await assert.rejects(get('simple/', {}, { signal: AbortSignal.timeout(200) }), /abort|timeout/i);
  index.setFault('simple-index', { kind: 'reset' });
  const reset = await rawGet('simple/');
  assert.equal(reset.status, undefined);
  assert.ok(reset.error, 'socket reset must surface as an error');
  await assert.rejects(get('simple/'));
  index.setFault('simple-index', undefined);

  index.setFault('files', { kind: 'truncated' });
  const truncated = await rawGet('files/demo/demo-1.0-py3-none-any.whl');
  assert.equal(truncated.status, 200);
  assert.ok(truncated.error, 'a truncated body must surface as an error');
  assert.ok(truncated.body.length < index.file('demo-1.0-py3-none-any.whl')!.body.length);
  await assert.rejects(get('files/demo/demo-1.0-py3-none-any.whl').then((r) => r.arrayBuffer()));
  index.setFault('files', undefined);
});

test('faults: malformed body, wrong content type, huge body', async () => {
  index.setFault('simple-project', { kind: 'malformed' });
  const bad = await get('simple/demo/', { accept: JSON_TYPE });
  assert.equal(bad.headers.get('content-type'), JSON_TYPE);
  await assert.rejects(bad.json());
  index.setFault('simple-project', { kind: 'wrong-content-type' });
  assert.equal((await get('simple/demo/', { accept: JSON_TYPE })).headers.get('content-type'), 'text/plain');
  index.setFault('simple-project', undefined);

  index.setFault('metadata', { kind: 'huge', bytes: 5_000_000 });
  const huge = await get('files/demo/demo-1.0-py3-none-any.whl.metadata');
  assert.equal((await huge.arrayBuffer()).byteLength, 5_000_000);
  // Files themselves are unaffected by a metadata fault.
  assert.equal((await get('files/demo/demo-1.0-py3-none-any.whl')).status, 200);
  index.setFault('metadata', undefined);
});

test('faults: gzip bodies cut off or dripping, and a body of the test\'s choosing', async () => {
  index.setFault('simple-project', { kind: 'gzip-truncated' });
  const cut = await rawGet('simple/demo/');
  assert.equal(cut.status, 200);
  assert.ok(cut.error, 'the cut must surface as an error');
  assert.ok(cut.body.length > 0);
  assert.throws(() => gunzipSync(cut.body), 'half a gzip stream');

  index.setFault('simple-project', { kind: 'gzip-drip', intervalMs: 1 });
  const started = Date.now();
  const dripped = await rawGet('simple/demo/');
  assert.equal(dripped.status, 200);
  assert.match(gunzipSync(dripped.body).toString(), /demo-1\.0/, 'every byte arrives, one at a time');
  assert.ok(Date.now() - started >= dripped.body.length, 'no faster than one byte per interval');

  index.setFault('simple-project', { kind: 'body', body: '<a href=x>' });
  const replaced = await get('simple/demo/');
  assert.equal(replaced.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(await replaced.text(), '<a href=x>');
  index.setFault('simple-project', undefined);
});

test('faults: redirect loop, redirect to another host, path-prefix routes', async () => {
  index.setFault('/pypi/demo/', { kind: 'redirect-loop' });
  await assert.rejects(get('pypi/demo/json'), (e: any) => /redirect/i.test(String(e.cause?.message ?? e.message)));
  assert.equal((await get('pypi/other-project-name/json')).status, 200); // other prefix untouched
  index.setFault('/pypi/demo/', undefined);

  index.setFault('simple-project', { kind: 'redirect-other-host' });
  const manual = await get('simple/demo/', {}, { redirect: 'manual' });
  assert.equal(manual.status, 302);
  const location = manual.headers.get('location')!;
  assert.equal(new URL(location).hostname, 'localhost');
  const followed = await get('simple/demo/');
  assert.equal(followed.status, 200);
  assert.equal(new URL(followed.url).hostname, 'localhost');
  index.setFault('simple-project', undefined);
});

const pipEnv = () => ({ ...process.env, NO_PROXY: '*', no_proxy: '*', PIP_NO_INPUT: '1' });
const pipBase = ['-m', 'pip', '--isolated', '--no-cache-dir', '--disable-pip-version-check'];

test('real pip downloads a wheel from the index', { timeout: 120_000, skip: skipWithout(PIP) }, async () => {
  const dir = tempDir('pip');
  try {
    await run('python3', [...pipBase, 'download', '--no-deps', '--only-binary', ':all:', '--index-url', index.simpleUrl, '-d', dir, 'demo==1.0'], {
      env: pipEnv(),
    });
    const files = readdirSync(dir);
    assert.deepEqual(files, ['demo-1.0-py3-none-any.whl']);
    const pipPage = index.requests.find((r) => r.path === '/simple/demo/' && /pip\//.test(String(r.headers['user-agent'])));
    assert.ok(pipPage, 'pip asked the index for the project page');
    assert.match(String(pipPage.headers.accept), /application\/vnd\.pypi\.simple\.v1\+json/);
    assert.equal(sha256(readFileSync(join(dir, files[0]))), index.file('demo-1.0-py3-none-any.whl')!.sha256);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('real pip installs (dry run) in hash-checking mode with the served hash', { timeout: 120_000, skip: skipWithout(PIP) }, async () => {
  const dir = tempDir('pip');
  try {
    const reqs = join(dir, 'requirements.txt');
    writeFileSync(reqs, `demo==1.0 --hash=sha256:${index.file('demo-1.0-py3-none-any.whl')!.sha256}\n`);
    const { stdout } = await run('python3', [...pipBase, 'install', '--dry-run', '--no-deps', '--index-url', index.simpleUrl, '--require-hashes', '-r', reqs], {
      env: pipEnv(),
    });
    assert.match(stdout, /Would install demo-1\.0/);

    // A wrong hash must make pip refuse.
    writeFileSync(reqs, `demo==1.0 --hash=sha256:${'0'.repeat(64)}\n`);
    await assert.rejects(
      run('python3', [...pipBase, 'install', '--dry-run', '--no-deps', '--index-url', index.simpleUrl, '--require-hashes', '-r', reqs], { env: pipEnv() }),
      (e: any) => /HASHES|hash/i.test(String(e.stderr)),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('real pip installs the wheel (hash-checked) into a target directory, and Python imports it', { timeout: 120_000, skip: skipWithout(PIP) }, async () => {
  const dir = tempDir('pip');
  try {
    const reqs = join(dir, 'requirements.txt');
    const target = join(dir, 'target');
    writeFileSync(reqs, `demo==1.0 --hash=sha256:${index.file('demo-1.0-py3-none-any.whl')!.sha256}\n`);
    await run('python3', [...pipBase, 'install', '--no-deps', '--only-binary', ':all:', '--target', target, '--index-url', index.simpleUrl, '--require-hashes', '-r', reqs], {
      env: pipEnv(),
    });
    const { stdout } = await run('python3', ['-c', 'import demo, importlib.metadata as m; print(demo.__version__, m.version("demo"), m.metadata("demo")["Summary"])'], {
      env: { ...pipEnv(), PYTHONPATH: target },
    });
    assert.equal(stdout.trim(), '1.0 1.0 A demo project');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
