// Keeps the manifest honest: every diagnostic code has a severity setting in package.json and
// the other way round, and bad settings values are dropped rather than trusted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, DIAGNOSTIC_CODES, MAX_TARGETS, normalizeEditorHttpSettings, normalizeSettings } from '../../server/src/settings';
import { REPO_ROOT } from '../helpers/corpus';

const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
const properties = manifest.contributes.configuration.properties;

test('package.json declares a severity setting for exactly the server\'s diagnostic codes', () => {
  assert.deepEqual(Object.keys(properties['reqguard.severity'].properties).sort(), Object.keys(DIAGNOSTIC_CODES).sort());
});

test('every setting has a scope and a description', () => {
  for (const [key, value] of Object.entries<any>(properties)) {
    assert.ok(key.startsWith('reqguard.'), key);
    assert.ok(value.scope, `${key} has no scope`);
    assert.ok(value.description || value.markdownDescription, `${key} has no description`);
  }
});

test('the README documents every diagnostic code', () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  for (const code of Object.keys(DIAGNOSTIC_CODES)) assert.ok(readme.includes(`\`${code}\``), `README does not mention ${code}`);
});

test('normalizeSettings keeps valid severities and drops everything else', () => {
  const settings = normalizeSettings({ severity: { unpinned: 'error', unhashed: 'loud', nonsense: 'off', duplicate: 'off' }, other: 1 });
  assert.deepEqual(settings.severity, { unpinned: 'error', duplicate: 'off' });
  assert.deepEqual(normalizeSettings(null), DEFAULT_SETTINGS);
  assert.deepEqual(normalizeSettings({ severity: [1, 2] }).severity, {});
});

test('normalizeSettings: index and http values are checked, defaults fill the gaps', () => {
  const settings = normalizeSettings({
    index: { url: ' https://mirror.example/simple/ ', extraUrls: ['', 'https://b.example/simple/', 3], offline: 'yes', cacheTtlMinutes: -1, isolated: true },
    http: { timeoutSeconds: 30, concurrency: 1000 },
  });
  assert.deepEqual(settings.index, { url: 'https://mirror.example/simple/', extraUrls: ['https://b.example/simple/'], offline: false, cacheTtlMinutes: 10, isolated: true });
  assert.deepEqual(settings.http, { timeoutSeconds: 30, concurrency: 16 });
});

test('normalizeSettings: pythonVersion is a release number; OSV is off unless turned on, with an http(s) URL', () => {
  assert.equal(normalizeSettings({ pythonVersion: ' 3.11 ' }).pythonVersion, '3.11');
  assert.equal(normalizeSettings({ pythonVersion: '3' }).pythonVersion, '3');
  for (const bad of ['3.11.4.1', '>=3.8', 'py3', 311, '']) assert.equal('pythonVersion' in normalizeSettings({ pythonVersion: bad }), false, String(bad));
  assert.deepEqual(normalizeSettings({ vulnerabilities: { osv: 'true', osvUrl: 'file:///x' } }).vulnerabilities, { osv: false, osvUrl: 'https://api.osv.dev/v1/querybatch' });
  assert.deepEqual(normalizeSettings({ vulnerabilities: { osv: true, osvUrl: ' https://osv.corp/v1/querybatch ' } }).vulnerabilities, { osv: true, osvUrl: 'https://osv.corp/v1/querybatch' });
});

test('normalizeSettings: hash targets keep valid Python versions and platform tags (lower-cased, once each)', () => {
  const { hashes } = normalizeSettings({ hashes: { pythonVersions: [' 3.11', '3.12', '3.11', '>=3.8', 3, ''], platforms: ['Win_AMD64', 'manylinux', 'mac os', '', 'manylinux'] } });
  assert.deepEqual(hashes, { pythonVersions: ['3.11', '3.12'], platforms: ['win_amd64', 'manylinux'] });
  assert.deepEqual(normalizeSettings({ hashes: { pythonVersions: '3.11' } }).hashes, DEFAULT_SETTINGS.hashes);
});

test('normalizeSettings: reqguard.targets keeps items with a version (trimmed; platform and implementation lower-cased), at most MAX_TARGETS', () => {
  assert.deepEqual(DEFAULT_SETTINGS.targets, []);
  assert.deepEqual(
    normalizeSettings({
      targets: [
        { pythonVersion: ' 3.11 ', platform: ' ManyLinux_2_28_X86_64 ' },
        { pythonVersion: '3.12', platform: 'win_amd64', implementation: 'CPython' },
        { pythonVersion: '3.10' },
        { platform: 'win32' },
        { pythonVersion: 3.11 },
        'py3.11',
        null,
      ],
    }).targets,
    [
      { pythonVersion: '3.11', platform: 'manylinux_2_28_x86_64' },
      { pythonVersion: '3.12', platform: 'win_amd64', implementation: 'cpython' },
      { pythonVersion: '3.10' },
    ],
  );
  assert.deepEqual(normalizeSettings({ targets: { pythonVersion: '3.11' } }).targets, []);
  assert.equal(normalizeSettings({ targets: Array.from({ length: 40 }, () => ({ pythonVersion: '3.11' })) }).targets.length, MAX_TARGETS);
  assert.equal(properties['reqguard.targets'].maxItems, MAX_TARGETS);
  assert.equal(properties['reqguard.targets'].scope, 'resource');
});

