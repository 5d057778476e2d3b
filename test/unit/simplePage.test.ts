// Simple API project pages (PEP 503 HTML, PEP 691 JSON) into the index model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unescapeHtml } from '../../server/src/index/htmlTags';
import { describeLink } from '../../server/src/parser/links';
import { classifyFilename, MAX_LINKS_PER_PAGE, parseProjectList, parseSimpleHtml, parseSimpleJson } from '../../server/src/index/simplePage';
import { LinkResolver } from '../../server/src/index/urls';

const PAGE = 'https://index.example/simple/foo-bar/';
const SHA = 'a'.repeat(64);

test('PEP 691 JSON: files with hashes, yanking, core metadata, PEP 700 fields; relative URLs resolved', () => {
  const body = JSON.stringify({
    meta: { 'api-version': '1.1', '_last-serial': 42 },
    name: 'foo-bar',
    versions: ['0.9', '1.0', '2.0rc1'],
    files: [
      { filename: 'foo_bar-1.0-py3-none-any.whl', url: '../../files/foo_bar-1.0-py3-none-any.whl', hashes: { sha256: SHA.toUpperCase() },
        'requires-python': '>=3.8', 'core-metadata': { sha256: 'b'.repeat(64) }, size: 1234, 'upload-time': '2024-01-02T03:04:05.000000Z', yanked: false },
      { filename: 'foo-bar-1.0.tar.gz', url: 'https://files.example/foo-bar-1.0.tar.gz#sha256=' + 'c'.repeat(64), hashes: {}, yanked: 'broken build',
        'dist-info-metadata': true },
      { filename: 'Foo.Bar-2.0rc1.zip', url: '/f/Foo.Bar-2.0rc1.zip', hashes: {}, yanked: true },
      { filename: 'notes.txt', url: '/f/notes.txt', hashes: {} },
      { bogus: true },
    ],
  });
  const result = parseSimpleJson(body, PAGE, 'foo-bar');
  assert.ok(result.ok);
  const { page } = result;
  assert.equal(page.format, 'json');
  assert.equal(page.apiVersion, '1.1');
  assert.equal(page.lastSerial, 42);
  assert.equal(page.files.length, 4);
  const [wheel, sdist, zip, other] = page.files;
  assert.equal(wheel.url, 'https://index.example/files/foo_bar-1.0-py3-none-any.whl');
  assert.deepEqual(wheel.hashes, { sha256: SHA });
  assert.equal(wheel.kind, 'wheel');
  assert.equal(wheel.version, '1.0');
  assert.equal(wheel.requiresPython, '>=3.8');
  assert.deepEqual(wheel.coreMetadata, { hashes: { sha256: 'b'.repeat(64) } });
  assert.equal(wheel.size, 1234);
  assert.equal(wheel.yanked, false);
  assert.equal(sdist.url, 'https://files.example/foo-bar-1.0.tar.gz');
  assert.deepEqual(sdist.hashes, { sha256: 'c'.repeat(64) }, 'a #sha256= fragment counts when hashes is empty');
  assert.equal(sdist.yanked, true);
  assert.equal(sdist.yankedReason, 'broken build');
  assert.deepEqual(sdist.coreMetadata, { hashes: {} });
  assert.equal(zip.kind, 'sdist');
  assert.equal(zip.version, '2.0rc1');
  assert.equal(zip.yanked, true);
  assert.equal(zip.yankedReason, undefined);
  assert.equal(other.kind, 'other');
  assert.deepEqual([...page.versions].sort(), ['0.9', '1.0', '2.0rc1']);
});

test('PEP 691 JSON: malformed bodies are results, not exceptions', () => {
  const bad = parseSimpleJson('{"files": [', PAGE, 'foo-bar');
  assert.equal(bad.ok, false);
  assert.equal(parseSimpleJson('{"name": "x"}', PAGE, 'foo-bar').ok, false);
  assert.equal(parseSimpleJson('[]', PAGE, 'foo-bar').ok, false);
});

