import type { Migration } from './types';

/**
 * Exact membership history (issue 12). A membership interval's own times (first_seen_at, gone_at)
 * are when a sync noticed the change. Where Cliq's info messages record the join or the leave
 * (member added, removed, joined, left), that message's time is the interval's boundary: one
 * `membership_boundaries` row per (interval, edge) names the message, its time, and when the
 * change was noticed beside it.
 *
 * A separate table, not new columns on `memberships`: a column added to a sealed table changes
 * every existing row's hash (sealing/sealedTables.ts), and these facts arrive with the interval
 * they describe anyway. Sealed from the start; an upgraded archive has no rows here yet.
 *
 * `membership_intervals` is how every reader sees an interval: its joined/left times and where
 * each comes from. joined_source is 'info_message' (Cliq's own message), 'first_archived' (listed
 * by the first listing of the conversation, so a member since an unknown time: joined_at is NULL,
 * never the date of that sync) or 'noticed' (a later listing showed them: joined between the
 * listing before and joined_noticed_at). left_source likewise, NULL while still a member.
 * The first listing of a conversation is the smallest first_seen_at of its intervals: one listing
 * stamps every interval it opens with the same time (membershipsRepo.ts).
 */
export const migration: Migration = {
  version: 61,
  name: 'membership-boundaries',
  up(db) {
    db.exec(`
      CREATE TABLE membership_boundaries (
        membership_id INTEGER NOT NULL REFERENCES memberships(id),
        edge          TEXT NOT NULL CHECK (edge IN ('joined', 'left')),
        at            INTEGER NOT NULL,   -- the info message's time (epoch ms, Cliq's clock)
        message_id    TEXT NOT NULL,      -- the info message recording the change
        subtype       TEXT NOT NULL,      -- its content.type as received (member_added, member_left, …)
        noticed_at    INTEGER NOT NULL,   -- when a sync noticed the change (the interval's first_seen_at or gone_at)
        noticed_run   INTEGER REFERENCES sync_runs(id),
        row_hash      TEXT,
        seal_id       INTEGER,
        PRIMARY KEY (membership_id, edge)
      ) STRICT;
      CREATE INDEX memberships_chat_first ON memberships(chat_id, first_seen_at);
      -- Info messages are few: finding a conversation's joins and leaves reads only them.
      CREATE INDEX messages_info ON messages(chat_id, time) WHERE type = 'info';

      CREATE VIEW membership_intervals AS
        SELECT m.id, m.chat_id, m.member_key, m.user_id, m.name, m.email,
               CASE WHEN j.at IS NOT NULL THEN 'info_message'
                    WHEN m.first_seen_at = (SELECT min(f.first_seen_at) FROM memberships f WHERE f.chat_id = m.chat_id) THEN 'first_archived'
                    ELSE 'noticed' END AS joined_source,
               CASE WHEN j.at IS NOT NULL THEN j.at
                    WHEN m.first_seen_at = (SELECT min(f.first_seen_at) FROM memberships f WHERE f.chat_id = m.chat_id) THEN NULL
                    ELSE m.first_seen_at END AS joined_at,
               m.first_seen_at AS joined_noticed_at, m.first_seen_run AS joined_noticed_run, j.message_id AS joined_message_id,
               m.last_seen_at, m.last_seen_run,
               CASE WHEN m.gone_at IS NULL THEN NULL WHEN l.at IS NOT NULL THEN 'info_message' ELSE 'noticed' END AS left_source,
               CASE WHEN m.gone_at IS NULL THEN NULL ELSE coalesce(l.at, m.gone_at) END AS left_at,
               m.gone_at AS left_noticed_at, m.gone_run AS left_noticed_run, l.message_id AS left_message_id,
               m.row_hash
          FROM memberships m
          LEFT JOIN membership_boundaries j ON j.membership_id = m.id AND j.edge = 'joined'
          LEFT JOIN membership_boundaries l ON l.membership_id = m.id AND l.edge = 'left';
    `);
  },
};
