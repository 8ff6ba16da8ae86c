import type Database from 'better-sqlite3-multiple-ciphers';
import { testPausePoint } from '../../util/testPause';
import { digestAdd, digestHex, hashedColumns, rowHash } from './rowHash';
import { sealHash, type SealRow } from './sealHash';
import { keyColumns, laterSealedTables, sealedTables, type SealedTable } from './sealedTables';
import type { Problem, VerifyReport } from '../../../../shared/archive';
export type { FileFinding, FileFindingCode, FilesCheck, ProblemKind, Problem, VerifyReport } from '../../../../shared/archive';

const maxReportedRows = 1_000;

/**
 * Recomputes every seal of the archive from its rows (read-only): each sealed row's hash, each
 * seal's live digest, the chain of closed seals, and the state recorded by the newest seal.
 *
 * What this proves: any row changed, added or removed outside Cliq Vault since it was sealed — by
 * a person with the file and an SQLite tool, a broken disk, a buggy program — is detected, and
 * attributed to the seal (sync run) that last wrote it. What it does not prove: someone who
 * understands the scheme can recompute every hash and the whole chain (there is no secret key);
 * only a seal hash recorded elsewhere — an audit bundle's manifest, a log — exposes that. It is
 * tamper-evident, not write-once storage.
 */
export function verifyArchive(db: Database.Database): VerifyReport {
  const problems: Problem[] = [];
  const seals = db.prepare<[], SealRow>('SELECT * FROM seals ORDER BY chain_pos IS NULL, chain_pos, id').all();
  const sealById = new Map(seals.map((s) => [s.id, s]));

  // A test holds a verify here to show that other operations are answered meanwhile.
  testPausePoint('verify:rows');

  // 1. The chain of closed seals, in the order they closed.
  let previous: SealRow | undefined;
  for (const seal of seals) {
    if (seal.closed_at === null) continue;
    if (seal.prev_hash !== (previous?.hash ?? null)) {
      problems.push({ kind: 'chain_broken', sealId: seal.id, runId: seal.run_id, detail: `Seal ${seal.id} does not link to the seal before it.` });
    }
    if (seal.hash !== sealHash(db, seal)) {
      problems.push({ kind: 'chain_broken', sealId: seal.id, runId: seal.run_id, detail: `Seal ${seal.id} (or the record of its sync run) was changed after it was closed.` });
    }
    previous = seal;
  }

  // 2. Every sealed row, and the sum of the rows of each seal.
  const sums = new Map<string, { sum: bigint; count: number }>();
  let rowsChecked = 0;
  let reportedRows = 0;
  const tables: SealedTable[] = [...sealedTables];
  for (const table of laterSealedTables) if (db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(table)) tables.push(table);
  for (const table of tables) {
    const columns = hashedColumns(db, table);
    const select = db.prepare(`SELECT ${columns.map((c) => `"${c}"`).join(', ')}, row_hash, seal_id FROM ${table}`);
    for (const row of select.iterate() as IterableIterator<Record<string, unknown>>) {
      rowsChecked += 1;
      const hash = rowHash(table, columns, row);
      const sealId = row.seal_id as number | null;
      const seal = sealId === null ? undefined : sealById.get(sealId);
      if (seal === undefined) {
        if (reportedRows++ < maxReportedRows) {
          problems.push({ kind: 'unsealed_row', table, key: keyOf(table, row), sealId, detail: `A ${table} row belongs to no seal: added outside Cliq Vault.` });
        }
      } else if (hash !== row.row_hash) {
        if (reportedRows++ < maxReportedRows) {
          problems.push({ kind: 'row_changed', table, key: keyOf(table, row), sealId, runId: seal.run_id, detail: `A ${table} row was changed after seal ${seal.id} wrote it.` });
        }
      }
      const key = `${sealId ?? 'none'}:${table}`;
      const entry = sums.get(key) ?? { sum: 0n, count: 0 };
      // A row_hash that is not a hash at all (changed bytes) is reported above; sum what the row is.
      const stored = typeof row.row_hash === 'string' && /^[0-9a-f]{64}$/.test(row.row_hash) ? row.row_hash : null;
      entry.sum = digestAdd(entry.sum, stored ?? hash);
      entry.count += 1;
      sums.set(key, entry);
    }
  }

  // 3. The live digest of each seal: what it wrote and still owns.
  const recorded = db.prepare<[], { seal_id: number; table_name: string; digest: string; row_count: number }>('SELECT seal_id, table_name, digest, row_count FROM seal_live').all();
  const keys = new Set([...sums.keys(), ...recorded.filter((r) => r.row_count !== 0).map((r) => `${r.seal_id}:${r.table_name}`)]);
  const recordedByKey = new Map(recorded.map((r) => [`${r.seal_id}:${r.table_name}`, r]));
  for (const key of keys) {
    if (key.startsWith('none:')) continue;
    const actual = sums.get(key) ?? { sum: 0n, count: 0 };
    const expected = recordedByKey.get(key);
    const [sealId, table] = [Number(key.slice(0, key.indexOf(':'))), key.slice(key.indexOf(':') + 1)];
    if (!expected || expected.digest !== digestHex(actual.sum) || expected.row_count !== actual.count) {
      const difference = actual.count - (expected?.row_count ?? 0);
      problems.push({
        kind: 'rows_added_or_removed',
        table,
        sealId,
        runId: sealById.get(sealId)?.run_id ?? null,
        detail:
          difference === 0
            ? `The ${table} rows of seal ${sealId} are not the rows it recorded (the same number, different content).`
            : `Seal ${sealId} recorded ${expected?.row_count ?? 0} ${table} rows; ${actual.count} are there (${difference > 0 ? `${difference} added` : `${-difference} removed`} outside Cliq Vault).`,
      });
    }
  }

  // 4. With no seal open, the archive must be exactly what the newest seal recorded.
  const openSeals = seals.filter((s) => s.closed_at === null).map((s) => s.id);
  const head = [...seals].reverse().find((s) => s.chain_pos !== null);
  if (head && openSeals.length === 0) {
    let total = 0n;
    let count = 0;
    for (const [key, value] of recordedByKey) {
      if (key.startsWith('none:')) continue;
      total = BigInt.asUintN(256, total + BigInt(`0x${value.digest}`));
      count += value.row_count;
    }
    if (digestHex(total) !== head.state_digest || count !== head.state_count) {
      problems.push({ kind: 'state_mismatch', sealId: head.id, runId: head.run_id, detail: `The seal digests no longer add up to the state seal ${head.id} recorded: they were edited.` });
    }
  }

  const firstBadId = problems.reduce<number | undefined>((min, p) => (typeof p.sealId === 'number' && (min === undefined || p.sealId < min) ? p.sealId : min), undefined);
  const firstSeal = firstBadId === undefined ? undefined : sealById.get(firstBadId);
  return {
    ok: problems.length === 0,
    head: head?.hash ?? null,
    seals: seals.length,
    openSeals,
    rowsChecked,
    problems,
    firstBad: firstSeal ? { sealId: firstSeal.id, runId: firstSeal.run_id, kind: firstSeal.kind, openedAt: firstSeal.opened_at } : null,
    // The file store is checked by verifyArchiveWithFiles (electron/core/files), which needs the archive's path.
    files: null,
  };
}

function keyOf(table: SealedTable, row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(keyColumns[table].map((c) => [c, row[c]]));
}
