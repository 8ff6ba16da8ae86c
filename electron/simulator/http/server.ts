import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { isMaintenanceFamily, requiredScope, type RouteFamily } from '../families';
import type { FaultKind } from '../options';
import { handleControl, type Controller } from '../routes/control';
import { fileReply } from '../routes/files';
import { oauthRoutes, type AccountsRoute } from '../routes/oauth';
import type { SimState } from '../state';
import { apiRouter } from './apiRoutes';
import { hasScope } from './auth';
import { errorReply, HttpError } from './errors';
import { bigNumberBody, malformedBody, replacementFor, truncatedBody } from './faults';
import { bodyText, type Reply } from './reply';
import { Router } from './router';

/**
 * Two listeners on 127.0.0.1, like Cliq's two hosts: the API (cliq.zoho.{dc}: /api/v2, /maintenanceapi/v2,
 * plus the /__sim/ controls) and accounts (accounts.zoho.{dc}: /oauth/v2). A token is only ever
 * presented to the API listener, and OAuth only ever answered by the accounts one.
 *
 * Request pipeline on the API: route (404/405) → count → hold (a test's gate) → token (401) → scope
 * (403) → admin for Maintenance (403) → rate limit (429) → scripted/random fault → handler → optional
 * 406 → latency → write.
 *
 * A third listener is the download host F1 redirects to (docs/cliq-api.md §10.12): presigned URLs,
 * no token, counted as `files.download`, faultable, never rate-limited.
 */

export interface Listeners {
  apiBase: string;
  accountsBase: string;
  downloadBase: string;
  close(): Promise<void>;
}

const accountsRouter = new Router<AccountsRoute>(oauthRoutes);
const MAX_BODY = 10 * 1024 * 1024;

