import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { VaultError } from '../../../shared/errors';

/**
 * A stored file encrypted with AES-256-GCM, in chunks, so that it streams and every byte handed
 * out has been authenticated first (one tag for a whole file would release unverified bytes
 * until the end).
 *
 *   header  "CVE1" + an 8-byte random nonce prefix                        12 bytes
 *   chunks  AES-256-GCM of 64 KiB of the file (the last one shorter), each followed by its tag
 *
 * Chunk i's nonce is the prefix and i (big-endian 32 bits): never reused under one key, since
 * every file draws its own prefix. The additional data is the header and whether the chunk is the
 * last, so chunks cannot be reordered, dropped, or the file cut at a chunk boundary. An empty file
 * is one empty last chunk (its tag only).
 */
const magic = Buffer.from('CVE1', 'latin1');
const prefixBytes = 8;
export const sealedHeaderBytes = magic.length + prefixBytes;
export const sealedChunkBytes = 64 * 1024;
const tagBytes = 16;

/** The file store's key, derived from the archive's 32-byte key (HKDF-SHA256; one purpose, one key). */
export function fileStoreKey(archiveKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', archiveKey, Buffer.alloc(0), 'cliq-vault file store v1', 32));
}

/** Bytes on disk of a sealed file of `size` bytes. */
export function sealedSize(size: number): number {
  return sealedHeaderBytes + size + tagBytes * Math.max(1, Math.ceil(size / sealedChunkBytes));
}

/** The file's own size from its sealed size on disk (null when no file of any size seals to it). */
export function plainSize(diskSize: number): number | null {
  const chunks = Math.max(1, Math.ceil((diskSize - sealedHeaderBytes) / (sealedChunkBytes + tagBytes)));
  const size = diskSize - sealedHeaderBytes - chunks * tagBytes;
  return size >= 0 && sealedSize(size) === diskSize ? size : null;
}

function nonce(prefix: Buffer, index: number): Buffer {
  const value = Buffer.alloc(12);
  prefix.copy(value, 0);
  value.writeUInt32BE(index, prefixBytes);
  return value;
}

function aad(header: Buffer, last: boolean): Buffer {
  return Buffer.concat([header, Buffer.from([last ? 1 : 0])]);
}

/** Seals a file as its bytes arrive: `push` each piece, then `end`; write what each returns, in order. */
export class FileSealer {
  private readonly header: Buffer;
  private readonly prefix: Buffer;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private index = 0;
  private started = false;

  constructor(private readonly key: Buffer) {
    this.prefix = randomBytes(prefixBytes);
    this.header = Buffer.concat([magic, this.prefix]);
  }

  push(piece: Uint8Array): Buffer[] {
    const out: Buffer[] = this.start();
    this.pending.push(Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength));
    this.pendingBytes += piece.byteLength;
    // A full chunk is sealed only once a byte past it is known: the last chunk is marked as last.
    while (this.pendingBytes > sealedChunkBytes) {
      const all = Buffer.concat(this.pending, this.pendingBytes);
      out.push(this.seal(all.subarray(0, sealedChunkBytes), false));
      this.pending = [all.subarray(sealedChunkBytes)];
      this.pendingBytes = all.length - sealedChunkBytes;
    }
    return out;
  }

  end(): Buffer[] {
    const out = this.start();
    out.push(this.seal(Buffer.concat(this.pending, this.pendingBytes), true));
    this.pending = [];
    this.pendingBytes = 0;
    return out;
  }

  private start(): Buffer[] {
    if (this.started) return [];
    this.started = true;
    return [this.header];
  }

  private seal(chunk: Buffer, last: boolean): Buffer {
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce(this.prefix, this.index));
    this.index += 1;
    cipher.setAAD(aad(this.header, last));
    return Buffer.concat([cipher.update(chunk), cipher.final(), cipher.getAuthTag()]);
  }
}

function altered(name: string, why: string): VaultError {
  return new VaultError('TAMPERED', `The stored file ${name} ${why}: it was altered or damaged.`, {
    hint: 'Keep the store as it is for investigation; `cliq-vault verify --archive FILE --files` lists every such file.',
    ui: { message: `The stored file ${name} ${why}: it was altered or damaged.`, hint: 'Keep the store as it is for investigation; verifying the archive with its files lists every such file.' },
  });
}

/**
 * The file's bytes from its sealed form, each chunk authenticated before it is handed out. A
 * changed, cut, reordered or foreign file is TAMPERED (naming `name`, never its content).
 */
export async function* openSealed(key: Buffer, sealed: AsyncIterable<Uint8Array>, name: string): AsyncGenerator<Buffer> {
  let buffered = Buffer.alloc(0);
  let header: Buffer | null = null;
  let index = 0;
  const open = (chunk: Buffer, last: boolean, head: Buffer): Buffer => {
    if (chunk.length < tagBytes) throw altered(name, 'is cut short');
    const decipher = createDecipheriv('aes-256-gcm', key, nonce(head.subarray(magic.length), index));
    index += 1;
    decipher.setAAD(aad(head, last));
    decipher.setAuthTag(chunk.subarray(chunk.length - tagBytes));
    try {
      return Buffer.concat([decipher.update(chunk.subarray(0, chunk.length - tagBytes)), decipher.final()]);
    } catch (error) {
      throw Object.assign(altered(name, 'fails its authentication'), { cause: error });
    }
  };
  for await (const piece of sealed) {
    buffered = Buffer.concat([buffered, piece]);
    if (header === null) {
      if (buffered.length < sealedHeaderBytes) continue;
      header = Buffer.from(buffered.subarray(0, sealedHeaderBytes));
      if (!header.subarray(0, magic.length).equals(magic)) throw altered(name, 'is not a sealed file');
      buffered = buffered.subarray(sealedHeaderBytes);
    }
    // Keep a whole chunk back until more arrives: only the end tells which chunk is the last.
    while (buffered.length > sealedChunkBytes + tagBytes) {
      yield open(buffered.subarray(0, sealedChunkBytes + tagBytes), false, header);
      buffered = buffered.subarray(sealedChunkBytes + tagBytes);
    }
  }
  if (header === null) throw altered(name, 'is cut short');
  yield open(buffered, true, header);
}
