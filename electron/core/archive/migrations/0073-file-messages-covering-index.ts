import type { Migration } from './types';

/**
 * The partial index of file messages also holds their message ids (issue 16, scale).
 *
 * The questions "which file messages have no attachment record yet" — asked for every
 * conversation by the conversation list (the Browse screen and the search filters), by the sync
 * plan and by the files lane — read each file message through `messages_files` and then probed
 * `attachments` by (chat_id, message_id, file_id). The index held chat_id and file_id only, so
 * every probe first read the message's row from the table for its message_id: a random read into a
 * table as big as the archive. On the 10M archive (597,000 file messages) the conversation list's
 * share took 2.4–3.0 s; on 1M, 240–260 ms. With message_id in the index the query reads the index
 * alone: 40 ms on 1M (docs/performance.md).
 *
 * Same name, so the `INDEXED BY messages_files` of those queries keep naming it. Only file
 * messages are in it (a few per cent), so the ingest pays for a few more bytes per file message.
 */
export const migration: Migration = {
  version: 73,
  name: 'file messages covering index',
  up(db) {
    db.exec(`
      DROP INDEX messages_files;
      CREATE INDEX messages_files ON messages(chat_id, file_id, message_id) WHERE file_id IS NOT NULL;
    `);
  },
};
