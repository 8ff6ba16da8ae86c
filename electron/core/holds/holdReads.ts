import type Database from 'better-sqlite3-multiple-ciphers';
import { VaultError } from '../../../shared/errors';
import type { HoldCustodian, HoldMention, HoldSummary, HoldView } from '../../../shared/holds';
import { evaluateHolds, evaluatedCounts, holdsTouchingScope } from './holdScope';

interface HoldRow {
  hold_id: number;
  name: string;
  reason: string | null;
  placed_at: number;
  profile: string | null;
  os_user: string;
  host: string;
  tool_version: string;
  from_time: number | null;
  to_time: number | null;
  from_text: string | null;
  to_text: string | null;
  time_zone: string;
  query: string | null;
  query_mode: 'simple' | 'advanced';
  row_hash: string | null;
  released_at: number | null;
  r_profile: string | null;
  r_os_user: string | null;
  r_host: string | null;
  r_tool_version: string | null;
  r_reason: string | null;
}

/** The archive has no holds table before migration 0066 ran on it (a read-only connection to an older file). */
export function hasHolds(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'legal_holds'").get() !== undefined;
}

/**
 * Holds as recorded, newest first: every one, or those named `name` (an active one and any number
 * of released ones may share a name).
 */
export function holdsNamed(db: Database.Database, name: string | undefined): HoldView[] {
  if (!hasHolds(db)) return [];
  const rows = db
    .prepare<[{ name: string | null }], HoldRow>(
      `SELECT h.hold_id, h.name, h.reason, h.placed_at, h.profile, h.os_user, h.host, h.tool_version, h.from_time, h.to_time, h.from_text, h.to_text,
              h.time_zone, h.query, h.query_mode, h.row_hash, r.released_at, r.profile AS r_profile, r.os_user AS r_os_user, r.host AS r_host,
              r.tool_version AS r_tool_version, r.reason AS r_reason
         FROM legal_holds h LEFT JOIN legal_hold_releases r ON r.hold_id = h.hold_id
        WHERE @name IS NULL OR h.name = @name
        ORDER BY h.hold_id DESC`,
    )
    .all({ name: name ?? null });
  const custodians = db.prepare<[number], { given: string; user_id: string | null; email: string | null }>('SELECT given, user_id, email FROM legal_hold_custodians WHERE hold_id = ? ORDER BY id');
  const chats = db.prepare<[number], { chat_id: string; title: string | null }>(
    'SELECT c.chat_id, ch.title FROM legal_hold_chats c LEFT JOIN chats ch ON ch.chat_id = c.chat_id WHERE c.hold_id = ? ORDER BY c.rowid',
  );
  return rows.map((r) => {
    const byGiven = new Map<string, HoldCustodian>();
    for (const c of custodians.all(r.hold_id)) {
      const entry = byGiven.get(c.given) ?? { given: c.given, userIds: [], email: c.email };
      if (c.user_id !== null) entry.userIds.push(c.user_id);
      byGiven.set(c.given, entry);
    }
    return {
      id: r.hold_id,
      name: r.name,
      reason: r.reason,
      placedAt: r.placed_at,
      placedBy: { profile: r.profile, osUser: r.os_user, host: r.host, toolVersion: r.tool_version },
      custodians: [...byGiven.values()],
      conversations: chats.all(r.hold_id).map((c) => ({ chatId: c.chat_id, title: c.title })),
      fromTime: r.from_time,
      toTime: r.to_time,
      fromText: r.from_text,
      toText: r.to_text,
      timeZone: r.time_zone,
      query: r.query,
      queryMode: r.query_mode,
      status: r.released_at === null ? 'active' : 'released',
      release:
        r.released_at === null
          ? null
          : {
              at: r.released_at,
              by: { profile: r.r_profile, osUser: r.r_os_user ?? '', host: r.r_host ?? '', toolVersion: r.r_tool_version ?? '' },
              reason: r.r_reason ?? '',
            },
      rowHash: r.row_hash,
    } satisfies HoldView;
  });
}

/**
 * Every hold with what its scope holds now (released holds too: what they would hold), newest
 * first. Evaluates every hold's scope in temp tables of `db`: on a screen's shared connection the
 * tables are simply refilled by the next call.
 */
export function listHolds(db: Database.Database): HoldSummary[] {
  const holds = holdsNamed(db, undefined);
  if (holds.length === 0) return [];
  // One read transaction: the counts of every hold come from the same state of the archive.
  const own = !db.inTransaction;
  if (own) db.exec('BEGIN');
  try {
    evaluateHolds(db, 'all');
    const counts = evaluatedCounts(db);
    return holds.map((h) => {
      const c = counts.get(h.id);
      return { ...h, counts: { messages: c?.messages ?? 0, conversations: c?.conversations ?? 0, custodians: c?.custodians ?? 0, senders: c?.senders ?? 0 } };
    });
  } finally {
    if (own) db.exec('COMMIT');
  }
}

/** One hold by name with its counts: the active one of that name, else the newest released one. */
export function showHold(db: Database.Database, name: string): HoldSummary {
  const named = listHolds(db).filter((h) => h.name === name);
  const found = named.find((h) => h.status === 'active') ?? named[0];
  if (!found) {
    throw new VaultError('USAGE', `No hold is named "${name}".`, {
      hint: 'List the holds with `cliq-vault hold list --archive <path>`; names are matched exactly.',
      ui: { message: `No hold is named "${name}".`, hint: 'Names are matched exactly; the list shows every hold.' },
    });
  }
  return found;
}

/**
 * The holds that touched an audit scope resolved on `db` (temp.scope_messages / scope_chats when
 * `scoped`), active or released, as an audit bundle's manifest and README name them; also left in
 * temp.scope_holds (hold_id, messages of the scope it holds). Call inside the export's read
 * transaction.
 */
export function holdMentions(db: Database.Database, scoped: boolean): HoldMention[] {
  // temp.scope_holds: the bundle's holds dataset (audit/datasets.ts) reads it.
  db.exec('CREATE TEMP TABLE IF NOT EXISTS scope_holds (hold_id INTEGER PRIMARY KEY, messages INTEGER NOT NULL); DELETE FROM temp.scope_holds;');
  if (!hasHolds(db)) return [];
  const touching = holdsTouchingScope(db, scoped, 'all');
  const insert = db.prepare<[number, number]>('INSERT INTO temp.scope_holds (hold_id, messages) VALUES (?, ?)');
  for (const t of touching) insert.run(t.holdId, t.messages);
  if (touching.length === 0) return [];
  const byId = new Map(holdsNamed(db, undefined).map((h) => [h.id, h]));
  return touching.flatMap(({ holdId, messages }) => {
    const h = byId.get(holdId);
    if (!h) return [];
    return [
      {
        name: h.name,
        placedAt: new Date(h.placedAt).toISOString(),
        placedBy: { profile: h.placedBy.profile, osUser: h.placedBy.osUser, host: h.placedBy.host },
        reason: h.reason,
        status: h.status,
        releasedAt: h.release ? new Date(h.release.at).toISOString() : null,
        releaseReason: h.release?.reason ?? null,
        messagesInScope: messages,
      },
    ];
  });
}
