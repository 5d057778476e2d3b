// `reqguard check --format sarif`: SARIF 2.1.0 as GitHub code scanning reads it, checked field by
// field against the same run's JSON records; rule descriptions come from the manifest's settings.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CheckRecord } from '../../../server/src/cli/checkOutput';
import { toolInfoOf } from '../../../server/src/cli/manifest';
import { DIAGNOSTIC_CODES } from '../../../server/src/settings';
import { REPO_ROOT } from '../../helpers/corpus';
import { startTestIndex, type TestIndex } from '../../support/testIndex';
import { run, workspace } from './runCli';

const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
const CODES = Object.keys(DIAGNOSTIC_CODES);

let index: TestIndex;
before(async () => {
  index = await startTestIndex({ projects: { requests: { versions: { '2.31.0': {} } }, vulnpkg: { versions: { '1.0': { vulnerabilities: [{ id: 'PYSEC-2024-1', fixedIn: ['1.1'] }] }, '1.1': {} } } } });
});
after(() => index.close());

test('every diagnostic code has a description in the manifest, which SARIF rules and the settings UI share', () => {
  const info = toolInfoOf(manifest);
  assert.equal(info.version, manifest.version);
  assert.deepEqual(Object.keys(info.codeDescriptions).sort(), [...CODES].sort());
  assert.equal(info.codeDescriptions.unpinned, 'A requirement that allows more than one version.');
  assert.deepEqual(toolInfoOf({ version: '1.2.3', repository: { url: 'git+https://example.org/reqguard.git' } }), {
    version: '1.2.3',
    informationUri: 'https://example.org/reqguard',
    codeDescriptions: {},
  });
  assert.deepEqual(toolInfoOf('not a manifest'), { version: 'unknown', codeDescriptions: {} });
});

test('check --format sarif: SARIF 2.1.0 with one rule per code and one result per diagnostic, paths relative to the working folder', async () => {
  const dir = workspace({
    'reqs/requirements.txt': 'requests>=2\nvulnpkg==1.0\n',
    'setup.py': 'from setuptools import setup\nsetup(install_requires=["vulnpkg"])\n',
  });
  // A file outside the working folder gets an absolute URI.
  const outside = workspace({ 'other requirements.txt': 'vulnpkg\n' });
  const files = ['reqs/requirements.txt', 'setup.py', join(outside, 'other requirements.txt')];
  const options = ['--isolated', '--no-cache', '--index-url', index.simpleUrl];
  const sarif = await run(['check', '--format', 'sarif', ...options, ...files], dir);
  const json = await run(['check', '--format', 'json', ...options, ...files], dir);
  assert.equal(sarif.status, 0, sarif.stderr);
  assert.equal(json.status, 0);
  const records = JSON.parse(json.stdout) as CheckRecord[];
  assert.deepEqual(
    records.map((r) => `${r.file} ${r.code} ${r.severity}`),
    ['reqs/requirements.txt unpinned warning', 'reqs/requirements.txt unhashed warning', 'reqs/requirements.txt vulnerable warning', 'setup.py unbounded information', `${files[2]} unpinned warning`],
  );

  const log = JSON.parse(sarif.stdout);
  const info = toolInfoOf(manifest);
  const level = (severity: string) => ({ error: 'error', warning: 'warning', information: 'note', hint: 'note', off: 'none' } as Record<string, string>)[severity];
  const uriOf = (file: string) => (file.startsWith('/') ? { uri: pathToFileURL(file).href } : { uri: file, uriBaseId: '%SRCROOT%' });
  assert.deepEqual(log, {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'reqguard',
            version: manifest.version,
            ...(info.informationUri ? { informationUri: info.informationUri } : {}),
            rules: CODES.map((code) => {
              const markdown = info.codeDescriptions[code as keyof typeof DIAGNOSTIC_CODES]!;
              const text = markdown.replace(/`/g, '');
              return {
                id: code,
                shortDescription: text === markdown ? { text } : { text, markdown },
                defaultConfiguration: { level: level(DIAGNOSTIC_CODES[code as keyof typeof DIAGNOSTIC_CODES]) },
              };
            }),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileURL(dir).href}/` } },
        columnKind: 'utf16CodeUnits',
        results: records.map((r) => ({
          ruleId: r.code,
          ruleIndex: CODES.indexOf(r.code),
          level: level(r.severity),
          message: { text: r.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: uriOf(r.file),
                region: { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn },
              },
            },
          ],
        })),
      },
    ],
  });
  // What the records say, spelled out once: 1-based lines, exclusive end columns.
  assert.deepEqual(log.runs[0].results[0].locations[0].physicalLocation.region, { startLine: 1, startColumn: 1, endLine: 1, endColumn: 12 });
  assert.equal(log.runs[0].results[2].ruleId, 'vulnerable');
  assert.equal(log.runs[0].results[3].level, 'note');
  assert.equal(log.runs[0].results[4].locations[0].physicalLocation.artifactLocation.uri, pathToFileURL(files[2]).href);
  assert.match(log.runs[0].results[4].locations[0].physicalLocation.artifactLocation.uri, /other%20requirements\.txt$/);
  assert.deepEqual(log.runs[0].tool.driver.rules[0], { id: 'unpinned', shortDescription: { text: 'A requirement that allows more than one version.' }, defaultConfiguration: { level: 'warning' } });
  assert.deepEqual(log.runs[0].tool.driver.rules.find((rule: { id: string }) => rule.id === 'outdated')!.defaultConfiguration, { level: 'none' });
});

test('check --format sarif with nothing to report: one run, every rule, no results; paths are URI-encoded', async () => {
  const dir = workspace({});
  writeFileSync(join(dir, 'a b#c.txt'), `vulnpkg==1.1 --hash=sha256:${index.file('vulnpkg-1.1-py3-none-any.whl')!.sha256} --hash=sha256:${index.file('vulnpkg-1.1.tar.gz')!.sha256}\n`);
  const clean = await run(['check', '--format', 'sarif', '--isolated', '--no-cache', '--index-url', index.simpleUrl, 'a b#c.txt'], dir);
  assert.equal(clean.status, 0, clean.stderr);
  const log = JSON.parse(clean.stdout);
  assert.deepEqual(log.runs[0].results, []);
  assert.equal(log.runs[0].tool.driver.rules.length, CODES.length);

  writeFileSync(join(dir, 'a b#c.txt'), 'vulnpkg\n');
  const found = JSON.parse((await run(['check', '--format', 'sarif', '--no-index-checks', 'a b#c.txt'], dir)).stdout);
  assert.deepEqual(found.runs[0].results[0].locations[0].physicalLocation.artifactLocation, { uri: 'a%20b%23c.txt', uriBaseId: '%SRCROOT%' });
});
