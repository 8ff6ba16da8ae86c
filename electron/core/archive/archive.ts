import type Database from 'better-sqlite3-multiple-ciphers';
import { randomUUID } from 'node:crypto';
import { VaultError } from '../../../shared/errors';
import { systemClock, type Clock } from '../util/clock';
import { testPausePoint } from '../util/testPause';
import { assertIntact, openArchiveDb, type OpenOptions } from './connection';
import { AttachmentsRepo } from './attachmentsRepo';
import { ChannelRolesRepo } from './channelRolesRepo';
import { GroupCommit } from './groupCommit';
import { DirectoryRepo } from './directoryRepo';
import { CallsRepo } from './callsRepo';
import { createEntityStores, type EntityStores } from './entityStore';
import { ScheduledRepo } from './scheduledRepo';
import { LeaseRepo } from './leaseRepo';
import { MembershipsRepo } from './membershipsRepo';
import { MessagesRepo } from './messagesRepo';
import { MetaRepo } from './metaRepo';
import { ReactionsRepo } from './reactionsRepo';
import { RunsRepo } from './runsRepo';
import { Sealer } from './sealing/sealer';
import { StickyRepo } from './stickyRepo';
import { SyncStateRepo } from './syncStateRepo';

/** An open archive for writing: the connection and its repositories, statements prepared once. */
export interface Archive {
  readonly path: string;
  readonly db: Database.Database;
  readonly meta: MetaRepo;
  readonly runs: RunsRepo;
  readonly entities: EntityStores;
  readonly messages: MessagesRepo;
  readonly memberships: MembershipsRepo;
  /** Files referenced by stored messages, and whether the file store holds them (migration 0060). */
  readonly attachments: AttachmentsRepo;
  /** The org directory: departments, designations, roles, teams and who belonged when (migration 0063). */
  readonly directory: DirectoryRepo;
  /** Calls' participant listings, and scheduled messages' fates (migration 0065). */
  readonly calls: CallsRepo;
  readonly scheduled: ScheduledRepo;
  /** Reactions of stored messages and the per-message check state (migration 0064). */
  readonly reactions: ReactionsRepo;
  /** The pinned message of each conversation, as a history (migration 0064). */
  readonly sticky: StickyRepo;
  /** Channel member roles and channel permission objects, as intervals (migration 0064). */
  readonly channelRoles: ChannelRolesRepo;
  readonly syncState: SyncStateRepo;
  readonly lease: LeaseRepo;
  /** Tamper evidence: the open seal, row hashes and live digests (sealing/sealer.ts). */
  readonly sealer: Sealer;
  /** Runs `fn` in one IMMEDIATE transaction. `fn` must be synchronous: never await inside. */
  transaction<T>(fn: () => T): T;
  /**
   * Until `end()`, transactions become savepoints of a shared transaction that commits every
   * `maxMs` (groupCommit.ts): for the sync, whose many small units would otherwise rewrite the
   * same pages at every commit. `end()` commits what is pending.
   */
  groupCommits(maxMs: number): { end(): void };
  /**
   * Commits the open group now, if commits are grouped: for a unit whose loss would cost far more
   * than a commit (a downloaded file's record: losing it means downloading the file again).
   */
  commitNow(): void;
  close(): void;
}

export function openArchive(
  path: string,
  options: OpenOptions & {
    clock?: Pick<Clock, 'now'>;
    isAlive?: (pid: number) => boolean;
    /**
     * Skip the PRAGMA quick_check a writer runs first (2–10 s on a million messages). Only for a
     * completed audit export recording itself: it has just read what it exported without meeting
     * damage, and the one row it adds touches nothing but the audit log's pages. Sync, restore
     * and a failed export always check.
     */
    justRead?: boolean;
  } = {},
): Archive {
  const db = openArchiveDb(path, { create: options.create ?? true, readonly: false });
  try {
    if (options.justRead !== true) assertIntact(db, path);
  } catch (error) {
    db.close();
    throw error;
  }
  const clock = options.clock ?? systemClock;
  const sealer = new Sealer(db);
  const meta = new MetaRepo(db, sealer);
  const messages = new MessagesRepo(db, sealer);
  if (meta.get('archive.id') === undefined) {
    db.transaction(() => {
      meta.set('archive.id', randomUUID());
      meta.set('archive.created_at', String(clock.now()));
    }).immediate();
  }
  let group: GroupCommit | undefined;
  return {
    path,
    db,
    meta,
    runs: new RunsRepo(db),
    entities: createEntityStores(db, sealer),
    messages,
    memberships: new MembershipsRepo(db, sealer),
    attachments: new AttachmentsRepo(db, sealer),
    directory: new DirectoryRepo(db, sealer),
    calls: new CallsRepo(db),
    scheduled: new ScheduledRepo(db, sealer),
    reactions: new ReactionsRepo(db, sealer),
    sticky: new StickyRepo(db, sealer),
    channelRoles: new ChannelRolesRepo(db, sealer),
    syncState: new SyncStateRepo(db),
    lease: new LeaseRepo(db, options.isAlive ?? pidIsAlive, clock),
    sealer,
    transaction: <T>(fn: () => T): T => {
      group?.enter();
      try {
        // The seal digests of the rows this transaction wrote are written in it, before commit.
        const result = db
          .transaction(() => {
            const value = fn();
            testPausePoint('archive:unit');
            sealer.flush();
            return value;
          })
          .immediate();
        sealer.committed();
        messages.unitEnded(true);
        return result;
      } catch (error) {
        sealer.rolledBack();
        messages.unitEnded(false);
        throw error;
      }
    },
    groupCommits: (maxMs: number) => {
      if (group) throw new VaultError('INTERNAL', 'Commits are already grouped.');
      const current = new GroupCommit(db, maxMs, () => messages.indexDeferred());
      group = current;
      messages.deferIndexing(true);
      const end = () => {
        if (group !== current) return;
        group = undefined;
        try {
          current.commit();
        } finally {
          messages.deferIndexing(false);
        }
      };
      return { end };
    },
    commitNow: () => group?.commit(),
    close: () => {
      const pending = group;
      group = undefined;
      try {
        pending?.commit();
      } finally {
        messages.deferIndexing(false);
        db.close();
      }
    },
  };
}

/** Whether a process with this pid exists on this host (EPERM means it exists but is not ours). */
export function pidIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
