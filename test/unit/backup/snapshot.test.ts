import Database from 'better-sqlite3-multiple-ciphers';
import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { fileFailure } from '../../../electron/core/backup/files';
import { snapshotManifestSchema } from '../../../electron/core/backup/manifest';
import { createSnapshot } from '../../../electron/core/backup/snapshot';
import { verifySnapshot } from '../../../electron/core/backup/verify';
import { VaultError } from '../../../shared/errors';
import { canonicalSnapshot } from '../../helpers/archiveCheck';
import { useTempDir } from '../../helpers/tempDir';
import { archiveWith, filesIn, minuteClock } from './fixture';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

async function rejection(promise: Promise<unknown>): Promise<VaultError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VaultError);
  return error as VaultError;
}

describe('createSnapshot', () => {
  const tempDir = useTempDir();

  it('writes <archive>-<UTC>.sqlite and a manifest that describes it exactly', async () => {
    const archive = archiveWith(tempDir());
    const to = tempDir();
    const result = await createSnapshot({ archivePath: archive, toDir: to, clock: minuteClock() });

    expect(filesIn(to)).toEqual(['fixture-20261123T023100000Z.json', 'fixture-20261123T023100000Z.sqlite']);
    expect(result.path).toBe(join(to, 'fixture-20261123T023100000Z.sqlite'));
    const manifest = snapshotManifestSchema.parse(JSON.parse(readFileSync(result.manifestPath, 'utf8')));
    const db = new Database(archive, { readonly: true });
    const archiveId = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'archive.id'").get()?.value;
    const schema = db.pragma('user_version', { simple: true });
    db.close();
    expect(manifest).toMatchObject({
      kind: 'snapshot',
      file: 'fixture-20261123T023100000Z.sqlite',
      sourcePath: archive,
      archiveId,
      schemaVersion: schema,
      createdAt: '2026-11-23T02:31:00.000Z',
      integrity: 'ok',
      sha256: sha256(result.path),
      sizeBytes: readFileSync(result.path).length,
      counts: { messages: 20, conversations: 1 },
      lastSyncRun: { id: 1, status: 'running' },
    });
    expect(canonicalSnapshot(result.path)).toEqual(canonicalSnapshot(archive));
    // One self-contained file: opening it read-only creates nothing and changes nothing.
    expect(new Database(result.path, { readonly: true }).pragma('journal_mode', { simple: true })).toBe('delete');
    expect(filesIn(to)).toHaveLength(2);
    expect((await verifySnapshot(result.path)).problems).toEqual([]);
  });

  it('never writes to the archive it copies', async () => {
    const archive = archiveWith(tempDir());
    const before = sha256(archive);
    await createSnapshot({ archivePath: archive, toDir: tempDir() });
    expect(sha256(archive)).toBe(before);
  });

  it('names snapshots from the archive file name only, made safe; two in the same millisecond never overwrite', async () => {
    const dir = tempDir();
    const archive = archiveWith(dir);
    const odd = join(dir, 'Acme (EU) ☃ archive.sqlite');
    renameSync(archive, odd);
    const to = tempDir();
    const fixed = { now: () => Date.UTC(2026, 10, 23, 2, 30) };
    const first = await createSnapshot({ archivePath: odd, toDir: to, clock: fixed });
    const second = await createSnapshot({ archivePath: odd, toDir: to, clock: fixed });
    expect(first.path).toBe(join(to, 'Acme__EU____archive-20261123T023000000Z.sqlite'));
    expect(second.path).toBe(join(to, 'Acme__EU____archive-20261123T023000000Z-2.sqlite'));
    expect(filesIn(to)).toHaveLength(4);
  });

  it('a write between two steps restarts the copy once; the rest is copied in one step and holds the write', async () => {
    const dir = tempDir();
    const archive = archiveWith(dir, 0, 300);
    let steps = 0;
    const result = await createSnapshot({
      archivePath: archive,
      toDir: tempDir(),
      pagesPerStep: 2,
      onProgress: () => {
        steps += 1;
        // A few pages in, another connection commits: SQLite restarts the copy at its next step.
        if (steps === 3) archiveWith(dir, 300, 5);
      },
    });
    expect(result.restarts).toBe(1);
    expect(result.manifest.counts?.messages).toBe(305);
    expect(canonicalSnapshot(result.path)).toEqual(canonicalSnapshot(archive));
  });

  it('copies an archive written by a newer Cliq Vault (restore is what refuses it)', async () => {
    const archive = archiveWith(tempDir());
    const db = new Database(archive);
    db.pragma('user_version = 9999');
    db.close();
    const result = await createSnapshot({ archivePath: archive, toDir: tempDir() });
    expect(result.manifest.schemaVersion).toBe(9999);
    const verified = await verifySnapshot(result.path);
    expect(verified.ok).toBe(false);
    expect(verified.problems.join()).toMatch(/written by a newer Cliq Vault \(schema 9999/);
  });

  it('refuses a missing or non-folder --to before doing anything, and leaves nothing', async () => {
    const archive = archiveWith(tempDir());
    const parent = tempDir();
    const missing = await rejection(createSnapshot({ archivePath: archive, toDir: join(parent, 'nope') }));
    expect(missing.code).toBe('IO_ERROR');
    expect(missing.message).toMatch(/backup folder .*nope does not exist/);
    expect(missing.hint).toMatch(/mkdir -p/);
    writeFileSync(join(parent, 'file'), 'x');
    const notDir = await rejection(createSnapshot({ archivePath: archive, toDir: join(parent, 'file') }));
    expect(notDir.code).toBe('IO_ERROR');
    expect(filesIn(parent)).toEqual(['file']);
  });

  it('refuses a folder it may not write to', async () => {
    const archive = archiveWith(tempDir());
    // Permission bits do not stop root (CI runs as root); /proc/self is a folder nobody may write to.
    const asRoot = process.getuid?.() === 0;
    const to = asRoot ? '/proc/self' : tempDir();
    const { chmodSync } = await import('node:fs');
    if (!asRoot) chmodSync(to, 0o555);
    const before = filesIn(to);
    try {
      const error = await rejection(createSnapshot({ archivePath: archive, toDir: to }));
      expect(error.code).toBe('IO_ERROR');
      expect(error.hint).toMatch(/permissions|may write/);
      expect(filesIn(to)).toEqual(before);
    } finally {
      if (!asRoot) chmodSync(to, 0o755);
    }
  });

  it('a missing archive is ARCHIVE_NOT_FOUND; a file that is not SQLite is NOT_AN_ARCHIVE', async () => {
    const dir = tempDir();
    expect((await rejection(createSnapshot({ archivePath: join(dir, 'none.sqlite'), toDir: dir }))).code).toBe('ARCHIVE_NOT_FOUND');
    writeFileSync(join(dir, 'junk.sqlite'), 'not a database, just words '.repeat(200));
    const junk = await rejection(createSnapshot({ archivePath: join(dir, 'junk.sqlite'), toDir: tempDir() }));
    expect([junk.code, junk.message]).toEqual(['NOT_AN_ARCHIVE', `${join(dir, 'junk.sqlite')} is not a Cliq Vault archive (it is not an SQLite database) — check the path.`]);
  });

  it('a cancel in the middle of the copy leaves nothing behind', async () => {
    const archive = archiveWith(tempDir(), 0, 400);
    const to = tempDir();
    const controller = new AbortController();
    let steps = 0;
    const error = await rejection(
      createSnapshot({
        archivePath: archive,
        toDir: to,
        pagesPerStep: 1,
        signal: controller.signal,
        onProgress: ({ remainingPages }) => {
          steps += 1;
          expect(remainingPages).toBeGreaterThan(0);
          if (steps === 3) controller.abort();
        },
      }),
    );
    expect(error.code).toBe('CANCELLED');
    expect(steps).toBe(3);
    expect(filesIn(to)).toEqual([]);
  });

  it('any failure during the copy is BACKUP_FAILED and leaves nothing behind', async () => {
    const archive = archiveWith(tempDir(), 0, 400);
    const to = tempDir();
    const error = await rejection(
      createSnapshot({
        archivePath: archive,
        toDir: to,
        pagesPerStep: 1,
        onProgress: () => {
          throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
        },
      }),
    );
    expect(error.code).toBe('BACKUP_FAILED');
    expect(error.message).toMatch(/database or disk is full \(SQLITE_FULL\)/);
    expect(error.hint).toMatch(/disk is full/);
    expect(filesIn(to)).toEqual([]);
  });

  it('refuses a copy that fails integrity_check (a damaged archive), leaving nothing', async () => {
    const archive = archiveWith(tempDir(), 0, 200);
    // Damage one index page of the archive: SQLite still opens it, integrity_check does not pass.
    const db = new Database(archive);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const root = db.prepare<[], { rootpage: number }>("SELECT rootpage FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages' LIMIT 1").get()?.rootpage;
    db.close();
    expect(root).toBeGreaterThan(1);
    const bytes = readFileSync(archive);
    bytes.fill(0xff, ((root ?? 0) - 1) * pageSize, ((root ?? 0) - 1) * pageSize + 16);
    writeFileSync(archive, bytes);

    const to = tempDir();
    const error = await rejection(createSnapshot({ archivePath: archive, toDir: to }));
    expect(error.code).toBe('BACKUP_FAILED');
    expect(error.message).toMatch(/failed PRAGMA integrity_check/);
    expect(error.hint).toMatch(/restore the last good snapshot/);
    expect(filesIn(to)).toEqual([]);
  });

  it('removes temporary files of backups that died on this host, and only those', async () => {
    const archive = archiveWith(tempDir());
    const to = tempDir();
    const host = hostname()
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(0, 32);
    const dead = `.cliq-vault-partial-${host}-999999999-0badc0de.sqlite`;
    const live = `.cliq-vault-partial-${host}-${process.ppid}-0badc0de.sqlite`;
    const elsewhere = '.cliq-vault-partial-otherhost-999999999-0badc0de.sqlite';
    for (const name of [dead, `${dead}-journal`, live, elsewhere, 'notes.txt']) writeFileSync(join(to, name), 'x');
    const result = await createSnapshot({ archivePath: archive, toDir: to });
    expect(result.removedPartials.sort()).toEqual([dead, `${dead}-journal`]);
    expect(filesIn(to)).toEqual([live, elsewhere, basename(result.manifestPath), basename(result.path), 'notes.txt'].sort());
  });

  it('--keep must be at least 1', async () => {
    const archive = archiveWith(tempDir());
    const error = await rejection(createSnapshot({ archivePath: archive, toDir: tempDir(), keep: 0 }));
    expect(error.code).toBe('USAGE');
  });
});

describe('file failures', () => {
  it('say the disk is full for ENOSPC and SQLITE_FULL, and keep VaultErrors as they are', () => {
    for (const code of ['ENOSPC', 'SQLITE_FULL']) {
      const error = fileFailure('BACKUP_FAILED', 'Could not write', Object.assign(new Error('no space'), { code }), 'fallback');
      expect(error.code).toBe('BACKUP_FAILED');
      expect(error.hint).toMatch(/disk is full/);
    }
    const cancelled = new VaultError('CANCELLED', 'Cancelled.');
    expect(fileFailure('BACKUP_FAILED', 'x', cancelled, 'y')).toBe(cancelled);
  });
});

describe('verifySnapshot', () => {
  const tempDir = useTempDir();

  it('finds a flipped byte, a missing manifest, and a manifest that was edited', async () => {
    const archive = archiveWith(tempDir());
    const to = tempDir();
    const { path, manifestPath } = await createSnapshot({ archivePath: archive, toDir: to });
    expect((await verifySnapshot(path)).ok).toBe(true);

    const original = readFileSync(path);
    const flipped = Buffer.from(original);
    flipped[flipped.length - 100] = (flipped[flipped.length - 100] ?? 0) ^ 0xff;
    writeFileSync(path, flipped);
    expect((await verifySnapshot(path)).problems).toContain('SHA-256 differs from the manifest: the file changed after it was made');
    writeFileSync(path, original);

    const manifest = readFileSync(manifestPath, 'utf8');
    writeFileSync(manifestPath, manifest.replace(/"sizeBytes": \d+/, '"sizeBytes": 1'));
    expect((await verifySnapshot(path)).problems.join()).toMatch(/size is \d+ bytes, the manifest says 1/);
    renameSync(manifestPath, `${manifestPath}.away`);
    expect((await verifySnapshot(path)).problems).toEqual(['no manifest (.json) beside it']);
    expect((await verifySnapshot(join(to, 'nothing.sqlite'))).problems).toEqual(['no such file']);
  });
});
