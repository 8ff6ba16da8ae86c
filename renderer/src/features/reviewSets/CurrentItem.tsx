import { useMemo } from 'react';
import { parseMarkup } from '../../../../shared/markup';
import type { ReviewItem } from '../../../../shared/reviewSets';
import { MarkupText } from '../../components/MarkupText';
import { hrefFor } from '../../hooks/useHashRoute';
import { ItemWhere } from './ItemWhere';
import { reviewKeys } from './reviewKeys';
import { tagLabel } from './reviewWords';

export type CodingMode = 'message' | 'conversation';

/**
 * The item under review: the message (Cliq's markup rendered as text nodes, never as HTML), where
 * and when, its tags as toggles numbered as the keys are, the note, "reviewed", and the way to its
 * conversation. In conversation mode the toggles and the note are the conversation's.
 */
export function CurrentItem({
  item,
  tags,
  mode,
  timeZone,
  readOnly,
  busy,
  onTag,
  onNewTag,
  onNote,
  onReviewed,
  onMode,
}: {
  item: ReviewItem;
  /** The set's tags in key order. */
  tags: string[];
  mode: CodingMode;
  timeZone: string;
  readOnly: boolean;
  busy: boolean;
  onTag: (tag: string) => void;
  onNewTag: () => void;
  onNote: () => void;
  onReviewed: () => void;
  onMode: () => void;
}) {
  const segments = useMemo(() => (item.text === null ? [] : parseMarkup(item.text)), [item.text]);
  const held = mode === 'conversation' ? item.conversationTags : item.tags;
  const note = mode === 'conversation' ? item.conversationNote : item.note;
  const locked = readOnly || busy;
  return (
    <section className="panel review-current" aria-label="Current item">
      <header className="message-head">
        <ItemWhere item={item} timeZone={timeZone} />
        {item.deleted && <span className="mark mark-deleted">deleted in Cliq</span>}
        {item.purged && <span className="mark mark-deleted">purged</span>}
      </header>
      <div className="message-text" dir="auto">
        {item.purged ? (
          <p className="muted">Purged under a retention policy since the set was made: its ids and hashes stay in the set, its text is gone.</p>
        ) : segments.length > 0 ? (
          <MarkupText segments={segments} />
        ) : (
          <p className="muted">(no text)</p>
        )}
      </div>
      {item.key !== null && (
        <p>
          <a href={hrefFor('browse', [item.chatId], { focus: String(item.key) })} aria-keyshortcuts={reviewKeys.open}>
            Open in its conversation
          </a>
        </p>
      )}

      <div className="toolbar" role="group" aria-label={mode === 'conversation' ? 'Tags of the whole conversation' : 'Tags of this message'}>
        {tags.slice(0, 9).map((tag, slot) => (
          <button key={tag} type="button" className="small" aria-pressed={held.includes(tag)} aria-keyshortcuts={reviewKeys.tag(slot)} disabled={locked} onClick={() => onTag(tag)}>
            <kbd aria-hidden="true">{slot + 1}</kbd> {tagLabel(tag)}
          </button>
        ))}
        {tags.slice(9).map((tag) => (
          <button key={tag} type="button" className="small" aria-pressed={held.includes(tag)} disabled={locked} onClick={() => onTag(tag)}>
            {tagLabel(tag)}
          </button>
        ))}
        <button type="button" className="small" aria-keyshortcuts={reviewKeys.newTag} disabled={locked} onClick={onNewTag}>
          <kbd aria-hidden="true">t</kbd> New tag…
        </button>
      </div>
      <div className="toolbar">
        <button type="button" className="small" aria-pressed={item.reviewed} aria-keyshortcuts={reviewKeys.reviewed} disabled={locked} onClick={onReviewed}>
          <kbd aria-hidden="true">r</kbd> Reviewed
        </button>
        <button type="button" className="small" aria-keyshortcuts={reviewKeys.note} disabled={locked} onClick={onNote}>
          <kbd aria-hidden="true">n</kbd> {mode === 'conversation' ? 'Conversation note…' : 'Note…'}
        </button>
        <button type="button" className="small" aria-pressed={mode === 'conversation'} aria-keyshortcuts={reviewKeys.mode} onClick={onMode}>
          <kbd aria-hidden="true">c</kbd> Code the whole conversation
        </button>
      </div>

      <dl className="facts compact" aria-label="Coding">
        <div>
          <dt>Message tags</dt>
          <dd>{item.tags.length === 0 ? '—' : item.tags.map(tagLabel).join(', ')}</dd>
        </div>
        <div>
          <dt>Conversation tags</dt>
          <dd>{item.conversationTags.length === 0 ? '—' : item.conversationTags.map(tagLabel).join(', ')}</dd>
        </div>
        <div>
          <dt>{mode === 'conversation' ? 'Conversation note' : 'Note'}</dt>
          <dd dir="auto">{note ?? '—'}</dd>
        </div>
        {mode === 'message' && item.conversationNote !== null && (
          <div>
            <dt>Conversation note</dt>
            <dd dir="auto">{item.conversationNote}</dd>
          </div>
        )}
      </dl>
    </section>
  );
}
