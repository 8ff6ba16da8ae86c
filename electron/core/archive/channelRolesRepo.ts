import type Database from 'better-sqlite3-multiple-ciphers';
import type { WriteContext } from './entityStore';
import { IntervalTable, type IntervalChange } from './intervalTable';
import type { Sealer } from './sealing/sealer';

/** A member's role as C3 lists it. */
export interface MemberRoleFact {
  member_key: string;
  user_id: string | null;
  role: string;
}

/** One value of a channel's permission objects (admin_permission, moderator_permission, member_permission). */
export interface PermissionFact {
  role: 'admin' | 'moderator' | 'member';
  permission: string;
  allowed: number | null;
  value: string;
}

/**
 * Channel member roles and channel permissions as intervals (migration 0064). A role change closes
 * the old (member, role) row and opens the new one: the change is recorded, never overwritten.
 */
export class ChannelRolesRepo {
  private readonly roles: IntervalTable;
  private readonly permissions: IntervalTable;
  private readonly openRoles: Database.Statement<[string], { n: number }>;

  constructor(db: Database.Database, sealer: Sealer) {
    this.roles = new IntervalTable(db, sealer, { table: 'channel_member_roles', scope: ['chat_id'], identity: ['member_key', 'role'], details: ['user_id'] });
    this.permissions = new IntervalTable(db, sealer, { table: 'channel_permissions', scope: ['channel_id'], identity: ['role', 'permission', 'value'], details: ['allowed'] });
    this.openRoles = db.prepare('SELECT count(*) AS n FROM channel_member_roles WHERE chat_id = ? AND gone_at IS NULL');
  }

  /** Applies the roles of one complete C3 listing of a channel's conversation. */
  applyRoles(chatId: string, members: readonly MemberRoleFact[], ctx: WriteContext): IntervalChange {
    return this.roles.apply([chatId], members as unknown as Record<string, unknown>[], ctx);
  }

  /** Closes the roles of a conversation whose members were listed without roles, or which is gone. */
  closeRoles(chatId: string, ctx: WriteContext): number {
    if ((this.openRoles.get(chatId)?.n ?? 0) === 0) return 0;
    return this.roles.apply([chatId], [], ctx).closed;
  }

  /** Applies the permission objects of one channel's listing item. */
  applyPermissions(channelId: string, facts: readonly PermissionFact[], ctx: WriteContext): IntervalChange {
    return this.permissions.apply([channelId], facts as unknown as Record<string, unknown>[], ctx);
  }
}
