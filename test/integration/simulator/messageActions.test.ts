import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../electron/simulator';
import { reactionName, reactionsAt } from '../../../electron/simulator/org/extras';
import type { Conversation } from '../../../electron/simulator/org/model';
import { get, getJson, refresh, start } from './helpers';

/** MS3 reactions and H3 sticky message over real HTTP: shapes, both id spellings, visibility, mutations. */

let sim: RunningSimulator;
let token: string;

beforeAll(async () => {
  sim = await start({ scale: 'small', rateLimitsEnabled: false });
  token = await refresh(sim);
});
afterAll(async () => {
  await sim.close();
});

const mine = (c: Conversation) => !c.removed && c.kind !== 'thread' && c.memberSet.has(sim.org.adminIndex);
const reactionsPath = (c: Conversation, id: string) => `/api/v2/chats/${encodeURIComponent(c.chatId)}/messages/${encodeURIComponent(id)}/reactions`;

describe('MS3 reactions', () => {
  it('answers {data:{key:["ms:uid:name"]}} for both id spellings, {data:{}} when none, 404 for an unknown id', async () => {
    const c = sim.org.conversations.find((x) => mine(x) && x.messages.length > 20);
    if (!c) throw new Error('the org has no readable conversation with messages');
    let withReactions = -1;
    let without = -1;
    for (let i = 0; i < c.messages.length && (withReactions < 0 || without < 0); i++) {
      if (reactionsAt(sim.org, c, i).length > 0) withReactions = i;
      else without = i;
    }
    const id = c.messages.idAt(withReactions);
    const underscore = await getJson(sim, token, reactionsPath(c, id));
    const space = await getJson(sim, token, reactionsPath(c, id.replace('_', ' ')));
    expect(underscore.status).toBe(200);
    expect(space).toEqual(underscore);
    const data = (underscore.body as { data: Record<string, string[]> }).data;
    const entries = Object.values(data).flat();
    expect(entries.length).toBe(reactionsAt(sim.org, c, withReactions).length);
    for (const entry of entries) expect(entry).toMatch(/^\d+:\d+:.+$/);
    expect(await getJson(sim, token, reactionsPath(c, c.messages.idAt(without)))).toEqual({ status: 200, body: { data: {} } });
    expect((await get(sim, token, reactionsPath(c, '1_2'))).status).toBe(404);
  });

  it('refuses a conversation the caller cannot read with 403', async () => {
    const c = sim.org.conversations.find((x) => !x.removed && (x.kind === 'dm' || x.kind === 'group') && !x.memberSet.has(sim.org.adminIndex) && x.messages.length > 0);
    if (!c) throw new Error('the org has no chat without the admin');
    expect((await get(sim, token, reactionsPath(c, c.messages.idAt(0)))).status).toBe(403);
  });

  it('across the org: both key kinds, and names holding colons', () => {
    const entries: { emoji: string; name: string }[] = [];
    for (const c of sim.org.conversations) {
      for (let i = 0; i < c.messages.length; i++) {
        for (const r of reactionsAt(sim.org, c, i)) entries.push({ emoji: r.emoji, name: reactionName(sim.org.users[r.user]) });
      }
    }
    expect(entries.some((e) => /^:.+:$/.test(e.emoji))).toBe(true);
    expect(entries.some((e) => !e.emoji.startsWith(':'))).toBe(true);
    expect(entries.some((e) => e.name.includes(':'))).toBe(true);
  });
});

describe('H3 sticky message', () => {
  it('answers the pin with ms numbers outside and ms strings inside, msguid in the %20 spelling; 204 with no body when none', async () => {
    const pinned = sim.org.conversations.find((c) => mine(c) && sim.org.stickies.has(c.chatId));
    const unpinned = sim.org.conversations.find((c) => mine(c) && !sim.org.stickies.has(c.chatId));
    if (!pinned || !unpinned) throw new Error('the org has no pinned or no unpinned readable conversation');
    const { status, body } = await getJson(sim, token, `/api/v2/chats/${encodeURIComponent(pinned.chatId)}/stickymessage`);
    expect(status).toBe(200);
    const answer = body as { type: string; data: { created_time: unknown; expiry_time: unknown; message: { time: unknown; lmsgtime: unknown; msguid: string } } };
    expect(answer.type).toBe('stickymessage');
    expect([typeof answer.data.created_time, typeof answer.data.expiry_time, typeof answer.data.message.time, typeof answer.data.message.lmsgtime]).toEqual(['number', 'number', 'string', 'string']);
    expect(answer.data.message.msguid).toMatch(/^\d+%20\d+$/);
    const none = await get(sim, token, `/api/v2/chats/${encodeURIComponent(unpinned.chatId)}/stickymessage`);
    expect([none.status, await none.text()]).toEqual([204, '']);
  });

  it('mutations replace and unpin pins and move channel roles', () => {
    const before = new Map(sim.org.stickies);
    const result = sim.mutate({ seed: 3, replaceSticky: 2, unpinSticky: 1, changeMemberRoles: 2 });
    expect(result.stickyReplaced.length).toBe(2);
    for (const chatId of result.stickyReplaced) expect(sim.org.stickies.get(chatId)).not.toEqual(before.get(chatId));
    expect(result.stickyUnpinned.map((chatId) => sim.org.stickies.has(chatId))).toEqual([false]);
    for (const change of result.rolesChanged) {
      const c = sim.org.live(change.chatId);
      const user = sim.org.usersById.get(change.userId);
      expect(change.from).not.toBe(change.to);
      expect(c?.channel?.roles.get(user?.index ?? -1)).toBe(change.to);
    }
  });
});
