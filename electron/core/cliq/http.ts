import { VaultError } from '../../../shared/errors';
import { cancelled, type Clock } from '../util/clock';
import { parseJsonLossless } from '../util/json';
import type { Logger } from '../util/log';
import { CsvFraming } from './csvFraming';
import type { Endpoints } from './dataCentres';
import type { Family } from './families';
import type { TokenManager } from './oauth';
import type { RateBudget } from './rateBudget';

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
}

export interface GetSpec<T> {
  family: Family;
  /** Path below the API host, with every dynamic segment already URL-encoded. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** REST v2 paths take the `/network/{name}` prefix; Maintenance paths do not (docs/cliq-api.md §2.3). */
  rest: boolean;
  accept: 'json' | 'csv';
  /**
   * Turns the body into a value or throws. A MALFORMED_RESPONSE thrown here is retried like a 5xx,
   * so a cut or garbled body is fetched again and nothing half-parsed is ever returned.
   */
  parse: (body: string) => T;
  /** 'export' for the messages export, which may carry a whole conversation. */
  timeout?: 'normal' | 'export';
  signal?: AbortSignal | undefined;
}

const maxRateLimitRetries = 5;

/** Statuses that are the server's fault and worth another try. */
function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408;
}

/**
 * Every GET to Cliq goes through here: budget, token, timeout, status mapping, retries.
 * Policy (docs/cliq-api.md §4.5): 401 → one refresh and one retry; 403/404/400 → typed error, no retry;
 * 429 → lock the family for its lock period, then retry; 5xx, timeouts, network errors and malformed
 * bodies → exponential backoff with full jitter, capped, a bounded number of attempts.
 */
export class CliqHttp {
  /** What this client has learnt about how the server frames CSV exports (see csvFraming.ts). */
  readonly csvFraming = new CsvFraming();
  private readonly retry: RetryPolicy;
  private readonly random: () => number;

  constructor(private readonly options: CliqHttpOptions) {
    this.retry = options.retry ?? defaultRetry;
    this.random = options.random ?? Math.random;
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

  async get<T>(spec: GetSpec<T>): Promise<T> {
    const { budget, tokens, clock, log } = this.options;
    const fetchImpl = this.options.fetch ?? fetch;
    const url = this.url(spec);
    const where = `${spec.family} ${spec.path}`;
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
      await clock.sleep(delay, spec.signal);
    };

    for (;;) {
      if (spec.signal?.aborted) throw cancelled();
      await budget.acquire(spec.family, spec.signal);
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

      const started = clock.now();
      let status: number;
      let contentType: string;
      let body: string;
      let retryAfter: string | null;
      try {
        const ms = spec.timeout === 'export' ? (this.options.exportTimeoutMs ?? 300_000) : (this.options.timeoutMs ?? 60_000);
        const timeout = AbortSignal.timeout(ms);
        const response = await fetchImpl(url, {
          headers: {
            authorization: `Zoho-oauthtoken ${token}`,
            // The docs list `Content-Type: text/csv` as a request header of the CSV exports; we send
            // it as documented and say what we accept, which is what it most likely means.
            ...(spec.accept === 'csv' ? { accept: 'text/csv, */*', 'content-type': 'text/csv' } : { accept: 'application/json' }),
          },
          signal: spec.signal ? AbortSignal.any([spec.signal, timeout]) : timeout,
        });
        status = response.status;
        contentType = response.headers.get('content-type') ?? '';
        retryAfter = response.headers.get('retry-after');
        // Reading the whole body here means a connection cut mid-body throws below (undici reports
        // it), so a truncated transfer is retried, never parsed.
        body = await response.text();
      } catch (error) {
        if (spec.signal?.aborted) throw cancelled();
        const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
        await retryOrThrow(
          timedOut ? new VaultError('TIMEOUT', `Cliq did not answer in time (${where}).`, { cause: error }) : new VaultError('NETWORK', `The connection to Cliq failed (${where}).`, { cause: error }),
        );
        continue;
      }
      log.debug(`GET ${spec.path} → ${status} (${clock.now() - started} ms, ${body.length} bytes)`, { family: spec.family });

      if (status >= 200 && status < 300) {
        try {
          if (/text\/html/i.test(contentType) || (spec.accept === 'json' && body.trimStart().startsWith('<'))) {
            throw new VaultError('MALFORMED_RESPONSE', `Cliq answered ${where} with an HTML page instead of ${spec.accept.toUpperCase()}.`);
          }
          return spec.parse(body);
        } catch (error) {
          if (error instanceof VaultError && error.code === 'MALFORMED_RESPONSE') {
            log.warn(`malformed body from ${where}: ${error.message}`);
            await retryOrThrow(error);
            continue;
          }
          throw error;
        }
      }

      const message = errorMessage(body);
      if (status === 401) {
        tokens.invalidate(token);
        if (!refreshedFor401) {
          refreshedFor401 = true;
          continue;
        }
        throw new VaultError('AUTH_REJECTED', `Cliq rejected the access token twice (${where}).`, {
          hint: 'The authorisation was revoked or lacks a scope. Re-authorise with `cliq-vault auth exchange`.',
        });
      }
      if (status === 403) {
        // Only the org-wide exports prove the account is not an admin: a 403 on one conversation's
        // members or messages (after the listings answered) is about that conversation.
        if (spec.family === 'maint.chats' || spec.family === 'maint.channels' || /not_an_organization_admin/i.test(message)) {
          throw new VaultError('NOT_ORG_ADMIN', 'Cliq refused the Maintenance export: the account is not an organization admin of this org.', {
            hint: 'Authorise Cliq Vault with an org admin account (Maintenance APIs answer only the org admin) and the OrganizationChats/Channels/Messages READ scopes.',
          });
        }
        throw new VaultError('FORBIDDEN', `Cliq refused ${where}: ${message}`);
      }
      if (status === 404) throw new VaultError('NOT_FOUND', `Cliq has no such resource (${where}).`);
      if (status === 429) {
        const until = budget.lock(spec.family, parseRetryAfter(retryAfter, clock.now()));
        rateLimitRetries += 1;
        log.warn(`rate-limited on ${spec.family}; paused until ${new Date(until).toISOString()}`);
        if (rateLimitRetries > maxRateLimitRetries) {
          throw new VaultError('RATE_LIMITED', `Cliq kept rate-limiting ${spec.family}.`, {
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
    }
  }
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
