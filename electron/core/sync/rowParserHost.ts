import { Worker } from 'node:worker_threads';
import { VaultError } from '../../../shared/errors';
import { collectGarbage } from '../util/collectGarbage';
import type { MessageRow } from './mapMessage';
import type { MessageRowParser } from './rowParser';
import { batchesAhead, cancelSlot, controlSlots, creditSlot, type ParseJob, type ParseReply } from './rowParserProtocol';

/**
 * The thread's young generation, in MB: what it allocates is short-lived (a message's parsed
 * object, its row until sent), and the cap bounds its share of the sync's peak memory. At 1M
 * messages, 2 MB took 3 MiB off the sync's peak (172 against 175 MiB) and cost about 5 % of the
 * 100k ingest; 16 it is (docs/performance.md).
 */
const youngGenerationMb = 16;

interface Pending {
  take: (rows: readonly MessageRow[]) => void;
  control: Int32Array;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * A parser on a thread of its own (sync/rowParserThread.ts), started at the first body and ended by
 * close(). The sync's thread only stores: the JavaScript of a page — JSON, validation, mapping,
 * content hashes, about a third of an ingest's time — runs beside SQLite's work instead of before
 * it (docs/performance.md). Rows come back in batches, never more than a few ahead of the storing.
 */
export function workerRowParser(entry: URL): MessageRowParser {
  let worker: Worker | undefined;
  let nextJob = 1;
  const pending = new Map<number, Pending>();

  const failAll = (why: string) => {
    const error = new VaultError('INTERNAL', `The message parser thread stopped (${why}).`);
    for (const job of pending.values()) job.reject(error);
    pending.clear();
    worker = undefined;
  };

  /** A job is over for the sync: an idle thread must not keep the process alive. */
  const settled = (job: number) => {
    pending.delete(job);
    if (pending.size === 0) worker?.unref();
  };

  const onReply = (reply: ParseReply) => {
    const job = pending.get(reply.job);
    // A job given up on (its rows could not be stored) may still have batches on their way.
    if (!job) return;
    if ('rows' in reply) {
      try {
        job.take(reply.rows);
      } catch (error) {
        settled(reply.job);
        cancel(job);
        job.reject(error);
        return;
      }
      Atomics.add(job.control, creditSlot, 1);
      Atomics.notify(job.control, creditSlot);
      return;
    }
    settled(reply.job);
    if ('error' in reply) job.reject(new VaultError(reply.error.code, reply.error.message));
    else job.resolve();
  };

  const started = (): Worker => {
    if (worker) return worker;
    const thread = new Worker(entry, { name: 'cliq-vault-row-parser', resourceLimits: { maxYoungGenerationSizeMb: youngGenerationMb } });
    thread.on('message', onReply);
    thread.on('error', (error) => {
      if (worker === thread) failAll(error.message);
    });
    thread.on('exit', (code) => {
      if (worker === thread) failAll(`exit code ${code}`);
    });
    worker = thread;
    return thread;
  };

  return {
    parse(body, chatId, stamp, take) {
      return new Promise<void>((resolve, reject) => {
        const thread = started();
        const shared = new SharedArrayBuffer(controlSlots * Int32Array.BYTES_PER_ELEMENT);
        const control = new Int32Array(shared);
        control[creditSlot] = batchesAhead;
        const job = nextJob++;
        pending.set(job, { take, control, resolve, reject });
        const moved = movable(body);
        const bytes = moved.byteLength;
        const message: ParseJob = { job, chatId, body: moved, stamp: stamp && { runId: stamp.runId, now: stamp.now }, control: shared };
        thread.ref();
        thread.postMessage(message, [moved.buffer]);
        // The body is the thread's now; what its download left here is garbage (util/collectGarbage.ts).
        if (bytes >= collectAfterBytes) collectGarbage();
      });
    },
    async close() {
      const thread = worker;
      worker = undefined;
      for (const job of pending.values()) {
        cancel(job);
        job.reject(new VaultError('CANCELLED', 'The sync ended while a messages answer was being parsed.'));
      }
      pending.clear();
      if (thread) await thread.terminate();
    },
  };
}

/** Tells the thread the sync gave a job up, waking it if it waits for credit. */
function cancel(job: Pending): void {
  Atomics.store(job.control, cancelSlot, 1);
  Atomics.notify(job.control, creditSlot);
}

/**
 * After handing over a body this big, the sync's thread collects what its download left: about
 * as much garbage as the body (util/collectGarbage.ts). Smaller answers leave too little to matter,
 * and come too often for a full collection each.
 */
const collectAfterBytes = 4 << 20;

/** Bodies from this size on are moved to the thread rather than copied. */
const moveFromBytes = 1 << 20;

/**
 * The body as memory the thread can take. A big body (a whole history: 6 MB at 1M messages) is
 * moved, so it is never held twice: its memory is the fetched answer's own (http.ts reads it into
 * an ArrayBuffer of its own), and the caller's Buffer is empty afterwards. Smaller ones, and any
 * that may share memory with others (Node pools buffers under 4 KiB), are copied.
 */
function movable(body: Buffer): Uint8Array<ArrayBuffer> {
  const { buffer } = body;
  if (body.byteLength >= moveFromBytes && buffer instanceof ArrayBuffer && body.byteOffset + body.byteLength === buffer.byteLength) {
    return new Uint8Array(buffer, body.byteOffset, body.byteLength);
  }
  return new Uint8Array(body);
}
