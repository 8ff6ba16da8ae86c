import { readArchiveStats } from '../../archive/statsRepo';
import { verifyArchiveWithFiles } from '../../files/verifyFiles';
import { searchMessages } from '../../search/search';
import { conversationPage, messageContext, messageVersions } from '../../search/transcript';
import { findPeople, listConversations, membershipHistory } from '../archiveReads';
import { untilChanged } from '../untilChanged';
import { adminRoleViews, directoryPage, groupViews } from '../directoryViews';
import { attachmentsOfMessages } from '../../archive/attachmentReads';
import { channelPermissionsOf, pageWithReactions, reactionCoverageOf, stickyHistory } from '../../archive/extrasReads';
import { metadataHistory } from '../../archive/metadataHistory';
import { archiveMentionResolver, mentionNamesOf, personNamer } from '../../archive/mentionResolver';
import type { TranscriptPage } from '../../../../shared/archive';
import type { SearchQuery } from '../../../../shared/search';
import type { AttachmentFiles } from '../attachmentFiles';
import type { AppContext } from '../context';
import type { Handlers } from '../dispatch';

type ArchiveOperation =
  | 'archive:stats'
  | 'archive:conversations'
  | 'archive:transcript'
  | 'archive:context'
  | 'archive:versions'
  | 'archive:members'
  | 'archive:reactionCoverage'
  | 'archive:sticky'
  | 'archive:channelPermissions'
  | 'archive:names'
  | 'archive:history'
  | 'archive:people'
  | 'archive:directory'
  | 'archive:groups'
  | 'archive:adminRoles'
  | 'archive:search'
  | 'archive:verify';

