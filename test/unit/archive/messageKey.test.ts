import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../../electron/core/archive/archive';
import { keyCeil, keyFloor, maxKeyTime, slotsPerMs, timeOfKey } from '../../../electron/core/archive/messageKey';
import { messageRow, textMessage } from '../../helpers/messages';
import { useTempDir } from '../../helpers/tempDir';

describe('message keys', () => {
  const tempDir = useTempDir();

  it('is the encoding every archive holds: time_ms * 1024 + n', () => {
    // Frozen: archives written since migration 0010 store keys in this encoding.
    expect(slotsPerMs).toBe(1024);
    expect(keyFloor(1_700_000_000_250)).toBe(1_700_000_000_250 * 1024);
    expect(keyCeil(1_700_000_000_250)).toBe(1_700_000_000_250 * 1024 + 1023);
  });

  it('gives each millisecond its own range, in time order, and names the millisecond of a key', () => {
    for (const time of [0, 1, 999, 1_700_000_000_250, maxKeyTime - 1, maxKeyTime]) {
      expect(keyFloor(time)).toBeLessThan(keyCeil(time));
      expect(keyCeil(time) - keyFloor(time) + 1).toBe(slotsPerMs);
      expect(timeOfKey(keyFloor(time))).toBe(time);
      expect(timeOfKey(keyFloor(time) + 1)).toBe(time);
      expect(timeOfKey(keyCeil(time))).toBe(time);
      if (time < maxKeyTime) expect(keyCeil(time) + 1).toBe(keyFloor(time + 1));
    }
  });

  it('stays within safe integers until the last time it can encode (the year 2248)', () => {
    expect(keyCeil(maxKeyTime)).toBe(Number.MAX_SAFE_INTEGER);
    expect(Number.isSafeInteger(keyCeil(maxKeyTime))).toBe(true);
    expect(new Date(maxKeyTime).getUTCFullYear()).toBe(2248);
  });

  it('is what the archive gives messages: a tie takes the next slot of its millisecond', () => {
    const archive = openArchive(join(tempDir(), 'a.sqlite'));
    const runId = archive.runs.start(1, 'test', {}, 1, 'h');
    archive.transaction(() => archive.sealer.open('sync', runId, 1));
    const time = 1_700_000_000_250;
    archive.transaction(() =>
      archive.messages.upsert([messageRow('c1', textMessage('a', time, 'first')), messageRow('c1', textMessage('b', time, 'tie')), messageRow('c1', textMessage('c', time + 1, 'next'))], {
        runId,
        now: 10,
      }),
    );
    const keys = archive.db.prepare<[], { id: number; time: number }>('SELECT id, time FROM messages ORDER BY id').all();
    expect(keys).toEqual([
      { id: keyFloor(time), time },
      { id: keyFloor(time) + 1, time },
      { id: keyFloor(time + 1), time: time + 1 },
    ]);
    for (const k of keys) expect(timeOfKey(k.id)).toBe(k.time);
    archive.close();
  });
});
