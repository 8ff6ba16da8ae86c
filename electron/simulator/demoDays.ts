import type { Clock } from './clock';
import type { RunningSimulator } from './index';
import type { MutationResult, MutationSpec } from './org/mutate';

/**
 * The demo org's days of activity (issue 13: a second demo run must show edits, deletions and
 * leavers, not "0 changes").
 *
 * Day n of the demo org is one seeded mutation, applied at a pinned time (n days after the
 * generated history ends), so every start of the simulator can replay days 1…n and reach exactly
 * the org an archive synced before: the simulator keeps no state between runs, and a replay that
 * drew other ids or times would look, to the archive, like deletions of what it already holds.
 * The calls and scheduled messages of the admin are left out: they are generated relative to the
 * real clock, so they cannot replay exactly.
 */

const dayMs = 86_400_000;

/** What happens in the org on day `day` (1-based): a little of every change an archive records. */
export function demoDaySpec(day: number): MutationSpec {
  return {
    seed: 0xd0 + day,
    newMessages: 40,
    newThreadReplies: 6,
    editMessages: 6,
    deleteMessages: 3,
    membersJoin: 2,
    membersLeave: 2,
    swapMembers: 1,
    addReactions: 6,
    replaceSticky: 1,
    changeMemberRoles: 1,
    moveDepartments: 1,
    ...(day % 2 === 1 ? { grantRoles: 1 } : { revokeRoles: 1 }),
    leaveTeams: 1,
  };
}

/**
 * The demo simulator's clock: the system clock, except while a day is applied, when it reads that
 * day's pinned time (new messages, edits and pins are stamped with it).
 */
export class DemoClock implements Clock {
  private pinned: number | undefined;

  now(): number {
    return this.pinned ?? Date.now();
  }

  /** Runs `apply` with the clock pinned at `at`. */
  at<T>(at: number, apply: () => T): T {
    this.pinned = at;
    try {
      return apply();
    } finally {
      this.pinned = undefined;
    }
  }
}

/** One applied day: what changed, for the demo's summary. */
export interface DemoDay {
  day: number;
  result: MutationResult;
}

/**
 * Brings a demo simulator from day `from` to day `to`, applying each day in order at its pinned
 * time (`historyEnd` + n days). Returns the days applied.
 */
export function replayDemoDays(simulator: RunningSimulator, clock: DemoClock, historyEnd: number, from: number, to: number): DemoDay[] {
  const days: DemoDay[] = [];
  for (let day = from + 1; day <= to; day++) {
    days.push({ day, result: clock.at(historyEnd + day * dayMs, () => simulator.mutate(demoDaySpec(day))) });
  }
  return days;
}
