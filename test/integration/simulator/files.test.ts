import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator, TruthFile } from '../../../electron/simulator';
import { get, refresh, start } from './helpers';

/**
 * F1, GET /api/v2/files/{file_id}, over real HTTP: bytes against the server's truth (streamed and
 * hashed, never held whole), headers, the download host, errors, faults and the quota on the
 * manual clock.
 */

let sim: RunningSimulator;
let token: string;

beforeAll(async () => {
  // A few big files (3–5 MB) and more empty ones than the default, so both are in the sample.
  sim = await start({
    scale: 'small',
    accessTokenTtlMs: 24 * 3_600_000,
    fileSizes: { emptyShare: 0.1, largeShare: 0.04, largeMinBytes: 3_000_000, largeMaxBytes: 5_000_000 },
  });
  token = await refresh(sim);
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  // Each test starts in a fresh quota minute, with no faults and no redirects unless it asks.
  sim.advance(60_000 - (sim.clock.now() % 60_000));
  sim.configure({ faults: [], fileRedirectShare: 0 });
});

function adminCanRead(file: TruthFile): boolean {
  const conversation = sim.org.live(file.chat_id);
  if (!conversation) return false;
  const home = sim.org.home(conversation);
  return home.memberSet.has(sim.org.adminIndex) || home.channel?.level === 'organization';
}

const readable = () => sim.files().filter(adminCanRead);
const path = (file: TruthFile | string) => `/api/v2/files/${encodeURIComponent(typeof file === 'string' ? file : file.file_id)}`;

/** Reads a body chunk by chunk into a hash: size, SHA-256 and the first bytes. */
async function digest(response: Response): Promise<{ size: number; sha256: string; head: Buffer }> {
  const hash = createHash('sha256');
  let size = 0;
  let head = Buffer.alloc(0);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    hash.update(value);
    if (head.length < 16) head = Buffer.concat([head, Buffer.from(value.subarray(0, 16 - head.length))]);
    size += value.length;
  }
  return { size, sha256: hash.digest('hex'), head };
}

/** Reads until the body fails; returns how many bytes arrived and whether it failed. */
async function drain(response: Response): Promise<{ size: number; failed: boolean }> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { size, failed: false };
      size += value.length;
    }
  } catch {
    return { size, failed: true };
  }
}

