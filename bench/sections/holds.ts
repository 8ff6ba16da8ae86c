import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openArchiveDb } from '../../electron/core/archive/connection';
import { markHeld } from '../../electron/core/holds/holdScope';
import { listHolds } from '../../electron/core/holds/holdReads';
import { placeHold } from '../../electron/core/holds/holdWrites';
import type { HoldInput } from '../../shared/holds';
import { percentile } from '../proc';
import type { Row } from '../results';

const runs = 5;

/**
 * The legal hold scope predicate (core/holds/holdScope.ts markHeld: every active hold evaluated,
 * its messages unioned into temp.held_messages) on a copy of the archive with five holds placed:
 * the busiest sender as custodian, the biggest conversation, a quarter of the archive's dates, its
 * most common word, and the three together. What retention pays before it may purge anything.
 */
export function benchHolds(archivePath: string): Row[] {
  const work = mkdtempSync(join(tmpdir(), 'cliq-vault-bench-holds-'));
  try {
    const copy = join(work, 'holds.sqlite');
    copyFileSync(archivePath, copy);
    for (const suffix of ['-wal', '-shm']) if (existsSync(archivePath + suffix)) copyFileSync(archivePath + suffix, copy + suffix);
    const probe = openArchiveDb(copy, { readonly: false });
    const sender = probe.prepare<[], string>('SELECT sender_id FROM messages WHERE sender_id IS NOT NULL GROUP BY sender_id ORDER BY count(*) DESC LIMIT 1').pluck().get() ?? '';
    const chat = probe.prepare<[], string>('SELECT chat_id FROM messages GROUP BY chat_id ORDER BY count(*) DESC LIMIT 1').pluck().get() ?? '';
    const span = probe.prepare<[], { lo: number; hi: number }>('SELECT min(time) AS lo, max(time) AS hi FROM messages').get() ?? { lo: 0, hi: 0 };
    probe.exec('CREATE VIRTUAL TABLE IF NOT EXISTS temp.bench_vocab USING fts5vocab(main, messages_fts, col)');
    const word = probe.prepare<[], string>("SELECT term FROM temp.bench_vocab WHERE col = 'text' AND length(term) >= 4 AND term NOT GLOB '*[0-9]*' ORDER BY doc DESC LIMIT 1").pluck().get() ?? 'the';
    const messages = probe.prepare('SELECT count(*) FROM messages').pluck().get() as number;
    probe.close();
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const dates = { from: day(span.lo + (span.hi - span.lo) / 4), to: day(span.lo + (span.hi - span.lo) / 2) };
    const holds: HoldInput[] = [
      { name: 'custodian', custodians: [sender] },
      { name: 'conversation', conversations: [chat] },
      { name: 'dates', ...dates },
      { name: 'query', query: word },
      { name: 'all three', custodians: [sender], ...dates, query: word },
    ];
    for (const hold of holds) placeHold(copy, { ...hold, reason: 'bench' });

    const db = openArchiveDb(copy, { readonly: true });
    try {
      let held = 0;
      const times: number[] = [];
      for (let i = 0; i < runs + 1; i += 1) {
        const start = process.hrtime.bigint();
        db.exec('BEGIN');
        held = markHeld(db).messages;
        db.exec('COMMIT');
        // The first run warms the page cache.
        if (i > 0) times.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      times.sort((a, b) => a - b);
      const counts = listHolds(db)
        .map((h) => `${h.name} ${h.counts.messages.toLocaleString('en-US')}`)
        .join(', ');
      const p50 = percentile(times, 50);
      return [
        {
          section: 'holds',
          measure: `markHeld, 5 active holds on ${messages.toLocaleString('en-US')} messages (${held.toLocaleString('en-US')} held: ${counts}): p50`,
          figure: p50,
          unit: 'ms',
          target: '≤ 5,000 ms',
          pass: p50 <= 5_000,
        },
      ];
    } finally {
      db.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
