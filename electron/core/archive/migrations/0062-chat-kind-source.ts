import { resealTables } from '../sealing/genesis';
import type { Migration } from './types';

/**
 * How each conversation's kind was learnt (issue 12): `chat_type` (read from H1, the admin's own
 * chats), `chat_id` (a bot chat's id suffix), `guessed` (M1 alone: at most two participants is
 * called direct) or `listing` (channels and threads, fixed by the listing that found them). Rows
 * already archived get what their kind could only have come from: kinds were never read before.
 *
 * The column is hashed with the row, so every chats row is re-hashed under a new seal (sealing
 * code in genesis.ts): verify keeps passing, and the seal before still proves what it wrote.
 */
export const migration: Migration = {
  version: 62,
  name: 'chat-kind-source',
  up(db) {
    db.exec(`
      ALTER TABLE chats ADD COLUMN kind_source TEXT NOT NULL DEFAULT 'guessed'
        CHECK (kind_source IN ('chat_type', 'chat_id', 'guessed', 'listing'));
      UPDATE chats SET kind_source = CASE WHEN kind IN ('channel', 'thread') THEN 'listing' WHEN kind = 'bot' THEN 'chat_id' ELSE 'guessed' END;
    `);
    resealTables(db, ['chats'], Date.now());
  },
};
