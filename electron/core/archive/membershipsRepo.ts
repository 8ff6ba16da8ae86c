import type Database from 'better-sqlite3';
import type { Sealer } from './sealing/sealer';
import type { WriteContext } from './entityStore';

export interface MemberInput {
  userId: string | null;
  name: string | null;
  email: string | null;
}

export interface MembershipChange {
  joined: number;
  left: number;
  unchanged: number;
}

/** The stable key of a member: the user id, else the e-mail (exports may lack one or the other). */
export function memberKey(member: MemberInput): string | null {
  if (member.userId) return member.userId;
  if (member.email) return `email:${member.email.toLowerCase()}`;
  return null;
}

/**
 * Membership history as intervals per (chat, member): an open interval while the member is listed,
 * closed with gone_at when a later complete listing no longer shows them, a new interval if they
 * come back. Runs inside the caller's transaction.
 */
export class MembershipsRepo {
  private readonly open: Database.Statement<[string], { id: number; member_key: string }>;
  private readonly insert: Database.Statement;
  private readonly touch: Database.Statement;
  private readonly close: Database.Statement;
  private readonly closeAll: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly sealer: Sealer,
  ) {
    this.open = db.prepare('SELECT id, member_key FROM memberships WHERE chat_id = ? AND gone_at IS NULL');
    this.insert = db.prepare(
      `INSERT INTO memberships (chat_id, member_key, user_id, name, email, first_seen_at, first_seen_run, last_seen_at, last_seen_run)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.touch = db.prepare(
      `UPDATE memberships SET last_seen_at = ?, last_seen_run = ?, user_id = coalesce(?, user_id),
         name = coalesce(?, name), email = coalesce(?, email) WHERE id = ?`,
    );
    this.close = db.prepare('UPDATE memberships SET gone_at = ?, gone_run = ? WHERE id = ?');
    this.closeAll = db.prepare('UPDATE memberships SET gone_at = ?, gone_run = ? WHERE chat_id = ? AND gone_at IS NULL RETURNING id');
  }

  /** Keys of the members with an open interval in a chat. */
  openKeys(chatId: string): string[] {
    return this.open.all(chatId).map((row) => row.member_key);
  }

  /** Applies a complete member listing of one chat. */
  apply(chatId: string, members: readonly MemberInput[], ctx: WriteContext): MembershipChange {
    const current = new Map(this.open.all(chatId).map((row) => [row.member_key, row.id]));
    const listed = new Set<string>();
    const change: MembershipChange = { joined: 0, left: 0, unchanged: 0 };
    for (const member of members) {
      const key = memberKey(member);
      if (key === null || listed.has(key)) continue;
      listed.add(key);
      const id = current.get(key);
      if (id === undefined) {
        const inserted = this.insert.run(chatId, key, member.userId, member.name, member.email, ctx.now, ctx.runId, ctx.now, ctx.runId);
        this.sealer.reseal('memberships', inserted.lastInsertRowid);
        change.joined += 1;
      } else {
        this.touch.run(ctx.now, ctx.runId, member.userId, member.name, member.email, id);
        this.sealer.reseal('memberships', id);
        change.unchanged += 1;
      }
    }
    for (const [key, id] of current) {
      if (!listed.has(key)) {
        this.close.run(ctx.now, ctx.runId, id);
        this.sealer.reseal('memberships', id);
        change.left += 1;
      }
    }
    return change;
  }

  /** Closes every open interval of a chat that vanished from the server. */
  closeChat(chatId: string, ctx: WriteContext): number {
    const closed = this.closeAll.all(ctx.now, ctx.runId, chatId) as { id: number }[];
    for (const { id } of closed) this.sealer.reseal('memberships', id);
    return closed.length;
  }
}
