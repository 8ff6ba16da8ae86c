import Database from 'better-sqlite3-multiple-ciphers';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { createAuditBundle } from '../../../electron/core/audit/bundle';
import { verifyBundle } from '../../../electron/core/audit/verifyBundle';
import { openArchiveDb } from '../../../electron/core/archive/connection';
import { verifyArchive } from '../../../electron/core/archive/sealing/verify';
import { searchMessages } from '../../../electron/core/search/search';
import { syncArchive } from '../../../electron/core/createCore';
import { buildArchive, type FixtureMessage } from '../../helpers/archiveFixture';
import { connectionTo, useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

/** Parses a bundle CSV strictly (RFC 4180, header row) after checking its framing. */
function readCsv(path: string): Record<string, string>[] {
  const text = readFileSync(path, 'utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  expect(text.endsWith('\r\n')).toBe(true);
  const parsed = Papa.parse<Record<string, string>>(text.slice(1), { header: true, newline: '\r\n', skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}
const unwrapId = (cell: string) => /^="(\d+)"$/.exec(cell)?.[1] ?? cell;
const readJsonl = (path: string) =>
  readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .filter((l) => l !== '');

describe('audit bundles', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  async function synced(): Promise<string> {
    const sim = await simulator({ seed: 9, scale: 'small', clock: 'manual' });
    const path = join(tempDir(), 'a.sqlite');
    await syncArchive(path, connectionTo(sim));
    sim.advance(60_000);
    sim.mutate({ seed: 2, editMessages: 3, deleteMessages: 2, membersLeave: 2 });
    await syncArchive(path, connectionTo(sim));
    return path;
  }

  it('carries the metadata history in scope: an earlier channel name, only with its conversation', async () => {
    const sim = await simulator({ seed: 9, scale: 'small' });
    const archive = join(tempDir(), 'a.sqlite');
    await syncArchive(archive, connectionTo(sim), { files: 'none' });
    const conversations = sim.org.conversations.filter((c) => c.channel !== null && !c.removed);
    const [renamed, other] = conversations;
    if (!renamed?.channel || !other) throw new Error('the org has fewer than two channels');
    const before = renamed.channel.name;
    renamed.channel.name = `${before} (renamed)`;
    await syncArchive(archive, connectionTo(sim), { files: 'none' });

    const history = async (chatId: string) => {
      const out = join(tempDir(), `bundle-${chatId}`);
      await createAuditBundle({ archivePath: archive, outDir: out, scope: { conversations: [chatId], formats: ['jsonl', 'csv'] } });
      expect((await verifyBundle(out)).problems).toEqual([]);
      const csv = readCsv(join(out, 'data', 'metadata-history.csv'));
      const jsonl = readJsonl(join(out, 'data', 'metadata-history.jsonl')).map((l) => JSON.parse(l) as { kind: string; entity_key: string; source: unknown });
      // CSV ids are written ="…" so a spreadsheet keeps every digit.
      expect(csv.map((r) => r.entity_key?.replace(/^="(.*)"$/, '$1'))).toEqual(jsonl.map((r) => r.entity_key));
      return jsonl;
    };
    const mine = (await history(renamed.chatId)).filter((r) => r.kind === 'channel');
    expect(mine).toHaveLength(1);
    expect(JSON.stringify(mine[0]?.source)).toContain(JSON.stringify(before));
    expect((await history(other.chatId)).filter((r) => r.kind === 'channel')).toEqual([]);
  });

  it('exports the whole archive: every file, sums that verify, a manifest, ids and payloads intact', async () => {
    const archive = await synced();
    const out = join(tempDir(), 'bundle');
    const result = await createAuditBundle({ archivePath: archive, outDir: out, scope: { timeZone: 'Asia/Kolkata' } });
    expect(result.bundlePath).toBe(out);
    expect(readdirSync(out).sort()).toEqual(['README.txt', 'SHA256SUMS', 'SHA256SUMS.sig', 'custody.txt', 'data', 'data-dictionary.csv', 'files', 'manifest.json', 'signing-key.pub.pem', 'transcripts', 'warnings.txt']);
    expect((await verifyBundle(out)).problems).toEqual([]);

    const db = new Database(archive, { readonly: true });
    const count = (sql: string) => db.prepare(sql).pluck().get() as number;
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as {
      files: { path: string; rows: number }[];
      archive: { integrityHead: { hash: string } };
      createdBy: { user: string };
      org: { id: string };
      scope: { rule: string };
      syncRuns: unknown[];
      coverage: { conversations: number };
      timeZone: string;
    };
    const rows = (path: string) => manifest.files.find((f) => f.path === path)?.rows;
    expect(rows('data/messages.csv')).toBe(count('SELECT count(*) FROM messages'));
    expect(rows('data/messages.jsonl')).toBe(count('SELECT count(*) FROM messages'));
    expect(rows('data/memberships.csv')).toBe(count('SELECT count(*) FROM memberships'));
    expect(rows('data/message-versions.csv')).toBe(3);
    expect(rows('data/tombstones.csv')).toBe(count('SELECT count(*) FROM tombstones'));
    expect(manifest.archive.integrityHead.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.createdBy.user.length).toBeGreaterThan(0);
    expect(manifest.org.id).toBe(db.prepare("SELECT value FROM meta WHERE key = 'org.id'").pluck().get());
    expect(manifest.scope.rule).toBe('the whole archive');
    expect(manifest.syncRuns).toHaveLength(2);
    expect(manifest.coverage.conversations).toBe(count('SELECT count(*) FROM chats'));
    expect(manifest.timeZone).toBe('Asia/Kolkata');

    // CSV: strict parse; ids intact; times twice; the text exactly (unless neutralised).
    const csv = readCsv(join(out, 'data', 'messages.csv'));
    const stored = new Map(
      (db.prepare('SELECT message_id, chat_id, sender_id, text, time FROM messages').all() as { message_id: string; chat_id: string; sender_id: string; text: string | null; time: number }[]).map(
        (m) => [m.message_id, m],
      ),
    );
    let longIds = 0;
    for (const row of csv) {
      const m = stored.get(row.message_id ?? '');
      expect(m, row.message_id).toBeDefined();
      if (!m) continue;
      expect(unwrapId(row.sender_id ?? '')).toBe(m.sender_id);
      if (/^\d{19}$/.test(m.sender_id)) {
        longIds += 1;
        expect(row.sender_id).toBe(`="${m.sender_id}"`);
      }
      expect(Number(row.time_utc_ms)).toBe(m.time);
      expect(Date.parse(row.time ?? '')).toBe(m.time);
      expect(row.time).toMatch(/\+05:30$/);
      const text = m.text ?? '';
      expect(row.text).toBe(/^[=+\-@\t\r\n]/.test(text) ? `'${text}` : text);
    }
    expect(longIds).toBeGreaterThan(0);

    // JSONL: the stored payload verbatim.
    const rawById = new Map((db.prepare('SELECT message_id, raw_json FROM messages').all() as { message_id: string; raw_json: string }[]).map((m) => [m.message_id, m.raw_json]));
    for (const line of readJsonl(join(out, 'data', 'messages.jsonl'))) {
      const parsed = JSON.parse(line) as { message_id: string; time: unknown };
      expect(typeof parsed.time).toBe('number');
      expect(line.includes(`"raw":${rawById.get(parsed.message_id) ?? 'missing'}}`)).toBe(true);
    }

    // Recorded, sealed, in the archive's audit log; the archive still verifies.
    const logged = db.prepare('SELECT bundle_hash, status, bundle_path FROM audit_log').all();
    expect(logged).toEqual([{ bundle_hash: result.bundleHash, status: 'complete', bundle_path: out }]);
    db.close();
    const check = openArchiveDb(archive, { readonly: true });
    expect(verifyArchive(check).problems).toEqual([]);
    check.close();
  });

  it('gives byte-identical data files for the same archive and scope', async () => {
    const archive = await synced();
    const a = join(tempDir(), 'a');
    const b = join(tempDir(), 'b');
    await createAuditBundle({ archivePath: archive, outDir: a, scope: { timeZone: 'Europe/Berlin', kinds: ['channel'] } });
    await createAuditBundle({ archivePath: archive, outDir: b, scope: { timeZone: 'Europe/Berlin', kinds: ['channel'] } });
    const files = readdirSync(join(a, 'data')).sort();
    expect(readdirSync(join(b, 'data')).sort()).toEqual(files);
    for (const f of files) expect(readFileSync(join(b, 'data', f)).equals(readFileSync(join(a, 'data', f))), f).toBe(true);
  });

  it('scopes by conversation (a channel brings its threads), by sender, dates and query', async () => {
    const archive = await synced();
    const db = new Database(archive, { readonly: true });
    const channel = db.prepare('SELECT parent_chat_id FROM threads LIMIT 1').pluck().get() as string;
    const threads = db.prepare('SELECT thread_chat_id FROM threads WHERE parent_chat_id = ?').pluck().all(channel) as string[];

    const byChat = join(tempDir(), 'chat');
    await createAuditBundle({ archivePath: archive, outDir: byChat, scope: { conversations: [channel] } });
    const chats = readCsv(join(byChat, 'data', 'chats.csv')).map((r) => r.chat_id);
    expect(chats.sort()).toEqual([channel, ...threads].sort());
    const messageChats = new Set(readCsv(join(byChat, 'data', 'messages.csv')).map((r) => r.chat_id));
    expect([...messageChats].every((c) => c === channel || threads.includes(c ?? ''))).toBe(true);
    expect(new Set(readCsv(join(byChat, 'data', 'memberships.csv')).map((r) => r.chat_id))).toEqual(
      new Set([channel, ...threads].filter((c) => (db.prepare('SELECT count(*) FROM memberships WHERE chat_id = ?').pluck().get(c) as number) > 0)),
    );

    // Messages matching a search: exactly the search's hits, across all pages.
    const word = 'review';
    const hits = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = searchMessages(db, { text: word, limit: 500, ...(cursor ? { cursor } : {}) });
      for (const h of page.hits) hits.add(h.messageId);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const byQuery = join(tempDir(), 'query');
    await createAuditBundle({ archivePath: archive, outDir: byQuery, scope: { query: word, formats: ['jsonl'] } });
    const exported = readJsonl(join(byQuery, 'data', 'messages.jsonl')).map((l) => (JSON.parse(l) as { message_id: string }).message_id);
    expect(new Set(exported)).toEqual(hits);
    expect(existsSync(join(byQuery, 'data', 'messages.csv'))).toBe(false);

    // A sender between two days: their messages only; users = members of those chats + senders.
    const sender = db.prepare("SELECT sender_id FROM messages WHERE sender_id NOT LIKE 'b-%' GROUP BY sender_id ORDER BY count(*) DESC LIMIT 1").pluck().get() as string;
    const bySender = join(tempDir(), 'sender');
    await createAuditBundle({ archivePath: archive, outDir: bySender, scope: { senders: [sender], from: '2026-01-01', to: '2026-03-31', timeZone: 'America/New_York' } });
    const senderRows = readCsv(join(bySender, 'data', 'messages.csv'));
    const start = Date.parse('2026-01-01T05:00:00Z');
    const end = Date.parse('2026-04-01T04:00:00Z');
    expect(senderRows.length).toBe(db.prepare('SELECT count(*) FROM messages WHERE sender_id = ? AND time >= ? AND time < ?').pluck().get(sender, start, end));
    expect(senderRows.every((r) => unwrapId(r.sender_id ?? '') === sender)).toBe(true);
    db.close();
  });

  it('splits large files into parts, each with its header, and the parts add up', async () => {
    const archive = await synced();
    const out = join(tempDir(), 'split');
    const result = await createAuditBundle({ archivePath: archive, outDir: out, scope: { formats: ['csv'] }, maxRowsPerFile: 1_000 });
    const parts = result.files.filter((f) => f.dataset === 'messages');
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.map((p) => p.path)).toEqual(parts.map((_, i) => `data/messages-${String(i + 1).padStart(4, '0')}.csv`));
    expect(parts.every((p) => p.rows <= 1_000 && p.part?.of === parts.length)).toBe(true);
    let total = 0;
    for (const part of parts) total += readCsv(join(out, part.path)).length;
    const db = new Database(archive, { readonly: true });
    expect(total).toBe(db.prepare('SELECT count(*) FROM messages').pluck().get());
    db.close();
    expect(result.files.find((f) => f.dataset === 'users')?.path).toBe('data/users.csv');
    expect((await verifyBundle(out)).ok).toBe(true);
  });

  it('writes hostile text safely: formula starts neutralised, quotes and line breaks round-trip, JSONL exact', async () => {
    const hostile = ["=cmd|' /C calc'!A0", '+1+2', '-3', '@SUM(A1:A2)', '\tTabbed', '\rCR', '\nLF', 'say "hi", then\r\nbye', '😀 مرحبا עולם', 'nul\u0000inside', ' =leading space', ''];
    const dir = tempDir();
    const messages: FixtureMessage[] = hostile.map((text, i) => ({
      chat: '1901318000001615007',
      id: `m${i}`,
      time: Date.UTC(2026, 0, 1, 0, 0, i),
      text,
      sender: { id: '1234567890123456789', name: '=HYPERLINK("x")' },
    }));
    const fixture = buildArchive(dir, { chats: [{ id: '1901318000001615007', kind: 'group', title: '@title, with "quotes"' }], messages });
    const path = fixture.path;
    fixture.close();
    const out = join(tempDir(), 'hostile');
    await createAuditBundle({ archivePath: path, outDir: out, scope: {} });
    const rows = readCsv(join(out, 'data', 'messages.csv'));
    expect(rows.map((r) => r.text)).toEqual(hostile.map((t) => (/^[=+\-@\t\r\n]/.test(t) ? `'${t}` : t)));
    expect(rows.every((r) => r.chat_id === '="1901318000001615007"' && r.sender_id === '="1234567890123456789"')).toBe(true);
    expect(rows[0]?.sender_name).toBe('\'=HYPERLINK("x")');
    expect(rows[0]?.conversation_title).toBe('\'@title, with "quotes"');
    const jsonl = readJsonl(join(out, 'data', 'messages.jsonl')).map((l) => JSON.parse(l) as { text: string; chat_id: string });
    expect(jsonl.map((r) => r.text)).toEqual(hostile);
    expect(jsonl[0]?.chat_id).toBe('1901318000001615007');
  });

  it('a cancelled or failed export leaves nothing, and is recorded as such; a bundle is never overwritten', async () => {
    const archive = await synced();
    const out = join(tempDir(), 'cancelled');
    const controller = new AbortController();
    await expect(createAuditBundle({ archivePath: archive, outDir: out, scope: {}, signal: controller.signal, onProgress: () => controller.abort() })).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(join(out, '..')).filter((f) => f.includes('partial'))).toEqual([]);

    const blocker = join(tempDir(), 'a-file');
    writeFileSync(blocker, 'not a folder');
    await expect(createAuditBundle({ archivePath: archive, outDir: join(blocker, 'bundle'), scope: {} })).rejects.toMatchObject({ code: 'IO_ERROR' });

    const existing = join(tempDir(), 'existing');
    await createAuditBundle({ archivePath: archive, outDir: existing, scope: { formats: ['jsonl'] } });
    await expect(createAuditBundle({ archivePath: archive, outDir: existing, scope: {} })).rejects.toMatchObject({ code: 'USAGE' });
    expect(existsSync(join(existing, 'data', 'messages.csv'))).toBe(false);

    const db = new Database(archive, { readonly: true });
    expect(db.prepare('SELECT status FROM audit_log ORDER BY id').pluck().all()).toEqual(['cancelled', 'failed', 'complete']);
    db.close();
  });

  it('exports while a sync writes: a consistent snapshot, and both seals chain (verify stays clean)', async () => {
    const sim = await simulator({ seed: 9, scale: 'small', latencyMs: 2 });
    const path = join(tempDir(), 'a.sqlite');
    await syncArchive(path, connectionTo(sim, { quotaScale: 1_000 }), { full: false });
    sim.mutate({ seed: 3, newMessages: 50, editMessages: 5 });
    const syncing = syncArchive(path, connectionTo(sim), { full: true });
    const out = join(tempDir(), 'during');
    const result = await createAuditBundle({ archivePath: path, outDir: out, scope: {} });
    await syncing;
    expect((await verifyBundle(out)).ok).toBe(true);
    expect(result.files.length).toBeGreaterThan(0);
    const db = openArchiveDb(path, { readonly: true });
    const report = verifyArchive(db);
    db.close();
    expect(report.problems).toEqual([]);
    expect(report.openSeals).toEqual([]);
  });

  it('verify --bundle catches a changed, added or removed file', async () => {
    const archive = await synced();
    const out = join(tempDir(), 'bundle');
    await createAuditBundle({ archivePath: archive, outDir: out, scope: { kinds: ['direct'] } });
    const original = readFileSync(join(out, 'data', 'users.jsonl'));
    writeFileSync(join(out, 'data', 'users.jsonl'), Buffer.concat([original.subarray(0, 10), Buffer.from('X'), original.subarray(11)]));
    writeFileSync(join(out, 'data', 'extra.csv'), 'x\r\n');
    const report = await verifyBundle(out);
    expect(report.ok).toBe(false);
    expect(report.problems.join('\n')).toMatch(/users\.jsonl does not match its SHA-256/);
    expect(report.problems.join('\n')).toMatch(/extra\.csv is in the bundle but not in SHA256SUMS/);
  });
});
