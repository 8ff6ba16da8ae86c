import type Database from 'better-sqlite3-multiple-ciphers';
import { EntityStore, type WriteContext } from './entityStore';
import type { Sealer } from './sealing/sealer';

/** The four kinds of group of the org directory (migration 0063). */
export type DirectoryKind = 'department' | 'designation' | 'role' | 'team';
export const directoryKinds: readonly DirectoryKind[] = ['department', 'designation', 'role', 'team'];

/** Each kind's table and key column. Fixed strings: they are spliced into SQL. */
export const directoryTables: Record<DirectoryKind, { table: 'departments' | 'designations' | 'roles' | 'teams'; key: string }> = {
  department: { table: 'departments', key: 'department_id' },
  designation: { table: 'designations', key: 'designation_id' },
  role: { table: 'roles', key: 'role_id' },
  team: { table: 'teams', key: 'team_id' },
};

export const departmentColumns = ['name', 'parent_department_id', 'lead_user_id', 'members_count', 'is_default'] as const;
export const designationColumns = ['name'] as const;
export const roleColumns = ['name', 'profile_type', 'description', 'is_default', 'is_custom_admin', 'is_admin', 'permissions_json', 'created_at', 'last_modified'] as const;
export const teamColumns = ['name', 'description', 'is_active', 'participant_count', 'created_at'] as const;

/** One person as a group's member listing shows them. */
export interface ListedMember {
  userId: string;
  /** What the listing says of them in the group (a team's is_moderator), as canonical JSON; null for nothing. */
  detailJson: string | null;
}

export interface ListingOutcome {
  started: number;
  ended: number;
}

interface OpenRow {
  id: number;
  user_id: string;
  detail_json: string | null;
}

/**
 * The directory: its groups (one EntityStore per kind: first seen, changed, gone, history) and
 * `directory_assignments`, the intervals of who belonged to which group. Every write runs inside
 * the caller's transaction; every row written is resealed.
 *
 * Only a complete member listing may end an interval (sync/directory.ts confirms it first): a
 * failed or partial listing never reaches {@link recordListing}.
 */
export class DirectoryRepo {
  readonly groups: Record<DirectoryKind, EntityStore>;
  private readonly openOf: Database.Statement<[string, string], OpenRow>;
  private readonly insert: Database.Statement;
  private readonly touch: Database.Statement;
  private readonly end: Database.Statement<[number, number, number], { id: number }>;
  private readonly listed: Record<DirectoryKind, { get: Database.Statement<[string], { at: number | null }>; set: Database.Statement<[number, number, string], { rowid: number }> }>;

  constructor(
    db: Database.Database,
    private readonly sealer: Sealer,
  ) {
    this.groups = {
      department: new EntityStore(db, { kind: 'department', table: 'departments', keyColumn: 'department_id', columns: departmentColumns }, sealer),
      designation: new EntityStore(db, { kind: 'designation', table: 'designations', keyColumn: 'designation_id', columns: designationColumns }, sealer),
      role: new EntityStore(db, { kind: 'role', table: 'roles', keyColumn: 'role_id', columns: roleColumns }, sealer),
      team: new EntityStore(db, { kind: 'team', table: 'teams', keyColumn: 'team_id', columns: teamColumns }, sealer),
    };
    this.openOf = db.prepare('SELECT id, user_id, detail_json FROM directory_assignments WHERE kind = ? AND group_id = ? AND gone_at IS NULL');
    this.insert = db.prepare(
      `INSERT INTO directory_assignments (kind, group_id, user_id, detail_json, first_listing, first_seen_at, first_seen_run, last_seen_at, last_seen_run)
       VALUES (@kind, @group, @user, @detail, @first, @now, @run, @now, @run)`,
    );
    this.touch = db.prepare('UPDATE directory_assignments SET last_seen_at = ?, last_seen_run = ? WHERE id = ?');
    this.end = db.prepare('UPDATE directory_assignments SET gone_at = ?, gone_run = ? WHERE id = ? AND gone_at IS NULL RETURNING id');
    const listedStatements = (kind: DirectoryKind) => {
      const { table, key } = directoryTables[kind];
      return {
        get: db.prepare<[string], { at: number | null }>(`SELECT members_listed_at AS at FROM ${table} WHERE ${key} = ?`),
        set: db.prepare<[number, number, string], { rowid: number }>(
          `UPDATE ${table} SET members_listed_at = ?, members_listed_run = ? WHERE ${key} = ? AND members_listed_at IS NULL RETURNING rowid`,
        ),
      };
    };
    this.listed = { department: listedStatements('department'), designation: listedStatements('designation'), role: listedStatements('role'), team: listedStatements('team') };
  }

  /**
   * Records one complete member listing of a group (stored first through `groups`): the listed
   * keep their interval (last seen now) or open one, the unlisted have theirs ended, and a changed
   * detail ends one interval and opens the next. Intervals opened by the group's first listing are
   * marked first_listing (member when first archived).
   */
  recordListing(kind: DirectoryKind, groupId: string, members: readonly ListedMember[], ctx: WriteContext): ListingOutcome {
    const outcome: ListingOutcome = { started: 0, ended: 0 };
    const firstListing = this.listed[kind].get.get(groupId)?.at === null;
    const open = new Map(this.openOf.all(kind, groupId).map((row) => [row.user_id, row]));
    const seen = new Set<string>();
    for (const member of members) {
      if (seen.has(member.userId)) continue;
      seen.add(member.userId);
      const existing = open.get(member.userId);
      if (existing && existing.detail_json === member.detailJson) {
        this.touch.run(ctx.now, ctx.runId, existing.id);
        this.sealer.reseal('directory_assignments', existing.id);
        continue;
      }
      if (existing && this.endOne(existing.id, ctx)) outcome.ended += 1;
      const inserted = this.insert.run({ kind, group: groupId, user: member.userId, detail: member.detailJson, first: firstListing && !existing ? 1 : 0, now: ctx.now, run: ctx.runId });
      this.sealer.reseal('directory_assignments', inserted.lastInsertRowid);
      outcome.started += 1;
    }
    for (const [userId, row] of open) if (!seen.has(userId) && this.endOne(row.id, ctx)) outcome.ended += 1;
    const marked = this.listed[kind].set.get(ctx.now, ctx.runId, groupId);
    if (marked) this.sealer.reseal(directoryTables[kind].table, marked.rowid);
    return outcome;
  }

  /** The people with an open interval in a group (what a new listing is checked against). */
  openMembers(kind: DirectoryKind, groupId: string): string[] {
    return this.openOf.all(kind, groupId).map((row) => row.user_id);
  }

  /** A group a complete listing no longer shows: it is marked gone and every open interval in it ends. */
  endGroup(kind: DirectoryKind, groupId: string, ctx: WriteContext): number {
    this.groups[kind].markOneGone(groupId, ctx);
    let ended = 0;
    for (const row of this.openOf.all(kind, groupId)) if (this.endOne(row.id, ctx)) ended += 1;
    return ended;
  }

  private endOne(id: number, ctx: WriteContext): boolean {
    const row = this.end.get(ctx.now, ctx.runId, id);
    if (row) this.sealer.reseal('directory_assignments', row.id);
    return row !== undefined;
  }
}
