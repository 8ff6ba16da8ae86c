import type Database from 'better-sqlite3-multiple-ciphers';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { hostname, userInfo } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import {
  auditCustodySchema,
  auditScopeSchema,
  type AuditAttachments,
  type AuditCustody,
  type AuditFile,
  type AuditProgress,
  type AuditResult,
  type AuditScope,
  type AuditScopeInput,
  type DataFormat,
} from '../../../shared/audit';
import { VaultError, toVaultError } from '../../../shared/errors';
import { describeIssue } from '../../../shared/validation';
import { openArchive } from '../archive/archive';
import { archiveFailure, openArchiveDb } from '../archive/connection';
import { verifyArchive, type VerifyReport } from '../archive/sealing/verify';
import { waitForWriteLock } from '../archive/writeLockWait';
import { cancelled, systemClock, type Clock } from '../util/clock';
import { boundToInstant, checkDateOrder, checkTimeZone } from '../util/timeZone';
import { toolName, toolVersion } from '../version';
import { dataDictionary, knownGaps, readme } from './bundleDocs';
import { datasets, type Lookup } from './datasets';
import { asOfDatasets } from './asOfDatasets';
import { productionTags } from '../reviewSets/setScope';
import { rowFormat, type Cell } from './rowFormat';
import { resolveScope } from './scope';
import { DatasetSink } from './sinks';
import { sha256Hex } from '../util/sha256';
import { openFileStore } from '../files/store';
import { attachmentsInScope, copyAttachments, gapSummary, writeAttachmentGaps, type AttachmentCopy } from './attachmentFiles';
import { messageTextDisplay } from './textDisplay';
import { archiveMentionResolver } from '../archive/mentionResolver';
import { writeBundleTranscripts, type TranscriptSet } from './transcripts/bundleTranscripts';
import { holdMentions } from '../holds/holdReads';
import { conversationsInScope, custodyFile, readmeCustodySections, type CustodyFacts } from './custody';
import { ephemeralSigner, manifestSignature, signBundle, type BundleSigner } from './signing';
import { writeBundleRsmf } from './rsmf/bundleRsmf';
import { indexScopeForPages } from './messagePages';

export interface AuditOptions {
  archivePath: string;
  /** The bundle folder to create. It must not exist: a bundle is never overwritten. */
  outDir: string;
  scope: AuditScopeInput;
  signal?: AbortSignal;
  onProgress?: (progress: AuditProgress) => void;
  /** When the export starts and its seal closes. */
  clock?: Pick<Clock, 'now'>;
  /** For tests: split files after this many rows (default 999,999: Excel's limit is 1,048,576). */
  maxRowsPerFile?: number;
  /**
   * The key that signs SHA256SUMS (the app's from its secret store, the CLI's from a key file).
   * Without one, a key is made for this bundle only and the bundle says it is ephemeral.
   */
  signer?: BundleSigner;
  /** The matter and the reason, for the chain of custody. */
  custody?: AuditCustody;
  /** Review-set tags of a message: written into the RSMF production as each event's "Review tags". */
  tagsOf?: (chatId: string, messageId: string) => readonly string[];
}

export const bundleFormat = 'cliq-vault-audit-bundle';

/**
 * Writes an audit bundle: data files (CSV and/or JSONL), the attachment files in scope under
 * files/ (unless `scope.files` is false), readable HTML transcripts under transcripts/ (unless
 * `scope.transcripts` is false), one RSMF 2.0 production file per conversation under rsmf/
 * (format rsmf; asked alone, no data files and no files/: the .rsmf files carry the attachments),
 * manifest.json, SHA256SUMS, README.txt,
 * data-dictionary.csv, warnings.txt and custody.txt, for the scope asked, and signs SHA256SUMS
 * (SHA256SUMS.sig, signing-key.pub.pem: see signing.ts). Everything is read in one read
 * transaction (a consistent snapshot while a sync may write), written to a temporary folder
 * beside the destination and renamed into place only when complete; a failure or cancel leaves
 * nothing. The export is then recorded, sealed, in the archive's audit log.
 */
