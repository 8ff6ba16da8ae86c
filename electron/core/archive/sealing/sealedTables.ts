/**
 * The tables whose rows are evidence, and so are sealed (row_hash + seal_id). Operational tables —
 * checkpoints, leases, rate locks, walk state, meta — are not: they change without any archived
 * fact changing. sync_runs rows are covered through the seal of their run (sealHash.ts).
 *
 * audit_log (migration 0040), attachments (0060), membership_boundaries (0061), the org directory (0063),
 * the reactions, pins and channel roles of 0064, and calls, call_participants and scheduled_messages (0065), the legal holds of 0066,
 * the review log (0067), the purge records of retention (0068) and the review sets (0069)
 * are sealed too; they are listed apart
 * (laterSealedTables) because older schemas lack them, and migration 0030 — released, so frozen —
 * gives row_hash/seal_id to the tables of `sealedTables` as they stand: a table created later
 * carries those columns from its own migration and is added to `laterSealedTables`, never here.
 *
 * IMPORTANT: a new evidentiary table must be added here and given row_hash/seal_id by a migration;
 * a new column in a sealed table changes every row's hash, so that migration must re-hash its rows.
 */
export const sealedTables = ['chats', 'channels', 'threads', 'users', 'memberships', 'messages', 'message_versions', 'entity_history', 'archive_events'] as const;

/** Sealed tables created after migration 0030, each with its own row_hash/seal_id; present once migrated. */
export const laterSealedTables = [
  'audit_log',
  'attachments',
  'membership_boundaries',
  // The org directory (0063).
  'departments',
  'designations',
  'roles',
  'teams',
  'directory_assignments',
  // Migration 0064: reactions, sticky messages, channel member roles and permissions.
  'reactions',
  'sticky_messages',
  'channel_member_roles',
  'channel_permissions',
  // Calls and scheduled messages of the connected account (0065).
  'calls',
  'call_participants',
  'scheduled_messages',
  // Legal holds, their criteria and their releases (0066), written in seals of kind 'audit'.
  'legal_holds',
  'legal_hold_custodians',
  'legal_hold_chats',
  'legal_hold_releases',
  // What retention purged (0068): the runs and a record per purged message.
  'retention_runs',
  'purged_messages',
  // The review log: every look at the archive (0067).
  'review_log',
  // Review sets, their frozen items and the coding log (0069), written in seals of kind 'audit'.
  'review_sets',
  'review_set_items',
  'review_codings',
] as const;

export type SealedTable = (typeof sealedTables)[number] | (typeof laterSealedTables)[number];

/** Columns that name a row in a report (never part of its hash beyond being columns). */
export const keyColumns: Record<SealedTable, readonly string[]> = {
  chats: ['chat_id'],
  channels: ['channel_id'],
  threads: ['thread_chat_id'],
  users: ['user_id'],
  memberships: ['chat_id', 'member_key', 'first_seen_at'],
  messages: ['chat_id', 'message_id'],
  message_versions: ['message_rowid', 'version'],
  entity_history: ['kind', 'entity_key', 'superseded_at'],
  archive_events: ['kind', 'subject', 'at'],
  audit_log: ['id', 'at'],
  attachments: ['chat_id', 'message_id', 'file_id'],
  membership_boundaries: ['membership_id', 'edge'],
  departments: ['department_id'],
  designations: ['designation_id'],
  roles: ['role_id'],
  teams: ['team_id'],
  directory_assignments: ['kind', 'group_id', 'user_id', 'first_seen_at'],
  reactions: ['chat_id', 'message_id', 'emoji', 'user_id', 'first_seen_at'],
  sticky_messages: ['chat_id', 'message_id', 'first_seen_at'],
  channel_member_roles: ['chat_id', 'member_key', 'role', 'first_seen_at'],
  channel_permissions: ['channel_id', 'role', 'permission', 'first_seen_at'],
  calls: ['call_id'],
  call_participants: ['entry_key'],
  scheduled_messages: ['scheduled_id'],
  legal_holds: ['hold_id', 'name'],
  legal_hold_custodians: ['hold_id', 'given', 'user_id'],
  legal_hold_chats: ['hold_id', 'chat_id'],
  legal_hold_releases: ['hold_id'],
  retention_runs: ['run_id'],
  purged_messages: ['chat_id', 'message_id'],
  review_log: ['id', 'at'],
  review_sets: ['set_id', 'name'],
  review_set_items: ['set_id', 'chat_id', 'message_id'],
  review_codings: ['id', 'set_id', 'at'],
};

/**
 * The column that names one row of a sealed table for the sealer (`reseal`, `removing`): the
 * rowid, except for messages, whose rows are named by their message key `id` — since migration
 * 0070 a UNIQUE column, no longer the rowid (which only orders the rows as they were stored).
 * Before 0070 the two were the same, so older migrations' backfills read the same values.
 */
export function rowKeyColumn(table: SealedTable): 'rowid' | 'id' {
  return table === 'messages' ? 'id' : 'rowid';
}
