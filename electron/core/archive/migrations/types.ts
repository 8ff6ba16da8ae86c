import type Database from 'better-sqlite3-multiple-ciphers';

/** One schema step. `version` grows (in steps of 10, or by one for work done side by side) and becomes PRAGMA user_version once applied. */
export interface Migration {
  version: number;
  name: string;
  /** Runs inside a transaction; must be synchronous (better-sqlite3 transactions never await). */
  up(db: Database.Database): void;
  /**
   * The step rebuilds a table other tables reference (SQLite's documented way to change a table's
   * key): foreign keys are off while it runs — the pragma cannot change inside a transaction — and
   * `PRAGMA foreign_key_check` must find nothing before the step commits.
   */
  rebuildsReferencedTable?: true;
}
