// Links on -r/-c targets: every spelling of the options, paths resolved from the including file's
// folder as pip opens them, URLs as written (redacted in tooltips), exact ranges through CRLF and
// continuations, and nothing where there is nothing to open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument } from '../../server/src/engine/documents';
import { documentLinks } from '../../server/src/features/documentLinks';
import { formatRange, marked } from '../helpers/marked';

const FOLDER = join('/work', 'project', 'requirements');
const FILE = join(FOLDER, 'prod.txt');

/** Links of `source` (⟦marks⟧ where links are expected) as the file at `path` (null: an unsaved document). */
function linksOf(source: string, path: string | null = FILE, name = 'prod.txt') {
  const mark = marked(source);
  const document = TextDocument.create(`file:///work/project/requirements/${name}`, 'pip-requirements', 1, mark.text);
  const links = documentLinks(analyzeDocument(document, path ?? name), path ?? undefined);
  return { mark, links: links.map((link) => ({ range: formatRange(link.range), target: link.target, tooltip: link.tooltip })) };
}

test('-r and -c in every spelling, resolved from the including file', () => {
  const { mark, links } = linksOf(
    '-r ⟦base.txt⟧\n--requirement=⟦../dev.txt⟧\n-c ⟦constraints.txt⟧\n--constraint=⟦sub/pins.txt⟧\n-r⟦glued.txt⟧\nrequests==2.31.0\n',
  );
  const file = (path: string) => pathToFileURL(path).href;
  assert.deepEqual(links, [
    { range: formatRange(mark.ranges[0]), target: file(join(FOLDER, 'base.txt')), tooltip: `Open the included requirements file ${join(FOLDER, 'base.txt')}` },
    { range: formatRange(mark.ranges[1]), target: file(join('/work', 'project', 'dev.txt')), tooltip: `Open the included requirements file ${join('/work', 'project', 'dev.txt')}` },
    { range: formatRange(mark.ranges[2]), target: file(join(FOLDER, 'constraints.txt')), tooltip: `Open the constraints file ${join(FOLDER, 'constraints.txt')}` },
    { range: formatRange(mark.ranges[3]), target: file(join(FOLDER, 'sub', 'pins.txt')), tooltip: `Open the constraints file ${join(FOLDER, 'sub', 'pins.txt')}` },
    { range: formatRange(mark.ranges[4]), target: file(join(FOLDER, 'glued.txt')), tooltip: `Open the included requirements file ${join(FOLDER, 'glued.txt')}` },
  ]);
});

test('absolute paths and URLs; credentials stay out of the tooltip', () => {
  const { mark, links } = linksOf('-r "⟦/etc/base reqs.txt⟧"\n-r ⟦https://user:token@example.com/reqs.txt⟧\n-c ⟦file:///srv/pins.txt⟧\n');
  assert.deepEqual(links, [
    { range: formatRange(mark.ranges[0]), target: pathToFileURL('/etc/base reqs.txt').href, tooltip: 'Open the included requirements file /etc/base reqs.txt' },
    { range: formatRange(mark.ranges[1]), target: 'https://user:token@example.com/reqs.txt', tooltip: 'Open the included requirements file https://user:****@example.com/reqs.txt' },
    { range: formatRange(mark.ranges[2]), target: 'file:///srv/pins.txt', tooltip: 'Open the constraints file file:///srv/pins.txt' },
  ]);
  assert.equal(links[0].target, 'file:///etc/base%20reqs.txt');
});

test('ranges map through CRLF, continuations and quotes', () => {
  const { mark, links } = linksOf('# top\r\nflask==3.0\r\n-r \\\r\n  ⟦base.txt⟧\r\n-c "⟦my pins.txt⟧"\r\n');
  assert.deepEqual(links.map((link) => link.range), mark.ranges.map(formatRange));
  assert.equal(links[1].target, pathToFileURL(join(FOLDER, 'my pins.txt')).href);
});

test('an unsaved document links only what needs no folder', () => {
  const { mark, links } = linksOf('-r ⟦/abs/base.txt⟧\n-r relative.txt\n-r ⟦https://example.com/r.txt⟧\n', null);
  assert.deepEqual(links.map((link) => [link.range, link.target]), [
    [formatRange(mark.ranges[0]), pathToFileURL('/abs/base.txt').href],
    [formatRange(mark.ranges[1]), 'https://example.com/r.txt'],
  ]);
});

test('nothing to link: other options, requirements, a missing value, setup.py', () => {
  assert.deepEqual(linksOf('--index-url https://pypi.example/simple/\n-e ./pkg\nrequests==2.31.0\n-r\n').links, []);
  assert.deepEqual(linksOf('setup(install_requires=["-r base.txt"])\n', join(FOLDER, 'setup.py'), 'setup.py').links, []);
});
