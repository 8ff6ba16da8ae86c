import { VaultError } from '../../../shared/errors';
import type { EntityRow, WriteContext } from '../archive/entityStore';
import { exportChannels, exportChats, type ChannelExportRow } from '../cliq/maintenance';
import { listChannels, listChatTypes, listUsers, type Page } from '../cliq/rest';
import { truthy, type RestChannelPayload, type UserPayload } from '../cliq/schemas';
import { permissionFacts } from './channelPermissions';
import { confirmListing } from './confirmListing';
import { channelChatRow, channelMatchKey, channelRow, chatRowFromExport, userRow } from './entityRows';
import type { ConversationWork } from './messageWalker';
import type { ChannelRef } from './threads';
import type { SyncContext } from './types';

function work(row: EntityRow): ConversationWork {
  const v = row.values;
  const num = (x: unknown) => (typeof x === 'number' ? x : null);
  return {
    chatId: row.key,
    title: typeof v.title === 'string' ? v.title : null,
    kind: v.kind as ConversationWork['kind'],
    serverCount: num(v.server_message_count),
    serverModified: num(v.server_last_modified),
    participantCount: num(v.participant_count),
    membersModified: num(v.server_last_modified),
  };
}

/**
 * A conversation gone from Cliq: its open membership, channel-role and pin intervals end (nothing
 * is deleted). H3 is not asked again for a gone conversation, so its pin would otherwise stay open.
 */
function closeConversation(ctx: SyncContext, chatId: string, write: WriteContext): void {
  ctx.archive.memberships.closeChat(chatId, write);
  ctx.archive.channelRoles.closeRoles(chatId, write);
  ctx.archive.sticky.closeGone(chatId, write);
}

/** M1: direct, group and bot chats. A chat missing from the export is marked gone (data kept). */
const chatScope = { where: "kind IN ('direct', 'group', 'bot')", params: [] };

export async function inventoryChats(ctx: SyncContext): Promise<ConversationWork[]> {
  const { archive } = ctx;
  const [exported, listed] = await Promise.all([exportChats(ctx.http, ctx.signal), readChatTypes(ctx)]);
  // A kind once read from H1 stays read: a chat the admin has left, or a run where H1 was refused,
  // keeps the chat_type archived before.
  const chatTypes = archive.entities.chats.sourceField('$.chat_type', chatScope);
  for (const [chatId, chatType] of listed) chatTypes.set(chatId, chatType);
  const rows = await confirmListing({
    first: exported,
    keyOf: (row) => row.chat_id,
    live: archive.entities.chats.liveKeys(chatScope),
    fetchAgain: () => exportChats(ctx.http, ctx.signal),
    onRecheck: (n) => ctx.log.info(`${n} chat(s) missing from the chats export; fetching it again to confirm`),
  });
  const conversations: ConversationWork[] = [];
  archive.transaction(() => {
    const write = ctx.write();
    const seen = new Set<string>();
    for (const row of rows) {
      const chatId = row.chat_id;
      if (chatId === null) {
        ctx.warn({ code: 'EXPORT_ROW_WITHOUT_ID', message: `The chats export has a row without chat_id (title ${JSON.stringify(row.title)}); it was skipped.` });
        continue;
      }
      if (seen.has(chatId)) continue;
      seen.add(chatId);
      const entity = chatRowFromExport({ ...row, chat_id: chatId }, chatTypes.get(chatId));
      archive.entities.chats.upsert(entity, write);
      const conversation = work(entity);
      // Only a group's members change; H1 lists only chats the account is in now.
      if (conversation.kind === 'group' && listed.has(chatId)) conversation.ownChat = {};
      conversations.push(conversation);
    }
    const gone = archive.entities.chats.markGone(seen, write, chatScope);
    for (const chatId of gone) closeConversation(ctx, chatId, write);
    ctx.counts.goneChats += gone.length;
  });
  ctx.counts.chats += conversations.length;
  return conversations;
}

/** Transport and server failures of H1: noted, and the chats inventory goes on without it. */
const chatTypesTransient = new Set<string>(['BAD_REQUEST', 'RATE_LIMITED', 'SERVER_ERROR', 'NETWORK', 'TIMEOUT', 'MALFORMED_RESPONSE', 'UNSAFE_NUMBER']);

/**
 * H1's chat types, or an empty map (with a note) when it cannot be read: the kinds then stay as
 * archived (or guessed), and M1 — the list that matters — is not held back by its enrichment. A
 * refusal leaves the run complete (the note says which scope would tell the kinds); a transport
 * failure makes it partial, as another run may do better. Authorisation failures stop the run.
 */
