import type { Directory } from './directory';
import type { SimReaction, SimSticky } from './extras';
import { defaultFileSizes, type FileSizes } from './fileSizes';
import type { OrgMedia } from './media';

/**
 * The simulated organisation, held in memory. Users, chats and channels are plain objects; messages
 * are columns of typed arrays (see MessageStore), because a large org has a million of them and
 * only their seeds are stored: the text is rendered from the seed whenever a message is served.
 */

export type UserStatus = 'active' | 'inactive';

export interface NamedRef {
  id: string;
  name: string;
}

export interface User {
  index: number;
  id: string;
  firstName: string;
  lastName: string;
  /** `name` / `full_name` in API answers. */
  fullName: string;
  displayName: string;
  email: string;
  employeeId: string;
  mobile: string;
  extension: string;
  workLocation: string;
  /** ISO alpha-2 for some users and a country name for others, as the seeds disagree (docs/cliq-api.md §7.1). */
  country: string;
  language: string;
  timezone: string;
  timeoffset: number;
  status: UserStatus;
  department: NamedRef;
  designation: NamedRef;
  reportingTo: number | null;
  /** Whether `reportingto` carries the long form (with the literal "null" organization_id quirk). */
  reportingToLong: boolean;
  customAttributes: Record<string, string> | null;
  /** Last change to one of the six attributes U1's modified_after tracks. */
  modifiedTime: number;
  isAdmin: boolean;
  presence: { state: string; activity: string; text: string };
}

export interface Bot {
  index: number;
  /** `b-<digits>`, as bot senders appear in last_message_info. */
  id: string;
  name: string;
  imageUrl: string;
}

export type ConversationKind = 'dm' | 'group' | 'bot' | 'channel' | 'thread';
export type ChannelLevel = 'organization' | 'team' | 'private' | 'external';
export type ChannelStatus = 'created' | 'archived' | 'pending';
export type ChannelRole = 'super_admin' | 'admin' | 'moderator' | 'member';
export type ThreadState = 'open' | 'closed';

export interface ChannelInfo {
  /** Digits only: what the Maintenance export shows. */
  numericId: string;
  /** `O…` or `T…`: what REST shows. */
  restId: string;
  /** With the leading `#`. */
  name: string;
  uniqueName: string;
  description: string;
  level: ChannelLevel;
  status: ChannelStatus;
  inviteOnly: boolean;
  teams: Record<string, string>;
  roles: Map<number, ChannelRole>;
  /** Users who pinned the channel (C1 `pinned` is per caller). */
  pinnedBy: Set<number>;
  threadIds: string[];
}

export interface ThreadInfo {
  parentChatId: string;
  /** Underscore form of the parent message id. */
  headId: string;
  headSender: number;
  title: string;
  state: ThreadState;
  followers: Set<number>;
}

export interface Conversation {
  chatId: string;
  kind: ConversationKind;
  /** M1 title; for channels the name without `#`; for threads the thread title. */
  title: string;
  creator: number;
  creationTime: number;
  /** User indices in join order. Threads share their channel's members (this list stays empty). */
  members: number[];
  memberSet: Set<number>;
  messages: MessageStore;
  channel: ChannelInfo | null;
  thread: ThreadInfo | null;
  /** The bot of a bot chat. */
  bot: number | null;
  removed: boolean;
  /**
   * Floor for last_modified_time. A simulator choice: edits, deletions and clears bump a chat's
   * last_modified_time to the clock's now, although no message carries that time, so a client that
   * syncs on last_modified_time notices them.
   */
  bumpTime: number;
  /** Org change sequence at the last change; C1/TH1 sync tokens compare against it. */
  changeSeq: number;
  /** Users who pinned the chat (H1 `pinned`). */
  pinnedBy: Set<number>;
}

/** Message kinds; each renders to one documented (or deliberately undocumented) content shape. */
export const MessageKind = {
  Text: 0,
  FileImage: 1,
  /** File whose thumbnail width/height are strings, as in [004]. */
  FileImageStringThumb: 2,
  FileDocument: 3,
  CallNotification: 4,
  /** An undocumented `type`, to prove the client stores unknown shapes raw. */
  Card: 5,
  MemberJoined: 6,
  MemberLeft: 7,
  /** Added by someone else (the sender); the subject is the message's seed, like the two above. */
  MemberAdded: 8,
  MemberRemoved: 9,
} as const;
export type MessageKindCode = (typeof MessageKind)[keyof typeof MessageKind];

/** Flag bits of a message. */
export const MessageFlag = {
  EmptyAckKey: 1,
} as const;

