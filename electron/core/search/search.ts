import type Database from 'better-sqlite3-multiple-ciphers';
import { z } from 'zod';
import { VaultError } from '../../../shared/errors';
import { describeIssue } from '../../../shared/validation';
import { searchQuerySchema, type ConversationKind, type SearchHit, type SearchPage, type SearchQuery, type SearchQueryInput, type SnippetSegment } from '../../../shared/search';
import { keyCeil, keyFloor, maxKeyTime } from '../archive/messageKey';
import { boundToInstant, checkDateOrder, checkTimeZone } from '../util/timeZone';
import { badQuery, checkQueryWords, combine, ftsRowidBetween, scopeClause, userQuery } from './ftsQuery';
import { groupSpans, loadSpans } from './groupScope';
import { indexedWordsOf, type IndexedWords } from './queryWords';
import { hasFileToken, scopeToken, typeToken } from './scope';

// Private-use characters mark snippet hits: they cannot occur in indexed text we want to show,
// and the hit boundaries come back as data (segments), never as markup to inject.
const open = '\uE000';
const close = '\uE001';
const snippetTokens = 16;
/** Above this many conversations, a filter is checked per row instead of inside FTS. */
const maxScopeTokens = 300;

interface Row {
  key: number;
  chat_id: string;
  message_id: string;
  sender_id: string | null;
  sender_name: string | null;
  time: number;
  type: string;
  file_name: string | null;
  deleted_at: number | null;
  version: number;
  text: string | null;
  title: string | null;
  kind: ConversationKind;
  s_text: string | null;
  s_file: string | null;
  s_extra: string | null;
  hit_version: number | null;
}

const cursorSchema = z.strictObject({ k: z.number().int(), r: z.number().int(), o: z.enum(['newest', 'oldest']) });
type Cursor = z.infer<typeof cursorSchema>;
/** Rank of a current message among the versions of the same key: after all of them. */
const currentRank = 2 ** 31;

/** Parses and checks a query, resolving people and dates against the archive. */
export function parseSearchQuery(input: SearchQueryInput): SearchQuery {
  const parsed = searchQuerySchema.safeParse(input);
  if (!parsed.success) {
    throw new VaultError('USAGE', `Invalid search: ${describeIssue(parsed.error, { subject: 'query' })}.`);
  }
  checkTimeZone(parsed.data.timeZone);
  checkDateOrder(parsed.data.from, parsed.data.to, parsed.data.timeZone);
  return parsed.data;
}

/**
 * The full-text search of the archive (FTS5), newest first by default, paged with a cursor.
 *
 * Fast on a million messages because (1) message keys are time-ordered, so "newest first" is the
 * index order of FTS5 rowids and a date range is a rowid range, and (2) conversation, sender,
 * type and attachment filters are tokens inside the index (search/scope.ts). What cannot be
 * expressed in FTS (conversation kind, deleted, no attachment) is checked on the joined row.
 */
export function searchMessages(db: Database.Database, input: SearchQueryInput): SearchPage {
  const q = parseSearchQuery(input);
  const indexed = indexedWordsOf(db);
  checkQueryWords(q.text, q.mode, indexed);
  const filters = resolveFilters(db, q);
  if (filters === 'nothing') return { hits: [], nextCursor: null };
  const cursor = decodeCursor(q.cursor, q.order);

  const { words, match } = buildMatch(q, filters, indexed);

  const limit = q.limit;
  try {
    const messages = queryMessages(db, q, filters, match, cursor, limit);
    const versions = q.includeVersions && words !== undefined ? queryVersions(db, q, filters, words, cursor, limit) : [];
    const merged = [...messages, ...versions].sort((a, b) => compare(a, b, q.order)).slice(0, limit);
    const last = merged.at(-1);
    return {
      hits: merged.map(toHit),
      nextCursor: merged.length === limit && last ? encodeCursor({ k: last.key, r: last.hit_version ?? currentRank, o: q.order }) : null,
    };
  } catch (error) {
    throw badQuery(error, q.text) ?? error;
  }
}

/**
 * Every message key a search selects, ascending, without snippets or paging: what an audit bundle
 * exports. Same filters as searchMessages (with includeVersions, a message also counts when an
 * earlier version matches).
 */
