import { hash32, Rng } from '../random';
import type { Scale } from '../options';
import { seedStickies } from './extras';
import type { FileSizes } from './fileSizes';
import {
  MessageFlag,
  MessageKind,
  MessageStore,
  Org,
  type ChannelLevel,
  type ChannelRole,
  type ChannelStatus,
  type Conversation,
  type ConversationKind,
  type MessageKindCode,
  type OrgUnit,
  type User,
} from './model';
import { generateDirectory } from './directory';
import * as names from './names';

/**
 * Builds a whole organisation from (seed, scale). Every draw comes from seeded generators forked per
 * phase, so the same inputs always give the same org, id for id and byte for byte.
 */

interface ScaleSpec {
  users: number;
  dms: number;
  groups: number;
  bots: number;
  channels: number;
  threads: number;
  messages: number;
  spanDays: number;
  /** Share of DMs and group chats the admin is part of (H1 must list more than 100 at medium). */
  adminShare: number;
  /** Chats left without any message. */
  emptyChats: number;
  /**
   * Most messages one chat may get; 5% of the org when absent. The huge org keeps the large org's
   * 50,000: one chat's single-shot export is held whole by the client while it is stored, and a
   * 500,000-message answer would be a string of ~400 MB, near V8's limit on one string.
   */
  chatCap?: number;
}

export const scaleSpecs: Record<Scale, ScaleSpec> = {
  tiny: { users: 6, dms: 2, groups: 2, bots: 1, channels: 2, threads: 1, messages: 200, spanDays: 30, adminShare: 0.5, emptyChats: 0 },
  small: { users: 30, dms: 24, groups: 14, bots: 4, channels: 12, threads: 6, messages: 5_000, spanDays: 180, adminShare: 0.45, emptyChats: 2 },
  medium: { users: 200, dms: 310, groups: 140, bots: 20, channels: 100, threads: 30, messages: 100_000, spanDays: 365, adminShare: 0.3, emptyChats: 6 },
  large: { users: 2_000, dms: 2_800, groups: 1_300, bots: 150, channels: 550, threads: 200, messages: 1_000_000, spanDays: 730, adminShare: 0.06, emptyChats: 40 },
  // Ten times large's messages over three years, but not ten times its people: an organisation-level
  // channel holds up to 80% of the org, so members grow with users × channels (memory, M3 rows).
  huge: { users: 5_000, dms: 9_000, groups: 3_500, bots: 300, channels: 1_100, threads: 600, messages: 10_000_000, spanDays: 1_095, adminShare: 0.03, emptyChats: 100, chatCap: 50_000 },
};

/** Scales in the order their index seeds the root generator: append only, or every org changes. */
const scaleOrder: readonly Scale[] = ['tiny', 'small', 'medium', 'large', 'huge'];

const DAY = 86_400_000;
/** Messages the import bot posts in one millisecond (more than a page of 100, docs/cliq-api.md §9.3, §10.10). */
export const BURST_SIZE = 120;

const orgNames: readonly (readonly [string, string])[] = [
  ['Zylcal Widgets', 'zylcal.example'],
  ['Northwind Records', 'northwind.example'],
  ['Acme Compliance Ltd', 'acme-compliance.example'],
  ['Globex Legal, Inc.', 'globex.example'],
];

export class IdFactory {
  constructor(
    private readonly rng: Rng,
    private readonly used: Set<string>,
  ) {}

  /** A 19-digit id starting with 1 or 2: always above 2^53, so it only survives as a string. */
  long(): string {
    for (;;) {
      const id = (this.rng.chance(0.5) ? '1' : '2') + this.rng.digits(18);
      if (!this.used.has(id)) {
        this.used.add(id);
        return id;
      }
    }
  }
}

export interface GenerateInput {
  seed: number;
  scale: Scale;
  now: number;
  /** How file sizes are drawn (org/files.ts); the default distribution when omitted. */
  fileSizes?: FileSizes;
}

interface Plan {
  conversation: Conversation;
  weight: number;
  empty: boolean;
  /** Forced time of the last message (H1 same-second cluster). */
  lastAt: number | null;
}

