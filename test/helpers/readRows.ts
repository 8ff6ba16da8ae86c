import Database from 'better-sqlite3-multiple-ciphers';

/** The rows of one query against an archive file, read through a short-lived read-only connection. */
export function readRows<T>(path: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare<unknown[], T>(sql).all(...params);
  } finally {
    db.close();
  }
}
