import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { fsyncDir, fsyncFile } from '../backup/files';
import { fileStoreRoot } from './store';

/**
 * `encrypt` and `rekey` replace the archive file and its file store: two renames, which no file
 * system does as one. This journal makes the pair whole: written (and flushed) before the
 * archive's rename, which is the commit; removed once the stores are swapped. Whoever opens the
 * archive next finishes a swap a crash interrupted (the archive was renamed: the new store goes
 * in) or abandons it (it was not: the new store is removed), so the archive and its files are
 * always under the same key.
 */
const journalSchema = z.strictObject({ copy: z.string(), next: z.string(), old: z.string() });
export type StoreSwap = z.infer<typeof journalSchema>;

function journalPath(archivePath: string): string {
  return `${fileStoreRoot(archivePath)}-swap.json`;
}

/** Records the swap to come: `copy` is the converted archive's temp name, `next` its store. */
export function beginStoreSwap(archivePath: string, swap: StoreSwap): void {
  const path = journalPath(archivePath);
  writeFileSync(path, JSON.stringify(swap), { mode: 0o600 });
  fsyncFile(path);
}

/** Finishes or abandons an interrupted swap (nothing to do without a journal). */
export function settleStoreSwap(archivePath: string): void {
  const path = journalPath(archivePath);
  if (!existsSync(path)) return;
  const swap = journalSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  const store = fileStoreRoot(archivePath);
  if (existsSync(swap.copy)) {
    // The archive was not replaced: its store stays, the converted one goes.
    rmSync(swap.next, { recursive: true, force: true });
  } else if (existsSync(swap.next)) {
    if (existsSync(store)) renameSync(store, swap.old);
    renameSync(swap.next, store);
    fsyncDir(dirname(store));
  }
  rmSync(swap.old, { recursive: true, force: true });
  rmSync(path, { force: true });
}
