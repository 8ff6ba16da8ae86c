import Database from 'better-sqlite3';

/** The rows of one query against an archive file, read through a short-lived read-only connection. */
export function readRows<T>(path: string, sql: string): T[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare<[], T>(sql).all();
  } finally {
    db.close();
  }
}
