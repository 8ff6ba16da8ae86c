/**
 * The read-only OAuth scopes Cliq Vault asks for (docs/cliq-api.md §3.7), never an `.ALL` scope
 * (those grant writes). Declared once: the core's token exchange, the Connect screen's
 * instructions and the README's list (a test compares them) all come from here.
 */
export const archiverScopes = [
  'ZohoCliq.OrganizationChats.READ',
  'ZohoCliq.OrganizationChannels.READ',
  'ZohoCliq.OrganizationMessages.READ',
  'ZohoCliq.Users.READ',
  'ZohoCliq.Channels.READ',
  'ZohoCliq.Chats.READ',
  'ZohoCliq.Messages.READ',
  'ZohoCliq.Attachments.READ',
] as const;

/** The scopes as the Self Client's scope field takes them: comma-separated. */
export const archiverScopeList = archiverScopes.join(',');
