import type Database from 'better-sqlite3-multiple-ciphers';
import type { WriteContext } from './entityStore';
import { IntervalTable, type IntervalChange } from './intervalTable';
import type { Sealer } from './sealing/sealer';

/** A reaction as stored (reactions table, migration 0064). */
export interface ReactionFact {
  emoji: string;
  user_id: string;
  user_name: string | null;
  reacted_at: number | null;
  entry: string;
}

/** A stored message whose reactions are due: never checked, or changed since its last check. */
export interface DueMessage {
  rowid: number;
  messageId: string;
  version: number;
}

export type RestSource = 'reactions' | 'sticky';
export type RestCheckStatus = 'ok' | 'forbidden' | 'not_found';

/**
 * Reactions of stored messages as intervals (one complete MS3 answer per message), and the check
 * state: per message, which version was checked and when; per conversation and REST source, the
 * last check and whether REST answered (a 403 marks the conversation unreadable for a while).
 */
export class ReactionsRepo {
  private readonly table: IntervalTable;
  private readonly dueFresh: Database.Statement<[string, number, number, number], DueMessage>;
  private readonly dueAny: Database.Statement<[string, number], DueMessage>;
  private readonly checkUpsert: Database.Statement;
  private readonly convGet: Database.Statement<[string, string], { checked_at: number; status: RestCheckStatus }>;
  private readonly convUpsert: Database.Statement;
  private readonly convClearForbidden: Database.Statement;
  private readonly kindSource: Database.Statement<[string], { kind_source: string | null }>;

  constructor(db: Database.Database, sealer: Sealer) {
    // Whether H1 (the admin's own chats) ever listed a chat: the archive's sign the admin can read it.
    this.kindSource = db.prepare('SELECT kind_source FROM chats WHERE chat_id = ?');
    this.table = new IntervalTable(db, sealer, {
      table: 'reactions',
      scope: ['chat_id', 'message_id'],
      identity: ['emoji', 'user_id', 'reacted_at'],
      details: ['user_name', 'entry'],
    });
    // A message changed since its check (a newer version) is due, as is one never checked.
    const due = `FROM messages m LEFT JOIN reaction_checks c ON c.message_rowid = m.id
      WHERE m.chat_id = ? AND m.deleted_at IS NULL AND (c.message_rowid IS NULL OR c.checked_version < m.version)`;
    // New in this run, or a version of it superseded in this run: what this run stored or changed.
    this.dueFresh = db.prepare(
      `SELECT m.id AS rowid, m.message_id AS messageId, m.version ${due}
         AND (m.first_seen_run = ? OR EXISTS (SELECT 1 FROM message_versions v WHERE v.message_rowid = m.id AND v.superseded_run = ?))
       ORDER BY m.time DESC, m.id DESC LIMIT ?`,
    );
    this.dueAny = db.prepare(`SELECT m.id AS rowid, m.message_id AS messageId, m.version ${due} ORDER BY m.time DESC, m.id DESC LIMIT ?`);
    this.checkUpsert = db.prepare(
      `INSERT INTO reaction_checks (message_rowid, chat_id, checked_version, checked_at, checked_run, status) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (message_rowid) DO UPDATE SET checked_version = excluded.checked_version, checked_at = excluded.checked_at,
         checked_run = excluded.checked_run, status = excluded.status`,
    );
    this.convGet = db.prepare('SELECT checked_at, status FROM conversation_checks WHERE chat_id = ? AND source = ?');
    this.convUpsert = db.prepare(
      `INSERT INTO conversation_checks (chat_id, source, checked_at, checked_run, status) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (chat_id, source) DO UPDATE SET checked_at = excluded.checked_at, checked_run = excluded.checked_run, status = excluded.status`,
    );
    this.convClearForbidden = db.prepare("DELETE FROM conversation_checks WHERE source = ? AND checked_run = ? AND status = 'forbidden'");
  }

  /** Messages of a conversation stored or changed by run `runId` and not checked since, newest first. */
  dueThisRun(chatId: string, runId: number, limit: number): DueMessage[] {
    return limit <= 0 ? [] : this.dueFresh.all(chatId, runId, runId, limit);
  }

  /** Every due message of a conversation, newest first (the catch-up). */
  due(chatId: string, limit: number): DueMessage[] {
    return limit <= 0 ? [] : this.dueAny.all(chatId, limit);
  }

  /** Records one complete MS3 answer (or a 404: the message is gone from Cliq, nothing closed). */
  record(chatId: string, message: DueMessage, answer: readonly ReactionFact[] | 'not_found', ctx: WriteContext): IntervalChange {
    const change = answer === 'not_found' ? { opened: 0, closed: 0, kept: 0 } : this.table.apply([chatId, message.messageId], answer as unknown as Record<string, unknown>[], ctx);
    this.checkUpsert.run(message.rowid, chatId, message.version, ctx.now, ctx.runId, answer === 'not_found' ? 'not_found' : 'ok');
    return change;
  }

  /** A conversation's last check by a REST source (reactions, sticky), if any. */
  conversationCheck(chatId: string, source: RestSource): { checkedAt: number; status: RestCheckStatus } | undefined {
    const row = this.convGet.get(chatId, source);
    return row && { checkedAt: row.checked_at, status: row.status };
  }

  conversationChecked(chatId: string, source: RestSource, status: RestCheckStatus, ctx: WriteContext): void {
    this.convUpsert.run(chatId, source, ctx.now, ctx.runId, status);
  }

  /** Forgets this run's 403s of a source that turned out to lack its scope: they said nothing of the conversations. */
  forgetForbidden(source: RestSource, runId: number): void {
    this.convClearForbidden.run(source, runId);
  }

  /** Whether the admin's own chats listing (H1) has shown this chat: its kind came from chat_type. */
  listedAsOwnChat(chatId: string): boolean {
    return this.kindSource.get(chatId)?.kind_source === 'chat_type';
  }
}
