import type Database from 'better-sqlite3-multiple-ciphers';
import type { ExtrasCoverage, ReactionCoverage, TranscriptPage } from '../../../shared/archive';
import type { ChannelPermission, ReactionView, StickyHistory, StickyPin } from '../../../shared/evidence';
import type { MemberRole } from '../../../shared/views';

/**
 * Read-only views of migration 0064's evidence: totals for `stats` and the conversation list
 * (reactions current and removed; messages checked, due and unreadable; pins, member roles and
 * permissions), and what the transcript shows (a page's reactions, a conversation's coverage, pin
 * history, member roles and the channel's permissions). An archive read without those tables answers empty (or undefined).
 */

export function hasExtrasTables(db: Database.Database): boolean {
  return db.prepare<[], { n: number }>("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND name = 'reaction_checks'").get()?.n === 1;
}

/** Whole-archive totals. */
export function extrasTotals(db: Database.Database): ExtrasCoverage | undefined {
  if (!hasExtrasTables(db)) return undefined;
  const row = db
    .prepare<[], ExtrasCoverage>(
      `SELECT (SELECT count(*) FROM reactions WHERE gone_at IS NULL) AS reactionsCurrent,
              (SELECT count(*) FROM reactions WHERE gone_at IS NOT NULL) AS reactionsRemoved,
              (SELECT count(*) FROM reaction_checks) AS messagesChecked,
              (SELECT count(*) FROM messages m LEFT JOIN reaction_checks c ON c.message_rowid = m.id
                WHERE m.deleted_at IS NULL AND (c.message_rowid IS NULL OR c.checked_version < m.version)
                  AND m.chat_id IN (SELECT chat_id FROM conversation_checks WHERE source = 'reactions' AND status = 'ok')) AS messagesDue,
              (SELECT count(*) FROM conversation_checks WHERE source = 'reactions' AND status = 'forbidden') AS conversationsRefused,
              (SELECT count(*) FROM sticky_messages WHERE gone_at IS NULL) AS pinsCurrent,
              (SELECT count(*) FROM sticky_messages WHERE gone_at IS NOT NULL) AS pinsEnded,
              (SELECT count(*) FROM channel_member_roles WHERE gone_at IS NULL) AS rolesCurrent,
              (SELECT count(*) FROM channel_member_roles WHERE gone_at IS NOT NULL) AS rolesEnded,
              (SELECT count(DISTINCT channel_id) FROM channel_permissions WHERE gone_at IS NULL) AS channelsWithPermissions`,
    )
    .get();
  return row;
}

/**
 * Per conversation, from messages and the last REST check: messages checked; of the others, due
 * where REST answered ('ok') and unreadable where it refused ('forbidden').
 */
const coverageColumns = `count(c.message_rowid) AS checked,
  count(*) FILTER (WHERE k.status = 'ok' AND (c.message_rowid IS NULL OR c.checked_version < m.version)) AS due,
  count(*) FILTER (WHERE k.status = 'forbidden' AND c.message_rowid IS NULL) AS unreadable,
  k.checked_at AS askedAt`;

/**
 * Reactions checked, due and unreadable per conversation that REST was asked about reactions at
 * least once. Conversations never asked are absent.
 */
export function reactionCoverageByChat(db: Database.Database): Map<string, ReactionCoverage> {
  const out = new Map<string, ReactionCoverage>();
  if (!hasExtrasTables(db)) return out;
  const rows = db
    .prepare<[], ReactionCoverage & { chatId: string }>(
      `SELECT m.chat_id AS chatId, ${coverageColumns}
         FROM messages m JOIN conversation_checks k ON k.chat_id = m.chat_id AND k.source = 'reactions'
         LEFT JOIN reaction_checks c ON c.message_rowid = m.id
        WHERE m.deleted_at IS NULL GROUP BY m.chat_id`,
    )
    .all();
  for (const { chatId, ...coverage } of rows) out.set(chatId, coverage);
  return out;
}

/**
 * One conversation's reactions coverage (the transcript's header). Never asked: nothing checked,
 * due or unreadable, and `askedAt` null — the words for it are the UI's.
 */
export function reactionCoverageOf(db: Database.Database, chatId: string): ReactionCoverage {
  const never: ReactionCoverage = { checked: 0, due: 0, unreadable: 0, askedAt: null };
  if (!hasExtrasTables(db)) return never;
  const row = db
    .prepare<[string], ReactionCoverage>(
      `SELECT ${coverageColumns}
         FROM conversation_checks k JOIN messages m ON m.chat_id = k.chat_id AND m.deleted_at IS NULL
         LEFT JOIN reaction_checks c ON c.message_rowid = m.id
        WHERE k.chat_id = ? AND k.source = 'reactions' GROUP BY k.chat_id`,
    )
    .get(chatId);
  return row ?? never;
}

