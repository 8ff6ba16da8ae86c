import Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syncArchive } from '../../../electron/core/createCore';
import { canonicalSnapshot, compareWithTruth } from '../../helpers/archiveCheck';
import { connectionTo, useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

type Message = { id: string; time: number } & Record<string, unknown>;

/**
 * A fetch that passes every request to the simulator and rewrites the answers of the messages
 * export (M4) with `rewrite(messages, url, previousPages)`: a server that repeats, reorders or
 * mixes up pages, as the export's undocumented paging may.
 */
function rewritingFetch(rewrite: (data: Message[], url: URL, earlier: Message[][]) => Message[]): { fetch: typeof fetch; rewritten: () => number } {
  const pages = new Map<string, Message[][]>();
  let rewritten = 0;
  const wrapped: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (!/\/maintenanceapi\/v2\/chats\/[^/]+\/messages$/.test(url.pathname) || response.status !== 200) return response;
    const body = (await response.json()) as { data: Message[] } & Record<string, unknown>;
    const chat = url.pathname;
    const earlier = pages.get(chat) ?? [];
    const data = rewrite(body.data, url, earlier);
    if (JSON.stringify(data) !== JSON.stringify(body.data)) rewritten += 1;
    pages.set(chat, [...earlier, body.data]);
    return new Response(JSON.stringify({ ...body, data }), { status: 200, headers: { 'content-type': 'application/json;charset=UTF-8' } });
  };
  return { fetch: wrapped, rewritten: () => rewritten };
}

function deletedCount(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM messages WHERE deleted_at IS NOT NULL').pluck().get() as number;
  } finally {
    db.close();
  }
}

/**
 * Message data faults: duplicates and disorder within and across pages. Ties in one millisecond
 * at a page boundary are proven in test/unit/sync/messageWalker.test.ts ("keeps ties that straddle
 * a page boundary", both bound kinds) and against the simulator in test/integration/sync/truth.test.ts.
 */
describe('duplicate and out-of-order messages', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('a windowed export whose pages come newest first, overlapping the page before: each message stored once, none lost, none falsely deleted', async () => {
    const sim = await simulator({ seed: 7, scale: 'tiny', maintenanceHonorsTimeWindow: true });
    const path = join(tempDir(), 'a.sqlite');
    // Each page newest first; the overlap with the page before (the walker asks from 1 ms before
    // the last time it saw) repeats messages already stored.
    const server = rewritingFetch((data) => [...data].reverse());
    const report = await syncArchive(path, connectionTo(sim, { quotaScale: 1_000 }), { pageLimit: 20 }, { fetch: server.fetch });
    expect(server.rewritten()).toBeGreaterThan(0);
    expect(report.status).toBe('complete');
    expect(compareWithTruth(path, sim.truth()).missing).toEqual([]);
    expect(deletedCount(path)).toBe(0);
    const reference = join(tempDir(), 'b.sqlite');
    await syncArchive(reference, connectionTo(sim), { pageLimit: 20 });
    expect(canonicalSnapshot(path).messages).toEqual(canonicalSnapshot(reference).messages);
  });

  it('a windowed export that slips in messages from before the window: none lost, none falsely deleted', async () => {
    const sim = await simulator({ seed: 7, scale: 'tiny', maintenanceHonorsTimeWindow: true });
    const path = join(tempDir(), 'a.sqlite');
    const server = rewritingFetch((data, _url, earlier) => {
      const first = earlier[0]?.[0];
      // A message from the first page (older than the window asked) comes back in a later page.
      return first && data.length > 0 && !data.some((d) => d.id === first.id) ? [first, ...data.slice(1)] : data;
    });
    const first = await syncArchive(path, connectionTo(sim), { pageLimit: 20 }, { fetch: server.fetch });
    expect(server.rewritten()).toBeGreaterThan(0);
    expect(first.status).toBe('complete');
    // The stray displaced only the overlap message (already stored from the page before).
    expect(compareWithTruth(path, sim.truth()).missing).toEqual([]);
    expect(deletedCount(path)).toBe(0);
    // And a full walk through the same server still finds nothing deleted.
    const full = await syncArchive(path, connectionTo(sim), { pageLimit: 20, full: true }, { fetch: server.fetch });
    expect(full.counts.messagesDeleted).toBe(0);
    expect(deletedCount(path)).toBe(0);
  });

  it('a single-shot export in random order with every message twice: stored once each, equal to the truth, a re-run changes nothing', async () => {
    const sim = await simulator({ seed: 7, scale: 'tiny' });
    const path = join(tempDir(), 'a.sqlite');
    let flip = 0;
    const server = rewritingFetch((data) => {
      const doubled = [...data, ...data];
      // A deterministic shuffle: interleave from both ends.
      const out: Message[] = [];
      while (doubled.length > 0) out.push(((flip += 1) % 2 === 0 ? doubled.shift() : doubled.pop()) as Message);
      return out;
    });
    const report = await syncArchive(path, connectionTo(sim), {}, { fetch: server.fetch });
    expect(server.rewritten()).toBeGreaterThan(0);
    expect(report.status).toBe('complete');
    expect(report.counts.messagesNew).toBe(Object.values(sim.truth().messages).reduce((n, m) => n + m.length, 0));
    expect(compareWithTruth(path, sim.truth()).missing).toEqual([]);
    const before = canonicalSnapshot(path);
    const again = await syncArchive(path, connectionTo(sim), { full: true }, { fetch: server.fetch });
    expect(again.counts).toMatchObject({ messagesNew: 0, messagesChanged: 0, messagesDeleted: 0 });
    expect(canonicalSnapshot(path)).toEqual(before);
  });
});
