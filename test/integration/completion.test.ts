// Completion against a real test index on 127.0.0.1: versions after every operator (newest first,
// dated, yanked hidden, pre-releases only when asked for), the exact range an item replaces,
// project names by normalized prefix (capped, 600,000 names), options valid where the cursor is,
// extras from provides_extra or requires_dist markers, setup.py strings, failing indexes.
import { describe as suite, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CompletionItemTag, type CompletionItem, type CompletionList, type TextEdit } from 'vscode-languageserver-types';
import { analyzeDocument } from '../../server/src/engine/documents';
import { completion, type CompletionDeps } from '../../server/src/features/completion';
import { parseProjectDetails } from '../../server/src/index/jsonApi';
import { openIndex, type PackageIndex } from '../../server/src/index/packageIndex';
import { atCaret, formatRange, marked } from '../helpers/marked';
import { selection, testClient, type TestClient } from '../support/indexClient';
import { startTestIndex, type IndexFixture, type TestIndex, type VersionSpec } from '../support/testIndex';
import { useFixtureIndex } from '../support/fixtureIndex';
import { pythonTarget } from '../support/targets';

const REQUESTS_METADATA: VersionSpec = {
  providesExtra: ['socks', 'use-chardet-on-py3'],
  requiresDist: ['idna<4,>=2.5', 'PySocks!=1.5.7,>=1.5.6; extra == "socks"', 'chardet<6,>=3.0.2; extra == "use-chardet-on-py3"'],
};
const requestsVersion = (uploadTime: string, extra: VersionSpec = {}): VersionSpec => ({ ...REQUESTS_METADATA, uploadTime, files: ['wheel'], ...extra });

/** 2,000 releases (0.0 … 19.99), one wheel each, and one listed without files (so without a date). */
const BIG_VERSIONS: Record<string, VersionSpec> = { '20.0': { files: [] } };
for (let i = 0; i < 2000; i++) BIG_VERSIONS[`${Math.floor(i / 100)}.${i % 100}`] = { files: ['wheel'], uploadTime: '2020-01-01T00:00:00Z' };

const FIXTURE: IndexFixture = {
  projects: {
    requests: {
      versions: {
        '2.19.0': requestsVersion('2018-06-14T14:20:00Z'),
        '2.20.0': requestsVersion('2018-10-18T15:46:00Z'),
        '2.30.0': requestsVersion('2023-05-03T15:00:00Z', { yanked: 'broken build' }),
        '2.31.0': requestsVersion('2023-05-22T15:12:00Z', { requiresPython: '>=3.7' }),
        '2.32.0rc1': requestsVersion('2024-05-01T10:00:00Z'),
      },
    },
    'requests-toolbelt': { versions: { '1.0.0': { files: ['wheel'] } } },
    Flask: { versions: { '3.0.0': { files: ['wheel'] } } },
    'Flask-SQLAlchemy': { versions: { '3.1.1': { files: ['wheel'] } } },
    flask_login: { versions: { '0.6.3': { files: ['wheel'] } } },
    // Extras only in requires_dist markers (old metadata without Provides-Extra).
    legacy: {
      versions: {
        '1.0': {
          files: ['wheel'],
          requiresDist: ['redis>=4; extra == "redis"', 'PyYAML; (extra == "yaml") and python_version >= "3"', 'tblib; "tblib" == extra', 'Redis-Py-Cluster; extra == "Redis"'],
        },
      },
    },
    prerelease: { versions: { '0.1a1': { files: ['wheel'] }, '0.1b2': { files: ['wheel'] } } },
    big: { versions: BIG_VERSIONS },
  },
};

let index: TestIndex;
let client: TestClient;
let packages: PackageIndex;
useFixtureIndex(FIXTURE, (running) => ({ index, client, view: packages } = running));

