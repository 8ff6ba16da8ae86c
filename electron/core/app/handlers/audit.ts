import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { VaultError } from '../../../../shared/errors';
import { openArchiveDb } from '../../archive/connection';
import { createAuditBundle } from '../../audit/bundle';
import { previewScope } from '../../audit/preview';
import { verifyBundle } from '../../audit/verifyBundle';
import { ephemeralSigner, signerFromPem } from '../../audit/signing';
import { writeBundleZip } from '../../audit/bundleZip';
import { recordedBundle } from '../../audit/recordedBundle';
import { sealInclusion } from '../../audit/sealInclusion';
import { sealHistory } from '../../archive/sealing/sealHistory';
import { compactUtc } from '../../backup/names';
import { auditHistory } from '../archiveReads';
import type { AppContext } from '../context';
import type { Handlers } from '../dispatch';
import type { JobRunner } from '../jobRunner';

/** Audit bundles: the scope's preview, the export job, its history, and verifying a bundle. */
export function auditHandlers(
  ctx: AppContext,
  jobs: JobRunner<'audit'>,
): Pick<Handlers, 'audit:preview' | 'audit:export' | 'audit:cancel' | 'audit:status' | 'audit:history' | 'audit:verifyBundle' | 'audit:zip' | 'audit:inclusion' | 'audit:seals'> {
  return {
    'audit:preview': (scope) => {
      // A connection of its own: resolving a scope creates temp tables.
      const db = openArchiveDb(ctx.archivePath(), { readonly: true });
      try {
        return previewScope(db, scope);
      } finally {
        db.close();
      }
    },
    'audit:export': ({ scope, destination, matter, reason }) => {
      jobs.assertIdle();
      const path = ctx.archivePath();
      if (!existsSync(path)) throw new VaultError('ARCHIVE_NOT_FOUND', 'Nothing is archived yet.', { hint: 'Run a sync first.' });
      const parent = resolve(destination ?? ctx.settings().exportDir ?? join(dirname(path), 'audits'));
      const outDir = join(parent, `audit-${compactUtc(ctx.clock.now())}`);
      const job = jobs.start(async (signal, onProgress) => {
        mkdirSync(parent, { recursive: true });
        // audit_log keeps the bundle's files and hash (audit/bundle.ts); the review log keeps the look.
        // The installation's key where the shell keeps one; else a key for this bundle only (the bundle says so).
        const key = await ctx.signingKeys.current();
        const signer = key ? signerFromPem(key.pem, key.origin) : ephemeralSigner();
        const result = await ctx.look(
          'bundle',
          { ...scope, out: outDir },
          () =>
            createAuditBundle({
              archivePath: path,
              outDir,
              scope,
              signal,
              onProgress,
              clock: ctx.clock,
              signer,
              custody: { ...(matter !== undefined ? { matter } : {}), ...(reason !== undefined ? { reason } : {}) },
            }),
          (done) => ({ results: done.files.reduce((n, f) => n + f.rows, 0) }),
        );
        return { result };
      });
      return { jobId: job.jobId };
    },
    'audit:cancel': ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
    'audit:status': () => jobs.status(),
    'audit:history': ({ limit }) => {
      const db = ctx.readerOrNull();
      return db ? auditHistory(db, limit) : [];
    },
    'audit:verifyBundle': ({ bundlePath }) => verifyBundle(resolve(bundlePath)),
    // The bundle is named by its audit log row, never by a path from the request.
    'audit:zip': ({ id }) => writeBundleZip(recordedBundle(ctx.readDb(), id)),
    'audit:inclusion': (request) => {
      const db = ctx.readDb();
      return sealInclusion(db, 'id' in request ? recordedBundle(db, request.id).bundlePath : resolve(request.bundlePath));
    },
    'audit:seals': ({ limit }) => {
      const db = ctx.readerOrNull();
      return db ? sealHistory(db, limit) : [];
    },
  };
}
