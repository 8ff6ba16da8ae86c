import { useEffect, useId, useRef, useState } from 'react';
import type { ReviewCode, ReviewItem } from '../../../../shared/reviewSets';
import { useApi } from '../../api/ApiContext';
import { ConversationSelect } from '../../components/ConversationSelect';
import { EmptyState } from '../../components/EmptyState';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Loading } from '../../components/Loading';
import { Pager } from '../../components/Pager';
import { hrefFor, navigate } from '../../hooks/useHashRoute';
import { useTimeZone, useVaultState } from '../../VaultState';
import { CodingHistory } from './CodingHistory';
import { NewTagEditor, NoteEditor } from './CodingEditors';
import { CurrentItem, type CodingMode } from './CurrentItem';
import { setPlaceOf, setViewHref, tagsOf, type ItemFilterState } from './itemFilter';
import { ItemList } from './ItemList';
import { KeysHelp } from './KeysHelp';
import { ProducePanel } from './ProducePanel';
import { ReviewProgress } from './ReviewProgress';
import { useReviewKeys, type ReviewCommand } from './reviewKeys';
import { tagLabel } from './reviewWords';
import { TagCounts } from './SetList';
import { pageSize, useSetItems } from './useSetItems';

type Editing = null | 'tag' | 'note';

/**
 * One review set, coded from the keyboard (keys in reviewKeys.ts, listed beside the list): move with
 * j/k, toggle tags with 1–9, t for a new tag, n for the note, r for reviewed, c to code the whole
 * conversation, Enter to read the message in its conversation. Each action is one sealed record;
 * what it did is said in a live region. Read-only archives show the coding and refuse changes, saying why.
 */
