/**
 * The public surface of electron/core/util/ for the shells (electron/cli, electron/server,
 * electron/main, electron/worker): what every shell shares with the core: the logger, time zones, per-user folders, the UI's CSP.
 *
 * Shells import from here, never from the files behind it (a lint zone in eslint.config.js);
 * tests and the bench may reach further in.
 */
export { createLogger, silentLogger, type Logger } from './log';
export { appDataDir } from './paths';
export { boundToInstant, checkDateOrder, checkTimeZone, formatInZone, isTimeZone } from './timeZone';
export { contentSecurityPolicy, mimeTypeOf } from './uiAssets';
export { terminalSafe } from './terminalText';
export { favourSmallHeap, withLeanMalloc } from './heapPolicy';
