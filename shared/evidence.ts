/**
 * The views of the evidence beyond messages (issue 12): the org directory and its role holders,
 * reactions, sticky messages, calls and scheduled messages, and how each optional source fared.
 * Declared once here; the app service's reads fill them and both transports carry them.
 *
 * Times are epoch ms (UTC). Ids are Cliq's, as strings. Names are Cliq's data: shown as text only.
 */

/** The kinds of group a person is assigned to in the org directory. */
export const directoryKinds = ['department', 'designation', 'role', 'team'] as const;
export type DirectoryKind = (typeof directoryKinds)[number];

/**
 * Where an interval's start comes from: 'first_archived' (found by the first listing of its group:
 * held since an unknown time, so `start` is null — never the date of that sync) or 'noticed' (a
 * later listing showed it: it began between the listing before and `startNoticedAt`).
 */
export type IntervalStart = 'first_archived' | 'noticed';

/** One assignment interval of a person to a department, designation, role or team. */
export interface Assignment {
  kind: DirectoryKind;
  groupId: string;
  /** The group's current name (its earlier names are in its history). */
  groupName: string | null;
  /** When it began: null for 'first_archived'. */
  start: number | null;
  startSource: IntervalStart;
  /** When a listing first showed it. */
  startNoticedAt: number;
  /** When a listing noticed it ended (null while it holds). */
  end: number | null;
  /** Team moderator, and the like: what the listing said about the assignment, verbatim. */
  detail: string | null;
}

/** A person of the directory with every assignment the archive saw, current and ended. */
export interface DirectoryPerson {
  userId: string;
  name: string | null;
  email: string | null;
  /** Cliq's status (active, inactive…) as last listed. */
  status: string | null;
  goneAt: number | null;
  assignments: Assignment[];
}

/** One page of the Directory screen's people, with how the directory's sources fared. */
export interface DirectoryPage {
  people: DirectoryPerson[];
  /** People matching the filter, over all pages. */
  total: number;
  /** The four directory sources (departments, designations, roles, teams): archived, refused or never tried. */
  sources: OptionalSourceView[];
}

/** A department, designation, role or team, for pickers and the Directory screen. */
export interface DirectoryGroup {
  kind: DirectoryKind;
  groupId: string;
  name: string | null;
  /** People assigned now. */
  members: number;
  /** For roles: whether it grants administration (Admin, Cliq Admin or a custom admin profile). */
  admin: boolean;
  goneAt: number | null;
}

/** "Who held an admin role, and when": one interval of one person in one admin role. */
export interface AdminRoleInterval {
  userId: string;
  name: string | null;
  email: string | null;
  roleId: string;
  roleName: string | null;
  /** Cliq's profile_type (Admin, Cliq Admin, Members) or 'custom admin'. */
  profileType: string | null;
  start: number | null;
  startSource: IntervalStart;
  startNoticedAt: number;
  end: number | null;
}

/** One reaction of one person to a message. */
export interface ReactionView {
  /** Cliq's key: a Unicode emoji, or a `:code:` shortcode. */
  emoji: string;
  userId: string;
  userName: string | null;
  /** When they reacted (Cliq's time). */
  at: number;
  /** When a later check no longer listed it (the reaction was removed); null while it stands. */
  removedNoticedAt: number | null;
}

/** One pin of a conversation's sticky message: what was pinned, by whom, and until when. */
export interface StickyPin {
  messageId: string | null;
  text: string | null;
  senderId: string | null;
  senderName: string | null;
  /** Who pinned it. */
  pinnedById: string | null;
  pinnedByName: string | null;
  pinnedAt: number | null;
  /** Cliq's expiry (-1: none), as given. */
  expiry: number | null;
  /** When a check first saw it pinned. */
  firstSeenAt: number;
  /** When a check saw it unpinned or replaced; null while pinned. */
  endedNoticedAt: number | null;
  /**
   * How it ended: another pin replaced it, or nothing was pinned any more; null while pinned, and
   * for a pin ended because its conversation is gone from Cliq (no check saw how it ended).
   */
  endedBy: 'replaced' | 'unpinned' | null;
}

