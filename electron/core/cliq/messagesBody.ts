import { VaultError } from '../../../shared/errors';
import { describeIssue } from '../../../shared/validation';
import { parseJsonBody, parseJsonLossless } from '../util/json';
import { eachArrayElement } from '../util/jsonElements';
import { messageSchema, type MessagePayload } from './schemas';

/**
 * The body of a messages export (M4, cliq/maintenance.ts) turned into validated messages. Apart
 * from the call so the sync's parser thread (sync/rowParserThread.ts) loads this and not the
 * HTTP client or the CSV parser.
 */

/** A message as received: the validated view and the untouched object (stored as raw JSON). */
export interface ReceivedMessage {
  payload: MessagePayload;
  raw: Record<string, unknown>;
}

/**
 * What takes the messages of one answer ({@link consumeMessages}), in order, each as soon as it is
 * validated. A new one is started for every attempt: a body found cut or garbled part-way is
 * fetched again, and the consumer sees the new answer from its first message.
 */
export interface MessageConsumer<R> {
  take(message: ReceivedMessage): void;
  /** Called once every message of the answer has been taken; its value is the call's. */
  finish(): R;
}

function collect<T>(map: (message: ReceivedMessage) => T): MessageConsumer<T[]> {
  const out: T[] = [];
  return { take: (message) => out.push(map(message)), finish: () => out };
}

/**
 * Validates and maps the messages of an export body. A single-shot export is a conversation's whole
 * history (23k messages, 6 MB, in the large simulated org): it is parsed one message at a time
 * (util/jsonElements.ts) and each is mapped as soon as it is validated, so only the mapped rows
 * stay in memory.
 */
export function parseMessages<T>(body: string, chatId: string, map: (message: ReceivedMessage) => T): T[] {
  const consumer = collect(map);
  consumeMessages(Buffer.from(body, 'utf8'), chatId, consumer);
  return consumer.finish();
}

/**
 * Hands each message of an export body to `consumer` as soon as it is validated, so a consumer need
 * not hold the answer. A consumer may so act on the first messages before a later one is found
 * invalid (MALFORMED_RESPONSE: the body is then fetched again); what it acts on was validated, one
 * message at a time. What the consumer throws passes through as itself.
 */
export function consumeMessages(body: Buffer, chatId: string, consumer: MessageConsumer<unknown>): void {
  // What the consumer throws (a disk full while storing) is its own failure, never a malformed body.
  let failed: { error: unknown } | undefined;
  const take = (item: unknown, index: number) => {
    const parsed = messageSchema.safeParse(item);
    if (!parsed.success || item === null || typeof item !== 'object') {
      throw new VaultError('MALFORMED_RESPONSE', `Message ${index} of the ${chatId} export is invalid (${parsed.success ? 'not an object' : describeIssue(parsed.error)}).`);
    }
    try {
      consumer.take({ payload: parsed.data, raw: item as Record<string, unknown> });
    } catch (error) {
      failed = { error };
      throw error;
    }
  };
  let streamed: boolean;
  try {
    streamed = eachArrayElement(body, 'data', (text, index) => take(parseJsonLossless(text), index));
  } catch (error) {
    if (error instanceof VaultError || (failed && failed.error === error)) throw error;
    throw new VaultError('MALFORMED_RESPONSE', `Cliq sent a messages response that is not valid JSON (${body.length} bytes).`, { cause: error });
  }
  if (streamed) return;

  // Not the usual envelope: parse it whole, which says what is wrong with it.
  const envelope = parseJsonBody(body.toString('utf8'), 'messages') as { data?: unknown } | null;
  const items = envelope !== null && typeof envelope === 'object' ? envelope.data : undefined;
  if (!Array.isArray(items)) {
    throw new VaultError('MALFORMED_RESPONSE', `The messages export of ${chatId} has no "data" array.`);
  }
  items.forEach(take);
}
