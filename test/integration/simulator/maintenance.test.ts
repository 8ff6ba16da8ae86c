import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroundTruth, MessageObject, RunningSimulator } from '../../../electron/simulator';
import { get, getJson, refresh, start } from './helpers';

/** The Maintenance export APIs over real HTTP, compared with the ground truth. */

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

function parseCsv(text: string): string[][] {
  const result = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { delimiter: ',', skipEmptyLines: false });
  expect(result.errors).toEqual([]);
  const rows = result.data;
  if (rows.length > 0 && rows[rows.length - 1]?.length === 1 && rows[rows.length - 1]?.[0] === '') rows.pop();
  return rows;
}

async function csv(path: string): Promise<{ status: number; type: string | null; rows: string[][]; text: string }> {
  const response = await get(sim, token, path, { 'Content-Type': 'text/csv', Accept: 'text/csv, */*' });
  // Decoded by hand: Response.text() would strip a BOM, which some tests look for.
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
  return { status: response.status, type: response.headers.get('content-type'), rows: response.status === 200 ? parseCsv(text) : [], text };
}

async function messages(chatId: string, query = ''): Promise<MessageObject[]> {
  const { status, body } = await getJson(sim, token, `/maintenanceapi/v2/chats/${encodeURIComponent(chatId)}/messages${query}`);
  expect(status).toBe(200);
  return (body as { data: MessageObject[] }).data;
}

describe('M1 export conversations', () => {
  it('exports every DM, group and bot chat as RFC 4180 CSV, columns in fields order, no header', async () => {
    const result = await csv('/maintenanceapi/v2/chats?fields=chat_id,title,total_message_count,last_modified_time,creation_time,participant_count,creator_id');
    expect(result.status).toBe(200);
    expect(result.type).toBe('text/csv; charset=utf-8');
    const expected = truth.chats.map((c) => [c.chat_id, c.title, String(c.total_message_count), String(c.last_modified_time), String(c.creation_time), String(c.participant_count), c.creator_id]);
    expect(result.rows).toEqual(expected);
    expect(result.text.includes('"Budget, Q3 ""final"" numbers"')).toBe(true);
  });

  it('rejects a missing, empty, unknown or repeated field with the documented 400', async () => {
    for (const query of ['', '?fields=', '?fields=title,nope', '?fields=title,title', '?fields=title,']) {
      const response = await get(sim, token, `/maintenanceapi/v2/chats${query}`);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ message: 'The request cannot be performed. Usually because of malformed parameter or missing parameter.' });
    }
  });

  it('honours csvHeader, crlf, bom, canonicalOrder and timestampFormat', async () => {
    sim.configure({ csvHeader: true, crlf: true, bom: true, canonicalOrder: true, timestampFormat: 'iso' });
    try {
      const result = await csv('/maintenanceapi/v2/chats?fields=creation_time,title');
      expect(result.text.startsWith('\uFEFFtitle,creation_time\r\n')).toBe(true);
      expect(result.rows[0]).toEqual(['title', 'creation_time']);
      expect(result.rows[1]?.[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+05:30$/);
      expect(result.rows).toHaveLength(truth.chats.length + 1);
    } finally {
      sim.configure({ csvHeader: false, crlf: false, bom: false, canonicalOrder: false, timestampFormat: 'ms' });
    }
  });
});

describe('M2 export channels', () => {
  it('exports every channel, names with #, ids without the REST letter, archived and pending included', async () => {
    const result = await csv('/maintenanceapi/v2/channels?fields=name,channel_id,description,status,participant_count,total_message_count,last_modified_time,creator_id,role');
    const expected = truth.channels.map((c) => [c.name, c.channel_id, c.description, c.status, String(c.participant_count), String(c.total_message_count), String(c.last_modified_time), c.creator_id]);
    expect(result.rows.map((r) => r.slice(0, 8))).toEqual(expected);
    expect(result.rows.every((r) => /^\d{19}$/.test(r[1] ?? ''))).toBe(true);
    expect(new Set(result.rows.map((r) => r[3]))).toEqual(new Set(['created', 'archived', 'pending']));
    expect(result.rows.some((r) => r[8] === '')).toBe(true); // a channel the admin is not in
    sim.configure({ maintenanceChannelIdPrefix: true });
    try {
      const prefixed = await csv('/maintenanceapi/v2/channels?fields=channel_id');
      expect(prefixed.rows.map((r) => r[0])).toEqual(truth.channels.map((c) => c.rest_channel_id));
    } finally {
      sim.configure({ maintenanceChannelIdPrefix: false });
    }
  });
});

