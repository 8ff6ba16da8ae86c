import type { WriteContext } from '../archive/entityStore';
import { presealFor } from '../archive/messageRecord';
import type { MessagePayload } from '../cliq/schemas';
import { mapMessage, type MessageRow } from './mapMessage';

/**
 * One message of an answer as the row that stores it, sealed ahead for the write `stamp` when
 * there is one (its row hash as a first insert): the parser thread does this work, so the storing
 * thread need not.
 */
export function parsedRow(chatId: string, payload: MessagePayload, raw: Record<string, unknown>, stamp: WriteContext | undefined): MessageRow {
  const row = mapMessage(chatId, payload, raw);
  if (stamp !== undefined) row.preseal = presealFor(row, stamp);
  return row;
}
