import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { verifyArchive } from '../../../electron/core/archive/sealing/verify';
import { startSimulator } from '../../../electron/simulator';
import { buildFromSimulator } from '../../../bench/simArchive';
import { compareWithTruth } from '../../helpers/archiveCheck';
import { useTempDir } from '../../helpers/tempDir';

/**
 * The bench's in-process builder (bench/simArchive.ts) makes the archive a sync would: on the tiny
 * org, every chat, channel, thread, user, membership and message of the simulator's truth, payload
 * for payload, sealed so that verify passes. No time is asserted.
 */
describe('bench: the archive built from the simulator in process', () => {
  const tempDir = useTempDir('cliq-vault-sim-archive-');

  it('holds the tiny org as the simulator knows it, id for id, with a valid seal', async () => {
    const archive = join(tempDir(), 'tiny.sqlite');
    const built = await buildFromSimulator('tiny', archive);

    const sim = await startSimulator({ scale: 'tiny', seed: 1 });
    try {
      const truth = sim.truth();
      expect(compareWithTruth(archive, truth).missing).toEqual([]);
      const total = Object.values(truth.messages).reduce((n, messages) => n + messages.length, 0);
      expect(built).toMatchObject({ messages: total, conversations: Object.keys(truth.messages).length, warnings: 0 });
    } finally {
      await sim.close();
    }

    const db = new Database(archive, { readonly: true });
    try {
      const report = verifyArchive(db);
      expect(report.problems).toEqual([]);
      expect(report.openSeals).toEqual([]);
      expect(report.ok).toBe(true);
    } finally {
      db.close();
    }
  });
});
