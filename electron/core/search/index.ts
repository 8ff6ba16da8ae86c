/**
 * The public surface of electron/core/search/ for the shells (electron/cli, electron/server,
 * electron/main, electron/worker): full-text search and transcripts.
 *
 * Shells import from here, never from the files behind it (a lint zone in eslint.config.js);
 * tests and the bench may reach further in.
 */
export { decodeCursor, searchMessages } from './search';
export { conversationPage, messageContext } from './transcript';
export { conversationAsOf, type AsOfTranscript } from './asOf';
export { chatByIdOrTitle } from './chatByName';
