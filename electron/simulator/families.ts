/**
 * Route families: the unit Cliq counts requests by (one per endpoint template, per user), and the
 * unit the simulator reports stats and injects faults by.
 *
 * IMPORTANT: the names match the client's rate families (electron/core/cliq/families.ts) on purpose,
 * so a test can compare the client's budget with what the server saw. They are spelled out here
 * again because the simulator must not import the client it tests.
 */
export const apiFamilies = [
  'maint.chats',
  'maint.channels',
  'maint.members',
  'maint.messages',
  'users.list',
  'users.get',
  'channels.list',
  'channels.get',
  'channels.members',
  'chats.list',
  'chats.members',
  'threads.list',
  'threads.main',
  'messages.list',
  'messages.get',
  'files.get',
  'departments.list',
  'departments.members',
  'designations.list',
  'designations.members',
  'profiles.list',
  'profiles.users',
  'profiles.permissions',
  'teams.list',
  'teams.members',
  'mediasessions.list',
  'mediasessions.participants',
  'scheduled.list',
  'scheduled.legacy',
  'messages.reactions',
  'chats.sticky',
] as const;

export const oauthFamilies = ['oauth.token', 'oauth.revoke', 'oauth.auth'] as const;

/** The download host F1 redirects to (presigned URLs: no token, so no quota). */
export const downloadFamilies = ['files.download'] as const;

export const routeFamilies = [...apiFamilies, ...oauthFamilies, ...downloadFamilies] as const;

export type ApiFamily = (typeof apiFamilies)[number];
export type OauthFamily = (typeof oauthFamilies)[number];
export type RouteFamily = (typeof routeFamilies)[number];

export interface FamilyQuota {
  perMinute: number;
  lockMs: number;
}

const TEN_MINUTES = 600_000;

/**
 * Thresholds per user per minute from docs/cliq-api.md §5.2. The Maintenance endpoints have no documented
 * quota at all; 10/min with a 10-minute lock is a simulator choice (§5.2, §10.4) that exercises the client's
 * backoff. Where a lock is "not stated" we use 10 minutes, as every page that does state one.
 */
export const defaultQuotas: Record<ApiFamily, FamilyQuota> = {
  'maint.chats': { perMinute: 10, lockMs: TEN_MINUTES },
  'maint.channels': { perMinute: 10, lockMs: TEN_MINUTES },
  'maint.members': { perMinute: 10, lockMs: TEN_MINUTES },
  'maint.messages': { perMinute: 10, lockMs: TEN_MINUTES },
  'users.list': { perMinute: 30, lockMs: TEN_MINUTES },
  'users.get': { perMinute: 20, lockMs: TEN_MINUTES },
  'channels.list': { perMinute: 30, lockMs: TEN_MINUTES },
  'channels.get': { perMinute: 30, lockMs: TEN_MINUTES },
  'channels.members': { perMinute: 100, lockMs: TEN_MINUTES },
  'chats.list': { perMinute: 30, lockMs: TEN_MINUTES },
  'chats.members': { perMinute: 30, lockMs: TEN_MINUTES },
  'threads.list': { perMinute: 60, lockMs: TEN_MINUTES },
  'threads.main': { perMinute: 30, lockMs: TEN_MINUTES },
  'messages.list': { perMinute: 15, lockMs: TEN_MINUTES },
  'messages.get': { perMinute: 30, lockMs: TEN_MINUTES },
  'files.get': { perMinute: 50, lockMs: TEN_MINUTES },
  'departments.list': { perMinute: 30, lockMs: TEN_MINUTES },
  'departments.members': { perMinute: 30, lockMs: TEN_MINUTES },
  'designations.list': { perMinute: 30, lockMs: TEN_MINUTES },
  'designations.members': { perMinute: 30, lockMs: TEN_MINUTES },
  'profiles.list': { perMinute: 30, lockMs: TEN_MINUTES },
  'profiles.users': { perMinute: 30, lockMs: TEN_MINUTES },
  'profiles.permissions': { perMinute: 30, lockMs: TEN_MINUTES },
  'teams.list': { perMinute: 30, lockMs: TEN_MINUTES },
  'teams.members': { perMinute: 100, lockMs: TEN_MINUTES },
  'mediasessions.list': { perMinute: 50, lockMs: TEN_MINUTES },
  'mediasessions.participants': { perMinute: 20, lockMs: TEN_MINUTES },
  'scheduled.list': { perMinute: 20, lockMs: TEN_MINUTES },
  'scheduled.legacy': { perMinute: 20, lockMs: TEN_MINUTES },
  // MS3's lock is 10 min in [002] and 5 in [004]; the `quotas` option sets the other.
  'messages.reactions': { perMinute: 20, lockMs: TEN_MINUTES },
  'chats.sticky': { perMinute: 20, lockMs: TEN_MINUTES },
};

