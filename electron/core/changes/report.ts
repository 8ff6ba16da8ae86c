import type Database from 'better-sqlite3-multiple-ciphers';
import { changeKinds, type ChangeItem, type ChangeKind, type ChangeRange, type ChangeReport } from '../../../shared/changes';
import { prepared } from '../search/search';

/**
 * Each kind of change as two statements over the run markers the archive keeps on every row:
 * how many (`count`) and the newest `@limit` (`items`, each row a ChangeItem). `@after` and
 * `@through` bound the runs (after, through]. A message's words are cut to 120 characters: the
 * report says what changed, the transcript shows it whole.
 */
const inRange = (column: string) => `${column} > @after AND ${column} <= @through`;
/** The archive's key of a message of the row's conversation, for a link to it in its transcript. */
const keyOf = (column: string) => `(SELECT m.id FROM messages m WHERE m.chat_id = x.chat_id AND m.message_id = ${column})`;
const words = (column: string) => `coalesce(substr(${column}, 1, 120), '')`;

const queries: Record<ChangeKind, { count: string; items: string }> = {
  message_new: {
    count: `SELECT count(*) FROM messages WHERE ${inRange('first_seen_run')}`,
    items: `SELECT first_seen_run AS runId, chat_id AS chatId, message_id AS messageId, id AS messageKey, time AS at, sender_name AS who,
                   ${words("coalesce(text, file_name, extra_text)")} AS detail
              FROM messages x WHERE ${inRange('first_seen_run')} ORDER BY time DESC LIMIT @limit`,
  },
  message_edited: {
    count: `SELECT count(DISTINCT message_rowid) FROM message_versions WHERE ${inRange('superseded_run')}`,
    // The earliest version the range superseded is what the message said before it.
    items: `SELECT max(v.superseded_run) AS runId, x.chat_id AS chatId, x.message_id AS messageId, x.id AS messageKey, max(v.superseded_at) AS at, x.sender_name AS who,
                   'was: ' || ${words('v.text')} || ' — now: ' || ${words('x.text')} AS detail, min(v.version) AS firstVersion
              FROM message_versions v JOIN messages x ON x.id = v.message_rowid
             WHERE ${inRange('v.superseded_run')} GROUP BY v.message_rowid ORDER BY at DESC LIMIT @limit`,
  },
  message_deleted: {
    count: `SELECT count(*) FROM messages WHERE ${inRange('deleted_run')}`,
    items: `SELECT deleted_run AS runId, chat_id AS chatId, message_id AS messageId, id AS messageKey, deleted_at AS at, sender_name AS who, ${words('coalesce(text, file_name)')} AS detail
              FROM messages x WHERE ${inRange('deleted_run')} ORDER BY deleted_at DESC LIMIT @limit`,
  },
  member_joined: {
    // Members a conversation had when first archived did not join then: when they joined is unknown.
    count: `SELECT count(*) FROM membership_intervals WHERE ${inRange('joined_noticed_run')} AND joined_source <> 'first_archived'`,
    items: `SELECT joined_noticed_run AS runId, chat_id AS chatId, joined_message_id AS messageId, ${keyOf('joined_message_id')} AS messageKey, coalesce(joined_at, joined_noticed_at) AS at,
                   coalesce(name, email, user_id, member_key) AS who,
                   CASE joined_source WHEN 'info_message' THEN 'joined (Cliq''s notice)' ELSE 'joined (noticed by a sync)' END AS detail
              FROM membership_intervals x WHERE ${inRange('joined_noticed_run')} AND joined_source <> 'first_archived' ORDER BY at DESC LIMIT @limit`,
  },
  member_left: {
    count: `SELECT count(*) FROM membership_intervals WHERE ${inRange('left_noticed_run')}`,
    items: `SELECT left_noticed_run AS runId, chat_id AS chatId, left_message_id AS messageId, ${keyOf('left_message_id')} AS messageKey, coalesce(left_at, left_noticed_at) AS at,
                   coalesce(name, email, user_id, member_key) AS who,
                   CASE left_source WHEN 'info_message' THEN 'left (Cliq''s notice)' ELSE 'left (noticed by a sync)' END AS detail
              FROM membership_intervals x WHERE ${inRange('left_noticed_run')} ORDER BY at DESC LIMIT @limit`,
  },
  conversation_changed: {
    // A superseded state whose name or status differs from today's: renamed, archived, restored.
    // (Counters and times that move at every sync also supersede states; they are not changes.)
    count: `SELECT count(*) FROM (${conversationStates()})`,
    items: `SELECT * FROM (${conversationStates()}) ORDER BY at DESC LIMIT @limit`,
  },
  conversation_gone: {
    count: `SELECT count(*) FROM chats WHERE ${inRange('gone_run')}`,
    items: `SELECT gone_run AS runId, chat_id AS chatId, NULL AS messageId, NULL AS messageKey, gone_at AS at, NULL AS who, 'no longer listed by Cliq' AS detail
              FROM chats x WHERE ${inRange('gone_run')} ORDER BY gone_at DESC LIMIT @limit`,
  },
  user_changed: {
    count: `SELECT count(*) FROM (${userStates()})`,
    items: `SELECT * FROM (${userStates()}) ORDER BY at DESC LIMIT @limit`,
  },
  user_gone: {
    count: `SELECT count(*) FROM users WHERE ${inRange('gone_run')}`,
    items: `SELECT gone_run AS runId, NULL AS chatId, NULL AS messageId, NULL AS messageKey, gone_at AS at, coalesce(name, email, user_id) AS who, 'no longer listed by Cliq' AS detail
              FROM users WHERE ${inRange('gone_run')} ORDER BY gone_at DESC LIMIT @limit`,
  },
  group_joined: {
    count: `SELECT count(*) FROM directory_intervals WHERE ${inRange('start_noticed_run')} AND start_source <> 'first_archived'`,
    items: `SELECT start_noticed_run AS runId, NULL AS chatId, NULL AS messageId, NULL AS messageKey, coalesce(started_at, start_noticed_at) AS at,
                   coalesce((SELECT coalesce(name, email) FROM users u WHERE u.user_id = d.user_id), d.user_id) AS who,
                   'joined ' || kind || ' ' || coalesce('“' || group_name || '”', group_id) AS detail
              FROM directory_intervals d WHERE ${inRange('start_noticed_run')} AND start_source <> 'first_archived' ORDER BY at DESC LIMIT @limit`,
  },
  group_left: {
    count: `SELECT count(*) FROM directory_intervals WHERE ${inRange('end_noticed_run')}`,
    items: `SELECT end_noticed_run AS runId, NULL AS chatId, NULL AS messageId, NULL AS messageKey, ended_at AS at,
                   coalesce((SELECT coalesce(name, email) FROM users u WHERE u.user_id = d.user_id), d.user_id) AS who,
                   'left ' || kind || ' ' || coalesce('“' || group_name || '”', group_id) AS detail
              FROM directory_intervals d WHERE ${inRange('end_noticed_run')} ORDER BY at DESC LIMIT @limit`,
  },
  attachment_unavailable: {
    // Attachments of messages the range brought that could not be stored, and why.
    count: `SELECT count(*) FROM attachments WHERE ${inRange('first_seen_run')} AND status <> 'stored'`,
    items: `SELECT first_seen_run AS runId, chat_id AS chatId, message_id AS messageId, ${keyOf('x.message_id')} AS messageKey, coalesce(last_attempt_at, first_seen_at) AS at, NULL AS who,
                   coalesce(file_name, file_id) || ': ' || status || coalesce(' (' || reason || ')', '') AS detail
              FROM attachments x WHERE ${inRange('first_seen_run')} AND status <> 'stored' ORDER BY at DESC LIMIT @limit`,
  },
};

