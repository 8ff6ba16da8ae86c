import type Database from 'better-sqlite3-multiple-ciphers';
import type { ConversationKind } from '../../../shared/search';
import type { AuditLogEntry, ConversationRow, Insights, MembershipRow, Person } from '../../../shared/views';
import { fileCoverageByChat, withFiles } from '../archive/attachmentReads';
import { memberRolesOf } from '../archive/extrasReads';
import { personNamer } from '../archive/mentionResolver';
import { dayKey, zonedParts } from '../util/timeZone';

/**
 * The read-only queries behind the Browse, Insights and Audit screens that the CLI does not have.
 * Each runs on the app's read-only connection; none writes.
 */

export function listConversations(
  db: Database.Database,
  filter: { kinds?: readonly ConversationKind[] | undefined; text?: string | undefined; onlyProblems: boolean; limit: number },
): ConversationRow[] {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: filter.limit };
  if (filter.kinds && filter.kinds.length > 0) {
    where.push(`c.kind IN (SELECT value FROM json_each(@kinds))`);
    params.kinds = JSON.stringify(filter.kinds);
  }
  if (filter.text?.trim()) {
    // Title or id; LIKE's own wildcards in what the user typed are escaped.
    where.push(`(c.title LIKE @text ESCAPE '\\' OR c.chat_id = @exact)`);
    params.text = `%${filter.text.trim().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    params.exact = filter.text.trim();
  }
  if (filter.onlyProblems) {
    where.push(`c.gone_at IS NULL AND (c.sync_status IS NULL OR c.sync_status <> 'complete' OR (c.server_message_count IS NOT NULL AND c.server_message_count <> c.archived_count))`);
  }
  const rows = db
    .prepare<Record<string, unknown>, ConversationRow>(
      `WITH members AS (SELECT chat_id, count(*) AS n FROM memberships WHERE gone_at IS NULL GROUP BY chat_id),
            -- One index seek per conversation (messages_chat_time answers max(time) from its end)
            -- instead of a scan of every message that a grouped max over the table would need.
            latest AS (SELECT k2.chat_id, (SELECT max(time) FROM messages WHERE chat_id = k2.chat_id) AS at FROM chats k2)
       SELECT c.chat_id AS chatId, c.kind, k.kind_source AS kindSource, c.title, t.parent_chat_id AS parentChatId, coalesce(m.n, 0) AS memberCount,
              c.server_message_count AS serverMessageCount, c.archived_count AS archivedCount, c.deleted_count AS deletedCount,
              c.sync_status AS syncStatus, c.last_complete_at AS lastCompleteAt, l.at AS lastMessageAt,
              c.error_code AS errorCode, c.gone_at AS goneAt
         FROM chat_coverage c
         JOIN chats k ON k.chat_id = c.chat_id
         LEFT JOIN threads t ON t.thread_chat_id = c.chat_id
         LEFT JOIN members m ON m.chat_id = c.chat_id
         LEFT JOIN latest l ON l.chat_id = c.chat_id
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY l.at IS NULL, l.at DESC, c.chat_id
        LIMIT @limit`,
    )
    .all(params);
  return withFiles(rows, fileCoverageByChat(db));
}

/**
 * A conversation's membership intervals, each with the channel roles it held: a role interval
 * belongs to the membership interval it overlaps (a role ends when its member is listed gone).
 */
export function membershipHistory(db: Database.Database, chatId: string): MembershipRow[] {
  const roles = memberRolesOf(db, chatId);
  const rows = db
    .prepare<[string], Omit<MembershipRow, 'role' | 'roles'>>(
      `SELECT member_key AS memberKey, m.user_id AS userId, coalesce(m.name, u.name) AS name, coalesce(m.email, u.email) AS email,
              m.joined_at AS joinedAt, m.joined_source AS joinedSource, m.joined_noticed_at AS firstSeenAt, m.last_seen_at AS lastSeenAt,
              m.left_at AS leftAt, m.left_source AS leftSource, m.left_noticed_at AS goneAt
         FROM membership_intervals m LEFT JOIN users u ON u.user_id = m.user_id
        WHERE m.chat_id = ?
        ORDER BY m.left_noticed_at IS NOT NULL, coalesce(m.name, u.name), m.joined_noticed_at`,
    )
    .all(chatId);
  const named = personNamer(db);
  return rows.map((m) => {
    const held = (roles.get(m.memberKey) ?? []).filter((r) => (r.goneAt === null || r.goneAt >= m.firstSeenAt) && (m.goneAt === null || r.firstSeenAt <= m.goneAt));
    const role = held.find((r) => r.goneAt === null) ?? held.at(-1);
    return { ...m, name: named(m.userId, m.name), role: role?.role ?? null, roles: held };
  });
}

/** People for pickers: archived users matching a name or e-mail, with how many messages they sent. */
export function findPeople(db: Database.Database, text: string | undefined, limit: number): Person[] {
  const like = `%${(text ?? '').trim().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  const named = personNamer(db);
  const people = db
    .prepare<[string, string, string, number], Person>(
      `SELECT u.user_id AS userId, coalesce(u.name, u.display_name) AS name, u.email,
              (SELECT count(*) FROM messages WHERE sender_id = u.user_id) AS messages
         FROM users u
        WHERE u.name LIKE ? ESCAPE '\\' OR u.email LIKE ? ESCAPE '\\' OR u.user_id = ?
        ORDER BY messages DESC, name LIMIT ?`,
    )
    .all(like, like, (text ?? '').trim(), limit);
  return people.map((p) => ({ ...p, name: named(p.userId, p.name) }));
}

const bucketMs = 15 * 60_000;

/**
 * Activity for the Insights screen. SQLite knows no time zones, so messages are counted per
 * 15-minute UTC bucket (every zone's offset is a multiple of 15 minutes) and the buckets are
 * placed into local days and hours here.
 */
export function activityInsights(
  db: Database.Database,
  options: { chatId?: string | undefined; from?: number | undefined; to?: number | undefined; timeZone: string; topSenders: number; now: number },
): Insights {
  const where: string[] = [];
  const params: Record<string, unknown> = { bucket: bucketMs, top: options.topSenders };
  if (options.chatId !== undefined) {
    where.push('chat_id = @chat');
    params.chat = options.chatId;
  }
  if (options.from !== undefined) {
    where.push('time >= @from');
    params.from = options.from;
  }
  if (options.to !== undefined) {
    where.push('time < @to');
    params.to = options.to;
  }
  const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const buckets = db.prepare<Record<string, unknown>, { b: number; n: number }>(`SELECT time / @bucket AS b, count(*) AS n FROM messages ${filter} GROUP BY b ORDER BY b`).all(params);
  const perDay = new Map<string, number>();
  const heatmap = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  let total = 0;
  for (const { b, n } of buckets) {
    const at = b * bucketMs;
    const parts = zonedParts(at, options.timeZone);
    const day = dayKey(parts);
    perDay.set(day, (perDay.get(day) ?? 0) + n);
    const row = heatmap[parts.weekday];
    if (row) row[parts.hour] = (row[parts.hour] ?? 0) + n;
    total += n;
  }
  const topSenders = db
    .prepare<Record<string, unknown>, { senderId: string | null; name: string | null; messages: number }>(
      `SELECT sender_id AS senderId, max(sender_name) AS name, count(*) AS messages FROM messages ${filter}
        GROUP BY sender_id ORDER BY messages DESC, sender_id LIMIT @top`,
    )
    .all(params);
  const named = personNamer(db);
  const day = 86_400_000;
  const freshness = db
    .prepare<Record<string, number>, { label: string; conversations: number }>(
      `SELECT CASE WHEN last_complete_at IS NULL THEN 'never complete'
                   WHEN last_complete_at >= @now - @day THEN 'within a day'
                   WHEN last_complete_at >= @now - 7 * @day THEN 'within a week'
                   WHEN last_complete_at >= @now - 30 * @day THEN 'within a month'
                   ELSE 'older' END AS label, count(*) AS conversations
         FROM chat_coverage WHERE gone_at IS NULL GROUP BY label`,
    )
    .all({ now: options.now, day });
  const order = ['within a day', 'within a week', 'within a month', 'older', 'never complete'];
  freshness.sort((a, b) => order.indexOf(a.label) - order.indexOf(b.label));
  return {
    perDay: [...perDay].map(([d, messages]) => ({ day: d, messages })),
    topSenders: topSenders.map((s) => ({ ...s, name: named(s.senderId, s.name) })),
    heatmap,
    freshness,
    totalMessages: total,
  };
}

export function auditHistory(db: Database.Database, limit: number): AuditLogEntry[] {
  return db
    .prepare<[number], Omit<AuditLogEntry, 'files'> & { filesJson: string }>(
      `SELECT id, at, os_user AS osUser, host, bundle_path AS bundlePath, bundle_hash AS bundleHash, status, detail, files_json AS filesJson
         FROM audit_log ORDER BY id DESC LIMIT ?`,
    )
    .all(limit)
    .map(({ filesJson, ...entry }) => ({ ...entry, files: filesCount(filesJson) }));
}

function filesCount(json: string): number {
  const files: unknown = JSON.parse(json);
  return Array.isArray(files) ? files.length : 0;
}
