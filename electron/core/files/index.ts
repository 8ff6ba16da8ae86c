/**
 * The public surface of electron/core/files/ for the shells (electron/cli, electron/server,
 * electron/main, electron/worker): the content-addressed store of an archive's files.
 *
 * Shells import from here, never from the files behind it (a lint zone in eslint.config.js);
 * tests and the bench may reach further in.
 */
export { fileStoreRoot, isSha256, openFileStore, type FileSource, type FileStore, type FileStoreOptions, type ObjectVerification, type PutOptions, type PutResult } from './store';
export { referencedObjects, type ReferencedObject } from './referenced';
export { checkStoredFiles, verifyArchiveWithFiles, type VerifyFilesOptions } from './verifyFiles';
export { attachmentDisposition, openRefusal, safeFileName } from './fileNames';
export { imageTypeOf, imageTypeOfFile, maxPreviewBytes, type ImageType } from './imageKind';