function conversationStates(): string {
  return `SELECT h.superseded_run AS runId, h.entity_key AS chatId, NULL AS messageId, NULL AS messageKey, h.superseded_at AS at, NULL AS who,
                 'title was “' || coalesce(json_extract(h.source_json, '$.title'), '') || '”, now “' || coalesce(c.title, '') || '”' AS detail
            FROM entity_history h JOIN chats c ON c.chat_id = h.entity_key
           WHERE h.kind = 'chat' AND ${inRange('h.superseded_run')} AND coalesce(json_extract(h.source_json, '$.title'), '') <> coalesce(c.title, '')
          UNION ALL
          SELECT h.superseded_run, ch.chat_id, NULL, NULL, h.superseded_at, NULL,
                 'channel ' || CASE WHEN coalesce(json_extract(h.source_json, '$.export.name'), json_extract(h.source_json, '$.rest.name'), '') <> coalesce(ch.name, '')
                                    THEN 'renamed from “' || coalesce(json_extract(h.source_json, '$.export.name'), json_extract(h.source_json, '$.rest.name'), '') || '” to “' || coalesce(ch.name, '') || '”'
                                    ELSE 'status was ' || coalesce(json_extract(h.source_json, '$.export.status'), json_extract(h.source_json, '$.rest.status'), '?') || ', now ' || coalesce(ch.status, '?') END
            FROM entity_history h JOIN channels ch ON ch.channel_id = h.entity_key
           WHERE h.kind = 'channel' AND ${inRange('h.superseded_run')}
             AND (coalesce(json_extract(h.source_json, '$.export.name'), json_extract(h.source_json, '$.rest.name'), '') <> coalesce(ch.name, '')
               OR coalesce(json_extract(h.source_json, '$.export.status'), json_extract(h.source_json, '$.rest.status'), '') <> coalesce(ch.status, ''))`;
}

