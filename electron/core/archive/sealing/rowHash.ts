import type Database from 'better-sqlite3-multiple-ciphers';
import { sha256Hex } from '../../util/sha256';

/**
 * The hash of one stored row, as an auditor can recompute it: SHA-256 (hex) of the UTF-8 text
 * `<table>\n<JSON>`, where JSON is an object of every column except row_hash and seal_id, keys in
 * code-point order, values as stored (integers as numbers, text as strings, NULL as null).
 */
export function rowHash(table: string, columns: readonly string[], row: Readonly<Record<string, unknown>>): string {
  return rowHasher(table, columns)(row);
}

const hashers = new Map<string, (row: Readonly<Record<string, unknown>>) => string>();

/**
 * A row hasher for one table and column list. It writes the canonical text directly — the same
 * bytes JSON.stringify gives for an object with these keys in this order — without building the
 * object first: hashing is on the path of every stored message.
 */
export function rowHasher(table: string, columns: readonly string[]): (row: Readonly<Record<string, unknown>>) => string {
  const cacheKey = `${table}\n${columns.join(',')}`;
  let hasher = hashers.get(cacheKey);
  if (!hasher) {
    const names = columns.map((c, i) => `${i === 0 ? '{' : ','}${JSON.stringify(c)}:`);
    const head = `${table}\n`;
    hasher = (row) => {
      let text = head;
      for (let i = 0; i < columns.length; i += 1) text += (names[i] ?? '') + JSON.stringify(row[columns[i] ?? ''] ?? null);
      return sha256Hex(columns.length === 0 ? `${text}{}` : `${text}}`);
    };
    hashers.set(cacheKey, hasher);
  }
  return hasher;
}

/** The hashed columns of a table, in code-point order (everything but row_hash and seal_id). */
export function hashedColumns(db: Database.Database, table: string): string[] {
  return (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[])
    .map((c) => c.name)
    .filter((name) => name !== 'row_hash' && name !== 'seal_id')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * A digest of a multiset of row hashes: their sum modulo 2^256. Adding or removing a row changes it
 * by that row's hash, so it can be kept up to date one row at a time, in any order.
 */
export function digestAdd(digest: bigint, hash: string): bigint {
  return BigInt.asUintN(256, digest + BigInt(`0x${hash}`));
}

export function digestSub(digest: bigint, hash: string): bigint {
  return BigInt.asUintN(256, digest - BigInt(`0x${hash}`));
}

export function digestHex(digest: bigint): string {
  return digest.toString(16).padStart(64, '0');
}

export function digestOf(hex: string): bigint {
  return BigInt(`0x${hex}`);
}