/**
 * The reactions of a transcript page's messages (by message key), current and removed, oldest
 * first: one query for the whole page. A removed reaction keeps its row, with when it was noticed.
 */
export function reactionsOfMessages(db: Database.Database, keys: readonly number[]): Map<number, ReactionView[]> {
  const out = new Map<number, ReactionView[]>();
  if (keys.length === 0 || !hasExtrasTables(db)) return out;
  const rows = db
    .prepare<[string], ReactionView & { key: number }>(
      `SELECT m.id AS key, r.emoji, r.user_id AS userId, coalesce(r.user_name, u.name) AS userName,
              coalesce(r.reacted_at, r.first_seen_at) AS at, r.gone_at AS removedNoticedAt
         FROM messages m JOIN reactions r ON r.chat_id = m.chat_id AND r.message_id = m.message_id
         LEFT JOIN users u ON u.user_id = r.user_id
        WHERE m.id IN (SELECT value FROM json_each(?))
        ORDER BY m.id, at, r.id`,
    )
    .all(JSON.stringify(keys));
  for (const { key, ...reaction } of rows) {
    const list = out.get(key) ?? [];
    list.push(reaction);
    out.set(key, list);
  }
  return out;
}

/** A transcript page with each message's reactions (one query for the page): what the app and `transcript` show. */
export function pageWithReactions<Page extends TranscriptPage>(db: Database.Database, page: Page): Page {
  const reactions = reactionsOfMessages(
    db,
    page.messages.map((m) => m.key),
  );
  if (reactions.size === 0) return page;
  return {
    ...page,
    messages: page.messages.map((m) => {
      const list = reactions.get(m.key);
      return list ? { ...m, reactions: list } : m;
    }),
  };
}

/** A conversation's pins, newest first, and when H3 last answered for it. */
export function stickyHistory(db: Database.Database, chatId: string): StickyHistory {
  if (!hasExtrasTables(db)) return { pins: [], checkedAt: null };
  const pins = db
    .prepare<[string], StickyPin>(
      `SELECT s.message_id AS messageId, s.text, s.sender_id AS senderId, coalesce(s.sender_name, us.name) AS senderName,
              s.creator_id AS pinnedById, coalesce(s.creator_name, uc.name) AS pinnedByName, s.pinned_at AS pinnedAt,
              s.expiry_time AS expiry, s.first_seen_at AS firstSeenAt, s.gone_at AS endedNoticedAt, s.ended_by AS endedBy
         FROM sticky_messages s
         LEFT JOIN users us ON us.user_id = s.sender_id
         LEFT JOIN users uc ON uc.user_id = s.creator_id
        WHERE s.chat_id = ?
        ORDER BY s.first_seen_at DESC, s.id DESC`,
    )
    .all(chatId);
  const checked = db.prepare<[string], { at: number }>("SELECT checked_at AS at FROM conversation_checks WHERE chat_id = ? AND source = 'sticky' AND status = 'ok'").get(chatId);
  return { pins, checkedAt: checked?.at ?? null };
}

/** A conversation's channel member roles by member key, oldest first (C3's user_role as intervals). */
export function memberRolesOf(db: Database.Database, chatId: string): Map<string, MemberRole[]> {
  const out = new Map<string, MemberRole[]>();
  if (!hasExtrasTables(db)) return out;
  const rows = db
    .prepare<[string], MemberRole & { memberKey: string }>(
      `SELECT member_key AS memberKey, role, first_seen_at AS firstSeenAt, gone_at AS goneAt
         FROM channel_member_roles WHERE chat_id = ? ORDER BY member_key, first_seen_at, id`,
    )
    .all(chatId);
  for (const { memberKey, ...role } of rows) {
    const list = out.get(memberKey) ?? [];
    list.push(role);
    out.set(memberKey, list);
  }
  return out;
}

/**
 * A channel's permission values by its conversation id, current and earlier: roles in Cliq's
 * order (admin, moderator, member), then by permission, oldest first. Empty for a conversation
 * that is no channel, or a channel whose listing never carried permission objects.
 */
export function channelPermissionsOf(db: Database.Database, chatId: string): ChannelPermission[] {
  if (!hasExtrasTables(db)) return [];
  const rows = db
    .prepare<[string], Omit<ChannelPermission, 'allowed'> & { allowed: number | null }>(
      `SELECT p.role, p.permission, p.allowed, p.value, p.first_seen_at AS firstSeenAt, p.gone_at AS goneAt
         FROM channel_permissions p
        WHERE p.channel_id IN (SELECT channel_id FROM channels WHERE chat_id = ?)
        ORDER BY CASE p.role WHEN 'admin' THEN 0 WHEN 'moderator' THEN 1 ELSE 2 END, p.permission, p.first_seen_at, p.id`,
    )
    .all(chatId);
  return rows.map((r) => ({ ...r, allowed: r.allowed === null ? null : r.allowed === 1 }));
}