function userStates(): string {
  const was = (field: string) => `coalesce(json_extract(h.source_json, '$.${field}'), '')`;
  return `SELECT h.superseded_run AS runId, NULL AS chatId, NULL AS messageId, NULL AS messageKey, h.superseded_at AS at, coalesce(u.name, u.email, u.user_id) AS who,
                 trim(CASE WHEN ${was('name')} <> coalesce(u.name, '') THEN 'name was “' || ${was('name')} || '”; ' ELSE '' END ||
                      CASE WHEN ${was('email_id')} <> coalesce(u.email, '') THEN 'e-mail was ' || ${was('email_id')} || '; ' ELSE '' END ||
                      CASE WHEN ${was('status')} <> coalesce(u.status, '') THEN 'status was ' || ${was('status')} || ', now ' || coalesce(u.status, '?') ELSE '' END, '; ') AS detail
            FROM entity_history h JOIN users u ON u.user_id = h.entity_key
           WHERE h.kind = 'user' AND ${inRange('h.superseded_run')}
             AND (${was('name')} <> coalesce(u.name, '') OR ${was('email_id')} <> coalesce(u.email, '') OR ${was('status')} <> coalesce(u.status, ''))`;
}

type ItemRow = Omit<ChangeItem, 'kind' | 'chatTitle'> & { chatTitle?: string | null };

/** The change report of `range`: counts of every kind, and the newest `limit` items of each. */
export function changeReport(db: Database.Database, range: ChangeRange, limit: number): ChangeReport {
  const params = { after: range.afterRun, through: range.throughRun, limit };
  const counts = {} as Record<ChangeKind, number>;
  const items: ChangeItem[] = [];
  const truncated: ChangeKind[] = [];
  const title = prepared(db, 'SELECT title FROM chats WHERE chat_id = ?').pluck();
  // One read transaction: every count and list sees the same archive, whatever a sync commits meanwhile.
  db.transaction(() => {
    for (const kind of changeKinds) {
      const query = queries[kind];
      counts[kind] = (prepared(db, query.count).pluck().get({ after: params.after, through: params.through }) as number | undefined) ?? 0;
      const rows = counts[kind] === 0 ? [] : (prepared(db, query.items).all(params) as ItemRow[]);
      if (counts[kind] > rows.length) truncated.push(kind);
      for (const row of rows) {
        items.push({
          kind,
          runId: row.runId,
          chatId: row.chatId,
          chatTitle: row.chatId === null ? null : ((title.get(row.chatId) as string | null | undefined) ?? null),
          messageId: row.messageId,
          messageKey: row.messageKey,
          at: row.at,
          who: row.who,
          detail: row.detail,
        });
      }
    }
  })();
  return { range, counts, items, truncated };
}
