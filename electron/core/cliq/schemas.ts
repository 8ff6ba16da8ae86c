import { z } from 'zod';

/**
 * zod schemas for every payload the client reads. They validate only what the archive relies on
 * and let everything else through (`looseObject`): the raw JSON is stored whole, so fields Cliq adds
 * later are kept even before we understand them.
 */

/**
 * An id. Cliq sends ids as strings; a bare JSON number is accepted only if it survived parsing
 * exactly (parseJsonLossless turns big ones into strings), and is turned into a string here.
 */
export const idSchema = z.union([
  z.string().min(1),
  z
    .number()
    .int()
    .refine((n) => Number.isSafeInteger(n), { message: 'id exceeds 2^53 and would lose digits' })
    .transform(String),
]);

const countSchema = z.union([z.number(), z.string()]).optional().nullable();

/** Epoch ms as a number or a digit string (pinned messages send strings). */
const epochMs = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)]);

export const messageSchema = z.looseObject({
  id: idSchema,
  time: epochMs,
  type: z.string().min(1),
  // [002]'s retrieve sample spells the sender {senderName, senderID}; both are accepted.
  sender: z
    .looseObject({
      id: idSchema.optional(),
      name: z.string().optional(),
      senderID: idSchema.optional(),
      senderName: z.string().optional(),
    })
    .optional(),
  // [002] shows `content` as a bare string; everywhere else it is an object.
  content: z.union([z.record(z.string(), z.unknown()), z.string(), z.null()]).optional(),
  ack_key: z.union([z.string(), z.number()]).optional(),
  revision: z.union([z.number(), z.string()]).optional(),
});
export type MessagePayload = z.infer<typeof messageSchema>;

export const userSchema = z.looseObject({
  id: idSchema,
  email_id: z.string().optional().nullable(),
  name: z.string().optional().nullable(),
  display_name: z.string().optional().nullable(),
  full_name: z.string().optional().nullable(),
  status: z.string().optional().nullable(),
});
export type UserPayload = z.infer<typeof userSchema>;

export const usersPage = z.looseObject({
  data: z.array(z.unknown()),
  has_more: z.union([z.boolean(), z.string()]).optional(),
  next_token: z.string().optional().nullable(),
});

export const restChannelSchema = z.looseObject({
  channel_id: idSchema,
  chat_id: idSchema.optional().nullable(),
  name: z.string().optional().nullable(),
  unique_name: z.string().optional().nullable(),
  description: z.string().optional().nullable(),
  level: z.string().optional().nullable(),
  status: z.string().optional().nullable(),
  creator_id: idSchema.optional().nullable(),
  creator_name: z.string().optional().nullable(),
  creation_time: z.string().optional().nullable(),
  last_modified_time: z.string().optional().nullable(),
  participant_count: countSchema,
  total_message_count: countSchema,
});
export type RestChannelPayload = z.infer<typeof restChannelSchema>;

export const channelsPage = z.looseObject({
  channels: z.array(z.unknown()),
  has_more: z.union([z.boolean(), z.string()]).optional(),
  next_token: z.string().optional().nullable(),
  sync_token: z.string().optional().nullable(),
});

/** C3: one member of a channel (docs/cliq-api.md §9.9); `user_role` becomes channel_member_roles. */
export const channelMemberSchema = z.looseObject({
  user_id: z
    .union([idSchema, z.literal('')])
    .optional()
    .nullable(),
  email_id: z.string().optional().nullable(),
  name: z.string().optional().nullable(),
  user_role: z.string().optional().nullable(),
});
export type ChannelMemberPayload = z.infer<typeof channelMemberSchema>;

/** C3 and H2 answer every member at once: no pagination is documented. */
export const channelMembersPage = z.looseObject({ members: z.array(z.unknown()) });

const lastMessageInfo = z.looseObject({ time: z.string().optional().nullable(), message_time: z.string().optional().nullable() }).optional().nullable();

export const threadSchema = z.looseObject({
  chat_id: idSchema,
  parent_chat_id: idSchema.optional().nullable(),
  title: z.string().optional().nullable(),
  thread_message_id: z.string().optional().nullable(),
  parent_message_sender: idSchema.optional().nullable(),
  thread_state: z.string().optional().nullable(),
  follower_count: countSchema,
  last_message_information: lastMessageInfo,
  last_message_info: lastMessageInfo,
});
export type ThreadPayload = z.infer<typeof threadSchema>;

export const threadsPage = z.looseObject({
  data: z.array(z.unknown()),
  next_token: z.string().optional().nullable(),
  sync_token: z.string().optional().nullable(),
});

/** An H1 item: only what the kind needs is checked (docs/cliq-api.md §7.5); the rest passes through. */
export const restChatSchema = z.looseObject({
  chat_id: idSchema,
  chat_type: z.string().optional().nullable(),
  last_modified_time: z.string().optional().nullable(),
});
export type RestChatPayload = z.infer<typeof restChatSchema>;

export const chatsPage = z.looseObject({ chats: z.array(z.unknown()) });

/** `has_more` arrives as a boolean in the docs; accept "true"/"false" strings too. */
export function truthy(value: boolean | string | undefined): boolean {
  return value === true || value === 'true';
}
