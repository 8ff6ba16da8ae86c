import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAuditBundle } from '../../../electron/core/audit/bundle';
import { writeTranscriptHtml } from '../../../electron/core/audit/transcripts/standalone';
import { verifyBundle } from '../../../electron/core/audit/verifyBundle';
import { openArchiveDb } from '../../../electron/core/archive/connection';
import { buildArchive, insertThread } from '../../helpers/archiveFixture';
import { attr, byTag, hasClass, parseHtml, parseTranscript, textOf, within, type Element } from '../../helpers/html';
import { useTempDir } from '../../helpers/tempDir';
import { useDemoArchiveAfterADay } from '../../helpers/demoArchive';

function sums(bundle: string): Map<string, string> {
  return new Map(
    readFileSync(join(bundle, 'SHA256SUMS'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => {
        const [hash, path] = line.split('  ');
        return [path ?? '', hash ?? ''];
      }),
  );
}

describe('transcripts in an audit bundle', () => {
  const tempDir = useTempDir();
  const demoArchive = useDemoArchiveAfterADay();

  it('of a synced demo org after a day of activity: every message, names not tokens, edits, deletions, hashed and safe', async () => {
    const archive = join(tempDir(), 'demo.sqlite');
    await demoArchive(archive);
    const bundle = join(tempDir(), 'bundle');
    const result = await createAuditBundle({ archivePath: archive, outDir: bundle, scope: { timeZone: 'Europe/Berlin' } });

    const db = openArchiveDb(archive, { readonly: true });
    const perChat = new Map(
      db
        .prepare<[], { chat_id: string; n: number }>('SELECT chat_id, count(*) AS n FROM messages GROUP BY chat_id')
        .all()
        .map((r) => [r.chat_id, r.n]),
    );
    const chats = db.prepare('SELECT chat_id FROM chats ORDER BY chat_id').pluck().all() as string[];
    const userIds = db.prepare('SELECT user_id FROM users').pluck().all() as string[];
    const edited = db.prepare('SELECT count(*) FROM messages WHERE version > 1').pluck().get() as number;
    const deleted = db.prepare('SELECT count(*) FROM messages WHERE deleted_at IS NOT NULL').pluck().get() as number;
    const total = db.prepare('SELECT count(*) FROM messages').pluck().get() as number;
    const stored = db.prepare("SELECT count(*) FROM attachments WHERE status = 'stored'").pluck().get() as number;
    const hashes = new Map(
      db
        .prepare<[], { message_id: string; row_hash: string }>('SELECT message_id, row_hash FROM messages')
        .all()
        .map((r) => [r.message_id, r.row_hash]),
    );
    db.close();
    expect(edited).toBeGreaterThan(0);
    expect(deleted).toBeGreaterThan(0);

    const manifest = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8')) as {
      transcripts: { included: boolean; files: number; list: { path: string; sha256: string; chatId?: string; messages?: number }[] };
    };
    expect(manifest.transcripts.included).toBe(true);
    const files = readdirSync(join(bundle, 'transcripts')).sort();
    expect(files).toContain('index.html');
    expect(files.length).toBe(chats.length + 1);
    expect(manifest.transcripts.files).toBe(files.length);

    const listed = sums(bundle);
    let seen = 0;
    let editedSeen = 0;
    let deletedSeen = 0;
    let fileLinks = 0;
    for (const entry of manifest.transcripts.list) {
      const bytes = readFileSync(join(bundle, entry.path));
      expect(listed.get(entry.path)).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(entry.sha256).toBe(listed.get(entry.path));
      const html = bytes.toString('utf8');
      const doc = parseTranscript(html);
      if (entry.chatId === undefined) continue;
      const articles = doc.find((e) => e.tagName === 'article' && attr(e, 'data-message-id') !== null);
      expect(articles.length, entry.path).toBe(perChat.get(entry.chatId) ?? 0);
      expect(entry.messages).toBe(articles.length);
      seen += articles.length;
      for (const article of articles) {
        expect(attr(article, 'data-row-hash')).toBe(hashes.get(attr(article, 'data-message-id') ?? ''));
        for (const body of within(article, (e) => hasClass(e, 'body'))) expect(attr(body, 'dir')).toBe('auto');
        expect(within(article, (e) => hasClass(e, 'who')).map((e) => attr(e, 'dir'))).toEqual(['auto']);
        if (hasClass(article, 'edited')) {
          expect(within(article, (e) => e.tagName === 'details' && hasClass(e, 'versions')).length).toBe(1);
          editedSeen += 1;
        }
        if (hasClass(article, 'deleted')) {
          expect(textOf(article)).toMatch(/deletion was noticed \d{4}-\d\d-\d\d \d\d:\d\d UTC[+-]\d\d:\d\d/);
          deletedSeen += 1;
        }
      }
      for (const a of doc.find((e) => e.tagName === 'a' && (attr(e, 'href') ?? '').startsWith('../files/'))) {
        expect(existsSync(join(bundle, 'transcripts', attr(a, 'href') ?? ''))).toBe(true);
        fileLinks += 1;
      }
      for (const id of userIds) expect(html.includes(`{@${id}}`), `${entry.path} keeps {@${id}}`).toBe(false);
      for (const time of doc.find(byTag('time')).slice(0, 3)) expect(textOf(time)).toMatch(/^\d\d:\d\d:\d\d UTC[+-]\d\d:\d\d$/);
      expect(textOf(doc.find((e) => hasClass(e, 'sub'))[0] as Element)).toContain('Europe/Berlin');
    }
    expect(seen).toBe(total);
    expect(editedSeen).toBe(edited);
    expect(deletedSeen).toBe(deleted);
    // Every stored attachment is linked to its bytes in files/ (each link names a file that is there).
    expect(stored).toBeGreaterThan(0);
    expect(fileLinks).toBe(stored);
    // Members who left are told as such, in the app's wording.
    const all = manifest.transcripts.list.map((e) => readFileSync(join(bundle, e.path), 'utf8')).join('\n');
    expect(all).toMatch(/left (by )?\d{4}-\d\d-\d\d/);
    expect(all).toContain('member when first archived');
    expect(all).toContain('<h2 class="day">');

    const index = parseTranscript(readFileSync(join(bundle, 'transcripts', 'index.html'), 'utf8'));
    expect(index.find(byTag('tr')).length).toBe(chats.length + 1);
    expect(readFileSync(join(bundle, 'README.txt'), 'utf8')).toContain('transcripts/index.html');
    expect((await verifyBundle(bundle)).problems).toEqual([]);
    expect(result.files.every((f) => !f.path.startsWith('transcripts/'))).toBe(true);
  }, 120_000);

  it('escapes hostile text, links only http(s)/mailto, gives RTL text dir=auto, names mentions, links a thread and its parent message', async () => {
    const channel = 'CT_1';
    const thread = 'CT_2';
    const fixture = buildArchive(tempDir(), {
      chats: [
        { id: channel, kind: 'channel', title: '<img src=x onerror=alert(1)> ops' },
        { id: thread, kind: 'thread', title: 'Follow-up' },
      ],
      users: [{ id: '2224919568806253528', email: 'dana@example.org', name: 'Dana Ruiz' }],
      messages: [
        { chat: channel, id: '1767258000000_42', time: Date.UTC(2026, 0, 1, 9), text: '<b>not html</b> and [x](javascript:alert(1)) and <script>alert(1)</script>' },
        { chat: channel, id: 'm2', time: Date.UTC(2026, 0, 1, 10), text: 'שלום עולם — مرحبا {@2224919568806253528}' },
        { chat: channel, id: 'm3', time: Date.UTC(2026, 0, 2, 10), text: 'see https://example.org/a?b=1&c=2 and "quoted" \u202Eevil' },
        { chat: thread, id: 't1', time: Date.UTC(2026, 0, 2, 11), text: 'a reply' },
      ],
    });
    // The threads API spells its first message '<ms>%20<n>' where messages are archived '<ms>_<n>'.
    insertThread(fixture, thread, channel, '1767258000000%2042');
    const path = fixture.path;
    fixture.close();
    const bundle = join(tempDir(), 'bundle');
    await createAuditBundle({ archivePath: path, outDir: bundle, scope: {} });

    const html = readFileSync(join(bundle, 'transcripts', `${channel}.html`), 'utf8');
    const doc = parseTranscript(html);
    expect(html).toContain('&lt;b&gt;not html&lt;/b&gt;');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<b>not html');
    expect(html).not.toMatch(/href="javascript/i);
    expect(doc.find(byTag('h1')).map((h) => textOf(h))).toEqual(['<img src=x onerror=alert(1)> ops']);
    expect(doc.find(byTag('title')).map((t) => textOf(t))).toEqual(['<img src=x onerror=alert(1)> ops — transcript']);
    const rtl = doc.find((e) => hasClass(e, 'body') && textOf(e).includes('שלום'));
    expect(rtl.map((e) => attr(e, 'dir'))).toEqual(['auto']);
    expect(textOf(rtl[0] as Element)).toContain('@Dana Ruiz');
    expect(html).not.toContain('{@2224919568806253528}');
    const links = doc.find((e) => e.tagName === 'a' && (attr(e, 'href') ?? '').startsWith('https://example.org'));
    expect(links.map((a) => [attr(a, 'href'), attr(a, 'rel')])).toEqual([['https://example.org/a?b=1&c=2', 'noopener noreferrer']]);
    expect(html).toContain('href="https://example.org/a?b=1&amp;c=2"');
    expect(html).toContain('&quot;quoted&quot;');
    // Two days, two separators.
    expect(doc.find((e) => e.tagName === 'h2' && hasClass(e, 'day')).map((h) => textOf(h))).toEqual(['2026-01-01', '2026-01-02']);
    // The message that started the thread links to it, and the thread links back to that message.
    const started = doc.find((e) => attr(e, 'data-message-id') === '1767258000000_42')[0] as Element;
    expect(within(started, (e) => e.tagName === 'a').map((a) => attr(a, 'href'))).toEqual([`${thread}.html`]);
    const threadDoc = parseTranscript(readFileSync(join(bundle, 'transcripts', `${thread}.html`), 'utf8'));
    const back = threadDoc.find((e) => e.tagName === 'a' && (attr(e, 'href') ?? '').includes('#m')).map((a) => attr(a, 'href') ?? '');
    expect(back).toHaveLength(1);
    expect(threadDoc.find((e) => e.tagName === 'a' && attr(e, 'href') === back[0]).map((a) => textOf(a))).toEqual(['<img src=x onerror=alert(1)> ops']);
    expect(back[0]?.startsWith(`${channel}.html#m`)).toBe(true);
    expect(doc.find((e) => attr(e, 'id') === back[0]?.slice(back[0].indexOf('#') + 1)).map((e) => attr(e, 'data-message-id'))).toEqual(['1767258000000_42']);
    expect(parseHtml(html).find(byTag('article')).length).toBe(3);
  });

  it('holds only the messages in scope, says so when none are, and is written in bounded chunks however long the conversation', async () => {
    const day = (d: number, i = 0) => Date.UTC(2026, 0, d, 8, 0, i);
    const long = Array.from({ length: 3_000 }, (_, i) => ({ chat: 'big', id: `b${i}`, time: day(5, i), text: `message ${i} ${'x'.repeat(40)}` }));
    const fixture = buildArchive(tempDir(), {
      chats: [
        { id: 'c1', kind: 'group', title: 'g' },
        { id: 'big', kind: 'group', title: 'big' },
      ],
      messages: [
        { chat: 'c1', id: 'm1', time: day(1), text: 'first day' },
        { chat: 'c1', id: 'm2', time: day(2), text: 'second day' },
        { chat: 'c1', id: 'm3', time: day(3), text: 'third day' },
        ...long,
      ],
    });
    const chunks: number[] = [];
    const summary = await writeTranscriptHtml(fixture.db, 'big', 'UTC', (chunk) => {
      chunks.push(chunk.length);
    });
    expect(summary.messages).toBe(3_000);
    expect(chunks.length).toBeGreaterThan(5);
    expect(Math.max(...chunks)).toBeLessThan(100_000);
    const path = fixture.path;
    fixture.close();

    const bundle = join(tempDir(), 'bundle');
    await createAuditBundle({ archivePath: path, outDir: bundle, scope: { conversations: ['c1'], from: '2026-01-02', to: '2026-01-02' } });
    expect(readdirSync(join(bundle, 'transcripts')).sort()).toEqual(['c1.html', 'index.html']);
    const doc = parseTranscript(readFileSync(join(bundle, 'transcripts', 'c1.html'), 'utf8'));
    expect(doc.find((e) => e.tagName === 'article').map((a) => attr(a, 'data-message-id'))).toEqual(['m2']);

    const none = join(tempDir(), 'none');
    await createAuditBundle({ archivePath: path, outDir: none, scope: { conversations: ['c1'], query: 'nothing-matches-this' } });
    const empty = readFileSync(join(none, 'transcripts', 'c1.html'), 'utf8');
    expect(empty).toContain('No messages of this conversation are in scope.');
    expect(parseTranscript(empty).find((e) => e.tagName === 'article')).toEqual([]);
  });

  it('--no-transcripts leaves them out, and the bundle still verifies', async () => {
    const fixture = buildArchive(tempDir(), {
      chats: [{ id: 'c1', kind: 'group', title: 'g' }],
      messages: [{ chat: 'c1', id: 'm1', time: Date.UTC(2026, 0, 1), text: 'hi' }],
    });
    const path = fixture.path;
    fixture.close();
    const bundle = join(tempDir(), 'bundle');
    await createAuditBundle({ archivePath: path, outDir: bundle, scope: { transcripts: false } });
    expect(existsSync(join(bundle, 'transcripts'))).toBe(false);
    expect([...sums(bundle).keys()].some((p) => p.startsWith('transcripts/'))).toBe(false);
    const manifest = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8')) as { transcripts: { included: boolean; files: number } };
    expect(manifest.transcripts).toMatchObject({ included: false, files: 0 });
    expect(readFileSync(join(bundle, 'README.txt'), 'utf8')).not.toContain('transcripts/index.html');
    expect((await verifyBundle(bundle)).ok).toBe(true);
  });
});