/** The screens' reads of the archive (browse, search, people, verify), all on the shared read-only connection. */
export function archiveHandlers(ctx: AppContext, files: AttachmentFiles): Pick<Handlers, ArchiveOperation> {
  /** A page's file messages with their attachment: joined by (chat, message, file), described from the store. */
  const withAttachments = async <Page extends TranscriptPage>(page: Page): Promise<Page> => {
    const records = attachmentsOfMessages(
      ctx.readDb(),
      page.messages.map((m) => m.key),
    );
    if (records.size === 0) return page;
    const keys = [...records.keys()];
    const described = new Map((await files.describe([...records.values()])).map((row, i) => [keys[i], row]));
    return {
      ...page,
      messages: page.messages.map((m) => {
        const row = described.get(m.key);
        if (!row) return m;
        const { fileId, fileName, size, status, reason, sha256, image, openRefusal } = row;
        return { ...m, attachment: { fileId, fileName, size, status, reason, sha256, image, openRefusal } };
      }),
    };
  };
  /** The names the page's texts and captions mention, resolved once for the page; senders named by the one display rule. */
  const withNames = <Page extends TranscriptPage>(page: Page): Page => {
    // One resolver for the page: senders and mentions share its lookups (and its one shared-names pass).
    const db = ctx.readDb();
    const resolver = archiveMentionResolver(db);
    const named = personNamer(db, resolver);
    return {
      ...page,
      messages: page.messages.map((m) => ({ ...m, senderName: named(m.senderId, m.senderName) })),
      names: mentionNamesOf(
        db,
        page.messages.flatMap((m) => [m.text, m.type === 'file' ? m.extraText : null]),
        resolver,
      ),
    };
  };
  /** Who reacted, by the one display rule too. */
  const namedReactions = <Page extends TranscriptPage>(page: Page): Page => {
    if (!page.messages.some((m) => m.reactions !== undefined)) return page;
    const named = personNamer(ctx.readDb());
    return {
      ...page,
      messages: page.messages.map((m) => (m.reactions === undefined ? m : { ...m, reactions: m.reactions.map((r) => ({ ...r, userName: named(r.userId, r.userName) })) })),
    };
  };
  const decorate = <Page extends TranscriptPage>(page: Page) => withAttachments(namedReactions(pageWithReactions(ctx.readDb(), withNames(page))));
  return {
    'archive:stats': () => {
      const db = ctx.readerOrNull();
      return db ? readArchiveStats(db) : null;
    },
    'archive:conversations': (request) => {
      const db = ctx.readDb();
      return untilChanged(db, `conversations ${JSON.stringify(request)}`, () => listConversations(db, request));
    },
    'archive:transcript': ({ chatId, before, after, limit }) =>
      ctx.look(
        'transcript_view',
        { chatId, before, after, limit },
        () => decorate(conversationPage(ctx.readDb(), chatId, { ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}), limit })),
        (page) => ({ chatId, results: page.messages.length }),
      ),
    'archive:context': ({ key, around }) =>
      ctx.look(
        'transcript_view',
        { around: key, limit: around },
        () => decorate(messageContext(ctx.readDb(), key, around)),
        (page) => ({ chatId: page.chat.chatId, results: page.messages.length }),
      ),
    'archive:versions': ({ key }) =>
      ctx.look(
        'transcript_view',
        { versionsOf: key },
        () => messageVersions(ctx.readDb(), key).map(({ version, text, seenAt, supersededAt }) => ({ version, text, seenAt, supersededAt })),
        (versions) => ({ results: versions.length }),
      ),
    'archive:members': ({ chatId }) => membershipHistory(ctx.readDb(), chatId),
    'archive:reactionCoverage': ({ chatId }) => reactionCoverageOf(ctx.readDb(), chatId),
    'archive:sticky': ({ chatId }) => {
      const history = stickyHistory(ctx.readDb(), chatId);
      const named = personNamer(ctx.readDb());
      return { ...history, pins: history.pins.map((pin) => ({ ...pin, senderName: named(pin.senderId, pin.senderName), pinnedByName: named(pin.pinnedById, pin.pinnedByName) })) };
    },
    'archive:channelPermissions': ({ chatId }) => channelPermissionsOf(ctx.readDb(), chatId),
    'archive:names': ({ texts }) => mentionNamesOf(ctx.readDb(), texts),
    'archive:history': ({ subject, key }) => metadataHistory(ctx.readDb(), subject, key),
    'archive:people': ({ text, limit }) => {
      const db = ctx.readDb();
      return untilChanged(db, `people ${JSON.stringify([text ?? null, limit])}`, () => findPeople(db, text, limit));
    },
    'archive:directory': (request) => directoryPage(ctx.readDb(), request),
    'archive:groups': () => groupViews(ctx.readDb()),
    'archive:adminRoles': () => adminRoleViews(ctx.readDb()),
    'archive:search': (query) =>
      ctx.look(
        'search',
        searchScope(query),
        () => search(query),
        (page) => ({ results: page.hits.length }),
      ),
    'archive:verify': ({ files: rehash }) =>
      ctx.look(
        'verify',
        { files: rehash },
        () => verifyArchiveWithFiles(ctx.readDb(), ctx.archivePath(), { rehash }),
        (report) => ({ results: report.rowsChecked, detail: report.ok ? null : `${report.problems.length} problem(s) found` }),
      ),
  };

  function search(query: SearchQuery) {
    const db = ctx.readDb();
    const page = searchMessages(db, query);
    const resolver = archiveMentionResolver(db);
    const named = personNamer(db, resolver);
    return {
      ...page,
      // Senders by the one display rule, as every other screen names them.
      hits: page.hits.map((hit) => ({ ...hit, senderName: named(hit.senderId, hit.senderName) })),
      names: mentionNamesOf(
        db,
        page.hits.map((hit) => hit.snippet.map((s) => s.text).join('')),
        resolver,
      ),
    };
  }
}

/** A search's scope for the review log: what was asked, without the defaults nobody typed. */
function searchScope(query: SearchQuery): Record<string, unknown> {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0)));
}
