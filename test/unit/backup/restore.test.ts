import Database from 'better-sqlite3-multiple-ciphers';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../../electron/core/archive/archive';
import { restoreSnapshot } from '../../../electron/core/backup/restore';
import { planRestore } from '../../../electron/core/backup/restorePlan';
import { createSnapshot } from '../../../electron/core/backup/snapshot';
import { verifySnapshot } from '../../../electron/core/backup/verify';
import { canonicalSnapshot } from '../../helpers/archiveCheck';
import { verifyArchive } from '../../../electron/core/archive/sealing/verify';
import { useTempDir } from '../../helpers/tempDir';
import { archiveWith, filesIn, messageIds, minuteClock } from './fixture';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function leaseRow(path: string): unknown {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT holder, pid, host FROM writer_lease').get() ?? null;
  } finally {
    db.close();
  }
}

/** An archive with 20 messages, a snapshot of it, then 10 more messages in the archive. */
async function movedOn(tempDir: () => string) {
  const dir = tempDir();
  const archive = archiveWith(dir, 0, 20);
  const to = tempDir();
  const snapshot = await createSnapshot({ archivePath: archive, toDir: to, clock: minuteClock() });
  archiveWith(dir, 20, 10);
  return { dir, archive, snapshot: snapshot.path, to };
}

