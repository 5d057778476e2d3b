// Builds the real index layer (undici HTTP, disk cache, node file access) the way main.ts does,
// with knobs tests need: a controllable clock, short timeouts, a notice log.
import { CredentialStore, type Netrc } from '../../server/src/index/credentials';
import { createHttpClient, type HttpClient, type HttpOptions } from '../../server/src/index/http';
import type { IndexSelection } from '../../server/src/index/indexSelection';
import { IndexClient, type IndexClientOptions, type IndexNotice } from '../../server/src/index/packageIndex';
import { fileResponseStore, nodeLocalFiles } from '../../server/src/nodeIo';
import { tempDir } from '../helpers/tempDirs';

export interface TestClient {
  readonly client: IndexClient;
  readonly http: HttpClient;
  readonly cacheDir: string;
  readonly notices: IndexNotice[];
  readonly credentials: CredentialStore;
  /** Moves the client's clock forward. */
  advance(ms: number): void;
  close(): Promise<void>;
}

export function testClient(
  options: {
    cacheDir?: string;
    http?: Partial<HttpOptions>;
    client?: Partial<Omit<IndexClientOptions, 'http' | 'files' | 'store'>>;
    netrc?: Netrc;
    noStore?: boolean;
  } = {},
): TestClient {
  const cacheDir = options.cacheDir ?? tempDir('cache');
  const credentials = new CredentialStore({ netrc: options.netrc });
  // Tests never see this machine's proxy variables unless they set their own.
  const http = createHttpClient({ userAgent: 'reqguard-test', env: {}, backoffMs: 10, credentials, ...options.http });
  const notices: IndexNotice[] = [];
  let offset = 0;
  const client = new IndexClient({
    http,
    files: nodeLocalFiles,
    store: options.noStore ? undefined : fileResponseStore(cacheDir),
    credentials,
    now: () => Date.now() + offset,
    onNotice: (notice) => notices.push(notice),
    ...options.client,
  });
  return {
    client,
    http,
    cacheDir,
    notices,
    credentials,
    advance: (ms) => void (offset += ms),
    close: async () => {
      await client.flush();
      await http.close();
    },
  };
}

/** An index selection as the editor settings would give it: these index URLs, nothing else. */
export function selection(indexUrls: string[], extra: Partial<IndexSelection> = {}): IndexSelection {
  return { indexUrls, findLinks: [], noIndex: false, source: 'settings', ...extra };
}
