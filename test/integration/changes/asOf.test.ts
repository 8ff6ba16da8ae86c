import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchiveDb } from '../../../electron/core/archive/connection';
import { syncArchive } from '../../../electron/core/createCore';
import { createAuditBundle } from '../../../electron/core/audit/bundle';
import { verifyBundle } from '../../../electron/core/audit/verifyBundle';
import { conversationAsOf, conversationPage } from '../../../electron/core/search';
import { lastJson, runCli } from '../../helpers/cli';
import { connectionTo, useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

type State = Map<string, { messages: string[]; members: string[] }>;

/** Every conversation's messages (id and text, in order) and current members, as the archive reads now. */
function stateNow(path: string): State {
  const db = openArchiveDb(path, { readonly: true });
  try {
    const chats = db.prepare<[], string>('SELECT chat_id FROM chats ORDER BY chat_id').pluck().all();
    const members = db.prepare<[string], string>('SELECT coalesce(name, email, user_id) FROM membership_intervals WHERE chat_id = ? AND left_noticed_run IS NULL ORDER BY 1').pluck();
    return new Map(
      chats.map((chatId) => [
        chatId,
        { messages: conversationPage(db, chatId, { limit: 1_000, includeDeleted: false }).messages.map((m) => `${m.messageId} ${m.text ?? ''}`), members: members.all(chatId) },
      ]),
    );
  } finally {
    db.close();
  }
}

/** Point in time: a conversation as it stood before the simulator changed it is what the archive read then. */
describe('transcripts as of a time', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('equal the conversations as they were before a mutation: old texts, deleted messages, departed members; nothing added later', async () => {
    const sim = await simulator({ scale: 'tiny' });
    const path = join(tempDir(), 'a.sqlite');
    expect((await syncArchive(path, connectionTo(sim))).status).toBe('complete');
    const before = stateNow(path);
    await sleep(20);
    const asOf = Date.now();
    await sleep(20);
    const mutation = sim.mutate({ seed: 4, editMessages: 4, deleteMessages: 3, newMessages: 4, swapMembers: 2 });
    expect(mutation.edited.length).toBeGreaterThan(0);
    expect((await syncArchive(path, connectionTo(sim))).status).toBe('complete');
    const after = stateNow(path);

    const touched = new Set([...mutation.edited, ...mutation.deleted, ...mutation.added].map((c) => c.chatId).concat(mutation.swapped.map((s) => s.chatId)));
    expect(touched.size).toBeGreaterThan(0);
    const db = openArchiveDb(path, { readonly: true });
    try {
      for (const chatId of touched) {
        const then = conversationAsOf(db, chatId, asOf, 1_000);
        expect(
          then.messages.map((m) => `${m.messageId} ${m.text ?? ''}`),
          chatId,
        ).toEqual(before.get(chatId)?.messages);
        expect(then.members.map((m) => m.name ?? m.email ?? m.userId).sort(), chatId).toEqual([...(before.get(chatId)?.members ?? [])].sort());
        expect(
          then.messages.every((m) => m.asOfNote === null),
          chatId,
        ).toBe(true);
        // And as of later (the simulator stamps new messages a little ahead), what the archive reads now.
        const now = conversationAsOf(db, chatId, Date.now() + 3_600_000, 1_000);
        expect(
          now.messages.map((m) => `${m.messageId} ${m.text ?? ''}`),
          chatId,
        ).toEqual(after.get(chatId)?.messages);
      }
    } finally {
      db.close();
    }

    // The CLI's --as-of: the same, as text and JSON; it says it is bounded by what the archive saw.
    const [edited] = mutation.edited;
    if (edited === undefined) throw new Error('nothing was edited');
    const at = new Date(asOf).toISOString();
    const json = await runCli(['transcript', '--archive', path, '--chat', edited.chatId, '--as-of', at, '--limit', '1000', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect((lastJson(json) as { messages: { messageId: string; text: string | null }[] }).messages.map((m) => `${m.messageId} ${m.text ?? ''}`)).toEqual(before.get(edited.chatId)?.messages);
    const text = await runCli(['transcript', '--archive', path, '--chat', edited.chatId, '--as-of', at, '--tz', 'UTC']);
    expect(text.stdout).toMatch(/^As of .* \(UTC\), as far as the archive saw it/);
    expect(text.stdout).toMatch(/\nMembers then \(\d+\): /);
    const refused = await runCli(['transcript', '--archive', path, '--chat', edited.chatId, '--as-of', at, '--format', 'html']);
    expect(refused.code).toBe(2);
  });

  it('an audit bundle as of a time holds what stood then: the messages, their texts and the members, beside the full record', async () => {
    const sim = await simulator({ scale: 'tiny', seed: 7 });
    const dir = tempDir();
    const path = join(dir, 'a.sqlite');
    const unseen = new Date(Date.now()).toISOString();
    await sleep(20);
    expect((await syncArchive(path, connectionTo(sim))).status).toBe('complete');
    const before = stateNow(path);
    await sleep(20);
    const asOf = new Date(Date.now()).toISOString();
    await sleep(20);
    const mutation = sim.mutate({ seed: 5, editMessages: 4, deleteMessages: 3, newMessages: 4, swapMembers: 2 });
    expect(mutation.deleted.length).toBeGreaterThan(0);
    expect((await syncArchive(path, connectionTo(sim))).status).toBe('complete');

    const out = join(dir, 'as-of');
    const result = await createAuditBundle({ archivePath: path, outDir: out, scope: { asOf, formats: ['jsonl'], files: false, transcripts: false } });
    const rows = (name: string) =>
      readFileSync(join(out, 'data', `${name}.jsonl`), 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    const asOfMessages = rows('messages_as_of');
    const byChat = new Map<string, string[]>();
    for (const m of asOfMessages) byChat.set(String(m.chat_id), [...(byChat.get(String(m.chat_id)) ?? []), `${String(m.message_id)} ${(m.text_as_of as string | null) ?? ''}`]);
    const expected = new Map([...before].filter(([, c]) => c.messages.length > 0).map(([chatId, c]) => [chatId, [...c.messages].sort()]));
    expect(new Map([...byChat].map(([chatId, lines]) => [chatId, lines.sort()]))).toEqual(expected);
    expect(asOfMessages.every((m) => m.seen_later === false)).toBe(true);
    // The full record of the same messages beside it: today's texts, the deletions noticed since.
    expect(
      rows('messages')
        .map((m) => m.message_id)
        .sort(),
    ).toEqual(asOfMessages.map((m) => m.message_id).sort());
    const members = rows('members_as_of');
    for (const [chatId] of expected) {
      const names = members.filter((m) => m.chat_id === chatId).map((m) => String(m.name ?? m.email ?? m.user_id));
      expect(names.sort(), chatId).toEqual([...(before.get(chatId)?.members ?? [])].sort());
    }
    expect(
      rows('conversations_as_of')
        .map((c) => c.chat_id)
        .sort(),
    ).toEqual([...expected.keys()].sort());
    expect(readFileSync(join(out, 'custody.txt'), 'utf8')).toMatch(/As of: .*as the archive saw them then/);
    expect((JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { scope: { rule: string } }).scope.rule).toMatch(/as the archive stood at /);
    expect(result.files.some((f) => f.dataset === 'messages_as_of')).toBe(true);
    expect((await verifyBundle(out)).ok).toBe(true);

    // As of before the archive first saw anything: what had been sent, with the texts first seen later, and saying so.
    const early = join(dir, 'early');
    await createAuditBundle({ archivePath: path, outDir: early, scope: { asOf: unseen, formats: ['jsonl'], files: false, transcripts: false } });
    const earlyRows = readFileSync(join(early, 'data', 'messages_as_of.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(earlyRows.length).toBeGreaterThan(0);
    expect(earlyRows.every((m) => m.seen_later === true)).toBe(true);
    expect(readFileSync(join(early, 'data', 'conversations_as_of.jsonl'), 'utf8')).toContain('"title_seen_later":true');

    // Without --as-of there are no as-of files; the CLI takes --as-of and says the same.
    const plain = join(dir, 'plain');
    await createAuditBundle({ archivePath: path, outDir: plain, scope: { formats: ['jsonl'], files: false, transcripts: false } });
    expect(existsSync(join(plain, 'data', 'messages_as_of.jsonl'))).toBe(false);
    expect(readFileSync(join(out, 'data-dictionary.csv'), 'utf8')).toContain('messages_as_of.csv,text_as_of,text,');
    expect(readFileSync(join(plain, 'data-dictionary.csv'), 'utf8')).not.toContain('messages_as_of');
    const cli = await runCli(['audit', '--archive', path, '--out', join(dir, 'cli'), '--as-of', asOf, '--format', 'csv', '--no-files', '--no-transcripts']);
    expect(cli.code, cli.stderr).toBe(0);
    const cliFiles = (JSON.parse(readFileSync(join(dir, 'cli', 'manifest.json'), 'utf8')) as { files: { path: string; rows: number }[] }).files;
    expect(cliFiles.find((f) => f.path === 'data/messages_as_of.csv')?.rows).toBe(asOfMessages.length);
  });
});
