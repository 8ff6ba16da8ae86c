/**
 * The public surface of electron/core/archive/ for the shells (electron/cli, electron/server,
 * electron/main, electron/worker): the SQLite archive as the shells see it: opening a connection (and SQLite's storage failures in
 * our codes), what `stats` shows, and the seal check.
 *
 * Shells import from here, never from the files behind it (a lint zone in eslint.config.js);
 * tests and the bench may reach further in.
 */
export { archiveFailure, openArchiveDb } from './connection';
export { syncRunCount } from './runsRepo';
export { verifyArchive, type VerifyReport } from './sealing/verify';
export { conversationCoverage, readArchiveStats, type ArchiveStats, type ConversationCoverage } from './statsRepo';
export { adminRoleHolders, directoryGroups, directoryIntervals, type AdminRoleHolding, type DirectoryGroup, type DirectoryInterval } from './directoryReads';
export type { DirectoryKind } from './directoryRepo';
export { pageWithReactions } from './extrasReads';
/** Mentions resolved from the archive: the CLI's transcript renders text with toPlainText(messageSegments(m, archiveMentionResolver(db))). */
export { archiveMentionResolver, mentionNamesOf } from './mentionResolver';
