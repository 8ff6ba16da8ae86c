import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCliqClient, syncArchive } from '../../../electron/core/createCore';
import { listChatTypes } from '../../../electron/core/cliq/rest';
import type { RunningSimulator } from '../../../electron/simulator';
import { archiverScopes } from '../../../shared/cliqScopes';
import { compareWithTruth } from '../../helpers/archiveCheck';
import { connectionTo, grantedCredentials, SharedVirtualClock, useSimulators, virtualRuntime } from '../../helpers/sim';
import { readRows } from '../../helpers/readRows';
import { useTempDir } from '../../helpers/tempDir';

interface KindRow {
  chat_id: string;
  kind: string;
  kind_source: string;
  participant_count: number | null;
}

const read = readRows;

const chatKinds = (path: string) => read<KindRow>(path, "SELECT chat_id, kind, kind_source, participant_count FROM chats WHERE kind IN ('direct', 'group', 'bot') ORDER BY chat_id");
const kindOf = { dm: 'direct', group: 'group', bot: 'bot' } as const;

/** What the archive must say of each chat: the truth where the admin is a member (H1 lists it), the guess elsewhere. */
function expectedKinds(sim: RunningSimulator, h1Readable: boolean): KindRow[] {
  const admin = sim.org.adminIndex;
  return sim
    .truth()
    .chats.map((chat) => {
      const read = h1Readable && sim.org.live(chat.chat_id)?.memberSet.has(admin) === true;
      const bot = /-B\d+$/.test(chat.chat_id);
      const guess = bot ? 'bot' : chat.participant_count <= 2 ? 'direct' : 'group';
      return {
        chat_id: chat.chat_id,
        kind: read ? kindOf[chat.kind] : guess,
        kind_source: read ? 'chat_type' : bot ? 'chat_id' : 'guessed',
        participant_count: chat.participant_count,
      };
    })
    .sort((a, b) => (a.chat_id < b.chat_id ? -1 : 1));
}

