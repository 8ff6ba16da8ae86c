import type Database from 'better-sqlite3';
import { Sealer } from './sealer';
import { sealedTables } from './sealedTables';

/**
 * Seals every existing row under a genesis seal (the start of the chain). Run inside the
 * migration's transaction.
 */
export function backfillGenesis(db: Database.Database, now: number): void {
  const sealer = new Sealer(db);
  const id = sealer.open('genesis', null, now);
  for (const table of sealedTables) {
    // Aliased: for a table with an INTEGER PRIMARY KEY, a bare `rowid` column comes back under that key's name.
    for (const { rid } of db.prepare<[], { rid: number }>(`SELECT rowid AS rid FROM ${table}`).all()) sealer.reseal(table, rid);
  }
  sealer.close(id, now);
}
