import type Database from 'better-sqlite3-multiple-ciphers';
import type { Sealer } from './sealing/sealer';

/** Keys of the meta table (archive identity and what was learnt about the server). */
export type MetaKey =
  | 'archive.id'
  | 'archive.created_at'
  | 'org.api_base'
  | 'org.data_centre'
  | 'org.network'
  /** Cliq organization_id, learnt from the users listing; an archive holds one org. */
  | 'org.id'
  /** Whether the Maintenance messages export honours fromtime/totime/limit: 'windowed' | 'single-shot'. */
  | 'messages.mode'
  /** How an optional source (sync/optionalSource.ts) fared at its last run: JSON {status, at, runId, scope}. */
  | `source.${string}`
  /** X1's sync_token from the last complete walk of calls and meetings, and when a full walk last ended. */
  | 'calls.sync_token'
  | 'calls.full_walk_at';

export class MetaRepo {
  private readonly getStmt: Database.Statement<[string], { value: string }>;
  private readonly setStmt: Database.Statement;
  private readonly eventStmt: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly sealer: Sealer,
  ) {
    this.getStmt = db.prepare('SELECT value FROM meta WHERE key = ?');
    this.setStmt = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    this.eventStmt = db.prepare('INSERT INTO archive_events (at, run_id, kind, subject, detail) VALUES (?, ?, ?, ?, ?)');
  }

  get(key: MetaKey): string | undefined {
    return this.getStmt.get(key)?.value;
  }

  set(key: MetaKey, value: string): void {
    this.setStmt.run(key, value);
  }

  /** Appends to the archive's event log (things an auditor should be able to find later). */
  event(at: number, runId: number | null, kind: string, subject: string | null, detail: Record<string, unknown>): void {
    const event = this.eventStmt.run(at, runId, kind, subject, JSON.stringify(detail));
    this.sealer.reseal('archive_events', event.lastInsertRowid);
  }
}
