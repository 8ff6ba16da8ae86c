import type { OptionalSourceView } from '../../../../shared/evidence';
import { formatDateTime } from '../../format';

/** "Calls and meetings of the connected account" → "calls and meetings of the connected account", for mid-sentence use. */
function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** What to do to add a source the authorisation lacks: the scope to grant and what it adds. */
export function grantAdvice(source: OptionalSourceView): string {
  return `Grant ${source.scope} to add ${lowerFirst(source.label)}: make a new grant code with it and connect the org again.`;
}

/**
 * An optional source's last outcome in the user's words: when it was archived, the scope that
 * would add it, or that the next sync tries again. Times in the user's zone.
 */
export function sourceOutcome(source: OptionalSourceView, timeZone: string): { status: string; detail: string } {
  switch (source.status) {
    case 'complete':
      return { status: 'archived', detail: `Archived ${formatDateTime(source.at, timeZone)}.` };
    case 'not_granted':
      return { status: 'not granted', detail: `Cliq refused it at the sync of ${formatDateTime(source.at, timeZone)}. ${grantAdvice(source)}` };
    case 'failed':
      return { status: 'failed', detail: `The sync of ${formatDateTime(source.at, timeZone)} could not read it; the next sync tries again.` };
    case null:
      return { status: 'not tried yet', detail: 'No sync has read it yet: the next sync will.' };
  }
}
