import { useEffect, useState } from 'react';

/**
 * The first ten have Alt+1…9, 0. Screens added later (holds, retention, the review log, changes, review
 * sets) come last here, whatever their place in the sidebar, so the others keep their keys.
 */
export const screens = ['connect', 'sync', 'browse', 'directory', 'search', 'audit', 'insights', 'calls', 'schedule', 'settings', 'holds', 'retention', 'review', 'changes', 'reviewSets'] as const;
export type Screen = (typeof screens)[number];

export interface Route {
  screen: Screen;
  /** Path segments after the screen, decoded (`#/browse/<chatId>` → [chatId]). */
  rest: string[];
  query: URLSearchParams;
}

/** `#/browse/abc?focus=12` → { screen: 'browse', rest: ['abc'], query: focus=12 }; unknown → null. */
export function parseHash(hash: string): Route | null {
  const body = hash.replace(/^#\/?/, '');
  const [path, search] = splitOnce(body, '?');
  const [head, ...rest] = path.split('/').filter((part) => part !== '');
  const screen = screens.find((s) => s === head);
  if (screen === undefined) return null;
  return { screen, rest: rest.map(safeDecode), query: new URLSearchParams(search) };
}

/** Builds a hash: hrefFor('browse', [chatId], { focus: '12' }). */
export function hrefFor(screen: Screen, rest: string[] = [], query: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(name, value);
  const search = params.toString();
  return `#/${[screen, ...rest.map(encodeURIComponent)].join('/')}${search === '' ? '' : `?${search}`}`;
}

export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (options.replace === true) window.history.replaceState(null, '', href);
  else window.location.hash = href.slice(1);
  // replaceState fires no hashchange; tell the listeners ourselves.
  if (options.replace === true) window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function useHashRoute(): Route | null {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return parseHash(hash);
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
