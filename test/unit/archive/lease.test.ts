import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../../electron/core/archive/archive';
import { useTempDir } from '../../helpers/tempDir';

describe('writer lease', () => {
  const tempDir = useTempDir();
  const a = { holder: 'app', pid: 101, host: 'desk' };
  const b = { holder: 'cli', pid: 202, host: 'desk' };

  it('lets one process write at a time, across connections to the same file', () => {
    const path = join(tempDir(), 'a.sqlite');
    let now = 1_000;
    const alive = new Set([101, 202]);
    const first = openArchive(path, { clock: { now: () => now }, isAlive: (pid) => alive.has(pid) });
    const second = openArchive(path, { clock: { now: () => now }, isAlive: (pid) => alive.has(pid) });
    expect(first.lease.acquire(a, 30_000)).toEqual({ ok: true });
    const refused = second.lease.acquire(b, 30_000);
    expect(refused).toMatchObject({ ok: false, current: { holder: 'app', pid: 101, host: 'desk' } });

    now += 20_000;
    expect(first.lease.heartbeat(a, 30_000)).toBe(true);
    now += 20_000;
    expect(second.lease.acquire(b, 30_000).ok).toBe(false);

    first.lease.release(a);
    expect(second.lease.acquire(b, 30_000)).toEqual({ ok: true });
    expect(first.lease.heartbeat(a, 30_000)).toBe(false);
    first.close();
    second.close();
  });

  it('takes over at once from a holder on this host whose process is dead (SIGKILL)', () => {
    const path = join(tempDir(), 'a.sqlite');
    const alive = new Set([101]);
    const archive = openArchive(path, { clock: { now: () => 1_000 }, isAlive: (pid) => alive.has(pid) });
    archive.lease.acquire(a, 30_000);
    alive.delete(101);
    expect(archive.lease.acquire(b, 30_000)).toEqual({ ok: true });
  });

  it('takes over from a holder on another host only after its lease expired', () => {
    const path = join(tempDir(), 'a.sqlite');
    let now = 1_000;
    const archive = openArchive(path, { clock: { now: () => now }, isAlive: () => false });
    archive.lease.acquire({ holder: 'server', pid: 7, host: 'nas' }, 30_000);
    expect(archive.lease.acquire(b, 30_000).ok).toBe(false);
    now += 30_001;
    expect(archive.lease.acquire(b, 30_000)).toEqual({ ok: true });
  });

  it('persists rate locks and keeps the later of two', () => {
    const archive = openArchive(join(tempDir(), 'a.sqlite'), { clock: { now: () => 5 } });
    archive.lease.saveLock('maint.messages', 1_000, 'HTTP 429');
    archive.lease.saveLock('maint.messages', 500, 'HTTP 429');
    expect(archive.lease.loadLocks()).toEqual([{ family: 'maint.messages', lockedUntil: 1_000 }]);
  });
});
