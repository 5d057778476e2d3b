// PEP 792 project status markers from the test index (Simple API 1.4, JSON and HTML): a
// quarantined project is an error and nothing else is said of it, archived and deprecated ones
// are warnings with the index's reason, the hover says it, setup.py gets the same, and the real
// pip indeed cannot install a quarantined project from the same index.
import { describe as suite, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { MarkupContent } from 'vscode-languageserver-types';
import { analyzeDocument } from '../../server/src/engine/documents';
import { hover } from '../../server/src/features/hover';
import { indexDiagnostics } from '../../server/src/features/indexDiagnostics';
import { parseSimpleHtml } from '../../server/src/index/simplePage';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { actualLines, expectedLines, messageText } from '../helpers/diagnose';
import { atCaret, marked } from '../helpers/marked';
import { useFixtureIndex } from '../support/fixtureIndex';
import { PIP, PIP26, skipWithout } from '../support/optionalProgram';
import { runPip, type PipVersion } from '../support/pip';
import type { IndexFixture, TestIndex } from '../support/testIndex';
import type { PackageIndex } from '../../server/src/index/packageIndex';
import { tempDir } from '../helpers/tempDirs';

const FIXTURE: IndexFixture = {
  projects: {
    evil: { versions: { '1.0': {} }, status: { status: 'quarantined', reason: 'Malware: steals tokens <script>' } },
    old: { versions: { '1.0': {} }, status: { status: 'archived', reason: 'Superseded by new-thing' } },
    legacy: { versions: { '1.0': {}, '2.0': {} }, status: { status: 'deprecated' } },
    fine: { versions: { '1.0': {} }, status: { status: 'active' } },
  },
};

let index: TestIndex;
let view: PackageIndex;
useFixtureIndex(FIXTURE, (running) => ({ index, view } = running));

async function diagnose(name: string, source: string) {
  const mark = marked(source);
  const document = TextDocument.create(`file:///work/project/${name}`, name.endsWith('.py') ? 'python' : 'pip-requirements', 1, mark.text);
  const diagnostics = await indexDiagnostics(analyzeDocument(document, `/work/project/${name}`), { index: view, settings: DEFAULT_SETTINGS });
  return { mark, diagnostics };
}

suite('project status (PEP 792)', () => {
  test('quarantined: an error on the name and nothing about its missing versions; archived and deprecated: warnings with the reason', async () => {
    const { mark, diagnostics } = await diagnose('requirements.txt', '⟦evil⟧==1.0\n⟦old⟧==1.0\n⟦legacy⟧>=1\nfine==1.0\n');
    assert.deepEqual(actualLines(diagnostics), expectedLines(mark, [
      ['quarantined', 'error', 0],
      ['project-status', 'warning', 1],
      ['project-status', 'warning', 2],
    ]));
    const [evil, old, legacy] = diagnostics.map(messageText);
    assert.equal(evil, `'evil' cannot be installed: the index has quarantined this project (the index says: "Malware: steals tokens <script>"). Quarantine is for projects considered unsafe to use, such as malware; the index offers none of its files. Remove it and check whether it was ever installed.`);
    assert.equal(old, `'old' is archived: its maintainers expect no further releases, so no fixes either (the index says: "Superseded by new-thing").`);
    assert.equal(legacy, `'legacy' is deprecated: it is considered obsolete and may have been superseded by another project.`);
  });

  test('setup.py: the same statuses on install_requires names', async () => {
    const { mark, diagnostics } = await diagnose('setup.py', 'from setuptools import setup\nsetup(name="x", install_requires=["⟦evil⟧>=1", "⟦old⟧", "fine"])\n');
    assert.deepEqual(actualLines(diagnostics), expectedLines(mark, [['quarantined', 'error', 0], ['project-status', 'warning', 1]]));
  });

  test('the hover says it, with the reason escaped', async () => {
    const at = async (source: string) => {
      const { document, offset, path } = atCaret(source, 'requirements.txt');
      const result = await hover(analyzeDocument(document, path), offset, { index: view });
      return (result?.contents as MarkupContent | undefined)?.value ?? '';
    };
    assert.match(await at('ev‸il==1.0\n'), /^⛔ \*\*Quarantined\*\* by the index, saying: Malware: steals tokens \\<script\\>\. It offers none of the project's files, so pip cannot install it\.$/m);
    assert.match(await at('ol‸d==1.0\n'), /^⚠ \*\*Archived\*\* on the index: Superseded by new-thing\.$/m);
    assert.match(await at('leg‸acy\n'), /^⚠ \*\*Deprecated\*\* on the index\.$/m);
    assert.doesNotMatch(await at('fi‸ne==1.0\n'), /Quarantined|Archived|Deprecated/);
  });

  test('the HTML page carries the same status in its meta tags', async () => {
    for (const [project, expected] of [
      ['evil', { status: 'quarantined', reason: 'Malware: steals tokens <script>' }],
      ['legacy', { status: 'deprecated' }],
      ['fine', undefined],
    ] as const) {
      const url = `${index.simpleUrl}${project}/`;
      const response = await fetch(url, { headers: { accept: 'text/html' } });
      assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
      const page = parseSimpleHtml(await response.text(), url, project);
      assert.ok(page.ok);
      assert.deepEqual(page.page.status, expected, project);
    }
  });
});

suite('pip agrees: a quarantined project cannot be installed, an archived one can', () => {
  for (const [which, program] of [['system', PIP], ['pip26', PIP26]] as const) {
    test(`pip (${which})`, { skip: skipWithout(program) }, async () => {
      const dest = tempDir('status');
      const download = (requirement: string) => runPip(which as PipVersion, ['download', '--no-deps', '-d', dest, '--index-url', index.simpleUrl, requirement]);
      const evil = await download('evil==1.0');
      assert.notEqual(evil.status, 0);
      assert.match(evil.stderr, /No matching distribution found for evil==1\.0/);
      const old = await download('old==1.0');
      assert.equal(old.status, 0, old.stderr);
    });
  }
});
