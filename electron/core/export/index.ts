/**
 * The public surface of electron/core/export/ for the shells (electron/cli, electron/server,
 * electron/main, electron/worker): lossless JSONL export of one kind of record, or of every kind
 * with a manifest.
 *
 * Shells import from here, never from the files behind it (a lint zone in eslint.config.js);
 * tests and the bench may reach further in.
 */
export { exportJsonl, exportKinds, type ExportKind } from './jsonlExport';
export { exportAll, type ExportAllResult, type ExportedFile } from './exportAll';
