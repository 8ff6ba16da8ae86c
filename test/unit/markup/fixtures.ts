import type { MentionPerson, MentionResolver } from '../../../shared/markup';

/** A resolver over a small fixed org: Dana Ruiz, two Priyas, the #incidents channel, the Legal team. */
export function fixtureResolver(): MentionResolver {
  const users: Record<string, MentionPerson> = {
    '2224919568806253528': { name: 'Dana Ruiz', email: 'dana@example.org' },
    '1895000000000000001': { name: 'Tomasz Johansson', email: 'tomasz@example.org' },
    '7100002': { name: 'Kofi Mensah', email: 'kofi@example.org' },
  };
  const byEmail = new Map(Object.values(users).map((p) => [p.email?.toLowerCase(), p]));
  return {
    user: (id) => users[id] ?? null,
    userByEmail: (email) => byEmail.get(email.toLowerCase()) ?? null,
    channel: (id) => (id === 'O1647000000000000001' ? 'incidents' : null),
    team: (id) => (id === '99001' ? 'Legal' : null),
  };
}
