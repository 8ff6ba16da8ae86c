/**
 * The public surface of electron/core/backup/ for the shells (electron/cli, electron/server,
 * electron/main, electron/worker): snapshots, their catalog and verification, and restore (with its dry-run plan).
 *
 * Shells import from here, never from the files behind it (a lint zone in eslint.config.js);
 * tests and the bench may reach further in.
 */
export { listSnapshots } from './catalog';
export { decryptArchive, encryptArchive, rekeyArchive, type ConvertReport } from './convert';
export { type CopyFacts, type CopyProgress } from './onlineCopy';
export { restoreSnapshot, type RestoreReport } from './restore';
export { type FilesRestoreCounts } from './restoreFiles';
export { planRestore, type RestorePlan } from './restorePlan';
export { createSnapshot, type SnapshotResult } from './snapshot';
export { type FilesBackupCounts } from './snapshotFiles';
export { verifySnapshot, type SnapshotVerification } from './verify';
