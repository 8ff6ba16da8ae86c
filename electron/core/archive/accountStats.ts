import type Database from 'better-sqlite3-multiple-ciphers';
import type { AccountEvidenceStats } from '../../../shared/archive';

const hasCallsTable = (db: Database.Database) => db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'calls'").get() !== undefined;

/**
 * The connected account's calls and scheduled messages and the org's call notices, for `stats`
 * (undefined on an archive from before migration 0065). `notGranted` names the optional sources
 * whose last run was refused for a missing scope, so `stats` can say what to re-authorise with.
 */
export function accountEvidenceTotals(db: Database.Database): AccountEvidenceStats | undefined {
  if (!hasCallsTable(db)) return undefined;
  const calls = db
    .prepare<[], AccountEvidenceStats['calls']>(
      `SELECT count(*) FILTER (WHERE gone_at IS NULL) AS live, count(*) FILTER (WHERE gone_at IS NOT NULL) AS gone,
              (SELECT count(*) FROM call_participants) AS participants
         FROM calls`,
    )
    .get() ?? { live: 0, gone: 0, participants: 0 };
  const callNotices = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM messages WHERE subtype = 'call_notification'").get()?.n ?? 0;
  const scheduled = db
    .prepare<[], AccountEvidenceStats['scheduled']>(
      `SELECT count(*) FILTER (WHERE fate = 'pending' AND gone_at IS NULL) AS pending, count(*) FILTER (WHERE fate = 'sent') AS sent,
              count(*) FILTER (WHERE fate = 'presumed_sent') AS presumedSent, count(*) FILTER (WHERE fate = 'deleted') AS deleted,
              count(*) FILTER (WHERE fate = 'gone') AS gone
         FROM scheduled_messages`,
    )
    .get() ?? { pending: 0, sent: 0, presumedSent: 0, deleted: 0, gone: 0 };
  const notGranted: Record<string, string> = {};
  for (const row of db.prepare<[], { key: string; value: string }>("SELECT key, value FROM meta WHERE key IN ('source.calls', 'source.scheduled_messages') ORDER BY key").all()) {
    try {
      const status = JSON.parse(row.value) as { status?: string; scope?: string };
      if (status.status === 'not_granted' && typeof status.scope === 'string') notGranted[row.key.slice('source.'.length)] = status.scope;
    } catch {
      // A value this version cannot read says nothing about a refusal: left out.
    }
  }
  return { calls, callNotices, scheduled, notGranted };
}
