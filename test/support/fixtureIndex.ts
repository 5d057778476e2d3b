// One test index per test file: started before the file's tests with a client and the view the
// editor setting `reqguard.index.url` would give of it, and stopped after them.
import { after, before } from 'node:test';
import type { IndexSelection } from '../../server/src/index/indexSelection';
import { openIndex, type PackageIndex } from '../../server/src/index/packageIndex';
import { tempDir } from '../helpers/tempDirs';
import { selection, testClient, type TestClient } from './indexClient';
import { writeFindLinksDir } from './staticMirror';
import { startTestIndex, type IndexFixture, type TestIndex } from './testIndex';

export interface FixtureIndex {
  readonly index: TestIndex;
  readonly client: TestClient;
  readonly view: PackageIndex;
}

/** Registers the file's before/after hooks; `started` receives the running index once `before` ran. */
export function useFixtureIndex(fixture: IndexFixture, started: (running: FixtureIndex) => void, selectionExtra: Partial<IndexSelection> = {}): void {
  let running: FixtureIndex | undefined;
  before(async () => {
    const index = await startTestIndex(fixture);
    const client = testClient();
    running = { index, client, view: openIndex(client.client, selection([index.simpleUrl], selectionExtra)) };
    started(running);
  });
  after(async () => {
    await running?.client.close();
    await running?.index.close();
  });
}

/**
 * Runs `check` against a partial answer: the index fails (503) for `project`, while a find-links
 * folder beside it holds the files of `folder` (part of what the index has). Undone afterwards.
 */
export async function withPartialAnswer(index: TestIndex, project: string, folder: IndexFixture, check: (view: PackageIndex) => Promise<void>): Promise<void> {
  const dir = tempDir('partial');
  writeFindLinksDir(folder, dir);
  const fresh = testClient({ http: { retries: 0 } });
  index.setFault(`/simple/${project}/`, { kind: 'status', status: 503 });
  try {
    await check(openIndex(fresh.client, selection([index.simpleUrl], { findLinks: [dir] })));
  } finally {
    index.setFault(`/simple/${project}/`, undefined);
    await fresh.close();
  }
}
