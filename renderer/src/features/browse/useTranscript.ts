import { useCallback, useEffect, useRef, useState } from 'react';
import type { TranscriptMessage, TranscriptPage } from '../../../../shared/archive';
import { emptyNames, mergeNames, type MentionNames } from '../../../../shared/markup';
import { useApi } from '../../api/ApiContext';

const pageSize = 200;

export interface TranscriptState {
  state: 'loading' | 'ready' | 'error';
  error: unknown;
  chat: TranscriptPage['chat'] | null;
  messages: TranscriptMessage[];
  /** Names of what the loaded messages mention (every page's, merged). */
  names: MentionNames;
  hasOlder: boolean;
  hasNewer: boolean;
  /** The message the page was opened on (a search hit), when there is one. */
  focus: number | null;
  /** How many messages the last "older" page put in front, so the view can keep its place. */
  prepended: number;
  loadingMore: 'older' | 'newer' | null;
}

/**
 * A conversation's transcript, paged by message key in both directions: opened at its newest
 * messages, or (focus) around one message via archive:context.
 */
export function useTranscript(chatId: string, focus: number | null) {
  const api = useApi();
  const [state, setState] = useState<TranscriptState>({
    state: 'loading',
    error: undefined,
    chat: null,
    messages: [],
    names: emptyNames(),
    hasOlder: false,
    hasNewer: false,
    focus,
    prepended: 0,
    loadingMore: null,
  });
  const [attempt, setAttempt] = useState(0);
  const stateRef = useRef(state);
  stateRef.current = state;

  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, state: 'loading', error: undefined, messages: [], focus, prepended: 0 }));
    const load = focus === null ? api.invoke('archive:transcript', { chatId, limit: pageSize }).then((page) => ({ ...page, focus: null })) : api.invoke('archive:context', { key: focus, around: 100 });
    load.then(
      (page) =>
        live &&
        setState({
          state: 'ready',
          error: undefined,
          chat: page.chat,
          messages: page.messages,
          names: mergeNames(emptyNames(), page.names),
          hasOlder: page.hasOlder,
          hasNewer: page.hasNewer,
          focus: page.focus,
          prepended: 0,
          loadingMore: null,
        }),
      (error: unknown) => live && setState((s) => ({ ...s, state: 'error', error })),
    );
    return () => {
      live = false;
    };
  }, [api, chatId, focus, attempt]);

  const loadMore = useCallback(
    (direction: 'older' | 'newer') => {
      const current = stateRef.current;
      if (current.loadingMore !== null || current.state !== 'ready') return;
      const edge = direction === 'older' ? current.messages[0] : current.messages[current.messages.length - 1];
      if (edge === undefined) return;
      setState((s) => ({ ...s, loadingMore: direction }));
      const request = direction === 'older' ? { chatId, before: edge.key, limit: pageSize } : { chatId, after: edge.key, limit: pageSize };
      api.invoke('archive:transcript', request).then(
        (page) =>
          setState((s) =>
            direction === 'older'
              ? { ...s, messages: [...page.messages, ...s.messages], names: mergeNames(s.names, page.names), hasOlder: page.hasOlder, prepended: page.messages.length, loadingMore: null }
              : { ...s, messages: [...s.messages, ...page.messages], names: mergeNames(s.names, page.names), hasNewer: page.hasNewer, prepended: 0, loadingMore: null },
          ),
        (error: unknown) => setState((s) => ({ ...s, state: 'error', error, loadingMore: null })),
      );
    },
    [api, chatId],
  );

  return { ...state, loadMore, retry: () => setAttempt((a) => a + 1) };
}
