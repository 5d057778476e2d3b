// PEP 740 provenance from the test index (the `provenance` URL of each file, served like PyPI's
// Integrity API): the hover of a pinned release says who published its files (GitHub repository,
// workflow, environment; GitLab; files without an attestation), and the provenance objects are
// fetched only when a hover asks, never by the diagnostics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MarkupContent } from 'vscode-languageserver-types';
import { analyzeDocument } from '../../server/src/engine/documents';
import { hover } from '../../server/src/features/hover';
import { indexDiagnostics } from '../../server/src/features/indexDiagnostics';
import { openIndex, type PackageIndex } from '../../server/src/index/packageIndex';
import { selection, testClient } from '../support/indexClient';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { atCaret } from '../helpers/marked';
import { useFixtureIndex } from '../support/fixtureIndex';
import type { IndexFixture, TestIndex } from '../support/testIndex';

const GITHUB = { kind: 'GitHub', repository: 'octo/signed', workflow: 'release.yml', environment: 'pypi' } as const;

const FIXTURE: IndexFixture = {
  projects: {
    signed: { versions: { '1.0': { publisher: GITHUB }, '2.0': {} } },
    partly: { versions: { '1.0': { files: [{ kind: 'wheel', publisher: { kind: 'GitLab', repository: 'group/sub/partly', workflow_filepath: '.gitlab-ci.yml' } }, { kind: 'sdist', publisher: null }] } } },
    plain: { versions: { '1.0': {} } },
  },
};

let index: TestIndex;
let view: PackageIndex;
useFixtureIndex(FIXTURE, (running) => ({ index, view } = running));

async function hoverText(source: string, packages = view): Promise<string> {
  const { document, offset, path } = atCaret(source, 'requirements.txt');
  const result = await hover(analyzeDocument(document, path), offset, { index: packages });
  return (result?.contents as MarkupContent | undefined)?.value ?? '';
}

const provenanceRequests = () => index.requests.filter((request) => request.route === 'provenance').length;

test('the hover of a pinned release says who published its files; the diagnostics never ask', async () => {
  const { document, path } = atCaret('signed==1.0\npartly==1.0\nplain==1.0\n‸', 'requirements.txt');
  await indexDiagnostics(analyzeDocument(document, path), { index: view, settings: DEFAULT_SETTINGS });
  assert.equal(provenanceRequests(), 0, 'diagnostics fetch no provenance');

  const signed = await hoverText('sig‸ned==1.0\n');
  assert.ok(
    signed.includes(
      'Published by (PEP 740 attestations of 1.0, as the index reports them; reqguard does not check the signatures):\n\n' +
        '- GitHub [octo/signed](https://github.com/octo/signed) (workflow `release.yml`, environment `pypi`): all 2 files',
    ),
    signed,
  );
  assert.equal(provenanceRequests(), 2, 'one request per attested file');
  await hoverText('sig‸ned==1.0\n');
  assert.equal(provenanceRequests(), 2, 'asked once, then remembered');

  const partly = await hoverText('part‸ly==1.0\n');
  assert.match(partly, /^- GitLab \[group\/sub\/partly\]\(https:\/\/gitlab\.com\/group\/sub\/partly\) \(workflow `\.gitlab-ci\.yml`\): 1 of 2 files$/m);
  assert.match(partly, /^- no attestation: `partly-1\.0\.tar\.gz`$/m);
});

test('nothing is said where the index offers no provenance, nor for a range', async () => {
  assert.doesNotMatch(await hoverText('pla‸in==1.0\n'), /Published by/);
  assert.doesNotMatch(await hoverText('sig‸ned==2.0\n'), /Published by/);
  const before = provenanceRequests();
  assert.doesNotMatch(await hoverText('sig‸ned>=1\n'), /Published by/);
  assert.equal(provenanceRequests(), before);
});

test('a provenance object the index fails to serve is said, not guessed', async () => {
  // A client of its own: the first test's answers are remembered by the shared one.
  const fresh = testClient({ noStore: true, http: { retries: 0 } });
  index.setFault('provenance', { kind: 'status', status: 500 });
  try {
    const text = await hoverText('part‸ly==1.0\n', openIndex(fresh.client, selection([index.simpleUrl])));
    assert.match(text, /^- could not be read: partly-1\.0-py3-none-any\.whl: .*500/m);
  } finally {
    index.setFault('provenance', undefined);
    await fresh.close();
  }
});
