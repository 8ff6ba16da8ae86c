import type { Dataset } from './datasets';

/**
 * The datasets an audit bundle made `--as-of` a date adds (issue 15, part 3): each conversation's
 * title, its members and each message's text as they stood at that instant, from the archive's own
 * records of when each version and state was first seen and when it was superseded. The bundle's
 * other files keep the archive's full record of the same messages (every version, deletions noticed
 * since), so an auditor sees both the point in time and what followed.
 *
 * Bounded by what the archive saw, as conversationAsOf (search/asOf.ts) is: an edit, deletion, join
 * or leave counts from the sync that noticed it; a message whose text the archive first saw after
 * the instant shows that text with seen_later = true. The SQL reads temp.scope_as_of, which
 * resolveScope fills; an as-of scope is always scoped.
 */
export const asOfDatasets: Dataset[] = [
  {
    name: 'conversations_as_of',
    meaning: 'Each conversation in scope with its title as it stood at the as-of instant (bundles made as of a date only).',
    columns: [
      { name: 'chat_id', type: 'id', meaning: 'The conversation.' },
      { name: 'title_as_of', type: 'text', meaning: 'Its title at the as-of instant, as the archive saw it then (see title_seen_later).' },
      { name: 'title_now', type: 'text', meaning: 'Its title at the last sync.' },
      {
        name: 'title_seen_later',
        type: 'bool',
        meaning: 'true when the archive first saw this conversation after the as-of instant: title_as_of is then the earliest title it saw, not one known to have stood then.',
      },
      { name: 'members_as_of', type: 'int', meaning: 'Members at the as-of instant (see members_as_of).' },
    ],
    sql: () => `SELECT c.chat_id,
        coalesce(
          (SELECT json_extract(h.source_json, '$.title') FROM entity_history h WHERE h.kind = 'chat' AND h.entity_key = c.chat_id AND h.seen_at <= a.t AND h.superseded_at > a.t ORDER BY h.id LIMIT 1),
          (SELECT json_extract(h.source_json, '$.title') FROM entity_history h WHERE h.kind = 'chat' AND h.entity_key = c.chat_id AND h.seen_at > a.t ORDER BY h.seen_at LIMIT 1),
          c.title) AS title_as_of,
        c.title AS title_now,
        c.first_seen_at > a.t AS title_seen_later,
        (SELECT count(*) FROM membership_intervals mi WHERE mi.chat_id = c.chat_id
           AND (mi.joined_source = 'first_archived' OR coalesce(mi.joined_at, mi.joined_noticed_at) <= a.t)
           AND (mi.left_noticed_run IS NULL OR coalesce(mi.left_at, mi.left_noticed_at) > a.t)) AS members_as_of
      FROM chats c JOIN temp.scope_chats s ON s.chat_id = c.chat_id CROSS JOIN temp.scope_as_of a
      ORDER BY c.chat_id`,
  },
  {
    name: 'members_as_of',
    meaning: 'The members of each conversation in scope at the as-of instant: joined by then (or already members when first archived) and not noticed gone by then.',
    columns: [
      { name: 'chat_id', type: 'id', meaning: 'The conversation.' },
      { name: 'user_id', type: 'id', meaning: 'Member user id.' },
      { name: 'name', type: 'text', meaning: 'Member name as Cliq listed it.' },
      { name: 'email', type: 'text', meaning: 'Member e-mail as Cliq listed it.' },
    ],
    sql: () => `SELECT mi.chat_id, mi.user_id, mi.name, mi.email
      FROM membership_intervals mi JOIN temp.scope_chats s ON s.chat_id = mi.chat_id CROSS JOIN temp.scope_as_of a
      WHERE (mi.joined_source = 'first_archived' OR coalesce(mi.joined_at, mi.joined_noticed_at) <= a.t)
        AND (mi.left_noticed_run IS NULL OR coalesce(mi.left_at, mi.left_noticed_at) > a.t)
      ORDER BY mi.chat_id, lower(coalesce(mi.name, mi.email, mi.user_id)), mi.id`,
  },
  {
    name: 'messages_as_of',
    meaning:
      'Each message in scope as it read at the as-of instant: sent by then and not noticed deleted by then, with the version of its text the archive held at that instant (see messages and message-versions for every version).',
    columns: [
      { name: 'chat_id', type: 'id', meaning: 'The conversation.' },
      { name: 'message_id', type: 'text', meaning: 'Cliq message id.' },
      { name: 'time', type: 'time', meaning: 'When it was sent.' },
      { name: 'sender_id', type: 'id', meaning: 'Sender user id (bots: b-…).' },
      { name: 'sender_name', type: 'text', meaning: 'Sender name as in the message.' },
      { name: 'version_as_of', type: 'int', meaning: 'The version of its text at the as-of instant (1 = as first archived; see message-versions).' },
      { name: 'text_as_of', type: 'text', meaning: 'Its text at the as-of instant (Cliq markup and mention tokens as sent).' },
      {
        name: 'seen_later',
        type: 'bool',
        meaning: 'true when the archive first saw this text after the as-of instant: what the message said then is not known to the archive, and this is the earliest text it saw.',
      },
      { name: 'row_hash', type: 'text', meaning: "The message's current row hash (ties the line to messages and to the sealed archive)." },
    ],
    sql: () => `SELECT m.chat_id, m.message_id, m.time, m.sender_id, m.sender_name,
        CASE WHEN v.id IS NOT NULL THEN v.version WHEN e.seen_at > a.t THEN e.version ELSE m.version END AS version_as_of,
        CASE WHEN v.id IS NOT NULL THEN v.text WHEN e.seen_at > a.t THEN e.text ELSE m.text END AS text_as_of,
        CASE WHEN v.id IS NOT NULL THEN 0 WHEN e.seen_at > a.t THEN 1 ELSE m.version_seen_at > a.t END AS seen_later,
        m.row_hash
      FROM messages m JOIN temp.scope_messages s ON s.key = m.id CROSS JOIN temp.scope_as_of a
        LEFT JOIN message_versions v ON v.message_rowid = m.id AND v.seen_at <= a.t AND v.superseded_at > a.t
        LEFT JOIN message_versions e ON e.message_rowid = m.id AND e.version = (SELECT min(version) FROM message_versions WHERE message_rowid = m.id)
      ORDER BY m.id`,
  },
];