/**
 * Messages of one conversation in ascending (time, seq) order, as parallel typed arrays:
 * ~36 bytes per message instead of a few hundred for objects with strings.
 */
export class MessageStore {
  length = 0;
  time: Float64Array;
  /** The epoch-ms prefix of the id; equals `time` except for a few messages (§4.3: do not derive time from the id). */
  idMs: Float64Array;
  /** The digits after the separator, unique per org, increasing within a chat. */
  seq: Float64Array;
  /** User index, or -(bot index + 1) for bot senders. */
  sender: Int32Array;
  kind: Uint8Array;
  seed: Uint32Array;
  revision: Uint16Array;
  flags: Uint8Array;

  constructor(capacity = 8) {
    const size = Math.max(1, capacity);
    this.time = new Float64Array(size);
    this.idMs = new Float64Array(size);
    this.seq = new Float64Array(size);
    this.sender = new Int32Array(size);
    this.kind = new Uint8Array(size);
    this.seed = new Uint32Array(size);
    this.revision = new Uint16Array(size);
    this.flags = new Uint8Array(size);
  }

  private grow(min: number): void {
    let size = this.time.length;
    while (size < min) size *= 2;
    if (size === this.time.length) return;
    const copy = <T extends Float64Array | Int32Array | Uint8Array | Uint32Array | Uint16Array>(from: T, make: (n: number) => T): T => {
      const to = make(size);
      to.set(from.subarray(0, this.length));
      return to;
    };
    this.time = copy(this.time, (n) => new Float64Array(n));
    this.idMs = copy(this.idMs, (n) => new Float64Array(n));
    this.seq = copy(this.seq, (n) => new Float64Array(n));
    this.sender = copy(this.sender, (n) => new Int32Array(n));
    this.kind = copy(this.kind, (n) => new Uint8Array(n));
    this.seed = copy(this.seed, (n) => new Uint32Array(n));
    this.revision = copy(this.revision, (n) => new Uint16Array(n));
    this.flags = copy(this.flags, (n) => new Uint8Array(n));
  }

  /** Appends; callers keep (time, seq) ascending. */
  push(time: number, idMs: number, seq: number, sender: number, kind: MessageKindCode, seed: number, revision: number, flags: number): number {
    if (this.length >= this.time.length) this.grow(this.length + 1);
    const i = this.length++;
    this.time[i] = time;
    this.idMs[i] = idMs;
    this.seq[i] = seq;
    this.sender[i] = sender;
    this.kind[i] = kind;
    this.seed[i] = seed >>> 0;
    this.revision[i] = revision;
    this.flags[i] = flags;
    return i;
  }

  removeAt(index: number): void {
    if (index < 0 || index >= this.length) return;
    for (const column of [this.time, this.idMs, this.seq, this.sender, this.kind, this.seed, this.revision, this.flags]) {
      column.copyWithin(index, index + 1, this.length);
    }
    this.length--;
  }

  clear(): void {
    this.length = 0;
  }

  /** Shrinks the columns to their length once generation is over (saves the doubling slack). */
  compact(): void {
    if (this.time.length === this.length) return;
    const n = Math.max(1, this.length);
    this.time = this.time.slice(0, n);
    this.idMs = this.idMs.slice(0, n);
    this.seq = this.seq.slice(0, n);
    this.sender = this.sender.slice(0, n);
    this.kind = this.kind.slice(0, n);
    this.seed = this.seed.slice(0, n);
    this.revision = this.revision.slice(0, n);
    this.flags = this.flags.slice(0, n);
  }

  /** First index whose time is >= t. */
  lowerBound(t: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.time[mid] as number) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First index whose time is > t. */
  upperBound(t: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.time[mid] as number) <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  lastTime(): number | null {
    return this.length === 0 ? null : (this.time[this.length - 1] as number);
  }

  /** The underscore id of message i. */
  idAt(i: number): string {
    return `${this.idMs[i] as number}_${this.seq[i] as number}`;
  }

  /**
   * Finds a message by id. Accepts `<ms>_<n>`, `<ms> <n>` (a decoded %20) and the literal
   * `<ms>%20<n>` (a double-encoded path), because the seeds use both spellings (§4.3).
   */
  indexOfId(id: string): number {
    const match = /^(\d{1,16})(?:_| |%20)(\d{1,16})$/.exec(id);
    if (!match) return -1;
    const ms = Number(match[1]);
    const seq = Number(match[2]);
    // The id's ms prefix is at most a second before the message's time.
    const from = this.lowerBound(ms);
    const to = this.upperBound(ms + 1000);
    for (let i = from; i < to; i++) if (this.seq[i] === seq && this.idMs[i] === ms) return i;
    return -1;
  }
}

