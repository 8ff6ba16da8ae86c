import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchive, type Archive } from '../../../electron/core/archive/archive';
import type { WriteContext } from '../../../electron/core/archive/entityStore';
import { verifyArchive } from '../../../electron/core/archive/sealing/verify';
import { syncConversationMessages, type ConversationWork } from '../../../electron/core/sync/messageWalker';
import { inThreadRowParser } from '../../../electron/core/sync/rowParser';
import type { SyncContext } from '../../../electron/core/sync/types';
import { textMessage } from '../../helpers/messages';
import { testSyncContext } from '../../helpers/syncContext';
import { useTempDir } from '../../helpers/tempDir';

/** How the scripted export server answers `fromtime`/`totime`/`limit`. */
interface ServerRules {
  mode: 'windowed' | 'single-shot';
  exclusive?: boolean;
  /** Largest page it will give, whatever is asked. */
  cap?: number;
  /** Single-shot servers that silently cut the history after N messages. */
  truncateAt?: number;
  /** Fail (HTTP 503 forever) from this request number on, to simulate a crash mid-walk. */
  failFrom?: number;
}

type Message = Record<string, unknown> & { id: string; time: number };

function scriptedServer(history: () => Message[], rules: ServerRules) {
  const requests: { fromtime: number; totime: number; limit: number }[] = [];
  const fetchImpl: typeof fetch = (input) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const q = { fromtime: Number(url.searchParams.get('fromtime')), totime: Number(url.searchParams.get('totime')), limit: Number(url.searchParams.get('limit')) };
    requests.push(q);
    if (rules.failFrom !== undefined && requests.length >= rules.failFrom) return Promise.resolve(new Response('{"message":"down"}', { status: 503 }));
    let data = [...history()].sort((a, b) => a.time - b.time);
    if (rules.mode === 'single-shot') {
      if (rules.truncateAt !== undefined) data = data.slice(0, rules.truncateAt);
    } else {
      const inside = (t: number) => (rules.exclusive ? t > q.fromtime && t < q.totime : t >= q.fromtime && t <= q.totime);
      data = data.filter((m) => inside(m.time)).slice(0, Math.min(q.limit, rules.cap ?? Infinity));
    }
    return Promise.resolve(new Response(JSON.stringify({ data }), { status: 200, headers: { 'content-type': 'application/json' } }));
  };
  return { fetchImpl, requests };
}

/** `count` messages, one per second (or stepMs), with `tie` extra messages sharing the time of message `tieAt`. */
function makeHistory(count: number, opts: { tieAt?: number; tie?: number; start?: number; stepMs?: number } = {}): Message[] {
  const start = opts.start ?? Date.UTC(2025, 0, 1);
  const out: Message[] = [];
  for (let i = 0; i < count; i += 1) {
    const time = start + i * (opts.stepMs ?? 1_000);
    out.push(textMessage(`${time}_${i}`, time, `message ${i}`) as Message);
    if (i === opts.tieAt) for (let k = 0; k < (opts.tie ?? 0); k += 1) out.push(textMessage(`${time}_t${k}`, time, `tie ${k}`) as Message);
  }
  return out;
}

function work(history: Message[], extra: Partial<ConversationWork> = {}): ConversationWork {
  const last = history.reduce((m, x) => Math.max(m, x.time), 0);
  return { chatId: 'c1', title: 'Chat', kind: 'group', serverCount: history.length, serverModified: last, participantCount: 3, membersModified: last, ...extra };
}

const archivedIds = (archive: Archive) =>
  (archive.db.prepare('SELECT message_id FROM messages WHERE deleted_at IS NULL ORDER BY message_id').all() as { message_id: string }[]).map((r) => r.message_id);