export function matchingMessageKeys(db: Database.Database, input: SearchQueryInput): number[] {
  const q = parseSearchQuery(input);
  const indexed = indexedWordsOf(db);
  checkQueryWords(q.text, q.mode, indexed);
  const filters = resolveFilters(db, q);
  if (filters === 'nothing') return [];
  const { words, match } = buildMatch(q, filters, indexed);
  const checks = rowChecks(q, filters);
  const where = checks.sql.map((c) => `AND ${c}`).join(' ');
  const params = { ...checks.params, lo: filters.lo, hi: filters.hi };
  try {
    const keys =
      match === undefined
        ? db.prepare(`SELECT m.id AS key FROM messages m JOIN chats c ON c.chat_id = m.chat_id WHERE m.id BETWEEN @lo AND @hi ${where} ORDER BY m.id`).pluck().all(params)
        : db
            .prepare(
              `SELECT m.id AS key FROM messages_fts f JOIN messages m ON m.id = f.rowid JOIN chats c ON c.chat_id = m.chat_id
                WHERE messages_fts MATCH @match AND ${ftsRowidBetween('f.rowid')} ${where} ORDER BY f.rowid`,
            )
            .pluck()
            .all({ ...params, match });
    if (!(q.includeVersions && words !== undefined)) return keys as number[];
    const fromVersions = db
      .prepare(
        `SELECT DISTINCT m.id AS key FROM versions_fts vf JOIN message_versions v ON v.id = vf.rowid JOIN messages m ON m.id = v.message_rowid
           JOIN chats c ON c.chat_id = m.chat_id
          WHERE versions_fts MATCH @words AND m.id BETWEEN @lo AND @hi ${where}`,
      )
      .pluck()
      .all({ ...params, words }) as number[];
    return [...new Set([...(keys as number[]), ...fromVersions])].sort((a, b) => a - b);
  } catch (error) {
    throw badQuery(error, q.text) ?? error;
  }
}

/** The FTS5 expression of a query: the user's words, then the filters the index can answer. */
function buildMatch(q: SearchQuery, filters: Filters, indexed: IndexedWords): { words: string | undefined; match: string | undefined } {
  const words = userQuery(q.text, q.mode, indexed);
  const tokenised = filters.chats !== undefined && filters.chats.length <= maxScopeTokens;
  const match = combine([
    words,
    tokenised && filters.chats ? scopeClause(filters.chats.map((c) => scopeToken('chat', c))) : undefined,
    filters.senders && filters.senders.length <= maxScopeTokens ? scopeClause(filters.senders.map((s) => scopeToken('sender', s))) : undefined,
    q.types ? scopeClause(q.types.map(typeToken)) : undefined,
    q.hasFile === true ? scopeClause([hasFileToken]) : undefined,
  ]);
  return { words, match };
}

interface Filters {
  chats?: string[];
  senders?: string[];
  /** The directory filters are in force: temp.search_spans says who sent when (search/groupScope.ts). */
  spans?: true;
  lo: number;
  hi: number;
}

function resolveFilters(db: Database.Database, q: SearchQuery): Filters | 'nothing' {
  let chats = q.chats ? [...new Set(q.chats)] : undefined;
  if (q.participants) {
    const theirs = new Set(participantChats(db, q.participants));
    chats = chats ? chats.filter((c) => theirs.has(c)) : [...theirs];
  }
  // A channel in scope brings its threads, as in an audit scope (audit/scope.ts): one rule, so a
  // bundle exported from a search holds exactly the search's messages.
  if (chats && chats.length > 0 && (q.kinds === undefined || q.kinds.includes('thread'))) chats = withThreads(db, chats);
  let senders: string[] | undefined;
  if (q.senders) {
    const people = resolvePeople(db, q.senders);
    senders = people.ids;
  }
  let from = q.from === undefined ? 0 : boundToInstant(q.from, q.timeZone, 'from');
  let to = q.to === undefined ? maxKeyTime : Math.min(boundToInstant(q.to, q.timeZone, 'to'), maxKeyTime);
  const spans = groupSpans(db, q);
  if (spans) {
    // The groups' people narrow the senders (and the index's sender tokens); their spans narrow the dates.
    loadSpans(db, spans);
    const members = new Set(spans.map(([user]) => user));
    senders = senders ? senders.filter((s) => members.has(s)) : [...members];
    const earliest = spans.reduce<number | null>((min, [, start]) => (start === null || min === null ? null : Math.min(min, start)), Number.POSITIVE_INFINITY);
    const latest = spans.reduce<number | null>((max, [, , end]) => (end === null || max === null ? null : Math.max(max, end)), Number.NEGATIVE_INFINITY);
    if (earliest !== null) from = Math.max(from, earliest);
    if (latest !== null) to = Math.min(to, latest);
  }
  if ((chats && chats.length === 0) || (senders && senders.length === 0)) return 'nothing';
  if (to < from) return 'nothing';
  return { ...(chats ? { chats } : {}), ...(senders ? { senders } : {}), ...(spans ? { spans: true as const } : {}), lo: keyFloor(from), hi: keyCeil(to) };
}

