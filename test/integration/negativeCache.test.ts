// "Not found" survives outages: an index's 404 for a project is kept in the persisted cache like a
// page, under the same freshness rules (within the TTL: no request; offline: any age; past the
// TTL, while the index fails: served, with the outage notice), so unknown-project is still said
// while the index is down; a later page replaces it. Through the index client and the CLI.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openIndex } from '../../server/src/index/packageIndex';
import { selection, testClient } from '../support/indexClient';
import { startTestIndex, type TestIndex } from '../support/testIndex';
import { ageCachedAnswers, run, workspace } from './cli/runCli';

let index: TestIndex;
before(async () => {
  index = await startTestIndex({ projects: { requests: { versions: { '2.31.0': {} } } } });
});
after(() => index.close());

const TTL_PASSED = 11 * 60 * 1000;
const pageRequests = (project: string) => index.requests.filter((request) => request.path === `/simple/${project}/`).length;

describe('the index client', () => {
  test('a 404 is kept on disk: a new client within the TTL asks nothing and still knows', async () => {
    const first = testClient();
    const missing = await first.client.projectPage(index.simpleUrl, 'reqeusts');
    assert.equal(!missing.ok && missing.error.kind, 'not-found');
    await first.close();
    const before = pageRequests('reqeusts');
    const second = testClient({ cacheDir: first.cacheDir });
    try {
      const again = await second.client.projectPage(index.simpleUrl, 'reqeusts');
      assert.equal(!again.ok && again.error.kind, 'not-found');
      assert.match(!again.ok ? again.error.message : '', /answered 404 \(not found\) at \d{4}-/);
      assert.equal(pageRequests('reqeusts'), before);
    } finally {
      await second.close();
    }
  });

  test('past the TTL, while the index fails, the kept "not found" is the answer (with the outage notice); offline too, at any age', async () => {
    const t = testClient({ http: { retries: 0 } });
    try {
      const view = openIndex(t.client, selection([index.simpleUrl]));
      assert.equal((await view.project('zzz-typo')).ok, false);
      t.advance(TTL_PASSED);
      t.client.clearMemory();
      index.setFault('simple-project', { kind: 'status', status: 503 });
      const during = await view.project('zzz-typo');
      assert.equal(!during.ok && during.error.kind, 'not-found', JSON.stringify(during));
      assert.deepEqual(t.notices.map((notice) => notice.kind), ['stale']);
      index.setFault('simple-project', undefined);
      await t.client.flush();
      const offline = testClient({ cacheDir: t.cacheDir, client: { offline: true, now: () => Date.now() + 365 * 86_400_000 } });
      const kept = await offline.client.projectPage(index.simpleUrl, 'zzz-typo');
      assert.equal(!kept.ok && kept.error.kind, 'not-found');
      await offline.close();
    } finally {
      index.setFault('simple-project', undefined);
      await t.close();
    }
  });

  test('past the TTL the index is asked again, and a page it now has replaces the kept absence', async () => {
    const t = testClient();
    try {
      index.setFault('/simple/requests/', { kind: 'status', status: 404 });
      assert.equal((await t.client.projectPage(index.simpleUrl, 'requests')).ok, false);
      index.setFault('/simple/requests/', undefined);
      t.advance(TTL_PASSED);
      t.client.clearMemory();
      const now = await t.client.projectPage(index.simpleUrl, 'requests');
      assert.ok(now.ok);
      assert.equal(now.value.freshness, 'fetched');
    } finally {
      index.setFault('/simple/requests/', undefined);
      await t.close();
    }
  });
});

test('the CLI: unknown-project is still reported while the index is down, from the kept answer', async () => {
  const dir = workspace({ 'requirements.txt': 'reqeusts==2.31.0\nrequests==2.31.0\n' });
  const args = ['check', '--isolated', '--index-url', index.simpleUrl, '--cache-dir', 'cache', 'requirements.txt'];
  const first = await run(args, dir);
  assert.equal(first.status, 1, first.stderr);
  assert.match(first.stdout, /^requirements\.txt:1:1: error \[unknown-project\] 'reqeusts' is not on the index/m);
  ageCachedAnswers(`${dir}/cache`);
  index.setFault('simple-project', { kind: 'status', status: 503 });
  try {
    const down = await run([...args.slice(0, 1), '--timeout', '5', ...args.slice(1)], dir);
    assert.match(down.stdout, /^requirements\.txt:1:1: error \[unknown-project\] 'reqeusts' is not on the index/m);
    assert.match(down.stderr, /an index is failing; checked against its cached answers from/);
    assert.equal(down.status, 1, 'a finding, not an index that could not be asked');
  } finally {
    index.setFault('simple-project', undefined);
  }
});