describe('F1 bytes', () => {
  it('every file message declares the size F1 serves', () => {
    const truth = sim.truth();
    const files = sim.files();
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      const message = truth.messages[file.chat_id]?.find((m) => m.id === file.message_id);
      const declared = message?.content.file as { id: string; name: string; type: string; dimensions: { size: number } } | undefined;
      expect(declared).toMatchObject({ id: file.file_id, name: file.name, type: file.type, dimensions: { size: file.size } });
    }
    expect(files.some((f) => f.size === 0)).toBe(true);
    expect(files.some((f) => f.size >= 3_000_000)).toBe(true);
  });

  it('serves exact bytes for a sample (empty, multi-MB, small), streamed, matching the truth', async () => {
    const files = readable();
    const empty = files.find((f) => f.size === 0);
    const big = files.find((f) => f.size >= 3_000_000);
    const png = files.find((f) => f.type === 'image/png' && f.size >= 16);
    const pdf = files.find((f) => f.type === 'application/pdf' && f.size >= 16);
    const sample = [empty, big, png, pdf, ...files.filter((f) => f.size > 0 && f.size < 300_000).slice(0, 4)];
    for (const file of sample) {
      if (!file) throw new Error('the sample misses a kind of file');
      const response = await get(sim, token, path(file));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-length')).toBe(String(file.size));
      expect(response.headers.get('content-type')).toBe(file.content_type);
      const got = await digest(response);
      expect(got.size).toBe(file.size);
      expect(got.sha256).toBe(sim.fileSha256(file.file_id));
    }
    expect((await digest(await get(sim, token, path(png as TruthFile)))).head.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect((await digest(await get(sim, token, path(pdf as TruthFile)))).head.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(sim.fileSha256((empty as TruthFile).file_id)).toBe(createHash('sha256').digest('hex'));
  });

  it('is deterministic: a second simulator with the same seed serves the same bytes', async () => {
    const other = await start({ scale: 'small', fileSizes: { emptyShare: 0.1, largeShare: 0.04, largeMinBytes: 3_000_000, largeMaxBytes: 5_000_000 } });
    try {
      const mine = sim.files().slice(0, 20);
      for (const file of mine) {
        expect(other.file(file.file_id)?.size).toBe(file.size);
        if (file.size < 300_000) expect(other.fileSha256(file.file_id)).toBe(sim.fileSha256(file.file_id));
      }
    } finally {
      await other.close();
    }
  });
});

describe('F1 headers', () => {
  it('Content-Disposition carries hostile names exactly through filename*, and never breaks', async () => {
    const hostile = readable().filter((f) => /["/\\\u202e\r\n%]|\.\./u.test(f.name) || f.name.length > 255);
    expect(hostile.length).toBeGreaterThan(0);
    const seen = new Set<string>();
    for (const file of hostile) {
      if (seen.has(file.name)) continue;
      seen.add(file.name);
      const response = await get(sim, token, path(file));
      expect(response.status).toBe(200);
      await response.body?.cancel();
      const header = response.headers.get('content-disposition') ?? '';
      expect(header).not.toMatch(/[\r\n]/);
      const match = /^attachment; filename="((?:[^"\\]|\\.)*)"; filename\*=UTF-8''([A-Za-z0-9!#$&+\-.^_`|~%]+)$/.exec(header);
      expect(match, header).not.toBeNull();
      expect(decodeURIComponent(match?.[2] ?? '')).toBe(file.name);
      expect(/^[\x20-\x7e]*$/.test(match?.[1] ?? '')).toBe(true);
    }
    expect(seen.size).toBeGreaterThan(2);
  });
});

describe('the download host', () => {
  it('302 to a signed URL that serves the bytes without Authorization, refuses it with, and expires', async () => {
    sim.configure({ fileRedirectShare: 1 });
    const file = readable().find((f) => f.size > 1000 && f.size < 300_000);
    if (!file) throw new Error('no small file');
    expect(sim.file(file.file_id)?.redirected).toBe(true);
    const first = await fetch(`${sim.apiBase}${path(file)}`, { headers: { Authorization: `Zoho-oauthtoken ${token}` }, redirect: 'manual' });
    expect(first.status).toBe(302);
    const location = first.headers.get('location') ?? '';
    expect(location.startsWith(`${sim.downloadBase}/files/`)).toBe(true);
    expect(location).not.toContain(token);

    const withAuth = await fetch(location, { headers: { Authorization: `Zoho-oauthtoken ${token}` } });
    expect(withAuth.status).toBe(400);
    expect(await withAuth.text()).toContain('InvalidArgument');

    const bytes = await fetch(location);
    expect(bytes.status).toBe(200);
    expect(bytes.headers.get('content-length')).toBe(String(file.size));
    expect(bytes.headers.get('content-disposition')).toContain("filename*=UTF-8''");
    expect((await digest(bytes)).sha256).toBe(sim.fileSha256(file.file_id));

    const tampered = new URL(location);
    tampered.searchParams.set('expires', String(Number(tampered.searchParams.get('expires')) + 60_000));
    expect((await fetch(tampered)).status).toBe(403);
    const other = readable().find((f) => f.file_id !== file.file_id);
    expect((await fetch(location.replace(file.file_id, other?.file_id ?? 'x'))).status).toBe(403);

    sim.advance(sim.options().downloadUrlTtlMs);
    expect((await fetch(location)).status).toBe(403);
  });

  it('redirects a deterministic share of files by default', () => {
    sim.configure({ fileRedirectShare: 0.2 });
    const files = sim.files();
    const share = files.filter((f) => f.redirected).length / files.length;
    expect(share).toBeGreaterThan(0.1);
    expect(share).toBeLessThan(0.3);
  });
});

