import { hash32, Rng } from '../random';
import { declaredFileSize } from './files';
import { MessageFlag, MessageKind, type Conversation, type MessageStore, type Org } from './model';

/**
 * Renders stored messages into the API's message objects. Only a seed is stored per message; the
 * text, file names and card JSON are derived from it here, so every rendering of the same message is
 * byte-identical (which the ground truth relies on) without keeping a million strings in memory.
 *
 * Shapes follow docs/cliq-api.md §6.5 and §8 with invented values, key order as in the seeds' examples.
 */

export interface SenderObject {
  name: string;
  id: string;
}

/** A message as M4 answers it (and as ground truth records it). */
export interface MessageObject {
  sender: SenderObject;
  ack_key: string;
  id: string;
  time: number;
  type: string;
  content: Record<string, unknown>;
  revision?: number;
}

const sentences = [
  'Can we move the review to 3pm?',
  'Works for me.',
  'Uploading the signed copy',
  'Filed.',
  'ok, shipping it',
  'Sent to counsel',
  'Do we have the signed NDA?',
  'Received, thanks',
  'Noted',
  'Retention policy v3 is in effect',
  'Who owns the vendor renewal?',
  'The build is live',
  'Kindly review the API changes',
  'Lunch at 12:30?',
  'I will be out tomorrow',
  'Please check the numbers before Friday',
  'Merged, deploying now',
  'Ping me when ready',
  'That ticket is a duplicate',
  'Minutes from today are in the drive',
  'Looping in legal',
  'Let us take this offline',
  'Can someone restart the job?',
  'Customer has reported that the web client is lagging',
  'Approved.',
  'What time is the review meeting today?',
  'Thanks! My presentation will focus on feature updates for Q1',
];

const foreign = [
  'مرحبا بالجميع، الاجتماع في الساعة الثالثة',
  'שלום לכולם, הפגישה בשלוש',
  '会議は3時からです',
  '회의는 3시에 시작합니다',
  'Привет всем, встреча в три',
  'Grüße aus München — Straße gesperrt',
  'Ça marche, à demain !',
  'नमस्ते, रिपोर्ट तैयार है',
];

const emojiCodes = [':wink:', ':smile:', ':thumbsup:', ':relaxed:', ':party:', ':fire:'];
const unicodeEmoji = ['🎉', '👍🏽', '👩‍💻', '🇮🇳', '✅', '😂', '🙏'];
const hostileTexts = [
  "=cmd|' /C calc'!A0",
  '../../etc/passwd',
  '"quoted, with commas", and more',
  'first line\r\nsecond line',
  '+1 from me',
  '-- not a SQL comment',
  '@here is not a Cliq mention',
  '<b>not html</b>',
  'tab\there',
  'back\\slash',
];
const words = ['contract', 'release', 'invoice', 'audit', 'roadmap', 'backlog', 'hotfix', 'budget', 'policy', 'deck'];

/** The text of a text message (or a card's fallback text). Edits change `revision`, and so the text. */
export function messageText(org: Org, seed: number, revision: number): string {
  const rng = new Rng(hash32(seed, revision, 0x7e47));
  let text = rng.pick(sentences);
  const roll = rng.float();
  if (roll < 0.1) text = `*${rng.pick(words)}* ${text}`;
  else if (roll < 0.16) text = `${text} [the doc](https://docs.example.org/d/${rng.hex(8)})`;
  else if (roll < 0.22) text = `${text} ${rng.pick(emojiCodes)}`;
  else if (roll < 0.28) text = `${rng.pick(unicodeEmoji)} ${text}`;
  else if (roll < 0.34) text = `${text}\n${rng.pick(sentences)}`;
  else if (roll < 0.4 && org.users.length > 0) text = `{@${rng.pick(org.users).id}} ${text}`;
  else if (roll < 0.45 && org.users.length > 0) {
    const user = rng.pick(org.users);
    text = `[${user.fullName}](zohoid:${user.id}) ${text}`;
  } else if (roll < 0.48 && org.channelRestIds.length > 0) text = `See {#${rng.pick(org.channelRestIds)}}: ${text}`;
  else if (roll < 0.5) text = `{@participants} ${text}`;
  else if (roll < 0.51) text = `{@available} ${text}`;
  else if (roll < 0.56) text = rng.pick(foreign);
  else if (roll < 0.59) text = rng.pick(hostileTexts);
  else if (roll < 0.595) text = `${text} ${'lorem ipsum '.repeat(rng.int(100, 400))}`.trimEnd();
  else if (roll < 0.6) text = `\`${rng.pick(words)}()\` returns\n\`\`\`\n${rng.pick(words)} = 42\n\`\`\``;
  if (revision > 0) text = `${text} (edit ${revision})`;
  return text;
}

