import type Database from 'better-sqlite3-multiple-ciphers';
import { testPausePoint } from '../util/testPause';

export type ChatSyncStatus = 'pending' | 'in_progress' | 'complete' | 'forbidden' | 'not_found' | 'error';

/** The per-chat checkpoint (see chat_sync_state in the initial schema). */
export interface ChatSyncState {
  chatId: string;
  status: ChatSyncStatus;
  walkFrom: number | null;
  cursorTime: number | null;
  walkFull: boolean;
  syncedMessageCount: number | null;
  syncedLastModified: number | null;
  countOffset: number | null;
  lastCompleteAt: number | null;
  lastFullAt: number | null;
  membersSyncedAt: number | null;
  membersCountAtSync: number | null;
  membersModifiedAtSync: number | null;
  errorCode: string | null;
}

interface Row {
  chat_id: string;
  status: ChatSyncStatus;
  walk_from: number | null;
  cursor_time: number | null;
  walk_full: number;
  synced_message_count: number | null;
  synced_last_modified: number | null;
  count_offset: number | null;
  last_complete_at: number | null;
  last_full_at: number | null;
  members_synced_at: number | null;
  members_count_at_sync: number | null;
  members_modified_at_sync: number | null;
  error_code: string | null;
}

export class SyncStateRepo {
  private readonly getStmt: Database.Statement<[string], Row>;
  private readonly ensure: Database.Statement;
  private readonly beginWalk: Database.Statement;
  private readonly advance: Database.Statement;
  private readonly completeStmt: Database.Statement;
  private readonly failStmt: Database.Statement;
  private readonly membersStmt: Database.Statement;

  constructor(db: Database.Database) {
    this.getStmt = db.prepare(
      `SELECT chat_id, status, walk_from, cursor_time, walk_full, synced_message_count, synced_last_modified, count_offset,
              last_complete_at, last_full_at, members_synced_at, members_count_at_sync, members_modified_at_sync, error_code
         FROM chat_sync_state WHERE chat_id = ?`,
    );
    this.ensure = db.prepare(`INSERT OR IGNORE INTO chat_sync_state (chat_id, status, updated_at) VALUES (?, 'pending', ?)`);
    this.beginWalk = db.prepare(
      `UPDATE chat_sync_state SET status = 'in_progress', walk_from = ?, cursor_time = ?, walk_full = ?,
         error_code = NULL, error_message = NULL, updated_at = ? WHERE chat_id = ?`,
    );
    this.advance = db.prepare(`UPDATE chat_sync_state SET cursor_time = ?, updated_at = ? WHERE chat_id = ?`);
    this.completeStmt = db.prepare(
      `UPDATE chat_sync_state SET status = 'complete', walk_from = NULL, walk_full = 0,
         cursor_time = ?, synced_message_count = ?, synced_last_modified = ?, last_complete_at = ?, last_complete_run = ?,
         last_full_at = CASE WHEN ? THEN ? ELSE last_full_at END,
         count_offset = CASE WHEN ? THEN ? ELSE count_offset END, error_code = NULL, error_message = NULL, updated_at = ?
       WHERE chat_id = ?`,
    );
    this.failStmt = db.prepare(`UPDATE chat_sync_state SET status = ?, error_code = ?, error_message = ?, updated_at = ? WHERE chat_id = ?`);
    this.membersStmt = db.prepare(
      `UPDATE chat_sync_state SET members_synced_at = ?, members_count_at_sync = ?, members_modified_at_sync = ?, updated_at = ?
       WHERE chat_id = ?`,
    );
  }

  /** The checkpoint of a chat; a never-synced chat reads as 'pending' with nothing recorded. A pure read. */
  get(chatId: string): ChatSyncState {
    const row = this.getStmt.get(chatId);
    if (!row) {
      return {
        chatId,
        status: 'pending',
        walkFrom: null,
        cursorTime: null,
        walkFull: false,
        syncedMessageCount: null,
        syncedLastModified: null,
        countOffset: null,
        lastCompleteAt: null,
        lastFullAt: null,
        membersSyncedAt: null,
        membersCountAtSync: null,
        membersModifiedAtSync: null,
        errorCode: null,
      };
    }
    return {
      chatId: row.chat_id,
      status: row.status,
      walkFrom: row.walk_from,
      cursorTime: row.cursor_time,
      walkFull: row.walk_full === 1,
      syncedMessageCount: row.synced_message_count,
      syncedLastModified: row.synced_last_modified,
      countOffset: row.count_offset,
      lastCompleteAt: row.last_complete_at,
      lastFullAt: row.last_full_at,
      membersSyncedAt: row.members_synced_at,
      membersCountAtSync: row.members_count_at_sync,
      membersModifiedAtSync: row.members_modified_at_sync,
      errorCode: row.error_code,
    };
  }

  startWalk(chatId: string, from: number, full: boolean, now: number): void {
    this.ensure.run(chatId, now);
    this.beginWalk.run(from, from, full ? 1 : 0, now, chatId);
  }

  /** Moves the resume point; called in the same transaction as the page it covers. */
  moveCursor(chatId: string, cursorTime: number, now: number): void {
    this.ensure.run(chatId, now);
    this.advance.run(cursorTime, now, chatId);
    testPausePoint('sync:checkpoint');
  }

  complete(
    chatId: string,
    result: {
      cursorTime: number | null;
      serverCount: number | null;
      serverModified: number | null;
      full: boolean;
      /** After a full walk: server total minus archived live messages (null if no total). */
      countOffset: number | null;
      runId: number;
      now: number;
    },
  ): void {
    this.ensure.run(chatId, result.now);
    this.completeStmt.run(
      result.cursorTime,
      result.serverCount,
      result.serverModified,
      result.now,
      result.runId,
      result.full ? 1 : 0,
      result.now,
      result.full ? 1 : 0,
      result.countOffset,
      result.now,
      chatId,
    );
    testPausePoint('sync:checkpoint');
  }

  fail(chatId: string, status: Extract<ChatSyncStatus, 'forbidden' | 'not_found' | 'error'>, code: string, message: string, now: number): void {
    this.ensure.run(chatId, now);
    this.failStmt.run(status, code, message, now, chatId);
  }

  membersSynced(chatId: string, participantCount: number | null, lastModified: number | null, now: number): void {
    this.ensure.run(chatId, now);
    this.membersStmt.run(now, participantCount, lastModified, now, chatId);
  }
}