interface Completed {
  readonly list: CompletionList;
  readonly labels: readonly string[];
  /** The first item's edit range as `line:char-line:char`. */
  readonly range: string | undefined;
  /** The ⟦mark⟧ of the source, as the same kind of range. */
  readonly marked: string;
  item(label: string): CompletionItem;
}

/** Completes `source` at its `‸` (removed from the text) in a document named `name`; `⟦…⟧` marks what an item replaces. */
async function completeAt(source: string, deps: CompletionDeps = { index: packages }, name = 'requirements.txt'): Promise<Completed> {
  const { mark, document, offset, path } = atCaret(source, name);
  const list = await completion(analyzeDocument(document, path), offset, deps);
  const ranges = new Set(list.items.map((item) => formatRange((item.textEdit as TextEdit).range)));
  assert.ok(ranges.size <= 1, `every item replaces the same range: ${[...ranges].join(', ')}`);
  return {
    list,
    labels: list.items.map((item) => item.label),
    range: [...ranges][0],
    marked: mark.ranges.length ? formatRange(mark.ranges[0]) : '',
    item: (label) => list.items.find((item) => item.label === label) ?? assert.fail(`no item ${label} in ${list.items.map((i) => i.label).join(', ')}`),
  };
}

/** Applies the edit of the item labelled `label` to the source's text. */
function applyItem(source: string, result: Completed, label: string): string {
  const text = marked(source.replace('‸', '')).text;
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'x', 1, text), [result.item(label).textEdit as TextEdit]);
}

