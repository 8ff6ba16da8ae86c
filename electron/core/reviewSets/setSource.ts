import type Database from 'better-sqlite3-multiple-ciphers';
import { auditScopeSchema } from '../../../shared/audit';
import { VaultError } from '../../../shared/errors';
import type { reviewSetSourceSchema } from '../../../shared/reviewSets';
import { describeIssue } from '../../../shared/validation';
import type { z } from 'zod';
import { describeFilters } from '../audit/custody';
import { resolveScope } from '../audit/scope';
import { evaluateHolds } from '../holds/holdScope';
import { holdsNamed } from '../holds/holdReads';
import { checkDateOrder, checkTimeZone } from '../util/timeZone';

type Source = z.output<typeof reviewSetSourceSchema>;

/**
 * Resolves a set's source into temp.review_source (key: messages.id) on the given connection, and
 * says it in words. A filter set is read exactly as an audit scope is (audit/scope.ts: the same
 * messages a search with these filters finds); a hold gives what it holds now (holds/holdScope.ts),
 * its active hold of that name first, else the newest released one.
 */
export function resolveSource(db: Database.Database, source: Source): string {
  db.exec('CREATE TEMP TABLE IF NOT EXISTS review_source (key INTEGER PRIMARY KEY); DELETE FROM temp.review_source;');
  if ('hold' in source) {
    const named = holdsNamed(db, source.hold);
    const hold = named.find((h) => h.status === 'active') ?? named[0];
    if (!hold) {
      throw new VaultError('USAGE', `No hold is named "${source.hold}".`, {
        hint: 'List the holds with `cliq-vault hold list --archive <path>`; names are matched exactly.',
        ui: { message: `No hold is named "${source.hold}".`, hint: 'Names are matched exactly; the Holds screen lists every hold.' },
      });
    }
    evaluateHolds(db, 'all');
    db.prepare('INSERT OR IGNORE INTO temp.review_source (key) SELECT key FROM temp.hold_messages WHERE hold_id = ?').run(hold.id);
    return `hold: "${hold.name}"${hold.status === 'active' ? '' : ' (released)'}, what it held when the set was made`;
  }
  const parsed = auditScopeSchema.safeParse(source.scope);
  if (!parsed.success) throw new VaultError('USAGE', `Invalid review set filters: ${describeIssue(parsed.error, { subject: 'filters' })}.`);
  const scope = parsed.data;
  checkTimeZone(scope.timeZone);
  checkDateOrder(scope.from, scope.to, scope.timeZone);
  // resolveScope creates its temp tables once per connection: this connection is the set's own.
  const resolved = resolveScope(db, scope);
  db.exec(resolved.scoped ? 'INSERT INTO temp.review_source (key) SELECT key FROM temp.scope_messages' : 'INSERT INTO temp.review_source (key) SELECT id FROM messages');
  return `search: ${describeFilters(scope).join('; ')}`;
}