describe('M3 export members', () => {
  it('works for DM, group, bot, channel and thread chat ids', async () => {
    const ids = [
      truth.chats.find((c) => c.kind === 'dm')?.chat_id,
      truth.chats.find((c) => c.kind === 'group')?.chat_id,
      truth.chats.find((c) => c.kind === 'bot')?.chat_id,
      truth.channels[0]?.chat_id,
      truth.threads[0]?.chat_id,
    ];
    for (const chatId of ids) {
      expect(chatId).toBeDefined();
      const result = await csv(`/maintenanceapi/v2/chats/${encodeURIComponent(chatId ?? '')}/members?fields=user_id,name,email_id`);
      expect(result.status).toBe(200);
      expect(result.rows).toEqual((truth.members[chatId ?? ''] ?? []).map((m) => [m.user_id, m.name, m.email_id]));
    }
  });

  it('404s an unknown chat and honours forbidChats / missingChats', async () => {
    expect((await csv('/maintenanceapi/v2/chats/1999999999999999999/members?fields=name')).status).toBe(404);
    const [a, b] = truth.chats;
    sim.configure({ forbidChats: [a?.chat_id ?? ''], missingChats: [b?.chat_id ?? ''] });
    try {
      expect((await csv(`/maintenanceapi/v2/chats/${a?.chat_id ?? ''}/members?fields=name`)).status).toBe(403);
      expect((await get(sim, token, `/maintenanceapi/v2/chats/${a?.chat_id ?? ''}/messages`)).status).toBe(403);
      expect((await csv(`/maintenanceapi/v2/chats/${b?.chat_id ?? ''}/members?fields=name`)).status).toBe(404);
      expect((await get(sim, token, `/maintenanceapi/v2/chats/${b?.chat_id ?? ''}/messages`)).status).toBe(404);
    } finally {
      sim.configure({ forbidChats: [], missingChats: [] });
    }
  });
});

describe('M4 export messages', () => {
  const burstChat = () => truth.channels[0]?.chat_id ?? '';

  it('returns the full history in one answer by default, ignoring window params', async () => {
    for (const chat of [...truth.chats.slice(0, 5), truth.channels[0], truth.threads[0]]) {
      const chatId = chat?.chat_id ?? '';
      expect(await messages(chatId)).toEqual(truth.messages[chatId]);
    }
    const all = truth.messages[burstChat()] ?? [];
    expect(all.length).toBeGreaterThan(100);
    expect(await messages(burstChat(), `?fromtime=${all[5]?.time ?? 0}&limit=3`)).toEqual(all);
  });

  it('applies fromtime/totime/limit with REST semantics when maintenanceHonorsTimeWindow', async () => {
    sim.configure({ maintenanceHonorsTimeWindow: true });
    try {
      const all = truth.messages[burstChat()] ?? [];
      expect(await messages(burstChat())).toEqual(all.slice(0, 100));
      expect(await messages(burstChat(), '?limit=500')).toHaveLength(100);
      const t = all[10]?.time ?? 0;
      const first = all.findIndex((m) => m.time >= t);
      expect(await messages(burstChat(), `?fromtime=${t}&limit=4`)).toEqual(all.slice(first, first + 4));
      const to = all[20]?.time ?? 0;
      const window = await messages(burstChat(), `?fromtime=${t}&totime=${to}`);
      expect(window).toEqual(all.filter((m) => m.time >= t && m.time <= to));
      expect((await get(sim, token, `/maintenanceapi/v2/chats/${burstChat()}/messages?fromtime=abc`)).status).toBe(400);
    } finally {
      sim.configure({ maintenanceHonorsTimeWindow: false });
    }
  });

  it('pages ties at window boundaries: inclusive repeats the tied ms, exclusive skips it', async () => {
    const all = truth.messages[burstChat()] ?? [];
    // The run of more than 100 messages in one millisecond.
    const counts = new Map<number, number>();
    for (const m of all) counts.set(m.time, (counts.get(m.time) ?? 0) + 1);
    const [burstTime, burstSize] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] ?? [0, 0];
    expect(burstSize).toBeGreaterThan(100);
    sim.configure({ maintenanceHonorsTimeWindow: true });
    try {
      const page = await messages(burstChat(), `?fromtime=${burstTime}&limit=100`);
      expect(page).toHaveLength(100);
      expect(page.every((m) => m.time === burstTime)).toBe(true);
      // Inclusive: the next window from the last time seen returns the same 100 again.
      expect(await messages(burstChat(), `?fromtime=${burstTime}&limit=100`)).toEqual(page);
      sim.configure({ windowBoundsExclusive: true });
      const next = await messages(burstChat(), `?fromtime=${burstTime}&limit=100`);
      expect(next[0]?.time).toBeGreaterThan(burstTime);
    } finally {
      sim.configure({ maintenanceHonorsTimeWindow: false, windowBoundsExclusive: false });
    }
  });

  it('silently truncates with maintenanceTruncateAt', async () => {
    sim.configure({ maintenanceTruncateAt: 7 });
    try {
      expect(await messages(burstChat())).toEqual((truth.messages[burstChat()] ?? []).slice(0, 7));
    } finally {
      sim.configure({ maintenanceTruncateAt: null });
    }
  });

  it('merges thread replies into the channel export with threadRepliesInParent', async () => {
    const thread = truth.threads[0];
    const parent = thread?.parent_chat_id ?? '';
    sim.configure({ threadRepliesInParent: true });
    try {
      const merged = await messages(parent);
      const expected = (truth.messages[parent]?.length ?? 0) + truth.threads.filter((t) => t.parent_chat_id === parent).reduce((n, t) => n + (truth.messages[t.chat_id]?.length ?? 0), 0);
      expect(merged).toHaveLength(expected);
      const ids = new Set(merged.map((m) => m.id));
      expect((truth.messages[thread?.chat_id ?? ''] ?? []).every((m) => ids.has(m.id))).toBe(true);
      const counted = await csv('/maintenanceapi/v2/channels?fields=channel_id,total_message_count');
      expect(counted.rows.find((r) => r[0] === truth.channels.find((c) => c.chat_id === parent)?.channel_id)?.[1]).toBe(String(expected));
      expect(sim.truth().messages[parent]).toEqual(merged);
    } finally {
      sim.configure({ threadRepliesInParent: false });
    }
  });
});

