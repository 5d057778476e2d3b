// Keeps the manifest honest: every diagnostic code has a severity setting in package.json and
// the other way round, and bad settings values are dropped rather than trusted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIAGNOSTIC_CODES, normalizeSettings } from '../../server/src/protocol';
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
  assert.deepEqual(settings, { severity: { unpinned: 'error', duplicate: 'off' } });
  assert.deepEqual(normalizeSettings(null), { severity: {} });
  assert.deepEqual(normalizeSettings({ severity: [1, 2] }), { severity: {} });
});
