import type Database from 'better-sqlite3-multiple-ciphers';
import { VaultError } from '../../../../shared/errors';
import { digestAdd, digestHex, digestOf, digestSub, hashedColumns, rowHash } from './rowHash';
import { sealHash, type SealRow } from './sealHash';
import { rowKeyColumn, type SealedTable } from './sealedTables';

type SealKind = 'genesis' | 'sync' | 'audit' | 'restore';

interface Live {
  sum: bigint;
  count: number;
}

interface TableStatements {
  columns: string[];
  select: Database.Statement<[number | bigint], Record<string, unknown>>;
  update: Database.Statement;
}

/**
 * Keeps the seals: which seal is open, each sealed row's hash, and each seal's live digest.
 *
 * Repositories call `reseal(table, rowid)` after writing a sealed row (or `hashInsert` to write the
 * hash with the row). The change to the live digests is kept per transaction and written by
 * `flush()` just before commit (Archive.transaction does it), so digests and rows always commit
 * together — a crash leaves them consistent, and the next run can close the interrupted seal.
 */
export class Sealer {
  private current: number | undefined;
  private pending = new Map<string, Live>();
  private readonly tables = new Map<string, TableStatements>();
  private readonly liveUpsert: Database.Statement;
  private readonly liveGet: Database.Statement<[number, string], { digest: string; row_count: number }>;

  constructor(private readonly db: Database.Database) {
    this.liveUpsert = db.prepare(
      `INSERT INTO seal_live (seal_id, table_name, digest, row_count) VALUES (?, ?, ?, ?)
       ON CONFLICT(seal_id, table_name) DO UPDATE SET digest = excluded.digest, row_count = excluded.row_count`,
    );
    this.liveGet = db.prepare('SELECT digest, row_count FROM seal_live WHERE seal_id = ? AND table_name = ?');
  }

  /** The open seal new writes belong to. */
  get openSeal(): number | undefined {
    return this.current;
  }

  /** Opens a seal (inside a transaction). Writes to sealed tables need one. */
  open(kind: SealKind, runId: number | null, now: number): number {
    this.requireTransaction();
    const id = Number(this.db.prepare('INSERT INTO seals (kind, run_id, opened_at) VALUES (?, ?, ?)').run(kind, runId, now).lastInsertRowid);
    this.current = id;
    return id;
  }

  /**
   * Closes a seal (inside a transaction): its state is the digest of every sealed row of the
   * archive now, read from seal_live (other processes may have sealed rows too — an export while a
   * sync runs); its hash chains the seal closed before it. The chain follows the order seals close.
   */
  close(sealId: number, now: number): string {
    this.requireTransaction();
    this.flush();
    let total = 0n;
    let count = 0;
    const counts: Record<string, number> = {};
    for (const row of this.db.prepare<[], { table_name: string; digest: string; row_count: number }>('SELECT table_name, digest, row_count FROM seal_live ORDER BY table_name').all()) {
      total = BigInt.asUintN(256, total + digestOf(row.digest));
      count += row.row_count;
      counts[row.table_name] = (counts[row.table_name] ?? 0) + row.row_count;
    }
    const previous = this.db.prepare<[], { hash: string; chain_pos: number }>('SELECT hash, chain_pos FROM seals WHERE chain_pos IS NOT NULL ORDER BY chain_pos DESC LIMIT 1').get();
    const seal = this.db.prepare<[number], SealRow>('SELECT * FROM seals WHERE id = ?').get(sealId);
    if (!seal) throw new VaultError('INTERNAL', `Seal ${sealId} does not exist.`);
    const closed: SealRow = {
      ...seal,
      closed_at: now,
      chain_pos: (previous?.chain_pos ?? 0) + 1,
      prev_hash: previous?.hash ?? null,
      state_digest: digestHex(total),
      state_count: count,
      counts_json: JSON.stringify(counts),
    };
    closed.hash = sealHash(this.db, closed);
    this.db
      .prepare('UPDATE seals SET closed_at = ?, chain_pos = ?, prev_hash = ?, state_digest = ?, state_count = ?, counts_json = ?, hash = ? WHERE id = ?')
      .run(closed.closed_at, closed.chain_pos, closed.prev_hash, closed.state_digest, closed.state_count, closed.counts_json, closed.hash, sealId);
    if (this.current === sealId) this.current = undefined;
    return closed.hash;
  }

  /** Closes seals left open by a process that died (call under the writer lease, in a transaction). */
  closeInterrupted(now: number): number[] {
    const open = this.db.prepare<[], { id: number }>('SELECT id FROM seals WHERE closed_at IS NULL ORDER BY id').all();
    for (const { id } of open) this.close(id, now);
    return open.map((s) => s.id);
  }

  /** Re-hashes a row after a write and moves it to the open seal (a message by its key, any other row by rowid). Inside a transaction. */
  reseal(table: SealedTable, rowid: number | bigint): void {
    const sealId = this.requireSeal();
    const t = this.statements(table);
    const row = t.select.get(rowid);
    if (!row) throw new VaultError('INTERNAL', `reseal: no ${table} row with rowid ${String(rowid)}.`);
    const hash = rowHash(table, t.columns, row);
    const oldHash = row.row_hash as string | null;
    const oldSeal = row.seal_id as number | null;
    if (oldHash === hash && oldSeal === sealId) return;
    t.update.run(hash, sealId, rowid);
    this.track(table, oldHash, oldSeal, hash, sealId);
  }

