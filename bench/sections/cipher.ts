import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openArchiveDb } from '../../electron/core/archive/connection';
import { encryptArchive } from '../../electron/core/backup/convert';
import { useArchiveKey, type ArchiveKey } from '../../electron/core/cipher';
import { searchMessages } from '../../electron/core/search/search';
import { measure, percentile } from '../proc';
import type { Row } from '../results';
import { ingestOnce } from './ingest';
import { queryCases, timeIt } from './search';

const cli = 'bin/cliq-vault.mjs';

/**
 * An encrypted archive (SQLCipher 4: AES-256 + HMAC-SHA512 per page) against the same archive
 * plain, through the same code: ingest of raw pages into a new archive, the search query set, and
 * `export --what messages`. Target: at most 1.3× the plain figure. A raw key (a key file) is used,
 * so scrypt (a passphrase's one-time cost per process) is not in the figures.
 */
export async function benchCipher(source: string, reps: number): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cliq-vault-bench-'));
  const key: ArchiveKey = { kind: 'raw', key: randomBytes(32), origin: 'the bench' };
  try {
    // Ingest: each side keeps its best run; they take turns.
    let plain = Infinity;
    let encrypted = Infinity;
    let messages = 0;
    for (let rep = 0; rep < reps; rep += 1) {
      useArchiveKey(undefined);
      const a = await ingestOnce(source, join(dir, `plain-${rep}.sqlite`));
      useArchiveKey(key);
      const b = await ingestOnce(source, join(dir, `encrypted-${rep}.sqlite`));
      messages = a.messages;
      plain = Math.min(plain, a.seconds);
      encrypted = Math.min(encrypted, b.seconds);
    }
    useArchiveKey(undefined);

    // The same archive, plain and encrypted, for search and export.
    const plainCopy = join(dir, 'copy-plain.sqlite');
    const encCopy = join(dir, 'copy-encrypted.sqlite');
    copyFileSync(source, plainCopy);
    copyFileSync(source, encCopy);
    await encryptArchive(encCopy, key);
    const keyFile = join(dir, 'bench.key');
    writeFileSync(keyFile, `${key.key.toString('hex')}\n`, { mode: 0o600 });

    useArchiveKey(undefined);
    const plainSearch = searchTimes(plainCopy);
    useArchiveKey(key);
    const encSearch = searchTimes(encCopy);
    useArchiveKey(undefined);

    let plainExport = Infinity;
    let encExport = Infinity;
    for (let rep = 0; rep < reps; rep += 1) {
      plainExport = Math.min(plainExport, await exportSeconds(plainCopy, join(dir, `p-${rep}.jsonl`), []));
      encExport = Math.min(encExport, await exportSeconds(encCopy, join(dir, `e-${rep}.jsonl`), ['--key-file', keyFile]));
    }

    const row = (measureText: string, ours: number, base: number, unit: string, label: string): Row => ({
      section: 'cipher',
      measure: measureText,
      figure: ours,
      unit,
      target: '≤ 1.3× plain',
      limit: { figure: base, label },
      ratio: ours / base,
      pass: ours <= 1.3 * base,
    });
    return [
      row(`ingest ${messages.toLocaleString('en-US')} messages into an encrypted archive, best of ${reps}`, encrypted, plain, 's', 's plain'),
      row(`search query set (${plainSearch.count} queries × 30) on the encrypted archive, p95`, percentile(encSearch.times, 95), percentile(plainSearch.times, 95), 'ms', 'ms plain'),
      row(`export --what messages from the encrypted archive, best of ${reps}`, encExport, plainExport, 's', 's plain'),
    ];
  } finally {
    useArchiveKey(undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

function searchTimes(path: string): { times: number[]; count: number } {
  const db = openArchiveDb(path, { readonly: true });
  try {
    const cases = queryCases(db);
    const times = cases.flatMap((c) => timeIt(() => searchMessages(db, { ...c.query, limit: 50 }).hits.length));
    return { times: times.sort((a, b) => a - b), count: cases.length };
  } finally {
    db.close();
  }
}

async function exportSeconds(archive: string, out: string, extra: string[]): Promise<number> {
  const run = await measure(process.execPath, [cli, 'export', '--archive', archive, '--what', 'messages', '--format', 'jsonl', '--out', out, ...extra]);
  if (run.code !== 0) throw new Error(`export failed: ${run.stderr}`);
  return run.seconds;
}
