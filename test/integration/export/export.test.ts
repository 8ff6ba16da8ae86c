import Database from 'better-sqlite3-multiple-ciphers';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestSchemaVersion } from '../../../electron/core/archive/migrations';
import { createAuditBundle } from '../../../electron/core/audit/bundle';
import { syncArchive } from '../../../electron/core/createCore';
import { exportAll } from '../../../electron/core/export/exportAll';
import { exportJsonl, exportKinds, type ExportKind } from '../../../electron/core/export/jsonlExport';
import { placeHold, releaseHold } from '../../../electron/core/holds/holdWrites';
import { applyRetention } from '../../../electron/core/retention';
import { codeReviewItem, createReviewSet } from '../../../electron/core/reviewSets';
import { ReviewRecorder } from '../../../electron/core/review';
import { sha256Hex } from '../../../electron/core/util/sha256';
import { archiveAtSchema } from '../../reliability/pauses';
import { connectionTo, useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

/** What each kind must hold: the rows of its table (members: the open intervals). */
const tableCount: Record<ExportKind, string> = {
  chats: 'SELECT count(*) FROM chats',
  channels: 'SELECT count(*) FROM channels',
  threads: 'SELECT count(*) FROM threads',
  members: 'SELECT count(*) FROM memberships WHERE gone_at IS NULL',
  memberships: 'SELECT count(*) FROM memberships',
  users: 'SELECT count(*) FROM users',
  messages: 'SELECT count(*) FROM messages',
  attachments: 'SELECT count(*) FROM attachments',
  versions: 'SELECT count(*) FROM message_versions',
  history: 'SELECT count(*) FROM entity_history',
  events: 'SELECT count(*) FROM archive_events',
  runs: 'SELECT count(*) FROM sync_runs',
  seals: 'SELECT count(*) FROM seals',
  audit_log: 'SELECT count(*) FROM audit_log',
  review_log: 'SELECT count(*) FROM review_log',
  departments: 'SELECT count(*) FROM departments',
  department_members: "SELECT count(*) FROM directory_assignments WHERE kind = 'department'",
  designations: 'SELECT count(*) FROM designations',
  designation_members: "SELECT count(*) FROM directory_assignments WHERE kind = 'designation'",
  roles: 'SELECT count(*) FROM roles',
  role_members: "SELECT count(*) FROM directory_assignments WHERE kind = 'role'",
  teams: 'SELECT count(*) FROM teams',
  team_members: "SELECT count(*) FROM directory_assignments WHERE kind = 'team'",
  calls: 'SELECT count(*) FROM calls',
  call_participants: 'SELECT count(*) FROM call_participants',
  call_notifications: "SELECT count(*) FROM messages WHERE subtype = 'call_notification'",
  scheduled_messages: 'SELECT count(*) FROM scheduled_messages',
  reactions: 'SELECT count(*) FROM reactions',
  sticky_messages: 'SELECT count(*) FROM sticky_messages',
  member_roles: 'SELECT count(*) FROM channel_member_roles',
  channel_permissions: 'SELECT count(*) FROM channel_permissions',
  holds: 'SELECT count(*) FROM legal_holds',
  purges: 'SELECT count(*) FROM purged_messages',
  retention_runs: 'SELECT count(*) FROM retention_runs',
  review_sets: 'SELECT count(*) FROM review_sets',
  review_set_items: 'SELECT count(*) FROM review_set_items',
  review_codings: 'SELECT count(*) FROM review_codings',
};

/** Keys holding the archive's own integer sequence numbers; every other `*_id` is a Cliq id (a string). */
const archiveKeys = new Set(['run_id', 'seal_id', 'event_id', 'audit_id', 'hold_id', 'review_id', 'set_id', 'coding_id']);
const cliqIdKeys = ['member_key', 'entity_key'];

type Line = Record<string, unknown>;
const readLines = (path: string): Line[] => {
  const text = readFileSync(path, 'utf8');
  if (text === '') return [];
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as Line);
};

