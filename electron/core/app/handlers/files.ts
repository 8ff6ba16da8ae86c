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
    'files:save': (ref) => files.save(ref),
    'files:open': (ref) => files.open(ref),
  };
}