describe('restoreSnapshot', () => {
  const tempDir = useTempDir();

  it('swaps the snapshot in, keeps a restorable safety copy of what was there, and releases the lease', async () => {
    const { dir, archive, snapshot } = await movedOn(tempDir);
    const before = canonicalSnapshot(archive);
    expect(messageIds(archive)).toHaveLength(30);

    const report = await restoreSnapshot({ snapshotPath: snapshot, archivePath: archive, clock: { now: () => Date.UTC(2026, 10, 24, 9) } });

    expect(canonicalSnapshot(archive)).toEqual(canonicalSnapshot(snapshot));
    expect(messageIds(archive)).toHaveLength(20);
    expect(report.restored).toMatchObject({ integrity: 'ok', counts: { messages: 20 } });
    expect(report.previous?.counts).toEqual({ messages: 30, conversations: 1 });
    expect(report.safetyCopy).toEqual({ path: join(dir, 'fixture.before-restore-20261124T090000000Z.sqlite'), method: 'online-backup', integrity: 'ok' });
    const safety = report.safetyCopy?.path ?? '';
    expect(canonicalSnapshot(safety)).toEqual(before);
    expect((await verifySnapshot(safety)).ok).toBe(true);
    expect(leaseRow(archive)).toBeNull();
    // The restored archive says, sealed in its own history, that and how it was restored.
    const restored = new Database(archive, { readonly: true });
    const event = restored.prepare("SELECT subject, detail FROM archive_events WHERE kind = 'archive_restored'").get() as { subject: string; detail: string };
    expect(event.subject).toBe(basename(snapshot));
    expect(JSON.parse(event.detail)).toMatchObject({ safetyCopy: report.safetyCopy?.path, snapshotSha256: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown });
    expect(restored.prepare('SELECT kind FROM seals ORDER BY chain_pos DESC LIMIT 1').pluck().get()).toBe('restore');
    expect(verifyArchive(restored).problems).toEqual([]);
    restored.close();
    // Only the archive (with its WAL files once opened), the safety copy and its manifest: no temporary file.
    expect(filesIn(dir).filter((f) => !f.startsWith('fixture.sqlite'))).toEqual([basename(safety).replace('.sqlite', '.json'), basename(safety)]);

    // The safety copy undoes the restore.
    await restoreSnapshot({ snapshotPath: safety, archivePath: archive });
    expect(canonicalSnapshot(archive)).toEqual(before);
  });

  it('refuses a corrupted snapshot (one flipped byte) and changes nothing', async () => {
    const { dir, archive, snapshot } = await movedOn(tempDir);
    const bytes = readFileSync(snapshot);
    bytes[Math.floor(bytes.length / 2)] = (bytes[Math.floor(bytes.length / 2)] ?? 0) ^ 0x01;
    writeFileSync(snapshot, bytes);
    const files = filesIn(dir);
    const hash = sha256(archive);

    await expect(restoreSnapshot({ snapshotPath: snapshot, archivePath: archive })).rejects.toMatchObject({
      code: 'RESTORE_REFUSED',
      message: expect.stringMatching(/cannot be restored: SHA-256 differs from the manifest/) as unknown,
      hint: expect.stringMatching(/Nothing was changed/) as unknown,
    });
    expect(filesIn(dir)).toEqual(files);
    expect(sha256(archive)).toBe(hash);
    expect(messageIds(archive)).toHaveLength(30);
  });

  it('refuses a snapshot of a newer schema, a snapshot of another archive, and the archive itself', async () => {
    const { archive, snapshot } = await movedOn(tempDir);
    const newer = archiveWith(tempDir());
    const db = new Database(newer);
    db.pragma('user_version = 9999');
    db.close();
    const newerSnapshot = await createSnapshot({ archivePath: newer, toDir: tempDir() });
    await expect(restoreSnapshot({ snapshotPath: newerSnapshot.path, archivePath: archive })).rejects.toMatchObject({
      code: 'RESTORE_REFUSED',
      message: expect.stringMatching(/written by a newer Cliq Vault/) as unknown,
    });

    const stranger = await createSnapshot({ archivePath: archiveWith(tempDir()), toDir: tempDir() });
    await expect(restoreSnapshot({ snapshotPath: stranger.path, archivePath: archive })).rejects.toMatchObject({
      code: 'RESTORE_REFUSED',
      message: expect.stringMatching(/snapshot of another archive/) as unknown,
    });
    expect(messageIds(archive)).toHaveLength(30);
    await restoreSnapshot({ snapshotPath: stranger.path, archivePath: archive, allowOtherArchive: true });
    expect(canonicalSnapshot(archive)).toEqual(canonicalSnapshot(stranger.path));

    await expect(restoreSnapshot({ snapshotPath: archive, archivePath: archive })).rejects.toMatchObject({ code: 'RESTORE_REFUSED' });
    expect(existsSync(snapshot)).toBe(true);
  });

  it('exits ARCHIVE_LOCKED while another live process holds the writer lease, and changes nothing', async () => {
    const { dir, archive, snapshot } = await movedOn(tempDir);
    const holder = openArchive(archive);
    // Another process on this host (our parent is alive for the whole test).
    expect(holder.lease.acquire({ holder: 'Cliq Vault desktop', pid: process.ppid, host: hostname() }, 60_000).ok).toBe(true);
    holder.close();
    const files = filesIn(dir);

    await expect(restoreSnapshot({ snapshotPath: snapshot, archivePath: archive })).rejects.toMatchObject({
      code: 'ARCHIVE_LOCKED',
      message: expect.stringMatching(/being written by another process \(Cliq Vault desktop, pid \d+/) as unknown,
    });
    expect(filesIn(dir)).toEqual(files);
    expect(leaseRow(archive)).toMatchObject({ holder: 'Cliq Vault desktop' });
    const plan = await planRestore({ snapshotPath: snapshot, archivePath: archive });
    expect(plan.refusal).toEqual({ code: 'ARCHIVE_LOCKED', reason: expect.stringMatching(/being written by another process/) as unknown });
  });

  it('takes over the lease of a dead process on this host', async () => {
    const { archive, snapshot } = await movedOn(tempDir);
    const holder = openArchive(archive);
    holder.lease.acquire({ holder: 'killed sync', pid: 999_999_999, host: hostname() }, 60_000);
    holder.close();
    await restoreSnapshot({ snapshotPath: snapshot, archivePath: archive });
    expect(messageIds(archive)).toHaveLength(20);
    expect(leaseRow(archive)).toBeNull();
  });

  it('stops, changing nothing, when another process (or connection) has the archive open', async () => {
    const { dir, archive, snapshot } = await movedOn(tempDir);
    const files = filesIn(dir).filter((f) => !f.startsWith('fixture.sqlite-'));
    const reader = new Database(archive, { readonly: true });
    try {
      reader.prepare('SELECT count(*) FROM messages').get();
      await expect(restoreSnapshot({ snapshotPath: snapshot, archivePath: archive })).rejects.toMatchObject({
        code: 'ARCHIVE_LOCKED',
        message: expect.stringMatching(/has .* open/) as unknown,
      });
    } finally {
      reader.close();
    }
    expect(filesIn(dir).filter((f) => !f.startsWith('fixture.sqlite-'))).toEqual(files);
    expect(messageIds(archive)).toHaveLength(30);
    expect(leaseRow(archive)).toBeNull();
  });

  it("never applies the old archive's WAL to the restored file", async () => {
    const { archive, snapshot } = await movedOn(tempDir);
    // A writer that died with a committed frame still in the WAL (a change made after the snapshot).
    const writer = new Database(archive);
    writer.pragma('wal_autocheckpoint = 0');
    writer.exec(`UPDATE messages SET raw_json = '{"written":"after the snapshot"}' WHERE message_id = 'm0'`);
    const crashedWal = join(tempDir(), 'crashed-wal');
    copyFileSync(`${archive}-wal`, crashedWal);
    writer.close();
    copyFileSync(crashedWal, `${archive}-wal`);
    rmSync(`${archive}-shm`, { force: true });

    await restoreSnapshot({ snapshotPath: snapshot, archivePath: archive });
    expect(canonicalSnapshot(archive)).toEqual(canonicalSnapshot(snapshot));
    const db = new Database(archive, { readonly: true });
    expect(db.prepare<[], { raw_json: string }>("SELECT raw_json FROM messages WHERE message_id = 'm0'").get()?.raw_json).toContain('retention note 0');
    db.close();
  });

  it('puts the snapshot in place when there is no archive', async () => {
    const { archive, snapshot } = await movedOn(tempDir);
    rmSync(archive);
    rmSync(`${archive}-wal`, { force: true });
    rmSync(`${archive}-shm`, { force: true });
    const report = await restoreSnapshot({ snapshotPath: snapshot, archivePath: archive });
    expect(report.safetyCopy).toBeNull();
    expect(report.notes.join()).toMatch(/no archive at that path/);
    expect(canonicalSnapshot(archive)).toEqual(canonicalSnapshot(snapshot));
  });

  it('replaces an archive SQLite cannot open, keeping a byte-for-byte copy of it', async () => {
    const { archive, snapshot } = await movedOn(tempDir);
    rmSync(`${archive}-wal`, { force: true });
    rmSync(`${archive}-shm`, { force: true });
    writeFileSync(archive, Buffer.alloc(8192, 0x5a));
    const damaged = sha256(archive);
    const report = await restoreSnapshot({ snapshotPath: snapshot, archivePath: archive });
    expect(report.safetyCopy?.method).toBe('file-copy');
    expect(report.leaseChecked).toBe(false);
    expect(sha256(report.safetyCopy?.path ?? '')).toBe(damaged);
    expect(canonicalSnapshot(archive)).toEqual(canonicalSnapshot(snapshot));
  });

  it('a cancel after the safety copy was made changes nothing and removes what the restore wrote', async () => {
    const { dir, archive, snapshot } = await movedOn(tempDir);
    const files = filesIn(dir).filter((f) => !f.startsWith('fixture.sqlite-'));
    const before = canonicalSnapshot(archive);
    const controller = new AbortController();
    // The clock is read again once the safety copy is in place: cancel then, as Ctrl-C would.
    const clock = {
      now: () => {
        if (readdirSync(dir).some((f) => f.includes('.before-restore-'))) controller.abort();
        return Date.UTC(2026, 10, 24);
      },
    };
    await expect(restoreSnapshot({ snapshotPath: snapshot, archivePath: archive, signal: controller.signal, clock })).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(controller.signal.aborted).toBe(true);
    expect(filesIn(dir).filter((f) => !f.startsWith('fixture.sqlite-'))).toEqual(files);
    // Same content (the lease taken and released and the WAL checkpointed are the only writes).
    expect(canonicalSnapshot(archive)).toEqual(before);
    expect(leaseRow(archive)).toBeNull();
  });

  it('planRestore says what would happen and changes nothing', async () => {
    const { dir, archive, snapshot } = await movedOn(tempDir);
    const hash = sha256(archive);
    const plan = await planRestore({ snapshotPath: snapshot, archivePath: archive });
    expect(plan).toMatchObject({ refusal: null, safetyCopyDir: dir, current: { state: 'present', lease: null, facts: { counts: { messages: 30 } } } });
    expect(plan.verification.ok).toBe(true);
    // (A read-only connection leaves SQLite's empty -wal/-shm beside the archive; nothing else.)
    expect(filesIn(dir).filter((f) => !f.startsWith('fixture.sqlite-'))).toEqual(['fixture.sqlite']);
    expect(sha256(archive)).toBe(hash);
    expect(messageIds(archive)).toHaveLength(30);
  });
});
