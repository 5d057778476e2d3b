// Which proxy an index request goes through: VS Code's http.proxy, else the environment as curl and
// requests read it, minus the hosts http.noProxy and NO_PROXY exclude. Pure: settings in, URL out.
import { BlockList, isIP } from 'node:net';

export interface ProxySettings {
  /** VS Code's `http.proxy`; wins over the environment when set. */
  readonly proxy?: string;
  /** VS Code's `http.noProxy`, added to NO_PROXY. */
  readonly noProxy?: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** One NO_PROXY entry: everything, an IP address or subnet, or a domain; any of them maybe with a port. */
type Exclusion = { kind: 'all' } | { kind: 'ip'; addresses: BlockList; port?: string } | { kind: 'domain'; domain: string; port?: string };

/** The proxy URL for a request to `url`, or undefined to connect directly. */
export function proxyFor(url: string, settings: ProxySettings): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const target = new URL(url);
  // Only http(s) goes through a proxy: file: URLs are read from disk.
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return undefined;
  const proxy = settings.proxy?.trim() || fromEnvironment(target.protocol, settings.env);
  if (!proxy) return undefined;
  const exclusions = [...splitEntries(environmentValue(settings.env, 'no_proxy')), ...(settings.noProxy ?? []).flatMap(splitEntries)];
  if (exclusions.some((entry) => excludes(parseExclusion(entry), target))) return undefined;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}

/** The lower-case variable first, as curl and requests read them; empty counts as unset. */
function environmentValue(env: ProxySettings['env'], lowerName: string): string | undefined {
  return env[lowerName]?.trim() || env[lowerName.toUpperCase()]?.trim() || undefined;
}

function fromEnvironment(protocol: string, env: ProxySettings['env']): string | undefined {
  return environmentValue(env, protocol === 'https:' ? 'https_proxy' : 'http_proxy') ?? environmentValue(env, 'all_proxy');
}

const splitEntries = (list: string | undefined) => (list ?? '').split(/[\s,]+/).filter(Boolean);

function parseExclusion(entry: string): Exclusion {
  const text = entry.toLowerCase();
  if (text === '*') return { kind: 'all' };
  const subnet = /^\[?([^\]/]+)\]?\/(\d{1,3})$/.exec(text);
  const [host, port] = subnet && isIP(subnet[1]) ? [subnet[1]] : splitHostPort(text);
  const family = isIP(host);
  // `.example.com`, `*.example.com` and `example.com` all mean the domain and its subdomains.
  if (!family) return { kind: 'domain', domain: host.replace(/^\*?\.+/, ''), port };
  const bits = family === 4 ? 32 : 128;
  const addresses = new BlockList();
  addresses.addSubnet(host, Math.min(subnet ? Number(subnet[2]) : bits, bits), family === 4 ? 'ipv4' : 'ipv6');
  return { kind: 'ip', addresses, port };
}

/** `[v6]`, `[v6]:port`, a bare v6 address (all colons, so no port), `host:port`, `host`. */
function splitHostPort(text: string): [host: string, port?: string] {
  const match = /^\[([^\]]+)\](?::(\d+))?$/.exec(text) ?? (isIP(text) ? null : /^([^:]+):(\d+)$/.exec(text));
  return match ? [match[1], match[2]] : [text];
}

function excludes(exclusion: Exclusion, target: URL): boolean {
  if (exclusion.kind === 'all') return true;
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  if (exclusion.port !== undefined && exclusion.port !== port) return false;
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(host);
  // Addresses compare as addresses: a domain suffix must not match 10.1.2.3 by its last digits.
  if (family) return exclusion.kind === 'ip' && exclusion.addresses.check(host, family === 4 ? 'ipv4' : 'ipv6');
  return exclusion.kind === 'domain' && (host === exclusion.domain || host.endsWith(`.${exclusion.domain}`));
}