describe('sync: conversation kinds from H1 chat_type', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('syncs with exactly archiverScopes: complete, no refusal noted, H1 read once, and every kind equals the truth or is marked guessed', async () => {
    const sim = await simulator({ seed: 6, scale: 'small' });
    // Two group chats shrunk to two participants: one the admin is in (H1 says "chat"), one not
    // (only the count is known: shown as direct, marked guessed).
    const admin = sim.org.adminIndex;
    const stays = (m: number, creator: number) => m === creator || m === admin || m === sim.org.memberIndex;
    const shrinkable = sim.truth().chats.filter((c) => {
      const chat = sim.org.live(c.chat_id);
      return c.kind === 'group' && chat !== undefined && chat.members.filter((m) => stays(m, chat.creator)).length <= 2;
    });
    const inIt = (chatId: string) => sim.org.live(chatId)?.memberSet.has(admin) === true;
    const mine = shrinkable.find((c) => inIt(c.chat_id));
    const other = shrinkable.find((c) => !inIt(c.chat_id));
    expect(mine && other, 'the org has a group the admin is in and one it is not, both able to shrink to two').toBeTruthy();
    for (const chat of [mine, other]) sim.mutate({ seed: 2, membersLeave: (chat?.participant_count ?? 2) - 2, chatIds: [chat?.chat_id ?? ''] });

    const path = join(tempDir(), 'a.sqlite');
    const report = await syncArchive(path, connectionTo(sim, { credentials: await grantedCredentials(sim, archiverScopes) }));
    expect(report.status).toBe('complete');
    expect(report.errors.filter((e) => /FORBIDDEN|FILES_|NOT_AUTHORISED|CHAT_KINDS/.test(e.code))).toEqual([]);
    expect(sim.stats().requests['chats.list'], 'H1 read in one page (the admin has fewer than 100 chats)').toBe(1);

    const kinds = chatKinds(path);
    expect(kinds).toEqual(expectedKinds(sim, true));
    const byId = new Map(kinds.map((k) => [k.chat_id, k]));
    expect(byId.get(mine?.chat_id ?? '')).toMatchObject({ kind: 'group', kind_source: 'chat_type', participant_count: 2 });
    expect(byId.get(other?.chat_id ?? '')).toMatchObject({ kind: 'direct', kind_source: 'guessed', participant_count: 2 });
    // Channels and threads: their listing fixes the kind.
    expect(read<{ n: number }>(path, "SELECT count(*) AS n FROM chats WHERE kind IN ('channel', 'thread') AND kind_source <> 'listing'")[0]?.n).toBe(0);
  });

  it('without Chats.READ every kind is guessed and noted; granted later, the kinds are read and the guess stays in the history', async () => {
    const sim = await simulator({ seed: 6, scale: 'small' });
    const path = join(tempDir(), 'a.sqlite');
    const without = await grantedCredentials(
      sim,
      archiverScopes.filter((s) => s !== 'ZohoCliq.Chats.READ'),
    );
    const first = await syncArchive(path, connectionTo(sim, { credentials: without }));
    expect(first.fatal).toBeUndefined();
    const note = first.errors.find((e) => e.code === 'CHAT_KINDS_UNAVAILABLE');
    expect(note?.message).toContain('ZohoCliq.Chats.READ');
    expect(chatKinds(path)).toEqual(expectedKinds(sim, false));

    const second = await syncArchive(path, connectionTo(sim, { credentials: await grantedCredentials(sim, archiverScopes) }));
    expect(second.status).toBe('complete');
    const expected = expectedKinds(sim, true);
    expect(chatKinds(path)).toEqual(expected);
    // Each chat whose kind was read now has one earlier version: M1's row, without chat_type.
    const readKinds = expected.filter((k) => k.kind_source === 'chat_type').map((k) => k.chat_id);
    const history = read<{ entity_key: string; source_json: string }>(path, "SELECT entity_key, source_json FROM entity_history WHERE kind = 'chat' ORDER BY entity_key");
    expect(history.map((h) => h.entity_key)).toEqual([...readKinds].sort());
    for (const h of history) expect(JSON.parse(h.source_json)).not.toHaveProperty('chat_type');

    // A third run that cannot read H1 keeps the kinds read before: nothing changes.
    const third = await syncArchive(path, connectionTo(sim, { credentials: without }));
    expect(third.errors.map((e) => e.code)).toContain('CHAT_KINDS_UNAVAILABLE');
    expect(chatKinds(path)).toEqual(expected);
    expect(read<{ n: number }>(path, "SELECT count(*) AS n FROM entity_history WHERE kind = 'chat'")[0]?.n).toBe(history.length);
  });

  it("pages the simulator's H1 by time in small pages and reads exactly the admin's own chats, each with its true type", async () => {
    const sim = await simulator({ seed: 6, scale: 'small' });
    const admin = sim.org.adminIndex;
    const truth = Object.fromEntries(
      sim
        .truth()
        .chats.filter((c) => sim.org.live(c.chat_id)?.memberSet.has(admin))
        .map((c) => [c.chat_id, { dm: 'dm', group: 'chat', bot: 'bot' }[c.kind]]),
    );
    expect(Object.keys(truth).length).toBeGreaterThan(10);
    // The simulated org has six of the admin's chats last modified within one second (the quirk
    // the time cursor must survive): pages larger than that read everything.
    const perSecond = new Map<number, number>();
    for (const chat of sim.truth().chats.filter((c) => c.chat_id in truth)) {
      const second = Math.floor(chat.last_modified_time / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    const sameSecond = Math.max(...perSecond.values());
    expect(sameSecond).toBeGreaterThan(3);
    for (const limit of [sameSecond + 1, 10, 100]) {
      sim.resetStats();
      const { types, complete } = await listChatTypes(createCliqClient(connectionTo(sim)).http, undefined, limit);
      expect([limit, complete]).toEqual([limit, true]);
      expect(Object.fromEntries(types)).toEqual(truth);
      const pages = sim.stats().requests['chats.list'];
      expect(pages).toBeGreaterThanOrEqual(Math.ceil(Object.keys(truth).length / limit));
      if (limit === 100) expect(pages).toBe(1);
    }
    // A page smaller than the tie cannot pass it: the walk says so, and what it read is true.
    const short = await listChatTypes(createCliqClient(connectionTo(sim)).http, undefined, sameSecond - 1);
    expect(short.complete).toBe(false);
    expect(short.types.size).toBeGreaterThan(0);
    for (const [id, type] of short.types) expect(type).toBe(truth[id]);
  });

  it('an H1 that keeps failing holds nothing back: every chat archived, kinds guessed, the run partial with the failure noted', async () => {
    const clock = new SharedVirtualClock();
    const sim = await simulator({ seed: 4, scale: 'tiny', clock, faults: [{ family: 'chats.list', kind: '500', after: 0, times: 50 }] });
    const path = join(tempDir(), 'a.sqlite');
    const report = await syncArchive(path, connectionTo(sim), {}, virtualRuntime(clock));
    expect(report.status, 'another run may read the kinds').toBe('partial');
    expect(report.errors).toEqual([expect.objectContaining({ code: 'SERVER_ERROR', family: 'chats.list' })]);
    expect(compareWithTruth(path, sim.truth()).missing).toEqual([]);
    expect(chatKinds(path)).toEqual(expectedKinds(sim, false));
  });
});
