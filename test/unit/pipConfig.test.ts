// pip's configuration files and PIP_* variables, as they choose the index. The comparison with
// the real pip (`pip config list`) is in test/integration/pipConfig.pip.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { parseIni, pipConfigFiles, resolvePipIndexConfig, type ConfigFileText, type PipEnvironment } from '../../server/src/index/pipConfig';
import { Random } from '../helpers/fuzz';

const HOME = '/home/u';

test('file order: XDG_CONFIG_DIRS and /etc, then ~/.pip and the XDG user file, then PIP_CONFIG_FILE', () => {
  const env: PipEnvironment = { env: { XDG_CONFIG_DIRS: '/a:/b', PIP_CONFIG_FILE: '/x/pip.conf' }, home: HOME };
  assert.deepEqual(pipConfigFiles(env).map((f) => `${f.kind}:${f.path}`), [
    'global:/a/pip/pip.conf', 'global:/b/pip/pip.conf', 'global:/etc/pip.conf',
    'user:/home/u/.pip/pip.conf', 'user:/home/u/.config/pip/pip.conf', 'env-file:/x/pip.conf',
  ]);
  assert.deepEqual(pipConfigFiles({ env: {}, home: HOME }).map((f) => f.path), [
    '/etc/xdg/pip/pip.conf', '/etc/pip.conf', '/home/u/.pip/pip.conf', '/home/u/.config/pip/pip.conf',
  ]);
});

test('--isolated and an existing PIP_CONFIG_FILE skip the user files; /dev/null skips every file', () => {
  assert.ok(!pipConfigFiles({ env: {}, home: HOME, isolated: true }).some((f) => f.kind === 'user'));
  const withFile = pipConfigFiles({ env: { PIP_CONFIG_FILE: '/x/pip.conf' }, home: HOME, envFileExists: true });
  assert.ok(!withFile.some((f) => f.kind === 'user'));
  assert.deepEqual(pipConfigFiles({ env: { PIP_CONFIG_FILE: '/dev/null' }, home: HOME }), []);
});

test('INI reading: sections, = and :, comments, continuation lines, case-insensitive keys', () => {
  const ini = parseIni('# c\n[global]\nIndex-URL = https://a/simple\n; c\nextra-index-url:\n  https://b/simple\n  https://c/simple\n\n[install]\nno-index=yes\n');
  assert.equal(ini.get('global')?.get('index-url'), 'https://a/simple');
  assert.equal(ini.get('global')?.get('extra-index-url'), '\nhttps://b/simple\nhttps://c/simple');
  assert.equal(ini.get('install')?.get('no-index'), 'yes');
});

test('precedence: later files win per key; [install] beats [global]; PIP_* beats files unless --isolated', () => {
  const files: ConfigFileText[] = [
    { kind: 'global', path: '/etc/pip.conf', text: '[global]\nindex-url = https://global/simple\nextra-index-url = https://g1 https://g2\n' },
    { kind: 'user', path: '/home/u/.config/pip/pip.conf', text: '[global]\nindex-url = https://user/simple\n' },
    { kind: 'env-file', path: '/x/pip.conf', text: '[install]\nfind-links = /wheels\n' },
    { kind: 'user', path: '/missing', text: undefined },
  ];
  const plain = resolvePipIndexConfig(files, { env: {}, home: HOME });
  assert.deepEqual(plain.indexUrl, { value: 'https://user/simple', origin: { kind: 'user', where: '/home/u/.config/pip/pip.conf' } });
  assert.deepEqual(plain.extraIndexUrls?.value, ['https://g1', 'https://g2']);
  assert.deepEqual(plain.findLinks, { value: ['/wheels'], origin: { kind: 'env-file', where: '/x/pip.conf' } });
  const installSection = resolvePipIndexConfig([...files, { kind: 'global', path: '/etc/xdg/pip/pip.conf', text: '[install]\nindex-url=https://install/simple' }], { env: {}, home: HOME });
  assert.equal(installSection.indexUrl?.value, 'https://install/simple');
  const env = { PIP_INDEX_URL: 'https://env/simple', PIP_NO_INDEX: '1', PIP_EXTRA_INDEX_URL: 'https://e1  https://e2' };
  const fromEnv = resolvePipIndexConfig(files, { env, home: HOME });
  assert.deepEqual(fromEnv.indexUrl, { value: 'https://env/simple', origin: { kind: 'env-var', where: 'PIP_INDEX_URL' } });
  assert.deepEqual(fromEnv.extraIndexUrls?.value, ['https://e1', 'https://e2']);
  assert.equal(fromEnv.noIndex?.value, true);
  assert.equal(resolvePipIndexConfig(files, { env, home: HOME, isolated: true }).indexUrl?.value, 'https://user/simple');
});

test("pip's cert (a CA bundle) is read from config files and PIP_CERT", () => {
  const files: ConfigFileText[] = [{ kind: 'global', path: '/etc/pip.conf', text: '[global]\ncert = /etc/ssl/corp.pem\n' }];
  assert.deepEqual(resolvePipIndexConfig(files, { env: {}, home: HOME }).cert, { value: '/etc/ssl/corp.pem', origin: { kind: 'global', where: '/etc/pip.conf' } });
  assert.equal(resolvePipIndexConfig(files, { env: { PIP_CERT: '/tmp/ca.pem' }, home: HOME }).cert?.value, '/tmp/ca.pem');
});

test("pip's pre flag is read with strtobool from config files and PIP_PRE", () => {
  const files: ConfigFileText[] = [{ kind: 'global', path: '/etc/pip.conf', text: '[install]\npre = true\n' }];
  assert.deepEqual(resolvePipIndexConfig(files, { env: {}, home: HOME }).pre, { value: true, origin: { kind: 'global', where: '/etc/pip.conf' } });
  assert.equal(resolvePipIndexConfig(files, { env: { PIP_PRE: 'off' }, home: HOME }).pre?.value, false);
  assert.equal(resolvePipIndexConfig([], { env: {}, home: HOME }).pre, undefined);
});

test('option lines are read as RawConfigParser reads them, in time linear in the line', () => {
  // What the regular expression of before made of them (the same as RawConfigParser's OPTCRE).
  const before = (line: string) => /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line.trim());
  const random = new Random(0x1c0f);
  const pieces = ['a', 'Index-URL', ' ', '\t', '=', ':', '==', ' = ', 'https://x/simple', '\u00a0', '#', ';', 'b'];
  for (let i = 0; i < 2000; i++) {
    const line = Array.from({ length: 1 + random.int(8) }, () => random.pick(pieces)).join('');
    const trimmed = line.trim();
    // Blank lines and comments are no options.
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    const expected = before(line);
    const parsed = [...parseIni(`[global]\n${line}\n`).get('global')!];
    assert.deepEqual(parsed, expected ? [[expected[1].toLowerCase(), expected[2]]] : [], JSON.stringify(line));
  }
  // A long run of blanks with no delimiter after it: 40,000 took 3.8 s with the regular expression.
  const started = performance.now();
  assert.deepEqual([...parseIni(`[global]\na${' '.repeat(200_000)}b\nkey = value\n`).get('global')!], [['key', 'value']]);
  assert.ok(performance.now() - started < 200, `${(performance.now() - started).toFixed(0)} ms`);
});
