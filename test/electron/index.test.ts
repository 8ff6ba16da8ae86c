import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { operationNames, type Result } from '../../shared/contract';
import { fake, fakeEvent, FakeBrowserWindow, FakeTray, FakeUtilityProcess } from './fakeElectron';

vi.mock('electron', async () => (await import('./fakeElectron')).electronModule);

// electron-store cannot load here (it imports the real electron): conf in its place.
vi.mock('electron-store', async () => (await import('./fakeElectron')).electronStoreAsConf());

// The real service is tested in test/integration/app; here the lifecycle around it.
const service = vi.hoisted(() => ({
  dispatch: (name: string): Promise<Result<unknown>> =>
    Promise.resolve(name === 'schedule:status' ? { ok: true, value: { enabled: false, nextRun: null, lastRun: null, runsInApp: true } } : { ok: true, value: null }),
  on: () => () => undefined,
  runScheduledJob: () => Promise.reject(new Error('not in this test')),
  closed: 0,
  close() {
    this.closed += 1;
    return Promise.resolve();
  },
  releaseArchive: () => undefined,
  started: 0,
  start() {
    this.started += 1;
  },
  options: null as null | { spawn: unknown; config: Record<string, unknown>; secrets: { kind: string } },
}));
vi.mock('../../electron/core/app/host/servicePool', () => ({
  createServicePool: (options: typeof service.options) => {
    service.options = options;
    return service;
  },
}));

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cliq-vault-main-'));
  fake.app.setPath('appData', join(dir, 'appData'));
  fake.app.setPath('logs', join(dir, 'logs'));
  await import('../../electron/main/index');
  await vi.waitFor(() => expect(FakeBrowserWindow.instances).toHaveLength(1));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the main process lifecycle', () => {
  it('sandboxes every renderer and pins userData to "<appData>/Cliq Vault"', () => {
    expect(fake.app.sandboxEnabled).toBe(true);
    expect(fake.app.getPath('userData')).toBe(join(dir, 'appData', 'Cliq Vault'));
  });

  it('runs the app service in utility processes started from the packaged worker bundle, with the OS secret store kept here', () => {
    expect(service.started).toBe(1);
    expect(service.options?.config).toMatchObject({
      settingsDir: join(dir, 'appData', 'Cliq Vault'),
      shell: 'electron',
      runsScheduleInApp: true,
      canReveal: true,
      canPickFolder: true,
      canSaveFile: true,
      canOpenFile: true,
      demo: true,
    });
    expect(service.options?.secrets.kind).toBe(service.options?.config.secretStorage);
    // The spawner forks dist/electron/appServiceWorker.mjs of the app (electron-builder packs dist/electron/**).
    const spawn = service.options?.spawn as (role: string) => { kill(): void };
    const worker = spawn('reader');
    worker.kill();
    expect(FakeUtilityProcess.forked.map((child) => [child.modulePath, child.options.serviceName])).toEqual([
      [join(fake.app.getAppPath(), 'dist', 'electron', 'appServiceWorker.mjs'), 'Cliq Vault reader'],
    ]);
  });

  it('registers the app: scheme as privileged and serves it', () => {
    expect(fake.protocol.privileged).toHaveLength(1);
    expect([...fake.protocol.handlers.keys()]).toEqual(['app']);
  });

  it('registers the contract’s IPC handlers and no others', () => {
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual([...operationNames].sort());
    expect(fake.ipcMain.eventNames()).toEqual([]);
  });

  it('opens one guarded window on app://cliq-vault, and a tray', () => {
    const [window] = FakeBrowserWindow.instances;
    expect(window?.loadedUrl).toBe('app://cliq-vault/index.html');
    expect(window?.webContents.windowOpenHandler).not.toBeNull();
    expect(fake.session.defaultSession.permissionRequestHandler).not.toBeNull();
    expect(FakeTray.instances).toHaveLength(1);
  });

  it('shows the existing window on a second launch', () => {
    const [window] = FakeBrowserWindow.instances;
    if (!window) throw new Error('no window');
    window.minimized = true;
    window.visible = false;
    fake.app.emit('second-instance', fakeEvent(), [], '/');
    expect(window.minimized).toBe(false);
    expect(window.visible).toBe(true);
    expect(FakeBrowserWindow.instances).toHaveLength(1);
  });

  it('quits when the last window closes while the in-app schedule is off', () => {
    if (process.platform === 'darwin') return;
    const before = fake.app.quitCalls;
    fake.app.emit('window-all-closed');
    expect(fake.app.quitCalls).toBe(before + 1);
  });

  it('closes the service before letting Electron quit', async () => {
    const before = fake.app.quitCalls;
    const first = fakeEvent();
    fake.app.emit('before-quit', first);
    expect(first.defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(fake.app.quitCalls).toBe(before + 1));
    expect(service.closed).toBe(1);
    expect(FakeTray.instances[0]?.destroyed).toBe(true);
    expect(fake.ipcMain.handlers.size).toBe(0);
    const second = fakeEvent();
    fake.app.emit('before-quit', second);
    expect(second.defaultPrevented).toBe(false);
    expect(fake.dialog.errors).toEqual([]);
    expect(fake.app.exitCode).toBeNull();
  });
});
