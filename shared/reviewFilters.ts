import type { AuditScopeInput } from './audit';
import { conversationKinds, type ConversationKind, type SearchQueryInput } from './search';

/**
 * The one filter model of the reviewer's screens: what Search and Audit both ask for, as a form
 * holds it (empty list / empty string / 'any' = no such filter). It maps to a search query
 * ({@link searchQueryOf}) and to an audit scope ({@link auditScopeOf}) with the same meaning, so a
 * bundle exported from a search holds exactly the search's messages; and it round-trips through a
 * URL's query string ({@link filtersToParams} / {@link filtersFromParams}), so Back, reload and a
 * shared link reopen the same review.
 */
export interface ReviewFilters {
  /** Words to find ('' = none). */
  text: string;
  mode: 'simple' | 'advanced';
  /** Conversation ids (a channel brings its threads). */
  conversations: string[];
  kinds: ConversationKind[];
  /** User ids or e-mail addresses: conversations they were ever members of. */
  participants: string[];
  senders: string[];
  departments: string[];
  designations: string[];
  teams: string[];
  roles: string[];
  /** Calendar days (2026-03-31) read in the settings' time zone, both ends included; '' = open. */
  from: string;
  to: string;
  /** Message types (text, file, info…). */
  types: string[];
  hasFile: 'any' | 'yes' | 'no';
  deleted: 'include' | 'exclude' | 'only';
  /** Has earlier versions: yes = only edited messages, no = only never-edited ones. */
  edited: 'any' | 'yes' | 'no';
  /** Also find words that only an earlier version of a message held. */
  includeVersions: boolean;
}

export const emptyReviewFilters: ReviewFilters = {
  text: '',
  mode: 'simple',
  conversations: [],
  kinds: [],
  participants: [],
  senders: [],
  departments: [],
  designations: [],
  teams: [],
  roles: [],
  from: '',
  to: '',
  types: [],
  hasFile: 'any',
  deleted: 'include',
  edited: 'any',
  includeVersions: false,
};

/** Whether the filters (without the text) select anything on their own. */
export function filtersNarrow(f: ReviewFilters): boolean {
  return (
    f.conversations.length > 0 ||
    f.kinds.length > 0 ||
    f.participants.length > 0 ||
    f.senders.length > 0 ||
    f.departments.length + f.designations.length + f.teams.length + f.roles.length > 0 ||
    f.from !== '' ||
    f.to !== '' ||
    f.types.length > 0 ||
    f.hasFile !== 'any' ||
    f.edited !== 'any' ||
    f.deleted !== 'include'
  );
}

const list = <T>(values: T[]): T[] | undefined => (values.length > 0 ? values : undefined);
const choice = (value: 'any' | 'yes' | 'no'): boolean | undefined => (value === 'any' ? undefined : value === 'yes');

/** The filters shared by both mappings, in the field names both schemas use. */
function common(f: ReviewFilters, timeZone: string) {
  return {
    kinds: list(f.kinds),
    participants: list(f.participants),
    senders: list(f.senders),
    departments: list(f.departments),
    designations: list(f.designations),
    teams: list(f.teams),
    roles: list(f.roles),
    from: f.from === '' ? undefined : f.from,
    to: f.to === '' ? undefined : f.to,
    timeZone,
    types: list(f.types),
    hasFile: choice(f.hasFile),
    edited: choice(f.edited),
    deleted: f.deleted,
    includeVersions: f.includeVersions,
  };
}

/** The search these filters ask for (order, limit and cursor are the caller's). */
export function searchQueryOf(f: ReviewFilters, timeZone: string): SearchQueryInput {
  return dropUndefined({ ...common(f, timeZone), text: f.text.trim() === '' ? undefined : f.text, mode: f.mode, chats: list(f.conversations) });
}

/** The audit scope of the same messages (formats and the bundle's options are the caller's). */
export function auditScopeOf(f: ReviewFilters, timeZone: string): AuditScopeInput {
  return dropUndefined({ ...common(f, timeZone), query: f.text.trim() === '' ? undefined : f.text, queryMode: f.mode, conversations: list(f.conversations) });
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** URL parameter of each list filter; a list is the parameter repeated (`chat=a&chat=b`). */
const listParams = {
  conversations: 'chat',
  kinds: 'kind',
  participants: 'participant',
  senders: 'sender',
  departments: 'department',
  designations: 'designation',
  teams: 'team',
  roles: 'role',
  types: 'type',
} as const satisfies Partial<Record<keyof ReviewFilters, string>>;

/**
 * The filters as URL parameters, in a fixed order; defaults are left out, so an empty review is
 * an empty query string. `q` is the text, as the Search screen has always written it.
 */
export function filtersToParams(f: ReviewFilters): [string, string][] {
  const out: [string, string][] = [];
  if (f.text !== '') out.push(['q', f.text]);
  if (f.mode !== 'simple') out.push(['mode', f.mode]);
  for (const [field, name] of Object.entries(listParams) as [keyof typeof listParams, string][]) for (const value of f[field]) out.push([name, value]);
  if (f.from !== '') out.push(['from', f.from]);
  if (f.to !== '') out.push(['to', f.to]);
  if (f.hasFile !== 'any') out.push(['files', f.hasFile]);
  if (f.deleted !== 'include') out.push(['deleted', f.deleted]);
  if (f.edited !== 'any') out.push(['edited', f.edited]);
  if (f.includeVersions) out.push(['versions', 'yes']);
  return out;
}

/**
 * The filters of URL parameters (anything with `getAll`, e.g. URLSearchParams). A link is typed
 * or edited by hand: what is not a known value is left at its default, never an error here (the
 * core still checks dates and names when the search runs).
 */
export function filtersFromParams(params: { getAll(name: string): string[] }): ReviewFilters {
  const one = (name: string) => params.getAll(name)[0] ?? '';
  const pick = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => allowed.find((a) => a === one(name)) ?? fallback;
  const lists = Object.fromEntries(
    (Object.entries(listParams) as [keyof typeof listParams, string][]).map(([field, name]) => [field, [...new Set(params.getAll(name).filter((v) => v !== ''))]]),
  ) as Record<keyof typeof listParams, string[]>;
  return {
    ...lists,
    kinds: lists.kinds.filter((k): k is ConversationKind => (conversationKinds as readonly string[]).includes(k)),
    text: one('q'),
    mode: pick('mode', ['simple', 'advanced'], 'simple'),
    from: one('from'),
    to: one('to'),
    hasFile: pick('files', ['any', 'yes', 'no'], 'any'),
    deleted: pick('deleted', ['include', 'exclude', 'only'], 'include'),
    edited: pick('edited', ['any', 'yes', 'no'], 'any'),
    includeVersions: one('versions') === 'yes',
  };
}
