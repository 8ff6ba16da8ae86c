import { migration as initialSchema } from './0010-initial-schema';
import { migration as searchScope } from './0020-search-scope';
import { migration as seals } from './0030-seals';
import { migration as auditLog } from './0040-audit-log';
import { migration as coverageCounts } from './0050-coverage-counts';
import { migration as attachments } from './0060-attachments';
import { migration as membershipBoundaries } from './0061-membership-boundaries';
import { migration as chatKindSource } from './0062-chat-kind-source';
import { migration as orgDirectory } from './0063-org-directory';
import { migration as reactionsStickyRoles } from './0064-reactions-sticky-roles';
import { migration as callsScheduledMessages } from './0065-calls-scheduled-messages';
import { migration as legalHolds } from './0066-legal-holds';
import { migration as reviewLog } from './0067-review-log';
import { migration as retention } from './0068-retention';
import { migration as reviewSets } from './0069-review-sets';
import { migration as messagesInsertionOrder } from './0070-messages-insertion-order';
import { migration as coveragePerConversation } from './0071-coverage-per-conversation';
import { migration as searchPrefixIndex } from './0072-search-prefix-index';
import { migration as fileMessagesCoveringIndex } from './0073-file-messages-covering-index';
import { migration as channelsRestIdIndex } from './0074-channels-rest-id-index';
import type { Migration } from './types';

/** Every migration, in order. Append only: a released migration is never edited. */
export const migrations: readonly Migration[] = [
  initialSchema,
  searchScope,
  seals,
  auditLog,
  coverageCounts,
  attachments,
  membershipBoundaries,
  chatKindSource,
  orgDirectory,
  reactionsStickyRoles,
  callsScheduledMessages,
  legalHolds,
  reviewLog,
  retention,
  reviewSets,
  messagesInsertionOrder,
  coveragePerConversation,
  searchPrefixIndex,
  fileMessagesCoveringIndex,
  channelsRestIdIndex,
];

export const latestSchemaVersion = migrations.at(-1)?.version ?? 0;
