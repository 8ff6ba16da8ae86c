import type { WriteContext } from '../archive/entityStore';
import { consumeMessages } from '../cliq/messagesBody';
import type { MessageRow } from './mapMessage';
import { parsedRow } from './parsedRow';
import { workerRowParser } from './rowParserHost';

/**
 * Where a messages export body becomes archive rows: split into messages, each validated and
 * mapped (content hash included), and, given the write `stamp` that is to store them, sealed ahead
 * (their row hash as a first insert: archive/messageRecord.ts), in order. The rows reach `take` in
 * batches, as they are made; a batch is never handed on before `take` returned the previous one,
 * so a whole-history answer is stored as it is parsed and never held whole.
 *
 * `parse` rejects with the MALFORMED_RESPONSE of the first invalid message (after `take` got every
 * row before it, as the body is fetched again), or with what `take` threw, as itself.
 */
export interface MessageRowParser {
  /** May take `body`'s memory (the parser thread moves a big body there): do not read it after. */
  parse(body: Buffer, chatId: string, stamp: WriteContext | undefined, take: (rows: readonly MessageRow[]) => void): Promise<void>;
  /** Frees what the parser holds (its thread); it may not be used after. */
  close(): Promise<void>;
}

/**
 * Parses on the calling thread, one row per batch: what tests and in-process callers use, and what
 * a sync uses when no parser thread is available.
 */
export const inThreadRowParser: MessageRowParser = {
  parse(body, chatId, stamp, take) {
    return new Promise<void>((resolve) => {
      consumeMessages(body, chatId, { take: (message) => take([parsedRow(chatId, message.payload, message.raw, stamp)]), finish: () => undefined });
      resolve();
    });
  },
  close: () => Promise.resolve(),
};

/** The bundled parser thread's entry, set by the entry point that knows where it was built to. */
let workerEntry: URL | undefined;

/**
 * Says where the parser thread's bundle is (dist/…/rowParser.mjs, beside the caller's bundle).
 * From then on every sync of the process parses its messages there, so the JavaScript work of a
 * page (JSON, validation, mapping, content hashes) overlaps SQLite's work on the one before it.
 * `undefined` goes back to parsing on the sync's thread.
 */
export function useRowParserThread(entry: URL | undefined): void {
  workerEntry = entry;
}

/** A parser for one sync run: on the parser thread when an entry point set one up. */
export function openRowParser(): MessageRowParser {
  return workerEntry === undefined ? inThreadRowParser : workerRowParser(workerEntry);
}
