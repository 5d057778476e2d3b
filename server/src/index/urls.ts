// URL helpers of the index layer: redaction of credentials (pip's redact_auth_from_url) and the
// paths of the Simple and JSON APIs.
import { canonicalizeName } from '../parser/pep508';

/**
 * Hides credentials as pip's redact_auth_from_url does: `user:****@host`, or `****@host` for a
 * token. The userinfo ends at the LAST `@` before the host ends (`/`, `?` or `#`), as in
 * urllib.parse.urlsplit, pip and Node's URL: a password may hold `@` (`alice:s3cr@tPW@host`).
 */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i, (_whole, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return colon >= 0 ? `${scheme}${userinfo.slice(0, colon)}:****@` : `${scheme}****@`;
  });
}

/** Python's urllib.parse.unquote: %XX runs decoded as UTF-8 (bad bytes become U+FFFD), a stray % kept. */
export function percentDecode(text: string): string {
  return text.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8'));
}

/** The project page URL: the index URL with a trailing slash, then the normalized name and a slash. */
export function projectPageUrl(indexUrl: string, project: string): string {
  const base = indexUrl.endsWith('/') ? indexUrl : `${indexUrl}/`;
  return `${base}${canonicalizeName(project)}/`;
}

/** The PyPI JSON API base for an index, by the pypi.org layout: …/simple/ becomes …/pypi/. */
export function jsonApiBase(indexUrl: string): string | undefined {
  const match = /^(.*\/)simple\/?$/.exec(indexUrl);
  return match ? `${match[1]}pypi/` : undefined;
}

// Characters the WHATWG URL parser leaves as they are in a path (and `#` with a fragment of
// the same characters), without `%` (escapes) or `?`, whose handling the fast path leaves to it.
const PLAIN_PATH = "[A-Za-z0-9\\-._~!$&'()*+,;=:@/]*(?:#[A-Za-z0-9\\-._~!$&'()*+,;=:@/?]*)?";
/** http(s), a lower-case host name whose labels start with a letter (no IP address, no port). */
const PLAIN_ABSOLUTE_URL = new RegExp(`^https?://[a-z][a-z0-9-]*(?:\\.[a-z][a-z0-9-]*)*/${PLAIN_PATH}$`);
const PLAIN_ROOTED_PATH = new RegExp(`^/(?!/)${PLAIN_PATH}$`);

/**
 * Resolves a page's links against its URL as `new URL(href, base).href` does (undefined where
 * that throws). A page has thousands of links and the parser costs microseconds each, so links
 * already in the parser's own form (every PyPI link: absolute https with a plain path, and
 * `/files/…` on most self-hosted indexes) are kept as they are; anything else (dot segments,
 * escapes, IP hosts, IDNA, ports, queries, relative paths) goes to the parser.
 */
export class LinkResolver {
  /** `scheme://userinfo@host:port` of an http(s) base, to which a rooted path is appended. */
  private readonly origin: string | undefined;
  /** new URL throws for any link when the base itself does not parse. */
  private readonly baseParses: boolean;

  constructor(private readonly base: string) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(base);
    } catch {
      parsed = undefined;
    }
    this.baseParses = parsed !== undefined;
    this.origin = parsed && /^https?:$/.test(parsed.protocol) ? parsed.href.slice(0, parsed.href.length - (parsed.pathname + parsed.search + parsed.hash).length) : undefined;
  }

  resolve(href: string): string | undefined {
    if (this.baseParses && !href.includes('/.') && !href.includes('xn--')) {
      if (PLAIN_ABSOLUTE_URL.test(href)) return href;
      if (this.origin !== undefined && PLAIN_ROOTED_PATH.test(href)) return this.origin + href;
    }
    try {
      return new URL(href, this.base).href;
    } catch {
      return undefined;
    }
  }
}
