/**
 * The public surface of electron/core/cipher/ for the shells: an archive encrypted at rest
 * (SQLCipher 4 format through better-sqlite3-multiple-ciphers), its keys, and the commands that
 * convert an archive (encrypt, decrypt, rekey).
 */
export { createKeyFile, keyFromEnv, keyFromMessage, keyToMessage, readKeyFile, newSalt, type ArchiveKey, type KeyMessage } from './archiveKey';
export { applyKey, keyNewFile, keyRequired, keyWrong, openKeyed, rekeyFile, selectCipher } from './keyedOpen';
export { archiveKey, fileKind, fileSalt, useArchiveKey, type FileKind } from './keyState';