describe('lossless JSONL export of every table of evidence', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();
  let sourceDir: string;
  let archive: string;
  /** The text each edited message had before its edit, read from the archive before the re-sync. */
  let earlier: { chatId: string; messageId: string; text: string | null }[];
  /** The channel name and user display name before they were changed. */
  let renamed: { channel: string; user: string };

  beforeAll(async () => {
    sourceDir = mkdtempSync(join(tmpdir(), 'cliq-vault-export-'));
    archive = join(sourceDir, 'a.sqlite');
    const sim = await simulator({ seed: 9, scale: 'small', clock: 'manual' });
    await syncArchive(archive, connectionTo(sim));
    sim.advance(60_000);
    const mutation = sim.mutate({ seed: 2, editMessages: 3, deleteMessages: 2, membersLeave: 2 });
    // Metadata changes (the mutations have none): a channel renamed, a user's display name changed.
    const channel = sim.org.conversations.find((c) => c.channel !== null && !c.removed)?.channel;
    const user = sim.org.users[1];
    if (!channel || !user) throw new Error('the org has no channel or no second user');
    renamed = { channel: channel.name, user: user.displayName };
    channel.name = `${channel.name} (renamed)`;
    user.displayName = `${user.displayName} (renamed)`;
    const db = new Database(archive, { readonly: true });
    const text = db.prepare<[string, string], string | null>('SELECT text FROM messages WHERE chat_id = ? AND message_id = ?').pluck();
    earlier = mutation.edited.map((m) => ({ ...m, text: text.get(m.chatId, m.messageId) ?? null }));
    db.close();
    await syncArchive(archive, connectionTo(sim));
    // A conversation removed and back: noticed gone by one sync, an archive event on the next.
    const removed = sim.mutate({ seed: 3, removeChats: 1 }).removed[0];
    await syncArchive(archive, connectionTo(sim));
    const back = sim.org.conversations.find((c) => c.chatId === removed);
    if (back === undefined) throw new Error('no conversation was removed');
    back.removed = false;
    await syncArchive(archive, connectionTo(sim));
    // An audit export, so audit_log (and an audit seal) hold a row too.
    await createAuditBundle({ archivePath: archive, outDir: join(sourceDir, 'bundle'), scope: {} });
    // Retention: the smallest conversation's messages purged, so purges and retention_runs hold rows.
    const source = new Database(archive, { readonly: true });
    const smallest = source.prepare<[], string>('SELECT chat_id FROM messages GROUP BY chat_id ORDER BY count(*), chat_id LIMIT 1').pluck().get();
    source.close();
    if (smallest === undefined) throw new Error('the archive holds no message');
    await applyRetention(archive, { keepDays: 1, conversations: [smallest] });
    // Legal holds, one of them released.
    placeHold(archive, { name: 'matter', from: '2000-01-01', reason: 'counsel' });
    placeHold(archive, { name: 'closed', to: '2000-01-01' });
    releaseHold(archive, { name: 'closed', reason: 'settled' });
    // A review set made from that hold, coded once, so review_sets, review_set_items and review_codings hold rows.
    const set = createReviewSet(archive, { name: 'first pass', source: { hold: 'matter' } });
    const items = new Database(archive, { readonly: true });
    const [item] = items.prepare<[number], { chat_id: string }>('SELECT chat_id FROM review_set_items WHERE set_id = ? LIMIT 1').all(set.id);
    items.close();
    if (item === undefined) throw new Error('the review set is empty');
    codeReviewItem(archive, { setId: set.id, chatId: item.chat_id, action: 'tag', tag: 'responsive' });
    // A look on record, so review_log (and its audit seal) hold a row too.
    const looks = new ReviewRecorder({ shell: 'cli' });
    looks.record(archive, { action: 'search', scope: { text: 'invoice' }, results: 2 });
    expect(looks.close()).toBe(0);
  }, 120_000);
  afterAll(() => rmSync(sourceDir, { recursive: true, force: true }));

  it('every kind: one JSON object per line, ids as strings, every row of its table, payloads verbatim, the same bytes twice', async () => {
    const db = new Database(archive, { readonly: true });
    try {
      const dir = tempDir();
      for (const kind of exportKinds) {
        const out = join(dir, `${kind}.jsonl`);
        const result = await exportJsonl(db, kind, out);
        const lines = readLines(out);
        const expected = db.prepare(tableCount[kind]).pluck().get() as number;
        expect([kind, lines.length, result.rows]).toEqual([kind, expected, expected]);
        expect(expected, `${kind} is exercised`).toBeGreaterThan(0);
        for (const line of lines) {
          for (const [key, value] of Object.entries(line)) {
            if ((key.endsWith('_id') && !archiveKeys.has(key)) || cliqIdKeys.includes(key)) expect(value === null || typeof value === 'string', `${kind}.${key}`).toBe(true);
            if (key.endsWith('_at') || key === 'time') expect(value === null || Number.isInteger(value), `${kind}.${key}`).toBe(true);
          }
        }
        const again = join(dir, `${kind}.again.jsonl`);
        await exportJsonl(db, kind, again);
        expect(readFileSync(again).equals(readFileSync(out)), kind).toBe(true);
      }

      // Stored JSON reaches the file byte for byte (spliced, never re-encoded).
      const versions = readFileSync(join(dir, 'versions.jsonl'), 'utf8').split('\n');
      const stored = db.prepare<[], string>('SELECT raw_json FROM message_versions').pluck().all();
      for (const raw of stored) expect(versions.some((l) => l.endsWith(`"raw":${raw}}`))).toBe(true);
      const runs = readLines(join(dir, 'runs.jsonl'));
      const storedRuns = db
        .prepare<[], { id: number; counts_json: string; calls_json: string; errors_json: string }>('SELECT id, counts_json, calls_json, errors_json FROM sync_runs ORDER BY id')
        .all();
      expect(runs.map((r) => [r.run_id, r.counts, r.calls, r.errors])).toEqual(
        storedRuns.map((r): unknown[] => [r.id, JSON.parse(r.counts_json), JSON.parse(r.calls_json), JSON.parse(r.errors_json)]),
      );
      for (const seal of readLines(join(dir, 'seals.jsonl'))) {
        if (seal.closed_at === null) continue;
        expect(seal.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(seal.state_digest).toMatch(/^[0-9a-f]{64}$/);
        for (const live of seal.live as { table: string; digest: string; rows: number }[]) expect(live.digest).toMatch(/^[0-9a-f]{64}$/);
      }
      const events = readLines(join(dir, 'events.jsonl'));
      expect(events.map((e) => e.kind)).toContain('chat_reappeared');
      for (const e of events) expect(typeof (e.detail as { noticedGoneAt?: unknown }).noticedGoneAt).toBe('number');
      // Cliq's 19-digit ids stay exact strings.
      expect(readLines(join(dir, 'users.jsonl')).some((u) => /^\d{19}$/.test(u.user_id as string))).toBe(true);
      const audit = readLines(join(dir, 'audit_log.jsonl'));
      expect(audit.map((a) => [a.status, a.bundle_path])).toEqual([['complete', join(sourceDir, 'bundle')]]);
      expect(Array.isArray(audit[0]?.files)).toBe(true);
    } finally {
      db.close();
    }
  });

  it('versions holds the earlier text of every edited message; messages holds the new one', async () => {
    expect(earlier.length).toBe(3);
    const db = new Database(archive, { readonly: true });
    const dir = tempDir();
    try {
      await exportJsonl(db, 'versions', join(dir, 'versions.jsonl'));
      await exportJsonl(db, 'messages', join(dir, 'messages.jsonl'));
    } finally {
      db.close();
    }
    const versions = readLines(join(dir, 'versions.jsonl'));
    const messages = readLines(join(dir, 'messages.jsonl'));
    for (const edit of earlier) {
      const old = versions.filter((v) => v.chat_id === edit.chatId && v.message_id === edit.messageId);
      expect(old.map((v) => [v.version, v.text])).toEqual([[1, edit.text]]);
      expect(typeof old[0]?.message_key).toBe('number');
      expect(old[0]?.superseded_at).toEqual(expect.any(Number));
      const current = messages.find((m) => m.chat_id === edit.chatId && m.message_id === edit.messageId);
      expect(current?.version).toBe(2);
      expect(current?.text).not.toBe(edit.text);
    }
  });

  it('history holds the metadata each chat, channel or user had before it changed', async () => {
    const db = new Database(archive, { readonly: true });
    const out = join(tempDir(), 'history.jsonl');
    try {
      await exportJsonl(db, 'history', out);
    } finally {
      db.close();
    }
    const history = readLines(out);
    const sources = history.map((h) => [h.kind, JSON.stringify(h.source)] as const);
    expect(sources.some(([kind, source]) => kind === 'channel' && source.includes(JSON.stringify(renamed.channel)))).toBe(true);
    expect(sources.some(([kind, source]) => kind === 'user' && source.includes(JSON.stringify(renamed.user)))).toBe(true);
    for (const h of history) expect([typeof h.entity_key, typeof h.seen_at, typeof h.superseded_at, typeof h.superseded_run]).toEqual(['string', 'number', 'number', 'number']);
  });

  it('--all writes every kind and a manifest whose rows, bytes and hashes match the files', async () => {
    const db = new Database(archive, { readonly: true });
    const parent = tempDir();
    const out = join(parent, 'export');
    mkdirSync(out); // an empty folder is accepted
    try {
      const result = await exportAll(db, { archivePath: archive, outDir: out, clock: { now: () => Date.UTC(2026, 0, 2) } });
      expect(result.dir).toBe(out);
      expect(readdirSync(parent)).toEqual(['export']);
      expect(readdirSync(out).sort()).toEqual([...exportKinds.map((k) => `${k}.jsonl`), 'manifest.json'].sort());
      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as {
        format: string;
        tool: { version: string };
        createdAt: string;
        archive: { path: string; schemaVersion: number; integrityHead: { hash: string } | null };
        files: { kind: string; path: string; rows: number; bytes: number; sha256: string }[];
      };
      expect(manifest.format).toBe('cliq-vault-jsonl-export');
      expect(manifest.createdAt).toBe('2026-01-02T00:00:00.000Z');
      expect(manifest.archive.path).toBe(archive);
      expect(manifest.archive.schemaVersion).toBe(latestSchemaVersion);
      expect(manifest.archive.integrityHead?.hash).toBe(db.prepare('SELECT hash FROM seals WHERE chain_pos IS NOT NULL ORDER BY chain_pos DESC LIMIT 1').pluck().get());
      expect(manifest.tool.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(manifest.files.map((f) => f.kind)).toEqual([...exportKinds]);
      const single = tempDir();
      for (const file of manifest.files) {
        const bytes = readFileSync(join(out, file.path));
        expect([file.path, file.sha256, file.bytes, file.rows]).toEqual([file.path, sha256Hex(bytes), statSync(join(out, file.path)).size, readLines(join(out, file.path)).length]);
        expect(file.rows).toBe(
          db
            .prepare(tableCount[file.kind as ExportKind])
            .pluck()
            .get(),
        );
        // The same bytes as exporting that kind alone.
        await exportJsonl(db, file.kind as ExportKind, join(single, file.path));
        expect(readFileSync(join(single, file.path)).equals(bytes), file.kind).toBe(true);
      }
    } finally {
      db.close();
    }
  });

  it('--all reads one snapshot: rows a writer commits meanwhile are in no file', async () => {
    const dir = tempDir();
    const copy = join(dir, 'a.sqlite');
    copyFileSync(archive, copy);
    const writer = new Database(copy);
    writer.pragma('journal_mode = WAL');
    // Each write adds an event and a run together; events are exported before runs, so without one
    // snapshot the runs file would hold runs whose events the events file lacks.
    const write = writer.transaction((n: number) => {
      writer.prepare('INSERT INTO archive_events (at, run_id, kind, subject, detail) VALUES (?, NULL, ?, ?, ?)').run(n, 'concurrent', `w${n}`, '{}');
      writer.prepare("INSERT INTO sync_runs (started_at, status, tool_version, options_json) VALUES (?, 'complete', 'concurrent', '{}')").run(n);
    });
    const reader = new Database(copy, { readonly: true });
    let writes = 0;
    let done = false;
    const tick = (): void => {
      if (done) return;
      write(++writes);
      setImmediate(tick);
    };
    try {
      setImmediate(tick);
      await exportAll(reader, { archivePath: copy, outDir: join(dir, 'all') });
      done = true;
      const events = readLines(join(dir, 'all', 'events.jsonl')).filter((e) => e.kind === 'concurrent').length;
      const runs = readLines(join(dir, 'all', 'runs.jsonl')).filter((r) => r.tool_version === 'concurrent').length;
      expect(runs).toBe(events);
      expect(writes, 'the writer committed while the export ran').toBeGreaterThan(events);
    } finally {
      done = true;
      reader.close();
      writer.close();
    }
  });

  it('--all never writes into a folder that holds anything, nor leaves anything when it fails', async () => {
    const db = new Database(archive, { readonly: true });
    const parent = tempDir();
    try {
      const full = join(parent, 'full');
      mkdirSync(full);
      writeFileSync(join(full, 'keep.txt'), 'mine');
      await expect(exportAll(db, { archivePath: archive, outDir: full })).rejects.toMatchObject({ code: 'USAGE', message: `${full} is not empty.` });
      expect(readdirSync(full)).toEqual(['keep.txt']);
      const file = join(parent, 'file');
      writeFileSync(file, 'mine');
      await expect(exportAll(db, { archivePath: archive, outDir: file })).rejects.toMatchObject({ code: 'USAGE', message: `${file} is a file, not a folder.` });

      // Cancelled mid-way: no folder, no hidden partial folder beside it.
      const controller = new AbortController();
      controller.abort();
      await expect(exportAll(db, { archivePath: archive, outDir: join(parent, 'cancelled'), signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(readdirSync(parent).sort()).toEqual(['file', 'full']);
      expect(db.inTransaction).toBe(false);
    } finally {
      db.close();
    }
  });

  it('an archive older than a kind’s table: that kind, and --all, are refused with a hint; the rest export', async () => {
    const dir = tempDir();
    const path = join(dir, 'old.sqlite');
    archiveAtSchema(path, 20);
    const db = new Database(path, { readonly: true });
    const hint = 'Run a sync of this archive first: it upgrades the archive and records them.';
    try {
      for (const [kind, version] of [
        ['seals', 30],
        ['audit_log', 40],
        ['attachments', 60],
      ] as const) {
        await expect(exportJsonl(db, kind, join(dir, `${kind}.jsonl`))).rejects.toMatchObject({
          code: 'USAGE',
          message: `This archive predates ${kind} (schema ${version}); nothing about them is recorded in it yet.`,
          hint,
        });
      }
      await expect(exportAll(db, { archivePath: path, outDir: join(dir, 'all') })).rejects.toMatchObject({ code: 'USAGE', hint });
      expect(readdirSync(dir).filter((name) => !name.startsWith('old.sqlite'))).toEqual([]);
      // chats: without kind_source, which migration 0062 added.
      for (const kind of ['chats', 'versions', 'history', 'events', 'runs'] as const) expect((await exportJsonl(db, kind, join(dir, `${kind}.jsonl`))).rows).toBe(0);
    } finally {
      db.close();
    }
  });
});
