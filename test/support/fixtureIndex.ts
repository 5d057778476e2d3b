// One test index per test file: started before the file's tests with a client and the view the
// editor setting `reqguard.index.url` would give of it, and stopped after them.
import { after, before } from 'node:test';
import type { IndexSelection } from '../../server/src/index/indexSelection';
import { openIndex, type PackageIndex } from '../../server/src/index/packageIndex';
import { selection, testClient, type TestClient } from './indexClient';
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
