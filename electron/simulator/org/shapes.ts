import { hash32, hashString } from '../random';
import { isoWithOffset } from '../time';
import { messageType, summaryText } from './content';
import type { Conversation, Org, User } from './model';
import { lastMessage, lastModifiedTime, participantCount, totalMessages, type ViewOptions } from './views';

/**
 * The REST JSON shapes of users, chats, channels and threads (docs/cliq-api.md §7), built from the model.
 * Key order follows the seeds' examples; values are invented. Pure functions, shared by the routes
 * and the ground truth so both always agree.
 */

export interface ShapeContext extends ViewOptions {
  timezoneOffsetMinutes: number;
}

const iso = (ms: number, ctx: ShapeContext) => isoWithOffset(ms, ctx.timezoneOffsetMinutes);

// --- Users (§7.1) -------------------------------------------------------------------------------------

/** The U1 list item without `fields=all`. */
export function userMinimal(org: Org, user: User): Record<string, unknown> {
  return { email_id: user.email, zuid: user.id, zoid: org.zoid, display_name: user.displayName, name: user.fullName, organization_id: org.id, id: user.id };
}

function reportingTo(org: Org, user: User): Record<string, unknown> | undefined {
  if (user.reportingTo === null) return undefined;
  const boss = org.users[user.reportingTo];
  if (!boss) return undefined;
  if (!user.reportingToLong) return { name: boss.fullName, id: boss.id };
  // The long form of the seed sample, including its literal "null" organization_id.
  return {
    name: boss.fullName,
    id: boss.id,
    country: boss.country,
    email_id: boss.email,
    zoid: org.zoid,
    organization_id: 'null',
    timezone: boss.timezone,
    first_name: boss.firstName,
    full_name: boss.fullName,
    display_name: boss.displayName,
    last_name: boss.lastName,
  };
}

/** The full profile (U2 `data`, and U1 items with `fields=all`, which also carry `zuid`). */
export function userFull(org: Org, user: User, withZuid: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { employee_id: user.employeeId, first_name: user.firstName };
  const boss = reportingTo(org, user);
  if (boss) out.reportingto = boss;
  Object.assign(out, {
    mobile: user.mobile,
    zoid: org.zoid,
    organization_id: org.id,
    email_id: user.email,
    extension: user.extension,
    work_location: user.workLocation,
    id: user.id,
  });
  if (withZuid) out.zuid = user.id;
  Object.assign(out, {
    timeoffset: user.timeoffset,
    timezone: user.timezone,
    language: user.language,
    status: user.status,
    country: user.country,
    department: { name: user.department.name, id: user.department.id },
    last_name: user.lastName,
    full_name: user.fullName,
    designation: { name: user.designation.name, id: user.designation.id },
    display_name: user.displayName,
    name: user.fullName,
  });
  return out;
}

/** Only these keys may be picked with U1/U2 `fields=` (besides `all`). */
export const userPickableFields = ['display_name', 'mobile', 'department', 'designation'] as const;

// --- Messages summaries --------------------------------------------------------------------------------

interface LastInfo {
  senderId: string;
  senderName: string;
  type: string;
  time: number;
  text: string;
  bot: { name: string; image_url: string } | null;
}

function lastInfo(org: Org, conversation: Conversation, ctx: ShapeContext): LastInfo | null {
  const last = lastMessage(org, conversation, ctx);
  if (!last) return null;
  const store = last.conversation.messages;
  const sender = store.sender[last.index] as number;
  const ref = org.senderRef(sender);
  const bot = sender < 0 ? org.bots[-sender - 1] : undefined;
  return {
    senderId: ref.id,
    senderName: ref.name,
    type: messageType(store.kind[last.index] as number),
    time: store.time[last.index] as number,
    text: summaryText(org, last.conversation, store, last.index),
    bot: bot ? { name: bot.name, image_url: bot.imageUrl } : null,
  };
}

