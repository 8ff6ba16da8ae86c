import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAuditBundle } from '../../../electron/core/audit/bundle';
import { verifyBundle } from '../../../electron/core/audit/verifyBundle';
import { openFileStore } from '../../../electron/core/files/store';
import { openArchiveDb } from '../../../electron/core/archive/connection';
import { buildArchive, insertThread } from '../../helpers/archiveFixture';
import { buildFilesArchive, hostileHtmlName, traversalName } from '../../helpers/attachmentsFixture';
import { tamperObject } from '../../helpers/filesArchive';
import { runCli } from '../../helpers/cli';
import { customOf, decodeWords, expectValidManifest, readRsmf, type ParsedRsmf } from '../../helpers/rsmf';
import { useTempDir } from '../../helpers/tempDir';
import { useDemoArchiveAfterADay } from '../../helpers/demoArchive';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function productions(bundle: string): Map<string, ParsedRsmf> {
  const dir = join(bundle, 'rsmf');
  return new Map(readdirSync(dir).map((name) => [name, readRsmf(join(dir, name))]));
}

/** Every manifest valid; headers agree with it; attachments in the zip hash to their names. */
function checkAll(files: Map<string, ParsedRsmf>): void {
  for (const [name, r] of files) {
    expectValidManifest(r.manifest, r.entries, name);
    expect(r.headers.get('X-RSMF-Version')).toBe('2.0.0');
    expect(r.headers.get('MIME-Version')).toBe('1.0');
    expect(r.headers.get('X-RSMF-Generator')).toMatch(/^cliq-vault /);
    expect(Number(r.headers.get('X-RSMF-EventCount'))).toBe(r.manifest.events.length);
    const times = r.manifest.events.map((e) => e.timestamp ?? '');
    expect([...times].sort()).toEqual(times);
    if (times.length > 0) {
      expect(r.headers.get('X-RSMF-BeginDate')).toBe(times[0]);
      expect(r.headers.get('X-RSMF-EndDate')).toBe(times.at(-1));
    }
    expect(Number(r.headers.get('X-RSMF-AttachmentCount'))).toBe(r.manifest.events.reduce((n, e) => n + (e.attachments?.length ?? 0), 0));
    for (const line of r.headerLines) expect(line.length, `${name}: ${line.slice(0, 40)}`).toBeLessThanOrEqual(998);
    for (const [entry, bytes] of r.entries) {
      if (entry === 'rsmf_manifest.json') continue;
      expect(entry).toMatch(/^[0-9a-f]{64}(\.[a-z0-9]{1,10})?$/);
      expect(sha256(bytes)).toBe(entry.slice(0, 64));
    }
    expect(decodeWords(r.headers.get('Subject') ?? '')).toBe(r.manifest.conversations[0]?.display);
  }
}

