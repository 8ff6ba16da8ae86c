import type { Migration } from './types';

/**
 * The archive's own record of every audit export: who ran it, when, with which scope, and the
 * hash of the bundle it produced — so an auditor can ask the archive which bundles exist and check
 * one against it. Sealed like the evidence (each export closes a seal of kind 'audit').
 */
export const migration: Migration = {
  version: 40,
  name: 'audit-log',
  up(db) {
    db.exec(`
      CREATE TABLE audit_log (
        id           INTEGER PRIMARY KEY,
        at           INTEGER NOT NULL,
        os_user      TEXT NOT NULL,
        host         TEXT NOT NULL,
        tool_version TEXT NOT NULL,
        scope_json   TEXT NOT NULL,
        bundle_path  TEXT NOT NULL,
        bundle_hash  TEXT,
        files_json   TEXT NOT NULL,
        status       TEXT NOT NULL CHECK (status IN ('complete', 'failed', 'cancelled')),
        detail       TEXT,
        row_hash     TEXT,
        seal_id      INTEGER
      ) STRICT;
    `);
  },
};
