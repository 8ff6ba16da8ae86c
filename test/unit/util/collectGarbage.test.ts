import { setImmediate as nextTask } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../../electron/core/util/collectGarbage';

/** A big buffer nothing refers to any more, watched through a WeakRef. */
function garbage(): WeakRef<ArrayBuffer> {
  return new WeakRef(new ArrayBuffer(8 << 20));
}

describe('collecting garbage now', () => {
  it('frees what nothing refers to, without the process started with --expose-gc', async () => {
    expect(process.execArgv).not.toContain('--expose-gc');
    const watched = garbage();
    // A WeakRef keeps its target alive until the task that made it ends.
    await nextTask();
    collectGarbage();
    expect(watched.deref()).toBeUndefined();
  });

  it('keeps what is still referred to, and can be asked again', async () => {
    const kept = new ArrayBuffer(1 << 20);
    const watchedKept = new WeakRef(kept);
    const watched = garbage();
    await nextTask();
    collectGarbage();
    collectGarbage();
    expect(watched.deref()).toBeUndefined();
    expect(watchedKept.deref()).toBe(kept);
  });
});
