import type Database from 'better-sqlite3-multiple-ciphers';
import { Sealer } from './sealer';
import { rowKeyColumn, sealedTables, type SealedTable } from './sealedTables';

/**
 * Seals every existing row under a genesis seal (the start of the chain). Run inside the
 * migration's transaction.
 */
export function backfillGenesis(db: Database.Database, now: number): void {
  const sealer = new Sealer(db);
  const id = sealer.open('genesis', null, now);
  for (const table of sealedTables) {
    // Aliased: for a table with an INTEGER PRIMARY KEY, a bare `rowid` column comes back under that key's name.
    for (const { rid } of db.prepare<[], { rid: number }>(`SELECT ${rowKeyColumn(table)} AS rid FROM ${table}`).all()) sealer.reseal(table, rid);
  }
  sealer.close(id, now);
}

/**
 * Re-hashes every row of `tables` under a new seal, for a migration that adds a column to a sealed
 * table (the column changes each row's hash). Kind 'genesis': like the first seal, the archive
 * itself wrote these hashes, not a sync run. Run inside the migration's transaction; an archive
 * with no such rows gets no seal.
 */
export function resealTables(db: Database.Database, tables: readonly SealedTable[], now: number): void {
  const rows = tables.map((table) => ({ table, rids: db.prepare<[], { rid: number }>(`SELECT ${rowKeyColumn(table)} AS rid FROM ${table}`).all() }));
  if (rows.every((r) => r.rids.length === 0)) return;
  const sealer = new Sealer(db);
  const id = sealer.open('genesis', null, now);
  for (const { table, rids } of rows) for (const { rid } of rids) sealer.reseal(table, rid);
  sealer.close(id, now);
}
