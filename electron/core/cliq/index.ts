/**
 * The public surface of electron/core/cliq/ for the shells (electron/cli, electron/server,
 * electron/main, electron/worker): the Cliq client's edges a shell needs: data centres and endpoints, OAuth (grant code exchange,
 * revoke, the scopes we ask for), quota overrides, and F1 file downloads for the attachments sync.
 *
 * Shells import from here, never from the files behind it (a lint zone in eslint.config.js);
 * tests and the bench may reach further in.
 */
export { resolveEndpoints, type Endpoints } from './dataCentres';
export { archiverScopes, exchangeGrantCode, revokeRefreshToken } from './oauth';
export { duration, parseQuotaOverrides } from './quotaOverrides';
export { downloadFile, type DownloadedFile, type DownloadFileOptions } from './files';
export { redirectAllowed, type DownloadConsumer, type DownloadMeta, type DownloadSpec } from './http';
export { parseContentDispositionFilename } from './contentDisposition';
