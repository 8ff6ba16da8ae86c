import type Database from 'better-sqlite3-multiple-ciphers';
import Papa from 'papaparse';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { VaultError } from '../../../shared/errors';
import type { AuditFile } from '../../../shared/audit';
import type { InclusionFinding, InclusionReport } from '../../../shared/archive';
import { sealHash, type SealRow } from '../archive/sealing/sealHash';

interface Checked {
  dataset: string;
  table: string;
  /** The bundled columns that find the row again. */
  key: readonly string[];
  /** The row's current row_hash, seal, run and (messages) version, by the key's values in order. */
  lookup?: string;
  /** Rows of a message (key starts chat_id, message_id): a retention purge may have removed them. */
  ofMessage?: boolean;
}

/** The bundled datasets whose rows carry a row_hash and a key the archive table still answers to. */
const checkedDatasets: readonly Checked[] = [
  { dataset: 'chats', table: 'chats', key: ['chat_id'] },
  { dataset: 'channels', table: 'channels', key: ['channel_id'] },
  { dataset: 'threads', table: 'threads', key: ['thread_chat_id'] },
  { dataset: 'users', table: 'users', key: ['user_id'] },
  { dataset: 'messages', table: 'messages', key: ['chat_id', 'message_id'], ofMessage: true },
  // Earlier versions and earlier states never change once written: a different hash is an alteration.
  {
    dataset: 'message-versions',
    table: 'message_versions',
    key: ['chat_id', 'message_id', 'version'],
    lookup: `SELECT v.row_hash, v.seal_id, s.run_id, NULL AS version FROM message_versions v JOIN messages m ON m.id = v.message_rowid
      LEFT JOIN seals s ON s.id = v.seal_id WHERE m.chat_id = ? AND m.message_id = ? AND v.version = ?`,
    ofMessage: true,
  },
  {
    dataset: 'metadata-history',
    table: 'entity_history',
    // seen_at: epoch ms in JSONL; CSV has it as seen_at_utc_ms (read as such below).
    key: ['kind', 'entity_key', 'seen_at'],
    lookup: `SELECT h.row_hash, h.seal_id, s.run_id, NULL AS version FROM entity_history h LEFT JOIN seals s ON s.id = h.seal_id
      WHERE h.kind = ? AND h.entity_key = ? AND h.seen_at = ? ORDER BY h.row_hash = ? DESC LIMIT 1`,
  },
];

const maxListed = 100;

interface Manifest {
  archive?: { id?: string | null; integrityHead?: { sealId?: number; hash?: string } | null };
  files?: AuditFile[];
}

/**
 * Proves (or refutes) that a bundle belongs to this archive: the seal its manifest recorded at
 * export is a seal of this archive with the same hash, and the chain from it to today's head still
 * verifies link by link (each later seal re-hashed, each prev_hash the one before); then every
 * bundled row's hash is looked up by its key — still the same (matched), purged since by a
 * retention run (named, with its policy), changed later by a sync (the seal and run that did), or
 * absent with no record of why (missing). Included means linked and nothing missing. It checks
 * the bundle against the archive, not the bundle against itself: `verify --bundle` does that.
 */
export async function sealInclusion(db: Database.Database, bundlePath: string): Promise<InclusionReport> {
  const manifest = readManifest(bundlePath);
  const archiveId = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'archive.id'").get()?.value ?? null;
  const bundleArchiveId = manifest.archive?.id ?? null;
  const head = manifest.archive?.integrityHead ?? null;
  const report: InclusionReport = {
    included: false,
    bundlePath,
    archiveId,
    bundleArchiveId,
    seal: { id: head?.sealId ?? null, hash: head?.hash ?? null, linked: false, detail: '' },
    rows: { matched: 0, purged: 0, changed: 0, missing: 0 },
    purged: [],
    changed: [],
    missing: [],
    problems: [],
  };
  if (bundleArchiveId !== archiveId) {
    report.seal.detail = 'The bundle was exported from another archive.';
    report.problems.push(
      `This bundle was exported from another archive (archive id ${bundleArchiveId ?? 'unknown'}); this archive's id is ${archiveId ?? 'unknown'}: its seals and rows are not this archive's.`,
    );
    return report;
  }
  report.seal = { ...report.seal, ...linkSeal(db, head) };
  if (!report.seal.linked) report.problems.push(report.seal.detail);
  await checkRows(db, bundlePath, manifest, report);
  if (report.rows.missing > 0) report.problems.push(`${report.rows.missing} bundled row(s) are not in this archive and no retention run purged them.`);
  report.included = report.problems.length === 0;
  return report;
}

function readManifest(bundlePath: string): Manifest {
  const path = join(bundlePath, 'manifest.json');
  if (!existsSync(path)) {
    throw new VaultError('BUNDLE_INVALID', `${bundlePath} is not an audit bundle (no manifest.json).`, {
      hint: 'Point --bundle at the folder `cliq-vault audit` created.',
      ui: { message: `${bundlePath} is not an audit bundle (no manifest.json).`, hint: 'Choose the folder an audit export created.' },
    });
  }
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch (error) {
    throw new VaultError('BUNDLE_INVALID', 'manifest.json is not valid JSON: the bundle was altered or damaged.', { cause: error });
  }
}

