import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../electron/simulator';
import { get, refresh, start } from './helpers';

/** The accounts listener: authorize, code and refresh grants, revoke, expiry, throttling. */

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await start();
});
afterAll(async () => {
  await sim.close();
});

const scope = 'ZohoCliq.OrganizationChats.READ,ZohoCliq.Chats.READ';

async function token(params: Record<string, string>, where: 'query' | 'form' = 'form'): Promise<{ status: number; body: Record<string, unknown> }> {
  const search = new URLSearchParams(params);
  const response =
    where === 'query'
      ? await fetch(`${sim.accountsBase}/oauth/v2/token?${search.toString()}`, { method: 'POST' })
      : await fetch(`${sim.accountsBase}/oauth/v2/token`, { method: 'POST', body: search });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const client = () => ({ client_id: sim.admin.clientId, client_secret: sim.admin.clientSecret });

describe('OAuth', () => {
  it('authorize redirects with state and a single-use code; offline gives a refresh token', async () => {
    const auth = new URLSearchParams({ scope, client_id: sim.admin.clientId, state: 'xyz 1', response_type: 'code', redirect_uri: sim.redirectUri, access_type: 'offline' });
    const redirect = await fetch(`${sim.accountsBase}/oauth/v2/auth?${auth.toString()}`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const location = new URL(redirect.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(sim.redirectUri);
    expect(location.searchParams.get('state')).toBe('xyz 1');
    const code = location.searchParams.get('code') ?? '';
    expect(code).toMatch(/^1000\.[0-9a-f]+\.[0-9a-f]+$/);

    const exchange = { ...client(), grant_type: 'authorization_code', code, redirect_uri: sim.redirectUri, scope };
    const first = await token(exchange, 'query');
    expect(first.status).toBe(200);
    expect(Object.keys(first.body)).toEqual(['access_token', 'refresh_token', 'token_type', 'expires_in']);
    expect(first.body).toMatchObject({ token_type: 'Bearer', expires_in: 3_600_000 });
    const again = await token(exchange);
    expect(again).toEqual({ status: 400, body: { error: 'invalid_code' } });

    const access = String(first.body.access_token);
    expect((await get(sim, access, '/api/v2/chats')).status).toBe(200);
    expect((await get(sim, access, '/api/v2/users')).status).toBe(403); // not consented
  });

  it('online access gets no refresh token; bad parameters are refused', async () => {
    const base = { scope, client_id: sim.admin.clientId, response_type: 'code', redirect_uri: sim.redirectUri };
    const online = await fetch(`${sim.accountsBase}/oauth/v2/auth?${new URLSearchParams({ ...base, access_type: 'online' }).toString()}`, { redirect: 'manual' });
    const code = new URL(online.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const { body } = await token({ ...client(), grant_type: 'authorization_code', code, redirect_uri: sim.redirectUri });
    expect('refresh_token' in body).toBe(false);
    for (const bad of [{ redirect_uri: 'http://evil.example/' }, { client_id: 'nope' }, { response_type: 'token' }, { scope: '' }]) {
      const response = await fetch(`${sim.accountsBase}/oauth/v2/auth?${new URLSearchParams({ ...base, ...bad }).toString()}`, { redirect: 'manual' });
      expect(response.status).toBe(400);
    }
  });

  it('refreshes with params in the query string or a form body; a wrong secret or token fails', async () => {
    const refreshParams = { ...client(), grant_type: 'refresh_token', refresh_token: sim.admin.refreshToken };
    for (const where of ['query', 'form'] as const) {
      const { status, body } = await token(refreshParams, where);
      expect(status).toBe(200);
      expect(Object.keys(body)).toEqual(['access_token', 'token_type', 'expires_in']);
    }
    expect(await token({ ...refreshParams, refresh_token: '1000.bad.bad' })).toEqual({ status: 400, body: { error: 'invalid_code' } });
    expect((await token({ ...refreshParams, client_secret: 'wrong' })).body).toEqual({ error: 'invalid_client' });
    sim.configure({ invalidRefreshStatus: 401, expiresInUnit: 's' });
    try {
      expect((await token({ ...refreshParams, refresh_token: 'x' })).status).toBe(401);
      expect((await token(refreshParams)).body.expires_in).toBe(3600);
    } finally {
      sim.configure({ invalidRefreshStatus: 400, expiresInUnit: 'ms' });
    }
  });

  it('expires access tokens on the clock (401), and a refresh resumes', async () => {
    const access = await refresh(sim);
    expect((await get(sim, access, '/api/v2/chats')).status).toBe(200);
    sim.advance(3_600_000);
    const expired = await get(sim, access, '/api/v2/chats');
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ message: 'Request was rejected because of invalid AuthToken.' });
    expect((await get(sim, await refresh(sim), '/api/v2/chats')).status).toBe(200);
  });

  it('revoke kills the refresh token and its access tokens (token= or refresh_token=)', async () => {
    const code = sim.issueGrantCode();
    const { body } = await token({ ...client(), grant_type: 'authorization_code', code });
    const refreshToken = String(body.refresh_token);
    const own = { ...sim.admin, refreshToken };
    const access = await refresh(sim, own);
    const revoked = await fetch(`${sim.accountsBase}/oauth/v2/token/revoke?token=${encodeURIComponent(refreshToken)}`, { method: 'POST' });
    expect(revoked.status).toBe(200);
    expect((await get(sim, access, '/api/v2/chats')).status).toBe(401);
    await expect(refresh(sim, own)).rejects.toThrow(/invalid_code/);
    const other = String((await token({ ...client(), grant_type: 'authorization_code', code: sim.issueGrantCode() })).body.refresh_token);
    expect((await fetch(`${sim.accountsBase}/oauth/v2/token/revoke`, { method: 'POST', body: new URLSearchParams({ refresh_token: other }) })).status).toBe(200);
    await expect(refresh(sim, { ...sim.admin, refreshToken: other })).rejects.toThrow();
    expect((await get(sim, await refresh(sim), '/api/v2/chats')).status).toBe(200); // the admin's own token lives on
  });

  it('throttles refreshes with HTTP 200 and Zoho’s Access Denied body', async () => {
    sim.configure({ refreshThrottle: { max: 2, windowMs: 60_000 } });
    try {
      sim.advance(120_000);
      const refreshParams = { ...client(), grant_type: 'refresh_token', refresh_token: sim.admin.refreshToken };
      expect((await token(refreshParams)).body.access_token).toBeDefined();
      expect((await token(refreshParams)).body.access_token).toBeDefined();
      expect(await token(refreshParams)).toEqual({
        status: 200,
        body: { error: 'Access Denied', error_description: 'You have made too many requests continuously. Please try again after some time.' },
      });
      sim.advance(60_001);
      expect((await token(refreshParams)).body.access_token).toBeDefined();
    } finally {
      sim.configure({ refreshThrottle: null });
    }
  });

  it('counts grants and refreshes in stats; unknown accounts paths 404, wrong methods 405', async () => {
    sim.resetStats();
    await refresh(sim);
    await token({ ...client(), grant_type: 'authorization_code', code: sim.issueGrantCode() });
    const stats = sim.stats();
    expect(stats.refreshes).toBe(1);
    expect(stats.grants).toBe(1);
    expect(stats.requests['oauth.token']).toBe(2);
    expect((await fetch(`${sim.accountsBase}/oauth/v2/nope`)).status).toBe(404);
    expect((await fetch(`${sim.accountsBase}/oauth/v2/token`)).status).toBe(405);
    // OAuth lives on the accounts listener only.
    expect((await fetch(`${sim.apiBase}/oauth/v2/token`, { method: 'POST' })).status).toBe(404);
  });

  it('a non-admin member can use REST but not Maintenance', async () => {
    const access = await refresh(sim, sim.member);
    expect((await get(sim, access, '/api/v2/chats')).status).toBe(200);
    expect((await get(sim, access, '/maintenanceapi/v2/chats?fields=title')).status).toBe(403);
  });
});
