import { beforeEach, describe, expect, it, vi } from 'vitest';
import { eventNames, operationNames, type EventName, type EventPayloads, type Result } from '../../shared/contract';
import type { AppService } from '../../electron/core/app/appService';
import { silentLogger } from '../../electron/core/util/log';
import { registerIpc } from '../../electron/main/ipc';
import { fake, FakeBrowserWindow, FakeFrame, FakeWebContents, resetFake } from './fakeElectron';

vi.mock('electron', async () => (await import('./fakeElectron')).electronModule);

type Listener = Parameters<AppService['on']>[0];

/** A fake app service: records dispatches, answers `{ ok: true }`, and lets the test emit events. */
function fakeService() {
  const calls: { name: string; request: unknown }[] = [];
  const listeners = new Set<Listener>();
  const service = {
    dispatch: vi.fn((name: string, request: unknown): Promise<Result<unknown>> => {
      calls.push({ name, request });
      return Promise.resolve({ ok: true, value: `answer to ${name}` });
    }),
    on(listener: Listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const emit = (event: string, payload: unknown) => {
    for (const listener of listeners) listener(event as EventName, payload as EventPayloads[EventName]);
  };
  return { service, calls, listeners, emit };
}

let window: FakeBrowserWindow;
let app: ReturnType<typeof fakeService>;
let unregister: () => void;

beforeEach(() => {
  resetFake();
  window = new FakeBrowserWindow({});
  app = fakeService();
  unregister = registerIpc({ service: app.service, windows: () => FakeBrowserWindow.getAllWindows() as never, log: silentLogger });
});

/** Calls the handler of `channel` as Electron would for an invoke from `frame` of `sender`. */
async function invoke(channel: string, request: unknown, sender: FakeWebContents = window.webContents, frame: FakeFrame | null = sender.mainFrame): Promise<Result<unknown>> {
  const handler = fake.ipcMain.handlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return (await handler({ sender, senderFrame: frame }, request)) as Result<unknown>;
}

describe('registration', () => {
  it('registers exactly one handler per contract operation, and nothing else', () => {
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual([...operationNames].sort());
    expect(fake.ipcMain.eventNames()).toEqual([]);
  });

  it('unregisters every handler and stops forwarding events', () => {
    unregister();
    expect(fake.ipcMain.handlers.size).toBe(0);
    expect(app.listeners.size).toBe(0);
  });
});

describe('a trusted sender', () => {
  it('reaches dispatch with the operation and the raw request', async () => {
    const request = { full: true, extra: 'the service parses, not the transport' };
    expect(await invoke('sync:start', request)).toEqual({ ok: true, value: 'answer to sync:start' });
    expect(app.calls).toEqual([{ name: 'sync:start', request }]);
  });

  it('gets INTERNAL (not a throw) if dispatch ever throws', async () => {
    app.service.dispatch.mockRejectedValueOnce(new Error('boom'));
    const result = await invoke('app:info', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});

describe('an untrusted sender gets FORBIDDEN and the service is not called', () => {
  const refused = async (...args: Parameters<typeof invoke>) => {
    const result = await invoke(...args);
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(app.calls).toEqual([]);
  };

  it('a page from another origin', async () => {
    window.webContents.mainFrame.url = 'https://evil.example/';
    await refused('app:info', {});
  });

  it('a file:// page', async () => {
    window.webContents.mainFrame.url = 'file:///home/user/Downloads/evil.html';
    await refused('settings:get', {});
  });

  it('another host on the app scheme', async () => {
    window.webContents.mainFrame.url = 'app://evil/index.html';
    await refused('settings:get', {});
  });

  it('a sub-frame, even of our origin', async () => {
    await refused('app:info', {}, window.webContents, new FakeFrame('app://cliq-vault/index.html', window.webContents.mainFrame));
  });

  it('a frame of our window that is not its top frame', async () => {
    await refused('app:info', {}, window.webContents, new FakeFrame('app://cliq-vault/index.html'));
  });

  it('no frame (navigated away or destroyed)', async () => {
    await refused('app:info', {}, window.webContents, null);
  });

  it('web contents that are not one of our windows', async () => {
    await refused('app:info', {}, new FakeWebContents());
  });

  it('a window that has closed', async () => {
    const contents = window.webContents;
    window.close();
    await refused('app:info', {}, contents);
  });
});

describe('events', () => {
  it('forwards the contract’s events, payload only, to our windows', () => {
    const payload = { jobId: 'job-1', progress: null };
    app.emit('sync:progress', payload);
    expect(window.webContents.sent).toEqual([{ channel: 'sync:progress', args: [payload] }]);
    for (const name of eventNames) app.emit(name, {});
    expect(window.webContents.sent.map((sent) => sent.channel)).toEqual(['sync:progress', ...eventNames]);
  });

  it('drops names outside the contract', () => {
    app.emit('internal:secret', { token: 'x' });
    expect(window.webContents.sent).toEqual([]);
  });

  it('skips closed windows', () => {
    window.close();
    app.emit('sync:done', { jobId: 'job-1' });
    expect(window.webContents.sent).toEqual([]);
  });
});
