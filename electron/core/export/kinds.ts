/**
 * What each export kind selects. Column lists are explicit (no SELECT * leaves a repository) and
 * every ordering is total, so the same archive always gives byte-identical files. The columns named
 * in `json` hold stored JSON text and are spliced into the line verbatim (jsonlExport.ts toLine),
 * so the payload Cliq sent (or the archive recorded) reaches the file unchanged.
 *
 * IMPORTANT: adding a column to an archive table means deciding whether it belongs here, and a new
 * table of evidence needs a kind (`export --all` must stay everything the archive can prove).
 */
export const exportKinds = [
  'chats',
  'channels',
  'threads',
  'members',
  'memberships',
  'users',
  'messages',
  'attachments',
  'versions',
  'history',
  'events',
  'runs',
  'seals',
  'audit_log',
  // Every look at the archive: searches, transcript reads, exports, bundles… (migration 0067).
  'review_log',
  // The org directory (migration 0063): each kind of group, and its membership intervals.
  'departments',
  'department_members',
  'designations',
  'designation_members',
  'roles',
  'role_members',
  'teams',
  'team_members',
  // Calls and scheduled messages of the connected account, and the org's call notices (migration 0065).
  'calls',
  'call_participants',
  'call_notifications',
  'scheduled_messages',
  // Reactions, sticky messages, channel member roles and permissions (migration 0064).
  'reactions',
  'sticky_messages',
  'member_roles',
  'channel_permissions',
  // Legal holds with their criteria and release (migration 0066).
  'holds',
  // What retention purged (migration 0068): a record per purged message, and the runs with their policy.
  'purges',
  'retention_runs',
  // Review sets (migration 0069): each set, its frozen items, and every coding action with who and when.
  'review_sets',
  'review_set_items',
  'review_codings',
] as const;
export type ExportKind = (typeof exportKinds)[number];

export interface KindSpec {
  sql: string;
  /** Output columns holding stored JSON text (NULL becomes null). */
  json: readonly string[];
  /** The table and schema version of a kind a later migration added: older archives lack it. */
  since?: { table: string; version: number };
  /**
   * A column a later migration added to the kind's table: on an older archive that lacks it, the
   * kind is written with `sqlWithout` (the same rows, without that column).
   */
  laterColumn?: { table: string; column: string; sqlWithout: string };
}

const chatsColumns = (kindSource: boolean) => `SELECT chat_id, kind, ${kindSource ? 'kind_source, ' : ''}title, creator_id, created_at, participant_count, server_message_count,
            server_last_modified, first_seen_at, first_seen_run, last_seen_at, last_seen_run, gone_at, gone_run,
            source_json AS source
          FROM chats ORDER BY chat_id`;

const directorySince = (table: string) => ({ table, version: 63 });

/**
 * A directory kind's intervals (migration 0063's view): who belonged, from when to when, with
 * where each start comes from (first_archived: a member when the group was first archived,
 * started_at empty; noticed: began between the listing before and start_noticed_at) and the
 * listing's detail (a team's is_moderator).
 */
function memberKind(kind: string, idColumn: string): KindSpec {
  return {
    sql: `SELECT group_id AS ${idColumn}, group_name, user_id, start_source, started_at, start_noticed_at, start_noticed_run,
            last_seen_at, last_seen_run, end_source, ended_at, end_noticed_run, detail_json AS detail
          FROM directory_intervals WHERE kind = '${kind}' ORDER BY group_id, user_id, start_noticed_at, id`,
    json: ['detail'],
    since: directorySince('directory_assignments'),
  };
}

