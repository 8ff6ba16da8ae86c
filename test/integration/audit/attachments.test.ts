import Database from 'better-sqlite3-multiple-ciphers';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { AuditProgress } from '../../../shared/audit';
import { bundleFilePath, safeExtension } from '../../../electron/core/audit/attachmentFiles';
import { createAuditBundle } from '../../../electron/core/audit/bundle';
import { previewScope } from '../../../electron/core/audit/preview';
import { verifyBundle } from '../../../electron/core/audit/verifyBundle';
import { auditScopeSchema } from '../../../shared/audit';
import { openArchiveDb } from '../../../electron/core/archive/connection';
import { openFileStore } from '../../../electron/core/files/store';
import { syncArchive } from '../../../electron/core/createCore';
import { archiveWithFiles, filesChat, otherChat, sha256Of, type FixtureFile } from '../../helpers/attachmentsFixture';
import { buildArchive } from '../../helpers/archiveFixture';
import { connectionTo, useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

interface Row {
  chat_id: string;
  message_id: string;
  file_id: string;
  file_name: string;
  status: string;
  sha256: string;
  bytes: string;
  bundle_path: string;
  reason: string;
}

function readCsv(path: string): Row[] {
  const text = readFileSync(path, 'utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  const parsed = Papa.parse<Row>(text.slice(1), { header: true, newline: '\r\n', skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}
const unwrapId = (cell: string) => /^="(\d+)"$/.exec(cell)?.[1] ?? cell;
const readJsonl = <T>(path: string): T[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as T);

/** SHA256SUMS as a map of path → hash. */
function sums(dir: string): Map<string, string> {
  return new Map(
    readFileSync(join(dir, 'SHA256SUMS'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => [l.slice(66), l.slice(0, 64)] as [string, string]),
  );
}

interface Manifest {
  attachmentFiles: { included: boolean; inScope: number; files: number; bytes: number; notInBundle: number; list: { path: string; sha256: string; bytes: number }[] };
  warnings: string[];
}
const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
const safePath = /^files\/[0-9a-f]{64}(\.[a-z0-9]{1,10})?$/;

const bytes = (text: string, size = 3_000) => Buffer.from(text.repeat(Math.ceil(size / text.length)).slice(0, size));

describe('audit bundles: attachments', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('carries every stored file of a synced archive, hashed as sealed and as served, and lists the rest', async () => {
    const sim = await simulator({ seed: 6, scale: 'tiny' });
    const archive = join(tempDir(), 'a.sqlite');
    expect((await syncArchive(archive, connectionTo(sim), { files: 'all' })).status).toBe('complete');
    const out = join(tempDir(), 'bundle');
    const progress: AuditProgress[] = [];
    const result = await createAuditBundle({ archivePath: archive, outDir: out, scope: {}, onProgress: (p) => progress.push(p) });
    expect((await verifyBundle(out)).problems).toEqual([]);

    const db = new Database(archive, { readonly: true });
    const sealed = db
      .prepare<[], { chat_id: string; message_id: string; file_id: string; status: string; sha256: string | null }>('SELECT chat_id, message_id, file_id, status, sha256 FROM attachments')
      .all();
    db.close();
    const rows = readCsv(join(out, 'data', 'attachments.csv'));
    expect(rows).toHaveLength(sealed.length);
    expect(readJsonl(join(out, 'data', 'attachments.jsonl'))).toHaveLength(sealed.length);
    const listed = sums(out);
    const distinct = new Set<string>();
    for (const row of rows) {
      if (row.status !== 'stored') {
        expect(row.bundle_path, row.file_id).toBe('');
        continue;
      }
      distinct.add(row.sha256);
      // Named by hash; the hostile names the simulator serves shape nothing else.
      expect(row.bundle_path).toMatch(safePath);
      expect(row.bundle_path.startsWith(`files/${row.sha256}`)).toBe(true);
      const onDisk = sha256Of(readFileSync(join(out, row.bundle_path)));
      expect(onDisk).toBe(row.sha256);
      expect(onDisk).toBe(sim.fileSha256(row.file_id));
      expect(listed.get(row.bundle_path)).toBe(row.sha256);
    }
    expect(distinct.size).toBeGreaterThan(0);
    expect(readdirSync(join(out, 'files'))).toHaveLength(distinct.size);

    const manifest = manifestOf(out);
    expect(manifest.attachmentFiles.files).toBe(distinct.size);
    expect(manifest.attachmentFiles.inScope).toBe(sealed.length);
    expect(manifest.attachmentFiles.bytes).toBe(manifest.attachmentFiles.list.reduce((n, f) => n + readFileSync(join(out, f.path)).length, 0));
    expect(result.attachments).toMatchObject({ included: true, files: distinct.size, inScope: sealed.length });

    // Files the admin may not read (403) are in the dataset and each is in warnings.txt.
    const unavailable = sealed.filter((r) => r.status !== 'stored');
    expect(unavailable.some((r) => r.status === 'forbidden')).toBe(true);
    const warnings = readFileSync(join(out, 'warnings.txt'), 'utf8');
    for (const r of unavailable) expect(warnings).toContain(`Attachment ${r.chat_id}/${r.message_id} file ${r.file_id} `);
    expect(warnings).toMatch(/attachment\(s\) in scope are not in this bundle: forbidden/);
    expect(result.attachments?.notInBundle).toBe(unavailable.length);

    // Progress moved file by file, ending with every byte.
    const files = progress.filter((p) => p.dataset === 'files');
    expect(files.at(-1)).toEqual({ dataset: 'files', rows: distinct.size, total: distinct.size, bytes: manifest.attachmentFiles.bytes, totalBytes: manifest.attachmentFiles.bytes });
    expect(files.map((p) => p.rows)).toEqual([...files.map((p) => p.rows)].sort((a, b) => a - b));

    // Scoped to one conversation (not a channel: it would bring its threads): only its attachments, and only their files.
    const again = new Database(archive, { readonly: true });
    const chat = again
      .prepare("SELECT a.chat_id FROM attachments a JOIN chats c ON c.chat_id = a.chat_id WHERE a.status = 'stored' AND c.kind NOT IN ('channel', 'thread') ORDER BY a.chat_id LIMIT 1")
      .pluck()
      .get() as string;
    again.close();
    const scoped = join(tempDir(), 'scoped');
    await createAuditBundle({ archivePath: archive, outDir: scoped, scope: { conversations: [chat] } });
    const inChat = readJsonl<{ chat_id: string; bundle_path: string | null }>(join(scoped, 'data', 'attachments.jsonl'));
    expect(inChat.length).toBe(sealed.filter((r) => r.chat_id === chat).length);
    expect(inChat.every((r) => r.chat_id === chat)).toBe(true);
    expect(readdirSync(join(scoped, 'files')).sort()).toEqual([...new Set(inChat.flatMap((r) => (r.bundle_path ? [r.bundle_path.slice('files/'.length)] : [])))].sort());
  });

  const sample: FixtureFile[] = [
    { message: 'm1', name: 'report.PDF', bytes: bytes('same bytes ') },
    { message: 'm2', name: 'copy of report.pdf', bytes: bytes('same bytes ') },
    { message: 'm3', name: '../../x', bytes: bytes('traversal ') },
    { message: 'm4', name: 'a.pdf\u202Etxt', bytes: bytes('bidi ') },
    { message: 'm5', name: 'con.', bytes: bytes('reserved ') },
    { message: 'm6', name: 'nul\u0000.exe/..', bytes: bytes('nul ') },
    { message: 'm7', name: "=cmd|' /C calc'!A0.TXT", bytes: bytes('formula ') },
    { message: 'm8', name: 'tampered.bin', bytes: bytes('tampered ') },
    { message: 'm9', name: 'gone.doc', bytes: bytes('gone ') },
    { message: 'm10', name: 'secret.pdf', failure: { status: 'forbidden', reason: 'FORBIDDEN: Cliq refused the file (403).' } },
    { message: 'm11', name: 'deleted.pdf', failure: { status: 'not_found', reason: 'NOT_FOUND: Cliq has no such file (404).' } },
    { message: 'm12', name: 'later.pdf' },
    { message: 'm14', name: 'x\u202Efdp.exe\r\nAttachment forged\u0000', failure: { status: 'failed', reason: 'DOWNLOAD_INCOMPLETE: cut\nshort' } },
    { message: 'm13', chat: otherChat, name: 'elsewhere.pdf', bytes: bytes('elsewhere ') },
  ];

  it('names files safely, copies identical bytes once, and leaves out (and warns about) tampered and missing objects', async () => {
    const archive = await archiveWithFiles(tempDir(), sample);
    const store = openFileStore(archive);
    const tampered = store.pathOf(sha256Of(bytes('tampered ')));
    chmodSync(tampered, 0o644);
    writeFileSync(tampered, bytes('TAMPERED '));
    rmSync(store.pathOf(sha256Of(bytes('gone '))));

    const out = join(tempDir(), 'bundle');
    const result = await createAuditBundle({ archivePath: archive, outDir: out, scope: { conversations: [filesChat] } });
    expect((await verifyBundle(out)).problems).toEqual([]);
    const rows = new Map(readCsv(join(out, 'data', 'attachments.csv')).map((r) => [r.message_id, r]));
    expect([...rows.keys()].sort()).toEqual(
      sample
        .filter((f) => f.chat === undefined)
        .map((f) => f.message)
        .sort(),
    );
    const path = (message: string) => rows.get(message)?.bundle_path;
    const shaOf = (message: string) => sha256Of(sample.find((f) => f.message === message)?.bytes ?? Buffer.alloc(0));

    expect(path('m1')).toBe(`files/${shaOf('m1')}.pdf`);
    expect(path('m2'), 'identical bytes: one file, two rows').toBe(path('m1'));
    expect(path('m3')).toBe(`files/${shaOf('m3')}`);
    expect(path('m4')).toBe(`files/${shaOf('m4')}`);
    expect(path('m5')).toBe(`files/${shaOf('m5')}`);
    expect(path('m6')).toBe(`files/${shaOf('m6')}`);
    expect(path('m7')).toBe(`files/${shaOf('m7')}.txt`);
    expect(rows.get('m7')?.file_name).toBe("'=cmd|' /C calc'!A0.TXT");
    expect(unwrapId(rows.get('m1')?.chat_id ?? '')).toBe(filesChat);
    for (const m of ['m8', 'm9', 'm10', 'm11', 'm12', 'm14']) expect(path(m), m).toBe('');
    expect(rows.get('m8')?.sha256, 'the sealed hash stays in the data').toBe(shaOf('m8'));

    const onDisk = readdirSync(join(out, 'files')).sort();
    expect(onDisk).toEqual(['m1', 'm3', 'm4', 'm5', 'm6', 'm7'].map((m) => (path(m) ?? '').slice('files/'.length)).sort());
    for (const name of onDisk) expect(sha256Of(readFileSync(join(out, 'files', name)))).toBe(name.slice(0, 64));
    expect(existsSync(join(out, 'files', sha256Of(bytes('TAMPERED '))))).toBe(false);
    const listed = sums(out);
    for (const name of onDisk) expect(listed.get(`files/${name}`)).toBe(name.slice(0, 64));
    const manifest = manifestOf(out);
    expect(manifest.attachmentFiles).toMatchObject({ included: true, inScope: 13, files: 6, notInBundle: 6 });
    expect(manifest.attachmentFiles.bytes).toBe(6 * 3_000);

    const warnings = readFileSync(join(out, 'warnings.txt'), 'utf8');
    const line = (m: string) => warnings.split('\n').find((l) => l.startsWith(`Attachment ${filesChat}/${m} `)) ?? '';
    expect(line('m8')).toMatch(/changed since archived/);
    expect(line('m9')).toMatch(/missing from the file store/);
    expect(line('m10')).toMatch(/forbidden \(FORBIDDEN: Cliq refused the file \(403\)\.\)/);
    expect(line('m11')).toMatch(/not_found \(NOT_FOUND/);
    expect(line('m12')).toMatch(/pending \(not fetched yet\)/);
    for (const m of ['m1', 'm2', 'm3', 'm13']) expect(line(m)).toBe('');
    expect(result.warnings).toContain(
      '1 attachment(s) in scope are not in this bundle: changed since archived (left out: the stored file no longer matches its sealed SHA-256). Each is listed at the end of warnings.txt.',
    );
    // A hostile name is one quoted line: no line break, NUL or bidi override reaches warnings.txt.
    expect(line('m14')).toBe(`Attachment ${filesChat}/m14 file file-m14 "x\\u202efdp.exe\\r\\nAttachment forged\\u0000": not in this bundle: failed (DOWNLOAD_INCOMPLETE: cut short).`);
    expect(warnings.split('\n').filter((l) => l.startsWith('Attachment forged'))).toEqual([]);
    expect(['\u0000', '\u202E', '\r'].filter((c) => warnings.includes(c))).toEqual([]);

    // The preview counts what the bundle would carry: 6 distinct stored files in that conversation
    // (the tampered and the missing one still count: the archive says they are stored).
    const db = openArchiveDb(archive, { readonly: true });
    try {
      expect(previewScope(db, auditScopeSchema.parse({ conversations: [filesChat] }))).toMatchObject({ attachments: 13, attachmentBytes: 8 * 3_000 });
    } finally {
      db.close();
    }
  });

  it('with files off keeps the dataset, leaves the bytes out and says so for each stored file', async () => {
    const archive = await archiveWithFiles(tempDir(), sample);
    const out = join(tempDir(), 'nofiles');
    const result = await createAuditBundle({ archivePath: archive, outDir: out, scope: { files: false, formats: ['jsonl'] } });
    expect(existsSync(join(out, 'files'))).toBe(false);
    const rows = readJsonl<{ message_id: string; status: string; bundle_path: string | null; sha256: string | null }>(join(out, 'data', 'attachments.jsonl'));
    expect(rows).toHaveLength(sample.length);
    expect(rows.every((r) => r.bundle_path === null)).toBe(true);
    expect([...sums(out).keys()].some((p) => p.startsWith('files/'))).toBe(false);
    const warnings = readFileSync(join(out, 'warnings.txt'), 'utf8');
    expect(warnings.match(/^Attachment .*: not in this bundle: left out by --no-files\.$/gm)).toHaveLength(rows.filter((r) => r.status === 'stored').length);
    expect(result.attachments).toEqual({ included: false, inScope: sample.length, files: 0, bytes: 0, notInBundle: sample.length });
    expect(manifestOf(out).attachmentFiles.list).toEqual([]);
    expect(readFileSync(join(out, 'README.txt'), 'utf8')).toMatch(/left out of this bundle \(--no-files\)/);
    expect((await verifyBundle(out)).ok).toBe(true);
  });

  it('a cancel while files are copied leaves nothing behind', async () => {
    const archive = await archiveWithFiles(tempDir(), sample);
    const parent = tempDir();
    const out = join(parent, 'cancelled');
    const controller = new AbortController();
    const seen: AuditProgress[] = [];
    const onProgress = (p: AuditProgress) => {
      seen.push(p);
      if (p.dataset === 'files') controller.abort();
    };
    await expect(createAuditBundle({ archivePath: archive, outDir: out, scope: {}, signal: controller.signal, onProgress })).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(seen.map((p) => p.dataset)).toEqual(['files']);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('verify --bundle catches a file under files/ altered, removed, added or unlisted in the manifest', async () => {
    const archive = await archiveWithFiles(tempDir(), sample.slice(0, 3));
    const out = join(tempDir(), 'bundle');
    await createAuditBundle({ archivePath: archive, outDir: out, scope: {} });
    const [first, second] = readdirSync(join(out, 'files')).sort();
    const altered = readFileSync(join(out, 'files', first ?? ''));
    altered[0] = (altered[0] ?? 0) ^ 1;
    writeFileSync(join(out, 'files', first ?? ''), altered);
    rmSync(join(out, 'files', second ?? ''));
    writeFileSync(join(out, 'files', 'extra.pdf'), 'x');
    const report = await verifyBundle(out);
    expect(report.ok).toBe(false);
    const problems = report.problems.join('\n');
    expect(problems).toContain(`files/${first} does not match its SHA-256 in SHA256SUMS: it was changed.`);
    expect(problems).toContain(`files/${second} is listed in SHA256SUMS but missing.`);
    expect(problems).toContain('files/extra.pdf is in the bundle but not in SHA256SUMS: it was added.');

    // A manifest edited to drop a file (with SHA256SUMS re-made to match) is still caught.
    const clean = join(tempDir(), 'clean');
    await createAuditBundle({ archivePath: archive, outDir: clean, scope: {} });
    const manifest = JSON.parse(readFileSync(join(clean, 'manifest.json'), 'utf8')) as Manifest;
    manifest.attachmentFiles.list = manifest.attachmentFiles.list.slice(1);
    writeFileSync(join(clean, 'manifest.json'), JSON.stringify(manifest));
    const resummed = readFileSync(join(clean, 'SHA256SUMS'), 'utf8').replace(/^[0-9a-f]{64} {2}manifest\.json$/m, `${sha256Of(readFileSync(join(clean, 'manifest.json')))}  manifest.json`);
    writeFileSync(join(clean, 'SHA256SUMS'), resummed);
    const edited = await verifyBundle(clean);
    expect(edited.problems.join('\n')).toMatch(/manifest\.json counts 2 attachment files of 6000 bytes; it lists 1 of 3000\./);
    expect(edited.problems.join('\n')).toMatch(/is in SHA256SUMS but not among manifest\.json's attachment files/);
  });

  it('an archive from before attachments were kept: an empty dataset, and each file message listed as not recorded', async () => {
    const dir = tempDir();
    const fixture = buildArchive(dir, {
      chats: [{ id: filesChat, kind: 'group', title: 'Old' }],
      messages: [
        { chat: filesChat, id: 'o1', time: Date.UTC(2025, 5, 1), file: 'minutes.pdf' },
        { chat: filesChat, id: 'o2', time: Date.UTC(2025, 5, 2), text: 'no file' },
      ],
    });
    const path = fixture.path;
    fixture.close();
    // Back to schema 50: what an archive last synced before migration 0060 looks like (without
    // 0061's objects, 0062's column, 0063's directory, 0064's to 0069's tables either, nor 0070's
    // index on the message key, nor 0074's on channels; 0062 re-seals the chats when it runs again).
    const raw = new Database(path);
    raw.exec(
      'DROP VIEW directory_intervals; DROP TABLE directory_assignments; DROP TABLE departments; DROP TABLE designations; DROP TABLE roles; DROP TABLE teams; ' +
        'DROP VIEW call_notifications; DROP INDEX messages_call_notifications; DROP TABLE calls; DROP TABLE call_participants; ' +
        'DROP TABLE call_participant_fetches; DROP TABLE scheduled_messages; DROP TABLE review_log; ' +
        'DROP TABLE legal_hold_releases; DROP TABLE legal_hold_chats; DROP TABLE legal_hold_custodians; DROP TABLE legal_holds; DROP INDEX memberships_email_only; ' +
        'DROP TABLE purged_messages; DROP TABLE retention_runs; DROP TABLE review_codings; DROP TABLE review_set_items; DROP TABLE review_sets; ' +
        'DROP TABLE reactions; DROP TABLE reaction_checks; DROP TABLE conversation_checks; DROP TABLE sticky_messages; ' +
        'DROP TABLE channel_member_roles; DROP TABLE channel_permissions; ' +
        'DROP VIEW membership_intervals; DROP TABLE membership_boundaries; DROP INDEX memberships_chat_first; DROP INDEX messages_info; ' +
        'DROP INDEX messages_files; DROP INDEX messages_key; DROP INDEX channels_rest_id; DROP TABLE attachments; ALTER TABLE chats DROP COLUMN kind_source; PRAGMA user_version = 50;',
    );
    raw.close();
    const out = join(tempDir(), 'old');
    const result = await createAuditBundle({ archivePath: path, outDir: out, scope: {} });
    expect(readCsv(join(out, 'data', 'attachments.csv'))).toEqual([]);
    expect(existsSync(join(out, 'files'))).toBe(false);
    expect(readFileSync(join(out, 'warnings.txt'), 'utf8')).toContain(`Attachment ${filesChat}/o1 file file-o1 "minutes.pdf": not in this bundle: no record of the file yet`);
    expect(result.attachments).toEqual({ included: true, inScope: 0, files: 0, bytes: 0, notInBundle: 1 });
    expect((await verifyBundle(out)).ok).toBe(true);
  });

  it('takes an extension only when it is plain', () => {
    const cases: [string | null, string][] = [
      ['Report.PDF', 'pdf'],
      ['archive.tar.gz', 'gz'],
      ['../../x', ''],
      ['..\\..\\evil.exe\\x', ''],
      ['a.pdf\u202Etxt', ''],
      ['con.', ''],
      ['.bashrc', ''],
      ['x.abcdefghijk', ''],
      ['x.ab\u0000c', ''],
      ['résumé.dоc', ''],
      [null, ''],
    ];
    expect(cases.map(([name]) => safeExtension(name))).toEqual(cases.map(([, extension]) => extension));
    expect(bundleFilePath('a'.repeat(64), 'photo.JPEG')).toBe(`files/${'a'.repeat(64)}.jpeg`);
  });
});
