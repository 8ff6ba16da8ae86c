import { VaultError } from '../../../shared/errors';
import { reviewCodeSchema, type ReviewCode, type ReviewCodingRecord, type ReviewSetSummary } from '../../../shared/reviewSets';
import { describeIssue } from '../../../shared/validation';
import { openArchive } from '../archive/archive';
import { currentActor } from '../holds/holdWrites';
import { systemClock } from '../util/clock';
import type { ReviewWriteOptions } from './createSet';
import { codingRecord } from './history';
import { reviewSetSummary, setRow } from './setReads';

/**
 * One coding action: a sealed, append-only record (who, when, what) in its own short transaction
 * inside a seal of kind 'audit', as a hold is placed. Refuses a set that does not exist, a target
 * that is not in the set (a message not frozen in it, a conversation none of its items is in) and
 * the removal of a tag the target does not carry (a conversation's tag is removed on the
 * conversation, not on one of its messages).
 */
export function codeReviewItem(archivePath: string, input: ReviewCode, options: ReviewWriteOptions = {}): { record: ReviewCodingRecord; set: ReviewSetSummary } {
  const parsed = reviewCodeSchema.safeParse(input);
  if (!parsed.success) throw new VaultError('USAGE', `Invalid coding action: ${describeIssue(parsed.error, { subject: 'coding' })}.`);
  const code = parsed.data;
  const clock = options.clock ?? systemClock;
  const archive = openArchive(archivePath, { create: false, clock });
  try {
    const { db, sealer } = archive;
    const actor = currentActor(options.profile);
    const id = archive.transaction(() => {
      const set = setRow(db, code.setId);
      const messageId = code.messageId ?? null;
      const inSet =
        messageId === null
          ? db.prepare('SELECT 1 FROM review_set_items WHERE set_id = ? AND chat_id = ? LIMIT 1').get(set.set_id, code.chatId)
          : db.prepare('SELECT 1 FROM review_set_items WHERE set_id = ? AND chat_id = ? AND message_id = ?').get(set.set_id, code.chatId, messageId);
      if (!inSet) throw notInSet(set.name, code.chatId, messageId);
      if (code.action === 'untag') {
        const last = db
          .prepare<[number, string, string | null, string], { action: string }>(
            `SELECT action FROM review_codings WHERE set_id = ? AND chat_id = ? AND message_id IS ? AND tag = ? AND action IN ('tag', 'untag') ORDER BY id DESC LIMIT 1`,
          )
          .get(set.set_id, code.chatId, messageId, code.tag);
        if (last?.action !== 'tag') throw notTagged(code.tag, messageId);
      }
      const now = clock.now();
      const sealId = sealer.open('audit', null, now);
      const rowid = db
        .prepare(
          `INSERT INTO review_codings (set_id, chat_id, message_id, action, tag, note, reviewed, at, profile, os_user, host)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          set.set_id,
          code.chatId,
          messageId,
          code.action,
          code.action === 'tag' || code.action === 'untag' ? code.tag : null,
          code.action === 'note' ? code.note : null,
          code.action === 'reviewed' ? (code.reviewed ? 1 : 0) : null,
          now,
          actor.profile,
          actor.osUser,
          actor.host,
        ).lastInsertRowid;
      sealer.reseal('review_codings', rowid);
      sealer.close(sealId, clock.now());
      return Number(rowid);
    });
    return { record: codingRecord(db, id), set: reviewSetSummary(db, code.setId) };
  } finally {
    archive.close();
  }
}

function notInSet(setName: string, chatId: string, messageId: string | null): VaultError {
  const what = messageId === null ? `No message of the conversation ${chatId}` : `The message ${messageId} of the conversation ${chatId}`;
  const verb = messageId === null ? 'is' : 'is not';
  return new VaultError('USAGE', `${what} ${verb} in the review set "${setName}".`, {
    hint: 'A set is frozen when it is made: code only its items (`cliq-vault review show --set NAME` lists them).',
    ui: { message: `${what} ${verb} in the review set "${setName}".`, hint: 'A set is frozen when it is made: only its items can be coded.' },
  });
}

function notTagged(tag: string, messageId: string | null): VaultError {
  const on = messageId === null ? 'This conversation' : 'This message';
  return new VaultError('USAGE', `${on} does not carry the tag "${tag}": there is nothing to remove.`, {
    ...(messageId === null ? {} : { hint: 'A tag the message inherits from its conversation is removed on the conversation (leave out --message).' }),
    ui: {
      message: `${on} does not carry the tag "${tag}".`,
      ...(messageId === null ? {} : { hint: 'A tag it inherits from its conversation is removed on the conversation.' }),
    },
  });
}
