import type { OauthFamily } from '../families';
import { parseScopes } from '../http/auth';
import { jsonReply, redirectReply, type Reply } from '../http/reply';
import type { SimState } from '../state';

/**
 * The accounts host (docs/cliq-api.md §3, §10.5): authorize, token (code and refresh grants) and revoke. Token
 * endpoint errors use Zoho's `{"error": …}` form; their status is a knob (invalidRefreshStatus)
 * because the seeds document neither [GAP].
 */

export interface AccountsRequest {
  state: SimState;
  /** Query string and form body together (the body wins on a clash). */
  params: URLSearchParams;
  now: number;
}

export interface AccountsRoute {
  method: 'GET' | 'POST';
  path: string;
  family: OauthFamily;
  handle(request: AccountsRequest): Reply;
}

function tokenError(state: SimState, error: string): Reply {
  return jsonReply({ error }, state.options.invalidRefreshStatus);
}

function expiresIn(state: SimState): number {
  const ttl = state.options.accessTokenTtlMs;
  return state.options.expiresInUnit === 'ms' ? ttl : Math.round(ttl / 1000);
}

/** Which simulated user consents in /oauth/v2/auth: the admin unless `sim_user=member` (tests only). */
function consentingUser(state: SimState, params: URLSearchParams): number {
  return params.get('sim_user') === 'member' ? state.org.memberIndex : state.org.adminIndex;
}

const authorize: AccountsRoute = {
  method: 'GET',
  path: '/oauth/v2/auth',
  family: 'oauth.auth',
  handle({ state, params, now }) {
    const { client } = state.auth;
    if (params.get('response_type') !== 'code') return jsonReply({ error: 'unsupported_response_type' }, 400);
    if (params.get('client_id') !== client.clientId) return jsonReply({ error: 'invalid_client' }, 400);
    const redirectUri = params.get('redirect_uri');
    if (redirectUri !== client.redirectUri) return jsonReply({ error: 'invalid_redirect_uri' }, 400);
    const scopes = parseScopes(params.get('scope'));
    if (scopes.length === 0) return jsonReply({ error: 'invalid_scope' }, 400);
    const accessType = params.get('access_type') ?? 'online';
    if (accessType !== 'online' && accessType !== 'offline') return jsonReply({ error: 'invalid_request' }, 400);
    // Consent is automatic: tests drive this like a browser would, following the redirect.
    const code = state.auth.issueCode(consentingUser(state, params), scopes, accessType === 'offline', redirectUri, now);
    const target = new URL(redirectUri);
    const stateParam = params.get('state');
    if (stateParam !== null) target.searchParams.set('state', stateParam);
    target.searchParams.set('code', code);
    return redirectReply(target.toString());
  },
};

const tokenEndpoint: AccountsRoute = {
  method: 'POST',
  path: '/oauth/v2/token',
  family: 'oauth.token',
  handle({ state, params, now }) {
    const { auth } = state;
    const grantType = params.get('grant_type');
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') return jsonReply({ error: 'unsupported_grant_type' }, 400);
    if (params.get('client_id') !== auth.client.clientId || params.get('client_secret') !== auth.client.clientSecret) return tokenError(state, 'invalid_client');

    if (grantType === 'authorization_code') {
      const grant = auth.redeemCode(params.get('code') ?? '', params.get('redirect_uri'), now);
      if (!grant) return tokenError(state, 'invalid_code');
      const refresh = grant.offline ? auth.mintRefresh(grant.userIndex, grant.scopes, now) : null;
      const access = auth.mintAccess(grant.userIndex, grant.scopes, refresh, now);
      state.stats.grants++;
      const body: Record<string, unknown> = { access_token: access };
      if (refresh) body.refresh_token = refresh;
      body.token_type = 'Bearer';
      body.expires_in = expiresIn(state);
      return jsonReply(body);
    }

    // Zoho throttles refreshes with HTTP 200 and an error body, not with 429.
    if (!auth.allowRefresh(state.options.refreshThrottle, now)) {
      return jsonReply({ error: 'Access Denied', error_description: 'You have made too many requests continuously. Please try again after some time.' }, 200);
    }
    const refreshToken = params.get('refresh_token') ?? '';
    const grant = auth.refreshGrant(refreshToken);
    if (!grant) return tokenError(state, 'invalid_code');
    // The `scope` param is ignored: the access token gets the refresh token's scopes.
    const access = auth.mintAccess(grant.userIndex, grant.scopes, refreshToken, now);
    state.stats.refreshes++;
    return jsonReply({ access_token: access, token_type: 'Bearer', expires_in: expiresIn(state) });
  },
};

const revoke: AccountsRoute = {
  method: 'POST',
  path: '/oauth/v2/token/revoke',
  family: 'oauth.revoke',
  handle({ state, params }) {
    // The sample URL says `token=`, the parameter table `refresh_token` (§3.5): accept both.
    const value = params.get('token') ?? params.get('refresh_token');
    if (!value) return jsonReply({ error: 'invalid_request' }, 400);
    state.auth.revoke(value);
    // The answer is undocumented [GAP]: 200 with a status, also for unknown tokens (RFC 7009 style).
    return jsonReply({ status: 'success' });
  },
};

export const oauthRoutes: AccountsRoute[] = [authorize, tokenEndpoint, revoke];
