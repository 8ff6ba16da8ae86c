import { sealedTables } from '../sealing/sealedTables';
import { backfillGenesis } from '../sealing/genesis';
import type { Migration } from './types';

/**
 * Tamper evidence. Every evidentiary row gets `row_hash` (SHA-256 of its canonical columns) and
 * `seal_id` (the seal that last wrote it). Seals form a hash chain: each sync run, audit export or
 * migration opens one, and closing it hashes the previous seal, its run's summary and the digest
 * of the whole archive's rows. `seal_live` keeps, per seal and table, the sum of the row hashes the
 * seal currently owns, so `verify` can say which seal (and so which run) a missing row belonged to.
 *
 * Existing rows are hashed and sealed by a genesis seal, so an archive from before this migration
 * is covered from now on (what happened to it before cannot be proven, and verify says so).
 */
export const migration: Migration = {
  version: 30,
  name: 'seals',
  up(db) {
    for (const table of sealedTables) {
      // No index on seal_id: only verify reads it, and it reads every row anyway.
      db.exec(`ALTER TABLE ${table} ADD COLUMN row_hash TEXT; ALTER TABLE ${table} ADD COLUMN seal_id INTEGER`);
    }
    db.exec(`
      CREATE TABLE seals (
        id           INTEGER PRIMARY KEY,
        kind         TEXT NOT NULL CHECK (kind IN ('genesis', 'sync', 'audit', 'restore')),
        run_id       INTEGER REFERENCES sync_runs(id),
        opened_at    INTEGER NOT NULL,
        closed_at    INTEGER,
        chain_pos    INTEGER UNIQUE,
        prev_hash    TEXT,
        state_digest TEXT,
        state_count  INTEGER,
        counts_json  TEXT,
        hash         TEXT
      ) STRICT;
      CREATE TABLE seal_live (
        seal_id    INTEGER NOT NULL REFERENCES seals(id),
        table_name TEXT NOT NULL,
        digest     TEXT NOT NULL,
        row_count  INTEGER NOT NULL,
        PRIMARY KEY (seal_id, table_name)
      ) STRICT;
    `);
    backfillGenesis(db, Date.now());
  },
};
