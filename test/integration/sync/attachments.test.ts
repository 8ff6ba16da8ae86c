import Database from 'better-sqlite3-multiple-ciphers';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFileStore } from '../../../electron/core/files/store';
import { syncArchive } from '../../../electron/core/createCore';
import { exportJsonl } from '../../../electron/core/export/jsonlExport';
import { exchangeGrantCode } from '../../../electron/core/cliq/oauth';
import { archiverScopes } from '../../../shared/cliqScopes';
import { archiveAtSchema } from '../../reliability/pauses';
import { connectionTo, useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

interface Row {
  chat_id: string;
  message_id: string;
  file_id: string;
  file_name: string | null;
  status: string;
  sha256: string | null;
  bytes: number | null;
  attempts: number;
  next_attempt_at: number | null;
}

function attachments(path: string): Row[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare<[], Row>('SELECT chat_id, message_id, file_id, file_name, status, sha256, bytes, attempts, next_attempt_at FROM attachments ORDER BY message_key').all();
  } finally {
    db.close();
  }
}

/** Every file the archive's messages reference, as (chat, message, file). */
function referenced(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return db
      .prepare<[], { k: string }>("SELECT chat_id || ' ' || message_id || ' ' || file_id AS k FROM messages WHERE file_id IS NOT NULL")
      .all()
      .map((r) => r.k)
      .sort();
  } finally {
    db.close();
  }
}

const keyOf = (r: { chat_id: string; message_id: string; file_id: string }) => `${r.chat_id} ${r.message_id} ${r.file_id}`;

