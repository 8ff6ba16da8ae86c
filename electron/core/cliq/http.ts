import { VaultError } from '../../../shared/errors';
import { cancelled, type Clock } from '../util/clock';
import { parseJsonLossless } from '../util/json';
import type { Logger } from '../util/log';
import { parseContentDispositionFilename } from './contentDisposition';
import { CsvFraming } from './csvFraming';
import type { Endpoints } from './dataCentres';
import type { Family } from './families';
import type { TokenManager } from './oauth';
import type { RateBudget } from './rateBudget';
import { declaredLength, wholeBody } from './wholeBody';

export interface RetryPolicy {
  /** Attempts for 5xx, timeouts, network errors and malformed bodies, the first included. */
  maxAttempts: number;
  baseMs: number;
  capMs: number;
}

export const defaultRetry: RetryPolicy = { maxAttempts: 5, baseMs: 2_000, capMs: 300_000 };

export interface CliqHttpOptions {
  endpoints: Endpoints;
  tokens: Pick<TokenManager, 'accessToken' | 'invalidate'>;
  budget: RateBudget;
  clock: Clock;
  log: Logger;
  fetch?: typeof fetch;
  retry?: RetryPolicy;
  /** Source of jitter; injectable so backoff tests are deterministic. */
  random?: () => number;
  /** Time allowed for one request (default 60 s). */
  timeoutMs?: number;
  /** Time allowed for a whole-conversation messages export, which can be large (default 5 min). */
  exportTimeoutMs?: number;
  /** Longest silence between two chunks of a download's body (default 60 s). */
  downloadIdleTimeoutMs?: number;
  /** Longest time for one download attempt, however steadily it moves (default 1 hour). */
  downloadTimeoutMs?: number;
}

export interface GetSpec<T> {
  family: Family;
  /** Path below the API host, with every dynamic segment already URL-encoded. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** REST v2 paths take the `/network/{name}` prefix; Maintenance paths do not (docs/cliq-api.md §2.3). */
  rest: boolean;
  accept: 'json' | 'csv';
  /** Extra request headers an endpoint documents (X2's `X-API-VERSION: 1`). */
  headers?: Record<string, string>;
  /**
   * Turns the body into a value or throws. A MALFORMED_RESPONSE thrown here is retried like a 5xx,
   * so a cut or garbled body is fetched again and nothing half-parsed is ever returned. `text`
   * gets the body decoded; `bytes`, its UTF-8 bytes (a big body that is scanned rather than
   * decoded whole: the messages export, util/jsonElements.ts), and may answer later (a parser
   * thread): what it rejects with is treated as what it throws.
   */
  parse: ((body: string) => T) | { bytes: (body: Buffer) => T | Promise<T> };
  /** 'export' for the messages export, which may carry a whole conversation. */
  timeout?: 'normal' | 'export';
  signal?: AbortSignal | undefined;
}

/** A streamed GET of a file's bytes (F1): redirects followed by the rule of {@link redirectAllowed}. */
export interface DownloadSpec {
  family: Family;
  /** Path below the API host, with every dynamic segment already URL-encoded. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  rest: boolean;
  signal?: AbortSignal | undefined;
  /** Longest silence between two chunks of the body (default: the client's `downloadIdleTimeoutMs`). */
  idleTimeoutMs?: number;
  /** Longest time for one attempt, headers and body (default: the client's `downloadTimeoutMs`). */
  timeoutMs?: number;
}

/** What the answer says about the bytes, before they are read. */
export interface DownloadMeta {
  /** The `Content-Type`, or '' when none. */
  contentType: string;
  /** The `Content-Length` when it is a whole number, else undefined (a chunked body). */
  contentLength: number | undefined;
  /**
   * The name from `Content-Disposition` (`filename*` first, then `filename`), exactly as sent.
   * Untrusted data (traversal, separators, control characters): never use it as a path.
   */
  filename: string | undefined;
}

/**
 * Consumes a download's body. It is called once per attempt; throwing DOWNLOAD_INCOMPLETE, NETWORK
 * or TIMEOUT (a cut or stalled body: the stream handed over errors with those) retries the download
 * from the start, any other error ends it. It must not keep anything from a failed attempt.
 */
export type DownloadConsumer<T> = (body: ReadableStream<Uint8Array>, meta: DownloadMeta) => Promise<T>;

const maxRateLimitRetries = 5;
const maxRedirects = 3;
/** An error body is read for its message, never whole: a proxy could send anything. */
const errorBodyLimit = 64 * 1024;