/** A conversation's pins, newest first, and when its sticky message was last checked (null: never). */
export interface StickyHistory {
  pins: StickyPin[];
  checkedAt: number | null;
}

/** The channel roles whose permissions Cliq's channel listing gives (admin_permission, moderator_permission, member_permission). */
export const channelPermissionRoles = ['admin', 'moderator', 'member'] as const;

/**
 * One value of a channel's permission objects, from when a listing first showed it until one
 * showed another value (or none): a change ends one and starts the next, so the earlier ones are
 * the history.
 */
export interface ChannelPermission {
  role: (typeof channelPermissionRoles)[number];
  /** Cliq's key (send_message, sticky_message, …). */
  permission: string;
  /** Whether the role may do it; null when Cliq gave something other than a boolean (see value). */
  allowed: boolean | null;
  /** The value as Cliq gave it, as JSON text. */
  value: string;
  firstSeenAt: number;
  /** When a listing showed another value or none (null while in force). */
  goneAt: number | null;
}

/** A call or meeting of the connected account (Cliq's call history). */
export interface CallRow {
  callId: string;
  type: string | null;
  title: string | null;
  chatId: string | null;
  chatTitle: string | null;
  hostId: string | null;
  hostName: string | null;
  start: number | null;
  end: number | null;
  participantCount: number | null;
  recording: boolean | null;
  /** When a full listing no longer showed it (kept: it stays evidence); null while Cliq lists it. */
  goneAt: number | null;
  /** As last listed. */
  participants: { userId: string | null; name: string | null; email: string | null; role: string | null; start: number | null; end: number | null }[];
}

/** A call as an org-wide `call_notification` message recorded it (no extra API call). */
export interface CallNotificationRow {
  /** The archive's key of the message, to open it in context. */
  messageKey: number;
  chatId: string;
  chatTitle: string | null;
  messageId: string;
  /** The message's time: when Cliq recorded the call. */
  time: number;
  callerId: string | null;
  callerName: string | null;
  calleeId: string | null;
  calleeName: string | null;
  callType: string | null;
  status: string | null;
  /** As Cliq gave it ("HH:MM:SS"). */
  duration: string | null;
}

/**
 * What became of a scheduled message: pending, rescheduled (pending, with earlier times), sent (its
 * message is archived), presumed_sent (its time passed, its message not archived yet), deleted
 * (gone before its time) or gone (a status-triggered one gone: Cliq does not say whether it was sent).
 */
export type ScheduledFate = 'pending' | 'rescheduled' | 'sent' | 'presumed_sent' | 'deleted' | 'gone';

/** A scheduled message of the connected account, with its fate. */
export interface ScheduledMessageRow {
  scheduledId: string;
  chatId: string | null;
  chatTitle: string | null;
  text: string | null;
  /** When it is (or was) to be delivered; null for a status-based schedule. */
  scheduledFor: number | null;
  /** A status-based schedule (check_in, user_available…), verbatim. */
  scheduleStatus: string | null;
  timeZone: string | null;
  createdAt: number | null;
  fate: ScheduledFate;
  /** When a sync noticed its fate (gone, or moved). */
  fateNoticedAt: number | null;
  /** Earlier delivery times it had, oldest first. */
  earlierTimes: number[];
  /** The archived message it became, when matched. */
  sentMessageKey: number | null;
}

/** How one optional source fared at its last run: what it adds, and the scope that would add it. */
export interface OptionalSourceView {
  dataset: string;
  /** What it archives, in words. */
  label: string;
  scope: string;
  /** null: no run has tried it yet. */
  status: 'complete' | 'not_granted' | 'failed' | null;
  at: number | null;
  rows: number;
}

/** A page of the Calls screen: the connected account's calls or the org's call notices (one list per request). */
export interface CallsPage {
  meetings: CallRow[];
  notices: CallNotificationRow[];
  /** Rows matching the filters, over every page. */
  total: number;
  offset: number;
  /** How the calls source fared (calls need a scope; notices come from archived messages). */
  source: OptionalSourceView;
}

/** A page of the connected account's scheduled messages, and how their source fared. */
export interface ScheduledPage {
  rows: ScheduledMessageRow[];
  total: number;
  offset: number;
  source: OptionalSourceView;
}
