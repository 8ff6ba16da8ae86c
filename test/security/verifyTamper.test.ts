import Database from 'better-sqlite3-multiple-ciphers';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchiveDb } from '../../electron/core/archive/connection';
import { laterSealedTables, sealedTables } from '../../electron/core/archive/sealing/sealedTables';
import { verifyArchive } from '../../electron/core/archive/sealing/verify';
import { createAuditBundle } from '../../electron/core/audit/bundle';
import { syncArchive } from '../../electron/core/createCore';
import { connectionTo, useSimulators } from '../helpers/sim';
import { useTempDir } from '../helpers/tempDir';

/**
 * Tamper evidence against the smallest possible change: one byte of one stored value, in any
 * column (row_hash and seal_id included) of any sealed table that has rows, chosen by a seeded
 * PRNG. test/integration/sync/verify.test.ts changes one *character* of chosen text columns; here
 * the change is to the bytes SQLite stores for the value — a TEXT's UTF-8 (which may become invalid
 * UTF-8), an INTEGER's big-endian two's complement in the width SQLite stores it (1, 2, 3, 4, 6 or 8
 * bytes), a REAL's IEEE 754 bytes, a BLOB's bytes — written back with the same storage class.
 * Every one of 100 must be detected by `verify`.
 */

/** mulberry32: a small seeded PRNG, so a failure names a reproducible tampering. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Stored = { type: 'text' | 'blob'; bytes: Buffer } | { type: 'integer'; value: bigint } | { type: 'real'; value: number };

/** SQLite's record width of an integer (serial types 1–6; 0 and 1 live in the header, counted as one byte). */
function intWidth(v: bigint): number {
  for (const bytes of [1, 2, 3, 4, 6]) {
    const limit = 1n << BigInt(bytes * 8 - 1);
    if (v >= -limit && v < limit) return bytes;
  }
  return 8;
}

/** The value with byte `at` (of its stored bytes) XOR-ed with `mask` (1–255). */
function flip(stored: Stored, at: number, mask: number): { sqlValue: unknown; cast: string; where: string } {
  switch (stored.type) {
    case 'text':
    case 'blob': {
      const bytes = Buffer.from(stored.bytes);
      const i = at % bytes.length;
      bytes[i] = (bytes[i] ?? 0) ^ mask;
      return { sqlValue: bytes, cast: stored.type === 'text' ? 'CAST(? AS TEXT)' : '?', where: `byte ${i} of ${bytes.length}` };
    }
    case 'integer': {
      const width = intWidth(stored.value);
      const buf = Buffer.alloc(8);
      buf.writeBigInt64BE(stored.value);
      const i = 8 - width + (at % width);
      buf[i] = (buf[i] ?? 0) ^ mask;
      // Sign-extend from the stored width, as SQLite reads it back.
      const raw = buf.readBigInt64BE();
      const value = BigInt.asIntN(width * 8, raw);
      return { sqlValue: value, cast: '?', where: `byte ${i - (8 - width)} of ${width}` };
    }
    case 'real': {
      const buf = Buffer.alloc(8);
      buf.writeDoubleBE(stored.value);
      const i = at % 8;
      buf[i] = (buf[i] ?? 0) ^ mask;
      return { sqlValue: buf.readDoubleBE(), cast: '?', where: `byte ${i} of 8` };
    }
  }
}

describe('verify detects single-byte tampering', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('100 of 100 random single-byte changes to stored values, across every sealed table and column', async () => {
    // An archive with rows in as many sealed tables as a real one: two syncs with edits, deletions,
    // membership changes and removed chats between them, then an audit export (audit_log).
    const sim = await simulator({ seed: 6, scale: 'tiny', clock: 'manual' });
    const dir = tempDir();
    const path = join(dir, 'a.sqlite');
    await syncArchive(path, connectionTo(sim));
    sim.advance(60_000);
    sim.mutate({ seed: 1, editMessages: 3, deleteMessages: 2, newMessages: 3, membersLeave: 1, membersJoin: 1, removeChats: 1, newChats: 1, clearChats: 1 });
    await syncArchive(path, connectionTo(sim));
    await createAuditBundle({ archivePath: path, outDir: join(dir, 'bundle'), scope: {} });
    // Everything into the main file: the copies below are of that file alone.
    const writer = new Database(path);
    writer.pragma('wal_checkpoint(TRUNCATE)');
    writer.close();

    const db = new Database(path, { readonly: true });
    db.defaultSafeIntegers(true);
    const tables = [...sealedTables, ...laterSealedTables];
    // Every (table, column) with at least one non-empty stored value, and the rowids that have one.
    const targets: { table: string; column: string; rowids: bigint[] }[] = [];
    for (const table of tables) {
      const columns = (db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map((c) => c.name);
      for (const column of columns) {
        const rowids = db.prepare(`SELECT rowid FROM ${table} WHERE "${column}" IS NOT NULL AND length(CAST("${column}" AS BLOB)) > 0`).pluck().all() as bigint[];
        if (rowids.length > 0) targets.push({ table, column, rowids });
      }
    }
    const tablesWithRows = new Set(targets.map((t) => t.table));
    db.close();
    // Every evidentiary table this archive has rows in is a target (at least the core ones).
    for (const table of ['chats', 'channels', 'threads', 'users', 'memberships', 'messages', 'message_versions', 'audit_log']) expect(tablesWithRows).toContain(table);

    const random = prng(20_261_124);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const missed: string[] = [];
    const touched = new Set<string>();
    let done = 0;
    for (let attempt = 0; done < 100 && attempt < 1_000; attempt += 1) {
      const target = pick(targets);
      const rowid = pick(target.rowids);
      const copy = join(tempDir(), `t${attempt}.sqlite`);
      copyFileSync(path, copy);
      const tdb = new Database(copy);
      tdb.defaultSafeIntegers(true);
      const found = tdb.prepare(`SELECT typeof("${target.column}") AS type, CAST("${target.column}" AS BLOB) AS blob, "${target.column}" AS value FROM ${target.table} WHERE rowid = ?`).get(rowid) as
        { type: string; blob: Buffer; value: unknown } | undefined;
      if (!found) throw new Error(`no row ${String(rowid)} in ${target.table}.${target.column}`);
      const { type, blob, value } = found;
      const stored: Stored = type === 'integer' ? { type, value: value as bigint } : type === 'real' ? { type, value: value as number } : { type: type === 'blob' ? 'blob' : 'text', bytes: blob };
      const change = flip(stored, Math.floor(random() * 1_000_000), 1 + Math.floor(random() * 255));
      try {
        tdb.prepare(`UPDATE ${target.table} SET "${target.column}" = ${change.cast} WHERE rowid = ?`).run(change.sqlValue, rowid);
      } catch (error) {
        // A constraint (UNIQUE, CHECK) refused this change: not a tampering that can exist; draw another.
        tdb.close();
        expect(String(error)).toMatch(/constraint/i);
        continue;
      }
      tdb.close();
      done += 1;
      touched.add(`${target.table}.${target.column}`);
      const rdb = openArchiveDb(copy, { readonly: true });
      try {
        if (verifyArchive(rdb).ok) missed.push(`${target.table}.${target.column} rowid ${rowid} ${type} ${change.where}`);
      } finally {
        rdb.close();
      }
    }
    expect(done).toBe(100);
    expect(missed).toEqual([]);
    // The draws spread over the archive: many columns of many tables.
    expect(touched.size).toBeGreaterThan(40);
  });
});
