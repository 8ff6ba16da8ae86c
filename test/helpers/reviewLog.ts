import Database from 'better-sqlite3-multiple-ciphers';
import { readReviewLog } from '../../electron/core/review';
import type { ReviewEntry } from '../../shared/review';
import { buildArchive } from './archiveFixture';

const at = (h: number, m = 0) => Date.UTC(2026, 2, 2, h, m);

/** A small archive to look at: #incidents (CT_100, three messages, two with "invoice") and Finance (CT_200, one). */
export function lookedAtArchive(dir: string): string {
  const fixture = buildArchive(dir, {
    chats: [
      { id: 'CT_100', kind: 'channel', title: '#incidents' },
      { id: 'CT_200', kind: 'group', title: 'Finance' },
    ],
    messages: [
      { chat: 'CT_100', id: 'a1', time: at(9), text: 'the invoice is late' },
      { chat: 'CT_100', id: 'a2', time: at(9, 5), text: 'which invoice?' },
      { chat: 'CT_100', id: 'a3', time: at(9, 10), text: 'the big one' },
      { chat: 'CT_200', id: 'b1', time: at(10), text: 'invoice paid' },
    ],
  });
  const path = fixture.path;
  fixture.close();
  return path;
}

/** Every review log entry of an archive, oldest first. */
export function reviewEntries(path: string): ReviewEntry[] {
  const db = new Database(path, { readonly: true });
  try {
    return readReviewLog(db, { timeZone: 'UTC', limit: 1000 }).entries.reverse();
  } finally {
    db.close();
  }
}
