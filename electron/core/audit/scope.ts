import type Database from 'better-sqlite3-multiple-ciphers';
import type { AuditScope } from '../../../shared/audit';
import type { SearchQueryInput } from '../../../shared/search';
import { describeGroupFilter, hasGroupFilter } from '../search/groupScope';
import { matchingMessageKeys, participantChats } from '../search/search';
import { resolveSetScope } from '../reviewSets/setScope';
import { boundToInstant } from '../util/timeZone';

export interface ResolvedScope {
  /** false: the whole archive (no scope tables; the datasets read everything). */
  scoped: boolean;
  chats: number;
  messages: number;
  users: number;
  /** How the scope was read, in words, for the manifest. */
  rule: string;
  /** The as-of instant (epoch ms; temp.scope_as_of holds it), or null for the archive as it is. */
  asOf: number | null;
}

/**
 * Resolves an audit scope into the temp tables scope_chats, scope_messages and scope_users of
 * the (read-only) connection, inside its read transaction. See AuditScope for the rule.
 */
export function resolveScope(db: Database.Database, scope: AuditScope): ResolvedScope {
  if (scope.reviewSet !== undefined) return reviewSetScope(db, scope.reviewSet);
  const conversationFilter = scope.conversations !== undefined || scope.kinds !== undefined || scope.participants !== undefined;
  const messageFilter =
    scope.senders !== undefined ||
    hasGroupFilter(scope) ||
    scope.from !== undefined ||
    scope.to !== undefined ||
    scope.query !== undefined ||
    scope.types !== undefined ||
    scope.hasFile !== undefined ||
    scope.edited !== undefined ||
    scope.deleted !== 'include' ||
    scope.asOf !== undefined;
  if (!conversationFilter && !messageFilter) {
    return { scoped: false, ...counts(db), rule: 'the whole archive', asOf: null };
  }
  createScopeTables(db);
  const messageQuery: SearchQueryInput = {
    ...(scope.senders ? { senders: scope.senders } : {}),
    ...(scope.departments ? { departments: scope.departments } : {}),
    ...(scope.designations ? { designations: scope.designations } : {}),
    ...(scope.teams ? { teams: scope.teams } : {}),
    ...(scope.roles ? { roles: scope.roles } : {}),
    ...(scope.from !== undefined ? { from: scope.from } : {}),
    ...(scope.to !== undefined ? { to: scope.to } : {}),
    timeZone: scope.timeZone,
    ...(scope.query !== undefined ? { text: scope.query } : {}),
    mode: scope.queryMode,
    ...(scope.types ? { types: scope.types } : {}),
    ...(scope.hasFile !== undefined ? { hasFile: scope.hasFile } : {}),
    ...(scope.edited !== undefined ? { edited: scope.edited } : {}),
    deleted: scope.deleted,
    includeVersions: scope.includeVersions,
  };
  const insertChat = db.prepare('INSERT OR IGNORE INTO temp.scope_chats (chat_id) VALUES (?)');
  const insertMessage = db.prepare('INSERT OR IGNORE INTO temp.scope_messages (key) VALUES (?)');
  let rule: string;
  if (conversationFilter) {
    // Each filter is a JSON list, or NULL for "no such filter".
    const named = db
      .prepare<[{ chats: string | null; kinds: string | null }], { chat_id: string }>(
        `SELECT chat_id FROM chats
          WHERE (@chats IS NULL OR chat_id IN (SELECT value FROM json_each(@chats)))
            AND (@kinds IS NULL OR kind IN (SELECT value FROM json_each(@kinds)))`,
      )
      .all({ chats: scope.conversations ? JSON.stringify(scope.conversations) : null, kinds: scope.kinds ? JSON.stringify(scope.kinds) : null });
    const theirs = scope.participants ? new Set(participantChats(db, scope.participants)) : undefined;
    const chats = named.filter((c) => theirs === undefined || theirs.has(c.chat_id));
    for (const c of chats) insertChat.run(c.chat_id);
    // A channel in scope brings its threads (unless the kinds leave threads out).
    if (scope.kinds === undefined || scope.kinds.includes('thread')) {
      db.prepare(
        `INSERT OR IGNORE INTO temp.scope_chats (chat_id)
           SELECT thread_chat_id FROM threads WHERE parent_chat_id IN (SELECT chat_id FROM temp.scope_chats)`,
      ).run();
    }
    const inScope = db.prepare('SELECT chat_id FROM temp.scope_chats').pluck().all() as string[];
    for (const key of inScope.length === 0 ? [] : matchingMessageKeys(db, { ...messageQuery, chats: inScope })) insertMessage.run(key);
    rule = 'the conversations named by the conversation filters (with the threads of channels in scope), and their messages matching the message filters';
  } else {
    for (const key of matchingMessageKeys(db, messageQuery)) insertMessage.run(key);
    db.prepare(
      `INSERT OR IGNORE INTO temp.scope_chats (chat_id)
         SELECT DISTINCT m.chat_id FROM messages m JOIN temp.scope_messages s ON s.key = m.id`,
    ).run();
    rule = 'the messages matching the message filters, and the conversations they belong to';
  }
  const asOf = scope.asOf === undefined ? null : boundToInstant(scope.asOf, scope.timeZone, 'to');
  if (asOf !== null) {
    // As it stood then: what was not sent yet, or already noticed deleted, was not there.
    db.exec('CREATE TEMP TABLE scope_as_of (t INTEGER NOT NULL)');
    db.prepare('INSERT INTO temp.scope_as_of (t) VALUES (?)').run(asOf);
    db.prepare(
      `DELETE FROM temp.scope_messages WHERE key IN (
         SELECT m.id FROM messages m JOIN temp.scope_messages s ON s.key = m.id WHERE m.time > @t OR (m.deleted_at IS NOT NULL AND m.deleted_at <= @t))`,
    ).run({ t: asOf });
    if (!conversationFilter) db.prepare('DELETE FROM temp.scope_chats WHERE chat_id NOT IN (SELECT m.chat_id FROM messages m JOIN temp.scope_messages s ON s.key = m.id)').run();
    rule += `; as the archive stood at ${new Date(asOf).toISOString()}: only messages sent by then and not noticed deleted by then (a change counts from the sync that noticed it)`;
  }
  if (hasGroupFilter(scope)) rule += `; ${groupRule(describeGroupFilter(scope))}`;
  return scopeUsersAndCounts(db, rule, asOf);
}