test('PEP 503 HTML: anchors, fragments, escaped requires-python, yanked with and without reason, core metadata', () => {
  const body = `<!DOCTYPE html><html><head><meta name="pypi:repository-version" content="1.0"><title>Links for foo-bar</title></head><body>
<h1>Links for foo-bar</h1>
<a href="../../files/foo_bar-1.0-py3-none-any.whl#sha256=${SHA}" data-requires-python="&gt;=3.8,&lt;4" data-core-metadata="sha256=${'d'.repeat(64)}">foo_bar-1.0-py3-none-any.whl</a><br/>
<a href='https://files.example/foo-bar-0.9.tar.gz#md5=0123' data-yanked="">foo-bar-0.9.tar.gz</a>
<A HREF="/f/foo_bar-0.8-py2.py3-none-any.whl" data-yanked="CVE &amp; bad metadata" data-dist-info-metadata="true">foo_bar-0.8-py2.py3-none-any.whl</A>
</body></html>`;
  const result = parseSimpleHtml(body, PAGE, 'foo-bar');
  assert.ok(result.ok);
  const { page } = result;
  assert.equal(page.format, 'html');
  assert.equal(page.apiVersion, '1.0');
  assert.equal(page.files.length, 3);
  const [a, b, c] = page.files;
  assert.equal(a.url, 'https://index.example/files/foo_bar-1.0-py3-none-any.whl');
  assert.deepEqual(a.hashes, { sha256: SHA });
  assert.equal(a.requiresPython, '>=3.8,<4');
  assert.deepEqual(a.coreMetadata, { hashes: { sha256: 'd'.repeat(64) } });
  assert.equal(a.yanked, false);
  assert.deepEqual(b.hashes, { md5: '0123' });
  assert.equal(b.yanked, true);
  assert.equal(b.yankedReason, undefined);
  assert.equal(b.version, '0.9');
  assert.equal(c.url, 'https://index.example/f/foo_bar-0.8-py2.py3-none-any.whl');
  assert.equal(c.yankedReason, 'CVE & bad metadata');
  assert.deepEqual(c.coreMetadata, { hashes: {} });
  assert.deepEqual([...page.versions].sort(), ['0.8', '0.9', '1.0']);
});

test('PEP 503 HTML: a <base href> changes how relative links resolve', () => {
  const body = '<html><head><base href="https://mirror.example/packages/"></head><body><a href="foo-bar-1.0.tar.gz">foo-bar-1.0.tar.gz</a></body></html>';
  const result = parseSimpleHtml(body, PAGE, 'foo-bar');
  assert.ok(result.ok);
  assert.equal(result.page.files[0].url, 'https://mirror.example/packages/foo-bar-1.0.tar.gz');
});

test('PEP 503 HTML: links and <base> inside comments are not files, as in pip (html.parser); an unterminated comment hides the rest', () => {
  const body = `<html><head><!-- <base href="https://elsewhere.example/"> --></head><body>
<!-- old release, removed: <a href="/f/foo-bar-0.1.tar.gz">foo-bar-0.1.tar.gz</a> -->
<a href="/f/foo-bar-1.0.tar.gz">foo-bar-1.0.tar.gz</a><!----><a href="/f/foo-bar-1.1.tar.gz">foo-bar-1.1.tar.gz</a>
<!--> <a href="/f/foo-bar-0.2.tar.gz">foo-bar-0.2.tar.gz</a> -->
<!-- x -- > <a href="/f/foo-bar-1.2.tar.gz">foo-bar-1.2.tar.gz</a>
<!-- <a href="/f/foo-bar-0.3.tar.gz">foo-bar-0.3.tar.gz</a>
<a href="/f/foo-bar-0.4.tar.gz">foo-bar-0.4.tar.gz</a>
</body></html>`;
  const result = parseSimpleHtml(body, PAGE, 'foo-bar');
  assert.ok(result.ok);
  // Python 3.11's html.parser: a comment ends at the first "--", optional whitespace and ">" after
  // its "<!--" ("<!-->" does not end it); pip feeds the page without close(), so nothing after an
  // unterminated "<!--" is read.
  assert.deepEqual(result.page.files.map((file) => file.url), ['https://index.example/f/foo-bar-1.0.tar.gz', 'https://index.example/f/foo-bar-1.1.tar.gz', 'https://index.example/f/foo-bar-1.2.tar.gz']);
  assert.deepEqual(result.page.versions, ['1.0', '1.1', '1.2']);
});

