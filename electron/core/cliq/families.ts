/**
 * Endpoint families and their documented quotas (docs/cliq-api.md §5.2). Cliq counts requests per user
 * and endpoint template, so each family is paced on its own budget.
 *
 * IMPORTANT: the family names are shared with the simulator's route families and with the
 * `api_calls` counters recorded in sync runs; rename one and every report changes meaning.
 */
export const families = {
  // Maintenance (admin export) endpoints: no quota or lock is documented at all. We run them at a
  // conservative 10 per minute each with a 10-minute lock; settings can override per family.
  'maint.chats': { perMinute: 10, lockMs: 600_000, documented: false, label: 'Maintenance: export chats' },
  'maint.channels': { perMinute: 10, lockMs: 600_000, documented: false, label: 'Maintenance: export channels' },
  'maint.members': { perMinute: 10, lockMs: 600_000, documented: false, label: 'Maintenance: export members' },
  'maint.messages': { perMinute: 10, lockMs: 600_000, documented: false, label: 'Maintenance: export messages' },
  // REST v2 reads. Where the lock is "not stated" we use 10 minutes, as every page that states one.
  'users.list': { perMinute: 30, lockMs: 600_000, documented: true, label: 'Users: list' },
  'users.get': { perMinute: 20, lockMs: 600_000, documented: true, label: 'Users: get one' },
  'channels.list': { perMinute: 30, lockMs: 600_000, documented: true, label: 'Channels: list' },
  'channels.get': { perMinute: 30, lockMs: 600_000, documented: true, label: 'Channels: get one' },
  'channels.members': { perMinute: 100, lockMs: 600_000, documented: true, label: 'Channels: members' },
  'chats.list': { perMinute: 30, lockMs: 600_000, documented: true, label: 'Chats: list' },
  'chats.members': { perMinute: 30, lockMs: 600_000, documented: true, label: 'Chats: members' },
  'threads.list': { perMinute: 60, lockMs: 600_000, documented: true, label: 'Threads of a channel' },
  'threads.main': { perMinute: 30, lockMs: 600_000, documented: true, label: 'Thread main message' },
  'messages.list': { perMinute: 15, lockMs: 600_000, documented: true, label: 'Messages: list (REST)' },
  'messages.get': { perMinute: 30, lockMs: 600_000, documented: true, label: 'Messages: get one (REST)' },
  // F1: a file's bytes (docs/cliq-api.md §7.6). A redirect's download host is not counted: only the
  // API request takes a slot.
  'files.get': { perMinute: 50, lockMs: 600_000, documented: true, label: 'Files: download' },
  // The org directory (docs/cliq-api.md §7.7): departments, designations, roles (profiles), teams.
  'departments.list': { perMinute: 30, lockMs: 600_000, documented: true, label: 'Departments: list' },
  'departments.members': { perMinute: 30, lockMs: 600_000, documented: true, label: 'Departments: members' },
  'designations.list': { perMinute: 30, lockMs: 600_000, documented: true, label: 'Designations: list' },
  'designations.members': { perMinute: 30, lockMs: 600_000, documented: true, label: 'Designations: members' },
  'profiles.list': { perMinute: 30, lockMs: 600_000, documented: true, label: 'Roles: list' },
  'profiles.users': { perMinute: 30, lockMs: 600_000, documented: true, label: 'Roles: users' },
  // No quota is documented for the permissions of a role: the roles family's 30/min is assumed.
  'profiles.permissions': { perMinute: 30, lockMs: 600_000, documented: false, label: 'Roles: permissions' },
  'teams.list': { perMinute: 30, lockMs: 600_000, documented: true, label: 'Teams: list' },
  'teams.members': { perMinute: 100, lockMs: 600_000, documented: true, label: 'Teams: members' },
  // X1, X2: calls and meetings of the connected account (docs/cliq-api.md §7.9).
  'mediasessions.list': { perMinute: 50, lockMs: 600_000, documented: true, label: 'Calls and meetings: list' },
  'mediasessions.participants': { perMinute: 20, lockMs: 600_000, documented: true, label: 'Calls and meetings: participants' },
  // S2 (v3) and S1 (v2, the fallback): the connected account's scheduled messages, 10-minute lock.
  'scheduled.list': { perMinute: 20, lockMs: 600_000, documented: true, label: 'Scheduled messages: list (v3)' },
  'scheduled.legacy': { perMinute: 20, lockMs: 600_000, documented: true, label: 'Scheduled messages: list (v2)' },
  // MS3: one call per message. The seeds disagree on its lock (10 min in [002], 5 in [004]): we
  // take the longer, so a 429 never leads to calls Cliq still refuses.
  'messages.reactions': { perMinute: 20, lockMs: 600_000, documented: true, label: 'Messages: reactions' },
  // H3: one call per conversation.
  'chats.sticky': { perMinute: 20, lockMs: 600_000, documented: true, label: 'Chats: sticky message' },
} as const;

export type Family = keyof typeof families;

export const familyNames = Object.keys(families) as Family[];

export function isFamily(value: string): value is Family {
  return Object.hasOwn(families, value);
}

export interface FamilyLimit {
  perMinute: number;
  lockMs: number;
}

export type FamilyOverrides = Partial<Record<Family, Partial<FamilyLimit>>>;

/**
 * The limits actually used: documented (or conservative) defaults, then the user's overrides, then
 * `quotaScale`. quotaScale exists for tests and simulations only: it multiplies every threshold and
 * divides every lock period, so a simulated org with scaled quotas runs in seconds, not hours.
 */
export function effectiveLimits(overrides: FamilyOverrides = {}, quotaScale = 1): Record<Family, FamilyLimit> {
  const result = {} as Record<Family, FamilyLimit>;
  for (const name of familyNames) {
    const base = families[name];
    const override = overrides[name] ?? {};
    result[name] = {
      // A threshold is a whole number of calls: scaling 10/min by 0.55 allows 5, not 5.5.
      perMinute: Math.max(1, Math.floor((override.perMinute ?? base.perMinute) * quotaScale)),
      lockMs: (override.lockMs ?? base.lockMs) / quotaScale,
    };
  }
  return result;
}