describe('Maintenance access', () => {
  it('answers a non-admin with the documented 403 on every route (optionally with a code)', async () => {
    const memberToken = await refresh(sim, sim.member);
    const paths = [
      '/maintenanceapi/v2/chats?fields=title',
      '/maintenanceapi/v2/channels?fields=name',
      `/maintenanceapi/v2/chats/${truth.chats[0]?.chat_id ?? ''}/members?fields=name`,
      `/maintenanceapi/v2/chats/${truth.chats[0]?.chat_id ?? ''}/messages`,
    ];
    for (const path of paths) {
      const { status, body } = await getJson(sim, memberToken, path);
      expect(status).toBe(403);
      expect(body).toEqual({ message: 'The user does not have enough permission or possibly not an user of the respective organization to access the resource.' });
    }
    sim.configure({ nonAdminErrorCode: true });
    try {
      expect((await getJson(sim, memberToken, paths[0] ?? '')).body).toMatchObject({ code: 'not_an_organization_admin' });
    } finally {
      sim.configure({ nonAdminErrorCode: false });
    }
  });

  it('fails only M4 for a token without OrganizationMessages.READ', async () => {
    const code = sim.issueGrantCode(['ZohoCliq.OrganizationChats.READ', 'ZohoCliq.OrganizationChannels.READ']);
    const response = await fetch(
      `${sim.accountsBase}/oauth/v2/token?${new URLSearchParams({ grant_type: 'authorization_code', code, client_id: sim.admin.clientId, client_secret: sim.admin.clientSecret }).toString()}`,
      { method: 'POST' },
    );
    const { access_token: limited } = (await response.json()) as { access_token: string };
    expect((await get(sim, limited, '/maintenanceapi/v2/chats?fields=title')).status).toBe(200);
    expect((await get(sim, limited, '/maintenanceapi/v2/channels?fields=name')).status).toBe(200);
    expect((await get(sim, limited, `/maintenanceapi/v2/chats/${truth.chats[0]?.chat_id ?? ''}/members?fields=name`)).status).toBe(200);
    expect((await get(sim, limited, `/maintenanceapi/v2/chats/${truth.chats[0]?.chat_id ?? ''}/messages`)).status).toBe(403);
  });

  it('exports chats the admin is not a member of', async () => {
    const notMine = sim.org.conversations.find((c) => c.kind === 'group' && !c.memberSet.has(sim.org.adminIndex));
    expect(notMine).toBeDefined();
    expect(await messages(notMine?.chatId ?? '')).toEqual(truth.messages[notMine?.chatId ?? '']);
  });
});
