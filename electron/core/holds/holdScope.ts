import type Database from 'better-sqlite3-multiple-ciphers';
import { keyCeil, keyFloor, maxKeyTime } from '../archive/messageKey';
import { ftsRowidBetween, userQuery } from '../search/ftsQuery';
import { prepared } from '../search/search';
import { indexedWordsOf } from '../search/queryWords';

/**
 * "Is this held?" — what the legal holds of an archive hold, evaluated now from their criteria
 * (never snapshotted: a message archived after a hold was placed is held as soon as it is in the
 * archive). Retention (issue 14, part 2) reads this and nothing else.
 *
 * One hold's scope is the messages meeting every criterion it has (AND):
 * - custodians: messages sent by any of them, and every message of a conversation one of them was a
 *   member of at some time within the hold's dates (membership_intervals: an unknown start counts as
 *   "since always", a current membership as "until now"), with the threads of such a channel. A hold
 *   keeps what a custodian could have seen, so it errs on the side of keeping more;
 * - conversations: every message of each (a channel: and of its threads);
 * - dates: the message's time within [from, to], both inclusive;
 * - query: the Search screen's query (search/ftsQuery.ts compiles it, the same compiler), matched
 *   against messages and against the earlier versions of edited messages.
 * Several holds add up (OR).
 *
 * What counts as held with a message: its earlier versions (message_versions.message_rowid), its
 * attachments (attachments by chat_id + message_id), reactions and pins of it. A conversation is held
 * when it holds a held message or an active hold names it; the memberships (and their boundaries)
 * of a held conversation are held. Retention must read `temp.held_messages` / `temp.held_chats`
 * after {@link markHeld}, inside the transaction that purges, so a hold placed meanwhile wins.
 *
 * Everything is set-based SQL over temp tables of the given connection (writable even on a
 * read-only connection), so it runs where the archive is read: each hold's messages are selected
 * from its most selective criterion (conversations, then custodians, then the query, then the
 * dates) through an index, and checked against the others; one statement per hold.
 * Like search, a date range is read as a range of message keys (archive/messageKey.ts).
 */

export interface EvaluatedHold {
  holdId: number;
  messages: number;
  conversations: number;
  custodians: number;
  senders: number;
}

interface HoldRow {
  hold_id: number;
  from_time: number | null;
  to_time: number | null;
  query: string | null;
  query_mode: 'simple' | 'advanced';
  chats: number;
  custodians: number;
}

const setup = `
  CREATE TEMP TABLE IF NOT EXISTS hold_chat_set (hold_id INTEGER NOT NULL, chat_id TEXT NOT NULL, PRIMARY KEY (hold_id, chat_id)) WITHOUT ROWID;
  CREATE TEMP TABLE IF NOT EXISTS hold_custodian_ids (hold_id INTEGER NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (hold_id, user_id)) WITHOUT ROWID;
  CREATE TEMP TABLE IF NOT EXISTS hold_custodian_chats (hold_id INTEGER NOT NULL, chat_id TEXT NOT NULL, PRIMARY KEY (hold_id, chat_id)) WITHOUT ROWID;
  CREATE TEMP TABLE IF NOT EXISTS hold_messages (hold_id INTEGER NOT NULL, key INTEGER NOT NULL, chat_id TEXT NOT NULL, sender_id TEXT, PRIMARY KEY (hold_id, key)) WITHOUT ROWID;
  CREATE TEMP TABLE IF NOT EXISTS held_messages (key INTEGER PRIMARY KEY);
  CREATE TEMP TABLE IF NOT EXISTS held_chats (chat_id TEXT PRIMARY KEY) WITHOUT ROWID;
  DELETE FROM temp.hold_chat_set; DELETE FROM temp.hold_custodian_ids; DELETE FROM temp.hold_custodian_chats;
  DELETE FROM temp.hold_messages; DELETE FROM temp.held_messages; DELETE FROM temp.held_chats;`;

/** The holds to evaluate, with how many conversations and custodians each names. */
const holdsSql = (which: 'active' | 'all') => `
  SELECT h.hold_id, h.from_time, h.to_time, h.query, h.query_mode,
         (SELECT count(*) FROM legal_hold_chats c WHERE c.hold_id = h.hold_id) AS chats,
         (SELECT count(*) FROM legal_hold_custodians k WHERE k.hold_id = h.hold_id) AS custodians
    FROM legal_holds h
   ${which === 'active' ? 'WHERE NOT EXISTS (SELECT 1 FROM legal_hold_releases r WHERE r.hold_id = h.hold_id)' : ''}
   ORDER BY h.hold_id`;

