import { describe, expect, it } from 'vitest';
import { AuthStore, hasScope, parseScopes, type AuthSettings } from '../../../electron/simulator/http/auth';

const settings: AuthSettings = { accessTokenTtlMs: 3_600_000, refreshTokenCap: 20, grantCodeTtlMs: 600_000, revokeKillsAccessTokens: true, strictAuthScheme: false };
const redirect = 'http://127.0.0.1/cb';

describe('OAuth token store', () => {
  it('redeems a grant code once, and not after it expires or with another redirect URI', () => {
    const auth = new AuthStore(settings, redirect);
    const code = auth.issueCode(0, ['ZohoCliq.Users.READ'], true, redirect, 0);
    expect(auth.redeemCode(code, redirect, 1)).toMatchObject({ userIndex: 0, offline: true });
    expect(auth.redeemCode(code, redirect, 1)).toBeNull();
    const late = auth.issueCode(0, [], true, null, 0);
    expect(auth.redeemCode(late, null, 600_000)).toBeNull();
    const wrong = auth.issueCode(0, [], true, redirect, 0);
    expect(auth.redeemCode(wrong, 'http://elsewhere/', 1)).toBeNull();
    expect(auth.redeemCode(wrong, redirect, 1)).toBeNull(); // spent by the failed attempt
  });

  it('expires access tokens on the clock', () => {
    const auth = new AuthStore(settings, redirect);
    const access = auth.mintAccess(1, ['a'], null, 1000);
    expect(auth.authenticate(`Zoho-oauthtoken ${access}`, 1000 + 3_599_999)).toEqual({ userIndex: 1, scopes: ['a'] });
    expect(auth.authenticate(`Zoho-oauthtoken ${access}`, 1000 + 3_600_000)).toBeNull();
  });

  it('accepts Zoho-oauthtoken and Bearer, only Zoho-oauthtoken when strict, never garbage', () => {
    const auth = new AuthStore(settings, redirect);
    const access = auth.mintAccess(0, [], null, 0);
    expect(auth.authenticate(`Bearer ${access}`, 1)).not.toBeNull();
    expect(auth.authenticate(`zoho-oauthtoken ${access}`, 1)).not.toBeNull();
    expect(auth.authenticate(access, 1)).toBeNull();
    expect(auth.authenticate(undefined, 1)).toBeNull();
    expect(auth.authenticate('Zoho-oauthtoken 1000.nope.nope', 1)).toBeNull();
    auth.updateSettings({ ...settings, strictAuthScheme: true }, redirect);
    expect(auth.authenticate(`Bearer ${access}`, 1)).toBeNull();
    expect(auth.authenticate(`Zoho-oauthtoken ${access}`, 1)).not.toBeNull();
  });

  it('caps live refresh tokens at 20 per user, invalidating the oldest', () => {
    const auth = new AuthStore(settings, redirect);
    const tokens = Array.from({ length: 21 }, (_, i) => auth.mintRefresh(0, [], i));
    expect(auth.refreshGrant(tokens[0] ?? '')).toBeNull();
    expect(auth.refreshGrant(tokens[1] ?? '')).not.toBeNull();
    expect(auth.refreshGrant(auth.mintRefresh(1, [], 0))).not.toBeNull();
  });

  it('revokes a refresh token and the access tokens minted from it', () => {
    const auth = new AuthStore(settings, redirect);
    const refresh = auth.mintRefresh(0, ['x'], 0);
    const access = auth.mintAccess(0, ['x'], refresh, 0);
    const other = auth.mintAccess(0, ['x'], null, 0);
    expect(auth.revoke(refresh)).toBe(true);
    expect(auth.refreshGrant(refresh)).toBeNull();
    expect(auth.authenticate(`Zoho-oauthtoken ${access}`, 1)).toBeNull();
    expect(auth.authenticate(`Zoho-oauthtoken ${other}`, 1)).not.toBeNull();
    expect(auth.revoke('unknown')).toBe(false);
  });

  it('throttles refreshes beyond max per window', () => {
    const auth = new AuthStore(settings, redirect);
    const throttle = { max: 2, windowMs: 1000 };
    expect([auth.allowRefresh(throttle, 0), auth.allowRefresh(throttle, 1), auth.allowRefresh(throttle, 2)]).toEqual([true, true, false]);
    expect(auth.allowRefresh(throttle, 1001)).toBe(true);
    expect(auth.allowRefresh(null, 0)).toBe(true);
  });

  it('compares scopes case-insensitively and lets Resource.ALL cover reads', () => {
    expect(hasScope(['zohocliq.messages.read'], 'ZohoCliq.Messages.READ')).toBe(true);
    expect(hasScope(['ZohoCliq.Channels.ALL'], 'ZohoCliq.Channels.READ')).toBe(true);
    expect(hasScope(['ZohoCliq.Channels.READ'], 'ZohoCliq.Chats.READ')).toBe(false);
    // "Organisation" (roles) and "Organization" (maintenance) are different resources.
    expect(hasScope(['ZohoCliq.OrganisationChats.READ'], 'ZohoCliq.OrganizationChats.READ')).toBe(false);
    expect(parseScopes('a.b.READ, c.d.READ  e.f.READ')).toEqual(['a.b.READ', 'c.d.READ', 'e.f.READ']);
  });
});
