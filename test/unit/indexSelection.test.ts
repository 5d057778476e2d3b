// Choosing the index: the file's options (and its includes) over settings over pip's config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRequirementsFile } from '../../server/src/parser/requirementsFile';
import { resolveIncludes } from '../../server/src/pip/includes';
import { PYPI_SIMPLE_URL, selectIndex } from '../../server/src/index/indexSelection';
import { jsonApiBase, projectPageUrl, redactUrl } from '../../server/src/index/urls';
import type { PipIndexConfig } from '../../server/src/index/pipConfig';

const pip: PipIndexConfig = {
  indexUrl: { value: 'https://pipconf.example/simple/', origin: { kind: 'user', where: '/home/u/.config/pip/pip.conf' } },
  extraIndexUrls: { value: ['https://extra.example/simple/'], origin: { kind: 'env-var', where: 'PIP_EXTRA_INDEX_URL' } },
};

function select(text: string, extra: Partial<Parameters<typeof selectIndex>[0]> = {}) {
  return selectIndex({ document: parseRequirementsFile(text), documentLabel: 'requirements.txt', ...extra });
}

test('pypi.org when nothing says otherwise', () => {
  assert.deepEqual(select('flask\n'), { indexUrls: [PYPI_SIMPLE_URL], findLinks: [], noIndex: false, source: 'default', sourceDetail: undefined, prereleases: false });
});

test('pip configuration, then editor settings, then the file itself', () => {
  assert.deepEqual(select('flask\n', { pip }).indexUrls, ['https://pipconf.example/simple/', 'https://extra.example/simple/']);
  assert.equal(select('flask\n', { pip }).sourceDetail, '/home/u/.config/pip/pip.conf');
  const withSettings = select('flask\n', { pip, settings: { indexUrl: 'https://mirror.example/simple/' } });
  assert.deepEqual(withSettings.indexUrls, ['https://mirror.example/simple/', 'https://extra.example/simple/']);
  assert.equal(withSettings.source, 'settings');
  const fromFile = select('-i https://file.example/simple/\n--extra-index-url https://x.example/simple/\nflask\n', { pip, settings: { indexUrl: 'https://mirror.example/simple/' } });
  assert.deepEqual(fromFile.indexUrls, ['https://file.example/simple/', 'https://x.example/simple/']);
  assert.equal(fromFile.source, 'file');
});

test('--no-index empties the index list; options on requirement lines change nothing (pip ignores them)', () => {
  const noIndex = select('--no-index\n--find-links ./wheels\n-i https://ignored.example/simple/\nflask\n');
  assert.deepEqual(noIndex.indexUrls, []);
  assert.equal(noIndex.noIndex, true);
  assert.deepEqual(noIndex.findLinks, ['./wheels']);
  assert.deepEqual(select('flask --index-url https://nope.example/simple/\n').indexUrls, [PYPI_SIMPLE_URL]);
});

test('an included file sets the index where its -r line stands', () => {
  const document = parseRequirementsFile('-r base.txt\nflask\n');
  const includes = resolveIncludes(document, '/p/requirements.txt', { read: (path) => (path === '/p/base.txt' ? '--index-url https://base.example/simple/\n' : undefined) });
  const selection = selectIndex({ document, documentLabel: '/p/requirements.txt', includes });
  assert.deepEqual(selection.indexUrls, ['https://base.example/simple/']);
  assert.equal(selection.sourceDetail, '/p/base.txt');
});

test('URL rules: redaction as pip does it, project pages, JSON API base', () => {
  assert.equal(redactUrl('https://user:s3cret@host.example/simple/'), 'https://user:****@host.example/simple/');
  assert.equal(redactUrl('https://tok3n@host.example/simple/'), 'https://****@host.example/simple/');
  assert.equal(redactUrl('https://host.example/simple/?a=b@c'), 'https://host.example/simple/?a=b@c');
  assert.equal(projectPageUrl('https://pypi.org/simple', 'Foo_Bar.baz'), 'https://pypi.org/simple/foo-bar-baz/');
  assert.equal(jsonApiBase('https://pypi.org/simple/'), 'https://pypi.org/pypi/');
  assert.equal(jsonApiBase('https://test.pypi.org/simple'), 'https://test.pypi.org/pypi/');
  assert.equal(jsonApiBase('https://artifactory.example/api/pypi/pypi/repo'), undefined);
});

