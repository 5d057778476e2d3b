// A real forward proxy for tests, on 127.0.0.1: CONNECT tunnels (what clients use for https, and
// undici's ProxyAgent for http too unless proxyTunnel is false) and absolute-form plain HTTP
// requests (`GET http://host:port/path`). Optionally demands Basic proxy credentials (407 otherwise).
// Every request is recorded, including refused ones, so tests can check what a client sent.
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { closable, listenOnLoopback, splice } from './sockets';

export interface ProxiedRequest {
  readonly method: string;
  /** `host:port` for CONNECT, the absolute URL otherwise. */
  readonly target: string;
  readonly headers: IncomingHttpHeaders;
}

export interface ForwardProxy {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly requests: ProxiedRequest[];
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
/** Headers for the next hop: each side of a proxy frames and keeps alive its own connection. */
const endToEnd = (headers: IncomingHttpHeaders) => Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));

/** `host:port` (or `[v6]:port`) of a CONNECT request, or undefined when it is not one. */
function connectTarget(authority: string): { host: string; port: number } | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(authority);
  return match ? { host: match[1] ?? match[2], port: Number(match[3]) } : undefined;
}

export async function startForwardProxy(options: { requireAuth?: { username: string; password: string } } = {}): Promise<ForwardProxy> {
  const requests: ProxiedRequest[] = [];
  const expected = options.requireAuth && `Basic ${Buffer.from(`${options.requireAuth.username}:${options.requireAuth.password}`).toString('base64')}`;
  const admit = (req: IncomingMessage) => {
    requests.push({ method: req.method ?? '', target: req.url ?? '', headers: req.headers });
    return !expected || req.headers['proxy-authorization'] === expected;
  };

  const server = createServer((req, res) => {
    if (!admit(req)) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test proxy"', 'content-length': '0' }).end();
      return;
    }
    // Only absolute-form: a request for /path is meant for an origin server, not a proxy.
    if (!URL.canParse(req.url ?? '')) {
      res.writeHead(400, { 'content-length': '0' }).end();
      return;
    }
    const upstream = request(new URL(req.url ?? ''), { method: req.method, headers: endToEnd(req.headers) }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (res.headersSent) res.destroy();
      else res.writeHead(502, { 'content-length': '0' }).end();
    });
    req.pipe(upstream);
  });

  const connections = closable(server);
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    if (!admit(req)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test proxy"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const target = connectTarget(req.url ?? '');
    if (!target) {
      client.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = connect(target.port, target.host);
    connections.track(upstream);
    client.on('error', () => upstream.destroy());
    const unreachable = () => client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
    upstream.once('error', unreachable);
    upstream.once('connect', () => {
      upstream.off('error', unreachable);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      splice(client, upstream);
    });
  });

  const port = await listenOnLoopback(server);
  return { url: `http://127.0.0.1:${port}`, requests, close: connections.close };
}
