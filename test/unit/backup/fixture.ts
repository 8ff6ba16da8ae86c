import Database from 'better-sqlite3-multiple-ciphers';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../../electron/core/util/clock';
import { buildArchive } from '../../helpers/archiveFixture';

/**
 * An archive in `dir` (`fixture.sqlite`) holding messages `from` … `from + count - 1` of one chat,
 * written through the real repositories. Call again with a later `from` to move it on.
 */
export function archiveWith(dir: string, from = 0, count = 20): string {
  mkdirSync(dir, { recursive: true });
  const messages = Array.from({ length: count }, (_, k) => ({ chat: 'c1', id: `m${from + k}`, time: 1_700_000_000_000 + (from + k) * 1_000, text: `retention note ${from + k}` }));
  buildArchive(dir, { chats: [{ id: 'c1', kind: 'group', title: 'Legal ../../etc/passwd' }], messages }).close();
  return join(dir, 'fixture.sqlite');
}

export function messageIds(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return db
      .prepare<[], { message_id: string }>('SELECT message_id FROM messages ORDER BY id')
      .all()
      .map((r) => r.message_id);
  } finally {
    db.close();
  }
}

/** Files in a folder, hidden ones included, sorted. */
export function filesIn(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** A clock for snapshot names: starts at 2026-11-23T02:30:00Z and moves one minute per call. */
export function minuteClock(start = Date.UTC(2026, 10, 23, 2, 30)): Pick<Clock, 'now'> {
  let t = start - 60_000;
  return { now: () => (t += 60_000) };
}
