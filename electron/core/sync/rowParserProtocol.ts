import type { ErrorCode } from '../../../shared/errors';
import type { WriteContext } from '../archive/entityStore';
import type { MessageRow } from './mapMessage';

/**
 * What the sync and its parser thread say to each other (sync/rowParserHost.ts,
 * sync/rowParserThread.ts). One job per export body; the thread works through them in order.
 */

/** The sync to the thread: parse this body. Its bytes are moved, not copied. */
export interface ParseJob {
  job: number;
  chatId: string;
  body: Uint8Array<ArrayBuffer>;
  /** The write that will store the rows, if they are to be sealed ahead for it (sync/parsedRow.ts). */
  stamp: WriteContext | undefined;
  /** Int32 slots shared with the sync: {@link creditSlot} and {@link cancelSlot}. */
  control: SharedArrayBuffer;
}

/**
 * Batches the thread may send ahead of the sync's storing. The thread waits (Atomics.wait) at zero,
 * so the rows in flight stay bounded however big the answer and however slow the disk.
 */
export const creditSlot = 0;
/** Set by the sync when it gives up on a job (what it stored the rows with failed): stop parsing. */
export const cancelSlot = 1;
export const controlSlots = 2;
export const batchesAhead = 4;
/** Rows per batch: big enough that a message between threads costs little per row. */
export const rowsPerBatch = 500;

/** The thread to the sync: the next rows of a job, its end, or why it stopped. */
export type ParseReply = { job: number; rows: MessageRow[] } | { job: number; done: true } | { job: number; error: { code: ErrorCode; message: string } };
