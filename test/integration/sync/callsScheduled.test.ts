import Database from 'better-sqlite3-multiple-ciphers';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syncArchive, type Runtime } from '../../../electron/core/createCore';
import { verifyArchive } from '../../../electron/core/archive/sealing/verify';
import { createAuditBundle } from '../../../electron/core/audit/bundle';
import { verifyBundle } from '../../../electron/core/audit/verifyBundle';
import { exportJsonl } from '../../../electron/core/export/jsonlExport';
import type { RunningSimulator } from '../../../electron/simulator';
import { archiverScopes } from '../../../shared/cliqScopes';
import { connectionTo, grantedCredentials, useSimulators } from '../../helpers/sim';
import { runInProcess } from '../../helpers/inProcessCli';
import { useTempDir } from '../../helpers/tempDir';

function read<T>(path: string, sql: string, ...params: (string | number)[]): T[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare<(string | number)[], T>(sql).all(...params);
  } finally {
    db.close();
  }
}

function write(path: string, sql: string): void {
  const db = new Database(path);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

/** A runtime whose fetch records every X1 request's query, to see what each sync sent. */
function recording(): { runtime: Runtime; x1: URLSearchParams[]; x2Headers: (string | null)[] } {
  const x1: URLSearchParams[] = [];
  const x2Headers: (string | null)[] = [];
  const wrapped: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname === '/api/v2/mediasessions') x1.push(url.searchParams);
    if (url.pathname.endsWith('/participants')) x2Headers.push(new Headers(init?.headers).get('x-api-version'));
    return fetch(input, init);
  };
  return { runtime: { fetch: wrapped }, x1, x2Headers };
}

const archivedCalls = (path: string) =>
  read<Record<string, unknown>>(path, `SELECT call_id AS id, nrs_id, type, title, scope, chat_id, start_time, end_time, host_id FROM calls WHERE gone_at IS NULL ORDER BY call_id`);
const archivedParticipants = (path: string, callId: string) =>
  read<Record<string, unknown>>(path, `SELECT user_id AS id, role, start_time, end_time FROM call_participants WHERE call_id = ? AND gone_at IS NULL ORDER BY start_time, user_id`, callId);

