/**
 * The data files of an audit bundle: for each, its SQL and its columns, with what they mean (the
 * data dictionary is generated from here, so it cannot drift from the files).
 *
 * Column types decide how a CSV cell is written: `id` (all-digit ids kept as text), `text`
 * (formula starts neutralised), `int`, `bool`, `time` (two columns: ISO 8601 with the bundle's
 * time zone offset, and `<name>_utc_ms`), `json` (JSONL only: the stored payload, verbatim),
 * `display` (CSV only: a readable rendering the exporter derives; the JSONL stays verbatim).
 *
 * IMPORTANT: a column added to an archive table that an auditor should see must be added here.
 */
import { isReviewed } from '../reviewSets/codingState';
import { attachmentsInScope } from './attachmentFiles';
import { directoryDatasets } from './directoryDatasets';

export type ColumnType = 'id' | 'text' | 'int' | 'bool' | 'time' | 'json' | 'display';

export interface Column {
  name: string;
  type: ColumnType;
  meaning: string;
}

/** A column filled from a small in-memory table (conversations, users) instead of a SQL join. */
export interface Lookup {
  column: string;
  key: string;
  /** `file.path`: the bundle path of the bytes copied for a SHA-256 (known only once they are copied). */
  from: 'chat.title' | 'chat.kind' | 'user.email' | 'file.path';
}

export interface Dataset {
  name: string;
  meaning: string;
  columns: Column[];
  /** SQL selecting exactly the columns, in a total order; `scoped` joins the temp scope tables. */
  sql(scoped: boolean): string;
  /**
   * Columns the SQL leaves NULL and the exporter fills by key: per message, a join into chats and
   * users cost more than the whole scan (measured: 10 s of joins against 5 s for all columns on a
   * million messages); a map lookup costs nothing.
   */
  lookups?: Lookup[];
  /** `display` columns the SQL leaves NULL and the exporter renders from the row (audit/textDisplay.ts). */
  derived?: { column: string; from: 'message.text' }[];
  /** Written only in a production from a review set (its SQL reads the set's temp tables). */
  onlyFromReviewSet?: boolean;
  /** The same rows with the lookups done by SQL joins: what `sqlite3 -csv` is compared with. */
  referenceSql?(scoped: boolean): string;
}

const seen = (what: string): Column[] => [
  { name: 'first_seen_at', type: 'time', meaning: `When the archive first saw this ${what}.` },
  { name: 'last_seen_at', type: 'time', meaning: `When a sync last saw this ${what} on Cliq.` },
  { name: 'gone_at', type: 'time', meaning: `When the archive noticed this ${what} gone from Cliq (empty while it is there). The data is kept.` },
];
const rowHash: Column = { name: 'row_hash', type: 'text', meaning: 'SHA-256 of the archived row (see README.txt: ties this line to the sealed archive).' };