describe('sync: attachments over F1', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('stores every readable referenced file with its exact SHA-256, records the rest, and never downloads one again', async () => {
    const sim = await simulator({ seed: 6, scale: 'tiny' });
    const path = join(tempDir(), 'a.sqlite');
    const first = await syncArchive(path, connectionTo(sim), { files: 'all' });
    expect(first.status).toBe('complete');

    const rows = attachments(path);
    expect(rows.map(keyOf).sort(), 'one row per file a stored message references').toEqual(referenced(path));
    const truth = new Map(sim.files().map((f) => [f.file_id, f]));
    const stored = rows.filter((r) => r.status === 'stored');
    expect(stored.length).toBeGreaterThan(0);
    const store = openFileStore(path);
    for (const row of stored) {
      const file = truth.get(row.file_id);
      expect(file, row.file_id).toBeDefined();
      expect(row.sha256).toBe(sim.fileSha256(row.file_id));
      expect(row.bytes).toBe(file?.size);
      expect(row.file_name).toBe(file?.name);
      expect(await store.has(row.sha256 ?? '')).toBe(true);
    }
    // What is not stored is recorded with its reason (files outside the admin's conversations
    // answer 403), and a refused file waits for its backoff.
    expect(rows.some((r) => r.status === 'forbidden')).toBe(true);
    for (const row of rows.filter((r) => r.status !== 'stored')) {
      expect(['forbidden', 'not_found']).toContain(row.status);
      if (row.status === 'forbidden') expect(row.next_attempt_at).not.toBeNull();
    }
    expect(first.counts.filesStored).toBe(stored.length);
    expect(first.counts.filesUnavailable).toBe(rows.length - stored.length);
    expect(first.calls['files.get']).toBe(rows.length);

    const second = await syncArchive(path, connectionTo(sim), { files: 'all' });
    expect(second.status).toBe('complete');
    expect(second.calls['files.get'] ?? 0, 'a re-sync downloads nothing').toBe(0);
    expect(attachments(path)).toEqual(rows);

    // export --what attachments: every record, one JSON line each, ids as strings, in key order.
    const out = join(tempDir(), 'attachments.jsonl');
    const db = new Database(path, { readonly: true });
    try {
      expect((await exportJsonl(db, 'attachments', out)).rows).toBe(rows.length);
    } finally {
      db.close();
    }
    const lines = readFileSync(out, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { chat_id: string; message_id: string; file_id: string; status: string; sha256: string | null });
    // SQLite's ORDER BY on TEXT is binary: compare the same way.
    const binary = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
    const byKey = (a: { chat_id: string; message_id: string; file_id: string }, b: typeof a) => binary(a.chat_id, b.chat_id) || binary(a.message_id, b.message_id) || binary(a.file_id, b.file_id);
    expect(lines.map(keyOf)).toEqual([...rows].sort(byKey).map(keyOf));
    for (const line of lines) {
      expect(typeof line.file_id).toBe('string');
      const row = rows.find((r) => keyOf(r) === keyOf(line));
      expect([line.status, line.sha256]).toEqual([row?.status, row?.sha256]);
    }
  });

  it('export --what attachments refuses an archive that predates them, and writes nothing', async () => {
    const dir = tempDir();
    const path = join(dir, 'old.sqlite');
    archiveAtSchema(path, 50);
    const db = new Database(path, { readonly: true });
    try {
      await expect(exportJsonl(db, 'attachments', join(dir, 'a.jsonl'))).rejects.toMatchObject({ code: 'USAGE', hint: 'Run a sync of this archive first: it upgrades the archive and records them.' });
    } finally {
      db.close();
    }
    expect(readdirSync(dir).filter((name) => !name.startsWith('old.sqlite'))).toEqual([]);
  });

  it('with files none marks them skipped; a later sync with all fetches them, and a deleted message’s file is not_found', async () => {
    const sim = await simulator({ seed: 6, scale: 'tiny', clock: 'manual' });
    const path = join(tempDir(), 'a.sqlite');
    const first = await syncArchive(path, connectionTo(sim), { files: 'none' });
    expect(first.status).toBe('complete');
    expect(first.calls['files.get'] ?? 0).toBe(0);
    const skipped = attachments(path);
    expect(skipped.length).toBeGreaterThan(0);
    expect(new Set(skipped.map((r) => r.status))).toEqual(new Set(['skipped']));
    expect(first.counts.filesSkipped).toBe(skipped.length);

    // Messages deleted on the server meanwhile: their files answer 404 when they are fetched.
    sim.advance(60_000);
    const result = sim.mutate({ seed: 2, deleteMessages: 60 });
    const deleted = new Set(result.deleted.map((d) => `${d.chatId} ${d.messageId}`));
    const gone = new Set(skipped.filter((r) => deleted.has(`${r.chat_id} ${r.message_id}`)).map(keyOf));
    expect(gone.size, 'the seeded mutation deletes file messages').toBeGreaterThan(0);

    // A limit leaves the bigger files out without a call; the policy widened fetches the rest.
    const sizes = sim
      .files()
      .map((f) => f.size)
      .sort((x, y) => x - y);
    const limit = sizes[Math.floor(sizes.length / 2)] ?? 0;
    const limited = await syncArchive(path, connectionTo(sim), { files: 'all', filesMaxBytes: limit });
    const afterLimit = attachments(path);
    const big = afterLimit.filter((r) => r.status === 'too_large');
    expect(big.length).toBeGreaterThan(0);
    for (const row of big.filter((r) => !gone.has(keyOf(r)))) expect(sim.files().find((f) => f.file_id === row.file_id)?.size ?? 0).toBeGreaterThan(limit);
    expect(limited.calls['files.get']).toBe(afterLimit.filter((r) => r.status !== 'too_large').length);

    const widened = await syncArchive(path, connectionTo(sim), { files: 'all' });
    expect(widened.calls['files.get']).toBe(big.length);
    const final = attachments(path);
    expect(final.filter((r) => r.status === 'skipped' || r.status === 'too_large')).toEqual([]);
    for (const row of final) {
      if (gone.has(keyOf(row))) expect(row.status).toBe('not_found');
      else if (row.status === 'stored') expect(row.sha256).toBe(sim.fileSha256(row.file_id));
      else expect(row.status).toBe('forbidden');
    }
    expect(final.some((r) => r.status === 'stored')).toBe(true);
  });

  it('downloads files by default, keeping the served bytes when a message declares a rounded size, with a note', async () => {
    const sim = await simulator({ seed: 6, scale: 'tiny', fileSizes: { roundedShare: 0.5 } });
    const path = join(tempDir(), 'a.sqlite');
    const report = await syncArchive(path, connectionTo(sim));
    expect(report.status, 'a size difference describes Cliq, it does not make the run partial').toBe('complete');
    const differing = sim.files().filter((f) => f.size !== f.declaredSize);
    expect(differing.length, 'the seed rounds some declared sizes').toBeGreaterThan(0);
    const rows = new Map(attachments(path).map((r) => [r.file_id, r]));
    const storedDiffering = differing.filter((f) => rows.get(f.file_id)?.status === 'stored');
    expect(storedDiffering.length).toBeGreaterThan(0);
    for (const file of storedDiffering) {
      expect(rows.get(file.file_id)?.bytes).toBe(file.size);
      expect(rows.get(file.file_id)?.sha256).toBe(sim.fileSha256(file.file_id));
    }
    const notes = report.errors.filter((e) => e.code === 'FILE_SIZE_DIFFERS');
    expect(notes.length).toBe(Math.min(storedDiffering.length, 10) + (storedDiffering.length > 10 ? 1 : 0));
    expect(notes[0]?.message).toMatch(/declares \d+ bytes, Cliq served \d+; the served bytes are kept/);
  });

  it('a token without Attachments.READ archives the messages and leaves the files for later (403: a note, the run complete)', async () => {
    const sim = await simulator({ seed: 6, scale: 'tiny' });
    const client = { clientId: sim.admin.clientId, clientSecret: sim.admin.clientSecret };
    const code = sim.issueGrantCode(archiverScopes.filter((scope) => scope !== 'ZohoCliq.Attachments.READ'));
    const { refreshToken } = await exchangeGrantCode({ accountsBase: sim.accountsBase, credentials: client, code });
    const path = join(tempDir(), 'a.sqlite');
    const report = await syncArchive(path, connectionTo(sim, { credentials: { ...client, refreshToken } }));
    expect(report.status).toBe('complete');
    expect(report.counts.messagesNew).toBeGreaterThan(0);
    const rows = attachments(path);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['forbidden']));
    for (const row of rows) expect(row.next_attempt_at, 'each is tried again after its backoff').not.toBeNull();
    const note = report.errors.find((e) => e.code === 'FILES_ALL_FORBIDDEN');
    expect(note?.message).toContain(`all ${rows.length} file downloads`);
    expect(note?.message).toContain('ZohoCliq.Attachments.READ');
  });

  it('a token Cliq rejects for downloads (401) stops only the file lane: messages archived, files still pending', async () => {
    const sim = await simulator({ seed: 6, scale: 'tiny', missingScopeStatus: 401 });
    const client = { clientId: sim.admin.clientId, clientSecret: sim.admin.clientSecret };
    const code = sim.issueGrantCode(archiverScopes.filter((scope) => scope !== 'ZohoCliq.Attachments.READ'));
    const { refreshToken } = await exchangeGrantCode({ accountsBase: sim.accountsBase, credentials: client, code });
    const path = join(tempDir(), 'a.sqlite');
    const report = await syncArchive(path, connectionTo(sim, { credentials: { ...client, refreshToken } }));
    expect(report.status, 'another run (after re-authorising) can do better').toBe('partial');
    expect(report.fatal).toBeUndefined();
    expect(report.counts.messagesNew).toBeGreaterThan(0);
    expect(report.errors.map((e) => e.code)).toContain('FILES_NOT_AUTHORISED');
    const rows = attachments(path);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.status !== 'pending' || r.attempts !== 0)).toEqual([]);

    // Re-authorised with the scope: the next sync fetches them.
    const again = await syncArchive(path, connectionTo(sim));
    expect(again.status).toBe('complete');
    expect(attachments(path).filter((r) => r.status === 'pending')).toEqual([]);
    expect(again.counts.filesStored).toBeGreaterThan(0);
  });
});
