import Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../../electron/core/archive/archive';
import { verifyArchive } from '../../../electron/core/archive/sealing/verify';
import { failedLook, readReviewLog, ReviewRecorder, type ReviewRecorderOptions, type ReviewWrite } from '../../../electron/core/review';
import { VaultError } from '../../../shared/errors';
import type { Logger } from '../../../electron/core/util/log';
import { manualTime } from '../../helpers/manualTimers';
import { useTempDir } from '../../helpers/tempDir';

function capturingLog() {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const at =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      lines.push({ level, message, ...(fields ? { fields } : {}) });
    };
  const log: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { log, lines };
}

describe('ReviewRecorder', () => {
  const tempDir = useTempDir();
  const newArchive = () => {
    const path = join(tempDir(), 'a.sqlite');
    openArchive(path, { clock: { now: () => 1 } }).close();
    return path;
  };
  const logOf = (path: string) => {
    const db = new Database(path, { readonly: true });
    try {
      return readReviewLog(db, { timeZone: 'UTC', limit: 1000 }).entries.reverse();
    } finally {
      db.close();
    }
  };
  const auditSeals = (path: string) => {
    const db = new Database(path, { readonly: true });
    try {
      return (db.prepare("SELECT count(*) AS n FROM seals WHERE kind = 'audit' AND closed_at IS NOT NULL").get() as { n: number }).n;
    } finally {
      db.close();
    }
  };
  const recorder = (time: ReturnType<typeof manualTime>, extra: Partial<ReviewRecorderOptions> = {}) =>
    new ReviewRecorder({ shell: 'serve', clock: time.clock, timers: time.timers, reviewer: () => ({ profileId: 'p1', profileName: 'Acme' }), ...extra });

  it('writes nothing on the answer path, then everything in one sealed batch after the quiet time', () => {
    const path = newArchive();
    const time = manualTime();
    const r = recorder(time);
    r.record(path, { action: 'search', scope: { text: 'fraud' }, results: 3 });
    time.advance(500);
    r.record(path, { action: 'transcript_view', scope: { chatId: 'c1' }, chatId: 'c1', results: 50 });
    time.advance(1499);
    expect(logOf(path)).toEqual([]);
    expect(r.pending).toBe(2);
    time.advance(1);
    expect(r.pending).toBe(0);
    const entries = logOf(path);
    expect(entries.map((e) => [e.action, e.shell, e.profileId, e.profileName, e.results, e.chatId, e.outcome])).toEqual([
      ['search', 'serve', 'p1', 'Acme', 3, null, 'ok'],
      ['transcript_view', 'serve', 'p1', 'Acme', 50, 'c1', 'ok'],
    ]);
    expect(entries[0]?.at).toBe(1_000_000);
    expect(entries[0]?.recordedAt).toBe(1_002_000);
    expect(entries[0]?.osUser).not.toBe('');
    expect(auditSeals(path)).toBe(1);
    const db = new Database(path, { readonly: true });
    expect(verifyArchive(db).problems).toEqual([]);
    db.close();
  });

  it('writes as soon as maxBatch looks are queued, without waiting for quiet', () => {
    const path = newArchive();
    const time = manualTime();
    const r = recorder(time, { maxBatch: 3 });
    for (const chatId of ['c1', 'c2']) r.record(path, { action: 'transcript_view', scope: { chatId }, chatId });
    time.advance(0);
    expect(r.pending).toBe(2);
    r.record(path, { action: 'transcript_view', scope: { chatId: 'c3' }, chatId: 'c3' });
    time.advance(0);
    expect(r.pending).toBe(0);
    expect(logOf(path).map((e) => e.chatId)).toEqual(['c1', 'c2', 'c3']);
  });

  it('writes a burst that never pauses at most maxDelayMs after its first look', () => {
    const path = newArchive();
    const time = manualTime();
    const r = recorder(time);
    // A transcript read, then a search refined every second: the quiet time never comes.
    r.record(path, { action: 'transcript_view', scope: { chatId: 'c1' }, chatId: 'c1' });
    let text = 'a';
    for (let i = 0; i < 9; i += 1) {
      time.advance(1000);
      text += 'a';
      r.record(path, { action: 'search', scope: { text } });
    }
    expect(logOf(path)).toEqual([]);
    time.advance(1000);
    expect(logOf(path).map((e) => e.action)).toEqual(['transcript_view', 'search']);
  });

  it('writes what is queued at close, and a look recorded after close at once', () => {
    const path = newArchive();
    const time = manualTime();
    const r = recorder(time);
    r.record(path, { action: 'export', scope: { what: 'messages' }, results: 10 });
    expect(r.close()).toBe(0);
    expect(time.armed()).toBe(0);
    expect(logOf(path).map((e) => [e.action, e.results])).toEqual([['export', 10]]);
    r.record(path, { action: 'verify', scope: {} });
    expect(logOf(path).map((e) => e.action)).toEqual(['export', 'verify']);
  });

  it('folds a search-as-you-type burst into one entry with its refinements, and keeps every settled search', () => {
    const path = newArchive();
    const time = manualTime();
    const r = recorder(time);
    const search = (text: string, results: number, extra: Record<string, unknown> = {}) => r.record(path, { action: 'search', scope: { text, ...extra }, results });
    search('f', 90);
    time.advance(150);
    search('fr', 40);
    time.advance(150);
    search('fra', 12);
    time.advance(200);
    search('fraud', 3);
    // Another word: a new search, not a refinement.
    time.advance(300);
    search('bribe', 2);
    // The same text with another filter: a new search.
    time.advance(300);
    search('bribe', 1, { chats: ['c1'] });
    // A pause longer than foldMs: the settled search stays, the next is new.
    time.advance(2500);
    search('bribes', 0, { chats: ['c1'] });
    r.close();
    const entries = logOf(path);
    expect(entries.map((e) => [e.scope.text, e.results, e.refinements, e.firstAt, e.scope.earlierTexts ?? null])).toEqual([
      ['fraud', 3, 3, 1_000_000, ['f', 'fr', 'fra']],
      ['bribe', 2, 0, null, null],
      ['bribe', 1, 0, null, null],
      ['bribes', 0, 0, null, null],
    ]);
    expect(entries[0]?.at).toBe(1_000_500);
  });

  it('never folds across another action or into a search already written', () => {
    const path = newArchive();
    const time = manualTime();
    const r = recorder(time);
    r.record(path, { action: 'search', scope: { text: 'fr' }, results: 4 });
    r.record(path, { action: 'transcript_view', scope: { chatId: 'c1' }, chatId: 'c1' });
    r.record(path, { action: 'search', scope: { text: 'fra' }, results: 2 });
    r.flush();
    r.record(path, { action: 'search', scope: { text: 'frau' }, results: 1 });
    r.close();
    expect(logOf(path).map((e) => [e.action, e.scope.text ?? null, e.refinements])).toEqual([
      ['search', 'fr', 0],
      ['transcript_view', null, 0],
      ['search', 'fra', 0],
      ['search', 'frau', 0],
    ]);
  });

  it('keeps looks queued while the archive is locked by a writer, warns once with a typed code, and writes them later', () => {
    const path = newArchive();
    const time = manualTime();
    const { log, lines } = capturingLog();
    const r = recorder(time, { log, busyMs: 0 });
    const writer = new Database(path);
    writer.exec('BEGIN IMMEDIATE');
    expect(() => r.record(path, { action: 'search', scope: { text: 'fraud' }, results: 1 })).not.toThrow();
    time.advance(1500);
    expect(r.pending).toBe(1);
    r.record(path, { action: 'transcript_view', scope: { chatId: 'c1' }, chatId: 'c1' });
    time.advance(2000);
    expect(r.pending).toBe(2);
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.fields?.code)).toEqual(['REVIEW_LOG_DEFERRED']);
    writer.exec('ROLLBACK');
    writer.close();
    // The retry backs off (2 s, then 4 s): it comes by itself.
    time.advance(4000);
    expect(r.pending).toBe(0);
    expect(logOf(path).map((e) => e.action)).toEqual(['search', 'transcript_view']);
    expect(lines.filter((l) => l.level === 'info').map((l) => l.fields?.code)).toEqual(['REVIEW_LOG_DEFERRED']);
    r.close();
  });

  it('never fails the caller when a write throws, loses nothing, and logs whole what close cannot write', () => {
    const path = newArchive();
    const time = manualTime();
    const { log, lines } = capturingLog();
    let refuse = true;
    const written: string[] = [];
    const write: ReviewWrite = (_archive, records) => {
      if (refuse) throw Object.assign(new Error('attempt to write a readonly database'), { code: 'SQLITE_READONLY' });
      written.push(...records.map((x) => x.action));
    };
    const r = recorder(time, { log, write });
    for (let i = 0; i < 5; i += 1) r.record(path, { action: 'verify', scope: { i } });
    time.advance(60_000);
    expect(r.pending).toBe(5);
    refuse = false;
    time.advance(60_000);
    expect(written).toEqual(['verify', 'verify', 'verify', 'verify', 'verify']);

    refuse = true;
    r.record(path, { action: 'restore', scope: { snapshot: 's1' } });
    expect(r.close()).toBe(1);
    const unwritten = lines.find((l) => l.level === 'error');
    expect(unwritten?.fields?.code).toBe('REVIEW_LOG_UNWRITTEN');
    expect(unwritten?.fields?.entries).toEqual([expect.objectContaining({ archivePath: path, action: 'restore', scope: { snapshot: 's1' } })]);
  });

  it('writes each look to the archive it was made in', () => {
    const [a, b] = [newArchive(), newArchive()];
    const time = manualTime();
    const r = recorder(time);
    r.record(a, { action: 'search', scope: { text: 'x' } });
    r.record(b, { action: 'search', scope: { text: 'xy' } });
    r.close();
    expect(logOf(a).map((e) => e.scope.text)).toEqual(['x']);
    expect(logOf(b).map((e) => e.scope.text)).toEqual(['xy']);
  });
});

describe('failedLook', () => {
  it('names a refused, cancelled or failed look with its code, and records nothing for an unusable archive', () => {
    expect(failedLook(new VaultError('BAD_QUERY', 'The query does not parse.'))).toEqual({ outcome: 'refused', detail: 'BAD_QUERY: The query does not parse.' });
    expect(failedLook(new VaultError('CANCELLED', 'Cancelled.'))?.outcome).toBe('cancelled');
    expect(failedLook(new VaultError('IO_ERROR', 'Disk full.'))?.outcome).toBe('failed');
    // A damaged file: nothing is written into it, not even the record of the look it refused.
    expect(failedLook(Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' }))).toBeNull();
    expect(failedLook(new VaultError('ARCHIVE_TOO_NEW', 'Newer.'))).toBeNull();
  });
});
