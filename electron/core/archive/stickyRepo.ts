import type Database from 'better-sqlite3-multiple-ciphers';
import type { WriteContext } from './entityStore';
import { IntervalTable, type IntervalChange } from './intervalTable';
import type { Sealer } from './sealing/sealer';

/** One pin state as stored (sticky_messages, migration 0064); `content_hash` is its identity. */
export interface StickyFact {
  content_hash: string;
  message_id: string | null;
  text: string | null;
  sender_id: string | null;
  sender_name: string | null;
  creator_id: string | null;
  creator_name: string | null;
  message_time: number | null;
  pinned_at: number | null;
  modified_at: number | null;
  expiry_time: number | null;
  raw_json: string;
}

/**
 * The pinned (sticky) message of each conversation as a history: one row per pin state H3 showed,
 * ended ('replaced' or 'unpinned') by a later check that shows another pin or none, or ended with
 * no reason (ended_by null) when the conversation itself is gone from Cliq.
 */
export class StickyRepo {
  private readonly table: IntervalTable;
  private readonly current: Database.Statement<[string], { id: number }>;
  private readonly purged: Database.Statement<[string, string], number>;

  constructor(db: Database.Database, sealer: Sealer) {
    this.table = new IntervalTable(db, sealer, {
      table: 'sticky_messages',
      scope: ['chat_id'],
      identity: ['content_hash'],
      details: ['message_id', 'text', 'sender_id', 'sender_name', 'creator_id', 'creator_name', 'message_time', 'pinned_at', 'modified_at', 'expiry_time', 'raw_json'],
      endedBy: true,
    });
    this.current = db.prepare('SELECT id FROM sticky_messages WHERE chat_id = ? AND gone_at IS NULL');
    // The pin API spells the id with '%20' (or a space) where the messages API (and a purge record) has '_'.
    this.purged = db.prepare<[string, string], number>("SELECT 1 FROM purged_messages WHERE chat_id = ? AND message_id = replace(replace(?, '%20', '_'), ' ', '_')").pluck();
  }

  /**
   * Records one check of a conversation: its pin now, or null when nothing is pinned. A pin of a
   * message retention purged is not archived again (it copies the message's text): the purge
   * removed its rows, and the check records nothing for it.
   */
  record(chatId: string, pin: StickyFact | null, ctx: WriteContext): IntervalChange {
    const kept = pin !== null && !(pin.message_id !== null && this.purged.get(chatId, pin.message_id) !== undefined);
    return this.table.apply([chatId], kept ? [pin as unknown as Record<string, unknown>] : [], ctx);
  }

  /**
   * Ends the open pin of a conversation gone from Cliq (the inventory's `closeConversation`): its
   * ended_by stays null, as no check saw it unpinned or replaced. Returns the pins ended (0 or 1).
   */
  closeGone(chatId: string, ctx: WriteContext): number {
    return this.table.closeScope([chatId], ctx);
  }

  /** Whether a pin is open for the conversation. */
  pinned(chatId: string): boolean {
    return this.current.get(chatId) !== undefined;
  }
}
