import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAuditBundle, type AuditOptions } from '../../../electron/core/audit/bundle';
import { syncArchive } from '../../../electron/core/createCore';
import { buildArchive, type FixtureMessage } from '../../helpers/archiveFixture';
import { connectionTo, SharedVirtualClock, useSimulators, virtualRuntime } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

/**
 * The bytes of a bundle's content, pinned: the export was made faster (issue 16) on the promise
 * that not one byte of what an auditor receives changed. The archives here are deterministic (the
 * simulator and the client share virtual time), so every data file, attachment copy, transcript,
 * warnings.txt and data-dictionary.csv has a known SHA-256, recorded from the exporter before the
 * speed-ups. README.txt, manifest.json, custody.txt and the signature name the user, the host and
 * an ephemeral key, so they vary by design and are left out (their own tests check them).
 *
 * A deliberate change to the content updates the record: CLIQ_VAULT_UPDATE_BUNDLE_BYTES=1 npx vitest
 * run test/integration/audit/bundleBytes.test.ts, and say why in the commit.
 */
const recordPath = join(__dirname, '..', '..', 'fixtures', 'bundle', 'bundleBytes.json');
const update = process.env.CLIQ_VAULT_UPDATE_BUNDLE_BYTES === '1';
const varies = new Set(['README.txt', 'manifest.json', 'custody.txt', 'SHA256SUMS', 'SHA256SUMS.sig', 'signing-key.pub.pem']);
const exportedAt = { now: () => Date.UTC(2026, 5, 1, 12) };

function walk(dir: string, root = dir): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f), root) : [relative(root, join(dir, f))]));
}

/** path → SHA-256 of every file of the bundle that does not vary by design. */
function contentHashes(bundle: string): Record<string, string> {
  const paths = walk(bundle)
    .filter((p) => !varies.has(p))
    .sort();
  return Object.fromEntries(paths.map((p) => [p, createHash('sha256').update(readFileSync(join(bundle, p))).digest('hex')]));
}

describe('audit bundle content, byte for byte', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();
  const recorded = existsSync(recordPath) ? (JSON.parse(readFileSync(recordPath, 'utf8')) as Record<string, Record<string, string>>) : {};
  const found: Record<string, Record<string, string>> = {};

  async function bundle(name: string, archivePath: string, options: Omit<AuditOptions, 'archivePath' | 'outDir' | 'clock'>): Promise<void> {
    const out = join(tempDir(), name);
    await createAuditBundle({ archivePath, outDir: out, clock: exportedAt, ...options });
    found[name] = contentHashes(out);
    if (update) {
      writeFileSync(recordPath, `${JSON.stringify({ ...recorded, ...found }, null, 2)}\n`);
      return;
    }
    expect(found[name], `${name}: a bundle's content changed (see this file's header)`).toEqual(recorded[name]);
  }

  it('of a synced org (edits, deletions, leaves; files, calls, pins, directory): whole, scoped, split', async () => {
    const clock = new SharedVirtualClock();
    const sim = await simulator({ seed: 9, scale: 'small', clock });
    // One conversation at a time per lane: with two, which HTTP answer came first decided the
    // order of inserts, so row ids, and the row hashes that cover them, varied between runs.
    const archive = join(tempDir(), 'a.sqlite');
    await syncArchive(archive, connectionTo(sim), { concurrency: 1 }, virtualRuntime(clock));
    sim.mutate({ seed: 2, editMessages: 3, deleteMessages: 2, membersLeave: 2 });
    await syncArchive(archive, connectionTo(sim), { concurrency: 1 }, virtualRuntime(clock));

    // Everything, both data formats, transcripts and attachment copies.
    await bundle('whole', archive, { scope: { formats: ['csv', 'jsonl'] } });
    // The bench's bundle: CSV alone, no transcripts.
    await bundle('csv', archive, { scope: { formats: ['csv'], transcripts: false } });
    // Scoped (the temp scope tables), another zone, plain ids, files in parts.
    await bundle('scoped', archive, { scope: { kinds: ['channel', 'group'], timeZone: 'Asia/Kolkata', ids: 'plain', formats: ['csv'], transcripts: false }, maxRowsPerFile: 300 });
  });

  it('of hostile text: formula starts, quotes, line breaks, emoji, lone surrogates, NUL, a 300,000-character message', async () => {
    const texts = [
      "=cmd|' /C calc'!A0",
      '+1+2',
      '-3',
      '@SUM(A1:A2)',
      '\tTabbed',
      '\rCR',
      '\nLF',
      'say "hi", then\r\nbye',
      '😀 مرحبا עולם',
      'nul\u0000inside',
      'lone \uD83D surrogate \uDE00 halves',
      '*bold* _it_ ~strike~ `code` [label](https://example.com) {@1234567890123456789} {#1901318000001615007}',
      'é'.repeat(100_000) + '😀'.repeat(100_000),
      '',
    ];
    const messages: FixtureMessage[] = texts.map((text, i) => ({
      chat: '1901318000001615007',
      id: `m${i}`,
      time: Date.UTC(2026, 0, 1, 0, 0, i),
      text,
      sender: { id: '1234567890123456789', name: '=HYPERLINK("x")' },
    }));
    const fixture = buildArchive(tempDir(), { chats: [{ id: '1901318000001615007', kind: 'group', title: '@title, with "quotes"' }], messages });
    const archive = fixture.path;
    fixture.close();
    await bundle('hostile', archive, { scope: { formats: ['csv', 'jsonl'], transcripts: false } });
  });
});