/** Per hold: its conversations (a channel brings its threads), its custodians' ids and their conversations within its dates. */
const criteriaSql = [
  `INSERT OR IGNORE INTO temp.hold_chat_set (hold_id, chat_id) SELECT hold_id, chat_id FROM legal_hold_chats WHERE hold_id = @h`,
  `INSERT OR IGNORE INTO temp.hold_chat_set (hold_id, chat_id)
     SELECT s.hold_id, t.thread_chat_id FROM temp.hold_chat_set s JOIN threads t ON t.parent_chat_id = s.chat_id WHERE s.hold_id = @h`,
  `INSERT OR IGNORE INTO temp.hold_custodian_ids (hold_id, user_id) SELECT hold_id, user_id FROM legal_hold_custodians WHERE hold_id = @h AND user_id IS NOT NULL`,
  // By user id (a membership's member_key is its user id when Cliq gave one), then by e-mail for
  // members known only by address.
  `INSERT OR IGNORE INTO temp.hold_custodian_chats (hold_id, chat_id)
     SELECT k.hold_id, mi.chat_id FROM legal_hold_custodians k JOIN membership_intervals mi ON mi.member_key = k.user_id
      WHERE k.hold_id = @h AND (mi.joined_at IS NULL OR mi.joined_at <= @to) AND (mi.left_at IS NULL OR mi.left_at >= @from)`,
  `INSERT OR IGNORE INTO temp.hold_custodian_chats (hold_id, chat_id)
     SELECT k.hold_id, mi.chat_id FROM legal_hold_custodians k JOIN memberships mb ON lower(mb.email) = k.email AND mb.user_id IS NULL
       JOIN membership_intervals mi ON mi.id = mb.id
      WHERE k.hold_id = @h AND k.email IS NOT NULL AND (mi.joined_at IS NULL OR mi.joined_at <= @to) AND (mi.left_at IS NULL OR mi.left_at >= @from)`,
  `INSERT OR IGNORE INTO temp.hold_custodian_chats (hold_id, chat_id)
     SELECT s.hold_id, t.thread_chat_id FROM temp.hold_custodian_chats s JOIN threads t ON t.parent_chat_id = s.chat_id WHERE s.hold_id = @h`,
];

/** The messages a query matches (current text, file names, card text; or an earlier version's text), within the key range. */
const queryKeys = `SELECT rowid AS id FROM messages_fts WHERE messages_fts MATCH @match AND ${ftsRowidBetween('rowid')}
  UNION SELECT v.message_rowid AS id FROM versions_fts vf JOIN message_versions v ON v.id = vf.rowid
         WHERE versions_fts MATCH @match AND v.message_rowid BETWEEN @lo AND @hi`;

const drivers = {
  chats: `SELECT m.id FROM temp.hold_chat_set s JOIN messages m ON m.chat_id = s.chat_id WHERE s.hold_id = @h AND m.time BETWEEN @from AND @to`,
  custodians: `SELECT m.id FROM temp.hold_custodian_ids u JOIN messages m ON m.sender_id = u.user_id WHERE u.hold_id = @h AND m.time BETWEEN @from AND @to
    UNION SELECT m.id FROM temp.hold_custodian_chats s JOIN messages m ON m.chat_id = s.chat_id WHERE s.hold_id = @h AND m.time BETWEEN @from AND @to`,
  query: queryKeys,
  dates: `SELECT m.id FROM messages m WHERE m.id BETWEEN @lo AND @hi`,
} as const;

const filters = {
  chats: `m.chat_id IN (SELECT chat_id FROM temp.hold_chat_set WHERE hold_id = @h)`,
  custodians: `(m.sender_id IN (SELECT user_id FROM temp.hold_custodian_ids WHERE hold_id = @h)
    OR m.chat_id IN (SELECT chat_id FROM temp.hold_custodian_chats WHERE hold_id = @h))`,
  query: `m.id IN (${queryKeys})`,
} as const;

type Criterion = keyof typeof filters;

/**
 * The statement that selects one hold's messages: driven by its first criterion present, checked
 * against the others (each a non-correlated IN, built once per statement run). At most eight texts.
 */
function holdMessagesSql(present: readonly Criterion[]): string {
  const [driver, ...rest] = present;
  const checks = ['m.time BETWEEN @from AND @to', ...rest.map((c) => filters[c])];
  // In key order: the rows reach temp.hold_messages' B-tree in its order (appends, not random inserts).
  return `INSERT OR IGNORE INTO temp.hold_messages (hold_id, key, chat_id, sender_id)
    SELECT @h, m.id, m.chat_id, m.sender_id FROM (${drivers[driver ?? 'dates']}) d JOIN messages m ON m.id = d.id
     WHERE ${checks.join(' AND ')} ORDER BY m.id`;
}

/**
 * Evaluates the scope of the active holds (`which: 'all'`: released ones too, e.g. to say which
 * holds ever touched an audit scope) into temp.hold_messages (hold_id, key, chat_id, sender_id). Returns the holds
 * evaluated. Call inside a read transaction for a consistent answer.
 */
