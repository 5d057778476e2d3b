// Builds the real index layer from settings and this machine (pip's config files, netrc, CA
// bundles, the cache folder). Shared by the language server and the CLI so both reach indexes
// the same way; everything it builds is injected, so tests construct the same pieces directly.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CredentialStore, parseNetrc } from './credentials';
import { createHttpClient, type HttpClient } from './http';
import { IndexClient, type IndexNotice } from './packageIndex';
import { pipConfigFiles, resolvePipIndexConfig, type PipIndexConfig } from './pipConfig';
import { fileResponseStore, nodeLocalFiles } from '../nodeIo';
import type { OsvPost } from './osv';
import type { EditorHttpSettings, ReqguardSettings } from '../settings';
import type { SettingsLabels } from './indexSelection';

type Env = Readonly<Record<string, string | undefined>>;

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** pip's effective index options on this machine (files it would read, PIP_* variables). */
export function readPipIndexConfig(env: Env, isolated: boolean): PipIndexConfig {
  const environment = { env, home: env.HOME || homedir(), isolated, envFileExists: env.PIP_CONFIG_FILE ? existsSync(env.PIP_CONFIG_FILE) : false };
  const files = pipConfigFiles(environment).map((file) => ({ ...file, text: readOptional(file.path) }));
  return resolvePipIndexConfig(files, environment);
}

/** Where the CLI keeps its cache: --cache-dir, else $XDG_CACHE_HOME/reqguard, else ~/.cache/reqguard. */
export function defaultCacheDir(env: Env): string {
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'reqguard');
}

const SYSTEM_CA_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem'];

/**
 * CAs to trust beyond Node's bundled ones: the system bundle (where corporate CAs get installed),
 * NODE_EXTRA_CA_CERTS (which Node itself drops once explicit CAs are passed) and pip's `cert`.
 */
export function extraCaCertificates(env: Env, pipCert?: string): string[] {
  const system = SYSTEM_CA_BUNDLES.find((path) => existsSync(path));
  return [system, env.NODE_EXTRA_CA_CERTS, pipCert]
    .filter((path): path is string => !!path)
    .map(readOptional)
    .filter((pem): pem is string => !!pem && pem.includes('-----BEGIN CERTIFICATE-----'));
}

export interface IndexRuntimeOptions {
  readonly settings: ReqguardSettings;
  readonly editorHttp?: EditorHttpSettings;
  readonly env: Env;
  /** Persisted cache folder; none keeps answers in memory only. */
  readonly cacheDir?: string;
  readonly userAgent: string;
  readonly onNotice?: (notice: IndexNotice) => void;
  /** What to call the index settings where they are shown (default: the editor's setting names). */
  readonly settingsLabels?: SettingsLabels;
}

export interface IndexRuntime {
  readonly client: IndexClient;
  readonly http: HttpClient;
  readonly pip: PipIndexConfig;
  readonly settingsLabels?: SettingsLabels;
  close(): Promise<void>;
}

export function createIndexRuntime(options: IndexRuntimeOptions): IndexRuntime {
  const { settings, env } = options;
  const pip = readPipIndexConfig(env, settings.index.isolated);
  const netrcPath = env.NETRC || join(env.HOME || homedir(), '.netrc');
  const netrcText = readOptional(netrcPath);
  const credentials = new CredentialStore({ netrc: netrcText === undefined ? undefined : parseNetrc(netrcText) });
  const http = createHttpClient({
    userAgent: options.userAgent,
    concurrency: settings.http.concurrency,
    timeoutMs: settings.http.timeoutSeconds * 1000,
    proxy: options.editorHttp ? { proxy: options.editorHttp.proxy, noProxy: options.editorHttp.noProxy } : undefined,
    env,
    strictSsl: options.editorHttp?.strictSSL ?? true,
    extraCaCertificates: extraCaCertificates(env, pip.cert?.value),
    credentials,
  });
  const client = new IndexClient({
    http,
    files: nodeLocalFiles,
    store: options.cacheDir ? fileResponseStore(options.cacheDir) : undefined,
    credentials,
    ttlMs: settings.index.cacheTtlMinutes * 60 * 1000,
    offline: settings.index.offline,
    onNotice: options.onNotice,
  });
  return {
    client,
    http,
    pip,
    settingsLabels: options.settingsLabels,
    // The cache writes still under way are finished first, so the next run finds every answer.
    close: async () => {
      await client.flush();
      await http.close();
    },
  };
}

/** OSV's querybatch through the index layer's HTTP client (same proxy, CAs and user agent). */
export function osvPost(runtime: IndexRuntime): OsvPost {
  return async (url, body, signal) => {
    const result = await runtime.http.fetch({ url, method: 'POST', body, signal, headers: { 'content-type': 'application/json', accept: 'application/json' } });
    return result.ok ? { status: result.value.status, body: result.value.body.toString('utf8') } : { status: result.error.status ?? 0, body: '' };
  };
}
