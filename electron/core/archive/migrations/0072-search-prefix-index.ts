import type { Migration } from './types';

/**
 * Prefix searches (`doc*`) answered by an index of their own (issue 16, scale).
 *
 * Without one, FTS5 answers `doc*` by reading the whole doclist of every term that starts with
 * `doc` and merging them in memory before it can return the first hit: 8.5 ms on 1M messages,
 * 110 ms on 10M, however few hits are asked for. With `prefix = '2 3 4'` FTS5 also indexes the
 * first 2, 3 and 4 characters of every token, so a prefix of that length is one term it reads
 * lazily, newest first, like any word: 0.08–0.10 ms on 1M. Longer prefixes still merge their
 * terms, but they cover few; one-character prefixes stay slow (40 ms on 1M).
 *
 * The cost, measured on 1M messages: the index grows from 73 to 256 MiB (the archive from 1.15 to
 * 1.33 GB) and rebuilding it takes 15.6 s instead of 6.0 s (docs/performance.md).
 *
 * Both indexes are dropped and built again from their content tables (`rebuild`): an FTS5 table's
 * options cannot be altered. Nothing but the index changes; row hashes and seals do not cover it.
 */
export const migration: Migration = {
  version: 72,
  name: 'search prefix index',
  up(db) {
    db.exec(`
      DROP TABLE messages_fts;
      CREATE VIRTUAL TABLE messages_fts USING fts5(
        text, file_name, extra_text, search_scope,
        content = 'messages', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '2 3 4'
      );
      INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');

      DROP TABLE versions_fts;
      CREATE VIRTUAL TABLE versions_fts USING fts5(
        text,
        content = 'message_versions', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '2 3 4'
      );
      INSERT INTO versions_fts (versions_fts) VALUES ('rebuild');
    `);
  },
};
