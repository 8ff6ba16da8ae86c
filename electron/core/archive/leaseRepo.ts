import type Database from 'better-sqlite3-multiple-ciphers';
import type { RateLockStore } from '../cliq/rateBudget';
import type { Clock } from '../util/clock';

export interface LeaseHolder {
  holder: string;
  pid: number;
  host: string;
}

export type LeaseResult = { ok: true } | { ok: false; current: LeaseHolder & { heartbeatAt: number; expiresAt: number } };

interface LeaseRow {
  holder: string;
  pid: number;
  host: string;
  heartbeat_at: number;
  expires_at: number;
}

/**
 * The writer lease: one process writes an archive at a time (desktop app, CLI, scheduled backup).
 * A lease expires unless its holder renews it; a holder on this host whose pid is dead (SIGKILL)
 * is taken over at once instead of waiting for the expiry.
 */
export class LeaseRepo implements RateLockStore {
  private readonly read: Database.Statement<[], LeaseRow>;
  private readonly write: Database.Statement;
  private readonly renew: Database.Statement;
  private readonly drop: Database.Statement;
  private readonly locksLoad: Database.Statement<[], { family: string; locked_until: number }>;
  private readonly lockSave: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly isAlive: (pid: number) => boolean,
    private readonly clock: Pick<Clock, 'now'>,
  ) {
    this.read = db.prepare('SELECT holder, pid, host, heartbeat_at, expires_at FROM writer_lease WHERE id = 1');
    this.write = db.prepare(`INSERT OR REPLACE INTO writer_lease (id, holder, pid, host, acquired_at, heartbeat_at, expires_at) VALUES (1, ?, ?, ?, ?, ?, ?)`);
    this.renew = db.prepare('UPDATE writer_lease SET heartbeat_at = ?, expires_at = ? WHERE id = 1 AND pid = ? AND host = ?');
    this.drop = db.prepare('DELETE FROM writer_lease WHERE id = 1 AND pid = ? AND host = ?');
    this.locksLoad = db.prepare('SELECT family, locked_until FROM rate_locks');
    this.lockSave = db.prepare(
      `INSERT INTO rate_locks (family, locked_until, reason, set_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(family) DO UPDATE SET locked_until = max(locked_until, excluded.locked_until), reason = excluded.reason, set_at = excluded.set_at`,
    );
  }

  acquire(me: LeaseHolder, ttlMs: number): LeaseResult {
    try {
      return this.takeOver(me, ttlMs);
    } catch (error) {
      // A writer that keeps SQLite's write lock beyond busy_timeout (stopped, suspended, a stalled
      // disk) is still a writer: the archive is locked (exit 3), not a crash on SQLITE_BUSY.
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY') throw error;
      const current = this.read.get();
      return {
        ok: false,
        current: current
          ? { holder: current.holder, pid: current.pid, host: current.host, heartbeatAt: current.heartbeat_at, expiresAt: current.expires_at }
          : { holder: 'a process holding the write lock', pid: 0, host: 'unknown', heartbeatAt: 0, expiresAt: 0 },
      };
    }
  }

  private takeOver(me: LeaseHolder, ttlMs: number): LeaseResult {
    return this.db
      .transaction((): LeaseResult => {
        const now = this.clock.now();
        const current = this.read.get();
        const free = !current || current.expires_at <= now || (current.host === me.host && (current.pid === me.pid || !this.isAlive(current.pid)));
        if (!free) {
          return {
            ok: false,
            current: { holder: current.holder, pid: current.pid, host: current.host, heartbeatAt: current.heartbeat_at, expiresAt: current.expires_at },
          };
        }
        this.write.run(me.holder, me.pid, me.host, now, now, now + ttlMs);
        return { ok: true };
      })
      .immediate();
  }

  /** Renews the lease; false means another process took it over (this one must stop writing). */
  heartbeat(me: LeaseHolder, ttlMs: number): boolean {
    const now = this.clock.now();
    return this.renew.run(now, now + ttlMs, me.pid, me.host).changes === 1;
  }

  release(me: LeaseHolder): void {
    this.drop.run(me.pid, me.host);
  }

  loadLocks(): { family: string; lockedUntil: number }[] {
    return this.locksLoad.all().map((r) => ({ family: r.family, lockedUntil: r.locked_until }));
  }

  saveLock(family: string, lockedUntil: number, reason: string): void {
    this.lockSave.run(family, lockedUntil, reason, this.clock.now());
  }
}