const imageNames = ['Feature-overview.jpg', 'whiteboard.png', 'screenshot 2026-03-02.png', 'floor plan (v2).jpeg', 'IMG_0042.HEIC'];
const documentNames = ['scan-0042.pdf', 'nda-signed.pdf', 'Q3 budget, final.xlsx', 'notes.txt', 'contract "v7".docx', 'archive.zip', 'రిపోర్ట్.pdf'];
const documentTypes = ['application/pdf', 'file', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/plain', 'file', 'application/zip', 'application/pdf'];
const blurData = '/9j/4AAQSkZJRgABAgAAAQABAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2w';

function fileId(rng: Rng): string {
  return rng.hex(128);
}

/**
 * Names that must not break a Content-Disposition header or a client's file system: traversal,
 * separators, quotes and a parameter injection, CR/LF, an RTL override (shows as "invoiceexe.pdf"),
 * percent signs and a name far past 255 bytes.
 */
const hostileFileNames: readonly [string, string][] = [
  ['../../etc/passwd', 'file'],
  ['reports/2026/q1 summary.pdf', 'application/pdf'],
  ['C:\\Users\\Public\\evil.txt', 'text/plain'],
  ['invoice\u202Efdp.exe', 'file'],
  ['"quoted"; filename=evil.txt', 'text/plain'],
  ['line\r\nbreak.txt', 'text/plain'],
  ['100% done %41%42.pdf', 'application/pdf'],
  [`${'minutes of the quarterly compliance review '.repeat(7)}final.pdf`, 'application/pdf'],
  ['naïve façade — résumé 履歴書.pdf', 'application/pdf'],
];

/** The declared file (name, type, size) of a file message; F1 serves exactly these bytes (org/files.ts). */
function fileContent(org: Org, kind: number, seed: number): Record<string, unknown> {
  const rng = new Rng(hash32(seed, 0xf11e));
  const comment = rng.chance(0.5) ? '' : messageText(org, seed ^ 0x5bd1e995, 0);
  // Drawn after everything else, so adding hostile names left every other value as it was.
  const hostile = new Rng(hash32(seed, 0xf11e, 2));
  const renamed = hostile.chance(0.12) ? hostile.pick(hostileFileNames) : null;
  if (kind === MessageKind.FileDocument) {
    const which = rng.int(0, documentNames.length - 1);
    rng.next(); // once the declared size; kept so the id below stays what it was
    const id = fileId(rng);
    const [name, type] = renamed ?? [documentNames[which] as string, documentTypes[which] as string];
    const file = { name, type, dimensions: { size: declaredFileSize(org.fileSeed, id, org.fileSizes) }, id };
    return { file, comment };
  }
  const width = rng.int(200, 4000);
  const height = rng.int(200, 4000);
  const thumbWidth = 400;
  const thumbHeight = Math.max(1, Math.round((400 * height) / width));
  // [002] has numeric thumbnail sizes and file.type "file"; [004] has string sizes and a MIME type.
  const stringThumb = kind === MessageKind.FileImageStringThumb;
  const thumbnail = stringThumb ? { height: String(thumbHeight), width: String(thumbWidth), blur_data: blurData } : { height: thumbHeight, width: thumbWidth, blur_data: blurData };
  const name = rng.pick(imageNames);
  const type = stringThumb ? 'image/jpeg' : rng.pick(['file', 'image/png', 'image/jpeg']);
  rng.next(); // once the declared size; kept so the id below stays what it was
  const id = fileId(rng);
  const file = { name, type, dimensions: { height, width, size: declaredFileSize(org.fileSeed, id, org.fileSizes) }, id };
  return { thumbnail, file, comment };
}

/** content.file of message i, or null when it is not a file message. */
export function declaredFile(org: Org, conversation: Conversation, store: MessageStore, i: number): { id: string; name: string; type: string; size: number } | null {
  const content = messageContent(org, conversation, store, i);
  const file = content.file as { id?: unknown; name?: unknown; type?: unknown; dimensions?: { size?: unknown } } | undefined;
  if (!file || typeof file.id !== 'string' || typeof file.name !== 'string' || typeof file.type !== 'string' || typeof file.dimensions?.size !== 'number') return null;
  return { id: file.id, name: file.name, type: file.type, size: file.dimensions.size };
}

function callContent(org: Org, conversation: Conversation, seed: number, sender: number): Record<string, unknown> {
  const rng = new Rng(hash32(seed, 0xca11));
  // Content is generated on demand, so it must not depend on anything that changes later: a pick
  // among the chat's *current* members would rewrite past call notices whenever someone joins or
  // leaves. The creator never leaves (see mutate.ts), and users never go away.
  const pick = rng.next() % Math.max(1, org.users.length);
  const calleeIndex = sender !== conversation.creator ? conversation.creator : pick === sender ? (pick + 1) % org.users.length : pick;
  const callee = org.users[calleeIndex];
  const status = rng.pick(['completed', 'completed', 'completed', 'missed', 'declined']);
  const seconds = status === 'completed' ? rng.int(5, 5400) : 0;
  const duration = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60].map((n) => String(n).padStart(2, '0')).join(':');
  // Key order as in the seed: data before type, and inside data status, callee, duration, call_type.
  return {
    data: { status, callee: { name: callee?.displayName ?? 'Unknown', id: callee?.id ?? '0' }, duration, call_type: rng.pick(['audio', 'audio', 'video']) },
    type: 'call_notification',
  };
}

