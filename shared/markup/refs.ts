import { parseMarkup } from './parse';
import type { MentionRefs, MentionResolver } from './resolver';

/** Every user id, e-mail, channel id and team id the texts mention: parsed the same way they are shown. */
export function mentionRefs(texts: Iterable<string | null>): MentionRefs {
  const refs: MentionRefs = { userIds: new Set(), emails: new Set(), channels: new Set(), teams: new Set() };
  const recorder: MentionResolver = {
    user: (id) => (refs.userIds.add(id), null),
    userByEmail: (email) => (refs.emails.add(email), null),
    channel: (id) => (refs.channels.add(id), null),
    team: (id) => (refs.teams.add(id), null),
  };
  for (const text of texts) if (text !== null && text !== '') parseMarkup(text, { resolver: recorder });
  return refs;
}
