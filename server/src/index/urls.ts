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
