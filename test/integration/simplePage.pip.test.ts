// The HTML side of project pages against Python: the start tags htmlTags reads against
// html.parser's on quirky pages, hostile ones scaled down and two thousand generated ones; and
// the links of the quirky and hostile pages against pip's own parse_links (file name, host,
// requires-python, hash). Generated pages are compared by tags, not links: their hrefs hold tabs
// and spaces that WHATWG URLs drop and Python's urljoin keeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readStartTags } from '../../server/src/index/htmlTags';
import { parseSimpleHtml } from '../../server/src/index/simplePage';
import { python } from '../support/pip';
import { PIP, PYTHON3, skipWithout } from '../support/optionalProgram';
import { tempDir } from '../helpers/tempDirs';

const PAGE_URL = 'https://index.example/simple/six/';

/** html.parser's start tags a, base and meta, fed as pip feeds it; `null` where it raises. */
const PYTHON_TAGS = `
import json, sys
from html.parser import HTMLParser
class Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []
    def handle_starttag(self, tag, attrs):
        if tag in ('a', 'base', 'meta'):
            self.tags.append([tag, [list(attribute) for attribute in attrs]])
out = []
for body in json.load(open(sys.argv[1], encoding='utf-8')):
    parser = Tags()
    try:
        parser.feed(body)
        out.append(parser.tags)
    except AssertionError:
        out.append(None)
print(json.dumps(out))
`;

/** pip's parse_links on each page; `null` where it raises. */
const PIP_LINKS = `
import json, sys
from pip._internal.index.collector import IndexContent, parse_links
out = []
for body in json.load(open(sys.argv[1], encoding='utf-8')):
    page = IndexContent(body.encode('utf-8', 'surrogatepass'), 'text/html', 'utf-8', '${PAGE_URL}', cache_link_parsing=False)
    try:
        out.append([[l.filename, l.netloc, l.requires_python, l.hash and l.hash.lower()] for l in parse_links(page)])
    except Exception:
        out.append(None)
print(json.dumps(out))
`;

type Seen = [filename: string, host: string, requiresPython: string | null, hash: string | null][] | null;

function ours(body: string): Seen {
  const result = parseSimpleHtml(body, PAGE_URL, 'six');
  if (!result.ok) return null;
  return result.page.files.map((file) => [file.filename, new URL(file.url).host, file.requiresPython ?? null, Object.values(file.hashes)[0] ?? null]);
}

const QUIRKS = [
  '<a href=x>'.repeat(3) + '<a href="six-1.0.tar.gz">',
  '<a href="a.tar.gz">t</a><a href="',
  '<a href="a.tar.gz"><script><a href="s.tar.gz"></script><a href="b.tar.gz"><style><a href=c></style ><a href=d><script>x<a href=e>',
  '<a href=1><SCRIPT><a href=2></script foo><a href=3></script><a href=4><script/><a href=5>',
  '<a href= "unterminated><a href=k>',
  '<a href=="q"><a href=k2><a href = = x><a href= \'y\'>',
  '<a href=\'x\' href="y"><a HREF=z/><a/href=w><a\x00 href=n><a href=&amp;amp;c&copy=1&#x41&#65&#x80;&#0;>',
  '<base href="https://b.example/d/"><base href="https://c.example/"><a href="f-1.0.tar.gz">',
  '<a href="x"><base href><base href="https://late.example/">',
  '<a href="https://h/x/y/">dir</a><a href="https://h/">root</a><a href="https://h/p%2Fq%41.whl">e</a><a href="%E0%A4%A.tar.gz">',
  '<![CDATA[ <a href=cd> ]]><a href=after><!doctype html><?pi <a href=pi>?><!bogus <a href=bog>><a href=ok>',
  '<a href=1><![if x]><a href=2><![endif]><a href=3><![CDATA[x]] ><a href=4>]]><a href=5>',
  '<a href=1><![foo[ <a href=2> ]]>',
  '</ a><a href=1></><a href=2></a foo="<a href=3>"><a href=4>',
  '<a href=1 <a href=2>',
  '< a href=1><a\thref=2><a\vhref=3><a\u00a0href=4><a\x1chref=5><a\u2003href=6>',
  '<a href=1/><a href=2 /><a href="3"/>',
  '<!-- <a href=1> --><a href=2><!--> <a href=3> --><!-- x -- > <a href=4><!-- <a href=5>',
  '<a href="six-1.0.tar.gz#sha256=ABCD" data-requires-python="&gt;=3.8">',
  '<a href="six-1.0.tar.gz" data-requires-python>',
  '<a href=\'six-1.0.tar.gz\'data-requires-python=\'<4\'>',
  '<a href="x"\'y\'=z href=q>',
];

