import { z } from 'zod';
import { VaultError } from '../../../shared/errors';
import type { Clock } from '../util/clock';
import { parseJsonLossless } from '../util/json';
import type { Logger } from '../util/log';

/** The read-only scopes the archiver asks for (declared in shared/, docs/cliq-api.md §3.7). */
export { archiverScopes } from '../../../shared/cliqScopes';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

const tokenResponse = z.looseObject({
  access_token: z.string().min(1).optional(),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.union([z.number(), z.string()]).optional(),
  error: z.string().optional(),
  error_description: z.string().optional(),
});

type TokenResponse = z.infer<typeof tokenResponse>;

/**
 * [004] documents `expires_in` in milliseconds (3600000); real accounts servers have been seen to
 * send seconds. Anything above a day cannot be seconds for a one-hour token, so it is milliseconds.
 */
export function expiresInMs(value: number | string | undefined): number {
  const n = typeof value === 'string' ? Number(value) : value;
  if (n === undefined || !Number.isFinite(n) || n <= 0) return 3_600_000;
  return n > 86_400 ? n : n * 1_000;
}

/** Maps Zoho's token-endpoint errors (often sent with HTTP 200) to our codes and plain words. */
function tokenError(body: TokenResponse, status: number, action: string): VaultError {
  const error = body.error ?? `HTTP ${status}`;
  if (/access denied/i.test(error) || /too many requests/i.test(body.error_description ?? '')) {
    return new VaultError('AUTH_REFRESH_THROTTLED', `Zoho is throttling token requests (${action}).`, {
      hint: 'Zoho allows only a few token refreshes in a short time. Wait a few minutes, then run again; nothing was lost.',
    });
  }
  if (/invalid_code|invalid_grant|invalid_token|invalid_client|unauthorized_client/i.test(error)) {
    return new VaultError('AUTH_INVALID_GRANT', `Zoho refused the ${action === 'refresh' ? 'refresh token' : 'grant code'} (${error}).`, {
      hint:
        action === 'refresh'
          ? 'The refresh token was revoked, expired or belongs to another client or data centre. Re-authorise: create a new self-client grant code and run `cliq-vault auth exchange`.'
          : 'Grant codes are single-use and expire within minutes. Generate a new one in the Zoho API console and exchange it right away.',
      ui: {
        message: `Zoho refused the ${action === 'refresh' ? 'refresh token' : 'grant code'} (${error}).`,
        hint:
          action === 'refresh'
            ? 'The refresh token was revoked, expired or belongs to another client or data centre. Connect the org again with a new grant code.'
            : 'Grant codes are single-use and expire within minutes. Generate a new one in the Zoho API console and use it right away.',
      },
    });
  }
  return new VaultError('AUTH_FAILED', `Zoho's token endpoint answered ${error} during ${action}.`);
}