export function generateOrg({ seed, scale, now, fileSizes }: GenerateInput): Org {
  const spec = scaleSpecs[scale];
  const root = new Rng(hash32(seed, scaleOrder.indexOf(scale) + 1, 0x5ca1e));
  const idRng = root.fork(1);
  const historyStart = now - spec.spanDays * DAY;

  const orgRng = root.fork(2);
  const [orgName, domain] = orgRng.pick(orgNames);
  const org = new Org(`6${orgRng.digits(8)}`, `5${orgRng.digits(7)}`, orgName, domain);
  org.fileSeed = seed;
  if (fileSizes) org.fileSizes = fileSizes;
  // The org keeps the set of used ids, so mutations never mint an id generation already used.
  const ids = new IdFactory(idRng, org.usedIds);
  // Message id digits: 12 of them throughout, so string and numeric order agree.
  org.nextSeq = 660_000_000_000 + orgRng.int(0, 9_999_999);

  const units = makeUnits(root.fork(3), ids);
  makeUsers(org, spec, root.fork(4), ids, units, now, historyStart);
  makeBots(org, spec, root.fork(5));
  makeTeams(org, root.fork(6));

  const plans: Plan[] = [];
  const convRng = root.fork(7);
  makeChannels(org, spec, convRng, ids, historyStart, plans);
  const generalPlan = plans[0];
  makeDms(org, spec, convRng, ids, historyStart, plans);
  makeGroups(org, spec, convRng, ids, historyStart, plans);
  makeBotChats(org, spec, convRng, ids, historyStart, plans);

  // Chats whose last message falls in one and the same second, two pairs even in the same ms, so
  // the client's H1 time cursor has ties to dedupe.
  const clusterSecond = Math.floor((now - 2 * DAY) / 1000) * 1000;
  const clusterOffsets = [0, 0, 3, 250, 999, 999];
  const adminChats = plans.filter((p) => (p.conversation.kind === 'dm' || p.conversation.kind === 'group') && p.conversation.memberSet.has(org.adminIndex));
  for (const [k, plan] of adminChats.slice(1, 1 + clusterOffsets.length).entries()) plan.lastAt = clusterSecond + (clusterOffsets[k] ?? 0);

  // A few empty chats (never channel 0, never a cluster chat).
  const emptyRng = root.fork(8);
  const emptyCandidates = plans.filter((p) => p.lastAt === null && p.conversation.kind !== 'channel');
  for (const plan of emptyRng.sample(emptyCandidates, spec.emptyChats)) plan.empty = true;

  // Conversations are listed (M1/M2) in creation order.
  plans.sort((a, b) => a.conversation.creationTime - b.conversation.creationTime || a.conversation.chatId.localeCompare(b.conversation.chatId));
  for (const plan of plans) org.addConversation(plan.conversation);

  // Skewed sizes: a few huge channels, many small DMs (Pareto weights, capped).
  const threadWeightTotal = spec.threads * 0.6;
  const totalWeight = plans.reduce((sum, p) => sum + (p.empty ? 0 : p.weight), 0) + threadWeightTotal;
  const cap = spec.chatCap ?? Math.max(60, Math.floor(spec.messages * 0.05));
  const msgRng = root.fork(9);
  const counts = allocate(
    plans.map((p) => (p.empty ? 0 : p.weight)),
    spec.messages * (1 - threadWeightTotal / totalWeight),
    cap,
  );
  for (const [k, plan] of plans.entries()) {
    if (plan.empty) continue;
    const count = counts[k] ?? 1;
    const burst = scale !== 'tiny' && plan === generalPlan;
    fillConversation(org, plan.conversation, count, msgRng.fork(hash32(plan.conversation.creationTime)), now, plan.lastAt, burst);
  }

  makeThreads(org, spec, root.fork(10), ids, now, Math.max(2, Math.round((spec.messages * 0.6) / totalWeight)));

  for (const conversation of org.conversations) conversation.messages.compact();
  // Last, and from its own stream: everything above is drawn exactly as before the directory existed.
  org.directory = generateDirectory(org, units, seed, now);
  // Pins come from their own stream, after everything else: the org's content is unchanged by them.
  seedStickies(org, seed);
  return org;
}

