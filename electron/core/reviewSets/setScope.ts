import type Database from 'better-sqlite3-multiple-ciphers';
import type { AuditScope } from '../../../shared/audit';
import { prepared } from '../search/search';
import { loadCoding, tagsOn } from './codingState';
import { itemFilterParams, itemFilterSql } from './items';
import { setRow } from './setReads';

/**
 * A production from a review set (audit/scope.ts calls this for a scope with `reviewSet`): fills
 * temp.scope_messages with the set's items passing the tag filter that are still in the archive
 * (a purged item has no message to produce), leaves the set's coding in the temp tables for the
 * review-coding dataset, and records which set in temp.scope_review. Returns the rule in words:
 * the set's name and owner, and the tag filter.
 */
export function resolveSetScope(db: Database.Database, ref: NonNullable<AuditScope['reviewSet']>): string {
  const set = setRow(db, ref.id);
  loadCoding(db, set.set_id);
  db.exec('CREATE TEMP TABLE IF NOT EXISTS scope_review (set_id INTEGER NOT NULL); DELETE FROM temp.scope_review;');
  prepared(db, 'INSERT INTO temp.scope_review (set_id) VALUES (?)').run(set.set_id);
  prepared(
    db,
    `INSERT OR IGNORE INTO temp.scope_messages (key)
       SELECT m.id FROM review_set_items i JOIN messages m ON m.chat_id = i.chat_id AND m.message_id = i.message_id
        WHERE ${itemFilterSql}`,
  ).run(itemFilterParams(set.set_id, { withTags: ref.withTags, withoutTags: ref.withoutTags }));
  const owner = `${set.os_user}@${set.host}${set.profile !== null ? ` (profile ${set.profile})` : ''}`;
  return `the messages of the review set "${set.name}" (id ${set.set_id}, made ${new Date(set.created_at).toISOString()} by ${owner}; ${set.items} item(s)) ${tagFilterWords(ref)}, still in the archive, and the conversations they belong to`;
}

/**
 * The tags a production writes for a message (RSMF events): its own and its conversation's, from
 * the coding resolveSetScope loaded into this connection's temp tables.
 */
export function productionTags(db: Database.Database): (chatId: string, messageId: string) => string[] {
  return (chatId, messageId) => [...new Set([...tagsOn(db, chatId, messageId), ...tagsOn(db, chatId, '')])].sort();
}

/** The tag filter in words ("tagged responsive and not tagged privileged"). */
export function tagFilterWords(ref: { withTags: readonly string[]; withoutTags: readonly string[] }): string {
  const parts = [...(ref.withTags.length > 0 ? [`tagged ${ref.withTags.join(' and ')}`] : []), ...(ref.withoutTags.length > 0 ? [`not tagged ${ref.withoutTags.join(' or ')}`] : [])];
  return parts.length === 0 ? 'whatever their tags' : parts.join(' and ');
}