suite('versions', () => {
  test('after ==: final releases newest first, dated, yanked and pre-releases left out, in the order given', async () => {
    const result = await completeAt('flask\nrequests==⟦⟧‸\n');
    assert.deepEqual(result.labels, ['2.31.0', '2.20.0', '2.19.0']);
    assert.equal(result.range, result.marked);
    assert.equal(result.list.isIncomplete, false);
    assert.deepEqual(result.list.items[0], {
      label: '2.31.0',
      kind: 12,
      labelDetails: { description: '2023-05-22' },
      detail: 'released 2023-05-22',
      sortText: '0',
      textEdit: { range: { start: { line: 1, character: 10 }, end: { line: 1, character: 10 } }, newText: '2.31.0' },
    });
    assert.deepEqual(result.list.items.map((item) => item.sortText), ['0', '1', '2']);
  });

  test('every operator asks for versions; != also offers yanked releases, marked, to exclude them', async () => {
    for (const operator of ['==', '<=', '>=', '<', '>', '~=', '===']) {
      assert.deepEqual((await completeAt(`requests${operator}‸`)).labels, ['2.31.0', '2.20.0', '2.19.0'], operator);
    }
    const excluded = await completeAt('requests!=‸');
    assert.deepEqual(excluded.labels, ['2.31.0', '2.30.0', '2.20.0', '2.19.0']);
    const yanked = excluded.item('2.30.0');
    assert.equal(yanked.detail, 'released 2023-05-03; yanked: broken build');
    assert.deepEqual(yanked.tags, [CompletionItemTag.Deprecated]);
  });

  test('the edit replaces exactly the version being written, also past the cursor, and nothing else', async () => {
    const source = 'requests[socks] >= ⟦2.‸20⟧, <3 ; python_version >= "3.8"  # pinned later\n';
    const result = await completeAt(source);
    assert.equal(result.range, result.marked);
    assert.equal(applyItem(source, result, '2.31.0'), 'requests[socks] >= 2.31.0, <3 ; python_version >= "3.8"  # pinned later\n');
  });

  test('after a comma, in parentheses, with spaces, in a continued line and with CRLF', async () => {
    assert.deepEqual((await completeAt('requests>=2.19,<⟦‸⟧')).labels, ['2.31.0', '2.20.0', '2.19.0']);
    const parenthesized = await completeAt('requests (>=2.19, != ⟦2.‸⟧)');
    assert.equal(parenthesized.range, parenthesized.marked);
    assert.equal(parenthesized.labels.length, 4);
    const continued = await completeAt('# app\r\nrequests \\\r\n    ==⟦2.3‸⟧ \\\r\n    --hash=sha256:abc\r\n');
    assert.equal(continued.range, continued.marked);
    assert.deepEqual(continued.labels, ['2.31.0', '2.20.0', '2.19.0']);
  });

  test('pre-releases when the typed version looks like one, another clause names one, --pre is given, or there is no final release', async () => {
    const all = ['2.32.0rc1', '2.31.0', '2.20.0', '2.19.0'];
    assert.deepEqual((await completeAt('requests==2.32.0r‸')).labels, all);
    assert.deepEqual((await completeAt('requests>=2.32.0rc1,<‸')).labels, all);
    assert.deepEqual((await completeAt('requests<‸,>=2.32.0rc1')).labels, all);
    assert.deepEqual((await completeAt('requests==‸', { index: openIndex(client.client, selection([index.simpleUrl], { prereleases: true })) })).labels, all);
    assert.deepEqual((await completeAt('prerelease>=‸')).labels, ['0.1b2', '0.1a1']);
    assert.equal((await completeAt('requests==2.32.0r‸')).item('2.32.0rc1').detail, 'released 2024-05-01; pre-release');
  });

  test('a release the target Python cannot install is marked, not hidden', async () => {
    const result = await completeAt('requests==‸', { index: packages, targets: [pythonTarget('3.6')] });
    assert.deepEqual(result.labels, ['2.31.0', '2.20.0', '2.19.0']);
    assert.equal(result.item('2.31.0').detail, 'released 2023-05-22; requires Python >=3.7, not CPython 3.6');
  });

  test('2,000 releases: one page from the index (a release without files needs no date); over 1,000 only those starting with the typed text, and the list says it is incomplete', async () => {
    const before = index.requests.length;
    const result = await completeAt('big==‸');
    assert.equal(result.labels.length, 1000);
    assert.equal(result.list.isIncomplete, true);
    assert.deepEqual(result.labels.slice(0, 3), ['19.99', '19.98', '19.97']);
    const narrowed = await completeAt('big==1‸');
    assert.equal(narrowed.labels.length, 1000);
    assert.ok(narrowed.labels.every((label) => label.startsWith('1')));
    assert.deepEqual(narrowed.labels.slice(-2), ['10.1', '10.0'], 'newest first: 1.x are cut');
    const asked = index.requests.slice(before).map((request) => request.path);
    assert.deepEqual(asked, ['/simple/big/'], 'the files carry their dates: no JSON API request, nothing per release');
    assert.ok(!result.labels.includes('20.0'), 'a release without files cannot be installed');
  });

  test('dates from the JSON API when the index gives none with the files', async () => {
    const undated: PackageIndex = {
      ...packages,
      async project(name, signal) {
        const data = await packages.project(name, signal);
        return data.ok ? { ok: true, value: { ...data.value, files: data.value.files.map((file) => ({ ...file, uploadTime: undefined })) } } : data;
      },
    };
    const result = await completeAt('requests>=‸', { index: undated });
    assert.deepEqual(result.list.items.map((item) => item.labelDetails?.description), ['2023-05-22', '2018-10-18', '2018-06-14']);
  });

  test('nothing for an unknown project, a URL, a marker, a comment, or without an index', async () => {
    for (const source of ['no-such-project==‸', 'requests @ https://x/requests-2.0.tar.gz#==‸', 'requests; python_version >=‸', '# requests==‸', 'requests  # ==‸']) {
      assert.deepEqual((await completeAt(source)).list, { isIncomplete: false, items: [] }, source);
    }
    assert.deepEqual((await completeAt('requests==‸', {})).labels, []);
  });
});