/** A department, designation or team, as referenced from users and channels. */
export interface OrgUnit {
  id: string;
  name: string;
}

export class Org {
  readonly users: User[] = [];
  readonly usersById = new Map<string, User>();
  readonly bots: Bot[] = [];
  /** Every conversation ever created, in creation order (removed ones stay, flagged). */
  readonly conversations: Conversation[] = [];
  readonly byChatId = new Map<string, Conversation>();
  readonly channelsByRestId = new Map<string, Conversation>();
  /** REST ids of every channel, for `{#channel}` mention tokens. */
  readonly channelRestIds: string[] = [];
  readonly teams: OrgUnit[] = [];
  /** Departments, designations, roles and teams with their members (org/directory.ts). */
  directory: Directory | null = null;
  /** Org-wide change counter for sync tokens. */
  changeSeq = 0;
  /** Next message seq to hand out (mutations continue where generation stopped). */
  nextSeq = 0;
  /** Used ids, so that generated and mutated ids never collide. */
  readonly usedIds = new Set<string>();
  /** Seed of file bytes and sizes (org/files.ts): the simulator's seed. */
  fileSeed = 0;
  /** How file sizes are drawn; messages declare these sizes, so it is fixed once generated. */
  fileSizes: FileSizes = defaultFileSizes;
  /** Calls and scheduled messages (org/media.ts); filled after the rest, from their own stream. */
  readonly media: OrgMedia = { calls: [], scheduled: [], outcomes: [], seq: 0, nextNumericId: 4_000_000_131_002 };
  /** Reactions a mutation set, by `<chatId> <messageId>`; other messages derive theirs (org/extras.ts). */
  readonly reactionOverrides = new Map<string, SimReaction[]>();
  /** The pinned (sticky) message of each conversation that has one, by chat id. */
  readonly stickies = new Map<string, SimSticky>();

  constructor(
    readonly id: string,
    readonly zoid: string,
    readonly name: string,
    readonly domain: string,
    /** User index of the org admin (the `admin` credentials). */
    public adminIndex = 0,
    /** User index of the non-admin user of the `member` credentials. */
    public memberIndex = 1,
  ) {}

  addUser(user: User): void {
    this.users.push(user);
    this.usersById.set(user.id, user);
  }

  addConversation(conversation: Conversation): void {
    this.conversations.push(conversation);
    this.byChatId.set(conversation.chatId, conversation);
    if (conversation.channel) {
      this.channelsByRestId.set(conversation.channel.restId, conversation);
      this.channelRestIds.push(conversation.channel.restId);
    }
  }

  /** A live (not removed) conversation by chat id. */
  live(chatId: string): Conversation | undefined {
    const conversation = this.byChatId.get(chatId);
    return conversation && !conversation.removed ? conversation : undefined;
  }

  /** The channel a thread belongs to, or the conversation itself. */
  home(conversation: Conversation): Conversation {
    if (conversation.thread) return this.byChatId.get(conversation.thread.parentChatId) ?? conversation;
    return conversation;
  }

  /** Members as M3 exports them: a thread has its channel's members. */
  membersOf(conversation: Conversation): number[] {
    return this.home(conversation).members;
  }

  isMember(conversation: Conversation, userIndex: number): boolean {
    return this.home(conversation).memberSet.has(userIndex);
  }

  /** Threads of a channel that still exist. */
  threadsOf(channel: Conversation): Conversation[] {
    const out: Conversation[] = [];
    for (const id of channel.channel?.threadIds ?? []) {
      const thread = this.live(id);
      if (thread) out.push(thread);
    }
    return out;
  }

  markChanged(conversation: Conversation): void {
    this.changeSeq++;
    conversation.changeSeq = this.changeSeq;
    if (conversation.thread) {
      const parent = this.byChatId.get(conversation.thread.parentChatId);
      if (parent) parent.changeSeq = this.changeSeq;
    }
  }

  /** `{name, id}` in the seeds' key order. */
  senderRef(sender: number): { name: string; id: string } {
    if (sender < 0) {
      const bot = this.bots[-sender - 1];
      return bot ? { name: bot.name, id: bot.id } : { name: 'Bot', id: 'b-0' };
    }
    const user = this.users[sender];
    return user ? { name: user.fullName, id: user.id } : { name: 'Unknown', id: '0' };
  }
}
