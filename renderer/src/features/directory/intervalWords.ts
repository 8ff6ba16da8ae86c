import type { DirectoryKind, IntervalStart } from '../../../../shared/evidence';
import { formatDateTime } from '../../format';

export const kindNames: Record<DirectoryKind, string> = { department: 'Department', designation: 'Designation', role: 'Role', team: 'Team' };

/**
 * An interval's start in words. A start found at the group's first listing is unknown: the person
 * was already a member then ("member when first archived"), never "joined" on that day.
 */
export function startWords(interval: { startSource: IntervalStart; startNoticedAt: number }, timeZone: string): string {
  return interval.startSource === 'first_archived'
    ? `member when first archived (${formatDateTime(interval.startNoticedAt, timeZone)}; joined earlier, date unknown)`
    : `noticed ${formatDateTime(interval.startNoticedAt, timeZone)}`;
}

/** An interval's end in words: when a sync noticed it had ended, or that it still holds. */
export function endWords(end: number | null, timeZone: string): string {
  return end === null ? 'still held' : `ended, noticed ${formatDateTime(end, timeZone)}`;
}
