import type Database from 'better-sqlite3-multiple-ciphers';
import { VaultError } from '../../../shared/errors';
import { reviewItemsQuerySchema, type ReviewItem, type ReviewItemFilter, type ReviewItemsPage } from '../../../shared/reviewSets';
import { describeIssue } from '../../../shared/validation';
import { prepared } from '../search/search';
import { inRead, isReviewed, markedReviewed, noteOn, tagsOn } from './codingState';
import { reviewSetSummary, setRow } from './setReads';

/**
 * The items of a set passing a filter (every one of `withTags`, none of `withoutTags`, reviewed or
 * not, one conversation), in set order. A message carries its own tags and its conversation's.
 * IMPORTANT: audit/scope.ts selects a production's messages with the same predicate ({@link itemFilterSql}).
 */
export const itemFilterSql = `i.set_id = @set AND (@chat IS NULL OR i.chat_id = @chat)
  AND NOT EXISTS (SELECT 1 FROM json_each(@with) w WHERE NOT EXISTS (
    SELECT 1 FROM temp.review_tags t WHERE t.chat_id = i.chat_id AND t.mid IN (i.message_id, '') AND t.tag = w.value))
  AND NOT EXISTS (SELECT 1 FROM temp.review_tags t WHERE t.chat_id = i.chat_id AND t.mid IN (i.message_id, '')
    AND t.tag IN (SELECT value FROM json_each(@without)))
  AND (@reviewed = 'any' OR (@reviewed = 'yes') = ${isReviewed})`;

interface ItemRow {
  position: number;
  chat_id: string;
  message_id: string;
  key: number | null;
  title: string | null;
  time: number;
  sender_id: string | null;
  sender_name: string | null;
  text: string | null;
  deleted_at: number | null;
}

/** The parameters of {@link itemFilterSql} for a filter. */
export function itemFilterParams(setId: number, filter: ReviewItemFilter): { set: number; chat: string | null; with: string; without: string; reviewed: string } {
  return {
    set: setId,
    chat: filter.chatId ?? null,
    with: JSON.stringify(filter.withTags ?? []),
    without: JSON.stringify(filter.withoutTags ?? []),
    reviewed: filter.reviewed ?? 'any',
  };
}

/** A page of a set's items with their coding. */
export function reviewItems(db: Database.Database, query: { setId: number; filter?: ReviewItemFilter; offset?: number; limit?: number }): ReviewItemsPage {
  const parsed = reviewItemsQuerySchema.safeParse(query);
  if (!parsed.success) throw new VaultError('USAGE', `Invalid review items query: ${describeIssue(parsed.error, { subject: 'query' })}.`);
  const { setId, filter, offset, limit } = parsed.data;
  return inRead(db, () => {
    setRow(db, setId);
    const set = reviewSetSummary(db, setId);
    // reviewSetSummary loaded this set's coding into the temp tables: the filter reads them.
    const params = itemFilterParams(setId, filter);
    const total = prepared(db, `SELECT count(*) FROM review_set_items i WHERE ${itemFilterSql}`).pluck().get(params) as number;
    const rows = prepared(
      db,
      `SELECT i.position, i.chat_id, i.message_id, m.id AS key, c.title, i.time, m.sender_id,
              coalesce(u.name, m.sender_name) AS sender_name, m.text, m.deleted_at
         FROM review_set_items i
         LEFT JOIN messages m ON m.chat_id = i.chat_id AND m.message_id = i.message_id
         LEFT JOIN chats c ON c.chat_id = i.chat_id
         LEFT JOIN users u ON u.user_id = m.sender_id
        WHERE ${itemFilterSql}
        ORDER BY i.position LIMIT @limit OFFSET @offset`,
    ).all({ ...params, limit, offset }) as ItemRow[];
    const items = rows.map((r): ReviewItem => {
      const tags = tagsOn(db, r.chat_id, r.message_id);
      const conversationTags = tagsOn(db, r.chat_id, '');
      return {
        position: r.position,
        chatId: r.chat_id,
        messageId: r.message_id,
        key: r.key,
        conversationTitle: r.title,
        time: r.time,
        senderId: r.sender_id,
        senderName: r.sender_name,
        text: r.text,
        deleted: r.deleted_at !== null,
        purged: r.key === null,
        tags,
        conversationTags,
        note: noteOn(db, r.chat_id, r.message_id),
        conversationNote: noteOn(db, r.chat_id, ''),
        reviewed: markedReviewed(db, r.chat_id, r.message_id) || tags.length > 0 || conversationTags.length > 0,
      };
    });
    return { set, items, total, offset };
  });
}
