import type Database from 'better-sqlite3-multiple-ciphers';
import type { Sealer } from './sealing/sealer';
import type { WriteContext } from './entityStore';
import { infoEdges, latestEdges, matchLateEdges, membershipSubtypes, type InfoEdge, type InfoMessage, type IntervalForMatch } from './membershipEvidence';

export interface MemberInput {
  userId: string | null;
  name: string | null;
  email: string | null;
  /** The channel role C3 lists (`user_role`); absent from M3 listings, which carry none. */
  role?: string | null;
}

export interface MembershipChange {
  /** Members listed by the conversation's first listing: members since an unknown time. */
  firstArchived: number;
  /** Members a later listing showed for the first time (or again). */
  joined: number;
  left: number;
  unchanged: number;
  /** Of the joins and leaves, those whose boundary is the time of Cliq's own info message. */
  fromInfoMessages: number;
}

interface OpenRow {
  id: number;
  member_key: string;
  user_id: string | null;
  last_seen_at: number;
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
 * come back. first_seen_at and gone_at are when a listing noticed the change; where an archived
 * info message of the conversation records the join or leave, its time becomes the interval's
 * boundary (membership_boundaries, migration 0061). Runs inside the caller's transaction.
 */
export class MembershipsRepo {
  private readonly open: Database.Statement<[string], OpenRow>;
  private readonly infoMessages: Database.Statement<unknown[], InfoMessage>;
  private readonly infoOfRun: Database.Statement<unknown[], InfoMessage>;
  private readonly memberIntervals: Database.Statement<[string, string], Omit<IntervalForMatch, 'joinBounded' | 'leftBounded'> & { joinBounded: 0 | 1; leftBounded: 0 | 1 }>;
  private readonly firstListing: Database.Statement<[string], { at: number | null }>;
  private readonly boundary: Database.Statement;
  private readonly lastChange: Database.Statement<[string, string], { at: number | null }>;
  private readonly anyInterval: Database.Statement<[string], { one: number }>;
  private readonly insert: Database.Statement;
  private readonly touch: Database.Statement;
  private readonly close: Database.Statement;
  private readonly closeAll: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly sealer: Sealer,
  ) {
    this.open = db.prepare('SELECT id, member_key, user_id, last_seen_at FROM memberships WHERE chat_id = ? AND gone_at IS NULL');
    // type = 'info' matches the partial index messages_info: only a conversation's info messages are read.
    this.infoMessages = db.prepare(
      `SELECT message_id AS messageId, time, subtype, raw_json AS raw FROM messages
        WHERE chat_id = ? AND type = 'info' AND time > ? AND subtype IN (${membershipSubtypes.map(() => '?').join(', ')})`,
    );
    this.infoOfRun = db.prepare(
      `SELECT message_id AS messageId, time, subtype, raw_json AS raw FROM messages
        WHERE chat_id = ? AND type = 'info' AND first_seen_run = ? AND subtype IN (${membershipSubtypes.map(() => '?').join(', ')})`,
    );
    this.memberIntervals = db.prepare(
      `SELECT m.id, m.first_seen_at AS firstSeenAt, m.first_seen_run AS firstSeenRun, m.last_seen_at AS lastSeenAt,
              m.gone_at AS goneAt, m.gone_run AS goneRun,
              EXISTS (SELECT 1 FROM membership_boundaries b WHERE b.membership_id = m.id AND b.edge = 'joined') AS joinBounded,
              EXISTS (SELECT 1 FROM membership_boundaries b WHERE b.membership_id = m.id AND b.edge = 'left') AS leftBounded
         FROM memberships m WHERE m.chat_id = ? AND m.user_id = ? ORDER BY m.first_seen_at, m.id`,
    );
    this.firstListing = db.prepare('SELECT min(first_seen_at) AS at FROM memberships WHERE chat_id = ?');
    // The first listing opens intervals too, but it is no change: only later joins and leaves count.
    this.lastChange = db.prepare(
      `SELECT max(coalesce(max(CASE WHEN m.first_seen_at > f.first THEN m.first_seen_at END), 0), coalesce(max(m.gone_at), 0)) AS at
         FROM memberships m, (SELECT min(first_seen_at) AS first FROM memberships WHERE chat_id = ?) f
        WHERE m.chat_id = ?`,
    );
    this.anyInterval = db.prepare('SELECT 1 AS one FROM memberships WHERE chat_id = ? LIMIT 1');
    this.boundary = db.prepare(
      `INSERT INTO membership_boundaries (membership_id, edge, at, message_id, subtype, noticed_at, noticed_run)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
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

  /** When a listing last noticed a join or leave in a chat, after its first listing (0: never). */
  lastChangeAt(chatId: string): number {
    return this.lastChange.get(chatId, chatId)?.at ?? 0;
  }

  /** Keys of the members with an open interval in a chat. */
  openKeys(chatId: string): string[] {
    return this.open.all(chatId).map((row) => row.member_key);
  }

  /**
   * Applies a complete member listing of one chat. `listedBefore` is when the chat's members were
   * last listed (null: never): a join recorded before then cannot be the start of a new interval.
   */
  apply(chatId: string, members: readonly MemberInput[], ctx: WriteContext, listedBefore: number | null = null): MembershipChange {
    const current = new Map(this.open.all(chatId).map((row) => [row.member_key, row]));
    // The chat's first listing with anyone in it: what membership_intervals calls first_archived.
    const firstListing = this.anyInterval.get(chatId) === undefined;
    const listed = new Set<string>();
    const change: MembershipChange = { firstArchived: 0, joined: 0, left: 0, unchanged: 0, fromInfoMessages: 0 };
    const opened: { id: number | bigint; userId: string | null }[] = [];
    for (const member of members) {
      const key = memberKey(member);
      if (key === null || listed.has(key)) continue;
      listed.add(key);
      const row = current.get(key);
      if (row === undefined) {
        const inserted = this.insert.run(chatId, key, member.userId, member.name, member.email, ctx.now, ctx.runId, ctx.now, ctx.runId);
        this.sealer.reseal('memberships', inserted.lastInsertRowid);
        opened.push({ id: inserted.lastInsertRowid, userId: member.userId });
        if (firstListing) change.firstArchived += 1;
        else change.joined += 1;
      } else {
        this.touch.run(ctx.now, ctx.runId, member.userId, member.name, member.email, row.id);
        this.sealer.reseal('memberships', row.id);
        change.unchanged += 1;
      }
    }
    const closed: OpenRow[] = [];
    for (const [key, row] of current) {
      if (!listed.has(key)) {
        this.close.run(ctx.now, ctx.runId, row.id);
        this.sealer.reseal('memberships', row.id);
        closed.push(row);
        change.left += 1;
      }
    }
    if (opened.length > 0 || closed.length > 0) change.fromInfoMessages = this.bound(chatId, opened, closed, listedBefore, ctx);
    return change;
  }

  /**
   * Gives the intervals just opened and closed the time of the info message recording them, when
   * there is one that fits: a join after the listing before (and after the member's latest leave),
   * a leave after the last listing that showed them (and after their latest join). Returns how many.
   */
  private bound(chatId: string, opened: { id: number | bigint; userId: string | null }[], closed: OpenRow[], listedBefore: number | null, ctx: WriteContext): number {
    const joinFloor = listedBefore ?? Number.MIN_SAFE_INTEGER;
    const since = Math.min(opened.length > 0 ? joinFloor : Number.MAX_SAFE_INTEGER, ...closed.map((row) => row.last_seen_at));
    const edges = latestEdges(this.infoMessages.iterate(chatId, since, ...membershipSubtypes));
    let bounded = 0;
    const record = (id: number | bigint, found: InfoEdge) => {
      const inserted = this.boundary.run(id, found.edge, found.at, found.messageId, found.subtype, ctx.now, ctx.runId);
      this.sealer.reseal('membership_boundaries', inserted.lastInsertRowid);
      bounded += 1;
    };
    for (const { id, userId } of opened) {
      const found = userId === null ? undefined : edges.get(userId);
      const joined = found?.joined;
      if (joined !== undefined && joined.at > joinFloor && joined.at >= (found?.left?.at ?? Number.MIN_SAFE_INTEGER)) record(id, joined);
    }
    for (const row of closed) {
      const found = row.user_id === null ? undefined : edges.get(row.user_id);
      const left = found?.left;
      if (left !== undefined && left.at > row.last_seen_at && left.at >= (found?.joined?.at ?? Number.MIN_SAFE_INTEGER)) record(row.id, left);
    }
    return bounded;
  }

  /**
   * Gives earlier intervals the time of info messages this run archived after the listing that
   * noticed their change (matchLateEdges says which fit). The boundary keeps when and by which run
   * the change was noticed. Returns how many were bounded.
   */
  boundLate(chatId: string, ctx: WriteContext): number {
    const edgesByUser = new Map<string, InfoEdge[]>();
    for (const message of this.infoOfRun.iterate(chatId, ctx.runId, ...membershipSubtypes)) {
      for (const found of infoEdges(message)) edgesByUser.set(found.userId, [...(edgesByUser.get(found.userId) ?? []), found]);
    }
    if (edgesByUser.size === 0) return 0;
    const firstListing = this.firstListing.get(chatId)?.at;
    if (firstListing === null || firstListing === undefined) return 0;
    let bounded = 0;
    for (const [userId, edges] of edgesByUser) {
      const intervals = this.memberIntervals.all(chatId, userId).map((row) => ({ ...row, joinBounded: row.joinBounded === 1, leftBounded: row.leftBounded === 1 }));
      for (const late of matchLateEdges(intervals, edges, firstListing, ctx.runId)) {
        const inserted = this.boundary.run(late.intervalId, late.found.edge, late.found.at, late.found.messageId, late.found.subtype, late.noticedAt, late.noticedRun);
        this.sealer.reseal('membership_boundaries', inserted.lastInsertRowid);
        bounded += 1;
      }
    }
    return bounded;
  }

  /** Closes every open interval of a chat that vanished from the server. */
  closeChat(chatId: string, ctx: WriteContext): number {
    const closed = this.closeAll.all(ctx.now, ctx.runId, chatId) as { id: number }[];
    for (const { id } of closed) this.sealer.reseal('memberships', id);
    return closed.length;
  }
}