/** The recorded seal exists here with the same hash, and every seal after it still links and re-hashes. */
function linkSeal(db: Database.Database, head: NonNullable<Manifest['archive']>['integrityHead']): { linked: boolean; detail: string } {
  if (!head || typeof head.sealId !== 'number' || typeof head.hash !== 'string')
    return { linked: false, detail: 'The bundle records no seal of the archive (it was exported before anything was sealed).' };
  const seal = db.prepare<[number], SealRow>('SELECT * FROM seals WHERE id = ?').get(head.sealId);
  if (seal?.chain_pos === null || seal === undefined) return { linked: false, detail: `This archive has no closed seal ${head.sealId}.` };
  if (seal.hash !== head.hash)
    return { linked: false, detail: `Seal ${head.sealId} of this archive has hash ${seal.hash ?? 'none'}; the bundle recorded ${head.hash}: the bundle's manifest or the archive was altered.` };
  const later = db.prepare<[number], SealRow>('SELECT * FROM seals WHERE chain_pos >= ? ORDER BY chain_pos').all(seal.chain_pos);
  let previous: SealRow | undefined;
  for (const s of later) {
    if (s.hash !== sealHash(db, s)) return { linked: false, detail: `Seal ${s.id}, after the bundle's, was changed after it was closed: the chain to today's head is broken.` };
    if (previous && s.prev_hash !== previous.hash) return { linked: false, detail: `Seal ${s.id} does not link to seal ${previous.id}: the chain to today's head is broken.` };
    previous = s;
  }
  const newest = later.length - 1;
  return {
    linked: true,
    detail: newest === 0 ? `Seal ${seal.id} is this archive's head.` : `Seal ${seal.id} is linked to this archive's head (seal ${previous?.id ?? seal.id}) through ${newest} later seal(s).`,
  };
}

interface Current {
  row_hash: string | null;
  seal_id: number | null;
  run_id: number | null;
  version: number | null;
}

async function checkRows(db: Database.Database, bundlePath: string, manifest: Manifest, report: InclusionReport): Promise<void> {
  const purgedBy = db.prepare<[string, string], { run_id: number; purged_at: number; policy_json: string }>(
    `SELECT p.run_id, p.purged_at, r.policy_json FROM purged_messages p JOIN retention_runs r ON r.run_id = p.run_id WHERE p.chat_id = ? AND p.message_id = ?`,
  );
  const hasPurges = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'purged_messages'").get() !== undefined;
  for (const { dataset, table, key, lookup, ofMessage } of checkedDatasets) {
    const files = pickFiles(manifest.files ?? [], dataset);
    const versioned = table === 'messages';
    const current = db.prepare<unknown[], Current>(
      lookup ??
        `SELECT t.row_hash, t.seal_id, s.run_id, ${versioned ? 't.version' : 'NULL'} AS version FROM ${table} t LEFT JOIN seals s ON s.id = t.seal_id WHERE ${key.map((k) => `t.${k} = ?`).join(' AND ')}`,
    );
    for (const file of files)
      for await (const row of readRows(join(bundlePath, file.path), file.format)) {
        const keyValues = key.map((k) => cell(row[`${k}_utc_ms`] ?? row[k]));
        const hash = row.row_hash;
        // entity_history's key is (kind, entity, seen_at): two states seen at the same instant are told apart by the hash.
        const found = current.get(...(table === 'entity_history' ? [keyValues[0], keyValues[1], Number(keyValues[2]), hash] : keyValues));
        const finding = (detail: string): InclusionFinding => ({ table, key: Object.fromEntries(key.map((k, i) => [k, keyValues[i] ?? ''])), detail });
        if (found && found.row_hash === hash) {
          report.rows.matched += 1;
        } else if (found) {
          report.rows.changed += 1;
          const by = found.run_id !== null ? `sync run ${found.run_id} (seal ${found.seal_id ?? '?'})` : `seal ${found.seal_id ?? '?'}`;
          const edit = versioned && found.version !== null && String(found.version) !== cell(row.version) ? `: now version ${found.version}, the bundle has version ${cell(row.version) || '?'}` : '';
          if (report.changed.length < maxListed) report.changed.push(finding(`Changed later by ${by}${edit}.`));
        } else {
          const purge = ofMessage === true && hasPurges ? purgedBy.get(keyValues[0] ?? '', keyValues[1] ?? '') : undefined;
          if (purge) {
            report.rows.purged += 1;
            if (report.purged.length < maxListed)
              report.purged.push(finding(`Purged by retention run ${purge.run_id} on ${new Date(purge.purged_at).toISOString()} under the policy ${purge.policy_json}.`));
          } else {
            report.rows.missing += 1;
            if (report.missing.length < maxListed) report.missing.push(finding('Not in this archive, and no retention run purged it.'));
          }
        }
      }
  }
}

/** A dataset's JSONL files when the bundle has them (values as the archive holds them), else its CSV files (a large dataset is split in several). */
function pickFiles(files: readonly AuditFile[], dataset: string): AuditFile[] {
  const jsonl = files.filter((f) => f.dataset === dataset && f.format === 'jsonl');
  return jsonl.length > 0 ? jsonl : files.filter((f) => f.dataset === dataset && f.format === 'csv');
}

/** A bundled value as the text the archive's key columns hold (ids are strings; JSONL numbers are versions). */
function cell(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

async function* readRows(path: string, format: string): AsyncGenerator<Record<string, unknown>> {
  if (format === 'jsonl') {
    for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
      if (line.trim() !== '') yield JSON.parse(line) as Record<string, unknown>;
    }
    return;
  }
  const parser = createReadStream(path).pipe(Papa.parse(Papa.NODE_STREAM_INPUT, { header: true, skipEmptyLines: true }));
  for await (const record of parser as AsyncIterable<Record<string, string>>) {
    // Excel-safe ids are written ="123": the id is what is inside.
    yield Object.fromEntries(Object.entries(record).map(([k, v]) => [k, /^="(.*)"$/.exec(v)?.[1] ?? v]));
  }
}