async function readChatTypes(ctx: SyncContext): Promise<Map<string, string>> {
  try {
    const { types, complete } = await listChatTypes(ctx.http, ctx.signal);
    if (!complete) {
      ctx.warn({
        code: 'CHAT_KINDS_INCOMPLETE',
        family: 'chats.list',
        message: `The chats listing (H1) could not page past chats that share one second; ${types.size} chat kind(s) were read, the others stay guessed.`,
      });
    }
    return types;
  } catch (error) {
    if (error instanceof VaultError && (error.code === 'FORBIDDEN' || error.code === 'NOT_FOUND')) {
      ctx.warn({
        code: 'CHAT_KINDS_UNAVAILABLE',
        family: 'chats.list',
        message: `The chats listing (H1) was refused (${error.message}); conversation kinds are guessed from participant counts. ZohoCliq.Chats.READ would tell them.`,
      });
      return new Map();
    }
    if (error instanceof VaultError && chatTypesTransient.has(error.code)) {
      ctx.warn({ code: error.code, family: 'chats.list', message: `Chat kinds (H1): ${error.message} Kinds not read before stay guessed this run.` });
      return new Map();
    }
    throw error;
  }
}

/**
 * M2 lists every channel but no chat ids; REST C1 has the chat ids. The two are matched on the
 * channel id without REST's level-letter prefix. A channel that cannot be matched is recorded and
 * reported: its messages cannot be exported (a coverage gap, never a silent one).
 */
export async function inventoryChannels(ctx: SyncContext): Promise<{ conversations: ConversationWork[]; channels: ChannelRef[] }> {
  const { archive } = ctx;
  const [exportedFirst, rest] = await Promise.all([exportChannels(ctx.http, ctx.signal), collectRestChannels(ctx)]);
  const exported = await confirmListing({
    first: exportedFirst,
    keyOf: (row) => row.channel_id,
    // Channels the export listed before (not those only REST showed).
    live: archive.entities.channels.liveKeys({ where: "json_extract(source_json, '$.export') IS NOT NULL", params: [] }),
    fetchAgain: () => exportChannels(ctx.http, ctx.signal),
    onRecheck: (n) => ctx.log.info(`${n} channel(s) missing from the channels export; fetching it again to confirm`),
  });
  const restByKey = new Map<string, Page<RestChannelPayload>['items'][number]>();
  for (const item of rest ?? []) restByKey.set(channelMatchKey(item.payload.channel_id), item);

  const entries: { key: string; exported: ChannelExportRow | null; rest: Page<RestChannelPayload>['items'][number] | null }[] = [];
  const matched = new Set<string>();
  for (const row of exported) {
    if (row.channel_id === null) {
      ctx.warn({ code: 'EXPORT_ROW_WITHOUT_ID', message: `The channels export has a row without channel_id (${JSON.stringify(row.name)}); it was skipped.` });
      continue;
    }
    const match = channelMatchKey(row.channel_id);
    matched.add(match);
    entries.push({ key: row.channel_id, exported: row, rest: restByKey.get(match) ?? null });
  }
  // Channels REST shows but the export does not: archived too (more coverage), marked as such by
  // their source (`export: null`).
  for (const [match, item] of restByKey) if (!matched.has(match)) entries.push({ key: item.payload.channel_id, exported: null, rest: item });

  const conversations: ConversationWork[] = [];
  const channels: ChannelRef[] = [];
  archive.transaction(() => {
    const write = ctx.write();
    const seenChannels = new Set<string>();
    const seenChats = new Set<string>();
    for (const entry of entries) {
      if (seenChannels.has(entry.key)) continue;
      seenChannels.add(entry.key);
      const row = channelRow(entry.key, entry);
      const chatId = entry.rest?.payload.chat_id ?? null;
      if (chatId !== null && seenChats.has(chatId)) {
        ctx.warn({ code: 'UNMAPPED_CHANNEL', message: `Channels ${entry.key} and another both claim chat ${chatId}; ${entry.key} was left unmapped.` });
        row.values.chat_id = null;
      }
      archive.entities.channels.upsert(row, write);
      const permissions = entry.rest ? permissionFacts(entry.rest.raw) : undefined;
      if (permissions) archive.channelRoles.applyPermissions(entry.key, permissions, write);
      if (row.values.chat_id === null) {
        if (rest !== undefined) {
          ctx.warn({ code: 'UNMAPPED_CHANNEL', message: `Channel ${entry.key} (${String(row.values.name)}) has no chat id in the REST listing; its messages cannot be exported.` });
          archive.meta.event(write.now, ctx.runId, 'channel_unmapped', entry.key, { name: row.values.name });
        }
        continue;
      }
      const mappedChat = String(row.values.chat_id);
      seenChats.add(mappedChat);
      const chat = channelChatRow(mappedChat, row);
      archive.entities.chats.upsert(chat, write);
      const listed = entry.rest;
      const joined = listed?.raw.joined;
      const readable = listed !== null && ((typeof joined === 'boolean' || typeof joined === 'string' ? truthy(joined) : false) || listed.payload.level === 'organization');
      conversations.push({ ...work(chat), channel: { restId: listed?.payload.channel_id ?? entry.key, restReadable: readable } });
      channels.push({
        key: entry.key,
        restId: entry.rest?.payload.channel_id ?? entry.key,
        chatId: mappedChat,
        lastModified: typeof row.values.last_modified === 'number' ? row.values.last_modified : null,
      });
    }
    const goneChannels = archive.entities.channels.markGone(seenChannels, write, { where: '1 = 1', params: [] });
    if (rest !== undefined) {
      const goneChats = archive.entities.chats.markGone(seenChats, write, { where: "kind = 'channel'", params: [] });
      for (const chatId of goneChats) closeConversation(ctx, chatId, write);
      ctx.counts.goneChats += goneChats.length;
    }
    ctx.counts.goneChannels = (ctx.counts.goneChannels ?? 0) + goneChannels.length;
  });
  ctx.counts.channels += entries.length;
  return { conversations, channels };
}

