import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';

/** An RSMF manifest as the tests read it (the schema fixture says what it may hold). */
export interface Manifest {
  version: string;
  eventcollectionid?: string;
  participants: { id: string; display?: string; email?: string; account_id?: string; custom?: Custom[] }[];
  conversations: { id: string; display?: string; platform: string; type?: string; participants: string[]; custom?: Custom[] }[];
  events: ManifestEvent[];
}
export interface Custom {
  name: string;
  value: string;
}
export interface ManifestEvent {
  id?: string;
  type: string;
  parent?: string;
  body?: string;
  participant?: string;
  conversation?: string;
  timestamp?: string;
  deleted?: boolean;
  edits?: { participant: string; previous?: string; new?: string }[];
  reactions?: { value: string; count?: number; participants?: string[] }[];
  attachments?: { id: string; display?: string; size?: number }[];
  custom?: Custom[];
}

/** One .rsmf file taken apart by hand: its raw header lines, decoded headers, summary, manifest and zip entries. */
export interface ParsedRsmf {
  raw: string;
  headerLines: string[];
  headers: Map<string, string>;
  summary: string;
  manifest: Manifest;
  entries: Map<string, Buffer>;
}

const schema = JSON.parse(readFileSync(resolve(import.meta.dirname, '../fixtures/rsmf/rsmf-2.0.schema.json'), 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(schema);

/** Validates a manifest against the RSMF 2.0 schema fixture, then what a schema cannot say: every id it refers to exists. */
export function expectValidManifest(m: Manifest, entries: ReadonlyMap<string, Buffer>, label: string): void {
  const ok = validate(m);
  expect(ok ? [] : validate.errors, label).toEqual([]);
  const people = new Set(m.participants.map((p) => p.id));
  const conversations = new Set(m.conversations.map((c) => c.id));
  const events = new Set(m.events.map((e) => e.id));
  expect(people.size, `${label}: participant ids are unique`).toBe(m.participants.length);
  expect(events.size, `${label}: event ids are unique`).toBe(m.events.length);
  for (const c of m.conversations) for (const p of c.participants) expect(people.has(p), `${label}: conversation participant ${p}`).toBe(true);
  for (const e of m.events) {
    if (e.participant !== undefined) expect(people.has(e.participant), `${label}: event participant ${e.participant}`).toBe(true);
    if (e.conversation !== undefined) expect(conversations.has(e.conversation), `${label}: event conversation`).toBe(true);
    if (e.parent !== undefined) expect(events.has(e.parent), `${label}: parent ${e.parent}`).toBe(true);
    for (const r of e.reactions ?? []) for (const p of r.participants ?? []) expect(people.has(p), `${label}: reactor ${p}`).toBe(true);
    for (const a of e.attachments ?? []) expect(entries.has(a.id), `${label}: attachment ${a.id} is in rsmf.zip`).toBe(true);
  }
}

/** RFC 2047 encoded words (B, UTF-8) back to text; plain text as it is. */
export function decodeWords(value: string): string {
  // Whitespace between two encoded words is folding, not text (RFC 2047, section 6.2); each word holds whole characters.
  return value.replace(/=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=(?:\s+(?==\?UTF-8\?B\?))?/g, (_, b64: string) => Buffer.from(b64, 'base64').toString('utf8'));
}

/** Reads an .rsmf: checks it is 7-bit with CRLF line ends, splits the MIME parts, base64-decodes, unzips with the system unzip. */
export function readRsmf(path: string): ParsedRsmf {
  const bytes = readFileSync(path);
  expect(
    bytes.every((b) => b < 0x80),
    `${path} is 7-bit`,
  ).toBe(true);
  const raw = bytes.toString('latin1');
  expect(/[^\r]\n|\r[^\n]/.test(raw), `${path}: every line ends CRLF`).toBe(false);
  const end = raw.indexOf('\r\n\r\n');
  const headerLines = raw.slice(0, end).split('\r\n');
  const headers = new Map<string, string>();
  for (const line of raw
    .slice(0, end)
    .replace(/\r\n[ \t]/g, ' ')
    .split('\r\n')) {
    const colon = line.indexOf(':');
    expect(headers.has(line.slice(0, colon)), `header ${line.slice(0, colon)} once`).toBe(false);
    headers.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  const boundary = /boundary="([^"]+)"/.exec(headers.get('Content-Type') ?? '')?.[1] ?? '';
  expect(boundary).not.toBe('');
  const body = raw.slice(end + 4);
  const parts = body.split(`--${boundary}`);
  expect(parts.at(-1)).toBe('--\r\n');
  const [text, zip] = parts.slice(1, -1).map((p) => {
    const split = p.indexOf('\r\n\r\n');
    return { head: p.slice(0, split), data: Buffer.from(p.slice(split + 4).replace(/\r\n/g, ''), 'base64') };
  });
  expect(text?.head).toMatch(/Content-Type: text\/plain; charset=utf-8/);
  expect(zip?.head).toMatch(/Content-Disposition: attachment; filename="rsmf\.zip"/);
  expect(zip?.head).toMatch(/Content-Transfer-Encoding: base64/);
  const dir = mkdtempSync(join(tmpdir(), 'rsmf-'));
  try {
    const zipPath = join(dir, 'rsmf.zip');
    writeFileSync(zipPath, zip?.data ?? Buffer.alloc(0));
    const names = execFileSync('unzip', ['-Z1', zipPath], { encoding: 'utf8' }).trim().split('\n');
    const entries = new Map(names.map((n) => [n, execFileSync('unzip', ['-p', zipPath, n], { maxBuffer: 1 << 28 })]));
    expect(names[0]).toBe('rsmf_manifest.json');
    const manifest = JSON.parse((entries.get('rsmf_manifest.json') ?? Buffer.alloc(0)).toString('utf8')) as Manifest;
    return { raw, headerLines, headers, summary: (text?.data ?? Buffer.alloc(0)).toString('utf8'), manifest, entries };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const customOf = (e: { custom?: Custom[] }, name: string): string | undefined => e.custom?.find((c) => c.name === name)?.value;