/**
 * Splits `total` messages by weight with a per-chat cap: what capped chats cannot take is handed to
 * the others (water-filling), so the org still ends up near its nominal size. Every chat with a
 * weight gets at least one message.
 */
function allocate(weights: number[], total: number, cap: number): number[] {
  const counts = weights.map(() => 0);
  const capped = new Set<number>();
  let remaining = total;
  for (let round = 0; round < 8; round++) {
    const open = weights.map((w, k) => (w > 0 && !capped.has(k) ? w : 0));
    const weightSum = open.reduce((a, b) => a + b, 0);
    if (weightSum === 0 || remaining <= 0) break;
    let overflow = false;
    for (const [k, w] of open.entries()) {
      if (w === 0) continue;
      const want = (remaining * w) / weightSum;
      if (want >= cap) {
        counts[k] = cap;
        capped.add(k);
        overflow = true;
      }
    }
    if (!overflow) {
      for (const [k, w] of open.entries()) if (w > 0) counts[k] = Math.max(1, Math.round((remaining * w) / weightSum));
      break;
    }
    remaining = total - [...capped].reduce((sum, k) => sum + (counts[k] ?? 0), 0);
  }
  return counts.map((c, k) => ((weights[k] ?? 0) > 0 ? Math.max(1, c) : 0));
}

function makeUnits(rng: Rng, ids: IdFactory): { departments: OrgUnit[]; designations: OrgUnit[] } {
  return {
    departments: names.departments.map((name) => ({ id: ids.long(), name })),
    designations: names.designations.map((name) => ({ id: ids.long(), name: rng.chance(0.02) ? `${name} ` : name })),
  };
}

function makeUsers(org: Org, spec: ScaleSpec, rng: Rng, ids: IdFactory, units: { departments: OrgUnit[]; designations: OrgUnit[] }, now: number, historyStart: number): void {
  const emails = new Set<string>();
  for (let index = 0; index < spec.users; index++) {
    const special = index >= 2 ? names.specialUsers[index - 2] : undefined;
    const [first, firstAscii] = rng.pick(names.firstNames);
    const [last, lastAscii] = rng.pick(names.lastNames);
    const firstName = special?.first ?? first;
    const lastName = special?.last ?? last;
    const fullName = special?.full ?? `${first} ${last}`;
    let local = special?.emailLocal ?? `${firstAscii}.${lastAscii}`;
    let email = `${local}@${org.domain}`;
    for (let n = 2; emails.has(email); n++) {
      local = `${special?.emailLocal ?? `${firstAscii}.${lastAscii}`}${n}`;
      email = `${local}@${org.domain}`;
    }
    emails.add(email);
    const [timezone, timeoffset] = rng.pick(names.timezones);
    const recent = rng.chance(0.12);
    const user: User = {
      index,
      id: ids.long(),
      firstName,
      lastName,
      fullName,
      displayName: special?.display ?? (rng.chance(0.3) ? firstName : fullName),
      email,
      employeeId: rng.chance(0.9) ? `E-${String(rng.int(1, 9999)).padStart(4, '0')}` : '',
      mobile: rng.chance(0.8) ? `+1 555 ${rng.digits(4)}` : '',
      extension: rng.chance(0.7) ? rng.digits(4) : '',
      workLocation: rng.pick(names.workLocations),
      country: rng.pick(names.countries),
      language: rng.pick(names.languages),
      timezone,
      timeoffset,
      // The admin and the member credentials stay active; the last user is always inactive.
      status: index >= 2 && (index === spec.users - 1 || rng.chance(0.08)) ? 'inactive' : 'active',
      department: rng.pick(units.departments),
      designation: rng.pick(units.designations),
      reportingTo: index === 0 ? null : rng.int(0, index - 1),
      reportingToLong: rng.chance(0.3),
      customAttributes: rng.chance(0.4) ? { badge_no: rng.chance(0.5) ? '-' : `B-${rng.digits(4)}`, dateofjoining: '-' } : null,
      modifiedTime: recent ? now - rng.int(1, 6 * DAY) : historyStart + rng.int(0, Math.max(1, now - 8 * DAY - historyStart)),
      isAdmin: index === org.adminIndex,
      presence: {
        state: rng.pick(['available', 'busy', 'away', 'invisible']),
        activity: rng.pick(['web', 'mobile', 'desktop']),
        text: rng.pick(['', 'At lunch', 'Heads down', 'In a meeting, back at 3']),
      },
    };
    org.addUser(user);
  }
}

