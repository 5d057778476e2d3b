// Hovers against a real test index on 127.0.0.1 (and a file:// static mirror without hashes):
// the whole markdown of a pinned, vulnerable project; ranges and pip's pick; yanked releases,
// pre-releases and requires-python; unknown projects and failing indexes as one line; which file a
// --hash is for; option hovers without an index; CRLF offsets; setup.py; 2,000 releases.
import { describe as suite, test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Hover, MarkupContent } from 'vscode-languageserver-types';
import { analyzeDocument } from '../../server/src/engine/documents';
import { hover, type HoverDeps } from '../../server/src/features/hover';
import { openIndex, type PackageIndex } from '../../server/src/index/packageIndex';
import { atCaret, formatRange, marked } from '../helpers/marked';
import { selection, testClient, type TestClient } from '../support/indexClient';
import { writeStaticMirror } from '../support/staticMirror';
import { startTestIndex, type IndexFixture, type TestIndex, type VersionSpec } from '../support/testIndex';
import { useFixtureIndex, withPartialAnswer } from '../support/fixtureIndex';
import { pythonTarget } from '../support/targets';
import { tempDir } from '../helpers/tempDirs';

const SUMMARY = 'Python HTTP for Humans.';
const requestsVersion = (uploadTime: string, extra: VersionSpec = {}): VersionSpec => ({ summary: SUMMARY, uploadTime, ...extra });

/** 2,000 releases (0.0 … 19.99), one wheel each. */
const BIG_VERSIONS: Record<string, VersionSpec> = {};
for (let i = 0; i < 2000; i++) BIG_VERSIONS[`${Math.floor(i / 100)}.${i % 100}`] = { files: ['wheel'], uploadTime: `2020-01-01T00:00:00Z` };

const FIXTURE: IndexFixture = {
  projects: {
    requests: {
      versions: {
        '2.19.0': requestsVersion('2018-06-14T14:20:00Z', {
          vulnerabilities: [
            { id: 'PYSEC-2018-28', aliases: ['CVE-2018-18074', 'GHSA-x84v-xcm2-53pg'], summary: 'Authorization header leaks on redirect to http', fixedIn: ['2.20.0'] },
            { id: 'PYSEC-NOFIX' },
            { id: 'PYSEC-WITHDRAWN', fixedIn: ['2.99'], withdrawn: '2024-01-01T00:00:00Z' },
          ],
        }),
        '2.20.0': requestsVersion('2018-10-18T15:46:00Z'),
        '2.30.0': requestsVersion('2023-05-03T15:00:00Z', { yanked: 'broken *build* [see](javascript:alert(1))' }),
        '2.31.0': requestsVersion('2023-05-22T15:12:00Z', { requiresPython: '>=3.7' }),
        '2.32.0rc1': requestsVersion('2024-05-01T10:00:00Z', { requiresPython: '>=3.8' }),
      },
    },
    demo: {
      versions: {
        '1.0': { files: [{ kind: 'wheel', pythonTag: 'cp311', abiTag: 'cp311', platformTag: 'manylinux_2_17_x86_64' }, 'sdist'] },
        '2.0': { files: ['wheel'] },
      },
    },
    big: { versions: BIG_VERSIONS },
    winwheel: { versions: { '1.0': { files: ['wheel'] }, '2.0': { files: [{ kind: 'wheel', pythonTag: 'cp311', abiTag: 'cp311', platformTag: 'win_amd64' }] } } },
  },
};


let index: TestIndex;
let client: TestClient;
let packages: PackageIndex;
useFixtureIndex(FIXTURE, (running) => ({ index, client, view: packages } = running), { sourceDetail: 'reqguard.index.url' });

interface Hovered {
  readonly hover: Hover | undefined;
  /** The markdown, '' when there is no hover. */
  readonly text: string;
  /** The hover's range, as `line:char-line:char`. */
  readonly range: string | undefined;
  /** The first ⟦mark⟧ of the source, as the same kind of range. */
  readonly marked: string;
}

/**
 * Hovers `source` at its `‸` (removed from the text) in a document named `name`; `⟦…⟧` marks the
 * range the hover should have.
 */
