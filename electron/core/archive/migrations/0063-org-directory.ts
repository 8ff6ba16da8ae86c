import type { Migration } from './types';

/**
 * The org directory (issue 12): departments, designations, roles (Cliq's "profiles") and teams,
 * each an entity with the life cycle of chats and users (source_json/source_hash, first/last seen,
 * gone; earlier versions in entity_history), and `directory_assignments`: who belonged to which
 * group, as intervals, like memberships.
 *
 * Roles: source_json is `{"profile": <R1 item>, "permissions": <the permissions map>}`, both as
 * received, so a change to either leaves the earlier pair in entity_history; permissions_json is
 * the map alone. is_admin is derived: profile_type Admin or Cliq Admin, or is_custom_admin.
 *
 * members_listed_at/run (on each group table): the first complete listing of the group's members.
 * An assignment opened by that listing has first_listing = 1: the person belonged when the group
 * was first archived, since an unknown time — never "assigned on the first sync date".
 *
 * An assignment's detail_json holds what the listing says of the person in the group (a team's
 * is_moderator); a change of detail ends the interval and opens another, so every interval has
 * one detail. kind + group_id + user_id: at most one open interval (gone_at NULL) each.
 *
 * entity_history's kind CHECK gains the four kinds: SQLite cannot alter a CHECK, so the table is
 * rebuilt with the same columns and rows (ids, hashes and seals unchanged: a row's hash covers its
 * column names and values, sealing/rowHash.ts). No view or foreign key refers to it.
 *
 * All sealed from the start; an upgraded archive has no directory rows until its next sync.
 * `directory_intervals` is how readers see an assignment: start and end with where each comes from.
 */
export const migration: Migration = {
  version: 63,
  name: 'org-directory',
  up(db) {
    // First seen, last seen, gone, and the seal: every row of this step has them.
    const seen = `
        first_seen_at   INTEGER NOT NULL,
        first_seen_run  INTEGER REFERENCES sync_runs(id),
        last_seen_at    INTEGER NOT NULL,
        last_seen_run   INTEGER REFERENCES sync_runs(id),
        gone_at         INTEGER,
        gone_run        INTEGER REFERENCES sync_runs(id),
        row_hash        TEXT,
        seal_id         INTEGER`;
    const lifeCycle = `
        source_json     TEXT NOT NULL,
        source_hash     TEXT NOT NULL,
        version_seen_at INTEGER NOT NULL,
        members_listed_at  INTEGER,
        members_listed_run INTEGER REFERENCES sync_runs(id),${seen}`;
    db.exec(`
      CREATE TABLE departments (
        department_id        TEXT PRIMARY KEY,
        name                 TEXT,
        parent_department_id TEXT,
        lead_user_id         TEXT,
        members_count        INTEGER,   -- as Cliq reported it at the last sync (sent as a string)
        is_default           INTEGER NOT NULL,
        ${lifeCycle}
      ) STRICT;

      CREATE TABLE designations (
        designation_id TEXT PRIMARY KEY,
        name           TEXT,
        ${lifeCycle}
      ) STRICT;

      CREATE TABLE roles (
        role_id          TEXT PRIMARY KEY,
        name             TEXT,
        profile_type     TEXT,
        description      TEXT,
        is_default       INTEGER NOT NULL,
        is_custom_admin  INTEGER NOT NULL,
        is_admin         INTEGER NOT NULL,
        permissions_json TEXT,
        created_at       INTEGER,
        last_modified    INTEGER,
        ${lifeCycle}
      ) STRICT;

      CREATE TABLE teams (
        team_id           TEXT PRIMARY KEY,
        name              TEXT,
        description       TEXT,
        is_active         INTEGER,
        participant_count INTEGER,
        created_at        INTEGER,
        ${lifeCycle}
      ) STRICT;

      CREATE TABLE directory_assignments (
        id             INTEGER PRIMARY KEY,
        kind           TEXT NOT NULL CHECK (kind IN ('department', 'designation', 'role', 'team')),
        group_id       TEXT NOT NULL,
        user_id        TEXT NOT NULL,
        detail_json    TEXT,
        first_listing  INTEGER NOT NULL CHECK (first_listing IN (0, 1)),${seen}
      ) STRICT;
      CREATE UNIQUE INDEX directory_assignments_open ON directory_assignments(kind, group_id, user_id) WHERE gone_at IS NULL;
      CREATE INDEX directory_assignments_user ON directory_assignments(user_id, kind);

      CREATE TABLE entity_history_new (
        id             INTEGER PRIMARY KEY,
        kind           TEXT NOT NULL CHECK (kind IN ('chat', 'channel', 'thread', 'user', 'department', 'designation', 'role', 'team')),
        entity_key     TEXT NOT NULL,
        source_json    TEXT NOT NULL,
        seen_at        INTEGER NOT NULL,
        superseded_at  INTEGER NOT NULL,
        superseded_run INTEGER REFERENCES sync_runs(id),
        row_hash       TEXT,
        seal_id        INTEGER
      ) STRICT;
      INSERT INTO entity_history_new (id, kind, entity_key, source_json, seen_at, superseded_at, superseded_run, row_hash, seal_id)
        SELECT id, kind, entity_key, source_json, seen_at, superseded_at, superseded_run, row_hash, seal_id FROM entity_history;
      DROP TABLE entity_history;
      ALTER TABLE entity_history_new RENAME TO entity_history;
      CREATE INDEX entity_history_key ON entity_history(kind, entity_key);

      -- started_at: NULL for 'first_archived' (a member since an unknown time), else when a sync
      -- noticed the assignment (it began between the listing before and then). ended_at: when a
      -- sync noticed it gone, NULL while it holds. group_name: the group's name now.
      CREATE VIEW directory_intervals AS
        SELECT a.id, a.kind, a.group_id,
               CASE a.kind
                 WHEN 'department' THEN (SELECT d.name FROM departments d WHERE d.department_id = a.group_id)
                 WHEN 'designation' THEN (SELECT g.name FROM designations g WHERE g.designation_id = a.group_id)
                 WHEN 'role' THEN (SELECT r.name FROM roles r WHERE r.role_id = a.group_id)
                 ELSE (SELECT t.name FROM teams t WHERE t.team_id = a.group_id) END AS group_name,
               a.user_id, a.detail_json,
               CASE a.first_listing WHEN 1 THEN 'first_archived' ELSE 'noticed' END AS start_source,
               CASE a.first_listing WHEN 1 THEN NULL ELSE a.first_seen_at END AS started_at,
               a.first_seen_at AS start_noticed_at, a.first_seen_run AS start_noticed_run,
               a.last_seen_at, a.last_seen_run,
               CASE WHEN a.gone_at IS NULL THEN NULL ELSE 'noticed' END AS end_source,
               a.gone_at AS ended_at, a.gone_run AS end_noticed_run,
               a.row_hash
          FROM directory_assignments a;
    `);
  },
};
