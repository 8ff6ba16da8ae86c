import Database from 'better-sqlite3-multiple-ciphers';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { isVaultError } from '../../../shared/errors';
import { pidIsAlive } from '../archive/archive';
import type { LeaseHolder } from '../archive/leaseRepo';
import { systemClock, type Clock } from '../util/clock';
import { readFacts, type CopyFacts } from './onlineCopy';
import { openSourceReadOnly } from './snapshot';
import { verifySnapshot, type SnapshotVerification } from './verify';

/** What a restore would do, found without changing anything (the CLI shows it without --yes). */
export interface RestorePlan {
  archivePath: string;
  snapshotPath: string;
  verification: SnapshotVerification;
  current: { state: 'missing' } | { state: 'unreadable'; reason: string } | { state: 'present'; facts: CopyFacts; lease: (LeaseHolder & { expiresAt: number }) | null };
  /** The folder the safety copy of the current archive would be written to (beside it). */
  safetyCopyDir: string;
  /** Why the restore would be refused, if it would be, with the code the restore would fail with. */
  refusal: { code: 'RESTORE_REFUSED' | 'ARCHIVE_LOCKED'; reason: string } | null;
}

/** Looks at the snapshot and the current archive (read-only) and says what a restore would do. */
export async function planRestore(options: {
  snapshotPath: string;
  archivePath: string;
  allowOtherArchive?: boolean;
  signal?: AbortSignal;
  clock?: Pick<Clock, 'now'>;
  isAlive?: (pid: number) => boolean;
}): Promise<RestorePlan> {
  const archivePath = resolve(options.archivePath);
  const snapshotPath = resolve(options.snapshotPath);
  const verification = await verifySnapshot(snapshotPath, options.signal);
  const refused = (reason: string | null, code: 'RESTORE_REFUSED' | 'ARCHIVE_LOCKED' = 'RESTORE_REFUSED') => (reason === null ? null : { code, reason });
  let refusal = refused(snapshotRefusal(verification, archivePath));
  let current: RestorePlan['current'] = { state: 'missing' };
  if (existsSync(archivePath)) {
    let db: Database.Database | undefined;
    try {
      db = openSourceReadOnly(archivePath);
      const facts = readFacts(db);
      const lease = liveLease(db, options.clock ?? systemClock, options.isAlive ?? pidIsAlive);
      current = { state: 'present', facts, lease };
      refusal ??= refused(otherArchiveRefusal(facts.archiveId, verification, options.allowOtherArchive ?? false));
      if (lease) refusal ??= refused(`the archive is being written by another process (${describeHolder(lease)})`, 'ARCHIVE_LOCKED');
    } catch (error) {
      if (!isVaultError(error)) throw error;
      current = { state: 'unreadable', reason: error.message };
    } finally {
      db?.close();
    }
  }
  return { archivePath, snapshotPath, verification, current, safetyCopyDir: dirname(archivePath), refusal };
}

/** Why this snapshot must not replace the archive at `archivePath`, or null. */
export function snapshotRefusal(verification: SnapshotVerification, archivePath: string): string | null {
  if (verification.path === archivePath) return 'it is the archive itself';
  return verification.ok ? null : verification.problems.join('; ');
}

/** A snapshot of another archive (another archive id) is refused unless asked for. */
export function otherArchiveRefusal(currentId: string | null, verification: SnapshotVerification, allow: boolean): string | null {
  const snapshotId = verification.facts?.archiveId ?? null;
  if (allow || currentId === null || snapshotId === null || currentId === snapshotId) return null;
  return `it is a snapshot of another archive (id ${snapshotId}; this archive is ${currentId})`;
}

export function describeHolder(holder: LeaseHolder): string {
  return `${holder.holder}, pid ${holder.pid} on ${holder.host}`;
}

/** The writer lease as another live process holds it now, read without writing. */
function liveLease(db: Database.Database, clock: Pick<Clock, 'now'>, isAlive: (pid: number) => boolean): (LeaseHolder & { expiresAt: number }) | null {
  let row: { holder: string; pid: number; host: string; expires_at: number } | undefined;
  try {
    row = db.prepare<[], NonNullable<typeof row>>('SELECT holder, pid, host, expires_at FROM writer_lease WHERE id = 1').get();
  } catch (error) {
    // An archive of a schema without the lease table has no writer to report.
    if (error instanceof Database.SqliteError) return null;
    throw error;
  }
  if (!row || row.expires_at <= clock.now()) return null;
  if (row.host === hostname() && (row.pid === process.pid || !isAlive(row.pid))) return null;
  return { holder: row.holder, pid: row.pid, host: row.host, expiresAt: row.expires_at };
}