export async function createAuditBundle(options: AuditOptions): Promise<AuditResult> {
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const scope = parseScope(options.scope);
  const custody = parseCustody(options.custody ?? {});
  const signer = options.signer ?? ephemeralSigner();
  const outDir = resolve(options.outDir);
  if (existsSync(outDir)) {
    throw new VaultError('USAGE', `${outDir} already exists.`, { hint: 'A bundle is never written over anything: choose a new folder name.' });
  }
  const temp = join(dirname(outDir), `.${basename(outDir)}.partial-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    // data/ only when data files are asked for: an RSMF-only production has none.
    mkdirSync(scope.formats.some((f) => f !== 'rsmf') ? join(temp, 'data') : temp, { recursive: true });
  } catch (error) {
    const failure = new VaultError('IO_ERROR', `Cannot create the bundle folder beside ${outDir} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, {
      cause: error,
      hint: 'Choose a destination inside a folder you can write to.',
    });
    recordFailure(options.archivePath, started, scope, outDir, failure, clock);
    throw failure;
  }

  const db = openArchiveDb(options.archivePath, { readonly: true });
  const sinks: DatasetSink[] = [];
  let gapsOut: WriteStream | undefined;
  try {
    const verification = scope.verifyArchive ? verifyArchive(db) : undefined;
    db.exec('BEGIN');
    const head = db
      .prepare<[], { id: number; hash: string; closed_at: number; run_id: number | null }>('SELECT id, hash, closed_at, run_id FROM seals WHERE chain_pos IS NOT NULL ORDER BY chain_pos DESC LIMIT 1')
      .get();
    const resolved = resolveScope(db, scope);
    const dataFormats = scope.formats.filter((f): f is DataFormat => f !== 'rsmf');
    const store = openFileStore(options.archivePath);
    // Before the datasets: the holds dataset reads the temp.scope_holds this fills.
    const holds = holdMentions(db, resolved.scoped);
    // Copied first: the attachments dataset names where each file's bytes went.
    const copy = await copyAttachments(db, {
      scoped: resolved.scoped,
      // An RSMF-only production carries its attachments inside the .rsmf files.
      include: scope.files && dataFormats.length > 0,
      store,
      bundleDir: temp,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    const maps = { ...lookupTables(db), 'file.path': copy.paths };
    const files: AuditFile[] = [];
    const maxRows = options.maxRowsPerFile ?? 999_999;
    // The review coding only in a production from a review set; the as-of datasets only in a bundle made as of a date.
    const written = [...datasets.filter((d) => d.onlyFromReviewSet !== true || scope.reviewSet !== undefined), ...(resolved.asOf !== null ? asOfDatasets : [])];
    for (const dataset of dataFormats.length > 0 ? written : []) {
      const format = rowFormat(dataset.columns, { timeZone: scope.timeZone, ids: scope.ids });
      const outputs = dataFormats.map((f) => {
        const sink = new DatasetSink(join(temp, 'data'), dataset.name, f, f === 'csv' ? format.csvHeader : undefined, maxRows);
        sinks.push(sink);
        return { f, sink };
      });
      let rows = 0;
      const statement = db.prepare(dataset.sql(resolved.scoped)).raw();
      const selected = statement.columns().map((c) => c.name);
      if (selected.join() !== dataset.columns.map((c) => c.name).join()) {
        throw new VaultError('INTERNAL', `The ${dataset.name} query selects ${selected.join(', ')}; its declared columns differ.`);
      }
      const fill = (dataset.lookups ?? []).map((l) => ({
        at: selected.indexOf(l.column),
        key: selected.indexOf(l.key),
        map: maps[l.from],
      }));
      const derive = (dataset.derived ?? []).map((d) => ({ at: selected.indexOf(d.column), render: messageTextDisplay(db, selected) }));
      for (const row of statement.iterate() as IterableIterator<Cell[]>) {
        for (const { at, key, map } of fill) row[at] = map.get(row[key] as string) ?? null;
        for (const { at, render } of derive) row[at] = render(row);
        for (const { f, sink } of outputs) {
          const pending = sink.row(f === 'csv' ? format.csvLine(row) : format.jsonlLine(row));
          if (pending) await pending;
        }
        rows += 1;
        if ((rows & 0x3ff) === 0) {
          if (options.signal?.aborted) throw cancelled();
          options.onProgress?.({ dataset: dataset.name, rows });
        }
      }
      for (const { sink } of outputs) files.push(...(await sink.close()));
      options.onProgress?.({ dataset: dataset.name, rows });
    }
    // Readable copies last: they link the attachment files copied above. Their scoped pages read
    // the scope ordered by conversation, once for both.
    if (resolved.scoped && (scope.transcripts || scope.formats.includes('rsmf'))) indexScopeForPages(db);
    const transcripts: TranscriptSet = scope.transcripts
      ? await writeBundleTranscripts(db, {
          scoped: resolved.scoped,
          timeZone: scope.timeZone,
          resolver: archiveMentionResolver(db),
          filePaths: copy.paths,
          bundleDir: temp,
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        })
      : { files: [], conversations: [] };
    const rsmf = scope.formats.includes('rsmf')
      ? await writeBundleRsmf(db, {
          scoped: resolved.scoped,
          resolver: archiveMentionResolver(db),
          store,
          bundleDir: temp,
          createdAt: started,
          from: scope.from === undefined ? null : boundToInstant(scope.from, scope.timeZone, 'from'),
          to: scope.to === undefined ? null : boundToInstant(scope.to, scope.timeZone, 'to'),
          // A production from a review set carries each message's tags (its own and its conversation's).
          ...(options.tagsOf ? { tagsOf: options.tagsOf } : scope.reviewSet !== undefined ? { tagsOf: productionTags(db) } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        })
      : undefined;
    if (rsmf) files.push(...rsmf.files);
    const warnings = knownGaps(db, resolved.scoped);
    // Attachments not in the bundle: one line each, streamed to a side file (there can be many).
    const gapsPath = join(temp, '.attachment-gaps');
    gapsOut = createWriteStream(gapsPath, { flags: 'wx' });
    // An RSMF-only production carries the attachments inside its .rsmf files: the gaps are the files it could not carry.
    const gaps = await writeAttachmentGaps(db, resolved.scoped, rsmf && dataFormats.length === 0 ? carriedByRsmf(rsmf.stored) : copy, gapsOut);
    gapsOut.end();
    await once(gapsOut, 'finish');
    warnings.push(...gapSummary(gaps));
    const attachments = attachmentSummary(db, resolved.scoped, copy, gaps.total);
    const meta = Object.fromEntries(
      db
        .prepare<[], { key: string; value: string }>('SELECT key, value FROM meta')
        .all()
        .map((r) => [r.key, r.value]),
    );
    const runs = syncRuns(db, scope);
    const coverage = coverageSummary(db, resolved.scoped);
    const conversations = conversationsInScope(db, resolved.scoped);
    const schemaVersion = db.pragma('user_version', { simple: true }) as number;
    db.exec('COMMIT');
    if (verification && !verification.ok) warnings.unshift(`The archive did NOT verify at export time: ${verification.problems.length} problem(s); see manifest.json (archive.verification).`);
    if (verification === undefined)
      // Read by an auditor in warnings.txt and by the app's Audit screen: no CLI flags (the CLI's is --verify-archive).
      warnings.push('The archive was not fully re-verified for this export (ask for verification when exporting, or verify the archive on its own); its seal head is recorded in manifest.json.');

    const createdAt = new Date(started).toISOString();
    const user = { user: userInfo().username, host: hostname() };
    const integrityHead = head ? { sealId: head.id, hash: head.hash, closedAt: new Date(head.closed_at).toISOString(), syncRun: head.run_id } : null;
    const facts: CustodyFacts = {
      createdAtMs: started,
      timeZone: scope.timeZone,
      user,
      scope,
      scopeRule: resolved.rule,
      counts: { conversations: resolved.chats, messages: resolved.messages, users: resolved.users },
      conversations,
      custody,
      holds,
      head: integrityHead,
      signer,
    };
    // The documents are hashed from what is written, never read back (warnings.txt lists every
    // attachment not in the bundle: 17 MB of 1M messages, read twice it made the export's peak RSS).
    const documentHashes = new Map<string, string>();
    const writeDocument = (name: string, text: string) => {
      writeFileSync(join(temp, name), text);
      documentHashes.set(name, sha256Hex(text));
    };
    const hashed = (path: string) => {
      const sha256 = documentHashes.get(path);
      if (sha256 === undefined) throw new VaultError('INTERNAL', `${path} was not hashed as it was written.`);
      return { path, sha256 };
    };
    writeDocument('data-dictionary.csv', dataDictionary(dataFormats.length > 0 ? written : [], scope.formats.includes('rsmf')));
    documentHashes.set('warnings.txt', await writeWarnings(join(temp, 'warnings.txt'), warnings, gaps.total > 0 ? gapsPath : undefined));
    rmSync(gapsPath);
    writeDocument(
      'README.txt',
      readme({
        files,
        timeZone: scope.timeZone,
        ids: scope.ids,
        createdAt,
        scopeRule: resolved.rule,
        head: head?.hash ?? null,
        attachments,
        transcripts: scope.transcripts,
        rsmf: scope.formats.includes('rsmf'),
        holds,
        custody: readmeCustodySections(facts),
      }),
    );
    const byPath = new Map(transcripts.conversations.map((c) => [c.path, c]));
    const manifest = {
      format: bundleFormat,
      formatVersion: 1,
      tool: { name: toolName, version: toolVersion },
      createdAt,
      createdBy: user,
      archive: {
        id: meta['archive.id'] ?? null,
        schemaVersion,
        integrityHead,
        verification: verification ? summariseVerification(verification) : null,
      },
      org: { id: meta['org.id'] ?? null, apiBase: meta['org.api_base'] ?? null, dataCentre: meta['org.data_centre'] ?? null, network: meta['org.network'] ?? null },
      timeZone: scope.timeZone,
      // The chain of custody (custody.txt says it in words); the key that signs SHA256SUMS.
      custody: { matter: custody.matter ?? null, reason: custody.reason ?? null },
      signature: manifestSignature(signer),
      scope: { filters: scope, rule: resolved.rule, counts: { conversations: resolved.chats, messages: resolved.messages, users: resolved.users } },
      // The legal holds, active or released, whose scope touches this bundle's (holds/holdReads.ts).
      legalHolds: holds,
      files,
      attachmentFiles: { ...attachments, list: copy.files },
      transcripts: {
        included: scope.transcripts,
        files: transcripts.files.length,
        list: transcripts.files.map((f) => {
          const c = byPath.get(f.path);
          return { ...f, ...(c ? { chatId: c.chatId, messages: c.messages } : {}) };
        }),
      },
      syncRuns: runs,
      coverage,
      warnings,
    };
    writeDocument('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
    const documents = ['README.txt', 'data-dictionary.csv', 'manifest.json', 'warnings.txt'].map(hashed);
    writeDocument('custody.txt', custodyFile(facts, [...documents, ...files]));
    // IMPORTANT: manifest.json must stay in SHA256SUMS: the signature covers it only through SHA256SUMS.
    const sums = sha256sums([...documents, hashed('custody.txt'), ...files, ...copy.files, ...transcripts.files]);
    writeFileSync(join(temp, 'SHA256SUMS'), sums);
    const bundleHash = sha256Hex(sums);
    // After SHA256SUMS is final, and not listed in it: these two sign it.
    signBundle(temp, signer);
    renameSync(temp, outDir);
    // A sync running in this process may hold the write lock: let it reach its next commit first.
    await waitForWriteLock(options.archivePath);
    recordExport(options.archivePath, { at: started, user, scope, bundlePath: outDir, bundleHash, files, status: 'complete', detail: null }, clock, true);
    const result: AuditResult = {
      bundlePath: outDir,
      bundleHash,
      files,
      warnings,
      // The whole wait, the sealed record of the export included.
      durationMs: clock.now() - started,
      attachments,
      signature: { fingerprint: signer.fingerprint, ephemeral: signer.ephemeral },
    };
    if (scope.transcripts) result.transcripts = { conversations: transcripts.conversations.length, bytes: transcripts.files.reduce((n, f) => n + f.bytes, 0) };
    return result;
  } catch (error) {
    for (const sink of sinks) sink.destroy();
    gapsOut?.destroy();
    if (db.inTransaction) db.exec('ROLLBACK');
    rmSync(temp, { recursive: true, force: true });
    // A damaged archive met while reading says so (and how to restore), not "internal error".
    const e = archiveFailure(error) ?? toVaultError(error);
    const code = (error as NodeJS.ErrnoException).code;
    const failure =
      e.code === 'INTERNAL' && code !== undefined && /^E[A-Z]+$/.test(code)
        ? new VaultError('IO_ERROR', `Could not write the bundle (${code}).`, {
            cause: error,
            hint: code === 'ENOSPC' ? 'The disk is full: free space and export again. Nothing was left behind.' : 'Check the destination folder. Nothing was left behind.',
          })
        : e;
    recordFailure(options.archivePath, started, scope, outDir, failure, clock);
    throw failure;
  } finally {
    db.close();
  }
}

/** A value by key (a conversation's title, a user's e-mail): what a dataset's lookup column reads. */
interface KeyLookup {
  get(key: string): Cell | undefined;
}

type Tables = Record<Exclude<Lookup['from'], 'file.path'>, KeyLookup>;

/**
 * Conversation titles and kinds, user e-mails, each read from the archive the first time a row
 * needs it and kept for the export. Loading every conversation and user up front cost a bundle of
 * one channel-month 52 ms on the 10M org (14,499 conversations) for the few dozen it names; the
 * bundle of everything reads each once either way.
 */
function lookupTables(db: Database.Database): Tables {
  const lookup = (sql: string): KeyLookup => {
    const statement = db.prepare<[string], Cell>(sql).pluck();
    const known = new Map<string, Cell>();
    return {
      get(key) {
        if (known.has(key)) return known.get(key);
        const value = statement.get(key) ?? null;
        known.set(key, value);
        return value;
      },
    };
  };
  return {
    'chat.title': lookup('SELECT title FROM chats WHERE chat_id = ?'),
    'chat.kind': lookup('SELECT kind FROM chats WHERE chat_id = ?'),
    'user.email': lookup('SELECT email FROM users WHERE user_id = ?'),
  };
}

function parseCustody(input: AuditCustody): AuditCustody {
  const parsed = auditCustodySchema.safeParse(input);
  if (!parsed.success) throw new VaultError('USAGE', `Invalid custody fields: ${describeIssue(parsed.error, { subject: 'custody' })}.`);
  return parsed.data;
}

function parseScope(input: AuditScopeInput): AuditScope {
  const parsed = auditScopeSchema.safeParse(input);
  if (!parsed.success) {
    throw new VaultError('USAGE', `Invalid audit scope: ${describeIssue(parsed.error, { subject: 'scope' })}.`);
  }
  checkTimeZone(parsed.data.timeZone);
  checkDateOrder(parsed.data.from, parsed.data.to, parsed.data.timeZone);
  if (parsed.data.reviewSet !== undefined) checkSetOnly(parsed.data);
  if (parsed.data.asOf !== undefined && parsed.data.formats.includes('rsmf')) {
    // An RSMF event carries every version the archive holds: it cannot say how a message read on a date.
    throw new VaultError('USAGE', 'An RSMF production shows each conversation with its whole history; a bundle as of a date is written as CSV or JSON Lines.', {
      hint: 'Leave out --format rsmf, or --as-of.',
      ui: { message: 'An RSMF production shows each conversation with its whole history, not as of a date.', hint: 'Choose CSV or JSON Lines for a bundle as of a date.' },
    });
  }
  return parsed.data;
}

/** A production from a review set is the set (and its tag filter): another filter would be silently ignored, so it is refused. */
function checkSetOnly(scope: AuditScope): void {
  const others: string[] = (
    ['conversations', 'kinds', 'participants', 'senders', 'departments', 'designations', 'teams', 'roles', 'from', 'to', 'query', 'types', 'hasFile', 'edited', 'asOf'] as const
  ).filter((key) => scope[key] !== undefined);
  if (scope.deleted !== 'include') others.push('deleted');
  if (others.length === 0) return;
  throw new VaultError('USAGE', `A production from a review set takes no other filter (given: ${others.join(', ')}).`, {
    hint: 'The set is the scope: limit it by tags (--tag, --without-tag), or make a narrower set first.',
    ui: { message: 'A production from a review set takes no other filter.', hint: 'The set is the scope: limit it by tags, or make a narrower set first.' },
  });
}

/** The attachments an RSMF production carried (stored ones) and left out (missing from the store), as the gaps read them. */
function carriedByRsmf(stored: ReadonlyMap<string, boolean>): AttachmentCopy {
  const copy: AttachmentCopy = { included: true, paths: new Map(), leftOut: new Map(), files: [], bytes: 0 };
  for (const [sha256, carried] of stored) {
    if (carried) copy.paths.set(sha256, 'rsmf');
    else copy.leftOut.set(sha256, 'missing');
  }
  return copy;
}

/** What the manifest and the result say about attachments: in scope, copied, left out. */
function attachmentSummary(db: Database.Database, scoped: boolean, copy: AttachmentCopy, notInBundle: number): AuditAttachments {
  const inScope = db
    .prepare(`SELECT count(*) ${attachmentsInScope(scoped)}`)
    .pluck()
    .get() as number;
  return { included: copy.included, inScope, files: copy.files.length, bytes: copy.bytes, notInBundle };
}

/**
 * warnings.txt: the general warnings, then (when any) every attachment not in the bundle, from the
 * side file. Returns its SHA-256, hashed as it is written.
 */
async function writeWarnings(path: string, warnings: string[], gapsPath: string | undefined): Promise<string> {
  const head = warnings.length > 0 ? `${warnings.join('\n')}\n` : 'No known gaps.\n';
  if (gapsPath === undefined) {
    writeFileSync(path, head);
    return sha256Hex(head);
  }
  const text = `${head}\nATTACHMENTS NOT IN THIS BUNDLE (conversation/message, file id, name as Cliq gave it: why)\n`;
  writeFileSync(path, text);
  const hash = createHash('sha256').update(text);
  await pipeline(
    createReadStream(gapsPath),
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        hash.update(chunk);
        yield chunk;
      }
    },
    createWriteStream(path, { flags: 'a' }),
  );
  return hash.digest('hex');
}

/**
 * The sha256sum file: "<hex>  <path>" (two spaces: text mode), one file per line. Every file was
 * hashed as it was written (never read back: data files can be gigabytes).
 */
function sha256sums(entries: readonly { path: string; sha256: string }[]): string {
  return `${[...entries]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((e) => `${e.sha256}  ${e.path}`)
    .join('\n')}\n`;
}

/**
 * The sync runs behind the data: every run that ended at or after the start of the scope's date
 * range (a message is archived by the first run after it was sent), or all runs.
 */
function syncRuns(db: Database.Database, scope: AuditScope): unknown[] {
  const from = scope.from === undefined ? 0 : boundToInstant(scope.from, scope.timeZone, 'from');
  return db
    .prepare<[number], { id: number; started_at: number; ended_at: number | null; status: string; counts_json: string }>(
      'SELECT id, started_at, ended_at, status, counts_json FROM sync_runs WHERE ended_at IS NULL OR ended_at >= ? ORDER BY id',
    )
    .all(from)
    .map((r) => ({
      id: r.id,
      startedAt: new Date(r.started_at).toISOString(),
      endedAt: r.ended_at === null ? null : new Date(r.ended_at).toISOString(),
      status: r.status,
      counts: JSON.parse(r.counts_json) as unknown,
    }));
}

function coverageSummary(db: Database.Database, scoped: boolean): Record<string, number> {
  const row = db
    .prepare(
      `SELECT count(*) AS conversations,
              count(*) FILTER (WHERE v.sync_status = 'complete') AS complete,
              count(*) FILTER (WHERE v.sync_status IS NULL OR v.sync_status <> 'complete') AS incomplete,
              count(*) FILTER (WHERE v.server_message_count IS NOT NULL AND v.server_message_count <> v.archived_count) AS countsDiffer,
              coalesce(sum(v.archived_count), 0) AS archivedMessages,
              coalesce(sum(v.deleted_count), 0) AS deletedMessages
         FROM chat_coverage v ${scoped ? 'JOIN temp.scope_chats s ON s.chat_id = v.chat_id' : ''}`,
    )
    .get() as Record<string, number>;
  return row;
}

function summariseVerification(v: VerifyReport): unknown {
  return { ok: v.ok, rowsChecked: v.rowsChecked, seals: v.seals, head: v.head, problems: v.problems.slice(0, 100), firstBad: v.firstBad };
}

/** Records a failed or cancelled export; best effort (the archive may be why it failed). */
function recordFailure(archivePath: string, at: number, scope: AuditScope, outDir: string, failure: VaultError, clock: Pick<Clock, 'now'>): void {
  try {
    recordExport(
      archivePath,
      {
        at,
        user: { user: userInfo().username, host: hostname() },
        scope,
        bundlePath: outDir,
        bundleHash: null,
        files: [],
        status: failure.code === 'CANCELLED' ? 'cancelled' : 'failed',
        detail: failure.message,
      },
      clock,
    );
  } catch {
    // Deliberately quiet: the caller gets the export's own error, which matters more.
  }
}

/** Appends the export to the archive's audit log, sealed in a seal of its own. */
function recordExport(
  archivePath: string,
  entry: {
    at: number;
    user: { user: string; host: string };
    scope: AuditScope;
    bundlePath: string;
    bundleHash: string | null;
    files: AuditFile[];
    status: 'complete' | 'failed' | 'cancelled';
    detail: string | null;
  },
  clock: Pick<Clock, 'now'>,
  completed = false,
): void {
  // A completed export has just read every row it wrote out; a failed one may have met damage.
  const archive = openArchive(archivePath, { create: false, justRead: completed, clock });
  try {
    archive.transaction(() => {
      const sealId = archive.sealer.open('audit', null, entry.at);
      const row = archive.db
        .prepare(
          `INSERT INTO audit_log (at, os_user, host, tool_version, scope_json, bundle_path, bundle_hash, files_json, status, detail)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          entry.at,
          entry.user.user,
          entry.user.host,
          toolVersion,
          JSON.stringify(entry.scope),
          entry.bundlePath,
          entry.bundleHash,
          JSON.stringify(entry.files.map((f) => ({ path: f.path, rows: f.rows, sha256: f.sha256 }))),
          entry.status,
          entry.detail,
        );
      archive.sealer.reseal('audit_log', row.lastInsertRowid);
      archive.sealer.close(sealId, clock.now());
    });
  } finally {
    archive.close();
  }
}
