import { listAttachments } from '../../archive/attachmentReads';
import { personNamer } from '../../archive/mentionResolver';
import type { AttachmentFiles } from '../attachmentFiles';
import type { AppContext } from '../context';
import type { Handlers } from '../dispatch';

/** A conversation's attachments, their previews, and (where the shell has a desktop) Save as… and Open. */
export function filesHandlers(ctx: AppContext, files: AttachmentFiles): Pick<Handlers, 'archive:attachments' | 'archive:thumbnail' | 'files:save' | 'files:open'> {
  return {
    'archive:attachments': ({ chatId, messageId, fileId, limit }) => {
      const named = personNamer(ctx.readDb());
      return files.describe(listAttachments(ctx.readDb(), chatId, { messageId, fileId, limit }).map((row) => ({ ...row, senderName: named(row.senderId, row.senderName) })));
    },
    'archive:thumbnail': (ref) => files.thumbnail(ref),
    // A copy of an archived file leaving the archive is an export (the review log records it when it happened).
    'files:save': (ref) =>
      ctx.look(
        'export',
        { what: 'attachment', how: 'save', ...ref },
        () => files.save(ref),
        (done) => ({ chatId: ref.chatId, results: done.path === null ? 0 : 1 }),
      ),
    'files:open': (ref) =>
      ctx.look(
        'export',
        { what: 'attachment', how: 'open', ...ref },
        () => files.open(ref),
        (done) => ({ chatId: ref.chatId, results: done.opened ? 1 : 0, ...(done.refusal !== null ? { outcome: 'refused' as const, detail: done.refusal } : {}) }),
      ),
  };
}
