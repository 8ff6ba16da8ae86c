import { describe, expect, it } from 'vitest';
import { applyPatch, parseOptions } from '../../../electron/simulator/options';
import { CursorCodec } from '../../../electron/simulator/http/cursor';
import { isoWithOffset } from '../../../electron/simulator/time';

describe('options', () => {
  it('defaults to the simulator choices of docs/cliq-api.md §10', () => {
    const options = parseOptions({});
    expect(options).toMatchObject({
      seed: 1,
      scale: 'small',
      now: Date.UTC(2026, 5, 1),
      maintenanceHonorsTimeWindow: false,
      maintenanceTruncateAt: null,
      threadRepliesInParent: false,
      csvHeader: false,
      crlf: false,
      bom: false,
      canonicalOrder: false,
      timestampFormat: 'ms',
      maintenanceChannelIdPrefix: false,
      accessTokenTtlMs: 3_600_000,
      expiresInUnit: 'ms',
      strictAuthScheme: false,
      refreshThrottle: null,
      invalidRefreshStatus: 400,
      rateLimitsEnabled: true,
      quotaScale: 1,
      rateWindow: 'fixed',
      retryAfterHeader: false,
      faults: [],
    });
  });

  it('patches at runtime without resetting other knobs, and refuses start-only keys', () => {
    const options = parseOptions({ csvHeader: true });
    const patched = applyPatch(options, { crlf: true, faults: [{ family: 'maint.chats', kind: '500' }] });
    expect(patched.csvHeader).toBe(true);
    expect(patched.crlf).toBe(true);
    expect(patched.faults).toEqual([{ family: 'maint.chats', kind: '500', times: 1, after: 0 }]);
    expect(() => applyPatch(options, { seed: 2 })).toThrow(/fixed/);
    expect(applyPatch(options, { seed: 1 }).seed).toBe(1);
    expect(() => applyPatch(options, { noSuchKnob: true })).toThrow();
    expect(() => applyPatch(options, { faults: [{ family: 'nope', kind: '500' }] })).toThrow();
  });
});

describe('helpers', () => {
  it('formats ISO 8601 with a fixed offset', () => {
    expect(isoWithOffset(Date.UTC(2017, 6, 3, 9, 29, 20), 330)).toBe('2017-07-03T14:59:20+05:30');
    expect(isoWithOffset(Date.UTC(2020, 0, 8, 7, 10, 26), -480)).toBe('2020-01-07T23:10:26-08:00');
  });

  it('rejects page tokens it did not mint', () => {
    const codec = new CursorCodec('k');
    const token = codec.encode({ k: 'users', o: 5 });
    expect(codec.decode(token, 'users')).toEqual({ k: 'users', o: 5 });
    expect(codec.decode(token, 'channels')).toBeNull();
    expect(codec.decode(`${token}x`, 'users')).toBeNull();
    expect(codec.decode('garbage', 'users')).toBeNull();
    expect(new CursorCodec('other').decode(token, 'users')).toBeNull();
  });
});
