import type Database from 'better-sqlite3-multiple-ciphers';
import type { WriteContext } from './entityStore';

/** A call whose participants are due: new, or changed since they were last listed. */
export interface CallDue {
  callId: string;
  nrsId: string;
  sourceHash: string;
}

/**
 * What the calls lane needs beside the entity store (migration 0065): which calls' participants
 * are due. `call_participant_fetches` is operational, not evidence, so it is not sealed: it only
 * spares X2 calls for calls whose version was already listed.
 */
export class CallsRepo {
  private readonly dueStmt: Database.Statement<[], { callId: string; nrsId: string; sourceHash: string }>;
  private readonly fetchedStmt: Database.Statement;

  constructor(db: Database.Database) {
    this.dueStmt = db.prepare(
      `SELECT c.call_id AS callId, c.nrs_id AS nrsId, c.source_hash AS sourceHash
         FROM calls c LEFT JOIN call_participant_fetches f ON f.call_id = c.call_id
        WHERE c.gone_at IS NULL AND c.nrs_id IS NOT NULL AND (f.source_hash IS NULL OR f.source_hash <> c.source_hash)
        ORDER BY c.start_time, c.call_id`,
    );
    this.fetchedStmt = db.prepare(
      `INSERT INTO call_participant_fetches (call_id, source_hash, fetched_at, run_id) VALUES (?, ?, ?, ?)
       ON CONFLICT(call_id) DO UPDATE SET source_hash = excluded.source_hash, fetched_at = excluded.fetched_at, run_id = excluded.run_id`,
    );
  }

  /** Live calls whose current version has not had its participants listed, oldest first. */
  dueForParticipants(): CallDue[] {
    return this.dueStmt.all();
  }

  /** Records that this version of the call had its participants listed (inside the caller's transaction). */
  participantsFetched(call: CallDue, ctx: WriteContext): void {
    this.fetchedStmt.run(call.callId, call.sourceHash, ctx.now, ctx.runId);
  }
}
