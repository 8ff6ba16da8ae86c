import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAuditBundle } from '../../../electron/core/audit';
import { verifyBundle } from '../../../electron/core/audit/verifyBundle';
import { codeReviewItem, createReviewSet } from '../../../electron/core/reviewSets';
import type { ReviewCode } from '../../../shared/reviewSets';
import { buildArchive } from '../../helpers/archiveFixture';
import { customOf, expectValidManifest, readRsmf } from '../../helpers/rsmf';
import { useTempDir } from '../../helpers/tempDir';

const day = (d: number) => Date.UTC(2026, 0, d, 12);
const clock = { now: () => day(31) };
const bo = { id: 'u2', name: 'Bo Chan' };

const tempDir = useTempDir();
let dir: string;
let path: string;

beforeEach(() => {
  dir = tempDir();
  const archive = buildArchive(dir, {
    chats: [
      { id: 'c1', kind: 'group', title: 'Alpha' },
      { id: 'c2', kind: 'channel', title: 'Beta' },
    ],
    users: [{ id: 'u2', email: 'bo@example.org', name: 'Bo Chan' }],
    messages: [
      { chat: 'c1', id: 'm1', time: day(2), text: 'budget forecast', sender: bo },
      { chat: 'c1', id: 'm2', time: day(3), text: 'lunch plans', sender: bo },
      { chat: 'c1', id: 'm3', time: day(4), text: 'budget final, ask counsel', sender: bo },
      { chat: 'c2', id: 'm4', time: day(5), text: 'merger talk', sender: bo },
      { chat: 'c2', id: 'm5', time: day(6), text: 'quarterly report', sender: bo },
    ],
  });
  path = archive.path;
  archive.close();
});

const jsonl = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('a production from a review set', () => {
  it('holds exactly the responsive and not privileged messages, with their coding, the set named in README and custody', async () => {
    const set = createReviewSet(path, { name: 'Acme first pass', source: { scope: {} } }, { clock });
    const code = (input: ReviewCode) => codeReviewItem(path, input, { clock });
    code({ setId: set.id, chatId: 'c1', messageId: 'm1', action: 'tag', tag: 'responsive' });
    code({ setId: set.id, chatId: 'c1', messageId: 'm1', action: 'note', note: 'key document' });
    code({ setId: set.id, chatId: 'c1', messageId: 'm3', action: 'tag', tag: 'responsive' });
    code({ setId: set.id, chatId: 'c1', messageId: 'm3', action: 'tag', tag: 'privileged' });
    code({ setId: set.id, chatId: 'c2', action: 'tag', tag: 'responsive' });
    code({ setId: set.id, chatId: 'c2', action: 'note', note: 'deal room' });
    code({ setId: set.id, chatId: 'c2', messageId: 'm5', action: 'tag', tag: 'privileged' });

    const out = join(dir, 'production');
    const result = await createAuditBundle({ archivePath: path, outDir: out, scope: { reviewSet: { id: set.id, withTags: ['responsive'], withoutTags: ['privileged'] } } });
    const messages = jsonl(join(out, 'data', 'messages.jsonl')).map((m) => m.message_id);
    expect(messages).toEqual(['m1', 'm4']);
    expect(jsonl(join(out, 'data', 'review-coding.jsonl'))).toEqual([
      { chat_id: 'c1', message_id: 'm1', tags: 'responsive', note: 'key document', conversation_tags: null, conversation_note: null, reviewed: true, set_name: 'Acme first pass' },
      { chat_id: 'c2', message_id: 'm4', tags: null, note: null, conversation_tags: 'responsive', conversation_note: 'deal room', reviewed: true, set_name: 'Acme first pass' },
    ]);
    expect(readFileSync(join(out, 'data', 'review-coding.csv'), 'utf8')).toMatch(/^\uFEFFchat_id,message_id,tags,note,conversation_tags,conversation_note,reviewed,set_name\r\n/);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { scope: { counts: { messages: number; conversations: number }; rule: string } };
    expect(manifest.scope.counts).toMatchObject({ messages: 2, conversations: 2 });
    for (const doc of ['README.txt', 'custody.txt']) {
      const text = readFileSync(join(out, doc), 'utf8');
      expect(text).toContain('the review set "Acme first pass"');
      expect(text).toContain('tagged responsive and not tagged privileged');
      expect(text).toMatch(/made \S+ by \S+@\S+/);
    }
    expect(readFileSync(join(out, 'data-dictionary.csv'), 'utf8')).toMatch(/review-coding\.csv,conversation_tags,text,/);
    expect(result.files.some((f) => f.dataset === 'review-coding')).toBe(true);
    expect((await verifyBundle(out)).ok).toBe(true);

    // A bundle not made from a set has no review coding file.
    const plain = await createAuditBundle({ archivePath: path, outDir: join(dir, 'plain'), scope: {} });
    expect(plain.files.some((f) => f.dataset === 'review-coding')).toBe(false);
  });

  it('as RSMF 2.0: the same messages, each event carrying its tags and its conversation\'s; a date to stand as of is refused', async () => {
    const set = createReviewSet(path, { name: 'RSMF pass', source: { scope: {} } }, { clock });
    const code = (input: ReviewCode) => codeReviewItem(path, input, { clock });
    code({ setId: set.id, chatId: 'c1', messageId: 'm1', action: 'tag', tag: 'responsive' });
    code({ setId: set.id, chatId: 'c1', messageId: 'm1', action: 'tag', tag: 'hot' });
    code({ setId: set.id, chatId: 'c2', action: 'tag', tag: 'responsive' });
    code({ setId: set.id, chatId: 'c2', messageId: 'm5', action: 'tag', tag: 'privileged' });
    const out = join(dir, 'rsmf');
    await createAuditBundle({ archivePath: path, outDir: out, scope: { formats: ['rsmf'], reviewSet: { id: set.id, withTags: ['responsive'], withoutTags: ['privileged'] } } });
    const events = readdirSync(join(out, 'rsmf')).flatMap((name) => {
      const parsed = readRsmf(join(out, 'rsmf', name));
      expectValidManifest(parsed.manifest, parsed.entries, name);
      return parsed.manifest.events.filter((e) => e.type === 'message');
    });
    expect(Object.fromEntries(events.map((e) => [customOf(e, 'Cliq message id'), customOf(e, 'Review tags')]))).toEqual({ m1: 'hot; responsive', m4: 'responsive' });
    expect((await verifyBundle(out)).ok).toBe(true);
    await expect(createAuditBundle({ archivePath: path, outDir: join(dir, 'z'), scope: { formats: ['rsmf'], asOf: '2026-01-04' } })).rejects.toThrow(/RSMF production shows each conversation with its whole history/);
  });

  it('refuses another filter beside the set, and an unknown set', async () => {
    const set = createReviewSet(path, { name: 'All', source: { scope: {} } }, { clock });
    await expect(createAuditBundle({ archivePath: path, outDir: join(dir, 'x'), scope: { reviewSet: { id: set.id }, query: 'budget' } })).rejects.toThrow(/takes no other filter \(given: query\)/);
    await expect(createAuditBundle({ archivePath: path, outDir: join(dir, 'y'), scope: { reviewSet: { id: 42 } } })).rejects.toThrow(/No review set is named "42"/);
  });
});
