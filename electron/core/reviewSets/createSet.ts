import { VaultError } from '../../../shared/errors';
import { reviewSetCreateSchema, type ReviewSetCreate, type ReviewSetSummary } from '../../../shared/reviewSets';
import { describeIssue } from '../../../shared/validation';
import { openArchive } from '../archive/archive';
import { currentActor } from '../holds/holdWrites';
import { systemClock, type Clock } from '../util/clock';
import { reviewSetSummary } from './setReads';
import { resolveSource } from './setSource';

export interface ReviewWriteOptions {
  /** The app's org profile doing it (its name); absent from the CLI. */
  profile?: string | null;
  clock?: Pick<Clock, 'now'>;
}

/** The most items a set may hold: a reviewer codes a set by hand; beyond this, narrow the filters. */
export const maxSetItems = 1_000_000;
/** Items written per INSERT: one statement per batch instead of one per row (100k items: ~1 s, not minutes). */
const batchSize = 500;

/**
 * Freezes a review set: resolves its source, then writes the set and every item (ids, key, time,
 * content hash as they are now) in one transaction, inside a seal of kind 'audit'. Each item's row
 * hash is computed before its insert (the messages' fast path), so nothing is read back.
 * Refuses a name another set has, a source matching nothing, and more than {@link maxSetItems}.
 */
export function createReviewSet(archivePath: string, input: ReviewSetCreate, options: ReviewWriteOptions = {}): ReviewSetSummary {
  const parsed = reviewSetCreateSchema.safeParse(input);
  if (!parsed.success) throw new VaultError('USAGE', `Invalid review set: ${describeIssue(parsed.error, { subject: 'review set' })}.`);
  const spec = parsed.data;
  const clock = options.clock ?? systemClock;
  const archive = openArchive(archivePath, { create: false, clock });
  try {
    const { db, sealer } = archive;
    const actor = currentActor(options.profile);
    const setId = archive.transaction(() => {
      if (db.prepare('SELECT 1 FROM review_sets WHERE name = ?').get(spec.name)) throw nameTaken(spec.name);
      const sourceText = resolveSource(db, spec.source);
      const count = db.prepare('SELECT count(*) FROM temp.review_source s JOIN messages m ON m.id = s.key').pluck().get() as number;
      if (count === 0) throw emptySource(spec.name);
      if (count > maxSetItems) throw tooLarge(count);
      const now = clock.now();
      const sealId = sealer.open('audit', null, now);
      const id = Number(
        db
          .prepare(
            `INSERT INTO review_sets (name, description, created_at, profile, os_user, host, tool_version, source_json, source_text, items)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            spec.name,
            spec.description === undefined || spec.description === '' ? null : spec.description,
            now,
            actor.profile,
            actor.osUser,
            actor.host,
            actor.toolVersion,
            JSON.stringify(spec.source),
            sourceText,
            count,
          ).lastInsertRowid,
      );
      sealer.reseal('review_sets', id);
      writeItems(archive, id);
      sealer.close(sealId, clock.now());
      return id;
    });
    return reviewSetSummary(db, setId);
  } finally {
    archive.close();
  }
}

type ItemRecord = { id: number; set_id: number; position: number; chat_id: string; message_id: string; message_key: number; time: number; content_hash: string };

/** The items in set order (by conversation, then time), ids given here so each row hash is known before the insert. */
function writeItems(archive: ReturnType<typeof openArchive>, setId: number): void {
  const { db, sealer } = archive;
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS review_rows (position INTEGER PRIMARY KEY, chat_id TEXT, message_id TEXT, message_key INTEGER, time INTEGER, content_hash TEXT);
           DELETE FROM temp.review_rows;`);
  db.prepare(
    `INSERT INTO temp.review_rows (position, chat_id, message_id, message_key, time, content_hash)
       SELECT row_number() OVER (ORDER BY m.chat_id, m.time, m.id), m.chat_id, m.message_id, m.id, m.time, m.content_hash
         FROM temp.review_source s JOIN messages m ON m.id = s.key`,
  ).run();
  const base = db.prepare('SELECT coalesce(max(id), 0) FROM review_set_items').pluck().get() as number;
  const read = db.prepare<[number, number], Omit<ItemRecord, 'id' | 'set_id'>>('SELECT * FROM temp.review_rows WHERE position > ? ORDER BY position LIMIT ?');
  const row = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
  const insertSql = (n: number) =>
    `INSERT INTO review_set_items (id, set_id, position, chat_id, message_id, message_key, time, content_hash, row_hash, seal_id) VALUES ${Array.from({ length: n }, () => row).join(', ')}`;
  const full = db.prepare(insertSql(batchSize));
  for (let after = 0; ;) {
    const batch = read.all(after, batchSize);
    if (batch.length === 0) break;
    const values: unknown[] = [];
    const hashed = batch.map((r) => {
      const record: ItemRecord = { id: base + r.position, set_id: setId, ...r };
      const seal = sealer.hashNew('review_set_items', record);
      values.push(record.id, setId, r.position, r.chat_id, r.message_id, r.message_key, r.time, r.content_hash, seal.rowHash, seal.sealId);
      return seal;
    });
    (batch.length === batchSize ? full : db.prepare(insertSql(batch.length))).run(values);
    for (const seal of hashed) sealer.inserted(seal);
    after = batch[batch.length - 1]?.position ?? after;
  }
}

function nameTaken(name: string): VaultError {
  return new VaultError('USAGE', `A review set is already named "${name}".`, {
    hint: 'Set names are unique in an archive: choose another name (`cliq-vault review list` shows the sets).',
    ui: { message: `A review set is already named "${name}".`, hint: 'Set names are unique: choose another name.' },
  });
}

function emptySource(name: string): VaultError {
  return new VaultError('USAGE', `The review set "${name}" would hold no message: nothing in the archive matches its source.`, {
    hint: 'Check the filters with `cliq-vault search` first (or the hold with `cliq-vault hold show`).',
    ui: { message: `The review set "${name}" would hold no message.`, hint: 'Nothing in the archive matches these filters: widen them, or check them on the Search screen.' },
  });
}

function tooLarge(count: number): VaultError {
  return new VaultError('USAGE', `These filters match ${count.toLocaleString('en-US')} messages; a review set holds at most ${maxSetItems.toLocaleString('en-US')}.`, {
    hint: 'Narrow the filters (dates with --from/--to, conversations with --chat, a --query) and make several sets.',
    ui: {
      message: `These filters match ${count.toLocaleString('en-US')} messages; a review set holds at most ${maxSetItems.toLocaleString('en-US')}.`,
      hint: 'Narrow the filters (dates, conversations, a query) and make several sets.',
    },
  });
}