async function postToken(
  fetchImpl: typeof fetch,
  accountsBase: string,
  path: string,
  params: Record<string, string>,
  timeoutMs: number,
  placement: 'body' | 'query' = 'body',
): Promise<{ status: number; body: TokenResponse }> {
  let response: Response;
  const encoded = new URLSearchParams(params).toString();
  try {
    // Secrets go in a form body, not the query string of the docs' example: URLs end up in proxy
    // logs. The one exception is revoke, whose token is dead once the call succeeds.
    response = await fetchImpl(placement === 'query' ? `${accountsBase}${path}?${encoded}` : `${accountsBase}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: placement === 'body' ? encoded : '',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new VaultError('NETWORK', `Could not reach the Zoho accounts server at ${accountsBase}.`, {
      cause: error,
      hint: 'Check the network and the data centre (--dc).',
      ui: { message: `Could not reach the Zoho accounts server at ${accountsBase}.`, hint: 'Check the network connection and the data centre chosen for the org.' },
    });
  }
  const text = await response.text().catch(() => '');
  let parsed: unknown = {};
  if (text.trim() !== '') {
    try {
      parsed = parseJsonLossless(text);
    } catch {
      parsed = { error: `non-JSON answer (HTTP ${response.status})` };
    }
  }
  const body = tokenResponse.safeParse(parsed);
  return { status: response.status, body: body.success ? body.data : { error: `unexpected answer (HTTP ${response.status})` } };
}

export interface TokenManagerOptions extends ClientCredentials {
  accountsBase: string;
  refreshToken: string;
  fetch?: typeof fetch;
  clock: Clock;
  log: Logger;
  timeoutMs?: number;
}

/**
 * Holds one access token and refreshes it when it is about to expire. Refreshes are single-flight:
 * however many requests need a token at once, one refresh goes to Zoho (which throttles them).
 */
export class TokenManager {
  private token: { value: string; expiresAt: number } | undefined;
  private inflight: Promise<string> | undefined;
  private refreshCount = 0;

  constructor(private readonly options: TokenManagerOptions) {}

  /** Refreshes performed by this manager (for reports and tests). */
  get refreshes(): number {
    return this.refreshCount;
  }

  async accessToken(): Promise<string> {
    const now = this.options.clock.now();
    if (this.token && this.token.expiresAt > now) return this.token.value;
    this.inflight ??= this.refresh().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /** Called on a 401: forget `rejected` so the next accessToken() refreshes (once, for all callers). */
  invalidate(rejected: string): void {
    if (this.token?.value === rejected) this.token = undefined;
  }

  private async refresh(): Promise<string> {
    const { fetch: fetchImpl = fetch, accountsBase, clientId, clientSecret, refreshToken, clock, log } = this.options;
    this.refreshCount += 1;
    log.debug('refreshing the access token');
    const { status, body } = await postToken(
      fetchImpl,
      accountsBase,
      '/oauth/v2/token',
      { grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken },
      this.options.timeoutMs ?? 30_000,
    );
    if (status >= 500) {
      throw new VaultError('SERVER_ERROR', `The Zoho accounts server failed (HTTP ${status}) while refreshing the token.`);
    }
    if (body.error !== undefined || body.access_token === undefined) throw tokenError(body, status, 'refresh');
    const lifetime = expiresInMs(body.expires_in);
    // Refresh early: 5 minutes, or a tenth of a short lifetime, so a request never carries a token
    // that expires in flight.
    const early = Math.min(300_000, lifetime / 10);
    this.token = { value: body.access_token, expiresAt: clock.now() + lifetime - early };
    return body.access_token;
  }
}

/** Exchanges a "self client" grant code for a refresh token (docs/cliq-api.md §3.1, §3.2). */
export async function exchangeGrantCode(options: {
  accountsBase: string;
  credentials: ClientCredentials;
  code: string;
  redirectUri?: string;
  fetch?: typeof fetch;
}): Promise<{ refreshToken: string; accessToken: string; expiresInMs: number }> {
  const params: Record<string, string> = {
    grant_type: 'authorization_code',
    client_id: options.credentials.clientId,
    client_secret: options.credentials.clientSecret,
    code: options.code.trim(),
  };
  if (options.redirectUri !== undefined) params.redirect_uri = options.redirectUri;
  const { status, body } = await postToken(options.fetch ?? fetch, options.accountsBase, '/oauth/v2/token', params, 30_000);
  if (body.error !== undefined || body.access_token === undefined) throw tokenError(body, status, 'code exchange');
  if (body.refresh_token === undefined) {
    throw new VaultError('AUTH_FAILED', 'Zoho returned no refresh token for this grant code.', {
      hint: 'Generate the self-client code with access type "offline" (the default in the API console).',
    });
  }
  return { refreshToken: body.refresh_token, accessToken: body.access_token, expiresInMs: expiresInMs(body.expires_in) };
}

/** Revokes a refresh token (docs/cliq-api.md §3.5: the documented example sends it as `token=`). */
export async function revokeRefreshToken(options: { accountsBase: string; refreshToken: string; fetch?: typeof fetch }): Promise<void> {
  const { status, body } = await postToken(options.fetch ?? fetch, options.accountsBase, '/oauth/v2/token/revoke', { token: options.refreshToken }, 30_000, 'query');
  if (status >= 400 || body.error !== undefined) throw tokenError(body, status, 'revoke');
}
