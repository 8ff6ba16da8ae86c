/**
 * The public surface of electron/core/export/ for the shells (electron/cli, electron/server,
 * electron/main, electron/worker): lossless JSONL export of one kind of record.
 *
 * Shells import from here, never from the files behind it (a lint zone in eslint.config.js);
 * tests and the bench may reach further in.
 */
export { exportJsonl, exportKinds } from './jsonlExport';
