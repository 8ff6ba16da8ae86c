import type { WriteContext } from '../archive/entityStore';
import type { MessageRow } from './mapMessage';
import type { ConversationWork } from './messageWalker';
import type { SyncContext } from './types';
import { rowsPerBatch } from './rowParserProtocol';
import { upsertRows } from './upsertRows';

/**
 * Rows per transaction (keeps each write lock short, and what is held in memory small): one batch
 * of the parser thread's, stored as it arrives. At 2,000 rows (four batches) the rows outlived
 * collections of the young generation, and the 1M ingest was slower (1.65–1.77× `sqlite3` against
 * 1.43–1.48×): the thread, four batches ahead, waited while a long store ran (docs/performance.md).
 */
const chunkSize = rowsPerBatch;

/**
 * Stores a single-shot answer — a conversation's whole history, or what the server chose to send
 * (docs/cliq-api.md §9.1) — while it is being parsed, {@link chunkSize} rows per transaction: the largest
 * conversation of the 10M org has 50,000 messages, and holding them all cost the sync tens of MiB
 * of peak memory per conversation in flight. The ids seen go to walk_seen in SQLite, not to a set
 * in memory (unless the conversation is archived for the first time: see `marksSeen`); finish()
 * then closes the walk and notices deletions: every archived message in the range the answer
 * provably covers, but absent from it, was deleted on the server.
 *
 * Rows are stored in the order received. A message sent twice in one answer is stored twice, the
 * second time as what it is: the same (nothing changes) or a new version (both are kept).
 */
export class SingleShotWriter {
  private chunk: MessageRow[] = [];
  private started = false;
  /** A conversation archived for the first time has nothing that could have gone missing. */
  private readonly hadMessages: boolean;
  /**
   * Whether the ids stored are marked in walk_seen. Not for a conversation archived for the first
   * time: there is nothing to tombstone, and every distinct message of the answer is one inserted
   * (one more insert per message, and its delete, for nothing: about 5 % of a first sync's
   * storing). A conversation whose messages retention purged keeps the marks: a purged message
   * sent twice would count twice.
   */
  private readonly marksSeen: boolean;
  /** The distinct messages stored so far, when they are not marked seen. */
  private inserted = 0;
  private minTime: number | undefined;
  private maxTime: number | undefined;

  constructor(
    private readonly ctx: SyncContext,
    private readonly chat: ConversationWork,
    /** The write that stores the answer: its rows were sealed ahead for it. */
    private readonly write: WriteContext,
  ) {
    this.hadMessages = ctx.archive.messages.hasAny(chat.chatId);
    this.marksSeen = this.hadMessages || ctx.archive.messages.hasPurgeRecords(chat.chatId);
  }

  add(row: MessageRow): void {
    this.minTime = Math.min(this.minTime ?? row.time, row.time);
    this.maxTime = Math.max(this.maxTime ?? row.time, row.time);
    this.chunk.push(row);
    if (this.chunk.length >= chunkSize) {
      this.ctx.archive.transaction(() => {
        this.store();
        this.ctx.archive.syncState.moveCursor(this.chat.chatId, this.maxTime ?? 0, this.ctx.clock.now());
      });
    }
  }

  /** Stores the last rows and closes the walk, in one transaction. */
  finish(): void {
    const { ctx, chat } = this;
    const { archive } = ctx;
    const { write } = this;
    archive.transaction(() => {
      this.store();
      const distinct = this.marksSeen ? archive.messages.countSeen(chat.chatId) : this.inserted;
      const range = this.coveredRange(distinct);
      if (range && this.hadMessages) ctx.counts.messagesDeleted += archive.messages.tombstoneUnseen(chat.chatId, range[0], range[1], write);
      archive.messages.clearSeen(chat.chatId);
      archive.syncState.complete(chat.chatId, {
        cursorTime: this.maxTime ?? null,
        serverCount: chat.serverCount,
        serverModified: chat.serverModified,
        full: true,
        countOffset: chat.serverCount === null ? null : chat.serverCount - archive.messages.countLive(chat.chatId),
        runId: ctx.runId,
        now: write.now,
      });
    });
  }

  /** Upserts the rows held and marks them seen; inside the caller's transaction. */
  private store(): void {
    // The seen ids of an earlier, interrupted walk of this conversation are not this answer's.
    if (!this.started) this.ctx.archive.messages.clearSeen(this.chat.chatId);
    this.started = true;
    if (this.chunk.length > 0) this.inserted += upsertRows(this.ctx, this.chunk, this.marksSeen, this.write).inserted;
    this.chunk = [];
  }

  /**
   * The range the answer covers. If it holds at least as many messages as the server reports, it
   * is the whole history. If it holds fewer, the export may have been cut (docs/cliq-api.md §9.6):
   * only the span between its first and last message is trusted, and the shortfall is reported.
   * Without a server total (threads) a cut cannot be told from the end, so only the span is trusted.
   */
  private coveredRange(distinct: number): [number, number] | undefined {
    const { chat } = this;
    const span: [number, number] | undefined = this.minTime !== undefined && this.maxTime !== undefined ? [this.minTime, this.maxTime] : undefined;
    if (chat.serverCount !== null && distinct >= chat.serverCount) return [0, Number.MAX_SAFE_INTEGER];
    if (chat.serverCount !== null) {
      this.ctx.warn({
        code: 'EXPORT_SHORT',
        chatId: chat.chatId,
        message: `The export of ${chat.chatId} returned ${distinct} messages; Cliq reports ${chat.serverCount}. Messages outside the returned span may be missing.`,
      });
    }
    return span;
  }
}