test('normalizeSettings: the log level is one of error, warning, info, debug; anything else is info', () => {
  for (const level of ['error', 'warning', 'info', 'debug']) assert.equal(normalizeSettings({ log: { level } }).log.level, level);
  for (const bad of ['trace', 'DEBUG', 3, undefined]) assert.equal(normalizeSettings({ log: { level: bad } }).log.level, 'info', String(bad));
  assert.deepEqual(normalizeSettings({ log: 'debug' }).log, { level: 'info' });
  assert.deepEqual(properties['reqguard.log.level'].enum, ['error', 'warning', 'info', 'debug']);
  assert.equal(properties['reqguard.log.level'].scope, 'window');
});

test('every reqguard.index/http/vulnerabilities/hashes/log setting, pythonVersion and targets in package.json is read by normalizeSettings, with the same default', () => {
  const defaults: Record<string, unknown> = {
    'reqguard.pythonVersion': '',
    'reqguard.targets': DEFAULT_SETTINGS.targets,
    'reqguard.index.url': '',
    'reqguard.index.extraUrls': [],
    'reqguard.index.jsonApiUrl': '',
    'reqguard.index.offline': DEFAULT_SETTINGS.index.offline,
    'reqguard.index.cacheTtlMinutes': DEFAULT_SETTINGS.index.cacheTtlMinutes,
    'reqguard.index.isolated': DEFAULT_SETTINGS.index.isolated,
    'reqguard.http.timeoutSeconds': DEFAULT_SETTINGS.http.timeoutSeconds,
    'reqguard.http.concurrency': DEFAULT_SETTINGS.http.concurrency,
    'reqguard.vulnerabilities.osv': DEFAULT_SETTINGS.vulnerabilities.osv,
    'reqguard.vulnerabilities.osvUrl': DEFAULT_SETTINGS.vulnerabilities.osvUrl,
    'reqguard.hashes.pythonVersions': DEFAULT_SETTINGS.hashes.pythonVersions,
    'reqguard.hashes.platforms': DEFAULT_SETTINGS.hashes.platforms,
    'reqguard.log.level': DEFAULT_SETTINGS.log.level,
  };
  const declared = Object.keys(properties).filter((key) => /^reqguard\.((index|http|vulnerabilities|hashes|log)\.|pythonVersion$|targets$)/.test(key));
  assert.deepEqual(declared.sort(), Object.keys(defaults).sort());
  for (const [key, value] of Object.entries(defaults)) assert.deepEqual(properties[key].default, value, key);
});

test('VS Code http settings: proxy, noProxy, and TLS verification on unless turned off', () => {
  assert.deepEqual(normalizeEditorHttpSettings(undefined), { noProxy: [], strictSSL: true });
  assert.deepEqual(normalizeEditorHttpSettings({ proxy: 'http://p:3128', noProxy: ['internal', 1], proxyStrictSSL: false }), {
    proxy: 'http://p:3128',
    noProxy: ['internal'],
    strictSSL: false,
  });
});

test('minimumReleaseAge: a number and a unit (minutes to weeks) or pip\'s PnD, up to a year; anything else is no cooldown', () => {
  const DAY = 86_400_000;
  const age = (value: unknown) => normalizeSettings({ minimumReleaseAge: value }).minimumReleaseAge?.ms;
  assert.equal(age('7 days'), 7 * DAY);
  assert.equal(age(' 7d '), 7 * DAY);
  assert.equal(age('P7D'), 7 * DAY);
  assert.equal(age('12 hours'), DAY / 2);
  assert.equal(age('2 Weeks'), 14 * DAY);
  assert.equal(age('30 min'), 30 * 60_000);
  assert.equal(age('1.5 days'), 1.5 * DAY);
  assert.equal(age('366 days'), 366 * DAY);
  for (const bad of ['', '0 days', '7', 'days', '7 fortnights', '-1 day', '367 days', 'P7W', 'PT12H', 7, null]) assert.equal(age(bad), undefined, String(bad));
  assert.deepEqual(normalizeSettings({ minimumReleaseAge: ' 7 days ' }).minimumReleaseAge, { text: '7 days', ms: 7 * DAY });
  assert.equal('minimumReleaseAge' in DEFAULT_SETTINGS, false);
  const declared = properties['reqguard.minimumReleaseAge'];
  assert.equal(declared.default, '');
  // The manifest's pattern accepts what normalizeSettings accepts.
  const pattern = new RegExp(declared.pattern);
  for (const good of ['', '7 days', 'P7D', '12h', '2 weeks', '30 minutes']) assert.ok(pattern.test(good), good);
  for (const bad of ['7 fortnights', 'soon', 'PT12H']) assert.ok(!pattern.test(bad), bad);
});
