import { createCipheriv, createHash } from 'node:crypto';
import { hash32, hashString, Rng } from '../random';
import type { FileSizes } from './fileSizes';
import type { Conversation, MessageKindCode, Org } from './model';
import { MessageKind } from './model';

/**
 * The bytes behind file messages (F1, docs/cliq-api.md §7.6 and §10.12). A file's size and content
 * are pure functions of (seed, file id) and the size distribution fixed at start, so a message's
 * declared `content.file.dimensions.size` and what F1 serves agree without storing anything: the
 * bytes are generated chunk by chunk whenever a file is served or hashed.
 */

/** Bytes per generated chunk: no file is ever built as one Buffer. */
export const FILE_CHUNK = 64 * 1024;

export type FileFormat = 'png' | 'jpeg' | 'pdf' | 'zip' | 'text' | 'binary';

function fileKey(fileId: string): number {
  return hashString(fileId);
}

/** The file's size: a pure function of (seed, file id, distribution). */
export function fileSize(seed: number, fileId: string, sizes: FileSizes): number {
  const rng = new Rng(hash32(seed, fileKey(fileId), 0x5123));
  const roll = rng.float();
  if (roll < sizes.emptyShare) return 0;
  if (roll < sizes.emptyShare + sizes.largeShare) return rng.int(sizes.largeMinBytes, Math.max(sizes.largeMinBytes, sizes.largeMaxBytes));
  const top = Math.max(1, sizes.smallMaxBytes);
  // Pick a power-of-two band, then a size within it: small files are common, big ones rarer.
  const exponent = rng.int(0, Math.ceil(Math.log2(top)));
  return Math.min(top, rng.int(Math.max(1, Math.floor(2 ** (exponent - 1))), 2 ** exponent));
}

/**
 * The size a message declares for the file: its real size, or, for a `roundedShare` of files, that
 * size rounded to whole KiB (at least 1 KiB), as a client showing "12 KB" might report it. F1 always
 * serves the real size with a matching Content-Length.
 */
export function declaredFileSize(seed: number, fileId: string, sizes: FileSizes): number {
  const size = fileSize(seed, fileId, sizes);
  if (sizes.roundedShare <= 0 || hash32(seed, fileKey(fileId), 0x512e) / 4294967296 >= sizes.roundedShare) return size;
  return Math.max(1024, Math.round(size / 1024) * 1024);
}

/** Whether F1 answers this file with a 302 to the download host. */
export function fileRedirects(seed: number, fileId: string, share: number): boolean {
  return hash32(seed, fileKey(fileId), 0x302) / 4294967296 < share;
}

const byExtension: Record<string, FileFormat> = { png: 'png', jpg: 'jpeg', jpeg: 'jpeg', pdf: 'pdf', zip: 'zip', xlsx: 'zip', docx: 'zip', txt: 'text' };
const byMime: Record<string, FileFormat> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'application/pdf': 'pdf',
  'application/zip': 'zip',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'zip',
  'text/plain': 'text',
};
const mimeOf: Record<FileFormat, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  pdf: 'application/pdf',
  zip: 'application/zip',
  text: 'text/plain',
  binary: 'application/octet-stream',
};

/** The format whose magic bytes the file starts with: the MIME type when there is one, else the name's extension. */
export function fileFormat(name: string, type: string): FileFormat {
  const mime = byMime[type.toLowerCase()];
  if (mime) return mime;
  const extension = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  return byExtension[extension] ?? 'binary';
}

/** F1's Content-Type: the message's `file.type` when it is a MIME type, else one guessed from the format. */
export function fileContentType(name: string, type: string): string {
  return type.includes('/') ? type : mimeOf[fileFormat(name, type)];
}

const magic: Record<FileFormat, Uint8Array> = {
  png: Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]),
  jpeg: Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]),
  pdf: Uint8Array.from(Buffer.from('%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n', 'latin1')),
  zip: Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00]),
  text: new Uint8Array(0),
  binary: new Uint8Array(0),
};

const textAlphabet = Buffer.from('abcdefghijklmnopqrstuvwxyz     etaoin,.\n', 'latin1');

/** What the byte generator needs to know about a file. */
export interface FileBytesSpec {
  id: string;
  size: number;
  format: FileFormat;
}

