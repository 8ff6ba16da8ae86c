import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { exportMessage, type MessageObject } from './content';
import { directoryTruth, type DirectoryTruth } from './directory';
import { mediaTruth, type MediaTruth } from './media';
import type { Conversation, Org } from './model';
import { userFull, type ShapeContext } from './shapes';
import { exportedMessages, lastModifiedTime, participantCount, totalMessages } from './views';

/**
 * Ground truth: the server's current state in API shapes, for tests to compare an archive against.
 * Times are epoch-ms numbers. `messages` holds exactly what M4 returns for each chat (full history,
 * ascending), `members` exactly what M3 returns.
 */

export interface TruthChat {
  chat_id: string;
  kind: 'dm' | 'group' | 'bot';
  title: string;
  creator_id: string;
  creation_time: number;
  last_modified_time: number;
  participant_count: number;
  total_message_count: number;
}

export interface TruthChannel {
  /** As M2 emits it (without the O/T prefix unless maintenanceChannelIdPrefix). */
  channel_id: string;
  rest_channel_id: string;
  chat_id: string;
  name: string;
  unique_name: string;
  description: string;
  level: string;
  status: string;
  creator_id: string;
  creation_time: number;
  last_modified_time: number;
  participant_count: number;
  total_message_count: number;
}

export interface TruthThread {
  chat_id: string;
  parent_chat_id: string;
  /** REST id of the parent channel. */
  channel_id: string;
  title: string;
  /** Space form (`<ms>%20<n>`), as TH1 shows it. */
  thread_message_id: string;
  parent_message_sender: string;
  thread_state: string;
}

export interface TruthMember {
  user_id: string;
  name: string;
  email_id: string;
}

export interface GroundTruth {
  org: { id: string; name: string };
  users: Record<string, unknown>[];
  chats: TruthChat[];
  channels: TruthChannel[];
  threads: TruthThread[];
  members: Record<string, TruthMember[]>;
  messages: Record<string, MessageObject[]>;
  /** Departments, designations, roles and teams with their members (org/directory.ts). */
  directory: DirectoryTruth;
  /** The admin's calls and scheduled messages (org/media.ts). */
  media: MediaTruth;
}

export interface TruthContext extends ShapeContext {
  maintenanceChannelIdPrefix: boolean;
}

export function liveConversations(org: Org): Conversation[] {
  return org.conversations.filter((c) => !c.removed && !(c.thread && org.live(c.thread.parentChatId) === undefined));
}

/** M2's channel id: the REST id with or without its letter. */
export function maintenanceChannelId(conversation: Conversation, withPrefix: boolean): string {
  const channel = conversation.channel;
  if (!channel) return '';
  return withPrefix ? channel.restId : channel.numericId;
}

export function memberRows(org: Org, conversation: Conversation): TruthMember[] {
  return org.membersOf(conversation).map((index) => {
    const user = org.users[index];
    return { user_id: user?.id ?? '', name: user?.fullName ?? '', email_id: user?.email ?? '' };
  });
}

function chatRow(org: Org, c: Conversation, ctx: TruthContext): TruthChat {
  return {
    chat_id: c.chatId,
    kind: c.kind === 'dm' ? 'dm' : c.kind === 'bot' ? 'bot' : 'group',
    title: c.title,
    creator_id: org.users[c.creator]?.id ?? '',
    creation_time: c.creationTime,
    last_modified_time: lastModifiedTime(org, c, ctx),
    participant_count: participantCount(org, c),
    total_message_count: totalMessages(org, c, ctx),
  };
}

function channelRow(org: Org, c: Conversation, ctx: TruthContext): TruthChannel {
  const channel = c.channel;
  if (!channel) throw new Error('not a channel');
  return {
    channel_id: maintenanceChannelId(c, ctx.maintenanceChannelIdPrefix),
    rest_channel_id: channel.restId,
    chat_id: c.chatId,
    name: channel.name,
    unique_name: channel.uniqueName,
    description: channel.description,
    level: channel.level,
    status: channel.status,
    creator_id: org.users[c.creator]?.id ?? '',
    creation_time: c.creationTime,
    last_modified_time: lastModifiedTime(org, c, ctx),
    participant_count: participantCount(org, c),
    total_message_count: totalMessages(org, c, ctx),
  };
}

function threadRow(org: Org, c: Conversation): TruthThread {
  const info = c.thread;
  if (!info) throw new Error('not a thread');
  return {
    chat_id: c.chatId,
    parent_chat_id: info.parentChatId,
    channel_id: org.byChatId.get(info.parentChatId)?.channel?.restId ?? '',
    title: info.title,
    thread_message_id: info.headId.replace('_', '%20'),
    parent_message_sender: org.users[info.headSender]?.id ?? '',
    thread_state: info.state,
  };
}

function messagesOf(org: Org, c: Conversation, ctx: TruthContext): MessageObject[] {
  return exportedMessages(org, c, ctx).map((ref) => exportMessage(org, ref.conversation, ref.conversation.messages, ref.index));
}

/** Everything but the messages (cheap even for a large org). */
function truthHead(org: Org, ctx: TruthContext): Omit<GroundTruth, 'messages'> {
  const live = liveConversations(org);
  const members: Record<string, TruthMember[]> = {};
  for (const c of live) members[c.chatId] = memberRows(org, c);
  return {
    org: { id: org.id, name: org.name },
    users: org.users.map((u) => userFull(org, u, true)),
    chats: live.filter((c) => c.kind === 'dm' || c.kind === 'group' || c.kind === 'bot').map((c) => chatRow(org, c, ctx)),
    channels: live.filter((c) => c.kind === 'channel').map((c) => channelRow(org, c, ctx)),
    threads: live.filter((c) => c.kind === 'thread').map((c) => threadRow(org, c)),
    members,
    directory: directoryTruth(org),
    media: mediaTruth(org),
  };
}

export function buildTruth(org: Org, ctx: TruthContext): GroundTruth {
  const messages: Record<string, MessageObject[]> = {};
  for (const c of liveConversations(org)) messages[c.chatId] = messagesOf(org, c, ctx);
  return { ...truthHead(org, ctx), messages };
}

/**
 * The same JSON as JSON.stringify(buildTruth(…)), produced a chat at a time so a large org's million
 * messages never sit in memory as objects all at once (GET /__sim/truth and writeTruth stream it).
 */
export function* truthChunks(org: Org, ctx: TruthContext): Generator<string> {
  const head = JSON.stringify(truthHead(org, ctx));
  yield `${head.slice(0, -1)},"messages":{`;
  let first = true;
  for (const c of liveConversations(org)) {
    yield `${first ? '' : ','}${JSON.stringify(c.chatId)}:[`;
    first = false;
    const refs = exportedMessages(org, c, ctx);
    for (let k = 0; k < refs.length; k += 500) {
      const part = refs.slice(k, k + 500).map((ref) => JSON.stringify(exportMessage(org, ref.conversation, ref.conversation.messages, ref.index)));
      yield (k === 0 ? '' : ',') + part.join(',');
    }
    yield ']';
  }
  yield '}}';
}

export async function writeTruthFile(org: Org, ctx: TruthContext, path: string): Promise<void> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  // Observed by the races below; this keeps a late error from becoming an unhandled rejection.
  failed.catch(() => undefined);
  const drained = () => Promise.race([once(out, 'drain'), failed]);
  for (const chunk of truthChunks(org, ctx)) if (!out.write(chunk)) await drained();
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
}