test('file names: wheel and sdist rules, normalized project names, other projects ignored', () => {
  assert.deepEqual(classifyFilename('foo-bar-1.0.tar.gz', 'Foo_Bar'), { kind: 'sdist', version: '1.0', wheel: undefined });
  assert.deepEqual(classifyFilename('foo_bar-1.0.post1.tar.gz', 'foo-bar'), { kind: 'sdist', version: '1.0.post1', wheel: undefined });
  assert.equal(classifyFilename('foo-bar-baz-1.0.tar.gz', 'foo-bar').version, 'baz-1.0', 'pip takes the first matching prefix');
  assert.equal(classifyFilename('other-1.0-py3-none-any.whl', 'foo-bar').kind, 'other');
  assert.equal(classifyFilename('foo_bar-1!2.0-cp311-cp311-manylinux_2_17_x86_64.whl', 'foo-bar').version, '1!2.0');
  assert.equal(classifyFilename('foo_bar-1.0.egg', 'foo-bar').kind, 'other');
});

test('HTML entities', () => {
  assert.equal(unescapeHtml('&lt;&gt;&amp;&quot;&#39;&#x41;&unknown;'), `<>&"'A&unknown;`);
});

test('PEP 503 HTML as pip reads it (html.parser): anchors need no </a>, an unterminated quote hides the rest, <script> and <style> hold no links', () => {
  const files = (body: string) => {
    const result = parseSimpleHtml(body, PAGE, 'foo-bar');
    assert.ok(result.ok, JSON.stringify(result));
    return result.page.files.map((file) => file.filename);
  };
  assert.deepEqual(files('<a href=foo-bar-1.0.tar.gz><a href=foo-bar-1.1.tar.gz><a href="foo-bar-1.2.tar.gz"/>'), ['foo-bar-1.0.tar.gz', 'foo-bar-1.1.tar.gz', 'foo-bar-1.2.tar.gz']);
  assert.deepEqual(files('<a href="foo-bar-1.0.tar.gz"></a><a href="foo-bar-1.1.tar.gz><a href=foo-bar-1.2.tar.gz>'), ['foo-bar-1.0.tar.gz']);
  assert.deepEqual(files('<script><a href=foo-bar-0.1.tar.gz></script><style><a href=foo-bar-0.2.tar.gz></STYLE ><a href=foo-bar-1.0.tar.gz><script>'), ['foo-bar-1.0.tar.gz']);
});

test("PEP 503 HTML: the file name comes from the href, as pip's Link.filename, never from the anchor's text", () => {
  const result = parseSimpleHtml('<a href="/f/foo_bar-1.0-py3-none-any.whl">foo_bar-9.9.tar.gz</a><a href="/f/foo%2Dbar-2.0.tar.gz/">x</a>', PAGE, 'foo-bar');
  assert.ok(result.ok);
  assert.deepEqual(result.page.files.map((file) => [file.filename, file.version]), [['foo_bar-1.0-py3-none-any.whl', '1.0'], ['foo-bar-2.0.tar.gz', '2.0']]);
});

