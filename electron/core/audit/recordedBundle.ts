import type Database from 'better-sqlite3-multiple-ciphers';
import { VaultError } from '../../../shared/errors';
import type { RecordedBundle } from './bundleZip';

/**
 * One bundle as this archive's audit log records it, by its audit log id. Only a complete export
 * is returned: its folder path comes from the archive's own sealed row, never from a request, so
 * whatever asks for a bundle can only reach folders this archive wrote.
 */
export function recordedBundle(db: Database.Database, id: number): RecordedBundle {
  const row = db
    .prepare<[number], { bundlePath: string; bundleHash: string | null; at: number; status: string }>(
      'SELECT bundle_path AS bundlePath, bundle_hash AS bundleHash, at, status FROM audit_log WHERE id = ?',
    )
    .get(id);
  if (row === undefined) throw new VaultError('NOT_FOUND', `The audit log has no bundle number ${id}.`, { hint: 'Pick a bundle from the audit history.' });
  if (row.status !== 'complete' || row.bundleHash === null) {
    throw new VaultError('NOT_FOUND', `Bundle number ${id} was not completed (${row.status}): there is no bundle to send.`, { hint: 'Pick a complete bundle from the audit history.' });
  }
  return { bundlePath: row.bundlePath, bundleHash: row.bundleHash, at: row.at };
}
