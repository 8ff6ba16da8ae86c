import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventNames, httpEventsPath, httpPrefix, type EventName } from '../../shared/contract';
import { type AppService } from '../core/app';
import { silentLogger, type Logger, contentSecurityPolicy } from '../core/util';
import { bundleZipRoute, serveBundleZip } from './bundleZipRoute';
import { fileRoutes, serveAttachment } from './fileRoutes';
import { readStatic, resolveStatic } from './staticFiles';

/**
 * `cliq-vault serve`: the contract over HTTP for the same React UI the desktop app shows.
 *
 * Who may talk to it: it listens on 127.0.0.1 only; every request needs the random token printed
 * at start (the first page load trades it for an HttpOnly, SameSite=Strict cookie, then the URL is
 * cleaned), so other local users and other sites in the browser cannot call it; the Host header
 * must name the loopback address (a DNS-rebinding page arrives with its own host name); a request
 * carrying another Origin is refused; no CORS headers are ever sent; operations accept only
 * `application/json` POSTs, which a cross-site form cannot send. Archived files and bundle zips are GETs of
 * their own (fileRoutes.ts, bundleZipRoute.ts), behind the same checks.
 */

const maxBodyBytes = 1_000_000;
const heartbeatMs = 15_000;

export interface BridgeOptions {
  service: AppService;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** 0 (default): any free port. */
  port?: number;
  /** For tests; otherwise 32 random bytes. */
  token?: string;
  log?: Logger;
}

export interface RunningBridge {
  /** The URL to open: carries the token. */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export async function startBridge(options: BridgeOptions): Promise<RunningBridge> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const log = options.log ?? silentLogger;
  const streams = new Set<ServerResponse>();
  let port = 0;
  const cookieName = () => `cliq_vault_${port}`;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error('serve: request failed', { error: String(error) });
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'Internal error.');
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    baseHeaders(res);
    const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
    if (!allowedHosts.includes(req.headers.host ?? '')) {
      send(res, 421, 'text/plain; charset=utf-8', 'Refused: this server answers only to 127.0.0.1 (wrong Host header).');
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts.some((host) => origin === `http://${host}`)) {
      send(res, 403, 'text/plain; charset=utf-8', 'Refused: requests from other sites are not accepted.');
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const offered = url.searchParams.get('token');
    if (offered !== null && req.method === 'GET' && !url.pathname.startsWith(httpPrefix)) {
      if (!sameToken(offered, token)) {
        unauthorised(res, false);
        return;
      }
      // Trade the token in the URL for a cookie, and take it out of the address bar and history.
      url.searchParams.delete('token');
      res.setHeader('Set-Cookie', `${cookieName()}=${token}; HttpOnly; SameSite=Strict; Path=/`);
      res.setHeader('Location', `${url.pathname}${url.search}`);
      res.writeHead(303).end();
      return;
    }
    if (!authorised(req)) {
      unauthorised(res, url.pathname.startsWith(httpPrefix));
      return;
    }
    if (url.pathname === httpEventsPath) {
      if (req.method !== 'GET') return send(res, 405, 'text/plain; charset=utf-8', 'Use GET.');
      events(req, res);
      return;
    }
    if (url.pathname === fileRoutes.download || url.pathname === fileRoutes.thumbnail) {
      await serveAttachment(req, res, url, options.service);
      return;
    }
    if (url.pathname === bundleZipRoute) {
      await serveBundleZip(req, res, url, options.service);
      return;
    }
    if (url.pathname.startsWith(httpPrefix)) {
      const name = decodeOperationName(url.pathname.slice(httpPrefix.length));
      if (name === null) return json(res, 404, { ok: false, error: { code: 'USAGE', message: 'There is no such operation (the path is not valid percent-encoding).' } });
      await operation(req, res, name);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'Use GET.');
    const file = resolveStatic(options.staticDir, url.pathname);
    if (!file) return send(res, 404, 'text/plain; charset=utf-8', 'Not found.');
    const { body, type } = readStatic(file);
    send(res, 200, type, body);
  }

  function authorised(req: IncomingMessage): boolean {
    const header = req.headers.authorization;
    if (header?.startsWith('Bearer ') && sameToken(header.slice(7), token)) return true;
    const cookie = (req.headers.cookie ?? '')
      .split(';')
      .map((part) => part.trim().split('='))
      .find(([name]) => name === cookieName());
    return cookie?.[1] !== undefined && sameToken(cookie.slice(1).join('='), token);
  }

  async function operation(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    if (req.method !== 'POST') return send(res, 405, 'text/plain; charset=utf-8', 'Operations are POST requests.');
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
      return send(res, 415, 'text/plain; charset=utf-8', 'Operations take application/json.');
    }
    let text: string;
    try {
      text = await readBody(req);
    } catch {
      return json(res, 413, { ok: false, error: { code: 'USAGE', message: 'The request is too large.' } });
    }
    let request: unknown;
    try {
      request = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      return json(res, 400, { ok: false, error: { code: 'USAGE', message: 'The request body is not JSON.' } });
    }
    json(res, 200, await options.service.dispatch(name, request));
  }

  function events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    streams.add(res);
    const off = options.service.on((event: EventName, payload) => {
      if (eventNames.includes(event)) res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
    heartbeat.unref();
    req.on('close', () => {
      clearInterval(heartbeat);
      off();
      streams.delete(res);
    });
  }

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    // Loopback only, always: serve is never reachable from the network.
    server.listen(options.port ?? 0, '127.0.0.1', () => resolvePromise());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    close: () =>
      new Promise<void>((resolvePromise) => {
        for (const stream of streams) stream.end();
        server.close(() => resolvePromise());
        server.closeAllConnections();
      }),
  };
}

/** The operation name in a path, or null when its percent-encoding is malformed (`%E0%A4%A`). */
function decodeOperationName(encoded: string): string | null {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return null;
  }
}

function sameToken(offered: string, token: string): boolean {
  const a = Buffer.from(offered);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function baseHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Cache-Control', 'no-store');
}

function unauthorised(res: ServerResponse, api: boolean): void {
  if (api) {
    json(res, 401, { ok: false, error: { code: 'AUTH_MISSING_CREDENTIALS', message: 'This request needs the access token.', hint: 'Open the link `cliq-vault serve` printed.' } });
    return;
  }
  send(res, 401, 'text/plain; charset=utf-8', 'Cliq Vault: open the link `cliq-vault serve` printed (it carries the access token).');
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'Content-Type': type });
  res.end(body);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past the limit: answer 413 now, and drain the rest rather than reset the connection.
      if (size > maxBodyBytes) reject(new Error('too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolvePromise(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
