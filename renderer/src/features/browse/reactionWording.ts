import type { ReactionCoverage } from '../../../../shared/archive';
import { formatCount, formatDate } from '../../format';

/**
 * A conversation's reactions coverage in words. Reactions are read message by message, only where
 * the connected admin can read the conversation through Cliq's API: what was not read is said.
 */
export function describeReactionCoverage(c: ReactionCoverage, timeZone: string): string {
  if (c.askedAt === null) return 'Reactions not read: the admin cannot read this conversation through Cliq, or no sync has asked yet.';
  if (c.checked === 0 && c.unreadable > 0) return `Reactions not readable: the admin is not in this chat (Cliq refused on ${formatDate(c.askedAt, timeZone)}).`;
  const total = c.checked + c.due + c.unreadable;
  const parts = [`Reactions read for ${formatCount(c.checked)} of ${formatCount(total)} message${total === 1 ? '' : 's'}`];
  if (c.due > 0) parts.push(`${formatCount(c.due)} wait${c.due === 1 ? 's' : ''} for the next sync`);
  if (c.unreadable > 0) parts.push(`${formatCount(c.unreadable)} not readable: Cliq refused the admin on ${formatDate(c.askedAt, timeZone)}`);
  return `${parts.join('; ')}.`;
}
