import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { untilInterrupted, withInterrupt } from '../../../electron/cli/interrupt';

/** A stand-in for `process`: signals are emitted on it, never sent to the test runner. */
function fakeProcess(): EventEmitter & { listening(): number } {
  const emitter = new EventEmitter() as EventEmitter & { listening(): number };
  emitter.listening = () => emitter.listenerCount('SIGINT') + emitter.listenerCount('SIGTERM');
  return emitter;
}

describe('withInterrupt', () => {
  it('aborts the work at SIGINT, and at SIGTERM', async () => {
    for (const name of ['SIGINT', 'SIGTERM']) {
      const source = fakeProcess();
      const seen = await withInterrupt(async (signal) => {
        expect(signal.aborted).toBe(false);
        expect(source.listening()).toBe(2);
        source.emit(name);
        await Promise.resolve();
        return signal.aborted;
      }, source);
      expect([name, seen]).toEqual([name, true]);
      expect(source.listening()).toBe(0);
    }
  });

  it('removes its listeners when the work ends, returns or throws, and leaves others alone', async () => {
    const source = fakeProcess();
    const theirs = () => undefined;
    source.on('SIGINT', theirs);
    await expect(withInterrupt(() => Promise.resolve(42), source)).resolves.toBe(42);
    expect(source.listenerCount('SIGINT')).toBe(1);
    expect(source.listenerCount('SIGTERM')).toBe(0);
    await expect(withInterrupt(() => Promise.reject(new Error('boom')), source)).rejects.toThrow('boom');
    expect(source.listeners('SIGINT')).toEqual([theirs]);
    expect(source.listenerCount('SIGTERM')).toBe(0);
  });

  it('listens once per signal, so a second Ctrl-C reaches Node (which ends the process)', async () => {
    const source = fakeProcess();
    await withInterrupt(async () => {
      source.emit('SIGINT');
      expect(source.listenerCount('SIGINT')).toBe(0);
      expect(source.listenerCount('SIGTERM')).toBe(1);
      await Promise.resolve();
    }, source);
    expect(source.listening()).toBe(0);
  });

  it('gives each run its own signal', async () => {
    const source = fakeProcess();
    const first = await withInterrupt((signal) => Promise.resolve(signal), source);
    source.emit('SIGINT');
    const second = await withInterrupt((signal) => Promise.resolve(signal), source);
    expect(first.aborted).toBe(false);
    expect(second.aborted).toBe(false);
  });
});

describe('untilInterrupted', () => {
  it('resolves at the first SIGINT or SIGTERM and stops listening', async () => {
    for (const name of ['SIGINT', 'SIGTERM']) {
      const source = fakeProcess();
      let resolved = false;
      const waiting = untilInterrupted(source).then(() => {
        resolved = true;
      });
      await Promise.resolve();
      expect(resolved).toBe(false);
      expect(source.listening()).toBe(2);
      source.emit(name);
      await waiting;
      expect(resolved).toBe(true);
      expect(source.listening()).toBe(0);
    }
  });
});
