import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../electron/simulator';
import { control, get, refresh, start } from './helpers';

/** Quotas over HTTP, on the manual clock (no sleeping). */

let sim: RunningSimulator;
let token: string;
let chatPath: string;

beforeAll(async () => {
  sim = await start({ accessTokenTtlMs: 24 * 3_600_000 });
  token = await refresh(sim);
  const chat = sim.org.conversations.find((c) => c.kind === 'dm' && c.memberSet.has(sim.org.adminIndex));
  chatPath = `/api/v2/chats/${chat?.chatId ?? ''}/messages`;
});
afterAll(async () => {
  await sim.close();
});

async function statuses(path: string, n: number): Promise<number[]> {
  const out = [];
  for (let i = 0; i < n; i++) out.push((await get(sim, token, path)).status);
  return out;
}

describe('rate limits', () => {
  it('MS1: 15 per minute, then 429 with the documented body, locked for 10 minutes past the minute', async () => {
    // Start at a minute boundary so the fixed window does not roll over mid-test.
    sim.advance(60_000 - (sim.clock.now() % 60_000));
    expect(await statuses(chatPath, 15)).toEqual(Array<number>(15).fill(200));
    const limited = await get(sim, token, chatPath);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeNull();
    expect(await limited.json()).toEqual({ message: 'Too many requests within a certain time frame.' });
    // Other families are not affected.
    expect((await get(sim, token, '/api/v2/channels')).status).toBe(200);
    sim.advance(61_000);
    expect((await get(sim, token, chatPath)).status).toBe(429);
    sim.advance(9 * 60_000);
    expect((await get(sim, token, chatPath)).status).toBe(200);
  });

  it('Maintenance routes default to 10/min; quotaScale and Retry-After are configurable', async () => {
    sim.advance(60_000 - (sim.clock.now() % 60_000));
    expect(await statuses('/maintenanceapi/v2/chats?fields=title', 11)).toEqual([...Array<number>(10).fill(200), 429]);
    sim.configure({ quotaScale: 10, retryAfterHeader: true });
    try {
      sim.advance(60_000);
      // A lock keeps the length it had when it started.
      expect((await get(sim, token, '/maintenanceapi/v2/chats?fields=title')).status).toBe(429);
      const channels = await statuses('/maintenanceapi/v2/channels?fields=name', 101);
      expect(channels.filter((s) => s === 200)).toHaveLength(100);
      const limited = await get(sim, token, '/maintenanceapi/v2/channels?fields=name');
      expect(limited.headers.get('retry-after')).toBe('60');
    } finally {
      sim.configure({ quotaScale: 1, retryAfterHeader: false });
    }
  });

  it('per-family overrides, and control endpoints never count', async () => {
    sim.advance(60 * 60_000);
    sim.configure({ quotas: { 'users.list': { perMinute: 2, lockMs: 1000 } } });
    try {
      for (let i = 0; i < 5; i++) expect((await control(sim, 'GET', '/__sim/stats')).status).toBe(200);
      expect(await statuses('/api/v2/users', 3)).toEqual([200, 200, 429]);
      sim.advance(1000);
      expect((await get(sim, token, '/api/v2/users')).status).toBe(200);
    } finally {
      sim.configure({ quotas: {} });
    }
  });
});
