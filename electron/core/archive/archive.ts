import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { openArchiveDb, type OpenOptions } from './connection';
import { createEntityStores, type EntityStores } from './entityStore';
import { LeaseRepo } from './leaseRepo';
import { MembershipsRepo } from './membershipsRepo';
import { MessagesRepo } from './messagesRepo';
import { MetaRepo } from './metaRepo';
import { RunsRepo } from './runsRepo';
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
  readonly syncState: SyncStateRepo;
  readonly lease: LeaseRepo;
  /** Runs `fn` in one IMMEDIATE transaction. `fn` must be synchronous: never await inside. */
  transaction<T>(fn: () => T): T;
  close(): void;
}

export function openArchive(
  path: string,
  options: OpenOptions & { clock?: () => number; isAlive?: (pid: number) => boolean } = {},
): Archive {
  const db = openArchiveDb(path, { create: options.create ?? true, readonly: false });
  const clock = options.clock ?? Date.now;
  const meta = new MetaRepo(db);
  if (meta.get('archive.id') === undefined) {
    db.transaction(() => {
      meta.set('archive.id', randomUUID());
      meta.set('archive.created_at', String(clock()));
    }).immediate();
  }
  return {
    path,
    db,
    meta,
    runs: new RunsRepo(db),
    entities: createEntityStores(db),
    messages: new MessagesRepo(db),
    memberships: new MembershipsRepo(db),
    syncState: new SyncStateRepo(db),
    lease: new LeaseRepo(db, options.isAlive ?? pidIsAlive, clock),
    transaction: <T>(fn: () => T): T => db.transaction(fn).immediate(),
    close: () => db.close(),
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
