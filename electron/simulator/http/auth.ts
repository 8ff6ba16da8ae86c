import { randomBytes } from 'node:crypto';

/**
 * OAuth state: the one registered client, grant codes, refresh tokens and access tokens, all minted
 * here (docs/cliq-api.md §3, §10.5). Token values are random (they are secrets, not data), everything else is
 * driven by the injected clock so expiry can be tested without sleeping.
 */

export interface ClientRegistration {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

interface GrantCode {
  userIndex: number;
  scopes: string[];
  offline: boolean;
  /** The redirect URI the code was issued for (null for self-client codes). */
  redirectUri: string | null;
  expiresAt: number;
}

interface RefreshToken {
  token: string;
  userIndex: number;
  scopes: string[];
  createdAt: number;
}

interface AccessToken {
  userIndex: number;
  scopes: string[];
  expiresAt: number;
  /** The refresh token (or code grant) it came from; revoking that kills this too. */
  parent: string | null;
}

export interface Grant {
  userIndex: number;
  scopes: string[];
}

export interface AuthSettings {
  accessTokenTtlMs: number;
  refreshTokenCap: number;
  grantCodeTtlMs: number;
  revokeKillsAccessTokens: boolean;
  strictAuthScheme: boolean;
}

function token(): string {
  return `1000.${randomBytes(16).toString('hex')}.${randomBytes(16).toString('hex')}`;
}

/** Scope check, case-insensitive (§3.7); `Resource.ALL` covers every operation on the resource. */
export function hasScope(granted: readonly string[], required: string): boolean {
  const want = required.toLowerCase();
  const resourceAll = want.replace(/\.[a-z]+$/, '.all');
  return granted.some((s) => {
    const have = s.trim().toLowerCase();
    return have === want || have === resourceAll;
  });
}

/** Splits a scope parameter: comma-separated per the docs; spaces tolerated. */
export function parseScopes(raw: string | null | undefined): string[] {
  if (!raw) return [];
  return raw
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export class AuthStore {
  readonly client: ClientRegistration;
  private readonly codes = new Map<string, GrantCode>();
  private readonly refreshTokens = new Map<string, RefreshToken>();
  private readonly accessTokens = new Map<string, AccessToken>();
  /** Times of recent refresh grants, for the throttle. */
  private refreshTimes: number[] = [];

  constructor(
    private settings: AuthSettings,
    redirectUri: string,
  ) {
    this.client = {
      clientId: `1000.${randomBytes(15).toString('hex').toUpperCase().slice(0, 30)}`,
      clientSecret: randomBytes(21).toString('hex'),
      redirectUri,
    };
  }

  updateSettings(settings: AuthSettings, redirectUri: string): void {
    this.settings = settings;
    this.client.redirectUri = redirectUri;
  }

  issueCode(userIndex: number, scopes: string[], offline: boolean, redirectUri: string | null, now: number): string {
    const code = token();
    this.codes.set(code, { userIndex, scopes, offline, redirectUri, expiresAt: now + this.settings.grantCodeTtlMs });
    return code;
  }

  /** Redeems a code once; null when unknown, used or expired. */
  redeemCode(code: string, redirectUri: string | null, now: number): GrantCode | null {
    const grant = this.codes.get(code);
    if (!grant) return null;
    this.codes.delete(code); // single use, even when the redirect check below fails
    if (grant.expiresAt <= now) return null;
    if (grant.redirectUri !== null && redirectUri !== grant.redirectUri) return null;
    return grant;
  }

  mintRefresh(userIndex: number, scopes: string[], now: number): string {
    const value = token();
    this.refreshTokens.set(value, { token: value, userIndex, scopes, createdAt: now });
    // "limit - 20" read as a cap on live refresh tokens per client and user: the oldest goes.
    const mine = [...this.refreshTokens.values()].filter((t) => t.userIndex === userIndex).sort((a, b) => a.createdAt - b.createdAt);
    while (mine.length > this.settings.refreshTokenCap) {
      const oldest = mine.shift();
      if (oldest) this.revoke(oldest.token);
    }
    return value;
  }

  mintAccess(userIndex: number, scopes: string[], parent: string | null, now: number): string {
    const value = token();
    this.accessTokens.set(value, { userIndex, scopes, expiresAt: now + this.settings.accessTokenTtlMs, parent });
    return value;
  }

  refreshGrant(refreshToken: string): Grant | null {
    const found = this.refreshTokens.get(refreshToken);
    return found ? { userIndex: found.userIndex, scopes: found.scopes } : null;
  }

  /** Records a refresh attempt; false when it is beyond `max` within `windowMs`. */
  allowRefresh(throttle: { max: number; windowMs: number } | null, now: number): boolean {
    if (!throttle) return true;
    this.refreshTimes = this.refreshTimes.filter((t) => t > now - throttle.windowMs);
    if (this.refreshTimes.length >= throttle.max) return false;
    this.refreshTimes.push(now);
    return true;
  }

  /** Revokes a refresh token (and, by default, its access tokens). Unknown tokens are ignored. */
  revoke(value: string): boolean {
    const existed = this.refreshTokens.delete(value);
    if (existed && this.settings.revokeKillsAccessTokens) {
      for (const [key, access] of this.accessTokens) if (access.parent === value) this.accessTokens.delete(key);
    }
    // An access token can be revoked too.
    return this.accessTokens.delete(value) || existed;
  }

  /**
   * Resolves an Authorization header to a grant, or null (→ 401). Only the header counts: a token in
   * the query string is never looked at (§3.6).
   */
  authenticate(header: string | undefined, now: number): Grant | null {
    if (!header) return null;
    const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(header);
    if (!match) return null;
    const scheme = (match[1] ?? '').toLowerCase();
    const allowed = scheme === 'zoho-oauthtoken' || (!this.settings.strictAuthScheme && scheme === 'bearer');
    if (!allowed) return null;
    const access = this.accessTokens.get(match[2] ?? '');
    if (!access) return null;
    if (access.expiresAt <= now) {
      this.accessTokens.delete(match[2] ?? '');
      return null;
    }
    return { userIndex: access.userIndex, scopes: access.scopes };
  }
}
