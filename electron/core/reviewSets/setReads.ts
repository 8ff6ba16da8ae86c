import type Database from 'better-sqlite3-multiple-ciphers';
import { VaultError } from '../../../shared/errors';
import { builtInTags, type ReviewSetSummary } from '../../../shared/reviewSets';
import { prepared } from '../search/search';
import { inRead, isReviewed, loadCoding } from './codingState';

export interface SetRow {
  set_id: number;
  name: string;
  description: string | null;
  created_at: number;
  profile: string | null;
  os_user: string;
  host: string;
  source_text: string;
  items: number;
  row_hash: string | null;
}

const setColumns = 'set_id, name, description, created_at, profile, os_user, host, source_text, items, row_hash';

/** The archive has no review sets before migration 0069 ran on it (a read-only connection to an older file). */
export function hasReviewSets(db: Database.Database): boolean {
  return prepared(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'review_sets'").get() !== undefined;
}

/** Every review set, newest first, each with its progress and tag counts. */
export function listReviewSets(db: Database.Database): ReviewSetSummary[] {
  if (!hasReviewSets(db)) return [];
  return inRead(db, () => (prepared(db, `SELECT ${setColumns} FROM review_sets ORDER BY set_id DESC`).all() as SetRow[]).map((r) => summaryOf(db, r)));
}

/** One set by id, with its progress (reads the coding into the temp tables: see codingState.ts). */
export function reviewSetSummary(db: Database.Database, setId: number): ReviewSetSummary {
  return inRead(db, () => summaryOf(db, setRow(db, setId)));
}

/** The set with that id, or a clear refusal. */
export function setRow(db: Database.Database, setId: number): SetRow {
  const row = hasReviewSets(db) ? (prepared(db, `SELECT ${setColumns} FROM review_sets WHERE set_id = ?`).get(setId) as SetRow | undefined) : undefined;
  if (!row) throw unknownSet(String(setId));
  return row;
}

/** A set named by the CLI: its exact name, else its id. */
export function setIdByNameOrId(db: Database.Database, given: string): number {
  if (hasReviewSets(db)) {
    const byName = prepared(db, 'SELECT set_id FROM review_sets WHERE name = ?').pluck().get(given.trim()) as number | undefined;
    if (byName !== undefined) return byName;
    if (/^\d+$/.test(given.trim())) {
      const byId = prepared(db, 'SELECT set_id FROM review_sets WHERE set_id = ?').pluck().get(Number(given.trim())) as number | undefined;
      if (byId !== undefined) return byId;
    }
  }
  throw unknownSet(given);
}

export function unknownSet(given: string): VaultError {
  return new VaultError('USAGE', `No review set is named "${given}" or has that id.`, {
    hint: 'List the review sets with `cliq-vault review list --archive <path>`; names are matched exactly.',
    ui: { message: `No review set "${given}".`, hint: 'It may have been made in another archive: the list shows every set of this one.' },
  });
}

/** The set's progress, read after loading its coding. */
function summaryOf(db: Database.Database, row: SetRow): ReviewSetSummary {
  loadCoding(db, row.set_id);
  const reviewed = prepared(db, `SELECT count(*) FROM review_set_items i WHERE i.set_id = ? AND ${isReviewed}`).pluck().get(row.set_id) as number;
  const tagRows = prepared(
    db,
    `SELECT t.tag, count(DISTINCT i.id) AS n FROM review_set_items i JOIN temp.review_tags t ON t.chat_id = i.chat_id AND t.mid IN (i.message_id, '')
      WHERE i.set_id = ? GROUP BY t.tag ORDER BY t.tag`,
  ).all(row.set_id) as { tag: string; n: number }[];
  const used = prepared(db, "SELECT tag FROM review_codings WHERE set_id = ? AND action = 'tag' GROUP BY tag ORDER BY min(id)").pluck().all(row.set_id) as string[];
  const purged = prepared(db, 'SELECT count(*) FROM review_set_items i WHERE i.set_id = ? AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.chat_id = i.chat_id AND m.message_id = i.message_id)')
    .pluck()
    .get(row.set_id) as number;
  const builtIn = new Set<string>(builtInTags);
  return {
    id: row.set_id,
    name: row.name,
    description: row.description,
    createdAt: row.created_at,
    owner: { profile: row.profile, osUser: row.os_user, host: row.host },
    sourceText: row.source_text,
    items: row.items,
    reviewed,
    tagCounts: Object.fromEntries(tagRows.map((t) => [t.tag, t.n])),
    customTags: used.filter((t) => !builtIn.has(t)),
    purged,
    rowHash: row.row_hash,
  };
}