/** Errors from reading or parsing a 2xx answer that mean "fetch it again". */
const transientBodyErrors = new Set(['MALFORMED_RESPONSE', 'NETWORK', 'TIMEOUT', 'DOWNLOAD_INCOMPLETE']);

/** Statuses that are the server's fault and worth another try. */
function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408;
}

function hasByteOrderMark(bytes: Buffer): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/** Whether the first character after white space (and a byte-order mark) is `<`: an HTML page. */
function startsWithMarkup(bytes: Buffer): boolean {
  for (let i = hasByteOrderMark(bytes) ? 3 : 0; i < bytes.length; i += 1) {
    const b = bytes[i];
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return b === 0x3c;
  }
  return false;
}

/** One kind of request (a parsed GET, a streamed download) as the shared retry loop drives it. */
interface Exchange<T> {
  family: Family;
  /** `family path`, for messages. */
  where: string;
  signal: AbortSignal | undefined;
  /** The time allowed until the answer's headers (and, unless `accept` re-arms it, its body). */
  timeoutMs: number;
  /**
   * Sends one attempt and returns the final answer (after redirects) and whether it came from the
   * API host. A thrown VaultError ends the request unless its code is transient; anything else is a
   * transport failure, retried.
   */
  send(token: string, watchdog: Watchdog): Promise<{ response: Response; fromApi: boolean }>;
  /** A 2xx answer's result. Transport failures must be thrown as NETWORK/TIMEOUT VaultErrors. */
  accept(response: Response, watchdog: Watchdog): Promise<T>;
}

/**
 * Every request to Cliq goes through here: budget, token, timeout, status mapping, retries.
 * Policy (docs/cliq-api.md §4.5): 401 → one refresh and one retry; 403/404/400 → typed error, no retry;
 * 429 → lock the family for its lock period, then retry; 5xx, timeouts, network errors and malformed
 * or cut bodies → exponential backoff with full jitter, capped, a bounded number of attempts.
 */
export class CliqHttp {
  /** What this client has learnt about how the server frames CSV exports (see csvFraming.ts). */
  readonly csvFraming = new CsvFraming();
  private readonly retry: RetryPolicy;
  private readonly random: () => number;
  private readonly apiOrigin: URL;

  constructor(private readonly options: CliqHttpOptions) {
    this.retry = options.retry ?? defaultRetry;
    this.random = options.random ?? Math.random;
    this.apiOrigin = new URL(options.endpoints.apiBase);
  }

