import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FaultKind, GroundTruth, RunningSimulator } from '../../../electron/simulator';
import { get, refresh, start } from './helpers';

/** Every scripted fault kind, as a client sees it over real HTTP. */

let sim: RunningSimulator;
let token: string;
let truth: GroundTruth;
let messagesPath: string;

beforeAll(async () => {
  sim = await start({ rateLimitsEnabled: false });
  token = await refresh(sim);
  truth = sim.truth();
  messagesPath = `/maintenanceapi/v2/chats/${truth.chats[0]?.chat_id ?? ''}/messages`;
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.configure({ faults: [], faultRates: {} });
});

const once = (kind: FaultKind, family: 'maint.messages' | 'maint.chats' = 'maint.messages') => sim.configure({ faults: [{ family, kind, times: 1, after: 0 }] });

describe('scripted faults', () => {
  it('500 with the documented body, then the next request succeeds', async () => {
    once('500');
    const failed = await get(sim, token, messagesPath);
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ message: 'Cliq server encountered an error which prevents it from fulfilling the request.' });
    expect((await get(sim, token, messagesPath)).status).toBe(200);
  });

  it('502-html, 503 and 504 answer with non-JSON bodies', async () => {
    for (const [kind, status] of [
      ['502-html', 502],
      ['503', 503],
      ['504', 504],
    ] as const) {
      once(kind);
      const response = await get(sim, token, messagesPath);
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toContain('text/html');
      await expect(response.clone().json()).rejects.toThrow();
      expect(await response.text()).toContain('<html');
    }
  });

  it('429, 403 and 404 use the documented bodies', async () => {
    for (const [kind, status] of [
      ['429', 429],
      ['403', 403],
      ['404', 404],
    ] as const) {
      once(kind);
      const response = await get(sim, token, messagesPath);
      expect(response.status).toBe(status);
      expect(Object.keys((await response.json()) as object)).toEqual(['message']);
    }
    // A scripted 429 does not lock the key.
    expect((await get(sim, token, messagesPath)).status).toBe(200);
  });

  it('reset: headers arrive, then the connection dies mid-body', async () => {
    once('reset');
    const response = await get(sim, token, messagesPath);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });

  it('truncate: a clean 200 whose body is cut halfway', async () => {
    once('truncate');
    const response = await get(sim, token, messagesPath);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(() => JSON.parse(text) as unknown).toThrow();
    const full = JSON.stringify({ data: truth.messages[truth.chats[0]?.chat_id ?? ''] });
    expect(full.startsWith(text)).toBe(true);
    expect(text.length).toBeLessThan(full.length);
  });

  it('truncate and malformed on a CSV export', async () => {
    once('truncate', 'maint.chats');
    const cut = await get(sim, token, '/maintenanceapi/v2/chats?fields=title,chat_id');
    expect(cut.status).toBe(200);
    const full = await (await get(sim, token, '/maintenanceapi/v2/chats?fields=title,chat_id')).text();
    expect((await cut.text()).length).toBeLessThan(full.length);
    once('malformed', 'maint.chats');
    expect(await (await get(sim, token, '/maintenanceapi/v2/chats?fields=title,chat_id')).text()).toMatch(/^"unterminated,/);
  });

  it('malformed: 200 with syntactically broken JSON', async () => {
    once('malformed');
    const response = await get(sim, token, messagesPath);
    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toThrow();
  });

  it('wrong-content-type: 200 with an HTML page', async () => {
    once('wrong-content-type');
    const response = await get(sim, token, messagesPath);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
  });

  it('big-number-id: sender ids as bare numbers above 2^53 lose digits in JSON.parse', async () => {
    once('big-number-id');
    const text = await (await get(sim, token, messagesPath)).text();
    expect(text).toMatch(/"sender":\{"name":"[^"]*","id":\d{19}\}/);
    const parsed = JSON.parse(text) as { data: { sender: { id: unknown } }[] };
    const first = truth.messages[truth.chats[0]?.chat_id ?? '']?.[0];
    expect(typeof parsed.data[0]?.sender.id).toBe('number');
    expect(String(parsed.data[0]?.sender.id)).not.toBe(first?.sender.id);
  });

  it('hang: no answer until the client gives up', async () => {
    once('hang');
    const controller = new AbortController();
    const pending = fetch(`${sim.apiBase}${messagesPath}`, { headers: { Authorization: `Zoho-oauthtoken ${token}` }, signal: controller.signal });
    // Wait for the server to have the request (the stats count it) instead of sleeping.
    await expect.poll(() => sim.stats().byStatus.hang ?? 0).toBeGreaterThan(0);
    controller.abort();
    await expect(pending).rejects.toThrow();
    expect((await get(sim, token, messagesPath)).status).toBe(200);
  });

  it('after: K lets K requests pass; times: N fails N in a row; faults queue in order', async () => {
    sim.configure({
      faults: [
        { family: 'maint.messages', kind: '500', times: 2, after: 1 },
        { family: 'maint.messages', kind: '404', times: 1 },
      ],
    });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await get(sim, token, messagesPath)).status);
    expect(statuses).toEqual([200, 500, 500, 404, 200]);
  });

  it('faults hit only their family', async () => {
    once('500');
    expect((await get(sim, token, '/maintenanceapi/v2/chats?fields=title')).status).toBe(200);
    expect((await get(sim, token, messagesPath)).status).toBe(500);
  });

  it('faultRates inject seeded random faults, reproducibly', async () => {
    const pattern = async () => {
      sim.configure({ faults: [], faultRates: { 'maint.chats': { rate: 0.5, kinds: ['500', '503'] } } });
      const out = [];
      for (let i = 0; i < 12; i++) out.push((await get(sim, token, '/maintenanceapi/v2/chats?fields=title')).status);
      return out;
    };
    const first = await pattern();
    expect(first.some((s) => s !== 200)).toBe(true);
    expect(first.some((s) => s === 200)).toBe(true);
    expect(await pattern()).toEqual(first);
  });

  it('faults the accounts host too', async () => {
    sim.configure({ faults: [{ family: 'oauth.token', kind: '503', times: 1, after: 0 }] });
    await expect(refresh(sim)).rejects.toThrow();
    expect(typeof (await refresh(sim))).toBe('string');
  });
});
