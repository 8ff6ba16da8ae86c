import type Database from 'better-sqlite3-multiple-ciphers';
import type { AttachmentRow, AttachmentStatus, FileCoverage } from '../../../shared/archive';

/**
 * Read-only views of the attachments table (migration 0060) for `stats`, the conversation list,
 * the transcript and the Attachments list. An archive opened without the table (read where it
 * cannot be upgraded) has no attachment information: every read answers empty, never fails.
 */

/** An attachment as the archive records it; the app adds what needs the file store (image, open refusal). */
export type AttachmentRecord = Omit<AttachmentRow, 'image' | 'openRefusal'>;

const unavailableStatuses: readonly AttachmentStatus[] = ['forbidden', 'not_found', 'too_large', 'failed'];

export function hasAttachmentsTable(db: Database.Database): boolean {
  return db.prepare<[], { n: number }>("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND name = 'attachments'").get()?.n === 1;
}

export function emptyFileCoverage(): FileCoverage {
  return { referenced: 0, stored: 0, unavailable: 0, skipped: 0, pending: 0, unavailableBy: {} };
}

function add(coverage: FileCoverage, status: AttachmentStatus, n: number): void {
  if (n === 0) return;
  coverage.referenced += n;
  if (status === 'stored') coverage.stored += n;
  else if (status === 'skipped') coverage.skipped += n;
  else if (status === 'pending') coverage.pending += n;
  else {
    coverage.unavailable += n;
    coverage.unavailableBy[status] = (coverage.unavailableBy[status] ?? 0) + n;
  }
}

/**
 * File coverage per conversation: every attachment row by status, plus the files of stored
 * messages a sync has not registered yet (an archive synced before attachments existed), counted
 * as pending, so "referenced" is every file a message names. Conversations without files are absent.
 */
export function fileCoverageByChat(db: Database.Database): Map<string, FileCoverage> {
  const byChat = new Map<string, FileCoverage>();
  if (!hasAttachmentsTable(db)) return byChat;
  const of = (chatId: string) => {
    let coverage = byChat.get(chatId);
    if (!coverage) byChat.set(chatId, (coverage = emptyFileCoverage()));
    return coverage;
  };
  for (const row of db.prepare<[], { chatId: string; status: AttachmentStatus; n: number }>('SELECT chat_id AS chatId, status, count(*) AS n FROM attachments GROUP BY chat_id, status').all()) {
    add(of(row.chatId), row.status, row.n);
  }
  for (const row of db
    .prepare<[], { chatId: string; n: number }>(
      `SELECT m.chat_id AS chatId, count(*) AS n FROM messages m INDEXED BY messages_files
        WHERE m.file_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.chat_id = m.chat_id AND a.message_id = m.message_id AND a.file_id = m.file_id)
        GROUP BY m.chat_id`,
    )
    .all()) {
    add(of(row.chatId), 'pending', row.n);
  }
  return byChat;
}

/** Each row with its file coverage, where its messages reference files. */
export function withFiles<Row extends { chatId: string }>(rows: Row[], files: Map<string, FileCoverage>): (Row & { files?: FileCoverage })[] {
  return rows.map((row) => {
    const coverage = files.get(row.chatId);
    return coverage ? { ...row, files: coverage } : row;
  });
}

/** The archive's file coverage as a whole, with the bytes its file store holds (each object once). */
export function fileTotals(db: Database.Database): (FileCoverage & { bytesStored: number }) | undefined {
  if (!hasAttachmentsTable(db)) return undefined;
  const totals = emptyFileCoverage();
  for (const coverage of fileCoverageByChat(db).values()) {
    add(totals, 'stored', coverage.stored);
    add(totals, 'skipped', coverage.skipped);
    add(totals, 'pending', coverage.pending);
    for (const status of unavailableStatuses) add(totals, status, coverage.unavailableBy[status] ?? 0);
  }
  const bytesStored = db.prepare<[], { n: number | null }>("SELECT sum(bytes) AS n FROM (SELECT DISTINCT sha256, bytes FROM attachments WHERE status = 'stored')").get()?.n ?? 0;
  return { ...totals, bytesStored };
}

const recordColumns = `a.chat_id AS chatId, a.message_id AS messageId, a.file_id AS fileId, a.message_key AS messageKey,
  m.time AS time, m.sender_id AS senderId, m.sender_name AS senderName, a.file_name AS fileName,
  coalesce(a.bytes, a.declared_size) AS size, a.status, a.reason, a.sha256`;

/**
 * A conversation's attachments, oldest message first (one of them when messageId and fileId are
 * given), with the sender and time of the message that shared each.
 */
export function listAttachments(db: Database.Database, chatId: string, options: { messageId?: string | undefined; fileId?: string | undefined; limit: number }): AttachmentRecord[] {
  if (!hasAttachmentsTable(db)) return [];
  return db
    .prepare<Record<string, unknown>, AttachmentRecord>(
      `SELECT ${recordColumns}
         FROM attachments a LEFT JOIN messages m ON m.id = a.message_key
        WHERE a.chat_id = @chatId AND (@messageId IS NULL OR a.message_id = @messageId) AND (@fileId IS NULL OR a.file_id = @fileId)
        ORDER BY a.message_key, a.file_id
        LIMIT @limit`,
    )
    .all({ chatId, messageId: options.messageId ?? null, fileId: options.fileId ?? null, limit: options.limit });
}

/**
 * The attachment of each file message of a transcript page, by message key: the row of the file
 * the message's current version names (an edit to another file has its own row).
 */
export function attachmentsOfMessages(db: Database.Database, keys: readonly number[]): Map<number, AttachmentRecord> {
  const found = new Map<number, AttachmentRecord>();
  if (keys.length === 0 || !hasAttachmentsTable(db)) return found;
  const lookup = db.prepare<[number], AttachmentRecord>(
    `SELECT ${recordColumns}
       FROM messages m JOIN attachments a ON a.chat_id = m.chat_id AND a.message_id = m.message_id AND a.file_id = m.file_id
      WHERE m.id = ?`,
  );
  for (const key of keys) {
    const record = lookup.get(key);
    if (record) found.set(key, record);
  }
  return found;
}
