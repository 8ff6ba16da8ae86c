import { isPlainMarkup, parseMarkup } from './parse';
import { toPlainText } from './plainText';
import { noNames, type MentionResolver } from './resolver';
import type { Segment } from './segments';

/** What the archive stores of a message (the messages columns, see electron/core/sync/mapMessage.ts). */
export interface ArchivedMessageContent {
  type: string;
  subtype: string | null;
  text: string | null;
  fileName: string | null;
  fileSize: number | null;
  /** mapMessage's searchable other text: a file's caption, a call notice written out, card and slide strings. */
  extraText: string | null;
  /** The raw `content` of the payload when at hand (raw_json's `content`): call data and card titles are read from it. */
  content?: unknown;
}

/**
 * A whole message as segments: a file message as "shared file NAME (SIZE)" and its caption, a call
 * notice as "audio call, completed, 00:04:12, with Kofi Mensah", a card as its title (bold) and
 * text, everything else as its text. Missing parts are left out, never invented.
 */
export function messageSegments(message: ArchivedMessageContent, resolver: MentionResolver = noNames): Segment[] {
  const head = fileSegments(message);
  const body = bodySegments(message, resolver);
  return head.length > 0 && body.length > 0 ? [...head, { kind: 'break' }, ...body] : [...head, ...body];
}

/** "shared file NAME (SIZE)" for a file message; nothing for others. */
export function fileSegments(message: ArchivedMessageContent): Segment[] {
  if (message.fileName === null) return [];
  const size = message.fileSize === null ? '' : ` (${formatSize(message.fileSize)})`;
  return [{ kind: 'text', text: `shared file ${message.fileName}${size}` }];
}

/** A message without its file line: text, caption, call notice or card. */
export function bodySegments(message: ArchivedMessageContent, resolver: MentionResolver = noNames): Segment[] {
  const content = record(message.content);
  if (message.subtype === 'call_notification') return [{ kind: 'text', text: callNotice(message, record(content?.data), resolver) }];
  const parts: Segment[][] = [];
  const title = record(content?.card)?.title;
  if (typeof title === 'string' && title.trim() !== '') parts.push([{ kind: 'bold', children: [{ kind: 'text', text: title }] }]);
  if (message.text !== null && message.text !== '') parts.push(parseMarkup(message.text, { resolver }));
  if (message.type === 'file') {
    const caption = typeof content?.comment === 'string' ? content.comment : content === null ? message.extraText : null;
    if (caption !== null && caption !== '') parts.push(parseMarkup(caption, { resolver }));
  }
  const lineBreak: Segment = { kind: 'break' };
  return parts.flatMap((part, i) => (i === 0 ? part : [lineBreak, ...part]));
}

function callNotice(message: ArchivedMessageContent, data: Record<string, unknown> | null, resolver: MentionResolver): string {
  if (data === null) return message.extraText ?? 'call';
  const callee = record(data.callee);
  const calleeId = typeof callee?.id === 'string' ? callee.id : null;
  const calleeName = (calleeId !== null ? resolver.user(calleeId)?.name : undefined) ?? (typeof callee?.name === 'string' ? callee.name : null);
  return [
    typeof data.call_type === 'string' ? `${data.call_type} call` : 'call',
    typeof data.status === 'string' ? data.status : null,
    typeof data.duration === 'string' ? data.duration : null,
    calleeName !== null ? `with ${calleeName}` : null,
  ]
    .filter((part) => part !== null)
    .join(', ');
}

/** Bytes as people read them: 200 KB, 1.5 MB (1024-based, as Cliq shows sizes). */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = value >= 10 ? Math.round(value).toString() : (Math.round(value * 10) / 10).toString();
  return `${shown} ${units[unit] as string}`;
}

function record(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/**
 * A whole message as plain text (the CLI's transcript, the CSV's text_display): mentions named by
 * `resolver` — in the core, electron/core/archive's `archiveMentionResolver(db)`.
 */
export function messagePlainText(message: ArchivedMessageContent, resolver: MentionResolver = noNames): string {
  // Half the messages are a text with no markup, file, call or card: their plain text is the text
  // itself (what the segments below would give, without building them; a CSV renders every message).
  if (message.type === 'text' && message.subtype === null && message.fileName === null && message.content === undefined) {
    if (message.text === null) return '';
    if (isPlainMarkup(message.text)) return message.text;
  }
  return toPlainText(messageSegments(message, resolver));
}
