import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../electron/simulator';
import { get, refresh, start } from './helpers';

/** Holds: a test stops a client at an exact request, without timing (electron/simulator/http/holds.ts). */

let sim: RunningSimulator;
let token: string;
let chatId: string;

beforeEach(async () => {
  sim = await start({ rateLimitsEnabled: false });
  token = await refresh(sim);
  chatId = sim.truth().chats[0]?.chat_id ?? '';
});
afterEach(async () => {
  await sim.close();
});

const messagesPath = () => `/maintenanceapi/v2/chats/${chatId}/messages`;
const messageCount = async (response: Promise<Response>) => ((await (await response).json()) as { data: unknown[] }).data.length;

/** Tracks whether a request has been answered, without waiting for it. */
function watched(response: Promise<Response>): { answered: () => boolean; response: Promise<Response> } {
  let answered = false;
  return {
    answered: () => answered,
    response: response.then((r) => {
      answered = true;
      return r;
    }),
  };
}

describe('a hold on a route family', () => {
  it('lets `after` requests through, then keeps the next waiting until released', async () => {
    const hold = sim.hold('maint.messages', { after: 1 });
    expect((await get(sim, token, messagesPath())).status).toBe(200);
    expect(hold.waiting()).toBe(0);

    const held = watched(get(sim, token, messagesPath()));
    await hold.reached;
    expect(hold.waiting()).toBe(1);
    // Other families are not held: this answer comes while the held one is still waiting.
    expect((await get(sim, token, '/maintenanceapi/v2/chats?fields=title,chat_id')).status).toBe(200);
    expect(held.answered()).toBe(false);
    // Counted on arrival, like every request.
    expect(sim.stats().requests['maint.messages']).toBe(2);

    hold.release();
    expect((await held.response).status).toBe(200);
    expect(hold.waiting()).toBe(0);
    // Released for good: later requests pass.
    expect((await get(sim, token, messagesPath())).status).toBe(200);
  });

  it('answers a held request as of its release', async () => {
    const before = await messageCount(get(sim, token, messagesPath()));
    const hold = sim.hold('maint.messages');
    const held = get(sim, token, messagesPath());
    await hold.reached;
    expect(sim.mutate({ newMessages: 3, chatIds: [chatId] }).added).toHaveLength(3);
    hold.release();
    expect(await messageCount(held)).toBe(before + 3);
  });

  it('stops every request that comes while it is in place; a request two holds stop waits for both', async () => {
    const outer = sim.hold('maint.messages');
    const first = watched(get(sim, token, messagesPath()));
    await outer.reached;
    const inner = sim.hold('maint.messages');
    const second = watched(get(sim, token, messagesPath()));
    await inner.reached;
    expect([outer.waiting(), inner.waiting()]).toEqual([2, 1]);

    outer.release();
    expect((await first.response).status).toBe(200);
    expect(second.answered()).toBe(false);
    inner.release();
    inner.release();
    expect((await second.response).status).toBe(200);
  });

  it('holds OAuth families too', async () => {
    const hold = sim.hold('oauth.token');
    const refreshing = refresh(sim);
    await hold.reached;
    hold.release();
    expect(await refreshing).toMatch(/\S/);
  });

  it('does not keep a closing simulator waiting: the held client sees the connection end', async () => {
    const hold = sim.hold('maint.messages');
    const held = get(sim, token, messagesPath());
    await hold.reached;
    await sim.close();
    await expect(held).rejects.toThrow();
    sim = await start({ rateLimitsEnabled: false });
  });

  it('refuses a count that is not a whole number of requests', () => {
    expect(() => sim.hold('maint.messages', { after: -1 })).toThrow(/whole number/);
    expect(() => sim.hold('maint.messages', { after: 1.5 })).toThrow(/whole number/);
  });
});
