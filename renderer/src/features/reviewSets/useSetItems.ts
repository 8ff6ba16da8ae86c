import { useEffect, useMemo, useState } from 'react';
import type { ReviewCode, ReviewItem, ReviewSetSummary } from '../../../../shared/reviewSets';
import type { RequestOf } from '../../../../shared/contract';
import { useApi } from '../../api/ApiContext';
import { useDebounced } from '../../hooks/useDebounced';
import { useLoad } from '../../hooks/useLoad';
import { toItemFilter, type ItemFilterState } from './itemFilter';

/** Items per page; j past the last one turns the page. */
export const pageSize = 100;

export const itemKey = (item: Pick<ReviewItem, 'chatId' | 'messageId'>): string => `${item.chatId}\u0000${item.messageId}`;

/**
 * A page of a set's items and the reviewer's place in it. The place is the item, not the row
 * number: after a coding action the page is read again, and an item that no longer matches the
 * filter (tagged while "untagged" is shown) drops out, leaving the place on the item after it.
 * A coding action's effect is shown at once (its toggles then read right) and confirmed by the reload.
 */
export function useSetItems(setId: number, filter: ItemFilterState, start: { offset: number; at: number | null }) {
  const api = useApi();
  const [offset, setOffset] = useState(start.offset);
  const [reloads, setReloads] = useState(0);
  const [set, setSet] = useState<ReviewSetSummary | null>(null);
  const [items, setItems] = useState<ReviewItem[]>([]);
  // `at`: the position to start on (from the address), until the reviewer moves.
  const [place, setPlace] = useState<{ key: string | null; index: number; at?: number | null }>({ key: null, index: 0, at: start.at });
  // The set's custom tags only matter to "untagged": read them from the latest answer, not as a dependency.
  const request = JSON.stringify({ setId, filter: toItemFilter(filter, set), offset, limit: pageSize });
  // A page of a large set takes the core most of a second (docs/architecture.md, "Review sets"): a
  // burst of coding reads it once, after the burst; each action shows at once from its own answer.
  const settled = useDebounced(reloads, 400);
  const page = useLoad(() => api.invoke('reviewSets:items', JSON.parse(request) as RequestOf<'reviewSets:items'>), `${request}#${settled}`);

  useEffect(() => {
    if (page.state !== 'ready') return;
    setItems(page.data.items);
    setSet(page.data.set);
    // A page emptied by coding (its last items tagged away): back to the one before.
    if (page.data.items.length === 0 && offset > 0) setOffset(Math.max(0, offset - pageSize));
  }, [page.state, page.data, offset]);

  const index = useMemo(() => {
    const found = place.key !== null ? items.findIndex((item) => itemKey(item) === place.key) : place.at != null ? items.findIndex((item) => item.position === place.at) : -1;
    return found >= 0 ? found : Math.max(0, Math.min(place.index, items.length - 1));
  }, [items, place]);
  const total = page.data?.total ?? 0;

  function select(next: number) {
    const item = items[next];
    if (item !== undefined) setPlace({ key: itemKey(item), index: next });
  }

  /** j / k: the next or previous item, turning the page at its ends. */
  function move(by: 1 | -1) {
    const next = index + by;
    if (next >= 0 && next < items.length) select(next);
    else if (by === 1 && offset + items.length < total) {
      setOffset(offset + pageSize);
      setPlace({ key: null, index: 0 });
    } else if (by === -1 && offset > 0) {
      setOffset(Math.max(0, offset - pageSize));
      setPlace({ key: null, index: pageSize - 1 });
    }
  }

  /** Shows a coding action at once, and reads the page again (the filter may no longer match it). */
  function applied(action: ReviewCode, summary: ReviewSetSummary) {
    setSet(summary);
    setItems((current) => current.map((item) => patch(item, action)));
    setReloads((n) => n + 1);
  }

  return {
    page,
    set,
    items,
    index,
    current: items[index] ?? null,
    offset,
    total,
    select,
    move,
    turnTo: (next: number) => {
      setOffset(next);
      setPlace({ key: null, index: 0 });
    },
    applied,
    reload: () => setReloads((n) => n + 1),
  };
}

function patch(item: ReviewItem, action: ReviewCode): ReviewItem {
  if (item.chatId !== action.chatId) return item;
  const whole = action.messageId === undefined;
  if (!whole && item.messageId !== action.messageId) return item;
  const toggle = (tags: string[], tag: string, on: boolean) => (on ? [...new Set([...tags, tag])] : tags.filter((t) => t !== tag));
  switch (action.action) {
    case 'tag':
    case 'untag':
      // A tag makes an item reviewed (the core's rule); after an untag only the reload knows its mark.
      return {
        ...(whole ? { ...item, conversationTags: toggle(item.conversationTags, action.tag, action.action === 'tag') } : { ...item, tags: toggle(item.tags, action.tag, action.action === 'tag') }),
        reviewed: item.reviewed || action.action === 'tag',
      };
    case 'note':
      return whole ? { ...item, conversationNote: action.note === '' ? null : action.note } : { ...item, note: action.note === '' ? null : action.note };
    case 'reviewed':
      return { ...item, reviewed: action.reviewed };
  }
}