function cardContent(org: Org, seed: number): Record<string, unknown> {
  const rng = new Rng(hash32(seed, 0xca4d));
  const text = messageText(org, seed, 0);
  const theme = rng.pick(['modern-inline', 'poll', 'prompt']);
  return {
    text,
    card: { title: rng.pick(['Daily standup', 'Deployment report', 'Poll: offsite venue', 'Build #' + String(rng.int(100, 9999))]), theme },
    slides: [
      {
        type: 'table',
        title: 'Status',
        data: { headers: ['Item', 'Owner', 'State'], rows: [{ Item: rng.pick(words), Owner: rng.pick(org.users).displayName, State: 'done, mostly' }] },
        styles: { width: [40, 30, 30] },
      },
      { type: 'list', title: 'Next', data: [rng.pick(sentences), rng.pick(sentences)], styles: { type: 'bulleted' } },
      { type: 'label', title: 'Links', data: [{ Runbook: '[open](https://runbooks.example.org/r/' + rng.hex(6) + ')' }] },
    ],
    buttons: [{ label: 'Open', type: '+', action: { type: 'open.url', data: { web: 'https://status.example.org/' } } }],
  };
}

function memberContent(org: Org, kind: number, seed: number): Record<string, unknown> {
  // Not documented anywhere: invented info subtypes, so the client's raw passthrough is exercised.
  // Joins and leaves carry the subject as data.user; the sender of added/removed is who did it.
  const user = org.users[seed % Math.max(1, org.users.length)];
  const name = user?.fullName ?? 'Someone';
  const [type, text] =
    kind === MessageKind.MemberJoined
      ? ['member_joined', `${name} joined the conversation`]
      : kind === MessageKind.MemberAdded
        ? ['member_added', `${name} was added to the conversation`]
        : kind === MessageKind.MemberRemoved
          ? ['member_removed', `${name} was removed from the conversation`]
          : ['member_left', `${name} left the conversation`];
  return { type, data: { user: { name, id: user?.id ?? '0' } }, text };
}

export function messageType(kind: number): string {
  switch (kind) {
    case MessageKind.FileImage:
    case MessageKind.FileImageStringThumb:
    case MessageKind.FileDocument:
      return 'file';
    case MessageKind.CallNotification:
    case MessageKind.MemberJoined:
    case MessageKind.MemberLeft:
    case MessageKind.MemberAdded:
    case MessageKind.MemberRemoved:
      return 'info';
    case MessageKind.Card:
      return 'card';
    default:
      return 'text';
  }
}

export function messageContent(org: Org, conversation: Conversation, store: MessageStore, i: number): Record<string, unknown> {
  const kind = store.kind[i] as number;
  const seed = store.seed[i] as number;
  switch (kind) {
    case MessageKind.FileImage:
    case MessageKind.FileImageStringThumb:
    case MessageKind.FileDocument:
      return fileContent(org, kind, seed);
    case MessageKind.CallNotification:
      return callContent(org, conversation, seed, store.sender[i] as number);
    case MessageKind.Card:
      return cardContent(org, seed);
    case MessageKind.MemberJoined:
    case MessageKind.MemberLeft:
    case MessageKind.MemberAdded:
    case MessageKind.MemberRemoved:
      return memberContent(org, kind, seed);
    default:
      return { text: messageText(org, seed, store.revision[i] as number) };
  }
}

export function ackKey(store: MessageStore, i: number): string {
  if (((store.flags[i] as number) & MessageFlag.EmptyAckKey) !== 0) return '';
  return String((store.time[i] as number) - 50 - ((store.seed[i] as number) % 900));
}

/** The M4 object (also MS1's, minus ack_key). */
export function exportMessage(org: Org, conversation: Conversation, store: MessageStore, i: number): MessageObject {
  const message: MessageObject = {
    sender: org.senderRef(store.sender[i] as number),
    ack_key: ackKey(store, i),
    id: store.idAt(i),
    time: store.time[i] as number,
    type: messageType(store.kind[i] as number),
    content: messageContent(org, conversation, store, i),
  };
  const revision = store.revision[i] as number;
  if (revision > 0) message.revision = revision;
  return message;
}

/** The REST (MS1/MS2) object: the same message without ack_key, key order as [002]/[004]. */
export function restMessage(org: Org, conversation: Conversation, store: MessageStore, i: number): Record<string, unknown> {
  const out: Record<string, unknown> = {
    sender: org.senderRef(store.sender[i] as number),
    id: store.idAt(i),
    time: store.time[i],
    type: messageType(store.kind[i] as number),
    content: messageContent(org, conversation, store, i),
  };
  const revision = store.revision[i] as number;
  if (revision > 0) out.revision = revision;
  return out;
}

/** A one-line summary for last_message_info `text`. */
export function summaryText(org: Org, conversation: Conversation, store: MessageStore, i: number): string {
  const content = messageContent(org, conversation, store, i);
  if (typeof content.text === 'string') return content.text;
  const file = content.file as { name?: unknown } | undefined;
  if (file && typeof file.name === 'string') return file.name;
  if (content.type === 'call_notification') return 'Call ended';
  return '';
}
