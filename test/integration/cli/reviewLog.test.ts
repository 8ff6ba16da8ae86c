import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReviewPage } from '../../../shared/review';
import { lookedAtArchive, reviewEntries } from '../../helpers/reviewLog';
import { runInProcess } from '../../helpers/inProcessCli';
import { useTempDir } from '../../helpers/tempDir';

describe('the review log, from the command line', () => {
  const tempDir = useTempDir();

  it('a search leaves exactly one entry: the query and filters as given, the hits, the shell and the OS user', async () => {
    const path = lookedAtArchive(tempDir());
    const result = await runInProcess(['search', '--archive', path, 'invoice', '--chat', 'CT_100', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as { hits: unknown[] }).hits).toHaveLength(2);
    expect(result.stderr).toBe('');
    const [entry, ...rest] = reviewEntries(path);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({ action: 'search', shell: 'cli', profileId: null, results: 2, outcome: 'ok', refinements: 0, chatId: null });
    expect(entry?.scope).toMatchObject({ text: 'invoice', chats: ['CT_100'], mode: 'simple', limit: 20 });
    expect(entry?.osUser).not.toBe('');
    expect(entry?.host).not.toBe('');
    expect(entry?.rowHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a refused search is on record as refused, with why', async () => {
    const path = lookedAtArchive(tempDir());
    const result = await runInProcess(['search', '--archive', path, '--advanced', 'invoice AND']);
    expect(result.code).not.toBe(0);
    expect(reviewEntries(path).map((e) => [e.action, e.outcome, e.results])).toEqual([['search', 'refused', null]]);
    expect(reviewEntries(path)[0]?.detail).toMatch(/^BAD_QUERY: /);
  });

  it('a transcript read leaves exactly one entry naming the conversation and the messages shown', async () => {
    const path = lookedAtArchive(tempDir());
    const result = await runInProcess(['transcript', '--archive', path, '--chat', 'incidents']);
    expect(result.code, result.stderr).toBe(0);
    const log = reviewEntries(path);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ action: 'transcript_view', chatId: 'CT_100', results: 3, outcome: 'ok' });
    expect(log[0]?.scope).toEqual({ chat: 'incidents', limit: 50, format: 'text' });
  });

  it('an export leaves exactly one entry with its kind, destination and records; export --what review_log writes the log', async () => {
    const dir = tempDir();
    const path = lookedAtArchive(dir);
    const out = join(dir, 'messages.jsonl');
    const result = await runInProcess(['export', '--archive', path, '--what', 'messages', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    const log = reviewEntries(path);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ action: 'export', results: 4, outcome: 'ok', scope: { what: 'messages', out, format: 'jsonl' } });

    const reviewOut = join(dir, 'review.jsonl');
    expect((await runInProcess(['export', '--archive', path, '--what', 'review_log', '--out', reviewOut])).code).toBe(0);
    const lines = readFileSync(reviewOut, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([expect.objectContaining({ review_id: 1, action: 'export', shell: 'cli', results: 4, scope: { what: 'messages', out, format: 'jsonl' } })]);
    // The export of the log is itself on record.
    expect(reviewEntries(path).map((e) => [e.action, e.scope.what])).toEqual([
      ['export', 'messages'],
      ['export', 'review_log'],
    ]);
  });

  it('audit-log shows the log newest first, filters by action, and records its own reading; verify --archive passes with entries', async () => {
    const path = lookedAtArchive(tempDir());
    await runInProcess(['search', '--archive', path, 'invoice']);
    await runInProcess(['transcript', '--archive', path, '--chat', 'CT_200']);
    const text = await runInProcess(['audit-log', '--archive', path]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/cli {5}Transcript read {3}.*conversation CT_200 .*→ 1 {2}#2/);
    expect(text.stdout).toMatch(/cli {5}Search {12}.*“invoice” → 3 {2}#1/);

    const json = await runInProcess(['audit-log', '--archive', path, '--json', '--action', 'search', '--action', 'review_log_view']);
    const page = JSON.parse(json.stdout) as ReviewPage;
    expect(page.entries.map((e) => [e.id, e.action])).toEqual([
      [3, 'review_log_view'],
      [1, 'search'],
    ]);
    expect(page.nextBefore).toBeNull();
    expect((await runInProcess(['audit-log', '--archive', path, '--action', 'peek'])).code).toBe(2);

    const verify = await runInProcess(['verify', '--archive', path]);
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stdout).toContain('OK: every sealed row, seal and link checks out.');
    // And the verify itself is on record, after the seals it checked.
    expect(reviewEntries(path).at(-1)).toMatchObject({ action: 'verify', outcome: 'ok' });
    const again = await runInProcess(['verify', '--archive', path, '--json']);
    expect((JSON.parse(again.stdout) as { ok: boolean }).ok).toBe(true);
  });
  it('an audit bundle carries the looks on record (a scoped one, those at its conversations) and is itself one entry', async () => {
    const dir = tempDir();
    const path = lookedAtArchive(dir);
    await runInProcess(['search', '--archive', path, 'invoice']);
    await runInProcess(['transcript', '--archive', path, '--chat', 'CT_100']);
    await runInProcess(['transcript', '--archive', path, '--chat', 'CT_200']);
    const lines = (file: string) =>
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { action: string; chat_id: string | null; scope: Record<string, unknown> });

    const whole = await runInProcess(['audit', '--archive', path, '--out', join(dir, 'whole'), '--format', 'jsonl', '--no-files', '--no-transcripts']);
    expect(whole.code, whole.stderr).toBe(0);
    expect(lines(join(dir, 'whole', 'data', 'review-log.jsonl')).map((l) => [l.action, l.chat_id])).toEqual([
      ['search', null],
      ['transcript_view', 'CT_100'],
      ['transcript_view', 'CT_200'],
    ]);
    expect(readFileSync(join(dir, 'whole', 'data-dictionary.csv'), 'utf8')).toMatch(/review-log\.csv,refinements,/);

    const scoped = await runInProcess(['audit', '--archive', path, '--out', join(dir, 'scoped'), '--chat', 'CT_200', '--format', 'jsonl', '--no-files', '--no-transcripts']);
    expect(scoped.code, scoped.stderr).toBe(0);
    expect(lines(join(dir, 'scoped', 'data', 'review-log.jsonl')).map((l) => [l.action, l.chat_id])).toEqual([['transcript_view', 'CT_200']]);

    // audit_log keeps each bundle's files and hash; the review log has one `bundle` entry each, with its scope and rows.
    const bundles = reviewEntries(path).filter((e) => e.action === 'bundle');
    expect(bundles.map((e) => [e.outcome, e.scope.conversations ?? null, e.scope.out])).toEqual([
      ['ok', null, join(dir, 'whole')],
      ['ok', ['CT_200'], join(dir, 'scoped')],
    ]);
    expect(bundles[0]?.results).toBeGreaterThan(0);
  });
});
