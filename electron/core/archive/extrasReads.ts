import type Database from 'better-sqlite3';
import type { ExtrasCoverage, ReactionCoverage } from '../../../shared/archive';

/**
 * Read-only totals of migration 0064's evidence for `stats` and the conversation list: reactions
 * (current, removed; messages checked, and due in conversations whose reactions REST answered),
 * pins, member roles and permissions. An archive read without those tables answers undefined.
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
 * Reactions checked and due per conversation that REST answered for reactions at least once
 * (elsewhere nothing is due: the admin cannot read it). Conversations never asked are absent.
 */
export function reactionCoverageByChat(db: Database.Database): Map<string, ReactionCoverage> {
  const out = new Map<string, ReactionCoverage>();
  if (!hasExtrasTables(db)) return out;
  const rows = db
    .prepare<[], ReactionCoverage & { chatId: string }>(
      `SELECT m.chat_id AS chatId, count(c.message_rowid) AS checked,
              count(*) FILTER (WHERE c.message_rowid IS NULL OR c.checked_version < m.version) AS due
         FROM messages m JOIN conversation_checks k ON k.chat_id = m.chat_id AND k.source = 'reactions'
         LEFT JOIN reaction_checks c ON c.message_rowid = m.id
        WHERE m.deleted_at IS NULL GROUP BY m.chat_id`,
    )
    .all();
  for (const { chatId, checked, due } of rows) out.set(chatId, { checked, due });
  return out;
}
