import type Database from 'better-sqlite3-multiple-ciphers';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { VaultError } from '../../../shared/errors';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { AuditProgress } from '../../../shared/audit';
import { errorCodeOf } from '../backup/files';
import type { FileStore } from '../files/store';
import { throwIfAborted } from '../util/clock';

/** A file copied into the bundle: its bundle-relative path, the SHA-256 it was checked against, its size. */
export interface BundledFile {
  path: string;
  sha256: string;
  bytes: number;
}

/** Why a stored attachment's bytes are not in the bundle although they were asked for. */
export type LeftOut = 'missing' | 'changed';

export interface AttachmentCopy {
  /** Whether the bytes were asked for (false: `--no-files`). */
  included: boolean;
  /** SHA-256 → bundle-relative path, for every file copied. */
  paths: Map<string, string>;
  /** SHA-256 → why the stored object was left out. */
  leftOut: Map<string, LeftOut>;
  /** The files copied, in the order copied (first reference first). */
  files: BundledFile[];
  bytes: number;
}

/** Progress is reported after each file and every this many bytes within one. */
const progressEvery = 8 << 20;

const extensionPattern = /^[A-Za-z0-9]{1,10}$/;

/**
 * The extension a bundled file gets from the name Cliq gave it: what follows the last dot of the
 * last path segment, when it is 1–10 ASCII letters or digits; lower-cased. Anything else (no dot,
 * a leading dot only, a bidi override, NUL, a separator) gives none: the name is hostile data and
 * never shapes the path beyond this.
 */
export function safeExtension(fileName: string | null): string {
  if (fileName === null) return '';
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return '';
  const extension = base.slice(dot + 1);
  return extensionPattern.test(extension) ? extension.toLowerCase() : '';
}

/** `<sha256>[.ext]`: named by the hash; the extension only helps the auditor's OS (or viewer) open it. */
export function storedFileName(sha256: string, fileName: string | null): string {
  const extension = safeExtension(fileName);
  return `${sha256}${extension === '' ? '' : `.${extension}`}`;
}

/** `files/<sha256>[.ext]`: where a bundle carries an attachment's bytes. */
export function bundleFilePath(sha256: string, fileName: string | null): string {
  return `files/${storedFileName(sha256, fileName)}`;
}

/**
 * `FROM attachments a …`: the attachments of the messages in scope (every attachment when
 * unscoped). Scoped, it starts from the scope and reaches each message's attachments by their
 * key's prefix: attachments has no index on message_key, and joining on it read every
 * attachment of the archive for a channel-month (53 against 4 ms at 1M messages).
 */
export function attachmentsInScope(scoped: boolean): string {
  return scoped
    ? `FROM temp.scope_messages s
         JOIN messages am ON am.id = s.key
         JOIN attachments a ON a.chat_id = am.chat_id AND a.message_id = am.message_id AND a.message_key = am.id`
    : 'FROM attachments a';
}

/**
 * Copies the bytes of every stored attachment in scope from the archive's file store into
 * `<bundleDir>/files/`, once per distinct SHA-256 (named after its first reference in key order,
 * so the same archive and scope give the same names). Each copy is streamed and hashed as it is
 * written: an object that no longer hashes to its sealed SHA-256 is removed again and reported
 * `changed`, one the store lacks `missing`; neither stops the export. Runs inside the caller's read
 * transaction (the rows are the snapshot the datasets are written from).
 */
export async function copyAttachments(
  db: Database.Database,
  options: {
    scoped: boolean;
    include: boolean;
    store: Pick<FileStore, 'pathOf' | 'read'>;
    bundleDir: string;
    signal?: AbortSignal;
    onProgress?: (progress: AuditProgress) => void;
  },
): Promise<AttachmentCopy> {
  const copy: AttachmentCopy = { included: options.include, paths: new Map(), leftOut: new Map(), files: [], bytes: 0 };
  if (!options.include) return copy;
  const wanted = new Map<string, { path: string; bytes: number }>();
  const stored = db
    .prepare<[], { sha256: string; bytes: number; file_name: string | null }>(
      `SELECT a.sha256, a.bytes, a.file_name ${attachmentsInScope(options.scoped)} WHERE a.status = 'stored' ORDER BY a.chat_id, a.message_id, a.file_id`,
    )
    .iterate();
  for (const row of stored) if (!wanted.has(row.sha256)) wanted.set(row.sha256, { path: bundleFilePath(row.sha256, row.file_name), bytes: row.bytes });
  if (wanted.size === 0) return copy;

  await mkdir(join(options.bundleDir, 'files'));
  const totalBytes = [...wanted.values()].reduce((n, f) => n + f.bytes, 0);
  let copiedBytes = 0;
  let reported = 0;
  const report = () => {
    reported = copiedBytes;
    options.onProgress?.({ dataset: 'files', rows: copy.files.length, total: wanted.size, bytes: copiedBytes, totalBytes });
  };
  for (const [sha256, { path }] of wanted) {
    throwIfAborted(options.signal);
    const source = options.store.pathOf(sha256);
    const sealedFailure = (error: unknown, code: string) => error instanceof VaultError && error.code === code;
    const target = join(options.bundleDir, path);
    const hash = createHash('sha256');
    let size = 0;
    try {
      await pipeline(
        options.store.read(sha256),
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            hash.update(chunk);
            size += chunk.length;
            copiedBytes += chunk.length;
            if (copiedBytes - reported >= progressEvery) report();
            yield chunk;
          }
        },
        createWriteStream(target, { flags: 'wx' }),
        { signal: options.signal },
      );
    } catch (error) {
      copiedBytes -= size;
      await rm(target, { force: true });
      throwIfAborted(options.signal);
      // Only the store's object being absent is a gap to report; a bundle that cannot be written fails.
      if ((errorCodeOf(error) === 'ENOENT' && (error as NodeJS.ErrnoException).path === source) || sealedFailure(error, 'NOT_FOUND')) {
        copy.leftOut.set(sha256, 'missing');
        continue;
      }
      if (sealedFailure(error, 'TAMPERED')) {
        copy.leftOut.set(sha256, 'changed');
        continue;
      }
      throw error;
    }
    if (hash.digest('hex') !== sha256) {
      // Never hand an auditor bytes that differ from what the archive sealed.
      copiedBytes -= size;
      await rm(target);
      copy.leftOut.set(sha256, 'changed');
      continue;
    }
    copy.paths.set(sha256, path);
    copy.files.push({ path, sha256, bytes: size });
    copy.bytes += size;
    report();
  }
  return copy;
}

