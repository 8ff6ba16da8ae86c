import { setImmediate as setImmediateTask } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { MessageRow } from '../../../electron/core/sync/mapMessage';
import { inThreadRowParser, type MessageRowParser } from '../../../electron/core/sync/rowParser';
import { workerRowParser } from '../../../electron/core/sync/rowParserHost';
import { batchesAhead, cancelSlot, controlSlots, creditSlot, rowsPerBatch, type ParseReply } from '../../../electron/core/sync/rowParserProtocol';
import { parseJob, serveRowParsing } from '../../../electron/core/sync/rowParserThread';
import { textMessage } from '../../helpers/messages';
import { useRowParserBundle } from '../../helpers/rowParserBundle';

const texts = ['plain', 'café 日本 😀', '"[{ quoted', ''];
const message = (i: number) => textMessage(String(1_900_000_000_000_000_000n + BigInt(i)), 1_700_000_000_000 + i, texts[i % texts.length] ?? '');
const bodyOf = (items: unknown[]) => Buffer.from(JSON.stringify({ data: items }), 'utf8');
const manyBatches = rowsPerBatch * 3 + 17;
/** The write the rows are sealed ahead for. */
const stamp = { runId: 3, now: 1_750_000_000_000 };

/** Everything a parser hands over, in order, with the batch sizes. */
async function collect(parser: MessageRowParser, body: Buffer, chatId = 'CT_1'): Promise<{ rows: MessageRow[]; batches: number[] }> {
  const rows: MessageRow[] = [];
  const batches: number[] = [];
  await parser.parse(body, chatId, stamp, (batch) => {
    batches.push(batch.length);
    rows.push(...batch);
  });
  return { rows, batches };
}

/** The rows a parser handed over before it rejected, and what it rejected with. */
async function failure(parser: MessageRowParser, body: Buffer): Promise<{ rows: number; error: unknown }> {
  let rows = 0;
  const error = await parser
    .parse(body, 'CT_1', stamp, (batch) => (rows += batch.length))
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  return { rows, error };
}

