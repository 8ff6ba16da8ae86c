import type Database from 'better-sqlite3-multiple-ciphers';
import type { WriteContext } from './entityStore';
import type { Sealer } from './sealing/sealer';

export type ScheduledFate = 'pending' | 'sent' | 'presumed_sent' | 'deleted' | 'gone';

/** A scheduled message as the fate rules read it. */
export interface ScheduledRow {
  scheduledId: string;
  chatId: string | null;
  creatorId: string | null;
  messageType: string | null;
  text: string | null;
  fileName: string | null;
  scheduleKind: 'time' | 'status';
  scheduledAt: number | null;
  scheduleStatus: string | null;
  createdAt: number | null;
  firstSeenAt: number;
  goneAt: number | null;
  fate: ScheduledFate;
}

export interface SentMessage {
  chatId: string;
  messageId: string;
}

/** How far after a v2 item's time (no text to compare) a message still counts as its delivery. */
const v2MatchWindowMs = 10 * 60_000;
/** How long after it was noticed gone a message may still be its delivery (Cliq's and our clocks). */
const goneSlackMs = 86_400_000;

/**
 * Fates of scheduled messages (migration 0065): the columns the entity store leaves alone, and the
 * search for the archived message a scheduled one became. Writes re-seal their rows.
 */
export class ScheduledRepo {
  private readonly byId: Database.Statement<[string], ScheduledRow>;
  private readonly unsettledStmt: Database.Statement<[], ScheduledRow>;
  private readonly fateStmt: Database.Statement<[string, number | null, string | null, string | null, string], { rowid: number }>;
  private readonly matchStmt: Database.Statement<Record<string, string | number | null>, SentMessage>;

  constructor(
    db: Database.Database,
    private readonly sealer: Sealer,
  ) {
    const columns = `scheduled_id AS scheduledId, chat_id AS chatId, creator_id AS creatorId, message_type AS messageType, text,
            file_name AS fileName, schedule_kind AS scheduleKind, scheduled_at AS scheduledAt, schedule_status AS scheduleStatus,
            created_at AS createdAt, first_seen_at AS firstSeenAt, gone_at AS goneAt, fate`;
    this.byId = db.prepare(`SELECT ${columns} FROM scheduled_messages WHERE scheduled_id = ?`);
    this.unsettledStmt = db.prepare(
      `SELECT ${columns} FROM scheduled_messages
        WHERE gone_at IS NOT NULL AND fate <> 'sent' ORDER BY scheduled_id`,
    );
    this.fateStmt = db.prepare(`UPDATE scheduled_messages SET fate = ?, fate_at = ?, sent_chat_id = ?, sent_message_id = ? WHERE scheduled_id = ? RETURNING rowid`);
    // The message of its creator in the window with the same text (or file) nearest to its time
    // (the earliest, for a status trigger), that no other scheduled message was matched to.
    this.matchStmt = db.prepare(
      `SELECT m.chat_id AS chatId, m.message_id AS messageId FROM messages m
        WHERE m.sender_id = @creator AND m.time >= @from AND m.time <= @to
          AND (@chat IS NULL OR m.chat_id = @chat)
          AND (@text IS NULL OR m.text = @text)
          AND (@file IS NULL OR m.file_name = @file)
          AND NOT EXISTS (SELECT 1 FROM scheduled_messages s WHERE s.sent_chat_id = m.chat_id AND s.sent_message_id = m.message_id)
        ORDER BY abs(m.time - coalesce(@at, m.time)), m.time, m.message_id LIMIT 1`,
    );
  }

  get(scheduledId: string): ScheduledRow | undefined {
    return this.byId.get(scheduledId);
  }

  /** Gone ones not matched to a message yet (just noticed, or a later sync may have archived the message). */
  unsettled(): ScheduledRow[] {
    return this.unsettledStmt.all();
  }

  /** Sets a fate (inside the caller's transaction) and re-seals the row. */
  setFate(scheduledId: string, fate: ScheduledFate, ctx: WriteContext, sent?: SentMessage): void {
    const row = this.fateStmt.get(fate, fate === 'pending' ? null : ctx.now, sent?.chatId ?? null, sent?.messageId ?? null, scheduledId);
    if (row) this.sealer.reseal('scheduled_messages', row.rowid);
  }

  /**
   * The archived message a gone scheduled message became, if the archive holds it. With text (v3)
   * the creator's message with the same text (or file name) between its creation and a day after
   * it was noticed gone; without (v2) one in its chat within minutes after its time.
   */
  findSent(row: ScheduledRow): SentMessage | undefined {
    if (row.creatorId === null || row.goneAt === null) return undefined;
    const file = row.messageType === 'file' ? row.fileName : null;
    const text = row.messageType === 'file' ? null : row.text;
    if (text === null && file === null) {
      if (row.chatId === null || row.scheduledAt === null) return undefined;
      return this.matchStmt.get({ creator: row.creatorId, from: row.scheduledAt - 60_000, to: row.scheduledAt + v2MatchWindowMs, chat: row.chatId, text: null, file: null, at: row.scheduledAt });
    }
    const from = Math.min(row.createdAt ?? row.firstSeenAt, row.firstSeenAt);
    return this.matchStmt.get({ creator: row.creatorId, from, to: row.goneAt + goneSlackMs, chat: row.chatId, text, file, at: row.scheduledAt });
  }
}