suite('project names', () => {
  test('at the name position: names with the typed normalized prefix, shortest first, replacing the whole name', async () => {
    const result = await completeAt('⟦fl‸ask⟧==3.0\n');
    assert.deepEqual(result.labels, ['Flask', 'flask_login', 'Flask-SQLAlchemy']);
    assert.equal(result.range, result.marked);
    assert.equal(result.list.isIncomplete, false);
    assert.deepEqual(result.item('Flask'), { label: 'Flask', kind: 9, sortText: '0', textEdit: { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } }, newText: 'Flask' } });
  });

  test('a separator written differently still matches, and the client is told what to filter on', async () => {
    const result = await completeAt('flask_‸');
    assert.deepEqual(result.labels, ['flask_login', 'Flask-SQLAlchemy']);
    assert.equal(result.item('flask_login').filterText, undefined);
    assert.equal(result.item('Flask-SQLAlchemy').filterText, 'flask_sqlalchemy');
    assert.deepEqual((await completeAt('REQUESTS.‸')).labels, ['requests-toolbelt']);
  });

  test('an empty line, an indented one, and a line continued from a requirement', async () => {
    assert.equal((await completeAt('‸')).labels.length, 8);
    assert.deepEqual((await completeAt('  re‸')).labels, ['requests', 'requests-toolbelt']);
    assert.deepEqual((await completeAt('flask \\\n  re‸')).labels, [], 'not a name position: the line already names a project');
  });

  test('600,000 names: capped at 100 with isIncomplete, the table built once', async () => {
    const names = Array.from({ length: 600_000 }, (_, i) => `Pkg_${i.toString(36)}`);
    const many: PackageIndex = { ...packages, projectNames: async () => ({ ok: true, value: names }) };
    let started = performance.now();
    const first = await completeAt('pkg-‸', { index: many });
    const built = performance.now() - started;
    assert.equal(first.labels.length, 100);
    assert.equal(first.list.isIncomplete, true);
    assert.deepEqual(first.labels.slice(0, 3), ['Pkg_0', 'Pkg_1', 'Pkg_2']);
    started = performance.now();
    const narrowed = await completeAt('pkg-zz‸', { index: many });
    const searched = performance.now() - started;
    assert.deepEqual(narrowed.labels.slice(0, 3), ['Pkg_zz', 'Pkg_zz0', 'Pkg_zz1']);
    assert.equal(narrowed.labels.length, 37);
    assert.equal(narrowed.list.isIncomplete, false);
    assert.ok(searched < Math.max(50, built / 5), `a search after the first takes ${searched.toFixed(1)} ms (the first ${built.toFixed(1)} ms)`);
  });

  test('an index that fails or cannot list its projects gives an empty list', async () => {
    const down = await startTestIndex({ projects: {} });
    await down.close();
    const failing = testClient({ http: { retries: 0 } });
    try {
      const result = await completeAt('fl‸', { index: openIndex(failing.client, selection([down.simpleUrl])) });
      assert.deepEqual(result.list, { isIncomplete: false, items: [] });
    } finally {
      await failing.close();
    }
  });
});

