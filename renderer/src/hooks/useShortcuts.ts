import { useEffect } from 'react';
import { hrefFor, navigate, screens } from './useHashRoute';

/** The id of the search box, so the global shortcut can focus it from any screen. */
export const searchInputId = 'search-input';

/**
 * Global keys: `/` or Ctrl/Cmd+K focuses search, Alt+1..9 and Alt+0 (the tenth) switch screens (sidebar order).
 * `/` is left alone while typing in a field.
 */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const typing = event.target instanceof HTMLElement && (event.target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(event.target.tagName));
      if ((event.key === '/' && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) || ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k')) {
        event.preventDefault();
        focusSearch();
        return;
      }
      if (event.altKey && !event.ctrlKey && !event.metaKey && /^Digit[0-9]$/.test(event.code)) {
        // As on a keyboard's number row, 0 comes after 9: the tenth screen.
        const digit = Number(event.code.slice(5));
        const screen = screens[(digit === 0 ? 10 : digit) - 1];
        if (screen !== undefined) {
          event.preventDefault();
          navigate(hrefFor(screen));
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

function focusSearch(): void {
  const input = document.getElementById(searchInputId);
  if (input !== null) {
    input.focus();
    return;
  }
  navigate(hrefFor('search'));
  // The search screen mounts on the next render; focus it once it is there.
  requestAnimationFrame(() => document.getElementById(searchInputId)?.focus());
}
