import type { PreloadBridge, VaultApi } from '../../../shared/contract';
import { createHttpApi } from './httpApi';
import { createPreloadApi } from './preloadApi';

declare global {
  interface Window {
    /** Set by electron/preload; absent when the page is served by `cliq-vault serve`. */
    vault?: PreloadBridge;
  }
}

/** The one place that decides which shell the page runs in. */
export function createApi(win: Window = window): VaultApi {
  if (win.vault !== undefined) return createPreloadApi(win.vault);
  return createHttpApi({ fetch: win.fetch.bind(win), EventSource: globalThis.EventSource });
}