describe('message walker (window paginator)', () => {
  const tempDir = useTempDir();
  /** An archive where chat c1 exists, as inventory leaves it. */
  const open = () => {
    const archive = openArchive(join(tempDir(), 'a.sqlite'));
    const runId = archive.runs.start(1, 'test', {}, 1, 'h');
    archive.transaction(() => archive.sealer.open('sync', runId, 1));
    archive.transaction(() =>
      archive.entities.chats.upsert(
        {
          key: 'c1',
          values: { kind: 'group', kind_source: 'chat_type', title: 'Chat', creator_id: null, created_at: null, participant_count: 3, server_message_count: null, server_last_modified: null },
          sourceJson: '{}',
          sourceHash: 'h',
        },
        { runId, now: 1 },
      ),
    );
    return archive;
  };

  it.each([{ exclusive: false }, { exclusive: true }])('keeps ties that straddle a page boundary (exclusive bounds: $exclusive)', async ({ exclusive }) => {
    const history = makeHistory(250, { tieAt: 98, tie: 6 });
    const archive = open();
    const server = scriptedServer(() => history, { mode: 'windowed', exclusive });
    const ctx = testSyncContext(archive, server.fetchImpl);
    await syncConversationMessages(ctx, work(history));
    expect(archivedIds(archive)).toEqual(history.map((m) => m.id).sort());
    expect(archive.meta.get('messages.mode')).toBe('windowed');
    // Each window starts 1 ms before the last time seen.
    expect(server.requests[1]?.fromtime).toBe((history[99]?.time ?? 0) - 1);
    expect(ctx.errors).toEqual([]);
  });

  it('asks for bigger pages when more than a page shares one millisecond, and gets them all', async () => {
    const history = makeHistory(50, { tieAt: 20, tie: 130 });
    const archive = open();
    const server = scriptedServer(() => history, { mode: 'windowed', cap: 1_000 });
    const ctx = testSyncContext(archive, server.fetchImpl);
    await syncConversationMessages(ctx, work(history));
    expect(archivedIds(archive)).toHaveLength(history.length);
    expect(server.requests.some((r) => r.limit === 200)).toBe(true);
    expect(ctx.errors).toEqual([]);
  });

  it('does not mistake a capped page for the end: reports the unreachable rest of the millisecond and goes on', async () => {
    const history = makeHistory(50, { tieAt: 20, tie: 130 });
    const archive = open();
    const server = scriptedServer(() => history, { mode: 'windowed', cap: 100 });
    const ctx = testSyncContext(archive, server.fetchImpl);
    await syncConversationMessages(ctx, work(history));
    const ids = new Set(archivedIds(archive));
    const missing = history.filter((m) => !ids.has(m.id));
    // 131 messages share that millisecond; a 100-message window can hand out 100 of them.
    expect(missing).toHaveLength(31);
    expect(missing.every((m) => m.time === history[20]?.time)).toBe(true);
    // Everything after the burst is there.
    expect(history.slice(-29).every((m) => ids.has(m.id))).toBe(true);
    expect(ctx.errors.map((e) => e.code)).toEqual(['COVERAGE_GAP', 'COUNT_MISMATCH']);
  });

  it('recognises a single-shot server from an answer larger than the page, in one call', async () => {
    const history = makeHistory(450);
    const archive = open();
    const server = scriptedServer(() => history, { mode: 'single-shot' });
    const ctx = testSyncContext(archive, server.fetchImpl);
    await syncConversationMessages(ctx, work(history));
    expect(server.requests).toHaveLength(1);
    expect(archivedIds(archive)).toHaveLength(450);
    expect(archive.meta.get('messages.mode')).toBe('single-shot');
  });

  it('stores a whole history while parsing it: what came before a bad message is kept, and the next sync completes it', async () => {
    const history = makeHistory(4_500);
    const archive = open();
    // Message 4,200 of every answer is broken: the body is fetched twice (the retry) and refused.
    const broken: typeof fetch = () => {
      const data: unknown[] = [...history];
      data[4_200] = { id: 'broken' };
      return Promise.resolve(new Response(JSON.stringify({ data }), { status: 200, headers: { 'content-type': 'application/json' } }));
    };
    await expect(syncConversationMessages(testSyncContext(archive, broken), work(history))).rejects.toMatchObject({ code: 'MALFORMED_RESPONSE' });
    // The first two transactions of 2,000 were committed as the answer was parsed; the walk is open.
    expect(archivedIds(archive)).toHaveLength(4_000);
    expect(archive.syncState.get('c1').status).not.toBe('complete');

    const healthy = scriptedServer(() => history, { mode: 'single-shot' });
    const ctx = testSyncContext(archive, healthy.fetchImpl);
    await syncConversationMessages(ctx, work(history));
    expect(archivedIds(archive)).toEqual(history.map((m) => m.id).sort());
    expect(ctx.counts.messagesNew).toBe(500);
    expect(ctx.counts.messagesDeleted).toBe(0);
    expect(archive.syncState.get('c1').status).toBe('complete');
    expect(archive.messages.countSeen('c1')).toBe(0);
  });

  it('notices deletions across the transactions of a streamed whole history, and keeps both contents of a message sent twice', async () => {
    const history = makeHistory(4_500);
    const archive = open();
    await syncConversationMessages(testSyncContext(archive, scriptedServer(() => history, { mode: 'single-shot' }).fetchImpl), work(history));

    // One deletion in each of the three transactions; message 10 comes again at the end, edited.
    const remaining = history.filter((_, i) => i !== 5 && i !== 2_500 && i !== 4_400);
    const resent = { ...(history[10] as Message), content: { text: 'edited' } };
    const server = scriptedServer(() => [...remaining, resent], { mode: 'single-shot' });
    const ctx = testSyncContext(archive, server.fetchImpl);
    await syncConversationMessages(ctx, work(remaining, { serverModified: Date.UTC(2026, 0, 1) }));
    expect(ctx.counts.messagesDeleted).toBe(3);
    const deleted = archive.db.prepare<[], { message_id: string }>('SELECT message_id FROM messages WHERE deleted_at IS NOT NULL').all();
    expect(deleted.map((r) => r.message_id).sort()).toEqual([history[5]?.id, history[2_500]?.id, history[4_400]?.id].sort());
    expect(ctx.counts.messagesChanged).toBe(1);
    const edited = archive.db.prepare<[string], { text: string; version: number }>('SELECT text, version FROM messages WHERE message_id = ?').get(history[10]?.id ?? '');
    expect(edited).toEqual({ text: 'edited', version: 2 });
    expect(ctx.errors).toEqual([]);
    expect(archive.messages.countSeen('c1')).toBe(0);
  });

  it('ends the walk of a thread whose whole history fills exactly one page, from a server ignoring the window', async () => {
    // No server total (a thread), and the whole history is exactly pageLimit messages: the first
    // answer looks like a full windowed page. The walk once re-asked the same window forever.
    const history = makeHistory(100);
    const archive = open();
    const server = scriptedServer(() => history, { mode: 'single-shot' });
    // Answered in microtasks, a looping walker never yields to the test's timeout: stop it here.
    const bounded: typeof fetch = (input, init) => (server.requests.length >= 50 ? Promise.reject(new Error('the walker asked 50 times')) : server.fetchImpl(input, init));
    const ctx = testSyncContext(archive, bounded);
    await syncConversationMessages(ctx, work(history, { kind: 'thread', serverCount: null }));
    expect(archivedIds(archive)).toEqual(history.map((m) => m.id).sort());
    expect(archive.syncState.get('c1').status).toBe('complete');
    expect(server.requests.length).toBeLessThanOrEqual(5);
    // Each request after the first starts later than the one before or asks for more: no question is asked twice.
    const asked = server.requests.map((r) => `${r.fromtime}/${r.limit}`);
    expect(new Set(asked).size).toBe(asked.length);
    expect(ctx.errors.map((e) => e.code).filter((c) => c !== 'COVERAGE_GAP')).toEqual([]);
  });

  it('treats a single-shot answer shorter than the server total as possibly cut: reports it, tombstones nothing outside its span', async () => {
    const history = makeHistory(300);
    const archive = open();
    const full = scriptedServer(() => history, { mode: 'single-shot' });
    await syncConversationMessages(testSyncContext(archive, full.fetchImpl), work(history));

    const later = [...history, ...makeHistory(5, { start: Date.UTC(2025, 6, 1) })];
    const cut = scriptedServer(() => later, { mode: 'single-shot', truncateAt: 200 });
    const ctx = testSyncContext(archive, cut.fetchImpl);
    await syncConversationMessages(ctx, work(later));
    expect(ctx.errors.map((e) => e.code)).toEqual(['EXPORT_SHORT']);
    // Messages 200..299 were not in the cut answer, but outside its span: not claimed deleted.
    expect(archive.db.prepare('SELECT count(*) AS n FROM messages WHERE deleted_at IS NOT NULL').get()).toEqual({ n: 0 });
  });

  it('archives a conversation for the first time without marking ids seen, and still counts what the answer held', async () => {
    const history = makeHistory(4_500);
    const archive = open();
    // Every insert into walk_seen, counted where the archive cannot miss it.
    archive.db.exec(`CREATE TEMP TABLE seen_inserts (n INTEGER); INSERT INTO seen_inserts VALUES (0);
      CREATE TEMP TRIGGER count_seen AFTER INSERT ON main.walk_seen BEGIN UPDATE seen_inserts SET n = n + 1; END;`);
    const seenInserts = () => (archive.db.prepare('SELECT n FROM seen_inserts').get() as { n: number }).n;
    // The first answer is cut at 3,000 and sends message 10 twice (edited): 3,000 distinct of 4,500.
    const first = [...history.slice(0, 3_000), { ...(history[10] as Message), content: { text: 'edited' } }];
    const ctx = testSyncContext(archive, scriptedServer(() => first, { mode: 'single-shot' }).fetchImpl);
    await syncConversationMessages(ctx, work(history));
    expect(seenInserts()).toBe(0);
    expect(ctx.counts.messagesNew).toBe(3_000);
    expect(ctx.errors.map((e) => e.message)).toEqual([expect.stringContaining('returned 3000 messages; Cliq reports 4500')]);

    // The next answer, of a conversation now archived, is marked seen: a deletion is noticed.
    const next = history.filter((_, i) => i !== 7);
    const again = testSyncContext(archive, scriptedServer(() => next, { mode: 'single-shot' }).fetchImpl);
    await syncConversationMessages(again, work(next, { serverModified: Date.UTC(2026, 0, 1) }));
    expect(seenInserts()).toBe(4_499);
    expect(again.counts.messagesDeleted).toBe(1);
    expect(archive.messages.countSeen('c1')).toBe(0);
  });

  it('seals rows ahead only for a conversation archived for the first time', async () => {
    const history = makeHistory(450);
    const archive = open();
    const stamps: (WriteContext | undefined)[] = [];
    const recording = (ctx: SyncContext): SyncContext => ({
      ...ctx,
      rowParser: { ...inThreadRowParser, parse: (body, chatId, stamp, take) => (stamps.push(stamp), inThreadRowParser.parse(body, chatId, stamp, take)) },
    });
    await syncConversationMessages(recording(testSyncContext(archive, scriptedServer(() => history, { mode: 'single-shot' }).fetchImpl)), work(history));
    // The whole history again with one message more: all but one already stored, so not hashed ahead.
    const more = [...history, ...makeHistory(1, { start: Date.UTC(2025, 6, 1) })];
    const again = recording(testSyncContext(archive, scriptedServer(() => more, { mode: 'single-shot' }).fetchImpl));
    await syncConversationMessages(again, work(more, { serverModified: Date.UTC(2026, 0, 1) }));
    expect(stamps.map((stamp) => stamp !== undefined)).toEqual([true, false]);
    expect(again.counts.messagesNew).toBe(1);
    expect(verifyArchive(archive.db).problems).toEqual([]);
  });

  it('resumes an interrupted walk from its checkpoint, without refetching what was stored', async () => {
    const history = makeHistory(450);
    const archive = open();
    const failing = scriptedServer(() => history, { mode: 'windowed', failFrom: 3 });
    await expect(syncConversationMessages(testSyncContext(archive, failing.fetchImpl), work(history))).rejects.toMatchObject({ code: 'SERVER_ERROR' });
    // Two pages of 100 overlap by the message at the boundary: 199 distinct ones stored.
    expect(archivedIds(archive)).toHaveLength(199);
    const state = archive.syncState.get('c1');
    expect(state.walkFrom).toBe(0);
    expect(state.cursorTime).toBe(history[198]?.time);

    const healthy = scriptedServer(() => history, { mode: 'windowed' });
    await syncConversationMessages(testSyncContext(archive, healthy.fetchImpl), work(history));
    expect(healthy.requests[0]?.fromtime).toBe((history[198]?.time ?? 0) - 1);
    expect(archivedIds(archive)).toEqual(history.map((m) => m.id).sort());
    expect(archive.syncState.get('c1').status).toBe('complete');
  });

  it('reads only the recent windows when new messages arrive, and nothing when nothing changed', async () => {
    // A message a minute: the 10-minute overlap re-reads ten of them.
    const history = makeHistory(450, { stepMs: 60_000 });
    const archive = open();
    await syncConversationMessages(testSyncContext(archive, scriptedServer(() => history, { mode: 'windowed' }).fetchImpl), work(history));

    const unchanged = scriptedServer(() => history, { mode: 'windowed' });
    expect(await syncConversationMessages(testSyncContext(archive, unchanged.fetchImpl), work(history))).toBe('unchanged');
    expect(unchanged.requests).toHaveLength(0);

    const grown = [...history, ...makeHistory(30, { start: (history.at(-1)?.time ?? 0) + 60_000, stepMs: 60_000 })];
    const incremental = scriptedServer(() => grown, { mode: 'windowed' });
    await syncConversationMessages(testSyncContext(archive, incremental.fetchImpl), work(grown));
    expect(incremental.requests).toHaveLength(1);
    expect(incremental.requests[0]?.fromtime).toBe((history.at(-1)?.time ?? 0) - 600_000 - 1);
    expect(archivedIds(archive)).toHaveLength(480);
  });

  it('walks a conversation whole again when its count drops, and tombstones what was deleted', async () => {
    const history = makeHistory(250);
    const archive = open();
    await syncConversationMessages(testSyncContext(archive, scriptedServer(() => history, { mode: 'windowed' }).fetchImpl), work(history));
    const remaining = history.filter((_, i) => i !== 10 && i !== 200);
    const server = scriptedServer(() => remaining, { mode: 'windowed' });
    const ctx = testSyncContext(archive, server.fetchImpl);
    await syncConversationMessages(ctx, work(remaining, { serverModified: Date.UTC(2026, 0, 1) }));
    expect(server.requests[0]?.fromtime).toBe(0);
    expect(ctx.counts.messagesDeleted).toBe(2);
    const deleted = archive.db.prepare('SELECT message_id FROM messages WHERE deleted_at IS NOT NULL ORDER BY message_id').all();
    expect(deleted).toEqual([{ message_id: history[200]?.id }, { message_id: history[10]?.id }].sort((a, b) => ((a.message_id ?? '') < (b.message_id ?? '') ? -1 : 1)));
  });
});