function isLoopback(req: IncomingMessage): boolean {
  const address = req.socket.remoteAddress ?? '';
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY) throw new HttpError(400, {}, 'body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A separate function so the check is re-evaluated after awaits (TS narrows a repeated property read away). */
function gone(res: ServerResponse): boolean {
  return res.destroyed;
}

/** Waits for room in the socket buffer, or for the client to go away; leaves no listeners behind. */
function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function accepts(accept: string | undefined, contentType: string | undefined): boolean {
  if (!accept || !contentType) return true;
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  const [major] = type.split('/');
  return accept
    .split(',')
    .map((part) => (part.split(';')[0] ?? '').trim().toLowerCase())
    .some((want) => want === '*/*' || want === type || want === `${major ?? ''}/*`);
}

/** An error as an object store words it (the download host is not Cliq, so not Cliq's JSON bodies). */
function storeError(status: number, code: string, message: string): Reply {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>\n`;
  return { status, headers: { 'content-type': 'application/xml' }, body, kind: 'xml' };
}

export async function startListeners(state: SimState, controller: Controller, ports: { api: number; accounts: number; download: number }): Promise<Listeners> {
  const hanging = new Set<ServerResponse>();

  const count = (family: RouteFamily) => {
    state.stats.requests[family]++;
  };
  const record = (key: string) => {
    state.stats.byStatus[key] = (state.stats.byStatus[key] ?? 0) + 1;
  };

  /** Writes a reply, breaking it as the fault says. */
  async function finish(res: ServerResponse, reply: Reply, fault: FaultKind | null, counted: boolean): Promise<void> {
    if (counted && state.options.latencyMs > 0) await delay(state.options.latencyMs);
    if (res.destroyed) return;
    const headers = { ...reply.headers };
    if (reply.kind === 'binary' && typeof reply.body !== 'string') {
      // Bytes are not JSON: a malformed or big-number fault leaves them alone.
      if (fault === 'malformed' || fault === 'big-number-id') fault = null;
      if (fault === 'reset' || fault === 'truncate') {
        if (counted) record(fault === 'reset' ? 'reset' : String(reply.status));
        const cut = Math.floor(Number(headers['content-length'] ?? '0') / 2);
        res.writeHead(reply.status, headers);
        let sent = 0;
        for (const chunk of reply.body()) {
          if (gone(res) || sent >= cut) break;
          const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
          const part = bytes.subarray(0, cut - sent);
          sent += part.length;
          // Wait for each write to reach the socket, so the cut is exact before it closes.
          await new Promise<void>((resolve) => res.write(part, () => resolve()));
        }
        // Content-Length promised the whole file; the connection ends after half of it: a clean
        // close (FIN) for truncate, a TCP reset (RST) for reset.
        const socket = res.socket;
        if (socket && fault === 'reset') socket.resetAndDestroy();
        else if (socket) socket.end();
        return;
      }
    }
    switch (fault) {
      case null:
      case '500':
      case '403':
      case '404':
      case '429':
      case '502-html':
      case '503':
      case '504':
      case 'wrong-content-type':
      case 'hang':
        // Replacements were made before the handler ran; the body goes out as it is.
        break;
      case 'reset': {
        if (counted) record('reset');
        const text = bodyText(reply);
        res.writeHead(reply.status, headers);
        // Headers and part of the body go out, then the connection dies mid-response.
        res.write(text.slice(0, Math.max(1, Math.floor(text.length / 2))), () => res.destroy());
        return;
      }
      case 'truncate': {
        if (counted) record(String(reply.status));
        // No Content-Length: the body simply ends early, and the transport reports success.
        res.writeHead(reply.status, headers);
        res.end(truncatedBody(reply));
        return;
      }
      case 'malformed': {
        if (counted) record('200');
        const text = malformedBody(reply);
        res.writeHead(200, { ...headers, 'content-length': String(Buffer.byteLength(text)) });
        res.end(text);
        return;
      }
      case 'big-number-id': {
        if (counted) record(String(reply.status));
        const text = bigNumberBody(reply);
        res.writeHead(reply.status, { ...headers, 'content-length': String(Buffer.byteLength(text)) });
        res.end(text);
        return;
      }
    }
    if (counted) record(String(reply.status));
    if (typeof reply.body === 'string') {
      if (reply.status !== 204 && reply.status !== 304) headers['content-length'] = String(Buffer.byteLength(reply.body));
      res.writeHead(reply.status, headers);
      res.end(reply.body);
      return;
    }
    res.writeHead(reply.status, headers);
    for (const chunk of reply.body()) {
      if (gone(res)) return;
      if (!res.write(chunk)) await drainOrClose(res);
    }
    res.end();
  }

  function hang(res: ServerResponse): void {
    record('hang');
    // Never answered; the client's timeout has to fire. Closed with the simulator.
    hanging.add(res);
    res.on('close', () => hanging.delete(res));
  }

  function run(handler: () => Reply): Reply {
    try {
      return handler();
    } catch (error) {
      if (error instanceof HttpError) return errorReply(error.status, error.extra);
      process.stderr.write(`cliq simulator: handler failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      return errorReply(500);
    }
  }

  async function onApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith('/__sim/')) {
      if (!isLoopback(req)) return finish(res, errorReply(403), null, false);
      let body: unknown;
      if (method === 'POST') {
        const text = await readBody(req);
        try {
          body = text.trim() === '' ? undefined : JSON.parse(text);
        } catch {
          return finish(res, errorReply(400, { error: 'body is not JSON' }), null, false);
        }
      }
      return finish(res, handleControl(controller, method, url.pathname, body), null, false);
    }

    // A Cliq network's REST calls carry /network/{name or id} before /api/v2 (docs/cliq-api.md §2.3).
    // Whether Maintenance or v3 calls work under it is undocumented [GAP]: here they do not (404).
    let pathname = url.pathname;
    const network = /^\/network\/([^/]+)(\/api\/v2\/.*)$/.exec(pathname);
    if (network) {
      if (!state.options.networks.includes(decodeURIComponent(network[1] ?? ''))) return finish(res, errorReply(404), null, false);
      pathname = network[2] ?? pathname;
    }
    const match = apiRouter.match(method, pathname);
    if (match.kind === 'none') return finish(res, errorReply(404), null, false);
    if (match.kind === 'bad') return finish(res, errorReply(400), null, false);
    const route = match.route;
    const family = route.family;
    count(family);
    if (match.kind === 'method') return finish(res, errorReply(405), null, true);
    const held = state.holds.wait(family);
    if (held) await held;

    const { options, org } = state;
    const now = state.clock.now();
    const grant = state.auth.authenticate(req.headers.authorization, now);
    if (!grant) return finish(res, errorReply(401), null, true);
    if (!hasScope(grant.scopes, requiredScope[family])) return finish(res, errorReply(options.missingScopeStatus), null, true);
    const user = org.users[grant.userIndex];
    if (!user) return finish(res, errorReply(401), null, true);
    if (isMaintenanceFamily(family) && !user.isAdmin) {
      return finish(res, errorReply(403, options.nonAdminErrorCode ? { code: 'not_an_organization_admin' } : {}), null, true);
    }
    const decision = state.limiter.check(user.id, family, now, options);
    if (!decision.ok) {
      const headers: Record<string, string> = options.retryAfterHeader ? { 'retry-after': String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000))) } : {};
      return finish(res, errorReply(429, {}, headers), null, true);
    }
    const fault = state.faults.next(family, options.faultRates);
    if (fault === 'hang') return hang(res);
    let reply = (fault ? replacementFor(fault) : null) ?? run(() => route.handle({ state, params: match.params, query: url.searchParams, viewer: grant.userIndex, now, headers: req.headers }));
    if (options.strictAccept && reply.status < 300 && !accepts(req.headers.accept, reply.headers['content-type'])) reply = errorReply(406);
    return finish(res, reply, fault, true);
  }

  async function onDownload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = /^\/files\/([^/]+)$/.exec(url.pathname);
    if (!path || req.method !== 'GET') return finish(res, storeError(404, 'NoSuchKey', 'The specified key does not exist.'), null, false);
    count('files.download');
    const held = state.holds.wait('files.download');
    if (held) await held;
    // A presigned URL is its own credential: an Authorization header beside it is refused, as
    // object stores do (a client must not forward its Cliq token to the download host).
    if (req.headers.authorization !== undefined) {
      return finish(res, storeError(400, 'InvalidArgument', 'Only one auth mechanism allowed; the signature query parameters or the Authorization header should be specified'), null, true);
    }
    let fileId: string;
    try {
      fileId = decodeURIComponent(path[1] ?? '');
    } catch {
      return finish(res, storeError(400, 'InvalidURI', 'Could not parse the specified URI.'), null, true);
    }
    if (!state.downloads.verify(fileId, url.searchParams, state.clock.now())) {
      return finish(res, storeError(403, 'AccessDenied', 'Request has expired or the signature does not match.'), null, true);
    }
    const file = state.files.get(fileId);
    if (!file || !state.org.live(file.chatId)) return finish(res, storeError(404, 'NoSuchKey', 'The specified key does not exist.'), null, true);
    const fault = state.faults.next('files.download', state.options.faultRates);
    if (fault === 'hang') return hang(res);
    const reply = (fault ? replacementFor(fault) : null) ?? fileReply(state, file);
    return finish(res, reply, fault, true);
  }

  async function onAccounts(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const match = accountsRouter.match(method, url.pathname);
    if (match.kind === 'none' || match.kind === 'bad') return finish(res, errorReply(404), null, false);
    const route = match.route;
    count(route.family);
    if (match.kind === 'method') return finish(res, errorReply(405), null, true);
    const held = state.holds.wait(route.family);
    if (held) await held;
    // Parameters may come in the query string (as the docs show) or a form body; the body wins.
    const params = new URLSearchParams(url.searchParams);
    if (method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      for (const [key, value] of form) params.set(key, value);
    }
    const fault = state.faults.next(route.family, state.options.faultRates);
    if (fault === 'hang') return hang(res);
    const reply = (fault ? replacementFor(fault) : null) ?? run(() => route.handle({ state, params, now: state.clock.now() }));
    return finish(res, reply, fault, true);
  }

  const wrap = (handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>) => (req: IncomingMessage, res: ServerResponse) => {
    handler(req, res).catch((error: unknown) => {
      if (error instanceof HttpError && !res.headersSent) {
        res.writeHead(error.status, { 'content-type': 'application/json;charset=UTF-8' });
        res.end(JSON.stringify({ message: error.message }));
        return;
      }
      process.stderr.write(`cliq simulator: request failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      res.destroy();
    });
  };

  const api = createServer(wrap(onApi));
  const accounts = createServer(wrap(onAccounts));
  const download = createServer(wrap(onDownload));
  const listen = async (server: Server, port: number) => {
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    return (server.address() as AddressInfo).port;
  };
  const apiPort = await listen(api, ports.api);
  let accountsPort: number;
  let downloadPort: number;
  try {
    accountsPort = await listen(accounts, ports.accounts);
  } catch (error) {
    api.close();
    throw error;
  }
  try {
    downloadPort = await listen(download, ports.download);
  } catch (error) {
    api.close();
    accounts.close();
    throw error;
  }
  state.downloads.base = `http://127.0.0.1:${downloadPort}`;

  const shut = (server: Server) =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });

  return {
    apiBase: `http://127.0.0.1:${apiPort}`,
    accountsBase: `http://127.0.0.1:${accountsPort}`,
    downloadBase: state.downloads.base,
    async close() {
      // Held requests go on into destroyed sockets: their handlers end instead of waiting forever.
      state.holds.releaseAll();
      for (const res of hanging) res.destroy();
      hanging.clear();
      await Promise.all([shut(api), shut(accounts), shut(download)]);
    },
  };
}
