import type Database from 'better-sqlite3-multiple-ciphers';
import { VaultError } from '../../../shared/errors';
import type { HoldCustodian } from '../../../shared/holds';
import { editDistance } from '../search/chatByName';

/**
 * A custodian as given (a user id or an e-mail address) resolved against the archive: the user ids
 * it names and the e-mail memberships known only by address match. Someone the archive has never
 * seen — no user, member or sender by that id, no user or member with that address — is refused
 * with the nearest people the archive knows: a hold on a typo would hold nothing and say nothing.
 */
export function resolveCustodian(db: Database.Database, given: string): HoldCustodian {
  if (given.includes('@')) {
    const email = given.toLowerCase();
    const ids = db
      .prepare<[string, string], string>(
        `SELECT user_id FROM users WHERE lower(email) = ?
          UNION SELECT user_id FROM memberships WHERE lower(email) = ? AND user_id IS NOT NULL ORDER BY 1`,
      )
      .pluck()
      .all(email, email);
    const member = db.prepare<[string], number>('SELECT 1 FROM memberships WHERE lower(email) = ? LIMIT 1').pluck().get(email);
    if (ids.length === 0 && member === undefined) throw unknownCustodian(db, given);
    return { given, userIds: ids, email };
  }
  const known = db
    .prepare<[string, string, string], number>(
      `SELECT 1 WHERE EXISTS (SELECT 1 FROM users WHERE user_id = ?) OR EXISTS (SELECT 1 FROM memberships WHERE member_key = ?)
          OR EXISTS (SELECT 1 FROM messages WHERE sender_id = ?)`,
    )
    .pluck()
    .get(given, given, given);
  if (known === undefined) throw unknownCustodian(db, given);
  const email = db
    .prepare<[string, string], string | null>(
      `SELECT coalesce((SELECT lower(email) FROM users WHERE user_id = ?), (SELECT lower(email) FROM memberships WHERE user_id = ? AND email IS NOT NULL LIMIT 1))`,
    )
    .pluck()
    .get(given, given);
  return { given, userIds: [given], email: email ?? null };
}

function unknownCustodian(db: Database.Database, given: string): VaultError {
  const near = nearestPeople(db, given);
  const message = `No one in the archive has the ${given.includes('@') ? 'e-mail address' : 'user id'} "${given}".`;
  const list = near.map((p) => `  ${p.user_id}  ${p.email ?? ''}  ${p.name ?? ''}`.trimEnd()).join('\n');
  return new VaultError('USAGE', message, {
    hint:
      near.length > 0
        ? `Nearest people in the archive (give a user id or e-mail with --custodian):\n${list}`
        : 'Find people with `cliq-vault directory` or in the app, and give their user id or e-mail.',
    ui: { message, hint: near.length > 0 ? `Nearest people in the archive:\n${list}` : 'Pick custodians from the list of people.' },
  });
}

/** Up to five people whose id, e-mail or name contains what was typed or is a few edits from it. */
function nearestPeople(db: Database.Database, given: string): { user_id: string; email: string | null; name: string | null }[] {
  const wanted = given.toLowerCase();
  const people = db.prepare<[], { user_id: string; email: string | null; name: string | null }>('SELECT user_id, email, name FROM users ORDER BY user_id').all();
  const score = (p: { user_id: string; email: string | null; name: string | null }): number => {
    const fields = [p.user_id, p.email ?? '', p.name ?? ''].map((f) => f.toLowerCase()).filter((f) => f !== '');
    if (fields.some((f) => f.includes(wanted) || wanted.includes(f))) return 0;
    const best = Math.min(...fields.map((f) => editDistance(wanted, f.slice(0, 100))));
    return best <= Math.max(2, Math.floor(wanted.length / 3)) ? best : Number.POSITIVE_INFINITY;
  };
  return people
    .map((p) => ({ p, s: score(p) }))
    .filter((x) => x.s < Number.POSITIVE_INFINITY)
    .sort((a, b) => a.s - b.s)
    .slice(0, 5)
    .map((x) => x.p);
}
