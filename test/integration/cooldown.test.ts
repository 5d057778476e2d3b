// The cooldown (reqguard.minimumReleaseAge, --minimum-release-age) against a test index whose
// upload times (PEP 700) are relative to now: pins to releases newer than the age are too-new,
// the quick fixes, planFixes and `reqguard fix` pick the newest release old enough, and pip 26's
// `--uploaded-prior-to P7D` picks the same release.
import { describe as suite, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument, type AnalyzedDocument } from '../../server/src/engine/documents';
import { cooldownCutoff } from '../../server/src/features/indexDiagnostics/cooldown';
import { codeActions } from '../../server/src/features/codeActions';
import { indexDiagnostics } from '../../server/src/features/indexDiagnostics';
import type { PackageIndex } from '../../server/src/index/packageIndex';
import { applyReplacements } from '../../server/src/pip/entryEdit';
import { planFixes } from '../../server/src/pip/fixPlan';
import { DEFAULT_SETTINGS, normalizeSettings } from '../../server/src/settings';
import { actualLines, expectedLines, messageText } from '../helpers/diagnose';
import { marked } from '../helpers/marked';
import { useFixtureIndex } from '../support/fixtureIndex';
import { PIP26, skipWithout } from '../support/optionalProgram';
import { runPip } from '../support/pip';
import type { IndexFixture, TestIndex } from '../support/testIndex';
import { run, workspace } from './cli/runCli';
import { tempDir } from '../helpers/tempDirs';

const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

const FIXTURE: IndexFixture = {
  projects: {
    fresh: {
      versions: {
        '1.0': { uploadTime: ago(30 * DAY) },
        '1.1': { uploadTime: ago(10 * DAY) },
        '2.0': { uploadTime: ago(2 * DAY) },
        '2.1rc1': { uploadTime: ago(DAY) },
      },
    },
    brandnew: { versions: { '1.0': { uploadTime: ago(3_600_000) } } },
  },
};

let index: TestIndex;
let view: PackageIndex;
useFixtureIndex(FIXTURE, (running) => ({ index, view } = running));

const WEEK = normalizeSettings({ minimumReleaseAge: '7 days' });

function analyze(text: string): AnalyzedDocument {
  return analyzeDocument(TextDocument.create('file:///work/project/requirements.txt', 'pip-requirements', 1, text), '/work/project/requirements.txt');
}

suite('too-new', () => {
  test('a pin newer than the minimum release age is a warning on its version, naming the newest release old enough', async () => {
    const mark = marked('fresh==⟦2.0⟧\nfresh==1.1\nbrandnew==⟦1.0⟧\n');
    const diagnostics = await indexDiagnostics(analyze(mark.text), { index: view, settings: WEEK });
    assert.deepEqual(actualLines(diagnostics), expectedLines(mark, [['too-new', 'warning', 0], ['too-new', 'warning', 1]]));
    const [fresh, brandnew] = diagnostics.map(messageText);
    assert.match(fresh, /^fresh 2\.0 was uploaded (1|2) days? ago \(\d{4}-\d\d-\d\d\), more recently than the minimum release age \(7 days\): a release that turns out to be malicious is usually found and removed within days\. The newest release at least 7 days old is 1\.1\.$/);
    assert.match(brandnew, /^brandnew 1\.0 was uploaded (59 minutes|1 hour) ago .* No release is 7 days old yet\.$/);
  });

  test('without the setting, nothing is said', async () => {
    assert.deepEqual(await indexDiagnostics(analyze('fresh==2.0\nbrandnew==1.0\n'), { index: view, settings: DEFAULT_SETTINGS }), []);
  });
});

suite('the fixes pick the newest release old enough', () => {
  test('quick fixes: Pin to 1.1 (not 2.0, nor "latest 2.0"); Update to 1.1', async () => {
    const titles = async (text: string) => {
      const analysis = analyze(text);
      const document = analysis.document;
      const actions = await codeActions(analysis, { start: 0, end: 0 }, { diagnostics: [] }, {
        uploadedBefore: cooldownCutoff(WEEK, Date.now()),
        index: view,
        uri: document.uri,
        toRange: (span) => ({ start: document.positionAt(span.start), end: document.positionAt(span.end) }),
      });
      return actions.map((action) => action.title);
    };
    assert.deepEqual(await titles('fresh\n'), ['Pin to 1.1', 'Pin to 1.1 and add hashes']);
    assert.deepEqual(await titles('fresh==1.0\n'), ['Add hashes for 1.0 (2 files)', 'Update to 1.1 and add hashes']);
    // Without the cooldown, 2.0 as before.
    const plain = await codeActions(analyze('fresh\n'), { start: 0, end: 0 }, { diagnostics: [] }, { index: view, uri: 'file:///x', toRange: () => ({ start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }) });
    assert.deepEqual(plain.map((action) => action.title), ['Pin to 2.0', 'Pin to 2.0 and add hashes']);
  });

  test('planFixes: ranges get the newest old-enough release; "update all" too', async () => {
    const text = 'fresh>=1\nbrandnew\n';
    const plan = await planFixes(analyze(text), { index: view, uploadedBefore: Date.now() - 7 * DAY }, { pin: true, hash: false });
    assert.equal(applyReplacements(text, plan.replacements), 'fresh==1.1\nbrandnew\n');
    assert.deepEqual(plan.skipped.map((skipped) => skipped.reason), [`no release of 'brandnew' satisfies 'any version' (yanked releases are never picked)`]);
  });

  test('the CLI: check --minimum-release-age reports too-new; fix --minimum-release-age pins 1.1; a bad age is a usage error', async () => {
    const dir = workspace({ 'requirements.txt': 'fresh==2.0\n', 'open.txt': 'fresh\n' });
    const checked = await run(['check', '--no-cache', '--isolated', '--index-url', index.simpleUrl, '--minimum-release-age', '7 days', 'requirements.txt'], dir);
    assert.match(checked.stdout, /^requirements\.txt:1:8: warning \[too-new\] fresh 2\.0 was uploaded/m);
    const fixed = await run(['fix', '--dry-run', '--pin-only', '--no-cache', '--isolated', '--index-url', index.simpleUrl, '--minimum-release-age', 'P7D', 'open.txt'], dir);
    assert.equal(fixed.status, 0, fixed.stderr);
    assert.match(fixed.stdout, /^-fresh$\n^\+fresh==1\.1$/m);
    const bad = await run(['check', '--minimum-release-age', 'soon', 'requirements.txt'], dir);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--minimum-release-age must be an age such as "7 days", "12 hours" or P7D \(at most a year\), not 'soon'/);
  });
});

test('pip 26 --uploaded-prior-to P7D picks the same release, and finds nothing for a project with no release that old', { skip: skipWithout(PIP26) }, async () => {
  const dest = tempDir('cooldown');
  const download = (requirement: string) => runPip('pip26', ['--disable-pip-version-check', 'download', '--no-deps', '--only-binary', ':all:', '-d', dest, '--index-url', index.simpleUrl, '--uploaded-prior-to', 'P7D', requirement]);
  const fresh = await download('fresh');
  assert.equal(fresh.status, 0, fresh.stderr);
  assert.deepEqual(readdirSync(dest), ['fresh-1.1-py3-none-any.whl']);
  const brandnew = await download('brandnew');
  assert.notEqual(brandnew.status, 0);
  assert.match(brandnew.stderr, /No matching distribution found for brandnew/);
});