describe('the parser thread', () => {
  const entry = useRowParserBundle();

  it('hands over the rows the sync thread would make, in order, in bounded batches', async () => {
    const body = bodyOf(Array.from({ length: manyBatches }, (_, i) => message(i)));
    const parser = workerRowParser(entry());
    try {
      const threaded = await collect(parser, body);
      const local = await collect(inThreadRowParser, body);
      expect(threaded.rows).toEqual(local.rows);
      expect(threaded.rows).toHaveLength(manyBatches);
      expect(threaded.batches).toEqual([rowsPerBatch, rowsPerBatch, rowsPerBatch, 17]);
    } finally {
      await parser.close();
    }
  });

  it('moves a big body to the thread instead of copying it, and copies small ones', async () => {
    const items = Array.from({ length: 8_000 }, (_, i) => message(i));
    const json = JSON.stringify({ data: items });
    const fetched = new ArrayBuffer(Buffer.byteLength(json));
    const big = Buffer.from(fetched);
    big.write(json);
    expect(big.byteLength).toBeGreaterThan(1 << 20);
    const local = await collect(inThreadRowParser, big);
    const neighbour = Buffer.from('pooled');
    const small = Buffer.from(JSON.stringify({ data: [message(1)] }));
    const parser = workerRowParser(entry());
    try {
      expect((await collect(parser, big)).rows).toEqual(local.rows);
      expect(fetched.byteLength).toBe(0);
      expect((await collect(parser, small)).rows).toHaveLength(1);
      expect(small.toString()).toContain('"data"');
      expect(neighbour.toString()).toBe('pooled');
    } finally {
      await parser.close();
    }
  });

  it('collects what a big download left as soon as its body is handed over', async () => {
    const json = JSON.stringify({ data: Array.from({ length: 32_000 }, (_, i) => message(i)) });
    const big = Buffer.from(json);
    expect(big.byteLength).toBeGreaterThan(4 << 20);
    const parser = workerRowParser(entry());
    try {
      // Settles the thread's start, so what follows happens within one task each.
      await collect(parser, Buffer.from(JSON.stringify({ data: [message(1)] })));
      // What a download leaves: buffers nothing refers to once the body is assembled.
      const leftBehind = new WeakRef(new ArrayBuffer(8 << 20));
      // A WeakRef keeps its target alive until the task that made it ends.
      await setImmediateTask();
      const handing = collect(parser, big);
      // The collection ran inside parse(), before it returned.
      expect(leftBehind.deref()).toBeUndefined();
      expect((await handing).rows).toHaveLength(32_000);
    } finally {
      await parser.close();
    }
  });

  it('keeps 19-digit ids sent as bare numbers exact', async () => {
    const body = Buffer.from('{"data":[{"id":1901318000001615007,"time":1700000000000,"type":"text","sender":{"id":"7"},"content":{"text":"x"}}]}');
    const parser = workerRowParser(entry());
    try {
      expect((await collect(parser, body)).rows.map((r) => r.messageId)).toEqual(['1901318000001615007']);
    } finally {
      await parser.close();
    }
  });

  it('hands over every row before an invalid message, then rejects as the sync thread does', async () => {
    const invalidAt = rowsPerBatch + 200;
    const items: unknown[] = Array.from({ length: manyBatches }, (_, i) => message(i));
    items[invalidAt] = { id: 'no time' };
    const parser = workerRowParser(entry());
    try {
      const threaded = await failure(parser, bodyOf(items));
      const local = await failure(inThreadRowParser, bodyOf(items));
      expect(threaded.rows).toBe(invalidAt);
      expect(local.rows).toBe(invalidAt);
      expect(threaded.error).toMatchObject({ name: 'VaultError', code: 'MALFORMED_RESPONSE', message: (local.error as Error).message });
      // A body that is not JSON at all.
      expect((await failure(parser, Buffer.from('<cut'))).error).toMatchObject({ code: 'MALFORMED_RESPONSE' });
    } finally {
      await parser.close();
    }
  });

  it('rejects with what storing the rows threw, as itself, and goes on with the next body', async () => {
    const full = new Error('SQLITE_FULL: database or disk is full');
    const body = bodyOf(Array.from({ length: manyBatches }, (_, i) => message(i)));
    const parser = workerRowParser(entry());
    try {
      let calls = 0;
      const storing = parser.parse(body, 'CT_1', stamp, () => {
        calls += 1;
        if (calls === 2) throw full;
      });
      await expect(storing).rejects.toBe(full);
      // The thread gave the first body up rather than wait for credit forever: the next is parsed.
      expect((await collect(parser, body, 'CT_2')).rows).toHaveLength(manyBatches);
      expect(calls).toBe(2);
    } finally {
      await parser.close();
    }
  });

  it('parses bodies from two conversations at once, each in its own order', async () => {
    const first = bodyOf(Array.from({ length: manyBatches }, (_, i) => message(i)));
    const second = bodyOf(Array.from({ length: 300 }, (_, i) => message(10_000 + i)));
    const parser = workerRowParser(entry());
    try {
      const [a, b] = await Promise.all([collect(parser, first, 'CT_A'), collect(parser, second, 'CT_B')]);
      expect(a.rows.map((r) => r.time)).toEqual(Array.from({ length: manyBatches }, (_, i) => 1_700_000_000_000 + i));
      expect(b.rows.map((r) => r.chatId)).toEqual(Array.from({ length: 300 }, () => 'CT_B'));
    } finally {
      await parser.close();
    }
  });

  it('says the thread stopped when it cannot start, and starts a new one for the next body', async () => {
    const missing = new URL('./no-such-parser.mjs', entry());
    const parser = workerRowParser(missing);
    await expect(parser.parse(bodyOf([message(1)]), 'CT_1', stamp, () => undefined)).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('parser thread stopped') as unknown });
    await parser.close();
  });

  it('ends a body still being parsed when the sync closes it, and closes idle at once', async () => {
    const parser = workerRowParser(entry());
    const body = bodyOf(Array.from({ length: manyBatches }, (_, i) => message(i)));
    const parsing = parser.parse(body, 'CT_1', stamp, () => undefined);
    const closing = parser.close();
    await expect(parsing).rejects.toMatchObject({ code: 'CANCELLED' });
    await closing;
    await workerRowParser(entry()).close();
  });
});

