import { readArchiveStats } from '../../archive/statsRepo';
import { verifyArchiveWithFiles } from '../../files/verifyFiles';
import { searchMessages } from '../../search/search';
import { conversationPage, messageContext, messageVersions } from '../../search/transcript';
import { findPeople, listConversations, membershipHistory } from '../archiveReads';
import type { AppContext } from '../context';
import type { Handlers } from '../dispatch';

type ArchiveOperation =
  'archive:stats' | 'archive:conversations' | 'archive:transcript' | 'archive:context' | 'archive:versions' | 'archive:members' | 'archive:people' | 'archive:search' | 'archive:verify';

/** The screens' reads of the archive (browse, search, people, verify), all on the shared read-only connection. */
export function archiveHandlers(ctx: AppContext): Pick<Handlers, ArchiveOperation> {
  return {
    'archive:stats': () => {
      const db = ctx.readerOrNull();
      return db ? readArchiveStats(db) : null;
    },
    'archive:conversations': (request) => listConversations(ctx.readDb(), request),
    'archive:transcript': ({ chatId, before, after, limit }) =>
      conversationPage(ctx.readDb(), chatId, { ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}), limit }),
    'archive:context': ({ key, around }) => messageContext(ctx.readDb(), key, around),
    'archive:versions': ({ key }) => messageVersions(ctx.readDb(), key).map(({ version, text, seenAt, supersededAt }) => ({ version, text, seenAt, supersededAt })),
    'archive:members': ({ chatId }) => membershipHistory(ctx.readDb(), chatId),
    'archive:people': ({ text, limit }) => findPeople(ctx.readDb(), text, limit),
    'archive:search': (query) => searchMessages(ctx.readDb(), query),
    'archive:verify': ({ files }) => verifyArchiveWithFiles(ctx.readDb(), ctx.archivePath(), { rehash: files }),
  };
}