suite('options', () => {
  const FILE_OPTIONS = [
    '--index-url', '-i', '--extra-index-url', '--no-index', '--constraint', '-c', '--requirement', '-r', '--editable', '-e',
    '--find-links', '-f', '--no-binary', '--only-binary', '--prefer-binary', '--require-hashes', '--no-require-hashes', '--pre',
    '--all-releases', '--only-final', '--trusted-host', '--use-feature',
  ];

  test('on a line of its own: the file-wide options, with what they do; values follow a space', async () => {
    const result = await completeAt('requests\n⟦-‸⟧\n', {});
    assert.deepEqual(result.labels, FILE_OPTIONS);
    assert.equal(result.range, result.marked);
    assert.equal(result.item('--requirement').detail, "Includes another requirements file (a relative path is taken from this file's folder).");
    assert.equal((result.item('-r').textEdit as TextEdit).newText, '-r ');
    assert.equal((result.item('--pre').textEdit as TextEdit).newText, '--pre');
  });

  test('after a requirement: its own options (--hash=, --config-settings=); removed ones never', async () => {
    const result = await completeAt('requests==2.31.0 ⟦--‸⟧', {});
    assert.deepEqual(result.labels, ['--hash', '--config-settings', '-C']);
    assert.equal(result.range, result.marked);
    assert.deepEqual(result.list.items.map((item) => (item.textEdit as TextEdit).newText), ['--hash=', '--config-settings=', '-C ']);
    assert.deepEqual((await completeAt('requests==2.31.0 \\\n    --hash=sha256:abc \\\n    -‸', {})).labels, ['--hash', '--config-settings', '-C']);
  });

  test('the name of an option with a value already: only the name is replaced', async () => {
    const source = 'requests==2.31.0 ⟦--ha‸sh⟧=sha256:abc';
    const result = await completeAt(source, {});
    assert.equal(result.range, result.marked);
    assert.equal(applyItem(source, result, '--hash'), 'requests==2.31.0 --hash=sha256:abc');
  });

  test('later on a line of options: no -r/-c/-e, no flag twice; after -e only --config-settings; after -r nothing', async () => {
    const later = FILE_OPTIONS.filter((name) => !['--constraint', '-c', '--requirement', '-r', '--editable', '-e', '--pre'].includes(name));
    assert.deepEqual((await completeAt('--pre --‸', {})).labels, later);
    assert.deepEqual((await completeAt('-e ./pkg -‸', {})).labels, ['--config-settings', '-C']);
    assert.deepEqual((await completeAt('-r base.txt -‸', {})).labels, []);
  });

  test('not where a value or a comment goes', async () => {
    for (const source of ['-r -‸', '--index-url -‸', '--index-url=https://x/simple -i -‸', 'requests==2.0 --hash=sha256:‸', 'requests # -‸', '-rbase.txt‸', '--pre "-‸']) {
      assert.deepEqual((await completeAt(source, {})).labels, [], source);
    }
  });
});

suite('extras', () => {
  test('from provides_extra, with the projects each adds; those written are left out', async () => {
    const result = await completeAt('requests[⟦‸⟧]==2.31.0');
    assert.deepEqual(result.labels, ['socks', 'use-chardet-on-py3']);
    assert.equal(result.range, result.marked);
    assert.equal(result.item('socks').detail, 'adds PySocks');
    assert.deepEqual((await completeAt('requests[Socks, ‸]')).labels, ['use-chardet-on-py3']);
    assert.deepEqual((await completeAt('requests[ ‸ ,socks]')).labels, ['use-chardet-on-py3']);
    const replaced = await completeAt('requests[⟦so‸ck⟧]');
    assert.equal(replaced.range, replaced.marked);
  });

  test('without provides_extra: the extras requires_dist markers name, once each', async () => {
    const result = await completeAt('legacy[‸');
    assert.deepEqual(result.labels, ['redis', 'tblib', 'yaml']);
    assert.equal(result.item('redis').detail, 'adds redis, Redis-Py-Cluster');
  });

  test('nothing for an unknown project or an index without the JSON API', async () => {
    assert.deepEqual((await completeAt('no-such-project[‸')).labels, []);
    const noJsonApi = openIndex(client.client, selection([index.simpleUrl]), { jsonApiUrl: `${index.url}nowhere/` });
    assert.deepEqual((await completeAt('requests[‸', { index: noJsonApi })).labels, []);
  });
});

