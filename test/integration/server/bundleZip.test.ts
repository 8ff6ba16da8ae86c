import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BundleZip } from '../../../shared/archive';
import { createAuditBundle } from '../../../electron/core/audit/bundle';
import { appendHandOver } from '../../../electron/core/audit/custodyLog';
import { ephemeralSigner } from '../../../electron/core/audit/signing';
import { buildFilesArchive } from '../../helpers/attachmentsFixture';
import { get, useServedBridges } from '../../helpers/servedBridge';
import { useTempDir } from '../../helpers/tempDir';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The zip's entries and their SHA-256s, read by Python's zipfile (an independent reader), after `unzip -t` tested it. */
function unzipped(zipPath: string): Record<string, string> {
  execFileSync('unzip', ['-tq', zipPath]);
  const script = 'import hashlib,json,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nprint(json.dumps({i.filename: hashlib.sha256(z.read(i)).hexdigest() for i in z.infolist()}))';
  return JSON.parse(execFileSync('python3', ['-c', script, zipPath], { encoding: 'utf8' })) as Record<string, string>;
}

describe('serve: an audit bundle as a .zip download', () => {
  const tempDir = useTempDir('cliq-vault-zip-');
  const serve = useServedBridges();

  async function setUp() {
    const dir = tempDir();
    const { path } = await buildFilesArchive(dir);
    const bundle = await createAuditBundle({ archivePath: path, outDir: join(dir, 'audits', 'audit-1'), scope: {}, clock: { now: () => Date.UTC(2026, 0, 2, 3, 4, 5) } });
    const { bridge, service, auth } = await serve(dir, path);
    const zip = async (id: number) => service.dispatch('audit:zip', { id });
    return { dir, bundle, bridge, auth, zip };
  }

  it('sends the zip the operation reported: same SHA-256, and it unzips to exactly the files of SHA256SUMS and the signature', async () => {
    const { dir, bundle, bridge, auth, zip } = await setUp();
    const prepared = await zip(1);
    if (!prepared.ok) throw new Error(prepared.error.message);
    const reported = prepared.value as BundleZip;
    expect(reported.name).toBe('audit-1.zip');

    const reply = await get(bridge, '/api/bundle.zip?id=1', auth);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/zip');
    expect(reply.headers['content-disposition']).toBe(`attachment; filename="audit-1.zip"; filename*=UTF-8''audit-1.zip`);
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(reply.headers['repr-digest']).toBe(`sha-256=:${Buffer.from(reported.sha256, 'hex').toString('base64')}:`);
    expect(reply.body.length).toBe(reported.sizeBytes);
    expect(sha256(reply.body)).toBe(reported.sha256);

    const downloaded = join(dir, 'download.zip');
    writeFileSync(downloaded, reply.body);
    const sums = readFileSync(join(bundle.bundlePath, 'SHA256SUMS'), 'utf8');
    const expected: Record<string, string> = { 'audit-1/SHA256SUMS': sha256(Buffer.from(sums)) };
    for (const line of sums.trim().split('\n')) expected[`audit-1/${line.slice(66)}`] = line.slice(0, 64);
    // And the signature over SHA256SUMS with its key: the two files SHA256SUMS cannot list.
    for (const file of ['SHA256SUMS.sig', 'signing-key.pub.pem']) expected[`audit-1/${file}`] = sha256(readFileSync(join(bundle.bundlePath, file)));
    expect(unzipped(downloaded)).toEqual(expected);
    // Files beyond the data sets travel too: the attachment copies.
    expect(Object.keys(expected).some((p) => p.startsWith('audit-1/files/'))).toBe(true);
  });

  it('is deterministic: zipping the same bundle again, in another time zone, gives the same SHA-256', async () => {
    const { zip } = await setUp();
    const first = await zip(1);
    const zone = process.env.TZ;
    process.env.TZ = 'Pacific/Kiritimati';
    try {
      const second = await zip(1);
      expect(second.ok && first.ok && (second.value as BundleZip).sha256 === (first.value as BundleZip).sha256).toBe(true);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('refuses an unknown bundle, a request without the token, and a bundle changed since the export', async () => {
    const { dir, bundle, bridge, auth, zip } = await setUp();
    const unknown = await get(bridge, '/api/bundle.zip?id=99', auth);
    expect(unknown.status).toBe(404);
    expect(unknown.body.toString()).toContain('no bundle number 99');
    expect((await get(bridge, '/api/bundle.zip?id=../../etc/passwd', auth)).status).toBe(400);
    expect((await get(bridge, '/api/bundle.zip?id=1')).status).toBe(401);
    expect((await get(bridge, '/api/bundle.zip?id=1', { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await get(bridge, '/api/bundle.zip?id=1', { ...auth, origin: 'http://evil.example' })).status).toBe(403);

    // One byte added to a data file: the zip is refused, in words, and no partial zip is left.
    const data = readFileSync(join(bundle.bundlePath, 'SHA256SUMS'), 'utf8').split('\n')[0]?.slice(66) ?? '';
    appendFileSync(join(bundle.bundlePath, data), 'x');
    const edited = await get(bridge, '/api/bundle.zip?id=1', auth);
    expect(edited.status).toBe(409);
    expect(edited.body.toString()).toContain(`${data} no longer has the SHA-256`);
    const refused = await zip(1);
    expect(refused.ok ? null : refused.error.code).toBe('BUNDLE_INVALID');
    expect(execFileSync('ls', ['-a', join(dir, 'audits')], { encoding: 'utf8' })).not.toContain('partial');
  });

  it('carries the custody log once a hand-over is recorded, and refuses a log whose chain is broken', async () => {
    const { bundle, zip } = await setUp();
    const first = await zip(1);
    appendHandOver(bundle.bundlePath, { to: 'Outside counsel', note: 'by courier', at: new Date(Date.UTC(2026, 0, 3)), signer: ephemeralSigner() });
    const second = await zip(1);
    if (!first.ok || !second.ok) throw new Error('the zip was refused');
    const withLog = second.value as BundleZip;
    expect(withLog.sha256).not.toBe((first.value as BundleZip).sha256);
    expect(Object.keys(unzipped(withLog.zipPath))).toContain('audit-1/custody-log.txt');
    writeFileSync(join(bundle.bundlePath, 'custody-log.txt'), readFileSync(join(bundle.bundlePath, 'custody-log.txt'), 'utf8').replace('Outside counsel', 'Someone else'));
    const refused = await zip(1);
    expect(refused.ok).toBe(false);
    expect(refused.ok ? '' : refused.error.message).toContain('custody log does not check');
  });

  it('refuses a symlink in the bundle folder, wherever it points', async () => {
    const { bundle, zip } = await setUp();
    symlinkSync('/etc/passwd', join(bundle.bundlePath, 'extra.txt'));
    const refused = await zip(1);
    expect(refused.ok ? null : refused.error.message).toContain('extra.txt is a symbolic link');
    rmSync(join(bundle.bundlePath, 'extra.txt'));
    // A listed file swapped for a symlink to a copy of itself is still refused: never followed.
    const line = readFileSync(join(bundle.bundlePath, 'SHA256SUMS'), 'utf8').split('\n')[0] ?? '';
    const target = join(bundle.bundlePath, line.slice(66));
    const copy = `${target}.copy`;
    writeFileSync(copy, readFileSync(target));
    rmSync(target);
    symlinkSync(copy, target);
    expect((await zip(1)).ok).toBe(false);
  });
});
