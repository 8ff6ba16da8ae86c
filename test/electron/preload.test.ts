import { beforeAll, describe, expect, it, vi } from 'vitest';
import { eventNames, operationNames } from '../../shared/contract';
import { fake } from './fakeElectron';

vi.mock('electron', async () => (await import('./fakeElectron')).electronModule);

type Bridge = Record<string, (...args: unknown[]) => unknown>;
let vault: Bridge;

beforeAll(async () => {
  // Loaded by path: test/tsconfig.json does not reference electron/preload (a DOM-lib layer), and a
  // literal specifier would make tsc pull the file into this project.
  const entry: string = new URL('../../electron/preload/index.ts', import.meta.url).pathname;
  await import(entry);
  vault = fake.contextBridge.exposed.get('vault') as Bridge;
});

describe('the preload', () => {
  it('exposes exactly one object, `vault`', () => {
    expect([...fake.contextBridge.exposed.keys()]).toEqual(['vault']);
  });

  it('has one function per contract operation, plus `on`, and nothing else', () => {
    expect(Object.keys(vault).sort()).toEqual([...operationNames, 'on'].sort());
    for (const value of Object.values(vault)) expect(typeof value).toBe('function');
  });

  it('invokes each operation on its own channel with the request as given', async () => {
    for (const name of operationNames) {
      const request = { for: name };
      await vault[name]?.(request, 'ignored extra argument');
    }
    expect(fake.ipcRenderer.invocations).toEqual(operationNames.map((name) => ({ channel: name, args: [{ for: name }] })));
  });

  it('refuses to subscribe to an event outside the contract', () => {
    expect(() => vault.on?.('ipc-internal', () => undefined)).toThrow(/no event named "ipc-internal"/);
    expect(() => vault.on?.('sync:progress', 'not a function')).toThrow(TypeError);
    expect(fake.ipcRenderer.eventNames()).toEqual([]);
  });

  it('passes the payload alone, never the IpcRendererEvent, until unsubscribed', () => {
    for (const name of eventNames) {
      const received: unknown[][] = [];
      const off = vault.on?.(name, (...args: unknown[]) => received.push(args)) as () => void;
      const ipcEvent = { sender: fake.ipcRenderer, senderId: 0 };
      fake.ipcRenderer.emit(name, ipcEvent, { n: 1 });
      off();
      fake.ipcRenderer.emit(name, ipcEvent, { n: 2 });
      expect(received).toEqual([[{ n: 1 }]]);
      expect(fake.ipcRenderer.listenerCount(name)).toBe(0);
    }
  });
});
