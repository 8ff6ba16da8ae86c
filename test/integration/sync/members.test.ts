import Database from 'better-sqlite3-multiple-ciphers';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { openArchiveDb } from '../../../electron/core/archive/connection';
import { readArchiveStats } from '../../../electron/core/archive/statsRepo';
import { createAuditBundle } from '../../../electron/core/audit/bundle';
import { exportJsonl } from '../../../electron/core/export/jsonlExport';
import { syncArchive } from '../../../electron/core/createCore';
import type { RunningSimulator } from '../../../electron/simulator';
import { compareWithTruth, ownGroupChats, restReadableChannels } from '../../helpers/archiveCheck';
import { SharedVirtualClock, connectionTo, useSimulators, virtualRuntime } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

interface Interval {
  chat_id: string;
  user_id: string;
  joined_source: string;
  joined_at: number | null;
  joined_noticed_at: number;
  joined_message_id: string | null;
  left_source: string | null;
  left_at: number | null;
  left_noticed_at: number | null;
  left_message_id: string | null;
}

/**
 * Exact membership history (issue 12) against the simulator over real HTTP, in virtual time shared
 * by the simulator and the sync, so info-message times and listing times are on one clock.
 */
describe('membership history: every change noticed, info-message times as boundaries', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  const setup = async () => {
    const clock = new SharedVirtualClock();
    const sim = await simulator({ seed: 8, scale: 'small', clock });
    const path = join(tempDir(), 'a.sqlite');
    const sync = () => syncArchive(path, connectionTo(sim), {}, virtualRuntime(clock));
    const query = <T>(sql: string, ...params: unknown[]): T[] => {
      const db = new Database(path, { readonly: true });
      try {
        return db.prepare(sql).all(...params) as T[];
      } finally {
        db.close();
      }
    };
    const intervals = (where = '1 = 1', ...params: unknown[]) =>
      query<Interval>(
        `SELECT chat_id, user_id, joined_source, joined_at, joined_noticed_at, joined_message_id, left_source, left_at, left_noticed_at, left_message_id
           FROM membership_intervals WHERE ${where} ORDER BY chat_id, user_id, joined_noticed_at`,
        ...params,
      );
    const stats = () => {
      const db = new Database(path, { readonly: true });
      try {
        return readArchiveStats(db).memberships;
      } finally {
        db.close();
      }
    };
    return { clock, sim, path, sync, intervals, query, stats };
  };

  const memberCount = (sim: RunningSimulator) => Object.values(sim.truth().members).reduce((n, m) => n + m.length, 0);

  it('marks every member of the first sync "first archived" (no join date), and a no-change re-sync lists only channels (C3) and own group chats (H2)', async () => {
    const { sim, path, sync, intervals, stats } = await setup();
    const first = await sync();
    expect(first.status).toBe('complete');
    expect(first.errors).toEqual([]);
    const all = intervals();
    expect(all).toHaveLength(memberCount(sim));
    expect(all.filter((i) => i.joined_source !== 'first_archived' || i.joined_at !== null || i.left_source !== null)).toEqual([]);
    expect(first.counts).toMatchObject({ membersFirstArchived: all.length, membersJoined: 0, membersLeft: 0 });
    expect(stats()).toEqual({ open: all.length, closed: 0, firstArchived: all.length, fromInfoMessages: 0 });

    sim.resetStats();
    const again = await sync();
    expect(again.status).toBe('complete');
    const readable = restReadableChannels(path);
    expect(readable.size).toBeGreaterThan(1);
    const own = ownGroupChats(path);
    expect(own.size).toBeGreaterThan(0);
    // Nothing changed: no message call, no M3 call, one C3 call per channel the admin reads over
    // REST, one H2 call per group chat they are in.
    expect(again.messageCalls).toBe(0);
    expect(sim.stats().requests['maint.messages']).toBe(0);
    expect(sim.stats().requests['maint.members']).toBe(0);
    expect(sim.stats().requests['channels.members']).toBe(readable.size);
    expect(sim.stats().requests['chats.members']).toBe(own.size);
    expect(again.counts).toMatchObject({ membersFirstArchived: 0, membersJoined: 0, membersLeft: 0 });
    expect(intervals()).toEqual(all);
  });

  it('notices a swap that posts no info message and moves neither the participant count nor the last activity', async () => {
    const { clock, sim, path, sync, intervals } = await setup();
    expect((await sync()).status).toBe('complete');
    const readable = [...restReadableChannels(path)];
    const countsBefore = new Map(sim.truth().channels.map((c) => [c.chat_id, [c.participant_count, c.last_modified_time]]));

    await clock.sleep(3_600_000);
    const change = sim.mutate({ seed: 3, swapMembers: 1, quietMembers: true, chatIds: readable });
    expect(change.swapped).toHaveLength(1);
    expect(change.added).toEqual([]);
    const swap = change.swapped[0];
    if (!swap) throw new Error('no swap');
    const after = sim.truth().channels.find((c) => c.chat_id === swap.chatId);
    expect([after?.participant_count, after?.last_modified_time]).toEqual(countsBefore.get(swap.chatId));

    sim.resetStats();
    const report = await sync();
    expect(report.status).toBe('complete');
    expect(report.messageCalls).toBe(0);
    // A thread's members are its channel's: the swapped channel's threads are listed again with M3
    // (twice each: someone vanished, so the listing is confirmed). No other M3 call.
    const threads = sim.truth().threads.filter((t) => t.parent_chat_id === swap.chatId).length;
    expect(sim.stats().requests['maint.members']).toBe(2 * threads);
    // Every readable channel once, the swapped one twice: someone vanished, so it is confirmed.
    expect(sim.stats().requests['channels.members']).toBe(readable.length + 1);
    // The swap, in the channel and in each of its threads.
    expect(report.counts).toMatchObject({ membersJoined: 1 + threads, membersLeft: 1 + threads });
    const listedAt = intervals('chat_id = ? AND user_id = ?', swap.chatId, swap.added)[0]?.joined_noticed_at ?? 0;
    expect(intervals('chat_id = ? AND user_id = ?', swap.chatId, swap.removed)).toEqual([
      expect.objectContaining({ joined_source: 'first_archived', left_source: 'noticed', left_at: listedAt, left_noticed_at: listedAt, left_message_id: null }),
    ]);
    expect(intervals('chat_id = ? AND user_id = ?', swap.chatId, swap.added)).toEqual([expect.objectContaining({ joined_source: 'noticed', joined_at: listedAt, left_source: null, left_at: null })]);
    expect(compareWithTruth(path, sim.truth()).missing).toEqual([]);
  });

  it('notices a quiet swap in a group chat the admin is in with H2, at the next sync', async () => {
    const { clock, sim, path, sync, intervals } = await setup();
    expect((await sync()).status).toBe('complete');
    const own = [...ownGroupChats(path)];
    expect(own.length).toBeGreaterThan(0);
    const before = new Map(sim.truth().chats.map((c) => [c.chat_id, [c.participant_count, c.last_modified_time]]));

    await clock.sleep(3_600_000);
    const change = sim.mutate({ seed: 5, swapMembers: 1, quietMembers: true, chatIds: own });
    const swap = change.swapped[0];
    if (!swap) throw new Error('no swap');
    // Nothing in the chats export says so: same participant count, same last activity.
    const after = sim.truth().chats.find((c) => c.chat_id === swap.chatId);
    expect([after?.participant_count, after?.last_modified_time]).toEqual(before.get(swap.chatId));

    sim.resetStats();
    const report = await sync();
    expect(report.status).toBe('complete');
    expect(report.messageCalls).toBe(0);
    expect(sim.stats().requests['maint.members']).toBe(0);
    // Every own group chat once, the swapped one twice: someone vanished, so it is confirmed.
    expect(sim.stats().requests['chats.members']).toBe(own.length + 1);
    expect(report.counts).toMatchObject({ membersJoined: 1, membersLeft: 1 });
    const noticed = intervals('chat_id = ? AND user_id = ?', swap.chatId, swap.added)[0]?.joined_noticed_at ?? 0;
    expect(noticed).toBeGreaterThan(0);
    expect(intervals('chat_id = ? AND user_id = ?', swap.chatId, swap.removed)).toEqual([
      expect.objectContaining({ joined_source: 'first_archived', left_source: 'noticed', left_at: noticed, left_noticed_at: noticed }),
    ]);
    expect(intervals('chat_id = ? AND user_id = ?', swap.chatId, swap.added)).toEqual([expect.objectContaining({ joined_source: 'noticed', joined_at: noticed, left_source: null })]);
    expect(compareWithTruth(path, sim.truth()).missing).toEqual([]);
  });

  it("takes the times of Cliq's info messages as the boundaries of a swap in a group chat, beside when it was noticed", async () => {
    const { clock, sim, path, sync, intervals, query, stats } = await setup();
    expect((await sync()).status).toBe('complete');
    // Group chats the admin is not in: M3 lists them, when their messages moved.
    const own = ownGroupChats(path);
    const groups = query<{ chat_id: string }>("SELECT chat_id FROM chats WHERE kind = 'group' AND gone_at IS NULL")
      .map((r) => r.chat_id)
      .filter((id) => !own.has(id));
    expect(groups.length).toBeGreaterThan(0);

    await clock.sleep(3_600_000);
    const change = sim.mutate({ seed: 4, swapMembers: 1, chatIds: groups });
    const swap = change.swapped[0];
    if (!swap) throw new Error('no swap');
    const messages = sim.truth().messages[swap.chatId] ?? [];
    const infoOf = (subtype: string) => {
      const found = messages.find((m) => change.added.some((a) => a.messageId === m.id) && (m.content as { type?: string }).type === subtype);
      if (!found) throw new Error(`no ${subtype} message`);
      return found;
    };
    const removed = infoOf('member_removed');
    const added = infoOf('member_added');

    sim.resetStats();
    await clock.sleep(3_600_000);
    const report = await sync();
    expect(report.status).toBe('complete');
    expect(report.counts).toMatchObject({ membersJoined: 1, membersLeft: 1 });
    // The group's messages moved, so it was listed again with M3 (twice: someone vanished).
    expect(sim.stats().requests['maint.members']).toBe(2);
    const leaver = intervals('chat_id = ? AND user_id = ?', swap.chatId, swap.removed);
    const joiner = intervals('chat_id = ? AND user_id = ?', swap.chatId, swap.added);
    const noticed = joiner[0]?.joined_noticed_at ?? 0;
    expect(noticed).toBeGreaterThan(added.time);
    expect(leaver).toEqual([expect.objectContaining({ joined_source: 'first_archived', left_source: 'info_message', left_at: removed.time, left_message_id: removed.id, left_noticed_at: noticed })]);
    expect(joiner).toEqual([expect.objectContaining({ joined_source: 'info_message', joined_at: added.time, joined_message_id: added.id, joined_noticed_at: noticed, left_source: null })]);
    expect(stats()).toMatchObject({ closed: 1, fromInfoMessages: 2 });

    // The audit dataset and the JSONL export say the same: where each boundary comes from.
    const out = join(tempDir(), 'bundle');
    await createAuditBundle({ archivePath: path, outDir: out, scope: {} });
    const csv = Papa.parse<Record<string, string>>(readFileSync(join(out, 'data', 'memberships.csv'), 'utf8').slice(1), { header: true, skipEmptyLines: true }).data;
    const csvOf = (userId: string) => csv.find((r) => r.chat_id?.includes(swap.chatId) && r.user_id?.includes(userId));
    expect(csvOf(swap.removed)).toMatchObject({
      joined_source: 'first_archived',
      joined_at: '',
      joined_at_utc_ms: '',
      left_source: 'info_message',
      left_at_utc_ms: String(removed.time),
      left_message_id: removed.id,
    });
    expect(csvOf(swap.added)).toMatchObject({ joined_source: 'info_message', joined_at_utc_ms: String(added.time), joined_noticed_at_utc_ms: String(noticed), left_source: '' });
    const file = join(tempDir(), 'memberships.jsonl');
    const db = openArchiveDb(path, { readonly: true });
    try {
      await exportJsonl(db, 'memberships', file);
    } finally {
      db.close();
    }
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.chat_id === swap.chatId && l.user_id === swap.added)).toMatchObject({ joined_source: 'info_message', joined_at: added.time, first_seen_at: noticed });
    expect(lines.filter((l) => l.joined_source === 'first_archived').every((l) => l.joined_at === null)).toBe(true);
    // Everyone else in the chat is untouched: still first archived, no boundary.
    expect(intervals('chat_id = ? AND user_id NOT IN (?, ?)', swap.chatId, swap.removed, swap.added).every((i) => i.joined_source === 'first_archived' && i.left_source === null)).toBe(true);
    expect(compareWithTruth(path, sim.truth()).missing).toEqual([]);
  });
  it('dates a swap noticed while its info messages could not be read, once they are archived, keeping when it was noticed', async () => {
    const { clock, sim, path, sync, intervals, stats } = await setup();
    expect((await sync()).status).toBe('complete');
    const own = [...ownGroupChats(path)];
    await clock.sleep(3_600_000);
    const change = sim.mutate({ seed: 6, swapMembers: 1, chatIds: own });
    const swap = change.swapped[0];
    if (!swap) throw new Error('no swap');
    const info = (subtype: string) => {
      const found = (sim.truth().messages[swap.chatId] ?? []).find((m) => change.added.some((a) => a.messageId === m.id) && (m.content as { type?: string }).type === subtype);
      if (!found) throw new Error(`no ${subtype} message`);
      return found;
    };
    const removed = info('member_removed');
    const added = info('member_added');

    // Only the swapped chat has new messages; its export fails every try this run. H2 still
    // notices the swap, with no info message to date it.
    await clock.sleep(3_600_000);
    sim.configure({ faults: [{ family: 'maint.messages', kind: '500', times: 50 }] });
    const failed = await sync();
    expect(failed.status).toBe('partial');
    expect(failed.counts).toMatchObject({ membersJoined: 1, membersLeft: 1 });
    const noticed = intervals('chat_id = ? AND user_id = ?', swap.chatId, swap.added)[0]?.joined_noticed_at ?? 0;
    expect(noticed).toBeGreaterThan(added.time);
    expect(intervals('chat_id = ? AND user_id = ?', swap.chatId, swap.added)).toEqual([expect.objectContaining({ joined_source: 'noticed', joined_at: noticed })]);
    expect(stats()).toMatchObject({ fromInfoMessages: 0 });

    await clock.sleep(3_600_000);
    sim.configure({ faults: [] });
    const healed = await sync();
    expect([healed.status, healed.errors]).toEqual(['complete', []]);
    expect(healed.counts).toMatchObject({ membersJoined: 0, membersLeft: 0 });
    expect(intervals('chat_id = ? AND user_id = ?', swap.chatId, swap.removed)).toEqual([
      expect.objectContaining({ joined_source: 'first_archived', left_source: 'info_message', left_at: removed.time, left_message_id: removed.id, left_noticed_at: noticed }),
    ]);
    expect(intervals('chat_id = ? AND user_id = ?', swap.chatId, swap.added)).toEqual([
      expect.objectContaining({ joined_source: 'info_message', joined_at: added.time, joined_message_id: added.id, joined_noticed_at: noticed, left_source: null }),
    ]);
    expect(stats()).toMatchObject({ closed: 1, fromInfoMessages: 2 });
    // A later sync finds nothing more to date: the boundaries are sealed once.
    await clock.sleep(3_600_000);
    expect((await sync()).status).toBe('complete');
    expect(stats()).toMatchObject({ fromInfoMessages: 2 });
  });

  it('falls back to the admin export when C3 or H2 refuses; a C3 answer it cannot read is a members error (the run partial), nothing lost', async () => {
    const clock = new SharedVirtualClock();
    const sim = await simulator({
      seed: 2,
      scale: 'tiny',
      clock,
      faults: [
        { family: 'channels.members', kind: '403', times: 1_000 },
        { family: 'chats.members', kind: '403', times: 1_000 },
      ],
    });
    const path = join(tempDir(), 'a.sqlite');
    const sync = () => syncArchive(path, connectionTo(sim), {}, virtualRuntime(clock));
    const refused = await sync();
    expect(refused.status).toBe('complete');
    expect(refused.errors).toEqual([]);
    const readable = restReadableChannels(path).size;
    expect(readable).toBeGreaterThan(0);
    const truth = sim.truth();
    const conversations = truth.chats.length + truth.channels.length + truth.threads.length;
    const own = ownGroupChats(path).size;
    expect(own).toBeGreaterThan(0);
    // Every REST-readable channel: C3 refused once (a 403 is an answer), then M3; every own group
    // chat the same with H2.
    expect(refused.calls['channels.members']).toBe(readable);
    expect(refused.calls['chats.members']).toBe(own);
    expect(refused.calls['maint.members']).toBe(conversations);
    expect(compareWithTruth(path, truth).missing).toEqual([]);

    // Garbled C3 answers are retried, then the channel's members are an error of the run; what
    // was archived stays.
    sim.configure({ faults: [{ family: 'channels.members', kind: 'malformed', times: 1_000 }] });
    const garbled = await sync();
    expect(garbled.status).toBe('partial');
    expect(garbled.errors).toHaveLength(readable);
    expect(garbled.errors.every((e) => e.code === 'MALFORMED_RESPONSE' && e.message.startsWith('Members of '))).toBe(true);
    expect(compareWithTruth(path, truth).missing).toEqual([]);
    sim.configure({ faults: [] });
    const clean = await sync();
    expect([clean.status, clean.errors]).toEqual(['complete', []]);
  });
});
