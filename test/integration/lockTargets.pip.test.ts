// engine/lock.ts for several targets at once, on the Django graph: where the targets' picks differ
// (Django 5.2 needs Python 3.10; tzdata only on Windows), each version is written with a marker
// naming its targets, and pip on this machine's Python installs the result with --require-hashes,
// taking the entries its markers select.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeFile } from '../../server/src/engine/engine';
import { lockRequirements } from '../../server/src/engine/lock';
import { diskReader } from '../../server/src/nodeIo';
import type { TargetEnvironment } from '../../server/src/pip/environment';
import { DJANGO_FIXTURE } from '../support/dependencyGraphs';
import { useFixtureIndex, type FixtureIndex } from '../support/fixtureIndex';
import { PIP, PIP26, skipWithout } from '../support/optionalProgram';
import { runPip } from '../support/pip';
import { pipPythonTarget } from '../support/pythonTarget';
import { tempDir } from '../helpers/tempDirs';

let running: FixtureIndex;
useFixtureIndex(DJANGO_FIXTURE, (started) => (running = started));

/** A target described by its markers (every wheel considered, as without tags). */
function described(base: TargetEnvironment, markers: Partial<TargetEnvironment['markers']>): TargetEnvironment {
  return { name: JSON.stringify(markers), label: JSON.stringify(markers), source: 'flag', markers: { ...base.markers, ...markers } };
}

test('several targets: shared picks once, differing picks with markers, and pip installs it', { skip: skipWithout(PIP, PIP26) }, async () => {
  const here = await pipPythonTarget();
  const dir = tempDir('lock-targets');
  const input = join(dir, 'requirements.in');
  writeFileSync(input, 'Django\n');
  const file = analyzeFile(TextDocument.create(pathToFileURL(input).href, 'pip-requirements', 1, 'Django\n'), input, { reader: diskReader }, { onDisk: true });
  const targets = [here, described(here, { python_version: '3.9', python_full_version: '3.9.18' }), described(here, { sys_platform: 'win32', platform_system: 'Windows', os_name: 'nt' })];
  const result = await lockRequirements({ file, label: () => 'requirements.in', command: 'reqguard lock requirements.in', targets }, { index: running.view });
  assert.equal(result.kind, 'locked', JSON.stringify(result));
  if (result.kind !== 'locked') return;
  const entries = [...result.text.matchAll(/^(\S+==\S+)(?: ; (.+?))? \\$/gm)].map((match) => (match[2] ? `${match[1]} ; ${match[2]}` : match[1]));
  assert.deepEqual(entries, [
    'asgiref==3.8.1',
    'django==4.2.17 ; python_version == "3.9" and sys_platform == "linux"',
    'django==5.2.17 ; (python_version == "3.11" and sys_platform == "linux") or (python_version == "3.11" and sys_platform == "win32")',
    'sqlparse==0.5.3',
    'typing-extensions==4.12.2 ; python_version == "3.9" and sys_platform == "linux"',
    'tzdata==2025.2 ; python_version == "3.11" and sys_platform == "win32"',
  ]);
  const output = join(dir, 'requirements.txt');
  writeFileSync(output, result.text);
  for (const which of ['system', 'pip26'] as const) {
    const install = await runPip(which, ['install', '--dry-run', '--ignore-installed', '--require-hashes', '--quiet', '--report', '-', '-r', output, '--index-url', running.index.simpleUrl]);
    assert.equal(install.status, 0, install.stderr);
    const installed = (JSON.parse(install.stdout) as { install: { metadata: { name: string; version: string } }[] }).install.map(({ metadata }) => `${metadata.name.toLowerCase()}==${metadata.version}`).sort();
    assert.deepEqual(installed, ['asgiref==3.8.1', 'django==5.2.17', 'sqlparse==0.5.3']);
  }
});
