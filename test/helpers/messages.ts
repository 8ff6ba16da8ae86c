import type { MessagePayload } from '../../electron/core/cliq/schemas';
import { mapMessage, type MessageRow } from '../../electron/core/sync/mapMessage';

/** A message row as the walker would build it from an export item. */
export function messageRow(chatId: string, raw: Record<string, unknown>): MessageRow {
  return mapMessage(chatId, raw as MessagePayload, raw);
}

export function textMessage(id: string, time: number, text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { sender: { name: 'Dana Ruiz', id: '7100001' }, ack_key: '', id, time, type: 'text', content: { text }, ...extra };
}
