import type Database from 'better-sqlite3-multiple-ciphers';
import { mentionRefs, namesFor, type MentionNames, type MentionPerson, type MentionResolver } from '../../../shared/markup';
import { personLabel } from '../../../shared/people';

/**
 * Mentions resolved from the archive (docs/cliq-api.md §8.3): users by id and by e-mail, shown by
 * the one display rule of shared/people.ts; channels by the id `{#…}` tokens carry (REST's
 * letter-prefixed channel id, or the export's); directory teams by team id. One resolver serves one
 * request (a page, a bundle): each id is looked up once, by key, and the names two people share are
 * read in one grouped pass when the first user is resolved — never the whole users table per message.
 */

interface Statements {
  userById: Database.Statement<[string], PersonRow>;
  userByEmail: Database.Statement<[string], PersonRow>;
  userByEmailAnyCase: Database.Statement<[string], PersonRow>;
  sharedNames: Database.Statement<[], { name: string }>;
  channel: Database.Statement<{ id: string }, { title: string | null }>;
  team: Database.Statement<[string], { name: string | null }> | null;
}

interface PersonRow {
  user_id: string;
  name: string | null;
  email: string | null;
}

const cache = new WeakMap<Database.Database, Statements>();

function statements(db: Database.Database): Statements {
  let s = cache.get(db);
  if (s) return s;
  // Teams arrived with migration 0063; an archive read before it simply has none to name.
  const hasTeams = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'teams'").get()?.n === 1;
  s = {
    userById: db.prepare('SELECT user_id, coalesce(name, display_name) AS name, email FROM users WHERE user_id = ?'),
    userByEmail: db.prepare('SELECT user_id, coalesce(name, display_name) AS name, email FROM users WHERE email = ? ORDER BY gone_at IS NOT NULL LIMIT 1'),
    // Only when the indexed lookup misses: the e-mail in a token may differ in case from the directory's.
    userByEmailAnyCase: db.prepare('SELECT user_id, coalesce(name, display_name) AS name, email FROM users WHERE lower(email) = lower(?) ORDER BY gone_at IS NOT NULL LIMIT 1'),
    sharedNames: db.prepare('SELECT coalesce(name, display_name) AS name FROM users WHERE coalesce(name, display_name) IS NOT NULL GROUP BY 1 HAVING count(*) > 1'),
    channel: db.prepare(
      `SELECT coalesce(ch.name, c.title) AS title FROM channels ch LEFT JOIN chats c ON c.chat_id = ch.chat_id
        WHERE ch.rest_channel_id = @id OR ch.channel_id = @id
        ORDER BY ch.rest_channel_id = @id DESC, ch.gone_at IS NOT NULL LIMIT 1`,
    ),
    team: hasTeams ? db.prepare('SELECT name FROM teams WHERE team_id = ?') : null,
  };
  cache.set(db, s);
  return s;
}

/** A resolver over the archive, caching every answer (found or not) for its lifetime. */
export function archiveMentionResolver(db: Database.Database): MentionResolver {
  const s = statements(db);
  let shared: Set<string> | null = null;
  const people = new Map<string, MentionPerson | null>();
  const emails = new Map<string, MentionPerson | null>();
  const channels = new Map<string, string | null>();
  const teams = new Map<string, string | null>();
  const person = (row: PersonRow | undefined): MentionPerson | null => {
    if (!row) return null;
    shared ??= new Set(s.sharedNames.all().map((r) => r.name));
    return { name: personLabel({ id: row.user_id, name: row.name, email: row.email }, row.name !== null && shared.has(row.name)), email: row.email };
  };
  const remember = <T>(map: Map<string, T>, key: string, load: () => T): T => {
    if (map.has(key)) return map.get(key) as T;
    const value = load();
    map.set(key, value);
    return value;
  };
  return {
    user: (id) => remember(people, id, () => person(s.userById.get(id))),
    userByEmail: (email) => remember(emails, email.toLowerCase(), () => person(s.userByEmail.get(email) ?? s.userByEmailAnyCase.get(email))),
    channel: (id) => remember(channels, id, () => stripHash(s.channel.get({ id })?.title ?? null)),
    team: (id) => remember(teams, id, () => s.team?.get(id)?.name ?? null),
  };
}

/** The names the texts mention, as a page of messages sends them to the renderer. */
export function mentionNamesOf(db: Database.Database, texts: Iterable<string | null>, resolver: MentionResolver = archiveMentionResolver(db)): MentionNames {
  return namesFor(mentionRefs(texts), resolver);
}

// A channel is shown as "#name"; a stored name that already starts with # would show twice.
function stripHash(title: string | null): string | null {
  return title === null ? null : title.replace(/^#/, '');
}

/**
 * People named for a screen by the one display rule (shared/people.ts), for one read: a known user
 * by their archived full name (the e-mail added when two share it), so a sender, member, pin or
 * directory entry reads the same everywhere; anyone else by the name the row carries.
 */
export function personNamer(db: Database.Database, resolver: MentionResolver = archiveMentionResolver(db)): (userId: string | null | undefined, fallback: string | null) => string | null {
  return (userId, fallback) => (userId !== null && userId !== undefined && userId !== '' ? resolver.user(userId)?.name : undefined) ?? fallback;
}