async function hoverAt(source: string, deps: HoverDeps = { index: packages }, name = 'requirements.txt'): Promise<Hovered> {
  const { mark, document, offset, path } = atCaret(source, name);
  const result = await hover(analyzeDocument(document, path), offset, deps);
  if (result) assert.equal((result.contents as MarkupContent).kind, 'markdown');
  return {
    hover: result,
    text: result ? (result.contents as MarkupContent).value : '',
    range: result?.range && formatRange(result.range),
    marked: mark.ranges.length ? formatRange(mark.ranges[0]) : '',
  };
}

/** The sha256 of a file the test index serves. */
const sha = (filename: string): string => index.file(filename)?.sha256 ?? assert.fail(`no file ${filename}`);

suite('projects', () => {
  test('a pinned, vulnerable project: the whole hover', async () => {
    const result = await hoverAt('flask==3.0\n⟦req‸uests==2.19.0⟧ --hash=sha256:abc\n');
    assert.equal(result.range, result.marked);
    assert.equal(
      result.text,
      [
        `**requests** — ${SUMMARY}`,
        'Pinned: **2.19.0** (2018-06-14)',
        'Latest: **2.31.0** (2023-05-22); pre-release **2.32.0rc1** (2024-05-01)',
        '⚠ **2 known vulnerabilities of 2.19.0:**',
        [
          '- [PYSEC-2018-28](https://osv.dev/vulnerability/PYSEC-2018-28) (CVE-2018-18074, GHSA-x84v-xcm2-53pg): Authorization header leaks on redirect to http; fixed in 2.20.0',
          '- [PYSEC-NOFIX](https://osv.dev/vulnerability/PYSEC-NOFIX); no fixed version known',
        ].join('\n'),
        'Recent versions:',
        [
          '- 2.32.0rc1 · 2024-05-01 · pre-release',
          '- 2.31.0 · 2023-05-22',
          '- ~~2.30.0~~ · 2023-05-03 · yanked: broken \\*build\\* \\[see\\](javascript:alert(1))',
          '- 2.20.0 · 2018-10-18',
          '- 2.19.0 · 2018-06-14 · **this one**',
        ].join('\n'),
        `Index: \`${index.simpleUrl}\` (from the setting \`reqguard.index.url\`)`,
      ].join('\n\n'),
    );
  });

  test('a pin written shorter than the index spells it still finds its vulnerabilities', async () => {
    const { text } = await hoverAt('requests==2.19‸\n');
    assert.match(text, /^Pinned: \*\*2\.19\.0\*\* \(2018-06-14\)$/m);
    assert.match(text, /2 known vulnerabilities of 2\.19\.0/);
  });

  test('a release without vulnerabilities says so; requires-python is shown, and flagged for the target Python', async () => {
    const plain = await hoverAt('requests==2.31.0‸');
    assert.match(plain.text, /^Pinned: \*\*2\.31\.0\*\* \(2023-05-22\); requires Python `>=3\.7`$/m);
    assert.match(plain.text, /^No known vulnerabilities of 2\.31\.0 \(from the index's JSON API\)\.$/m);
    const old = await hoverAt('requests==2.31.0‸', { index: packages, targets: [pythonTarget('3.6')] });
    assert.match(old.text, /^Pinned: \*\*2\.31\.0\*\* \(2023-05-22\); requires Python `>=3\.7` \(\*\*not CPython 3\.6\*\*\)$/m);
  });

  test('license and project links when the JSON API gives them; only http(s) links', async () => {
    // The test index's JSON API has neither: this view adds them to its real answers.
    const enriched: PackageIndex = {
      ...packages,
      details: async (name, version, signal) => {
        const details = await packages.details(name, version, signal);
        return details && { ...details, license: 'Apache-2.0', projectUrls: { Documentation: 'https://requests.readthedocs.io', Evil: 'javascript:alert(1)', 'Source (code)': 'https://github.com/psf/requests' } };
      },
    };
    const { text } = await hoverAt('requests==2.31.0‸', { index: enriched });
    assert.match(text, /^License: Apache-2\.0 · \[Documentation\]\(https:\/\/requests\.readthedocs\.io\/\) · \[Source \(code\)\]\(https:\/\/github\.com\/psf\/requests\)$/m);
    assert.doesNotMatch(text, /Evil/);
  });

  test('a yanked pin says so, with the reason escaped', async () => {
    const { text } = await hoverAt('requests==2.30.0‸');
    assert.match(text, /^Pinned: \*\*2\.30\.0\*\* \(2023-05-03\); \*\*yanked\*\*: broken \\\*build\\\* \\\[see\\\]\(javascript:alert\(1\)\)$/m);
    assert.doesNotMatch(text, /(?<!\\)\]\(javascript:/, 'no link can come from index text');
  });

  test('a pinned version the index does not have', async () => {
    const { text } = await hoverAt('requests==9.9‸');
    assert.match(text, /^Pinned: \*\*9\.9\*\*, which is not on the index\.$/m);
    assert.match(text, /^Latest: \*\*2\.31\.0\*\*/m);
  });

  test("a range: pip's pick (yanked and pre-releases skipped), for the target Python when set; the range is the hover's", async () => {
    const range = await hoverAt('⟦requests>=2.20,‸<2.31⟧ ; python_version >= "3"\n');
    assert.equal(range.range, range.marked);
    assert.match(range.text, /^Selected: \*\*2\.20\.0\*\* \(2018-10-18\) \(pip's pick for `>=2\.20,<2\.31`\)$/m);
    assert.match(range.text, /^- 2\.20\.0 · 2018-10-18 · \*\*this one\*\*$/m);
    assert.doesNotMatch(range.text, /vulnerabilit/, 'vulnerabilities are those of a pin');

    const open = await hoverAt('‸requests\n');
    assert.match(open.text, /^Selected: \*\*2\.31\.0\*\* \(2023-05-22\) \(pip's pick with no version constraint\); requires Python `>=3\.7`$/m);
    const py36 = await hoverAt('requests[socks]‸>=2.20', { index: packages, targets: [pythonTarget('3.6')] });
    assert.match(py36.text, /^Selected: \*\*2\.20\.0\*\* \(2018-10-18\) \(pip's pick for `>=2\.20` for CPython 3\.6\)$/m);
    const none = await hoverAt('requests>=3‸');
    assert.match(none.text, /^No release on the index satisfies `>=3`\.$/m);
  });

  test('several targets: pip\'s pick is a release every one can install, and the hover names them; a pin one cannot install says which', async () => {
    const targets = [pythonTarget('3.11', 'manylinux_2_28_x86_64'), pythonTarget('3.11', 'win_amd64')];
    const range = await hoverAt('winwheel‸\n', { index: packages, targets });
    assert.match(range.text, /^Selected: \*\*1\.0\*\* \(2024-01-01\) \(pip's pick with no version constraint for CPython 3\.11 on Linux x86\\_64 and CPython 3\.11 on Windows AMD64\)$/m);
    const windows = await hoverAt('winwheel‸\n', { index: packages, targets: [targets[1]] });
    assert.match(windows.text, /^Selected: \*\*2\.0\*\* \(2024-01-01\) \(pip's pick with no version constraint for CPython 3\.11 on Windows AMD64\)$/m);
    const pin = await hoverAt('winwheel==2.0‸\n', { index: packages, targets });
    assert.match(pin.text, /^Pinned: \*\*2\.0\*\* \(2024-01-01\); \*\*no file CPython 3\.11 on Linux x86\\_64 can install\*\*$/m);
  });

  test('an unknown project is one line, with the index it was looked for on', async () => {
    const { text } = await hoverAt('nope-not-here==1.0‸\n');
    assert.equal(text, `**nope-not-here**\n\nNot found on \`${index.simpleUrl}\`.\n\n${`Index: \`${index.simpleUrl}\` (from the setting \`reqguard.index.url\`)`}`);
  });

  test('a failing index is one line; with cached data the hover says it is stale', async () => {
    const down = await startTestIndex(FIXTURE);
    const fresh = testClient({ http: { retries: 0 } });
    try {
      const downIndex = openIndex(fresh.client, selection([down.simpleUrl]));
      down.setFault('simple-project', { kind: 'status', status: 500 });
      const failing = await hoverAt('demo==1.0‸', { index: downIndex });
      assert.match(failing.text, new RegExp(`^Index failing: ${down.simpleUrl.replace(/[.]/g, '\\.')}demo/ answered 500.*\\.$`, 'm'));
      assert.doesNotMatch(failing.text, /Recent versions/);

      down.setFault('simple-project', undefined);
      const other = await hoverAt('requests==2.20.0‸', { index: downIndex });
      assert.match(other.text, /^Pinned: \*\*2\.20\.0\*\*/m);
      fresh.advance(60 * 60 * 1000);
      down.setFault('simple-project', { kind: 'status', status: 500 });
      const stale = await hoverAt('requests==2.20.0‸', { index: downIndex });
      assert.match(stale.text, /^⚠ Cached data from \d{4}-\d\d-\d\d \d\d:\d\d UTC: the index is failing\.$/m);
      assert.match(stale.text, /^Pinned: \*\*2\.20\.0\*\*/m, 'the cached data is still shown');
    } finally {
      await fresh.close();
      await down.close();
    }
  });

  test('an index that does not answer at all', async () => {
    const closed = await startTestIndex({ projects: {} });
    const url = closed.simpleUrl;
    await closed.close();
    const fresh = testClient({ http: { retries: 0 } });
    try {
      const { text } = await hoverAt('demo==1.0‸', { index: openIndex(fresh.client, selection([url])) });
      assert.match(text, /^Index unreachable: .*unreachable.*\.$/m);
    } finally {
      await fresh.close();
    }
  });

  test('without an index: the name and the requirement only', async () => {
    const { text, range, marked: expected } = await hoverAt('⟦req‸uests==2.19.0⟧\n', {});
    assert.equal(text, '**requests**\n\n`requests==2.19.0`');
    assert.equal(range, expected);
  });

  test('a direct reference is not from the index (credentials redacted)', async () => {
    const { text } = await hoverAt('de‸mo @ https://user:secret@example.com/demo-1.0.tar.gz\n');
    assert.equal(text, '**demo**\n\nInstalled from `https://user:****@example.com/demo-1.0.tar.gz`, not from the index.');
  });

  test('nothing to say: comments, markers, blank lines', async () => {
    assert.equal((await hoverAt('# requests‸\n')).hover, undefined);
    assert.equal((await hoverAt('requests ; python_version‸ >= "3"\n')).hover, undefined);
    assert.equal((await hoverAt('requests\n\n‸\nflask\n')).hover, undefined);
  });

  test('a cancelled hover gives nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    assert.equal((await hoverAt('requests==2.19.0‸', { index: packages, signal: controller.signal })).hover, undefined);
  });

  test('2,000 releases: the newest ten, the rest counted', async () => {
    const { text } = await hoverAt('big==0.5‸');
    assert.match(text, /^Pinned: \*\*0\.5\*\* \(2020-01-01\)$/m);
    assert.match(text, /^Latest: \*\*19\.99\*\* \(2020-01-01\)$/m);
    const listed = text.split('\n').filter((line) => line.startsWith('- '));
    assert.deepEqual(listed.slice(0, 3), ['- 19.99 · 2020-01-01', '- 19.98 · 2020-01-01', '- 19.97 · 2020-01-01']);
    assert.equal(listed.length, 11);
    assert.equal(listed[10], '- … and 1,990 older');
  });
});

suite('--hash', () => {
  test('the wheel it matches, with its tags', async () => {
    const wheel = 'demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl';
    const digest = sha(wheel);
    const result = await hoverAt(`demo==1.0 \\\n    --hash=⟦sha256:${digest.slice(0, 8)}‸${digest.slice(8)}⟧\n`);
    assert.equal(result.range, result.marked);
    assert.equal(
      result.text,
      `\`--hash\` sha256 \`${digest.slice(0, 19)}…\`\n\nMatches a file of demo 1.0:\n\n- \`${wheel}\`: wheel for Python \`cp311\`, ABI \`cp311\`, platform \`manylinux_2_17_x86_64\``,
    );
  });

  test('the sdist it matches', async () => {
    const { text } = await hoverAt(`demo==1.0 --hash=sha256:${sha('demo-1.0.tar.gz')}‸\n`);
    assert.match(text, /^- `demo-1\.0\.tar\.gz`: source distribution$/m);
  });

  test('no file of the pin; the version whose file it is, when it is one', async () => {
    const stranger = await hoverAt(`demo==1.0 --hash=sha256:${'ab'.repeat(32)}‸\n`);
    assert.match(stranger.text, /^Matches no file of demo 1\.0 on the index: a tampered file, or the hash of another version\.$/m);
    assert.doesNotMatch(stranger.text, /It is the hash of/);
    const other = await hoverAt(`demo==1.0 --hash=sha256:${sha('demo-2.0-py3-none-any.whl')}‸\n`);
    assert.match(other.text, /^It is the hash of `demo-2\.0-py3-none-any\.whl`: wheel for Python `py3`, ABI `none`, platform `any` \(version 2\.0\)\.$/m);
  });

  test('an unpinned entry, a malformed digest, no index', async () => {
    const unpinned = await hoverAt(`demo>=1 --hash=sha256:${sha('demo-2.0-py3-none-any.whl')}‸\n`);
    assert.match(unpinned.text, /not pinned with `==`/);
    assert.match(unpinned.text, /It is the hash of `demo-2\.0-py3-none-any\.whl`/);
    const short = await hoverAt('demo==1.0 --hash=sha256:abc‸\n');
    assert.match(short.text, /^Not a sha256 digest \(64 hex digits\): pip rejects it\.$/m);
    const offline = await hoverAt(`demo==1.0 --hash=sha256:${'ab'.repeat(32)}‸\n`, {});
    assert.match(offline.text, /^Expected hash \(algo:hex\) of one distribution file/m);
  });

  test('a partial answer (the index failing beside a find-links folder) claims no absence', async () => {
    await withPartialAnswer(index, 'demo', { projects: { demo: { versions: { '2.0': { files: ['wheel'] } } } } }, async (partial) => {
      const missing = await hoverAt(`demo==1.0 --hash=sha256:${sha('demo-1.0.tar.gz')}‸\n`, { index: partial });
      assert.match(missing.text, /^demo 1\.0 is not in the data the index gave, so this hash matches none of its files\.$/m);
      const stranger = await hoverAt(`demo==2.0 --hash=sha256:${'ab'.repeat(32)}‸\n`, { index: partial });
      assert.match(stranger.text, /^Matches no file of demo 2\.0 in the data the index gave: /m);
      const project = await hoverAt('de‸mo>=3\n', { index: partial });
      assert.match(project.text, /^⚠ .*\/simple\/demo\/ answered 503\.$/m);
      assert.match(project.text, /^No release in the data the index gave satisfies `>=3`\.$/m);
    });
  });

  test('a static mirror without hashes: files are hashed to match', async () => {
    const root = tempDir('hover-mirror');
    const { simpleDir } = writeStaticMirror({ projects: { demo: FIXTURE.projects.demo } }, root, { hashFragments: false });
    const mirror = openIndex(client.client, selection([pathToFileURL(simpleDir).href]));
    const { text } = await hoverAt(`demo==1.0 --hash=sha256:${sha('demo-1.0.tar.gz')}‸\n`, { index: mirror });
    assert.match(text, /^Matches a file of demo 1\.0:$/m);
    assert.match(text, /^- `demo-1\.0\.tar\.gz`: source distribution$/m);
  });
});

suite('options', () => {
  const cases: [string, RegExp][] = [
    ['⟦--index-u‸rl⟧ https://pypi.example/simple/\n', /^`--index-url` \(also `--pypi-url`, `-i`\): Base URL of the package index/],
    ['⟦--ind‸ex⟧ https://pypi.example/simple/\n', /^`--index-url` \(also `--pypi-url`, `-i`\)/],
    ['⟦-‸r⟧ base.txt\n', /^`-r` \(also `--requirement`\): Includes another requirements file/],
    ['⟦--requ‸irement⟧=base.txt\n', /^`--requirement` \(also `-r`\)/],
    ['⟦--require-‸hashes⟧\n', /^`--require-hashes`: Hash-checking mode/],
    ['demo==1.0 ⟦--ha‸sh⟧=sha256:abc\n', /^`--hash`: Expected hash \(algo:hex\)/],
    ['⟦-‸c⟧ constraints.txt\n', /^`-c` \(also `--constraint`\): Reads a constraints file/],
    ['⟦--no-ind‸ex⟧\n--find-links ./wheels\n', /^`--no-index`: Ignores every package index/],
  ];
  for (const [source, expected] of cases) {
    test(JSON.stringify(source), async () => {
      const result = await hoverAt(source, {});
      assert.match(result.text, expected);
      assert.equal(result.range, result.marked);
    });
  }
});

suite('offsets', () => {
  test('CRLF and continuations: offsets and ranges map through them', async () => {
    const wheel = 'demo-2.0-py3-none-any.whl';
    const source = `# pinned\r\n⟦demo==2.0⟧ \\\r\n    ⟦--ha‸sh⟧=⟦sha256:${sha(wheel)}⟧\r\n⟦requests>=2.20,<2.31⟧\r\n`;
    const mark = marked(source.replace('‸', ''));
    const document = TextDocument.create('file:///work/project/requirements.txt', 'pip-requirements', 1, mark.text);
    const analysis = analyzeDocument(document, '/work/project/requirements.txt');
    const at = async (line: number, character: number) => {
      const result = await hover(analysis, document.offsetAt({ line, character }), { index: packages });
      return { text: result ? (result.contents as MarkupContent).value : '', range: result?.range && formatRange(result.range) };
    };
    const name = await at(1, 2);
    assert.equal(name.range, formatRange(mark.ranges[0]));
    assert.match(name.text, /^Pinned: \*\*2\.0\*\*/m);
    const option = await at(2, 6);
    assert.equal(option.range, formatRange(mark.ranges[1]));
    assert.match(option.text, /^`--hash`/);
    const digest = await at(2, 30);
    assert.equal(digest.range, formatRange(mark.ranges[2]));
    assert.match(digest.text, new RegExp(`^- \`${wheel.replace(/\./g, '\\.')}\``, 'm'));
    const range = await at(3, 12);
    assert.equal(range.range, formatRange(mark.ranges[3]));
    assert.match(range.text, /^Selected: \*\*2\.20\.0\*\*/m);
  });
});

suite('setup.py', () => {
  test('install_requires entries hover like requirements, on their range inside the string', async () => {
    const source = 'from setuptools import setup\nsetup(\n    name="x",\n    install_requires=["⟦req‸uests>=2.20,<2.31⟧", "flask"],\n)\n';
    const result = await hoverAt(source, { index: packages }, 'setup.py');
    assert.equal(result.range, result.marked);
    assert.match(result.text, new RegExp(`^\\*\\*requests\\*\\* — ${SUMMARY.replace(/\./g, '\\.')}$`, 'm'));
    assert.match(result.text, /^Selected: \*\*2\.20\.0\*\*/m);
    const pinned = await hoverAt('setup(install_requires=["requests==2.19.0‸"])\n', { index: packages }, 'setup.py');
    assert.match(pinned.text, /2 known vulnerabilities of 2\.19\.0/);
    const bare = await hoverAt('setup(install_requires=["⟦re‸quests⟧"])\n', {}, 'setup.py');
    assert.equal(bare.text, '**requests**');
    assert.equal(bare.range, bare.marked);
    assert.equal((await hoverAt('setup(‸install_requires=["requests"])\n', {}, 'setup.py')).hover, undefined);
  });
});

suite('pyproject.toml and setup.cfg', () => {
  test('requirement strings hover like requirements, on their exact range (through an escape too)', async () => {
    const toml = await hoverAt('[project]\ndependencies = ["⟦req‸uests>=2.20,<2.31⟧"]\n', { index: packages }, 'pyproject.toml');
    assert.equal(toml.range, toml.marked);
    assert.match(toml.text, /^Selected: \*\*2\.20\.0\*\*/m);
    const escaped = await hoverAt('[dependency-groups]\ndev = ["⟦req\\u0075‸ests>=2⟧"]\n', { index: packages }, 'pyproject.toml');
    assert.equal(escaped.range, escaped.marked);
    assert.match(escaped.text, /^\*\*requests\*\*/m);
    const cfg = await hoverAt('[options]\ninstall_requires =\n    ⟦requests==2.19‸.0⟧ # pinned\n', { index: packages }, 'setup.cfg');
    assert.equal(cfg.range, cfg.marked);
    assert.match(cfg.text, /2 known vulnerabilities of 2\.19\.0/);
    assert.equal((await hoverAt('[project]\nname = "requ‸ests"\n', { index: packages }, 'pyproject.toml')).hover, undefined);
  });
});
