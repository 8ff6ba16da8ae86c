import { z } from 'zod';
import type { AuditScopeInput } from '../../shared/audit';
import { conversationKinds, type ConversationKind } from '../../shared/search';
import type { FlagTable } from './flagTable';
import { dateFlag, groupFlagTable, groupScopeFrom, switchFlag } from './flags';

/**
 * The message filters `audit` and `review create` share with `search` (--chat, --kind,
 * --participant, --sender, the directory groups, --from/--to, --query/--advanced, --type,
 * --deleted, --edited, --versions): one table, so a bundle or a review set selects exactly what
 * the same flags make `search` list. Each command adds its own --tz (its words differ).
 */
export const messageFilterFlagTable = {
  chat: { flag: '--chat <id>', description: 'this conversation (repeatable; a channel brings its threads)', schema: z.array(z.string()), repeatable: true },
  kind: {
    flag: '--kind <kind>',
    description: `conversations of this kind: ${conversationKinds.join(', ')} (repeatable)`,
    schema: z.array(z.enum(conversationKinds, { error: `must be one of ${conversationKinds.join(', ')}` })),
    repeatable: true,
  },
  participant: { flag: '--participant <id|email>', description: 'conversations this person was ever a member of (repeatable)', schema: z.array(z.string()), repeatable: true },
  sender: { flag: '--sender <id|email>', description: 'messages sent by (repeatable)', schema: z.array(z.string()), repeatable: true },
  ...groupFlagTable,
  from: { flag: '--from <date>', description: 'messages from this day (2026-01-31) or instant', schema: dateFlag.optional() },
  to: { flag: '--to <date>', description: 'messages to this day, included', schema: dateFlag.optional() },
  query: { flag: '--query <text>', description: 'messages matching this search', schema: z.string().optional() },
  advanced: { flag: '--advanced', description: '--query is FTS5 syntax', schema: switchFlag },
  type: { flag: '--type <type>', description: 'message type (repeatable)', schema: z.array(z.string()), repeatable: true },
  deleted: {
    flag: '--deleted <how>',
    description: 'include, exclude or only messages deleted on Cliq',
    schema: z.enum(['include', 'exclude', 'only'], { error: 'must be include, exclude or only' }),
    default: 'include',
  },
  edited: { flag: '--edited', description: 'only messages with earlier versions (edited)', schema: z.boolean().optional(), negatable: 'only messages never edited' },
  versions: { flag: '--versions', description: '--query also matches earlier versions of edited messages', schema: switchFlag },
} satisfies FlagTable;

/** The values of {@link messageFilterFlagTable} (and the command's --tz), as parsed. */
export interface MessageFilterValues {
  chat: string[];
  kind: ConversationKind[];
  participant: string[];
  sender: string[];
  department: string[];
  designation: string[];
  team: string[];
  role: string[];
  from?: string | undefined;
  to?: string | undefined;
  tz: string;
  query?: string | undefined;
  advanced: boolean;
  type: string[];
  deleted: 'include' | 'exclude' | 'only';
  edited?: boolean | undefined;
  versions: boolean;
}

/** The filters as an audit scope reads them; flags not given are left out. */
export function scopeFromFilterFlags(flags: MessageFilterValues) {
  return {
    ...(flags.chat.length > 0 ? { conversations: flags.chat } : {}),
    ...(flags.kind.length > 0 ? { kinds: flags.kind } : {}),
    ...(flags.participant.length > 0 ? { participants: flags.participant } : {}),
    ...(flags.sender.length > 0 ? { senders: flags.sender } : {}),
    ...groupScopeFrom(flags),
    ...(flags.from !== undefined ? { from: flags.from } : {}),
    ...(flags.to !== undefined ? { to: flags.to } : {}),
    timeZone: flags.tz,
    ...(flags.query !== undefined ? { query: flags.query } : {}),
    queryMode: flags.advanced ? ('advanced' as const) : ('simple' as const),
    ...(flags.type.length > 0 ? { types: flags.type } : {}),
    ...(flags.edited !== undefined ? { edited: flags.edited } : {}),
    deleted: flags.deleted,
    includeVersions: flags.versions,
  } satisfies AuditScopeInput;
}