function makeBots(org: Org, spec: ScaleSpec, rng: Rng): void {
  const count = Math.min(names.botNames.length, Math.max(2, Math.ceil(spec.bots / 3) + 1));
  for (let index = 0; index < count; index++) {
    const name = names.botNames[index] ?? `Bot ${index}`;
    org.bots.push({ index, id: `b-19013180000${rng.digits(8)}`, name, imageUrl: `https://img.example.org/bots/${name.toLowerCase().replace(/\W+/g, '-')}.png` });
  }
}

function makeTeams(org: Org, rng: Rng): void {
  for (const name of names.teamNames) org.teams.push({ id: `4${rng.digits(7)}`, name });
}

export function newConversation(kind: ConversationKind, chatId: string, title: string, creator: number, creationTime: number, members: number[]): Conversation {
  return {
    chatId,
    kind,
    title,
    creator,
    creationTime,
    members,
    memberSet: new Set(members),
    messages: new MessageStore(),
    channel: null,
    thread: null,
    bot: null,
    removed: false,
    bumpTime: creationTime,
    changeSeq: 0,
    pinnedBy: new Set(),
  };
}

function createdAt(rng: Rng, historyStart: number, now: number): number {
  return historyStart + Math.floor(rng.float() * (now - historyStart) * 0.85);
}

/** Members of a conversation: the admin in or out as decided, then a random draw of others. */
export function drawMembers(org: Org, rng: Rng, size: number, admin: boolean, forced: number[] = []): number[] {
  const chosen = new Set<number>(forced);
  if (admin) chosen.add(org.adminIndex);
  const others = org.users.map((u) => u.index).filter((i) => i !== org.adminIndex);
  for (const index of rng.shuffled(others)) {
    if (chosen.size >= size) break;
    chosen.add(index);
  }
  if (!admin) chosen.delete(org.adminIndex);
  return [...chosen];
}

function pareto(rng: Rng): number {
  return Math.min(400, Math.pow(1 - rng.float(), -0.8));
}

