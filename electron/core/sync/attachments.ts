import { toVaultError, type ErrorCode } from '../../../shared/errors';
import { archiveFailure } from '../archive/connection';
import { nextAttemptAfter, type AttachmentFailure, type AttachmentPolicy, type DueAttachment } from '../archive/attachmentsRepo';
import { downloadFile } from '../cliq/files';
import type { FileStore } from '../files/store';
import type { SyncContext } from './types';

/** Due attachments read at a time. */
const batch = 50;

/** Failures that end the file lane (or the run) instead of being recorded on one file. */
const laneStopping = new Set<ErrorCode>(['CANCELLED', 'RATE_LIMITED', 'IO_ERROR', 'INTERNAL', 'ARCHIVE_LOCKED', 'ARCHIVE_CORRUPT']);

/** What acting on one attachment came to, for the lane's progress and notes. */
export type FileOutcome = { chatId: string; fileId: string } & (
  { kind: 'stored'; sizeDiffers?: { declared: number; served: number } } | { kind: 'unavailable'; status: AttachmentFailure } | { kind: 'skipped' }
);

/** What a download's failure becomes on the row, and whether (and when) it is tried again. */
function outcomeOf(code: ErrorCode): { status: AttachmentFailure; retry: boolean } {
  if (code === 'FORBIDDEN') return { status: 'forbidden', retry: true };
  // The file (or its message) is gone on the server: asking again would find the same.
  if (code === 'NOT_FOUND') return { status: 'not_found', retry: false };
  if (code === 'FILE_TOO_LARGE') return { status: 'too_large', retry: true };
  return { status: 'failed', retry: true };
}

/**
 * Acts on every due attachment (of one chat, or of the whole archive) under the run's policy:
 * marks what the policy leaves out, downloads the rest into the file store (paced by the files.get
 * budget inside CliqHttp) and records each outcome in its own unit. Refusals and failures get a
 * backoff, so later runs try again, never this one. Throws only what stops the lane: a cancel, a
 * rate-limit lock, an archive or disk failure, a lost credential.
 */
export async function syncAttachments(
  ctx: SyncContext,
  store: Pick<FileStore, 'put'>,
  policy: AttachmentPolicy,
  acted: (outcome: FileOutcome) => void,
  chatId?: string,
  since: number = ctx.clock.now(),
): Promise<void> {
  const { archive } = ctx;
  // Each row is acted on once per run: a refusal's backoff can pass while a long run still goes
  // on, and it must wait for the next run. A download tried stamps last_attempt_at, and `due`
  // leaves out what was tried since the lane began; what is decided without a try (skipped,
  // declared too large) is not due again under the same policy. The run's memory so no longer
  // grows with the org's attachments (a set of every key acted on did, at 10M messages).
  // Read through a function: TypeScript cannot see that an await in between may abort the signal.
  const aborted = () => ctx.signal.aborted;
  for (;;) {
    if (aborted()) return;
    const rows = archive.attachments.due(ctx.clock.now(), batch, policy, since, chatId);
    if (rows.length === 0) return;
    for (const row of rows) {
      if (aborted()) return;
      acted(await syncOne(ctx, store, policy, row));
    }
  }
}

async function syncOne(ctx: SyncContext, store: Pick<FileStore, 'put'>, policy: AttachmentPolicy, row: DueAttachment): Promise<FileOutcome> {
  const { archive, counts } = ctx;
  const key = { chatId: row.chatId, messageId: row.messageId, fileId: row.fileId };
  const skipped: FileOutcome = { chatId: row.chatId, fileId: row.fileId, kind: 'skipped' };
  if (policy.files === 'none') {
    archive.transaction(() => archive.attachments.recordFailure(key, 'skipped', 'Not fetched: the sync ran with files: none.', null, ctx.write(), false));
    counts.filesSkipped = (counts.filesSkipped ?? 0) + 1;
    return skipped;
  }
  if (policy.maxBytes !== null && row.declaredSize !== null && row.declaredSize > policy.maxBytes) {
    const reason = `Not fetched: the message declares ${row.declaredSize} bytes, over the limit of ${policy.maxBytes}.`;
    archive.transaction(() => archive.attachments.recordFailure(key, 'too_large', reason, null, ctx.write(), false));
    counts.filesSkipped = (counts.filesSkipped ?? 0) + 1;
    return skipped;
  }
  try {
    const file = await downloadFile(ctx.http, store, row.fileId, {
      declaredSize: row.declaredSize ?? undefined,
      maxBytes: policy.maxBytes ?? undefined,
      signal: ctx.signal,
    });
    archive.transaction(() =>
      archive.attachments.recordStored(key, { sha256: file.sha256, bytes: file.size, contentType: file.contentType === '' ? null : file.contentType, servedName: file.filename ?? null }, ctx.write()),
    );
    // Durable at once: a stored file lost with a group commit would be downloaded again.
    archive.commitNow();
    counts.filesStored = (counts.filesStored ?? 0) + 1;
    if (file.deduplicated) counts.filesDeduplicated = (counts.filesDeduplicated ?? 0) + 1;
    return { chatId: row.chatId, fileId: row.fileId, kind: 'stored', ...(file.declaredSizeMismatch ? { sizeDiffers: file.declaredSizeMismatch } : {}) };
  } catch (error) {
    const e = archiveFailure(error) ?? toVaultError(error);
    if (laneStopping.has(e.code) || e.code.startsWith('AUTH_') || ctx.signal.aborted) throw e;
    const { status, retry } = outcomeOf(e.code);
    const now = ctx.clock.now();
    archive.transaction(() => archive.attachments.recordFailure(key, status, `${e.code}: ${e.message}`, retry ? nextAttemptAfter(now, row.attempts + 1) : null, ctx.write()));
    counts.filesUnavailable = (counts.filesUnavailable ?? 0) + 1;
    if (status === 'forbidden') counts.filesForbidden = (counts.filesForbidden ?? 0) + 1;
    ctx.log.warn(`file ${row.fileId} of ${row.chatId} not stored (${status}): ${e.message}`, { code: e.code });
    return { chatId: row.chatId, fileId: row.fileId, kind: 'unavailable', status };
  }
}
