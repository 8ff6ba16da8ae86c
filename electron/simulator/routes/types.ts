import type { ApiFamily } from '../families';
import type { Reply } from '../http/reply';
import type { Conversation, Org } from '../org/model';
import type { SimState } from '../state';

/** A Cliq API request that passed routing, auth, scope, admin and rate checks. */
export interface ApiRequest {
  state: SimState;
  params: Record<string, string>;
  query: URLSearchParams;
  /** User index of the caller. */
  viewer: number;
  now: number;
  /** The request's headers, lower-cased names (X2 reads X-API-VERSION). */
  headers?: Readonly<Record<string, string | string[] | undefined>>;
}

export interface ApiRoute {
  method: 'GET';
  path: string;
  family: ApiFamily;
  handle(request: ApiRequest): Reply;
}

/**
 * REST visibility (docs/cliq-api.md §10.7): members see their chats and channels; organisation-level channels
 * are readable by everyone in the org (a simulator choice). Maintenance routes ignore all this.
 */
export function canRead(org: Org, conversation: Conversation, viewer: number): boolean {
  const home = org.home(conversation);
  return home.memberSet.has(viewer) || home.channel?.level === 'organization';
}

/** Whether C1 lists (and C2 shows) a channel to the caller. */
export function canList(request: ApiRequest, conversation: Conversation): boolean {
  const { org, options } = request.state;
  if (canRead(org, conversation, request.viewer)) return true;
  return options.adminListsAllChannels && org.users[request.viewer]?.isAdmin === true;
}

export function param(request: ApiRequest, name: string): string {
  return request.params[name] ?? '';
}
