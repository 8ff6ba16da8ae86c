import type Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCalls, readScheduled } from '../../../electron/core/app/callReads';
import { openArchiveDb } from '../../../electron/core/archive/connection';
import { syncArchive } from '../../../electron/core/createCore';
import { optionalSources, optionalSourceViews } from '../../../electron/core/sync/optionalSources';
import type { RunningSimulator } from '../../../electron/simulator';
import { archiverScopes } from '../../../shared/cliqScopes';
import type { CallRow } from '../../../shared/evidence';
import { connectionTo, grantedCredentials, useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

function withDb<T>(path: string, read: (db: Database.Database) => T): T {
  const db = openArchiveDb(path, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Every call of the page as the truth spells it, participants in start order. */
function asTruth(calls: CallRow[]) {
  return calls
    .map((c) => ({
      id: c.callId,
      chat_id: c.chatId,
      type: c.type,
      title: c.title,
      start_time: c.start,
      end_time: c.end,
      host_id: c.hostId,
      participants: c.participants.map((p) => ({ id: p.userId, role: p.role, start_time: p.start, end_time: p.end })),
    }))
    .sort(byId);
}

function truthCalls(sim: RunningSimulator) {
  return sim
    .truth()
    .media.calls.map(({ id, chat_id, type, title, start_time, end_time, host_id, participants }) => ({
      id,
      chat_id,
      type,
      title,
      start_time,
      end_time,
      host_id,
      participants: [...participants].sort((a, b) => a.start_time - b.start_time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    }))
    .sort(byId);
}

describe('the Calls & scheduled screen’s reads against a real sync', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('calls equal the simulator’s truth (paged, filtered by conversation and time); notices equal the archived call_notification messages', async () => {
    const sim = await simulator({ seed: 12, scale: 'small' });
    const path = join(tempDir(), 'a.sqlite');
    expect((await syncArchive(path, connectionTo(sim), { files: 'none' })).status).toBe('complete');
    const truth = truthCalls(sim);
    expect(truth.length).toBeGreaterThan(10);

    withDb(path, (db) => {
      const all = readCalls(db, { list: 'meetings', offset: 0, limit: 500 });
      expect(all.total).toBe(truth.length);
      expect(all.notices).toEqual([]);
      expect(all.source).toMatchObject({ dataset: 'calls', status: 'complete', scope: 'ZohoCliq.MediaSession.READ', rows: truth.length });
      expect(asTruth(all.meetings)).toEqual(truth);
      // Newest first, and pages of 4 put together are the whole list in the same order.
      const starts = all.meetings.map((c) => c.start ?? 0);
      expect(starts).toEqual([...starts].sort((a, b) => b - a));
      const paged: CallRow[] = [];
      for (let offset = 0; offset < all.total; offset += 4) paged.push(...readCalls(db, { list: 'meetings', offset, limit: 4 }).meetings);
      expect(paged).toEqual(all.meetings);

      const chat = truth.find((c) => c.chat_id !== null)?.chat_id ?? '';
      const inChat = readCalls(db, { list: 'meetings', chatId: chat, offset: 0, limit: 500 });
      expect(inChat.meetings.map((c) => c.callId).sort()).toEqual(truth.filter((c) => c.chat_id === chat).map((c) => c.id));
      const middle = [...starts].sort((a, b) => a - b)[Math.floor(starts.length / 2)] ?? 0;
      const later = readCalls(db, { list: 'meetings', from: middle, offset: 0, limit: 500 });
      expect(later.meetings.map((c) => c.callId).sort()).toEqual(truth.filter((c) => c.start_time >= middle).map((c) => c.id));
      const earlier = readCalls(db, { list: 'meetings', to: middle - 1, offset: 0, limit: 500 });
      expect(later.total + earlier.total).toBe(truth.length);

      const archived = db
        .prepare<[], { key: number; chatId: string; messageId: string; time: number; sender: string | null; callee: string | null; status: string | null }>(
          `SELECT id AS key, chat_id AS chatId, message_id AS messageId, time, sender_id AS sender,
                  json_extract(raw_json, '$.content.data.callee.id') AS callee, json_extract(raw_json, '$.content.data.status') AS status
             FROM messages WHERE subtype = 'call_notification' ORDER BY time DESC, id DESC`,
        )
        .all();
      expect(archived.length).toBeGreaterThan(0);
      const notices = readCalls(db, { list: 'notices', offset: 0, limit: 500 });
      expect(notices.meetings).toEqual([]);
      expect(notices.total).toBe(archived.length);
      expect(notices.notices.map((n) => ({ key: n.messageKey, chatId: n.chatId, messageId: n.messageId, time: n.time, sender: n.callerId, callee: n.calleeId, status: n.status }))).toEqual(archived);
      for (const n of notices.notices) expect(n.chatTitle, `the title of ${n.chatId}`).not.toBeNull();
      const noticeChat = archived[0]?.chatId ?? '';
      expect(readCalls(db, { list: 'notices', chatId: noticeChat, offset: 0, limit: 500 }).notices.map((n) => n.messageKey)).toEqual(archived.filter((m) => m.chatId === noticeChat).map((m) => m.key));
    });
  });

  it('scheduled messages show their fate after the simulator sends, reschedules and deletes one', async () => {
    const sim = await simulator({ seed: 12, scale: 'small' });
    const path = join(tempDir(), 'a.sqlite');
    await syncArchive(path, connectionTo(sim), { files: 'none' });
    const pending = sim.truth().media.scheduled.map((s) => s.id);
    withDb(path, (db) => {
      const page = readScheduled(db, { offset: 0, limit: 500 });
      expect(page.rows.map((r) => r.scheduledId).sort()).toEqual([...pending].sort());
      expect(new Set(page.rows.map((r) => r.fate))).toEqual(new Set(['pending']));
      expect(page.source).toMatchObject({ dataset: 'scheduled_messages', status: 'complete', rows: pending.length });
    });
    const before = withDb(path, (db) => readScheduled(db, { offset: 0, limit: 500 }).rows);

    const changes = sim.mutate({ seed: 3, sendScheduled: 1, rescheduleScheduled: 1, deleteScheduled: 1 });
    await syncArchive(path, connectionTo(sim), { files: 'none' });
    const sent = changes.media.sentScheduled[0];
    const rescheduled = changes.media.rescheduled[0] ?? '';
    const deleted = changes.media.deletedScheduled[0] ?? '';
    withDb(path, (db) => {
      const page = readScheduled(db, { offset: 0, limit: 500 });
      expect(page.total).toBe(before.length);
      const row = (id: string) => page.rows.find((r) => r.scheduledId === id);
      const sentKey = db.prepare<[string, string], { id: number }>('SELECT id FROM messages WHERE chat_id = ? AND message_id = ?').get(sent?.chatId ?? '', sent?.messageId ?? '')?.id;
      expect(sentKey).toBeDefined();
      expect(row(sent?.id ?? '')).toMatchObject({ fate: 'sent', sentMessageKey: sentKey, chatId: sent?.chatId });
      expect(row(sent?.id ?? '')?.fateNoticedAt).not.toBeNull();
      const oldTime = before.find((r) => r.scheduledId === rescheduled)?.scheduledFor;
      expect(row(rescheduled)).toMatchObject({ fate: 'rescheduled', earlierTimes: [oldTime] });
      expect(row(rescheduled)?.scheduledFor).not.toBe(oldTime);
      const deletedRow = row(deleted);
      expect(deletedRow?.fate).toBe(deletedRow?.scheduledFor === null ? 'gone' : 'deleted');
      expect(deletedRow?.sentMessageKey).toBeNull();
      // The rest are still pending, and listed first.
      const stillPending = sim.truth().media.scheduled.map((s) => s.id);
      const pendingRows = page.rows.filter((r) => r.fate === 'pending' || r.fate === 'rescheduled');
      expect(pendingRows.map((r) => r.scheduledId).sort()).toEqual([...stillPending].sort());
      expect(page.rows.slice(0, pendingRows.length)).toEqual(pendingRows);
      // Paging keeps the order.
      const paged = [...readScheduled(db, { offset: 0, limit: 2 }).rows, ...readScheduled(db, { offset: 2, limit: 500 }).rows];
      expect(paged).toEqual(page.rows);
    });
  });

  it('sources: every declared optional source with its last outcome and rows; a grant without one scope says which, and keeps its rows', async () => {
    const sim = await simulator({ seed: 12, scale: 'small' });
    const path = join(tempDir(), 'a.sqlite');
    await syncArchive(path, connectionTo(sim), { files: 'none' });
    const first = withDb(path, (db) => optionalSourceViews(db));
    expect(first.map((s) => s.dataset)).toEqual(optionalSources.map((d) => d.source.dataset));
    for (const source of first) expect([source.dataset, source.status], source.label).toEqual([source.dataset, 'complete']);
    const counts = withDb(path, (db) => optionalSources.map(({ table }) => db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`).get()?.n));
    expect(first.map((s) => s.rows)).toEqual(counts);
    expect(first.find((s) => s.dataset === 'calls')?.rows).toBe(sim.truth().media.calls.length);

    const narrow = await grantedCredentials(
      sim,
      archiverScopes.filter((s) => s !== 'ZohoCliq.MediaSession.READ'),
    );
    const report = await syncArchive(path, connectionTo(sim, { credentials: narrow }), { files: 'none' });
    expect(report.status).toBe('complete');
    const second = withDb(path, (db) => optionalSourceViews(db));
    const calls = second.find((s) => s.dataset === 'calls');
    expect(calls).toMatchObject({ status: 'not_granted', scope: 'ZohoCliq.MediaSession.READ', rows: sim.truth().media.calls.length });
    expect(calls?.at).toBeGreaterThan(first.find((s) => s.dataset === 'calls')?.at ?? Infinity);
    for (const source of second.filter((s) => s.dataset !== 'calls')) expect([source.dataset, source.status]).toEqual([source.dataset, 'complete']);
    // The calls already archived stay readable.
    withDb(path, (db) => expect(readCalls(db, { list: 'meetings', offset: 0, limit: 500 })).toMatchObject({ total: sim.truth().media.calls.length, source: { status: 'not_granted' } }));
  });
});