test('--pre on a line of its own, in the file or an include, or pip\'s pre, lets pip pick pre-releases', () => {
  assert.equal(select('flask\n').prereleases, false);
  assert.equal(select('--pre\nflask\n').prereleases, true);
  assert.equal(select('flask --pre\n').prereleases, false, 'pip drops file-wide options on a requirement line');
  assert.equal(select('flask\n', { pip: { pre: { value: true, origin: { kind: 'env-var', where: 'PIP_PRE' } } } }).prereleases, true);
  const document = parseRequirementsFile('-r base.txt\nflask\n');
  const includes = resolveIncludes(document, '/p/requirements.txt', { read: (path) => (path === '/p/base.txt' ? '--pre\n' : undefined) });
  assert.equal(selectIndex({ document, documentLabel: '/p/requirements.txt', includes }).prereleases, true);
});

test('an untrusted file (Restricted Mode) does not choose: its index options and its includes\' are recorded, not followed; --pre still applies', () => {
  const files = new Map([['/p/base.txt', '--extra-index-url https://evil-include.example/simple/\n--find-links ./wheels\n']]);
  const text = '-r base.txt\n--index-url https://u:token@evil.example/simple/\n--no-index\n--pre\nflask\n';
  const document = parseRequirementsFile(text);
  const includes = resolveIncludes(document, '/p/requirements.txt', { read: (path) => files.get(path) });
  const settings = { indexUrl: 'https://mirror.example/simple/' };
  const untrusted = selectIndex({ document, documentLabel: 'requirements.txt', includes, settings, pip, trustFileOptions: false });
  assert.deepEqual(untrusted.indexUrls, ['https://mirror.example/simple/', 'https://extra.example/simple/']);
  assert.deepEqual(untrusted.findLinks, []);
  assert.equal(untrusted.noIndex, false);
  assert.equal(untrusted.source, 'settings');
  assert.equal(untrusted.prereleases, true);
  assert.deepEqual(untrusted.ignoredFileOptions, [
    '--extra-index-url https://evil-include.example/simple/',
    '--find-links ./wheels',
    '--index-url https://u:****@evil.example/simple/',
    '--no-index',
  ]);
  // Trusted (the default, and the CLI): pip's rules, nothing recorded.
  const trusted = selectIndex({ document, documentLabel: 'requirements.txt', includes, settings, pip });
  assert.equal(trusted.noIndex, true);
  assert.equal(trusted.ignoredFileOptions, undefined);
});

test('where each extra index comes from: pip.conf or PIP_EXTRA_INDEX_URL, the settings (or the CLI flags, by their label), the file; an index named twice is asked once, where first named', () => {
  const fromConf: PipIndexConfig = { extraIndexUrls: { value: ['https://conf.example/simple/'], origin: { kind: 'user', where: '/home/u/.config/pip/pip.conf' } } };
  assert.deepEqual(select('flask\n', { pip: fromConf }).extraOrigins, [{ source: 'pip', detail: '/home/u/.config/pip/pip.conf' }]);
  const cli = select('--extra-index-url https://file.example/simple/\n--extra-index-url https://conf.example/simple/\nflask\n', {
    pip: fromConf,
    settings: { extraIndexUrls: ['https://flag.example/simple/'], labels: { indexUrl: '--index-url', extraIndexUrls: '--extra-index-url on the command line' } },
  });
  assert.deepEqual(cli.indexUrls, [PYPI_SIMPLE_URL, 'https://flag.example/simple/', 'https://file.example/simple/', 'https://conf.example/simple/']);
  assert.deepEqual(cli.extraOrigins, [
    { source: 'settings', detail: '--extra-index-url on the command line' },
    { source: 'file', detail: 'requirements.txt' },
    { source: 'file', detail: 'requirements.txt' },
  ]);
  const twice = select('--extra-index-url https://extra.example/simple/\nflask\n', { pip });
  assert.deepEqual(twice.indexUrls, ['https://pipconf.example/simple/', 'https://extra.example/simple/']);
  assert.deepEqual(twice.extraOrigins, [{ source: 'pip', detail: 'PIP_EXTRA_INDEX_URL' }]);
});
