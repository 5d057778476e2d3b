// The real pips as the judge of hash-checking mode across -r includes and -c constraint files:
// for every case of test/helpers/hashModeCases.ts, `pip install --dry-run -r requirements.txt`
// with pip 23.2.1 (this machine's) and pip 26.2.1 (REQGUARD_PIP26_PYTHON) against a test index
// installs or refuses exactly as the case says; test/unit/hashMode.test.ts holds reqguard to the same verdicts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { caseFiles, HASH_MODE_CASES, HASH_MODE_FIXTURE, type PipVerdict } from '../helpers/hashModeCases';
import { PIP, PIP26, skipWithout } from '../support/optionalProgram';
import { runPip, type PipVersion } from '../support/pip';
import { startTestIndex, type TestIndex } from '../support/testIndex';
import { tempDir } from '../helpers/tempDirs';

let index: TestIndex;
before(async () => {
  index = await startTestIndex(HASH_MODE_FIXTURE);
});
after(() => index.close());

/** pip's refusals in hash-checking mode (HashUnpinned, HashMissing), as both versions word them. */
const REFUSED = /In --require-hashes mode, all requirements must have their versions pinned with ==|Hashes are required in --require-hashes mode/;

async function verdict(which: PipVersion, dir: string): Promise<PipVerdict> {
  const pip = await runPip(which, ['install', '--dry-run', '--ignore-installed', '-r', join(dir, 'requirements.txt'), '--index-url', index.simpleUrl]);
  if (pip.status === 0) return 'installs';
  assert.match(pip.stderr, REFUSED, `${which}: refused for another reason:\n${pip.stderr}`);
  return 'refuses';
}

for (const hashCase of HASH_MODE_CASES) {
  test(`pip 23.2.1 and 26.2.1 on: ${hashCase.title}`, { timeout: 120_000, skip: skipWithout(PIP, PIP26) }, async () => {
    const dir = tempDir('hash-mode');
    const digestOf = (project: string) => index.file(`${project}-${Object.keys(HASH_MODE_FIXTURE.projects[project].versions)[0]}-py3-none-any.whl`)!.sha256;
    for (const [name, text] of Object.entries(caseFiles(hashCase.files, digestOf))) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    const [pip23, pip26] = await Promise.all([verdict('system', dir), verdict('pip26', dir)]);
    assert.deepEqual([pip23, pip26], hashCase.pip);
  });
}
