import type { PermissionFact } from '../archive/channelRolesRepo';

const objects = [
  ['admin', 'admin_permission'],
  ['moderator', 'moderator_permission'],
  ['member', 'member_permission'],
] as const;

/**
 * The permission objects of a channel item (C1 lists them; docs/cliq-api.md §7.2), one fact per
 * (role, permission): booleans as 0/1 (`"true"`/`"false"` strings too), anything else kept only as
 * its JSON. Undefined when the item carries none of the three objects: nothing is known, so the
 * archived permissions are left as they were.
 */
export function permissionFacts(item: Readonly<Record<string, unknown>>): PermissionFact[] | undefined {
  const facts: PermissionFact[] = [];
  let any = false;
  for (const [role, key] of objects) {
    const object = item[key];
    if (object === null || typeof object !== 'object' || Array.isArray(object)) continue;
    any = true;
    for (const [permission, value] of Object.entries(object as Record<string, unknown>)) {
      const allowed = value === true || value === 'true' ? 1 : value === false || value === 'false' ? 0 : null;
      facts.push({ role, permission, allowed, value: JSON.stringify(value) });
    }
  }
  return any ? facts : undefined;
}
