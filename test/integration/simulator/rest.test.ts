import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroundTruth, MessageObject, RunningSimulator } from '../../../electron/simulator';
import { get, getJson, refresh, start } from './helpers';

/** REST v2 reads over real HTTP: shapes, pagination, filters and visibility. */

let sim: RunningSimulator;
let token: string;
let truth: GroundTruth;

beforeAll(async () => {
  sim = await start({ scale: 'small', rateLimitsEnabled: false });
  token = await refresh(sim);
  truth = sim.truth();
});
afterAll(async () => {
  await sim.close();
});

type Obj = Record<string, unknown>;
const json = async (path: string, as = token) => {
  const { status, body } = await getJson(sim, as, path);
  return { status, body: body as Obj };
};
const admin = () => sim.org.users[sim.org.adminIndex];

describe('U1/U2 users', () => {
  it('pages with next_token + has_more to the end; the last page has has_more:false and no next_token', async () => {
    const seen: Obj[] = [];
    let path = '/api/v2/users?limit=7&fields=all';
    for (let page = 0; page < 20; page++) {
      const { status, body } = await json(path);
      expect(status).toBe(200);
      seen.push(...(body.data as Obj[]));
      if (body.has_more === false) {
        expect('next_token' in body).toBe(false);
        break;
      }
      expect(typeof body.next_token).toBe('string');
      path = `/api/v2/users?limit=7&next_token=${encodeURIComponent(String(body.next_token))}`;
    }
    expect(seen).toEqual(truth.users);
  });

  it('rejects limit over 100 (or clamps it) and an invalid next_token', async () => {
    expect((await json('/api/v2/users?limit=101')).status).toBe(400);
    expect((await json('/api/v2/users?limit=0')).status).toBe(400);
    expect((await json('/api/v2/users?next_token=forged')).status).toBe(400);
    sim.configure({ limitOverMax: 'clamp' });
    try {
      expect((await json('/api/v2/users?limit=500')).status).toBe(200);
    } finally {
      sim.configure({ limitOverMax: 'error' });
    }
  });

  it('answers minimal items without fields=all, and honours status and search', async () => {
    const { body } = await json('/api/v2/users?limit=100');
    const first = (body.data as Obj[])[0] ?? {};
    expect(Object.keys(first)).toEqual(['email_id', 'zuid', 'zoid', 'display_name', 'name', 'organization_id', 'id']);
    const inactive = (await json('/api/v2/users?status=inactive&limit=100')).body.data as Obj[];
    expect(inactive.length).toBe(truth.users.filter((u) => u.status === 'inactive').length);
    const comma = truth.users.find((u) => String(u.display_name).includes(','));
    const found = (await json(`/api/v2/users?search=${encodeURIComponent(String(comma?.email_id))}`)).body.data as Obj[];
    expect(found.map((u) => u.id)).toEqual([comma?.id]);
    expect((await json('/api/v2/users?status=bogus')).status).toBe(400);
  });

  it('U2 returns one user, its chat_status, and 404 for an unknown id', async () => {
    const user = truth.users[3] ?? {};
    const { body } = await json(`/api/v2/users/${String(user.id)}?fields=all`);
    const { zuid: _zuid, ...withoutZuid } = user;
    expect(body.data).toEqual(withoutZuid);
    const status = (await json(`/api/v2/users/${String(user.id)}?fields=chat_status`)).body.data as Obj;
    expect(Object.keys(status)).toEqual(['state', 'activity', 'text']);
    expect((await json('/api/v2/users/1000000000000000001')).status).toBe(404);
  });
});

