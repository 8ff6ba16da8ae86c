import type Database from 'better-sqlite3-multiple-ciphers';

/** An object of the file store that stored attachments name. */
export interface ReferencedObject {
  sha256: string;
  /** The size recorded when it was stored. */
  bytes: number;
  /** How many stored attachment rows name it. */
  attachments: number;
}

/**
 * The objects the archive's stored attachments name, in hash order, read whole (a few MB even for
 * 100,000 files) so no statement stays open while the caller awaits the disk. Null for an archive
 * from before migration 0060, which has no attachments. Rows recording two sizes for one hash
 * (only possible by editing the archive, which verify reports as a changed row) give one entry
 * per size.
 */
export function referencedObjects(db: Database.Database): ReferencedObject[] | null {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'attachments'").get() !== undefined;
  if (!hasTable) return null;
  return db
    .prepare<[], ReferencedObject>(
      `SELECT sha256, bytes, count(*) AS attachments
         FROM attachments
        WHERE status = 'stored'
        GROUP BY sha256, bytes
        ORDER BY sha256, bytes`,
    )
    .all();
}