/** The list form of last_message_info (C1, H1, TH1): {sender_id, message_type, time, text, sender_name}. */
function lastInfoList(info: LastInfo, ctx: ShapeContext, withExtras: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { sender_id: info.senderId, message_type: info.type };
  if (withExtras && info.bot) out.styles = { highlight: true };
  out.time = iso(info.time, ctx);
  out.text = info.text;
  if (withExtras && info.bot) out.bot = info.bot;
  out.sender_name = info.senderName;
  return out;
}

// --- Chats (§7.5) --------------------------------------------------------------------------------------

export function chatType(conversation: Conversation): string {
  return conversation.kind === 'dm' ? 'dm' : conversation.kind === 'bot' ? 'bot' : 'chat';
}

/** The chat's name as `viewer` sees it: a DM is named after the other person. */
export function chatName(org: Org, conversation: Conversation, viewer: number): string {
  if (conversation.kind === 'dm') {
    const other = conversation.members.find((m) => m !== viewer) ?? conversation.members[0];
    return (other !== undefined ? org.users[other]?.fullName : undefined) ?? conversation.title;
  }
  return conversation.title;
}

export function chatListItem(org: Org, conversation: Conversation, viewer: number, ctx: ShapeContext): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: chatName(org, conversation, viewer),
    creation_time: iso(conversation.creationTime, ctx),
    creator_id: org.users[conversation.creator]?.id ?? '',
    last_modified_time: iso(lastModifiedTime(org, conversation, ctx), ctx),
    removed: false,
    recipients_summary: conversation.members.slice(0, 5).map((m) => ({ user_id: org.users[m]?.id ?? '', name: org.users[m]?.fullName ?? '' })),
    chat_type: chatType(conversation),
    chat_id: conversation.chatId,
  };
  const info = lastInfo(org, conversation, ctx);
  if (info) out.last_message_info = lastInfoList(info, ctx, true);
  out.pinned = conversation.pinnedBy.has(viewer);
  out.participant_count = participantCount(org, conversation);
  return out;
}

// --- Channels (§7.2) ------------------------------------------------------------------------------------

const permissionKeys = [
  'add_participant',
  'archive_channel',
  'audio_conference',
  'clear_all_messages',
  'delete_channel',
  'delete_my_msg',
  'delete_others_message',
  'edit_channel_info',
  'edit_my_msg',
  'leave_channel',
  'mention_users',
  'post_reply',
  'prime_time',
  'remove_participant',
  'send_message',
  'special_mentions',
  'sticky_message',
  'unarchive_channel',
  'video_conference',
] as const;
const moderatorDenied = new Set(['archive_channel', 'clear_all_messages', 'delete_channel', 'delete_others_message', 'special_mentions', 'unarchive_channel']);
const memberDenied = new Set([...moderatorDenied, 'edit_channel_info', 'prime_time', 'remove_participant', 'sticky_message']);

function permissions(denied: ReadonlySet<string>): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const key of permissionKeys) out[key] = !denied.has(key);
  return out;
}

function unreadCount(conversation: Conversation, viewer: number): number {
  return hash32(hashString(conversation.chatId), viewer) % 25;
}

export function channelListItem(org: Org, conversation: Conversation, viewer: number, ctx: ShapeContext): Record<string, unknown> {
  const channel = conversation.channel;
  if (!channel) throw new Error('not a channel');
  const joined = conversation.memberSet.has(viewer);
  const creator = org.users[conversation.creator];
  const lmt = lastModifiedTime(org, conversation, ctx);
  const out: Record<string, unknown> = {
    pinned: channel.pinnedBy.has(viewer),
    level: channel.level,
    chat_id: conversation.chatId,
    joined,
    creator_name: creator?.displayName ?? '',
    unique_name: channel.uniqueName,
    total_message_count: String(totalMessages(org, conversation, ctx)),
    organization_id: org.id,
    admin_permission: permissions(new Set()),
  };
  // The far-future sentinel of the seed, on some muted channels.
  if (joined && hashString(conversation.chatId) % 5 === 0) out.muted_interval = '292278994-08-16T23:12:55-08:00';
  out.channel_id = channel.restId;
  out.creator_id = creator?.id ?? '';
  if (channel.level === 'organization' || channel.level === 'team') out.invite_only = channel.inviteOnly;
  out.unread_time = iso(lmt, ctx);
  out.moderator_permission = permissions(moderatorDenied);
  out.unread_message_count = joined ? unreadCount(conversation, viewer) : 0;
  const info = lastInfo(org, conversation, ctx);
  if (info) out.last_message_info = lastInfoList(info, ctx, false);
  Object.assign(out, {
    last_modified_time: iso(lmt, ctx),
    status: channel.status,
    description: channel.description,
    member_permission: permissions(memberDenied),
    creation_time: iso(conversation.creationTime, ctx),
    participant_count: participantCount(org, conversation),
  });
  const role = channel.roles.get(viewer);
  if (joined && role) out.current_user_role = role;
  out.teams = { ...channel.teams };
  out.name = channel.name;
  return out;
}

