// OSV (https://osv.dev): known vulnerabilities of PyPI releases, asked in batches through an
// injected POST so the index layer's proxy, TLS and user agent apply.
import { parseJson } from './boundedJson';

/** POSTs a JSON body (injected, so proxies, TLS and the user agent stay the caller's). */
export type OsvPost = (url: string, body: string, signal?: AbortSignal) => Promise<{ readonly status: number; readonly body: string }>;

const OSV_BATCH = 1000;
const OSV_PAGES = 5;

export interface OsvQuery {
  readonly name: string;
  readonly version: string;
}

/**
 * OSV's `querybatch` (https://google.github.io/osv.dev/post-v1-querybatch/): the ids of known
 * vulnerabilities of each PyPI release, in query order (the batch answer has ids only), following
 * `next_page_token`. Undefined when OSV cannot be asked or answers something else.
 */
export async function queryOsv(post: OsvPost, url: string, queries: readonly OsvQuery[], signal?: AbortSignal): Promise<string[][] | undefined> {
  const found = queries.map((): string[] => []);
  try {
    let pending = queries.map((_, i) => ({ i, token: undefined as string | undefined }));
    for (let page = 0; pending.length > 0 && page < OSV_PAGES; page++) {
      const next: typeof pending = [];
      for (let start = 0; start < pending.length; start += OSV_BATCH) {
        const chunk = pending.slice(start, start + OSV_BATCH);
        const body = JSON.stringify({
          queries: chunk.map(({ i, token }) => ({ package: { name: queries[i].name, ecosystem: 'PyPI' }, version: queries[i].version, ...(token ? { page_token: token } : {}) })),
        });
        const response = await post(url, body, signal);
        if (response.status !== 200) return undefined;
        const parsed = parseJson(response.body);
        if (!parsed.ok) return undefined;
        const results: unknown = (parsed.value as { results?: unknown } | null)?.results;
        if (!Array.isArray(results) || results.length !== chunk.length) return undefined;
        chunk.forEach(({ i }, k) => {
          const result = (results[k] ?? {}) as { vulns?: unknown; next_page_token?: unknown };
          for (const vuln of Array.isArray(result.vulns) ? result.vulns : []) if (typeof vuln?.id === 'string') found[i].push(vuln.id);
          if (typeof result.next_page_token === 'string' && result.next_page_token) next.push({ i, token: result.next_page_token });
        });
      }
      pending = next;
    }
    return found;
  } catch {
    return undefined;
  }
}