/** C1 in full; undefined (with a warning) if REST refuses, so M2 alone still records the channels. */
async function collectRestChannels(ctx: SyncContext): Promise<Page<RestChannelPayload>['items'] | undefined> {
  const items: Page<RestChannelPayload>['items'] = [];
  try {
    for await (const page of listChannels(ctx.http, ctx.signal)) items.push(...page.items);
    return items;
  } catch (error) {
    if (error instanceof VaultError && (error.code === 'FORBIDDEN' || error.code === 'NOT_FOUND')) {
      ctx.warn({ code: 'UNMAPPED_CHANNEL', message: `The REST channel listing was refused (${error.message}); no channel messages can be exported this run.` });
      return undefined;
    }
    throw error;
  }
}

/**
 * U1, continuing a walk whose first page the engine already read (to check which org this is
 * before writing anything). Users missing from a complete walk are marked gone.
 */
export async function inventoryUsers(ctx: SyncContext, first: Page<UserPayload>, rest: AsyncGenerator<Page<UserPayload>>): Promise<void> {
  const { archive } = ctx;
  const seen = new Set<string>();
  const store = (page: Page<UserPayload>) =>
    archive.transaction(() => {
      const write = ctx.write();
      for (const item of page.items) {
        archive.entities.users.upsert(userRow(item), write);
        seen.add(item.payload.id);
      }
    });
  store(first);
  if (first.next !== undefined) for await (const page of rest) store(page);
  const vanished = archive.entities.users.liveKeys({ where: '1 = 1', params: [] }).filter((key) => !seen.has(key));
  if (vanished.length > 0) {
    // Confirm before marking anyone gone (see confirmListing): walk the listing once more.
    ctx.log.info(`${vanished.length} user(s) missing from the users listing; listing them again to confirm`);
    for await (const page of listUsers(ctx.http, ctx.signal)) store(page);
  }
  archive.transaction(() => {
    const gone = archive.entities.users.markGone(seen, ctx.write(), { where: '1 = 1', params: [] });
    ctx.counts.goneUsers += gone.length;
  });
  ctx.counts.users += seen.size;
}

/** The org this archive belongs to: bound on the first sync, checked on every later one. */
export function checkOrgIdentity(ctx: SyncContext, first: Page<UserPayload>): void {
  const orgId = first.items.map((i) => i.raw.organization_id).find((v): v is string => typeof v === 'string' && v !== '' && v !== 'null');
  if (orgId === undefined) {
    ctx.log.warn('the users listing carries no organization_id; the archive is not bound to an org');
    return;
  }
  const bound = ctx.archive.meta.get('org.id');
  if (bound !== undefined && bound !== orgId) {
    throw new VaultError('ARCHIVE_ORG_MISMATCH', `This archive holds Cliq org ${bound}, but these credentials belong to org ${orgId}.`, {
      hint: 'Use one archive per org: pass a different --archive path for this org. Nothing was written.',
      ui: {
        message: `This archive holds Cliq org ${bound}, but these credentials belong to org ${orgId}.`,
        hint: 'Use one archive per org: add this org as its own profile, with its own archive file. Nothing was written.',
      },
    });
  }
  if (bound === undefined) ctx.archive.transaction(() => ctx.archive.meta.set('org.id', orgId));
}
