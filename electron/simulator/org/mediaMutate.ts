import { hash32, Rng } from '../random';
import { appendMessage } from './generate';
import { makeCall, makeScheduled } from './media';
import { MessageKind, type Org } from './model';

/** What the media mutations did, by id. */
export interface MediaMutationResult {
  newCalls: string[];
  /** Sent now: gone from the lists, a message of its creator in its chat. */
  sentScheduled: { id: string; chatId: string; messageId: string }[];
  rescheduled: string[];
  deletedScheduled: string[];
  newScheduled: string[];
}

export interface MediaMutationSpec {
  seed?: number | undefined;
  newCalls?: number | undefined;
  sendScheduled?: number | undefined;
  rescheduleScheduled?: number | undefined;
  deleteScheduled?: number | undefined;
  newScheduled?: number | undefined;
}

/**
 * Changes to calls and scheduled messages between syncs, all of the admin's (the account X1 and
 * S1/S2 answer), from their own random stream. A sent scheduled message becomes a text message of
 * its creator in its chat, stamped after every existing message and not before the clock (as
 * mutate.ts stamps new messages), with the scheduled text.
 */
export function mutateMedia(org: Org, spec: MediaMutationSpec, ctx: { now: number; defaultSeed: number }): MediaMutationResult {
  const rng = new Rng(hash32(spec.seed ?? ctx.defaultSeed, 0x5c4ed));
  const result: MediaMutationResult = { newCalls: [], sentScheduled: [], rescheduled: [], deletedScheduled: [], newScheduled: [] };
  const media = org.media;
  const admin = org.adminIndex;
  const pending = () => media.scheduled.filter((s) => s.creator === admin);

  for (let n = 0; n < (spec.newCalls ?? 0); n++) {
    const call = makeCall(org, rng, admin, ctx.now - rng.int(10, 120) * 60_000);
    media.calls.push(call);
    result.newCalls.push(call.id);
  }

  for (const item of rng.sample(
    pending().filter((s) => s.type === 'text'),
    spec.sendScheduled ?? 0,
  )) {
    const chat = org.live(item.chatId);
    if (!chat) continue;
    let latest = ctx.now;
    for (const c of org.conversations) latest = Math.max(latest, (c.messages.lastTime() ?? 0) + 1);
    const i = appendMessage(org, chat, rng, latest, item.creator, MessageKind.Text);
    chat.messages.seed[i] = item.seed;
    chat.messages.revision[i] = 0;
    org.markChanged(chat);
    media.scheduled.splice(media.scheduled.indexOf(item), 1);
    const messageId = chat.messages.idAt(i);
    media.outcomes.push({ id: item.id, fate: 'sent', chatId: chat.chatId, messageId });
    result.sentScheduled.push({ id: item.id, chatId: chat.chatId, messageId });
  }

  for (const item of rng.sample(
    pending().filter((s) => s.time !== null),
    spec.rescheduleScheduled ?? 0,
  )) {
    item.time = (item.time ?? ctx.now) + rng.int(1, 48) * 3_600_000;
    media.seq += 1;
    item.seq = media.seq;
    result.rescheduled.push(item.id);
  }

  // Deleted before their time: only those whose time is still ahead (or status-triggered).
  for (const item of rng.sample(
    pending().filter((s) => !result.rescheduled.includes(s.id) && (s.time === null || s.time > ctx.now)),
    spec.deleteScheduled ?? 0,
  )) {
    media.scheduled.splice(media.scheduled.indexOf(item), 1);
    media.outcomes.push({ id: item.id, fate: 'deleted', chatId: item.chatId, messageId: null });
    result.deletedScheduled.push(item.id);
  }

  for (let n = 0; n < (spec.newScheduled ?? 0); n++) {
    const item = makeScheduled(org, rng, admin, ctx.now, rng.chance(0.7) ? 'time' : 'status');
    if (!item) break;
    item.created = Math.floor(ctx.now / 1000) * 1000;
    media.scheduled.push(item);
    result.newScheduled.push(item.id);
  }
  return result;
}
