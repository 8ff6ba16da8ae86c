import type { MessagePayload } from '../cliq/schemas';
import { searchScope } from '../search/scope';
import { canonicalJson } from '../util/json';
import { sha256Hex } from '../util/sha256';

/** A message as the archive stores it: normalised columns next to the raw payload. */
export interface MessageRow {
  messageId: string;
  chatId: string;
  time: number;
  senderId: string | null;
  senderName: string | null;
  type: string;
  subtype: string | null;
  text: string | null;
  fileName: string | null;
  fileId: string | null;
  fileMime: string | null;
  fileSize: number | null;
  /** Searchable text that is not the message body: call details, card and slide text, captions. */
  extraText: string | null;
  revision: number | null;
  contentHash: string;
  rawJson: string;
  /** Filter tokens for the full-text index (search/scope.ts). */
  searchScope: string;
  /**
   * Its row hash if it is new: inserted by the write `now`/`runId`, under the key of its
   * millisecond (archive/messageRecord.ts). Made where the row is parsed, off the storing thread.
   */
  preseal?: { now: number; runId: number; rowHash: string };
}

// Fields that describe the reader, not the message (docs/cliq-api.md §8.1: is_read is the caller's read state).
// They are kept in raw_json but do not make a new version when they change.
const volatileKeys = new Set(['is_read']);

// Keys whose strings are not words: thumbnails, URLs, ids. Never indexed for search.
// Structural keys (type, theme, styles) are not words either.
const unsearchableKeys = new Set(['blur_data', 'image_url', 'thumbnail', 'url', 'id', 'image', 'web', 'api', 'type', 'theme', 'styles', 'preview']);

const maxExtraText = 10_000;

/** SHA-256 over the canonical JSON of the message minus volatile keys: equal hash = same version. */
export function contentHash(raw: Record<string, unknown>): string {
  const stable: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) if (!volatileKeys.has(key)) stable[key] = value;
  return sha256Hex(canonicalJson(stable));
}

export function mapMessage(chatId: string, payload: MessagePayload, raw: Record<string, unknown>): MessageRow {
  const content = normaliseContent(payload.content);
  const file = asRecord(content.file);
  const sender = payload.sender;
  const subtype = typeof content.type === 'string' ? content.type : null;
  const extra: string[] = [];
  if (payload.type === 'file' && typeof content.comment === 'string' && content.comment !== '') extra.push(content.comment);
  if (subtype === 'call_notification') extra.push(describeCall(asRecord(content.data)));
  if (payload.type === 'text' || payload.type === 'file') {
    // Cards and slides can ride on text messages too.
    for (const key of ['card', 'slides', 'buttons'] as const) collectStrings(content[key], extra);
  } else if (subtype !== 'call_notification') {
    // An undocumented type (cards, polls, bot output): index whatever words it carries.
    collectStrings(content, extra, new Set(['text']));
  }
  const extraText = extra.join('\n').slice(0, maxExtraText);
  const senderId = sender?.id ?? sender?.senderID ?? null;
  const fileId = typeof file.id === 'string' ? file.id : null;
  const fileName = typeof file.name === 'string' ? file.name : null;
  return {
    messageId: payload.id,
    chatId,
    time: payload.time,
    senderId,
    senderName: sender?.name ?? sender?.senderName ?? null,
    type: payload.type,
    subtype,
    text: typeof content.text === 'string' ? content.text : null,
    fileName,
    fileId,
    fileMime: typeof file.type === 'string' ? file.type : null,
    fileSize: toInt(asRecord(file.dimensions).size),
    extraText: extraText === '' ? null : extraText,
    revision: toInt(payload.revision),
    contentHash: contentHash(raw),
    rawJson: JSON.stringify(raw),
    searchScope: searchScope({ chatId, senderId, type: payload.type, fileId, fileName }),
  };
}

/** [002]'s retrieve sample sends `content` as a bare string; treat it as `{text}`. */
function normaliseContent(content: MessagePayload['content']): Record<string, unknown> {
  if (typeof content === 'string') return { text: content };
  return content ?? {};
}

function describeCall(data: Record<string, unknown>): string {
  const callee = asRecord(data.callee);
  const parts = [
    typeof data.call_type === 'string' ? `${data.call_type} call` : 'call',
    typeof data.status === 'string' ? data.status : undefined,
    typeof data.duration === 'string' ? data.duration : undefined,
    typeof callee.name === 'string' ? `with ${callee.name}` : undefined,
  ];
  return parts.filter((p) => p !== undefined).join(' ');
}

function collectStrings(value: unknown, out: string[], skip: Set<string> = new Set(), depth = 0): void {
  if (depth > 8) return;
  if (typeof value === 'string') {
    if (value.trim() !== '') out.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectStrings(item, out, skip, depth + 1);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (!unsearchableKeys.has(key) && !skip.has(key)) collectStrings(item, out, new Set(), depth + 1);
    }
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function toInt(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : null;
}