/**
 * Chunk `k` of the file: independent of the other chunks, so a range or a resume could start
 * anywhere. The noise is an AES-128-CTR keystream keyed by (seed, file id) with the chunk's number
 * in its counter: deterministic, and generated at native speed (a JS generator held the bench's
 * files section to the simulator's pace, about 380 MB/s, instead of the client's).
 */
const zeros = Buffer.alloc(FILE_CHUNK);

function chunkAt(seed: number, file: FileBytesSpec, k: number): Buffer {
  const start = k * FILE_CHUNK;
  const length = Math.min(FILE_CHUNK, file.size - start);
  const key = createHash('sha256').update(`${seed}:${file.id}`).digest().subarray(0, 16);
  const counter = Buffer.alloc(16);
  // Each chunk is FILE_CHUNK / 16 counter blocks: start its counter there, so chunks never overlap.
  counter.writeUInt32BE(Math.floor((k * (FILE_CHUNK / 16)) / 2 ** 32), 8);
  counter.writeUInt32BE((k * (FILE_CHUNK / 16)) % 2 ** 32, 12);
  const cipher = createCipheriv('aes-128-ctr', key, counter);
  const out = cipher.update(zeros.subarray(0, length));
  if (file.format === 'text') for (let i = 0; i < length; i++) out[i] = textAlphabet[(out[i] as number) % textAlphabet.length] as number;
  if (k === 0) {
    const header = magic[file.format];
    out.set(header.subarray(0, Math.min(header.length, length)), 0);
  }
  return out;
}

/** The file's bytes, FILE_CHUNK at a time. */
export function* fileChunks(seed: number, file: FileBytesSpec): Generator<Buffer> {
  for (let k = 0; k * FILE_CHUNK < file.size; k++) yield chunkAt(seed, file, k);
}

/** SHA-256 (hex) of the file's bytes, computed chunk by chunk. */
export function fileSha256(seed: number, file: FileBytesSpec): string {
  const hash = createHash('sha256');
  for (const chunk of fileChunks(seed, file)) hash.update(chunk);
  return hash.digest('hex');
}

/** A file as a message declares it, and where it lives. */
export interface FileEntry extends FileBytesSpec {
  chatId: string;
  /** Underscore form. */
  messageId: string;
  name: string;
  /** `file.type` as the message carries it (a MIME type or `file`). */
  type: string;
  /** The size the message declares (`size` is what F1 serves). */
  declaredSize: number;
}

const fileKinds = new Set<number>([MessageKind.FileImage, MessageKind.FileImageStringThumb, MessageKind.FileDocument]);

export function isFileKind(kind: number): kind is MessageKindCode {
  return fileKinds.has(kind);
}

/** Reads the declared file of message i (content.file), through the same renderer every route uses. */
export type FileRenderer = (conversation: Conversation, i: number) => { id: string; name: string; type: string; size: number } | null;

/**
 * file id → the message carrying it, rebuilt whenever the org changes (new file messages; deleted
 * ones and removed chats simply drop out, so their files answer 404). When two messages carry the
 * same id (a seed collision), the first in creation order wins.
 */
export class FileIndex {
  private builtAt = -1;
  private byId = new Map<string, FileEntry>();

  constructor(
    private readonly org: Org,
    private readonly render: FileRenderer,
  ) {}

  private refresh(): void {
    if (this.builtAt === this.org.changeSeq) return;
    const byId = new Map<string, FileEntry>();
    for (const conversation of this.org.conversations) {
      if (conversation.removed || (conversation.thread && !this.org.live(conversation.thread.parentChatId))) continue;
      const store = conversation.messages;
      for (let i = 0; i < store.length; i++) {
        if (!isFileKind(store.kind[i] as number)) continue;
        const file = this.render(conversation, i);
        if (!file || byId.has(file.id)) continue;
        // The bytes have the file's real size, whatever the message declares (roundedShare).
        const size = fileSize(this.org.fileSeed, file.id, this.org.fileSizes);
        byId.set(file.id, { ...file, size, declaredSize: file.size, format: fileFormat(file.name, file.type), chatId: conversation.chatId, messageId: store.idAt(i) });
      }
    }
    this.byId = byId;
    this.builtAt = this.org.changeSeq;
  }

  get(fileId: string): FileEntry | undefined {
    this.refresh();
    return this.byId.get(fileId);
  }

  all(): FileEntry[] {
    this.refresh();
    return [...this.byId.values()];
  }
}