suite('setup.py', () => {
  const setupPy = (requirement: string) => `from setuptools import setup\nsetup(\n    name="x",\n    install_requires=["flask>=3", "${requirement}"],\n    extras_require={"socks": ["requests[socks]>=2"]},\n)\n`;

  test('versions, names and extras inside requirement strings', async () => {
    const versions = await completeAt(setupPy('requests>=⟦2.‸⟧'), { index: packages }, 'setup.py');
    assert.deepEqual(versions.labels, ['2.31.0', '2.20.0', '2.19.0']);
    assert.equal(versions.range, versions.marked);
    const names = await completeAt(setupPy('⟦fl‸⟧'), { index: packages }, 'setup.py');
    assert.deepEqual(names.labels, ['Flask', 'flask_login', 'Flask-SQLAlchemy']);
    assert.equal(names.range, names.marked);
    assert.deepEqual((await completeAt(setupPy('requests[‸]'), { index: packages }, 'setup.py')).labels, ['socks', 'use-chardet-on-py3']);
    assert.deepEqual((await completeAt('setup(extras_require={"dev": ["requests<‸"]})\n', { index: packages }, 'setup.py')).labels, ['2.31.0', '2.20.0', '2.19.0']);
  });

  test('lines of a multi-line string; nothing outside requirement strings, and no options', async () => {
    const lines = await completeAt('setup(install_requires="""\nflask\nrequests~=⟦‸⟧\n""".splitlines())\n', { index: packages }, 'setup.py');
    assert.deepEqual(lines.labels, ['2.31.0', '2.20.0', '2.19.0']);
    assert.equal(lines.range, lines.marked);
    for (const source of ['setup(name="fl‸", install_requires=[])\n', 'setup(install_requires=["requests"])  # ==‸\n', 'setup(install_requires=["requests -‸"])\n']) {
      assert.deepEqual((await completeAt(source, { index: packages }, 'setup.py')).labels, [], source);
    }
  });
});

suite('pyproject.toml and setup.cfg', () => {
  test('versions and names inside requirement strings and setup.cfg lines', async () => {
    const versions = await completeAt('[project]\ndependencies = ["flask>=3", "requests>=⟦2.‸⟧"]\n', { index: packages }, 'pyproject.toml');
    assert.deepEqual(versions.labels, ['2.31.0', '2.20.0', '2.19.0']);
    assert.equal(versions.range, versions.marked);
    const names = await completeAt('[dependency-groups]\ndev = [\n  "⟦fl‸⟧",\n]\n', { index: packages }, 'pyproject.toml');
    assert.deepEqual(names.labels, ['Flask', 'flask_login', 'Flask-SQLAlchemy']);
    const cfg = await completeAt('[options]\ninstall_requires =\n    flask>=3\n    requests~=⟦‸⟧\n', { index: packages }, 'setup.cfg');
    assert.deepEqual(cfg.labels, ['2.31.0', '2.20.0', '2.19.0']);
    assert.equal(cfg.range, cfg.marked);
    // Not in other strings, not in a string with escapes (a completion would have to be escaped too).
    for (const source of ['[project]\nname = "fl‸"\n', '[project]\ndependencies = ["\\u0072equests>=‸"]\n']) {
      assert.deepEqual((await completeAt(source, { index: packages }, 'pyproject.toml')).labels, [], source);
    }
  });
});

test('the JSON API: provides_extra is read when given, undefined when the index does not say', () => {
  const details = (info: Record<string, unknown>) => {
    const parsed = parseProjectDetails(JSON.stringify({ info: { name: 'demo', version: '1.0', ...info } }));
    return parsed.ok ? parsed.details : assert.fail(parsed.message);
  };
  assert.deepEqual(details({ provides_extra: ['socks', 7, 'Use_Chardet'] }).providesExtra, ['socks', 'Use_Chardet']);
  assert.deepEqual(details({ provides_extra: [] }).providesExtra, []);
  assert.equal(details({ provides_extra: null }).providesExtra, undefined);
  assert.equal(details({}).providesExtra, undefined);
});

test('a cancelled request answers with an empty list', async () => {
  const controller = new AbortController();
  controller.abort();
  assert.deepEqual((await completeAt('requests==‸', { index: packages, signal: controller.signal })).list, { isIncomplete: false, items: [] });
});