describe('a parse job on the thread', () => {
  const job = (credits: number, count: number) => {
    const control = new SharedArrayBuffer(controlSlots * Int32Array.BYTES_PER_ELEMENT);
    new Int32Array(control)[creditSlot] = credits;
    return { job: 1, chatId: 'CT_1', stamp, body: new Uint8Array(bodyOf(Array.from({ length: count }, (_, i) => message(i)))), control };
  };

  it('waits at zero credit however far it could go, until the sync gives the job up', async () => {
    const parse = job(2, rowsPerBatch * 5);
    const sent: ParseReply[] = [];
    // Another thread plays the sync giving up; this one blocks in the job meanwhile.
    const giver = new Worker(
      `const { workerData } = require('node:worker_threads');
       const control = new Int32Array(workerData);
       setTimeout(() => { Atomics.store(control, ${cancelSlot}, 1); Atomics.notify(control, ${creditSlot}); }, 50);`,
      { eval: true, workerData: parse.control },
    );
    try {
      const end = parseJob(parse, (reply) => sent.push(reply));
      expect(sent).toHaveLength(2);
      expect(end).toEqual({ job: 1, done: true });
    } finally {
      await giver.terminate();
    }
  });

  it('goes on as the sync hands credit back, to the last row', () => {
    const parse = job(1, rowsPerBatch * batchesAhead + 1);
    let rows = 0;
    const end = parseJob(parse, (reply) => {
      if ('rows' in reply) rows += reply.rows.length;
      Atomics.add(new Int32Array(parse.control), creditSlot, 1);
    });
    expect(rows).toBe(rowsPerBatch * batchesAhead + 1);
    expect(end).toEqual({ job: 1, done: true });
  });
});

describe('the thread serving jobs', () => {
  /** A port the test plays the sync on: it takes what the thread sends, and hands it jobs. */
  const port = () => {
    const sent: ParseReply[] = [];
    let onJob: ((job: unknown) => void) | undefined;
    serveRowParsing({
      on: ((event: string, listener: (job: unknown) => void) => {
        expect(event).toBe('message');
        onJob = listener;
      }) as never,
      postMessage: (reply: ParseReply) => sent.push(reply),
    });
    return { sent, give: (job: unknown) => onJob?.(job) };
  };
  const jobOf = (body: Buffer, credits = 100) => {
    const control = new SharedArrayBuffer(controlSlots * Int32Array.BYTES_PER_ELEMENT);
    new Int32Array(control)[creditSlot] = credits;
    return { job: 7, chatId: 'CT_1', stamp, body: new Uint8Array(body), control };
  };

  it('lets go of a body as soon as its job ends, not at a later garbage collection', () => {
    const { sent, give } = port();
    const job = jobOf(bodyOf(Array.from({ length: manyBatches }, (_, i) => message(i))));
    const bytes = job.body.byteLength;
    expect(bytes).toBeGreaterThan(0);
    give(job);
    expect(sent.flatMap((reply) => ('rows' in reply ? reply.rows : []))).toHaveLength(manyBatches);
    expect(sent.at(-1)).toEqual({ job: 7, done: true });
    expect(job.body.buffer.detached).toBe(true);
    expect(job.body.byteLength).toBe(0);
  });

  it('lets go of it when the job fails too, after the valid rows before the failure', () => {
    const { sent, give } = port();
    const job = jobOf(bodyOf([message(0), message(1), { not: 'a message' }]));
    give(job);
    expect(sent.flatMap((reply) => ('rows' in reply ? reply.rows : []))).toHaveLength(2);
    expect(sent.at(-1)).toMatchObject({ job: 7, error: { code: 'MALFORMED_RESPONSE' } });
    expect(job.body.buffer.detached).toBe(true);
  });

  it('lets go of it when the sync gave the job up', () => {
    const { sent, give } = port();
    const job = jobOf(bodyOf(Array.from({ length: manyBatches }, (_, i) => message(i))), 1);
    Atomics.store(new Int32Array(job.control), cancelSlot, 1);
    give(job);
    expect(sent.at(-1)).toEqual({ job: 7, done: true });
    expect(job.body.buffer.detached).toBe(true);
  });
});
