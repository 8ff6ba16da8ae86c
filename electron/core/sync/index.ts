/**
 * The public surface of electron/core/sync/ for the shells (electron/cli, electron/server,
 * electron/main, electron/worker): the sync engine's report and progress types (runs start through createCore.ts `syncArchive`).
 *
 * Shells import from here, never from the files behind it (a lint zone in eslint.config.js);
 * tests and the bench may reach further in.
 */
export { type SyncOptions, type SyncProgress, type SyncReport } from './types';
export { filesOptionsOf } from './filesPolicy';
export { useRowParserThread } from './rowParser';
export { serveRowParsing } from './rowParserThread';
