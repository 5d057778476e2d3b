// Which release pip picks for a specifier, and how releases are summarised: PEP 440 order,
// yanked releases skipped, requires-python honoured, pre-releases by packaging's rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IndexedFile, ProjectData } from '../../server/src/index/packageIndex';
import { filesToHash, latestReleases, pickRelease, releaseFor, releasesOf } from '../../server/src/pip/releases';
import { pythonTarget } from '../support/targets';

function file(version: string, extra: Partial<IndexedFile> = {}): IndexedFile {
  return { filename: `p-${version}.tar.gz`, url: `https://x/p-${version}.tar.gz`, hashes: { sha256: version.padEnd(64, '0') }, yanked: false, coreMetadata: false, kind: 'sdist', version, source: 'x', ...extra };
}

const project: ProjectData = {
  name: 'p',
  versions: ['3.0.dev1', '2.1rc1', '2.0.post1', '2.0', '1.9', '1.0', '1!0.5'],
  files: [
    file('3.0.dev1'),
    file('2.1rc1'),
    file('2.0.post1', { yanked: true, yankedReason: 'broken' }),
    file('2.0', { requiresPython: '>=3.12', uploadTime: '2024-02-01T00:00:00Z' }),
    file('2.0', { filename: 'p-2.0-py3-none-any.whl', kind: 'wheel', yanked: true }),
    file('1.9', { uploadTime: '2023-05-01T00:00:00Z' }),
    file('1.0'),
    file('1!0.5'),
  ],
  stale: false,
  freshness: 'fetched',
  fetchedAt: 0,
  problems: [],
  indexes: [],
  statuses: [],
};
const releases = releasesOf(project);

test('releases are PEP 440 ordered (epochs first, post after final, rc before final)', () => {
  assert.deepEqual(releases.map((r) => r.version), ['1!0.5', '3.0.dev1', '2.1rc1', '2.0.post1', '2.0', '1.9', '1.0']);
  assert.equal(releases.find((r) => r.version === '2.0.post1')?.yanked, true);
  assert.equal(releases.find((r) => r.version === '2.0')?.yanked, false, 'one yanked file does not yank the release');
  assert.equal(releases.find((r) => r.version === '2.0')?.uploadTime, '2024-02-01T00:00:00Z');
});

test('pickRelease: newest non-yanked satisfying the specifier and the target Python', () => {
  assert.equal(pickRelease(releases, { specifier: '<2!0' })?.version, '1!0.5');
  assert.equal(pickRelease(releases, { specifier: '<1!0' })?.version, '2.0');
  assert.equal(pickRelease(releases, { specifier: '<1!0', targets: [pythonTarget('3.11')] })?.version, '1.9', '2.0 needs Python 3.12');
  assert.equal(pickRelease(releases, { specifier: '>=2.1rc1,<3' })?.version, '2.1rc1', 'named pre-release');
  assert.equal(pickRelease(releases, { specifier: '>2.0.post1,<3' })?.version, '2.1rc1', 'only a pre-release satisfies: packaging accepts it');
  assert.equal(pickRelease(releases, { specifier: '<1!0', allowPrereleases: true })?.version, '3.0.dev1');
  assert.equal(pickRelease(releases, { specifier: '>1!1' }), undefined);
  assert.equal(pickRelease(releases, { specifier: '==2.0.post1' }), undefined, 'yanked releases are never picked');
});

test('latest final and pre-release; a pin finds its release by PEP 440 equality', () => {
  const { final, prerelease } = latestReleases(releases);
  assert.equal(final?.version, '1!0.5');
  assert.equal(prerelease, undefined, 'no pre-release newer than the latest final');
  assert.equal(releaseFor(releases, '1.0.0')?.version, '1.0');
  assert.deepEqual(filesToHash(releases.find((r) => r.version === '2.0')!).map((f) => f.filename), ['p-2.0.tar.gz']);
  assert.deepEqual(filesToHash(releases.find((r) => r.version === '2.0.post1')!).map((f) => f.filename), ['p-2.0.post1.tar.gz'], 'a yanked release still has files to hash');
});

test('files whose names spell a version differently belong to the same release', () => {
  const spelled: ProjectData = { ...project, versions: ['2.0.0rc1'], files: [file('2.0.0-RC1', { filename: 'p-2.0.0-RC1.tar.gz' }), file('2.0.0rc1', { filename: 'p-2.0.0rc1-py3-none-any.whl', kind: 'wheel' })] };
  const [release, ...rest] = releasesOf(spelled);
  assert.equal(rest.length, 0);
  assert.equal(release.version, '2.0.0rc1');
  assert.equal(release.files.length, 2);
});

test('releases are grouped once per page: the same files and versions give the same releases, other versions or details group again', () => {
  const first = releasesOf(project);
  const again = releasesOf({ files: project.files, versions: project.versions });
  assert.notEqual(again, first, 'a list of its own, which the caller may sort or cut');
  assert.ok(again.every((release, i) => release === first[i]), 'the same files and versions: the releases worked out before');
  again.length = 0;
  assert.equal(releasesOf(project).length, 7, 'a caller changing its list changes nothing remembered');

  const fewerVersions = releasesOf({ ...project, versions: ['1.0'] });
  assert.notEqual(fewerVersions[0], first.find((release) => release.version === fewerVersions[0].version), 'other versions: grouped again');

  const details = { releaseDates: { '1!0.5': '2020-01-01T00:00:00Z' } } as unknown as Parameters<typeof releasesOf>[1];
  assert.equal(releasesOf(project, details).find((release) => release.version === '1!0.5')?.uploadTime, '2020-01-01T00:00:00Z', 'other details: grouped again');
  assert.equal(releasesOf(project).find((release) => release.version === '1!0.5')?.uploadTime, undefined);
});
