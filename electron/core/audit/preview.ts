import type Database from 'better-sqlite3-multiple-ciphers';
import type { AuditScope } from '../../../shared/audit';
import type { AuditPreview } from '../../../shared/views';
import { attachmentsInScope } from './attachmentFiles';
import { resolveScope } from './scope';

/**
 * What an audit export of `scope` would hold: conversations, messages, senders, the time span
 * of those messages, and their attachments with the bytes the bundle's files/ would carry, read in one transaction. Resolving the scope creates the TEMP scope tables
 * on `db`, which stay until it closes: give it a connection of its own (read-only is enough), once,
 * and close it afterwards.
 */
export function previewScope(db: Database.Database, scope: AuditScope): AuditPreview {
  return db.transaction(() => {
    const resolved = resolveScope(db, scope);
    const inScope = attachmentsInScope(resolved.scoped);
    const span = db
      .prepare<[], { from: number | null; to: number | null }>(
        resolved.scoped ? 'SELECT min(time) AS "from", max(time) AS "to" FROM messages WHERE id IN (SELECT key FROM scope_messages)' : 'SELECT min(time) AS "from", max(time) AS "to" FROM messages',
      )
      .get();
    // Bytes of the distinct stored files: identical files are copied into a bundle once.
    const files = db
      .prepare<[], { attachments: number; bytes: number }>(
        `SELECT (SELECT count(*) ${inScope}) AS attachments,
                (SELECT coalesce(sum(bytes), 0) FROM (SELECT DISTINCT a.sha256, a.bytes ${inScope} WHERE a.status = 'stored')) AS bytes`,
      )
      .get();
    return {
      conversations: resolved.chats,
      messages: resolved.messages,
      senders: resolved.users,
      from: span?.from ?? null,
      to: span?.to ?? null,
      attachments: files?.attachments ?? 0,
      attachmentBytes: files?.bytes ?? 0,
    };
  })();
}