/**
 * A production from a review set: exactly the set's items passing its tag filter that are still
 * in the archive (reviewSets/setScope.ts), and the conversations they belong to.
 */
function reviewSetScope(db: Database.Database, ref: NonNullable<AuditScope['reviewSet']>): ResolvedScope {
  createScopeTables(db);
  const rule = resolveSetScope(db, ref);
  db.prepare(
    `INSERT OR IGNORE INTO temp.scope_chats (chat_id)
       SELECT DISTINCT m.chat_id FROM messages m JOIN temp.scope_messages s ON s.key = m.id`,
  ).run();
  return scopeUsersAndCounts(db, rule, null);
}

function createScopeTables(db: Database.Database): void {
  db.exec(`
    CREATE TEMP TABLE scope_chats (chat_id TEXT PRIMARY KEY) WITHOUT ROWID;
    CREATE TEMP TABLE scope_messages (key INTEGER PRIMARY KEY);
    CREATE TEMP TABLE scope_users (user_id TEXT PRIMARY KEY) WITHOUT ROWID;
  `);
}

/** The users in scope (members of its conversations, senders of its messages), and the counts. */
function scopeUsersAndCounts(db: Database.Database, rule: string, asOf: number | null): ResolvedScope {
  // The planner knows nothing of a temp table's size: without these statistics it reads a
  // channel-month's 1,096 keys by scanning all of messages (2.5 s at 1M, growing with the archive).
  db.exec('ANALYZE temp');
  db.exec(`
    INSERT OR IGNORE INTO temp.scope_users (user_id)
      SELECT user_id FROM memberships WHERE user_id IS NOT NULL AND chat_id IN (SELECT chat_id FROM temp.scope_chats);
    INSERT OR IGNORE INTO temp.scope_users (user_id)
      SELECT DISTINCT m.sender_id FROM messages m JOIN temp.scope_messages s ON s.key = m.id WHERE m.sender_id IS NOT NULL;
  `);
  // Again, now that scope_users is filled: the directory datasets join it.
  db.exec('ANALYZE temp');
  const count = (table: string) => db.prepare(`SELECT count(*) FROM temp.${table}`).pluck().get() as number;
  return { scoped: true, chats: count('scope_chats'), messages: count('scope_messages'), users: count('scope_users'), rule, asOf };
}

/**
 * The directory part of a scope rule, in words: an auditor must know that an assignment found at a
 * group's first listing has no known start and counts as covering everything before it.
 */
function groupRule(groups: string): string {
  return (
    `the directory filters keep only messages sent by someone while assigned to any of: ${groups} — ` +
    'from the sync that noticed the assignment until the sync that noticed its end; an assignment already held when the group ' +
    'was first archived has no known start and counts as covering every message before it'
  );
}

function counts(db: Database.Database): { chats: number; messages: number; users: number } {
  const n = (sql: string) => db.prepare(sql).pluck().get() as number;
  return { chats: n('SELECT count(*) FROM chats'), messages: n('SELECT count(*) FROM messages'), users: n('SELECT count(*) FROM users') };
}
