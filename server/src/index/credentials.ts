// Index credentials as pip finds them: user:password@ in an index or find-links URL, then ~/.netrc
// (through requests' get_netrc_auth). Pure: the caller reads the netrc file and sends the header.
// Ours: npm's netrc parsers do not follow Python's netrc lexer (quotes, escapes, macdef), which pip uses.
// The rule that matters: credentials go only to the origin they came with, never to another host,
// port or scheme (so a redirect elsewhere, or a link to a CDN, carries none).
import { percentDecode } from './urls';

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

export interface NetrcEntry {
  readonly login?: string;
  readonly password?: string;
  readonly account?: string;
}

export interface Netrc {
  /** By machine name, exactly as written (matched against URL hostnames, which are lower case). */
  readonly machines: ReadonlyMap<string, NetrcEntry>;
  readonly default?: NetrcEntry;
}

/** Python netrc's lexer: whitespace-separated tokens, "quoted" tokens, backslash escapes anywhere. */
class NetrcLexer {
  private position = 0;

  constructor(private readonly text: string) {}

  /** The next token, or undefined at the end of the text. */
  next(): string | undefined {
    const { text } = this;
    while (this.position < text.length && isNetrcSpace(text[this.position])) this.position++;
    if (this.position >= text.length) return undefined;
    const quoted = text[this.position] === '"';
    if (quoted) this.position++;
    let token = '';
    while (this.position < text.length) {
      let char = text[this.position++];
      if (quoted ? char === '"' : isNetrcSpace(char)) {
        // The whitespace after a token belongs to it (Python reads it), but a newline must stay
        // visible to skipLine so a comment token at the end of a line does not eat the next one.
        if (char === '\n') this.position--;
        break;
      }
      if (char === '\\' && this.position < text.length) char = text[this.position++];
      token += char;
    }
    return token;
  }

  /** Skips the rest of the current line, newline included. */
  skipLine(): void {
    const end = this.text.indexOf('\n', this.position);
    this.position = end < 0 ? this.text.length : end + 1;
  }

  /** Skips a macdef body: everything up to and including the next empty line. */
  skipMacro(): void {
    this.skipLine();
    while (this.position < this.text.length && this.text[this.position] !== '\n') this.skipLine();
    this.position++;
  }
}

const isNetrcSpace = (char: string) => char === ' ' || char === '\t' || char === '\n' || char === '\r';

/**
 * Reads a .netrc as Python's netrc module does. Where Python would raise NetrcParseError (an
 * unknown keyword, a missing value) this keeps what it could read and skips the stray token.
 */
export function parseNetrc(text: string): Netrc {
  // Python reads the file with universal newlines: a CRLF blank line still ends a macdef.
  const lexer = new NetrcLexer(text.replace(/\r\n?/g, '\n'));
  const machines = new Map<string, NetrcEntry>();
  let defaultEntry: NetrcEntry | undefined;
  let entry: { login?: string; password?: string; account?: string } | undefined;
  for (let token = lexer.next(); token !== undefined; token = lexer.next()) {
    if (token.startsWith('#')) {
      lexer.skipLine();
    } else if (token === 'machine') {
      const name = lexer.next();
      if (name === undefined) break;
      // A repeated machine replaces the earlier entry, as in Python's dict.
      entry = {};
      machines.set(name, entry);
    } else if (token === 'default') {
      entry = defaultEntry = {};
    } else if (token === 'macdef') {
      lexer.next();
      lexer.skipMacro();
      entry = undefined;
    } else if (entry && (token === 'login' || token === 'user')) {
      entry.login = lexer.next();
    } else if (entry && (token === 'password' || token === 'account')) {
      entry[token] = lexer.next();
    }
  }
  return { machines, default: defaultEntry };
}

/**
 * Takes `user:password@` (or a bare `token@`) out of a URL, as pip's split_auth_netloc_from_url
 * does: split at the last @ of the authority, then at the first colon, then percent-decode.
 */
export function splitUrlCredentials(url: string): { url: string; credentials?: Credentials } {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i.exec(url);
  if (!match || !URL.canParse(url)) return { url };
  const stripped = match[1] + url.slice(match[0].length);
  if (!URL.canParse(stripped)) return { url };
  const userinfo = match[2];
  const colon = userinfo.indexOf(':');
  const username = colon < 0 ? userinfo : userinfo.slice(0, colon);
  const password = colon < 0 ? '' : userinfo.slice(colon + 1);
  return { url: stripped, credentials: { username: percentDecode(username), password: percentDecode(password) } };
}

/** scheme://host[:port] for http(s) URLs (WHATWG: host lower-cased, default port dropped). */
function originOf(url: URL): string | undefined {
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
}

function basicAuthorization({ username, password }: Credentials): string {
  // UTF-8 as RFC 7617 recommends (requests encodes latin-1; the two agree for ASCII credentials).
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

export class CredentialStore {
  private readonly byOrigin = new Map<string, Credentials>();
  private readonly netrc?: Netrc;

  constructor(options: { netrc?: Netrc } = {}) {
    this.netrc = options.netrc;
  }

  /** Keeps the credentials of an index or find-links URL for its origin; returns the URL without them. */
  remember(url: string): string {
    const split = splitUrlCredentials(url);
    if (!split.credentials) return split.url;
    const origin = originOf(new URL(split.url));
    // The first URL wins: indexes arrive in pip's order, the primary index first.
    if (origin && !this.byOrigin.has(origin)) this.byOrigin.set(origin, split.credentials);
    return split.url;
  }

  /** The Authorization header value for a request to `url`, or undefined to send none. */
  authorizationFor(url: string): string | undefined {
    if (!URL.canParse(url)) return undefined;
    const parsed = new URL(url);
    const origin = originOf(parsed);
    if (!origin) return undefined;
    // Exact origin, not host: credentials given for https://host/ must not travel in clear text to
    // http://host/, nor to another service on host:8080, nor anywhere a redirect points.
    const remembered = this.byOrigin.get(origin);
    if (remembered) return basicAuthorization(remembered);
    // requests' get_netrc_auth: by hostname alone (the port plays no part), the default entry only
    // when no machine matches, and the account standing in for a missing login.
    const hostname = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
    const entry = this.netrc?.machines.get(hostname) ?? this.netrc?.default;
    if (!entry) return undefined;
    return basicAuthorization({ username: entry.login || entry.account || '', password: entry.password ?? '' });
  }
}