/** The OAuth scope each API family requires (docs/cliq-api.md §5.2). Compared case-insensitively. */
export const requiredScope: Record<ApiFamily, string> = {
  'maint.chats': 'ZohoCliq.OrganizationChats.READ',
  'maint.channels': 'ZohoCliq.OrganizationChannels.READ',
  'maint.members': 'ZohoCliq.OrganizationChats.READ',
  'maint.messages': 'ZohoCliq.OrganizationMessages.READ',
  'users.list': 'ZohoCliq.Users.READ',
  'users.get': 'ZohoCliq.Users.READ',
  'channels.list': 'ZohoCliq.Channels.READ',
  'channels.get': 'ZohoCliq.Channels.READ',
  'channels.members': 'ZohoCliq.Channels.READ',
  'chats.list': 'ZohoCliq.Chats.READ',
  'chats.members': 'ZohoCliq.Chats.READ',
  'threads.list': 'ZohoCliq.Chats.READ',
  'threads.main': 'ZohoCliq.Messages.READ',
  'messages.list': 'ZohoCliq.Messages.READ',
  'messages.get': 'ZohoCliq.Messages.READ',
  'files.get': 'ZohoCliq.Attachments.READ',
  'departments.list': 'ZohoCliq.Departments.READ',
  'departments.members': 'ZohoCliq.Departments.READ',
  'designations.list': 'ZohoCliq.Designations.READ',
  'designations.members': 'ZohoCliq.Designations.READ',
  // "Organisation" (REST roles) is a different resource from the Maintenance "Organization" scopes.
  'profiles.list': 'ZohoCliq.Organisation.READ',
  'profiles.users': 'ZohoCliq.Organisation.READ',
  'profiles.permissions': 'ZohoCliq.Organisation.READ',
  'teams.list': 'ZohoCliq.Teams.READ',
  'teams.members': 'ZohoCliq.Teams.READ',
  'mediasessions.list': 'ZohoCliq.MediaSession.READ',
  'mediasessions.participants': 'ZohoCliq.MediaSession.READ',
  'scheduled.list': 'ZohoCliq.Messages.READ',
  // v2 spells it with a lower-case m (docs/cliq-api.md §7.10); scopes compare case-insensitively.
  'scheduled.legacy': 'ZohoCliq.messages.READ',
  'messages.reactions': 'ZohoCliq.messageactions.READ',
  'chats.sticky': 'ZohoCliq.Chats.READ',
};

/** The read-only scope set the archiver asks for (docs/cliq-api.md §3.7); the default grant of both users. */
export const archiverScopes = [
  'ZohoCliq.OrganizationChats.READ',
  'ZohoCliq.OrganizationChannels.READ',
  'ZohoCliq.OrganizationMessages.READ',
  'ZohoCliq.Users.READ',
  'ZohoCliq.Departments.READ',
  'ZohoCliq.Designations.READ',
  'ZohoCliq.Teams.READ',
  'ZohoCliq.Channels.READ',
  'ZohoCliq.Chats.READ',
  'ZohoCliq.Messages.READ',
  'ZohoCliq.messageactions.READ',
  'ZohoCliq.Attachments.READ',
  'ZohoCliq.Organisation.READ',
  'ZohoCliq.MediaSession.READ',
] as const;

export function isMaintenanceFamily(family: ApiFamily): boolean {
  return family.startsWith('maint.');
}

export function isApiFamily(value: string): value is ApiFamily {
  return (apiFamilies as readonly string[]).includes(value);
}