describe('C1–C3 channels', () => {
  const walk = async (first: string) => {
    const items: Obj[] = [];
    let body: Obj = {};
    let path = first;
    for (let page = 0; page < 50; page++) {
      body = (await json(path)).body;
      items.push(...(body.channels as Obj[]));
      if (body.has_more !== true) break;
      path = `/api/v2/channels?limit=3&next_token=${encodeURIComponent(String(body.next_token))}`;
    }
    return { items, last: body };
  };

  it('pages through every channel for the admin; with adminListsAllChannels off, non-joined private ones are hidden', async () => {
    const { items, last } = await walk('/api/v2/channels?limit=3');
    expect(typeof last.sync_token).toBe('string');
    expect('next_token' in last).toBe(false);
    const ids = items.map((c) => c.channel_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(truth.channels.map((c) => c.rest_channel_id)));
    const hidden = sim.org.conversations.find((c) => c.channel?.level === 'private' && !c.memberSet.has(sim.org.adminIndex));
    expect(items.find((c) => c.channel_id === hidden?.channel?.restId)?.joined).toBe(false);
    sim.configure({ adminListsAllChannels: false });
    try {
      const strict = (await walk('/api/v2/channels?limit=3')).items.map((c) => c.channel_id);
      const visible = sim.org.conversations.filter((c) => c.channel && !c.removed && (c.memberSet.has(sim.org.adminIndex) || c.channel.level === 'organization'));
      expect(new Set(strict)).toEqual(new Set(visible.map((c) => c.channel?.restId)));
      expect(strict).not.toContain(hidden?.channel?.restId);
      expect((await json(`/api/v2/channels/${hidden?.channel?.restId ?? ''}`)).status).toBe(403);
    } finally {
      sim.configure({ adminListsAllChannels: true });
    }
    // The member (not an admin) never sees private channels it has not joined.
    const memberToken = await refresh(sim, sim.member);
    const memberIds = ((await json('/api/v2/channels?limit=100', memberToken)).body.channels as Obj[]).map((c) => c.channel_id);
    const notMembers = sim.org.conversations.filter((c) => c.channel && c.channel.level !== 'organization' && !c.memberSet.has(sim.org.memberIndex));
    for (const c of notMembers) expect(memberIds).not.toContain(c.channel?.restId);
    const item = items[0] ?? {};
    expect(typeof item.total_message_count).toBe('string');
    expect(String(item.channel_id)).toMatch(/^[OT]\d{19}$/);
    expect(String(item.last_modified_time)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    expect(Object.keys(item.last_message_info as Obj)).toEqual(['sender_id', 'message_type', 'time', 'text', 'sender_name']);
  });

  it('filters: pinned=false is all, joined=false only non-joined; order_by needs %2B', async () => {
    const all = (await walk('/api/v2/channels?limit=3')).items;
    expect((await walk('/api/v2/channels?limit=3&pinned=false')).items).toHaveLength(all.length);
    const notJoined = (await walk('/api/v2/channels?limit=3&joined=false')).items;
    expect(notJoined.every((c) => c.joined === false)).toBe(true);
    const byCreation = (await walk('/api/v2/channels?limit=3&order_by=%2Bcreation_time')).items.map((c) => Date.parse(String(c.creation_time)));
    expect([...byCreation].sort((a, b) => a - b)).toEqual(byCreation);
    expect((await json('/api/v2/channels?order_by=+creation_time')).status).toBe(400);
    expect((await json('/api/v2/channels?limit=101')).status).toBe(400);
  });

  it('sync_token returns only the channels changed since, and 400 beyond 50 changes', async () => {
    const { last } = await walk('/api/v2/channels?limit=100');
    const sync = encodeURIComponent(String(last.sync_token));
    expect((await json(`/api/v2/channels?sync_token=${sync}`)).body.channels as Obj[]).toEqual([]);
    const general = truth.channels[0];
    sim.mutate({ newMessages: 2, chatIds: [general?.chat_id ?? ''] });
    const changed = (await json(`/api/v2/channels?sync_token=${sync}`)).body;
    expect((changed.channels as Obj[]).map((c) => c.channel_id)).toEqual([general?.rest_channel_id]);
    expect(typeof changed.sync_token).toBe('string');

    const medium = await start({ scale: 'medium', rateLimitsEnabled: false });
    try {
      const mediumToken = await refresh(medium);
      const first = (await getJson(medium, mediumToken, '/api/v2/channels?limit=100')).body as Obj;
      const channelChats = medium.truth().channels.map((c) => c.chat_id);
      medium.mutate({ newMessages: 1000, chatIds: channelChats });
      const overflow = await get(medium, mediumToken, `/api/v2/channels?sync_token=${encodeURIComponent(String(first.sync_token))}`);
      expect(overflow.status).toBe(400);
    } finally {
      await medium.close();
    }
  });

  it('C2 uses the single-channel shape; C3 on a private channel the admin is not in → 403', async () => {
    const general = truth.channels[0];
    const { body } = await json(`/api/v2/channels/${general?.rest_channel_id ?? ''}`);
    expect(body.channel_id).toBe(general?.rest_channel_id);
    expect(Object.keys(body.last_message_info as Obj)).toEqual(['sender_id', 'message_type', 'message_time', 'message', 'sender_display_name']);
    const members = (await json(`/api/v2/channels/${general?.rest_channel_id ?? ''}/members`)).body.members as Obj[];
    expect(members.map((m) => m.user_id)).toEqual(sim.truth().members[general?.chat_id ?? '']?.map((m) => m.user_id));
    expect(Object.keys(members[0] ?? {})).toEqual(['user_id', 'email_id', 'name', 'user_role']);
    const hidden = sim.org.conversations.find((c) => c.channel?.level === 'private' && !c.memberSet.has(sim.org.adminIndex));
    expect((await json(`/api/v2/channels/${hidden?.channel?.restId ?? ''}`)).status).toBe(200);
    expect((await json(`/api/v2/channels/${hidden?.channel?.restId ?? ''}/members`)).status).toBe(403);
    expect((await json('/api/v2/channels/O1000000000000000000')).status).toBe(404);
  });
});

describe('H1/H2 chats', () => {
  it('lists the caller’s chats by last_modified_time descending, without a cursor', async () => {
    const { body } = await json('/api/v2/chats?limit=100');
    const chats = body.chats as Obj[];
    expect(Object.keys(body)).toEqual(['chats']);
    const mine = sim.org.conversations.filter((c) => !c.removed && ['dm', 'group', 'bot'].includes(c.kind) && c.memberSet.has(sim.org.adminIndex));
    expect(new Set(chats.map((c) => c.chat_id))).toEqual(new Set(mine.map((c) => c.chatId)));
    const times = chats.map((c) => Date.parse(String(c.last_modified_time)));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(new Set(chats.map((c) => c.chat_type))).toEqual(new Set(['dm', 'chat', 'bot']));
    const dm = chats.find((c) => c.chat_type === 'dm');
    expect(dm?.name).not.toBe(admin()?.fullName);
    expect((await json('/api/v2/chats?limit=101')).status).toBe(400);
  });

  it('walks with modified_before (+1000 ms for second-precision ties) at medium scale: >100 chats, same-second ties', async () => {
    const medium = await start({ scale: 'medium', rateLimitsEnabled: false });
    try {
      const mediumToken = await refresh(medium);
      const seen = new Map<string, Obj>();
      let path = '/api/v2/chats?limit=100';
      let firstPage: Obj[] = [];
      for (let page = 0; page < 20; page++) {
        const chats = ((await getJson(medium, mediumToken, path)).body as Obj).chats as Obj[];
        if (page === 0) firstPage = chats;
        const before = seen.size;
        for (const chat of chats) seen.set(String(chat.chat_id), chat);
        if (chats.length < 100 || seen.size === before) break;
        const oldest = Math.min(...chats.map((c) => Date.parse(String(c.last_modified_time))));
        path = `/api/v2/chats?limit=100&modified_before=${oldest + 1000}`;
      }
      expect(firstPage).toHaveLength(100);
      const adminIndex = medium.org.adminIndex;
      const mine = medium.org.conversations.filter((c) => ['dm', 'group', 'bot'].includes(c.kind) && c.memberSet.has(adminIndex));
      expect(seen.size).toBe(mine.length);
      expect(mine.length).toBeGreaterThan(100);
      const perSecond = new Map<string, number>();
      for (const chat of seen.values()) perSecond.set(String(chat.last_modified_time), (perSecond.get(String(chat.last_modified_time)) ?? 0) + 1);
      expect(Math.max(...perSecond.values())).toBeGreaterThanOrEqual(4);
    } finally {
      await medium.close();
    }
  });

  it('H2 lists members (fields limits the keys) and 403s a chat the admin is not in', async () => {
    const group = truth.chats.find((c) => c.kind === 'group' && sim.org.byChatId.get(c.chat_id)?.memberSet.has(sim.org.adminIndex));
    const { body } = await json(`/api/v2/chats/${group?.chat_id ?? ''}/members?fields=name,user_id`);
    expect(body.members).toEqual(truth.members[group?.chat_id ?? '']?.map((m) => ({ user_id: m.user_id, name: m.name })));
    const notMine = sim.org.conversations.find((c) => c.kind === 'group' && !c.memberSet.has(sim.org.adminIndex));
    expect((await json(`/api/v2/chats/${notMine?.chatId ?? ''}/members`)).status).toBe(403);
    expect((await json(`/api/v2/chats/${group?.chat_id ?? ''}/members?fields=phone`)).status).toBe(400);
  });
});

describe('TH1/TH4 threads', () => {
  it('lists a channel’s threads across next_token pages with a sync_token', async () => {
    sim.configure({ threadsPageSize: 1 });
    try {
      const parent = truth.threads[0]?.parent_chat_id;
      const channel = truth.channels.find((c) => c.chat_id === parent);
      const expected = truth.threads.filter((t) => t.parent_chat_id === parent);
      const items: Obj[] = [];
      let path = `/api/v2/channels/${channel?.rest_channel_id ?? ''}/threads`;
      for (let page = 0; page < 20; page++) {
        const { body } = await json(path);
        expect(body.url).toBe('/api/v2/threads');
        expect(body.type).toBe('chat_thread');
        expect(typeof body.sync_token).toBe('string');
        items.push(...(body.data as Obj[]));
        if (!('next_token' in body)) break;
        path = `/api/v2/channels/${channel?.rest_channel_id ?? ''}/threads?next_token=${encodeURIComponent(String(body.next_token))}`;
      }
      expect(items.map((t) => t.chat_id)).toEqual(expected.map((t) => t.chat_id));
      const item = items[0] ?? {};
      expect(item.thread_message_id).toBe(expected[0]?.thread_message_id);
      expect(Object.keys(item.last_message_information as Obj)).toEqual(['sender_id', 'message_type', 'time', 'text', 'sender_name']);
      const open = (await json(`/api/v2/channels/${channel?.rest_channel_id ?? ''}/threads?state=open`)).body;
      expect((open.data as Obj[]).every((t) => t.thread_state === 'open')).toBe(true);
      expect((await json(`/api/v2/channels/${channel?.rest_channel_id ?? ''}/threads?state=bogus`)).status).toBe(400);
    } finally {
      sim.configure({ threadsPageSize: 20 });
    }
  });

  it('TH4 returns the rich main-message shape', async () => {
    const thread = truth.threads[0];
    const { body } = await json(`/api/v2/threads/${thread?.chat_id ?? ''}/messages/main`);
    expect(body.id).toBe(thread?.thread_message_id.replace('%20', '_'));
    expect(body.thread_information).toMatchObject({
      chat_id: thread?.chat_id,
      title: thread?.title,
      thread_message_id: thread?.thread_message_id,
      message_count: truth.messages[thread?.chat_id ?? '']?.length,
    });
    const last = truth.messages[thread?.chat_id ?? '']?.at(-1);
    expect(body.thread_message).toMatchObject({ id: last?.id, msguid: last?.id.replace('_', '%20'), time: String(last?.time), ctype: 11, threadmsg: true });
    expect(body.thread_state_info).toEqual({ thread_state: thread?.thread_state });
    expect((await json('/api/v2/threads/CT_1_1-T-1/messages/main')).status).toBe(404);
  });
});

describe('MS1/MS2 messages', () => {
  const chatOf = () => truth.chats.find((c) => c.total_message_count > 20 && sim.org.byChatId.get(c.chat_id)?.memberSet.has(sim.org.adminIndex))?.chat_id ?? '';
  const rest = (m: MessageObject) => {
    const { ack_key: _ack, ...out } = m;
    return out;
  };

  it('returns windows ascending, limit defaulting to and capped at 100, a bare limit giving the newest', async () => {
    const chatId = chatOf();
    const all = (truth.messages[chatId] ?? []).map(rest);
    expect((await json(`/api/v2/chats/${chatId}/messages?limit=5`)).body.data as Obj[]).toEqual(all.slice(-5));
    const from = all[3]?.time ?? 0;
    const to = all[9]?.time ?? 0;
    expect((await json(`/api/v2/chats/${chatId}/messages?fromtime=${from}&totime=${to}`)).body.data).toEqual(all.filter((m) => m.time >= from && m.time <= to));
    expect(((await json(`/api/v2/chats/${chatId}/messages?fromtime=0&limit=1000`)).body.data as Obj[]).length).toBe(Math.min(100, all.length));
    expect(Object.keys((await json(`/api/v2/chats/${chatId}/messages`)).body)).toEqual(['data']);
    sim.configure({ restBareLimit: 'oldest' });
    try {
      expect((await json(`/api/v2/chats/${chatId}/messages?limit=5`)).body.data).toEqual(all.slice(0, 5));
    } finally {
      sim.configure({ restBareLimit: 'newest' });
    }
  });

  it('works for channel and thread chat ids, and 403s chats the admin is not in', async () => {
    const thread = truth.threads[0]?.chat_id ?? '';
    expect(((await json(`/api/v2/chats/${thread}/messages?fromtime=0`)).body.data as Obj[]).length).toBe(Math.min(100, truth.messages[thread]?.length ?? 0));
    const notMine = sim.org.conversations.find((c) => c.kind === 'dm' && !c.memberSet.has(sim.org.adminIndex));
    expect((await json(`/api/v2/chats/${notMine?.chatId ?? ''}/messages`)).status).toBe(403);
    const hidden = sim.org.conversations.find((c) => c.channel?.level === 'private' && !c.memberSet.has(sim.org.adminIndex));
    expect((await json(`/api/v2/chats/${hidden?.chatId ?? ''}/messages`)).status).toBe(403);
    expect((await json('/api/v2/chats/1234567890123456789/messages')).status).toBe(404);
  });

  it('MS2 accepts both id spellings, 404s unknown ids, and has a legacy shape knob', async () => {
    const chatId = chatOf();
    const message = truth.messages[chatId]?.[2];
    const id = message?.id ?? '';
    expect((await json(`/api/v2/chats/${chatId}/messages/${id}`)).body).toEqual(rest(message as MessageObject));
    expect((await json(`/api/v2/chats/${chatId}/messages/${id.replace('_', '%20')}`)).body.id).toBe(id);
    expect((await json(`/api/v2/chats/${chatId}/messages/${id.replace('_', '%2520')}`)).body.id).toBe(id);
    expect((await json(`/api/v2/chats/${chatId}/messages/1_1`)).status).toBe(404);
    sim.configure({ legacyRetrieveShape: true });
    try {
      const legacy = (await json(`/api/v2/chats/${chatId}/messages/${id}`)).body;
      expect(Object.keys(legacy.sender as Obj)).toEqual(['senderName', 'senderID']);
      expect(typeof legacy.content).toBe('string');
    } finally {
      sim.configure({ legacyRetrieveShape: false });
    }
  });
});

describe('routing and auth', () => {
  it('404 for unknown paths and wrong roots, 405 for a known path with the wrong method', async () => {
    for (const path of ['/api/v2/nope', '/v2/chats', '/api/v2/maintenanceapi/chats', '/maintenanceapi/v2/users']) {
      const { status, body } = await json(path);
      expect(status).toBe(404);
      expect(body).toEqual({ message: "The URL you've sent is wrong. It's possible that the resource you've requested has been moved to another URL." });
    }
    const response = await fetch(`${sim.apiBase}/api/v2/chats`, { method: 'DELETE', headers: { Authorization: `Zoho-oauthtoken ${token}` } });
    expect(response.status).toBe(405);
  });

  it('401s a missing, wrong or query-string token; accepts Bearer unless strict', async () => {
    const invalid = { message: 'Request was rejected because of invalid AuthToken.' };
    const plain = await fetch(`${sim.apiBase}/api/v2/chats`);
    expect(plain.status).toBe(401);
    expect(await plain.json()).toEqual(invalid);
    expect((await fetch(`${sim.apiBase}/api/v2/chats?authtoken=${token}`)).status).toBe(401);
    expect((await fetch(`${sim.apiBase}/api/v2/chats?access_token=${token}`)).status).toBe(401);
    expect((await fetch(`${sim.apiBase}/api/v2/chats`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    sim.configure({ strictAuthScheme: true });
    try {
      expect((await fetch(`${sim.apiBase}/api/v2/chats`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(401);
    } finally {
      sim.configure({ strictAuthScheme: false });
    }
  });

  it('406 in strictAccept mode when Accept excludes the answer', async () => {
    sim.configure({ strictAccept: true });
    try {
      expect((await get(sim, token, '/maintenanceapi/v2/chats?fields=title', { Accept: 'application/json' })).status).toBe(406);
      expect((await get(sim, token, '/maintenanceapi/v2/chats?fields=title', { Accept: 'text/csv' })).status).toBe(200);
    } finally {
      sim.configure({ strictAccept: false });
    }
  });
});
