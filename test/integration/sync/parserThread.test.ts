import Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyArchive } from '../../../electron/core/archive/sealing/verify';
import { syncArchive } from '../../../electron/core/createCore';
import { useRowParserThread } from '../../../electron/core/sync/rowParser';
import type { FaultKind } from '../../../electron/simulator';
import { canonicalSnapshot, compareWithTruth } from '../../helpers/archiveCheck';
import { useRowParserBundle } from '../../helpers/rowParserBundle';
import { SharedVirtualClock, connectionTo, useSimulators, virtualRuntime } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

/** Every message row as stored, in key order (the parse must not change a byte of them). */
function messages(path: string): unknown[] {
  const db = new Database(path, { readonly: true });
  try {
    return db
      .prepare(
        'SELECT chat_id, message_id, time, sender_id, type, subtype, text, file_id, file_name, extra_text, revision, content_hash, raw_json, search_scope FROM messages ORDER BY chat_id, time, message_id',
      )
      .all();
  } finally {
    db.close();
  }
}

function verified(path: string): boolean {
  const db = new Database(path, { readonly: true });
  try {
    return verifyArchive(db).ok;
  } finally {
    db.close();
  }
}

describe('a sync parsing on its parser thread (as the CLI, the app and the bench do)', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();
  const entry = useRowParserBundle();
  afterEach(() => useRowParserThread(undefined));

  it('stores the archive a sync parsing on its own thread stores, sealed and equal to the truth', async () => {
    const sim = await simulator({ seed: 4, scale: 'small' });
    const local = join(tempDir(), 'local.sqlite');
    expect((await syncArchive(local, connectionTo(sim))).status).toBe('complete');

    useRowParserThread(entry());
    const threaded = join(tempDir(), 'threaded.sqlite');
    const report = await syncArchive(threaded, connectionTo(sim));
    expect(report.status).toBe('complete');
    expect(report.errors).toEqual([]);
    expect(report.counts.messagesNew).toBeGreaterThan(1_000);
    expect(messages(threaded)).toEqual(messages(local));
    expect(canonicalSnapshot(threaded)).toEqual(canonicalSnapshot(local));
    expect(compareWithTruth(threaded, sim.truth()).missing).toEqual([]);
    expect(verified(threaded)).toBe(true);
  });

  it.each<FaultKind>(['truncate', 'malformed'])('fetches a %s messages answer again and stores it whole', async (kind) => {
    const clock = new SharedVirtualClock();
    const sim = await simulator({ seed: 4, scale: 'tiny', clock, faults: [{ family: 'maint.messages', kind, after: 0, times: 2 }] });
    useRowParserThread(entry());
    const path = join(tempDir(), 'a.sqlite');
    const report = await syncArchive(path, connectionTo(sim), {}, virtualRuntime(clock));
    expect(report.status).toBe('complete');
    expect(report.errors).toEqual([]);
    expect(compareWithTruth(path, sim.truth()).missing).toEqual([]);
    expect(verified(path)).toBe(true);
  });
});
