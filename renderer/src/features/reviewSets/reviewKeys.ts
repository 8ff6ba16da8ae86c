import { useEffect, useRef } from 'react';

/** What a key asks the set view to do. Tag slots: 0–3 the built-in tags (keys 1–4), 4–8 the set's custom tags (keys 5–9). */
export type ReviewCommand = { kind: 'move'; by: 1 | -1 } | { kind: 'tag'; slot: number } | { kind: 'newTag' } | { kind: 'note' } | { kind: 'reviewed' } | { kind: 'mode' } | { kind: 'open' };

/** The keys, as the visible "Keys" help lists them and the controls declare them (aria-keyshortcuts). */
export const reviewKeys = {
  next: 'j ArrowDown',
  previous: 'k ArrowUp',
  tag: (slot: number) => String(slot + 1),
  newTag: 't',
  note: 'n',
  reviewed: 'r',
  mode: 'c',
  open: 'Enter',
} as const;

/** The help's rows: what to press, what it does. */
export const keysHelp: readonly (readonly [string, string])[] = [
  ['j or ↓', 'next item'],
  ['k or ↑', 'previous item'],
  ['1 – 4', 'responsive, not responsive, privileged, needs redaction (press again to remove)'],
  ['5 – 9', 'the set’s custom tags, in the order first used'],
  ['t', 'add a custom tag'],
  ['n', 'edit the note'],
  ['r', 'mark reviewed, or not'],
  ['c', 'code the whole conversation (tags and notes then apply to every message of it), or one message again'],
  ['Enter', 'open the message in its conversation'],
];

/** The command of a key press, or null (modifier keys are the app's: Alt+digit switches screens). */
export function commandOf(event: Pick<KeyboardEvent, 'key' | 'altKey' | 'ctrlKey' | 'metaKey'>): ReviewCommand | null {
  if (event.altKey || event.ctrlKey || event.metaKey) return null;
  switch (event.key) {
    case 'j':
    case 'ArrowDown':
      return { kind: 'move', by: 1 };
    case 'k':
    case 'ArrowUp':
      return { kind: 'move', by: -1 };
    case 't':
      return { kind: 'newTag' };
    case 'n':
      return { kind: 'note' };
    case 'r':
      return { kind: 'reviewed' };
    case 'c':
      return { kind: 'mode' };
    case 'Enter':
      return { kind: 'open' };
    default:
      return /^[1-9]$/.test(event.key) ? { kind: 'tag', slot: Number(event.key) - 1 } : null;
  }
}

/** Where a reviewer is typing (or choosing from a list): keys are the field's there, never commands. */
function typingIn(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

/**
 * The set view's keys, on the whole window while the view is shown, so a reviewer need not find the
 * list first. Never while typing in a field; Enter only from the item list or nowhere in particular
 * (on a button or a link, Enter is the button's or the link's).
 */
export function useReviewKeys(onCommand: (command: ReviewCommand) => void, enabled: boolean): void {
  const handler = useRef(onCommand);
  handler.current = onCommand;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || typingIn(event.target)) return;
      const command = commandOf(event);
      if (command === null) return;
      if (command.kind === 'open' && !(event.target === document.body || (event.target instanceof HTMLElement && event.target.dataset.reviewKeys === 'list'))) return;
      event.preventDefault();
      handler.current(command);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
