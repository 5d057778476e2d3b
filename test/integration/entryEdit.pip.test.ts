// What pip reads back from an entry rewritten to a pin and hashes is what was meant, checked with
// pip's own parser (test/tools/pip_oracle.py). The rewrites themselves: test/unit/entryEdit.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { A, B, rewrite } from '../helpers/rewrite';
import { REPO_ROOT } from '../helpers/corpus';
import { PIP, skipWithout } from '../support/optionalProgram';
import { tempDir } from '../helpers/tempDirs';


test('pip reads the rewritten file as meant: pins, extras, markers and hashes (pip_oracle)', { skip: skipWithout(PIP) }, () => {
  const dir = tempDir('edit');
  const text = rewrite(rewrite('requests[socks] >=2.0 ;python_version>="3.8"  # why\r\nDjango\r\n', { version: '2.31.0', sha256: [A, B] }, 0), { version: '4.2', sha256: [A] }, 1);
  const file = join(dir, 'requirements.txt');
  writeFileSync(file, text);
  const oracle = join(REPO_ROOT, 'test', 'tools', 'pip_oracle.py');
  const seen = JSON.parse(execFileSync('python3', [oracle, file], { encoding: 'utf8', env: { ...process.env, PIP_CONFIG_FILE: '/dev/null' } }));
  const requirements: { valid: boolean; specifier: string; extras: string[]; marker: string | null; hashes: { sha256: string[] } }[] = seen.requirements;
  assert.deepEqual(seen.errors, []);
  assert.deepEqual(
    requirements.map((r) => [r.valid, r.specifier, r.extras, r.marker, r.hashes.sha256]),
    [
      [true, '==2.31.0', ['socks'], 'python_version >= "3.8"', [A, B]],
      [true, '==4.2', [], null, [A]],
    ],
  );
});