describe('F1 errors', () => {
  it('401 without or with a bad token, 404 for an unknown id, 403 outside the admin’s conversations', async () => {
    const file = readable()[0] as TruthFile;
    expect((await fetch(`${sim.apiBase}${path(file)}`)).status).toBe(401);
    expect((await get(sim, 'not-a-token', path(file))).status).toBe(401);

    const unknown = await get(sim, token, path('f'.repeat(128)));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: "The URL you've sent is wrong. It's possible that the resource you've requested has been moved to another URL." });

    const hidden = sim.files().find((f) => !adminCanRead(f));
    if (!hidden) throw new Error('the admin can read every file');
    const forbidden = await get(sim, token, path(hidden));
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toEqual({ message: 'The user does not have enough permission or possibly not an user of the respective organization to access the resource.' });
  });
});

describe('F1 faults', () => {
  const victim = () => readable().find((f) => f.size >= 200_000 && f.size < 1_000_000) as TruthFile;

  it('truncate: Content-Length says N, the connection ends after fewer bytes', async () => {
    sim.configure({ faults: [{ family: 'files.get', kind: 'truncate' }] });
    const file = victim();
    const response = await get(sim, token, path(file));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(file.size));
    const got = await drain(response);
    expect(got.failed).toBe(true);
    expect(got.size).toBeLessThan(file.size);
    // The next request is whole again.
    expect((await digest(await get(sim, token, path(file)))).sha256).toBe(sim.fileSha256(file.file_id));
  });

  it('reset: the connection is reset mid-body', async () => {
    sim.configure({ faults: [{ family: 'files.get', kind: 'reset' }] });
    const file = victim();
    const before = sim.stats().byStatus.reset ?? 0;
    const response = await get(sim, token, path(file));
    const got = await drain(response);
    expect(got.failed).toBe(true);
    expect(got.size).toBeLessThan(file.size);
    expect(sim.stats().byStatus.reset).toBe(before + 1);
  });

  it('the download host can be faulted too', async () => {
    sim.configure({ fileRedirectShare: 1, faults: [{ family: 'files.download', kind: 'truncate' }] });
    const file = victim();
    const first = await fetch(`${sim.apiBase}${path(file)}`, { headers: { Authorization: `Zoho-oauthtoken ${token}` }, redirect: 'manual' });
    const got = await drain(await fetch(first.headers.get('location') ?? ''));
    expect(got.failed).toBe(true);
    expect(got.size).toBeLessThan(file.size);
  });
});

describe('F1 quota', () => {
  it('50 a minute, then 429 and a 10-minute lock', async () => {
    const file = readable().find((f) => f.size < 2000) as TruthFile;
    for (let i = 0; i < 50; i++) {
      const response = await get(sim, token, path(file));
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
    const limited = await get(sim, token, path(file));
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({ message: 'Too many requests within a certain time frame.' });
    sim.advance(61_000);
    expect((await get(sim, token, path(file))).status).toBe(429);
    sim.advance(9 * 60_000);
    const again = await get(sim, token, path(file));
    expect(again.status).toBe(200);
    await again.arrayBuffer();
  });
});

describe('F1 after changes', () => {
  it('files of deleted messages answer 404; new file messages are served', async () => {
    const before = new Map(sim.files().map((f) => [f.file_id, f]));
    const result = sim.mutate({ deleteMessages: 300, newMessages: 300 });
    const deleted = new Set(result.deleted.map((d) => `${d.chatId} ${d.messageId}`));
    const gone = [...before.values()].find((f) => deleted.has(`${f.chat_id} ${f.message_id}`) && adminCanRead(f));
    if (!gone) throw new Error('no readable file message was deleted');
    expect(sim.file(gone.file_id)).toBeUndefined();
    expect((await get(sim, token, path(gone))).status).toBe(404);

    const added = readable().find((f) => !before.has(f.file_id) && f.size < 300_000);
    if (!added) throw new Error('no new readable file message');
    const response = await get(sim, token, path(added));
    expect(response.status).toBe(200);
    expect((await digest(response)).sha256).toBe(sim.fileSha256(added.file_id));
  });
});
