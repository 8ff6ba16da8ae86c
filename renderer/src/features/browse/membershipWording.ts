import type { MemberRole, MembershipRow } from '../../../../shared/views';
import { formatDate, formatDateTime } from '../../format';

/**
 * How one membership interval reads. A member the conversation's first listing found is "member
 * when first archived", never "joined" on that date: when they joined is unknown. A boundary from
 * Cliq's own info message is its time; one a sync noticed is "by" the time it was noticed.
 */
export function describeMembership(m: MembershipRow, timeZone: string): string {
  const joined =
    m.joinedSource === 'first_archived'
      ? `member when first archived (${formatDate(m.firstSeenAt, timeZone)})`
      : m.joinedSource === 'info_message'
        ? `joined ${formatDate(m.joinedAt, timeZone)} (Cliq's info message; noticed ${formatDate(m.firstSeenAt, timeZone)})`
        : `joined by ${formatDate(m.firstSeenAt, timeZone)} (noticed at a sync)`;
  if (m.goneAt === null) return joined;
  const left =
    m.leftSource === 'info_message'
      ? `left ${formatDate(m.leftAt, timeZone)} (Cliq's info message; noticed ${formatDate(m.goneAt, timeZone)})`
      : `left by ${formatDate(m.goneAt, timeZone)} (noticed at a sync)`;
  return `${joined} · ${left}`;
}

/** A channel role as Cliq names it (super_admin, admin, moderator, member), in words. */
export function roleLabel(role: string): string {
  return role.replace(/_/g, ' ');
}

/** One role interval: from when a listing showed it to when one showed another (both noticed at syncs). */
export function describeRole(r: MemberRole, timeZone: string): string {
  const since = `${roleLabel(r.role)} — seen from ${formatDateTime(r.firstSeenAt, timeZone)}`;
  return r.goneAt === null ? `${since}, still held` : `${since} until ${formatDateTime(r.goneAt, timeZone)} (noticed at a sync)`;
}
