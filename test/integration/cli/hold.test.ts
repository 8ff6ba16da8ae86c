import Database from 'better-sqlite3-multiple-ciphers';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syncArchive } from '../../../electron/core/createCore';
import type { HoldMention, HoldSummary, HoldView } from '../../../shared/holds';
import { runInProcess } from '../../helpers/inProcessCli';
import { connectionTo, useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

describe('cliq-vault hold: place, list, show and release legal holds', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  /** A tiny org, synced; a person with an e-mail and a titled conversation of theirs. */
  async function synced() {
    const sim = await simulator({ seed: 14, scale: 'tiny' });
    const path = join(tempDir(), 'a.sqlite');
    await syncArchive(path, connectionTo(sim));
    const db = new Database(path, { readonly: true });
    const person = db.prepare<[], { user_id: string; email: string }>('SELECT user_id, email FROM users WHERE email IS NOT NULL ORDER BY user_id LIMIT 1').get();
    const chat = db
      .prepare<[], { chat_id: string; title: string }>(
        `SELECT c.chat_id, c.title FROM chats c WHERE c.title IS NOT NULL AND (SELECT count(*) FROM chats d WHERE lower(d.title) = lower(c.title)) = 1
           AND EXISTS (SELECT 1 FROM messages m WHERE m.chat_id = c.chat_id) ORDER BY c.chat_id LIMIT 1`,
      )
      .get();
    const messagesInChat = db.prepare<[string], number>('SELECT count(*) FROM messages WHERE chat_id = ?').pluck();
    const threads = db.prepare<[string], number>('SELECT count(*) FROM messages WHERE chat_id IN (SELECT thread_chat_id FROM threads WHERE parent_chat_id = ?)').pluck();
    if (!person || !chat) throw new Error('the tiny org has no person with an e-mail or no titled conversation');
    const expectedChat = messagesInChat.get(chat.chat_id) ?? 0;
    const expectedThreads = threads.get(chat.chat_id) ?? 0;
    db.close();
    return { path, person, chat, chatMessages: expectedChat + expectedThreads };
  }

  it('adds a hold (custodian by e-mail, conversation by title), lists it, shows it, releases it; verify still passes', async () => {
    const { path, person, chat, chatMessages } = await synced();

    const added = await runInProcess(['hold', 'add', '--archive', path, '--name', 'Acme v. Us', '--chat', chat.title, '--reason', 'counsel request', '--json']);
    expect(added.code, added.stderr).toBe(0);
    const hold = (JSON.parse(added.stdout) as { hold: HoldView }).hold;
    expect(hold).toMatchObject({ name: 'Acme v. Us', reason: 'counsel request', status: 'active', conversations: [{ chatId: chat.chat_id, title: chat.title }], release: null });
    expect(hold.placedBy.osUser).not.toBe('');
    expect(hold.rowHash).toMatch(/^[0-9a-f]{64}$/);

    const second = await runInProcess([
      'hold',
      'add',
      '--archive',
      path,
      '--name',
      'People',
      '--custodian',
      person.email.toUpperCase(),
      '--from',
      '2020-01-01',
      '--to',
      '2030-12-31',
      '--tz',
      'Europe/Berlin',
    ]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('Placed the hold "People" (sealed');
    expect(second.stdout).toContain(`custodian ${person.email.toUpperCase()} (user ${person.user_id})`);
    expect(second.stdout).toContain('dates 2020-01-01 00:00 to 2030-12-31 23:59 (Europe/Berlin)');

    const list = await runInProcess(['hold', 'list', '--archive', path, '--json']);
    expect(list.code, list.stderr).toBe(0);
    const holds = (JSON.parse(list.stdout) as { holds: HoldSummary[] }).holds;
    expect(holds.map((h) => [h.name, h.status])).toEqual([
      ['People', 'active'],
      ['Acme v. Us', 'active'],
    ]);
    expect(holds[1]?.counts.messages).toBe(chatMessages);
    expect(holds[0]?.custodians).toEqual([{ given: person.email.toUpperCase(), userIds: [person.user_id], email: person.email.toLowerCase() }]);
    expect(holds[0]?.counts.messages).toBeGreaterThan(0);
    const text = await runInProcess(['hold', 'list', '--archive', path]);
    expect(text.stdout).toMatch(/^ACTIVE {4}Acme v\. Us {2}placed \d{4}-\d\d-\d\d \d\d:\d\d by .+: [\d,]+ messages? in [\d,]+ conversations?, [\d,]+ senders?$/m);

    const show = await runInProcess(['hold', 'show', '--archive', path, '--name', 'Acme v. Us']);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain('Hold "Acme v. Us": ACTIVE');
    expect(show.stdout).toContain('reason: counsel request');
    expect(show.stdout).toContain(`conversation ${chat.chat_id} ${chat.title}`);
    expect(show.stdout).toContain(`holds now: ${chatMessages.toLocaleString('en-US')} messages`);

    const released = await runInProcess(['hold', 'release', '--archive', path, '--name', 'Acme v. Us', '--reason', 'matter settled']);
    expect(released.code, released.stderr).toBe(0);
    expect(released.stdout).toContain('Released the hold "Acme v. Us" (sealed)');
    const after = await runInProcess(['hold', 'show', '--archive', path, '--name', 'Acme v. Us', '--json']);
    const shown = (JSON.parse(after.stdout) as { hold: HoldSummary }).hold;
    expect(shown.status).toBe('released');
    expect(shown.release?.reason).toBe('matter settled');
    // The released name is free again.
    expect((await runInProcess(['hold', 'add', '--archive', path, '--name', 'Acme v. Us', '--query', 'hello'])).code).toBe(0);

    const verify = await runInProcess(['verify', '--archive', path]);
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stdout).toContain('OK: every sealed row, seal and link checks out.');

    const out = join(tempDir(), 'holds.jsonl');
    const exported = await runInProcess(['export', '--archive', path, '--what', 'holds', '--out', out]);
    expect(exported.code, exported.stderr).toBe(0);
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.name, l.status, l.release_reason])).toEqual([
      ['Acme v. Us', 'released', 'matter settled'],
      ['People', 'active', null],
      ['Acme v. Us', 'active', null],
    ]);
    expect(lines[1]?.custodians).toEqual([{ given: person.email.toUpperCase(), user_id: person.user_id, email: person.email.toLowerCase() }]);
  });

  it('every audit bundle names the holds that touched its scope, in manifest.json, README.txt and data/holds.*', async () => {
    const { path, chat } = await synced();
    expect((await runInProcess(['hold', 'add', '--archive', path, '--name', 'Matter A', '--chat', chat.chat_id, '--reason', 'litigation'])).code).toBe(0);
    expect((await runInProcess(['hold', 'add', '--archive', path, '--name', 'Matter B', '--to', '2000-01-01'])).code).toBe(0);
    expect((await runInProcess(['hold', 'release', '--archive', path, '--name', 'Matter A', '--reason', 'closed'])).code).toBe(0);

    const bundle = join(tempDir(), 'bundle');
    const audit = await runInProcess(['audit', '--archive', path, '--out', bundle, '--chat', chat.chat_id, '--no-files', '--no-transcripts']);
    expect(audit.code, audit.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8')) as { legalHolds: HoldMention[] };
    // Matter B holds nothing before 2000: it touches no scope.
    expect(manifest.legalHolds.map((h) => [h.name, h.status, h.reason, h.releaseReason])).toEqual([['Matter A', 'released', 'litigation', 'closed']]);
    expect(manifest.legalHolds[0]?.messagesInScope).toBeGreaterThan(0);
    const readme = readFileSync(join(bundle, 'README.txt'), 'utf8');
    expect(readme).toContain('LEGAL HOLDS');
    expect(readme).toMatch(/- "Matter A": released .* \(closed\); placed .* by .+; reason: litigation; holds \d+ message\(s\) of this scope\./);
    expect(readFileSync(join(bundle, 'data', 'holds.csv'), 'utf8')).toContain('Matter A');
    expect(readFileSync(join(bundle, 'data-dictionary.csv'), 'utf8')).toContain('holds.csv,messages_in_scope,int,');
    expect((await runInProcess(['verify', '--bundle', bundle])).code).toBe(0);

    const none = join(tempDir(), 'none');
    expect((await runInProcess(['audit', '--archive', path, '--out', none, '--from', '2000-01-02', '--to', '2000-01-03', '--no-files', '--no-transcripts'])).code).toBe(0);
    expect((JSON.parse(readFileSync(join(none, 'manifest.json'), 'utf8')) as { legalHolds: unknown[] }).legalHolds).toEqual([]);
    expect(readFileSync(join(none, 'README.txt'), 'utf8')).toContain('No legal hold, active or released, touches this scope.');
  });

  it('refuses, in words and with exit code 2: no criteria, unknown custodian or conversation, a name in use, a bad release', async () => {
    const { path, person } = await synced();
    const fails = async (args: string[], pattern: RegExp) => {
      const result = await runInProcess(args);
      expect([result.code, result.stderr]).toEqual([2, expect.stringMatching(pattern)]);
    };
    await fails(['hold', 'add', '--archive', path, '--name', 'Empty', '--reason', 'x'], /names nothing to hold: give at least one custodian, conversation, date or query/);
    const typo = `${person.email.slice(0, -1)}x`;
    await fails(
      ['hold', 'add', '--archive', path, '--name', 'Typo', '--custodian', typo],
      new RegExp(`No one in the archive has the e-mail address "${typo.replaceAll('.', '\\.')}"[\\s\\S]*Nearest people[\\s\\S]*${person.user_id}`),
    );
    await fails(['hold', 'add', '--archive', path, '--name', 'Ghost', '--chat', 'No Such Room'], /no conversation with the id or title "No Such Room"/);
    await fails(['hold', 'add', '--archive', path, '--name', 'Dates', '--from', '2026-02-30'], /--from: .*calendar/);
    await fails(['hold', 'add', '--archive', path, '--name', 'Order', '--from', '2026-03-01', '--to', '2026-02-01'], /--from \(2026-03-01\) is after --to \(2026-02-01\)/);
    expect((await runInProcess(['hold', 'add', '--archive', path, '--name', 'Dup', '--custodian', person.user_id])).code).toBe(0);
    await fails(['hold', 'add', '--archive', path, '--name', 'Dup', '--custodian', person.user_id], /An active hold is already named "Dup"/);
    await fails(['hold', 'release', '--archive', path, '--name', 'Dup'], /--reason/);
    await fails(['hold', 'release', '--archive', path, '--name', 'Dup', '--reason', '  '], /--reason: is required/);
    await fails(['hold', 'release', '--archive', path, '--name', 'Nope', '--reason', 'x'], /No hold is named "Nope"/);
    await fails(['hold', 'show', '--archive', path, '--name', 'Nope'], /No hold is named "Nope"/);
    expect((await runInProcess(['hold', 'release', '--archive', path, '--name', 'Dup', '--reason', 'done'])).code).toBe(0);
    await fails(['hold', 'release', '--archive', path, '--name', 'Dup', '--reason', 'again'], /The hold "Dup" is already released/);
    await fails(['hold', 'list', '--archive', join(tempDir(), 'missing.sqlite')], /./);
    const db = new Database(path, { readonly: true });
    // Refusals wrote nothing: one hold, one release.
    expect(db.prepare("SELECT (SELECT count(*) FROM legal_holds) || '/' || (SELECT count(*) FROM legal_hold_releases)").pluck().get()).toBe('1/1');
    db.close();
  });
});
