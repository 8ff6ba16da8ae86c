import type Database from 'better-sqlite3-multiple-ciphers';
import type { MentionResolver } from '../../../../shared/markup';
import { membershipWords } from '../../../../shared/membershipWords';
import { personLabel } from '../../../../shared/people';
import { esc } from './html';
import { dayOf } from './page';

/** One row of membership_intervals, as the transcripts read it (RSMF's joins and leaves read it too). */
export interface IntervalRow {
  member_key: string;
  user_id: string | null;
  name: string | null;
  email: string | null;
  joined_source: 'info_message' | 'first_archived' | 'noticed';
  joined_at: number | null;
  joined_noticed_at: number;
  left_source: 'info_message' | 'noticed' | null;
  left_at: number | null;
  left_noticed_at: number | null;
  row_hash: string | null;
}

const statements = new WeakMap<Database.Database, Database.Statement<[string], IntervalRow>>();

/**
 * The members table of a transcript: one row per membership interval (membership_intervals), in
 * the words the app's Browse screen uses (shared/membershipWords.ts): a
 * member the first listing found is "member when first archived", never "joined" — when they
 * joined is unknown; a boundary from Cliq's info message is its time, one a sync noticed is "by".
 */
export function membersHtml(db: Database.Database, chatId: string, timeZone: string, resolver: MentionResolver): string {
  let statement = statements.get(db);
  if (!statement) {
    statement = db.prepare(
      `SELECT member_key, user_id, name, email, joined_source, joined_at, joined_noticed_at, left_source, left_at, left_noticed_at, row_hash
         FROM membership_intervals WHERE chat_id = ? ORDER BY left_noticed_at IS NOT NULL, coalesce(name, email, member_key), joined_noticed_at, id`,
    );
    statements.set(db, statement);
  }
  const rows = statement.all(chatId);
  if (rows.length === 0) return '<p class="note">The archive holds no member listing for this conversation.</p>\n';
  const lines = rows.map((r) => {
    const who = (r.user_id !== null ? resolver.user(r.user_id)?.name : undefined) ?? personLabel({ id: r.member_key, name: r.name, email: r.email }, false);
    const current = r.left_noticed_at === null;
    return `<tr data-row-hash="${esc(r.row_hash ?? '')}"><td dir="auto">${esc(who)}</td><td>${esc(intervalWords(r, timeZone))}</td><td>${current ? 'member' : 'left'}</td></tr>`;
  });
  return `<table class="members"><thead><tr><th>Member</th><th>Membership</th><th>Now</th></tr></thead><tbody>\n${lines.join('\n')}\n</tbody></table>\n`;
}

/** One interval in words (shared/membershipWords.ts, as the app says it), dates in the bundle's zone. */
export function intervalWords(r: Pick<IntervalRow, 'joined_source' | 'joined_at' | 'joined_noticed_at' | 'left_source' | 'left_at' | 'left_noticed_at'>, timeZone: string): string {
  return membershipWords(
    { joinedSource: r.joined_source, joinedAt: r.joined_at, joinedNoticedAt: r.joined_noticed_at, leftSource: r.left_source, leftAt: r.left_at, leftNoticedAt: r.left_noticed_at },
    (ms) => (ms === null ? 'an unknown day' : dayOf(ms, timeZone)),
  );
}
