import Database from 'better-sqlite3-multiple-ciphers';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syncArchive } from '../../../electron/core/createCore';
import type { SearchHit } from '../../../shared/search';
import type { ReviewCodingRecord, ReviewItemsPage, ReviewSetSummary } from '../../../shared/reviewSets';
import { runCli } from '../../helpers/cli';
import { runInProcess } from '../../helpers/inProcessCli';
import { connectionTo, useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

describe('cliq-vault review: create, list, show, tag and export review sets', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('freezes what search finds, codes it (one review-log entry per action), filters by tag, and produces the responsive, not privileged messages', async () => {
    const sim = await simulator({ seed: 15, scale: 'tiny' });
    const dir = tempDir();
    const path = join(dir, 'a.sqlite');
    await syncArchive(path, connectionTo(sim));
    // A word the org used in more than one conversation.
    const db = new Database(path, { readonly: true });
    const chatsOf = new Map<string, Set<string>>();
    for (const m of db.prepare<[], { chat_id: string; text: string }>('SELECT chat_id, text FROM messages WHERE text IS NOT NULL').all()) {
      for (const w of m.text
        .replace(/\[[^\]]*\]\([^)]*\)/g, ' ')
        .toLowerCase()
        .match(/\b[a-z]{5,}\b/g) ?? [])
        chatsOf.set(w, (chatsOf.get(w) ?? new Set()).add(m.chat_id));
    }
    const word = [...chatsOf].filter(([, chats]) => chats.size > 1).sort((x, y) => y[1].size - x[1].size || (x[0] < y[0] ? -1 : 1))[0]?.[0];
    db.close();
    if (word === undefined) throw new Error('the tiny org has no word used in two conversations');

    const search = await runInProcess(['search', word, '--archive', path, '--limit', '500', '--json']);
    expect(search.code, search.stderr).toBe(0);
    const hits = (JSON.parse(search.stdout) as { hits: SearchHit[] }).hits.map((h) => `${h.chatId} ${h.messageId}`).sort();
    expect(hits.length).toBeGreaterThan(1);

    const created = await runInProcess(['review', 'create', '--archive', path, '--name', 'First pass', '--query', word, '--description', 'the word', '--json']);
    expect(created.code, created.stderr).toBe(0);
    const set = (JSON.parse(created.stdout) as { set: ReviewSetSummary }).set;
    expect(set).toMatchObject({ name: 'First pass', description: 'the word', items: hits.length, owner: { profile: null } });
    const show = async (...extra: string[]) => {
      const r = await runInProcess(['review', 'show', '--archive', path, '--set', 'First pass', '--json', ...extra]);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as ReviewItemsPage;
    };
    const all = await show();
    expect(all.items.map((i) => `${i.chatId} ${i.messageId}`).sort()).toEqual(hits);
    const [a, b] = all.items;
    const other = all.items.find((i) => i.chatId !== a?.chatId);
    if (!a || !b || !other) throw new Error('the set has too few items');

    const tag = (...args: string[]) => runInProcess(['review', 'tag', '--archive', path, '--set', String(set.id), ...args]);
    for (const args of [
      ['--chat', a.chatId, '--message', a.messageId, '--add', 'responsive'],
      ['--chat', b.chatId, '--message', b.messageId, '--add', 'Responsive'],
      ['--chat', b.chatId, '--message', b.messageId, '--add', 'privileged'],
      ['--chat', other.chatId, '--add', 'responsive'],
      ['--chat', a.chatId, '--message', a.messageId, '--note', 'ask counsel'],
      ['--chat', a.chatId, '--message', a.messageId, '--reviewed', 'yes'],
    ]) {
      const r = await tag(...args);
      expect(r.code, r.stderr).toBe(0);
    }
    const json = await tag('--chat', a.chatId, '--message', a.messageId, '--add', 'hot', '--json');
    expect((JSON.parse(json.stdout) as { record: ReviewCodingRecord }).record).toMatchObject({ action: 'tag', tag: 'hot', by: { profile: null } });
    // Refused: two actions at once (a usage error, nothing recorded), an untag of a tag not applied (recorded as refused).
    const both = await tag('--chat', a.chatId, '--message', a.messageId, '--add', 'x', '--remove', 'y');
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/exactly one of --add, --remove, --note or --reviewed/);
    const untag = await tag('--chat', a.chatId, '--message', a.messageId, '--remove', 'privileged');
    expect(untag.code).not.toBe(0);
    expect(untag.stderr).toMatch(/does not carry the tag "privileged"/);

    const responsive = await show('--tag', 'responsive', '--without-tag', 'privileged');
    const inOther = all.items.filter((i) => i.chatId === other.chatId).map((i) => i.messageId);
    const expected = all.items.filter((i) => (i === a || i.chatId === other.chatId) && i !== b).map((i) => `${i.chatId} ${i.messageId}`);
    expect(responsive.items.map((i) => `${i.chatId} ${i.messageId}`)).toEqual(expected);
    expect(responsive.items.find((i) => i.messageId === a.messageId)).toMatchObject({ tags: ['hot', 'responsive'], note: 'ask counsel', reviewed: true });
    expect(inOther.length).toBeGreaterThan(0);
    const coded = all.items.filter((i) => i === a || i === b || i.chatId === other.chatId);
    expect((await show('--reviewed', 'no')).total).toBe(all.total - coded.length);
    const text = await runInProcess(['review', 'show', '--archive', path, '--set', 'First pass', '--tag', 'privileged']);
    expect(text.stdout).toContain(`(${b.chatId} ${b.messageId})`);
    expect(text.stdout).toMatch(/\[privileged; responsive[;\]]/);

    const listed = await runInProcess(['review', 'list', '--archive', path]);
    expect(listed.stdout).toMatch(new RegExp(`^${set.id}  First pass  reviewed \\d+ of ${set.items} \\(`, 'm'));

    const out = join(dir, 'production');
    const exported = await runInProcess([
      'review',
      'export',
      '--archive',
      path,
      '--set',
      'First pass',
      '--tag',
      'responsive',
      '--without-tag',
      'privileged',
      '--out',
      out,
      '--no-files',
      '--matter',
      'Acme',
    ]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain('tagged responsive and not tagged privileged');
    const lines = (file: string) =>
      readFileSync(join(out, 'data', file), 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(
      lines('messages.jsonl')
        .map((m) => `${String(m.chat_id)} ${String(m.message_id)}`)
        .sort(),
    ).toEqual([...expected].sort());
    expect(lines('review-coding.jsonl').map((c) => `${String(c.chat_id)} ${String(c.message_id)}`)).toEqual(expected);
    expect(readFileSync(join(out, 'custody.txt'), 'utf8')).toContain('the review set "First pass"');

    // The review log: the set, one entry per coding action (the refused untag too), the bundle.
    const log = new Database(path, { readonly: true });
    const actions = log.prepare<[], { action: string; outcome: string }>("SELECT action, outcome FROM review_log WHERE action IN ('review_set_create', 'review_code', 'bundle') ORDER BY id").all();
    log.close();
    expect(actions.map((r) => `${r.action} ${r.outcome}`)).toEqual(['review_set_create ok', ...Array.from({ length: 7 }, () => 'review_code ok'), 'review_code refused', 'bundle ok']);

    // The built command, as a user runs it.
    const spawned = await runCli(['review', 'list', '--archive', path, '--json']);
    expect(spawned.code, spawned.stderr).toBe(0);
    expect((JSON.parse(spawned.stdout) as { sets: ReviewSetSummary[] }).sets.map((s) => s.name)).toEqual(['First pass']);
    const verify = await runCli(['verify', '--archive', path]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  }, 120_000);
});