  url(spec: Pick<GetSpec<unknown>, 'path' | 'query' | 'rest'>): string {
    const { apiBase, network } = this.options.endpoints;
    const prefix = spec.rest && network !== undefined ? `/network/${encodeURIComponent(network)}` : '';
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined) query.set(key, String(value));
    }
    const qs = query.toString();
    return `${apiBase}${prefix}${spec.path}${qs === '' ? '' : `?${qs}`}`;
  }

  /** A GET whose whole body is read, then parsed by `spec.parse` (retried when malformed). */
  get<T>(spec: GetSpec<T>): Promise<T> {
    const fetchImpl = this.options.fetch ?? fetch;
    const url = this.url(spec);
    const where = `${spec.family} ${spec.path}`;
    return this.exchange<T>({
      family: spec.family,
      where,
      signal: spec.signal,
      timeoutMs: spec.timeout === 'export' ? (this.options.exportTimeoutMs ?? 300_000) : (this.options.timeoutMs ?? 60_000),
      send: async (token, watchdog) => {
        const response = await fetchImpl(url, {
          headers: {
            authorization: `Zoho-oauthtoken ${token}`,
            // The docs list `Content-Type: text/csv` as a request header of the CSV exports; we send
            // it as documented and say what we accept, which is what it most likely means.
            ...(spec.accept === 'csv' ? { accept: 'text/csv, */*', 'content-type': 'text/csv' } : { accept: 'application/json' }),
            ...spec.headers,
          },
          signal: watchdog.signal,
        });
        return { response, fromApi: true };
      },
      accept: async (response) => {
        let bytes: Buffer;
        try {
          // Reading the whole body here means a connection cut mid-body throws (undici reports it),
          // so a truncated transfer is retried, never parsed. Held once (cliq/wholeBody.ts).
          bytes = await wholeBody(response);
        } catch (error) {
          throw transportFailure(error, where);
        }
        this.options.log.debug(`GET ${spec.path}: ${bytes.length} bytes`, { family: spec.family });
        const contentType = response.headers.get('content-type') ?? '';
        if (/text\/html/i.test(contentType) || (spec.accept === 'json' && startsWithMarkup(bytes))) {
          throw new VaultError('MALFORMED_RESPONSE', `Cliq answered ${where} with an HTML page instead of ${spec.accept.toUpperCase()}.`);
        }
        // As fetch's text() decodes: UTF-8, a byte-order mark dropped, bad sequences replaced.
        const body = hasByteOrderMark(bytes) ? bytes.subarray(3) : bytes;
        return typeof spec.parse === 'function' ? spec.parse(body.toString('utf8')) : spec.parse.bytes(body);
      },
    });
  }

  /**
   * A streamed GET of bytes (F1): `consume` gets the body as it arrives, never held whole, with
   * the same budget, token, status and retry policy as {@link get}. Redirects are followed by hand
   * (at most 3 hops, only where {@link redirectAllowed} says), and the token goes to the API host
   * alone: a download host never sees it. A body that is cut, reset or stalls longer than the idle
   * timeout fails the attempt, which is retried with backoff; `consume` sees each attempt afresh.
   */
  download<T>(spec: DownloadSpec, consume: DownloadConsumer<T>): Promise<T> {
    const fetchImpl = this.options.fetch ?? fetch;
    const where = `${spec.family} ${spec.path}`;
    const idleMs = spec.idleTimeoutMs ?? this.options.downloadIdleTimeoutMs ?? 60_000;
    return this.exchange<T>({
      family: spec.family,
      where,
      signal: spec.signal,
      timeoutMs: Math.min(this.options.timeoutMs ?? 60_000, spec.timeoutMs ?? Infinity),
      send: async (token, watchdog) => {
        watchdog.limit(spec.timeoutMs ?? this.options.downloadTimeoutMs ?? 3_600_000);
        let url = new URL(this.url(spec));
        for (let hop = 0; ; hop++) {
          const toApi = url.origin === this.apiOrigin.origin;
          // IMPORTANT: the token goes only to the API host's origin; a redirect's host gets none.
          const headers: Record<string, string> = toApi ? { authorization: `Zoho-oauthtoken ${token}`, accept: '*/*' } : { accept: '*/*' };
          const response = await fetchImpl(url, { headers, redirect: 'manual', signal: watchdog.signal });
          if (![301, 302, 303, 307, 308].includes(response.status)) return { response, fromApi: toApi };
          await response.body?.cancel();
          const location = response.headers.get('location');
          if (location === null || hop + 1 > maxRedirects) {
            throw new VaultError('BAD_REQUEST', `Cliq answered ${where} with ${location === null ? 'a redirect without a Location' : `more than ${maxRedirects} redirects`}.`, {
              hint: 'This is an API change or a misbehaving proxy; please report it with the log.',
            });
          }
          const next = new URL(location, url);
          if (!redirectAllowed(next, this.apiOrigin)) {
            throw new VaultError('BAD_REQUEST', `Refused to follow ${where}'s redirect to ${next.protocol}//${next.host}: only https, or loopback http when the API itself is on loopback http.`, {
              hint: 'A proxy or a changed API sent the download elsewhere; nothing was fetched from there. Please report it.',
            });
          }
          url = next;
        }
      },
      accept: async (response, watchdog) => {
        const meta: DownloadMeta = {
          contentType: response.headers.get('content-type') ?? '',
          contentLength: declaredLength(response.headers.get('content-length')),
          filename: parseContentDispositionFilename(response.headers.get('content-disposition')),
        };
        // The headers are in: from here the timeout is per chunk, so a large file may take as long
        // as it needs while it keeps moving.
        watchdog.arm(idleMs);
        const body = response.body ?? new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });
        return consume(guardedBody(body, watchdog, idleMs, where), meta);
      },
    });
  }

  /** The retry loop shared by every kind of request (docs/cliq-api.md §4.5). */
  private async exchange<T>(x: Exchange<T>): Promise<T> {
    const { budget, tokens, clock, log } = this.options;
    const { family, where, signal } = x;
    let attempt = 0;
    let refreshedFor401 = false;
    let rateLimitRetries = 0;

    const retryOrThrow = async (error: VaultError): Promise<void> => {
      attempt += 1;
      if (attempt >= this.retry.maxAttempts) {
        throw new VaultError(error.code, `${error.message} Gave up after ${attempt} attempts (${where}).`, {
          cause: error,
          hint: error.hint ?? 'Cliq or the network is failing; nothing was stored from the failed request. Run the sync again later.',
        });
      }
      // Full jitter: a random delay in [0, min(cap, base·2^n)] so many clients do not retry in step.
      const delay = this.random() * Math.min(this.retry.capMs, this.retry.baseMs * 2 ** (attempt - 1));
      log.debug(`retrying ${where} in ${Math.round(delay)} ms`, { reason: error.code, attempt });
      await clock.sleep(delay, signal);
    };

    for (;;) {
      if (signal?.aborted) throw cancelled();
      await budget.acquire(family, signal);
      let token: string;
      try {
        token = await tokens.accessToken();
      } catch (error) {
        if (error instanceof VaultError && (error.code === 'NETWORK' || error.code === 'SERVER_ERROR')) {
          await retryOrThrow(error);
          continue;
        }
        throw error;
      }

      const watchdog = new Watchdog(signal, x.timeoutMs);
      try {
        const started = clock.now();
        let sent: { response: Response; fromApi: boolean };
        try {
          sent = await x.send(token, watchdog);
        } catch (error) {
          if (signal?.aborted) throw cancelled();
          if (error instanceof VaultError) throw error;
          await retryOrThrow(transportFailure(error, where));
          continue;
        }
        const { response, fromApi } = sent;
        const { status } = response;
        log.debug(`GET ${where} → ${status} (${clock.now() - started} ms)`, { family });

        if (status >= 200 && status < 300) {
          try {
            return await x.accept(response, watchdog);
          } catch (error) {
            if (signal?.aborted) throw cancelled();
            if (error instanceof VaultError && transientBodyErrors.has(error.code)) {
              log.warn(`failed body from ${where}: ${error.message}`);
              await retryOrThrow(error);
              continue;
            }
            throw error;
          }
        }

        let message: string;
        try {
          message = errorMessage(await readLimited(response, errorBodyLimit));
        } catch (error) {
          if (signal?.aborted) throw cancelled();
          await retryOrThrow(transportFailure(error, where));
          continue;
        }
        if (!fromApi) {
          // A redirect's download host: a refusal there (an expired or refused signed link, a
          // throttled object store) is cured by asking Cliq again, which signs a fresh link.
          if (status === 404) throw new VaultError('NOT_FOUND', `The download host has no such file (${where}).`);
          await retryOrThrow(new VaultError('SERVER_ERROR', `The download host answered HTTP ${status} (${where}): ${message}`));
          continue;
        }
        if (status === 401) {
          tokens.invalidate(token);
          if (!refreshedFor401) {
            refreshedFor401 = true;
            continue;
          }
          throw new VaultError('AUTH_REJECTED', `Cliq rejected the access token twice (${where}).`, {
            hint: 'The authorisation was revoked or lacks a scope. Re-authorise with `cliq-vault auth exchange`.',
            ui: { message: `Cliq rejected the access token twice (${where}).`, hint: 'The authorisation was revoked or lacks a scope. Connect the org again.' },
          });
        }
        if (status === 403) {
          // Only the org-wide exports prove the account is not an admin: a 403 on one conversation's
          // members or messages (after the listings answered) is about that conversation.
          if (family === 'maint.chats' || family === 'maint.channels' || /not_an_organization_admin/i.test(message)) {
            throw new VaultError('NOT_ORG_ADMIN', 'Cliq refused the Maintenance export: the account is not an organization admin of this org.', {
              hint: 'Authorise Cliq Vault with an org admin account (Maintenance APIs answer only the org admin) and the OrganizationChats/Channels/Messages READ scopes.',
            });
          }
          throw new VaultError('FORBIDDEN', `Cliq refused ${where}: ${message}`);
        }
        if (status === 404) throw new VaultError('NOT_FOUND', `Cliq has no such resource (${where}).`);
        if (status === 429) {
          const until = budget.lock(family, parseRetryAfter(response.headers.get('retry-after'), clock.now()));
          rateLimitRetries += 1;
          log.warn(`rate-limited on ${family}; paused until ${new Date(until).toISOString()}`);
          if (rateLimitRetries > maxRateLimitRetries) {
            throw new VaultError('RATE_LIMITED', `Cliq kept rate-limiting ${family}.`, {
              hint: "Lower this family's quota in settings; the next sync resumes where this one stopped.",
            });
          }
          continue;
        }
        if (isRetryableStatus(status)) {
          await retryOrThrow(new VaultError(status === 504 ? 'TIMEOUT' : 'SERVER_ERROR', `Cliq failed with HTTP ${status} (${where}).`));
          continue;
        }
        throw new VaultError('BAD_REQUEST', `Cliq ${status === 400 ? 'refused the request as malformed' : `answered HTTP ${status}`} (${where}): ${message}`, {
          hint: 'This is a bug in Cliq Vault or an API change; please report it with the log.',
        });
      } finally {
        // Ends whatever this attempt left open (an unread body, a consumer that gave up early).
        watchdog.close();
      }
    }
  }
}