describe('RSMF 2.0 productions in an audit bundle', () => {
  const tempDir = useTempDir();
  const demoArchive = useDemoArchiveAfterADay();

  it('of the demo org after a day: every manifest valid, replies with parent, edits, deletions, joins and leaves; signed, and a flipped byte fails', async () => {
    const archive = join(tempDir(), 'demo.sqlite');
    await demoArchive(archive);
    const bundle = join(tempDir(), 'bundle');
    const progress: number[] = [];
    const result = await createAuditBundle({ archivePath: archive, outDir: bundle, scope: { formats: ['rsmf'] }, onProgress: (p) => p.dataset === 'rsmf' && progress.push(p.rows) });

    // An RSMF production: no data files and no files/ copies, everything else as in any bundle.
    expect(existsSync(join(bundle, 'data'))).toBe(false);
    expect(existsSync(join(bundle, 'files'))).toBe(false);
    for (const doc of ['manifest.json', 'SHA256SUMS', 'SHA256SUMS.sig', 'custody.txt', 'README.txt', 'data-dictionary.csv']) expect(existsSync(join(bundle, doc)), doc).toBe(true);
    expect(result.files.every((f) => f.format === 'rsmf' && f.dataset === 'rsmf' && f.path.startsWith('rsmf/'))).toBe(true);
    const readme = readFileSync(join(bundle, 'README.txt'), 'utf8');
    expect(readme).toContain('RSMF (RELATIVITY SHORT MESSAGE FORMAT 2.0)');
    expect(readme).not.toContain('OPENING THE CSV FILES SAFELY');
    expect(readme).toContain('The bytes of the attachments in scope are inside the .rsmf files');
    const sums = readFileSync(join(bundle, 'SHA256SUMS'), 'utf8');
    for (const f of result.files) expect(sums).toContain(`${f.sha256}  ${f.path}`);

    const db = openArchiveDb(archive, { readonly: true });
    const messageIds = new Set(db.prepare('SELECT message_id FROM messages').pluck().all() as string[]);
    const threadChats = db.prepare('SELECT count(*) FROM threads t JOIN chats c ON c.chat_id = t.parent_chat_id').pluck().get() as number;
    const chats = db.prepare('SELECT count(*) FROM chats').pluck().get() as number;
    const storedFiles = db.prepare("SELECT count(DISTINCT sha256) FROM attachments WHERE status = 'stored'").pluck().get() as number;
    db.close();
    const files = productions(bundle);
    expect(files.size).toBe(chats - threadChats);
    expect(progress.at(-1)).toBe(files.size);
    checkAll(files);

    const events = [...files.values()].flatMap((f) => f.manifest.events);
    const seen = new Set(events.map((e) => customOf(e, 'Cliq message id')).filter((id) => id !== undefined));
    expect([...messageIds].filter((id) => !seen.has(id))).toEqual([]);
    expect(events.filter((e) => e.type === 'message').length + events.filter((e) => e.type !== 'message' && customOf(e, 'Cliq message id') !== undefined).length).toBe(messageIds.size);
    expect(threadChats).toBeGreaterThan(0);
    expect(events.filter((e) => e.parent !== undefined).length).toBeGreaterThan(0);
    const edited = events.filter((e) => (e.edits?.length ?? 0) > 0);
    expect(edited.length).toBeGreaterThan(0);
    for (const e of edited) {
      expect(e.edits?.at(-1)?.new).toBe(e.body ?? '');
      expect(customOf(e, 'Edits noticed')).toMatch(/version 1 replaced by /);
    }
    expect(events.some((e) => e.deleted === true && customOf(e, 'Deletion noticed') !== undefined)).toBe(true);
    expect(events.some((e) => e.type === 'join')).toBe(true);
    expect(events.some((e) => e.type === 'leave')).toBe(true);
    const carried = new Set([...files.values()].flatMap((f) => [...f.entries.keys()].filter((n) => n !== 'rsmf_manifest.json').map((n) => n.slice(0, 64))));
    expect(carried.size).toBe(storedFiles);

    // Signed and whole; one flipped byte in an .rsmf fails it.
    expect((await verifyBundle(bundle)).ok).toBe(true);
    const victim = join(bundle, result.files[0]?.path ?? '');
    const bytes = readFileSync(victim);
    const middle = bytes.length >> 1;
    bytes.writeUInt8((bytes[middle] ?? 0) ^ 0x01, middle);
    writeFileSync(victim, bytes);
    const broken = await verifyBundle(bundle);
    expect(broken.ok).toBe(false);
    expect(broken.problems.join('\n')).toContain(`${result.files[0]?.path ?? ''} does not match its SHA-256`);
  }, 120_000);

  it('hostile titles, names, file names and a thread: valid manifests, encoded headers, ids as zip names, tags from a review set', async () => {
    const channel = 'CT_1';
    const thread = 'CT_2';
    const title = '<img src=x onerror=alert(1)> ops\r\nBcc: victim@example.org — שלום';
    const fixture = buildArchive(tempDir(), {
      chats: [
        { id: channel, kind: 'channel', title },
        { id: thread, kind: 'thread', title: 'Follow-up' },
      ],
      users: [{ id: '2224919568806253528', email: 'dana@example.org', name: 'Dana "=?UTF-8?B?x?=" Ruiz\r\nX-Evil: 1' }],
      members: [{ chat: channel, userId: '2224919568806253528', email: 'not an address\r\n', name: 'Dana' }],
      messages: [
        { chat: channel, id: 'm_1', time: Date.UTC(2026, 0, 1, 9), text: '<script>alert(1)</script>', sender: { id: '2224919568806253528', name: 'Dana' } },
        { chat: channel, id: 'm2', time: Date.UTC(2026, 0, 1, 10), text: '\u202Eevil {@2224919568806253528}' },
        { chat: thread, id: 't1', time: Date.UTC(2026, 0, 2, 11), text: 'a reply' },
      ],
    });
    insertThread(fixture, thread, channel, 'm%201');
    const path = fixture.path;
    fixture.close();
    const bundle = join(tempDir(), 'bundle');
    await createAuditBundle({ archivePath: path, outDir: bundle, scope: { formats: ['csv', 'rsmf'] }, tagsOf: (chat, id) => (chat === thread && id === 't1' ? ['responsive', 'privileged'] : []) });
    // With csv as well, the data files are there too.
    expect(existsSync(join(bundle, 'data', 'messages.csv'))).toBe(true);
    const files = productions(bundle);
    expect([...files.keys()]).toEqual([`${channel}.rsmf`]);
    checkAll(files);
    const r = files.get(`${channel}.rsmf`) as ParsedRsmf;
    expect(decodeWords(r.headers.get('Subject') ?? '')).toBe(title);
    expect(r.headers.has('Bcc')).toBe(false);
    expect(r.headers.has('X-Evil')).toBe(false);
    expect(r.raw.slice(0, r.raw.indexOf('\r\n\r\n'))).not.toContain('<script>');
    const reply = r.manifest.events.find((e) => customOf(e, 'Cliq message id') === 't1');
    // The threads API spells the id with %20 where the messages API has _.
    expect(reply?.parent).toBe('m_1');
    expect(customOf(reply ?? {}, 'Cliq thread conversation id')).toBe(thread);
    expect(customOf(reply ?? {}, 'Review tags')).toBe('responsive; privileged');
    expect(r.manifest.events.find((e) => e.id === 'm_1')?.body).toBe('<script>alert(1)</script>');
    expect(r.manifest.conversations[0]?.type).toBe('channel');
    expect(r.summary).toContain(`Cliq conversation id: ${channel} (channel)`);
  });

  it('attachments: stored bytes inside rsmf.zip named by id, hostile names only as display, the others named as missing', async () => {
    const { path, sha } = await buildFilesArchive(tempDir());
    const bundle = join(tempDir(), 'bundle');
    await createAuditBundle({ archivePath: path, outDir: bundle, scope: { formats: ['rsmf'] } });
    const files = productions(bundle);
    checkAll(files);
    const deals = files.get('CT_1.rsmf') as ParsedRsmf;
    const names = [...deals.entries.keys()].sort();
    expect(names).toEqual(['rsmf_manifest.json', `${sha.exe}.exe`, `${sha.png}.pdf`, `${sha.svg}.png`, `${sha.html}.html`].sort());
    const byMessage = (id: string) => deals.manifest.events.find((e) => e.id === id);
    expect(byMessage('m3')?.attachments).toEqual([{ id: `${sha.html}.html`, display: hostileHtmlName, size: expect.any(Number) as number }]);
    expect(customOf(byMessage('m5') ?? {}, 'Attachments not in this production')).toMatch(/forbidden/);
    // A file not stored yet: named, never a path from its name.
    const dana = files.get('CT_2.rsmf') as ParsedRsmf;
    expect([...dana.entries.keys()]).toEqual(['rsmf_manifest.json']);
    expect(customOf(dana.manifest.events[0] ?? {}, 'Attachments not in this production')).toContain(traversalName);
    expect((await verifyBundle(bundle)).ok).toBe(true);
    // warnings.txt names what the production could not carry, never the files it carries.
    const warnings = readFileSync(join(bundle, 'warnings.txt'), 'utf8');
    expect(warnings).not.toContain('--no-files');
    expect(warnings).toContain('CT_1/m5 file file-m5');
    expect(warnings).not.toContain('CT_1/m1 file');

    // A stored object gone from the file store: not in the zip, named in the event and in warnings.txt.
    rmSync(openFileStore(path).pathOf(sha.exe));
    const again = join(tempDir(), 'again');
    await createAuditBundle({ archivePath: path, outDir: again, scope: { formats: ['rsmf'] } });
    const after = productions(again).get('CT_1.rsmf') as ParsedRsmf;
    checkAll(productions(again));
    expect(after.entries.has(`${sha.exe}.exe`)).toBe(false);
    expect(customOf(after.manifest.events.find((e) => e.id === 'm2') ?? {}, 'Attachments not in this production')).toMatch(/missing from the file store/);
    expect(readFileSync(join(again, 'warnings.txt'), 'utf8')).toMatch(/CT_1\/m2 file file-m2 .*missing from the file store/);
  });

  it('a stored file whose bytes changed fails the production (TAMPERED) and leaves nothing', async () => {
    const { path, sha } = await buildFilesArchive(tempDir());
    tamperObject(path, sha.png);
    const bundle = join(tempDir(), 'bundle');
    await expect(createAuditBundle({ archivePath: path, outDir: bundle, scope: { formats: ['rsmf'] } })).rejects.toMatchObject({ code: 'TAMPERED' });
    expect(existsSync(bundle)).toBe(false);
  });

  it('joins and leaves only within the scope dates; a cancel leaves nothing behind', async () => {
    const fixture = buildArchive(tempDir(), {
      chats: [{ id: 'CT_1', kind: 'group', title: 'Deals' }],
      members: [
        { chat: 'CT_1', userId: '7100001', email: 'dana@example.org', name: 'Dana Ruiz' },
        { chat: 'CT_1', userId: '7100002', email: 'lee@example.org', name: 'Lee Chan' },
      ],
      messages: [
        { chat: 'CT_1', id: 'm1', time: Date.UTC(2026, 0, 1, 9), text: 'before' },
        { chat: 'CT_1', id: 'm2', time: Date.UTC(2026, 0, 3, 9), text: 'after' },
      ],
    });
    // Lee left, noticed by a later sync on 2 January; a member since the first listing has no join.
    fixture.db.prepare("UPDATE memberships SET gone_at = ? WHERE user_id = '7100002'").run(Date.UTC(2026, 0, 2, 12));
    const path = fixture.path;
    fixture.close();
    const all = join(tempDir(), 'all');
    await createAuditBundle({ archivePath: path, outDir: all, scope: { formats: ['rsmf'] } });
    const whole = productions(all).get('CT_1.rsmf') as ParsedRsmf;
    checkAll(productions(all));
    expect(whole.manifest.events.map((e) => e.type)).toEqual(['message', 'leave', 'message']);
    expect(whole.manifest.events[1]?.participant).toBe('7100002');
    expect(customOf(whole.manifest.events[1] ?? {}, 'Membership source')).toMatch(/noticed by a sync/);
    expect(whole.manifest.conversations[0]?.participants).toEqual(['7100001', '7100002']);
    const late = join(tempDir(), 'late');
    await createAuditBundle({ archivePath: path, outDir: late, scope: { formats: ['rsmf'], from: '2026-01-03' } });
    expect((productions(late).get('CT_1.rsmf') as ParsedRsmf).manifest.events.map((e) => e.type)).toEqual(['message']);

    const controller = new AbortController();
    const cancelled = join(tempDir(), 'cancelled');
    await expect(
      createAuditBundle({ archivePath: path, outDir: cancelled, scope: { formats: ['rsmf'] }, signal: controller.signal, onProgress: (p) => p.dataset === 'rsmf' && controller.abort() }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(existsSync(cancelled)).toBe(false);
  });

  it('the same archive and scope give byte-identical .rsmf files', async () => {
    const dir = tempDir();
    const { path } = await buildFilesArchive(dir);
    const at = Date.UTC(2026, 5, 1);
    const clock = { now: () => at };
    await createAuditBundle({ archivePath: path, outDir: join(dir, 'a'), scope: { formats: ['rsmf'] }, clock });
    await createAuditBundle({ archivePath: path, outDir: join(dir, 'b'), scope: { formats: ['rsmf'] }, clock });
    const names = readdirSync(join(dir, 'a', 'rsmf'));
    expect(names.length).toBe(2);
    for (const name of names) expect(sha256(readFileSync(join(dir, 'b', 'rsmf', name))), name).toBe(sha256(readFileSync(join(dir, 'a', 'rsmf', name))));
  });

  it('CLI end to end: audit --format rsmf, then verify --bundle', async () => {
    const { path } = await buildFilesArchive(tempDir());
    const bundle = join(tempDir(), 'cli-bundle');
    const audit = await runCli(['audit', '--archive', path, '--out', bundle, '--format', 'rsmf']);
    expect(audit.stderr).toBe('');
    expect(audit.code).toBe(0);
    expect(audit.stdout).toContain('RSMF 2.0 files in rsmf/');
    expect(audit.stdout).toContain('An RSMF production');
    checkAll(productions(bundle));
    const verify = await runCli(['verify', '--bundle', bundle]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    const refused = await runCli(['audit', '--archive', path, '--out', join(tempDir(), 'x'), '--format', 'pdf']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('csv, jsonl, rsmf');
  });
});
