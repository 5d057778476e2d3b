// undiciParts loads undici's modules one by one instead of its index.js: they must be the very
// classes undici exports, with the request API that index.js would add to every dispatcher.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, buildConnector, ProxyAgent } from '../../server/src/index/undiciParts';

test('Agent, ProxyAgent and buildConnector are the classes undici exports, and dispatchers have its request API without index.js', async () => {
  const agent = new Agent();
  // Checked before undici's index.js is loaded (below), which would add the API itself.
  assert.equal(typeof agent.request, 'function');
  assert.equal(typeof agent.stream, 'function');
  const undici = await import('undici');
  assert.equal(Agent, undici.Agent);
  assert.equal(ProxyAgent, undici.ProxyAgent);
  assert.equal(buildConnector, undici.buildConnector);
  await agent.close();
});