/**
 * Whether a download may follow a redirect to `target`. The rule: https anywhere; plain http only
 * to a loopback host (127.0.0.0/8, ::1, localhost) and only when the configured API base is itself
 * plain http on a loopback host — the simulator's download host, never a real network. Whether the
 * token goes along is a separate rule: only to the API base's own origin.
 */
export function redirectAllowed(target: URL, apiBase: URL): boolean {
  if (target.username !== '' || target.password !== '') return false;
  if (target.protocol === 'https:') return true;
  return target.protocol === 'http:' && apiBase.protocol === 'http:' && isLoopback(apiBase.hostname) && isLoopback(target.hostname);
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * One attempt's abort switch: the caller's signal, the attempt's deadline (re-armed per chunk for
 * a download's body), and `close()` at the attempt's end. The timers are wall-clock on purpose: a
 * stalled socket stalls in real time, whatever the injected clock says.
 */
class Watchdog {
  private readonly controller = new AbortController();
  readonly signal: AbortSignal;
  private idle: ReturnType<typeof setTimeout> | undefined;
  private overall: ReturnType<typeof setTimeout> | undefined;

  constructor(outer: AbortSignal | undefined, ms: number) {
    this.signal = outer ? AbortSignal.any([outer, this.controller.signal]) : this.controller.signal;
    this.arm(ms);
  }

  /** (Re)starts the deadline: `ms` from now. */
  arm(ms: number): void {
    clearTimeout(this.idle);
    this.idle = this.timer(ms, 'no data');
  }

  /** A second deadline that re-arming does not move: the attempt's whole length. */
  limit(ms: number): void {
    clearTimeout(this.overall);
    this.overall = this.timer(ms, 'the attempt took too long');
  }

  close(): void {
    clearTimeout(this.idle);
    clearTimeout(this.overall);
    if (!this.controller.signal.aborted) this.controller.abort(new DOMException('The attempt is over.', 'AbortError'));
  }

  private timer(ms: number, why: string): ReturnType<typeof setTimeout> | undefined {
    if (!Number.isFinite(ms)) return undefined;
    const timer = setTimeout(() => this.controller.abort(new DOMException(`Timed out: ${why} for ${ms} ms.`, 'TimeoutError')), ms);
    timer.unref();
    return timer;
  }
}

/**
 * The body as handed to a download's consumer: read on demand (no buffering ahead), the idle
 * deadline re-armed with every chunk, and a transport failure (a cut, a reset, a stall) turned
 * into a NETWORK or TIMEOUT error the retry loop knows.
 */
function guardedBody(body: ReadableStream<Uint8Array>, watchdog: Watchdog, idleMs: number, where: string): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          watchdog.arm(idleMs);
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (error) {
          controller.error(transportFailure(error, where));
        }
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

function transportFailure(error: unknown, where: string): VaultError {
  if (error instanceof VaultError) return error;
  const timedOut = error instanceof Error && error.name === 'TimeoutError';
  return timedOut ? new VaultError('TIMEOUT', `Cliq did not answer in time (${where}).`, { cause: error }) : new VaultError('NETWORK', `The connection to Cliq failed (${where}).`, { cause: error });
}

/** The first `limit` bytes of a body as text; the rest is not read. */
async function readLimited(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < limit) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  if (size >= limit) await reader.cancel();
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

/** The `message` of a documented error body, or a short excerpt of whatever came back. */
function errorMessage(body: string): string {
  try {
    const parsed = parseJsonLossless(body) as { message?: unknown; code?: unknown } | null;
    if (parsed && typeof parsed.message === 'string') {
      return typeof parsed.code === 'string' ? `${parsed.message} (${parsed.code})` : parsed.message;
    }
  } catch {
    // Not JSON (a proxy's HTML page, an empty body): fall through to the excerpt.
  }
  return body.trim().slice(0, 200) || '(empty body)';
}

function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1_000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
