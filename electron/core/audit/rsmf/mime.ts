/**
 * The RFC 5322 / MIME layer of an .rsmf file, written by hand (a few rules, all of them here):
 * every line ends CRLF and is 7-bit; header text from Cliq (titles, names) is never written raw —
 * anything but plain printable ASCII becomes RFC 2047 encoded words, so no name can end a header or
 * start a new one; bodies are base64 in lines of 76.
 */

const plainHeaderText = /^[\x20-\x7e]*$/;
/** UTF-8 bytes per encoded word: 45 bytes → 60 base64 characters, inside RFC 2047's 75 per word. */
const wordBytes = 45;

/** Header text as RFC 2047 encoded words (B encoding, UTF-8), never splitting a character. */
export function encodedWords(text: string): string[] {
  const words: string[] = [];
  let chunk: Buffer[] = [];
  let size = 0;
  for (const ch of text) {
    const bytes = Buffer.from(ch, 'utf8');
    if (size + bytes.length > wordBytes) {
      words.push(`=?UTF-8?B?${Buffer.concat(chunk).toString('base64')}?=`);
      chunk = [];
      size = 0;
    }
    chunk.push(bytes);
    size += bytes.length;
  }
  if (size > 0 || words.length === 0) words.push(`=?UTF-8?B?${Buffer.concat(chunk).toString('base64')}?=`);
  return words;
}

/** Unstructured header text: as it is when plain short ASCII without `=?`, else encoded words. */
export function headerText(text: string): string[] {
  if (plainHeaderText.test(text) && !text.includes('=?') && text.length <= 900) return [text];
  return encodedWords(text);
}

/**
 * One header field, folded: its parts are joined by a space, and a line that would pass 78
 * characters is folded before the next part (CRLF + space). A part is never split.
 */
export function headerField(name: string, parts: readonly string[], separator = ' '): string {
  let line = `${name}:`;
  const lines: string[] = [];
  parts.forEach((part, i) => {
    const piece = (i === 0 ? ' ' : separator === ' ' ? ' ' : `${separator} `) + part;
    if (i > 0 && line.length + piece.length > 78) {
      lines.push(separator === ' ' ? line : `${line}${separator}`);
      line = ` ${part}`;
    } else {
      line += piece;
    }
  });
  lines.push(line);
  return `${lines.join('\r\n')}\r\n`;
}

const mailbox = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** A plain ASCII mailbox (dot-atom@domain): what a header address and the manifest's `email` carry. */
export function isMailbox(email: string): boolean {
  return email.length <= 254 && mailbox.test(email);
}

/** Characters of a display name kept in an address (the manifest has it whole): keeps header lines short. */
const displayChars = 100;

/** An address for From/To, or null when the e-mail is not a plain ASCII address (it is then left out). */
export function address(display: string, email: string | undefined): string | null {
  if (email === undefined || !isMailbox(email)) return null;
  return `${encodedWords(Array.from(display).slice(0, displayChars).join('')).join(' ')} <${email}>`;
}

/** RFC 5322's date-time, in UTC. */
export function rfc5322Date(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()] ?? ''}, ${two(d.getUTCDate())} ${months[d.getUTCMonth()] ?? ''} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/** Bytes as base64 lines of 76 characters, each ending CRLF. */
export function base64Lines(bytes: Buffer): string {
  const text = bytes.toString('base64');
  let out = '';
  for (let i = 0; i < text.length; i += 76) out += `${text.slice(i, i + 76)}\r\n`;
  return out;
}

/** 57 bytes make one 76-character base64 line: a stream is encoded in whole lines, the rest carried. */
export const bytesPerLine = 57;

/**
 * Encodes a stream of bytes as base64 lines as it goes: each chunk's whole lines now, the few
 * bytes left over with the next chunk, and what remains at the end.
 */
export async function* base64Stream(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of chunks) {
    const all = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
    const whole = all.length - (all.length % bytesPerLine);
    if (whole > 0) yield base64Lines(all.subarray(0, whole));
    carry = Buffer.from(all.subarray(whole));
  }
  if (carry.length > 0) yield base64Lines(carry);
}
