import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../../electron/core/archive/archive';
import { syncAttachments } from '../../../electron/core/sync/attachments';
import { messageRow } from '../../helpers/messages';
import { testSyncContext } from '../../helpers/syncContext';
import { useTempDir } from '../../helpers/tempDir';
import { VirtualClock } from '../../helpers/virtualClock';

const fileMessage = (i: number) => ({
  sender: { name: 'Dana Ruiz', id: '7100001' },
  id: `m${i}`,
  time: 1_000 + i,
  type: 'file',
  content: { file: { id: `f${i}`, name: `r${i}.pdf`, type: 'application/pdf' } },
});

describe('the file lane acts on each attachment once per run', () => {
  const tempDir = useTempDir();

  it('does not try a refused download again when its backoff passes while the run goes on, over more than one batch', async () => {
    const archive = openArchive(join(tempDir(), 'a.sqlite'));
    const asked: string[] = [];
    const clock = new VirtualClock(Date.UTC(2026, 5, 1));
    // Every download is refused, and each takes two hours of the run: the first refusals' one-hour
    // backoff has long passed when the second batch of 50 is read.
    const refusing: typeof fetch = (input) => {
      asked.push(new URL(input instanceof Request ? input.url : String(input)).pathname);
      clock.advance(2 * 3_600_000);
      return Promise.resolve(new Response('{"message":"no access","code":"forbidden"}', { status: 403, headers: { 'content-type': 'application/json' } }));
    };
    const ctx = testSyncContext(archive, refusing, {}, clock);
    archive.transaction(() => archive.sealer.open('sync', ctx.runId, ctx.clock.now()));
    archive.transaction(() => {
      archive.messages.upsert(
        Array.from({ length: 120 }, (_, i) => messageRow('c1', fileMessage(i))),
        ctx.write(),
      );
      archive.attachments.registerFromMessages('c1', ctx.write());
    });
    const outcomes: string[] = [];
    await syncAttachments(ctx, { put: () => Promise.reject(new Error('nothing is stored')) }, { files: 'all', maxBytes: null }, (o) => outcomes.push(o.kind));

    expect(asked).toHaveLength(120);
    expect(new Set(asked).size).toBe(120);
    expect(outcomes.every((k) => k === 'unavailable')).toBe(true);
    expect(archive.db.prepare("SELECT count(*) AS n FROM attachments WHERE status = 'forbidden' AND attempts = 1").get()).toEqual({ n: 120 });
    // A run two hours later tries them all again, their backoff passed.
    const later = ctx.clock.now() + 2 * 3_600_000;
    expect(archive.attachments.due(later, 200, { files: 'all', maxBytes: null }, later)).toHaveLength(120);
  });
});
