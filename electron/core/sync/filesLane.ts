import { VaultError, toVaultError } from '../../../shared/errors';
import type { AttachmentPolicy } from '../archive/attachmentsRepo';
import { archiveFailure } from '../archive/connection';
import { openFileStore, type FileStore } from '../files/store';
import { syncAttachments, type FileOutcome } from './attachments';
import type { SyncContext } from './types';
import { WorkQueue, drain } from './workQueue';

/** Size differences noted one by one; past this, one note counts the rest (a run can meet thousands). */
const sizeNotesEach = 10;

export interface FilesLane {
  /** A conversation whose messages are stored: registers its files (in its own unit) and queues them. */
  add(chatId: string): void;
  /** No more conversations come: the lane finishes the queue, then sweeps the rest. */
  close(): void;
  /** Downloads until closed and drained, then retries whose backoff has passed archive-wide. */
  run(): Promise<void>;
}

/**
 * The sync's files lane: downloads (the files.get family, paced on its own budget) run beside the
 * message and member lanes, one conversation at a time as the messages lane finishes it, then a
 * last sweep for rows of conversations this run did not reach. `remaining.files` is the work known
 * to be left, for the progress bar's ETA.
 *
 * What stops only this lane, with a note, while the messages go on: a rate-limit lock on files.get,
 * and a token Cliq rejects for downloads (a grant without ZohoCliq.Attachments.READ). What stops
 * the run: a cancel, and failures of the archive or its disk (`abort`).
 */
export function createFilesLane(ctx: SyncContext, policy: AttachmentPolicy, remaining: { files: number }, abort: (error: VaultError) => void): FilesLane {
  const queue = new WorkQueue<string>();
  let store: FileStore | undefined;
  const fileStore = () => (store ??= openFileStore(ctx.archive.path, { clock: ctx.clock }));
  let stopped = false;
  /** When the lane began: no row tried since is tried again this run, whatever its backoff says meanwhile. */
  const startedAt = ctx.clock.now();
  // Read through a function: TypeScript cannot see that an await in between may abort the signal.
  const aborted = () => ctx.signal.aborted;
  const seen = { forbidden: 0, stored: 0, sizeDiffers: 0 };

  const acted = (outcome: FileOutcome) => {
    remaining.files = Math.max(0, remaining.files - 1);
    if (outcome.kind === 'stored') seen.stored += 1;
    if (outcome.kind === 'unavailable' && outcome.status === 'forbidden') seen.forbidden += 1;
    if (outcome.kind === 'stored' && outcome.sizeDiffers) {
      seen.sizeDiffers += 1;
      if (seen.sizeDiffers <= sizeNotesEach) {
        const { declared, served } = outcome.sizeDiffers;
        ctx.warn({
          code: 'FILE_SIZE_DIFFERS',
          chatId: outcome.chatId,
          message: `File ${outcome.fileId}: its message declares ${declared} bytes, Cliq served ${served}; the served bytes are kept.`,
        });
      }
    }
    ctx.progress({ filesDone: (ctx.counts.filesStored ?? 0) + (ctx.counts.filesUnavailable ?? 0) + (ctx.counts.filesSkipped ?? 0) });
  };

  // Only a sync writes the store, and it holds the archive's writer lease: every temp file there
  // now is what a killed run left mid-download, whatever its age.
  const removeCrashLeftovers = async () => {
    try {
      const removed = await fileStore().removeStaleTemp('all');
      if (removed.length > 0) ctx.log.info(`removed ${removed.length} partial download(s) an interrupted run left`);
    } catch (error) {
      ctx.log.warn(`could not clear partial downloads: ${toVaultError(error).message}`);
    }
  };

  const step = async (chatId?: string) => {
    if (stopped || aborted()) return;
    try {
      // The body is read and written to disk in `put`: under a virtual clock, time waits for it.
      const put: FileStore['put'] = (source, options) => (ctx.clock.hold ? ctx.clock.hold(() => fileStore().put(source, options)) : fileStore().put(source, options));
      await syncAttachments(ctx, { put }, policy, acted, chatId, startedAt);
    } catch (error) {
      const e = archiveFailure(error) ?? toVaultError(error);
      if (e.code === 'CANCELLED' || aborted()) return;
      if (e.code === 'RATE_LIMITED') {
        stopped = true;
        ctx.warn({ code: e.code, family: 'files', message: `${e.message} The remaining files are left for the next run.` });
        return;
      }
      if (e.code === 'AUTH_REJECTED') {
        stopped = true;
        ctx.warn({
          code: 'FILES_NOT_AUTHORISED',
          family: 'files',
          message:
            'Cliq rejected the access token for file downloads: the authorisation probably lacks ZohoCliq.Attachments.READ. The messages were archived; ' +
            'the files wait for a sync after re-authorising with that scope.',
        });
        return;
      }
      abort(e);
    }
  };

  return {
    add(chatId) {
      try {
        ctx.archive.transaction(() => ctx.archive.attachments.registerFromMessages(chatId, ctx.write()));
        remaining.files += ctx.archive.attachments.dueCount(ctx.clock.now(), policy, chatId);
        queue.push(chatId);
      } catch (error) {
        abort(archiveFailure(error) ?? toVaultError(error));
      }
    },
    close: () => queue.close(),
    async run() {
      await removeCrashLeftovers();
      await drain(queue, ctx.options.concurrency, (chatId) => step(chatId));
      if (!stopped && !aborted()) {
        // An over-count when a long run outlived the backoff of files it refused: those are due
        // again but wait for the next run (the ETA then ends early, never late).
        remaining.files = ctx.archive.attachments.dueCount(ctx.clock.now(), policy);
        ctx.progress({});
        await step();
      }
      remaining.files = 0;
      if (seen.sizeDiffers > sizeNotesEach) {
        ctx.warn({ code: 'FILE_SIZE_DIFFERS', message: `${seen.sizeDiffers - sizeNotesEach} more files had another size than their messages declare; their served bytes are kept.` });
      }
      if (seen.forbidden > 0 && seen.stored === 0) {
        ctx.warn({
          code: 'FILES_ALL_FORBIDDEN',
          family: 'files',
          message:
            `Cliq refused all ${seen.forbidden} file downloads of this run. If the authorisation lacks ZohoCliq.Attachments.READ, re-authorise with it; ` +
            'otherwise Cliq lets an admin download files only from conversations the admin is part of. Each file is tried again on later runs.',
        });
      }
    },
  };
}
