import { listAttachments } from '../../archive/attachmentReads';
import type { AttachmentFiles } from '../attachmentFiles';
import type { AppContext } from '../context';
import type { Handlers } from '../dispatch';

/** A conversation's attachments, their previews, and (where the shell has a desktop) Save as… and Open. */
export function filesHandlers(ctx: AppContext, files: AttachmentFiles): Pick<Handlers, 'archive:attachments' | 'archive:thumbnail' | 'files:save' | 'files:open'> {
  return {
    'archive:attachments': ({ chatId, messageId, fileId, limit }) => files.describe(listAttachments(ctx.readDb(), chatId, { messageId, fileId, limit })),
    'archive:thumbnail': (ref) => files.thumbnail(ref),
    'files:save': (ref) => files.save(ref),
    'files:open': (ref) => files.open(ref),
  };
}
