import type { MessagePort } from 'node:worker_threads';
import { isVaultError, toVaultError } from '../../../shared/errors';
import { consumeMessages } from '../cliq/messagesBody';
import type { MessageRow } from './mapMessage';
import { parsedRow } from './parsedRow';
import { cancelSlot, creditSlot, rowsPerBatch, type ParseJob, type ParseReply } from './rowParserProtocol';

/** Thrown inside the parse when the sync gave the job up; never leaves this file. */
class JobCancelled extends Error {}

/**
 * The parser thread (electron/worker/rowParserEntry.ts runs it): takes each body the sync moves
 * over, parses, validates and maps it, and sends the rows back in batches, waiting whenever the
 * sync is {@link batchesAhead} batches behind. It touches neither the archive nor the network.
 */
export function serveRowParsing(port: Pick<MessagePort, 'on' | 'postMessage'>): void {
  port.on('message', (job: ParseJob) => {
    let end: ParseReply;
    try {
      end = parseJob(job, (reply) => port.postMessage(reply));
    } finally {
      letGo(job.body);
    }
    port.postMessage(end);
  });
}

/**
 * Frees a job's body now rather than at the thread's next garbage collection. An idle thread
 * allocates nothing, so collects nothing: a whole history's body (12.4 MiB at 10M) could outlive
 * its job until the next one was parsed, that is, while the sync downloaded the next big answer.
 * Detaching the buffer releases its memory at once; the job's views of it are empty from then on.
 */
function letGo(body: Uint8Array<ArrayBuffer>): void {
  if (!body.buffer.detached) body.buffer.transfer(0);
}

/** One job, start to end; `send` gets its batches. Exported for its test. */
export function parseJob(job: ParseJob, send: (reply: ParseReply) => void): ParseReply {
  const control = new Int32Array(job.control);
  const body = Buffer.from(job.body.buffer, job.body.byteOffset, job.body.byteLength);
  let batch: MessageRow[] = [];
  const flush = () => {
    if (batch.length === 0) return;
    awaitCredit(control);
    send({ job: job.job, rows: batch });
    batch = [];
  };
  try {
    consumeMessages(body, job.chatId, {
      take: (message) => {
        batch.push(parsedRow(job.chatId, message.payload, message.raw, job.stamp));
        if (batch.length >= rowsPerBatch) flush();
      },
      finish: () => undefined,
    });
    flush();
    return { job: job.job, done: true };
  } catch (error) {
    if (error instanceof JobCancelled) return { job: job.job, done: true };
    // The rows before an invalid message were valid: the sync gets them, as it would parsing itself.
    if (isVaultError(error) && error.code === 'MALFORMED_RESPONSE') {
      try {
        flush();
      } catch (cancelled) {
        if (!(cancelled instanceof JobCancelled)) throw cancelled;
      }
    }
    const { code, message } = toVaultError(error);
    return { job: job.job, error: { code, message } };
  }
}

/** Takes one credit, waiting for the sync to store a batch while there is none. */
function awaitCredit(control: Int32Array): void {
  for (;;) {
    if (Atomics.load(control, cancelSlot) !== 0) throw new JobCancelled();
    const credits = Atomics.load(control, creditSlot);
    if (credits > 0) {
      if (Atomics.compareExchange(control, creditSlot, credits, credits - 1) === credits) return;
      continue;
    }
    Atomics.wait(control, creditSlot, credits);
  }
}