function makeChannels(org: Org, spec: ScaleSpec, rng: Rng, ids: IdFactory, historyStart: number, plans: Plan[]): void {
  const now = historyStart + spec.spanDays * DAY;
  const usedUnique = new Set<string>();
  // Fixed first channels so every scale has: an org-wide channel everyone is in, a private one the
  // admin is not in, then pending, archived-external and archived-private.
  const forced: readonly (readonly [ChannelLevel, ChannelStatus, boolean])[] = [
    ['organization', 'created', true],
    ['private', spec.channels <= 2 ? 'archived' : 'created', false],
    ['team', 'pending', true],
    ['external', 'archived', true],
    ['private', 'archived', true],
  ];
  for (let c = 0; c < spec.channels; c++) {
    const fixed = forced[c];
    const level: ChannelLevel = fixed?.[0] ?? rng.pick(['organization', 'organization', 'organization', 'team', 'team', 'team', 'private', 'private', 'external'] as const);
    const status: ChannelStatus = fixed?.[1] ?? (rng.chance(0.08) ? 'archived' : rng.chance(0.04) ? 'pending' : 'created');
    const adminIn = fixed?.[2] ?? rng.chance(level === 'private' ? 0.6 : level === 'organization' ? 0.85 : 0.75);
    const hostileName = c % 2 === 1 ? names.hostileChannelNames[(c - 1) / 2] : undefined;
    let bare = c === 0 ? 'general' : (hostileName ?? names.channelTopics[c % names.channelTopics.length] ?? `channel-${c}`);
    if (c >= names.channelTopics.length && !hostileName) bare = `${bare}-${Math.floor(c / names.channelTopics.length)}`;
    const description = c === 0 ? 'Announcements only, please' : (names.hostileDescriptions[c - 1] ?? rng.pick(names.channelDescriptions));
    const size =
      c === 0
        ? org.users.length
        : Math.max(2, Math.min(org.users.length, level === 'organization' ? Math.round(org.users.length * (0.2 + rng.float() * 0.6)) : level === 'team' ? rng.int(4, 40) : rng.int(3, 14)));
    const members = c === 0 ? org.users.map((u) => u.index) : drawMembers(org, rng, size, adminIn);
    const creator = members[0] ?? 0;
    const numericId = ids.long();
    let unique = bare.toLowerCase().replace(/[^a-z0-9]/g, '') || `channel${c}`;
    if (unique.length > 40) unique = unique.slice(0, 40);
    while (usedUnique.has(unique)) unique += String(rng.int(0, 9));
    usedUnique.add(unique);
    const conversation = newConversation('channel', `CT_${ids.long()}_${org.id}`, bare, creator, c === 0 ? historyStart : createdAt(rng, historyStart, now), members);
    const roles = new Map<number, ChannelRole>();
    for (const member of members) roles.set(member, member === creator ? 'super_admin' : rng.chance(0.08) ? 'admin' : rng.chance(0.1) ? 'moderator' : 'member');
    const teams: Record<string, string> = {};
    if (level === 'team') for (const team of rng.sample(org.teams, rng.int(1, 2))) teams[team.id] = team.name;
    conversation.channel = {
      numericId,
      restId: `${level === 'team' ? 'T' : 'O'}${numericId}`,
      name: `#${bare}`,
      uniqueName: unique,
      description,
      level,
      status,
      inviteOnly: (level === 'organization' || level === 'team') && rng.chance(0.2),
      teams,
      roles,
      pinnedBy: new Set(adminIn && rng.chance(0.3) ? [org.adminIndex] : []),
      threadIds: [],
    };
    plans.push({ conversation, weight: (c === 0 ? 8 : 3) * pareto(rng), empty: false, lastAt: null });
  }
}

function makeDms(org: Org, spec: ScaleSpec, rng: Rng, ids: IdFactory, historyStart: number, plans: Plan[]): void {
  const now = historyStart + spec.spanDays * DAY;
  const pairs = new Set<string>();
  const n = org.users.length;
  for (let d = 0; d < spec.dms; d++) {
    const withAdmin = d === 0 ? true : d === 1 ? false : rng.chance(spec.adminShare);
    let a = 0;
    let b = 0;
    for (let attempt = 0; attempt < 50; attempt++) {
      if (d === 0) [a, b] = [org.adminIndex, org.memberIndex];
      else if (withAdmin) [a, b] = [org.adminIndex, rng.int(1, n - 1)];
      else [a, b] = [rng.int(1, n - 1), rng.int(1, n - 1)];
      if (a !== b && !pairs.has(`${Math.min(a, b)}:${Math.max(a, b)}`)) break;
    }
    const key = `${Math.min(a, b)}:${Math.max(a, b)}`;
    if (a === b || pairs.has(key)) continue; // small orgs run out of distinct pairs
    pairs.add(key);
    const ua = org.users[a];
    const ub = org.users[b];
    const title = `${ua?.displayName ?? ''} & ${ub?.displayName ?? ''}`;
    const conversation = newConversation('dm', ids.long(), title, a, createdAt(rng, historyStart, now), [a, b]);
    if (rng.chance(0.1)) conversation.pinnedBy.add(a);
    plans.push({ conversation, weight: pareto(rng), empty: false, lastAt: null });
  }
}

function makeGroups(org: Org, spec: ScaleSpec, rng: Rng, ids: IdFactory, historyStart: number, plans: Plan[]): void {
  const now = historyStart + spec.spanDays * DAY;
  for (let g = 0; g < spec.groups; g++) {
    const withAdmin = g === 0 ? true : g === 1 ? false : rng.chance(spec.adminShare);
    const size = Math.min(org.users.length - (withAdmin ? 0 : 1), rng.chance(0.1) ? rng.int(12, 50) : rng.int(3, 8));
    const members = drawMembers(org, rng, Math.max(3, size), withAdmin, g === 0 ? [org.memberIndex] : []);
    const hostile = g < 2 ? names.hostileGroupTitles[g] : g % 2 === 0 ? names.hostileGroupTitles[g / 2 + 1] : undefined;
    const topic = names.groupTopics[g % names.groupTopics.length] ?? 'Group';
    const title = hostile ?? (g >= names.groupTopics.length ? `${topic} ${Math.floor(g / names.groupTopics.length) + 1}` : topic);
    const conversation = newConversation('group', ids.long(), title, members[0] ?? 0, createdAt(rng, historyStart, now), members);
    plans.push({ conversation, weight: 1.5 * pareto(rng), empty: false, lastAt: null });
  }
}