test('PEP 503 HTML: markup on which Python\'s html.parser (and so pip) fails is "malformed", saying where', () => {
  const result = parseSimpleHtml('<a href=foo-bar-1.0.tar.gz><![unknown[ x ]]>', PAGE, 'foo-bar');
  assert.equal(result.ok, false);
  assert.match(!result.ok ? result.message : '', /fails on the markup at offset 27 \("<!\[unknown\[/);
});

test('sdist names with thousands of dashes: the version after the first dash whose prefix is the project, as pip finds it', () => {
  const dashes = 'a-'.repeat(20_000);
  assert.equal(classifyFilename(`foo-bar-${dashes}1.0.tar.gz`, 'foo-bar').version, `${dashes}1.0`);
  assert.equal(classifyFilename(`foo-barx-${dashes}1.0.tar.gz`, 'foo-bar').kind, 'other');
  assert.equal(classifyFilename('foo__bar.-1.0.zip', 'foo-bar').version, undefined, "'foo-bar-' is not 'foo-bar'");
  assert.equal(classifyFilename('foo__bar-1.0.zip', 'foo-bar').version, '1.0');
  assert.equal(classifyFilename('foo-bar--1.0.zip', 'foo-bar').version, '-1.0');
});

test(`pages of more than ${MAX_LINKS_PER_PAGE} links, HTML or JSON, are "too-large"`, () => {
  const json = JSON.stringify({ files: Array.from({ length: MAX_LINKS_PER_PAGE + 1 }, () => ({})) });
  const result = parseSimpleJson(json, PAGE, 'foo-bar');
  assert.deepEqual(result.ok ? undefined : result.kind, 'too-large');
});

test('a page whose anchors hold more than 1,000,000 attributes in all is "too-large", before they are kept', () => {
  const result = parseSimpleHtml(`<a ${'x '.repeat(1_000_001)}href=foo-bar-1.0.tar.gz>`, PAGE, 'foo-bar');
  assert.deepEqual(result.ok ? undefined : [result.kind, result.message], ['too-large', 'the page lists links with more than 1,000,000 attributes, more than any real index; not read']);
  assert.ok(parseSimpleHtml(`<a ${'x '.repeat(1000)}href=foo-bar-1.0.tar.gz>`, PAGE, 'foo-bar').ok);
});

test('JSON answers with more than 4,000,000 values are "too-large" before JSON.parse builds them', () => {
  const result = parseSimpleJson(`{"files": [{"filename": "foo-bar-1.0.tar.gz", "url": "x", "junk": [${'0,'.repeat(4_000_000)}0]}]}`, PAGE, 'foo-bar');
  assert.deepEqual(result.ok ? undefined : result.kind, 'too-large');
  const fine = parseSimpleJson(`{"files": [{"filename": "foo-bar-1.0.tar.gz", "url": "x", "junk": "${',['.repeat(10)}"}]}`, PAGE, 'foo-bar');
  assert.ok(fine.ok, 'commas and brackets inside strings are not values');
  assert.equal(fine.page.files.length, 1);
});

test("the project list: names from the anchors' text, whatever attributes the anchors carry", () => {
  assert.deepEqual(parseProjectList(`<a href="/simple/six/">six</a>\n<a ${'x '.repeat(100_000)}>Flask &amp; co</a><a href=x>`), { ok: true, names: ['six', 'Flask & co'] });
});

test('file names behind 200,000 slashes: trailing slashes dropped, the last segment kept (pip\'s Link.filename)', () => {
  const result = parseSimpleHtml(`<a href="/f${'/'.repeat(200_000)}foo-bar-1.0.tar.gz/">`, PAGE, 'foo-bar');
  assert.ok(result.ok);
  assert.deepEqual(result.page.files.map((file) => [file.filename, file.version]), [['foo-bar-1.0.tar.gz', '1.0']]);
  assert.equal(describeLink(`https://h.example/${'/'.repeat(200_000)}pkg-1.0.tar.gz///`).filename, 'pkg-1.0.tar.gz');
});

test('PEP 792 project status: JSON `project-status` and the HTML meta tags; active, unknown and malformed ones are no status', () => {
  const json = (status: unknown) => {
    const result = parseSimpleJson(JSON.stringify({ meta: { 'api-version': '1.4' }, name: 'foo-bar', files: [], 'project-status': status }), PAGE, 'foo-bar');
    assert.ok(result.ok);
    return result.page.status;
  };
  assert.deepEqual(json({ status: 'quarantined', reason: ' malware ' }), { status: 'quarantined', reason: 'malware' });
  assert.deepEqual(json({ status: 'archived' }), { status: 'archived' });
  assert.deepEqual(json({ status: 'deprecated', reason: 42 }), { status: 'deprecated' });
  for (const none of [{ status: 'active', reason: 'x' }, { status: 'Quarantined' }, { status: 'frozen' }, 'quarantined', null, undefined]) assert.equal(json(none), undefined, JSON.stringify(none));

  const html = (head: string) => {
    const result = parseSimpleHtml(`<html><head>${head}</head><body></body></html>`, PAGE, 'foo-bar');
    assert.ok(result.ok);
    return result.page;
  };
  const page = html('<meta name="pypi:repository-version" content="1.4"><meta name="pypi:project-status" content="archived"><meta name="pypi:project-status-reason" content="use &quot;baz&quot; instead">');
  assert.equal(page.apiVersion, '1.4');
  assert.deepEqual(page.status, { status: 'archived', reason: 'use "baz" instead' });
  // The first of each tag counts, as for the repository version.
  assert.deepEqual(html('<meta name="pypi:project-status" content="quarantined"><meta name="pypi:project-status" content="active">').status, { status: 'quarantined' });
  assert.equal(html('<meta name="pypi:project-status-reason" content="no status, no marker">').status, undefined);
  assert.equal(html('<meta name="pypi:project-status" content="active">').status, undefined);
});

test('PEP 740 provenance: the JSON `provenance` URL and HTML `data-provenance`, resolved; only http(s) is kept', () => {
  const result = parseSimpleJson(JSON.stringify({
    name: 'foo-bar',
    files: [
      { filename: 'foo_bar-1.0-py3-none-any.whl', url: '/f/a.whl', hashes: {}, provenance: '/integrity/foo-bar/1.0/foo_bar-1.0-py3-none-any.whl/provenance' },
      { filename: 'foo-bar-1.0.tar.gz', url: '/f/b.tar.gz', hashes: {}, provenance: null },
      { filename: 'foo-bar-1.1.tar.gz', url: '/f/c.tar.gz', hashes: {}, provenance: 'file:///etc/passwd' },
    ],
  }), PAGE, 'foo-bar');
  assert.ok(result.ok);
  assert.deepEqual(result.page.files.map((file) => file.provenance), ['https://index.example/integrity/foo-bar/1.0/foo_bar-1.0-py3-none-any.whl/provenance', undefined, undefined]);
  const html = parseSimpleHtml('<a href="/f/foo_bar-1.0-py3-none-any.whl" data-provenance="../../p/1">w</a><a href="/f/foo-bar-1.0.tar.gz">s</a>', PAGE, 'foo-bar');
  assert.ok(html.ok);
  assert.deepEqual(html.page.files.map((file) => file.provenance), ['https://index.example/p/1', undefined]);
});

test('links resolve exactly as new URL(href, page) does, with or without the plain-link fast path', () => {
  const bases = ['https://pypi.org/simple/foo-bar/', 'http://127.0.0.1:8080/simple/foo-bar/', 'https://user:p%40ss@mirror.example/root/simple/foo-bar/?x#y', 'file:///srv/index/foo-bar/index.html', 'not a url'];
  const known = [
    'https://files.pythonhosted.org/packages/ab/cd/foo_bar-1.0-py3-none-any.whl#sha256=ABCDEF',
    'https://files.pythonhosted.org/packages/a/./b/../foo.whl',
    'https://files.pythonhosted.org/packages/%2e%2e/foo.whl',
    'https://FILES.example/foo.whl', 'https://files.example:443/foo.whl', 'https://files.example:8443/foo.whl', 'http://files.example:80/x',
    'https://127.1/foo.whl', 'https://a.0x7f/x', 'https://xn--nxasmq6b.example/x', 'https://xn--a.example/x', 'https://bücher.example/x',
    'https://a..b/x', 'https://a-.example/x', 'https://files.example/foo bar.whl', 'https://files.example/foo\tbar.whl', 'https://files.example/a\\b',
    'https://files.example/x?y=1', 'https://files.example/x#frag ment', 'https://files.example/x#a#b', 'https://files.example/x/.', 'https://files.example/x/..',
    '/files/foo/foo_bar-1.0.tar.gz', '//other.example/x', '/./x', '/x/../../y', '../../packages/foo-1.0.tar.gz', 'foo-1.0.tar.gz', './x', '?q', '#sha256=00',
    ' https://files.example/x ', 'https:files.example/x', 'HTTPS://files.example/x', 'ftp://files.example/x', 'file:///etc/passwd', 'https://', 'https:///x', '',
  ];
  const alphabet = ['a', 'Z', '0', '-', '.', '/', ':', '@', '%', '2e', '#', '?', ' ', '\\', '\t', 'xn--', '~', '!', '..', '//', 'é', '[', ']'];
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const fuzzed = Array.from({ length: 4000 }, () => {
    const prefix = ['https://files.example/', 'http://a.b/', '/', '', 'https://'][Math.floor(random() * 5)];
    return prefix + Array.from({ length: Math.floor(random() * 8) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  });
  for (const base of bases) {
    const links = new LinkResolver(base);
    for (const href of [...known, ...fuzzed]) {
      let expected: string | undefined;
      try {
        expected = new URL(href, base).href;
      } catch {
        expected = undefined;
      }
      assert.equal(links.resolve(href), expected, `${JSON.stringify(href)} against ${base}`);
    }
  }
});