/** What an attachment in scope that is not in the bundle is listed with, and the count per reason. */
export interface AttachmentGaps {
  /** Reason (a status, or why stored bytes were left out) → attachments. */
  byReason: Map<string, number>;
  total: number;
}

/**
 * Writes one line per attachment in scope whose bytes are not in the bundle, and why, to `out`:
 * unavailable on Cliq (its status and reason), left out by `--no-files`, missing from the file
 * store, changed since archived, or not recorded at all (a message archived before the archive
 * kept files, and not synced since). Streamed: a large archive can have many.
 */
export async function writeAttachmentGaps(db: Database.Database, scoped: boolean, copy: AttachmentCopy, out: WriteStream): Promise<AttachmentGaps> {
  const gaps: AttachmentGaps = { byReason: new Map(), total: 0 };
  const write = async (subject: { chat_id: string; message_id: string; file_id: string; file_name: string | null }, reason: string, why: string) => {
    gaps.byReason.set(reason, (gaps.byReason.get(reason) ?? 0) + 1);
    gaps.total += 1;
    const line = `Attachment ${subject.chat_id}/${subject.message_id} file ${subject.file_id} ${quoted(subject.file_name)}: not in this bundle: ${why}\n`;
    if (!out.write(line)) await once(out, 'drain');
  };
  const rows = db
    .prepare<[], { chat_id: string; message_id: string; file_id: string; file_name: string | null; status: string; reason: string | null; sha256: string | null }>(
      `SELECT a.chat_id, a.message_id, a.file_id, a.file_name, a.status, a.reason, a.sha256 ${attachmentsInScope(scoped)} ORDER BY a.chat_id, a.message_id, a.file_id`,
    )
    .iterate();
  for (const row of rows) {
    if (row.status !== 'stored') {
      await write(row, row.status, `${row.status}${row.reason === null ? (row.status === 'pending' ? ' (not fetched yet)' : '') : ` (${oneLine(row.reason)})`}.`);
      continue;
    }
    const sha256 = row.sha256 ?? '';
    if (copy.paths.has(sha256)) continue;
    const leftOut = copy.leftOut.get(sha256);
    if (!copy.included) await write(row, 'no-files', 'left out by --no-files.');
    else if (leftOut === 'missing') await write(row, 'missing', `missing from the file store (sha256 ${sha256}).`);
    else await write(row, 'changed', `changed since archived: the stored file no longer hashes to its sealed sha256 ${sha256}.`);
  }
  // Messages whose file has no record: archived before the archive kept files, not synced since.
  // Read through the scope's keys, or the partial index of file messages, in m.id order either
  // way: ordered by m.id alone SQLite read the whole messages table (1M messages: 1.1–1.5 s against
  // 0.6 s for all, 0.2 s for a month).
  const unrecorded = db
    .prepare<[], { chat_id: string; message_id: string; file_id: string; file_name: string | null }>(
      `SELECT m.chat_id, m.message_id, m.file_id, m.file_name
         FROM ${scoped ? 'temp.scope_messages s CROSS JOIN messages m ON m.id = s.key' : 'messages m INDEXED BY messages_files'}
        WHERE m.file_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.chat_id = m.chat_id AND a.message_id = m.message_id AND a.file_id = m.file_id)
        ORDER BY ${scoped ? 's.key' : 'm.id'}`,
    )
    .iterate();
  for (const row of unrecorded) await write(row, 'unrecorded', 'no record of the file yet (the message was archived before the archive kept files; a sync records and fetches it).');
  return gaps;
}

/**
 * A file name as data in a text line: JSON-quoted, with every control, format and bidi character
 * escaped as well, so a hostile name can neither break the line nor reorder what is shown.
 */
export function quoted(name: string | null): string {
  if (name === null) return '(no name)';
  return JSON.stringify(name).replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}

function oneLine(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\u2028\u2029]+/gu, ' ');
}

/** The lines of the manifest and the result's warnings: one per reason, with its count. */
export function gapSummary(gaps: AttachmentGaps): string[] {
  const words: Record<string, string> = {
    'no-files': 'left out by --no-files',
    missing: 'missing from the file store',
    changed: 'changed since archived (left out: the stored file no longer matches its sealed SHA-256)',
    unrecorded: 'not recorded yet (run a sync)',
  };
  return [...gaps.byReason]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([reason, n]) => `${n} attachment(s) in scope are not in this bundle: ${words[reason] ?? reason}. Each is listed at the end of warnings.txt.`);
}
