import type { ConversationKind, SearchQueryInput } from '../../../../shared/search';
import { groupQuery, groupsPicked, noGroups, type GroupSelection } from '../../components/GroupPicks';

export interface SearchFilters extends GroupSelection {
  kinds: ConversationKind[];
  senders: string[];
  from: string;
  to: string;
  hasFile: 'any' | 'yes' | 'no';
  deleted: 'include' | 'exclude' | 'only';
  includeVersions: boolean;
  mode: 'simple' | 'advanced';
  order: 'newest' | 'oldest';
}

export const defaultFilters: SearchFilters = { ...noGroups, kinds: [], senders: [], from: '', to: '', hasFile: 'any', deleted: 'include', includeVersions: false, mode: 'simple', order: 'newest' };

/** Whether the filters select anything on their own (without text, a search lists what they select). */
export function filtersNarrow(f: SearchFilters): boolean {
  return f.kinds.length > 0 || f.senders.length > 0 || groupsPicked(f) > 0 || f.from !== '' || f.to !== '' || f.hasFile !== 'any' || f.deleted === 'only';
}

export function toQuery(text: string, f: SearchFilters, timeZone: string, cursor?: string): SearchQueryInput {
  return {
    text: text.trim() === '' ? undefined : text,
    mode: f.mode,
    kinds: f.kinds.length > 0 ? f.kinds : undefined,
    senders: f.senders.length > 0 ? f.senders : undefined,
    ...groupQuery(f),
    from: f.from === '' ? undefined : f.from,
    to: f.to === '' ? undefined : f.to,
    timeZone,
    hasFile: f.hasFile === 'any' ? undefined : f.hasFile === 'yes',
    deleted: f.deleted,
    includeVersions: f.includeVersions,
    order: f.order,
    limit: 50,
    cursor,
  };
}