export const kindSpecs: Record<ExportKind, KindSpec> = {
  chats: {
    // kind_source (migration 0062): where the kind came from (chat_type, or guessed).
    sql: chatsColumns(true),
    json: ['source'],
    laterColumn: { table: 'chats', column: 'kind_source', sqlWithout: chatsColumns(false) },
  },
  channels: {
    sql: `SELECT channel_id, rest_channel_id, chat_id, name, unique_name, description, level, status, role, creator_id,
            created_at, last_modified, participant_count, server_message_count, first_seen_at, first_seen_run,
            last_seen_at, last_seen_run, gone_at, gone_run, source_json AS source
          FROM channels ORDER BY channel_id`,
    json: ['source'],
  },
  threads: {
    sql: `SELECT thread_chat_id, parent_chat_id, channel_id, title, thread_message_id, parent_message_sender, thread_state,
            follower_count, last_message_at, first_seen_at, first_seen_run, last_seen_at, last_seen_run, gone_at, gone_run,
            source_json AS source
          FROM threads ORDER BY thread_chat_id`,
    json: ['source'],
  },
  // joined_source / left_source: where each boundary comes from (migration 0061's view; first_archived:
  // a member when the conversation was first archived, joined_at empty). Older archives: the plain rows.
  members: {
    sql: `SELECT chat_id, member_key, user_id, name, email, joined_at, joined_source, joined_message_id,
            joined_noticed_at AS first_seen_at, joined_noticed_run AS first_seen_run, last_seen_at, last_seen_run
          FROM membership_intervals WHERE left_noticed_at IS NULL ORDER BY chat_id, member_key`,
    json: [],
    laterColumn: {
      table: 'membership_intervals',
      column: 'joined_source',
      sqlWithout: `SELECT chat_id, member_key, user_id, name, email, first_seen_at, first_seen_run, last_seen_at, last_seen_run
          FROM memberships WHERE gone_at IS NULL ORDER BY chat_id, member_key`,
    },
  },
  memberships: {
    sql: `SELECT chat_id, member_key, user_id, name, email, joined_at, joined_source, joined_message_id,
            joined_noticed_at AS first_seen_at, joined_noticed_run AS first_seen_run, last_seen_at, last_seen_run,
            left_at, left_source, left_message_id, left_noticed_at AS gone_at, left_noticed_run AS gone_run
          FROM membership_intervals ORDER BY chat_id, member_key, first_seen_at, id`,
    json: [],
    laterColumn: {
      table: 'membership_intervals',
      column: 'joined_source',
      sqlWithout: `SELECT chat_id, member_key, user_id, name, email, first_seen_at, first_seen_run, last_seen_at, last_seen_run,
            gone_at, gone_run
          FROM memberships ORDER BY chat_id, member_key, first_seen_at, id`,
    },
  },
  users: {
    sql: `SELECT user_id, email, name, display_name, status, first_seen_at, first_seen_run, last_seen_at, last_seen_run,
            gone_at, gone_run, source_json AS source
          FROM users ORDER BY user_id`,
    json: ['source'],
  },
  messages: {
    sql: `SELECT chat_id, message_id, time, sender_id, sender_name, type, subtype, text, file_name, file_id, file_mime,
            file_size, extra_text, revision, content_hash, version, version_seen_at, first_seen_at, first_seen_run,
            deleted_at, deleted_run, raw_json AS raw
          FROM messages ORDER BY chat_id, time, message_id`,
    json: ['raw'],
  },
  // One record per (conversation, message, file): what Cliq declared, what was served and stored
  // (sha256 names the object in <archive>.files/), or why not (status, reason).
  attachments: {
    sql: `SELECT chat_id, message_id, file_id, file_name, declared_size, declared_type, content_type, served_name,
            status, reason, sha256, bytes, first_attempt_at, last_attempt_at, attempts, next_attempt_at, first_seen_at,
            first_seen_run
          FROM attachments ORDER BY chat_id, message_id, file_id`,
    json: [],
    since: { table: 'attachments', version: 60 },
  },
  // Every earlier version of an edited message, with the message it belongs to (ids, and the
  // archive's message key, which orders messages by time) and when a newer version replaced it.
  // The current version is in `messages`. LEFT JOIN: a version is exported even if its message
  // row were missing (verify would report that), rather than silently dropped.
  versions: {
    sql: `SELECT m.chat_id, m.message_id, v.message_rowid AS message_key, v.version, m.time, v.text, v.content_hash,
            v.seen_at, v.superseded_at, v.superseded_run, v.raw_json AS raw
          FROM message_versions v LEFT JOIN messages m ON m.id = v.message_rowid
          ORDER BY m.chat_id, m.message_id, v.message_rowid, v.version`,
    json: ['raw'],
  },
  // Earlier metadata of every versioned entity (chats, channels, threads, users, the directory's
  // groups, calls, call participants, scheduled messages; a rename, a deactivation): the payload
  // that was current from seen_at until superseded_at. The current one is in its own kind.
  history: {
    sql: `SELECT kind, entity_key, seen_at, superseded_at, superseded_run, source_json AS source
          FROM entity_history ORDER BY kind, entity_key, superseded_at, id`,
    json: ['source'],
  },
  // The archive's event log (a conversation that came back, a channel that could not be mapped, a
  // restore); `detail` is the JSON object the archive recorded.
  events: {
    sql: `SELECT id AS event_id, at, run_id, kind, subject, detail FROM archive_events ORDER BY id`,
    json: ['detail'],
  },
  runs: {
    sql: `SELECT id AS run_id, started_at, ended_at, status, tool_version, pid, host, options_json AS options,
            counts_json AS counts, calls_json AS calls, rate_limited_json AS rate_limited, errors_json AS errors
          FROM sync_runs ORDER BY id`,
    json: ['options', 'counts', 'calls', 'rate_limited', 'errors'],
  },
  // The hash chain: each seal with its digests (lowercase hex, as stored) and, in `live`, the
  // per-table sums of the row hashes it still owns (what verify attributes a missing row with).
  seals: {
    sql: `SELECT s.id AS seal_id, s.kind, s.run_id, s.opened_at, s.closed_at, s.chain_pos, s.prev_hash, s.state_digest,
            s.state_count, s.hash, s.counts_json AS counts,
            (SELECT json_group_array(json_object('table', l.table_name, 'digest', l.digest, 'rows', l.row_count) ORDER BY l.table_name)
               FROM seal_live l WHERE l.seal_id = s.id) AS live
          FROM seals s ORDER BY s.id`,
    json: ['counts', 'live'],
    since: { table: 'seals', version: 30 },
  },
  // Every audit export attempted from this archive: who, where, what scope, which files and hashes.
  // The org directory (migration 0063). A group's members_listed_at: its first complete member
  // listing (those it found were members when first archived). Roles: permissions as received.
  departments: {
    sql: `SELECT department_id, name, parent_department_id, lead_user_id, members_count, is_default, members_listed_at,
            first_seen_at, first_seen_run, last_seen_at, last_seen_run, gone_at, gone_run, source_json AS source
          FROM departments ORDER BY department_id`,
    json: ['source'],
    since: directorySince('departments'),
  },
  department_members: memberKind('department', 'department_id'),
  designations: {
    sql: `SELECT designation_id, name, members_listed_at, first_seen_at, first_seen_run, last_seen_at, last_seen_run, gone_at, gone_run,
            source_json AS source
          FROM designations ORDER BY designation_id`,
    json: ['source'],
    since: directorySince('designations'),
  },
  designation_members: memberKind('designation', 'designation_id'),
  roles: {
    sql: `SELECT role_id, name, profile_type, description, is_default, is_custom_admin, is_admin, created_at, last_modified,
            members_listed_at, first_seen_at, first_seen_run, last_seen_at, last_seen_run, gone_at, gone_run,
            permissions_json AS permissions, source_json AS source
          FROM roles ORDER BY role_id`,
    json: ['permissions', 'source'],
    since: directorySince('roles'),
  },
  role_members: memberKind('role', 'role_id'),
  teams: {
    sql: `SELECT team_id, name, description, is_active, participant_count, created_at, members_listed_at, first_seen_at, first_seen_run,
            last_seen_at, last_seen_run, gone_at, gone_run, source_json AS source
          FROM teams ORDER BY team_id`,
    json: ['source'],
    since: directorySince('teams'),
  },
  team_members: memberKind('team', 'team_id'),
  audit_log: {
    sql: `SELECT id AS audit_id, at, os_user, host, tool_version, status, detail, bundle_path, bundle_hash,
            scope_json AS scope, files_json AS files
          FROM audit_log ORDER BY id`,
    json: ['scope', 'files'],
    since: { table: 'audit_log', version: 40 },
  },
  // Legal holds (migration 0066): one record per hold, its criteria (custodians as given and resolved,
  // conversations) as JSON, and its release when released; hold_id is the archive's own number.
  holds: {
    sql: `SELECT h.hold_id, h.name, CASE WHEN r.hold_id IS NULL THEN 'active' ELSE 'released' END AS status, h.reason, h.placed_at,
            h.profile, h.os_user, h.host, h.tool_version,
            (SELECT json_group_array(json_object('given', k.given, 'user_id', k.user_id, 'email', k.email))
               FROM (SELECT given, user_id, email FROM legal_hold_custodians WHERE hold_id = h.hold_id ORDER BY id) k) AS custodians,
            (SELECT json_group_array(json_object('chat_id', c.chat_id, 'given', c.given))
               FROM (SELECT chat_id, given FROM legal_hold_chats WHERE hold_id = h.hold_id ORDER BY chat_id) c) AS conversations,
            h.from_time, h.to_time, h.from_text, h.to_text, h.time_zone, h.query, h.query_mode,
            r.released_at, r.profile AS released_by_profile, r.os_user AS released_by_os_user, r.host AS released_by_host,
            r.reason AS release_reason, h.row_hash, r.row_hash AS release_row_hash
          FROM legal_holds h LEFT JOIN legal_hold_releases r ON r.hold_id = h.hold_id ORDER BY h.hold_id`,
    json: ['custodians', 'conversations'],
    since: { table: 'legal_holds', version: 66 },
  },
  // Retention (migration 0068): one line per purged message, with the run and the policy that purged it.
  purges: {
    sql: `SELECT p.run_id, p.chat_id, p.message_id, p.message_key, p.time, p.sender_id, p.chat_kind, p.content_hash, p.row_hash_was,
            p.versions, p.attachments, p.deleted_at, p.purged_at, r.policy_json AS policy, p.row_hash
          FROM purged_messages p JOIN retention_runs r ON r.run_id = p.run_id ORDER BY p.run_id, p.message_key`,
    json: ['policy'],
    since: { table: 'purged_messages', version: 68 },
  },
  retention_runs: {
    sql: `SELECT run_id, started_at, ended_at, status, policy_json AS policy, cutoff_time, profile, os_user, host, tool_version,
            purged, kept_held, files_removed, row_hash
          FROM retention_runs ORDER BY run_id`,
    json: ['policy'],
    since: { table: 'retention_runs', version: 68 },
  },
  // Review sets (migration 0069): the set with its source as given (JSON) and in words.
  review_sets: {
    sql: `SELECT set_id, name, description, created_at, profile, os_user, host, tool_version, source_json AS source, source_text, items, row_hash
          FROM review_sets ORDER BY set_id`,
    json: ['source'],
    since: { table: 'review_sets', version: 69 },
  },
  // Each frozen item: the message's ids, key, time and content hash when the set was made.
  review_set_items: {
    sql: `SELECT set_id, position, chat_id, message_id, message_key, time, content_hash, row_hash
          FROM review_set_items ORDER BY set_id, position`,
    json: [],
    since: { table: 'review_set_items', version: 69 },
  },
  // The append-only coding log: message_id null for a conversation; reviewed as 0/1 for a "reviewed" action.
  review_codings: {
    sql: `SELECT id AS coding_id, set_id, chat_id, message_id, action, tag, note, reviewed, at, profile, os_user, host, row_hash
          FROM review_codings ORDER BY id`,
    json: [],
    since: { table: 'review_codings', version: 69 },
  },
  // The review log (migration 0067): one line per look, the scope as recorded.
  review_log: {
    sql: `SELECT id AS review_id, at, action, shell, profile_id, profile_name, os_user, host, tool_version, chat_id, results, outcome, detail,
            refinements, first_at, recorded_at, scope_json AS scope
          FROM review_log ORDER BY id`,
    json: ['scope'],
    since: { table: 'review_log', version: 67 },
  },
  // The connected account's calls and meetings (X1, migration 0065): times in epoch ms, the X1 item verbatim.
  calls: {
    sql: `SELECT call_id, session_id, nrs_id, type, title, scope, chat_id, chat_title, start_time, end_time, host_id, host_name,
            participant_count, is_partial, recording, first_seen_at, first_seen_run, last_seen_at, last_seen_run, gone_at, gone_run,
            source_json AS source
          FROM calls ORDER BY call_id`,
    json: ['source'],
    since: { table: 'calls', version: 65 },
  },
  // Who took part in each call (X2): one record per stay (entry_key = call/person/start).
  call_participants: {
    sql: `SELECT call_id, user_id, name, email, role, start_time, end_time, entry_key, first_seen_at, first_seen_run, last_seen_at,
            last_seen_run, gone_at, gone_run, source_json AS source
          FROM call_participants ORDER BY call_id, entry_key`,
    json: ['source'],
    since: { table: 'call_participants', version: 65 },
  },
  // Calls as the org's call_notification info messages record them (every archived conversation; no API call).
  call_notifications: {
    sql: `SELECT chat_id, message_id, time, sender_id, sender_name, status, call_type, duration, duration_seconds, callee_id, callee_name,
            deleted_at
          FROM call_notifications ORDER BY chat_id, time, message_id`,
    json: [],
    since: { table: 'calls', version: 65 },
  },
  // The connected account's scheduled messages: pending, or their fate (sent, presumed_sent, deleted, gone);
  // earlier times of a rescheduled one are in `history` (kind scheduled_message).
  scheduled_messages: {
    sql: `SELECT scheduled_id, api_version, chat_id, creator_id, creator_name, sender_id, sender_name, message_type, text, file_name,
            timezone, schedule_kind, scheduled_at, schedule_status, created_at, fate, fate_at, sent_chat_id, sent_message_id,
            first_seen_at, first_seen_run, last_seen_at, last_seen_run, gone_at, gone_run, source_json AS source
          FROM scheduled_messages ORDER BY scheduled_id`,
    json: ['source'],
    since: { table: 'scheduled_messages', version: 65 },
  },
  // Migration 0064. Every reaction ever seen on a message, current (gone_at empty) and removed;
  // `emoji` is the key as Cliq sent it, `entry` the "<ms>:<userId>:<name>" string verbatim.
  reactions: {
    sql: `SELECT chat_id, message_id, emoji, user_id, user_name, reacted_at, entry, first_seen_at, first_seen_run, gone_at, gone_run
          FROM reactions ORDER BY chat_id, message_id, emoji, user_id, first_seen_at, id`,
    json: [],
    since: { table: 'reactions', version: 64 },
  },
  // Each pin state of each conversation, with how it ended (replaced or unpinned); `raw` is H3's data.
  sticky_messages: {
    sql: `SELECT chat_id, message_id, text, sender_id, sender_name, creator_id, creator_name, message_time, pinned_at, modified_at,
            expiry_time, first_seen_at, first_seen_run, gone_at, gone_run, ended_by, raw_json AS raw
          FROM sticky_messages ORDER BY chat_id, first_seen_at, id`,
    json: ['raw'],
    since: { table: 'sticky_messages', version: 64 },
  },
  // Channel member roles as intervals: a role change closes one row and opens the next.
  member_roles: {
    sql: `SELECT chat_id, member_key, user_id, role, first_seen_at, first_seen_run, gone_at, gone_run
          FROM channel_member_roles ORDER BY chat_id, member_key, first_seen_at, id`,
    json: [],
    since: { table: 'channel_member_roles', version: 64 },
  },
  // The admin/moderator/member permission objects of channels, one row per (role, permission) value.
  channel_permissions: {
    sql: `SELECT channel_id, role, permission, allowed, value, first_seen_at, first_seen_run, gone_at, gone_run
          FROM channel_permissions ORDER BY channel_id, role, permission, first_seen_at, id`,
    json: ['value'],
    since: { table: 'channel_permissions', version: 64 },
  },
};
