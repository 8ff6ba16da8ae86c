import type Database from 'better-sqlite3-multiple-ciphers';
import type { WriteContext } from './entityStore';
import type { Sealer } from './sealing/sealer';
import type { SealedTable } from './sealing/sealedTables';

/** The interval tables of migration 0064: facts that hold from first_seen_at until gone_at. */
export type IntervalTableName = Extract<SealedTable, 'reactions' | 'sticky_messages' | 'channel_member_roles' | 'channel_permissions'>;

export interface IntervalSpec {
  table: IntervalTableName;
  /** Columns naming what one complete listing covers (a message, a conversation, a channel). */
  scope: readonly string[];
  /** Columns that, within the scope, tell one fact from another. */
  identity: readonly string[];
  /** Further columns written when a fact is first seen, never updated after. */
  details: readonly string[];
  /** Whether closing records why (sticky_messages.ended_by: 'replaced' or 'unpinned'). */
  endedBy?: true;
}

export interface IntervalChange {
  opened: number;
  closed: number;
  kept: number;
}

type Fact = Readonly<Record<string, unknown>>;

/**
 * A sealed table of intervals applied from complete listings: a fact listed and not open opens a
 * row; an open row whose fact the listing lacks is closed (gone_at/run); the rest are left as they
 * are — no last_seen column, so an unchanged listing rewrites nothing and re-hashes nothing. Rows
 * are never deleted. Runs inside the caller's transaction.
 */
export class IntervalTable {
  private readonly open: Database.Statement<unknown[], Record<string, unknown> & { id: number }>;
  private readonly insert: Database.Statement;
  private readonly close: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly sealer: Sealer,
    private readonly spec: IntervalSpec,
  ) {
    const { table, scope, identity, details } = spec;
    const where = scope.map((c) => `${c} = ?`).join(' AND ');
    this.open = db.prepare(`SELECT id, ${identity.join(', ')} FROM ${table} WHERE ${where} AND gone_at IS NULL`);
    const columns = [...scope, ...identity, ...details, 'first_seen_at', 'first_seen_run'];
    this.insert = db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
    this.close = db.prepare(`UPDATE ${table} SET gone_at = ?, gone_run = ?${spec.endedBy ? ', ended_by = ?' : ''} WHERE id = ?`);
  }

  /** The identity of a fact or a stored row, as one comparable string. */
  private key(fact: Fact): string {
    return JSON.stringify(this.spec.identity.map((c) => fact[c] ?? null));
  }

  /** Applies one complete listing of a scope (its values in `spec.scope` order). */
  apply(scope: readonly unknown[], facts: readonly Fact[], ctx: WriteContext): IntervalChange {
    const open = new Map(this.open.all(...scope).map((row) => [this.key(row), row.id]));
    const listed = new Set<string>();
    const change: IntervalChange = { opened: 0, closed: 0, kept: 0 };
    for (const fact of facts) {
      const key = this.key(fact);
      if (listed.has(key)) continue;
      listed.add(key);
      if (open.has(key)) {
        change.kept += 1;
        continue;
      }
      const values = [...scope, ...this.spec.identity.map((c) => fact[c] ?? null), ...this.spec.details.map((c) => fact[c] ?? null), ctx.now, ctx.runId];
      this.sealer.reseal(this.spec.table, this.insert.run(...values).lastInsertRowid);
      change.opened += 1;
    }
    for (const [key, id] of open) {
      if (listed.has(key)) continue;
      if (this.spec.endedBy) this.close.run(ctx.now, ctx.runId, change.opened > 0 ? 'replaced' : 'unpinned', id);
      else this.close.run(ctx.now, ctx.runId, id);
      this.sealer.reseal(this.spec.table, id);
      change.closed += 1;
    }
    return change;
  }

  /**
   * Ends every open fact of a scope whose subject is itself gone (a conversation no longer on
   * Cliq). No listing said how the facts ended, so `ended_by` (where kept) stays null.
   */
  closeScope(scope: readonly unknown[], ctx: WriteContext): number {
    let closed = 0;
    for (const row of this.open.all(...scope)) {
      if (this.spec.endedBy) this.close.run(ctx.now, ctx.runId, null, row.id);
      else this.close.run(ctx.now, ctx.runId, row.id);
      this.sealer.reseal(this.spec.table, row.id);
      closed += 1;
    }
    return closed;
  }
}
