import { openArchiveDb } from '../core/archive';
import { formatInZone } from '../core/util';

/** Runs `read` on a read-only connection to the archive, closed afterwards whatever happens. */
export function withReader<T>(path: string, read: (db: ReturnType<typeof openArchiveDb>) => T): T {
  const db = openArchiveDb(path, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** A time to the minute in `zone`, as the CLI's tables print it ("2026-03-01 09:30"). */
export function when(ms: number, zone: string): string {
  return formatInZone(ms, zone).slice(0, 16).replace('T', ' ');
}
