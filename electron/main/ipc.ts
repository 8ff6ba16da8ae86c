import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { eventNames, operationNames, type EventName, type Result } from '../../shared/contract';
import { type AppService } from '../core/app';
import { type Logger } from '../core/util';
import { isAppUrl } from './origin';

/**
 * IPC, derived from the contract: one `ipcMain.handle` per operation (the channel is the operation
 * name), no generic channel. Each call is answered only for the top frame of one of our windows
 * showing app://cliq-vault; the request itself is parsed by the app service (zod, at `dispatch`).
 */

export interface IpcOptions {
  service: Pick<AppService, 'dispatch' | 'on'>;
  /** The windows that may call and that receive events (window.ts `ourWindows`). */
  windows: () => readonly BrowserWindow[];
  log: Logger;
}

const forbidden: Result<never> = {
  ok: false,
  error: { code: 'FORBIDDEN', message: 'This request did not come from the Cliq Vault window, so it was refused.' },
};

/**
 * Whether an invoke came from a page we trust: a frame that still exists, is its window's top frame
 * (not an iframe a page might have been tricked into embedding), belongs to one of `windows`, and
 * shows app://cliq-vault.
 */
export function isTrustedSender(event: IpcMainInvokeEvent, windows: readonly BrowserWindow[]): boolean {
  const frame = event.senderFrame;
  if (frame === null || frame.parent !== null) return false;
  const window = windows.find((candidate) => !candidate.isDestroyed() && candidate.webContents.id === event.sender.id);
  if (window === undefined) return false;
  // Distinct WebFrameMain objects for one frame share processId + routingId; identity is not promised.
  const top = window.webContents.mainFrame;
  if (frame.processId !== top.processId || frame.routingId !== top.routingId) return false;
  return isAppUrl(frame.url);
}

/** A description of a refused sender for the log (the URL, not the request). */
function describeSender(event: IpcMainInvokeEvent): Record<string, unknown> {
  const frame = event.senderFrame;
  return { url: frame?.url ?? null, subFrame: frame ? frame.parent !== null : null, contents: event.sender.id };
}

/** Registers every operation's handler and forwards service events to our windows; returns the undo. */
export function registerIpc(options: IpcOptions): () => void {
  const { service, windows, log } = options;
  for (const name of operationNames) {
    ipcMain.handle(name, async (event, request: unknown): Promise<Result<unknown>> => {
      if (!isTrustedSender(event, windows())) {
        log.warn('IPC call refused: untrusted sender', { operation: name, ...describeSender(event) });
        return forbidden;
      }
      try {
        return await service.dispatch(name, request);
      } catch (error) {
        // dispatch promises never to throw; if it does, the renderer still gets a Result.
        log.error('IPC dispatch threw', { operation: name, error: String(error) });
        return { ok: false, error: { code: 'INTERNAL', message: 'Something went wrong in Cliq Vault; see its log.' } };
      }
    });
  }
  const forwarded = new Set<EventName>(eventNames);
  const unsubscribe = service.on((event, payload) => {
    if (!forwarded.has(event)) return;
    for (const window of windows()) {
      if (!window.isDestroyed() && !window.webContents.isDestroyed()) window.webContents.send(event, payload);
    }
  });
  return () => {
    unsubscribe();
    for (const name of operationNames) ipcMain.removeHandler(name);
  };
}