function makeBotChats(org: Org, spec: ScaleSpec, rng: Rng, ids: IdFactory, historyStart: number, plans: Plan[]): void {
  const now = historyStart + spec.spanDays * DAY;
  const seen = new Set<string>();
  for (let b = 0; b < spec.bots; b++) {
    const user = b === 0 ? org.adminIndex : rng.int(0, org.users.length - 1);
    const bot = b < org.bots.length ? b : rng.int(0, org.bots.length - 1);
    if (seen.has(`${user}:${bot}`)) continue;
    seen.add(`${user}:${bot}`);
    const suffix = rng.chance(0.1) ? 'B2' : 'B1';
    const conversation = newConversation('bot', `CT_${ids.long()}_${org.id}-${suffix}`, org.bots[bot]?.name ?? 'Bot', user, createdAt(rng, historyStart, now), [user]);
    conversation.bot = bot;
    plans.push({ conversation, weight: 0.7 * pareto(rng), empty: false, lastAt: null });
  }
}

/** Sorted message times in (start, end], ending exactly at `end`, with some exact-ms ties. */
function messageTimes(rng: Rng, count: number, start: number, end: number): Float64Array {
  const times = new Float64Array(count);
  let cumulative = 0;
  for (let k = 0; k < count; k++) {
    cumulative += rng.chance(0.03) ? 0 : -Math.log(1 - rng.float()) + 1e-9;
    times[k] = cumulative;
  }
  const span = Math.max(count, end - start);
  const total = cumulative || 1;
  for (let k = 0; k < count; k++) times[k] = Math.min(end, Math.floor(end - span + (span * (times[k] as number)) / total));
  // Floating point must not move the last message off `end` (chat clusters depend on it).
  if (count > 0) times[count - 1] = end;
  return times;
}

function pickKind(rng: Rng, kind: ConversationKind, botSender: boolean): MessageKindCode {
  const roll = rng.float();
  if (botSender) return roll < 0.3 ? MessageKind.Card : MessageKind.Text;
  const call = kind === 'dm' || kind === 'group' ? 0.04 : kind === 'channel' ? 0.005 : 0;
  if (roll < call) return MessageKind.CallNotification;
  if (roll < call + 0.02) return MessageKind.FileImage;
  if (roll < call + 0.035) return MessageKind.FileImageStringThumb;
  if (roll < call + 0.06) return MessageKind.FileDocument;
  if (roll < call + 0.065) return MessageKind.Card;
  return MessageKind.Text;
}

/** Appends one generated message; shared by generation and mutations so both look alike. */
export function appendMessage(org: Org, conversation: Conversation, rng: Rng, time: number, sender: number, kind: MessageKindCode): number {
  org.nextSeq += rng.int(1, 97);
  const flags = kind === MessageKind.CallNotification || rng.chance(0.03) ? MessageFlag.EmptyAckKey : 0;
  const revision = kind === MessageKind.Text && rng.chance(0.02) ? rng.int(1, 3) : 0;
  const idMs = rng.chance(0.005) ? time - rng.int(1, 999) : time;
  return conversation.messages.push(time, idMs, org.nextSeq, sender, kind, rng.next(), revision, flags);
}

export function pickSender(org: Org, conversation: Conversation, rng: Rng): number {
  if (conversation.kind === 'bot') {
    if (rng.chance(0.6)) return -((conversation.bot ?? 0) + 1);
    return conversation.members[0] ?? 0;
  }
  if (conversation.kind === 'channel' && org.bots.length > 0 && rng.chance(0.01)) return -(rng.int(0, org.bots.length - 1) + 1);
  const members = org.membersOf(conversation);
  if (members.length === 0) return 0;
  // A few talkative members: squaring the draw skews towards the front of the member list.
  const u = rng.float();
  return members[Math.floor(u * u * members.length)] ?? 0;
}

