import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { TranscriptMessage } from '../../../../shared/archive';
import { resolverFromNames } from '../../../../shared/markup';
import { EmptyState } from '../../components/EmptyState';
import { HistoryDialog } from '../../components/HistoryDialog';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Loading } from '../../components/Loading';
import { formatDate, formatDayHeading } from '../../format';
import { hrefFor } from '../../hooks/useHashRoute';
import { useTimeZone } from '../../VaultState';
import { HitNavigator } from '../search/HitNavigator';
import { AsOfPanel } from './AsOfPanel';
import { AttachmentsPanel } from './AttachmentsPanel';
import { MessageItem } from './MessageItem';
import { MembersPanel } from './MembersPanel';
import { ReactionCoverageNote } from './ReactionCoverageNote';
import { StickyBanner } from './StickyBanner';
import { useTranscript } from './useTranscript';
import { VersionsDialog } from './VersionsDialog';

/**
 * A conversation's transcript, virtualized (a channel can hold a million messages; only what is on
 * screen is in the DOM) and paged both ways by message key. Opened on a search hit, it scrolls to
 * that message and highlights it.
 */
export function TranscriptView({ chatId, focus }: { chatId: string; focus: number | null }) {
  const timeZone = useTimeZone();
  const t = useTranscript(chatId, focus);
  const resolver = useMemo(() => resolverFromNames(t.names), [t.names]);
  const [versionsOf, setVersionsOf] = useState<TranscriptMessage | null>(null);
  // The Attachments list replaces the messages on screen; the transcript stays mounted (and where it was scrolled).
  const [showFiles, setShowFiles] = useState(false);
  const [showAsOf, setShowAsOf] = useState(false);
  const [showHistory, setShowHistory] = useState(false);
  const scrollRef = useRef<HTMLDivElement>(null);

  const virtualizer = useVirtualizer({
    count: t.messages.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 72,
    overscan: 8,
    getItemKey: (index) => t.messages[index]?.key ?? index,
    // Before the first layout (and in jsdom, which has none) the viewport is assumed this size.
    initialRect: { width: 800, height: 600 },
  });

  // Where to be once a page lands: on the focused message, at the newest one, or (after an
  // older page was put in front) on the message that was first before.
  const focusIndex = t.focus === null ? -1 : t.messages.findIndex((m) => m.key === t.focus);
  const placed = useRef<string>('');
  useLayoutEffect(() => {
    if (t.state !== 'ready' || t.messages.length === 0) return;
    const mark = `${chatId}|${t.focus ?? ''}`;
    if (placed.current === mark) return;
    placed.current = mark;
    virtualizer.scrollToIndex(focusIndex >= 0 ? focusIndex : t.messages.length - 1, { align: focusIndex >= 0 ? 'center' : 'end' });
  }, [t.state, t.messages.length, focusIndex, chatId, t.focus, virtualizer]);

  useEffect(() => {
    if (t.prepended > 0) virtualizer.scrollToIndex(t.prepended, { align: 'start' });
  }, [t.prepended, virtualizer]);

  const items = virtualizer.getVirtualItems();
  const title = t.chat?.title ?? chatId;

  return (
    <section className="screen transcript-screen" aria-labelledby="transcript-title">
      <header className="screen-head transcript-head">
        <a href={hrefFor('browse')} className="back">
          ← All conversations
        </a>
        <HitNavigator />
        <h1 id="transcript-title">
          {title}
          {t.chat !== null && <span className="tag">{t.chat.kind}</span>}
          {t.chat?.goneAt !== null && t.chat?.goneAt !== undefined && <span className="mark mark-deleted">gone from Cliq</span>}
        </h1>
        {t.chat?.thread !== undefined && (
          <p className="thread-parent">
            A thread of{' '}
            <a href={hrefFor('browse', [t.chat.thread.parentChatId], t.chat.thread.messageKey === null ? {} : { focus: String(t.chat.thread.messageKey) })}>
              <span dir="auto">{t.chat.thread.parentTitle ?? t.chat.thread.parentChatId}</span>
            </a>
            {t.chat.thread.messageKey === null ? ' (the message that started it is not archived)' : ' — open the message that started it'}
          </p>
        )}
        <p className="muted transcript-zone">Times in {timeZone}</p>
        <ReactionCoverageNote chatId={chatId} />
        <div className="toolbar" role="group" aria-label="View">
          <button type="button" className="small" aria-pressed={!showFiles && !showAsOf} onClick={() => {
              setShowFiles(false);
              setShowAsOf(false);
            }}>
            Messages
          </button>
          <button type="button" className="small" aria-pressed={showFiles} onClick={() => {
              setShowFiles(true);
              setShowAsOf(false);
            }}>
            Attachments
          </button>
          <button type="button" className="small" aria-pressed={showAsOf} onClick={() => {
              setShowAsOf(true);
              setShowFiles(false);
            }}>
            As of…
          </button>
          <button type="button" className="small" onClick={() => setShowHistory(true)}>
            History
          </button>
        </div>
      </header>
      <div className="transcript-layout">
        {showFiles && (
          <div className="transcript-main">
            <AttachmentsPanel chatId={chatId} />
          </div>
        )}
        {showAsOf && (
          <div className="transcript-main">
            <AsOfPanel chatId={chatId} timeZone={timeZone} resolver={resolver} />
          </div>
        )}
        <div className="transcript-main" hidden={showFiles || showAsOf}>
          <StickyBanner chatId={chatId} />
          {t.state === 'loading' && <Loading label="Opening the transcript…" />}
          {t.state === 'error' && <ErrorPanel title="Could not open the transcript" error={t.error} onRetry={t.retry} />}
          {t.state === 'ready' && t.messages.length === 0 && (
            <EmptyState title="No messages archived in this conversation">A sync archives them; if it failed for this conversation, the Sync screen lists why.</EmptyState>
          )}
          {t.state === 'ready' && t.messages.length > 0 && (
            <>
              {t.hasOlder && (
                <button type="button" className="load-more" onClick={() => t.loadMore('older')} disabled={t.loadingMore !== null}>
                  {t.loadingMore === 'older' ? 'Loading older messages…' : 'Load older messages'}
                </button>
              )}
              <div ref={scrollRef} className="transcript-scroll" role="feed" aria-label={`Transcript of ${title}`} aria-busy={t.loadingMore !== null}>
                <div className="virtual-inner" style={{ height: virtualizer.getTotalSize() }}>
                  <div className="virtual-window" style={{ transform: `translateY(${items[0]?.start ?? 0}px)` }}>
                    {items.map((item) => {
                      const message = t.messages[item.index];
                      if (message === undefined) return null;
                      // A day separator above the first message of each day (in the settings' zone).
                      const previous = t.messages[item.index - 1];
                      const newDay = previous === undefined || formatDate(previous.time, timeZone) !== formatDate(message.time, timeZone);
                      return (
                        <div key={item.key} data-index={item.index} ref={virtualizer.measureElement}>
                          {newDay && (
                            <div className="day-separator" role="separator" aria-label={formatDayHeading(message.time, timeZone)}>
                              <span>{formatDayHeading(message.time, timeZone)}</span>
                            </div>
                          )}
                          <MessageItem message={message} resolver={resolver} timeZone={timeZone} focused={message.key === t.focus} onShowVersions={setVersionsOf} />
                        </div>
                      );
                    })}
                  </div>
                </div>
              </div>
              {t.hasNewer && (
                <button type="button" className="load-more" onClick={() => t.loadMore('newer')} disabled={t.loadingMore !== null}>
                  {t.loadingMore === 'newer' ? 'Loading newer messages…' : 'Load newer messages'}
                </button>
              )}
            </>
          )}
        </div>
        <MembersPanel chatId={chatId} channel={t.chat?.kind === 'channel'} />
      </div>
      {showHistory && <HistoryDialog subject="conversation" subjectKey={chatId} title={title} onClose={() => setShowHistory(false)} />}
      {versionsOf !== null && <VersionsDialog messageKey={versionsOf.key} currentText={versionsOf.text} onClose={() => setVersionsOf(null)} />}
    </section>
  );
}
