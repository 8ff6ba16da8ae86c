import { reviewCodeSchema, reviewItemFilterSchema, type ReviewCodingRecord, type ReviewItem, type ReviewSetSummary } from '../../shared/reviewSets';
import type { FakeVaultApi } from './fakeApi';

const owner = { profile: 'Acme', osUser: 'dana', host: 'laptop' };

export function setSummary(patch: Partial<ReviewSetSummary> = {}): ReviewSetSummary {
  return {
    id: 1,
    name: 'Budget review',
    description: 'Counsel asked for March',
    createdAt: Date.UTC(2026, 2, 10, 9),
    owner,
    sourceText: 'search: invoice, 2026-03-01 to 2026-03-31 (UTC)',
    items: 3,
    reviewed: 0,
    tagCounts: {},
    customTags: [],
    purged: 0,
    rowHash: 'b'.repeat(64),
    ...patch,
  };
}

export function reviewItem(position: number, patch: Partial<ReviewItem> = {}): ReviewItem {
  return {
    position,
    chatId: 'CT_1',
    messageId: `1700_${position}`,
    key: 40 + position,
    conversationTitle: 'Finance',
    time: Date.UTC(2026, 2, 1, 9, position),
    senderId: '600001',
    senderName: 'Dana Ruiz',
    text: `message ${position}`,
    deleted: false,
    purged: false,
    tags: [],
    conversationTags: [],
    note: null,
    conversationNote: null,
    reviewed: false,
    ...patch,
  };
}

/**
 * A review set held in memory with the core's rules as the screen relies on them: a conversation's
 * tags count for its messages in filters and counts, an item with a tag or "reviewed" counts as
 * reviewed, custom tags are listed in the order first used. Records every coding action.
 */
export function withReviewSet(api: FakeVaultApi, initial: ReviewItem[], set: ReviewSetSummary = setSummary({ items: initial.length })) {
  let items = initial.map((item) => ({ ...item }));
  const conversationTags = new Map<string, Set<string>>();
  const conversationNotes = new Map<string, string | null>();
  const records: ReviewCodingRecord[] = [];
  let customTags = [...set.customTags];
  // As the core: an item with a tag (its own or its conversation's) counts as reviewed whatever its mark.
  const view = (item: ReviewItem): ReviewItem => ({
    ...item,
    conversationTags: [...(conversationTags.get(item.chatId) ?? [])],
    conversationNote: conversationNotes.get(item.chatId) ?? null,
    reviewed: item.reviewed || allTags(item).size > 0,
  });
  const allTags = (item: ReviewItem) => new Set([...item.tags, ...(conversationTags.get(item.chatId) ?? [])]);
  const summary = (): ReviewSetSummary => {
    const tagCounts: Record<string, number> = {};
    for (const item of items) for (const tag of allTags(item)) tagCounts[tag] = (tagCounts[tag] ?? 0) + 1;
    return { ...set, customTags, tagCounts, reviewed: items.filter((i) => view(i).reviewed).length, items: items.length };
  };
  api
    .handle('reviewSets:list', () => [summary()])
    .handle('reviewSets:items', (query) => {
      const filter = reviewItemFilterSchema.parse(query.filter);
      const matching = items.filter((item) => {
        const tags = allTags(item);
        return (
          filter.withTags.every((t) => tags.has(t)) &&
          filter.withoutTags.every((t) => !tags.has(t)) &&
          (filter.reviewed === 'any' || (filter.reviewed === 'yes') === view(item).reviewed) &&
          (filter.chatId === undefined || filter.chatId === item.chatId)
        );
      });
      const offset = query.offset ?? 0;
      return { set: summary(), items: matching.slice(offset, offset + (query.limit ?? 100)).map(view), total: matching.length, offset };
    })
    .handle('reviewSets:code', (input) => {
      const action = reviewCodeSchema.parse(input);
      const record: ReviewCodingRecord = {
        id: records.length + 1,
        setId: action.setId,
        chatId: action.chatId,
        messageId: action.messageId ?? null,
        action: action.action,
        tag: 'tag' in action ? action.tag : null,
        note: action.action === 'note' ? action.note : null,
        reviewed: action.action === 'reviewed' ? action.reviewed : null,
        at: Date.UTC(2026, 2, 11, 10, records.length),
        by: owner,
        rowHash: 'c'.repeat(64),
      };
      records.unshift(record);
      if (
        (action.action === 'tag' || action.action === 'untag') &&
        !(['responsive', 'not-responsive', 'privileged', 'needs-redaction'] as string[]).includes(action.tag) &&
        !customTags.includes(action.tag)
      )
        customTags = [...customTags, action.tag];
      if (action.messageId === undefined) {
        const tags = conversationTags.get(action.chatId) ?? new Set<string>();
        conversationTags.set(action.chatId, tags);
        if (action.action === 'tag') tags.add(action.tag);
        if (action.action === 'untag') tags.delete(action.tag);
        if (action.action === 'note') conversationNotes.set(action.chatId, action.note === '' ? null : action.note);
      } else {
        items = items.map((item) => {
          if (item.chatId !== action.chatId || item.messageId !== action.messageId) return item;
          switch (action.action) {
            case 'tag':
              return { ...item, tags: [...new Set([...item.tags, action.tag])] };
            case 'untag':
              return { ...item, tags: item.tags.filter((t) => t !== action.tag) };
            case 'note':
              return { ...item, note: action.note === '' ? null : action.note };
            case 'reviewed':
              return { ...item, reviewed: action.reviewed };
          }
        });
      }
      return { record, set: summary() };
    })
    // As the core: a message's records and its conversation's; a conversation's, all of them.
    .handle('reviewSets:history', (query) => records.filter((r) => r.chatId === query.chatId && (query.messageId === undefined || r.messageId === query.messageId || r.messageId === null)))
    .handle('archive:conversations', () => []);
  return { records, items: () => items.map(view) };
}