  /**
   * Takes a sealed row out of its seal's digest, just before the caller deletes it (inside a
   * transaction). Only retention deletes evidence, and only with a sealed purge record written in
   * the same transaction: the record is what accounts for the row, so `verify` still balances and
   * the seal that closes the purge chains the archive's state without it. Returns the row's hash.
   */
  removing(table: SealedTable, rowid: number | bigint): string | null {
    this.requireTransaction();
    const row = this.statements(table).select.get(rowid);
    if (!row) throw new VaultError('INTERNAL', `removing: no ${table} row with rowid ${String(rowid)}.`);
    const oldHash = row.row_hash as string | null;
    const oldSeal = row.seal_id as number | null;
    if (oldHash !== null && oldSeal !== null) this.adjust(`${oldSeal}:${table}`, (d) => digestSub(d, oldHash), -1);
    return oldHash;
  }

  /**
   * The row hash and seal for a row about to be inserted with every column known (the fast path
   * for messages: no read-back). `record` must hold every hashed column of the table. Nothing is
   * counted until `inserted` is called with the result, once the row is in.
   */
  hashNew(table: SealedTable, record: Readonly<Record<string, unknown>>): { table: SealedTable; rowHash: string; sealId: number } {
    const sealId = this.requireSeal();
    return { table, rowHash: rowHash(table, this.statements(table).columns, record), sealId };
  }

  /**
   * `hashNew` for a hash already computed from the same record by the same function on another
   * thread (archive/messageRecord.ts `presealFor`). Nothing is taken on trust: verify recomputes
   * every row's hash from its stored values.
   */
  hashedElsewhere(table: SealedTable, rowHash: string): { table: SealedTable; rowHash: string; sealId: number } {
    return { table, rowHash, sealId: this.requireSeal() };
  }

  /** Counts a row inserted with the hash `hashNew` gave it into its seal's digest. */
  inserted(hashed: { table: SealedTable; rowHash: string; sealId: number }): void {
    this.track(hashed.table, null, null, hashed.rowHash, hashed.sealId);
  }

  /** The hashed columns of a sealed table (for callers building whole records). */
  columnsOf(table: SealedTable): readonly string[] {
    return this.statements(table).columns;
  }

  /**
   * Writes this transaction's digest changes (Archive.transaction calls it before commit). Each
   * touched (seal, table) digest is read and rewritten inside the transaction, so concurrent
   * writers of other seals never overwrite each other's figures.
   */
  flush(): void {
    for (const [key, delta] of this.pending) {
      const [sealId, table] = [Number(key.slice(0, key.indexOf(':'))), key.slice(key.indexOf(':') + 1)];
      const before = this.liveGet.get(sealId, table);
      const sum = BigInt.asUintN(256, (before ? digestOf(before.digest) : 0n) + delta.sum);
      this.liveUpsert.run(sealId, table, digestHex(sum), (before?.row_count ?? 0) + delta.count);
    }
    this.pending.clear();
  }

  /** After commit or rollback: nothing of the transaction is pending any more. */
  committed(): void {
    this.pending.clear();
  }

  rolledBack(): void {
    this.pending.clear();
  }

  private track(table: string, oldHash: string | null, oldSeal: number | null, newHash: string, sealId: number): void {
    if (oldHash !== null && oldSeal !== null) this.adjust(`${oldSeal}:${table}`, (d) => digestSub(d, oldHash), -1);
    this.adjust(`${sealId}:${table}`, (d) => digestAdd(d, newHash), 1);
  }

  private adjust(key: string, change: (d: bigint) => bigint, count: number): void {
    const entry = this.pending.get(key) ?? { sum: 0n, count: 0 };
    entry.sum = change(entry.sum);
    entry.count += count;
    this.pending.set(key, entry);
  }

  private statements(table: SealedTable): TableStatements {
    let t = this.tables.get(table);
    if (!t) {
      const columns = hashedColumns(this.db, table);
      t = {
        columns,
        select: this.db.prepare(`SELECT ${columns.map((c) => `"${c}"`).join(', ')}, row_hash, seal_id FROM ${table} WHERE ${rowKeyColumn(table)} = ?`),
        update: this.db.prepare(`UPDATE ${table} SET row_hash = ?, seal_id = ? WHERE ${rowKeyColumn(table)} = ?`),
      };
      this.tables.set(table, t);
    }
    return t;
  }

  private requireSeal(): number {
    this.requireTransaction();
    if (this.current === undefined) {
      throw new VaultError('INTERNAL', 'A sealed table was written with no seal open (every write belongs to a sync run, an export or a restore).');
    }
    return this.current;
  }

  private requireTransaction(): void {
    if (!this.db.inTransaction) throw new VaultError('INTERNAL', 'Sealed writes must happen inside a transaction.');
  }
}