export function evaluateHolds(db: Database.Database, which: 'active' | 'all' = 'active'): number[] {
  // The temp tables can hold hundreds of thousands of keys (1M messages: 410k held by five holds):
  // a larger cache for the temp schema alone keeps them off the temp file (measured 4.2 s → 3.0 s
  // on 1M messages, on a loaded machine). Only what is used is allocated; the archive's own cache is unchanged.
  db.pragma(`temp.cache_size = -${32 * 1024}`);
  db.exec(setup);
  const holds = prepared(db, holdsSql(which)).all() as HoldRow[];
  const indexed = indexedWordsOf(db);
  for (const hold of holds) {
    const from = hold.from_time ?? 0;
    const to = hold.to_time ?? maxKeyTime;
    const params = { h: hold.hold_id, from, to, lo: keyFloor(from), hi: keyCeil(Math.min(to, maxKeyTime)) };
    for (const sql of criteriaSql) prepared(db, sql).run(params);
    // A query with no word the index holds is refused when the hold is placed; were one stored,
    // the criterion is left out: a hold keeps more rather than less.
    const match = hold.query === null ? undefined : userQuery(hold.query, hold.query_mode, indexed);
    const present: Criterion[] = [];
    if (hold.chats > 0) present.push('chats');
    if (hold.custodians > 0) present.push('custodians');
    if (match !== undefined) present.push('query');
    prepared(db, holdMessagesSql(present)).run(match === undefined ? params : { ...params, match });
  }
  return holds.map((h) => h.hold_id);
}

/**
 * THE predicate retention uses: evaluates the active holds and fills temp.held_messages (key: the
 * message's messages.id) and temp.held_chats (conversations holding a held message, or named by an
 * active hold, with a channel's threads). A message is held when
 * `EXISTS (SELECT 1 FROM temp.held_messages h WHERE h.key = messages.id)`. Returns the counts.
 */
export function markHeld(db: Database.Database): { holds: number; messages: number; conversations: number } {
  const holds = evaluateHolds(db, 'active');
  prepared(db, 'INSERT OR IGNORE INTO temp.held_messages (key) SELECT key FROM temp.hold_messages').run();
  prepared(db, 'INSERT OR IGNORE INTO temp.held_chats (chat_id) SELECT DISTINCT chat_id FROM temp.hold_messages').run();
  prepared(db, 'INSERT OR IGNORE INTO temp.held_chats (chat_id) SELECT chat_id FROM temp.hold_chat_set').run();
  const count = (table: string) => prepared(db, `SELECT count(*) FROM temp.${table}`).pluck().get() as number;
  return { holds: holds.length, messages: count('held_messages'), conversations: count('held_chats') };
}

/**
 * Whether one message is in any active hold's scope now. For a single question (a screen, a test);
 * retention asks for every message at once through {@link markHeld}.
 */
export function isHeld(db: Database.Database, chatId: string, messageId: string): boolean {
  markHeld(db);
  return prepared(db, 'SELECT 1 FROM messages m JOIN temp.held_messages h ON h.key = m.id WHERE m.chat_id = ? AND m.message_id = ?').get(chatId, messageId) !== undefined;
}

/** Per evaluated hold (after {@link evaluateHolds}): messages, conversations, named custodians and senders in its scope. */
export function evaluatedCounts(db: Database.Database): Map<number, EvaluatedHold> {
  const rows = prepared(
    db,
    `SELECT h.hold_id AS holdId,
            (SELECT count(*) FROM temp.hold_messages x WHERE x.hold_id = h.hold_id) AS messages,
            (SELECT count(DISTINCT x.chat_id) FROM temp.hold_messages x WHERE x.hold_id = h.hold_id) AS conversations,
            (SELECT count(DISTINCT coalesce(k.user_id, k.email, k.given)) FROM legal_hold_custodians k WHERE k.hold_id = h.hold_id) AS custodians,
            (SELECT count(DISTINCT x.sender_id) FROM temp.hold_messages x WHERE x.hold_id = h.hold_id) AS senders
       FROM legal_holds h`,
  ).all() as EvaluatedHold[];
  return new Map(rows.map((r) => [r.holdId, r]));
}

/**
 * Which holds (evaluated with `which`) touch an audit scope: those holding a message of
 * temp.scope_messages or naming a conversation of temp.scope_chats (audit/scope.ts), or, for an
 * unscoped export (the whole archive), holding any message or naming any conversation. Returns
 * each hold's id and how many of the scope's messages it holds.
 */
export function holdsTouchingScope(db: Database.Database, scoped: boolean, which: 'active' | 'all' = 'all'): { holdId: number; messages: number }[] {
  evaluateHolds(db, which);
  const sql = scoped
    ? `SELECT h.hold_id AS holdId, (SELECT count(*) FROM temp.hold_messages x JOIN temp.scope_messages s ON s.key = x.key WHERE x.hold_id = h.hold_id) AS messages,
              EXISTS (SELECT 1 FROM temp.hold_chat_set c JOIN temp.scope_chats s ON s.chat_id = c.chat_id WHERE c.hold_id = h.hold_id) AS named
         FROM legal_holds h`
    : `SELECT h.hold_id AS holdId, (SELECT count(*) FROM temp.hold_messages x WHERE x.hold_id = h.hold_id) AS messages,
              EXISTS (SELECT 1 FROM temp.hold_chat_set c WHERE c.hold_id = h.hold_id) AS named
         FROM legal_holds h`;
  // A hold left out by `which` has no rows in the temp tables: nothing of it touches the scope.
  return (prepared(db, sql).all() as { holdId: number; messages: number; named: number }[]).filter((r) => r.messages > 0 || r.named === 1).map((r) => ({ holdId: r.holdId, messages: r.messages }));
}
