import type Database from 'better-sqlite3-multiple-ciphers';
import type { SealEntry } from '../../../../shared/archive';

/** The chain of closed seals, newest first: what a bundle's recorded seal is checked against. */
export function sealHistory(db: Database.Database, limit: number): SealEntry[] {
  return db
    .prepare<[number], SealEntry>(
      `SELECT id, kind, run_id AS runId, closed_at AS closedAt, chain_pos AS chainPos, hash
         FROM seals WHERE chain_pos IS NOT NULL ORDER BY chain_pos DESC LIMIT ?`,
    )
    .all(limit);
}
