import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openArchive } from '../../electron/core/archive/archive';
import { openArchiveDb } from '../../electron/core/archive/connection';
import { benchSyncContext, closeBenchRun, openBenchRun, walkPages, type PreparedConversation, ServedPages } from '../ingestPath';
import { openRowParser } from '../../electron/core/sync/rowParser';
import { measure } from '../proc';
import type { Row } from '../results';

/**
 * Ingest: raw API pages into an empty archive through the real code path — the messages walker
 * reading a single-shot export (JSON parse, zod, mapping, content hash, upsert, FTS, seal,
 * checkpoint) — with the network taken out: `fetch` serves each conversation's page from memory,
 * rebuilt from the payloads archived in `source`. Only the ingest is timed.
 *
 * The limit: SQLite's own shell importing the same rows, as CSV, into the same empty tables, then
 * rebuilding the full-text index.
 */
export async function benchIngest(source: string, reps: number): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cliq-vault-bench-'));
  try {
    // Ours and the limit take turns, and each keeps its best run: on a shared machine the
    // slowest runs measure the neighbours.
    let ours = Infinity;
    let limit = Infinity;
    let messages = 0;
    let written = 0;
    let dump: MessagesDump | undefined;
    for (let rep = 0; rep < reps; rep += 1) {
      const target = join(dir, `ingest-${rep}.sqlite`);
      const run = await ingestOnce(source, target);
      messages = run.messages;
      written = run.bytesWritten;
      ours = Math.min(ours, run.seconds);
      // Every run ingests the same rows in the same order: they are dumped once, from the first.
      dump ??= dumpMessages(target, dir);
      limit = Math.min(limit, await importDump(dump, dir));
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
    }
    return [
      {
        section: 'ingest',
        measure: `${messages.toLocaleString('en-US')} messages from raw API pages (parse, validate, map, upsert, FTS, seal, checkpoint), best of ${reps}`,
        figure: messages / ours,
        unit: 'msg/s',
        // Issue 16: within 1.5× of SQLite's own import, sealing included.
        target: '≤ 1.5× sqlite3 time',
        limit: { figure: messages / limit, label: 'msg/s sqlite3 CSV import + FTS rebuild' },
        ratio: ours / limit,
        pass: ours <= 1.5 * limit,
      },
      { section: 'ingest', measure: 'bytes written to disk per message ingested (WAL and checkpoints)', figure: written / messages, unit: 'B/msg', target: '' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One ingest of every conversation of `source` into a new archive at `target`; only the walker is timed. */
export async function ingestOnce(source: string, target: string): Promise<{ seconds: number; messages: number; bytesWritten: number }> {
  const archive = openArchive(target);
  const src = openArchiveDb(source, { readonly: true });
  const chats = src.prepare<[], { chat_id: string; kind: string; kind_source: string; title: string | null }>('SELECT chat_id, kind, kind_source, title FROM chats ORDER BY chat_id').all();
  const runId = openBenchRun(archive);
  archive.transaction(() => {
    for (const c of chats) {
      archive.entities.chats.upsert(
        {
          key: c.chat_id,
          values: { kind: c.kind, kind_source: c.kind_source, title: c.title, creator_id: null, created_at: null, participant_count: null, server_message_count: null, server_last_modified: null },
          sourceJson: '{}',
          sourceHash: c.chat_id,
        },
        { runId, now: Date.now() },
      );
    }
  });
  // `fetch` answers every call with the page of the conversation it asks for.
  const served = new ServedPages();
  const rowParser = openRowParser();
  const ctx = benchSyncContext(
    archive,
    runId,
    (input) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const answer = served.answer(url.pathname);
      return answer ? Promise.resolve(answer) : Promise.reject(new Error(`the ingest bench serves M4 only, not ${url.pathname}`));
    },
    rowParser,
  );
  const pageOf = src.prepare<[string], string>('SELECT raw_json FROM messages WHERE chat_id = ? ORDER BY time, message_id').pluck();
  function* pages(): Generator<PreparedConversation> {
    for (const c of chats) {
      const reading = process.hrtime.bigint();
      const raws = pageOf.all(c.chat_id);
      if (raws.length === 0) continue;
      const work = { chatId: c.chat_id, title: c.title, kind: c.kind as 'group', serverCount: raws.length, serverModified: 1, participantCount: null, membersModified: null };
      const page = `{"data":[${raws.join(',')}]}`;
      yield { work, page, preparedNs: process.hrtime.bigint() - reading };
    }
  }
  const writtenBefore = bytesWritten();
  const { seconds, messages } = await walkPages(ctx, served, pages());
  await rowParser.close();
  closeBenchRun(archive, ctx);
  archive.close();
  src.close();
  return { seconds, messages, bytesWritten: bytesWritten() - writtenBefore };
}

/** Bytes this process has caused to be written to storage (Linux /proc/self/io). */
function bytesWritten(): number {
  const line = /^write_bytes: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
  return Number(line?.[1] ?? 0);
}

/** The ingested messages as CSV, with what importing them needs to know of the table. */
interface MessagesDump {
  csv: string;
  columns: string[];
  integers: Set<string>;
}

/** Dumps the ingested messages as CSV, in the order they were ingested. */
function dumpMessages(ingested: string, dir: string): MessagesDump {
  const csv = join(dir, 'messages.csv');
  const columns = execFileSync('sqlite3', [ingested, "SELECT group_concat(name, ',') FROM pragma_table_info('messages')"]).toString().trim().split(',');
  execFileSync('sqlite3', ['-readonly', '-csv', ingested, `.output ${csv}`, `SELECT ${columns.join(', ')} FROM messages ORDER BY chat_id, time, message_id`]);
  const integers = new Set(execFileSync('sqlite3', [ingested, "SELECT group_concat(name, ',') FROM pragma_table_info('messages') WHERE type = 'INTEGER'"]).toString().trim().split(','));
  return { csv, columns, integers };
}

/** Times sqlite3 loading a dump into the same, empty schema and rebuilding the full-text index. */
async function importDump(dump: MessagesDump, dir: string): Promise<number> {
  const { csv, columns, integers } = dump;
  const empty = join(dir, 'empty.sqlite');
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${empty}${suffix}`, { force: true });
  openArchive(empty).close();
  const select = columns.map((c) => (integers.has(c) ? `CAST(nullif(${c}, '') AS INTEGER)` : `nullif(${c}, '')`)).join(', ');
  const script = [
    'PRAGMA journal_mode = WAL;',
    'PRAGMA synchronous = FULL;',
    `CREATE TEMP TABLE staging (${columns.map((c) => `${c} TEXT`).join(', ')});`,
    `.import --csv ${csv} staging`,
    'BEGIN;',
    `INSERT INTO messages (${columns.join(', ')}) SELECT ${select} FROM staging;`,
    "INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');",
    'COMMIT;',
  ];
  const result = await measure('sqlite3', [empty, ...script]);
  if (result.code !== 0) throw new Error(`sqlite3 import failed: ${result.stderr}`);
  return result.seconds;
}

/**
 * Dumps the ingested messages as CSV (in the order they were ingested), then times sqlite3
 * loading them into the same, empty schema and rebuilding the FTS index.
 */
export function sqliteImport(ingested: string, dir: string): Promise<number> {
  return importDump(dumpMessages(ingested, dir), dir);
}