const HOSTILE = [
  '<a href=/f/six-1.0.tar.gz>'.repeat(2000),
  '<a href="'.repeat(2000),
  `<a href="/f/sixx-${'a-'.repeat(2000)}1.0.tar.gz">`,
  '<a href="x"><script>' + '<a href=y>'.repeat(2000),
  '<!--' + '<a href=x>'.repeat(2000),
  '<a ' + 'x='.repeat(2000) + 'href=y>',
  '<a ' + '"'.repeat(2001) + ' href=y>',
];

const FRAGMENTS = [
  '<', '</', '<!', '<!--', '-->', '--', '<?', '?>', '<script>', '</script>', '<style>', '</style >', '</SCRIPT', '<scRipt', ' ', '\t', '\n', '\r',
  '\f', '\v', '\x00', '\x1c', '\u00a0', '\u2028', '&amp;', '&copy', '&#65', '&#x', '&#1114112;', '&lt;', '&AMP', '&', ';', ']]>', ']', '] >',
  '<![CDATA[', '<![if x]>', '<![endif]>', '<![ignore[', '<![', '<![x', '<!doctype html>', '<meta', '<b', '</b>', '<p>', '--!>', '/', '//', '"', "'", '=',
];
const SPACES = ['', ' ', '  ', '\t', '\n', '/', ' / ', '\v', '\u00a0', '\x1c'];
const VALUES = ['six-1.0.tar.gz', '"six-1.2.tar.gz"', "'six-1.3.tar.gz'", '"a b.tar.gz"', 'x&amp;y', '"x>y"', "'q\"'", '', '"', "'", '=x', 'six-1.4.tar.gz#sha256=AB'];
const NAMES = ['href', 'HREF', 'data-requires-python', 'data-yanked', 'x', '"', "'", '='];
const TAGS = ['<a', '<A', '<a', '<base', '<script', '<style', '<ab', '<a\x00', '<meta'];
const ENDS = ['>', '/>', ' >', '', ' / >', '>', '>'];

/** Pages of start tags with attributes of every shape, among stray markup (a fixed seed, so failures repeat). */
function generatedPages(count: number): string[] {
  let seed = 11;
  // mulberry32
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(choices: readonly T[]): T => choices[Math.floor(random() * choices.length)];
  const pages: string[] = [];
  for (let i = 0; i < count; i++) {
    const parts: string[] = [];
    const length = 3 + Math.floor(random() * 30);
    for (let j = 0; j < length; j++) {
      if (random() < 0.4) {
        parts.push(pick(FRAGMENTS));
        continue;
      }
      let tag = pick(TAGS);
      for (let attributes = Math.floor(random() * 4); attributes > 0; attributes--) {
        tag += pick(SPACES) + pick(NAMES) + (random() < 0.6 ? pick(SPACES) + pick(['=', '==']) + pick(SPACES) + pick(VALUES) : '');
      }
      parts.push(tag + pick(ENDS));
    }
    pages.push(parts.join(''));
  }
  return pages;
}

async function runPython(script: string, pages: readonly string[]): Promise<unknown[]> {
  const input = join(tempDir('pages'), 'pages.json');
  writeFileSync(input, JSON.stringify(pages));
  const run = await python(['-c', script, input]);
  assert.equal(run.status, 0, run.stderr);
  const answers = JSON.parse(run.stdout) as unknown[];
  assert.equal(answers.length, pages.length);
  return answers;
}

function differences(pages: readonly string[], expected: readonly unknown[], actual: (page: string) => unknown) {
  return pages.flatMap((page, i) => {
    const ours = actual(page);
    return JSON.stringify(ours) === JSON.stringify(expected[i]) ? [] : [{ page, python: expected[i], reqguard: ours }];
  });
}

test('the start tags html.parser reports, on quirky, hostile and generated pages', { skip: skipWithout(PYTHON3), timeout: 120_000 }, async () => {
  const pages = [...QUIRKS, ...HOSTILE, ...generatedPages(2000)];
  const expected = await runPython(PYTHON_TAGS, pages);
  const found = differences(pages, expected, (page) => {
    const tags: unknown[] = [];
    const outcome = readStartTags(page, new Set(['a', 'base', 'meta']), (tag) => void tags.push([tag.name, tag.attributes]));
    return outcome.kind === 'fails' ? null : tags;
  });
  assert.ok(expected.filter((tags) => Array.isArray(tags) && tags.length > 0).length > 1000, 'most pages have tags to compare');
  assert.deepEqual(found.slice(0, 3), [], `${found.length} of ${pages.length} pages differ from html.parser`);
});

test('the links, file names, hosts, requires-python and hashes pip finds, on quirky and hostile pages', { skip: skipWithout(PIP), timeout: 120_000 }, async () => {
  const pages = [...QUIRKS, ...HOSTILE];
  const expected = await runPython(PIP_LINKS, pages);
  const found = differences(pages, expected, ours);
  assert.deepEqual(found.slice(0, 3), [], `${found.length} of ${pages.length} pages differ from pip`);
});