export function SetView({ setId, params }: { setId: number; params: URLSearchParams }) {
  const api = useApi();
  const timeZone = useTimeZone();
  const { info } = useVaultState();
  const readOnly = info.archiveReadOnly;
  // Read once, at mount (as Search does): afterwards the view writes its place to the address.
  const [start] = useState(() => setPlaceOf(params));
  const [filter, setFilterState] = useState<ItemFilterState>(start.filter);
  const view = useSetItems(setId, filter, start);
  const { set, current } = view;
  const [mode, setMode] = useState<CodingMode>('message');
  const [editing, setEditing] = useState<Editing>(null);
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState('');
  const [failure, setFailure] = useState<unknown>(null);
  const [coded, setCoded] = useState(0);
  const listRef = useRef<HTMLDivElement | null>(null);
  const ids = useId();
  const tags = tagsOf(set);

  function closeEditor() {
    setEditing(null);
    listRef.current?.focus();
  }

  function code(item: ReviewItem, action: ReviewCode, words: string) {
    setBusy(true);
    setFailure(null);
    api.invoke('reviewSets:code', action).then(
      ({ set: summary }) => {
        setBusy(false);
        view.applied(action, summary);
        setCoded((n) => n + 1);
        setSaid(`${words} — ${item.senderName ?? item.senderId ?? 'message'} #${item.position}.`);
      },
      (error: unknown) => {
        setBusy(false);
        setFailure(error);
        setSaid('Not saved.');
      },
    );
  }

  const target = (item: ReviewItem) => ({ setId, chatId: item.chatId, ...(mode === 'message' ? { messageId: item.messageId } : {}) });
  const on = mode === 'conversation' ? ' on the whole conversation' : '';

  function toggleTag(tag: string) {
    if (current === null) return;
    const held = (mode === 'conversation' ? current.conversationTags : current.tags).includes(tag);
    code(current, { ...target(current), action: held ? 'untag' : 'tag', tag }, `${held ? 'Removed' : 'Tagged'} ${tagLabel(tag)}${on}`);
  }

  function run(command: ReviewCommand) {
    if (command.kind === 'move') return view.move(command.by);
    if (command.kind === 'mode') {
      const next = mode === 'message' ? 'conversation' : 'message';
      setMode(next);
      setSaid(next === 'conversation' ? 'Coding the whole conversation: tags and notes apply to every message of it.' : 'Coding one message at a time.');
      return;
    }
    if (current === null) return;
    if (command.kind === 'open') {
      if (current.key === null) setSaid('This message was purged: there is nothing to open.');
      else navigate(hrefFor('browse', [current.chatId], { focus: String(current.key) }));
      return;
    }
    if (readOnly) {
      setSaid('This archive is open read-only: coding is not possible here.');
      return;
    }
    if (busy) return;
    switch (command.kind) {
      case 'tag': {
        const tag = tags[command.slot];
        if (tag === undefined) setSaid(`No tag on key ${command.slot + 1} yet: press t to add one.`);
        else toggleTag(tag);
        return;
      }
      case 'newTag':
        return setEditing('tag');
      case 'note':
        return setEditing('note');
      case 'reviewed':
        // The core counts a tagged item as reviewed whatever its mark: say so rather than seem to do nothing.
        code(
          current,
          { setId, chatId: current.chatId, messageId: current.messageId, action: 'reviewed', reviewed: !current.reviewed },
          !current.reviewed
            ? 'Marked reviewed'
            : current.tags.length + current.conversationTags.length > 0
              ? 'Marked not reviewed; it still counts as reviewed while it has tags'
              : 'Marked not reviewed',
        );
        return;
    }
  }
  useReviewKeys(run, editing === null);

  // A new filter starts at its first page.
  function setFilter(change: (f: ItemFilterState) => ItemFilterState) {
    setFilterState(change);
    view.turnTo(0);
  }

  // The place in the address (no history entry): Enter, then Back, returns to this item.
  const at = current?.position ?? null;
  useEffect(() => {
    window.history.replaceState(null, '', setViewHref(setId, { filter, offset: view.offset, at }));
  }, [setId, filter, view.offset, at]);

  // Focus starts on the list, so the keys and a screen reader are at the items from the first moment.
  const opened = set !== null;
  useEffect(() => {
    if (opened) listRef.current?.focus();
  }, [opened]);

  if (view.page.state === 'error' && set === null) return <ErrorPanel title="Could not open the review set" error={view.page.error} onRetry={view.page.reload} />;
  if (set === null) return <Loading label="Opening the review set…" />;

  return (
    <section className="screen review-set" aria-labelledby="review-set-title">
      <header className="screen-head">
        <p>
          <a href={hrefFor('reviewSets')}>← All review sets</a>
        </p>
        <h1 id="review-set-title" dir="auto">
          {set.name}
        </h1>
        {set.description !== null && set.description !== '' && (
          <p className="lead" dir="auto">
            {set.description}
          </p>
        )}
        <p className="muted" dir="auto">
          {set.sourceText} · made by {set.owner.osUser} on {set.owner.host}
          {set.purged > 0 ? ` · ${set.purged} purged since` : ''}
        </p>
        <ReviewProgress set={set} />
        <TagCounts counts={set.tagCounts} />
      </header>
      {readOnly && (
        <p className="notice" role="note">
          This archive is open read-only: the set and its coding can be read here, not changed. Review where the archive is synced, with its org connected.
        </p>
      )}
      <p className="visually-hidden" role="status" aria-live="polite">
        {said}
      </p>
      {said !== '' && (
        <p className="muted review-said" aria-hidden="true">
          {said}
        </p>
      )}
      {failure !== null && <ErrorPanel title="The coding was not saved" error={failure} />}

      <form className="toolbar filter-row" aria-label="Filter the items" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor={`${ids}-tag`}>Tag</label>
        <select id={`${ids}-tag`} value={filter.tag} onChange={(e) => setFilter((f) => ({ ...f, tag: e.target.value }))}>
          <option value="">any</option>
          <option value="untagged">untagged</option>
          {tags.map((tag) => (
            <option key={tag} value={tag}>
              {tagLabel(tag)}
            </option>
          ))}
        </select>
        <label htmlFor={`${ids}-reviewed`}>Review</label>
        <select id={`${ids}-reviewed`} value={filter.reviewed} onChange={(e) => setFilter((f) => ({ ...f, reviewed: e.target.value as ItemFilterState['reviewed'] }))}>
          <option value="any">any</option>
          <option value="yes">reviewed</option>
          <option value="no">not reviewed</option>
        </select>
        <ConversationSelect value={filter.chatId} onChange={(chatId) => setFilter((f) => ({ ...f, chatId }))} allLabel="All conversations" />
        <span className="muted" aria-live="polite">
          {view.total} {view.total === 1 ? 'item' : 'items'} shown
        </span>
      </form>

      <div className="review-layout">
        <div className="review-list-col">
          {view.page.state === 'error' && <ErrorPanel title="Could not read the items" error={view.page.error} onRetry={view.page.reload} />}
          {view.items.length === 0 && view.page.state === 'ready' ? (
            <EmptyState title="No item matches">Try another tag, or any review state.</EmptyState>
          ) : (
            <ItemList items={view.items} index={view.index} timeZone={timeZone} onSelect={view.select} listRef={listRef} />
          )}
          <Pager offset={view.offset} limit={pageSize} total={view.total} shown={view.items.length} label="Pages of items" onOffset={view.turnTo} />
        </div>
        <div className="review-item-col">
          {current !== null && (
            <>
              <CurrentItem
                item={current}
                tags={tags}
                mode={mode}
                timeZone={timeZone}
                readOnly={readOnly}
                busy={busy}
                onTag={toggleTag}
                onNewTag={() => run({ kind: 'newTag' })}
                onNote={() => run({ kind: 'note' })}
                onReviewed={() => run({ kind: 'reviewed' })}
                onMode={() => run({ kind: 'mode' })}
              />
              {editing === 'tag' && (
                <NewTagEditor
                  disabled={busy}
                  onCancel={closeEditor}
                  onSave={(tag) => {
                    closeEditor();
                    code(current, { ...target(current), action: 'tag', tag }, `Tagged ${tag}${on}`);
                  }}
                />
              )}
              {editing === 'note' && (
                <NoteEditor
                  initial={(mode === 'conversation' ? current.conversationNote : current.note) ?? ''}
                  label={mode === 'conversation' ? 'Note on the whole conversation' : 'Note on this message'}
                  disabled={busy}
                  onCancel={closeEditor}
                  onSave={(note) => {
                    closeEditor();
                    code(current, { ...target(current), action: 'note', note }, note === '' ? `Cleared the note${on}` : `Noted${on}`);
                  }}
                />
              )}
              <CodingHistory setId={setId} chatId={current.chatId} messageId={mode === 'message' ? current.messageId : undefined} reloadKey={coded} timeZone={timeZone} />
            </>
          )}
          <KeysHelp />
        </div>
      </div>
      <ProducePanel set={set} />
    </section>
  );
}
