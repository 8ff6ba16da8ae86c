import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BURST_SIZE, generateOrg, scaleSpecs } from '../../../electron/simulator/org/generate';
import { buildTruth, type GroundTruth } from '../../../electron/simulator/org/truth';
import type { MessageObject } from '../../../electron/simulator/org/content';
import { defaultNow } from '../../../electron/simulator/options';

const ctx = { threadRepliesInParent: false, timezoneOffsetMinutes: 330, maintenanceChannelIdPrefix: false };
const truthOf = (seed: number, scale: 'tiny' | 'small' | 'medium' = 'small') => buildTruth(generateOrg({ seed, scale, now: defaultNow }), ctx);
const hash = (truth: GroundTruth) => createHash('sha256').update(JSON.stringify(truth)).digest('hex');
const allMessages = (truth: GroundTruth): MessageObject[] => Object.values(truth.messages).flat();

const small = truthOf(1);
const ID19 = /^[12]\d{18}$/;
const TWO_53 = 2n ** 53n;

describe('org generator', () => {
  it('is deterministic: same seed, same truth byte for byte; another seed differs', () => {
    expect(hash(truthOf(1))).toBe(hash(small));
    expect(hash(truthOf(7, 'tiny'))).toBe(hash(truthOf(7, 'tiny')));
    expect(hash(truthOf(2))).not.toBe(hash(small));
  });

  it('sizes each scale as specified', () => {
    for (const scale of ['tiny', 'small', 'medium'] as const) {
      const truth = scale === 'small' ? small : truthOf(3, scale);
      const spec = scaleSpecs[scale];
      const conversations = truth.chats.length + truth.channels.length + truth.threads.length;
      expect(truth.users).toHaveLength(spec.users);
      expect(conversations).toBeGreaterThanOrEqual(spec.dms + spec.groups + spec.bots + spec.channels + spec.threads - 3);
      const messages = allMessages(truth).length;
      expect(messages).toBeGreaterThan(spec.messages * 0.85);
      expect(messages).toBeLessThan(spec.messages * 1.15);
    }
  });

  it('uses the documented id formats, ids as strings above 2^53', () => {
    const orgId = small.org.id;
    for (const user of small.users) expect(user.id).toMatch(ID19);
    for (const chat of small.chats) {
      if (chat.kind === 'bot') expect(chat.chat_id).toMatch(new RegExp(`^CT_\\d{19}_${orgId}-B[12]$`));
      else expect(chat.chat_id).toMatch(ID19);
      expect(BigInt(chat.kind === 'bot' ? (chat.chat_id.split('_')[1] ?? '0') : chat.chat_id) > TWO_53).toBe(true);
    }
    for (const channel of small.channels) {
      expect(channel.chat_id).toMatch(new RegExp(`^CT_\\d{19}_${orgId}$`));
      expect(channel.channel_id).toMatch(ID19);
      expect(channel.rest_channel_id).toMatch(/^[OT][12]\d{18}$/);
      expect(channel.rest_channel_id.slice(1)).toBe(channel.channel_id);
      expect(channel.name.startsWith('#')).toBe(true);
    }
    for (const thread of small.threads) {
      expect(thread.chat_id).toMatch(/^CT_\d{19}_\d+-T-\d{19}$/);
      expect(thread.chat_id.startsWith(`${thread.parent_chat_id}-T-`)).toBe(true);
      expect(thread.thread_message_id).toMatch(/^\d{13}%20\d{12}$/);
    }
    for (const message of allMessages(small)) {
      expect(message.id).toMatch(/^\d{13}_\d{12}$/);
      expect(message.sender.id).toMatch(/^(b-\d{19}|[12]\d{18})$/);
    }
    expect(small.chats.some((c) => c.kind === 'bot' && c.chat_id.endsWith('-B1'))).toBe(true);
    expect(new Set(small.channels.map((c) => c.rest_channel_id[0]))).toEqual(new Set(['O', 'T']));
  });

  it('carries the hostile names and titles at every scale', () => {
    for (const truth of [small, truthOf(5, 'tiny')]) {
      const titles = [...truth.chats.map((c) => c.title), ...truth.channels.map((c) => c.name), ...truth.channels.map((c) => c.description)];
      expect(titles.some((t) => t.includes(',') && t.includes('"'))).toBe(true);
      expect(titles.some((t) => t.includes('\n'))).toBe(true);
      expect(truth.users.some((u) => String(u.display_name).includes(','))).toBe(true);
    }
    const titles = [...small.chats.map((c) => c.title), ...small.channels.map((c) => c.name), ...small.channels.map((c) => c.description), ...small.threads.map((t) => t.title)];
    expect(titles.some((t) => t.includes('\r\n'))).toBe(true);
    expect(titles.some((t) => t !== t.trim())).toBe(true);
    expect(titles.some((t) => /\p{Extended_Pictographic}/u.test(t))).toBe(true);
    expect(titles.some((t) => /[\u0590-\u06FF]/.test(t))).toBe(true);
    expect(titles.some((t) => t.length >= 300)).toBe(true);
    expect(titles.some((t) => t.startsWith('=cmd|'))).toBe(true);
    expect(titles.some((t) => t.includes('../../etc/passwd'))).toBe(true);
  });

  it('covers every content shape of docs/cliq-api.md §8.2', () => {
    const messages = allMessages(small);
    const files = messages.filter((m) => m.type === 'file').map((m) => m.content as { thumbnail?: { width: unknown }; file: { type: string } });
    expect(files.some((f) => typeof f.thumbnail?.width === 'number')).toBe(true);
    expect(files.some((f) => typeof f.thumbnail?.width === 'string')).toBe(true);
    expect(files.some((f) => f.thumbnail === undefined)).toBe(true);
    expect(files.some((f) => f.file.type === 'file')).toBe(true);
    expect(files.some((f) => f.file.type.includes('/'))).toBe(true);
    const calls = messages.filter((m) => m.type === 'info' && m.content.type === 'call_notification');
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((m) => m.ack_key === '')).toBe(true);
    expect(Object.keys(calls[0]?.content ?? {})).toEqual(['data', 'type']);
    expect(messages.some((m) => m.type === 'card')).toBe(true);
    expect(messages.some((m) => m.type === 'text' && m.ack_key === '')).toBe(true);
    expect(messages.some((m) => (m.revision ?? 0) > 0)).toBe(true);
    expect(messages.some((m) => m.sender.id.startsWith('b-'))).toBe(true);
    const texts = messages.map((m) => (typeof m.content.text === 'string' ? m.content.text : ''));
    for (const token of [/\{@[12]\d{18}\}/, /\]\(zohoid:[12]\d{18}\)/, /\{#[OT]\d{19}\}/, /\{@participants\}/, /\n/, /:[a-z]+:/]) {
      expect(texts.some((t) => token.test(t))).toBe(true);
    }
  });

  it('has same-millisecond messages, and a run of more than 100 in one millisecond', () => {
    let longestRun = 0;
    let pairs = 0;
    for (const list of Object.values(small.messages)) {
      let run = 1;
      for (let i = 1; i < list.length; i++) {
        const same = list[i]?.time === list[i - 1]?.time;
        run = same ? run + 1 : 1;
        if (same) pairs++;
        longestRun = Math.max(longestRun, run);
        // Ascending (time, id) order.
        const a = list[i - 1];
        const b = list[i];
        const seq = (m: MessageObject) => Number(m.id.split('_')[1]);
        if (a && b) expect(a.time < b.time || (a.time === b.time && seq(a) < seq(b))).toBe(true);
      }
    }
    expect(longestRun).toBeGreaterThanOrEqual(BURST_SIZE);
    expect(pairs).toBeGreaterThan(BURST_SIZE + 5);
  });

  it('keeps counts and last_modified_time consistent with the messages', () => {
    for (const row of [...small.chats, ...small.channels]) {
      const list = small.messages[row.chat_id] ?? [];
      expect(row.total_message_count).toBe(list.length);
      expect(row.last_modified_time).toBe(list.length > 0 ? list[list.length - 1]?.time : row.creation_time);
      expect(row.participant_count).toBe(small.members[row.chat_id]?.length);
    }
    expect(small.chats.some((c) => c.total_message_count === 0)).toBe(true);
  });

  it('gives the admin more than 100 DM/group chats at medium, several ending in one second', () => {
    const org = generateOrg({ seed: 1, scale: 'medium', now: defaultNow });
    const mine = org.conversations.filter((c) => (c.kind === 'dm' || c.kind === 'group') && c.memberSet.has(org.adminIndex) && c.messages.length > 0);
    expect(mine.length).toBeGreaterThan(100);
    const seconds = new Map<number, number>();
    for (const c of mine) {
      const second = Math.floor((c.messages.lastTime() ?? 0) / 1000);
      seconds.set(second, (seconds.get(second) ?? 0) + 1);
    }
    expect(Math.max(...seconds.values())).toBeGreaterThanOrEqual(4);
    // Some private chats and channels the admin is not in.
    expect(org.conversations.some((c) => c.kind === 'group' && !c.memberSet.has(org.adminIndex))).toBe(true);
    expect(org.conversations.some((c) => c.channel?.level === 'private' && !c.memberSet.has(org.adminIndex))).toBe(true);
  });

  it('varies channel levels and statuses', () => {
    expect(new Set(small.channels.map((c) => c.level))).toEqual(new Set(['organization', 'team', 'private', 'external']));
    expect(new Set(small.channels.map((c) => c.status))).toEqual(new Set(['created', 'archived', 'pending']));
    expect(new Set(small.users.map((u) => u.status))).toEqual(new Set(['active', 'inactive']));
  });
});
