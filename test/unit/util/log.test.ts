import { describe, expect, it } from 'vitest';
import { createLogger, redact } from '../../../electron/core/util/log';

describe('redact', () => {
  it('removes tokens, secrets in query strings and authorization headers', () => {
    expect(redact('token 1000.8e7c9a1b2c3d.4f5e6d7c8b9a expired')).toBe('token [redacted-token] expired');
    expect(redact('POST /oauth/v2/token?refresh_token=abc&client_secret=s3cr3t&grant_type=x')).toBe('POST /oauth/v2/token?refresh_token=[redacted]&client_secret=[redacted]&grant_type=x');
    expect(redact('Authorization: Zoho-oauthtoken 1000.aaaa.bbbb')).toBe('Authorization: Zoho-oauthtoken [redacted]');
  });

  it('applies to every log line and to fields named like secrets', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'debug', write: (l) => lines.push(l), format: 'json' });
    log.debug('refresh with 1000.0123456789ab.cdef01234567', { refreshToken: 'anything', family: 'users.list', url: '/x?code=1000.aa' });
    const entry = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(entry.message).toBe('refresh with [redacted-token]');
    expect(entry.refreshToken).toBe('[redacted]');
    expect(entry.family).toBe('users.list');
    expect(entry.url).toBe('/x?code=[redacted]');
  });

  it('drops lines below the level', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'warn', write: (l) => lines.push(l) });
    log.info('quiet');
    log.warn('loud');
    expect(lines).toEqual(['[warn] loud\n']);
  });
});