/** The conversations any of `people` (user ids or e-mail addresses) was ever a member of. */
export function participantChats(db: Database.Database, people: readonly string[]): string[] {
  const resolved = resolvePeople(db, people);
  return db
    .prepare<[string, string], { chat_id: string }>(
      `SELECT DISTINCT chat_id FROM memberships
        WHERE user_id IN (SELECT value FROM json_each(?)) OR lower(email) IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(resolved.ids), JSON.stringify(resolved.emails))
    .map((r) => r.chat_id);
}

/** `chats` and the threads of the channels among them. */
function withThreads(db: Database.Database, chats: readonly string[]): string[] {
  const threads = db
    .prepare<[string], { thread_chat_id: string }>('SELECT thread_chat_id FROM threads WHERE parent_chat_id IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(chats))
    .map((r) => r.thread_chat_id);
  return [...new Set([...chats, ...threads])];
}

/** User ids as given, plus the ids of users known by the e-mail addresses given. */
function resolvePeople(db: Database.Database, people: readonly string[]): { ids: string[]; emails: string[] } {
  const emails = people.filter((p) => p.includes('@')).map((p) => p.toLowerCase());
  const ids = people.filter((p) => !p.includes('@'));
  const byEmail = db
    .prepare<[string], { user_id: string }>('SELECT user_id FROM users WHERE lower(email) IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(emails))
    .map((r) => r.user_id);
  return { ids: [...new Set([...ids, ...byEmail])], emails };
}

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * Statements are built from a fixed set of clauses; each distinct SQL text is prepared once per
 * connection (also the hold scope's, holds/holdScope.ts).
 */
export function prepared(db: Database.Database, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}

/** Checks on the joined row, for what the index cannot express or must be confirmed exactly. */
function rowChecks(q: SearchQuery, filters: Filters): { sql: string[]; params: Record<string, unknown> } {
  const sql: string[] = [];
  const params: Record<string, unknown> = {};
  if (filters.chats) {
    sql.push('m.chat_id IN (SELECT value FROM json_each(@chats))');
    params.chats = JSON.stringify(filters.chats);
  }
  if (filters.senders) {
    sql.push('m.sender_id IN (SELECT value FROM json_each(@senders))');
    params.senders = JSON.stringify(filters.senders);
  }
  if (filters.spans) {
    // A null side of a span is open (see SenderSpan).
    sql.push(`EXISTS (SELECT 1 FROM temp.search_spans sp WHERE sp.user_id = m.sender_id
      AND (sp.from_time IS NULL OR m.time >= sp.from_time) AND (sp.to_time IS NULL OR m.time < sp.to_time))`);
  }
  if (q.types) {
    sql.push('m.type IN (SELECT value FROM json_each(@types))');
    params.types = JSON.stringify(q.types);
  }
  if (q.kinds) {
    sql.push('c.kind IN (SELECT value FROM json_each(@kinds))');
    params.kinds = JSON.stringify(q.kinds);
  }
  if (q.hasFile === false) sql.push('m.file_id IS NULL AND m.file_name IS NULL');
  if (q.hasFile === true) sql.push('(m.file_id IS NOT NULL OR m.file_name IS NOT NULL)');
  // version counts the message's versions: above 1, it was edited (its earlier versions are kept).
  if (q.edited === true) sql.push('m.version > 1');
  if (q.edited === false) sql.push('m.version = 1');
  if (q.deleted === 'exclude') sql.push('m.deleted_at IS NULL');
  if (q.deleted === 'only') sql.push('m.deleted_at IS NOT NULL');
  return { sql, params };
}

const columns = `m.id AS key, m.chat_id, m.message_id, m.sender_id, m.sender_name, m.time, m.type, m.file_name, m.deleted_at,
  m.version, m.text, c.title, c.kind`;

function queryMessages(db: Database.Database, q: SearchQuery, filters: Filters, match: string | undefined, cursor: Cursor | undefined, limit: number): Row[] {
  const checks = rowChecks(q, filters);
  const newest = q.order === 'newest';
  // Oldest first, versions come before their current message: after a version of k, message k is next.
  const lo = cursor && !newest ? Math.max(filters.lo, cursor.r === currentRank ? cursor.k + 1 : cursor.k) : filters.lo;
  const hi = cursor && newest ? Math.min(filters.hi, cursor.k - 1) : filters.hi;
  const params = { ...checks.params, lo, hi, limit };
  if (match === undefined) {
    // No words and no indexed filter: walk the messages by key.
    const sql = `SELECT ${columns}, NULL AS s_text, NULL AS s_file, NULL AS s_extra, NULL AS hit_version
      FROM messages m JOIN chats c ON c.chat_id = m.chat_id
      WHERE m.id BETWEEN @lo AND @hi ${checks.sql.map((s) => `AND ${s}`).join(' ')}
      ORDER BY m.id ${newest ? 'DESC' : 'ASC'} LIMIT @limit`;
    return prepared(db, sql).all(params) as Row[];
  }
  const snip = (col: number) => `snippet(messages_fts, ${col}, '${open}', '${close}', '…', ${snippetTokens})`;
  const sql = `SELECT ${columns}, ${snip(0)} AS s_text, ${snip(1)} AS s_file, ${snip(2)} AS s_extra, NULL AS hit_version
    FROM messages_fts f JOIN messages m ON m.id = f.rowid JOIN chats c ON c.chat_id = m.chat_id
    WHERE messages_fts MATCH @match AND ${ftsRowidBetween('f.rowid')} ${checks.sql.map((s) => `AND ${s}`).join(' ')}
    ORDER BY f.rowid ${newest ? 'DESC' : 'ASC'} LIMIT @limit`;
  return prepared(db, sql).all({ ...params, match }) as Row[];
}

function queryVersions(db: Database.Database, q: SearchQuery, filters: Filters, words: string, cursor: Cursor | undefined, limit: number): Row[] {
  const checks = rowChecks(q, filters);
  const newest = q.order === 'newest';
  // Earlier versions sort just before (oldest first) or after (newest first) their current message.
  const after = cursor ? (newest ? 'AND (m.id < @ck OR (m.id = @ck AND v.version < @cr))' : 'AND (m.id > @ck OR (m.id = @ck AND v.version > @cr))') : '';
  const sql = `SELECT ${columns}, snippet(versions_fts, 0, '${open}', '${close}', '…', ${snippetTokens}) AS s_text,
      NULL AS s_file, NULL AS s_extra, v.version AS hit_version
    FROM versions_fts vf JOIN message_versions v ON v.id = vf.rowid JOIN messages m ON m.id = v.message_rowid
      JOIN chats c ON c.chat_id = m.chat_id
    WHERE versions_fts MATCH @words AND m.id BETWEEN @lo AND @hi ${after} ${checks.sql.map((s) => `AND ${s}`).join(' ')}
    ORDER BY m.id ${newest ? 'DESC' : 'ASC'}, v.version ${newest ? 'DESC' : 'ASC'} LIMIT @limit`;
  const params = { ...checks.params, words, lo: filters.lo, hi: filters.hi, limit, ...(cursor ? { ck: cursor.k, cr: cursor.r } : {}) };
  return prepared(db, sql).all(params) as Row[];
}

function compare(a: Row, b: Row, order: 'newest' | 'oldest'): number {
  const rank = (r: Row) => r.hit_version ?? currentRank;
  const diff = a.key - b.key || rank(a) - rank(b);
  return order === 'newest' ? -diff : diff;
}

function toHit(row: Row): SearchHit {
  const hit: SearchHit = {
    key: row.key,
    chatId: row.chat_id,
    chatTitle: row.title,
    chatKind: row.kind,
    messageId: row.message_id,
    senderId: row.sender_id,
    senderName: row.sender_name,
    time: row.time,
    type: row.type,
    fileName: row.file_name,
    snippet: snippetOf(row),
    deleted: row.deleted_at !== null,
    edited: row.version > 1,
  };
  if (row.hit_version !== null) hit.version = row.hit_version;
  return hit;
}

/** The snippet of the column that matched, split into plain and hit segments. */
function snippetOf(row: Row): SnippetSegment[] {
  const withHit = [row.s_text, row.s_file, row.s_extra].find((s) => s?.includes(open));
  if (withHit) return segments(withHit);
  const preview = row.text ?? row.file_name ?? '';
  return preview === '' ? [] : [{ text: preview.length > 200 ? `${preview.slice(0, 200)}…` : preview, hit: false }];
}

export function segments(marked: string): SnippetSegment[] {
  const out: SnippetSegment[] = [];
  let rest = marked;
  while (rest.length > 0) {
    const start = rest.indexOf(open);
    if (start < 0) {
      out.push({ text: rest, hit: false });
      break;
    }
    if (start > 0) out.push({ text: rest.slice(0, start), hit: false });
    const end = rest.indexOf(close, start);
    const stop = end < 0 ? rest.length : end;
    out.push({ text: rest.slice(start + 1, stop), hit: true });
    rest = end < 0 ? '' : rest.slice(end + 1);
  }
  return out.filter((s) => s.text !== '');
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** A `cursor` of a search in `order`, decoded; BAD_QUERY when it is not one. */
export function decodeCursor(value: string | undefined, order: 'newest' | 'oldest'): Cursor | undefined {
  if (value === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const cursor = cursorSchema.safeParse(parsed);
  if (!cursor.success || cursor.data.o !== order) {
    throw new VaultError('BAD_QUERY', 'The search cursor is not valid for this search.', { hint: 'Start the search again without a cursor.' });
  }
  return cursor.data;
}
