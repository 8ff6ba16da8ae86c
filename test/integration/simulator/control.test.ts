import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type GroundTruth, type MutationResult, type RunningSimulator, type SimulatorOptions, type SimulatorStats } from '../../../electron/simulator';
import { control, get, refresh, start } from './helpers';

/** The /__sim/ control endpoints and the in-process equivalents. */

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await start({ scale: 'small' });
});
afterAll(async () => {
  await sim.close();
});

describe('control endpoints', () => {
  it('GET /__sim/truth streams the same JSON as truth() and writeTruth()', async () => {
    const response = await fetch(`${sim.apiBase}/__sim/truth`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toBe(JSON.stringify(sim.truth()));
    const dir = mkdtempSync(join(tmpdir(), 'cliq-sim-'));
    try {
      const path = join(dir, 'truth.json');
      await sim.writeTruth(path);
      expect(readFileSync(path, 'utf8')).toBe(text);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('POST /__sim/mutate changes the org and reports what changed', async () => {
    const { status, body } = await control(sim, 'POST', '/__sim/mutate', { newMessages: 3, editMessages: 1, seed: 4 });
    expect(status).toBe(200);
    const result = body as MutationResult;
    expect(result.added).toHaveLength(3);
    expect(result.edited).toHaveLength(1);
    const truth = (await control(sim, 'GET', '/__sim/truth')).body as GroundTruth;
    for (const { chatId, messageId } of result.added) expect(truth.messages[chatId]?.some((m) => m.id === messageId)).toBe(true);
    expect((await control(sim, 'POST', '/__sim/mutate', { bogus: 1 })).status).toBe(400);
  });

  it('POST /__sim/configure changes knobs and rejects bad ones', async () => {
    expect((await control(sim, 'POST', '/__sim/configure', { csvHeader: true })).status).toBe(204);
    expect(sim.options().csvHeader).toBe(true);
    expect((await control(sim, 'POST', '/__sim/configure', { csvHeader: false })).status).toBe(204);
    expect((await control(sim, 'POST', '/__sim/configure', { seed: 99 })).status).toBe(400);
    expect((await control(sim, 'POST', '/__sim/configure', { rateWindow: 'hourly' })).status).toBe(400);
    const garbage = await fetch(`${sim.apiBase}/__sim/configure`, { method: 'POST', body: '{nope' });
    expect(garbage.status).toBe(400);
  });

  it('GET /__sim/stats and POST /__sim/reset-stats; control calls are not counted', async () => {
    const token = await refresh(sim);
    await control(sim, 'POST', '/__sim/reset-stats');
    await get(sim, token, '/api/v2/chats');
    await get(sim, token, '/api/v2/nope');
    const stats = (await control(sim, 'GET', '/__sim/stats')).body as SimulatorStats;
    expect(stats.requests['chats.list']).toBe(1);
    expect(stats.byStatus).toEqual({ '200': 1 });
    expect(Object.values(stats.requests).reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('POST /__sim/grant-code issues a self-client code the token endpoint accepts once', async () => {
    const { body } = await control(sim, 'POST', '/__sim/grant-code', { scopes: ['ZohoCliq.Users.READ'] });
    const code = (body as { code: string }).code;
    const params = new URLSearchParams({ grant_type: 'authorization_code', code, client_id: sim.admin.clientId, client_secret: sim.admin.clientSecret });
    const exchanged = (await (await fetch(`${sim.accountsBase}/oauth/v2/token`, { method: 'POST', body: params })).json()) as { access_token: string };
    expect((await get(sim, exchanged.access_token, '/api/v2/users')).status).toBe(200);
    expect((await get(sim, exchanged.access_token, '/api/v2/chats')).status).toBe(403);
    expect((await (await fetch(`${sim.accountsBase}/oauth/v2/token`, { method: 'POST', body: params })).json()) as object).toEqual({ error: 'invalid_code' });
  });

  it('POST /__sim/clock moves a manual clock, and is refused for the system clock', async () => {
    const before = sim.clock.now();
    const { body } = await control(sim, 'POST', '/__sim/clock', { advanceMs: 5000 });
    expect(body).toEqual({ now: before + 5000 });
    expect(sim.clock.now()).toBe(before + 5000);
    const system = await startSimulator({ scale: 'tiny' });
    try {
      expect((await control(system, 'POST', '/__sim/clock', { advanceMs: 1 })).status).toBe(400);
      expect(() => system.advance(1)).toThrow(/not manual/);
    } finally {
      await system.close();
    }
  });

  it('accepts a shared Clock object, so a client and the simulator can share time', async () => {
    let now = Date.UTC(2026, 5, 1);
    const shared = await startSimulator({ scale: 'tiny', clock: { now: () => now } });
    try {
      const token = await refresh(shared);
      now += 3_600_000;
      expect((await get(shared, token, '/api/v2/chats')).status).toBe(401);
    } finally {
      await shared.close();
    }
  });

  it('takes Partial<SimulatorOptions> at start and in configure', async () => {
    const partial: Partial<SimulatorOptions> = { scale: 'tiny', clock: 'manual', faults: [{ family: 'maint.chats', kind: '500', times: 1, after: 0 }] };
    const typed = await startSimulator(partial);
    try {
      const patch: Partial<SimulatorOptions> = { csvHeader: true };
      typed.configure(patch);
      expect(typed.options()).toMatchObject({ csvHeader: true, scale: 'tiny' });
      expect(typed.options().faults).toHaveLength(1);
    } finally {
      await typed.close();
    }
  });

  it('uses OS-chosen ports on two separate listeners and serves the same org for the same seed', async () => {
    const other = await start({ scale: 'small' });
    try {
      expect(other.apiBase).not.toBe(sim.apiBase);
      expect(new URL(other.apiBase).port).not.toBe(new URL(other.accountsBase).port);
      const fresh = await start({ scale: 'small' });
      try {
        expect(JSON.stringify(fresh.truth())).toBe(JSON.stringify(other.truth()));
      } finally {
        await fresh.close();
      }
    } finally {
      await other.close();
    }
  });
});