function expectedCalls(sim: RunningSimulator) {
  return sim
    .truth()
    .media.calls.map(({ participants: _p, ...call }) => call)
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

function expectCallsEqualTruth(sim: RunningSimulator, path: string): void {
  const truth = sim.truth().media.calls;
  expect(archivedCalls(path)).toEqual(expectedCalls(sim));
  for (const call of truth) {
    const want = [...call.participants].sort((a, b) => a.start_time - b.start_time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    expect(archivedParticipants(path, call.id), `participants of ${call.id}`).toEqual(want);
  }
}

const pendingScheduled = (path: string) =>
  read<Record<string, unknown>>(
    path,
    `SELECT scheduled_id AS id, creator_id, scheduled_at AS time, schedule_status, message_type AS type, text, file_name
       FROM scheduled_messages WHERE gone_at IS NULL AND fate = 'pending' ORDER BY scheduled_id`,
  );

function expectedScheduled(sim: RunningSimulator) {
  return sim
    .truth()
    .media.scheduled.map((s) => ({ id: s.id, creator_id: s.creator_id, time: s.time, schedule_status: s.schedule_status, type: s.type, text: s.text, file_name: s.file_name }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

describe('sync: calls and meetings, scheduled messages', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('archives the truth, then after mutations a sent, a rescheduled and a deleted scheduled message, sending X1 only its sync token', async () => {
    const sim = await simulator({ seed: 12, scale: 'small' });
    const path = join(tempDir(), 'a.sqlite');
    const calls = sim.truth().media.calls.length;
    expect(calls, 'more calls than one X1 page (10)').toBeGreaterThan(10);
    const { runtime, x1, x2Headers } = recording();

    const first = await syncArchive(path, connectionTo(sim), {}, runtime);
    expect(first.status).toBe('complete');
    expect(first.errors).toEqual([]);
    expectCallsEqualTruth(sim, path);
    expect(pendingScheduled(path)).toEqual(expectedScheduled(sim));
    // v3's list of all chats names no chat; the raw item is kept whole.
    expect(read<{ n: number }>(path, "SELECT count(*) AS n FROM scheduled_messages WHERE chat_id IS NOT NULL OR api_version <> 'v3'")[0]?.n).toBe(0);
    expect(first.calls['mediasessions.list']).toBe(Math.ceil(calls / 10));
    expect(first.calls['mediasessions.participants']).toBe(calls);
    expect(first.calls['scheduled.list']).toBe(1);
    expect(x1[0]?.toString(), 'the first walk sends nothing').toBe('');
    expect(x1.slice(1).every((q) => [...q.keys()].join() === 'next_token')).toBe(true);
    expect(new Set(x2Headers)).toEqual(new Set(['1']));
    expect(first.counts.callsNew).toBe(calls);

    const changes = sim.mutate({ seed: 3, newCalls: 1, sendScheduled: 1, rescheduleScheduled: 1, deleteScheduled: 1 });
    expect(changes.media.newCalls).toHaveLength(1);
    expect(changes.media.sentScheduled).toHaveLength(1);
    expect(changes.media.rescheduled).toHaveLength(1);
    expect(changes.media.deletedScheduled).toHaveLength(1);
    const before = read<{ id: string; time: number }>(path, 'SELECT scheduled_id AS id, scheduled_at AS time FROM scheduled_messages WHERE scheduled_id = ?', changes.media.rescheduled[0] ?? '')[0];
    // Gone before its time: deleted; a status-triggered one cannot be told from a delivery: gone.
    const deletedKind = read<{ kind: string }>(path, 'SELECT schedule_kind AS kind FROM scheduled_messages WHERE scheduled_id = ?', changes.media.deletedScheduled[0] ?? '')[0]?.kind;
    x1.length = 0;

    const second = await syncArchive(path, connectionTo(sim), {}, runtime);
    expect(second.status).toBe('complete');
    expect(x1.map((q) => [...q.keys()].join())).toEqual(['sync_token']);
    expect(second.calls['mediasessions.participants'], 'participants of the new call only').toBe(1);
    expectCallsEqualTruth(sim, path);
    expect(pendingScheduled(path)).toEqual(expectedScheduled(sim));

    const sent = changes.media.sentScheduled[0];
    const fates = read<{ id: string; fate: string; sent_chat_id: string | null; sent_message_id: string | null; gone: number }>(
      path,
      'SELECT scheduled_id AS id, fate, sent_chat_id, sent_message_id, gone_at IS NOT NULL AS gone FROM scheduled_messages WHERE fate <> ? ORDER BY scheduled_id',
      'pending',
    );
    expect(fates).toEqual(
      [
        { id: sent?.id, fate: 'sent', sent_chat_id: sent?.chatId, sent_message_id: sent?.messageId, gone: 1 },
        { id: changes.media.deletedScheduled[0], fate: deletedKind === 'time' ? 'deleted' : 'gone', sent_chat_id: null, sent_message_id: null, gone: 1 },
      ].sort((a, b) => ((a.id ?? '') < (b.id ?? '') ? -1 : 1)),
    );
    expect(
      sim
        .truth()
        .media.outcomes.map((o) => o.fate)
        .sort(),
    ).toEqual(['deleted', 'sent']);
    // The rescheduled one: its new time, the earlier version in entity_history, and an event from → to.
    const rescheduled = changes.media.rescheduled[0] ?? '';
    const history = read<{ source_json: string }>(path, "SELECT source_json FROM entity_history WHERE kind = 'scheduled_message' AND entity_key = ?", rescheduled);
    expect(history).toHaveLength(1);
    expect(Date.parse(String((JSON.parse(history[0]?.source_json ?? '{}') as { time?: string }).time))).toBe(before?.time);
    const event = read<{ detail: string }>(path, "SELECT detail FROM archive_events WHERE kind = 'scheduled_message_rescheduled' AND subject = ?", rescheduled);
    expect(JSON.parse(event[0]?.detail ?? '{}')).toMatchObject({ from: { scheduledAt: before?.time } });
    expect(second.counts).toMatchObject({ callsNew: 1, scheduledSent: 1, scheduledRescheduled: 1, [deletedKind === 'time' ? 'scheduledDeleted' : 'scheduledGone']: 1 });

    // No change: one X1 call (the token), no X2, one S2 call (only a whole list shows what left it).
    x1.length = 0;
    const third = await syncArchive(path, connectionTo(sim), {}, runtime);
    expect(third.status).toBe('complete');
    expect(third.calls['mediasessions.list']).toBe(1);
    expect(third.calls['mediasessions.participants'] ?? 0).toBe(0);
    expect(third.calls['scheduled.list']).toBe(1);
    expect(x1.map((q) => [...q.keys()].join())).toEqual(['sync_token']);
    expect(verifyArchive(new Database(path, { readonly: true })).problems).toEqual([]);
  });

  it('falls back to a full walk when Cliq refuses the stored sync token, and keeps the new one', async () => {
    const sim = await simulator({ seed: 12, scale: 'small' });
    const path = join(tempDir(), 'a.sqlite');
    const { runtime, x1 } = recording();
    await syncArchive(path, connectionTo(sim), {}, runtime);
    write(path, "UPDATE meta SET value = 'not-a-token' WHERE key = 'calls.sync_token'");
    sim.mutate({ seed: 5, newCalls: 2 });
    x1.length = 0;

    const report = await syncArchive(path, connectionTo(sim), {}, runtime);
    expect(report.status).toBe('complete');
    expect(report.counts.callsTokenRefused).toBe(1);
    const calls = sim.truth().media.calls.length;
    expect(x1.map((q) => [...q.keys()].join())).toEqual(['sync_token', '', ...Array<string>(Math.ceil(calls / 10) - 1).fill('next_token')]);
    expectCallsEqualTruth(sim, path);
    expect(report.calls['mediasessions.participants']).toBe(2);
    const token = read<{ value: string }>(path, "SELECT value FROM meta WHERE key = 'calls.sync_token'")[0]?.value;
    expect(token).not.toBe('not-a-token');
    x1.length = 0;
    await syncArchive(path, connectionTo(sim), {}, runtime);
    expect(x1.map((q) => q.get('sync_token'))).toEqual([token]);
  });

  it('enforces "nothing beside next_token or sync_token" in the simulator (400)', async () => {
    const sim = await simulator({ seed: 12, scale: 'small' });
    const path = join(tempDir(), 'a.sqlite');
    await syncArchive(path, connectionTo(sim));
    const token = read<{ value: string }>(path, "SELECT value FROM meta WHERE key = 'calls.sync_token'")[0]?.value ?? '';
    const { tokens } = await import('../../../electron/core/createCore').then((core) => core.createCliqClient(connectionTo(sim)));
    const bearer = await tokens.accessToken();
    const get = (query: string) => fetch(`${sim.apiBase}/api/v2/mediasessions?${query}`, { headers: { authorization: `Zoho-oauthtoken ${bearer}` } });
    expect((await get(`sync_token=${encodeURIComponent(token)}&type=all`)).status).toBe(400);
    expect((await get(`sync_token=${encodeURIComponent(token)}`)).status).toBe(200);
    const participants = await fetch(`${sim.apiBase}/api/v2/mediasessions/${encodeURIComponent(sim.truth().media.calls[0]?.nrs_id ?? '')}/participants`, {
      headers: { authorization: `Zoho-oauthtoken ${bearer}` },
    });
    expect(participants.status, 'X2 without X-API-VERSION: 1').toBe(400);

    // S2's sync_token answers only what changed since (here: one rescheduled message); limit is 1..100.
    const v3 = (query: string) => fetch(`${sim.apiBase}/api/v3/scheduledmessages?${query}`, { headers: { authorization: `Zoho-oauthtoken ${bearer}` } });
    const full = (await (await v3('')).json()) as { sync_token: string; data: { id: string; time?: string }[] };
    expect(full.data.map((d) => d.id).sort()).toEqual(
      sim
        .truth()
        .media.scheduled.map((d) => d.id)
        .sort(),
    );
    expect(full.data.every((d) => d.time === undefined || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-07:00$/.test(d.time))).toBe(true);
    const moved = sim.mutate({ seed: 4, rescheduleScheduled: 1 }).media.rescheduled;
    const delta = (await (await v3(`sync_token=${encodeURIComponent(full.sync_token)}`)).json()) as { data: { id: string }[] };
    expect(delta.data.map((d) => d.id)).toEqual(moved);
    expect((await v3('limit=101')).status).toBe(400);
  });

  it('without MediaSession.READ and Messages.READ: complete, each missing dataset noted with its scope, nothing archived before lost', async () => {
    const sim = await simulator({ seed: 12, scale: 'small' });
    const path = join(tempDir(), 'a.sqlite');
    const full = await syncArchive(path, connectionTo(sim));
    expect(full.status).toBe('complete');
    const callsBefore = archivedCalls(path);
    const scheduledBefore = pendingScheduled(path);
    const messagesBefore = read<{ n: number }>(path, 'SELECT count(*) AS n FROM messages')[0]?.n;

    const narrow = await grantedCredentials(
      sim,
      archiverScopes.filter((s) => s !== 'ZohoCliq.MediaSession.READ' && s !== 'ZohoCliq.Messages.READ'),
    );
    sim.mutate({ seed: 8, newMessages: 5 });
    const report = await syncArchive(path, connectionTo(sim, { credentials: narrow }));
    expect(report.status).toBe('complete');
    const notes = report.errors.filter((e) => e.code === 'SOURCE_NOT_GRANTED');
    expect(notes.map((n) => [n.dataset, n.scope])).toEqual(
      expect.arrayContaining([
        ['calls', 'ZohoCliq.MediaSession.READ'],
        ['scheduled_messages', 'ZohoCliq.Messages.READ'],
      ]),
    );
    expect(notes).toHaveLength(2);
    for (const note of notes) expect(note.message).toContain(note.scope ?? '');
    expect(report.counts.messagesNew).toBe(5);
    expect(read<{ n: number }>(path, 'SELECT count(*) AS n FROM messages')[0]?.n).toBe((messagesBefore ?? 0) + 5);
    expect(archivedCalls(path)).toEqual(callsBefore);
    expect(pendingScheduled(path)).toEqual(scheduledBefore);
    const status = read<{ value: string }>(path, "SELECT value FROM meta WHERE key = 'source.calls'")[0]?.value ?? '{}';
    expect(JSON.parse(status)).toMatchObject({ status: 'not_granted', scope: 'ZohoCliq.MediaSession.READ' });
    // `stats` shows what is held and what the last sync could not read, with the scope to add.
    const stats = await runInProcess(['stats', '--archive', path]);
    expect(stats.code, stats.stderr).toBe(0);
    expect(stats.stdout).toContain(`  Calls:          ${callsBefore.length} of the connected account,`);
    expect(stats.stdout).toContain('(last sync: not granted, needs ZohoCliq.MediaSession.READ)');
    expect(stats.stdout).toContain(
      `  Scheduled:      ${scheduledBefore.length} pending, 0 sent, 0 presumed sent, 0 deleted, 0 gone (sent or withdrawn) (last sync: not granted, needs ZohoCliq.Messages.READ)`,
    );
  });

  it('falls back to v2 when v3 is unavailable: numeric ids kept as text, chat ids, times in ms', async () => {
    const sim = await simulator({ seed: 12, scale: 'small', scheduledV3Available: false });
    const path = join(tempDir(), 'a.sqlite');
    const report = await syncArchive(path, connectionTo(sim));
    expect(report.status).toBe('complete');
    expect(report.calls['scheduled.list']).toBe(1);
    expect(report.calls['scheduled.legacy']).toBe(1);
    const rows = read<Record<string, unknown>>(
      path,
      "SELECT scheduled_id AS id, chat_id, creator_id, scheduled_at AS time, text FROM scheduled_messages WHERE api_version = 'v2' ORDER BY scheduled_at, scheduled_id",
    );
    const want = sim
      .truth()
      .media.scheduled.map((s) => ({ id: s.numeric_id, chat_id: s.chat_id, creator_id: s.creator_id, time: s.time, text: null }))
      .sort((a, b) => (a.time ?? -1) - (b.time ?? -1) || (a.id < b.id ? -1 : 1));
    expect(rows.map((r) => ({ ...r, time: r.time ?? null }))).toEqual(want.map((w) => ({ ...w, time: w.time ?? null })));
    expect(rows.every((r) => typeof r.id === 'string' && /^\d+$/.test(r.id))).toBe(true);
  });

  it('verify --archive catches an edited call, participant or scheduled message', async () => {
    const sim = await simulator({ seed: 12, scale: 'small' });
    const path = join(tempDir(), 'a.sqlite');
    await syncArchive(path, connectionTo(sim));
    for (const [table, sql] of [
      ['calls', "UPDATE calls SET title = 'nothing to see' WHERE rowid = (SELECT min(rowid) FROM calls)"],
      ['call_participants', "UPDATE call_participants SET role = 'host' WHERE rowid = (SELECT min(rowid) FROM call_participants WHERE role <> 'host')"],
      ['scheduled_messages', "UPDATE scheduled_messages SET fate = 'sent' WHERE rowid = (SELECT min(rowid) FROM scheduled_messages)"],
    ] as const) {
      const copy = join(tempDir(), `${table}.sqlite`);
      write(path, `VACUUM INTO '${copy}'`);
      write(copy, sql);
      const db = new Database(copy, { readonly: true });
      try {
        const problems = verifyArchive(db).problems;
        expect(
          problems.some((p) => p.table === table && p.kind === 'row_changed'),
          `${table}: ${JSON.stringify(problems)}`,
        ).toBe(true);
      } finally {
        db.close();
      }
    }
  });
  it('exports calls, participants, call notices and scheduled messages losslessly, and a bundle carries those in scope', async () => {
    const sim = await simulator({ seed: 12, scale: 'small' });
    const path = join(tempDir(), 'a.sqlite');
    await syncArchive(path, connectionTo(sim));
    const sent = sim.mutate({ seed: 3, sendScheduled: 1, rescheduleScheduled: 1 }).media.sentScheduled[0];
    await syncArchive(path, connectionTo(sim));
    const lines = (file: string) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>);

    const dir = tempDir();
    const db = new Database(path, { readonly: true });
    try {
      for (const [kind, sql] of [
        ['calls', 'SELECT call_id AS id, source_json AS source FROM calls ORDER BY call_id'],
        ['call_participants', 'SELECT entry_key AS id, source_json AS source FROM call_participants ORDER BY call_id, entry_key'],
        ['scheduled_messages', 'SELECT scheduled_id AS id, source_json AS source FROM scheduled_messages ORDER BY scheduled_id'],
      ] as const) {
        await exportJsonl(db, kind, join(dir, `${kind}.jsonl`));
        const rows = db.prepare<[], { id: string; source: string }>(sql).all();
        const text = readFileSync(join(dir, `${kind}.jsonl`), 'utf8')
          .split('\n')
          .filter((l) => l !== '');
        expect(text.length, kind).toBe(rows.length);
        // The payload reaches the file byte for byte.
        rows.forEach((row, i) => expect(text[i]?.endsWith(`"source":${row.source}}`), `${kind} ${row.id}`).toBe(true));
      }
      await exportJsonl(db, 'call_notifications', join(dir, 'call_notifications.jsonl'));
      const notices = lines(join(dir, 'call_notifications.jsonl'));
      const truthNotices = Object.values(sim.truth().messages)
        .flat()
        .filter((m) => (m.content as { type?: string }).type === 'call_notification');
      expect(notices.length).toBe(truthNotices.length);
      expect(notices.length).toBeGreaterThan(0);
      for (const n of notices) expect(n.duration_seconds === null || Number.isInteger(n.duration_seconds)).toBe(true);
      const scheduled = lines(join(dir, 'scheduled_messages.jsonl'));
      expect(scheduled.find((m) => m.scheduled_id === sent?.id)).toMatchObject({ fate: 'sent', sent_chat_id: sent?.chatId, sent_message_id: sent?.messageId });
    } finally {
      db.close();
    }

    // Scoped to the sent message's conversation and a conversation a call was held in.
    const callChat = sim.truth().media.calls.find((c) => c.chat_id !== null && c.chat_id !== sent?.chatId)?.chat_id ?? '';
    const chats = [sent?.chatId ?? '', callChat];
    const out = join(tempDir(), 'bundle');
    await createAuditBundle({ archivePath: path, outDir: out, scope: { conversations: chats, formats: ['jsonl', 'csv'] } });
    expect((await verifyBundle(out)).problems).toEqual([]);
    const inScope = (rows: Record<string, unknown>[], key: string) => rows.map((r) => r[key]).sort();
    const calls = lines(join(out, 'data', 'calls.jsonl'));
    const expectedCallIds = sim
      .truth()
      .media.calls.filter((c) => c.chat_id !== null && chats.includes(c.chat_id))
      .map((c) => c.id)
      .sort();
    expect(expectedCallIds.length).toBeGreaterThan(0);
    expect(inScope(calls, 'call_id')).toEqual(expectedCallIds);
    const participants = lines(join(out, 'data', 'call-participants.jsonl'));
    expect([...new Set(participants.map((p) => p.call_id))].sort()).toEqual(expectedCallIds);
    const notices = lines(join(out, 'data', 'call-notifications.jsonl'));
    expect(notices.every((n) => chats.includes(n.chat_id as string))).toBe(true);
    const expectedNotices = chats.flatMap((c) => (sim.truth().messages[c] ?? []).filter((m) => (m.content as { type?: string }).type === 'call_notification'));
    expect(notices.length).toBe(expectedNotices.length);
    expect(lines(join(out, 'data', 'scheduled-messages.jsonl')).map((m) => m.scheduled_id)).toEqual([sent?.id]);
    const dictionary = readFileSync(join(out, 'data-dictionary.csv'), 'utf8');
    for (const column of ['calls.csv,call_id', 'call-participants.csv,role', 'call-notifications.csv,duration_seconds', 'scheduled-messages.csv,fate']) {
      expect(dictionary).toContain(column);
    }
  });
});