/** C2: the single-channel shape, whose last_message_info uses other keys than the list (§7.2). */
export function channelSingle(org: Org, conversation: Conversation, viewer: number, ctx: ShapeContext): Record<string, unknown> {
  const channel = conversation.channel;
  if (!channel) throw new Error('not a channel');
  const joined = conversation.memberSet.has(viewer);
  const creator = org.users[conversation.creator];
  const lmt = lastModifiedTime(org, conversation, ctx);
  const out: Record<string, unknown> = {
    name: channel.name,
    chat_id: conversation.chatId,
    description: channel.description,
    image_url: `https://cliq.example.org/channel/${channel.restId}_${org.id}_${conversation.creationTime}/photo.do`,
    level: channel.level,
  };
  if (channel.level === 'organization' || channel.level === 'team') out.invite_only = channel.inviteOnly;
  Object.assign(out, {
    status: channel.status,
    channel_id: channel.restId,
    organization_id: org.id,
    creator_id: creator?.id ?? '',
    creator_name: creator?.displayName ?? '',
    creation_time: iso(conversation.creationTime, ctx),
    last_modified_time: iso(lmt, ctx),
  });
  const role = channel.roles.get(viewer);
  if (joined && role) out.current_user_role = role;
  const info = lastInfo(org, conversation, ctx);
  if (info) {
    out.last_message_info = { sender_id: info.senderId, message_type: info.type, message_time: iso(info.time, ctx), message: info.text, sender_display_name: info.senderName };
  }
  Object.assign(out, {
    participant_count: participantCount(org, conversation),
    admin_permission: permissions(new Set()),
    moderator_permission: permissions(moderatorDenied),
    member_permission: permissions(memberDenied),
    unique_name: channel.uniqueName,
    teams: { ...channel.teams },
    joined,
    pinned: channel.pinnedBy.has(viewer),
    total_message_count: String(totalMessages(org, conversation, ctx)),
    unread_message_count: joined ? unreadCount(conversation, viewer) : 0,
    unread_time: iso(lmt, ctx),
  });
  return out;
}

export function channelMember(org: Org, conversation: Conversation, userIndex: number): Record<string, unknown> {
  const user = org.users[userIndex];
  return { user_id: user?.id ?? '', email_id: user?.email ?? '', name: user?.fullName ?? '', user_role: conversation.channel?.roles.get(userIndex) ?? 'member' };
}

// --- Threads (§7.3) -------------------------------------------------------------------------------------

/** Message ids in msguid-style fields use a literal `%20` instead of `_` (§4.3). */
export function spaceFormId(id: string): string {
  return id.replace('_', '%20');
}

export function threadListItem(org: Org, thread: Conversation, viewer: number, ctx: ShapeContext): Record<string, unknown> {
  const info = thread.thread;
  if (!info) throw new Error('not a thread');
  const out: Record<string, unknown> = {
    parent_chat_id: info.parentChatId,
    is_follower: info.followers.has(viewer),
    follower_count: info.followers.size,
    chat_id: thread.chatId,
  };
  const last = lastInfo(org, thread, ctx);
  if (last) out.last_message_information = lastInfoList(last, ctx, false);
  Object.assign(out, {
    title: info.title,
    thread_message_id: spaceFormId(info.headId),
    parent_message_sender: org.users[info.headSender]?.id ?? '',
    thread_state: info.state,
  });
  return out;
}