export const datasets: Dataset[] = [
  {
    name: 'chats',
    meaning: 'Every conversation in scope: direct, group and bot chats, channel conversations and threads.',
    columns: [
      { name: 'chat_id', type: 'id', meaning: 'Cliq chat id.' },
      { name: 'kind', type: 'text', meaning: 'direct, group, bot, channel or thread (see kind_source: a guessed direct means at most two participants).' },
      {
        name: 'kind_source',
        type: 'text',
        meaning:
          "How the kind was learnt: chat_type (read from Cliq's chats listing, which shows only the connected admin's own chats), chat_id (a bot chat's id), guessed (from the participant count: at most two = direct, so a two-person group reads direct) or listing (channels and threads).",
      },
      { name: 'title', type: 'text', meaning: 'Title as Cliq exports it.' },
      { name: 'creator_id', type: 'id', meaning: 'User id of the creator.' },
      { name: 'created_at', type: 'time', meaning: 'Creation time reported by Cliq.' },
      { name: 'participant_count', type: 'int', meaning: 'Participants reported by Cliq at the last sync.' },
      { name: 'server_message_count', type: 'int', meaning: 'Messages Cliq reported at the last sync (compare with coverage.csv).' },
      { name: 'server_last_modified', type: 'time', meaning: 'Time of the last activity Cliq reported.' },
      ...seen('conversation'),
      rowHash,
      { name: 'source', type: 'json', meaning: "The export row or listing item as received; a chat's M1 row carries H1's chat_type when it was read." },
    ],
    sql: (scoped) => `SELECT c.chat_id, c.kind, c.kind_source, c.title, c.creator_id, c.created_at, c.participant_count, c.server_message_count,
        c.server_last_modified, c.first_seen_at, c.last_seen_at, c.gone_at, c.row_hash, c.source_json AS source
      FROM chats c ${scoped ? 'JOIN temp.scope_chats s ON s.chat_id = c.chat_id' : ''} ORDER BY c.chat_id`,
  },
  {
    name: 'channels',
    meaning: 'Channels whose conversation is in scope (with no scope: every channel, also those Cliq gave no chat id).',
    columns: [
      { name: 'channel_id', type: 'id', meaning: 'Channel id as the Maintenance export gives it.' },
      { name: 'rest_channel_id', type: 'id', meaning: 'Channel id as the REST API gives it (often with a level letter).' },
      { name: 'chat_id', type: 'id', meaning: "The channel's conversation (see chats); empty if Cliq gave none." },
      { name: 'name', type: 'text', meaning: 'Channel name (#…).' },
      { name: 'description', type: 'text', meaning: 'Description.' },
      { name: 'level', type: 'text', meaning: 'organization, team, private or external.' },
      { name: 'status', type: 'text', meaning: 'created, pending or archived.' },
      { name: 'creator_id', type: 'id', meaning: 'User id of the creator.' },
      { name: 'created_at', type: 'time', meaning: 'Creation time reported by Cliq.' },
      { name: 'participant_count', type: 'int', meaning: 'Participants reported by Cliq at the last sync.' },
      { name: 'server_message_count', type: 'int', meaning: 'Messages Cliq reported at the last sync.' },
      ...seen('channel'),
      rowHash,
      { name: 'source', type: 'json', meaning: 'The export row and REST item as received.' },
    ],
    sql: (scoped) => `SELECT ch.channel_id, ch.rest_channel_id, ch.chat_id, ch.name, ch.description, ch.level, ch.status, ch.creator_id,
        ch.created_at, ch.participant_count, ch.server_message_count, ch.first_seen_at, ch.last_seen_at, ch.gone_at, ch.row_hash,
        ch.source_json AS source
      FROM channels ch ${scoped ? 'JOIN temp.scope_chats s ON s.chat_id = ch.chat_id' : ''} ORDER BY ch.channel_id`,
  },
  {
    name: 'threads',
    meaning: 'Threads in scope (each is also a conversation in chats).',
    columns: [
      { name: 'thread_chat_id', type: 'id', meaning: "The thread's conversation id." },
      { name: 'parent_chat_id', type: 'id', meaning: "The channel's conversation id." },
      { name: 'channel_id', type: 'id', meaning: 'The channel.' },
      { name: 'title', type: 'text', meaning: 'Thread title.' },
      { name: 'thread_message_id', type: 'text', meaning: 'The message that started the thread.' },
      { name: 'thread_state', type: 'text', meaning: 'open or closed.' },
      ...seen('thread'),
      rowHash,
      { name: 'source', type: 'json', meaning: 'The listing item as received.' },
    ],
    sql: (scoped) => `SELECT t.thread_chat_id, t.parent_chat_id, t.channel_id, t.title, t.thread_message_id, t.thread_state,
        t.first_seen_at, t.last_seen_at, t.gone_at, t.row_hash, t.source_json AS source
      FROM threads t ${scoped ? 'JOIN temp.scope_chats s ON s.chat_id = t.thread_chat_id' : ''} ORDER BY t.thread_chat_id`,
  },
  {
    name: 'memberships',
    meaning:
      'Membership history of the conversations in scope, as intervals: one line per period a person was a member. ' +
      'A member already listed when the conversation was first archived has joined_source first_archived and no joined_at: when they joined is unknown.',
    columns: [
      { name: 'chat_id', type: 'id', meaning: 'The conversation.' },
      { name: 'user_id', type: 'id', meaning: 'The member (empty if the export named them by e-mail only).' },
      { name: 'name', type: 'text', meaning: 'Name as exported.' },
      { name: 'email', type: 'text', meaning: 'E-mail as exported.' },
      {
        name: 'joined_at',
        type: 'time',
        meaning: "When they joined: the time of Cliq's info message (joined_source info_message), else when a sync noticed them (noticed); empty for first_archived.",
      },
      {
        name: 'joined_source',
        type: 'text',
        meaning:
          "info_message (Cliq's own join/added message), noticed (a later listing showed them: joined between the listing before and joined_noticed_at) or first_archived (member when first archived; joined at an unknown time before).",
      },
      { name: 'joined_noticed_at', type: 'time', meaning: 'When the archive first saw this person listed in this interval.' },
      { name: 'joined_message_id', type: 'text', meaning: 'The info message recording the join (joined_source info_message).' },
      { name: 'last_seen_at', type: 'time', meaning: 'When a sync last saw them listed.' },
      { name: 'left_at', type: 'time', meaning: "When they left: the time of Cliq's info message (left_source info_message), else when a sync noticed them gone; empty while a member." },
      { name: 'left_source', type: 'text', meaning: 'info_message or noticed (gone between last_seen_at and left_noticed_at); empty while a member.' },
      { name: 'left_noticed_at', type: 'time', meaning: 'When the archive noticed them no longer listed (empty while a member).' },
      { name: 'left_message_id', type: 'text', meaning: 'The info message recording the leave or removal (left_source info_message).' },
      rowHash,
    ],
    sql: (scoped) => `SELECT m.chat_id, m.user_id, m.name, m.email, m.joined_at, m.joined_source, m.joined_noticed_at, m.joined_message_id,
        m.last_seen_at, m.left_at, m.left_source, m.left_noticed_at, m.left_message_id, m.row_hash
      FROM membership_intervals m ${scoped ? 'JOIN temp.scope_chats s ON s.chat_id = m.chat_id' : ''}
      ORDER BY m.chat_id, m.member_key, m.joined_noticed_at, m.id`,
  },
  {
    name: 'users',
    meaning: 'People of the org in scope: members of the conversations in scope and senders of the messages in scope (with no scope: everyone).',
    columns: [
      { name: 'user_id', type: 'id', meaning: 'Cliq user id.' },
      { name: 'email', type: 'text', meaning: 'E-mail address.' },
      { name: 'name', type: 'text', meaning: 'Full name.' },
      { name: 'display_name', type: 'text', meaning: 'Display name.' },
      { name: 'status', type: 'text', meaning: 'active, inactive, …' },
      ...seen('user'),
      rowHash,
      { name: 'source', type: 'json', meaning: 'The user object as received.' },
    ],
    sql: (scoped) => `SELECT u.user_id, u.email, u.name, u.display_name, u.status, u.first_seen_at, u.last_seen_at, u.gone_at, u.row_hash,
        u.source_json AS source
      FROM users u ${scoped ? 'JOIN temp.scope_users s ON s.user_id = u.user_id' : ''} ORDER BY u.user_id`,
  },
  {
    name: 'messages',
    meaning: 'The messages in scope, oldest first, including those deleted on Cliq after they were archived (deleted_noticed_at set).',
    columns: [
      { name: 'chat_id', type: 'id', meaning: 'The conversation.' },
      { name: 'conversation_title', type: 'text', meaning: 'Its title.' },
      { name: 'conversation_kind', type: 'text', meaning: 'Its kind.' },
      { name: 'message_id', type: 'text', meaning: 'Cliq message id.' },
      { name: 'time', type: 'time', meaning: 'When it was sent.' },
      { name: 'sender_id', type: 'id', meaning: 'Sender user id (bots: b-…).' },
      { name: 'sender_name', type: 'text', meaning: 'Sender name as in the message.' },
      { name: 'sender_email', type: 'text', meaning: "Sender's e-mail from the users list." },
      { name: 'type', type: 'text', meaning: 'text, file, info, or another type Cliq sent.' },
      { name: 'subtype', type: 'text', meaning: 'For info messages: e.g. call_notification.' },
      { name: 'text', type: 'text', meaning: 'Message text (Cliq markup and mention tokens as sent).' },
      {
        name: 'text_display',
        type: 'display',
        meaning:
          "The message as a person reads it (CSV only, derived at export from the row; not hashed): mentions as @name (the archive's names, e-mail added when two people share one) and #channel, links as label <url>, emoji as their glyph, formatting marks dropped; a file message as 'shared file NAME (SIZE)' and its caption, a call notice as 'audio call, completed, 00:04:12, with NAME', a card as its title and text. text keeps what Cliq sent.",
      },
      { name: 'file_name', type: 'text', meaning: 'Attached file name.' },
      { name: 'file_id', type: 'text', meaning: 'Attached file id.' },
      { name: 'file_mime', type: 'text', meaning: 'Attached file type.' },
      { name: 'file_size', type: 'int', meaning: 'Attached file size in bytes.' },
      { name: 'other_text', type: 'text', meaning: 'Caption, call details, card and slide text.' },
      { name: 'edited', type: 'bool', meaning: 'true if the message changed after it was first archived (see message-versions).' },
      { name: 'version', type: 'int', meaning: 'Version number of this text (1 = as first archived).' },
      { name: 'version_seen_at', type: 'time', meaning: 'When the archive first saw this version.' },
      { name: 'first_archived_at', type: 'time', meaning: 'When the archive first received the message (the sync stores it moments later, in the same run).' },
      { name: 'deleted_noticed_at', type: 'time', meaning: 'When the archive noticed the message deleted on Cliq (empty if not).' },
      { name: 'content_hash', type: 'text', meaning: 'SHA-256 of the payload as received (canonical JSON).' },
      rowHash,
      { name: 'raw', type: 'json', meaning: 'The message as received from Cliq, verbatim.' },
    ],
    // Scoped, ordered by s.key (= m.id, the same order): SQLite then walks the scope's keys and reads
    // only their messages; ordered by m.id it read all the messages to probe the scope (a month of
    // 1M messages: 1.6 s against 0.35 s).
    sql: (scoped) => `SELECT m.chat_id, NULL AS conversation_title, NULL AS conversation_kind, m.message_id, m.time, m.sender_id,
        m.sender_name, NULL AS sender_email, m.type, m.subtype, m.text, NULL AS text_display, m.file_name, m.file_id, m.file_mime, m.file_size,
        m.extra_text AS other_text, m.version > 1 AS edited, m.version, m.version_seen_at, m.first_seen_at AS first_archived_at,
        m.deleted_at AS deleted_noticed_at, m.content_hash, m.row_hash, m.raw_json AS raw
      FROM messages m ${scoped ? 'JOIN temp.scope_messages s ON s.key = m.id' : ''}
      ORDER BY ${scoped ? 's.key' : 'm.id'}`,
    lookups: [
      { column: 'conversation_title', key: 'chat_id', from: 'chat.title' },
      { column: 'conversation_kind', key: 'chat_id', from: 'chat.kind' },
      { column: 'sender_email', key: 'sender_id', from: 'user.email' },
    ],
    derived: [{ column: 'text_display', from: 'message.text' }],
    referenceSql: (scoped) => `SELECT m.chat_id, c.title AS conversation_title, c.kind AS conversation_kind, m.message_id, m.time, m.sender_id,
        m.sender_name, u.email AS sender_email, m.type, m.subtype, m.text, NULL AS text_display, m.file_name, m.file_id, m.file_mime, m.file_size,
        m.extra_text AS other_text, m.version > 1 AS edited, m.version, m.version_seen_at, m.first_seen_at AS first_archived_at,
        m.deleted_at AS deleted_noticed_at, m.content_hash, m.row_hash, m.raw_json AS raw
      FROM messages m ${scoped ? 'JOIN temp.scope_messages s ON s.key = m.id' : ''}
        JOIN chats c ON c.chat_id = m.chat_id LEFT JOIN users u ON u.user_id = m.sender_id
      ORDER BY m.id`,
  },
  {
    name: 'message-versions',
    meaning: 'Earlier versions of edited messages in scope: what the message said before, and when that was seen.',
    columns: [
      { name: 'chat_id', type: 'id', meaning: 'The conversation.' },
      { name: 'message_id', type: 'text', meaning: 'The message.' },
      { name: 'version', type: 'int', meaning: 'Version number (1 = as first archived).' },
      { name: 'text', type: 'text', meaning: 'The text of that version.' },
      { name: 'seen_at', type: 'time', meaning: 'When the archive first saw that version.' },
      { name: 'superseded_at', type: 'time', meaning: 'When the archive saw it replaced.' },
      { name: 'content_hash', type: 'text', meaning: 'SHA-256 of that version as received.' },
      rowHash,
      { name: 'raw', type: 'json', meaning: 'That version as received, verbatim.' },
    ],
    // Ordered by the versions' own (message_rowid, version) key, the same order as m.id: ordered by
    // m.id, SQLite read every message to find the few with versions (0.8 s of 1M messages, none edited).
    sql: (scoped) => `SELECT m.chat_id, m.message_id, v.version, v.text, v.seen_at, v.superseded_at, v.content_hash, v.row_hash,
        v.raw_json AS raw
      FROM message_versions v JOIN messages m ON m.id = v.message_rowid ${scoped ? 'JOIN temp.scope_messages s ON s.key = m.id' : ''}
      ORDER BY v.message_rowid, v.version`,
  },
  {
    name: 'metadata-history',
    meaning:
      'Earlier states of every kind of record the archive keeps a history of: the conversations (chats), channels, threads, users, calls, call participants and scheduled messages in scope, and every department, designation, role and team (the org directory goes whole into every bundle): a rename, a new description, a deactivation, a changed role, e-mail or role permissions, a rescheduled message. Each line is one state as Cliq gave it, with when the archive saw it and when it saw it replaced.',
    columns: [
      {
        name: 'kind',
        type: 'text',
        meaning: 'chat, channel, thread, user, department, designation, role, team, call, call_participant or scheduled_message (an earlier time of a rescheduled one).',
      },
      {
        name: 'entity_key',
        type: 'id',
        meaning: 'Its id: chat_id, channel_id, thread_chat_id, user_id, department_id, designation_id, role_id, team_id, call_id, a participant entry_key or scheduled_id.',
      },
      { name: 'seen_at', type: 'time', meaning: 'When the archive first saw this state.' },
      { name: 'superseded_at', type: 'time', meaning: 'When the archive saw it replaced by the next state (the current one is in its own file).' },
      { name: 'sync_run', type: 'int', meaning: 'The sync run that saw it replaced.' },
      rowHash,
      { name: 'source', type: 'json', meaning: 'That state as received (the export row or listing item), verbatim.' },
    ],
    sql: (scoped) => `SELECT h.kind, h.entity_key, h.seen_at, h.superseded_at, h.superseded_run AS sync_run, h.row_hash, h.source_json AS source
      FROM entity_history h
      ${
        scoped
          ? `WHERE (h.kind IN ('chat', 'thread') AND h.entity_key IN (SELECT chat_id FROM temp.scope_chats))
          OR (h.kind = 'channel' AND h.entity_key IN (SELECT channel_id FROM channels WHERE chat_id IN (SELECT chat_id FROM temp.scope_chats)))
          OR (h.kind = 'user' AND h.entity_key IN (SELECT user_id FROM temp.scope_users))
          OR h.kind IN ('department', 'designation', 'role', 'team')
          OR (h.kind = 'call' AND h.entity_key IN (SELECT call_id FROM calls WHERE chat_id IN (SELECT chat_id FROM temp.scope_chats)))
          OR (h.kind = 'call_participant' AND h.entity_key IN (SELECT p.entry_key FROM call_participants p JOIN calls c ON c.call_id = p.call_id
                WHERE c.chat_id IN (SELECT chat_id FROM temp.scope_chats)))
          OR (h.kind = 'scheduled_message' AND h.entity_key IN (SELECT scheduled_id FROM scheduled_messages
                WHERE coalesce(sent_chat_id, chat_id) IN (SELECT chat_id FROM temp.scope_chats)))`
          : ''
      }
      ORDER BY h.kind, h.entity_key, h.superseded_at, h.id`,
  },
  {
    name: 'attachments',
    meaning:
      'The files of the messages in scope: one line per (conversation, message, file), what the message declared, what was downloaded and its SHA-256, or why it could not be; bundle_path names the bytes in files/.',
    columns: [
      { name: 'chat_id', type: 'id', meaning: 'The conversation.' },
      { name: 'message_id', type: 'text', meaning: 'The message that shared the file.' },
      { name: 'file_id', type: 'text', meaning: 'Cliq file id.' },
      { name: 'file_name', type: 'text', meaning: 'File name as the message gave it (data only: files/ never uses it beyond a safe extension).' },
      { name: 'declared_size', type: 'int', meaning: 'Size in bytes the message declared.' },
      { name: 'declared_type', type: 'text', meaning: 'File type the message declared.' },
      { name: 'content_type', type: 'text', meaning: 'Content-Type Cliq served the bytes with.' },
      { name: 'served_name', type: 'text', meaning: 'File name Cliq served the bytes with (Content-Disposition), if any.' },
      { name: 'bytes', type: 'int', meaning: 'Size in bytes of the stored file.' },
      { name: 'sha256', type: 'text', meaning: 'SHA-256 of the stored bytes, sealed in the archive (the file in files/ has exactly this hash).' },
      {
        name: 'status',
        type: 'text',
        meaning: 'stored, or why not: forbidden (403), not_found (404), too_large or skipped by policy, failed after retries, pending (not fetched yet).',
      },
      { name: 'reason', type: 'text', meaning: 'Why the file is not stored, in words.' },
      { name: 'attempts', type: 'int', meaning: 'Downloads tried.' },
      { name: 'first_attempt_at', type: 'time', meaning: 'First download tried.' },
      { name: 'last_attempt_at', type: 'time', meaning: 'Last download tried.' },
      {
        name: 'bundle_path',
        type: 'text',
        meaning: 'Where the bytes are in this bundle (files/<sha256>.<ext>; identical files share one); empty when they are not here (warnings.txt says why).',
      },
      rowHash,
    ],
    sql: (scoped) => `SELECT a.chat_id, a.message_id, a.file_id, a.file_name, a.declared_size, a.declared_type, a.content_type, a.served_name,
        a.bytes, a.sha256, a.status, a.reason, a.attempts, a.first_attempt_at, a.last_attempt_at, NULL AS bundle_path, a.row_hash
      ${attachmentsInScope(scoped)}
      ORDER BY a.chat_id, a.message_id, a.file_id`,
    lookups: [{ column: 'bundle_path', key: 'sha256', from: 'file.path' }],
  },
  {
    name: 'calls',
    meaning:
      "Calls and meetings of the account the archive is connected with (Cliq lists only that account's: those it hosted or joined), held in a conversation in scope (with no scope: every one, personal calls too).",
    columns: [
      { name: 'call_id', type: 'id', meaning: 'Cliq call id.' },
      { name: 'nrs_id', type: 'text', meaning: 'The call id the participants listing takes.' },
      { name: 'type', type: 'text', meaning: 'audio_conference, video_conference, handshake, assembly or direct_call, as Cliq says.' },
      { name: 'title', type: 'text', meaning: 'Title of the call or meeting.' },
      { name: 'scope', type: 'text', meaning: 'chat (held in a conversation) or personal.' },
      { name: 'chat_id', type: 'id', meaning: 'The conversation it was held in; empty for a personal call.' },
      { name: 'start_time', type: 'time', meaning: 'When it started.' },
      { name: 'end_time', type: 'time', meaning: 'When it ended.' },
      { name: 'host_id', type: 'id', meaning: 'User id of the host.' },
      { name: 'host_name', type: 'text', meaning: 'Name of the host as Cliq gave it.' },
      { name: 'participant_count', type: 'int', meaning: 'Participants Cliq counted (see call-participants for who).' },
      { name: 'is_partial', type: 'bool', meaning: "Cliq's is_partial flag, as given." },
      { name: 'recording', type: 'bool', meaning: 'Whether it was recorded; empty when Cliq did not say.' },
      ...seen('call'),
      rowHash,
      { name: 'source', type: 'json', meaning: 'The listing item as received.' },
    ],
    sql: (scoped) => `SELECT c.call_id, c.nrs_id, c.type, c.title, c.scope, c.chat_id, c.start_time, c.end_time, c.host_id, c.host_name,
        c.participant_count, c.is_partial, c.recording, c.first_seen_at, c.last_seen_at, c.gone_at, c.row_hash, c.source_json AS source
      FROM calls c ${scoped ? 'JOIN temp.scope_chats s ON s.chat_id = c.chat_id' : ''}
      ORDER BY c.start_time, c.call_id`,
  },
  {
    name: 'call-participants',
    meaning: 'Who took part in the calls of calls.csv: one line per stay (someone who left and came back has two), with their role.',
    columns: [
      { name: 'call_id', type: 'id', meaning: 'The call (see calls).' },
      { name: 'user_id', type: 'id', meaning: 'User id of the participant.' },
      { name: 'name', type: 'text', meaning: 'Name as Cliq gave it (Cliq sometimes leaves it out).' },
      { name: 'email', type: 'text', meaning: 'E-mail as Cliq gave it.' },
      { name: 'role', type: 'text', meaning: 'host, speaker, attendee… as Cliq says.' },
      { name: 'start_time', type: 'time', meaning: 'When they joined the call.' },
      { name: 'end_time', type: 'time', meaning: 'When they left it.' },
      ...seen('participant'),
      rowHash,
      { name: 'source', type: 'json', meaning: 'The participants item as received.' },
    ],
    sql: (scoped) => `SELECT p.call_id, p.user_id, p.name, p.email, p.role, p.start_time, p.end_time, p.first_seen_at, p.last_seen_at, p.gone_at,
        p.row_hash, p.source_json AS source
      FROM call_participants p ${scoped ? 'JOIN calls c ON c.call_id = p.call_id JOIN temp.scope_chats s ON s.chat_id = c.chat_id' : ''}
      ORDER BY p.call_id, p.entry_key`,
  },
  {
    name: 'call-notifications',
    meaning: "Calls of the whole org as Cliq's call notices in the conversations record them (from the archived messages in scope; any participant's calls, not only the connected account's).",
    columns: [
      { name: 'chat_id', type: 'id', meaning: 'The conversation.' },
      { name: 'message_id', type: 'text', meaning: 'The call notice (see messages).' },
      { name: 'time', type: 'time', meaning: 'When Cliq posted the notice.' },
      { name: 'sender_id', type: 'id', meaning: 'Who placed the call (the notice’s sender).' },
      { name: 'sender_name', type: 'text', meaning: 'Their name as Cliq gave it.' },
      { name: 'status', type: 'text', meaning: 'completed, missed, declined… as Cliq says.' },
      { name: 'call_type', type: 'text', meaning: 'audio or video.' },
      { name: 'duration', type: 'text', meaning: 'Duration as Cliq wrote it (HH:MM:SS).' },
      { name: 'duration_seconds', type: 'int', meaning: 'The same in seconds; empty when Cliq wrote it in another form.' },
      { name: 'callee_id', type: 'id', meaning: 'User id of the person called.' },
      { name: 'callee_name', type: 'text', meaning: 'Their name as Cliq gave it.' },
      { name: 'deleted_at', type: 'time', meaning: 'When the archive noticed the notice deleted (empty if not).' },
    ],
    sql: (scoped) => `SELECT n.chat_id, n.message_id, n.time, n.sender_id, n.sender_name, n.status, n.call_type, n.duration, n.duration_seconds,
        n.callee_id, n.callee_name, n.deleted_at
      FROM call_notifications n ${scoped ? 'JOIN temp.scope_messages s ON s.key = n.message_key' : ''}
      ORDER BY n.chat_id, n.time, n.message_id`,
  },
  {
    name: 'scheduled-messages',
    meaning:
      "Messages the connected account scheduled, pending or with their fate, in a conversation in scope (one scheduled through the list of all chats is placed once it is matched to the message it became; with no scope: every one). A rescheduled message's earlier times are in metadata-history.",
    columns: [
      { name: 'scheduled_id', type: 'id', meaning: 'Cliq scheduled-message id (a UUID, or a number from the older v2 listing).' },
      { name: 'api_version', type: 'text', meaning: 'v3, or v2 when v3 was refused (v2 carries no text).' },
      { name: 'chat_id', type: 'id', meaning: 'Its conversation, when Cliq said (v2 only).' },
      { name: 'creator_id', type: 'id', meaning: 'User id of the creator.' },
      { name: 'message_type', type: 'text', meaning: 'text or file.' },
      { name: 'text', type: 'text', meaning: 'The text (or a file’s comment).' },
      { name: 'file_name', type: 'text', meaning: 'The file’s name, for a file.' },
      { name: 'timezone', type: 'text', meaning: 'The time zone it was scheduled in.' },
      { name: 'schedule_kind', type: 'text', meaning: 'time (sent at scheduled_at) or status (sent on a status change: schedule_status).' },
      { name: 'scheduled_at', type: 'time', meaning: 'When it is (or was) due.' },
      { name: 'schedule_status', type: 'text', meaning: 'check_in, check_out, user_available or call_end.' },
      { name: 'created_at', type: 'time', meaning: 'When it was scheduled.' },
      {
        name: 'fate',
        type: 'text',
        meaning:
          'pending; sent (the message it became is archived: sent_chat_id, sent_message_id); presumed_sent (gone after its time, message not found yet); deleted (gone before its time, no message found); gone (a status-triggered one gone without a message found: sent or deleted, Cliq does not say).',
      },
      { name: 'fate_at', type: 'time', meaning: 'When the archive decided the fate.' },
      { name: 'sent_chat_id', type: 'id', meaning: 'Conversation of the message it became.' },
      { name: 'sent_message_id', type: 'text', meaning: 'The message it became (see messages).' },
      ...seen('scheduled message'),
      rowHash,
      { name: 'source', type: 'json', meaning: 'The listing item as received.' },
    ],
    sql: (scoped) => `SELECT m.scheduled_id, m.api_version, m.chat_id, m.creator_id, m.message_type, m.text, m.file_name, m.timezone, m.schedule_kind,
        m.scheduled_at, m.schedule_status, m.created_at, m.fate, m.fate_at, m.sent_chat_id, m.sent_message_id, m.first_seen_at, m.last_seen_at,
        m.gone_at, m.row_hash, m.source_json AS source
      FROM scheduled_messages m ${scoped ? 'WHERE coalesce(m.sent_chat_id, m.chat_id) IN (SELECT chat_id FROM temp.scope_chats)' : ''}
      ORDER BY m.scheduled_id`,
  },
  {
    name: 'tombstones',
    meaning: 'Everything in scope that disappeared from Cliq after it was archived, with when the archive noticed. The data itself is in the other files.',
    columns: [
      { name: 'kind', type: 'text', meaning: 'message, chat, channel, thread, user or membership.' },
      { name: 'subject', type: 'text', meaning: 'What: chat_id/message_id, a chat, channel, thread or user id, or chat_id/member.' },
      { name: 'noticed_at', type: 'time', meaning: 'When the archive noticed it gone.' },
      { name: 'sync_run', type: 'int', meaning: 'The sync run that noticed it.' },
    ],
    sql: (scoped) =>
      scoped
        ? `SELECT 'message' AS kind, m.chat_id || '/' || m.message_id AS subject, m.deleted_at AS noticed_at, m.deleted_run AS sync_run
             FROM messages m JOIN temp.scope_messages s ON s.key = m.id WHERE m.deleted_at IS NOT NULL
           UNION ALL SELECT 'chat', c.chat_id, c.gone_at, c.gone_run FROM chats c JOIN temp.scope_chats s ON s.chat_id = c.chat_id WHERE c.gone_at IS NOT NULL
           UNION ALL SELECT 'channel', ch.channel_id, ch.gone_at, ch.gone_run FROM channels ch JOIN temp.scope_chats s ON s.chat_id = ch.chat_id WHERE ch.gone_at IS NOT NULL
           UNION ALL SELECT 'thread', t.thread_chat_id, t.gone_at, t.gone_run FROM threads t JOIN temp.scope_chats s ON s.chat_id = t.thread_chat_id WHERE t.gone_at IS NOT NULL
           UNION ALL SELECT 'user', u.user_id, u.gone_at, u.gone_run FROM users u JOIN temp.scope_users s ON s.user_id = u.user_id WHERE u.gone_at IS NOT NULL
           UNION ALL SELECT 'membership', mb.chat_id || '/' || mb.member_key, mb.gone_at, mb.gone_run FROM memberships mb JOIN temp.scope_chats s ON s.chat_id = mb.chat_id WHERE mb.gone_at IS NOT NULL
           ORDER BY 1, 2, 3`
        : 'SELECT kind, subject, noticed_at, run_id AS sync_run FROM tombstones ORDER BY 1, 2, 3',
  },
  {
    name: 'coverage',
    meaning: 'For each conversation in scope: what Cliq reported next to what the archive holds, and how its last sync ended.',
    columns: [
      { name: 'chat_id', type: 'id', meaning: 'The conversation.' },
      { name: 'kind', type: 'text', meaning: 'Its kind.' },
      { name: 'title', type: 'text', meaning: 'Its title.' },
      { name: 'server_message_count', type: 'int', meaning: 'Messages Cliq reported at the last sync (empty for threads: Cliq reports none).' },
      { name: 'archived_count', type: 'int', meaning: 'Messages the archive holds that are still on Cliq.' },
      { name: 'deleted_count', type: 'int', meaning: 'Messages the archive holds that were deleted on Cliq.' },
      { name: 'sync_status', type: 'text', meaning: 'complete, or why not: forbidden, not_found, error, pending, in_progress.' },
      { name: 'last_complete_at', type: 'time', meaning: 'When its messages were last archived completely.' },
      { name: 'error_code', type: 'text', meaning: 'The last error, if any.' },
      { name: 'gone_at', type: 'time', meaning: 'When the archive noticed the conversation gone from Cliq.' },
    ],
    sql: (scoped) => `SELECT v.chat_id, v.kind, v.title, v.server_message_count, v.archived_count, v.deleted_count, v.sync_status,
        v.last_complete_at, v.error_code, v.gone_at
      FROM chat_coverage v ${scoped ? 'JOIN temp.scope_chats s ON s.chat_id = v.chat_id' : ''} ORDER BY v.chat_id`,
  },
  // The org directory (migration 0063): groups whole, intervals of the people in scope.
  ...directoryDatasets,
  {
    name: 'holds',
    meaning:
      "The legal holds (active or released) whose scope touches this bundle's: each holds a message in scope or names a conversation in scope. A hold keeps everything in its scope from being purged; its criteria intersect, several holds add up. Counted when the bundle was made.",
    columns: [
      { name: 'name', type: 'text', meaning: 'The name of the hold (the matter).' },
      { name: 'status', type: 'text', meaning: 'active, or released (a release is a sealed record of its own).' },
      { name: 'reason', type: 'text', meaning: 'Why it was placed, as given.' },
      { name: 'placed_at', type: 'time', meaning: 'When it was placed.' },
      { name: 'placed_by', type: 'text', meaning: 'Who placed it: OS user@host, and the app profile when placed from the app.' },
      { name: 'custodians', type: 'text', meaning: 'Custodians as given, each with the user ids it resolved to (given=id id; …): their messages and the conversations they were members of.' },
      { name: 'conversations', type: 'text', meaning: 'Conversation ids held whole (a channel with its threads), separated by "; ".' },
      { name: 'from', type: 'time', meaning: 'Only messages from this time (empty: no start).' },
      { name: 'to', type: 'time', meaning: 'Only messages up to this time, included (empty: no end).' },
      { name: 'query', type: 'text', meaning: "Only messages the archive's search finds for this text (query_mode simple: every word; advanced: FTS5 syntax)." },
      { name: 'query_mode', type: 'text', meaning: 'simple or advanced.' },
      { name: 'released_at', type: 'time', meaning: 'When it was released (empty while active).' },
      { name: 'released_by', type: 'text', meaning: 'Who released it: OS user@host (and app profile).' },
      { name: 'release_reason', type: 'text', meaning: 'Why it was released.' },
      { name: 'messages_in_scope', type: 'int', meaning: "How many of this bundle's messages the hold's scope holds." },
      { name: 'row_hash', type: 'text', meaning: "SHA-256 of the hold's sealed record (see README.txt)." },
      { name: 'release_row_hash', type: 'text', meaning: "SHA-256 of the release's sealed record (empty while active)." },
    ],
    // temp.scope_holds is filled by the bundle for every export, scoped or not (holds/holdReads.ts holdMentions).
    sql: () => `SELECT h.name, CASE WHEN r.hold_id IS NULL THEN 'active' ELSE 'released' END AS status, h.reason, h.placed_at,
        h.os_user || '@' || h.host || coalesce(' (profile ' || h.profile || ')', '') AS placed_by,
        (SELECT group_concat(g, '; ') FROM (SELECT k.given || '=' || coalesce(group_concat(k.user_id, ' '), '') AS g FROM legal_hold_custodians k
           WHERE k.hold_id = h.hold_id GROUP BY k.given ORDER BY min(k.id))) AS custodians,
        (SELECT group_concat(chat_id, '; ') FROM (SELECT c.chat_id FROM legal_hold_chats c WHERE c.hold_id = h.hold_id ORDER BY c.chat_id)) AS conversations,
        h.from_time AS "from", h.to_time AS "to", h.query, h.query_mode, r.released_at,
        r.os_user || '@' || r.host || coalesce(' (profile ' || r.profile || ')', '') AS released_by, r.reason AS release_reason,
        s.messages AS messages_in_scope, h.row_hash, r.row_hash AS release_row_hash
      FROM legal_holds h JOIN temp.scope_holds s ON s.hold_id = h.hold_id LEFT JOIN legal_hold_releases r ON r.hold_id = h.hold_id
      ORDER BY h.hold_id`,
  },
  {
    name: 'purges',
    meaning:
      'Messages of the conversations in scope that retention purged: the message, its earlier versions, attachment records and file bytes are gone from the archive; this sealed record of each stays, with the policy and run that purged it. A message held by a legal hold is never purged.',
    columns: [
      { name: 'chat_id', type: 'id', meaning: 'The conversation.' },
      { name: 'message_id', type: 'text', meaning: 'The purged message.' },
      { name: 'time', type: 'time', meaning: 'When it was sent.' },
      { name: 'sender_id', type: 'id', meaning: 'Who sent it.' },
      { name: 'content_hash', type: 'text', meaning: 'The content hash it had: the same as in a bundle or snapshot made before the purge.' },
      { name: 'row_hash_was', type: 'text', meaning: 'The row hash its sealed message row had.' },
      { name: 'versions', type: 'int', meaning: 'Earlier versions purged with it.' },
      { name: 'attachments', type: 'int', meaning: 'Attachment records purged with it.' },
      { name: 'deleted_at', type: 'time', meaning: 'When it had been noticed deleted on Cliq (empty: it was not).' },
      { name: 'purged_at', type: 'time', meaning: 'When it was purged.' },
      { name: 'retention_run', type: 'int', meaning: 'The retention run that purged it.' },
      { name: 'policy', type: 'text', meaning: 'The policy of that run, as JSON: keepDays, kinds, conversations, departments.' },
      rowHash,
    ],
    sql: (scoped) => `SELECT p.chat_id, p.message_id, p.time, p.sender_id, p.content_hash, p.row_hash_was, p.versions, p.attachments, p.deleted_at,
        p.purged_at, p.run_id AS retention_run, r.policy_json AS policy, p.row_hash
      FROM purged_messages p JOIN retention_runs r ON r.run_id = p.run_id ${scoped ? 'JOIN temp.scope_chats s ON s.chat_id = p.chat_id' : ''}
      ORDER BY p.run_id, p.message_key`,
  },
  {
    name: 'reactions',
    meaning:
      'Reactions to the messages in scope, current and removed: one line per reaction a check of the message found. Reactions are checked for messages new or changed at a sync, in conversations the connected admin can read; a removed one keeps its line with removed_noticed_at.',
    columns: [
      { name: 'chat_id', type: 'id', meaning: 'The conversation.' },
      { name: 'message_id', type: 'text', meaning: 'The message reacted to.' },
      { name: 'emoji', type: 'text', meaning: 'The reaction as Cliq keys it: a Unicode emoji or a :code:.' },
      { name: 'user_id', type: 'id', meaning: 'Who reacted.' },
      { name: 'user_name', type: 'text', meaning: 'Their name as the reaction carried it (may contain colons).' },
      { name: 'reacted_at', type: 'time', meaning: 'When they reacted, as Cliq gave it.' },
      { name: 'first_seen_at', type: 'time', meaning: 'When the archive first saw this reaction.' },
      { name: 'removed_noticed_at', type: 'time', meaning: 'When a later check no longer listed it (empty while it is there).' },
      rowHash,
    ],
    sql: (scoped) => `SELECT r.chat_id, r.message_id, r.emoji, r.user_id, r.user_name, r.reacted_at, r.first_seen_at, r.gone_at AS removed_noticed_at, r.row_hash
      FROM reactions r ${scoped ? 'JOIN messages m ON m.chat_id = r.chat_id AND m.message_id = r.message_id JOIN temp.scope_messages s ON s.key = m.id' : ''}
      ORDER BY r.chat_id, r.message_id, r.emoji, r.user_id, r.first_seen_at, r.id`,
  },
  {
    name: 'sticky-messages',
    meaning: 'The pinned (sticky) message history of the conversations in scope: one line per pin seen, ended when a later check showed another pin (replaced) or none (unpinned).',
    columns: [
      { name: 'chat_id', type: 'id', meaning: 'The conversation.' },
      { name: 'message_id', type: 'text', meaning: 'The pinned message, as Cliq spelled its id (with %20).' },
      { name: 'text', type: 'text', meaning: 'Its text as the pin carried it.' },
      { name: 'sender_id', type: 'id', meaning: 'Who sent the pinned message.' },
      { name: 'creator_id', type: 'id', meaning: 'Who pinned it.' },
      { name: 'creator_name', type: 'text', meaning: 'Their name.' },
      { name: 'pinned_at', type: 'time', meaning: 'When it was pinned (created_time).' },
      { name: 'modified_at', type: 'time', meaning: 'When the pin last changed (last_modified_time).' },
      { name: 'expiry_time', type: 'int', meaning: 'How long the pin lasts in ms, as Cliq gave it (-1: no expiry).' },
      { name: 'first_seen_at', type: 'time', meaning: 'When the archive first saw this pin.' },
      { name: 'ended_noticed_at', type: 'time', meaning: 'When a later check showed another pin or none (empty while pinned).' },
      { name: 'ended_by', type: 'text', meaning: 'replaced or unpinned; empty while pinned, or when the conversation itself is gone from Cliq (ended_noticed_at set).' },
      rowHash,
      { name: 'raw', type: 'json', meaning: "Cliq's answer (its data object), verbatim." },
    ],
    sql: (scoped) => `SELECT p.chat_id, p.message_id, p.text, p.sender_id, p.creator_id, p.creator_name, p.pinned_at, p.modified_at, p.expiry_time,
        p.first_seen_at, p.gone_at AS ended_noticed_at, p.ended_by, p.row_hash, p.raw_json AS raw
      FROM sticky_messages p ${scoped ? 'JOIN temp.scope_chats s ON s.chat_id = p.chat_id' : ''}
      ORDER BY p.chat_id, p.first_seen_at, p.id`,
  },
  {
    name: 'member-roles',
    meaning:
      "Channel roles of the members of the channels in scope, as intervals: a role change ends one line and starts the next. Read from Cliq's channel members listing, so only for channels the connected admin can read over REST.",
    columns: [
      { name: 'chat_id', type: 'id', meaning: "The channel's conversation." },
      { name: 'user_id', type: 'id', meaning: 'The member.' },
      { name: 'role', type: 'text', meaning: 'super_admin, admin, moderator or member, as Cliq gave it.' },
      { name: 'first_seen_at', type: 'time', meaning: 'When the archive first saw them hold this role.' },
      { name: 'gone_at', type: 'time', meaning: 'When a later listing showed another role or no membership (empty while held).' },
      rowHash,
    ],
    sql: (scoped) => `SELECT r.chat_id, r.user_id, r.role, r.first_seen_at, r.gone_at, r.row_hash
      FROM channel_member_roles r ${scoped ? 'JOIN temp.scope_chats s ON s.chat_id = r.chat_id' : ''}
      ORDER BY r.chat_id, r.member_key, r.first_seen_at, r.id`,
  },
  {
    name: 'channel-permissions',
    meaning:
      "What each channel role may do in the channels in scope, as intervals: one line per (role, permission, value) Cliq's channel listing gave; a changed value ends one line and starts the next. Read from Cliq's REST channel listing (admin_permission, moderator_permission, member_permission), so only for channels it lists.",
    columns: [
      { name: 'chat_id', type: 'id', meaning: "The channel's conversation (empty if Cliq gave the channel none)." },
      { name: 'channel_id', type: 'id', meaning: 'The channel, as the channels file keys it.' },
      { name: 'role', type: 'text', meaning: 'The channel role the permission applies to: admin, moderator or member.' },
      { name: 'permission', type: 'text', meaning: 'The permission as Cliq keys it (send_message, sticky_message, delete_others_message, …).' },
      { name: 'allowed', type: 'bool', meaning: 'true if the role may do it, false if not; empty when Cliq gave a value other than true or false (see value).' },
      { name: 'value', type: 'text', meaning: 'The value as Cliq gave it, as JSON text (true, false, "true", or anything else verbatim).' },
      { name: 'first_seen_at', type: 'time', meaning: 'When the archive first saw the role hold this value.' },
      { name: 'gone_at', type: 'time', meaning: 'When a later listing showed another value or none for it (empty while in force).' },
      rowHash,
    ],
    sql: (scoped) => `SELECT c.chat_id, p.channel_id, p.role, p.permission, p.allowed, p.value, p.first_seen_at, p.gone_at, p.row_hash
      FROM channel_permissions p ${scoped ? 'JOIN channels c ON c.channel_id = p.channel_id JOIN temp.scope_chats s ON s.chat_id = c.chat_id' : 'LEFT JOIN channels c ON c.channel_id = p.channel_id'}
      ORDER BY p.channel_id, p.role, p.permission, p.first_seen_at, p.id`,
  },
  {
    name: 'review-log',
    meaning:
      'Every look at the archive on record before this bundle (migration 0067): searches, transcript reads, exports, audit bundles, verifies, restores and custody actions, with who, from where, what and how many results. A scoped bundle carries the looks at its conversations (those naming one of them); the whole log comes with a bundle of everything, or `cliq-vault export --what review_log`.',
    columns: [
      { name: 'review_id', type: 'int', meaning: 'The entry’s number in the log.' },
      { name: 'at', type: 'time', meaning: 'When the look was answered (for a folded search: its last refinement).' },
      {
        name: 'action',
        type: 'text',
        meaning:
          'search, transcript_view, export, bundle, review_log_view, verify, restore, change_report, hold_add, hold_release, retention_dry_run, retention_apply, key_change, review_set_create or review_code.',
      },
      { name: 'shell', type: 'text', meaning: 'desktop (the app), serve (the browser mode) or cli.' },
      { name: 'profile_name', type: 'text', meaning: 'The app profile (org connection) in use; empty on the command line.' },
      { name: 'os_user', type: 'text', meaning: 'The operating-system user who ran Cliq Vault.' },
      { name: 'host', type: 'text', meaning: 'The computer it ran on.' },
      { name: 'chat_id', type: 'id', meaning: 'The one conversation looked at, when there is one.' },
      { name: 'results', type: 'int', meaning: 'Hits, messages shown or records written; empty when the action counts nothing.' },
      { name: 'outcome', type: 'text', meaning: 'ok, failed, refused (bad request, nothing read) or cancelled.' },
      { name: 'detail', type: 'text', meaning: 'Why it failed or was refused, or what it found (a verify’s problems).' },
      { name: 'refinements', type: 'int', meaning: 'Searches of one search-as-you-type burst folded into this entry (their texts are in scope.earlierTexts).' },
      { name: 'first_at', type: 'time', meaning: 'When the first of those was typed (empty when none was folded).' },
      rowHash,
      { name: 'scope', type: 'json', meaning: 'What was looked at, as recorded: the query and filters, the conversation, the export kind and flags.' },
    ],
    sql: (scoped) => `SELECT r.id AS review_id, r.at, r.action, r.shell, r.profile_name, r.os_user, r.host, r.chat_id, r.results, r.outcome, r.detail,
        r.refinements, r.first_at, r.row_hash, r.scope_json AS scope
      FROM review_log r ${scoped ? 'JOIN temp.scope_chats s ON s.chat_id = r.chat_id' : ''} ORDER BY r.id`,
  },
  {
    name: 'review-coding',
    meaning:
      'Only in a production from a review set: how each produced message was coded when the bundle was made, one line per message in set order. The coding is what the set’s sealed, append-only coding log adds up to (`cliq-vault export --what review_codings` gives every action with who and when); a message carries its own tags and those of its conversation.',
    onlyFromReviewSet: true,
    columns: [
      { name: 'chat_id', type: 'id', meaning: 'The conversation.' },
      { name: 'message_id', type: 'text', meaning: 'The message.' },
      { name: 'tags', type: 'text', meaning: 'Tags on the message itself, separated by "; " (built-in: responsive, not-responsive, privileged, needs-redaction).' },
      { name: 'note', type: 'text', meaning: 'The reviewer’s note on the message (the last one written).' },
      { name: 'conversation_tags', type: 'text', meaning: 'Tags on its conversation, which the message carries too, separated by "; ".' },
      { name: 'conversation_note', type: 'text', meaning: 'The note on its conversation.' },
      { name: 'reviewed', type: 'bool', meaning: 'true when marked reviewed or carrying any tag (its own or its conversation’s).' },
      { name: 'set_name', type: 'text', meaning: 'The review set (README.txt and custody.txt name its owner and the tag filter).' },
    ],
    // IMPORTANT: reads the coding reviewSets/setScope.ts left in the temp tables when the scope was resolved.
    sql: () => `SELECT i.chat_id, i.message_id,
        (SELECT group_concat(tag, '; ') FROM (SELECT t.tag FROM temp.review_tags t WHERE t.chat_id = i.chat_id AND t.mid = i.message_id ORDER BY t.tag)) AS tags,
        (SELECT n.note FROM temp.review_notes n WHERE n.chat_id = i.chat_id AND n.mid = i.message_id) AS note,
        (SELECT group_concat(tag, '; ') FROM (SELECT t.tag FROM temp.review_tags t WHERE t.chat_id = i.chat_id AND t.mid = '' ORDER BY t.tag)) AS conversation_tags,
        (SELECT n.note FROM temp.review_notes n WHERE n.chat_id = i.chat_id AND n.mid = '') AS conversation_note,
        ${isReviewed} AS reviewed, r.name AS set_name
      FROM temp.scope_review sr JOIN review_sets r ON r.set_id = sr.set_id JOIN review_set_items i ON i.set_id = sr.set_id
      JOIN messages m ON m.chat_id = i.chat_id AND m.message_id = i.message_id JOIN temp.scope_messages s ON s.key = m.id
      ORDER BY i.position`,
  },
];
