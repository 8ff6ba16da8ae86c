import Database from 'better-sqlite3-multiple-ciphers';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { openFileStore } from '../../electron/core/files/store';
import { startSimulator } from '../../electron/simulator';
import { measure } from '../proc';
import type { Row } from '../results';

const cli = 'bin/cliq-vault.mjs';
/** Quotas multiplied this much: the throughput row measures our end of the pipe, not Cliq's pacing. */
const quotasOff = 10_000;

interface FilesReport {
  counts: Record<string, number>;
  calls: Record<string, number>;
}

/**
 * Attachments end to end (issue 11), in the CLI's own process for its peak memory: the simulator's
 * tiny org with every file 40–60 MB (0.1–0.3 MB in the bench's smoke test), first synced without files (the messages), then with them, so
 * the second run's time is the files lane's. Compared with a plain copy of the same bytes, file by
 * file, on the same disk (read, write, fsync: what keeping a file safely costs at least). Then the
 * calls: one per file referenced, none on a re-sync. Last, what the files add to an audit bundle.
 */
export async function benchFiles(sizes: 'full' | 'smoke'): Promise<Row[]> {
  // The bench's own smoke test (a tiny run) keeps the bytes small; the rows it checks are the same.
  const [min, max] = sizes === 'full' ? [40_000_000, 60_000_000] : [100_000, 300_000];
  const sim = await startSimulator({
    scale: 'tiny',
    seed: 1,
    quotaScale: quotasOff,
    fileSizes: { emptyShare: 0, largeShare: 1, largeMinBytes: min, largeMaxBytes: max },
  });
  const dir = mkdtempSync(join(tmpdir(), 'cliq-vault-bench-'));
  const env = { CLIQ_CLIENT_ID: sim.admin.clientId, CLIQ_CLIENT_SECRET: sim.admin.clientSecret, CLIQ_REFRESH_TOKEN: sim.admin.refreshToken };
  const sync = (archive: string, ...extra: string[]) =>
    measure(process.execPath, [cli, 'sync', '--archive', archive, '--api-base', sim.apiBase, '--accounts-base', sim.accountsBase, '--quota-scale', String(quotasOff), '--json', ...extra], { env });
  const report = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as FilesReport;
  try {
    const archive = join(dir, 'files.sqlite');
    const messagesOnly = await sync(archive, '--files', 'none');
    if (messagesOnly.code !== 0) throw new Error(`sync --files none failed: ${messagesOnly.stderr}`);
    const withFiles = await sync(archive);
    if (withFiles.code !== 0) throw new Error(`sync failed: ${withFiles.stderr}`);
    const again = await sync(archive);
    if (again.code !== 0) throw new Error(`re-sync failed: ${again.stderr}`);

    const db = new Database(archive, { readonly: true });
    const stored = db.prepare<[], { files: number; bytes: number }>("SELECT count(*) AS files, coalesce(sum(bytes), 0) AS bytes FROM attachments WHERE status = 'stored'").get() ?? {
      files: 0,
      bytes: 0,
    };
    const referenced = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM attachments').get()?.n ?? 0;
    db.close();

    // The plain copy: every stored object, read and written to another folder of the same disk, fsynced.
    const store = openFileStore(archive);
    const copyDir = join(dir, 'copy');
    mkdirSync(copyDir);
    const copyStarted = process.hrtime.bigint();
    for await (const hash of store.list()) {
      const target = join(copyDir, hash);
      await pipeline(createReadStream(store.pathOf(hash)), createWriteStream(target));
      const handle = await open(target, 'r');
      await handle.sync();
      await handle.close();
    }
    const copySeconds = Number(process.hrtime.bigint() - copyStarted) / 1e9;
    const copiedObjects = readdirSync(copyDir).length;
    const objectBytes = (await Promise.all(readdirSync(copyDir).map(async (name) => (await store.stat(name)) ?? 0))).reduce((a, b) => a + b, 0);

    // What attachment files add to an audit bundle of everything (issue 16): the same bundle with
    // and without them, transcripts off in both, each a CLI process of its own.
    const bundle = (name: string, ...extra: string[]) => measure(process.execPath, [cli, 'audit', '--archive', archive, '--out', join(dir, name), '--no-transcripts', '--json', ...extra]);
    const bundleWithout = await bundle('bundle-without', '--no-files');
    if (bundleWithout.code !== 0) throw new Error(`audit --no-files failed: ${bundleWithout.stderr}`);
    const bundleWith = await bundle('bundle-with');
    if (bundleWith.code !== 0) throw new Error(`audit with files failed: ${bundleWith.stderr}`);
    const bundled = readdirSync(join(dir, 'bundle-with', 'files')).length;
    rmSync(join(dir, 'bundle-with'), { recursive: true, force: true });
    rmSync(join(dir, 'bundle-without'), { recursive: true, force: true });
    const addedMbps = objectBytes / 1e6 / Math.max(0.001, bundleWith.seconds - bundleWithout.seconds);

    // The run's fixed cost (process start, token, listings) is what the re-sync with nothing to
    // fetch costs: the files' own time is the difference.
    const filesSeconds = Math.max(0.001, withFiles.seconds - again.seconds);
    const mbps = stored.bytes / 1e6 / filesSeconds;
    const copyMbps = objectBytes / 1e6 / copySeconds;
    const calls = report(withFiles.stdout).calls['files.get'] ?? 0;
    const recalls = report(again.stdout).calls['files.get'] ?? 0;
    return [
      {
        section: 'files',
        measure: `${stored.files} files (${(stored.bytes / 1e6).toFixed(0)} MB) stored over HTTP, quotas off (the run less a re-sync's fixed ${again.seconds.toFixed(1)} s): MB/s`,
        figure: mbps,
        unit: 'MB/s',
        target: '≥ 0.8× copy',
        limit: { figure: copyMbps, label: `MB/s plain copy + fsync (${copiedObjects} objects)` },
        ratio: copyMbps / mbps,
        pass: mbps >= 0.8 * copyMbps,
      },
      { section: 'files', measure: 'the same, end to end (the whole sync run)', figure: stored.bytes / 1e6 / withFiles.seconds, unit: 'MB/s', target: '' },
      { section: 'files', measure: 'files stored per second (the whole sync run)', figure: stored.files / withFiles.seconds, unit: 'files/s', target: '' },
      {
        section: 'files',
        measure: `peak memory of the sync storing ${(min / 1e6).toFixed(1)}–${(max / 1e6).toFixed(1)} MB files`,
        figure: withFiles.peakMiB,
        unit: 'MiB',
        // Issue 16: a sync's peak, attachments in flight included.
        target: '≤ 200 MiB',
        pass: withFiles.peakMiB <= 200,
      },
      {
        section: 'files',
        measure: 'F1 calls per file referenced',
        figure: calls,
        unit: 'calls',
        target: '1.00×',
        limit: { figure: referenced, label: 'files referenced' },
        ratio: calls / Math.max(referenced, 1),
        pass: calls === referenced,
      },
      { section: 'files', measure: 'F1 calls on a re-sync', figure: recalls, unit: 'calls', target: '0', pass: recalls === 0 },
      {
        section: 'files',
        measure: `audit bundle of everything with its ${bundled} attachment files (${(objectBytes / 1e6).toFixed(0)} MB; transcripts off), end to end`,
        figure: bundleWith.seconds,
        unit: 's',
        target: '',
        limit: { figure: bundleWithout.seconds, label: 's without the files' },
        ratio: bundleWith.seconds / bundleWithout.seconds,
      },
      {
        section: 'files',
        measure: 'the files copied into the bundle (its time less the bundle without them): MB/s',
        figure: addedMbps,
        unit: 'MB/s',
        target: '',
        limit: { figure: copyMbps, label: 'MB/s plain copy + fsync' },
      },
      { section: 'files', measure: 'peak memory of the bundle with its files', figure: bundleWith.peakMiB, unit: 'MiB', target: '≤ 200 MiB', pass: bundleWith.peakMiB <= 200 },
    ];
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
