import type { RunningSimulator } from '../../electron/simulator';
import type { Conversation } from '../../electron/simulator/org/model';

/** What REST answers the admin for (docs/cliq-api.md §10.7): members, and organisation-level channels. */
export function adminReads(sim: RunningSimulator, c: Conversation): boolean {
  const home = sim.org.home(c);
  return home.memberSet.has(sim.org.adminIndex) || home.channel?.level === 'organization';
}

/**
 * Messages posted and edited, reactions added to them and removed from edited ones, channel roles
 * moved on: the changes to reactions and roles a sync is meant to see (with `seed` and `chatIds`).
 */
export const extrasChanges = { newMessages: 12, editMessages: 25, addReactions: 6, removeReactions: 2, changeMemberRoles: 3 } as const;
