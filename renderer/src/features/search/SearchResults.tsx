import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import type { SearchHit } from '../../../../shared/search';
import { formatDateTime } from '../../format';
import { Snippet } from './Snippet';
import { resolverFromNames, type MentionNames } from '../../../../shared/markup';

/**
 * The hits as a virtualized listbox: arrow keys move, Enter (or a click) opens the hit in its
 * conversation. Only the rows on screen are in the DOM, so thousands of hits stay cheap.
 */
export function SearchResults({
  hits,
  names,
  timeZone,
  onOpen,
  listRef,
  restoreAt = null,
}: {
  hits: SearchHit[];
  names: MentionNames;
  timeZone: string;
  onOpen: (hit: SearchHit, index: number) => void;
  listRef: Ref<HTMLDivElement>;
  /** The hit to start on (back from a transcript), once it is loaded. */
  restoreAt?: number | null;
}) {
  const resolver = useMemo(() => resolverFromNames(names), [names]);
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const [active, setActive] = useState(0);
  const baseId = useId();
  const virtualizer = useVirtualizer({
    count: hits.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 76,
    overscan: 6,
    getItemKey: (index) => {
      const hit = hits[index];
      return hit === undefined ? index : `${hit.key}-${hit.version ?? 0}`;
    },
    initialRect: { width: 800, height: 600 },
  });

  // A new result set starts at its first hit.
  useEffect(() => setActive(0), [hits[0]?.key]);
  const restored = useRef(false);
  useEffect(() => {
    if (restored.current || restoreAt === null || restoreAt >= hits.length) return;
    restored.current = true;
    setActive(restoreAt);
    virtualizer.scrollToIndex(restoreAt, { align: 'center' });
  }, [restoreAt, hits.length, virtualizer]);

  function onKeyDown(event: KeyboardEvent) {
    const move = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : event.key === 'Home' ? -hits.length : event.key === 'End' ? hits.length : 0;
    if (move !== 0) {
      event.preventDefault();
      const next = Math.max(0, Math.min(hits.length - 1, active + move));
      setActive(next);
      virtualizer.scrollToIndex(next, { align: 'auto' });
    } else if (event.key === 'Enter') {
      const hit = hits[active];
      if (hit !== undefined) {
        event.preventDefault();
        onOpen(hit, active);
      }
    }
  }

  const items = virtualizer.getVirtualItems();
  return (
    <div
      ref={(element) => {
        scrollRef.current = element;
        if (typeof listRef === 'function') listRef(element);
        else if (listRef !== null) listRef.current = element;
      }}
      className="results-scroll"
      role="listbox"
      tabIndex={0}
      aria-label="Search results"
      aria-activedescendant={hits.length > 0 ? `${baseId}-${active}` : undefined}
      onKeyDown={onKeyDown}
    >
      <div className="virtual-inner" style={{ height: virtualizer.getTotalSize() }}>
        <div className="virtual-window" style={{ transform: `translateY(${items[0]?.start ?? 0}px)` }}>
          {items.map((item) => {
            const hit = hits[item.index];
            if (hit === undefined) return null;
            return (
              <div
                key={item.key}
                id={`${baseId}-${item.index}`}
                data-index={item.index}
                ref={virtualizer.measureElement}
                role="option"
                aria-selected={item.index === active}
                className={item.index === active ? 'hit hit-active' : 'hit'}
                onClick={() => {
                  setActive(item.index);
                  onOpen(hit, item.index);
                }}
              >
                <div className="hit-head">
                  <span className="hit-chat">{hit.chatTitle ?? hit.chatId}</span>
                  <span className="tag">{hit.chatKind}</span>
                  <span className="sender">{hit.senderName ?? hit.senderId ?? 'Unknown sender'}</span>
                  <time className="muted" dateTime={new Date(hit.time).toISOString()}>
                    {formatDateTime(hit.time, timeZone)}
                  </time>
                  {hit.deleted && <span className="mark mark-deleted">deleted</span>}
                  {hit.version !== undefined ? <span className="mark mark-edited">earlier version {hit.version}</span> : hit.edited && <span className="mark mark-edited">edited</span>}
                </div>
                <div className="hit-body">
                  <Snippet segments={hit.snippet} resolver={resolver} />
                  {hit.fileName !== null && <span className="file-name"> 📎 {hit.fileName}</span>}
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
