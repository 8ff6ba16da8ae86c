import type Database from 'better-sqlite3-multiple-ciphers';

/** Which of the words given SQLite's tokenizer makes a token of (true), in order. */
export type IndexedWords = (words: readonly string[]) => boolean[];

const tokenizers = new WeakMap<Database.Database, IndexedWords>();

/**
 * The words of a query the index can hold, decided by SQLite's own tokenizer rather than a copy
 * of its rules: unicode61 uses the character tables of Unicode 6.1, so an emoji modifier newer
 * than that is a token to it while JavaScript's \p{…} calls it a symbol. Each word goes into
 * temp.query_words (a temp table beside the archive, writable on a read-only connection, like
 * temp.search_spans) and fts5vocab says which produced a token.
 * IMPORTANT: the tokenizer must stay the one of messages_fts and versions_fts (migrations 0020, 0072).
 */
export function indexedWordsOf(db: Database.Database): IndexedWords {
  let found = tokenizers.get(db);
  if (found === undefined) {
    db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.query_words USING fts5(word, tokenize = 'unicode61 remove_diacritics 2');
      CREATE VIRTUAL TABLE IF NOT EXISTS temp.query_words_vocab USING fts5vocab(temp, query_words, instance);`);
    const clear = db.prepare('DELETE FROM temp.query_words');
    const insert = db.prepare<[number, string]>('INSERT INTO temp.query_words (rowid, word) VALUES (?, ?)');
    const tokenised = db.prepare<[], number>('SELECT DISTINCT doc FROM temp.query_words_vocab').pluck();
    found = (words) => {
      // An ASCII letter or digit is a token character in every unicode61 table: most queries end here.
      const unsure = words.flatMap((word, i) => (/[A-Za-z0-9]/.test(word) ? [] : [i]));
      if (unsure.length === 0) return words.map(() => true);
      clear.run();
      for (const i of unsure) insert.run(i, words[i] ?? '');
      const withTokens = new Set(tokenised.all());
      clear.run();
      return words.map((_, i) => !unsure.includes(i) || withTokens.has(i));
    };
    tokenizers.set(db, found);
  }
  return found;
}