function fillConversation(org: Org, conversation: Conversation, count: number, rng: Rng, now: number, lastAt: number | null, burst: boolean): void {
  const start = conversation.creationTime + 60_000;
  const dormant = rng.chance(0.3);
  let end = lastAt ?? now - Math.floor(rng.float() * (dormant ? (now - start) * 0.5 : 2 * DAY));
  if (end <= start + count) end = Math.min(now, start + count + 1000);
  const total = burst ? count + BURST_SIZE : count;
  const times = messageTimes(rng, total, start, end);
  const burstAt = burst ? Math.floor(count / 2) : -1;
  if (burst) for (let k = burstAt; k < burstAt + BURST_SIZE; k++) times[k] = times[burstAt] as number;
  const importBot = org.bots.findIndex((b) => b.name === 'Import Bot');
  conversation.messages = new MessageStore(total);
  for (let k = 0; k < total; k++) {
    const inBurst = burst && k >= burstAt && k < burstAt + BURST_SIZE;
    const sender = inBurst ? -((importBot >= 0 ? importBot : 0) + 1) : pickSender(org, conversation, rng);
    const kind = inBurst ? MessageKind.Text : pickKind(rng, conversation.kind, sender < 0);
    appendMessage(org, conversation, rng, times[k] as number, sender, kind);
  }
}

function makeThreads(org: Org, spec: ScaleSpec, rng: Rng, ids: IdFactory, now: number, repliesPerThread: number): void {
  const channels = org.conversations.filter((c) => c.kind === 'channel' && c.messages.length >= 3);
  if (channels.length === 0) return;
  const general = channels.find((c) => c.members.length === org.users.length) ?? channels[0];
  const created: Conversation[] = [];
  for (let t = 0; t < spec.threads; t++) {
    const parent = t === 0 && general ? general : rng.pick(channels);
    const store = parent.messages;
    const channel = parent.channel;
    if (!channel) continue;
    // The head: a text message by a user, not the import burst, not already heading a thread.
    let head = -1;
    for (let attempt = 0; attempt < 40 && head < 0; attempt++) {
      const i = rng.int(0, store.length - 1);
      const headId = store.idAt(i);
      if ((store.sender[i] as number) >= 0 && store.kind[i] === MessageKind.Text && !created.some((c) => c.thread?.headId === headId)) head = i;
    }
    if (head < 0) continue;
    const headTime = store.time[head] as number;
    const headSender = store.sender[head] as number;
    const title = t === 1 ? (names.hostileGroupTitles[0] ?? 'Thread') : (names.threadTopics[t % names.threadTopics.length] ?? 'Thread');
    const conversation = newConversation('thread', `${parent.chatId}-T-${ids.long()}`, title, headSender, headTime, []);
    conversation.memberSet = new Set();
    const followers = new Set<number>([headSender, ...rng.sample(parent.members, rng.int(0, Math.min(6, parent.members.length)))]);
    conversation.thread = {
      parentChatId: parent.chatId,
      headId: store.idAt(head),
      headSender,
      title,
      state: rng.chance(0.7) ? 'open' : 'closed',
      followers,
    };
    const count = Math.max(1, Math.round(repliesPerThread * (0.3 + rng.float() * 1.7)));
    const end = Math.min(now, headTime + 60_000 + Math.floor(rng.float() * 20 * DAY) + count);
    const times = messageTimes(rng, count, headTime + 1000, Math.max(end, headTime + 2000 + count));
    conversation.messages = new MessageStore(count);
    for (let k = 0; k < count; k++) {
      const sender = pickSender(org, conversation, rng);
      appendMessage(org, conversation, rng, Math.min(now, times[k] as number), sender, pickKind(rng, 'thread', sender < 0));
    }
    channel.threadIds.push(conversation.chatId);
    created.push(conversation);
    org.addConversation(conversation);
  }
}
