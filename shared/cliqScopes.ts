/** One scope Cliq Vault asks for, and what granting it adds to the archive. */
export interface ScopeUse {
  scope: string;
  adds: string;
  /**
   * An optional source's scope (sync/optionalSource.ts): without it the sync still completes and
   * notes which dataset is missing. Asked for by default all the same.
   */
  optional?: true;
}

/**
 * The read-only OAuth scopes Cliq Vault asks for (docs/cliq-api.md §3.7), never an `.ALL` scope
 * (those grant writes), each with what it adds. Declared once: the core's token exchange,
 * `cliq-vault auth exchange`, the Connect screen's help and the README's list and table (a test
 * compares them) all come from here.
 *
 * IMPORTANT: exactly the scopes of the endpoint families the client calls (electron/core/cliq):
 * a test checks every family's required scope is here and every scope here is required by one.
 */
export const archiverScopeUses: readonly ScopeUse[] = [
  { scope: 'ZohoCliq.OrganizationChats.READ', adds: "The org's direct, group and bot chats and their members (Maintenance export M1, M3)." },
  { scope: 'ZohoCliq.OrganizationChannels.READ', adds: 'Every channel of the org, also those the admin has not joined (M2).' },
  { scope: 'ZohoCliq.OrganizationMessages.READ', adds: 'The messages of every conversation (M4).' },
  { scope: 'ZohoCliq.Users.READ', adds: 'People: names, e-mails and status, and which org the archive belongs to (U1).' },
  {
    scope: 'ZohoCliq.Channels.READ',
    adds: "Channels' chat ids, without which no channel message can be exported (C1), and the members of the channels the admin can read, checked at every sync (C3).",
  },
  {
    scope: 'ZohoCliq.Chats.READ',
    adds: "Threads of channels (TH1), the true kind (direct, group, bot) of the admin's own chats (H1), the members of their own group chats, checked at every sync (H2), and the sticky (pinned) message history of the conversations the admin can read (H3).",
  },
  { scope: 'ZohoCliq.Attachments.READ', adds: 'The bytes of shared files (F1); without it files are listed but not stored.' },
  { scope: 'ZohoCliq.Departments.READ', adds: 'Departments and who belonged to each, when (D1, D3).', optional: true },
  { scope: 'ZohoCliq.Designations.READ', adds: 'Designations (job titles) and who held each, when (G1, G3).', optional: true },
  {
    scope: 'ZohoCliq.Organisation.READ',
    adds: 'Roles (Admin, Cliq Admin, custom admin, Members) with their permissions, and who held each, when: the privileged-access evidence (R1, R2).',
    optional: true,
  },
  { scope: 'ZohoCliq.Teams.READ', adds: 'Teams and their members, moderators included, with history (T1, T3).', optional: true },
  {
    scope: 'ZohoCliq.MediaSession.READ',
    adds: "The connected account's calls and meetings with who took part (X1, X2); the org's call notices come from its messages without it.",
    optional: true,
  },
  { scope: 'ZohoCliq.Messages.READ', adds: "The connected account's scheduled messages and what became of them: sent, rescheduled, deleted (S2, or S1).", optional: true },
  {
    scope: 'ZohoCliq.messageactions.READ',
    adds: 'Reactions to messages (MS3), checked for new and changed messages of the conversations the admin can read; without it the sync notes the reactions dataset as missing.',
    optional: true,
  },
];

/**
 * How an optional scope is marked beside its name wherever the scopes are listed: the Connect
 * screen, `cliq-vault auth scopes` and the README's table (a test compares them).
 */
export const optionalScopeMark = '(optional)';

/** The scope names alone, in the order the Self Client is asked for them. */
export const archiverScopes: readonly string[] = archiverScopeUses.map((use) => use.scope);

/** The scopes as the Self Client's scope field takes them: comma-separated. */
export const archiverScopeList = archiverScopes.join(',');
