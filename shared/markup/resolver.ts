/**
 * How mentions get their names. The parser asks a resolver; the core implements one over the
 * archive (electron/core/archive/mentionResolver.ts) and ships what a page needs as `MentionNames`,
 * which the renderer turns back into a resolver with `resolverFromNames`.
 */

/** A person as a mention shows them: the display name (shared/people.ts) and their e-mail. */
export interface MentionPerson {
  name: string;
  email: string | null;
}

export interface MentionResolver {
  /** A user by Cliq user id. */
  user(id: string): MentionPerson | null;
  /** A user by e-mail address (compared case-insensitively). */
  userByEmail(email: string): MentionPerson | null;
  /** A channel's title by the id `{#…}` tokens carry (REST's channel id, e.g. `O1647…`). */
  channel(id: string): string | null;
  /** A directory team's name by team id. */
  team(id: string): string | null;
}

/** The names a set of texts mentions, as the core sends them with a page of messages. Keys are the tokens' ids; e-mails lower-cased. */
export interface MentionNames {
  users: Record<string, MentionPerson>;
  emails: Record<string, MentionPerson>;
  channels: Record<string, string>;
  teams: Record<string, string>;
}

/** What a text mentions, by kind: the ids to look up. */
export interface MentionRefs {
  userIds: Set<string>;
  emails: Set<string>;
  channels: Set<string>;
  teams: Set<string>;
}

/** A resolver that knows nobody: every mention shows its fallback. */
export const noNames: MentionResolver = { user: () => null, userByEmail: () => null, channel: () => null, team: () => null };

export function emptyNames(): MentionNames {
  return { users: {}, emails: {}, channels: {}, teams: {} };
}

/** Names of two pages together (a transcript that loads older or newer pages). */
export function mergeNames(a: MentionNames, b: MentionNames | undefined): MentionNames {
  if (b === undefined) return a;
  return { users: { ...a.users, ...b.users }, emails: { ...a.emails, ...b.emails }, channels: { ...a.channels, ...b.channels }, teams: { ...a.teams, ...b.teams } };
}

/** A resolver over names the core sent. */
export function resolverFromNames(names: MentionNames | undefined): MentionResolver {
  if (names === undefined) return noNames;
  const own = <T>(map: Record<string, T>, key: string): T | null => (Object.hasOwn(map, key) ? (map[key] ?? null) : null);
  return {
    user: (id) => own(names.users, id),
    userByEmail: (email) => own(names.emails, email.toLowerCase()),
    channel: (id) => own(names.channels, id),
    team: (id) => own(names.teams, id),
  };
}

/** Looks up every ref with `resolver` and keeps what it knows: the map to send with a page. */
export function namesFor(refs: MentionRefs, resolver: MentionResolver): MentionNames {
  const names = emptyNames();
  for (const id of refs.userIds) {
    const person = resolver.user(id);
    if (person) names.users[id] = person;
  }
  for (const email of refs.emails) {
    const person = resolver.userByEmail(email);
    if (person) names.emails[email.toLowerCase()] = person;
  }
  for (const id of refs.channels) {
    const title = resolver.channel(id);
    if (title !== null) names.channels[id] = title;
  }
  for (const id of refs.teams) {
    const name = resolver.team(id);
    if (name !== null) names.teams[id] = name;
  }
  return names;
}
