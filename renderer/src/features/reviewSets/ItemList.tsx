import { useEffect, useId, useRef, type Ref } from 'react';
import { parseMarkup, toPlainText } from '../../../../shared/markup';
import type { ReviewItem } from '../../../../shared/reviewSets';
import { ItemWhere } from './ItemWhere';
import { reviewKeys } from './reviewKeys';
import { tagLabel } from './reviewWords';

/**
 * The page of items as a listbox: the current one is its active option (screen readers hear it as j/k
 * move), scrolled into view; each shows its text as plain text (the current item renders the markup). A click picks an item; the keys are the view's (useReviewKeys).
 */
export function ItemList({ items, index, timeZone, onSelect, listRef }: { items: ReviewItem[]; index: number; timeZone: string; onSelect: (index: number) => void; listRef: Ref<HTMLDivElement> }) {
  const baseId = useId();
  const scroller = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    const row = scroller.current?.querySelector<HTMLElement>(`[data-index="${index}"]`);
    // jsdom has no layout: scrollIntoView is a browser's.
    if (typeof row?.scrollIntoView === 'function') row.scrollIntoView({ block: 'nearest' });
  }, [index, items]);

  return (
    <div
      ref={(element) => {
        scroller.current = element;
        if (typeof listRef === 'function') listRef(element);
        else if (listRef !== null) listRef.current = element;
      }}
      className="review-items"
      role="listbox"
      tabIndex={0}
      aria-label="Items of the set"
      aria-keyshortcuts={`${reviewKeys.next} ${reviewKeys.previous} ${reviewKeys.open}`}
      aria-activedescendant={items.length > 0 ? `${baseId}-${index}` : undefined}
      data-review-keys="list"
    >
      {items.map((item, i) => {
        const tags = [...item.tags, ...item.conversationTags.filter((t) => !item.tags.includes(t))];
        return (
          <div
            key={`${item.chatId}/${item.messageId}`}
            id={`${baseId}-${i}`}
            data-index={i}
            role="option"
            aria-selected={i === index}
            className={i === index ? 'hit hit-active' : 'hit'}
            onClick={() => onSelect(i)}
          >
            <div className="hit-head">
              <span className="muted">#{item.position}</span>
              <ItemWhere item={item} timeZone={timeZone} />
              {item.reviewed && <span className="mark mark-reviewed">reviewed</span>}
              {item.purged && <span className="mark mark-deleted">purged</span>}
              {tags.map((tag) => (
                <span key={tag} className="tag">
                  {tagLabel(tag)}
                </span>
              ))}
            </div>
            <div className="hit-body clamp" dir="auto">
              {item.text !== null ? toPlainText(parseMarkup(item.text)) : item.purged ? 'Purged under a retention policy since the set was made.' : '(no text)'}
            </div>
          </div>
        );
      })}
    </div>
  );
}
