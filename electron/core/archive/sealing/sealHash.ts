import type Database from 'better-sqlite3-multiple-ciphers';
import { canonicalJson } from '../../util/json';
import { sha256Hex } from '../../util/sha256';

export interface SealRow {
  id: number;
  kind: string;
  run_id: number | null;
  opened_at: number;
  closed_at: number | null;
  /** Position in the chain: seals chain in the order they close. */
  chain_pos: number | null;
  prev_hash: string | null;
  state_digest: string | null;
  state_count: number | null;
  counts_json: string | null;
  hash: string | null;
}

/**
 * A closed seal's hash: SHA-256 of the canonical JSON of its fields, the summary of its sync run
 * (status, times, counts, calls, errors — so a run record edited afterwards breaks the chain) and
 * the previous seal's hash (the chain).
 */
export function sealHash(db: Database.Database, seal: SealRow): string {
  const run =
    seal.run_id === null
      ? null
      : (db.prepare(`SELECT id, started_at, ended_at, status, tool_version, counts_json, calls_json, rate_limited_json, errors_json FROM sync_runs WHERE id = ?`).get(seal.run_id) ?? 'missing');
  const payload = {
    id: seal.id,
    kind: seal.kind,
    run_id: seal.run_id,
    opened_at: seal.opened_at,
    closed_at: seal.closed_at,
    chain_pos: seal.chain_pos,
    prev_hash: seal.prev_hash,
    state_digest: seal.state_digest,
    state_count: seal.state_count,
    counts: seal.counts_json === null ? null : (JSON.parse(seal.counts_json) as unknown),
    run,
  };
  return sha256Hex(canonicalJson(payload));
}
