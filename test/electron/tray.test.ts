import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventName, EventPayloads, Result } from '../../shared/contract';
import type { ScheduleStatus } from '../../shared/views';
import type { AppService } from '../../electron/core/app/appService';
import { silentLogger } from '../../electron/core/util/log';
import { createTray, trayIconPath, trayTooltip } from '../../electron/main/tray';
import { FakeNotification, FakeTray, resetFake, type FakeMenuItem } from './fakeElectron';

vi.mock('electron', async () => (await import('./fakeElectron')).electronModule);

type Listener = Parameters<AppService['on']>[0];

const ran: ScheduleStatus = { enabled: true, nextRun: null, lastRun: { at: Date.UTC(2026, 10, 24, 2, 30), ok: true, message: 'Sync complete; snapshot /b/s.sqlite.' }, runsInApp: true };

function fakeService(answers: Record<string, Result<unknown>> = {}) {
  const listeners = new Set<Listener>();
  const calls: { name: string; request: unknown }[] = [];
  return {
    calls,
    listeners,
    emit<E extends EventName>(event: E, payload: EventPayloads[E]) {
      for (const listener of listeners) listener(event, payload);
    },
    service: {
      dispatch(name: string, request: unknown): Promise<Result<unknown>> {
        calls.push({ name, request });
        return Promise.resolve(answers[name] ?? { ok: true, value: { path: '/backups/snap.sqlite' } });
      },
      on(listener: Listener) {
        listeners.add(listener);
        return () => void listeners.delete(listener);
      },
    },
  };
}

const iconDir = join(import.meta.dirname, '..', '..', 'build', 'tray');
const flush = () => new Promise((resolve) => setImmediate(resolve));

function open(app: ReturnType<typeof fakeService>, platform: NodeJS.Platform = 'linux') {
  const shown = vi.fn();
  const quit = vi.fn();
  const handle = createTray({ service: app.service, iconDir, platform, showWindow: shown, quit, log: silentLogger });
  const tray = FakeTray.instances[0];
  if (!tray) throw new Error('no tray');
  const item = (label: string): FakeMenuItem => {
    const found = tray.menu?.items.find((candidate) => candidate.label === label);
    if (!found) throw new Error(`no menu item ${label}`);
    return found;
  };
  return { handle, tray, item, shown, quit };
}

beforeEach(() => resetFake());

describe('tray icons', () => {
  it('exist in build/tray, a template image on macOS', () => {
    expect(trayIconPath(iconDir, 'darwin')).toBe(join(iconDir, 'trayTemplate.png'));
    expect(trayIconPath(iconDir, 'win32')).toBe(join(iconDir, 'tray.png'));
    for (const name of ['tray.png', 'tray@2x.png', 'trayTemplate.png', 'trayTemplate@2x.png']) expect(existsSync(join(iconDir, name)), name).toBe(true);
  });

  it('are marked as a template on macOS only', () => {
    expect((open(fakeService(), 'darwin').tray.image as { template: boolean }).template).toBe(true);
    resetFake();
    expect((open(fakeService(), 'linux').tray.image as { template: boolean }).template).toBe(false);
  });
});

describe('the tray tooltip', () => {
  it('names the app until a scheduled run has happened, then tells how it went', () => {
    expect(trayTooltip(null)).toBe('Cliq Vault');
    expect(trayTooltip({ lastRun: null })).toBe('Cliq Vault');
    expect(trayTooltip(ran, () => '24 Nov 02:30')).toBe('Cliq Vault — last scheduled run 24 Nov 02:30: OK (Sync complete; snapshot /b/s.sqlite.)');
    expect(trayTooltip({ lastRun: { at: 0, ok: false, message: 'Network down.' } }, () => 'then')).toBe('Cliq Vault — last scheduled run then: failed (Network down.)');
  });

  it('starts from schedule:status and follows schedule:ran', async () => {
    const app = fakeService({ 'schedule:status': { ok: true, value: { ...ran, lastRun: { ...ran.lastRun, message: 'from status' } } } });
    const { tray } = open(app);
    await flush();
    expect(tray.tooltip).toContain('from status');
    app.emit('schedule:ran', { ...ran, lastRun: { at: 1, ok: false, message: 'from the event' } });
    expect(tray.tooltip).toContain('failed (from the event)');
  });
});

describe('the tray menu', () => {
  it('opens the window, syncs, backs up and quits through the service', async () => {
    const app = fakeService();
    const { item, shown, quit, tray } = open(app);
    expect(tray.menu?.items.map((entry) => entry.label ?? entry.type)).toEqual(['Open Cliq Vault', 'separator', 'Sync now', 'Back up now', 'separator', 'Quit Cliq Vault']);
    item('Open Cliq Vault').click?.();
    expect(shown).toHaveBeenCalledTimes(1);
    item('Sync now').click?.();
    item('Back up now').click?.();
    await flush();
    expect(app.calls.filter((call) => call.name !== 'schedule:status')).toEqual([
      { name: 'sync:start', request: { full: false } },
      { name: 'backup:create', request: {} },
    ]);
    expect(FakeNotification.shown.map((note) => note.body)).toEqual(['Sync started.', 'Snapshot saved: /backups/snap.sqlite']);
    item('Quit Cliq Vault').click?.();
    expect(quit).toHaveBeenCalledTimes(1);
    tray.emit('click');
    expect(shown).toHaveBeenCalledTimes(2);
  });

  it('tells the user when an action is refused', async () => {
    const app = fakeService({ 'backup:create': { ok: false, error: { code: 'USAGE', message: 'No backup folder is set.', hint: 'Choose one.' } } });
    open(app).item('Back up now').click?.();
    await flush();
    expect(FakeNotification.shown).toEqual([{ title: 'Cliq Vault: Backup failed', body: 'No backup folder is set. Choose one.' }]);
  });

  it('tells it in the app’s words when the core’s are the CLI’s', async () => {
    const error = {
      code: 'ARCHIVE_NOT_FOUND' as const,
      message: 'No archive at /srv/a.sqlite.',
      hint: 'Check the --archive path.',
      ui: { message: 'No archive at /srv/a.sqlite.', hint: 'Check the archive path.' },
    };
    const app = fakeService({ 'backup:create': { ok: false, error } });
    open(app).item('Back up now').click?.();
    await flush();
    expect(FakeNotification.shown).toEqual([{ title: 'Cliq Vault: Backup failed', body: 'No archive at /srv/a.sqlite. Check the archive path.' }]);
  });

  it('goes away with its subscription', () => {
    const app = fakeService();
    const { handle, tray } = open(app);
    handle.destroy();
    expect(tray.destroyed).toBe(true);
    expect(app.listeners.size).toBe(0);
  });
});
