// The parts of undici reqguard uses, loaded alone. undici's index.js loads all of undici (fetch,
// WebSocket, cookies, mocks, caches, SQLite), which cost a new CLI process about 45 ms of CPU
// before its first request; Agent, ProxyAgent, the TLS connector and the request API are a third
// of that code.
// The types are undici's own; a test checks these are the classes undici exports.
import type * as Undici from 'undici';

/* eslint-disable @typescript-eslint/no-require-imports */
export const Agent: typeof Undici.Agent = require('undici/lib/dispatcher/agent');
export const ProxyAgent: typeof Undici.ProxyAgent = require('undici/lib/dispatcher/proxy-agent');
export const buildConnector: typeof Undici.buildConnector = require('undici/lib/core/connect');
const Dispatcher: typeof Undici.Dispatcher = require('undici/lib/dispatcher/dispatcher');
// What index.js does once: request(), stream() and the rest become methods of every dispatcher.
Object.assign(Dispatcher.prototype, require('undici/lib/api'));
/* eslint-enable @typescript-eslint/no-require-imports */

export type { Dispatcher } from 'undici';
export type Agent = Undici.Agent;
export type ProxyAgent = Undici.ProxyAgent;
/** Options of buildConnector (undici's namespace of that name). */
export type ConnectorOptions = Undici.buildConnector.BuildOptions;
/** A connector function (undici's buildConnector.connector). */
export type Connector = Undici.buildConnector.connector;

/** undici's top-level request(url, options), for a dispatcher given: the URL split as it splits it. */
export function request(url: string, options: Omit<Undici.Dispatcher.RequestOptions, 'origin' | 'path'> & { dispatcher: Undici.Dispatcher }): Promise<Undici.Dispatcher.ResponseData> {
  const { dispatcher, ...rest } = options;
  const parsed = new URL(url);
  return dispatcher.request({ ...rest, origin: parsed.origin, path: parsed.search ? `${parsed.pathname}${parsed.search}` : parsed.pathname });
}
