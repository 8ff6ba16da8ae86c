import { searchScope } from '../../search/scope';
import type { Migration } from './types';

/**
 * Search: filter tokens inside the full-text index, and a second index over earlier versions.
 * - messages.search_scope holds the conversation, sender, type and attachment tokens
 *   (search/scope.ts); messages_fts indexes it as a fourth column, so filters run inside FTS5.
 * - versions_fts indexes the text of earlier versions of edited messages, so a search can find
 *   words that were edited away.
 */
export const migration: Migration = {
  version: 20,
  name: 'search-scope',
  up(db) {
    db.exec('ALTER TABLE messages ADD COLUMN search_scope TEXT');
    const update = db.prepare('UPDATE messages SET search_scope = ? WHERE id = ?');
    const rows = db
      .prepare<[], { id: number; chat_id: string; sender_id: string | null; type: string; file_id: string | null; file_name: string | null }>(
        'SELECT id, chat_id, sender_id, type, file_id, file_name FROM messages',
      )
      .all();
    for (const r of rows) {
      update.run(searchScope({ chatId: r.chat_id, senderId: r.sender_id, type: r.type, fileId: r.file_id, fileName: r.file_name }), r.id);
    }
    db.exec(`
      DROP TABLE messages_fts;
      CREATE VIRTUAL TABLE messages_fts USING fts5(
        text, file_name, extra_text, search_scope,
        content = 'messages', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2'
      );
      INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');

      CREATE VIRTUAL TABLE versions_fts USING fts5(
        text,
        content = 'message_versions', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2'
      );
      INSERT INTO versions_fts (versions_fts) VALUES ('rebuild');
    `);
  },
};
