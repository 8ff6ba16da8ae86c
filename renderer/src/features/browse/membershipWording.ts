import { membershipWords } from '../../../../shared/membershipWords';
import type { MemberRole, MembershipRow } from '../../../../shared/views';
import { formatDate, formatDateTime } from '../../format';

/** How one membership interval reads (shared/membershipWords.ts: the same words as a bundle's transcripts), in the settings' zone. */
export function describeMembership(m: MembershipRow, timeZone: string): string {
  return membershipWords({ joinedSource: m.joinedSource, joinedAt: m.joinedAt, joinedNoticedAt: m.firstSeenAt, leftSource: m.leftSource, leftAt: m.leftAt, leftNoticedAt: m.goneAt }, (ms) =>
    formatDate(ms, timeZone),
  );
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
