/**
 * The public surface of electron/core/audit/ for the shells (electron/cli, electron/server,
 * electron/main, electron/worker): audit bundles: writing one, checking one against its SHA256SUMS and manifest, and against an archive's seal chain.
 *
 * Shells import from here, never from the files behind it (a lint zone in eslint.config.js);
 * tests and the bench may reach further in.
 */
export { createAuditBundle } from './bundle';
export { verifyBundle } from './verifyBundle';
export { sealInclusion } from './sealInclusion';
export { writeTranscriptHtml, writeTranscriptHtmlFile } from './transcripts/standalone';
export { createSigningKey, ephemeralSigner, newSigningKeyPem, normaliseFingerprint, readSigningKey, readSigningKeyPem, signerFromPem, type BundleSigner } from './signing';
export { appendHandOver } from './custodyLog';
