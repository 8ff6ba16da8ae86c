import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { EventName, OperationName, PreloadBridge } from '../../shared/contract';

/**
 * The sandboxed preload: `window.vault`, one function per contract operation, each bound to its
 * own channel (there is no generic send), and `on` for the contract's events. Nothing else: no
 * ipcRenderer, no event objects, no Node.
 *
 * The contract is imported for its types only. Its runtime table carries every zod schema, which
 * would make this self-contained bundle ~750 kB for the sake of a list of names; these two tables
 * are that list, and the compiler holds them to the contract (a missing or unknown name is an
 * error), as test/electron/preload.test.ts does at run time.
 */
const operations: Record<OperationName, true> = {
  'app:info': true,
  'settings:get': true,
  'settings:update': true,
  'connect:save': true,
  'connect:demo': true,
  'connect:check': true,
  'profiles:switch': true,
  'profiles:remove': true,
  'archive:stats': true,
  'archive:conversations': true,
  'archive:transcript': true,
  'archive:context': true,
  'archive:versions': true,
  'archive:members': true,
  'archive:reactionCoverage': true,
  'archive:sticky': true,
  'archive:channelPermissions': true,
  'archive:names': true,
  'archive:history': true,
  'archive:calls': true,
  'archive:scheduled': true,
  'archive:sources': true,
  'archive:people': true,
  'archive:directory': true,
  'archive:groups': true,
  'archive:adminRoles': true,
  'archive:search': true,
  'archive:verify': true,
  'archive:attachments': true,
  'archive:thumbnail': true,
  'files:save': true,
  'files:open': true,
  'insights:activity': true,
  'sync:plan': true,
  'sync:start': true,
  'sync:cancel': true,
  'sync:status': true,
  'sync:runs': true,
  'audit:preview': true,
  'audit:export': true,
  'audit:cancel': true,
  'audit:status': true,
  'audit:history': true,
  'audit:verifyBundle': true,
  'audit:zip': true,
  'audit:inclusion': true,
  'audit:seals': true,
  'holds:list': true,
  'holds:show': true,
  'holds:add': true,
  'holds:release': true,
  'retention:preview': true,
  'retention:apply': true,
  'retention:runs': true,
  'review:log': true,
  'reviewSets:list': true,
  'reviewSets:create': true,
  'reviewSets:items': true,
  'reviewSets:code': true,
  'reviewSets:history': true,
  'archive:changes': true,
  'archive:asOf': true,
  'cipher:unlock': true,
  'cipher:encrypt': true,
  'cipher:rekey': true,
  'cipher:protect': true,
  'backup:list': true,
  'backup:create': true,
  'backup:restore': true,
  'schedule:status': true,
  'shell:reveal': true,
  'shell:pickFolder': true,
};

const events: Record<EventName, true> = {
  'sync:progress': true,
  'sync:done': true,
  'audit:progress': true,
  'audit:done': true,
  'settings:changed': true,
  'schedule:ran': true,
};

function createBridge(): PreloadBridge {
  const bridge: Record<string, unknown> = {};
  for (const name of Object.keys(operations)) {
    bridge[name] = (request: unknown) => ipcRenderer.invoke(name, request);
  }
  bridge.on = (event: string, listener: (payload: unknown) => void) => {
    if (!Object.hasOwn(events, event)) throw new Error(`Cliq Vault has no event named "${event}".`);
    if (typeof listener !== 'function') throw new TypeError('The listener must be a function.');
    // The page gets the payload alone: never the IpcRendererEvent (its `sender` is ipcRenderer).
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(event, forward);
    return () => {
      ipcRenderer.removeListener(event, forward);
    };
  };
  return bridge as PreloadBridge;
}

contextBridge.exposeInMainWorld('vault', createBridge());
