import { builtInTags, type ReviewActor, type ReviewCodingRecord } from '../../../../shared/reviewSets';
import type { ReviewFilters } from '../../../../shared/reviewFilters';

/** A tag as a reviewer reads it: `needs-redaction` → "needs redaction". Custom tags are shown as typed. */
export function tagLabel(tag: string): string {
  return (builtInTags as readonly string[]).includes(tag) ? tag.replace(/-/g, ' ') : tag;
}

/** Who did something, as the other screens name people: the OS user, the host, the org when known. */
export function actorWords(actor: ReviewActor): string {
  return `${actor.osUser} on ${actor.host}${actor.profile !== null ? ` (org ${actor.profile})` : ''}`;
}

/** One coding record in words ("tagged privileged on the conversation"). */
export function recordWords(record: ReviewCodingRecord): string {
  const on = record.messageId === null ? ' on the conversation' : '';
  switch (record.action) {
    case 'tag':
      return `tagged ${tagLabel(record.tag ?? '')}${on}`;
    case 'untag':
      return `removed ${tagLabel(record.tag ?? '')}${on}`;
    case 'note':
      return record.note === null || record.note === '' ? `cleared the note${on}` : `noted${on}: ${record.note}`;
    case 'reviewed':
      return record.reviewed === true ? 'marked reviewed' : 'marked not reviewed';
  }
}

/**
 * The filters of a search in words, for the form that freezes them into a set: what a reviewer
 * checks before making it. Conversation and people ids are counted, not listed (names need lookups
 * the set's own "source in words" does once it is made).
 */
export function filtersInWords(f: ReviewFilters): string {
  const parts: string[] = [];
  if (f.text.trim() !== '') parts.push(`containing “${f.text.trim()}”${f.mode === 'advanced' ? ' (advanced)' : ''}`);
  if (f.conversations.length > 0) parts.push(count(f.conversations.length, 'conversation'));
  if (f.kinds.length > 0) parts.push(`in ${f.kinds.join(', ')}`);
  if (f.participants.length > 0) parts.push(`${count(f.participants.length, 'participant')} picked`);
  if (f.senders.length > 0) parts.push(`from ${count(f.senders.length, 'sender')}`);
  const groups = f.departments.length + f.designations.length + f.teams.length + f.roles.length;
  if (groups > 0) parts.push(`${count(groups, 'directory group')} picked`);
  if (f.from !== '' || f.to !== '') parts.push(`${f.from === '' ? 'the start' : f.from} to ${f.to === '' ? 'now' : f.to}`);
  if (f.types.length > 0) parts.push(`types ${f.types.join(', ')}`);
  if (f.hasFile !== 'any') parts.push(f.hasFile === 'yes' ? 'with a file' : 'without a file');
  if (f.deleted !== 'include') parts.push(f.deleted === 'only' ? 'deleted only' : 'deleted left out');
  if (f.edited !== 'any') parts.push(f.edited === 'yes' ? 'edited only' : 'never edited');
  if (f.includeVersions) parts.push('earlier versions searched too');
  return parts.join(' · ');
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
