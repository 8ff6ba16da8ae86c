import Database from 'better-sqlite3-multiple-ciphers';

/**
 * How many tokens SQLite's tokenizer — the archive's, `unicode61 remove_diacritics 2` (migration
 * 0020) — makes of a text, on a database of its own: the reference the search's word checks are
 * compared with.
 */
export function sqliteTokenCount(): (text: string) => number {
  const db = new Database(':memory:');
  db.exec("CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'unicode61 remove_diacritics 2'); CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance');");
  const clear = db.prepare('DELETE FROM t');
  const insert = db.prepare('INSERT INTO t (x) VALUES (?)');
  const count = db.prepare('SELECT count(*) FROM v').pluck();
  return (text) => {
    clear.run();
    insert.run(text);
    return count.get() as number;
  };
}
